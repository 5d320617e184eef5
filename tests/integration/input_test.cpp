// Loading inputs: every format, and every kind of bad file refused with its code, from the
// header when it can be, before anything large is decoded.
#include "comptoir/base/error.hpp"
#include "comptoir/plugin_host/pipeline.hpp"
#include "comptoir/reading/input.hpp"
#include "comptoir/reading/page_source.hpp"
#include "comptoir/reading/prepare.hpp"

#include "make_inputs.hpp"
#include "test_support.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <chrono>

using comptoir::InputLimits;
using comptoir::LoadedDocument;
using comptoir::test::TempDir;

namespace {

const std::string kData = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/tesseract/";

// The error code load_document gives, or "" when it loads.
std::string load_error(const std::string& path, const InputLimits& limits = {}) {
    try {
        comptoir::load_document(path, limits);
    } catch (const comptoir::InputError& error) {
        EXPECT_FALSE(std::string(error.what()).empty());
        return error.code();
    }
    return {};
}

std::string encode(const std::string& source, int format) {
    comptoir::PixPtr pix(pixRead(source.c_str()));
    l_uint8* data = nullptr;
    size_t size = 0;
    if (format == IFF_JFIF_JPEG) {
        comptoir::PixPtr gray(pixConvertTo8(pix.get(), 0));
        pixWriteMemJpeg(&data, &size, gray.get(), 85, 0);
    } else {
        pixWriteMemPng(&data, &size, pix.get(), 0.0f);
    }
    std::string bytes(reinterpret_cast<const char*>(data), size);
    lept_free(data);
    return bytes;
}

class Inputs : public ::testing::Test {
protected:
    static void SetUpTestSuite() { setMsgSeverity(L_SEVERITY_NONE); }
    TempDir dir_;
};

}  // namespace

TEST_F(Inputs, ReadsPngJpegTiffAndKeepsTheResolution) {
    const auto png = dir_.write("page.png", encode(kData + "phototest.tif", IFF_PNG));
    const auto jpeg = dir_.write("page.jpg", encode(kData + "phototest.tif", IFF_JFIF_JPEG));
    for (const auto& [path, format] : {std::pair{png, "png"}, std::pair{jpeg, "jpeg"},
                                       std::pair{kData + "phototest.tif", "tiff"}}) {
        const LoadedDocument document = comptoir::load_document(path, {});
        EXPECT_EQ(document.format, format);
        ASSERT_EQ(document.pages.size(), 1u);
        EXPECT_EQ(comptoir::pix_width(document.pages[0].image.get()), 640) << path;
        EXPECT_EQ(comptoir::pix_height(document.pages[0].image.get()), 480) << path;
        EXPECT_FALSE(document.pages[0].text_layer);
    }
    EXPECT_EQ(comptoir::load_document(kData + "phototest.tif", {}).pages[0].dpi, 200);
}

TEST_F(Inputs, ReadsEveryPageOfAMultiPageTiff) {
    comptoir::PixPtr page(pixRead((kData + "phototest.tif").c_str()));
    Pixa* pages = pixaCreate(3);
    for (int i = 0; i < 3; ++i) pixaAddPix(pages, page.get(), L_COPY);
    const std::string path = dir_.file("three.tif");
    ASSERT_EQ(pixaWriteMultipageTiff(path.c_str(), pages), 0);
    pixaDestroy(&pages);
    EXPECT_EQ(comptoir::load_document(path, {}).pages.size(), 3u);
}

TEST_F(Inputs, APdfWithATextLayerGivesItsWordsAndBoxes) {
    const std::string path = dir_.file("facture.pdf");
    comptoir::test::write_text_pdf(path, 1, "Facture du 29/01/2021 : 87,43 € à payer, échéance");
    const LoadedDocument document = comptoir::load_document(path, {});
    ASSERT_EQ(document.pages.size(), 1u);
    const auto& page = document.pages[0];
    EXPECT_EQ(page.dpi, 300);
    EXPECT_EQ(comptoir::pix_width(page.image.get()), 2480);  // A4 at 300 dpi
    ASSERT_TRUE(page.text_layer);
    std::vector<std::string> texts;
    for (const auto& word : page.words) texts.push_back(word.text);
    for (const char* expected : {"Facture", "29/01/2021", "87,43", "€", "à", "échéance", "Montant"}) {
        EXPECT_NE(std::find(texts.begin(), texts.end(), expected), texts.end()) << expected;
    }
    // "Facture" sits 72 pt (300 px) from the left, about 72 pt from the top.
    const auto& facture = page.words.front();
    EXPECT_EQ(facture.text, "Facture");
    EXPECT_NEAR(facture.box.x, 300, 5);
    EXPECT_NEAR(facture.box.y + facture.box.height, 300, 25);
    EXPECT_EQ(facture.line_id, 1u);
    EXPECT_EQ(page.words.back().line_id, 2u);
}

