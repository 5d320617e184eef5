// The CAF plugin's data: how the Caisses d'allocations familiales print their labels
// (docs/formats.md), the benefits and their codes, the départements (each Caf is a département's),
// and the words that tell their letters from other documents.
#pragma once

#include <comptoir/extract.hpp>
#include <comptoir/layout.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace caf::labels {

using Synonyms = std::vector<std::string>;

inline const Synonyms kCaf = {"Caisse d'allocations familiales", "Caisse d’allocations familiales", "Caf"};
inline const Synonyms kCertifie = {"Nous certifions que", "certifions que", "La Caf certifie que", "atteste que", "certifie que"};

inline const std::vector<std::pair<std::string, Synonyms>> kPrestations = {
    {"APL", {"Aide personnalisée au logement", "APL"}},
    {"ALS", {"Allocation de logement sociale", "ALS"}},
    {"ALF", {"Allocation de logement familiale", "ALF"}},
    {"AF", {"Allocations familiales", "AF"}},
    {"RSA", {"Revenu de solidarité active", "RSA"}},
    {"PPA", {"Prime d'activité", "Prime d’activité", "PPA"}},
    {"AAH", {"Allocation aux adultes handicapés", "AAH"}},
    {"CF", {"Complément familial"}},
    {"ASF", {"Allocation de soutien familial", "ASF"}},
    {"PAJE", {"Prestation d'accueil du jeune enfant", "PAJE"}},
    {"ARS", {"Allocation de rentrée scolaire", "ARS"}},
};

// The départements, as the Caf's name prints them.
inline const std::vector<std::string> kDepartements = {
    "Ain", "Aisne", "Allier", "Alpes-de-Haute-Provence", "Hautes-Alpes", "Alpes-Maritimes", "Ardèche", "Ardennes",
    "Ariège", "Aube", "Aude", "Aveyron", "Bouches-du-Rhône", "Calvados", "Cantal", "Charente", "Charente-Maritime",
    "Cher", "Corrèze", "Corse-du-Sud", "Haute-Corse", "Côte-d'Or", "Côtes-d'Armor", "Creuse", "Dordogne", "Doubs",
    "Drôme", "Eure", "Eure-et-Loir", "Finistère", "Gard", "Haute-Garonne", "Gers", "Gironde", "Hérault",
    "Ille-et-Vilaine", "Indre", "Indre-et-Loire", "Isère", "Jura", "Landes", "Loir-et-Cher", "Loire", "Haute-Loire",
    "Loire-Atlantique", "Loiret", "Lot", "Lot-et-Garonne", "Lozère", "Maine-et-Loire", "Manche", "Marne",
    "Haute-Marne", "Mayenne", "Meurthe-et-Moselle", "Meuse", "Morbihan", "Moselle", "Nièvre", "Nord", "Oise", "Orne",
    "Pas-de-Calais", "Puy-de-Dôme", "Pyrénées-Atlantiques", "Hautes-Pyrénées", "Pyrénées-Orientales", "Bas-Rhin",
    "Haut-Rhin", "Rhône", "Haute-Saône", "Saône-et-Loire", "Sarthe", "Savoie", "Haute-Savoie", "Paris",
    "Seine-Maritime", "Seine-et-Marne", "Yvelines", "Deux-Sèvres", "Somme", "Tarn", "Tarn-et-Garonne", "Var",
    "Vaucluse", "Vendée", "Vienne", "Haute-Vienne", "Vosges", "Yonne", "Territoire de Belfort", "Essonne",
    "Hauts-de-Seine", "Seine-Saint-Denis", "Val-de-Marne", "Val-d'Oise", "Guadeloupe", "Martinique", "Guyane",
    "La Réunion", "Mayotte"};

inline const std::vector<comptoir::sdk::layout::Keyword> kKeywords = {
    {{"Caisse d'allocations familiales", "Caisse d’allocations familiales", "Caf des", "Caf du", "Caf de"}, 0.35f},
    {{"caf.fr"}, 0.2f},
    {{"allocataire"}, 0.2f},
    {{"trop-perçu", "indu", "prestations", "Prestation"}, 0.15f},
    {{"Attestation de paiement", "Notification de dette", "notification de trop-perçu"}, 0.15f},
};

