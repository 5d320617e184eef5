// The EDF, DGFiP and CAF plugins on OCR results written by hand (no Tesseract): what they read,
// which distractors they leave, what their checks say, the suggestion they make when OCR
// confused a digit with a letter, and the letters they offer.
#include "ocr_page.hpp"
#include "test_support.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <sstream>

using comptoir::test::TempDir;

namespace {

using comptoir::test::ocr_page;

class PartnerPlugins : public ::testing::Test {
protected:
    void SetUp() override {
        config_ = comptoir::test::shipped_plugins_config(dir_);
    }
    Poco::JSON::Object::Ptr process(const std::string& name, const std::vector<std::string>& lines,
                                    const std::string& barcodes = "") {
        const auto path = dir_.write(name + ".ocr.json", ocr_page(lines, barcodes));
        const auto result = comptoir::test::run_process(COMPTOIR_BINARY, {"process", "--config", config_, "--json", path});
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Object::Ptr>();
    }
    static std::string value(const Poco::JSON::Object::Ptr& out, const std::string& key, const std::string& what = "value") {
        auto fields = out->getObject("fields");
        if (!fields->has(key)) return "(absent)";
        return fields->getObject(key)->optValue<std::string>(what, "");
    }
    TempDir dir_;
    std::string config_;
};

const std::vector<std::string> kBill = {
    "EDF Électricité de France",
    "Service Clients – TSA 21941 – 62978 Arras Cedex 9",
    "Facture du 15/05/2024 n° 8494685852",
    "Votre référence client : 03 82 53 51 48",
    "Point de livraison (PDL) : 5908318196648O",
    "Titulaire du contrat : Mme Fatima MARTIN",
    "Lieu de consommation : 31 boulevard des Tilleuls, 56100 LORIENT",
    "Montant à payer (TTC) : 160,10 €",
    "à payer avant le 02/06/2024",
    "Période de consommation du 12/04/2024 au 13/05/2024",
    "Index de début : 2696 – Index de fin : 3007",
    "Consommation : 311 kWh",
    "Puissance souscrite : 3 kVA Tarif Bleu",
    "Montant hors TVA 133,42 €",
    "TVA 26,68 €",
    "Prochaine facture vers le 14/06/2024"};

}  // namespace

TEST_F(PartnerPlugins, EdfBillIsReadWithItsChecksAndNotItsDistractors) {
    const auto out = process("facture", kBill);
    ASSERT_FALSE(out->isNull("document"));
    EXPECT_EQ(out->getObject("document")->getValue<std::string>("kind"), "edf.facture");
    EXPECT_EQ(value(out, "numero_facture"), "8494685852");
    EXPECT_EQ(value(out, "date_facture"), "2024-05-15");
    EXPECT_EQ(value(out, "reference_client"), "0382535148");
    EXPECT_EQ(value(out, "montant_ttc"), "160.10");  // not the amount before tax
    EXPECT_EQ(value(out, "montant_ttc", "check"), "ok");  // 133,42 + 26,68
    EXPECT_EQ(value(out, "date_limite_paiement"), "2024-06-02");
    EXPECT_EQ(value(out, "date_limite_paiement", "check"), "ok");
    EXPECT_EQ(value(out, "periode_debut"), "2024-04-12");
    EXPECT_EQ(value(out, "periode_fin"), "2024-05-13");
    EXPECT_EQ(value(out, "consommation_kwh"), "311");  // not a meter index
    EXPECT_EQ(value(out, "titulaire"), "Mme Fatima MARTIN");
    EXPECT_EQ(value(out, "adresse_consommation"), "31 boulevard des Tilleuls, 56100 LORIENT");
    EXPECT_EQ(value(out, "adresse_service_client"), "EDF Service Clients, TSA 21941, 62978 Arras Cedex 9");
    EXPECT_EQ(value(out, "destinataire"), "(absent)");  // renamed: the letters' templates say where it goes
    // OCR read the PDL's last 0 as an O: the reading is kept, flagged, and repaired as a suggestion.
    EXPECT_EQ(value(out, "pdl"), "5908318196648O");
    EXPECT_EQ(value(out, "pdl", "check"), "failed");
    EXPECT_EQ(value(out, "pdl", "suggestion"), "59083181966480");
    std::vector<std::string> letters;
    for (const auto& letter : *out->getArray("letters")) letters.push_back(letter.toString());
    for (const char* id : {"edf.delai_paiement", "edf.contestation", "edf.mediateur", "edf.fsl"}) {
        EXPECT_NE(std::find(letters.begin(), letters.end(), id), letters.end()) << id;
    }
}

