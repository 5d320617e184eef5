// `comptoir process` on saved OCR results: the JSON of docs/formats.md, one line per input, and bad
// inputs that fail alone.
#include "comptoir/reading/document.hpp"
#include "make_inputs.hpp"
#include "test_support.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

using comptoir::test::TempDir;

namespace {

const char* kLetter = R"({"pages": [{"width": 1000, "height": 1400, "dpi": 300, "words": [
 {"text": "Lorient,", "confidence": 0.9, "box": [600, 80, 120, 30], "block": 1, "line": 1},
 {"text": "le", "confidence": 0.9, "box": [730, 80, 30, 30], "block": 1, "line": 1},
 {"text": "12/03/2024", "confidence": 0.87, "box": [770, 80, 160, 30], "block": 1, "line": 1}]}]})";

std::vector<Poco::JSON::Object::Ptr> json_lines(const std::string& out) {
    std::vector<Poco::JSON::Object::Ptr> lines;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) lines.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
    return lines;
}

class ProcessCommand : public ::testing::Test {
protected:
    void SetUp() override {
        dir_.write("plugins/.keep", "");
        comptoir::test::copy_file(std::string(COMPTOIR_BUILD_PLUGINS_DIR) + "/libre.so", dir_.file("plugins/libre.so"));
        config_ = dir_.write("comptoir.properties", "plugins.dir = plugins\nlimits.max_pages = 2\nocr.engines = 2\n");
    }
    void add_test_plugin(const std::string& name) {
        comptoir::test::copy_file(std::string(COMPTOIR_TEST_PLUGINS_DIR) + "/" + name, dir_.file("plugins/" + name));
    }
    comptoir::test::ProcessResult process(std::vector<std::string> args) {
        args.insert(args.begin(), {"process", "--config", config_});
        return comptoir::test::run_process(COMPTOIR_BINARY, args);
    }
    TempDir dir_;
    std::string config_;
};

}  // namespace

TEST_F(ProcessCommand, PrintsTheDesignJsonForARecognisedDocument) {
    add_test_plugin("faulty.so");
    const auto input = dir_.write("lettre.ocr.json", kLetter);
    const auto result = process({"--json", input});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto lines = json_lines(result.out);
    ASSERT_EQ(lines.size(), 1u);
    const auto& json = lines[0];
    EXPECT_EQ(json->getValue<std::string>("file"), input);
    EXPECT_EQ(json->getValue<int>("pages"), 1);
    EXPECT_EQ(json->getObject("document")->getValue<std::string>("kind"), "faulty.document");
    EXPECT_DOUBLE_EQ(json->getObject("document")->getValue<double>("confidence"), 0.8);
    EXPECT_EQ(json->getArray("candidates")->size(), 2u);
    const auto numero = json->getObject("fields")->getObject("numero");
    ASSERT_TRUE(numero);
    EXPECT_EQ(numero->getValue<std::string>("value"), "42");
    EXPECT_EQ(numero->getValue<std::string>("text"), "4 2");
    EXPECT_EQ(numero->getValue<std::string>("label"), "Numéro");
    EXPECT_EQ(numero->getValue<int>("page"), 1);
    EXPECT_EQ(numero->getArray("box")->getElement<int>(2), 30);
    EXPECT_EQ(numero->getValue<std::string>("check"), "unchecked");
    EXPECT_EQ(numero->getValue<std::string>("source"), "ocr");
    EXPECT_FALSE(numero->has("evidence"));  // the plugin said nothing of it
    EXPECT_FALSE(json->getObject("fields")->has("champ_secret"));
    const auto letters = json->getArray("letters");
    ASSERT_EQ(letters->size(), 2u);
    EXPECT_EQ(letters->getElement<std::string>(0), "faulty.reponse");
    EXPECT_EQ(letters->getElement<std::string>(1), "libre.courrier");
    EXPECT_EQ(json->getArray("page_info")->getObject(0)->getValue<int>("dpi"), 300);
    EXPECT_TRUE(json->getObject("timings_ms")->has("load"));
    EXPECT_TRUE(json->getObject("timings_ms")->has("extract"));
}

