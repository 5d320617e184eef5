// The rules a letter keeps whatever the mediator types: answers typed and checked, only the
// letter's own questions, questions in the template's order, sentences that read right with
// edge answers (checked on the PDF's text), a complete recipient from the right source.
#include "comptoir/letters/answers.hpp"
#include "comptoir/letters/letter_pdf.hpp"
#include "comptoir/letters/letters.hpp"
#include "comptoir/letters/recipient.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <regex>

using comptoir::AnswerError;
using comptoir::ComposedLetter;
using comptoir::LetterCatalog;
using comptoir::LetterData;
using comptoir::LetterQuestion;
using comptoir::SiteIdentity;

namespace {

const std::string kTemplates = std::string(COMPTOIR_SOURCE_DIR) + "/templates";

comptoir::Office office(const std::string& id, const std::string& kind, const std::string& text, const std::string& departement) {
    comptoir::Office out = comptoir::office_from_text(text);
    out.id = id;
    out.kind = kind;
    out.departement = departement;
    return out;
}

SiteIdentity site() {
    return {"PIMMS de Lorient", "12 rue de la Médiation, 56100 Lorient", "Lorient", "",
            {office("caf-56", "caf", "Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes", "56"),
             office("fsl-56", "fsl", "Conseil départemental du Morbihan, 2 rue de Saint-Tropez, 56000 Vannes", "56"),
             office("sip-56", "sip", "SIP de Lorient, 1 rue Pasteur, 56100 Lorient", "56")},
            "56"};
}

// Every shipped letter's document values, with amounts with and without cents.
LetterData data_for(const std::string& letter_id) {
    LetterData data;
    data.fields = {{"numero_facture", "10123590373"}, {"montant_ttc", "612"},        {"numero_allocataire", "1234567"},
                   {"montant_indu", "845.5"},          {"numero_fiscal", "3012345678901"}, {"reste_a_payer", "1203.00"},
                   {"caf", "Morbihan"},                {"date_document", "2024-10-14"}};
    for (const auto& key : {"montant_ttc", "montant_indu", "reste_a_payer"}) data.field_types[key] = "amount";
    data.field_types["date_document"] = "date";
    data.answers = {{"expediteur_nom", "Amina Benali"}, {"expediteur_adresse", "3 rue des Lilas\n56100 Lorient"}};
    (void)letter_id;
    return data;
}

std::string pdf_text(const std::string& pdf) {
    comptoir::test::TempDir dir;
    const auto result = comptoir::test::run_process("/usr/bin/pdftotext", {dir.write("l.pdf", pdf), "-"});
    const std::string spaced = std::regex_replace(result.out, std::regex("\xC2\xA0|\xE2\x80\xAF"), " ");
    return std::regex_replace(spaced, std::regex(R"(\s+)"), " ");
}

// Answers at the edges for every question of a letter: `variant` 0 gives the smallest (0 people,
// a lower-case start, an amount without cents), 1 the largest (1 person, a long answer ending
// with a full stop, an amount with cents).
std::map<std::string, std::string> edge_answers(const comptoir::LetterTemplate& letter, int variant) {
    std::map<std::string, std::string> answers;
    for (const LetterQuestion& question : letter.questions) {
        if (question.key.rfind("expediteur_", 0) == 0) continue;
        std::string value;
        if (question.type == "nombre") value = variant == 0 ? "0" : "1";
        if (question.type == "montant") value = variant == 0 ? "60" : "205,76 €";
        if (question.type == "date") value = variant == 0 ? "01/03/2026" : "2026-11-30";
        if (question.type == "oui_non") value = variant == 0 ? "non" : "oui";
        if (question.type == "choix" && !question.choices.empty()) value = question.choices.front();
        if (question.type == "texte") {
            value = variant == 0 ? "ma situation a changé" : "Mon compteur a été relevé par le technicien le mois dernier.";
        }
        if (question.type == "paragraphes") {
            value = variant == 0 ? "le chauffage ne marche plus" : std::string(1800, 'a').replace(0, 10, "Longtemps ") + ".";
        }
        if (question.key == "destinataire") value = "Lorient Habitat\n6 rue de l'Aquilon\n56100 Lorient";
        answers[question.key] = value;
    }
    return answers;
}

}  // namespace