TEST_F(Inputs, APdfWithoutTextLayerIsRenderedForOcr) {
    const std::string png = dir_.write("page.png", encode(kData + "phototest.tif", IFF_PNG));
    const std::string path = dir_.file("scan.pdf");
    comptoir::test::write_image_pdf(path, png);
    const LoadedDocument document = comptoir::load_document(path, {});
    ASSERT_EQ(document.pages.size(), 1u);
    EXPECT_FALSE(document.pages[0].text_layer);
    EXPECT_EQ(comptoir::pix_height(document.pages[0].image.get()), 3508);
}

TEST_F(Inputs, EmptyOrUnknownFiles) {
    EXPECT_EQ(load_error(dir_.write("vide.png", "")), "empty_file");
    EXPECT_EQ(load_error(dir_.write("lettre.png", "Bonjour, ceci n'est pas une image.\n")), "unsupported_format");
    EXPECT_EQ(load_error(dir_.file("absent.png")), "not_found");
    EXPECT_EQ(load_error(dir_.write("photo.heic", std::string("\0\0\0\x18" "ftypheic\0\0\0\0", 16))), "unsupported_format");
}

TEST_F(Inputs, TruncatedImages) {
    const std::string png = encode(kData + "phototest.tif", IFF_PNG);
    EXPECT_EQ(load_error(dir_.write("coupe.png", png.substr(0, png.size() * 6 / 10))), "truncated");
    const std::string jpeg = encode(kData + "phototest.tif", IFF_JFIF_JPEG);
    EXPECT_EQ(load_error(dir_.write("coupe.jpg", jpeg.substr(0, jpeg.size() * 6 / 10))), "truncated");
    EXPECT_EQ(load_error(dir_.write("entete.png", png.substr(0, 20))), "unreadable");
}

TEST_F(Inputs, AHugePngIsRefusedFromItsHeader) {
    EXPECT_EQ(load_error(dir_.write("enorme.png", comptoir::test::png_header_only(60000, 60000))), "too_large");
    InputLimits small;
    small.max_pixels = 640 * 480 - 1;
    const auto png = dir_.write("page.png", encode(kData + "phototest.tif", IFF_PNG));
    EXPECT_EQ(load_error(png, small), "too_large");
}

// A strip is no page: refused from its header, before Tesseract's orientation check (which
// aborted the process on 1 × 5000). A till receipt (1 × 8) and a code on its own still load.
TEST_F(Inputs, AStripIsRefusedFromItsHeader) {
    EXPECT_EQ(load_error(dir_.write("bande.png", comptoir::test::png_header_only(1, 5000))), "not_a_page");
    EXPECT_EQ(load_error(dir_.write("ruban.png", comptoir::test::png_header_only(4100, 200))), "not_a_page");
    EXPECT_EQ(load_error(dir_.write("point.png", comptoir::test::png_header_only(12, 12))), "not_a_page");
    EXPECT_NE(load_error(dir_.write("ticket.png", comptoir::test::png_header_only(300, 2400))), "not_a_page");
    EXPECT_NE(load_error(dir_.write("code.png", comptoir::test::png_header_only(40, 40))), "not_a_page");
}

TEST_F(Inputs, ZeroSizePages) {
    EXPECT_EQ(load_error(dir_.write("nulle.png", comptoir::test::png_header_only(0, 100))), "empty_page");
    EXPECT_EQ(load_error(dir_.write("plate.png", comptoir::test::png_header_only(100, 0))), "empty_page");
    // Poppler gives a page with a zero MediaBox the default Letter size: it loads as a blank
    // page (OCR then finds no word), which is what a mediator would expect of such a file.
    const LoadedDocument pdf = comptoir::load_document(dir_.write("nulle.pdf", comptoir::test::zero_size_page_pdf()), {});
    ASSERT_EQ(pdf.pages.size(), 1u);
    EXPECT_GT(comptoir::pix_width(pdf.pages[0].image.get()), 0);
    EXPECT_FALSE(pdf.pages[0].text_layer);
}