TEST_F(ProcessCommand, EachFieldCarriesItsEvidence) {
    add_test_plugin("specs.so");
    const auto input = dir_.write("lettre.ocr.json", kLetter);
    const auto result = process({"--json", "--plugin", "specs", input});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto lines = json_lines(result.out);
    ASSERT_EQ(lines.size(), 1u);
    const auto fields = lines[0]->getObject("fields");
    const auto evidence = [&](const std::string& key) { return fields->getObject(key)->getObject("evidence"); };
    ASSERT_TRUE(evidence("numero"));
    EXPECT_EQ(evidence("numero")->getValue<std::string>("label"), "N° client :");
    EXPECT_EQ(evidence("numero")->getValue<std::string>("relation"), "right");
    EXPECT_EQ(evidence("montant")->getValue<std::string>("relation"), "box_title");
    EXPECT_EQ(evidence("emetteur")->getValue<std::string>("relation"), "address_window");
    EXPECT_EQ(evidence("emetteur")->getValue<std::string>("label"), "");
    EXPECT_EQ(evidence("reference")->getValue<std::string>("relation"), "2ddoc");
    EXPECT_EQ(evidence("libelle")->getValue<std::string>("relation"), "text_layer");
    EXPECT_FALSE(fields->getObject("code")->has("evidence"));  // a relation the host does not know
    // Nothing read on the page reaches the log.
    EXPECT_EQ(result.err.find("N° client"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("123456786"), std::string::npos) << result.err;
}

TEST_F(ProcessCommand, UnrecognisedDocumentIsNullWithItsCandidates) {
    const auto input = dir_.write("lettre.ocr.json", kLetter);
    const auto lines = json_lines(process({"--json", input}).out);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_TRUE(lines[0]->isNull("document"));
    EXPECT_EQ(lines[0]->getArray("candidates")->getObject(0)->getValue<std::string>("plugin"), "libre");
    EXPECT_EQ(lines[0]->getArray("letters")->getElement<std::string>(0), "libre.courrier");
}

TEST_F(ProcessCommand, PluginOptionForcesThatPlugin) {
    const auto input = dir_.write("lettre.ocr.json", kLetter);
    const auto lines = json_lines(process({"--json", "--plugin", "libre", input}).out);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0]->getObject("fields")->getObject("date_document")->getValue<std::string>("value"), "2024-03-12");
    EXPECT_EQ(process({"--plugin", "edf", input}).exit_code, 2);
}

