// The CAF plugin, id "caf": the letters of the Caisses d'allocations familiales, payment
// attestations (caf.attestation_paiement) and debt notifications (caf.indu). Built against the
// SDK alone. Recognises a Caf letter by its words and tells the two kinds apart (labels.hpp),
// reads every field of docs/formats.md with the SDK's extraction engine from the fields declared in
// labels.hpp (the Caf's département, matched to the list of départements, with the layout
// helpers), and checks what can be checked:
// the allocataire number's length, the Caf's département against the list of départements
// (which also puts back the accents OCR drops), dates in order, an attestation's total against
// the amounts it adds up.
#include "labels.hpp"

#include <comptoir/extract.hpp>
#include <comptoir/layout.hpp>
#include <comptoir/plugin.hpp>

#include <cctype>
#include <map>
#include <utility>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace {

namespace layout = comptoir::sdk::layout;
using comptoir::sdk::Field;
using comptoir::sdk::Word;

constexpr const char* kIndu = "caf.indu";
constexpr const char* kAttestation = "caf.attestation_paiement";

// The words of the line after `word`'s, on its page.
std::vector<Word> next_line(const std::vector<Word>& words, const Word& word) {
    std::vector<Word> out;
    for (const auto& w : words) {
        if (w.page == word.page && w.line_id == word.line_id + 1) out.push_back(w);
    }
    return out;
}

// The département of "Caf du Morbihan", "Caisse d'allocations familiales d'Ille-et-Vilaine":
// the words after the name and its article, matched to the list of départements (the list's
// spelling wins: "Rhone" read without its accent is "Rhône"). `known` tells whether it matched.
// `caf_name` gets the Caf's name as printed, its département in the list's spelling when known
// ("Caf du Val-de-Marne"), and the name's words, where the Caf's address block starts.
struct CafName {
    std::string text;
    std::vector<Word> words;
};

std::optional<layout::Value> departement(const std::vector<Word>& words, bool& known, std::string& label_text, CafName& caf_name) {
    for (const auto& label : layout::find_labels(words, caf::labels::kCaf)) {
        auto span = layout::right_of(words, label);
        if (span.empty()) continue;
        // The article: "du", "de la", "des", "de l'", "d'" (glued to the name or not).
        std::string first = span.front().text;
        const std::string head = layout::fold(first);
        size_t skip = 0;
        std::string glued;
        if (head == "du" || head == "des" || head == "de") {
            skip = 1;
            if (head == "de" && span.size() > 1 && layout::fold(span[1].text) == "la") skip = 2;
        } else if ((first.rfind("d'", 0) == 0 || first.rfind("d\xe2\x80\x99", 0) == 0 || first.rfind("l'", 0) == 0)) {
            glued = first.substr(first.find_first_of("'\x99") + 1);
        } else {
            continue;  // "Caisse d'allocations familiales – caf.fr": the footer, no département
        }
        std::vector<Word> taken;
        std::string text = glued;
        if (!glued.empty()) taken.push_back(span.front());
        // The name's words, up to a column gap or a dash.
        const auto collect = [&](const std::vector<Word>& from, size_t start) {
            for (size_t i = start; i < from.size() && taken.size() < 4; ++i) {
                if (!taken.empty() && layout::detail::gap(taken.back(), from[i]) > from[i].box.height) break;
                if (layout::fold(from[i].text).empty()) break;  // "–"
                text += (text.empty() ? "" : " ") + from[i].text;
                taken.push_back(from[i]);
            }
        };
        collect(span, glued.empty() ? skip : 1);
        // "Caisse d'allocations familiales de la" / "Haute-Garonne": the name on the next line.
        if (taken.empty() && skip > 0 && skip == span.size()) collect(next_line(words, span.back()), 0);
        if (taken.empty() || text.empty()) continue;
        // "Caisse d'allocations familiales du Val-" / "de-Marne": a name cut at its hyphen goes
        // on at the start of the next line.
        if (text.back() == '-') {
            const auto more = next_line(words, taken.back());
            if (!more.empty()) {
                text += more.front().text;
                taken.push_back(more.front());
            }
        }
        // The closest département, within an OCR error or two.
        const std::string folded = layout::fold(text);
        const std::string* best = nullptr;
        size_t best_distance = 0;
        for (const auto& name : caf::labels::kDepartements) {
            const size_t d = layout::distance(folded, layout::fold(name));
            if (!best || d < best_distance) {
                best = &name;
                best_distance = d;
            }
        }
        auto value = layout::value_of(text, taken);
        label_text = layout::joined_text(std::vector<Word>(words.begin() + static_cast<long>(label.first), words.begin() + static_cast<long>(label.last + 1)));
        known = best && best_distance <= std::max<size_t>(1, folded.size() / 5);
        if (known) value.value = *best;
        // The name: its label, the article and the département.
        std::vector<Word> named(words.begin() + static_cast<long>(label.first), words.begin() + static_cast<long>(label.last + 1));
        if (glued.empty()) named.insert(named.end(), span.begin(), span.begin() + static_cast<long>(skip));
        const std::string article = glued.empty() ? "" : first.substr(0, first.size() - glued.size());
        caf_name.text = layout::joined_text(named) + " " + article + (known ? *best : text);
        caf_name.words = named;
        caf_name.words.insert(caf_name.words.end(), taken.begin(), taken.end());
        return value;
    }
    return std::nullopt;
}

