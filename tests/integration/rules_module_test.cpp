// The rules module (plugins/rules, issue 32 item 4) through the host: one plugin per definition
// of plugins.rules_dir, a refused definition named in the log with its file and line, an id that
// another plugin holds refused by the host, and the shipped water bill and rent notice read on
// a page.
#include "comptoir/plugin_host/plugin_host.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

using comptoir::Document;
using comptoir::PluginRegistry;
using comptoir::test::LogCapture;
using comptoir::test::TempDir;

namespace {

const std::string kPlugins = COMPTOIR_BUILD_PLUGINS_DIR;
const std::string kRules = kPlugins + "/rules.so";

// Words on a line each; `lines`: (y, words as "text@x").
std::string page_json(const std::vector<std::pair<int, std::vector<std::pair<std::string, int>>>>& lines) {
    std::string words;
    int line_id = 0;
    for (const auto& [y, line] : lines) {
        ++line_id;
        for (const auto& [text, x] : line) {
            if (!words.empty()) words += ",";
            words += R"({"text": ")" + text + R"(", "confidence": 0.95, "box": [)" + std::to_string(x) + ", " +
                     std::to_string(y) + ", " + std::to_string(static_cast<int>(text.size()) * 18) + R"(, 30], "block": )" +
                     std::to_string(line_id) + R"(, "line": )" + std::to_string(line_id) + "}";
        }
    }
    return R"({"pages": [{"width": 2480, "height": 3508, "dpi": 300, "words": [)" + words + "]}]}";
}

}  // namespace

TEST(RulesModule, EachShippedDefinitionIsAPluginOfItsOwn) {
    PluginRegistry registry(comptoir::in_this_process());
    ASSERT_TRUE(registry.load_file(kRules));
    const auto* eau = registry.find("eau");
    const auto* bailleur = registry.find("bailleur");
    ASSERT_NE(eau, nullptr);
    ASSERT_NE(bailleur, nullptr);
    EXPECT_EQ(eau->file, "rules.so");
    EXPECT_TRUE(eau->has_kind("eau.facture"));
    EXPECT_TRUE(bailleur->has_kind("bailleur.avis_echeance"));
    EXPECT_EQ(eau->letters_for("eau.facture"), std::vector<std::string>{"eau.echeancier"});
    EXPECT_EQ(bailleur->letters_for("bailleur.avis_echeance"), std::vector<std::string>{"bailleur.plan_apurement"});
    ASSERT_NE(eau->field("numero_compteur"), nullptr);
    EXPECT_EQ(eau->field("numero_compteur")->max_length, 16u);
}

TEST(RulesModule, ARefusedDefinitionIsLoggedWithItsFileAndLineAndTheOthersLoad) {
    TempDir dir;
    comptoir::test::copy_file(std::string(COMPTOIR_SOURCE_DIR) + "/plugins/rules/definitions/eau.yaml", dir.file("eau.yaml"));
    comptoir::test::copy_file(std::string(COMPTOIR_SOURCE_DIR) + "/plugins/rules/definitions/eau.echeancier.lettre",
                              dir.file("eau.echeancier.lettre"));
    dir.write("faux.yaml", "id: faux\npartner: Faux\nkinds:\n  - id: faux.page\n    label: Page\n    words: [{text: [Page], weight: 1}]\n"
                           "fields:\n  - key: total\n    type: monnaie\n    labels: [Total]\n");
    LogCapture log;
    PluginRegistry registry(comptoir::in_this_process());
    registry.set_settings({{"rules", {{"dir", dir.path()}}}});
    ASSERT_TRUE(registry.load_file(kRules));
    EXPECT_NE(registry.find("eau"), nullptr);
    EXPECT_EQ(registry.find("faux"), nullptr);
    EXPECT_TRUE(log.channel().contains("définition refusée : faux.yaml, ligne 9 : champ « total » : type de champ inconnu « monnaie »"));
}

TEST(RulesModule, ADefinitionWhoseIdAnotherPluginHoldsIsRefusedByTheHost) {
    TempDir dir;
    dir.write("edf.yaml", "id: edf\npartner: Faux EDF\nkinds:\n  - id: edf.autre\n    label: Autre\n"
                          "    words: [{text: [Autre], weight: 1}]\nfields:\n  - key: total\n    label: Total\n    type: amount\n"
                          "    labels: [Total]\n");
    PluginRegistry registry(comptoir::in_this_process());
    registry.set_settings({{"rules", {{"dir", dir.path()}}}});
    ASSERT_TRUE(registry.load_file(kPlugins + "/edf.so"));
    EXPECT_FALSE(registry.load_file(kRules));
    ASSERT_EQ(registry.rejected().size(), 1u);
    EXPECT_EQ(registry.rejected()[0].file, "rules.so");
    EXPECT_EQ(registry.rejected()[0].id, "edf");
    EXPECT_NE(registry.rejected()[0].reason.find("déjà utilisé par edf.so"), std::string::npos) << registry.rejected()[0].reason;
    EXPECT_EQ(registry.find("edf")->partner, "EDF");
}

