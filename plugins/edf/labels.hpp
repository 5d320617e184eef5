// The EDF plugin's data: each field of an electricity bill declared for the SDK's extraction
// engine (comptoir/extract.hpp) — its type, the wordings of its label on bills of EDF and of
// other suppliers, and the relations between fields — and the words that tell an electricity
// bill from another document. Kept apart from the code so that a new wording seen on a bill is
// one line here.
#pragma once

#include <comptoir/extract.hpp>
#include <comptoir/layout.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace edf::labels {

namespace x = comptoir::sdk::extract;
using x::lexicon;

// The bill's fields (docs/formats.md) and, not reported, what the checks between them need.
inline x::Schema schema() {
    x::Schema s;
    x::FieldSpec f;

    f = {};
    f.key = "numero_facture";
    f.type = x::Type::identifier;
    f.min_length = 9;
    f.max_length = 12;
    f.labels = lexicon({"N° de facture", "Facture n°", "Numéro de facture", "N° facture", "Numéro facture", "Facture numéro",
                        "Référence de la facture", "Réf. facture", "Référence facture", "No de facture", "Nº de facture",
                        "N° de votre facture", "Numéro de la facture", "Votre facture n°", "N° de la facture", "Identifiant de facture"}) +
               lexicon({"n°"}, 0.5f);
    f.stems = {{"facture", 0.6f}, {"numero", 0.4f}, {"no", 0.4f}, {"ref", 0.3f}, {"identifiant", 0.3f}};
    s.fields.push_back(f);

    f = {};
    f.key = "reference_client";
    f.type = x::Type::identifier;
    f.min_length = 8;
    f.max_length = 14;
    f.labels = lexicon({"Votre référence client", "Référence client", "Réf. client", "N° client", "Numéro client", "Compte client",
                        "Compte de facturation", "N° de client", "Numéro de client", "Identifiant client", "Votre numéro client",
                        "N° de compte client", "Numéro de compte client", "Référence du compte", "Réf. compte",
                        "N° de compte de facturation", "Votre compte client", "Référence de votre compte", "Numéro de compte", "Code client", "N° d'abonné", "Numéro d'abonné",
                        "Référence abonné", "Compte n°", "Compte contrat", "N° compte client", "Votre n° client", "Votre n° de client"});
    f.stems = {{"client", 0.7f}, {"compte", 0.6f}, {"abonne", 0.6f}, {"reference", 0.4f}, {"ref", 0.4f}, {"numero", 0.3f}, {"no", 0.3f}, {"identifiant", 0.4f}, {"contrat", 0.2f}};
    s.fields.push_back(f);

    f = {};
    f.key = "pdl";
    f.type = x::Type::identifier;
    f.min_length = 14;
    f.max_length = 14;
    f.relations = x::kLabelled | x::bit(x::Relation::shape);
    f.labels = lexicon({"Point de référence et mesure (PRM)", "Point de référence et mesure", "N° de point de livraison", "Point de livraison",
                        "Référence acheminement", "N° PRM", "PRM", "PDL", "N° PDL", "Point de livraison (PDL)", "Numéro de PRM",
                        "Identifiant du point de livraison", "Référence du point de livraison", "Réf. acheminement",
                        "Référence d'acheminement", "Numéro de point de livraison", "Identifiant PRM", "Point de comptage",
                        "N° du point de livraison", "Réf. PDL", "Référence PDL", "Référence PRM", "Numéro PDL", "N° de PDL"});
    f.stems = {{"livraison", 0.8f}, {"acheminement", 0.8f}, {"comptage", 0.7f}, {"prm", 0.8f}, {"pdl", 0.8f}, {"point", 0.3f}, {"mesure", 0.4f}, {"reference", 0.2f}, {"identifiant", 0.2f}, {"numero", 0.2f}, {"compteur", 0.3f}};
    s.fields.push_back(f);

    // A company's 14-digit SIRET is never the delivery point.
    f = {};
    f.key = "siret";
    f.type = x::Type::identifier;
    f.min_length = 14;
    f.max_length = 14;
    f.report = false;
    f.labels = lexicon({"SIRET", "N° SIRET", "Siret"});
    s.fields.push_back(f);

    f = {};
    f.key = "date_facture";
    f.type = x::Type::date;
    f.labels = lexicon({"Date de facture", "Date de la facture", "Date d'émission", "Facture du", "Émise le", "Facture émise le",
                        "Date d'édition", "Édité le", "Éditée le", "Date de facturation", "Facturé le", "Établie le",
                        "Date d'établissement", "Facture établie le"}) +
                lexicon({"Date"}, 0.45f);
    f.stems = {{"facture", 0.5f}, {"emis", 0.6f}, {"emission", 0.6f}, {"edit", 0.6f}, {"etabli", 0.6f}, {"date", 0.4f}, {"le", 0.1f}, {"du", 0.1f}};
    s.fields.push_back(f);

    f = {};
    f.key = "date_limite_paiement";
    f.type = x::Type::date;
    f.labels = lexicon({"à payer avant le", "Date limite de paiement", "À régler avant le", "Date d'échéance", "Échéance",
                        "À payer au plus tard le", "Date limite", "À régler au plus tard le", "Payable avant le",
                        "Date de prélèvement", "Prélevé le", "sera prélevé le", "Prélèvement le", "Date limite de règlement",
                        "À payer le", "Date de paiement", "Paiement avant le", "Montant prélevé à partir du", "Date d'exigibilité", "Exigible le",
                        "Payable au plus tard le", "Montant à régler avant le", "Réglez avant le", "Paiement au plus tard le", "À régler le",
                        "Date de règlement", "Prélèvement prévu le", "Date de prélèvement prévue", "Prélevé à partir du",
                        "Vous serez prélevé le", "Échéance de paiement", "Date d'échéance de paiement", "Montant à payer avant le",
                        "À payer avant"}) +
                lexicon({"à partir du"}, 0.7f);  // "…prélèvement automatique … à partir du"
    f.stems = {{"limite", 0.6f}, {"paiement", 0.5f}, {"payer", 0.5f}, {"payable", 0.6f}, {"regl", 0.5f}, {"echeance", 0.8f}, {"exigib", 0.8f}, {"acquitt", 0.7f}, {"prelev", 0.5f}, {"avant", 0.4f}, {"tard", 0.4f}, {"date", 0.2f}, {"jusqu", 0.4f}};
    s.fields.push_back(f);

    f = {};
    f.key = "montant_ttc";
    f.type = x::Type::amount;
    f.relations = x::kLabelled;
    f.labels = lexicon({"Montant à payer (TTC)", "Total à payer TTC", "à payer (TTC)", "Montant total TTC", "Facture TTC", "Montant TTC",
                        "Total TTC", "Montant à payer", "Total à payer", "Net à payer", "Montant de votre facture",
                        "Montant total de votre facture", "Total facture TTC", "Somme à payer", "Montant total à payer",
                        "Total de votre facture", "Montant total", "Total facture", "Vous devez", "Montant à régler",
                        "Solde à payer", "Total toutes taxes comprises", "Montant toutes taxes comprises", "Total de la facture"});
    f.stems = {{"ttc", 0.8f}, {"payer", 0.5f}, {"regler", 0.5f}, {"total", 0.4f}, {"montant", 0.3f}, {"net", 0.3f}, {"facture", 0.2f}, {"taxes", 0.2f}, {"comprises", 0.3f}, {"solde", 0.3f}, {"somme", 0.2f}};
    s.fields.push_back(f);

    f = {};
    f.key = "montant_ht";
    f.type = x::Type::amount;
    f.report = false;
    f.labels = lexicon({"Montant hors TVA", "Total HT", "Montant HT", "Total hors taxes", "Sous-total HT", "Total hors TVA",
                        "Montant hors taxes"});
    s.fields.push_back(f);

    f = {};
    f.key = "tva";
    f.type = x::Type::amount;
    f.report = false;
    f.labels = lexicon({"TVA", "Total TVA", "Montant TVA", "Montant de la TVA", "Total de la TVA"});
    s.fields.push_back(f);

    f = {};
    f.key = "periode";
    f.type = x::Type::period;
    f.start_key = "periode_debut";
    f.end_key = "periode_fin";
    f.labels = lexicon({"Période de consommation du", "Votre consommation du", "Consommation facturée du", "Période de consommation",
                        "Période facturée", "Période de facturation", "Consommation du", "Période", "Période concernée",
                        "Consommation facturée", "Relevé du", "Facturation du", "Votre consommation", "Consommation de la période", "Période de relevé"}) +
               lexicon({"Facturation", "Consommations"}, 0.7f) + lexicon({"Relevé", "Consommation"}, 0.5f) + lexicon({"du"}, 0.45f);
    f.stems = {{"periode", 0.7f}, {"consommation", 0.4f}, {"factur", 0.4f}, {"releve", 0.4f}, {"du", 0.2f}};
    s.fields.push_back(f);

    f = {};
    f.key = "consommation_kwh";
    f.type = x::Type::count;
    f.unit = "kwh";
    f.relations = x::kLabelled | x::bit(x::Relation::shape);
    f.labels = lexicon({"Consommation totale", "Consommation", "Votre consommation", "Consommation facturée", "Énergie consommée",
                        "Total consommé", "Quantité consommée", "Consommation de la période", "Consommation relevée",
                        "Consommation estimée", "Électricité consommée"});
    f.stems = {{"consomm", 0.7f}, {"energie", 0.4f}, {"electricite", 0.3f}, {"total", 0.2f}, {"quantite", 0.4f}, {"kwh", 0.5f}};
    s.fields.push_back(f);

    f = {};
    f.key = "titulaire";
    f.type = x::Type::name;
    f.relations = x::kLabelled | x::bit(x::Relation::address_window);
    f.labels = lexicon({"Titulaire du contrat", "Titulaire", "Nom du titulaire", "Souscripteur", "Titulaire de l'abonnement",
                        "Au nom de", "Client", "Nom du client", "Contrat au nom de", "Abonné", "Bénéficiaire", "Titulaire du compte",
                        "Facturé à", "Client titulaire"});
    f.stems = {{"titulaire", 0.8f}, {"souscripteur", 0.8f}, {"client", 0.4f}, {"nom", 0.4f}, {"contrat", 0.3f}, {"abonne", 0.6f}, {"beneficiaire", 0.6f}};
    s.fields.push_back(f);

    f = {};
    f.key = "adresse_consommation";
    f.type = x::Type::address;
    f.labels = lexicon({"Lieu de consommation", "Adresse du site", "Adresse de consommation", "Adresse du point de livraison",
                        "Adresse de livraison", "Site de consommation", "Lieu de livraison", "Adresse du logement",
                        "Adresse de fourniture", "Lieu de fourniture", "Adresse du compteur", "Logement concerné", "Adresse d'installation"}) +
               lexicon({"Site"}, 0.5f);
    f.stems = {{"adresse", 0.6f}, {"lieu", 0.5f}, {"site", 0.5f}, {"consommation", 0.5f}, {"livraison", 0.5f}, {"fourniture", 0.5f}, {"logement", 0.5f}, {"installation", 0.5f}, {"compteur", 0.3f}};
    s.fields.push_back(f);

    s.fields.push_back(x::others(lexicon({"Taxes et contributions", "Contributions et taxes", "Accise sur l'électricité", "Abonnement",
                                          "Part fixe", "Abonnement et services", "Abonnement mensuel", "Acomptes déjà payés", "Déjà réglé",
                                          "Acompte versé", "Montant déjà prélevé", "Paiements reçus", "Mensualité", "Prochaine mensualité",
                                          "Montant mensuel", "Échéance mensuelle", "Votre mensualité", "Solde précédent",
                                          "Solde de la facture précédente", "Report du solde", "Ancien solde", "N° de contrat",
                                          "Numéro de contrat", "Contrat n°", "Référence contrat", "Votre contrat", "Index de début",
                                          "Index de fin", "Ancien index", "Nouvel index", "Relevé du compteur", "Prochaine facture vers le",
                                          "Prochain relevé le", "Prochaine échéance le", "Date de la prochaine facture", "Service client",
                                          "Téléphone", "Nous contacter", "Dépannage", "Puissance souscrite", "Prix du kWh"})));
    s.constraints = {
        {x::Constraint::Kind::sum, {"montant_ttc", "montant_ht", "tva"}, 0.35f, false},
        {x::Constraint::Kind::before, {"periode", "date_facture"}, 0.15f, false},
        {x::Constraint::Kind::before, {"date_facture", "date_limite_paiement"}, 0.2f, true},
    };
    return s;
}

