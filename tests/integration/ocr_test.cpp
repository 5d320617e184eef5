// Reading pages for real: Leptonica preparation and the Tesseract pool (French model) on the
// Tesseract project's test images and on pages the tests make from them.
#include "comptoir/reading/document.hpp"
#include "comptoir/base/error.hpp"
#include "comptoir/reading/input.hpp"
#include "comptoir/reading/ocr.hpp"
#include "comptoir/reading/prepare.hpp"
#include "comptoir/reading/text_metrics.hpp"

#include "make_inputs.hpp"
#include "test_support.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <dirent.h>

#include <random>
#include <sstream>

using comptoir::Document;
using comptoir::OcrPool;
using comptoir::test::TempDir;
using comptoir::word_accuracy;

namespace {

const std::string kData = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/tesseract/";

struct Reading {
    Document document;
    std::vector<comptoir::PageReading> pages;
};

int count_threads() {
    int count = 0;
    if (DIR* dir = opendir("/proc/self/task")) {
        while (dirent* entry = readdir(dir)) {
            if (entry->d_name[0] != '.') ++count;
        }
        closedir(dir);
    }
    return count;
}

class Ocr : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        setMsgSeverity(L_SEVERITY_NONE);
        threads_before_pool_ = count_threads();
        comptoir::OcrOptions options;
        options.languages = "fra";
        options.engines = 2;
        pool_ = new OcrPool(options);
    }
    static void TearDownTestSuite() {
        delete pool_;
        pool_ = nullptr;
    }

    static Reading read(const std::string& path) {
        comptoir::LoadedDocument loaded = comptoir::load_document(path, comptoir::InputLimits{});
        std::vector<std::future<comptoir::PageReading>> futures;
        std::vector<comptoir::PageInfo> infos;
        std::vector<comptoir::Word> text_layer_words;
        for (size_t i = 0; i < loaded.pages.size(); ++i) {
            auto& page = loaded.pages[i];
            comptoir::PageInfo info;
            info.width = comptoir::pix_width(page.image.get());
            info.height = comptoir::pix_height(page.image.get());
            info.dpi = page.dpi;
            info.text_layer = page.text_layer;
            infos.push_back(info);
            if (page.text_layer) {
                for (auto& word : page.words) text_layer_words.push_back(word);
                futures.emplace_back();
            } else {
                futures.push_back(pool_->read(comptoir::share_pix(std::move(page.image)), page.dpi,
                                              static_cast<uint32_t>(i + 1)));
            }
        }
        Reading reading;
        std::vector<comptoir::Word> words = text_layer_words;
        for (size_t i = 0; i < futures.size(); ++i) {
            if (!futures[i].valid()) continue;
            comptoir::PageReading page = futures[i].get();
            infos[i].rotation_deg = page.info.rotation_deg;
            infos[i].skew_deg = page.info.skew_deg;
            infos[i].width = page.info.width;  // the upright page's, as the pipeline keeps them
            infos[i].height = page.info.height;
            words.insert(words.end(), page.words.begin(), page.words.end());
            reading.pages.push_back(std::move(page));
        }
        reading.document = Document(infos, words);
        return reading;
    }

    static const comptoir::Word* find_word(const Document& document, const std::string& text) {
        for (const auto& word : document.words()) {
            if (word.text == text) return &word;
        }
        return nullptr;
    }

    static inline OcrPool* pool_ = nullptr;
    static inline int threads_before_pool_ = 0;
};

}  // namespace

TEST_F(Ocr, PhototestReadsAtLeast98PercentOfWords) {
    const Reading reading = read(kData + "phototest.tif");
    const std::string gold = comptoir::test::read_file(kData + "phototest.gold.txt");
    const double accuracy = word_accuracy(reading.document.text(0), gold);
    EXPECT_GE(accuracy, 0.98) << reading.document.text(0);
    EXPECT_EQ(reading.document.pages()[0].rotation_deg, 0);
    // Words carry confidences, boxes inside the page, line and block ids.
    const auto* first = find_word(reading.document, "This");
    ASSERT_NE(first, nullptr);
    EXPECT_GT(first->confidence, 0.8f);
    EXPECT_GT(first->box.width, 0);
    EXPECT_LT(first->box.x + first->box.width, reading.document.pages()[0].width);
    EXPECT_GE(first->line_id, 1u);
    EXPECT_NE(reading.document.text(1).find("quick brown dog jumped over the\nlazy fox."), std::string::npos)
        << reading.document.text(1);
}

class RotatedPhototest : public Ocr, public ::testing::WithParamInterface<std::pair<std::string, int>> {};

