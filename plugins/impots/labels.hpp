// The DGFiP plugin's data: each field of an income tax notice declared for the SDK's
// extraction engine (comptoir/extract.hpp) — type, the wordings of its label on notices of
// several years, the relations between fields — and the words that tell a notice from another
// document. Kept apart from the code so that a new wording is one line here.
#pragma once

#include <comptoir/extract.hpp>
#include <comptoir/layout.hpp>

#include <string>
#include <vector>

namespace impots::labels {

namespace x = comptoir::sdk::extract;
using x::lexicon;

using Synonyms = std::vector<std::string>;

inline const Synonyms kCentre = {"Centre des finances publiques", "Votre centre des finances publiques",
                                 "Centre des Finances publiques gestionnaire", "Service gestionnaire", "Service des impôts",
                                 "Votre service des impôts", "Centre des impôts", "Adresse du centre", "Pour nous contacter",
                                 "Votre interlocuteur", "Vos contacts", "Contact"};
inline const Synonyms kCentreName = {"Service des impôts des particuliers", "SIP", "Centre des finances publiques",
                                     "Centre des impôts", "Service des impôts", "Trésorerie", "Service de gestion comptable"};

// The numéro fiscal's key as commonly described: the first 10 digits modulo 511 give the last
// 3. Specimens fail it, so a failure flags the field and nothing more.
inline bool fiscal_key(const std::string& number) {
    if (number.size() != 13 || !x::detail::all_digits(number)) return false;
    return std::stoll(number.substr(0, 10)) % 511 == std::stoll(number.substr(10));
}

// A year among the first words: "2019".
inline std::optional<x::Reading> year(const x::Page& page, const std::vector<size_t>& span) {
    for (size_t k = 0; k < span.size() && k < 4; ++k) {
        const std::string& t = page.folded(span[k]);
        if (t.size() == 4 && x::detail::all_digits(t) && (t.rfind("19", 0) == 0 || t.rfind("20", 0) == 0)) {
            x::Reading r;
            r.value = t;
            r.text = page.word(span[k]).text;
            r.words = {span[k]};
            return r;
        }
    }
    return std::nullopt;
}

inline x::Schema schema() {
    x::Schema s;
    x::FieldSpec f;

    f = {};
    f.key = "numero_fiscal";
    f.type = x::Type::identifier;
    f.min_length = 13;
    f.max_length = 13;
    f.labels = lexicon({"Numéro fiscal – Déclarant 1", "Numéro fiscal - Déclarant 1", "Déclarant 1", "Numéro fiscal", "N° fiscal",
                        "Numéro fiscal du déclarant 1", "N° fiscal déclarant 1", "Numéro fiscal (déclarant 1)", "Identifiant fiscal",
                        "Numéro d'identification fiscale", "N° fiscal du déclarant", "Numéro fiscal déclarant 1", "Vos numéros fiscaux",
                        "Numéro fiscal du déclarant", "N° d'identification fiscale", "Numéro SPI", "Identifiant fiscal du déclarant"});
    f.stems = {{"fiscal", 0.7f}, {"numero", 0.3f}, {"no", 0.3f}, {"identifiant", 0.4f}, {"declarant", 0.4f}, {"spi", 0.8f}};
    s.fields.push_back(f);

    f = {};
    f.key = "numero_fiscal_2";
    f.type = x::Type::identifier;
    f.min_length = 13;
    f.max_length = 13;
    f.labels = lexicon({"Déclarant 2", "N° fiscal (2)", "Numéro fiscal (2)", "Numéro fiscal du déclarant 2", "Numéro fiscal – Déclarant 2",
                        "Numéro fiscal - Déclarant 2", "N° fiscal déclarant 2", "Numéro fiscal (déclarant 2)", "Numéro fiscal déclarant 2",
                        "Numéro fiscal du conjoint", "N° fiscal du conjoint", "Conjoint ou partenaire de PACS", "Second déclarant",
                        "Identifiant fiscal déclarant 2", "Conjoint ou partenaire", "Déclarant 2 (conjoint)"});
    s.fields.push_back(f);

    f = {};
    f.key = "reference_avis";
    f.type = x::Type::identifier;
    f.min_length = 13;
    f.max_length = 13;
    f.alphabet = x::Alphabet::upper_alnum;
    f.check = [](const std::string& v) { return v.size() == 13 && x::detail::is_digit(v[0]) && x::detail::is_digit(v[1]); };
    f.labels = lexicon({"Référence de l'avis", "Référence de l’avis", "Référence avis", "Réf. de l'avis", "Référence de l'avis d'impôt",
                        "N° de l'avis", "Numéro de l'avis", "Numéro d'avis", "Réf. avis", "Référence de votre avis", "N° d'avis",
                        "Identifiant de l'avis", "Avis n°"}) +
                lexicon({"Référence"}, 0.6f);
    f.stems = {{"avis", 0.6f}, {"reference", 0.5f}, {"ref", 0.5f}, {"numero", 0.3f}, {"no", 0.3f}, {"identifiant", 0.3f}};
    s.fields.push_back(f);

    f = {};
    f.key = "annee_revenus";
    f.type = x::Type::count;
    f.relations = x::bit(x::Relation::right);
    f.parse = year;
    f.labels = lexicon({"Impôt sur le revenu de", "Impôt sur les revenus de", "Revenus de l'année", "Année des revenus", "Revenus perçus en",
                        "Revenus de", "Impôt sur le revenu des revenus de", "Impôt sur les revenus", "Revenus"}) +
               lexicon({"Impôt sur le revenu"}, 0.7f);
    s.fields.push_back(f);

    f = {};
    f.key = "annee_avis";  // "Avis d'impôt établi en 2024": the income is of the year before
    f.type = x::Type::count;
    f.relations = x::bit(x::Relation::right);
    f.parse = year;
    f.report = false;
    f.labels = lexicon({"Avis d'impôt établi en", "Avis d’impôt établi en", "Avis d'impôt", "Avis d'impôt sur le revenu établi en",
                        "établi en"});
    s.fields.push_back(f);

    f = {};
    f.key = "revenu_fiscal_reference";
    f.type = x::Type::amount;
    f.cents = false;
    f.labels = lexicon({"Revenu fiscal de référence", "Revenu fiscal de réf.", "RFR", "Montant du revenu fiscal de référence",
                        "Votre revenu fiscal de référence", "Revenu fiscal de référence (RFR)", "Rev. fiscal de référence",
                        "Revenu de référence", "Revenu fiscal de référence du foyer", "Revenu fiscal de référence de votre foyer"}) +
                lexicon({"Revenu fiscal"}, 0.9f);
    f.stems = {{"revenu", 0.5f}, {"fiscal", 0.4f}, {"reference", 0.4f}, {"rfr", 1.0f}};
    s.fields.push_back(f);

    f = {};
    f.key = "nombre_parts";
    f.type = x::Type::decimal;
    f.labels = lexicon({"Nombre de parts", "Nb de parts", "Nombre de parts fiscales", "Parts fiscales", "Nb parts",
                        "Nombre de parts de quotient familial", "Quotient familial", "Nombre de parts du foyer", "Votre nombre de parts",
                        "Nombre de parts retenues", "Parts du foyer"}) +
                lexicon({"Parts"}, 0.7f);
    f.stems = {{"parts", 0.8f}, {"nombre", 0.3f}, {"nb", 0.3f}, {"quotient", 0.5f}, {"fiscales", 0.2f}};
    s.fields.push_back(f);

    f = {};
    f.key = "impot_net";
    f.type = x::Type::amount;
    f.may_share = {"reste_a_payer"};
    f.labels = lexicon({"Impôt sur le revenu net", "Montant de votre impôt", "Impôt net", "Total de l'impôt", "Montant de l'impôt",
                        "Impôt sur le revenu net à payer", "Votre impôt", "Montant net de l'impôt", "Impôt dû", "Impôt net total",
                        "Total de votre impôt", "Montant de l'impôt net", "Impôt net avant crédits", "Impôt sur le revenu dû", "Total de l'imposition",
                        "Montant de l'imposition", "Montant total de votre imposition", "Imposition nette", "Impôt après réductions",
                        "Impôt après crédits", "Impôt net après crédits", "Montant net de l'imposition", "Votre imposition", "Impôt total",
                        "Montant total de l'impôt", "Impôt sur le revenu net total", "Total de l'impôt sur le revenu"}) +
               lexicon({"Impôt sur le revenu"}, 0.6f);
    f.stems = {{"impot", 0.5f}, {"net", 0.6f}, {"montant", 0.2f}, {"total", 0.2f}, {"du", 0.2f}, {"imposition", 0.7f}};
    s.fields.push_back(f);

    f = {};
    f.key = "impot_brut";
    f.type = x::Type::amount;
    f.report = false;
    f.labels = lexicon({"Impôt brut", "Impôt brut global", "Montant de l'impôt brut", "Droits simples"});
    s.fields.push_back(f);

    f = {};
    f.key = "deja_paye";
    f.type = x::Type::amount;
    f.report = false;
    f.labels = lexicon({"Prélèvement à la source déjà effectué", "Prélèvement à la source", "Retenue à la source", "Acomptes versés",
                        "Déjà payé", "Montant déjà prélevé", "Sommes déjà versées", "Acomptes", "Retenues à la source",
                        "Montant déjà payé", "Prélèvements déjà effectués", "Montant prélevé à la source", "Impôt déjà payé",
                        "Sommes déjà prélevées", "Acomptes et prélèvements"});
    s.fields.push_back(f);

    f = {};
    f.key = "reste_a_payer";
    f.type = x::Type::amount;
    f.may_share = {"impot_net"};
    f.labels = lexicon({"Somme qu'il vous reste à payer", "Somme qu’il vous reste à payer", "Reste à payer", "Montant restant à payer",
                        "Impôt net à payer", "Montant à payer", "Somme à payer", "Solde à payer", "Montant restant dû", "Reste dû",
                        "Il vous reste à payer", "Solde restant dû", "Somme restant à payer", "Total à payer", "Montant dû",
                        "Net à payer", "Reste à régler", "Solde de l'impôt", "Solde à régler", "Montant à régler",
                        "Vous devez payer", "Somme restant due", "Restant dû", "Solde dû", "Montant du solde"});
    f.stems = {{"reste", 0.8f}, {"restant", 0.8f}, {"solde", 0.7f}, {"payer", 0.4f}, {"regler", 0.4f}, {"due", 0.3f}, {"du", 0.2f}, {"somme", 0.2f}, {"montant", 0.1f}};
    s.fields.push_back(f);

    f = {};
    f.key = "date_etablissement";
    f.type = x::Type::date;
    f.labels = lexicon({"Date d'établissement", "Date d’établissement", "Établi le", "Date d'émission", "Avis établi le", "Émis le",
                        "Date d'édition", "Édité le", "Établissement de l'avis", "Date de l'avis", "Fait le", "Avis du", "Date de l'avis d'impôt"});
    f.stems = {{"etabli", 0.7f}, {"emis", 0.6f}, {"emission", 0.6f}, {"edit", 0.6f}, {"avis", 0.3f}, {"date", 0.3f}};
    s.fields.push_back(f);

    f = {};
    f.key = "date_mise_en_recouvrement";
    f.type = x::Type::date;
    f.labels = lexicon({"Date de mise en recouvrement", "Mis en recouvrement le", "Mise en recouvrement", "Date de recouvrement",
                        "Mise en recouvrement le", "Date de mise en recouvrement de l'avis", "Recouvrement le", "Date de mise en recouv.",
                        "Mise en recouvrement du rôle", "Rôle mis en recouvrement le", "Date de mise en recouvrement du rôle", "Mis en recouv. le"}) +
               lexicon({"recouvrement"}, 0.8f);  // the label may wrap
    f.stems = {{"recouvr", 0.9f}, {"mise", 0.3f}, {"date", 0.2f}, {"role", 0.3f}};
    s.fields.push_back(f);

    f = {};
    f.key = "date_limite_paiement";
    f.type = x::Type::date;
    f.labels = lexicon({"Date limite de paiement", "à payer avant le", "Date limite", "À payer au plus tard le", "Échéance",
                        "Date d'exigibilité", "Payable avant le", "Date limite de règlement", "À régler avant le",
                        "Date limite de paiement du solde", "À payer avant", "Payer avant le", "Paiement avant le", "Prélevé le",
                        "Payable au plus tard le"});
    f.stems = {{"limite", 0.6f}, {"paiement", 0.5f}, {"payer", 0.5f}, {"payable", 0.6f}, {"regl", 0.5f}, {"echeance", 0.8f}, {"exigib", 0.8f}, {"acquitt", 0.7f}, {"avant", 0.4f}, {"tard", 0.4f}, {"date", 0.2f}, {"jusqu", 0.4f}};
    s.fields.push_back(f);

    s.fields.push_back(x::others(lexicon({"Numéro FIP", "N° FIP", "Numéro de rôle", "N° de rôle", "Identifiant service", "Code service",
                                          "N° de service", "Revenu brut global", "Revenus imposables", "Revenu net imposable",
                                          "Total des revenus", "Impôt avant réductions", "Détail du calcul"})));
    s.constraints = {
        {x::Constraint::Kind::difference, {"reste_a_payer", "impot_net", "deja_paye"}, 0.35f, false},
        {x::Constraint::Kind::at_most, {"reste_a_payer", "impot_net"}, 0.1f, false},
        {x::Constraint::Kind::before, {"date_etablissement", "date_mise_en_recouvrement"}, 0.1f, false},
        {x::Constraint::Kind::before, {"date_mise_en_recouvrement", "date_limite_paiement"}, 0.1f, false},
    };
    return s;
}

// The avis de situation déclarative (impots.situation_declarative): the household's situation
// as declared (numbers, reference, income year, RFR, parts, date), and nothing to pay. The
// notice's fields without its tax and payment; a second declarant's number is read so that it
// is never the first's, and not reported.
inline x::Schema situation_schema() {
    x::Schema s;
    for (auto spec : schema().fields) {
        if (spec.key == "impot_net" || spec.key == "reste_a_payer" || spec.key == "impot_brut" || spec.key == "deja_paye" ||
            spec.key == "date_mise_en_recouvrement" || spec.key == "date_limite_paiement") {
            continue;
        }
        if (spec.key == "numero_fiscal_2") spec.report = false;
        s.fields.push_back(spec);
    }
    return s;
}

// Its title; a notice's payment labels (read with a good match) that it never prints.
inline const Synonyms kSituationTitle = {"Avis de situation déclarative", "Avis de situation déclarative à l'impôt sur le revenu",
                                         "situation déclarative", "Avis de situation déclarative à l'impôt"};
inline const Synonyms kPaymentKeys = {"impot_net", "reste_a_payer", "date_limite_paiement", "date_mise_en_recouvrement"};

inline const std::vector<comptoir::sdk::layout::Keyword> kKeywords = {
    {{"DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES", "FINANCES PUBLIQUES", "DIRECTION GÉNÉRALE DES FINANCES"}, 0.3f},
    {{"Impôt sur le revenu", "Impôt sur les revenus"}, 0.2f},
    {{"Avis d'impôt", "Avis d’impôt", "Avis d'imposition", "Avis de situation déclarative", "impots.gouv.fr"}, 0.2f},
    {{"Numéro fiscal", "N° fiscal"}, 0.15f},
    {{"Revenu fiscal de référence"}, 0.15f},
    {{"Référence de l'avis", "Référence de l’avis"}, 0.1f},
    {{"Nombre de parts"}, 0.1f},
};

}  // namespace impots::labels
