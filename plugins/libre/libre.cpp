// The example plugin, id "libre": it claims no document for itself (a low score that never
// wins over a partner's plugin), reads the date of any document, and offers the free letter
// `libre.courrier` for every document. The SDK guide (README.md) walks through this file.
#include <comptoir/layout.hpp>
#include <comptoir/plugin.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace {

constexpr const char* kKind = "libre.document";

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
        namespace layout = comptoir::sdk::layout;
        // The first date printed on the document is usually the date of the letter: "12/03/2024"
        // in one word, or "12 mars 2024" over three words of a line.
        const auto words = doc.words();
        for (size_t i = 0; i < words.size(); ++i) {
            for (size_t count : {size_t{3}, size_t{1}}) {
                if (i + count > words.size() || words[i + count - 1].line_id != words[i].line_id) continue;
                std::vector<comptoir::sdk::Word> span(words.begin() + static_cast<long>(i),
                                                      words.begin() + static_cast<long>(i + count));
                const auto date = layout::parse_date(layout::joined_text(span));
                if (!date) continue;
                comptoir::sdk::Field field;
                field.key = "date_document";
                field.value = *date;
                field.text = layout::joined_text(span);
                field.confidence = span.front().confidence;
                field.page = span.front().page;
                field.box = span.front().box;
                for (const auto& word : span) {
                    field.box = layout::united(field.box, word.box);
                    field.confidence = std::min(field.confidence, word.confidence);
                }
                doc.add_field(field);
                return;
            }
        }
    }
};

}  // namespace

COMPTOIR_PLUGIN(Libre)