TEST_P(RotatedPhototest, ComesOutUprightWithBoxesOnTheUprightPage) {
    const auto& [file, expected_rotation] = GetParam();
    const Reading reading = read(kData + file);
    const std::string gold = comptoir::test::read_file(kData + "phototest.gold.txt");
    EXPECT_EQ(reading.document.pages()[0].rotation_deg, expected_rotation);
    EXPECT_GE(word_accuracy(reading.document.text(0), gold), 0.95) << reading.document.text(0);

    // The same word on the upright page and on the turned one: its box, in pixels of the page
    // as loaded turned upright (what the desk shows, what the plugins measure on), is where the
    // upright file has it; the page's sides are the upright file's.
    const Reading upright = read(kData + "phototest.tif");
    const auto* reference = find_word(upright.document, "This");
    const auto* turned = find_word(reading.document, "This");
    ASSERT_NE(reference, nullptr);
    ASSERT_NE(turned, nullptr);
    EXPECT_EQ(reading.document.pages()[0].width, upright.document.pages()[0].width);
    EXPECT_EQ(reading.document.pages()[0].height, upright.document.pages()[0].height);
    const comptoir::Box expected = reference->box;
    EXPECT_NEAR(turned->box.x, expected.x, 12);
    EXPECT_NEAR(turned->box.y, expected.y, 12);
    EXPECT_NEAR(turned->box.width, expected.width, 12);
    EXPECT_NEAR(turned->box.height, expected.height, 12);
}

INSTANTIATE_TEST_SUITE_P(Turned, RotatedPhototest,
                         ::testing::Values(std::make_pair(std::string("phototest-rotated-180.png"), 180),
                                           std::make_pair(std::string("phototest-rotated-L.png"), 90),
                                           std::make_pair(std::string("phototest-rotated-R.png"), 270)),
                         [](const auto& param_info) { return std::to_string(param_info.param.second); });

TEST_F(Ocr, EurotextFrenchLineKeepsItsTypography) {
    const Reading reading = read(kData + "eurotext.tif");
    const std::string text = reading.document.text(0);
    EXPECT_NE(text.find("Le renard brun"), std::string::npos) << text;
    EXPECT_NE(text.find("«rapide»"), std::string::npos) << text;
    EXPECT_NE(text.find("par-dessus le chien"), std::string::npos) << text;
    // Letters the French model knows come through on the other lines too (it has no "á": the
    // Spanish and Portuguese "rápido" come out "râpido", as expected of fra alone).
    EXPECT_NE(text.find("über"), std::string::npos) << text;
    EXPECT_NE(text.find("preguiçoso"), std::string::npos) << text;
}

TEST_F(Ocr, APageSkewedBy3DegreesIsStraightenedWithin0_3) {
    TempDir dir;
    comptoir::PixPtr page(pixRead((kData + "phototest.tif").c_str()));
    ASSERT_TRUE(page);
    constexpr float kDegrees = 3.0f;
    comptoir::PixPtr skewed(pixRotate(page.get(), kDegrees * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP,
                                      L_BRING_IN_WHITE, 0, 0));
    const std::string path = dir.file("skewed.png");
    ASSERT_EQ(pixWrite(path.c_str(), skewed.get(), IFF_PNG), 0);
    const Reading reading = read(path);
    EXPECT_NEAR(reading.document.pages()[0].skew_deg, kDegrees, 0.3);
    const std::string gold = comptoir::test::read_file(kData + "phototest.gold.txt");
    EXPECT_GE(word_accuracy(reading.document.text(0), gold), 0.95) << reading.document.text(0);
}

TEST_F(Ocr, ANoisy200DpiPageIsStillRead) {
    TempDir dir;
    comptoir::PixPtr page(pixRead((kData + "eurotext.tif").c_str()));
    ASSERT_TRUE(page);
    // 300 -> 200 dpi, gray, then scanner noise: 1.5% of pixels flipped to random grays.
    comptoir::PixPtr small(pixScaleToGray(page.get(), 2.0f / 3.0f));
    ASSERT_TRUE(small);
    std::mt19937 random(42);
    std::uniform_int_distribution<int> x_of(0, pixGetWidth(small.get()) - 1);
    std::uniform_int_distribution<int> y_of(0, pixGetHeight(small.get()) - 1);
    std::uniform_int_distribution<int> gray_of(0, 255);
    const int noisy = pixGetWidth(small.get()) * pixGetHeight(small.get()) * 15 / 1000;
    for (int i = 0; i < noisy; ++i) pixSetPixel(small.get(), x_of(random), y_of(random), static_cast<l_uint32>(gray_of(random)));
    pixSetResolution(small.get(), 200, 200);
    const std::string path = dir.file("noisy-200dpi.png");
    ASSERT_EQ(pixWrite(path.c_str(), small.get(), IFF_PNG), 0);

    const Reading reading = read(path);
    EXPECT_EQ(reading.document.pages()[0].dpi, 200);
    const std::string reference = comptoir::test::read_file(kData + "eurotext.txt");
    EXPECT_GE(word_accuracy(reading.document.text(0), reference), 0.85) << reading.document.text(0);
}

