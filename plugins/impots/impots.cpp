// The DGFiP plugin, id "impots": income tax notices (impots.avis_ir). Built against the SDK
// alone. Recognises a notice by its words (labels.hpp), reads every field of DOMAIN.md with the
// SDK's layout helpers and checks what can be checked: the numbers' lengths and the numéro
// fiscal's key (reported, never a reason to drop the value), the reference's year, the order of
// the dates, what is left to pay against the tax.
#include "labels.hpp"

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

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// "2019": a year among the first words.
layout::ValueParser year() {
    return [](const std::vector<Word>& span) -> std::optional<layout::Value> {
        for (size_t i = 0; i < span.size() && i < 4; ++i) {
            std::string t = layout::fold(span[i].text);
            if (t.size() == 4 && all_digits(t) && (t.rfind("19", 0) == 0 || t.rfind("20", 0) == 0)) {
                return layout::value_of(t, {span[i]});
            }
        }
        return std::nullopt;
    };
}

// The référence de l'avis: 13 letters and digits, grouped or not ("22 78 A12 345 678").
layout::ValueParser reference() {
    return [](const std::vector<Word>& span) -> std::optional<layout::Value> {
        for (size_t first = 0; first < span.size() && first < 6; ++first) {
            std::string value;
            std::vector<Word> taken;
            for (size_t i = first; i < span.size() && value.size() < 13; ++i) {
                const std::string t = span[i].text;
                const bool alnum = !t.empty() && std::all_of(t.begin(), t.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c));
                });
                if (!alnum || (!taken.empty() && layout::detail::gap(taken.back(), span[i]) > span[i].box.height)) break;
                value += t;
                taken.push_back(span[i]);
            }
            if (value.size() == 13 && std::isdigit(static_cast<unsigned char>(value[0]))) return layout::value_of(value, taken);
        }
        return std::nullopt;
    };
}

// "2,50", "3,00", "1,5": the number of parts, as "2.5", "3", "1.5".
layout::ValueParser parts() {
    return [](const std::vector<Word>& span) -> std::optional<layout::Value> {
        for (size_t i = 0; i < span.size() && i < 4; ++i) {
            std::string t = span[i].text;
            for (char& c : t) {
                if (c == ',') c = '.';
            }
            const size_t dot = t.find('.');
            const std::string whole = t.substr(0, dot);
            std::string decimals = dot == std::string::npos ? "" : t.substr(dot + 1);
            if (!all_digits(whole) || (!decimals.empty() && !all_digits(decimals)) || whole.size() > 2) continue;
            while (!decimals.empty() && decimals.back() == '0') decimals.pop_back();
            return layout::value_of(decimals.empty() ? whole : whole + "." + decimals, {span[i]});
        }
        return std::nullopt;
    };
}

// The numéro fiscal's key as commonly described: the first 10 digits modulo 511 give the last
// 3. Specimens fail it, so a failure flags the field and nothing more.
bool fiscal_key(const std::string& number) {
    return number.size() == 13 && std::stoll(number.substr(0, 10)) % 511 == std::stoll(number.substr(10));
}

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
        const auto words = doc.words();
        std::map<std::string, Field> fields;
        const auto read = [&](const std::string& key, const L::Synonyms& synonyms, const layout::ValueParser& parse) {
            auto field = layout::labelled_field(words, key, synonyms, parse);
            if (field) fields[key] = *field;
            return field.has_value();
        };
        read("numero_fiscal", L::kNumeroFiscal, layout::digits(12, 14));
        read("numero_fiscal_2", L::kNumeroFiscal2, layout::digits(12, 14));
        if (fields.count("numero_fiscal_2") && fields.count("numero_fiscal") &&
            fields["numero_fiscal_2"].value == fields["numero_fiscal"].value) {
            fields.erase("numero_fiscal_2");  // the same number read under two labels
        }
        read("reference_avis", L::kReferenceAvis, reference());
        if (!read("annee_revenus", L::kAnnee, year()) && read("annee_revenus", L::kEtabliEn, year())) {
            fields["annee_revenus"].value = std::to_string(std::stoi(fields["annee_revenus"].value) - 1);
        }
        read("revenu_fiscal_reference", L::kRfr, layout::amount(false));
        read("nombre_parts", L::kParts, parts());
        read("impot_net", L::kImpotNet, layout::amount());
        read("reste_a_payer", L::kReste, layout::amount());
        read("date_etablissement", L::kEtablissement, layout::date());
        read("date_mise_en_recouvrement", L::kRecouvrement, layout::date());
        read("date_limite_paiement", L::kLimite, layout::date());
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
            if (fields[key].check == COMPTOIR_CHECK_OK && !fiscal_key(fields[key].value)) fields[key].check = COMPTOIR_CHECK_FAILED;
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
