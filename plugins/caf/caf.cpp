// The CAF plugin, id "caf": the letters of the Caisses d'allocations familiales, payment
// attestations (caf.attestation_paiement) and debt notifications (caf.indu). Built against the
// SDK alone. Recognises a Caf letter by its words and tells the two kinds apart (labels.hpp),
// reads every field of DOMAIN.md with the SDK's layout helpers, and checks what can be checked:
// the allocataire number's length, the Caf's département against the list of départements
// (which also puts back the accents OCR drops), dates in order, an attestation's total against
// the amounts it adds up.
#include "labels.hpp"

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

bool is_postcode(const std::string& text) {
    return text.size() == 5 && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool is_civility(const Word& word) {
    const std::string folded = layout::fold(word.text);
    // "Madame, Monsieur," is the letter's greeting, not a name.
    if (!word.text.empty() && word.text.back() == ',') return false;
    return folded == "madame" || folded == "monsieur" || folded == "mme" || folded == "m" || folded == "mlle" ||
           folded == "mademoiselle";
}

// The allocataire as the envelope's window prints it: a line that starts with a civility,
// followed within three lines, at the same left edge, by a postcode.
std::optional<layout::Value> window_name(const std::vector<Word>& words) {
    for (size_t i = 0; i < words.size(); ++i) {
        if (!is_civility(words[i])) continue;
        const Word& start = words[i];
        std::vector<Word> line;
        for (size_t k = i; k < words.size() && words[k].page == start.page && words[k].line_id == start.line_id; ++k) {
            line.push_back(words[k]);
        }
        auto name = layout::text()(line);
        if (!name || name->words.size() < 2 || name->words.size() > 7) continue;
        bool postcode = false;
        for (const auto& word : words) {
            if (word.page != start.page || word.line_id <= start.line_id || word.line_id > start.line_id + 3) continue;
            if (std::abs(word.box.x - start.box.x) > 2 * start.box.height) continue;
            if (is_postcode(word.text)) postcode = true;
        }
        if (postcode) return name;
    }
    return std::nullopt;
}

// The name between "Nous certifions que" and "a perçu".
std::optional<layout::Value> certified_name(const std::vector<Word>& words) {
    for (const auto& label : layout::find_labels(words, caf::labels::kCertifie)) {
        std::vector<Word> taken;
        for (const auto& word : layout::right_of(words, label)) {
            if (layout::fold(word.text) == "a") break;  // "a perçu"
            taken.push_back(word);
        }
        if (taken.size() >= 2 && taken.size() <= 7) return layout::value_of(layout::joined_text(taken), taken);
    }
    return std::nullopt;
}

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
std::optional<layout::Value> departement(const std::vector<Word>& words, bool& known) {
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
        known = best && best_distance <= std::max<size_t>(1, folded.size() / 5);
        if (known) value.value = *best;
        return value;
    }
    return std::nullopt;
}

// The letter's date: "Marseille, le 07/01/2022", "Le 7 janvier 2022", or labelled "Date".
std::optional<layout::Value> letter_date(const std::vector<Word>& words) {
    for (size_t i = 0; i < words.size(); ++i) {
        if (layout::fold(words[i].text) != "le") continue;
        const bool line_start = i == 0 || words[i - 1].line_id != words[i].line_id || words[i - 1].page != words[i].page;
        const bool after_town = !line_start && !words[i - 1].text.empty() && words[i - 1].text.back() == ',';
        if (!line_start && !after_town) continue;
        std::vector<Word> rest;
        for (size_t k = i + 1; k < words.size() && words[k].line_id == words[i].line_id && words[k].page == words[i].page; ++k) {
            rest.push_back(words[k]);
        }
        if (auto value = layout::date()(rest)) return value;
    }
    if (auto found = layout::labelled_value(words, caf::labels::kDate, layout::date())) return found->value;
    return std::nullopt;
}