TEST_F(PartnerPlugins, EdfServiceAddressIsReadWholeWhateverOcrMadeOfItsDashes) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"Service Clients - TSA 21941 - 62978 Arras Cedex 9", "EDF Service Clients, TSA 21941, 62978 Arras Cedex 9"},
        {"Service Clients TSA 21941 62978 Arras CEDEX 9", "EDF Service Clients, TSA 21941, 62978 Arras CEDEX 9"},
        {"Service Clients – TSA 40025– 44911 Nantes Cedex 9", "EDF Service Clients, TSA 40025, 44911 Nantes Cedex 9"},
        {"Service Clients — 44911 Nantes Cedex 9 — edf.fr", "EDF Service Clients, 44911 Nantes Cedex 9"},
    };
    for (const auto& [line, expected] : cases) {
        auto lines = kBill;
        lines[1] = line;
        EXPECT_EQ(value(process("facture", lines), "adresse_service_client"), expected) << line;
    }
}

TEST_F(PartnerPlugins, EdfServiceAddressWithoutItsTownIsNoAddress) {
    // A sorting code without its postcode and town, and the footer's phone number: no half address.
    for (const char* line : {"Service Clients – TSA 21941", "Service client 09 69 32 15 15 (appel non surtaxé)"}) {
        auto lines = kBill;
        lines[1] = line;
        EXPECT_EQ(value(process("facture", lines), "adresse_service_client"), "(absent)") << line;
    }
}

TEST_F(PartnerPlugins, EdfDatesThatContradictEachOtherAreFlagged) {
    auto lines = kBill;
    lines[8] = "à payer avant le 02/04/2024";  // before the bill's own date
    const auto out = process("facture", lines);
    EXPECT_EQ(value(out, "date_limite_paiement"), "2024-04-02");
    EXPECT_EQ(value(out, "date_limite_paiement", "check"), "failed");
    EXPECT_EQ(value(out, "date_facture", "check"), "failed");
}