TEST_F(ProcessCommand, ReadsImagesAndPdfsThroughOcr) {
    const std::string data = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/tesseract/";
    const std::string pdf = dir_.file("facture.pdf");
    comptoir::test::write_text_pdf(pdf, 2, "Facture du 29/01/2021 : 87,43 € à payer");
    const auto result = process({"--json", "--plugin", "libre", data + "phototest-rotated-180.png", pdf,
                                 data + "eurotext.tif"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto lines = json_lines(result.out);
    ASSERT_EQ(lines.size(), 3u);
    // In the order given, whatever finished first.
    EXPECT_EQ(lines[0]->getValue<std::string>("file"), data + "phototest-rotated-180.png");
    const auto photo_page = lines[0]->getArray("page_info")->getObject(0);
    EXPECT_EQ(photo_page->getValue<int>("rotation"), 180);
    EXPECT_EQ(photo_page->getValue<int>("dpi"), 200);
    EXPECT_FALSE(photo_page->getValue<bool>("text_layer"));
    for (const char* stage : {"load", "prepare", "ocr", "extract"}) {
        EXPECT_TRUE(lines[0]->getObject("timings_ms")->has(stage)) << stage;
    }
    EXPECT_EQ(lines[1]->getValue<int>("pages"), 2);
    EXPECT_TRUE(lines[1]->getArray("page_info")->getObject(1)->getValue<bool>("text_layer"));
    EXPECT_EQ(lines[1]->getObject("fields")->getObject("date_document")->getValue<std::string>("value"), "2021-01-29");
    EXPECT_EQ(lines[2]->getArray("page_info")->getObject(0)->getValue<int>("dpi"), 300);
}

TEST_F(ProcessCommand, BlankPageIsNotReadAndTheMediatorIsTold) {
    // The back of a sheet at 150 dpi: grey paper and a scanner's noise, no ink (PGM, by hand).
    std::string pgm = "P5\n1240 1754\n255\n";
    std::mt19937 random(5);
    std::normal_distribution<double> noise(226.0, 10.0);
    for (int i = 0; i < 1240 * 1754; ++i) pgm += static_cast<char>(std::clamp(noise(random), 0.0, 255.0));
    const auto blank = dir_.write("verso.pgm", pgm);
    const auto result = process({"--json", blank});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto lines = json_lines(result.out);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_TRUE(lines[0]->getArray("page_info")->getObject(0)->getValue<bool>("blank"));
    EXPECT_EQ(lines[0]->getObject("timings_ms")->getValue<double>("ocr"), 0.0);
    ASSERT_TRUE(lines[0]->has("warnings"));
    EXPECT_NE(lines[0]->getArray("warnings")->getElement<std::string>(0).find("page 1 est blanche"), std::string::npos);
}

TEST_F(ProcessCommand, EachBadInputFailsAloneWithAFrenchMessage) {
    const auto good = dir_.write("bonne.ocr.json", kLetter);
    const std::string data = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/tesseract/";
    const std::string png = comptoir::test::read_file(data + "phototest-rotated-L.png");
    const std::string encrypted = dir_.file("protege.pdf");
    comptoir::test::write_encrypted_pdf(encrypted);
    const std::string long_pdf = dir_.file("longue.pdf");
    comptoir::test::write_text_pdf(long_pdf, 3, "");
    const std::vector<std::pair<std::string, std::string>> bad = {
        {dir_.write("vide.ocr.json", ""), "empty_file"},
        {dir_.file("absent.ocr.json"), "not_found"},
        {dir_.write("tronque.ocr.json", R"({"pages": [{"words": [)"), "invalid_ocr_json"},
        {dir_.write("sans_page.ocr.json", R"({"pages": []})"), "invalid_ocr_json"},
        {dir_.write("photo.heic", "pas une image"), "unsupported_format"},
        {dir_.write("trois.ocr.json", R"({"pages": [{}, {}, {}]})"), "too_many_pages"},
        {dir_.path(), "not_a_file"},
        {dir_.write("texte.png", "Bonjour, ceci est un texte."), "unsupported_format"},
        {dir_.write("coupee.png", png.substr(0, png.size() / 2)), "truncated"},
        {dir_.write("enorme.png", comptoir::test::png_header_only(60000, 60000)), "too_large"},
        {encrypted, "encrypted_pdf"},
        {long_pdf, "too_many_pages"},
    };
    std::vector<std::string> args = {"--json"};
    for (const auto& [file, code] : bad) args.push_back(file);
    args.push_back(good);
    args.push_back(data + "phototest.tif");
    const auto result = process(args);
    EXPECT_EQ(result.exit_code, 1);
    const auto lines = json_lines(result.out);
    ASSERT_EQ(lines.size(), bad.size() + 2);
    for (size_t i = 0; i < bad.size(); ++i) {
        const auto error = lines[i]->getObject("error");
        ASSERT_TRUE(error) << bad[i].first;
        EXPECT_EQ(error->getValue<std::string>("code"), bad[i].second) << bad[i].first;
        EXPECT_FALSE(error->getValue<std::string>("message").empty());
    }
    // The good files after them were processed, the image through OCR.
    EXPECT_FALSE(lines[bad.size()]->has("error"));
    EXPECT_EQ(lines[bad.size()]->getValue<int>("pages"), 1);
    EXPECT_FALSE(lines.back()->has("error"));
    EXPECT_EQ(lines.back()->getArray("page_info")->getObject(0)->getValue<int>("dpi"), 200);
}

TEST_F(ProcessCommand, SavesEachReadingForPluginCheckToUseAgain) {
    // A real page, read once by Tesseract; its reading saved beside it as NAME.ocr.json.
    const std::string data = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/tesseract/";
    dir_.write("exemples/page.json", R"({"kind": null, "fields": {}})");
    comptoir::test::copy_file(data + "phototest.tif", dir_.file("exemples/page.tif"));
    auto result = process({"--json", "--ocr-out", dir_.file("exemples"), dir_.file("exemples/page.tif"),
                           dir_.write("vide.ocr.json", "")});
    EXPECT_EQ(result.exit_code, 1) << result.err;  // the empty one failed, alone
    const std::string saved = comptoir::test::read_file(dir_.file("exemples/page.ocr.json"));
    const auto reading = comptoir::Document::from_json(saved);
    EXPECT_NE(reading.text(1).find("quick brown"), std::string::npos) << reading.text(1);
    EXPECT_FALSE(std::ifstream(dir_.file("exemples/vide.ocr.json")).good());
    // Processing the saved reading gives the same words as the page did.
    result = process({"--json", dir_.file("exemples/page.ocr.json")});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    // plugin-check takes the saved reading rather than reading the page again: one sample.
    result = comptoir::test::run_process(COMPTOIR_BINARY, {"plugin-check", "--config", config_, dir_.file("exemples")});
    EXPECT_NE(result.out.find("Exemples : 1 "), std::string::npos) << result.out;
    // A folder that cannot be made is a usage error, before anything is read.
    dir_.write("fichier", "x");
    result = process({"--ocr-out", dir_.file("fichier/sous"), dir_.file("exemples/page.tif")});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("impossible de créer le dossier"), std::string::npos) << result.err;
}

TEST_F(ProcessCommand, ReadableSummaryWithoutJson) {
    const auto input = dir_.write("lettre.ocr.json", kLetter);
    const auto result = process({"--plugin", "libre", input});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_NE(result.out.find("Date du document : 2024-03-12"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("Courriers proposés : libre.courrier"), std::string::npos) << result.out;
}

TEST_F(ProcessCommand, PluginCheckMeasuresPluginsOnSamples) {
    add_test_plugin("faulty.so");
    dir_.write("exemples/juste.ocr.json", kLetter);
    dir_.write("exemples/juste.json", R"({"kind": "faulty.document", "fields": {"numero": "42"}})");
    dir_.write("exemples/faux.ocr.json", kLetter);
    dir_.write("exemples/faux.json", R"({"kind": "faulty.document", "fields": {"numero": "43"}})");
    dir_.write("exemples/autre.ocr.json", kLetter);
    dir_.write("exemples/autre.json", R"({"kind": null, "fields": {}})");
    dir_.write("exemples/seul.ocr.json", kLetter);  // no expectation: ignored, said
    const std::string folder = dir_.file("exemples");

    auto result = comptoir::test::run_process(COMPTOIR_BINARY, {"plugin-check", "--config", config_, folder});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("Exemples : 3"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("Reconnaissance : 2/3 (66.7 %)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("Champs justes : 1/2 (50.0 %)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("faux : numero attendu « 43 », lu « 42 » (confiance 90 %)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("autre : attendu aucun, reconnu faulty.document"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("seul.ocr.json : pas de résultat attendu"), std::string::npos) << result.out;

    result = comptoir::test::run_process(COMPTOIR_BINARY, {"plugin-check", "--config", config_, "--min", "0.9", folder});
    EXPECT_EQ(result.exit_code, 1);
    result = comptoir::test::run_process(COMPTOIR_BINARY, {"plugin-check", "--config", config_, "--min", "0.4", folder});
    EXPECT_EQ(result.exit_code, 0);
    result = comptoir::test::run_process(COMPTOIR_BINARY, {"plugin-check", "--config", config_, "--min", "deux", folder});
    EXPECT_EQ(result.exit_code, 2);
    result = comptoir::test::run_process(COMPTOIR_BINARY, {"plugin-check", "--config", config_, dir_.file("absent")});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("dossier d'exemples introuvable"), std::string::npos);
}

TEST_F(ProcessCommand, PluginCheckInJsonPerRenditionWithSuggestionsAndOtherPartnersDocuments) {
    add_test_plugin("faulty.so");
    std::string suggested = kLetter;
    suggested.replace(suggested.find("\"le\""), 4, "\"SUGGERE\"");
    // Renditions said by docgen's "sample" or by the name; the second's number read "4Z" with
    // the right value suggested; the third is libre's document, which faulty must not claim.
    dir_.write("exemples/a-clean.ocr.json", kLetter);
    dir_.write("exemples/a-clean.json", R"({"kind": "faulty.document", "fields": {"numero": "42"}})");
    dir_.write("exemples/b.ocr.json", suggested);
    dir_.write("exemples/b.json", R"({"kind": "faulty.document", "fields": {"numero": "42"}, "sample": {"rendition": "photo"}})");
    dir_.write("exemples/c-photo.ocr.json", kLetter);
    dir_.write("exemples/c-photo.json", R"({"kind": "libre.document", "fields": {"date_document": "2024-03-12"}})");
    const std::string folder = dir_.file("exemples");

    auto result = comptoir::test::run_process(COMPTOIR_BINARY, {"plugin-check", "--config", config_, "--plugin", "faulty", "--json", folder});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto report = Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(report->getValue<int>("samples"), 3);
    const auto fields = report->getObject("fields");
    EXPECT_EQ(fields->getValue<int>("expected"), 2);  // libre's date is not faulty's to find
    EXPECT_EQ(fields->getValue<int>("right"), 1);
    EXPECT_EQ(fields->getValue<int>("right_as_suggestion"), 1);
    EXPECT_EQ(fields->getArray("misses")->size(), 0u);
    const auto suggestion = fields->getArray("right_as_suggestion_samples")->getObject(0);
    EXPECT_EQ(suggestion->getValue<std::string>("sample"), "b");
    EXPECT_EQ(suggestion->getValue<std::string>("read"), "4Z");
    EXPECT_EQ(suggestion->getValue<std::string>("suggestion"), "42");
    EXPECT_EQ(fields->getObject("per_field")->getObject("numero")->getValue<int>("right_as_suggestion"), 1);
    const auto recognition = report->getObject("recognition");
    EXPECT_EQ(recognition->getObject("per_kind")->getObject("faulty.document")->getValue<int>("right"), 2);
    EXPECT_FALSE(recognition->getObject("per_kind")->has("libre.document"));
    EXPECT_EQ(recognition->getObject("must_not_claim")->getValue<int>("samples"), 1);
    EXPECT_EQ(recognition->getObject("must_not_claim")->getValue<int>("right"), 0);  // faulty claims all
    const auto renditions = report->getObject("per_rendition");
    EXPECT_EQ(renditions->getObject("clean")->getValue<int>("samples"), 1);
    EXPECT_EQ(renditions->getObject("clean")->getValue<int>("fields_right"), 1);
    EXPECT_EQ(renditions->getObject("photo")->getValue<int>("samples"), 2);
    EXPECT_EQ(renditions->getObject("photo")->getValue<int>("fields_right"), 0);
    EXPECT_EQ(renditions->getObject("photo")->getValue<int>("fields_suggested"), 1);

    result = comptoir::test::run_process(COMPTOIR_BINARY, {"plugin-check", "--config", config_, "--plugin", "faulty", folder});
    EXPECT_NE(result.out.find("b : numero lu « 4Z », suggéré « 42 » (attendu)"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("Documents d'autres greffons, à ne pas reconnaître : 0/1"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("photo : reconnaissance 1/2 (50.0 %), champs 0/1 (0.0 %), 1 en suggestion"), std::string::npos)
        << result.out;
    EXPECT_EQ(result.out.find("Champs manqués"), std::string::npos) << result.out;
}

TEST_F(ProcessCommand, APluginThatCrashesIsNamedAndTheNextFileIsRead) {
    add_test_plugin("hostile_segv.so");
    std::string panic = kLetter;
    panic.replace(panic.find("\"le\""), 4, "\"PANIQUE\"");
    const auto first = dir_.write("a.ocr.json", panic);
    const auto second = dir_.write("b.ocr.json", kLetter);
    const auto result = process({first, second});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    // The first file: the other plugin's answer stands, and the crash is said in French.
    const size_t crash = result.out.find("Attention : Le greffon hostile_segv s'est arrêté pendant la lecture (signal 11)");
    EXPECT_NE(crash, std::string::npos) << result.out;
    EXPECT_LT(crash, result.out.find(second));
    EXPECT_NE(result.out.find("meilleure piste : libre.document"), std::string::npos) << result.out;
    // The second: the plugin's worker started again and read it.
    EXPECT_NE(result.out.find("hostile_segv.document (greffon hostile_segv"), std::string::npos) << result.out;
    EXPECT_NE(result.err.find("greffon hostile_segv : processus arrêté (crashed"), std::string::npos) << result.err;
}

TEST_F(ProcessCommand, PluginCheckSaysWhichPluginCrashedOnWhichSampleAndGoesOn) {
    add_test_plugin("hostile_segv.so");
    std::string panic = kLetter;
    panic.replace(panic.find("\"le\""), 4, "\"PANIQUE\"");
    dir_.write("exemples/panique.ocr.json", panic);
    dir_.write("exemples/panique.json", R"({"kind": "hostile_segv.document", "fields": {"numero": "42"}})");
    dir_.write("exemples/calme.ocr.json", kLetter);
    dir_.write("exemples/calme.json", R"({"kind": "hostile_segv.document", "fields": {"numero": "42"}})");
    const auto result =
        comptoir::test::run_process(COMPTOIR_BINARY, {"plugin-check", "--config", config_, dir_.file("exemples")});
    EXPECT_NE(result.out.find("Exemples : 2"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("Reconnaissance : 1/2"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find("panique : Le greffon hostile_segv s'est arrêté pendant la lecture (signal 11)"),
              std::string::npos)
        << result.out;
}
