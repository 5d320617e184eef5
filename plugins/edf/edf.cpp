// The EDF plugin, id "edf": electricity bills (edf.facture). Built against the SDK alone.
// Recognises a bill by its words (labels.hpp), reads every field of DOMAIN.md with the SDK's
// layout helpers, checks what can be checked (identifier lengths, dates that make sense
// together, TTC = HT + TVA) and reads EDF's customer-service address for the letters.
#include "labels.hpp"

#include <comptoir/layout.hpp>
#include <comptoir/plugin.hpp>
#include <comptoir/twoddoc_fields.hpp>

#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace {

namespace layout = comptoir::sdk::layout;
using comptoir::sdk::Field;
using comptoir::sdk::Word;

constexpr const char* kKind = "edf.facture";

// "3 048 kWh", "311 kWh": digits just before the unit, so meter indexes are not taken.
layout::ValueParser kwh() {
    return [](const std::vector<Word>& span) -> std::optional<layout::Value> {
        for (size_t i = 0; i < span.size() && i < 8; ++i) {
            std::string t = layout::fold(span[i].text);
            const bool unit_alone = t == "kwh";
            const bool unit_glued = t.size() > 3 && t.substr(t.size() - 3) == "kwh";
            if (!unit_alone && !unit_glued) continue;
            std::string value;
            std::vector<Word> taken;
            if (unit_glued) {
                value = t.substr(0, t.size() - 3);
                taken.push_back(span[i]);
            }
            for (size_t k = i; k-- > 0;) {
                const std::string& piece = span[k].text;
                if (piece.empty() || !std::all_of(piece.begin(), piece.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) break;
                value = piece + value;
                taken.insert(taken.begin(), span[k]);
                if (value.size() >= 6) break;
            }
            if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) return std::nullopt;
            while (value.size() > 1 && value.front() == '0') value.erase(0, 1);
            return layout::value_of(value, taken);
        }
        return std::nullopt;
    };
}

bool has_postcode(const std::string& text) {
    size_t run = 0;
    for (char c : text) {
        run = std::isdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
        if (run == 5) return true;
    }
    return false;
}

// An address may wrap: "31 boulevard des Tilleuls, 56100" / "LORIENT". Lines are joined with
// ", " (DESIGN.md) until the postcode and its town have come.
std::optional<layout::Value> address(const std::vector<Word>& words) {
    for (const auto& label : layout::find_labels(words, edf::labels::kAdresse)) {
        auto first = layout::text()(layout::text_after(words, label));
        if (!first) continue;
        std::string value = first->value;
        std::vector<Word> taken = first->words;
        uint32_t line = taken.back().line_id;
        // Follow the next lines of the same block while the town is missing.
        for (int more = 0; more < 2; ++more) {
            const bool town_done = [&] {
                const size_t at = value.find_last_of("0123456789");
                return has_postcode(value) && at != std::string::npos && at + 2 < value.size();
            }();
            if (town_done) break;
            std::vector<Word> next;
            for (const auto& word : words) {
                if (word.page == taken.back().page && word.line_id == line + 1 && word.block_id == taken.back().block_id &&
                    word.box.x < taken.front().box.x + taken.front().box.width * 4) {
                    next.push_back(word);
                }
            }
            if (next.empty()) break;
            const std::string continuation = layout::joined_text(next);
            // After a postcode comes its town on the same address line: "87000 Limoges".
            const bool after_postcode = value.size() >= 5 && std::isdigit(static_cast<unsigned char>(value.back())) &&
                                        has_postcode(value.substr(value.size() - 5));
            // An address printed on one line and wrapped ("…rue de la" / "République, 68100 …")
            // goes on with a space; one printed on several lines is joined with ", " (DESIGN.md).
            const bool printed_inline = continuation.find(',') != std::string::npos;
            value += (after_postcode || printed_inline || value.back() == ',' ? " " : ", ") + continuation;
            taken.insert(taken.end(), next.begin(), next.end());
            line = next.back().line_id;
        }
        return layout::value_of(value, taken);
    }
    return std::nullopt;
}

// The bill's 2D-Doc (type 01, "facture") to the canonical fields. Its name and address lines
// are written differently from the page ("MME/SPECIMEN/NATACHA"): not compared.
using comptoir::sdk::twoddoc::As;
constexpr comptoir::sdk::twoddoc::Mapping kCode[] = {
    {"18", "numero_facture", As::identifier},
    {"19", "reference_client", As::identifier},
    {"1D", "montant_ttc", As::amount},
};