TEST_F(PartnerPlugins, TaxNoticeReadsDeclarantOneNotTwo) {
    const auto out = process("avis", {
        "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES",
        "Impôt sur le revenu de 2021",
        "Avis d'impôt établi en 2022",
        "Vos références",
        "Numéro fiscal – Déclarant 1 : 12 34 567 890 066",
        "Déclarant 2 : 98 76 543 210 089",
        "Référence de l'avis : 22 78 012 345 678",
        "Numéro FIP : 503632",
        "Date d'établissement : 27/07/2022",
        "Date de mise en recouvrement : 29/07/2022",
        "Somme qu'il vous reste à payer 486,04 €",
        "Date limite de paiement : 15/09/2022",
        "Revenu fiscal de référence : 23 456 €",
        "Nombre de parts : 2,50",
        "Impôt brut 2 815,78 €",
        "Impôt sur le revenu net 2 725,39 €",
        "Centre des finances publiques",
        "SIP de Lorient",
        "12 rue de la Gare",
        "CS 30012",
        "56100 LORIENT",
        "impots.gouv.fr – 0 809 401 401"});
    ASSERT_FALSE(out->isNull("document"));
    EXPECT_EQ(out->getObject("document")->getValue<std::string>("kind"), "impots.avis_ir");
    EXPECT_EQ(value(out, "numero_fiscal"), "1234567890066");
    EXPECT_EQ(value(out, "numero_fiscal", "check"), "ok");  // 1234567890 mod 511 = 66
    EXPECT_EQ(value(out, "numero_fiscal_2"), "9876543210089");
    EXPECT_EQ(value(out, "numero_fiscal_2", "check"), "failed");  // the key does not hold: flagged, kept
    EXPECT_EQ(value(out, "reference_avis"), "2278012345678");
    EXPECT_EQ(value(out, "reference_avis", "check"), "ok");
    EXPECT_EQ(value(out, "annee_revenus"), "2021");
    EXPECT_EQ(value(out, "revenu_fiscal_reference"), "23456.00");
    EXPECT_EQ(value(out, "nombre_parts"), "2.5");
    EXPECT_EQ(value(out, "impot_net"), "2725.39");  // not the gross tax
    EXPECT_EQ(value(out, "reste_a_payer"), "486.04");
    EXPECT_EQ(value(out, "reste_a_payer", "check"), "ok");
    EXPECT_EQ(value(out, "date_etablissement"), "2022-07-27");
    EXPECT_EQ(value(out, "date_mise_en_recouvrement"), "2022-07-29");
    EXPECT_EQ(value(out, "date_limite_paiement"), "2022-09-15");
    EXPECT_EQ(value(out, "date_limite_paiement", "check"), "ok");
    EXPECT_EQ(value(out, "centre_finances_publiques"), "SIP de Lorient");
    EXPECT_EQ(value(out, "adresse_centre"), "SIP de Lorient, 12 rue de la Gare, CS 30012, 56100 LORIENT");
}

const std::vector<std::string> kNoticeHead = {
    "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES",
    "Avis d'impôt établi en 2022",
    "Numéro fiscal : 12 34 567 890 066",
    "Référence de l'avis : 22 78 012 345 678",
    "Date de mise en recouvrement : 29/07/2022",
    "Reste à payer 486,04 €",
    "Date limite de paiement : 15/09/2022",
    "Impôt sur le revenu net 2 725,39 €"};

TEST_F(PartnerPlugins, TaxCentreAddressIsItsWholeBlockOrNothing) {
    // Its name after a label on the same line, its lines under the label.
    auto lines = kNoticeHead;
    for (const char* line : {"Vos contacts : Service des impôts des particuliers de Nîmes", "8 avenue Jean Jaurès", "30900 Nîmes",
                             "impots.gouv.fr"}) {
        lines.push_back(line);
    }
    auto out = process("avis", lines);
    EXPECT_EQ(value(out, "adresse_centre"), "Service des impôts des particuliers de Nîmes, 8 avenue Jean Jaurès, 30900 Nîmes");
    // The name and a web address, no postcode: the name is read, the address is not.
    lines = kNoticeHead;
    for (const char* line : {"Centre des finances publiques", "SIP de Lorient", "impots.gouv.fr – 0 809 401 401", "56100 LORIENT"}) {
        lines.push_back(line);
    }
    out = process("avis", lines);
    EXPECT_EQ(value(out, "centre_finances_publiques"), "SIP de Lorient");
    EXPECT_EQ(value(out, "adresse_centre"), "(absent)");
}

TEST_F(PartnerPlugins, AWaterBillIsNeitherAnEdfBillNorATaxNotice) {
    const auto out = process("eau", {
        "Eau de Lorient – service public de l'eau",
        "Facture d'eau du 12/03/2024",
        "Référence client : 123456789",
        "Consommation : 42 m³",
        "Total TTC 87,43 €",
        "à payer avant le 27/03/2024"});
    EXPECT_TRUE(out->isNull("document"));
}

const std::vector<std::string> kDebt = {
    "Caisse d'allocations familiales du Val-",
    "de-Marne",
    "94000 Créteil – caf.fr – 32 30",
    "N° allocataire : 135 5402",
    "Créteil, le 17/01/2023",
    "Madame Françoise BOUCHARD",
    "1 impasse du Port",
    "94000 CRÉTEIL",
    "Notification de dette",
    "Prestation : Allocation de logement sociale – période du 1er septembre 2022 au",
    "31 octobre 2022",
    "Mois || Montant versé || Montant dû || Trop-perçu",
    "septembre 2022 || 639,86 € || 575,15 € || 64,71 €",
    "octobre 2022 || 134,44 € || 89,17 € || 45,27 €",
    "Somme à rembourser || 109,98 €",
    "Si vous contestez cette décision, vous pouvez saisir la Commission de recours amiable."};

