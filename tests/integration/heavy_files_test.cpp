// Files that cost too much (issue 31, item 3), generated here, small on disk: each fails on its
// own with a French message — from its headers when it can, else from the decoding child's
// limits or the reading's time limit — and the next ordinary file is read as usual.
#include "comptoir/plugin_host/pipeline.hpp"
#include "comptoir/reading/ocr.hpp"
#include "comptoir/reading/page_source.hpp"

#include "hostile_inputs.hpp"
#include "make_inputs.hpp"
#include "test_support.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>
#include <sstream>

using namespace std::chrono_literals;
using comptoir::ProcessResult;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kData = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/tesseract/";

class HeavyFiles : public ::testing::Test {
protected:
    static comptoir::PipelineOptions options() {
        comptoir::PipelineOptions options;
        options.max_pixels = 100'000'000;
        options.max_pages = 50;
        options.decoder.memory_bytes = 1LL << 30;
        return options;
    }
    ProcessResult read(const comptoir::Pipeline& pipeline, const std::string& bytes, const std::string& name) {
        return pipeline.process_data(bytes, name, {});
    }
    // A PDF with a text layer: read without OCR, in a moment.
    std::string ordinary_pdf() {
        const std::string path = dir_.file("facture.pdf");
        comptoir::test::write_text_pdf(path, 1, "Facture d'électricité du mois");
        std::ifstream in(path, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        return bytes.str();
    }
    void expect_ordinary_read(const comptoir::Pipeline& pipeline) {
        const ProcessResult ordinary = read(pipeline, ordinary_pdf(), "facture.pdf");
        EXPECT_FALSE(ordinary.error) << ordinary.error->message;
        EXPECT_EQ(ordinary.pages, 1u);
    }
    static void expect_too_heavy(const ProcessResult& result) {
        ASSERT_TRUE(result.error);
        EXPECT_EQ(result.error->code, "too_heavy") << result.error->message;
        EXPECT_EQ(result.error->message.rfind("Ce fichier est trop lourd à lire", 0), 0u) << result.error->message;
    }
    const comptoir::PluginRegistry plugins_;
    comptoir::test::TempDir dir_;
};

TEST_F(HeavyFiles, FiftyLargePdfPagesAreRefusedFromTheirHeaders) {
    const comptoir::Pipeline pipeline(options(), plugins_);
    const std::string pdf = comptoir::test::big_pages_pdf(50, 2400, 2400);  // 100 Mpx a page at 300 dpi
    ASSERT_LT(pdf.size(), 10'000u);
    const auto start = Clock::now();
    expect_too_heavy(read(pipeline, pdf, "grandes-pages.pdf"));
    EXPECT_LT(Clock::now() - start, 5s) << "refused before any page is rendered";
    expect_ordinary_read(pipeline);
}

TEST_F(HeavyFiles, AManyPageTiffIsRefusedFromItsHeaders) {
    const comptoir::Pipeline pipeline(options(), plugins_);
    expect_too_heavy(read(pipeline, comptoir::test::blank_tiff(10, 5000, 7000), "dix-pages.tif"));
}

TEST_F(HeavyFiles, AGiantPdfPageIsRefusedAndALargeOneRenderedWithinTheLimit) {
    comptoir::PipelineOptions limited = options();
    limited.max_pixels = 10'000'000;
    const comptoir::Pipeline pipeline(limited, plugins_);
    const ProcessResult giant = read(pipeline, comptoir::test::big_pages_pdf(1, 14400, 14400), "affiche.pdf");
    ASSERT_TRUE(giant.error);
    EXPECT_EQ(giant.error->code, "too_large");
    EXPECT_NE(giant.error->message.find("démesurée (508 × 508 cm)"), std::string::npos) << giant.error->message;

    // 42 cm square: 5000 × 5000 at 300 dpi, rendered at less so as to stay within 10 Mpx.
    const auto source = pipeline.open_pages(comptoir::test::big_pages_pdf(1, 1200, 1200), Clock::now() + 30s);
    ASSERT_EQ(source->sizes().size(), 1u);
    const comptoir::PageSize size = source->sizes()[0];
    EXPECT_LT(size.dpi, 300);
    EXPECT_GT(size.dpi, 150);
    EXPECT_LE(size.pixels(), limited.max_pixels);
    const comptoir::LoadedPage page = source->page(0, Clock::now() + 30s);
    EXPECT_EQ(pixGetWidth(page.image.get()), size.width);
    EXPECT_EQ(pixGetHeight(page.image.get()), size.height);
}

TEST_F(HeavyFiles, AnImagePastTheChildsMemoryFailsAloneAndTheNextFileIsRead) {
    if (!comptoir::worker::memory_limits_enabled()) GTEST_SKIP() << "no memory limit in the sanitizer build";
    comptoir::PipelineOptions small = options();
    small.decoder.memory_bytes = 320LL << 20;  // less than the 400 MB of 10000 × 10000 in colour
    const comptoir::Pipeline pipeline(small, plugins_);
    const std::string png = comptoir::test::zero_png(10000, 10000);
    ASSERT_LT(png.size(), 500'000u);
    const ProcessResult result = read(pipeline, png, "noir.png");
    expect_too_heavy(result);
    EXPECT_NE(result.error->message.find("mémoire"), std::string::npos) << result.error->message;
    expect_ordinary_read(pipeline);
}

TEST_F(HeavyFiles, SharedVectorContentStopsAtTheReadingsTimeLimit) {
    comptoir::PipelineOptions quick = options();
    quick.reading_timeout_s = 2;
    const comptoir::Pipeline pipeline(quick, plugins_);
    const std::string pdf = comptoir::test::shared_content_pdf(3, 40, 3);
    ASSERT_LT(pdf.size(), 20'000u);
    const auto start = Clock::now();
    const ProcessResult result = read(pipeline, pdf, "vectoriel.pdf");
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->code, "timeout") << result.error->message;
    EXPECT_NE(result.error->message.find("trop de temps"), std::string::npos);
    EXPECT_LT(Clock::now() - start, 6s);
    expect_ordinary_read(pipeline);
}

TEST_F(HeavyFiles, AHeavyFileNeverTakesEveryWorker) {
    // One heavy reading at a time (the desk: its workers less one): a second heavy file fails
    // at once with its own message, and an ordinary file is read while the first goes on.
    comptoir::PipelineOptions gated = options();
    gated.heavy_readings = 1;
    // Heavy from their headers: three A4 pages (26 Mpx) are, one (9 Mpx) is not. (Found heavy
    // by their decoding time instead, after light_decode_ms, they go the same way.)
    gated.heavy_pixels = 20'000'000;
    gated.light_decode_ms = 60'000;
    gated.reading_timeout_s = 5;
    const comptoir::Pipeline pipeline(gated, plugins_);
    const std::string pdf = comptoir::test::shared_content_pdf(3, 40, 3);
    auto first = std::async(std::launch::async, [&] { return read(pipeline, pdf, "lourd-1.pdf"); });
    auto second = std::async(std::launch::async, [&] { return read(pipeline, pdf, "lourd-2.pdf"); });
    // Whichever is heavy second fails as soon as it is found heavy.
    const auto deadline = Clock::now() + 3s;
    std::future<ProcessResult>* refused = nullptr;
    std::future<ProcessResult>* going_on = nullptr;
    while (!refused && Clock::now() < deadline) {
        if (first.wait_for(20ms) == std::future_status::ready) refused = &first, going_on = &second;
        else if (second.wait_for(20ms) == std::future_status::ready) refused = &second, going_on = &first;
    }
    ASSERT_TRUE(refused) << "neither heavy file was refused";
    const ProcessResult busy = refused->get();
    expect_too_heavy(busy);
    EXPECT_NE(busy.error->message.find("d'autres fichiers lourds"), std::string::npos) << busy.error->message;
    const auto ordinary_start = Clock::now();
    expect_ordinary_read(pipeline);
    EXPECT_LT(Clock::now() - ordinary_start, 3s);
    EXPECT_EQ(going_on->wait_for(0s), std::future_status::timeout) << "the heavy one was still being read";
    EXPECT_EQ(going_on->get().error->code, "timeout");
}

TEST_F(HeavyFiles, TheOcrStopsAtTheReadingsTimeLimitAndItsEngineIsFree) {
    comptoir::OcrOptions ocr_options;
    ocr_options.find_codes = false;
    comptoir::OcrPool pool(ocr_options);
    // Four pages, each a letter's text six times over: seconds of OCR, far more than the one
    // second allowed.
    comptoir::PixPtr letter_page(pixRead((kData + "phototest.tif").c_str()));
    ASSERT_TRUE(letter_page);
    const int w = pixGetWidth(letter_page.get()), h = pixGetHeight(letter_page.get());
    comptoir::PixPtr page(pixCreate(2 * w, 3 * h, pixGetDepth(letter_page.get())));
    for (int x = 0; x < 2; ++x) {
        for (int y = 0; y < 3; ++y) pixRasterop(page.get(), x * w, y * h, w, h, PIX_SRC, letter_page.get(), 0, 0);
    }
    pixSetResolution(page.get(), 200, 200);
    const std::string tiff_path = dir_.file("quatre-pages.tif");
    for (int i = 0; i < 4; ++i) pixWriteTiff(tiff_path.c_str(), page.get(), IFF_TIFF_G4, i == 0 ? "w" : "a");
    std::ifstream in(tiff_path, std::ios::binary);
    std::ostringstream tiff;
    tiff << in.rdbuf();
    comptoir::PipelineOptions quick = options();
    quick.reading_timeout_s = 1;
    const comptoir::Pipeline hurried(quick, plugins_, &pool);
    const auto start = Clock::now();
    const ProcessResult result = read(hurried, tiff.str(), "quatre-pages.tif");
    ASSERT_TRUE(result.error);
    EXPECT_EQ(result.error->code, "timeout") << result.error->message;
    EXPECT_LT(Clock::now() - start, 4s) << "Tesseract was stopped, not waited for";
    // The engine reads the next document.
    std::ifstream one(kData + "phototest.tif", std::ios::binary);
    std::ostringstream letter;
    letter << one.rdbuf();
    const comptoir::Pipeline patient(options(), plugins_, &pool);
    const ProcessResult next = read(patient, letter.str(), "phototest.tif");
    EXPECT_FALSE(next.error) << next.error->message;
    EXPECT_EQ(next.pages, 1u);
}

}  // namespace
