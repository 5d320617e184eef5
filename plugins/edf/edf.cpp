// The EDF plugin, id "edf": electricity bills (edf.facture) and attestations de titulaire de
// contrat (edf.attestation, which ask for no money: no letter). Built against the SDK alone.
// Recognises a bill by its words (labels.hpp), an attestation by its title and what it lacks (an
// amount, a due date), and another company's bill (telephone, water, another energy supplier)
// by its name, never EDF's. Reads every field of docs/formats.md with the SDK's
// extraction engine from the fields declared in labels.hpp, checks what can be checked
// (identifier lengths, dates that make sense together, TTC = HT + TVA) and reads EDF's
// customer-service address whole for the letters (code: its one line is EDF's own way of
// printing an address).
#include "labels.hpp"

#include <comptoir/extract.hpp>
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
constexpr const char* kAttestation = "edf.attestation";

// EDF's customer-service address, printed on one line after "Service Clients" in the header:
// "Service Clients – TSA 21941 – 62978 Arras Cedex 9" (Arras, Nantes…). Read whole, as an
// address (docs/formats.md: its lines joined with ", "): "EDF Service Clients", the sorting
// line (TSA, CS, BP) when there is one, the postcode and town — Cedex as printed. OCR may read
// the dashes as "-", lose them or glue them to a number: the parts are found by what they are,
// not by the dashes. No postcode and town, no field: a letter to "TSA 21941" goes nowhere.
std::optional<Field> service_address(const std::vector<Word>& words) {
    for (const auto& label : layout::find_labels(words, edf::labels::kServiceClient)) {
        for (const bool wrapped : {false, true}) {
            const auto rest = wrapped ? layout::right_of_wrapped(words, label) : layout::right_of(words, label);
            std::vector<Word> line;
            for (const auto& w : rest) {
                Word part = w;
                part.text = layout::detail::undashed(w.text);
                if (!layout::detail::is_dash(part.text)) line.push_back(part);
            }
            const auto town = layout::postcode_town(line);
            if (!town) continue;
            std::vector<std::vector<Word>> lines;
            for (size_t i = 0; i + 1 < town->postcode; ++i) {
                const std::string kind = layout::fold(line[i].text);
                if (kind != "tsa" && kind != "cs" && kind != "bp") continue;
                lines.push_back({line[i], line[i + 1]});  // "TSA 21941"
                break;
            }
            lines.emplace_back(line.begin() + static_cast<long>(town->postcode), line.begin() + static_cast<long>(town->end));
            const std::vector<Word> label_words(words.begin() + static_cast<long>(label.first), words.begin() + static_cast<long>(label.last + 1));
            auto all = label_words;
            for (const auto& l : lines) all.insert(all.end(), l.begin(), l.end());
            Field field = layout::field_from("adresse_service_client", layout::value_of("EDF Service Clients, " + layout::address_of(lines), all));
            field.relation = COMPTOIR_RELATION_RIGHT;
            field.evidence_label = layout::joined_text(label_words);
            return field;
        }
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
        d.kinds = {{kKind, "Facture d'électricité EDF"}, {kAttestation, "Attestation de titulaire de contrat EDF"}};
        d.fields = {
            {"numero_facture", "N° de facture", COMPTOIR_FIELD_IDENTIFIER, 10, 11, COMPTOIR_ALPHABET_DIGITS},
            {"reference_client", "Référence client", COMPTOIR_FIELD_IDENTIFIER, 10, 12, COMPTOIR_ALPHABET_DIGITS},
            {"pdl", "Point de livraison (PDL)", COMPTOIR_FIELD_IDENTIFIER, 14, 14, COMPTOIR_ALPHABET_DIGITS},
            {"date_facture", "Date de la facture", COMPTOIR_FIELD_DATE},
            {"date_limite_paiement", "À payer avant le", COMPTOIR_FIELD_DATE},
            {"montant_ttc", "Montant TTC", COMPTOIR_FIELD_AMOUNT},
            {"periode_debut", "Début de la période", COMPTOIR_FIELD_DATE},
            {"periode_fin", "Fin de la période", COMPTOIR_FIELD_DATE},
            {"consommation_kwh", "Consommation (kWh)", COMPTOIR_FIELD_COUNT},
            {"titulaire", "Titulaire du contrat", COMPTOIR_FIELD_NAME},
            {"adresse_consommation", "Lieu de consommation", COMPTOIR_FIELD_ADDRESS},
            {"adresse_service_client", "Adresse du service client", COMPTOIR_FIELD_ADDRESS},
            {"date_attestation", "Date de l'attestation", COMPTOIR_FIELD_DATE},
        };
        d.letters = {{"edf.delai_paiement", kKind}, {"edf.contestation", kKind}, {"edf.mediateur", kKind}, {"edf.fsl", kKind}};
        return d;
    }

    void recognise(comptoir::sdk::Document& doc) const override {
        // Its words (EDF, kWh, a delivery point…) and how many of a bill's labels it prints.
        static const comptoir::sdk::extract::Schema schema = edf::labels::schema();
        const auto words = doc.words();
        namespace L = edf::labels;
        namespace x = comptoir::sdk::extract;
        // Labels alone do not make a bill: a page with none of its words is not EDF's.
        const float keywords = layout::keyword_score(words, L::kKeywords);
        if (keywords <= 0.0f) return;
        // Another company's bill (its name printed, EDF's nowhere) is not EDF's, however alike.
        if (layout::find_label(words, L::kOtherSuppliers) && !layout::find_label(words, L::kEdfNames)) return;
        // A bill that never names EDF (a supplier the list does not know, or OCR that missed
        // every "EDF" on a poor photo) is offered below the host's threshold: the mediator may
        // choose it, it is never claimed on its own — a letter to EDF about another company's
        // bill is worse than a kind to pick.
        const float ceiling = layout::find_label(words, L::kEdfNames) ? 1.0f : 0.45f;
        const float score = std::min(ceiling, keywords + 0.5f * x::label_coverage(schema, words));
        // An attestation says so and prints at most one of a bill's own labels by chance.
        const auto labelled = x::labelled_keys(schema, words, 0.75f);
        const auto bill_labels = std::count_if(L::kBillOnly.begin(), L::kBillOnly.end(), [&](const std::string& key) { return labelled.count(key) > 0; });
        if (bill_labels < 2 && layout::find_label(words, L::kAttestationTitle)) {
            static const x::Schema attestation = L::attestation_schema();
            doc.add_candidate(kAttestation, std::max(score, std::min(1.0f, keywords + 0.5f * x::label_coverage(attestation, words))));
            doc.add_candidate(kKind, 0.4f * score);
            return;
        }
        doc.add_candidate(kKind, score);
    }

    void extract(comptoir::sdk::Document& doc, std::string_view kind) const override {
        namespace L = edf::labels;
        namespace x = comptoir::sdk::extract;
        const auto words = doc.words();
        if (kind == kAttestation) {
            extract_attestation(doc, words);
            return;
        }
        static const x::Schema schema = L::schema();
        const auto found = x::run(schema, words);
        for (const auto& u : x::unread(schema, words, found)) doc.ask_again(u.page, u.region);
        std::map<std::string, Field> fields;
        for (auto& field : x::to_fields(schema, found)) fields[field.key] = field;
        if (auto address = service_address(words)) fields["adresse_service_client"] = *address;

        // Checks (docs/formats.md).
        if (fields.count("pdl")) layout::check_digits(fields["pdl"], 14, 14);
        if (fields.count("reference_client")) layout::check_digits(fields["reference_client"], 10, 12);
        if (fields.count("numero_facture")) layout::check_digits(fields["numero_facture"], 10, 11);
        const auto ptr = [&](const char* key) { return fields.count(key) ? &fields[key] : nullptr; };
        layout::check_date_order({ptr("periode_debut"), ptr("periode_fin")});
        layout::check_date_order({ptr("date_facture"), ptr("date_limite_paiement")});
        // TTC = HT + TVA where both are printed: the engine chose the total that adds up.
        for (const auto& f : found) {
            if (f.key == "montant_ttc" && fields.count("montant_ttc") && (f.constrained || f.contradicted)) {
                const bool sum_known = std::any_of(found.begin(), found.end(), [](const x::Found& o) { return o.key == "montant_ht"; }) &&
                                       std::any_of(found.begin(), found.end(), [](const x::Found& o) { return o.key == "tva"; });
                if (sum_known) fields["montant_ttc"].check = f.contradicted ? COMPTOIR_CHECK_FAILED : COMPTOIR_CHECK_OK;
            }
        }
        for (auto& [key, field] : fields) {
            comptoir::sdk::extract::weigh_check(field);
            doc.add_field(field);
        }
        comptoir::sdk::twoddoc::report_code_fields(doc, kCode, {"01"});
    }

private:
    // The attestation's fields, with the same checks as a bill's identifiers.
    static void extract_attestation(comptoir::sdk::Document& doc, const std::vector<Word>& words) {
        namespace x = comptoir::sdk::extract;
        static const x::Schema schema = edf::labels::attestation_schema();
        const auto found = x::run(schema, words);
        for (const auto& u : x::unread(schema, words, found)) doc.ask_again(u.page, u.region);
        auto fields = x::to_fields(schema, found);
        if (auto address = service_address(words)) fields.push_back(*address);  // printed in its header too
        for (auto& field : fields) {
            if (field.key == "pdl") layout::check_digits(field, 14, 14);
            if (field.key == "reference_client") layout::check_digits(field, 10, 12);
            x::weigh_check(field);
            doc.add_field(field);
        }
    }
};

}  // namespace

COMPTOIR_PLUGIN(Edf)
