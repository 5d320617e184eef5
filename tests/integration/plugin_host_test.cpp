// The plugin host against real MODULE plugins (tests/plugins/), each breaking one rule.
#include "comptoir/plugin_host/plugin_host.hpp"

#include <comptoir/plugin.h>

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

using comptoir::Document;
using comptoir::PluginRegistry;
using comptoir::test::LogCapture;
using comptoir::test::TempDir;

namespace {

const std::string kPlugins = COMPTOIR_BUILD_PLUGINS_DIR;
const std::string kTestPlugins = COMPTOIR_TEST_PLUGINS_DIR;

// A plugin folder with the example plugin and the given test plugins.
void populate(const TempDir& dir, const std::vector<std::string>& test_plugins) {
    comptoir::test::copy_file(kPlugins + "/libre.so", dir.file("libre.so"));
    for (const auto& name : test_plugins) comptoir::test::copy_file(kTestPlugins + "/" + name, dir.file(name));
}

Document sample_document(const std::string& extra_word = "Bonjour") {
    return Document::from_json(R"({"pages": [{"width": 1000, "height": 1400, "dpi": 300, "words": [
        {"text": "Lorient,", "confidence": 0.9, "box": [600, 80, 120, 30], "block": 1, "line": 1},
        {"text": "le", "confidence": 0.9, "box": [730, 80, 30, 30], "block": 1, "line": 1},
        {"text": "12/03/2024", "confidence": 0.87, "box": [770, 80, 160, 30], "block": 1, "line": 1},
        {"text": ")" + extra_word + R"(", "confidence": 0.9, "box": [100, 300, 150, 30], "block": 2, "line": 2}]}]})");
}

struct BadPlugin {
    std::string file;
    std::string reason;
};

// Names the case by its file in test output.
void PrintTo(const BadPlugin& bad, std::ostream* out) { *out << bad.file; }

class RefusedPlugin : public ::testing::TestWithParam<BadPlugin> {};

}  // namespace

TEST(PluginHost, LoadsTheExamplePluginWithItsDeclarations) {
    TempDir dir;
    populate(dir, {});
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_EQ(registry.loaded().size(), 1u);
    const auto* libre = registry.find("libre");
    ASSERT_NE(libre, nullptr);
    EXPECT_EQ(libre->partner, "Comptoir");
    EXPECT_EQ(libre->abi_major, COMPTOIR_PLUGIN_ABI_MAJOR);
    ASSERT_EQ(libre->kinds.size(), 1u);
    EXPECT_EQ(libre->kinds[0].id, "libre.document");
    ASSERT_EQ(libre->fields.size(), 1u);
    EXPECT_EQ(libre->fields[0].label_fr, "Date du document");
    EXPECT_EQ(libre->fields[0].type, comptoir::FieldType::date);
    EXPECT_EQ(libre->letters_for("edf.facture"), std::vector<std::string>{"libre.courrier"});
    EXPECT_TRUE(registry.rejected().empty());
}

TEST_P(RefusedPlugin, IsRefusedWithItsReasonAndTheHostGoesOn) {
    const BadPlugin& bad = GetParam();
    TempDir dir;
    populate(dir, {});
    if (bad.file == "not_a_library.so") {
        dir.write(bad.file, "ceci n'est pas une bibliothèque\n");
    } else {
        comptoir::test::copy_file(kTestPlugins + "/" + bad.file, dir.file(bad.file));
    }
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory(dir.path());

    ASSERT_EQ(registry.rejected().size(), 1u);
    EXPECT_EQ(registry.rejected()[0].file, bad.file);
    EXPECT_NE(registry.rejected()[0].reason.find(bad.reason), std::string::npos) << registry.rejected()[0].reason;
    EXPECT_TRUE(log.channel().contains("greffon refusé : " + bad.file, bad.reason));
    // The good plugin next to it is loaded and works.
    ASSERT_NE(registry.find("libre"), nullptr);
    const auto extraction = registry.extract(sample_document(), "libre", "libre.document");
    EXPECT_TRUE(extraction.ok);
    EXPECT_EQ(extraction.fields.at("date_document").value, "2024-03-12");
}

