// A small partner plugin, built out of tree: it recognises documents that say "Bonjour". It
// includes every installed reading header, so that the SDK is seen to compile from its
// install alone.
#include <comptoir/extract.hpp>
#include <comptoir/plugin.hpp>
#include <comptoir/text.hpp>
#include <comptoir/twoddoc_fields.hpp>

namespace {

class Bonjour final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description description;
        description.id = "bonjour";
        description.partner = "Partenaire de test";
        description.version = "0.3.0";
        description.kinds = {{"bonjour.lettre", "Lettre qui dit bonjour"}};
        description.fields = {{"salutation", "Salutation", COMPTOIR_FIELD_TEXT}};
        description.letters = {{"bonjour.reponse", "bonjour.lettre"}};
        return description;
    }

    void recognise(comptoir::sdk::Document& doc) const override {
        if (doc.text().find("Bonjour") != std::string::npos) doc.add_candidate("bonjour.lettre", 0.9f);
    }

    void extract(comptoir::sdk::Document& doc, std::string_view) const override {
        for (const auto& word : doc.words()) {
            if (comptoir::text::fold(word.text) == "bonjour") {
                comptoir::sdk::Field field;
                field.key = "salutation";
                field.value = word.text;
                field.confidence = word.confidence;
                field.page = word.page;
                field.box = word.box;
                doc.add_field(field);
            }
        }
    }
};

}  // namespace

COMPTOIR_PLUGIN(Bonjour)