TEST_F(PartnerPlugins, CafDebtNotificationIsReadWithItsWrappedLines) {
    const auto out = process("indu", kDebt);
    ASSERT_FALSE(out->isNull("document"));
    EXPECT_EQ(out->getObject("document")->getValue<std::string>("kind"), "caf.indu");
    EXPECT_EQ(value(out, "numero_allocataire"), "1355402");
    EXPECT_EQ(value(out, "numero_allocataire", "check"), "ok");
    EXPECT_EQ(value(out, "allocataire"), "Madame Françoise BOUCHARD");
    EXPECT_EQ(value(out, "date_document"), "2023-01-17");
    EXPECT_EQ(value(out, "caf"), "Val-de-Marne");  // the name goes on at the next line
    EXPECT_EQ(value(out, "caf", "check"), "ok");
    // The Caf's address as printed under its name, up to its town (not the site after the dash).
    EXPECT_EQ(value(out, "adresse_caf"), "Caisse d'allocations familiales du Val-de-Marne, 94000 Créteil");
    EXPECT_EQ(value(out, "prestation"), "ALS");
    EXPECT_EQ(value(out, "periode_debut"), "2022-09-01");
    EXPECT_EQ(value(out, "periode_fin"), "2022-10-31");  // on the next line
    // Not the first month's amount under the headers "Montant dû | Trop-perçu".
    EXPECT_EQ(value(out, "montant_indu"), "109.98");
    std::vector<std::string> letters;
    for (const auto& letter : *out->getArray("letters")) letters.push_back(letter.toString());
    for (const char* id : {"caf.recours_amiable", "caf.remise_dette", "caf.echeancier", "caf.changement_situation"}) {
        EXPECT_NE(std::find(letters.begin(), letters.end(), id), letters.end()) << id;
    }
}

TEST_F(PartnerPlugins, CafAttestationTotalIsCheckedAgainstItsLines) {
    std::vector<std::string> lines = {
        "Caf du Rhone",  // OCR dropped the accent: the list of départements puts it back
        "69000 Lyon – caf.fr – 32 30",
        "Votre numéro allocataire : 2439972",
        "Le 07/01/2022",
        "M. Ahmed FONTAINE",
        "94 place des Lilas",
        "69003 LYON",
        "Attestation de paiement",
        "Nous certifions que M. Ahmed FONTAINE a perçu les prestations suivantes du 01/09/2021 au 30/11/2021 :",
        "Mois || Prestation || Montant versé",
        "septembre 2021 || APL || 254,10 €",
        "octobre 2021 || APL || 254,10 €",
        "novembre 2021 || APL || 1 260,00 €",
        "Total || 1 768,20 €"};
    auto out = process("attestation", lines);
    ASSERT_FALSE(out->isNull("document"));
    EXPECT_EQ(out->getObject("document")->getValue<std::string>("kind"), "caf.attestation_paiement");
    EXPECT_EQ(value(out, "caf"), "Rhône");
    EXPECT_EQ(value(out, "adresse_caf"), "Caf du Rhône, 69000 Lyon");  // the list's spelling, as for its département
    EXPECT_EQ(value(out, "allocataire"), "M. Ahmed FONTAINE");
    EXPECT_EQ(value(out, "date_document"), "2022-01-07");
    EXPECT_EQ(value(out, "numero_allocataire"), "2439972");
    EXPECT_EQ(value(out, "montant_total"), "1768.20");
    EXPECT_EQ(value(out, "montant_total", "check"), "ok");
    EXPECT_EQ(value(out, "montant_indu"), "(absent)");  // a debt's field, not an attestation's
    // A line misread: the total no longer adds up, and is flagged.
    lines[11] = "octobre 2021 || APL || 234,10 €";
    out = process("attestation-fausse", lines);
    EXPECT_EQ(value(out, "montant_total"), "1768.20");
    EXPECT_EQ(value(out, "montant_total", "check"), "failed");
}