INSTANTIATE_TEST_SUITE_P(
    BrokenPlugins, RefusedPlugin,
    ::testing::Values(
        BadPlugin{"abi_major.so", "ABI du greffon 2.0"
                                      " incompatible avec l'ABI 1." + std::to_string(COMPTOIR_PLUGIN_ABI_MINOR) + " de l'hôte"},
        BadPlugin{"abi_minor_newer.so", "ABI du greffon 1." + std::to_string(COMPTOIR_PLUGIN_ABI_MINOR + 1) +
                                            " plus récente que l'ABI 1." + std::to_string(COMPTOIR_PLUGIN_ABI_MINOR) + " de l'hôte"},
        BadPlugin{"no_entry.so", "n'exporte pas le symbole comptoir_plugin_entry"},
        BadPlugin{"null_entry.so", "comptoir_plugin_entry a renvoyé NULL"},
        BadPlugin{"not_a_library.so", "n'est pas une bibliothèque partagée chargeable"},
        BadPlugin{"empty_id.so", "identifiant du greffon vide"},
        BadPlugin{"bad_kind.so", "type de document invalide « edf.facture »"},
        BadPlugin{"foreign_letter.so", "courrier « caf.recours_amiable » d'un autre greffon (son identifiant doit "
                                       "commencer par « foreign_letter. »)"},
        BadPlugin{"init_fails.so", "l'initialisation a échoué (statut ERROR) : fichier de données introuvable"},
        BadPlugin{"init_throws.so", "l'initialisation a échoué (statut ERROR) : init: table des tarifs absente"},
        BadPlugin{"bad_spec_size.so", "spécification de champ de taille invalide (24 octets, 28 au moins"},
        BadPlugin{"bad_spec_mixed.so", "spécifications de champ de tailles différentes (la n° 2 fait 32 octets, la première 40)"},
        BadPlugin{"bad_spec_key.so", "spécification pour un champ non déclaré « inconnu »"}),
    [](const ::testing::TestParamInfo<BadPlugin>& param_info) {
        return param_info.param.file.substr(0, param_info.param.file.find('.'));
    });

TEST(PluginHost, AbiMismatchLogLineNamesBothVersions) {
    TempDir dir;
    populate(dir, {"abi_major.so"});
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory(dir.path());
    EXPECT_TRUE(log.channel().contains("abi_major.so (abi_major)", "2.0"));
    EXPECT_TRUE(log.channel().contains("abi_major.so (abi_major)", "1." + std::to_string(COMPTOIR_PLUGIN_ABI_MINOR) + " de l'hôte"));
}

TEST(PluginHost, RefusesASecondPluginWithTheSameId) {
    TempDir dir;
    populate(dir, {"duplicate_a.so", "duplicate_b.so"});
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_NE(registry.find("doublon"), nullptr);
    EXPECT_EQ(registry.find("doublon")->version, "1.0.0");
    ASSERT_EQ(registry.rejected().size(), 1u);
    EXPECT_EQ(registry.rejected()[0].file, "duplicate_b.so");
    EXPECT_EQ(registry.rejected()[0].reason, "identifiant « doublon » déjà utilisé par duplicate_a.so");
}

TEST(PluginHost, PluginsAllowLeavesOthersDisabledNotRejected) {
    TempDir dir;
    populate(dir, {"faulty.so"});
    PluginRegistry registry;
    registry.load_directory(dir.path(), {"libre"});
    EXPECT_NE(registry.find("libre"), nullptr);
    EXPECT_EQ(registry.find("faulty"), nullptr);
    EXPECT_TRUE(registry.rejected().empty());
    ASSERT_EQ(registry.disabled().size(), 1u);
    EXPECT_EQ(registry.disabled()[0].id, "faulty");
}

TEST(PluginHost, MissingFolderLoadsNothingAndSaysSo) {
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory("/nonexistent/comptoir/plugins");
    EXPECT_TRUE(registry.loaded().empty());
    EXPECT_TRUE(log.channel().contains("dossier des greffons introuvable", "/nonexistent/comptoir/plugins"));
}

