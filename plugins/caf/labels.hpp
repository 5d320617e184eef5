// The CAF plugin's data: how the Caisses d'allocations familiales print their labels
// (DOMAIN.md), the benefits and their codes, the départements (each Caf is a département's),
// and the words that tell their letters from other documents.
#pragma once

#include <comptoir/layout.hpp>

#include <string>
#include <utility>
#include <vector>

namespace caf::labels {

using Synonyms = std::vector<std::string>;

inline const Synonyms kNumeroAllocataire = {"Votre numéro allocataire", "Numéro d'allocataire", "Numéro d’allocataire",
                                            "N° d'allocataire", "N° d’allocataire", "N° allocataire", "Numéro allocataire",
                                            "Référence allocataire", "N° de dossier", "Dossier n°"};
// The Caf that writes: "Caf du Morbihan", "Caisse d'allocations familiales d'Ille-et-Vilaine".
inline const Synonyms kCaf = {"Caisse d'allocations familiales", "Caisse d’allocations familiales", "Caf"};
inline const Synonyms kDate = {"Date", "Édité le", "Notifié le", "Établi le"};
inline const Synonyms kMontantIndu = {"Montant total du trop-perçu", "Montant du trop-perçu", "Montant de l'indu",
                                      "Montant de l’indu", "Somme à rembourser", "Montant de la dette",
                                      "Vous devez rembourser"};
inline const Synonyms kMontantTotal = {"Total des sommes versées", "Total versé sur la période", "Montant total sur la période", "Total sur la période",
                                       "Montant total", "Total versé", "Total"};
inline const Synonyms kPrestation = {"Prestation concernée", "Prestation", "votre droit à"};
inline const Synonyms kPeriode = {"Période concernée", "Période", "pour la période"};
// "Nous certifions que Madame … a perçu": the allocataire named in an attestation.
inline const Synonyms kCertifie = {"Nous certifions que", "certifions que"};
inline const Synonyms kBeneficiaire = {"Bénéficiaire", "Allocataire"};

// The benefits, by the code the letters use (docgen's README), with the wordings printed.
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

// Which kind: words of the debt letter, of the attestation.
inline const Synonyms kIndu = {"trop-perçu", "Notification de dette", "Montant de l'indu", "Montant de l’indu",
                               "Somme à rembourser", "recours amiable"};
inline const Synonyms kAttestation = {"Attestation de paiement", "Nous certifions", "prestations suivantes",
                                      "Prestations versées"};

}  // namespace caf::labels