// A social landlord's rent notice names the housing benefit it deducts (APL, aide au logement)
// but is the landlord's (the rules module's bailleur definition): its words, and the Caf's own
// name it never prints as its issuer.
inline const Synonyms kLandlordNotice = {"Avis d'échéance", "Avis d’échéance", "Référence locataire", "Quittance de loyer",
                                         "Appel de loyer", "Échéance de loyer"};
inline const Synonyms kCafNames = {"Caisse d'allocations familiales", "Caisse d’allocations familiales", "caf.fr",
                                   "allocataire"};

// Which kind: words of the debt letter, of the attestation.
inline const Synonyms kIndu = {"trop-perçu", "Notification de dette", "Montant de l'indu", "Montant de l’indu",
                               "Somme à rembourser", "recours amiable", "indu", "dette", "rembourser", "sommes en trop",
                               "remise de dette"};
inline const Synonyms kAttestation = {"Attestation de paiement", "Nous certifions", "prestations suivantes",
                                      "Prestations versées", "Attestation", "Relevé des paiements", "Relevé de prestations",
                                      "Détail des paiements", "vaut attestation", "Relevé de vos paiements"};

namespace x = comptoir::sdk::extract;
using x::lexicon;

// The benefit a debt is about, as its code (APL, PPA…): the wording that opens the value.
inline std::optional<x::Reading> benefit(const x::Page& page, const std::vector<size_t>& span) {
    std::vector<size_t> head;
    for (size_t i : span) {
        if (head.empty() && page.folded(i).empty()) continue;  // ":"
        head.push_back(i);
        if (head.size() == 8) break;
    }
    // "Aide personnalisée au logement (APL)": the code in brackets, after the wording, says it.
    for (size_t k = 1; k < head.size(); ++k) {
        if (page.word(head[k]).text.find('(') == std::string::npos) continue;
        const std::string inner = comptoir::sdk::layout::fold(page.word(head[k]).text);
        for (const auto& entry : kPrestations) {
            if (inner != comptoir::sdk::layout::fold(entry.first)) continue;
            x::Reading r;
            r.value = entry.first;
            // The wording's words, not what another column put on its line (a date, a bar).
            for (size_t j = 0; j <= k; ++j) {
                if (!page.folded(head[j]).empty() && !x::detail::has_digit(page.word(head[j]).text)) r.words.push_back(head[j]);
            }
            r.text = x::detail::text_of(page, r.words);
            return r;
        }
    }
    std::optional<x::Reading> best;
    for (const auto& [code, wordings] : kPrestations) {
        for (const auto& wording : wordings) {
            const std::string target = comptoir::sdk::layout::fold(wording);
            std::string joined;
            for (size_t k = 0; k < head.size(); ++k) {
                joined += page.folded(head[k]);
                if (joined.size() > target.size() + 2) break;
                const size_t tolerated = target.size() <= 4 ? 0 : target.size() / 6;
                if (joined.size() + tolerated < target.size()) continue;
                if (comptoir::sdk::layout::distance(joined, target) <= tolerated && (!best || k + 1 > best->words.size())) {
                    x::Reading r;
                    r.value = code;
                    r.words.assign(head.begin(), head.begin() + static_cast<long>(k + 1));
                    r.text = x::detail::text_of(page, r.words);
                    best = r;
                }
            }
        }
    }
    return best;
}