TEST(LetterAnswers, AmountsNumbersDatesAndChoicesAreTypedAndKeptInOneForm) {
    const LetterQuestion amount{"m", "Combien peut-elle payer chaque mois ?", "montant", false, {}, {}};
    EXPECT_EQ(comptoir::check_answer(amount, "205,76"), "205.76");
    EXPECT_EQ(comptoir::check_answer(amount, "205.76"), "205.76");
    EXPECT_EQ(comptoir::check_answer(amount, "205,76 €"), "205.76");
    EXPECT_EQ(comptoir::check_answer(amount, "1 205,7"), "1205.70");
    EXPECT_EQ(comptoir::check_answer(amount, "60"), "60.00");
    EXPECT_EQ(comptoir::french_amount(comptoir::check_answer(amount, "205,76")), "205,76\u00A0€");
    for (const char* bad : {"à peu près 60", "-5", "12,345", "six"}) {
        try {
            comptoir::check_answer(amount, bad);
            FAIL() << bad << " was taken for an amount";
        } catch (const AnswerError& error) {
            EXPECT_EQ(error.code(), "bad_answer");
            EXPECT_EQ(error.key(), "m");
            EXPECT_NE(std::string(error.what()).find("« Combien peut-elle payer chaque mois »"), std::string::npos) << error.what();
        }
    }
    const LetterQuestion count{"n", "Combien de mois ?", "nombre", false, {}, {}};
    EXPECT_EQ(comptoir::check_answer(count, " 06 "), "6");
    EXPECT_THROW(comptoir::check_answer(count, "six"), AnswerError);
    EXPECT_THROW(comptoir::check_answer(count, "2,5"), AnswerError);
    const LetterQuestion date{"d", "Quand ?", "date", false, {}, {}};
    EXPECT_EQ(comptoir::check_answer(date, "15/01/2027"), "2027-01-15");
    EXPECT_EQ(comptoir::check_answer(date, "2027-01-15"), "2027-01-15");
    EXPECT_EQ(comptoir::french_date_from_iso(comptoir::check_answer(date, "15/01/2027")), "15 janvier 2027");
    EXPECT_THROW(comptoir::check_answer(date, "2025-02-30"), AnswerError);
    EXPECT_THROW(comptoir::check_answer(date, "demain"), AnswerError);
    const LetterQuestion choice{"c", "Lequel ?", "choix", false, {"Électricité", "Gaz"}, {}};
    EXPECT_EQ(comptoir::check_answer(choice, " gaz "), "Gaz");
    EXPECT_THROW(comptoir::check_answer(choice, "Eau"), AnswerError);
    const LetterQuestion yes{"y", "Recommandé ?", "oui_non", false, {}, {}};
    EXPECT_EQ(comptoir::check_answer(yes, "OUI"), "oui");
    EXPECT_THROW(comptoir::check_answer(yes, "peut-être"), AnswerError);
}

TEST(LetterAnswers, TextsHaveTheirLimitsEvenAHundredThousandCharacters) {
    const LetterQuestion text{"t", "Pourquoi ?", "texte", false, {}, {}};
    const LetterQuestion paragraphs{"p", "Le texte", "paragraphes", false, {}, {}};
    EXPECT_EQ(comptoir::check_answer(text, std::string(200, 'e')).size(), 200u);
    EXPECT_EQ(comptoir::check_answer(text, std::string(100, 'e') + "\u00E9").size(), 102u);  // characters, not bytes
    try {
        comptoir::check_answer(paragraphs, std::string(100000, 'x'));
        FAIL() << "a 100,000-character answer was taken";
    } catch (const AnswerError& error) {
        EXPECT_NE(std::string(error.what()).find("2000 caractères au plus (100000 donnés)"), std::string::npos) << error.what();
    }
    EXPECT_THROW(comptoir::check_answer(text, std::string(201, 'e')), AnswerError);
    // Control characters and bidirectional overrides are stripped, line breaks kept in paragraphs.
    EXPECT_EQ(comptoir::check_answer(text, "a\x1b[31m\u202Eb"), "a [31mb");
    EXPECT_EQ(comptoir::check_answer(paragraphs, "un\ndeux"), "un\ndeux");
}

TEST(LetterAnswers, OnlyTheLettersOwnQuestionsAreAnswers) {
    const auto letter = LetterCatalog({kTemplates}).find("edf.delai_paiement");
    try {
        comptoir::check_answers(letter, {{"nombre_mois", "6"}, {"montant_ttc_fr", "9 999 999,99 €"}});
        FAIL() << "an answer overwrote a document's value";
    } catch (const AnswerError& error) {
        EXPECT_EQ(error.code(), "unknown_answer");
        EXPECT_EQ(error.key(), "montant_ttc_fr");
    }
    EXPECT_THROW(comptoir::check_answers(letter, {{"numero_facture", "FAUX-000"}}), AnswerError);
    // The recipient the mediator writes is an answer of every letter.
    EXPECT_EQ(comptoir::check_answers(letter, {{"destinataire", "EDF\n62978 Arras Cedex 9"}}).size(), 1u);
}

