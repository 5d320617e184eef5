// A plugin that misbehaves at run time: its recognise reports an undeclared kind (dropped:
// add_candidate returns false) and a score out of range, its extract reports an undeclared
// field and then throws. The host must keep the declared field, drop the rest, and go on.
#include <comptoir/plugin.hpp>

#include <stdexcept>

namespace {

class Faulty final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description description;
        description.id = "faulty";
        description.partner = "Test";
        description.version = "0.0.1";
        description.kinds = {{"faulty.document", "Document de test"}, {"faulty.lanceur", "Document qui fait échouer"}};
        description.fields = {{"numero", "Numéro", COMPTOIR_FIELD_IDENTIFIER}};
        description.letters = {{"faulty.reponse", "faulty.document"}};
        return description;
    }

    void recognise(comptoir::sdk::Document& doc) const override {
        if (doc.text().find("PANIQUE") != std::string::npos) throw std::runtime_error("recognise a paniqué");
        // Not declared: dropped and logged by the host, and recognise goes on.
        if (doc.add_candidate("autre.document", 0.9f)) throw std::logic_error("the host accepted an undeclared kind");
        try {
            doc.add_candidate("faulty.document", 1.5f);  // out of range: refused
        } catch (const comptoir::sdk::HostError&) {
        }
        doc.add_candidate("faulty.document", 0.8f);
    }

    void extract(comptoir::sdk::Document& doc, std::string_view kind) const override {
        comptoir::sdk::Field declared;
        declared.key = "numero";
        declared.value = "42";
        declared.text = "4 2";
        declared.confidence = 0.9f;
        declared.page = 1;
        declared.box = {10, 20, 30, 40};
        if (doc.text().find("SUGGERE") != std::string::npos) {  // a reading with its repair suggested
            declared.value = "4Z";
            declared.suggestion = "42";
            declared.check = COMPTOIR_CHECK_FAILED;
        }
        doc.add_field(declared);

        comptoir::sdk::Field secret;
        secret.key = "champ_secret";
        secret.value = "x";
        secret.confidence = 0.5f;
        if (doc.add_field(secret)) throw std::logic_error("the host accepted an undeclared field");

        if (kind == "faulty.lanceur") throw std::runtime_error("extract a échoué");
    }
};

}  // namespace

COMPTOIR_PLUGIN(Faulty)