TEST_F(Inputs, TooManyPages) {
    comptoir::PixPtr tiny(pixCreate(8, 8, 1));
    Pixa* pages = pixaCreate(1000);
    for (int i = 0; i < 1000; ++i) pixaAddPix(pages, tiny.get(), L_COPY);
    const std::string tiff = dir_.file("mille.tif");
    ASSERT_EQ(pixaWriteMultipageTiff(tiff.c_str(), pages), 0);
    pixaDestroy(&pages);
    EXPECT_EQ(load_error(tiff), "too_many_pages");

    const std::string pdf = dir_.file("cinq-cents.pdf");
    comptoir::test::write_text_pdf(pdf, 500, "");
    EXPECT_EQ(load_error(pdf), "too_many_pages");
}

TEST_F(Inputs, AnEncryptedPdfIsRefusedClearly) {
    const std::string path = dir_.file("protege.pdf");
    comptoir::test::write_encrypted_pdf(path);
    try {
        comptoir::load_document(path, {});
        FAIL() << "an encrypted PDF was opened";
    } catch (const comptoir::InputError& error) {
        EXPECT_EQ(error.code(), "encrypted_pdf");
        EXPECT_NE(std::string(error.what()).find("mot de passe"), std::string::npos);
    }
}

TEST_F(Inputs, ADamagedPdfIsUnreadable) {
    EXPECT_EQ(load_error(dir_.write("abime.pdf", "%PDF-1.4\n" + std::string(2000, 'x'))), "unreadable");
}

// The decoding child sends a colour page to be read in gray, as preparation's first step makes
// it (issue 33: a quarter of the bytes through its pipe and in the reader's memory), and the
// page is prepared exactly as from its colours: same pixels, transparency made white paper.
TEST(DecodingChild, SendsAColourPageGrayAsPreparationWouldMakeIt) {
    comptoir::PixPtr page(pixCreate(420, 300, 32));
    pixSetAllArbitrary(page.get(), 0xF5E6C800);  // cream paper
    BOX* band = boxCreate(0, 0, 420, 60);
    pixSetInRectArbitrary(page.get(), band, 0x1E50A000);  // a blue band
    boxDestroy(&band);
    comptoir::PixPtr letters(pixRead((kData + "phototest.tif").c_str()));
    ASSERT_TRUE(letters);
    comptoir::PixPtr ink(pixConvertTo32(letters.get()));
    pixRasterop(page.get(), 10, 80, 400, 200, PIX_SRC & PIX_DST, ink.get(), 0, 0);
    pixSetSpp(page.get(), 4);
    pixSetAlphaOverWhite(page.get());  // some of it transparent, white under it
    for (int y = 250; y < 300; ++y) {
        for (int x = 0; x < 420; ++x) {
            l_uint32 pixel = 0;
            pixGetPixel(page.get(), x, y, &pixel);
            pixSetPixel(page.get(), x, y, (pixel & 0xFFFFFF00) | static_cast<l_uint32>(x % 256));
        }
    }
    l_uint8* data = nullptr;
    size_t size = 0;
    ASSERT_EQ(pixWriteMemPng(&data, &size, page.get(), 0.0f), 0);
    const std::string png(reinterpret_cast<const char*>(data), size);
    lept_free(data);

    const comptoir::PluginRegistry plugins;
    const comptoir::Pipeline pipeline(comptoir::PipelineOptions{}, plugins);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    const auto source = pipeline.open_pages(png, deadline);
    const comptoir::LoadedPage colour = source->page(0, deadline);
    const comptoir::LoadedPage gray = source->page(0, deadline, 0, 0, comptoir::PageSource::Pixels::gray);
    ASSERT_EQ(pixGetDepth(colour.image.get()), 32);
    ASSERT_EQ(pixGetSpp(colour.image.get()), 4);
    ASSERT_EQ(pixGetDepth(gray.image.get()), 8) << "a quarter of the bytes";
    EXPECT_EQ(pixGetWidth(gray.image.get()), 420);
    EXPECT_EQ(gray.dpi, colour.dpi);

    const comptoir::PixPtr expected = comptoir::gray_page(colour.image.get());
    l_int32 same = 0;
    ASSERT_EQ(pixEqual(expected.get(), gray.image.get(), &same), 0);
    EXPECT_TRUE(same) << "the child's gray is preparation's";
    const auto upright = [](Pix*) { return 0; };
    const comptoir::PreparedPage from_colour = comptoir::prepare_page(colour.image.get(), 300, upright);
    const comptoir::PreparedPage from_gray = comptoir::prepare_page(gray.image.get(), 300, upright);
    ASSERT_EQ(pixEqual(from_colour.image.get(), from_gray.image.get(), &same), 0);
    EXPECT_TRUE(same) << "the page prepared the same";
    EXPECT_EQ(from_colour.text_height_px, from_gray.text_height_px);
}
