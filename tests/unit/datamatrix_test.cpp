// Finding and decoding DataMatrix codes (core/reading/src/datamatrix.cpp) on the specification's images
// and on pages made here: a code alone, in a page's corner, turned, on a 200 dpi page, on a
// colour page; nothing found, and no crash, where there is no code or no page worth the name.
#include "comptoir/reading/datamatrix.hpp"
#include "comptoir/reading/twoddoc.hpp"

#include <leptonica/allheaders.h>

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>

using comptoir::test::read_file;
using comptoir::test::twoddoc_bytes;

namespace {

const std::string kImages = std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/2ddoc/images/";

struct PixFree {
    void operator()(Pix* pix) const noexcept { pixDestroy(&pix); }
};
using Owned = std::unique_ptr<Pix, PixFree>;

Owned load(const std::string& name) { return Owned(pixRead((kImages + name).c_str())); }

// A white 8-bit page of `width` × `height` with some text-like strokes, the code pasted at
// (x, y), scaled to `side` pixels and turned by `degrees`.
Owned page_with_code(int width, int height, const std::string& code, int x, int y, int side, float degrees) {
    Owned page(pixCreate(width, height, 8));
    pixSetAll(page.get());
    for (int line = 0; line < 30; ++line) {  // lines of "words": dark bars of text height
        for (int word = 0; word < 9; ++word) {
            pixRasterop(page.get(), 150 + word * 220, 600 + line * 80, 160 - (line * 7 + word * 13) % 60, 28, PIX_CLR,
                        nullptr, 0, 0);
        }
    }
    Owned source(load(code));
    Owned grey(pixConvertTo8(source.get(), 0));
    setMsgSeverity(L_SEVERITY_ERROR);
    const float scale = static_cast<float>(side) / static_cast<float>(pixGetWidth(grey.get()));
    Owned scaled(pixScale(grey.get(), scale, scale));
    Owned turned(degrees == 0.0f ? pixClone(scaled.get())
                                 : pixRotate(scaled.get(), degrees * 3.14159265f / 180.0f, L_ROTATE_AREA_MAP,
                                             L_BRING_IN_WHITE, side * 3 / 2, side * 3 / 2));  // room for the corners
    pixRasterop(page.get(), x, y, pixGetWidth(turned.get()), pixGetHeight(turned.get()), PIX_SRC, turned.get(), 0, 0);
    return page;
}

}  // namespace

TEST(DataMatrix, TheSpecificationsImagesDecode) {
    // v2 and the MRZ code hold their .txt; v3 and v4 hold other messages (known defects of the
    // vectors, said in tests/data/2ddoc/README.md), checked here for what they are.
    for (const char* name : {"barcode_c40_v2", "barcode_c40_mrz_v3"}) {
        const auto image = load(std::string(name) + ".png");
        const auto search = comptoir::find_datamatrix(image.get());
        ASSERT_EQ(search.codes.size(), 1u) << name;
        EXPECT_EQ(search.codes[0].payload, twoddoc_bytes(read_file(kImages + name + ".txt"))) << name;
    }
    const auto catalogue = comptoir::twoddoc::Catalogue::from_json(read_file(std::string(COMPTOIR_SOURCE_DIR) + "/data/2ddoc/data_ids.json"));
    const auto v3 = comptoir::find_datamatrix(load("barcode_c40_v3.png").get());
    ASSERT_EQ(v3.codes.size(), 1u);
    const auto v3_message = comptoir::twoddoc::parse(v3.codes[0].payload, catalogue);
    EXPECT_EQ(v3_message.version, 3);
    EXPECT_EQ(v3_message.document_type, "00");
    EXPECT_EQ(v3_message.field("10")->value, "MLLE/SAMPLE/ANGELA");
    const auto v4 = comptoir::find_datamatrix(load("barcode_c40_v4.png").get());
    ASSERT_EQ(v4.codes.size(), 1u);
    EXPECT_EQ(comptoir::twoddoc::parse(v4.codes[0].payload, catalogue).version, 4);
}

TEST(DataMatrix, ACodeIsFoundAnywhereOnAPageAndTurned) {
    struct Case {
        const char* what;
        int width, height, x, y, side;
        float degrees;
    };
    for (const Case& c : {Case{"300 dpi, top right corner", 2480, 3508, 2240, 20, 220, 0.0f},
                          Case{"300 dpi, bottom left corner", 2480, 3508, 10, 3270, 220, 0.0f},
                          Case{"300 dpi, middle, turned 30°", 2480, 3508, 1100, 1500, 240, 30.0f},
                          Case{"300 dpi, upside down", 2480, 3508, 300, 200, 220, 180.0f},
                          Case{"200 dpi, top left", 1654, 2339, 30, 30, 150, 0.0f},
                          Case{"200 dpi, turned 12°", 1654, 2339, 1300, 1900, 150, 12.0f}}) {
        SCOPED_TRACE(c.what);
        const auto page = page_with_code(c.width, c.height, "barcode_c40_v4.png", c.x, c.y, c.side, c.degrees);
        const auto search = comptoir::find_datamatrix(page.get());
        ASSERT_EQ(search.codes.size(), 1u);
        EXPECT_TRUE(search.damaged.empty());
        EXPECT_TRUE(search.codes[0].payload.rfind("DC04FR000001", 0) == 0);
        // The box is where the code was put, in pixels of the page.
        const auto& box = search.codes[0].box;
        EXPECT_GE(box.x + box.width / 2, c.x);
        EXPECT_LE(box.x + box.width / 2, c.x + c.side * 3 / 2);
        EXPECT_GE(box.y + box.height / 2, c.y);
        EXPECT_LE(box.y + box.height / 2, c.y + c.side * 3 / 2);
    }
}