class Edf final : public comptoir::sdk::Plugin {
public:
    comptoir::sdk::Description describe() const override {
        comptoir::sdk::Description d;
        d.id = "edf";
        d.partner = "EDF";
        d.version = "1.0.0";
        d.kinds = {{kKind, "Facture d'électricité EDF"}};
        d.fields = {
            {"numero_facture", "N° de facture", COMPTOIR_FIELD_IDENTIFIER},
            {"reference_client", "Référence client", COMPTOIR_FIELD_IDENTIFIER},
            {"pdl", "Point de livraison (PDL)", COMPTOIR_FIELD_IDENTIFIER},
            {"date_facture", "Date de la facture", COMPTOIR_FIELD_DATE},
            {"date_limite_paiement", "À payer avant le", COMPTOIR_FIELD_DATE},
            {"montant_ttc", "Montant TTC", COMPTOIR_FIELD_AMOUNT},
            {"periode_debut", "Début de la période", COMPTOIR_FIELD_DATE},
            {"periode_fin", "Fin de la période", COMPTOIR_FIELD_DATE},
            {"consommation_kwh", "Consommation (kWh)", COMPTOIR_FIELD_COUNT},
            {"titulaire", "Titulaire du contrat", COMPTOIR_FIELD_NAME},
            {"adresse_consommation", "Lieu de consommation", COMPTOIR_FIELD_ADDRESS},
            {"destinataire", "Adresse du service client", COMPTOIR_FIELD_ADDRESS},
        };
        d.letters = {{"edf.delai_paiement", kKind}, {"edf.contestation", kKind}, {"edf.mediateur", kKind}, {"edf.fsl", kKind}};
        return d;
    }

    void recognise(comptoir::sdk::Document& doc) const override {
        const float score = layout::keyword_score(doc.words(), edf::labels::kKeywords);
        if (score > 0.0f) doc.add_candidate(kKind, score);
    }

    void extract(comptoir::sdk::Document& doc, std::string_view) const override {
        namespace L = edf::labels;
        const auto words = doc.words();
        std::map<std::string, Field> fields;
        const auto read = [&](const std::string& key, const L::Synonyms& synonyms, const layout::ValueParser& parse) {
            if (auto field = layout::labelled_field(words, key, synonyms, parse)) fields[key] = *field;
        };
        read("numero_facture", L::kNumeroFacture, layout::digits(9, 12));
        read("date_facture", L::kDateFacture, layout::date());
        read("reference_client", L::kReferenceClient, layout::digits(8, 14));
        read("pdl", L::kPdl, layout::digits(12, 16));
        read("date_limite_paiement", L::kDateLimite, layout::date());
        read("montant_ttc", L::kMontantTtc, layout::amount());
        read("consommation_kwh", L::kConsommation, kwh());
        read("titulaire", L::kTitulaire, layout::text());
        if (auto found = layout::labelled_value(words, L::kPeriode, layout::period())) {
            std::tie(fields["periode_debut"], fields["periode_fin"]) = layout::period_fields(found->value, "periode_debut", "periode_fin");
        }
        if (auto value = address(words)) fields["adresse_consommation"] = layout::field_from("adresse_consommation", *value);
        if (auto value = layout::labelled_value(words, L::kServiceClient, layout::text())) {
            // "Service Clients – TSA 21941 – 62978 Arras Cedex 9": an address, its lines joined
            // with ", " (DESIGN.md); the letter sets them out line by line.
            std::string lines = "EDF Service Clients";
            std::string part;
            for (const auto& word : value->value.words) {
                if (word.text == "–" || word.text == "-" || word.text == "—") {
                    if (!part.empty()) lines += ", " + part;
                    part.clear();
                } else {
                    part += (part.empty() ? "" : " ") + word.text;
                }
            }
            if (!part.empty()) lines += ", " + part;
            if (has_postcode(lines)) {
                fields["destinataire"] = layout::field_from("destinataire", value->value);
                fields["destinataire"].value = lines;
            }
        }

        // Checks (DOMAIN.md).
        if (fields.count("pdl")) layout::check_digits(fields["pdl"], 14, 14);
        if (fields.count("reference_client")) layout::check_digits(fields["reference_client"], 10, 12);
        if (fields.count("numero_facture")) layout::check_digits(fields["numero_facture"], 10, 11);
        const auto ptr = [&](const char* key) { return fields.count(key) ? &fields[key] : nullptr; };
        layout::check_date_order({ptr("periode_debut"), ptr("periode_fin")});
        layout::check_date_order({ptr("date_facture"), ptr("date_limite_paiement")});
        if (fields.count("montant_ttc")) {
            // The total appears more than once (the frame, the table's foot): the reading that
            // HT + TVA confirms wins over the first one found.
            const auto ht = layout::labelled_value(words, L::kMontantHt, layout::amount());
            // "TVA" alone, not the one of "Montant hors TVA".
            std::optional<layout::Value> tva;
            for (const auto& label : layout::find_labels(words, L::kTva)) {
                if (label.first > 0 && words[label.first - 1].line_id == label.line_id &&
                    layout::fold(words[label.first - 1].text) == "hors") {
                    continue;
                }
                if ((tva = layout::amount()(layout::right_of(words, label)))) break;
                if ((tva = layout::amount()(layout::row_of(words, label)))) break;
            }
            if (ht && tva) {
                const long long expected = layout::cents_of(ht->value.value) + layout::cents_of(tva->value);
                bool sum = layout::cents_of(fields["montant_ttc"].value) == expected;
                if (!sum) {
                    for (const auto& other : layout::labelled_values(words, L::kMontantTtc, layout::amount())) {
                        if (layout::cents_of(other.value.value) != expected) continue;
                        fields["montant_ttc"] = layout::field_from("montant_ttc", other.value);
                        sum = true;
                        break;
                    }
                }
                fields["montant_ttc"].check = sum ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
            }
        }
        for (const auto& [key, field] : fields) doc.add_field(field);
        comptoir::sdk::twoddoc::report_code_fields(doc, kCode, {"01"});
    }
};

}  // namespace

COMPTOIR_PLUGIN(Edf)