TEST(PluginHost, RecognitionKeepsOnlyDeclaredKindsAndScoresInRange) {
    TempDir dir;
    populate(dir, {"faulty.so"});
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory(dir.path());
    const auto recognition = registry.recognise(sample_document(), 0.5);
    ASSERT_EQ(recognition.candidates.size(), 2u);
    EXPECT_EQ(recognition.candidates[0].kind, "faulty.document");
    EXPECT_NEAR(recognition.candidates[0].confidence, 0.8, 1e-6);
    EXPECT_EQ(recognition.candidates[1].kind, "libre.document");
    ASSERT_TRUE(recognition.document.has_value());
    EXPECT_EQ(recognition.document->plugin, "faulty");
    EXPECT_TRUE(log.channel().contains("greffon faulty", "type de document non déclaré « autre.document »"));
    EXPECT_TRUE(log.channel().contains("greffon faulty", "score hors de [0, 1]"));
}

TEST(PluginHost, NoDocumentBelowTheThreshold) {
    TempDir dir;
    populate(dir, {});
    PluginRegistry registry;
    registry.load_directory(dir.path());
    const auto recognition = registry.recognise(sample_document(), 0.5);
    ASSERT_EQ(recognition.candidates.size(), 1u);
    EXPECT_FALSE(recognition.document.has_value());
}

TEST(PluginHost, RecogniseThatThrowsIsContained) {
    TempDir dir;
    populate(dir, {"faulty.so"});
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory(dir.path());
    const auto recognition = registry.recognise(sample_document("PANIQUE"), 0.5);
    ASSERT_EQ(recognition.errors.size(), 1u);
    EXPECT_NE(recognition.errors[0].find("faulty"), std::string::npos);
    ASSERT_EQ(recognition.candidates.size(), 1u);  // libre's, the faulty one reported nothing
    EXPECT_EQ(recognition.candidates[0].plugin, "libre");
    EXPECT_TRUE(log.channel().contains("greffon faulty", "recognise a paniqué"));
}

TEST(PluginHost, UndeclaredFieldIsDroppedAndLogged) {
    TempDir dir;
    populate(dir, {"faulty.so"});
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory(dir.path());
    const auto extraction = registry.extract(sample_document(), "faulty", "faulty.document");
    EXPECT_TRUE(extraction.ok) << extraction.error;
    ASSERT_EQ(extraction.fields.size(), 1u);
    const auto& numero = extraction.fields.at("numero");
    EXPECT_EQ(numero.value, "42");
    EXPECT_EQ(numero.text, "4 2");
    EXPECT_EQ(numero.label, "Numéro");
    EXPECT_EQ(numero.box.width, 30);
    EXPECT_EQ(numero.source, comptoir::Source::ocr);
    EXPECT_EQ(numero.check, comptoir::Check::unchecked);
    // Its own letter for the kind, then the letters offered for every document.
    EXPECT_EQ(extraction.letters, (std::vector<std::string>{"faulty.reponse", "libre.courrier"}));
    EXPECT_TRUE(log.channel().contains("greffon faulty", "champ « champ_secret » non déclaré"));
}

TEST(PluginHost, ExtractThatThrowsIsContainedAndKeepsWhatCameBefore) {
    TempDir dir;
    populate(dir, {"faulty.so"});
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory(dir.path());
    const auto extraction = registry.extract(sample_document(), "faulty", "faulty.lanceur");
    EXPECT_FALSE(extraction.ok);
    EXPECT_NE(extraction.error.find("complétez-les à la main"), std::string::npos);
    EXPECT_EQ(extraction.fields.count("numero"), 1u);
    EXPECT_TRUE(log.channel().contains("greffon faulty", "extract a échoué"));
    // The host goes on: the next document is read normally.
    EXPECT_TRUE(registry.extract(sample_document(), "faulty", "faulty.document").ok);
}

TEST(PluginHost, ExtractOfAnUnknownPluginOrKindIsAnError) {
    TempDir dir;
    populate(dir, {});
    PluginRegistry registry;
    registry.load_directory(dir.path());
    EXPECT_FALSE(registry.extract(sample_document(), "edf", "edf.facture").ok);
    EXPECT_FALSE(registry.extract(sample_document(), "libre", "edf.facture").ok);
}