// The sum of the amounts with cents on the page ("608,56 €", "1 201,67"), but the one at
// `except` (the total itself), and how many there were.
std::pair<long long, size_t> other_amounts(const std::vector<Word>& words, const comptoir_box& except) {
    long long sum = 0;
    size_t count = 0;
    for (size_t i = 0; i < words.size(); ++i) {
        if (words[i].text.find(',') == std::string::npos || !layout::detail::has_digit(words[i].text)) continue;
        // The thousands before the comma ("1 201,67") belong to this amount: start there.
        size_t first = i;
        if (i > 0 && words[i - 1].line_id == words[i].line_id && words[i - 1].page == words[i].page &&
            words[i - 1].text.size() <= 3 && layout::detail::gap(words[i - 1], words[i]) < words[i].box.height &&
            std::all_of(words[i - 1].text.begin(), words[i - 1].text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
            first = i - 1;
        }
        const std::vector<Word> span(words.begin() + static_cast<long>(first), words.begin() + static_cast<long>(std::min(words.size(), i + 2)));
        const auto amount = layout::amount()(span);
        if (!amount || (amount->box.x == except.x && amount->box.y == except.y)) continue;
        sum += layout::cents_of(amount->value);
        ++count;
    }
    return {sum, count};
}

// The Caf's address as the page prints it under its name ("Caf du Val-de-Marne" /
// "94000 Créteil – caf.fr"): the name, the lines under it up to its postcode and town, joined
// with ", " (docs/formats.md). Only with a postcode and a town: no half address.
std::optional<Field> caf_address(const std::vector<Word>& words, const CafName& name, const std::string& label_text) {
    const auto lines = layout::postal_block(words, name.words, 4);
    if (lines.empty()) return std::nullopt;
    const std::vector<std::vector<Word>> under(lines.begin() + 1, lines.end());
    Field field = layout::field_from("adresse_caf", layout::value_of(name.text + ", " + layout::address_of(under), layout::words_of(lines)));
    field.relation = COMPTOIR_RELATION_RIGHT;  // the name follows its label ("Caf du …"), the lines under it
    field.evidence_label = label_text;
    return field;
}

class Caf final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description d;
        d.id = "caf";
        d.partner = "Caf";
        d.version = "1.0.0";
        d.kinds = {{kAttestation, "Attestation de paiement de la Caf"}, {kIndu, "Notification de trop-perçu (indu) de la Caf"}};
        d.fields = {
            {"numero_allocataire", "N° allocataire", COMPTOIR_FIELD_IDENTIFIER, 7, 7, COMPTOIR_ALPHABET_DIGITS},
            {"allocataire", "Allocataire", COMPTOIR_FIELD_NAME},
            {"date_document", "Date du courrier", COMPTOIR_FIELD_DATE},
            {"caf", "Caf (département)", COMPTOIR_FIELD_TEXT},
            {"adresse_caf", "Adresse de la Caf", COMPTOIR_FIELD_ADDRESS},
            {"montant_total", "Montant total versé", COMPTOIR_FIELD_AMOUNT},
            {"montant_indu", "Montant du trop-perçu", COMPTOIR_FIELD_AMOUNT},
            {"prestation", "Prestation", COMPTOIR_FIELD_TEXT},
            {"periode_debut", "Début de la période", COMPTOIR_FIELD_DATE},
            {"periode_fin", "Fin de la période", COMPTOIR_FIELD_DATE},
        };
        d.letters = {{"caf.recours_amiable", kIndu},
                     {"caf.remise_dette", kIndu},
                     {"caf.echeancier", kIndu},
                     {"caf.changement_situation", kAttestation},
                     {"caf.changement_situation", kIndu}};
        return d;
    }

    void recognise(comptoir::sdk::Document& doc) const override {
        namespace x = comptoir::sdk::extract;
        const auto words = doc.words();
        static const x::Schema debt_schema = caf::labels::schema(true);
        static const x::Schema attestation_schema = caf::labels::schema(false);
        const float keywords = layout::keyword_score(words, caf::labels::kKeywords);
        if (keywords <= 0.0f) return;
        if (layout::find_label(words, caf::labels::kLandlordNotice) && !layout::find_label(words, caf::labels::kCafNames)) return;
        const auto debt_keys = x::labelled_keys(debt_schema, words);
        const auto attestation_keys = x::labelled_keys(attestation_schema, words);
        const float score = std::min(1.0f, keywords + 0.5f * std::max(x::coverage(debt_schema, debt_keys),
                                                                       x::coverage(attestation_schema, attestation_keys)));
        // Which of the two: the wording of a debt against the wording of an attestation, and the
        // labels only one of them prints (what is owed; the total paid). A benefit and a period
        // say nothing: an attestation lists the benefits paid, month by month, too.
        size_t indu = 0;
        size_t attestation = 0;
        indu += layout::find_labels(words, caf::labels::kIndu).size();
        attestation += layout::find_labels(words, caf::labels::kAttestation).size();
        indu += debt_keys.count("montant_indu");
        attestation += attestation_keys.count("montant_total");
        const bool debt = indu > attestation;
        doc.add_candidate(debt ? kIndu : kAttestation, score);
        if (indu > 0 && attestation > 0) doc.add_candidate(debt ? kAttestation : kIndu, score / 2);
    }

    void extract(comptoir::sdk::Document& doc, std::string_view kind) const override {
        namespace x = comptoir::sdk::extract;
        const auto words = doc.words();
        const bool debt = kind == kIndu;
        static const x::Schema debt_schema = caf::labels::schema(true);
        static const x::Schema attestation_schema = caf::labels::schema(false);
        const x::Schema& schema = debt ? debt_schema : attestation_schema;
        const auto found = x::run(schema, words);
        for (const auto& u : x::unread(schema, words, found)) doc.ask_again(u.page, u.region);
        std::map<std::string, Field> fields;
        for (auto& field : x::to_fields(schema, found)) fields[field.key] = field;
        bool known = false;
        std::string label_text;
        CafName caf_name;
        if (auto name = departement(words, known, label_text, caf_name)) {
            fields["caf"] = layout::field_from("caf", *name, known ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED);
            fields["caf"].relation = COMPTOIR_RELATION_RIGHT;  // "Caf du …": the name follows its label
            fields["caf"].evidence_label = label_text;
            if (auto address = caf_address(words, caf_name, label_text)) fields["adresse_caf"] = *address;
        }
        if (!debt && fields.count("montant_total")) {
            // The total adds up the amounts above it: every other amount on the page.
            const auto [sum, count] = other_amounts(words, fields["montant_total"].box);
            if (count > 0) {
                fields["montant_total"].check =
                    sum == layout::cents_of(fields["montant_total"].value) ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
            }
        }

        // Checks (docs/formats.md).
        if (fields.count("numero_allocataire")) layout::check_digits(fields["numero_allocataire"], 7, 7);
        const auto ptr = [&](const char* key) { return fields.count(key) ? &fields[key] : nullptr; };
        layout::check_date_order({ptr("periode_debut"), ptr("periode_fin"), ptr("date_document")});
        for (auto& [key, field] : fields) {
            comptoir::sdk::extract::weigh_check(field);
            doc.add_field(field);
        }
    }
};

}  // namespace

COMPTOIR_PLUGIN(Caf)
