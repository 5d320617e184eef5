// The generated documents read for real: the small set that docgen_test.py renders
// (fixture docgen_set) is loaded and OCR'd by the core, and compared with the words of the
// same page's PDF. This checks both sides: that the generator's scans and photos stay legible
// and truthful, and that the reading pipeline copes with skew, grey paper, noise, JPEG and
// 200 dpi.
#include "comptoir/reading/document.hpp"
#include "comptoir/reading/input.hpp"
#include "comptoir/reading/ocr.hpp"
#include "comptoir/reading/text_metrics.hpp"

#include "docgen_sample.hpp"
#include "test_support.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

namespace {

using comptoir::test::load_generated_sample;
using comptoir::test::words_text;

const std::string kSet = COMPTOIR_DOCGEN_SET;

class GeneratedDocuments : public ::testing::TestWithParam<std::tuple<std::string, double, double>> {
protected:
    static void SetUpTestSuite() {
        setMsgSeverity(L_SEVERITY_NONE);
        comptoir::OcrOptions options;
        options.languages = "fra";
        options.engines = 2;
        pool_ = new comptoir::OcrPool(options);
    }
    static void TearDownTestSuite() {
        delete pool_;
        pool_ = nullptr;
    }
    static inline comptoir::OcrPool* pool_ = nullptr;
};

// (sample, least share of the page's words read, least share of the fields' printed values
// found verbatim)
TEST_P(GeneratedDocuments, ReadCloseToThePageTheyWereMadeFrom) {
    const auto& [name, min_recall, min_fields] = GetParam();
    const std::string document = name.substr(0, name.rfind('-'));
    const auto truth = load_generated_sample(kSet + "/" + name + ".json");

    // The reference: the words of the page's own PDF (its text layer).
    comptoir::LoadedDocument pdf = comptoir::load_document(kSet + "/" + document + "-pdf.pdf", comptoir::InputLimits{});
    ASSERT_EQ(pdf.pages.size(), 1u);
    ASSERT_TRUE(pdf.pages[0].text_layer);
    const std::string reference = words_text(pdf.pages[0].words);

    comptoir::LoadedDocument loaded = comptoir::load_document(kSet + "/" + name + ".jpg", comptoir::InputLimits{});
    ASSERT_EQ(loaded.pages.size(), 1u);
    auto& page = loaded.pages[0];
    comptoir::PageReading reading = pool_->read(comptoir::share_pix(std::move(page.image)), page.dpi, 1).get();
    const std::string read = words_text(reading.words);

    // Order-free: OCR reads a page in columns column by column, the PDF's text layer line by line.
    const double recall = comptoir::word_recall(read, reference);
    const auto missed = comptoir::test::printed_values_missed(truth, read);
    const double found = 1.0 - double(missed.size()) / double(truth.printed.size());
    std::string missed_list;
    for (const auto& key : missed) missed_list += " " + key + "=«" + truth.printed.at(key) + "»";
    std::cout << name << ": words read " << recall << ", printed values found " << found << ", skew measured "
              << reading.info.skew_deg << "° (made " << truth.skew_deg << "°)\n";
    EXPECT_GE(recall, min_recall) << "words of the page not read:" << comptoir::test::unread_words(read, reference);
    EXPECT_GE(found, min_fields) << "printed values not read:" << missed_list;
    if (truth.skew_deg != 0.0) {
        // ImageMagick turns the page by skew_deg; the preparation measures that turn.
        EXPECT_NEAR(std::fabs(reading.info.skew_deg), std::fabs(truth.skew_deg), 0.35);
    }
}

// The photo too: the table around the sheet is not ink (it once was, and Tesseract then spent
// a minute and a gigabyte on the blank sheet's noise, scaled up as if it were small print).
TEST_F(GeneratedDocuments, BlankScansAndPhotosAreNotRead) {
    for (const std::string rendition : {"scan200", "scan300", "clean", "photo"}) {
        const std::string ext = rendition == "clean" ? ".png" : ".jpg";
        comptoir::LoadedDocument loaded =
            comptoir::load_document(kSet + "/autre.blanc-000-" + rendition + ext, comptoir::InputLimits{});
        auto& page = loaded.pages.at(0);
        comptoir::PageReading reading = pool_->read(comptoir::share_pix(std::move(page.image)), page.dpi, 1).get();
        EXPECT_TRUE(reading.info.blank) << rendition;
        EXPECT_TRUE(reading.words.empty()) << rendition;
    }
}

// The generated bill and notice carry a 2D-Doc of their own values, signed by docgen_test.py
// with the specification's FR00 test key: `comptoir process` finds it on the scan and on the
// photo, verifies it (a test code), and the plugins' fields take its values.
TEST_F(GeneratedDocuments, TheirSignedCodeIsFoundVerifiedAndItsValuesWin) {
    const std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> samples = {
        {"edf.facture-000-scan300.jpg", {{"18", "numero_facture"}, {"19", "reference_client"}, {"1D", "montant_ttc"}}},
        {"impots.avis_ir-000-scan200.jpg",
         {{"44", "reference_avis"}, {"47", "numero_fiscal"}, {"45", "annee_revenus"}, {"4A", "date_mise_en_recouvrement"},
          {"41", "revenu_fiscal_reference"}, {"43", "nombre_parts"}, {"4V", "impot_net"}, {"4W", "reste_a_payer"}}},
        {"impots.avis_ir-000-photo.jpg", {{"44", "reference_avis"}, {"47", "numero_fiscal"}}},
    };
    for (const auto& [file, mapped] : samples) {
        SCOPED_TRACE(file);
        std::ifstream truth_file(kSet + "/" + file.substr(0, file.rfind('.')) + ".json");
        std::stringstream truth_text;
        truth_text << truth_file.rdbuf();
        const auto truth = Poco::JSON::Parser().parse(truth_text.str()).extract<Poco::JSON::Object::Ptr>();
        ASSERT_TRUE(truth->has("twoddoc")) << "docgen_test.py a rendu le lot sans clé de signature";
        const auto code_truth = truth->getObject("twoddoc");

        const auto run = comptoir::test::run_process(COMPTOIR_BINARY, {"process", "--json", kSet + "/" + file});
        ASSERT_EQ(run.exit_code, 0) << run.err;
        const auto out = Poco::JSON::Parser().parse(run.out).extract<Poco::JSON::Object::Ptr>();
        const auto codes = out->getArray("barcodes");
        ASSERT_EQ(codes->size(), 1u) << run.out;
        const auto code = codes->getObject(0);
        EXPECT_EQ(code->getValue<std::string>("status"), "valid");
        EXPECT_TRUE(code->getValue<bool>("test_authority"));
        EXPECT_EQ(code->getValue<std::string>("document_type"), code_truth->getValue<std::string>("document_type"));
        EXPECT_EQ(code->getValue<std::string>("ca"), "FR00");
        const auto code_fields = code->getObject("fields");
        for (const auto& [id, value] : *code_truth->getObject("fields")) {
            EXPECT_EQ(code_fields->optValue<std::string>(id, "(absent)"), value.toString()) << id;
        }
        ASSERT_FALSE(out->isNull("document")) << run.out;
        EXPECT_EQ(out->getObject("document")->getValue<std::string>("kind"), truth->getValue<std::string>("kind"));
        const auto fields = out->getObject("fields");
        for (const auto& [id, key] : mapped) {
            ASSERT_TRUE(fields->has(key)) << key;
            const auto field = fields->getObject(key);
            EXPECT_EQ(field->getValue<std::string>("source"), "2ddoc") << key;
            EXPECT_EQ(field->getValue<std::string>("value"), truth->getObject("fields")->getValue<std::string>(key)) << key;
            EXPECT_DOUBLE_EQ(field->getValue<double>("confidence"), 1.0) << key;
        }
        const auto warnings = out->getArray("warnings");
        ASSERT_TRUE(warnings);
        bool said_test_code = false;
        for (size_t i = 0; i < warnings->size(); ++i) {
            said_test_code |= warnings->getElement<std::string>(i).find("code de test") != std::string::npos;
        }
        EXPECT_TRUE(said_test_code) << "le médiateur doit savoir que c'est un code de test";
    }
}

// A phone held sideways or upside down (issue 28): the same photo, turned in memory a quarter and
// a half, is turned back, read as well as upright, and its words lie where they
// lie on the upright page (so that a value is right of its label, not left of it).
TEST_F(GeneratedDocuments, ATurnedPhotoIsReadAsWellAsAnUprightOne) {
    const std::string name = "edf.facture-000-photo";
    const auto truth = load_generated_sample(kSet + "/" + name + ".json");
    comptoir::LoadedDocument loaded = comptoir::load_document(kSet + "/" + name + ".jpg", comptoir::InputLimits{});
    ASSERT_EQ(loaded.pages.size(), 1u);
    const int dpi = loaded.pages[0].dpi;
    auto upright_page = comptoir::share_pix(std::move(loaded.pages[0].image));
    const comptoir::PageReading upright = pool_->read(upright_page, dpi, 1).get();
    ASSERT_EQ(upright.info.rotation_deg, 0);
    const double upright_found =
        1.0 - double(comptoir::test::printed_values_missed(truth, words_text(upright.words)).size()) / truth.printed.size();
    // Where the upright reading puts the bill's number: the turned readings must put it there too.
    const auto place_of = [](const comptoir::PageReading& reading, const std::string& text) -> const comptoir::Word* {
        for (const auto& word : reading.words) {
            if (word.text == text) return &word;
        }
        return nullptr;
    };
    EXPECT_FALSE(upright.info.illegible);
    const std::string amount = truth.printed.at("numero_facture");  // one word
    const comptoir::Word* amount_upright = place_of(upright, amount);
    ASSERT_NE(amount_upright, nullptr) << amount;
    for (const int quads : {1, 2}) {  // sideways (three quarters is the same case) and upside down
        SCOPED_TRACE("photo turned " + std::to_string(quads * 90) + "° clockwise");
        // pixRotateOrth turns clockwise; turning back takes the complement.
        auto turned = comptoir::share_pix(comptoir::PixPtr(pixRotateOrth(upright_page.get(), quads)));
        const comptoir::PageReading reading = pool_->read(turned, dpi, 1).get();
        EXPECT_EQ(reading.info.rotation_deg, ((4 - quads) % 4) * 90);
        EXPECT_EQ(reading.info.width, upright.info.width);
        EXPECT_EQ(reading.info.height, upright.info.height);
        const auto missed = comptoir::test::printed_values_missed(truth, words_text(reading.words));
        const double found = 1.0 - double(missed.size()) / truth.printed.size();
        EXPECT_GE(found, upright_found - 0.15) << "upright " << upright_found;
        const comptoir::Word* amount_turned = place_of(reading, amount);
        ASSERT_NE(amount_turned, nullptr) << amount;
        EXPECT_NEAR(amount_turned->box.x, amount_upright->box.x, 0.02 * upright.info.width);
        EXPECT_NEAR(amount_turned->box.y, amount_upright->box.y, 0.02 * upright.info.height);
    }
}

// A screen capture of the whole page at some 72 dpi (a PDF viewer's page, 600 pixels wide, no
// resolution in the file): its small anti-aliased characters are grown, not erased, and most of
// the page's values read as on the 300 dpi page.
TEST_F(GeneratedDocuments, AWholePageCaptureAt72DpiIsRead) {
    {
        const std::string name = "impots.avis_ir-000-clean";
        const auto truth = load_generated_sample(kSet + "/" + name + ".json");
        comptoir::LoadedDocument loaded = comptoir::load_document(kSet + "/" + name + ".png", comptoir::InputLimits{});
        Pix* page = loaded.pages.at(0).image.get();
        const float factor = 600.0f / static_cast<float>(pixGetWidth(page));
        comptoir::PixPtr capture(pixScaleAreaMap(page, factor, factor));
        ASSERT_TRUE(capture);
        pixSetResolution(capture.get(), 0, 0);
        const comptoir::PageReading reading = pool_->read(comptoir::share_pix(std::move(capture)), 0, 1).get();
        const auto missed = comptoir::test::printed_values_missed(truth, words_text(reading.words));
        std::string missed_list;
        for (const auto& key : missed) missed_list += " " + key;
        EXPECT_GE(1.0 - double(missed.size()) / truth.printed.size(), 0.7) << "not read:" << missed_list;
        EXPECT_FALSE(reading.info.illegible);
    }
}

// A photo too blurred to read says so: the page is marked illegible (the pipeline then warns the
// mediator and gives none of its fields with confidence), rather than read as a few wrong words.
TEST_F(GeneratedDocuments, ABlurredOrDarkPhotoIsSaidIllegible) {
    comptoir::LoadedDocument loaded =
        comptoir::load_document(kSet + "/edf.facture-000-photo.jpg", comptoir::InputLimits{});
    Pix* photo = loaded.pages.at(0).image.get();
    comptoir::PixPtr gray(pixConvertTo8(photo, 0));
    comptoir::PixPtr blurred(pixBlockconv(gray.get(), 4, 4));
    const comptoir::PageReading fuzzy = pool_->read(comptoir::share_pix(std::move(blurred)), 200, 1).get();
    EXPECT_TRUE(fuzzy.info.illegible);
    EXPECT_FALSE(fuzzy.info.blank);
    // A photo taken in the dark: its paper is nearly as dark as its ink.
    comptoir::PixPtr dark(pixGammaTRC(nullptr, gray.get(), 1.0f, 0, 255 * 12));
    const comptoir::PageReading night = pool_->read(comptoir::share_pix(std::move(dark)), 200, 1).get();
    EXPECT_TRUE(night.info.illegible);
    EXPECT_FALSE(night.info.blank) << "trop sombre n'est pas blanc";
    // The same photo, sharp, is not: ATurnedPhotoIsReadAsWellAsAnUprightOne.
}

INSTANTIATE_TEST_SUITE_P(
    SmallSet, GeneratedDocuments,
    ::testing::Values(std::make_tuple("edf.facture-000-scan300", 0.85, 0.8),
                      std::make_tuple("impots.avis_ir-000-scan300", 0.85, 0.8),
                      std::make_tuple("caf.attestation_paiement-000-scan200", 0.8, 0.7),
                      std::make_tuple("caf.indu-000-scan200", 0.8, 0.7),
                      std::make_tuple("edf.facture-000-photo", 0.5, 0.3)),
    [](const auto& param_info) {
        std::string name = std::get<0>(param_info.param);
        for (auto& c : name) {
            if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        }
        return name;
    });

}  // namespace
