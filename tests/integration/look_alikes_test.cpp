// Look-alike documents (issue 28, item 4), on OCR results written by hand (no Tesseract): an avis
// de situation déclarative is not an avis d'impôt, an attestation de titulaire de contrat is not
// a bill — each is a kind of its own, read, offering no partner letter (they ask for no money) —,
// and other companies' bills (telephone, internet, water, another energy supplier) are claimed by
// no EDF kind.
#include "ocr_page.hpp"
#include "test_support.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using comptoir::test::ocr_page;

class LookAlikes : public ::testing::Test {
protected:
    void SetUp() override {
        config_ = comptoir::test::shipped_plugins_config(dir_);
    }
    Poco::JSON::Object::Ptr process(const std::string& name, const std::vector<std::string>& lines) {
        const auto path = dir_.write(name + ".ocr.json", ocr_page(lines));
        const auto result = comptoir::test::run_process(COMPTOIR_BINARY, {"process", "--config", config_, "--json", path});
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Object::Ptr>();
    }
    static std::string kind(const Poco::JSON::Object::Ptr& out) {
        return out->isNull("document") ? "(aucun)" : out->getObject("document")->getValue<std::string>("kind");
    }
    static std::string value(const Poco::JSON::Object::Ptr& out, const std::string& key) {
        auto fields = out->getObject("fields");
        if (!fields || !fields->has(key)) return "(absent)";
        return fields->getObject(key)->optValue<std::string>("value", "");
    }
    static std::vector<std::string> letters(const Poco::JSON::Object::Ptr& out) {
        std::vector<std::string> ids;
        for (const auto& letter : *out->getArray("letters")) ids.push_back(letter.toString());
        return ids;
    }
    comptoir::test::TempDir dir_;
    std::string config_;
};

const std::vector<std::string> kSituation = {
    "DIRECTION GÉNÉRALE DES FINANCES PUBLIQUES",
    "AVIS DE SITUATION DÉCLARATIVE À L'IMPÔT SUR LE REVENU",
    "Revenus de l'année 2022",
    "Numéro fiscal : 12 34 567 890 066",
    "Référence de l'avis : 23 78 012 345 678",
    "Date d'établissement : 12/05/2023",
    "Situation de famille : Célibataire",
    "Nombre de parts : 1,5",
    "Revenu brut global 18 250 €",
    "Revenu fiscal de référence : 17 412 €",
    "Ce document n'est pas un avis d'impôt : il atteste des revenus déclarés."};

const std::vector<std::string> kAttestation = {
    "EDF Électricité de France",
    "Service Clients – TSA 21941 – 62978 Arras Cedex 9",
    "ATTESTATION DE TITULAIRE DE CONTRAT",
    "EDF atteste que le titulaire ci-dessous dispose d'un contrat d'électricité",
    "Contrat souscrit le 01/03/2019",
    "Titulaire du contrat : Mme Fatima MARTIN",
    "Adresse de consommation : 31 boulevard des Tilleuls, 56100 LORIENT",
    "Point de livraison (PDL) : 59083181966480",
    "Référence client : 03 82 53 51 48",
    "Puissance souscrite : 6 kVA",
    "Fait le 15/05/2024"};

}  // namespace

TEST_F(LookAlikes, ImpotsSituationDeclarativeIsItsOwnKindReadWithoutATax) {
    const auto out = process("asd", kSituation);
    EXPECT_EQ(kind(out), "impots.situation_declarative");
    EXPECT_EQ(value(out, "numero_fiscal"), "1234567890066");
    EXPECT_EQ(value(out, "reference_avis"), "2378012345678");
    EXPECT_EQ(value(out, "annee_revenus"), "2022");
    EXPECT_EQ(value(out, "revenu_fiscal_reference"), "17412.00");  // not the gross income
    EXPECT_EQ(value(out, "nombre_parts"), "1.5");
    EXPECT_EQ(value(out, "date_etablissement"), "2023-05-12");
    for (const char* key : {"impot_net", "reste_a_payer", "date_limite_paiement", "date_mise_en_recouvrement"}) {
        EXPECT_EQ(value(out, key), "(absent)") << key;
    }
}

