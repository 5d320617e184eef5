// The DGFiP plugin, id "impots": income tax notices (impots.avis_ir) and avis de situation
// déclarative (impots.situation_declarative: told apart by their title and what they lack — a
// tax, a sum to pay, a due date —; they ask for no money, so no letter). Built against the SDK
// alone. Recognises a notice by its words (labels.hpp), reads every field of docs/formats.md with the
// SDK's extraction engine from the fields declared in labels.hpp (the centre's name, which
// wraps in the DGFiP's own way, and its address block under it, with the layout helpers) and checks what can be checked: the numbers' lengths and the numéro
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
constexpr const char* kSituation = "impots.situation_declarative";

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

// A centre's name may wrap: "Service des impôts des particuliers" / "de Saint-" / "Denis".
layout::Value with_continuation(const std::vector<Word>& words, layout::Value name) {
    for (int more = 0; more < 2; ++more) {
        const auto& last = name.words.back();
        std::vector<Word> next;
        for (const auto& w : words) {
            if (w.page == last.page && w.line_id == last.line_id + 1 &&
                std::abs(w.box.x - name.words.front().box.x) < 30 * w.box.height) {
                next.push_back(w);
            }
        }
        if (next.empty() || std::abs(next.front().box.x - name.words.front().box.x) > next.front().box.height) break;
        const std::string head = layout::fold(next.front().text);
        const std::string& t = next.front().text;
        const bool elided = head.rfind("d", 0) == 0 && t.size() > 2 && (t[1] == '\'' || t.substr(1, 3) == "\xe2\x80\x99");
        const bool hyphen = name.value.back() == '-';
        if (!hyphen && head != "de" && head != "du" && !elided) break;
        auto more_text = layout::text()(next);
        if (!more_text) break;
        auto all = name.words;
        all.insert(all.end(), more_text->words.begin(), more_text->words.end());
        name = layout::value_of(name.value + (hyphen ? "" : " ") + more_text->value, all);
    }
    return name;
}

// The issuing centre. First the line that names one ("SIP de Lorient", "Centre des finances
// publiques de Nîmes", "Service des impôts des particuliers de Saint-Denis": a centre's kind and
// its town — the DGFiP's way of naming them); else the line under a label of the centre
// ("Vos contacts", "Centre des finances publiques") that is not an address.
struct Centre {
    Field name;               // centre_finances_publiques
    std::vector<Word> words;  // the name's words, where its block starts
};

std::optional<Centre> centre_name(const std::vector<Word>& words) {
    namespace L = impots::labels;
    for (const auto& prefix : layout::find_labels(words, L::kCentreName)) {
        std::vector<Word> line(words.begin() + static_cast<long>(prefix.first), words.begin() + static_cast<long>(prefix.last + 1));
        const auto rest = layout::right_of(words, prefix);
        if (rest.empty() || layout::detail::gap(line.back(), rest.front()) > 2 * rest.front().box.height) continue;
        // "Centre des finances publiques  SIP de Rennes": the label of a name that follows.
        const std::string next = layout::fold(rest.front().text);
        if (next == "sip" || next == "service" || next == "centre" || next == "tresorerie") continue;
        const std::string head = layout::fold(rest.front().text);
        const std::string& t = rest.front().text;
        const bool town = head == "de" || head == "du" || head == "des" || (t.size() > 2 && t[0] == 'd' && t[1] == '\'') ||
                          t.rfind("d\xe2\x80\x99", 0) == 0 || std::isupper(static_cast<unsigned char>(t[0]));
        if (!town) continue;
        line.insert(line.end(), rest.begin(), rest.end());
        if (auto name = layout::text()(line)) {
            const auto whole = with_continuation(words, *name);
            Field field = layout::field_from("centre_finances_publiques", whole);
            field.relation = COMPTOIR_RELATION_SHAPE;  // no label: it names itself, never sure
            field.confidence = std::min(field.confidence, 0.85f);
            return Centre{field, whole.words};
        }
    }
    for (const auto& label : layout::find_labels(words, L::kCentre)) {
        auto name = layout::text()(layout::below(words, label));
        if (!name || std::isdigit(static_cast<unsigned char>(name->value[0]))) continue;  // an address, not a name
        const auto whole = with_continuation(words, *name);
        Field field = layout::field_from("centre_finances_publiques", whole);
        field.relation = COMPTOIR_RELATION_BELOW;
        field.evidence_label = layout::joined_text(
            std::vector<Word>(words.begin() + static_cast<long>(label.first), words.begin() + static_cast<long>(label.last + 1)));
        return Centre{field, whole.words};
    }
    return std::nullopt;
}

// The centre's whole block, the address letters go to: its name, then the lines printed under
// it ("34 rue des Lois", "31000 Toulouse") up to its postcode and town, joined with ", "
// (docs/formats.md). Only a whole block gives the field.
std::optional<Field> centre_address(const std::vector<Word>& words, const Centre& centre) {
    const auto lines = layout::postal_block(words, centre.words);
    if (lines.empty()) return std::nullopt;
    Field field = layout::field_from("adresse_centre", layout::value_of(layout::address_of(lines), layout::words_of(lines)));
    field.relation = centre.name.relation;
    field.evidence_label = centre.name.evidence_label;
    field.confidence = std::min(field.confidence, centre.name.confidence);
    return field;
}