TEST(DataMatrix, AColourPageIsSearchedToo) {
    const auto grey = page_with_code(2480, 3508, "barcode_c40_v2.png", 1800, 120, 260, 0.0f);
    const Owned colour(pixConvertTo32(grey.get()));
    const auto search = comptoir::find_datamatrix(colour.get());
    ASSERT_EQ(search.codes.size(), 1u);
    EXPECT_EQ(search.codes[0].payload, twoddoc_bytes(read_file(kImages + "barcode_c40_v2.txt")));
}

TEST(DataMatrix, NothingIsFoundWhereThereIsNoCode) {
    Owned page(pixCreate(2480, 3508, 8));
    pixSetAll(page.get());
    EXPECT_TRUE(comptoir::find_datamatrix(page.get()).codes.empty());
    // Text-like strokes only, then noise: candidates maybe, codes none.
    const auto text = page_with_code(2480, 3508, "barcode_c40_v2.png", 0, 0, 1, 0.0f);
    EXPECT_TRUE(comptoir::find_datamatrix(text.get()).codes.empty());
    EXPECT_TRUE(comptoir::find_datamatrix(text.get()).damaged.empty());
    Owned noise(pixCreate(1200, 1600, 8));
    for (int y = 0; y < 1600; ++y) {
        for (int x = 0; x < 1200; ++x) pixSetPixel(noise.get(), x, y, static_cast<l_uint32>((x * 7919 + y * 104729) % 251));
    }
    EXPECT_TRUE(comptoir::find_datamatrix(noise.get()).codes.empty());
    EXPECT_TRUE(comptoir::find_datamatrix(noise.get()).damaged.empty());
}

// A code cut by the edge of the image (half of it out of the picture) is not decoded, but it is
// seen: said damaged, where it lies.
TEST(DataMatrix, ACodeCutByTheEdgeIsSaidDamaged) {
    struct Case {
        const char* what;
        int x, y;
    };
    for (const Case& c : {Case{"right half gone", 2480 - 110, 1500}, Case{"lower half gone", 1200, 3508 - 110}}) {
        SCOPED_TRACE(c.what);
        const auto page = page_with_code(2480, 3508, "barcode_c40_v4.png", c.x, c.y, 220, 0.0f);
        const auto search = comptoir::find_datamatrix(page.get());
        EXPECT_TRUE(search.codes.empty());
        ASSERT_EQ(search.damaged.size(), 1u);
        const auto& box = search.damaged[0];
        EXPECT_NEAR(box.x, c.x, 12);
        EXPECT_NEAR(box.y, c.y, 12);
    }
    // Checkerboards (code-like squares without a code's solid side) are not taken for one.
    Owned board(pixCreate(1654, 2339, 8));
    pixSetAll(board.get());
    for (int cell = 0; cell < 144; ++cell) {
        if ((cell / 12 + cell % 12) % 2 == 0) {
            pixRasterop(board.get(), 700 + (cell % 12) * 12, 1000 + (cell / 12) * 12, 12, 12, PIX_CLR, nullptr, 0, 0);
        }
    }
    EXPECT_TRUE(comptoir::find_datamatrix(board.get()).damaged.empty());
}

TEST(DataMatrix, DegenerateImagesAreNotACrash) {
    EXPECT_TRUE(comptoir::find_datamatrix(nullptr).codes.empty());
    Owned tiny(pixCreate(1, 1, 8));
    EXPECT_TRUE(comptoir::find_datamatrix(tiny.get()).codes.empty());
    Owned line(pixCreate(5000, 3, 8));
    EXPECT_TRUE(comptoir::find_datamatrix(line.get()).codes.empty());
    Owned binary(pixCreate(2480, 3508, 1));  // 1 bit, all white
    EXPECT_TRUE(comptoir::find_datamatrix(binary.get()).codes.empty());
    Owned black(pixCreate(2480, 3508, 8));  // all black: one huge blob, no code
    EXPECT_TRUE(comptoir::find_datamatrix(black.get()).codes.empty());
    // A zero budget: the best candidate only, then it gives up and says so, without a crash.
    const auto page = page_with_code(2480, 3508, "barcode_c40_v4.png", 2240, 20, 220, 0.0f);
    for (int i = 0; i < 8; ++i) {  // more code-like squares (checkerboards): candidates to give up on
        for (int cell = 0; cell < 100; ++cell) {
            if ((cell / 10 + cell % 10) % 2 == 0) {
                pixRasterop(page.get(), 300 + i * 250 + (cell % 10) * 16, 3000 + (cell / 10) * 16, 16, 16, PIX_CLR, nullptr, 0, 0);
            }
        }
    }
    comptoir::CodeSearchOptions hurried;
    hurried.budget = std::chrono::milliseconds(0);
    const auto search = comptoir::find_datamatrix(page.get(), hurried);
    EXPECT_EQ(search.candidates, 1);
    EXPECT_TRUE(search.out_of_time);
}
