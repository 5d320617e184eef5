// The DGFiP plugin, id "impots": income tax notices (impots.avis_ir). Built against the SDK
// alone. Recognises a notice by its words (labels.hpp), reads every field of DOMAIN.md with the
// SDK's extraction engine from the fields declared in labels.hpp (the centre's name, which
// wraps in the DGFiP's own way, with the layout helpers) and checks what can be checked: the numbers' lengths and the numéro
// fiscal's key (reported, never a reason to drop the value), the reference's year, the order of
// the dates, what is left to pay against the tax.
#include "labels.hpp"

#include <comptoir/extract.hpp>
#include <comptoir/layout.hpp>
#include <comptoir/plugin.hpp>
#include <comptoir/twoddoc_fields.hpp>

#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace layout = comptoir::sdk::layout;
using comptoir::sdk::Field;
using comptoir::sdk::Word;

constexpr const char* kKind = "impots.avis_ir";

// The avis's 2D-Doc (types 04 and 28) to the canonical fields: the declarant's own number (47)
// before the older single one (40); reste à payer is 4W in one edition of the specification
// and 4Z in the next.
using comptoir::sdk::twoddoc::As;
constexpr comptoir::sdk::twoddoc::Mapping kCode[] = {
    {"47", "numero_fiscal", As::identifier},
    {"40", "numero_fiscal", As::identifier},
    {"49", "numero_fiscal_2", As::identifier},
    {"44", "reference_avis", As::identifier},
    {"45", "annee_revenus", As::year},
    {"41", "revenu_fiscal_reference", As::amount},
    {"43", "nombre_parts", As::decimal},
    {"4V", "impot_net", As::amount},
    {"4W", "reste_a_payer", As::amount},
    {"4Z", "reste_a_payer", As::amount},
    {"4A", "date_mise_en_recouvrement", As::date},
};