// An attestation in words the plugin's lists do not hold: its benefits and period, which a debt
// letter prints too, do not make it one.
TEST_F(PartnerPlugins, CafAttestationInOtherWordsIsNoDebtForItsBenefitsAndPeriod) {
    const std::vector<std::string> lines = {
        "Caf du Rhône",
        "69000 Lyon – caf.fr – 32 30",
        "Votre numéro allocataire : 2439972",
        "Le 07/01/2022",
        "M. Ahmed FONTAINE",
        "94 place des Lilas",
        "69003 LYON",
        "Récapitulatif de vos droits",
        "Période : du 01/09/2021 au 30/11/2021",
        "Mois || Prestation || Montant",
        "septembre 2021 || APL || 254,10 €",
        "octobre 2021 || APL || 254,10 €",
        "novembre 2021 || APL || 1 260,00 €",
        "Total || 1 768,20 €"};
    const auto out = process("recapitulatif", lines);
    ASSERT_FALSE(out->isNull("document"));
    EXPECT_EQ(out->getObject("document")->getValue<std::string>("kind"), "caf.attestation_paiement");
    EXPECT_EQ(value(out, "montant_total"), "1768.20");
}

TEST_F(PartnerPlugins, NoCafClaimsABillOrATaxNoticeAndTheirsDoNotClaimCafLetters) {
    const auto bill = process("facture", kBill);
    EXPECT_EQ(bill->getObject("document")->getValue<std::string>("kind"), "edf.facture");
    const auto debt = process("indu", kDebt);
    for (const auto& candidate : *debt->getArray("candidates")) {
        const auto kind = candidate.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("kind");
        EXPECT_TRUE(kind.rfind("caf.", 0) == 0 || kind.rfind("libre.", 0) == 0) << kind;
    }
}

// ---- 2D-Doc: the code's values in the plugins' fields --------------------------------------

namespace {

// The avis of betagouv's type-28 example, printed, with the numéro fiscal misread (…780 for
// …789) and declarant 2 not read at all.
const std::vector<std::string> kNoticeOfTheExample = {
    "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES",
    "Impôt sur le revenu de 2021",
    "Avis d'impôt établi en 2022",
    "Numéro fiscal : 30 01 123 456 780",
    "Référence de l'avis : 22 78 012 345 678",
    "Date d'établissement : 29/07/2022",
    "Date de mise en recouvrement : 31/07/2022",
    "Reste à payer 182 €",
    "Date limite de paiement : 15/09/2022",
    "Revenu fiscal de référence : 63 198 €",
    "Nombre de parts : 2,75",
    "Impôt sur le revenu net 3 542 €",
    "Centre des finances publiques",
    "SIP de Versailles"};

// Its code (betagouv's message (a)), with the status the host gave it.
std::string example_code(const std::string& status, const std::string& rest_id = "4W") {
    return R"([{"page": 1, "box": [2100, 120, 240, 240], "format": "2ddoc", "version": "04", "ca": "FR00",
        "certificate": "0001", "document_type": "28", "status": ")" + status + R"(", "test_authority": true,
        "fields": {"43": "2,75", "44": "2278012345678", "45": "2021", "46": "RETI PATRICK", "4A": "31072022",
                   "4Y": "145 RUE JULLIARD/ZASPECIMEN/78320/LEVIS STNOM", "41": "63198", "47": "3001123456789",
                   "48": "RETISOPHIE", "49": "0701987765432", "4V": "3542", ")" + rest_id + R"(": "182", "4X": "3724"}}])";
}

