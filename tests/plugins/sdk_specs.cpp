// The C++ helpers of ABI 1.2 (plugin.hpp): fields declared with bounds and without, a check of
// the plugin's own that throws on one value, and fields reported with their evidence; and
// (ABI 1.4) a region where a value should have stood, asked to be read again.
#include <comptoir/plugin.hpp>

#include <stdexcept>

namespace {

class SdkSpecs final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description description;
        description.id = "sdk_specs";
        description.partner = "Test";
        description.version = "1.2.0";
        description.kinds = {{"sdk_specs.document", "Document du SDK"}};
        description.fields = {{"numero", "Numéro", COMPTOIR_FIELD_IDENTIFIER, 5, 5, COMPTOIR_ALPHABET_DIGITS},
                              {"code", "Code", COMPTOIR_FIELD_IDENTIFIER, 0, 0, COMPTOIR_ALPHABET_ALNUM},
                              {"libelle", "Libellé", COMPTOIR_FIELD_TEXT}};
        return description;
    }

    void recognise(comptoir::sdk::Document& doc) const override { doc.add_candidate("sdk_specs.document", 0.6f); }

    void extract(comptoir::sdk::Document& doc, std::string_view) const override {
        comptoir::sdk::Field numero;
        numero.key = "numero";
        numero.value = "12345";
        numero.confidence = 0.9f;
        numero.page = 1;
        numero.relation = COMPTOIR_RELATION_COLUMN;
        numero.evidence_label = "Numéro";
        doc.add_field(numero);

        comptoir::sdk::Field libelle;  // no evidence said
        libelle.key = "libelle";
        libelle.value = "Eau";
        libelle.confidence = 0.8f;
        doc.add_field(libelle);

        // ABI 1.4: where a value should have stood ("code": its label, no value). A page the
        // document does not have, and an empty region, are refused.
        doc.ask_again(1, comptoir_box{40, 120, 900, 60});
        doc.ask_again(9, comptoir_box{40, 120, 900, 60});
        doc.ask_again(1, comptoir_box{40, 120, 0, 60});
    }

    // numero: even sums pass. A value of "00000" throws: the host must see UNCHECKED.
    comptoir_check check_value(std::string_view key, std::string_view value) const override {
        if (key != "numero") return COMPTOIR_CHECK_UNCHECKED;
        if (value == "00000") throw std::runtime_error("check_value a paniqué");
        int sum = 0;
        for (char c : value) sum += c - '0';
        return sum % 2 == 0 ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
    }
};

}  // namespace

COMPTOIR_PLUGIN(SdkSpecs)