// The benefit a debt is about, as its code (APL, PPA…): the wording right after "Prestation :"
// or "votre droit à".
std::optional<layout::Value> benefit(const std::vector<Word>& words) {
    for (const auto& label : layout::find_labels(words, caf::labels::kPrestation)) {
        auto span = layout::right_of(words, label);
        while (!span.empty() && layout::fold(span.front().text).empty()) span.erase(span.begin());  // ":"
        if (span.empty()) continue;
        const std::vector<Word> head(span.begin(), span.begin() + static_cast<long>(std::min<size_t>(span.size(), 8)));
        std::optional<layout::Value> best;
        for (const auto& [code, wordings] : caf::labels::kPrestations) {
            for (const auto& match : layout::find_labels(head, wordings)) {
                if (match.first > 0) continue;  // the wording opens the value
                const std::vector<Word> taken(head.begin() + static_cast<long>(match.first),
                                              head.begin() + static_cast<long>(match.last + 1));
                if (!best || taken.size() > best->words.size()) best = layout::value_of(code, taken);
            }
        }
        if (best) return best;
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

class Caf final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description d;
        d.id = "caf";
        d.partner = "Caf";
        d.version = "1.0.0";
        d.kinds = {{kAttestation, "Attestation de paiement de la Caf"}, {kIndu, "Notification de trop-perçu (indu) de la Caf"}};
        d.fields = {
            {"numero_allocataire", "N° allocataire", COMPTOIR_FIELD_IDENTIFIER},
            {"allocataire", "Allocataire", COMPTOIR_FIELD_NAME},
            {"date_document", "Date du courrier", COMPTOIR_FIELD_DATE},
            {"caf", "Caf (département)", COMPTOIR_FIELD_TEXT},
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
        const auto words = doc.words();
        const float score = layout::keyword_score(words, caf::labels::kKeywords);
        if (score <= 0.0f) return;
        // Which of the two: the wording of a debt against the wording of an attestation.
        size_t indu = 0;
        size_t attestation = 0;
        for (const auto& wording : caf::labels::kIndu) indu += layout::find_labels(words, {wording}).size();
        for (const auto& wording : caf::labels::kAttestation) attestation += layout::find_labels(words, {wording}).size();
        const bool debt = indu > attestation;
        doc.add_candidate(debt ? kIndu : kAttestation, score);
        if (indu > 0 && attestation > 0) doc.add_candidate(debt ? kAttestation : kIndu, score / 2);
    }

    void extract(comptoir::sdk::Document& doc, std::string_view kind) const override {
        namespace L = caf::labels;
        const auto words = doc.words();
        const bool debt = kind == kIndu;
        std::map<std::string, Field> fields;
        if (auto field = layout::labelled_field(words, "numero_allocataire", L::kNumeroAllocataire, layout::digits(6, 9))) {
            fields["numero_allocataire"] = *field;
        }
        if (auto name = window_name(words)) {
            fields["allocataire"] = layout::field_from("allocataire", *name);
        } else if (auto certified = certified_name(words)) {
            fields["allocataire"] = layout::field_from("allocataire", *certified);
        } else if (auto field = layout::labelled_field(words, "allocataire", L::kBeneficiaire, layout::text())) {
            fields["allocataire"] = *field;
        }
        if (auto date = letter_date(words)) fields["date_document"] = layout::field_from("date_document", *date);
        bool known = false;
        if (auto name = departement(words, known)) {
            fields["caf"] = layout::field_from("caf", *name, known ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED);
        }
        if (debt) {
            // The amount on its label's line first ("Somme à rembourser  109,98 €", the table's
            // last row), before one under a label: a table's headers "Montant dû | Trop-perçu"
            // read as one line spell "Montant du trop-perçu" above the first month's amount.
            for (const auto& label : layout::find_labels(words, L::kMontantIndu)) {
                if (auto value = layout::amount()(layout::right_of(words, label))) {
                    fields["montant_indu"] = layout::field_from("montant_indu", *value);
                    fields["montant_indu"].confidence *= std::max(0.0f, 1.0f - 0.1f * static_cast<float>(label.errors));
                    break;
                }
            }
            if (!fields.count("montant_indu")) {
                if (auto field = layout::labelled_field(words, "montant_indu", L::kMontantIndu, layout::amount())) {
                    fields["montant_indu"] = *field;
                }
            }
            if (auto code = benefit(words)) fields["prestation"] = layout::field_from("prestation", *code);
            // "période du 1er septembre 2022 au" / "31 octobre 2022": the period may wrap.
            for (const auto& label : layout::find_labels(words, L::kPeriode)) {
                const auto period = layout::period()(layout::right_of_wrapped(words, label));
                if (!period) continue;
                std::tie(fields["periode_debut"], fields["periode_fin"]) = layout::period_fields(*period, "periode_debut", "periode_fin");
                break;
            }
        } else if (auto field = layout::labelled_field(words, "montant_total", L::kMontantTotal, layout::amount())) {
            fields["montant_total"] = *field;
            // The total adds up the amounts above it: every other amount on the page.
            const auto [sum, count] = other_amounts(words, field->box);
            if (count > 0) {
                fields["montant_total"].check = sum == layout::cents_of(field->value) ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
            }
        }

        // Checks (DOMAIN.md).
        if (fields.count("numero_allocataire")) layout::check_digits(fields["numero_allocataire"], 7, 7);
        const auto ptr = [&](const char* key) { return fields.count(key) ? &fields[key] : nullptr; };
        layout::check_date_order({ptr("periode_debut"), ptr("periode_fin"), ptr("date_document")});
        for (const auto& [key, field] : fields) doc.add_field(field);
    }
};

}  // namespace

COMPTOIR_PLUGIN(Caf)
