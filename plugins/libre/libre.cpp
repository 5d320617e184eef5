// The example plugin, id "libre": it claims no document for itself (a low score that never
// wins over a partner's plugin), reads the date of any document, and offers the free letter
// `libre.courrier` for every document. plugins/sdk/README.md walks through this file.
#include <comptoir/plugin.hpp>

#include <array>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>

namespace {

constexpr const char* kKind = "libre.document";

// "29/01/2021" or "29.01.2021" -> "2021-01-29"; nullopt for anything else.
std::optional<std::string> numeric_date(const std::string& text) {
    if (text.size() < 10) return std::nullopt;
    const std::string t = text.substr(0, 10);
    for (size_t i : {0, 1, 3, 4, 6, 7, 8, 9}) {
        if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
    }
    if ((t[2] != '/' && t[2] != '.') || t[5] != t[2]) return std::nullopt;
    const int day = std::stoi(t.substr(0, 2));
    const int month = std::stoi(t.substr(3, 2));
    if (day < 1 || day > 31 || month < 1 || month > 12) return std::nullopt;
    return t.substr(6, 4) + "-" + t.substr(3, 2) + "-" + t.substr(0, 2);
}

class Libre final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description description;
        description.id = "libre";
        description.partner = "Comptoir";
        description.version = "1.0.0";
        description.kinds = {{kKind, "Document quelconque"}};
        description.fields = {{"date_document", "Date du document", COMPTOIR_FIELD_DATE}};
        description.letters = {{"libre.courrier", ""}};  // every document
        return description;
    }

    void recognise(comptoir::sdk::Document& doc) const override {
        // Any page with words could be answered with a free letter, but a partner's plugin
        // always knows better: stay far below the recognition threshold.
        if (!doc.words().empty()) doc.add_candidate(kKind, 0.05f);
    }

    void extract(comptoir::sdk::Document& doc, std::string_view) const override {
        // The first date printed on the document is usually the date of the letter.
        for (const auto& word : doc.words()) {
            if (const auto date = numeric_date(word.text)) {
                comptoir::sdk::Field field;
                field.key = "date_document";
                field.value = *date;
                field.text = word.text;
                field.confidence = word.confidence;
                field.page = word.page;
                field.box = word.box;
                doc.add_field(field);
                return;
            }
        }
    }
};

}  // namespace

COMPTOIR_PLUGIN(Libre)