inline const std::vector<std::string> kServiceClient = {"Service Clients", "Service client"};

// The attestation de titulaire de contrat (edf.attestation): who holds the contract, for which
// delivery point and home, on which date. It asks for no money: no amount, no due date.
inline x::Schema attestation_schema() {
    x::Schema s;
    for (const auto& spec : schema().fields) {
        if (spec.key == "pdl" || spec.key == "reference_client" || spec.key == "titulaire" ||
            spec.key == "adresse_consommation" || spec.key == "siret") {
            s.fields.push_back(spec);
        }
    }
    x::FieldSpec f;
    f.key = "date_attestation";
    f.type = x::Type::date;
    f.labels = lexicon({"Date de l'attestation", "Attestation établie le", "Attestation délivrée le", "Établie le", "Délivrée le",
                        "Fait le", "Édité le", "Éditée le", "Date d'édition", "Date d'émission", "Émise le", "Attestation du",
                        "Date de délivrance", "Fait pour servir et valoir ce que de droit, le"}) +
               lexicon({"Date", "Le"}, 0.45f);
    f.stems = {{"attestation", 0.4f}, {"etabli", 0.6f}, {"delivr", 0.6f}, {"edit", 0.6f}, {"emis", 0.5f}, {"fait", 0.5f}, {"date", 0.3f}};
    s.fields.push_back(f);
    // The contract's own dates are not the attestation's.
    f = {};
    f.key = "date_contrat";
    f.type = x::Type::date;
    f.report = false;
    f.labels = lexicon({"Date de souscription", "Contrat souscrit le", "Date de début du contrat", "Début du contrat", "Depuis le",
                        "Date d'effet", "Contrat en cours depuis le", "Date de mise en service", "Client depuis le"});
    s.fields.push_back(f);
    s.fields.push_back(x::others(lexicon({"N° de contrat", "Numéro de contrat", "Contrat n°", "Référence contrat", "Puissance souscrite",
                                          "Option tarifaire", "Offre", "Service client", "Téléphone", "Nous contacter"})));
    return s;
}

