// The EDF plugin's data: how EDF bills print their labels (DOMAIN.md), and the words that tell
// an electricity bill from another document. Kept apart from the code so that a new wording
// seen on a bill is one line here.
#pragma once

#include <comptoir/layout.hpp>

#include <string>
#include <vector>

namespace edf::labels {

using Synonyms = std::vector<std::string>;

inline const Synonyms kNumeroFacture = {"N° de facture", "Facture n°", "Numéro de facture", "Facture du"};
inline const Synonyms kDateFacture = {"Date de facture", "Date de la facture", "Date d'émission", "Facture du"};
inline const Synonyms kReferenceClient = {"Votre référence client", "Référence client", "Réf. client", "N° client",
                                          "Numéro client", "Compte client", "Compte de facturation"};
inline const Synonyms kPdl = {"Point de référence et mesure (PRM)", "N° de point de livraison", "Point de livraison",
                              "Référence acheminement", "N° PRM", "PRM", "PDL"};
inline const Synonyms kDateLimite = {"à payer avant le", "Date limite de paiement", "À régler avant le", "Date d'échéance",
                                     "à partir du"};  // "…prélèvement automatique … à partir du"
inline const Synonyms kMontantTtc = {"Montant à payer (TTC)", "Total à payer TTC", "à payer (TTC)", "Montant total TTC", "Facture TTC",
                                     "Montant TTC", "Total TTC"};
inline const Synonyms kMontantHt = {"Montant hors TVA", "Total HT"};
inline const Synonyms kTva = {"TVA"};
inline const Synonyms kPeriode = {"Période de consommation du", "Votre consommation du", "Consommation facturée du", "Période de consommation",
                                  "Période"};
inline const Synonyms kConsommation = {"Consommation totale", "Consommation"};
inline const Synonyms kTitulaire = {"Titulaire du contrat", "Titulaire"};
inline const Synonyms kAdresse = {"Lieu de consommation", "Adresse du site", "Adresse de consommation"};
inline const Synonyms kServiceClient = {"Service Clients", "Service client"};

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