class Impots final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description d;
        d.id = "impots";
        d.partner = "DGFiP";
        d.version = "1.0.0";
        d.kinds = {{kKind, "Avis d'impôt sur le revenu"}};
        d.fields = {
            {"numero_fiscal", "Numéro fiscal (déclarant 1)", COMPTOIR_FIELD_IDENTIFIER},
            {"numero_fiscal_2", "Numéro fiscal (déclarant 2)", COMPTOIR_FIELD_IDENTIFIER},
            {"reference_avis", "Référence de l'avis", COMPTOIR_FIELD_IDENTIFIER},
            {"annee_revenus", "Revenus de l'année", COMPTOIR_FIELD_COUNT},
            {"revenu_fiscal_reference", "Revenu fiscal de référence", COMPTOIR_FIELD_AMOUNT},
            {"nombre_parts", "Nombre de parts", COMPTOIR_FIELD_DECIMAL},
            {"impot_net", "Impôt net", COMPTOIR_FIELD_AMOUNT},
            {"reste_a_payer", "Reste à payer", COMPTOIR_FIELD_AMOUNT},
            {"date_etablissement", "Date d'établissement", COMPTOIR_FIELD_DATE},
            {"date_mise_en_recouvrement", "Date de mise en recouvrement", COMPTOIR_FIELD_DATE},
            {"date_limite_paiement", "Date limite de paiement", COMPTOIR_FIELD_DATE},
            {"centre_finances_publiques", "Centre des finances publiques", COMPTOIR_FIELD_TEXT},
        };
        d.letters = {{"impots.delai_paiement", kKind}, {"impots.remise_gracieuse", kKind}, {"impots.reclamation", kKind}};
        return d;
    }

    void recognise(comptoir::sdk::Document& doc) const override {
        float score = layout::keyword_score(doc.words(), impots::labels::kKeywords);
        // A signed code that says "income tax notice" settles it, however badly the page reads.
        if (comptoir::sdk::twoddoc::find_code(doc, {"04", "28"})) score = std::max(score, 0.99f);
        if (score > 0.0f) doc.add_candidate(kKind, score);
    }

    void extract(comptoir::sdk::Document& doc, std::string_view) const override {
        namespace L = impots::labels;
        namespace x = comptoir::sdk::extract;
        const auto words = doc.words();
        static const x::Schema schema = L::schema();
        const auto found = x::run(schema, words);
        std::map<std::string, Field> fields;
        for (auto& field : x::to_fields(schema, found)) fields[field.key] = field;
        if (fields.count("numero_fiscal_2") && fields.count("numero_fiscal") &&
            fields["numero_fiscal_2"].value == fields["numero_fiscal"].value) {
            fields.erase("numero_fiscal_2");  // the same number read under two labels
        }
        // "Avis d'impôt établi en 2024" says the income is of 2023.
        if (!fields.count("annee_revenus")) {
            for (const auto& f : found) {
                if (f.key != "annee_avis") continue;
                Field year;
                year.key = "annee_revenus";
                year.value = std::to_string(std::stoi(f.value) - 1);
                year.text = f.text;
                year.confidence = f.confidence;
                year.page = f.page;
                year.box = f.box;
#if COMPTOIR_PLUGIN_ABI_MINOR >= 2
                year.relation = COMPTOIR_RELATION_RIGHT;
                year.evidence_label = f.label;
#endif
                fields["annee_revenus"] = year;
            }
        }
        // The issuing centre: the line under "Centre des finances publiques", else the line
        // that names a SIP.
        for (const auto& label : layout::find_labels(words, L::kCentre)) {
            if (auto name = layout::text()(layout::below(words, label))) {
                // "Service des impôts des particuliers" / "de Saint-" / "Denis": a name may wrap.
                for (int more = 0; more < 2; ++more) {
                    const auto& last = name->words.back();
                    std::vector<Word> next;
                    for (const auto& w : words) {
                        if (w.page == last.page && w.line_id == last.line_id + 1 &&
                            std::abs(w.box.x - name->words.front().box.x) < 30 * w.box.height) {
                            next.push_back(w);
                        }
                    }
                    if (next.empty() || std::abs(next.front().box.x - name->words.front().box.x) > next.front().box.height) break;
                    const std::string head = layout::fold(next.front().text);
                    const std::string& t = next.front().text;
                    const bool elided = head.rfind("d", 0) == 0 && t.size() > 2 && (t[1] == '\'' || t.substr(1, 3) == "\xe2\x80\x99");
                    const bool hyphen = name->value.back() == '-';
                    if (!hyphen && head != "de" && head != "du" && !elided) break;
                    auto more_text = layout::text()(next);
                    if (!more_text) break;
                    auto all = name->words;
                    all.insert(all.end(), more_text->words.begin(), more_text->words.end());
                    *name = layout::value_of(name->value + (hyphen ? "" : " ") + more_text->value, all);
                }
                fields["centre_finances_publiques"] = layout::field_from("centre_finances_publiques", *name);
                break;
            }
        }
        if (!fields.count("centre_finances_publiques")) {
            for (const auto& label : layout::find_labels(words, L::kCentreName)) {
                std::vector<Word> line(words.begin() + static_cast<long>(label.first), words.begin() + static_cast<long>(label.last + 1));
                const auto rest = layout::right_of(words, label);
                line.insert(line.end(), rest.begin(), rest.end());
                if (auto name = layout::text()(line)) {
                    fields["centre_finances_publiques"] = layout::field_from("centre_finances_publiques", *name);
                    break;
                }
            }
        }

        // Checks (DOMAIN.md).
        for (const char* key : {"numero_fiscal", "numero_fiscal_2"}) {
            if (!fields.count(key)) continue;
            layout::check_digits(fields[key], 13, 13);
            if (fields[key].check == COMPTOIR_CHECK_OK && !L::fiscal_key(fields[key].value)) fields[key].check = COMPTOIR_CHECK_FAILED;
        }
        if (fields.count("reference_avis")) {
            auto& ref = fields["reference_avis"];
            bool ok = ref.value.size() == 13;
            if (ok && fields.count("annee_revenus")) {
                const int notice_year = (std::stoi(fields["annee_revenus"].value) + 1) % 100;
                ok = ref.value.substr(0, 2) == (notice_year < 10 ? "0" : "") + std::to_string(notice_year);
            }
            ref.check = ok ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
        }
        const auto ptr = [&](const char* key) { return fields.count(key) ? &fields[key] : nullptr; };
        layout::check_date_order({ptr("date_etablissement"), ptr("date_mise_en_recouvrement"), ptr("date_limite_paiement")});
        if (fields.count("reste_a_payer") && fields.count("impot_net")) {
            const bool ok = layout::cents_of(fields["reste_a_payer"].value) <= layout::cents_of(fields["impot_net"].value);
            fields["reste_a_payer"].check = ok ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
        }
        for (const auto& [key, field] : fields) doc.add_field(field);
        comptoir::sdk::twoddoc::report_code_fields(doc, kCode, {"04", "28"});
    }
};

}  // namespace

COMPTOIR_PLUGIN(Impots)