// The words of an attestation, in its title or its sentence ("EDF atteste que…").
inline const std::vector<std::string> kAttestationTitle = {
    "Attestation de titulaire de contrat", "Attestation de contrat", "Attestation titulaire de contrat",
    "Attestation de contrat d'électricité", "Attestation de fourniture d'électricité", "Attestation de fourniture",
    "Attestation", "atteste que", "attestons que", "certifie que", "certifions que"};

// The fields only a bill prints (printed with a label of good quality): an attestation prints
// at most one of them by chance.
inline const std::vector<std::string> kBillOnly = {"montant_ttc", "date_limite_paiement", "numero_facture", "consommation_kwh"};

// Who sent the page: EDF, or another company whose bill looks like one (an energy supplier,
// a telephone or internet operator, a water company). A page that names one of those and
// never EDF is not EDF's.
inline const std::vector<std::string> kEdfNames = {"EDF", "EDF SA", "Électricité de France", "edf.fr", "EDF Entreprises"};
inline const std::vector<std::string> kOtherSuppliers = {
    "TotalEnergies", "Total Energies", "TotalÉnergies", "totalenergies.fr", "Engie", "engie.fr", "Vattenfall", "ekWateur",
    "Mint Énergie", "Octopus Energy", "Planète OUI", "ilek", "Ohm Énergie", "Eni Gas & Power", "eni.fr", "Orange SA",
    "orange.fr", "Orange France", "Sosh", "SFR", "sfr.fr", "RED by SFR", "Free", "free.fr", "Free Mobile", "Freebox",
    "Bouygues Telecom", "Bouygues", "bouyguestelecom.fr", "La Poste Mobile", "Veolia", "Veolia Eau", "veolia.fr", "Suez",
    "Suez Eau France", "Saur", "Eau de Paris", "Régie des eaux", "Régie de l'eau", "service public de l'eau", "Facture d'eau",
    "Gaz Tarif Réglementé", "GRDF"};

// What makes an electricity bill: scores add up to 1 at most; 0.5 is the host's threshold.
inline const std::vector<comptoir::sdk::layout::Keyword> kKeywords = {
    {{"EDF", "EDF SA", "EDF Entreprises"}, 0.3f},
    {{"électricité", "Électricité de France", "facture d'électricité"}, 0.2f},
    {{"kWh"}, 0.15f},
    {{"Point de livraison", "Référence acheminement", "PRM", "PDL"}, 0.2f},
    {{"Tarif Bleu"}, 0.1f},
    {{"Puissance souscrite"}, 0.1f},
    {{"kVA"}, 0.05f},
};

}  // namespace edf::labels
