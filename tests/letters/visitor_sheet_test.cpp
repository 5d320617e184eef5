// The visitor's sheet: for every shipped letter and every kind of document it is offered for, a
// sheet of one page whose text (pdftotext) says the document's amounts and dates when given and
// nothing in their place when not (no blank, no "{{"), in type of 14 pt or more; the recommandé
// part only when the letter is sent so; hostile values; template errors; the search order.
#include "comptoir/letters/visitor_sheet.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <regex>
#include <set>

using comptoir::LetterCatalog;
using comptoir::LetterData;
using comptoir::test::TempDir;

namespace {

const std::string kTemplates = std::string(COMPTOIR_SOURCE_DIR) + "/templates";

comptoir::Office office(const std::string& id, const std::string& kind, const std::string& text) {
    comptoir::Office out = comptoir::office_from_text(text);
    out.id = id;
    out.kind = kind;
    out.departement = "56";
    return out;
}

// The site's directory: the Caf letters and the FSL's go to its offices.
const comptoir::SiteIdentity kSite{"PIMMS de Lorient", "12 rue de la Médiation, 56100 Lorient", "Lorient", "02 97 00 00 00",
                                   {office("caf", "caf", "Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes"),
                                    office("fsl", "fsl", "Conseil départemental du Morbihan, 2 rue de Saint-Tropez, 56000 Vannes")},
                                   "56"};

const std::set<std::string> kAmounts = {"montant_ttc", "montant_indu", "montant_total", "reste_a_payer", "impot_net"};
const std::set<std::string> kDates = {"date_facture",  "date_limite_paiement", "date_document",      "periode_debut",
                                      "periode_fin",   "date_etablissement",   "date_attestation",   "date_mise_en_recouvrement"};

// Every value a document of each shipped kind may give a letter.
const std::map<std::string, std::map<std::string, std::string>> kKinds = {
    {"edf.facture",
     {{"numero_facture", "10123590373"}, {"montant_ttc", "1479.85"}, {"date_limite_paiement", "2021-02-15"},
      {"date_facture", "2021-01-29"}, {"periode_debut", "2020-11-20"}, {"periode_fin", "2021-01-20"},
      {"reference_client", "6002345678"}, {"adresse_service_client", "EDF Service Clients, TSA 21941, 62978 Arras Cedex 9"}}},
    {"edf.attestation", {{"pdl", "01234567890123"}, {"date_attestation", "2024-03-12"}}},
    {"caf.indu",
     {{"numero_allocataire", "1234567"}, {"montant_indu", "845.00"}, {"prestation", "APL"}, {"caf", "Morbihan"},
      {"date_document", "2024-10-14"}, {"periode_debut", "2024-01-01"}, {"periode_fin", "2024-06-30"}}},
    {"caf.attestation_paiement",
     {{"numero_allocataire", "1234567"}, {"montant_total", "612.00"}, {"date_document", "2024-05-06"}, {"caf", "Morbihan"}}},
    {"impots.avis_ir",
     {{"centre_finances_publiques", "SIP de Lorient"}, {"adresse_centre", "SIP de Lorient, 1 rue Pasteur, 56100 Lorient"},
      {"numero_fiscal", "3012345678901"},
      {"reste_a_payer", "1203.00"}, {"impot_net", "1503.00"}, {"annee_revenus", "2023"}, {"date_limite_paiement", "2024-09-16"},
      {"date_etablissement", "2024-07-31"}}},
    {"impots.situation_declarative", {{"numero_fiscal", "3012345678901"}, {"annee_revenus", "2023"}, {"date_etablissement", "2024-07-31"}}},
    {"libre.document", {{"date_document", "2024-02-03"}}},
};

struct LetterCase {
    std::vector<std::string> kinds;  // as the shipped plugins declare them
    std::map<std::string, std::string> answers;
    std::vector<std::string> expected;  // what the letter's part says with these answers
};

const std::map<std::string, std::string> kVisitor = {{"expediteur_nom", "Amina Benali"},
                                                     {"expediteur_adresse", "3 rue des Lilas\n56100 Lorient"}};
const std::string kCaf = "Caf du Morbihan\n56085 Vannes Cedex";

const std::map<std::string, LetterCase> kLetters = {
    {"edf.delai_paiement", {{"edf.facture"}, {{"nombre_mois", "6"}, {"montant_mensuel", "246.65"}}, {"payer en 6 fois", "246,65 € par mois", "EDF Service Clients"}}},
    {"edf.contestation", {{"edf.facture"}, {{"motif", "la consommation est estimée"}, {"index_releve", "45210"}}, {"45210 kWh", "La raison : la consommation est estimée."}}},
    {"edf.mediateur",
     {{"edf.facture"}, {{"date_reclamation", "2024-09-02"}, {"objet_litige", "une facture de régularisation"}, {"date_reponse", "2024-10-01"}},
      {"le 2 septembre 2024", "le 1er octobre 2024", "Médiateur national de l'énergie"}}},
    {"edf.fsl", {{"edf.facture"}, {{"personnes_foyer", "4"}}, {"Personnes dans le foyer : 4", "1 479,85 €"}}},
    {"caf.recours_amiable", {{"caf.indu"}, {{"motif", "ma situation n'a pas changé"}}, {"la dette de 845,00 €", "Commission de recours amiable"}}},
    {"caf.remise_dette", {{"caf.indu"}, {{"remise_totale", "oui"}, {"situation", "je vis seule"}}, {"toute la dette"}}},
    {"caf.echeancier", {{"caf.indu"}, {{"montant_mensuel", "40"}}, {"40,00 € par mois"}}},
    {"caf.changement_situation",
     {{"caf.indu", "caf.attestation_paiement"}, {{"destinataire", kCaf}, {"changement", "j'ai déménagé"}, {"date_changement", "2024-11-01"}},
      {"Depuis le 1er novembre 2024", "Le changement : j'ai déménagé."}}},
    {"impots.delai_paiement", {{"impots.avis_ir"}, {{"nombre_mois", "5"}, {"raison", "une baisse de revenus"}}, {"en 5 fois", "1 203,00 €", "SIP de Lorient"}}},
    {"impots.reclamation", {{"impots.avis_ir"}, {{"erreur", "une pension comptée deux fois"}}, {"L'erreur : une pension comptée deux fois."}}},
    {"impots.remise_gracieuse", {{"impots.avis_ir"}, {{"situation", "je suis au chômage"}}, {"L'impôt à payer : 1 203,00 €"}}},
    {"libre.courrier",
     {{"edf.facture", "edf.attestation", "caf.indu", "caf.attestation_paiement", "impots.avis_ir", "impots.situation_declarative", "libre.document"},
      {{"destinataire", "Mairie de Lorient\n56100 Lorient"}, {"objet", "Demande de rendez-vous"}, {"texte", "Je souhaite un rendez-vous."}},
      {"Le courrier va à : Mairie de Lorient.", "Il a pour objet : Demande de rendez-vous."}}},
};

// The sentences a kind's part gives with all its values.
const std::map<std::string, std::vector<std::string>> kKindSays = {
    {"edf.facture", {"facture d'électricité", "Il vient d'EDF.", "1 479,85 €", "15 février 2021", "29 janvier 2021"}},
    {"edf.attestation", {"attestation de contrat", "12 mars 2024", "ne demande pas d'argent"}},
    {"caf.indu", {"trop payé", "845,00 €", "14 octobre 2024", "L'aide concernée : APL."}},
    {"caf.attestation_paiement", {"attestation de paiement", "612,00 €", "6 mai 2024"}},
    {"impots.avis_ir", {"avis d'impôt sur le revenu", "1 203,00 €", "16 septembre 2024", "revenus de 2023"}},
    {"impots.situation_declarative", {"situation déclarative", "revenus de 2023"}},
    {"libre.document", {"3 février 2024"}},
};

LetterData data_of(const std::map<std::string, std::string>& fields, const std::map<std::string, std::string>& answers) {
    LetterData data;
    data.fields = fields;
    data.answers = answers;
    data.answers.insert(kVisitor.begin(), kVisitor.end());
    for (const auto& key : kAmounts) data.field_types[key] = "amount";
    for (const auto& key : kDates) data.field_types[key] = "date";
    return data;
}

// The sheet as LetterDesk::write_sheet makes it, for a letter and a document's kind.
std::string sheet_pdf(const std::string& letter_id, const std::string& kind, const LetterData& data,
                      const std::vector<std::string>& folders = {kTemplates}) {
    const comptoir::LetterTemplate letter = LetterCatalog(folders).find(letter_id);
    const comptoir::ComposedLetter composed = comptoir::compose_letter(letter, data, kSite, 2026, 12, 1);
    const std::string letter_file = comptoir::find_sheet_template(folders, letter_id);
    EXPECT_FALSE(letter_file.empty()) << "no sheet for " << letter_id;
    const comptoir::SheetTemplate letter_part = comptoir::parse_sheet_template(letter_file);
    const std::string kind_file = comptoir::find_sheet_template(folders, kind);
    std::optional<comptoir::SheetTemplate> kind_part;
    if (!kind_file.empty()) kind_part = comptoir::parse_sheet_template(kind_file);
    comptoir::SheetInput input;
    input.letter = &letter;
    input.composed = &composed;
    input.data = &data;
    input.site_name = kSite.name;
    input.date_fr = comptoir::french_date(2026, 12, 1);
    return comptoir::render_sheet_pdf(comptoir::compose_sheet(kind_part ? &*kind_part : nullptr, letter_part, input));
}

struct Read {
    int pages = -1;
    std::string text;           // blanks collapsed
    float smallest_word = 1e9f;  // the lowest word box, in points
};

Read read(const std::string& pdf) {
    TempDir dir;
    const std::string path = dir.write("fiche.pdf", pdf);
    Read out;
    const auto info = comptoir::test::run_process("/usr/bin/pdfinfo", {path});
    std::smatch match;
    if (std::regex_search(info.out, match, std::regex(R"(Pages:\s+(\d+))"))) out.pages = std::stoi(match[1]);
    const auto text = comptoir::test::run_process("/usr/bin/pdftotext", {path, "-"});
    EXPECT_EQ(text.exit_code, 0) << text.err;
    out.text = std::regex_replace(std::regex_replace(text.out, std::regex("\xC2\xA0"), " "), std::regex(R"(\s+)"), " ");
    const auto boxes = comptoir::test::run_process("/usr/bin/pdftotext", {"-bbox", path, "-"});
    static const std::regex word(R"re(<word xMin="[-0-9.]+" yMin="([-0-9.]+)" xMax="[-0-9.]+" yMax="([-0-9.]+)")re");
    for (auto it = std::sregex_iterator(boxes.out.begin(), boxes.out.end(), word); it != std::sregex_iterator(); ++it) {
        out.smallest_word = std::min(out.smallest_word, std::stof((*it)[2]) - std::stof((*it)[1]));
    }
    return out;
}

// Poppler's word box is the font's ascent to its descent: 0.925 em for Helvetica (AFM: 718 and
// -207), more for DejaVu Sans. A word drawn at 14 pt is at least this tall.
constexpr float kSmallestBox = comptoir::kSheetMinimumSize * 0.925f - 0.05f;

// Nothing in place of a missing value, no broken sentence.
void expect_no_blank(const std::string& text, const std::string& what) {
    for (const char* bad : {"{{", "}}", " .", " ,", ": .", "..", "du au", "( )", "()", ":  "}) {
        EXPECT_EQ(text.find(bad), std::string::npos) << what << " has « " << bad << " »:\n" << text;
    }
    EXPECT_TRUE(std::regex_search(text, std::regex(R"(\S)"))) << what;
}

// As pdftotext gives it back: no-break spaces read as spaces.
std::string french(const std::string& key, const std::string& value) {
    const std::string text = kAmounts.count(key) ? comptoir::french_amount(value) : comptoir::french_date_from_iso(value);
    return std::regex_replace(text, std::regex("\u00A0|\u202F"), " ");
}

// Every shipped letter and every kind of document it is offered for, with all the values: one page,
// the document's amounts and dates, the letter's answers, 14 pt at least.
TEST(VisitorSheet, EveryShippedLetterAndKindWithAllValues) {
    const auto ids = LetterCatalog({kTemplates}).ids();
    for (const auto& id : ids) EXPECT_TRUE(kLetters.count(id)) << "a shipped letter the test does not know: " << id;
    for (const auto& [id, letter] : kLetters) {
        for (const auto& kind : letter.kinds) {
            SCOPED_TRACE(id + " for " + kind);
            const Read sheet = read(sheet_pdf(id, kind, data_of(kKinds.at(kind), letter.answers)));
            EXPECT_EQ(sheet.pages, 1);
            EXPECT_GE(sheet.smallest_word, kSmallestBox);
            EXPECT_NE(sheet.text.find("Votre fiche"), std::string::npos);
            EXPECT_NE(sheet.text.find("Courrier préparé le 1er décembre 2026"), std::string::npos) << sheet.text;
            EXPECT_NE(sheet.text.find("Gardez une copie du courrier."), std::string::npos) << sheet.text;
            for (const auto& said : kKindSays.at(kind)) EXPECT_NE(sheet.text.find(said), std::string::npos) << said << "\n" << sheet.text;
            for (const auto& said : letter.expected) EXPECT_NE(sheet.text.find(said), std::string::npos) << said << "\n" << sheet.text;
            // Every amount and date the document gives is on the sheet, in French.
            for (const auto& [key, value] : kKinds.at(kind)) {
                if (!kAmounts.count(key) && !kDates.count(key)) continue;
                if (key == "impot_net" || key == "date_etablissement") continue;  // the notice's details: not the visitor's
                EXPECT_NE(sheet.text.find(french(key, value)), std::string::npos) << key << "\n" << sheet.text;
            }
            expect_no_blank(sheet.text, id + " for " + kind);
            EXPECT_EQ(sheet.text.find("recommandée"), std::string::npos) << "not sent registered";
        }
    }
}

// With only what each letter cannot do without: the amounts and dates not given leave no trace.
TEST(VisitorSheet, EveryShippedLetterAndKindWithOnlyTheRequiredValues) {
    for (const auto& [id, letter] : kLetters) {
        const comptoir::LetterTemplate letter_template = LetterCatalog({kTemplates}).find(id);
        std::set<std::string> required(letter_template.required_fields.begin(), letter_template.required_fields.end());
        required.insert("adresse_centre");  // the tax letters' recipient
        std::map<std::string, std::string> answers;
        for (const auto& question : letter_template.questions) {
            if (question.required && letter.answers.count(question.key)) answers[question.key] = letter.answers.at(question.key);
        }
        if (letter.answers.count("destinataire")) answers["destinataire"] = letter.answers.at("destinataire");
        for (const auto& kind : letter.kinds) {
            SCOPED_TRACE(id + " for " + kind + ", values required only");
            std::map<std::string, std::string> fields;
            for (const auto& [key, value] : kKinds.at(kind)) {
                if (required.count(key)) fields[key] = value;
            }
            const Read sheet = read(sheet_pdf(id, kind, data_of(fields, answers)));
            EXPECT_EQ(sheet.pages, 1);
            EXPECT_GE(sheet.smallest_word, kSmallestBox);
            for (const auto& [key, value] : kKinds.at(kind)) {
                if (fields.count(key) || (!kAmounts.count(key) && !kDates.count(key))) continue;
                EXPECT_EQ(sheet.text.find(french(key, value)), std::string::npos) << key << " was not given:\n" << sheet.text;
            }
            for (const auto& [key, value] : fields) {
                if (kAmounts.count(key)) {
                    EXPECT_NE(sheet.text.find(french(key, value)), std::string::npos) << key << "\n" << sheet.text;
                }
            }
            EXPECT_EQ(sheet.text.find("Quand payer"), std::string::npos) << "no date to pay by was given:\n" << sheet.text;
            expect_no_blank(sheet.text, id + " for " + kind);
        }
    }
}

TEST(VisitorSheet, RegisteredLetterOnlyWhenAnsweredYes) {
    auto answers = kLetters.at("edf.contestation").answers;
    answers["recommande"] = "non";
    const Read plain = read(sheet_pdf("edf.contestation", "edf.facture", data_of(kKinds.at("edf.facture"), answers)));
    EXPECT_EQ(plain.text.find("recommandée"), std::string::npos) << plain.text;
    EXPECT_EQ(plain.text.find("reçu"), std::string::npos) << plain.text;
    for (const std::string id : {"edf.contestation", "caf.recours_amiable", "impots.reclamation"}) {
        auto with = kLetters.at(id).answers;
        with["recommande"] = "oui";
        const std::string kind = kLetters.at(id).kinds.front();
        const Read registered = read(sheet_pdf(id, kind, data_of(kKinds.at(kind), with)));
        EXPECT_EQ(registered.pages, 1) << id;
        EXPECT_NE(registered.text.find("lettre recommandée avec accusé de réception"), std::string::npos) << registered.text;
        EXPECT_NE(registered.text.find("Gardez le reçu de la Poste."), std::string::npos) << registered.text;
    }
}

// Values as text: a tag is printed as is, control characters and bidirectional overrides are
// removed, a huge answer is cut and the sheet stays one page of 14 pt type; a value outside the
// standard fonts embeds DejaVu and is printed, not replaced.
TEST(VisitorSheet, HostileAndLongValues) {
    auto answers = kLetters.at("edf.contestation").answers;
    answers["motif"] = "{{montant_ttc}} \x07relevé\u202E faux";
    const Read tagged = read(sheet_pdf("edf.contestation", "edf.facture", data_of(kKinds.at("edf.facture"), answers)));
    EXPECT_NE(tagged.text.find("La raison : {{montant_ttc}} relevé faux."), std::string::npos) << tagged.text;

    answers["motif"] = std::string(200, 'x');  // as long as an answer may be
    const Read huge = read(sheet_pdf("edf.contestation", "edf.facture", data_of(kKinds.at("edf.facture"), answers)));
    EXPECT_EQ(huge.pages, 1);
    EXPECT_GE(huge.smallest_word, kSmallestBox);
    EXPECT_NE(huge.text.find("…"), std::string::npos) << huge.text;
    EXPECT_LT(huge.text.size(), 3000u);

    // Every value long: the type shrinks, never under 14 pt, and the page stays one.
    auto long_answers = kLetters.at("edf.contestation").answers;
    long_answers["motif"] = "une facture de régularisation que je conteste parce que le compteur a été changé en mars et que "
                            "l'ancien index n'a jamais été relevé par le technicien venu ce jour-là";
    long_answers["recommande"] = "oui";
    const Read crowded = read(sheet_pdf("edf.contestation", "edf.facture", data_of(kKinds.at("edf.facture"), long_answers)));
    EXPECT_EQ(crowded.pages, 1);
    EXPECT_GE(crowded.smallest_word, kSmallestBox);

    answers["motif"] = "compteur n° 12 – Łódź";
    const Read unicode = read(sheet_pdf("edf.contestation", "edf.facture", data_of(kKinds.at("edf.facture"), answers)));
    EXPECT_NE(unicode.text.find("Łódź"), std::string::npos) << unicode.text;
}

TEST(VisitorSheet, TemplateErrorsNameTheFileAndLine) {
    const auto error_of = [](const std::string& text) {
        try {
            comptoir::parse_sheet_template_text(text, "x/edf.test.fiche");
        } catch (const comptoir::TemplateError& error) {
            return std::string(error.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(error_of("# comment\n[soleil] Titre\nUne ligne.\n").find("edf.test.fiche:2 : pictogramme inconnu « soleil »"), std::string::npos);
    EXPECT_NE(error_of("Une ligne sans bloc.\n").find("edf.test.fiche:1 : une ligne avant le premier bloc"), std::string::npos);
    EXPECT_NE(error_of("[papier] Titre\n{{#montant}}ouvert\nfermé{{/montant}}\n").find("edf.test.fiche:2 : modèle invalide"),
              std::string::npos);
    EXPECT_NE(error_of("# rien\n").find("aucun bloc"), std::string::npos);
    const auto sheet = comptoir::parse_sheet_template_text("[euro]\nA {{x}}.\n\n[dossier] Garder\nB.\n", "y/k.fiche");
    ASSERT_EQ(sheet.blocks.size(), 2u);
    EXPECT_EQ(sheet.blocks[0].pictogram, comptoir::Pictogram::euro);
    EXPECT_EQ(sheet.blocks[1].heading, "Garder");
    EXPECT_EQ(sheet.id, "k");
}

// The site's own wording wins over the project's; a letter without a sheet of its own takes
// courrier.fiche; a kind without one leaves its part out.
TEST(VisitorSheet, SearchOrderAndDefaults) {
    TempDir site;
    site.write("edf.facture.fiche", "[papier] Chez nous\nVotre facture EDF de {{montant_ttc_fr}}.\n");
    const std::vector<std::string> folders = {site.path(), kTemplates};
    EXPECT_EQ(comptoir::find_sheet_template(folders, "edf.facture"), site.file("edf.facture.fiche"));
    EXPECT_EQ(comptoir::find_sheet_template(folders, "edf.delai_paiement"), kTemplates + "/edf/edf.delai_paiement.fiche");
    EXPECT_EQ(comptoir::find_sheet_template(folders, "../edf.facture"), "");
    EXPECT_EQ(comptoir::find_sheet_template(folders, "nulle.part"), "");
    const auto answers = kLetters.at("edf.delai_paiement").answers;
    const Read own = read(sheet_pdf("edf.delai_paiement", "edf.facture", data_of(kKinds.at("edf.facture"), answers), folders));
    EXPECT_NE(own.text.find("Votre facture EDF de 1 479,85 €."), std::string::npos) << own.text;
    EXPECT_EQ(own.text.find("Il vient d'EDF."), std::string::npos) << own.text;

    const auto fallback = comptoir::parse_sheet_template(comptoir::find_sheet_template({kTemplates}, "courrier"));
    comptoir::SheetInput input;
    const LetterData data = data_of({}, {});
    input.data = &data;
    const comptoir::ComposedSheet composed = comptoir::compose_sheet(nullptr, fallback, input);
    ASSERT_EQ(composed.blocks.size(), 1u) << "no recipient nor subject: only what to keep";
    EXPECT_EQ(composed.blocks[0].pictogram, comptoir::Pictogram::dossier);
}

// Values are their own runs (drawn larger); a value ending its sentence takes the full stop.
TEST(VisitorSheet, ValuesAreRunsOfTheirOwn) {
    const auto sheet = comptoir::parse_sheet_template_text("[euro] Payer\nPayez {{montant_ttc_fr}} avant le {{date_fr}}.\nMotif : {{motif}}.\n",
                                                           "t.fiche");
    LetterData data;
    data.fields = {{"montant_ttc", "12.5"}, {"date", "2027-01-15"}};
    data.field_types = {{"montant_ttc", "amount"}, {"date", "date"}};
    data.answers = {{"motif", "Trop cher."}};
    comptoir::SheetInput input;
    input.data = &data;
    const auto composed = comptoir::compose_sheet(nullptr, sheet, input);
    ASSERT_EQ(composed.blocks.size(), 1u);
    const auto& lines = composed.blocks[0].lines;
    ASSERT_EQ(lines.size(), 2u);
    ASSERT_EQ(lines[0].size(), 5u);
    EXPECT_EQ(lines[0][1].text, "12,50\u00A0€");
    EXPECT_TRUE(lines[0][1].value);
    EXPECT_FALSE(lines[0][2].value);
    EXPECT_EQ(lines[0][3].text, "15 janvier 2027");
    ASSERT_EQ(lines[1].size(), 2u) << "no second full stop after « Trop cher. »";
    EXPECT_EQ(lines[1][1].text, "Trop cher.");
}

}  // namespace