std::string alternative(const Poco::JSON::Object::Ptr& out, const std::string& key, const std::string& what) {
    const auto field = out->getObject("fields")->getObject(key);
    if (!field || !field->has("alternatives")) return "(none)";
    const auto list = field->getArray("alternatives");
    return list->size() == 1 ? list->getObject(0)->getValue<std::string>(what) : "(" + std::to_string(list->size()) + ")";
}

}  // namespace

TEST_F(PartnerPlugins, AValidCodeGivesTheTaxNoticeItsValuesAndFlagsWhatOcrMisread) {
    const auto out = process("avis-code", kNoticeOfTheExample, example_code("valid"));
    ASSERT_FALSE(out->isNull("document"));
    EXPECT_EQ(out->getObject("document")->getValue<std::string>("kind"), "impots.avis_ir");
    // Read differently: the code's value wins, the page's is kept beside it, and it is flagged.
    EXPECT_EQ(value(out, "numero_fiscal"), "3001123456789");  // 47, not 40
    EXPECT_EQ(value(out, "numero_fiscal", "source"), "2ddoc");
    EXPECT_EQ(value(out, "numero_fiscal", "check"), "mismatch");
    EXPECT_EQ(alternative(out, "numero_fiscal", "source"), "ocr");
    EXPECT_EQ(alternative(out, "numero_fiscal", "value"), "3001123456780");
    EXPECT_EQ(value(out, "numero_fiscal", "text"), "30 01 123 456 780");  // where the page says it
    // Read the same: the code confirms, confidence 1, nothing else to show.
    EXPECT_EQ(value(out, "reference_avis"), "2278012345678");
    EXPECT_EQ(value(out, "reference_avis", "source"), "2ddoc");
    EXPECT_EQ(value(out, "reference_avis", "confidence"), "1");
    EXPECT_EQ(alternative(out, "reference_avis", "value"), "(none)");
    // Only in the code: taken from it, its place the code's.
    EXPECT_EQ(value(out, "numero_fiscal_2"), "0701987765432");
    EXPECT_EQ(value(out, "numero_fiscal_2", "source"), "2ddoc");
    EXPECT_EQ(out->getObject("fields")->getObject("numero_fiscal_2")->getArray("box")->getElement<int>(0), 2100);
    // Normalised as docs/formats.md says.
    EXPECT_EQ(value(out, "annee_revenus"), "2021");
    EXPECT_EQ(value(out, "revenu_fiscal_reference"), "63198.00");
    EXPECT_EQ(value(out, "nombre_parts"), "2.75");
    EXPECT_EQ(value(out, "impot_net"), "3542.00");
    EXPECT_EQ(value(out, "reste_a_payer"), "182.00");
    EXPECT_EQ(value(out, "date_mise_en_recouvrement"), "2022-07-31");
    EXPECT_EQ(value(out, "date_mise_en_recouvrement", "source"), "2ddoc");
    // What the code does not hold stays OCR's.
    EXPECT_EQ(value(out, "date_limite_paiement"), "2022-09-15");
    EXPECT_EQ(value(out, "date_limite_paiement", "source"), "ocr");
    // The code is listed as docs/formats.md shows.
    const auto code = out->getArray("barcodes")->getObject(0);
    EXPECT_EQ(code->getValue<std::string>("status"), "valid");
    EXPECT_EQ(code->getObject("fields")->getValue<std::string>("44"), "2278012345678");
}

TEST_F(PartnerPlugins, ResteAPayerComesFromFourZInTheNewerEdition) {
    const auto out = process("avis-4z", kNoticeOfTheExample, example_code("valid", "4Z"));
    EXPECT_EQ(value(out, "reste_a_payer"), "182.00");
    EXPECT_EQ(value(out, "reste_a_payer", "source"), "2ddoc");
}