// The fields of both kinds of Caf letter; `debt`: a notification of overpayment (caf.indu),
// else a payment attestation.
inline x::Schema schema(bool debt) {
    x::Schema s;
    x::FieldSpec f;

    f = {};
    f.key = "numero_allocataire";
    f.type = x::Type::identifier;
    f.min_length = 6;
    f.max_length = 9;
    f.labels = lexicon({"Votre numéro allocataire", "Numéro d'allocataire", "Numéro d’allocataire", "N° d'allocataire", "N° d’allocataire",
                        "N° allocataire", "Numéro allocataire", "Référence allocataire", "N° de dossier", "Dossier n°",
                        "Votre numéro d'allocataire", "Numéro de dossier", "Réf. allocataire", "N° d'allocataire Caf",
                        "Identifiant allocataire", "Matricule", "Votre référence", "Numéro CAF", "N° CAF", "Vos références",
                        "Votre numéro de dossier", "Réf. dossier", "Référence dossier", "Votre référence dossier",
                        "Numéro de bénéficiaire", "N° de bénéficiaire", "Identifiant Caf", "Code allocataire", "Numéro de compte allocataire"});
    f.stems = {{"allocataire", 0.7f}, {"dossier", 0.7f}, {"matricule", 1.0f}, {"numero", 0.4f}, {"no", 0.4f}, {"reference", 0.4f}, {"ref", 0.4f}, {"identifiant", 0.4f}, {"caf", 0.2f}};
    s.fields.push_back(f);

    f = {};
    f.key = "allocataire";
    f.type = x::Type::name;
    f.relations = x::kLabelled | x::bit(x::Relation::address_window);
    f.labels = lexicon({"Bénéficiaire", "Allocataire", "Nom de l'allocataire", "Nom du bénéficiaire", "Nous certifions que",
                        "certifions que", "La Caf certifie que", "certifie que", "atteste que", "Nom et prénom", "Vous êtes",
                        "Destinataire", "Nom de l'allocataire ou du bénéficiaire", "Titulaire du dossier", "Attestation établie pour", "Au nom de",
                        "Allocataire bénéficiaire", "Personne concernée", "Débiteur", "Allocataire concerné"}) +
               lexicon({"Nom", "Concerne"}, 0.6f);
    f.stems = {{"allocataire", 0.6f}, {"beneficiaire", 0.7f}, {"nom", 0.4f}, {"prenom", 0.4f}, {"titulaire", 0.6f}, {"concerne", 0.5f}, {"debiteur", 0.8f}, {"destinataire", 0.6f}};
    s.fields.push_back(f);

    f = {};
    f.key = "date_document";
    f.type = x::Type::date;
    f.labels = lexicon({"Date", "Édité le", "Notifié le", "Établi le", "Fait le", "Date du courrier", "Date d'édition", "Date de la notification",
                        "Courrier du", "Date d'envoi", "Émis le", "Date de l'attestation", "Attestation établie le", "Envoyé le",
                        "Date de la décision", "Décision du", "Date d'émission", "Délivré le", "Date du document", "Imprimé le",
                        "Date de notification", "Notification du"}) +
                lexicon({"le"}, 0.55f);  // "Marseille, le 07/01/2022"
    f.stems = {{"date", 0.4f}, {"edit", 0.6f}, {"emis", 0.6f}, {"emission", 0.6f}, {"etabli", 0.6f}, {"notifi", 0.6f}, {"courrier", 0.5f}, {"delivre", 0.6f}, {"imprime", 0.6f}, {"le", 0.1f}};
    s.fields.push_back(f);

    s.fields.push_back(x::others(lexicon({"Retenue mensuelle", "Retenue sur prestations", "Montant de la retenue", "Remboursement mensuel",
                                          "Montant versé", "Somme versée", "Droit recalculé", "Droit réel", "Dossier suivi par",
                                          "Votre conseiller"})));
    if (debt) {
        f = {};
        f.key = "montant_indu";
        f.type = x::Type::amount;
        f.labels = lexicon({"Montant total du trop-perçu", "Montant du trop-perçu", "Montant de l'indu", "Montant de l’indu", "Somme à rembourser",
                            "Montant de la dette", "Vous devez rembourser", "Montant à rembourser", "Total de l'indu", "Total du trop-perçu",
                            "Trop-perçu total", "Montant réclamé", "Solde de la dette", "Dette totale", "Montant total de la dette",
                            "Montant total de l'indu", "Somme due", "Reste dû", "Total à rembourser", "Indu total",
                            "Montant de votre dette", "Somme à régler", "Total de la dette", "Reste à rembourser",
                            "Montant restant dû", "Solde restant dû", "Montant de la créance", "Montant de votre créance", "Montant à récupérer",
                            "Total des sommes indûment perçues", "Somme indûment perçue", "Sommes versées à tort", "Montant versé à tort",
                            "Vous restez devoir", "Vous nous devez", "Montant de la récupération", "Montant total à rembourser"}) +
                   lexicon({"Montant dû", "Trop-perçu"}, 0.6f);
        f.stems = {{"indu", 0.9f}, {"trop", 0.5f}, {"percu", 0.4f}, {"rembours", 0.8f}, {"dette", 0.8f}, {"montant", 0.2f}, {"total", 0.2f}, {"somme", 0.2f}, {"reclame", 0.6f}, {"recuperer", 0.6f}, {"creance", 0.8f}, {"indument", 0.8f}, {"tort", 0.6f}, {"devoir", 0.5f}, {"recuper", 0.6f}};
    s.fields.push_back(f);

        f = {};
        f.key = "prestation";
        f.type = x::Type::text;
        f.relations = x::bit(x::Relation::right) | x::bit(x::Relation::below);
        f.parse = benefit;
        f.labels = lexicon({"Prestation concernée", "Prestation", "votre droit à", "Nature de la prestation", "Type de prestation",
                            "Aide concernée", "Allocation concernée", "au titre de", "Prestation en cause", "Droit concerné",
                            "Nature de l'aide", "Prestation(s) concernée(s)", "Objet de la dette", "Nature de l'indu",
                            "Prestation recalculée", "Origine de la dette"}) +
                   lexicon({"Objet"}, 0.5f);
        f.stems = {{"prestation", 0.7f}, {"allocation", 0.5f}, {"aide", 0.5f}, {"droit", 0.4f}, {"nature", 0.4f}, {"concerne", 0.4f}, {"type", 0.3f}};
    s.fields.push_back(f);

        f = {};
        f.key = "periode";
        f.type = x::Type::period;
        f.start_key = "periode_debut";
        f.end_key = "periode_fin";
        f.labels = lexicon({"Période concernée", "Période", "pour la période", "Période de l'indu", "Période du trop-perçu", "Période de la dette",
                            "Mois concernés", "Période de versement", "Période en cause", "Pour la période du", "Période d'indu",
                            "Période recalculée", "Droits recalculés"}) +
                   lexicon({"Sommes versées", "Versements"}, 0.6f) +
                   lexicon({"du"}, 0.45f);
        f.stems = {{"periode", 0.7f}, {"mois", 0.5f}, {"concerne", 0.3f}, {"indu", 0.3f}, {"versement", 0.3f}, {"du", 0.2f}};
    s.fields.push_back(f);
        s.constraints = {{x::Constraint::Kind::before, {"periode", "date_document"}, 0.15f, false}};
    } else {
        f = {};
        f.key = "montant_total";
        f.type = x::Type::amount;
        f.labels = lexicon({"Total des sommes versées", "Total versé sur la période", "Montant total sur la période", "Total sur la période",
                            "Montant total", "Total versé", "Total des prestations versées", "Montant total versé", "Total des paiements",
                            "Somme totale versée", "Total général", "Total des versements", "Montant total des prestations",
                            "Total perçu", "Montant total perçu", "Total des montants versés", "Somme totale", "Total des prestations",
                            "Cumul des versements", "Total payé", "Total des prestations versées", "Montant total des paiements",
                            "Total de la période", "Total général versé", "Montant cumulé", "Somme des versements", "Total net versé",
                            "Montant net versé", "Total net payé"}) +
                   lexicon({"Total"}, 0.6f);
        f.stems = {{"total", 0.6f}, {"montant", 0.3f}, {"verse", 0.5f}, {"percu", 0.5f}, {"paye", 0.5f}, {"somme", 0.3f}, {"cumul", 0.7f}, {"prestations", 0.3f}, {"paiements", 0.4f}, {"cumul", 0.7f}, {"versements", 0.5f}};
    s.fields.push_back(f);
    }
    return s;
}

}  // namespace caf::labels
