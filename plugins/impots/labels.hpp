// The DGFiP plugin's data: how income tax notices print their labels (DOMAIN.md), and the words
// that tell a notice from another document.
#pragma once

#include <comptoir/layout.hpp>

#include <string>
#include <vector>

namespace impots::labels {

using Synonyms = std::vector<std::string>;

inline const Synonyms kNumeroFiscal = {"Numéro fiscal – Déclarant 1", "Déclarant 1", "Numéro fiscal", "N° fiscal"};
inline const Synonyms kNumeroFiscal2 = {"Déclarant 2", "N° fiscal (2)", "Numéro fiscal (2)"};
inline const Synonyms kReferenceAvis = {"Référence de l'avis", "Référence de l’avis", "Référence avis", "Réf. de l'avis"};
inline const Synonyms kAnnee = {"Impôt sur le revenu de", "Impôt sur les revenus de"};
inline const Synonyms kEtabliEn = {"Avis d'impôt établi en", "Avis d’impôt établi en"};
inline const Synonyms kRfr = {"Revenu fiscal de référence"};
inline const Synonyms kParts = {"Nombre de parts"};
inline const Synonyms kImpotNet = {"Impôt sur le revenu net", "Montant de votre impôt", "Impôt net"};
inline const Synonyms kReste = {"Somme qu'il vous reste à payer", "Somme qu’il vous reste à payer", "Reste à payer",
                                "Montant restant à payer", "Impôt net à payer"};
inline const Synonyms kEtablissement = {"Date d'établissement", "Date d’établissement", "Établi le"};
inline const Synonyms kRecouvrement = {"Date de mise en recouvrement", "Mis en recouvrement le", "recouvrement"};  // the label may wrap
inline const Synonyms kLimite = {"Date limite de paiement", "à payer avant le", "Date limite"};
inline const Synonyms kCentre = {"Centre des finances publiques"};
inline const Synonyms kCentreName = {"Service des impôts des particuliers", "SIP"};

inline const std::vector<comptoir::sdk::layout::Keyword> kKeywords = {
    {{"DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", "FINANCES PUBLIQUES"}, 0.3f},
    {{"Impôt sur le revenu"}, 0.2f},
    {{"Avis d'impôt", "Avis d’impôt"}, 0.2f},
    {{"Numéro fiscal"}, 0.15f},
    {{"Revenu fiscal de référence"}, 0.15f},
    {{"Référence de l'avis", "Référence de l’avis"}, 0.1f},
    {{"Nombre de parts"}, 0.1f},
};

}  // namespace impots::labels