TEST_F(PartnerPlugins, AnOlderCodeGivesTheNumeroFiscalFromForty) {
    const auto out = process("avis-04", kNoticeOfTheExample, R"([{"page": 1, "box": [0, 0, 200, 200],
        "format": "2ddoc", "document_type": "04", "status": "valid",
        "fields": {"10": "M/IMPOSABLE/FRANCOIS", "40": "3001123456789", "41": "63198"}}])");
    EXPECT_EQ(value(out, "numero_fiscal"), "3001123456789");
    EXPECT_EQ(value(out, "numero_fiscal", "source"), "2ddoc");
    EXPECT_EQ(value(out, "revenu_fiscal_reference", "source"), "2ddoc");
}

TEST_F(PartnerPlugins, ACodeOfUnknownCertificateConfirmsOrContradictsButNeverWins) {
    const auto out = process("avis-inconnu", kNoticeOfTheExample, example_code("unknown_certificate"));
    EXPECT_EQ(value(out, "numero_fiscal"), "3001123456780");  // the page's reading stays
    EXPECT_EQ(value(out, "numero_fiscal", "source"), "ocr");
    EXPECT_EQ(value(out, "numero_fiscal", "check"), "mismatch");
    EXPECT_EQ(alternative(out, "numero_fiscal", "source"), "2ddoc");
    EXPECT_EQ(alternative(out, "numero_fiscal", "value"), "3001123456789");
    EXPECT_EQ(value(out, "reference_avis", "source"), "ocr");  // confirmed
    EXPECT_GE(std::stod(value(out, "reference_avis", "confidence")), 0.9);
    // Only in the code: shown, but not trusted.
    EXPECT_EQ(value(out, "numero_fiscal_2", "source"), "2ddoc");
    EXPECT_LE(std::stod(value(out, "numero_fiscal_2", "confidence")), 0.5);
}

TEST_F(PartnerPlugins, ACodeWhoseSignatureFailsIsNotUsed) {
    const auto out = process("avis-altere", kNoticeOfTheExample, example_code("invalid_signature"));
    EXPECT_EQ(value(out, "numero_fiscal"), "3001123456780");
    EXPECT_EQ(value(out, "numero_fiscal", "source"), "ocr");
    EXPECT_EQ(alternative(out, "numero_fiscal", "value"), "(none)");
    EXPECT_EQ(value(out, "numero_fiscal_2"), "(absent)");
    const auto malformed = process("avis-abime", kNoticeOfTheExample, example_code("malformed"));
    EXPECT_EQ(value(malformed, "numero_fiscal_2"), "(absent)");
}

TEST_F(PartnerPlugins, ATaxNoticeCodeIsRecognisedEvenWhenThePageReadsBadly) {
    const auto out = process("avis-illisible", {"Av1s d'imp0t", "•••"}, example_code("valid"));
    ASSERT_FALSE(out->isNull("document"));
    EXPECT_EQ(out->getObject("document")->getValue<std::string>("kind"), "impots.avis_ir");
    EXPECT_EQ(value(out, "reference_avis"), "2278012345678");
}

TEST_F(PartnerPlugins, TheBillsCodeGivesItsNumbersAndAmount) {
    const auto out = process("facture-code", kBill, R"([{"page": 1, "box": [2000, 3000, 200, 200],
        "format": "2ddoc", "document_type": "01", "status": "valid",
        "fields": {"10": "MME/MARTIN/FATIMA", "18": "8494685852", "19": "0382535148", "1D": "160,10"}}])");
    EXPECT_EQ(value(out, "numero_facture"), "8494685852");
    EXPECT_EQ(value(out, "numero_facture", "source"), "2ddoc");
    EXPECT_EQ(value(out, "reference_client"), "0382535148");
    EXPECT_EQ(value(out, "reference_client", "source"), "2ddoc");
    EXPECT_EQ(value(out, "montant_ttc"), "160.10");
    EXPECT_EQ(value(out, "montant_ttc", "source"), "2ddoc");
    EXPECT_EQ(value(out, "montant_ttc", "check"), "ok");  // agrees with the page: the plugin's check stands
    // A tax notice's code on a bill is not the bill's.
    const auto other = process("facture-autre-code", kBill, example_code("valid"));
    EXPECT_EQ(value(other, "numero_facture", "source"), "ocr");
}