class Impots final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description d;
        d.id = "impots";
        d.partner = "DGFiP";
        d.version = "1.0.0";
        d.kinds = {{kKind, "Avis d'impôt sur le revenu"}, {kSituation, "Avis de situation déclarative à l'impôt sur le revenu"}};
        d.fields = {
            {"numero_fiscal", "Numéro fiscal (déclarant 1)", COMPTOIR_FIELD_IDENTIFIER, 13, 13, COMPTOIR_ALPHABET_DIGITS},
            {"numero_fiscal_2", "Numéro fiscal (déclarant 2)", COMPTOIR_FIELD_IDENTIFIER, 13, 13, COMPTOIR_ALPHABET_DIGITS},
            {"reference_avis", "Référence de l'avis", COMPTOIR_FIELD_IDENTIFIER, 13, 13, COMPTOIR_ALPHABET_UPPER_ALNUM},
            {"annee_revenus", "Revenus de l'année", COMPTOIR_FIELD_COUNT, 4, 4, COMPTOIR_ALPHABET_DIGITS},
            {"revenu_fiscal_reference", "Revenu fiscal de référence", COMPTOIR_FIELD_AMOUNT},
            {"nombre_parts", "Nombre de parts", COMPTOIR_FIELD_DECIMAL},
            {"impot_net", "Impôt net", COMPTOIR_FIELD_AMOUNT},
            {"reste_a_payer", "Reste à payer", COMPTOIR_FIELD_AMOUNT},
            {"date_etablissement", "Date d'établissement", COMPTOIR_FIELD_DATE},
            {"date_mise_en_recouvrement", "Date de mise en recouvrement", COMPTOIR_FIELD_DATE},
            {"date_limite_paiement", "Date limite de paiement", COMPTOIR_FIELD_DATE},
            {"centre_finances_publiques", "Centre des finances publiques", COMPTOIR_FIELD_TEXT},
            {"adresse_centre", "Adresse du centre des finances publiques", COMPTOIR_FIELD_ADDRESS},
        };
        d.letters = {{"impots.delai_paiement", kKind}, {"impots.remise_gracieuse", kKind}, {"impots.reclamation", kKind}};
        return d;
    }

    // The host checks a value the mediator corrects: the numéro fiscal's key (lengths and
    // alphabets are declared above).
    comptoir_check check_value(std::string_view key, std::string_view value) const override {
        if (key == "numero_fiscal" || key == "numero_fiscal_2") {
            return impots::labels::fiscal_key(std::string(value)) ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
        }
        return COMPTOIR_CHECK_UNCHECKED;
    }

    void recognise(comptoir::sdk::Document& doc) const override {
        // Its words (DGFiP, avis d'impôt…) and how many of a notice's labels it prints.
        namespace L = impots::labels;
        namespace x = comptoir::sdk::extract;
        static const x::Schema schema = L::schema();
        const auto words = doc.words();
        // Labels alone do not make a notice: they count once one of its words is there.
        const float keywords = layout::keyword_score(words, L::kKeywords);
        float score = keywords > 0.0f ? std::min(1.0f, keywords + 0.5f * x::label_coverage(schema, words)) : 0.0f;
        // A signed code that says "income tax notice" settles it, however badly the page reads.
        if (comptoir::sdk::twoddoc::find_code(doc, {"04", "28"})) score = std::max(score, 0.99f);
        if (score <= 0.0f) return;
        // An avis de situation déclarative: titled so, and at most one payment label read by
        // chance (a notice prints several of them; a notice whose title is misread stays one).
        const auto labelled = x::labelled_keys(schema, words, 0.75f);
        const auto payment = std::count_if(L::kPaymentKeys.begin(), L::kPaymentKeys.end(), [&](const std::string& key) { return labelled.count(key) > 0; });
        const bool titled = layout::find_label(words, L::kSituationTitle).has_value();
        if (keywords > 0.0f && payment < 2 && titled) {
            static const x::Schema situation = L::situation_schema();
            doc.add_candidate(kSituation, std::max(score, std::min(1.0f, keywords + 0.5f * x::label_coverage(situation, words))));
            doc.add_candidate(kKind, 0.4f * score);
            return;
        }
        doc.add_candidate(kKind, score);
    }

    void extract(comptoir::sdk::Document& doc, std::string_view kind) const override {
        namespace L = impots::labels;
        namespace x = comptoir::sdk::extract;
        const auto words = doc.words();
        static const x::Schema notice = L::schema();
        static const x::Schema situation = L::situation_schema();
        const bool is_situation = kind == kSituation;
        const x::Schema& schema = is_situation ? situation : notice;
        const auto found = x::run(schema, words);
        for (const auto& u : x::unread(schema, words, found)) doc.ask_again(u.page, u.region);
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
                x::Found year = f;
                year.key = "annee_revenus";
                year.value = std::to_string(std::stoi(f.value) - 1);
                for (auto& field : x::to_fields(schema, {year})) fields[field.key] = field;
            }
        }
        if (auto centre = centre_name(words)) {
            if (!is_situation) fields["centre_finances_publiques"] = centre->name;
            if (auto address = centre_address(words, *centre)) fields["adresse_centre"] = *address;
        }

        // Checks (docs/formats.md).
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
        for (auto& [key, field] : fields) {
            comptoir::sdk::extract::weigh_check(field);
            doc.add_field(field);
        }
        if (!is_situation) comptoir::sdk::twoddoc::report_code_fields(doc, kCode, {"04", "28"});
    }
};

}  // namespace

COMPTOIR_PLUGIN(Impots)
