// Letters: every shipped template renders from fixture data into a PDF whose text (pdftotext)
// holds the expected sentences with their accents; required values, hostile values, long
// letters, annexes, template errors and the search order.
#include "comptoir/image/image.hpp"
#include "comptoir/letters/letter_pdf.hpp"
#include "comptoir/letters/letters.hpp"

#include "test_support.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <regex>

using comptoir::ComposedLetter;
using comptoir::LetterCatalog;
using comptoir::LetterData;
using comptoir::SiteIdentity;
using comptoir::test::TempDir;

namespace {

const std::string kTemplates = std::string(COMPTOIR_SOURCE_DIR) + "/templates";

struct Fixture {
    std::string letter_id;
    std::map<std::string, std::string> fields;
    std::map<std::string, std::string> answers;
    std::vector<std::string> expected;  // sentences pdftotext must give back
};

const std::map<std::string, std::string> kVisitor = {{"expediteur_nom", "Amina Benali"},
                                                     {"expediteur_adresse", "3 rue des Lilas\n56100 Lorient"}};

LetterData data_of(const Fixture& fixture) {
    LetterData data;
    data.fields = fixture.fields;
    data.answers = fixture.answers;
    data.answers.insert(kVisitor.begin(), kVisitor.end());
    for (const auto& key : {"montant_ttc", "montant_indu", "reste_a_payer", "impot_net"}) data.field_types[key] = "amount";
    for (const auto& key : {"date_facture", "date_limite_paiement", "date_document", "periode_debut", "periode_fin",
                            "date_etablissement"}) {
        data.field_types[key] = "date";
    }
    data.field_labels = {{"montant_ttc", "Montant TTC"}, {"numero_facture", "Numéro de facture"},
                         {"reference_client", "Référence client"}, {"numero_allocataire", "Numéro allocataire"},
                         {"numero_fiscal", "Numéro fiscal"}, {"centre_finances_publiques", "Centre des finances publiques"}};
    return data;
}

// An office of `kind` read from its former one-string form, as site.caf_address was.
comptoir::Office office(const std::string& id, const std::string& kind, const std::string& text,
                        const std::string& departement = "") {
    comptoir::Office out = comptoir::office_from_text(text);
    out.id = id;
    out.kind = kind;
    out.departement = departement;
    return out;
}

const SiteIdentity kSite{"PIMMS de Lorient", "12 rue de la Médiation, 56100 Lorient", "Lorient", "02 97 00 00 00",
                        {office("caf", "caf", "Caf du Morbihan, 2 rue de Tivoli, 56000 Vannes"),
                         office("fsl", "fsl", "Conseil départemental du Morbihan, 2 rue de Saint-Tropez, 56000 Vannes", "56")},
                        "56"};

std::string pdf_text(const std::string& pdf) {
    TempDir dir;
    const std::string path = dir.write("lettre.pdf", pdf);
    const auto result = comptoir::test::run_process("/usr/bin/pdftotext", {path, "-"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    // One space for any run of blanks: line breaks and no-break spaces (UTF-8 C2 A0) read as
    // spaces.
    const std::string spaced = std::regex_replace(result.out, std::regex("\xC2\xA0"), " ");
    return std::regex_replace(spaced, std::regex(R"(\s+)"), " ");
}

int pdf_pages(const std::string& pdf) {
    TempDir dir;
    const std::string path = dir.write("lettre.pdf", pdf);
    const auto result = comptoir::test::run_process("/usr/bin/pdfinfo", {path});
    std::smatch match;
    return std::regex_search(result.out, match, std::regex(R"(Pages:\s+(\d+))")) ? std::stoi(match[1]) : -1;
}

std::string render(const std::string& letter_id, const LetterData& data, const comptoir::LetterPdfOptions& options = {}) {
    const LetterCatalog catalog({kTemplates});
    const ComposedLetter letter = comptoir::compose_letter(catalog.find(letter_id), data, kSite, 2026, 12, 1);
    return comptoir::render_letter_pdf(letter, options);
}

const std::vector<Fixture> kFixtures = {
    {"edf.delai_paiement",
     {{"numero_facture", "10123590373"}, {"montant_ttc", "1479.85"}, {"date_limite_paiement", "2021-02-15"},
      {"reference_client", "6002345678"}},
     {{"nombre_mois", "6"}, {"montant_mensuel", "246.65"}},
     {"Demande de délai de paiement pour la facture n° 10123590373", "d'un montant de 1 479,85 €",
      "à payer avant le 15 février 2021", "en 6 mois, soit 246,65 € par mois", "Référence client : 6002345678",
      "Lorient, le 1er décembre 2026", "EDF Service Clients TSA 21941 62978 Arras Cedex 9"}},
    {"edf.contestation",
     {{"numero_facture", "10123590373"}, {"date_facture", "2021-01-29"}},
     {{"motif", "la consommation a été estimée alors que le compteur est relevé"}, {"index_releve", "45210"},
      {"date_releve", "2021-02-03"}},
     {"Je conteste votre facture n° 10123590373 du 29 janvier 2021", "45210 kWh, le 3 février 2021",
      "Photo du compteur"}},
    {"edf.mediateur",
     {{"reference_client", "6002345678"}},
     {{"date_reclamation", "2024-09-02"}, {"objet_litige", "une facture de régularisation de 2 300 € que je conteste"}},
     {"Médiateur national de l'énergie", "Libre réponse n° 59252", "le 2 septembre 2024",
      "Je n'ai pas reçu de réponse satisfaisante depuis plus de deux mois."}},
    {"edf.fsl",
     {{"montant_ttc", "612.40"}},
     {{"personnes_foyer", "4"}},
     {"Fonds de solidarité pour le logement Conseil départemental du Morbihan 2 rue de Saint-Tropez 56000 Vannes",
      "d'un montant de 612,40 €", "Mon foyer compte 4 personnes."}},
    {"caf.recours_amiable",
     {{"numero_allocataire", "1234567"}, {"montant_indu", "845.00"}, {"prestation", "APL"},
      {"date_document", "2024-10-14"}, {"periode_debut", "2024-01-01"}, {"periode_fin", "2024-06-30"}},
     {{"motif", "Ma situation n'a pas changé pendant cette période."}, {"recommande", "oui"}},
     {"Lettre recommandée avec accusé de réception Commission de recours amiable Caf du Morbihan 2 rue de Tivoli 56000 Vannes",
      "pour le motif suivant : ma situation n'a pas changé pendant cette période. Je vous demande", "un trop-perçu de 845,00 € au titre de : APL",
      "pour la période du 1er janvier 2024 au 30 juin 2024", "Numéro allocataire : 1234567"}},
    {"caf.remise_dette",
     {{"numero_allocataire", "1234567"}, {"montant_indu", "845.00"}},
     {{"remise_totale", "oui"},
      {"situation", "je vis seule avec deux enfants et le RSA"}},
     {"une remise totale de cette dette", "je vis seule avec deux enfants et le RSA"}},
    {"caf.echeancier",
     {{"numero_allocataire", "1234567"}, {"montant_indu", "1845.00"}},
     {{"montant_mensuel", "40"}},
     {"un trop-perçu de 1 845,00 €", "par mensualités de 40,00 €"}},
    {"caf.changement_situation",
     {{"numero_allocataire", "1234567"}},
     {{"destinataire", "Caf du Morbihan\n56085 Vannes Cedex"}, {"changement", "j'ai déménagé au 3 rue des Lilas à Lorient"},
      {"date_changement", "2024-11-01"}},
     {"depuis le 1er novembre 2024 : j'ai déménagé au 3 rue des Lilas à Lorient", "Caf du Morbihan 56085 Vannes Cedex"}},
    {"impots.delai_paiement",
     {{"adresse_centre", "SIP de Lorient, 1 rue Pasteur, 56100 Lorient"}, {"numero_fiscal", "3012345678901"},
      {"reste_a_payer", "1203.00"}, {"annee_revenus", "2023"}, {"reference_avis", "2456789012345"}},
     {{"nombre_mois", "5"}, {"raison", "Une baisse de revenus depuis mon licenciement."}},
     {"avis d'impôt sur les revenus de 2023", "me demande de payer 1 203,00 €", "en 5 mensualités",
      "SIP de Lorient 1 rue Pasteur 56100 Lorient", "à la date prévue : une baisse de revenus depuis mon licenciement. Je",
      "Numéro fiscal : 3012345678901"}},
    {"impots.remise_gracieuse",
     {{"adresse_centre", "SIP de Lorient, 1 rue Pasteur, 56100 Lorient"}, {"numero_fiscal", "3012345678901"},
      {"reste_a_payer", "312.00"}},
     {{"situation", "mes seules ressources sont l'allocation de solidarité"}},
     {"une remise gracieuse, totale ou partielle", "mes seules ressources sont l'allocation de solidarité"}},
    {"impots.reclamation",
     {{"adresse_centre", "Centre des finances publiques de Lorient, 1 rue Pasteur, 56100 Lorient"},
      {"numero_fiscal", "3012345678901"}, {"date_etablissement", "2024-07-31"}},
     {{"erreur", "une pension alimentaire versée n'a pas été déduite"}},
     {"daté du 31 juillet 2024", "une pension alimentaire versée n'a pas été déduite"}},
    {"libre.courrier",
     {},
     {{"destinataire", "Lorient Habitat\n6 rue de l'Aquilon\n56100 Lorient"}, {"objet", "Réparation du chauffage"},
      {"texte", "Le chauffage ne fonctionne plus.\n\nMerci d'envoyer un technicien « rapidement » ; il fait froid."}},
     {"Objet : Réparation du chauffage", "Merci d'envoyer un technicien « rapidement » ; il fait froid."}},
};

void PrintTo(const Fixture& fixture, std::ostream* out) { *out << fixture.letter_id; }

class EveryTemplate : public ::testing::TestWithParam<Fixture> {};

}  // namespace

TEST_P(EveryTemplate, RendersWithItsSentencesAndAccents) {
    const Fixture& fixture = GetParam();
    const std::string pdf = render(fixture.letter_id, data_of(fixture));
    ASSERT_EQ(pdf.compare(0, 5, "%PDF-"), 0);
    EXPECT_EQ(pdf_pages(pdf), 1);
    const std::string text = pdf_text(pdf);
    for (const auto& sentence : fixture.expected) EXPECT_NE(text.find(sentence), std::string::npos) << sentence << "\n---\n" << text;
    EXPECT_NE(text.find("Amina Benali"), std::string::npos);
    EXPECT_NE(text.find("Je vous prie d'agréer"), std::string::npos);
    EXPECT_NE(text.find("Courrier préparé avec l'aide de : PIMMS de Lorient"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Shipped, EveryTemplate, ::testing::ValuesIn(kFixtures),
                         [](const auto& param_info) {
                             std::string name = param_info.param.letter_id;
                             std::replace(name.begin(), name.end(), '.', '_');
                             return name;
                         });

TEST(Letters, EveryShippedTemplateHasAFixture) {
    const auto ids = LetterCatalog({kTemplates}).ids();
    EXPECT_EQ(ids.size(), 12u);
    for (const auto& id : ids) {
        EXPECT_TRUE(std::any_of(kFixtures.begin(), kFixtures.end(), [&](const Fixture& f) { return f.letter_id == id; })) << id;
    }
}

TEST(Letters, MissingValuesAreListedByTheirFrenchLabels) {
    LetterData data = data_of(kFixtures[0]);
    data.fields.erase("montant_ttc");
    data.answers.erase("nombre_mois");
    data.answers.erase("expediteur_nom");
    try {
        render("edf.delai_paiement", data);
        FAIL() << "a letter was written with blanks";
    } catch (const comptoir::MissingValuesError& error) {
        const auto& missing = error.missing();
        EXPECT_NE(std::find(missing.begin(), missing.end(), "Montant TTC"), missing.end());
        EXPECT_NE(std::find(missing.begin(), missing.end(), "En combien de mois pouvez-vous payer ?"), missing.end());
        EXPECT_NE(std::find(missing.begin(), missing.end(), "Nom et prénom de la personne, comme elle signe"), missing.end());
        EXPECT_NE(std::string(error.what()).find("Il manque pour ce courrier : "), std::string::npos);
    }
}

TEST(Letters, AnAddressFieldIsSetOutLineByLineInTheRecipientBlock) {
    // EDF's customer service as the plugin reads it from the bill: one line, ", " between parts.
    Fixture fixture = kFixtures[0];
    fixture.fields["adresse_service_client"] = "EDF Service Clients, TSA 40025, 44911 Nantes Cedex 9";
    const LetterCatalog catalog({kTemplates});
    ComposedLetter letter = comptoir::compose_letter(catalog.find("edf.delai_paiement"), data_of(fixture), kSite, 2026, 12, 1);
    EXPECT_EQ(letter.recipient, (std::vector<std::string>{"EDF Service Clients", "TSA 40025", "44911 Nantes Cedex 9"}));
    EXPECT_EQ(letter.recipient_source, "document");
    // Half an address read on the bill is not used: the template's own, complete, is.
    fixture.fields["adresse_service_client"] = "EDF Service Clients, TSA 40025";
    letter = comptoir::compose_letter(catalog.find("edf.delai_paiement"), data_of(fixture), kSite, 2026, 12, 1);
    EXPECT_EQ(letter.recipient, (std::vector<std::string>{"EDF Service Clients", "TSA 21941", "62978 Arras Cedex 9"}));
    EXPECT_EQ(letter.recipient_source, "template");
}

TEST(Letters, TheDepartementsCafComesFromTheSiteWhenNoneIsGiven) {
    // kSite knows its Caf (as site.caf_address gave it), not its FSL.
    const LetterCatalog catalog({kTemplates});
    Fixture fixture = kFixtures[4];  // caf.recours_amiable
    ASSERT_EQ(fixture.letter_id, "caf.recours_amiable");
    ComposedLetter letter = comptoir::compose_letter(catalog.find("caf.recours_amiable"), data_of(fixture), kSite, 2026, 12, 1);
    EXPECT_EQ(letter.recipient, (std::vector<std::string>{"Commission de recours amiable", "Caf du Morbihan",
                                                           "2 rue de Tivoli", "56000 Vannes"}));
    // The mediator's address wins over the site's, as she wrote it.
    fixture.answers["destinataire"] = "Caf du Morbihan\nService recours\n56085 Vannes Cedex";
    letter = comptoir::compose_letter(catalog.find("caf.recours_amiable"), data_of(fixture), kSite, 2026, 12, 1);
    EXPECT_EQ(letter.recipient, (std::vector<std::string>{"Caf du Morbihan", "Service recours", "56085 Vannes Cedex"}));
    EXPECT_EQ(letter.recipient_source, "mediator");
    // No FSL in the answers nor in the site's configuration: the letter asks for it.
    fixture = kFixtures[3];  // edf.fsl
    ASSERT_EQ(fixture.letter_id, "edf.fsl");
    SiteIdentity site = kSite;
    site.offices.pop_back();
    try {
        comptoir::compose_letter(catalog.find("edf.fsl"), data_of(fixture), site, 2026, 12, 1);
        FAIL() << "a letter was written to nobody";
    } catch (const comptoir::MissingValuesError& error) {
        ASSERT_EQ(error.missing().size(), 1u);
        EXPECT_NE(error.missing()[0].find("Adresse complète du destinataire"), std::string::npos) << error.missing()[0];
    }
}

TEST(Letters, TheRecipientIsTheOfficeOfItsKindServingTheSitesDepartement) {
    const LetterCatalog catalog({kTemplates});
    Fixture fixture = kFixtures[3];  // edf.fsl
    ASSERT_EQ(fixture.letter_id, "edf.fsl");
    // The bill's own recipient (EDF's service, the EDF plugin's field "adresse_service_client")
    // is not the FSL's: it never addresses this letter.
    fixture.fields["adresse_service_client"] = "EDF Service Clients, TSA 21941, 62978 Arras Cedex 9";
    comptoir::Office ille = office("fsl-35", "fsl", "Département d'Ille-et-Vilaine, FSL, 1 avenue de la Préfecture, 35000 Rennes", "35");
    comptoir::Office morbihan;
    morbihan.id = "fsl-56";
    morbihan.kind = "fsl";
    morbihan.name = "Conseil départemental du Morbihan";
    morbihan.lines = {"Direction de l'habitat", "2 rue de Saint-Tropez"};
    morbihan.postcode = "56000";
    morbihan.city = "Vannes";
    morbihan.departement = "56";
    SiteIdentity site = kSite;
    site.offices = {ille, morbihan, office("ccas", "ccas", "CCAS de Lorient, 56100 Lorient")};
    ComposedLetter letter = comptoir::compose_letter(catalog.find("edf.fsl"), data_of(fixture), site, 2026, 12, 1);
    EXPECT_EQ(letter.recipient, (std::vector<std::string>{"Fonds de solidarité pour le logement", "Conseil départemental du Morbihan",
                                                           "Direction de l'habitat", "2 rue de Saint-Tropez", "56000 Vannes"}));
    // A site of no known département: the first office of that kind.
    site.departement.clear();
    letter = comptoir::compose_letter(catalog.find("edf.fsl"), data_of(fixture), site, 2026, 12, 1);
    ASSERT_GE(letter.recipient.size(), 2u);
    EXPECT_EQ(letter.recipient[1], "Département d'Ille-et-Vilaine");
    // The Caf letters find no Caf in this directory: they ask for one.
    Fixture caf = kFixtures[4];  // caf.recours_amiable
    caf.answers.erase("destinataire");
    EXPECT_THROW(comptoir::compose_letter(catalog.find(caf.letter_id), data_of(caf), site, 2026, 12, 1),
                 comptoir::MissingValuesError);
}

TEST(Letters, AnOfficeWithoutPostcodeIsAskedForAndAnyKindIsATemplateValue) {
    const LetterCatalog catalog({kTemplates});
    Fixture fixture = kFixtures[3];  // edf.fsl
    SiteIdentity site = kSite;
    site.offices = {office("fsl", "fsl", "Conseil départemental du Morbihan, 2 rue de Saint-Tropez, Vannes", "56")};
    try {
        comptoir::compose_letter(catalog.find("edf.fsl"), data_of(fixture), site, 2026, 12, 1);
        FAIL() << "a letter went to an address without its postcode";
    } catch (const comptoir::MissingValuesError& error) {
        ASSERT_EQ(error.missing().size(), 1u);
        EXPECT_NE(error.missing()[0].find("Adresse complète du destinataire"), std::string::npos) << error.missing()[0];
        EXPECT_NE(error.missing()[0].find("offices.fsl.postcode"), std::string::npos) << error.missing()[0];
    }
    // A site's own template writes to its CCAS; printed unconditionally, a missing one is named.
    const comptoir::LetterTemplate ccas = comptoir::parse_letter_template_text(
        "id = site.ccas\ntitle = Au CCAS\nrecipient = {{site_ccas}}\nsubject = Demande d'aide\n---\nBonjour.\n",
        "/site/site.ccas.lettre");
    fixture.answers.clear();
    site.offices.push_back(office("ccas-lorient", "ccas", "CCAS de Lorient, Hôtel de ville, 56100 Lorient"));
    const ComposedLetter letter = comptoir::compose_letter(ccas, data_of(fixture), site, 2026, 12, 1);
    EXPECT_EQ(letter.recipient, (std::vector<std::string>{"CCAS de Lorient", "Hôtel de ville", "56100 Lorient"}));
    site.offices.pop_back();
    try {
        comptoir::compose_letter(ccas, data_of(fixture), site, 2026, 12, 1);
        FAIL() << "a letter was written to nobody";
    } catch (const comptoir::MissingValuesError& error) {
        ASSERT_FALSE(error.missing().empty());
        EXPECT_NE(error.missing()[0].find("offices.<id>.kind = ccas"), std::string::npos) << error.missing()[0];
    }
}

TEST(Letters, ConditionalValuesMayBeAbsent) {
    Fixture fixture = kFixtures[0];
    fixture.fields.erase("date_limite_paiement");
    fixture.answers.erase("montant_mensuel");
    const std::string text = pdf_text(render("edf.delai_paiement", data_of(fixture)));
    EXPECT_NE(text.find("en 6 mois. Je m'engage"), std::string::npos) << text;
    EXPECT_EQ(text.find("à payer avant le"), std::string::npos);
}

TEST(Letters, ALongLetterRunsOverPagesNumbered) {
    // Longer than any answer may be (2,000 characters): a site's own template may be this long.
    const LetterCatalog catalog({kTemplates});
    ComposedLetter letter = comptoir::compose_letter(catalog.find("libre.courrier"), data_of(kFixtures.back()), kSite, 2026, 12, 1);
    letter.body.clear();
    for (int i = 0; i < 40; ++i) {
        letter.body.push_back({false, "Paragraphe " + std::to_string(i + 1) +
                                          " : nous vous rappelons que cette demande concerne la réparation du chauffage de "
                                          "l'appartement, signalée à plusieurs reprises depuis le début de l'hiver."});
    }
    const std::string pdf = comptoir::render_letter_pdf(letter, {});
    const int pages = pdf_pages(pdf);
    EXPECT_GE(pages, 3);
    const std::string extracted = pdf_text(pdf);
    EXPECT_NE(extracted.find("page 1/" + std::to_string(pages)), std::string::npos);
    EXPECT_NE(extracted.find("page " + std::to_string(pages) + "/" + std::to_string(pages)), std::string::npos);
    EXPECT_NE(extracted.find("Paragraphe 40 : nous vous rappelons"), std::string::npos);
}

TEST(Letters, HostileValuesRenderSafely) {
    Fixture fixture = kFixtures.back();
    fixture.answers["objet"] = std::string(200, 'A');                       // as long as allowed, no space
    fixture.answers["texte"] = "Début\x01\x07\x1b[31m fin {{numero_facture}} {{#x}}y{{/x}}";  // control chars, tags
    fixture.answers["expediteur_nom"] = "\u202Eilahm\u202C Benali";          // a right-to-left override
    const std::string pdf = render("libre.courrier", data_of(fixture));
    const std::string text = pdf_text(pdf);
    EXPECT_NE(text.find("{{numero_facture}} {{#x}}y{{/x}}"), std::string::npos) << text;  // not expanded
    EXPECT_EQ(text.find("\x1b"), std::string::npos);
    EXPECT_NE(text.find("ilahm Benali"), std::string::npos);  // the override is gone, the letters stay
    EXPECT_NE(text.find(std::string(40, 'A')), std::string::npos);  // cut across lines, all there
}

TEST(Letters, RightToLeftTextUsesAnEmbeddedUnicodeFont) {
    Fixture fixture = kFixtures.back();
    fixture.answers["expediteur_nom"] = "أمينة بن علي";
    fixture.answers["texte"] = "Nom usuel : Amina — écrit aussi أمينة.";
    const std::string pdf = render("libre.courrier", data_of(fixture));
    EXPECT_NE(pdf.find("NotoSansArabic"), std::string::npos);  // the Arabic face of the chain, embedded
    EXPECT_NE(pdf_text(pdf).find("Nom usuel : Amina"), std::string::npos);
}

TEST(Letters, BulletLinesBecomeBullets) {
    Fixture fixture = kFixtures.back();
    fixture.answers["texte"] = "Je joins :\n- la facture de janvier ;\n- la facture de février.\n\nMerci.";
    const LetterCatalog catalog({kTemplates});
    const ComposedLetter letter =
        comptoir::compose_letter(catalog.find("libre.courrier"), data_of(fixture), kSite, 2026, 12, 1);
    ASSERT_GE(letter.body.size(), 5u);
    EXPECT_FALSE(letter.body[1].bullet);
    EXPECT_TRUE(letter.body[2].bullet);
    EXPECT_EQ(letter.body[2].text, "la facture de janvier ;");
    EXPECT_TRUE(letter.body[3].bullet);
    const std::string text = pdf_text(comptoir::render_letter_pdf(letter));
    EXPECT_NE(text.find("• la facture de janvier ; • la facture de février."), std::string::npos) << text;
}

TEST(Letters, AnnexPagesCarryScannedPages) {
    comptoir::PixPtr scan(pixCreate(1240, 1754, 8));
    pixSetAll(scan.get());
    comptoir::LetterPdfOptions options;
    options.annex_pages = {scan.get(), scan.get()};
    const std::string pdf = render("libre.courrier", data_of(kFixtures.back()), options);
    EXPECT_EQ(pdf_pages(pdf), 3);
    EXPECT_NE(pdf_text(pdf).find("Annexe 2"), std::string::npos);
}

TEST(Letters, FrenchDatesAndAmounts) {
    EXPECT_EQ(comptoir::french_date(2026, 11, 22), "22 novembre 2026");
    EXPECT_EQ(comptoir::french_date(2026, 12, 1), "1er décembre 2026");
    EXPECT_EQ(comptoir::french_date_from_iso("2021-02-15"), "15 février 2021");
    EXPECT_EQ(comptoir::french_amount("1479.85"), "1\u202F479,85\u00A0€");
    EXPECT_EQ(comptoir::french_amount("182"), "182,00\u00A0€");
    EXPECT_EQ(comptoir::french_amount("pas un montant"), "pas un montant");
}

TEST(Letters, TemplateErrorsNameTheFileAndTheLine) {
    TempDir dir;
    const std::string broken = dir.write("essai.casse.lettre",
                                         "id = essai.casse\ntitle = Essai\nsubject = Objet\n---\nBonjour,\n\n"
                                         "{{#montant}}Montant : {{montant}}\nfin\n");
    try {
        comptoir::parse_letter_template(broken);
        FAIL() << "a broken template was accepted";
    } catch (const comptoir::TemplateError& error) {
        EXPECT_NE(std::string(error.what()).find(broken + ":7"), std::string::npos) << error.what();
    }
    const std::string unknown = dir.write("essai.inconnu.lettre", "id = essai.inconnu\ntitle = Essai\nsubject = O\nsujet = X\n---\nTexte\n");
    try {
        comptoir::parse_letter_template(unknown);
        FAIL() << "an unknown key was accepted";
    } catch (const comptoir::TemplateError& error) {
        EXPECT_NE(std::string(error.what()).find(unknown + ":4"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("« sujet »"), std::string::npos);
    }
    const std::string no_separator = dir.write("essai.seul.lettre", "id = essai.seul\ntitle = Essai\n");
    EXPECT_THROW(comptoir::parse_letter_template(no_separator), comptoir::TemplateError);
}

// The fuzzer's find (fuzz_letter, tests/data/fuzz/letter-empty-key-segment): a key with an
// empty segment ("question.x.") made the key listing recurse until the stack overflowed. Now
// such keys, and keys deeper than any template has, are unknown keys, said with their line.
TEST(Letters, KeysWithEmptyOrEndlessSegmentsAreUnknownKeysNotACrash) {
    const std::string header = "id = fuzz\ntitle = Essai\nsubject = Objet\n";
    for (const std::string& key : {std::string("question.destinataire."), std::string("a..b"), std::string("."),
                                   std::string("a.b.c.d.e.f.g.h.i.j.k.l"), std::string(5000, '.')}) {
        try {
            comptoir::parse_letter_template_text(header + key + " = x\n---\nTexte\n", "/essai/fuzz.lettre");
            ADD_FAILURE() << "accepted: " << key.substr(0, 40);
        } catch (const comptoir::TemplateError& error) {
            EXPECT_NE(std::string(error.what()).find("clé inconnue"), std::string::npos) << error.what();
        }
    }
    const std::string found = comptoir::test::read_file(std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/fuzz/letter-empty-key-segment");
    const std::string text = found.substr(0, found.find("\n====\n"));
    EXPECT_THROW(comptoir::parse_letter_template_text(text, "/fuzz/fuzz.lettre"), comptoir::TemplateError);
}

TEST(Letters, TheSiteOverridesAShippedTemplate) {
    TempDir site;
    site.write("libre.courrier.lettre",
               "id = libre.courrier\ntitle = Courrier du site\nrecipient = {{destinataire}}\nsubject = {{objet}}\n---\n"
               "Bonjour de la part du site.\n");
    const LetterCatalog catalog({site.path(), kTemplates});
    EXPECT_EQ(catalog.find("libre.courrier").title, "Courrier du site");
    EXPECT_EQ(LetterCatalog({kTemplates}).find("libre.courrier").title, "Courrier libre");
    EXPECT_THROW(catalog.find("edf.inconnu"), comptoir::NotFoundError);
}