TEST_F(Ocr, APdfWithoutTextLayerIsRead) {
    TempDir dir;
    comptoir::PixPtr page(pixRead((kData + "phototest.tif").c_str()));
    const std::string png = dir.file("page.png");
    ASSERT_EQ(pixWrite(png.c_str(), page.get(), IFF_PNG), 0);
    const std::string pdf = dir.file("scan.pdf");
    comptoir::test::write_image_pdf(pdf, png);
    const Reading reading = read(pdf);
    EXPECT_FALSE(reading.document.pages()[0].text_layer);
    EXPECT_EQ(reading.document.pages()[0].dpi, 300);
    const std::string gold = comptoir::test::read_file(kData + "phototest.gold.txt");
    EXPECT_GE(word_accuracy(reading.document.text(0), gold), 0.95) << reading.document.text(0);
}

TEST_F(Ocr, APdfWithATextLayerSkipsOcr) {
    TempDir dir;
    const std::string pdf = dir.file("facture.pdf");
    comptoir::test::write_text_pdf(pdf, 1, "Facture du 29/01/2021 : 87,43 € à payer");
    const Reading reading = read(pdf);
    EXPECT_TRUE(reading.document.pages()[0].text_layer);
    EXPECT_TRUE(reading.pages.empty());  // nothing went through the engines
    EXPECT_EQ(reading.document.text(1), "Facture du 29/01/2021 : 87,43 € à payer\nMontant total 87,43");
}

TEST_F(Ocr, APhonePhotoIsRead) {
    // What a phone gives: the page smaller than the frame, on a dark table, turned a few
    // degrees, lit unevenly (darker towards one corner), JPEG, no resolution.
    TempDir dir;
    comptoir::PixPtr page(pixRead((kData + "eurotext.tif").c_str()));
    comptoir::PixPtr gray(pixConvertTo8(page.get(), 0));
    const int width = pixGetWidth(gray.get()) * 3 / 2;
    const int height = pixGetHeight(gray.get()) * 3 / 2;
    comptoir::PixPtr photo(pixCreate(width, height, 8));
    pixSetAllGray(photo.get(), 60);
    pixRasterop(photo.get(), width / 6, height / 6, pixGetWidth(gray.get()), pixGetHeight(gray.get()), PIX_SRC, gray.get(), 0, 0);
    comptoir::PixPtr turned(pixRotate(photo.get(), -4.0f * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP, L_BRING_IN_BLACK, 0, 0));
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            l_uint32 value = 0;
            pixGetPixel(turned.get(), x, y, &value);
            const double light = 1.0 - 0.45 * (static_cast<double>(x) / width) * (static_cast<double>(y) / height);
            pixSetPixel(turned.get(), x, y, static_cast<l_uint32>(value * light));
        }
    }
    pixSetResolution(turned.get(), 0, 0);
    const std::string path = dir.file("photo.jpg");
    ASSERT_EQ(pixWriteJpeg(path.c_str(), turned.get(), 80, 0), 0);

    const Reading reading = read(path);
    // The sheet is found on the table and straightened: the photo's -4° go with it, and what
    // skew is left is eurotext.tif's own (it is itself a little skewed).
    EXPECT_TRUE(reading.pages[0].info.perspective);
    const double own_skew = read(kData + "eurotext.tif").document.pages()[0].skew_deg;
    EXPECT_NEAR(reading.document.pages()[0].skew_deg, own_skew, 0.3);
    const std::string reference = comptoir::test::read_file(kData + "eurotext.txt");
    EXPECT_GE(word_accuracy(reading.document.text(0), reference), 0.85) << reading.document.text(0);
}

TEST_F(Ocr, EachEngineUsesOneThread) {
    // The pool adds one thread per engine and nothing else: OpenMP inside Tesseract is held
    // to one thread (OMP_THREAD_LIMIT=1, set for this test by ctest as the binary sets it for
    // itself).
    EXPECT_EQ(comptoir::omp_thread_limit(), 1);
    read(kData + "phototest.tif");
    read(kData + "eurotext.tif");
    EXPECT_EQ(count_threads(), threads_before_pool_ + pool_->engines());
}

TEST_F(Ocr, PagesOfSeveralDocumentsRunInParallel) {
    const auto loaded = comptoir::load_document(kData + "phototest.tif", comptoir::InputLimits{});
    std::vector<std::future<comptoir::PageReading>> futures;
    for (uint32_t i = 0; i < 4; ++i) futures.push_back(pool_->read(comptoir::share_pix(comptoir::pix_clone(loaded.pages[0].image.get())), 200, i + 1));
    for (auto& future : futures) EXPECT_GT(future.get().words.size(), 50u);
}

TEST(OcrInit, AMissingLanguageIsAClearError) {
    comptoir::OcrOptions options;
    options.languages = "klingon";
    options.engines = 1;
    try {
        OcrPool pool(options);
        FAIL() << "a pool started without its language data";
    } catch (const comptoir::Error& error) {
        EXPECT_EQ(error.code(), "ocr_init");
        EXPECT_NE(std::string(error.what()).find("« klingon »"), std::string::npos);
    }
}