TEST(RulesModule, AWaterBillIsRecognisedAndRead) {
    PluginRegistry registry(comptoir::in_this_process());
    ASSERT_TRUE(registry.load_file(kRules));
    const Document bill = Document::from_json(page_json({
        {150, {{"Eau", 200}, {"de", 280}, {"Paris", 340}}},
        {300, {{"Facture", 200}, {"d'eau", 350}}},
        {450, {{"N°", 200}, {"de", 260}, {"facture", 320}, {":", 480}, {"F2025031877", 700}}},
        {520, {{"Référence", 200}, {"client", 400}, {":", 520}, {"4471203", 700}}},
        {590, {{"N°", 200}, {"de", 260}, {"compteur", 320}, {":", 500}, {"C19A40218", 700}}},
        {660, {{"Période", 200}, {"du", 380}, {"02/01/2025", 440}, {"au", 650}, {"01/04/2025", 710}}},
        {730, {{"Consommation", 200}, {":", 450}, {"57", 700}, {"m3", 760}}},
        {900, {{"Montant", 200}, {"TTC", 360}, {":", 440}, {"87,43", 700}, {"€", 800}}},
        {970, {{"À", 200}, {"payer", 240}, {"avant", 350}, {"le", 460}, {":", 500}, {"30/04/2025", 700}}},
        {1100, {{"Assainissement", 200}, {"collectif", 480}}},
    }));
    const auto recognition = registry.recognise(bill, 0.5);
    ASSERT_TRUE(recognition.document);
    EXPECT_EQ(recognition.document->kind, "eau.facture");
    const auto extraction = registry.extract(bill, "eau", "eau.facture");
    ASSERT_TRUE(extraction.ok) << extraction.error;
    const std::map<std::string, std::string> expected = {
        {"numero_facture", "F2025031877"}, {"reference_client", "4471203"}, {"numero_compteur", "C19A40218"},
        {"periode_debut", "2025-01-02"},  {"periode_fin", "2025-04-01"},  {"consommation_m3", "57"},
        {"montant_ttc", "87.43"},         {"date_limite_paiement", "2025-04-30"}};
    for (const auto& [key, value] : expected) {
        ASSERT_EQ(extraction.fields.count(key), 1u) << key;
        EXPECT_EQ(extraction.fields.at(key).value, value) << key;
    }
}

TEST(RulesModule, ARentNoticeIsRecognisedAndRead) {
    PluginRegistry registry(comptoir::in_this_process());
    ASSERT_TRUE(registry.load_file(kRules));
    const Document notice = Document::from_json(page_json({
        {150, {{"Habitat", 200}, {"Social", 360}}},
        {300, {{"Avis", 200}, {"d'échéance", 300}}},
        {450, {{"Référence", 200}, {"locataire", 400}, {":", 560}, {"LOC0045821", 700}}},
        {520, {{"Période", 200}, {":", 380}, {"mars", 700}, {"2025", 800}}},
        {660, {{"Loyer", 200}, {"principal", 320}, {"412,50", 1500}}},
        {730, {{"Charges", 200}, {"locatives", 370}, {"95,20", 1500}}},
        {800, {{"APL", 200}, {"déduite", 290}, {"-210,00", 1500}}},
        {900, {{"Montant", 200}, {"à", 360}, {"payer", 400}, {"297,70", 1500}}},
        {970, {{"À", 200}, {"payer", 240}, {"avant", 350}, {"le", 460}, {"05/03/2025", 700}}},
    }));
    const auto recognition = registry.recognise(notice, 0.5);
    ASSERT_TRUE(recognition.document);
    EXPECT_EQ(recognition.document->kind, "bailleur.avis_echeance");
    const auto extraction = registry.extract(notice, "bailleur", "bailleur.avis_echeance");
    ASSERT_TRUE(extraction.ok) << extraction.error;
    const std::map<std::string, std::string> expected = {
        {"reference_locataire", "LOC0045821"}, {"periode_debut", "2025-03-01"}, {"periode_fin", "2025-03-31"},
        {"loyer", "412.50"}, {"charges", "95.20"}, {"aide_logement", "210.00"}, {"montant_a_payer", "297.70"},
        {"date_limite_paiement", "2025-03-05"}};
    for (const auto& [key, value] : expected) {
        ASSERT_EQ(extraction.fields.count(key), 1u) << key;
        EXPECT_EQ(extraction.fields.at(key).value, value) << key;
    }
}