TEST(PluginHost, PluginsRunOnSeveralThreadsAtOnce) {
    TempDir dir;
    populate(dir, {"faulty.so"});
    PluginRegistry registry;
    registry.load_directory(dir.path());
    std::vector<std::thread> threads;
    std::vector<int> good(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            const Document doc = sample_document("mot" + std::to_string(t));
            for (int i = 0; i < 50; ++i) {
                const auto recognition = registry.recognise(doc, 0.5);
                const auto extraction = registry.extract(doc, "libre", "libre.document");
                if (recognition.candidates.size() == 2 && extraction.fields.at("date_document").value == "2024-03-12") {
                    ++good[t];
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (int t = 0; t < 4; ++t) EXPECT_EQ(good[t], 50);
}

// ---- ABI 1.2: evidence, field specs, the plugin's own check ---------------------------------

TEST(PluginHost, AcceptsAPluginBuiltAgainstAbi11AndReadsNothingBeyondItsTables) {
    TempDir dir;
    populate(dir, {"minor_1_1.so"});
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_TRUE(registry.rejected().empty()) << registry.rejected()[0].reason;
    const auto* info = registry.find("minor_1_1");
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->abi_minor, 1);
    EXPECT_FALSE(info->own_check);
    ASSERT_EQ(info->fields.size(), 2u);
    EXPECT_EQ(info->fields[0].min_length, 0u);
    EXPECT_EQ(info->fields[0].max_length, 0u);
    EXPECT_EQ(info->fields[0].alphabet, "any");

    const auto extraction = registry.extract(sample_document(), "minor_1_1", "minor_1_1.document");
    ASSERT_TRUE(extraction.ok) << extraction.error;
    const auto& numero = extraction.fields.at("numero");
    EXPECT_EQ(numero.value, "42");
    EXPECT_EQ(numero.box.width, 30);
    EXPECT_EQ(numero.relation, "");  // a 1.1 plugin says nothing of its evidence
    EXPECT_EQ(numero.evidence_label, "");
    const auto& reference = extraction.fields.at("reference");
    EXPECT_EQ(reference.source, comptoir::Source::twoddoc);
    EXPECT_EQ(reference.relation, "2ddoc");  // inferred from the source
    EXPECT_EQ(reference.evidence_label, "");
    // Nothing to check: no spec, no check of its own.
    EXPECT_EQ(registry.check_value("minor_1_1", "numero", "42"), COMPTOIR_CHECK_UNCHECKED);
}

TEST(PluginHost, KeepsTheEvidenceOfA12Plugin) {
    TempDir dir;
    populate(dir, {"specs.so"});
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory(dir.path());
    ASSERT_NE(registry.find("specs"), nullptr);
    const auto extraction = registry.extract(sample_document(), "specs", "specs.document");
    ASSERT_TRUE(extraction.ok) << extraction.error;
    const auto& fields = extraction.fields;
    EXPECT_EQ(fields.at("numero").relation, "right");
    EXPECT_EQ(fields.at("numero").evidence_label, "N° client :");
    EXPECT_EQ(fields.at("montant").relation, "box_title");
    EXPECT_EQ(fields.at("montant").evidence_label, "Montant à payer");
    EXPECT_EQ(fields.at("emetteur").relation, "address_window");
    EXPECT_EQ(fields.at("emetteur").evidence_label, "");
    EXPECT_EQ(fields.at("reference").relation, "2ddoc");     // a 2D-Doc source, no relation said
    EXPECT_EQ(fields.at("libelle").relation, "text_layer");  // a text-layer source, no relation said
    // A relation this host does not know: the value is kept, its evidence is not.
    EXPECT_EQ(fields.at("code").value, "OK1");
    EXPECT_EQ(fields.at("code").relation, "");
    EXPECT_TRUE(log.channel().contains("greffon specs", "relation inconnue (42) pour le champ « code »"));
    // The log names keys, never a label or a value read on the page.
    for (const char* read : {"N° client", "Montant à payer", "123456786", "OK1", "Régie"}) {
        EXPECT_FALSE(log.channel().contains(read)) << read;
    }
}

TEST(PluginHost, AValidCodeThatWinsKeepsThePrintedEvidenceElseGivesItsOwn) {
    comptoir::ExtractedField printed;
    printed.value = "A";
    printed.source = comptoir::Source::ocr;
    printed.relation = "right";
    printed.evidence_label = "Réf.";
    comptoir::ExtractedField code;
    code.value = "B";
    code.source = comptoir::Source::twoddoc;
    code.relation = "2ddoc";
    auto merged = comptoir::merge_readings(printed, code, comptoir::CodeStatus::valid);
    EXPECT_EQ(merged.source, comptoir::Source::twoddoc);
    EXPECT_EQ(merged.relation, "right");  // the place on the page is the printed one's
    EXPECT_EQ(merged.evidence_label, "Réf.");
    printed.relation.clear();
    printed.evidence_label.clear();
    merged = comptoir::merge_readings(printed, code, comptoir::CodeStatus::valid);
    EXPECT_EQ(merged.relation, "2ddoc");
    merged = comptoir::merge_readings(printed, code, comptoir::CodeStatus::unknown_certificate);
    EXPECT_EQ(merged.source, comptoir::Source::ocr);
    EXPECT_EQ(merged.relation, "");
}

TEST(PluginHost, KeepsTheFieldSpecsOfA12PluginSteppingByTheirSize) {
    TempDir dir;
    populate(dir, {"specs.so"});
    PluginRegistry registry;
    registry.load_directory(dir.path());
    const auto* info = registry.find("specs");
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->abi_minor, COMPTOIR_PLUGIN_ABI_MINOR_FIELD_SPECS);  // the minor it needs
    EXPECT_TRUE(info->own_check);
    // Its specs are wider than the host's struct and in another order than the fields.
    EXPECT_EQ(info->field("numero")->min_length, 9u);
    EXPECT_EQ(info->field("numero")->max_length, 9u);
    EXPECT_EQ(info->field("numero")->alphabet, "digits");
    EXPECT_EQ(info->field("reference")->min_length, 4u);
    EXPECT_EQ(info->field("reference")->max_length, 8u);
    EXPECT_EQ(info->field("reference")->alphabet, "upper_alnum");
    EXPECT_EQ(info->field("libelle")->max_length, 0u);
    EXPECT_EQ(info->field("libelle")->alphabet, "any");
    EXPECT_FALSE(registry.find("libre")->own_check);  // a C++ plugin that does not override check_value
}

TEST(PluginHost, ChecksAValueBySpecThenByThePluginsOwnCheck) {
    TempDir dir;
    populate(dir, {"specs.so"});
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory(dir.path());
    // numero: 9 digits by its spec, and the plugin's check digit.
    EXPECT_EQ(registry.check_value("specs", "numero", "123456786"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(registry.check_value("specs", "numero", "123456785"), COMPTOIR_CHECK_FAILED);  // the check digit
    EXPECT_EQ(registry.check_value("specs", "numero", "12345678"), COMPTOIR_CHECK_FAILED);   // too short
    EXPECT_EQ(registry.check_value("specs", "numero", "1234567890"), COMPTOIR_CHECK_FAILED); // too long
    EXPECT_EQ(registry.check_value("specs", "numero", "12345678A"), COMPTOIR_CHECK_FAILED);  // not a digit
    // By one of the plugin's kinds as well as by its id.
    EXPECT_EQ(registry.check_value("specs.document", "numero", "123456786"), COMPTOIR_CHECK_OK);
    // reference: a spec only (the plugin's check says nothing of it).
    EXPECT_EQ(registry.check_value("specs", "reference", "AB12"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(registry.check_value("specs", "reference", "ab12"), COMPTOIR_CHECK_FAILED);
    EXPECT_EQ(registry.check_value("specs", "reference", "AB1"), COMPTOIR_CHECK_FAILED);
    // code: the plugin's check only.
    EXPECT_EQ(registry.check_value("specs", "code", "OK7"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(registry.check_value("specs", "code", "KO7"), COMPTOIR_CHECK_FAILED);
    EXPECT_EQ(registry.check_value("specs", "code", "ZZ"), COMPTOIR_CHECK_UNCHECKED);
    EXPECT_EQ(registry.check_value("specs", "code", "MI"), COMPTOIR_CHECK_UNCHECKED);  // MISMATCH means nothing here
    // libelle: nothing to check.
    EXPECT_EQ(registry.check_value("specs", "libelle", "Eau"), COMPTOIR_CHECK_UNCHECKED);
    // Unknown plugin, kind or key.
    EXPECT_EQ(registry.check_value("autre", "numero", "123456786"), COMPTOIR_CHECK_UNCHECKED);
    EXPECT_EQ(registry.check_value("autre.document", "numero", "123456786"), COMPTOIR_CHECK_UNCHECKED);
    EXPECT_EQ(registry.check_value("specs", "inconnu", "123456786"), COMPTOIR_CHECK_UNCHECKED);
    EXPECT_FALSE(log.channel().contains("123456786"));
}

TEST(PluginHost, TheSdksSpecsCheckAndEvidenceReachTheHost) {
    TempDir dir;
    populate(dir, {"sdk_specs.so"});
    LogCapture log;
    PluginRegistry registry;
    registry.load_directory(dir.path());
    const auto* info = registry.find("sdk_specs");
    ASSERT_NE(info, nullptr);
    EXPECT_TRUE(info->own_check);
    EXPECT_EQ(info->field("numero")->min_length, 5u);
    EXPECT_EQ(info->field("numero")->alphabet, "digits");
    EXPECT_EQ(info->field("code")->max_length, 0u);
    EXPECT_EQ(info->field("code")->alphabet, "alnum");
    EXPECT_EQ(info->field("libelle")->alphabet, "any");
    EXPECT_EQ(registry.check_value("sdk_specs", "numero", "12344"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(registry.check_value("sdk_specs", "numero", "12345"), COMPTOIR_CHECK_FAILED);  // its own check
    EXPECT_EQ(registry.check_value("sdk_specs", "numero", "1234"), COMPTOIR_CHECK_FAILED);   // its spec
    // Its check throws on this one: contained, and the spec's OK stands.
    EXPECT_EQ(registry.check_value("sdk_specs", "numero", "00000"), COMPTOIR_CHECK_OK);
    EXPECT_EQ(registry.check_value("sdk_specs", "code", "a-1"), COMPTOIR_CHECK_FAILED);
    const auto extraction = registry.extract(sample_document(), "sdk_specs", "sdk_specs.document");
    ASSERT_TRUE(extraction.ok) << extraction.error;
    EXPECT_EQ(extraction.fields.at("numero").relation, "column");
    EXPECT_EQ(extraction.fields.at("numero").evidence_label, "Numéro");
    EXPECT_EQ(extraction.fields.at("libelle").relation, "");
    // ABI 1.4: its one fit ask, back from its worker (the others refused there).
    ASSERT_EQ(extraction.asked.size(), 1u);
    EXPECT_EQ(extraction.asked[0].first, 1u);
    EXPECT_EQ(extraction.asked[0].second.x, 40);
    EXPECT_EQ(extraction.asked[0].second.y, 120);
    EXPECT_EQ(extraction.asked[0].second.width, 900);
    EXPECT_EQ(extraction.asked[0].second.height, 60);
    EXPECT_FALSE(log.channel().contains("00000"));
}

TEST(PluginHost, ChecksValuesFromSeveralThreadsAtOnce) {
    TempDir dir;
    populate(dir, {"specs.so", "sdk_specs.so"});
    PluginRegistry registry;
    registry.load_directory(dir.path());
    std::vector<std::thread> threads;
    std::vector<int> good(4, 0);
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                if (registry.check_value("specs", "numero", "123456786") == COMPTOIR_CHECK_OK &&
                    registry.check_value("sdk_specs", "numero", "12345") == COMPTOIR_CHECK_FAILED) {
                    ++good[t];
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    for (int t = 0; t < 4; ++t) EXPECT_EQ(good[t], 200);
}