TEST(LetterQuestions, ComeInTheTemplatesOrderWithTheVisitorFirstAndRegisteredMailLast) {
    const auto letter = LetterCatalog({kTemplates}).find("edf.contestation");
    std::vector<std::string> keys;
    for (const auto& question : letter.questions) keys.push_back(question.key);
    EXPECT_EQ(keys, (std::vector<std::string>{"expediteur_nom", "expediteur_adresse", "motif", "index_releve", "date_releve",
                                              "recommande"}));
    EXPECT_TRUE(letter.registered_offered);
    EXPECT_FALSE(letter.question("motif")->example.empty());
    EXPECT_FALSE(LetterCatalog({kTemplates}).find("edf.delai_paiement").registered_offered);
}

TEST(LetterSentences, EveryShippedLetterReadsRightWithEdgeAnswers) {
    const LetterCatalog catalog({kTemplates});
    for (const auto& id : catalog.ids()) {
        const auto letter = catalog.find(id);
        for (int variant = 0; variant < 2; ++variant) {
            LetterData data = data_for(id);
            for (const auto& [key, value] : edge_answers(letter, variant)) data.answers[key] = value;
            const ComposedLetter composed = comptoir::compose_letter(letter, data, site(), 2026, 12, 1);
            const std::string text = pdf_text(comptoir::render_letter_pdf(composed, {}));
            SCOPED_TRACE(id + " variant " + std::to_string(variant) + "\n" + text);
            EXPECT_EQ(text.find(".."), std::string::npos);
            EXPECT_EQ(text.find("?."), std::string::npos);
            EXPECT_EQ(text.find("(s)"), std::string::npos);
            EXPECT_EQ(text.find("{{"), std::string::npos);
            EXPECT_EQ(text.find(" 1 personnes"), std::string::npos);
            EXPECT_EQ(text.find(" 0 personnes"), std::string::npos);
            // No capital after a colon in the body (the subject line starts with one).
            const std::string body = std::regex_replace(text, std::regex("Objet : "), "");
            EXPECT_EQ(body.find(": Ma situation"), std::string::npos);
            EXPECT_EQ(body.find(": Mon compteur"), std::string::npos);
            // Every paragraph starts with a capital.
            for (const auto& block : composed.body) {
                if (block.bullet || block.text.empty()) continue;
                const unsigned char first = static_cast<unsigned char>(block.text[0]);
                EXPECT_FALSE(first >= 'a' && first <= 'z') << block.text;
            }
            if (id == "edf.fsl") {
                EXPECT_NE(text.find(variant == 0 ? "0 personne." : "1 personne."), std::string::npos);
            }
            if (id == "edf.delai_paiement") {
                EXPECT_NE(text.find(variant == 0 ? "soit 60,00 € par mois" : "soit 205,76 € par mois"), std::string::npos);
            }
        }
    }
}

TEST(LetterRecipient, AnAddressIsCompleteWithItsPostcodeAndCityInAnyOfLaPostesForms) {
    using Lines = std::vector<std::string>;
    EXPECT_EQ(comptoir::postal_problem(Lines{"EDF Service Clients", "TSA 21941", "62978 Arras Cedex 9"}), "");
    EXPECT_EQ(comptoir::postal_problem(Lines{"Médiateur national de l'énergie", "Libre réponse n° 59252", "75443 Paris Cedex 09"}), "");
    EXPECT_EQ(comptoir::postal_problem(Lines{"Caf", "2 rue de Tivoli", "56000 Vannes"}), "");
    EXPECT_NE(comptoir::postal_problem(Lines{"EDF Service Clients", "TSA 21941"}), "");  // the bill's half address
    EXPECT_NE(comptoir::postal_problem(Lines{"SIP de Toulouse"}), "");
    EXPECT_NE(comptoir::postal_problem(Lines{"Caf", "62978 CEDEX"}), "");               // no city
    EXPECT_NE(comptoir::postal_problem(Lines{"Caf", "00100 Nulle-part"}), "");           // no département
    EXPECT_EQ(comptoir::postal_lines("Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes"),
              (Lines{"Caf du Morbihan", "2 rue de Tivoli", "56000 Vannes"}));
    EXPECT_EQ(comptoir::departement_of("Val-de-Marne"), "94");
    EXPECT_EQ(comptoir::departement_of("Caisse d'allocations familiales de la Haute-Loire"), "43");
    EXPECT_EQ(comptoir::departement_of("Côtes-d'Armor"), "22");
    EXPECT_EQ(comptoir::departement_of("EDF, TSA 21941, 62978 Arras Cedex 9"), "62");
    EXPECT_EQ(comptoir::departement_of("Atlantide"), "");
}