TEST_F(LookAlikes, EdfAttestationIsItsOwnKindDatedByItsDayNotTheContracts) {
    const auto out = process("attestation", kAttestation);
    EXPECT_EQ(kind(out), "edf.attestation");
    EXPECT_EQ(value(out, "titulaire"), "Mme Fatima MARTIN");
    EXPECT_EQ(value(out, "adresse_consommation"), "31 boulevard des Tilleuls, 56100 LORIENT");
    EXPECT_EQ(value(out, "pdl"), "59083181966480");
    EXPECT_EQ(value(out, "reference_client"), "0382535148");
    EXPECT_EQ(value(out, "date_attestation"), "2024-05-15");
    EXPECT_EQ(value(out, "montant_ttc"), "(absent)");
}

TEST_F(LookAlikes, EdfAndImpotsLookAlikesOfferNoLetterOfTheirPartner) {
    // They ask for no money: no payment plan, no remise, no claim; only the free letter, which
    // every document is offered.
    for (const auto* lines : {&kSituation, &kAttestation}) {
        const auto out = process("sans-courrier", *lines);
        EXPECT_EQ(letters(out), std::vector<std::string>{"libre.courrier"}) << kind(out);
    }
}

TEST_F(LookAlikes, OtherCompaniesBillsAreClaimedByNoEdfKind) {
    const std::vector<std::vector<std::string>> bills = {
        {"orange", "Votre facture mobile du 12/03/2024", "N° client : 12 345 6789", "Facture n° 987654321",
         "Forfait mobile 24,99 €", "Montant TTC 29,99 €", "à payer avant le 27/03/2024",
         "Orange SA au capital de 10 640 226 396 € – orange.fr"},
        {"free", "Votre facture Freebox", "Identifiant client : 8812 3456", "Période du 01/02/2024 au 29/02/2024",
         "Abonnement Box internet 39,99 €", "Total TTC 39,99 €", "Prélevé le 05/03/2024"},
        {"Veolia Eau", "Facture d'eau du 12/03/2024", "Référence client : 123456789", "Consommation : 42 m³",
         "Abonnement 12,40 € Assainissement 31,02 €", "Total TTC 87,43 €", "à payer avant le 27/03/2024"},
        // Another electricity supplier: kWh, a delivery point, a subscribed power — and its name.
        {"TotalEnergies", "Votre facture d'électricité du 15/05/2024", "Référence client : 0382535148",
         "Point de livraison : 59083181966480", "Période de consommation du 12/04/2024 au 13/05/2024",
         "Consommation : 311 kWh", "Puissance souscrite : 6 kVA", "Montant TTC : 80,12 €", "à payer avant le 02/06/2024",
         "TotalEnergies Électricité et Gaz France – SA"},
        {"ENGIE", "Votre facture de gaz naturel", "N° de client : 1234567890", "Consommation : 5 120 kWh",
         "Montant à payer : 312,40 €", "Date limite de paiement : 02/06/2024", "engie.fr"},
        // A supplier no list knows, printing an electricity bill's words: without EDF's name
        // anywhere, it is never EDF's.
        {"Énergie du Littoral", "Votre facture d'électricité et de gaz", "Référence client : 0382535148",
         "Point de livraison : 59083181966480", "Période de consommation du 12/04/2024 au 13/05/2024",
         "Consommation : 1 311 kWh", "Puissance souscrite : 9 kVA", "Montant TTC : 180,12 €",
         "à payer avant le 02/06/2024", "Énergie du Littoral SAS – fournisseur d'électricité"}};
    for (const auto& bill : bills) {
        const auto out = process("autre", bill);
        EXPECT_EQ(kind(out).rfind("edf.", 0), std::string::npos) << bill.front() << " : " << kind(out);
        EXPECT_EQ(kind(out), "(aucun)") << bill.front();
    }
}

TEST_F(LookAlikes, TheirTitlesAloneDoNotTakeANoticeOrABillThatAsksForMoney) {
    // A notice that prints the payment labels stays a notice, whatever else its page says.
    auto notice = kSituation;
    notice.push_back("Impôt sur le revenu net 1 204,00 €");
    notice.push_back("Somme qu'il vous reste à payer 486,04 €");
    notice.push_back("Date limite de paiement : 15/09/2023");
    EXPECT_EQ(kind(process("avis", notice)), "impots.avis_ir");
    auto bill = kAttestation;
    bill.push_back("Facture n° 8494685852");
    bill.push_back("Montant à payer (TTC) : 160,10 €");
    bill.push_back("à payer avant le 02/06/2024");
    EXPECT_EQ(kind(process("facture", bill)), "edf.facture");
}