TEST(LetterRecipient, ADocumentFromAnotherCafGoesToThatCafOrAsksForItsAddress) {
    const auto letter = LetterCatalog({kTemplates}).find("caf.echeancier");
    LetterData data = data_for("caf.echeancier");
    data.fields["caf"] = "Val-de-Marne";
    data.answers["montant_mensuel"] = "30";
    // The site's directory has no Caf for the Val-de-Marne: never the site's own Caf, the
    // mediator is asked, and told why.
    comptoir::Recipient recipient = comptoir::recipient_of(letter, data, site());
    EXPECT_FALSE(recipient.complete());
    EXPECT_NE(recipient.note.find("Val-de-Marne (94)"), std::string::npos) << recipient.note;
    EXPECT_THROW(comptoir::compose_letter(letter, data, site(), 2026, 12, 1), comptoir::MissingValuesError);
    // With it in the directory: the letter goes there, and the desk says so.
    SiteIdentity wider = site();
    wider.offices.push_back(office("caf-94", "caf", "Caf du Val-de-Marne, 2 voie Félix Éboué, 94033 Créteil Cedex", "94"));
    recipient = comptoir::recipient_of(letter, data, wider);
    EXPECT_EQ(recipient.lines, (std::vector<std::string>{"Caf du Val-de-Marne", "2 voie Félix Éboué", "94033 Créteil Cedex"}));
    EXPECT_EQ(recipient.source, "offices");
    EXPECT_NE(recipient.note.find("celui qui a envoyé le document"), std::string::npos) << recipient.note;
    // The site's own Caf for a document of the site's département.
    data.fields["caf"] = "Morbihan";
    recipient = comptoir::recipient_of(letter, data, wider);
    EXPECT_EQ(recipient.lines.front(), "Caf du Morbihan");
    EXPECT_TRUE(recipient.note.empty());
}

TEST(LetterRecipient, TaxLettersGoToTheCentreTheNoticeNamesWhole) {
    const auto letter = LetterCatalog({kTemplates}).find("impots.delai_paiement");
    LetterData data = data_for("impots.delai_paiement");
    data.answers["nombre_mois"] = "3";
    data.answers["raison"] = "je suis au chômage";
    data.fields["adresse_centre"] = "SIP de Toulouse, 34 rue des Lois, 31000 Toulouse";
    comptoir::Recipient recipient = comptoir::recipient_of(letter, data, site());
    EXPECT_EQ(recipient.lines, (std::vector<std::string>{"SIP de Toulouse", "34 rue des Lois", "31000 Toulouse"}));
    EXPECT_EQ(recipient.source, "document");
    // Only the centre's name read: the site's own tax office from its directory.
    data.fields.erase("adresse_centre");
    data.fields["centre_finances_publiques"] = "SIP de Toulouse";
    recipient = comptoir::recipient_of(letter, data, site());
    EXPECT_EQ(recipient.source, "offices");
    EXPECT_EQ(recipient.lines.back(), "56100 Lorient");
}

TEST(LetterTemplates, TheFormerRecipientFormatStillLoadsWithAWarning) {
    const auto letter = comptoir::parse_letter_template_text(
        "id = site.ancien\ntitle = Ancien\nrecipient = {{destinataire}}\nsubject = Objet\n"
        "question.destinataire.label = Adresse\nquestion.destinataire.type = paragraphes\n---\nBonjour.\n",
        "/site/site.ancien.lettre");
    ASSERT_EQ(letter.warnings.size(), 1u);
    EXPECT_NE(letter.warnings[0].find("peut sortir incomplet"), std::string::npos);
    LetterData data = data_for("");
    data.answers["destinataire"] = "Mairie de Lorient";  // one line: not delivered
    EXPECT_THROW(comptoir::compose_letter(letter, data, site(), 2026, 12, 1), comptoir::MissingValuesError);
    data.answers["destinataire"] = "Mairie de Lorient\n56100 Lorient";
    EXPECT_EQ(comptoir::compose_letter(letter, data, site(), 2026, 12, 1).recipient.size(), 2u);
    EXPECT_THROW(comptoir::parse_letter_template_text("id = site.x\ntitle = X\nsubject = S\nrecipient.sources = offices\n---\nB\n",
                                                      "/site/site.x.lettre"),
                 comptoir::TemplateError);  // offices without recipient.office
}
