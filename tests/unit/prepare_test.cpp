// PageTransform: boxes found on the prepared page map back to the page as loaded, through the
// same scaling, quarter turns and deskew rotation that Leptonica applies.
#include "comptoir/image/image.hpp"
#include "comptoir/reading/prepare.hpp"
#include "prepare_steps.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>
#include <tuple>

using comptoir::PageTransform;
using comptoir::PixPtr;

namespace {

class Transform : public ::testing::TestWithParam<std::tuple<double, int, double>> {};

}  // namespace

TEST_P(Transform, RoundTripsPoints) {
    const auto [scale, quads, deskew] = GetParam();
    PageTransform transform;
    transform.original_width = 400;
    transform.original_height = 300;
    transform.scale = scale;
    transform.quads = quads;
    transform.deskew_deg = deskew;
    transform.scaled_width = static_cast<int>(400 * scale);
    transform.scaled_height = static_cast<int>(300 * scale);
    for (const auto& [x, y] : {std::pair{0.0, 0.0}, std::pair{123.0, 45.0}, std::pair{399.0, 299.0}}) {
        double px = 0, py = 0, ox = 0, oy = 0;
        transform.to_prepared(x, y, px, py);
        transform.to_original(px, py, ox, oy);
        EXPECT_NEAR(ox, x, 1e-6);
        EXPECT_NEAR(oy, y, 1e-6);
    }
}

TEST_P(Transform, MatchesWhatLeptonicaDoesToTheImage) {
    const auto [scale, quads, deskew] = GetParam();
    // A white page with one black square at (100, 50), 20 × 12 pixels.
    PixPtr page(pixCreate(400, 300, 8));
    pixSetAll(page.get());
    Box* square = boxCreate(100, 50, 20, 12);
    pixClearInRect(page.get(), square);
    boxDestroy(&square);
    PixPtr image(pixScale(page.get(), static_cast<float>(scale), static_cast<float>(scale)));
    PageTransform transform;
    transform.original_width = 400;
    transform.original_height = 300;
    transform.scale = scale;
    transform.scaled_width = pixGetWidth(image.get());
    transform.scaled_height = pixGetHeight(image.get());
    transform.quads = quads;
    transform.deskew_deg = deskew;
    if (quads) image = PixPtr(pixRotateOrth(image.get(), quads));
    if (deskew != 0.0) {
        image = PixPtr(pixRotate(image.get(), static_cast<float>(deskew * 3.14159265358979 / 180.0), L_ROTATE_AREA_MAP,
                                 L_BRING_IN_WHITE, 0, 0));
    }
    PixPtr binary(pixConvertTo1(image.get(), 128));
    Boxa* boxes = pixConnCompBB(binary.get(), 8);
    ASSERT_EQ(boxaGetCount(boxes), 1);
    l_int32 x = 0, y = 0, w = 0, h = 0;
    boxaGetBoxGeometry(boxes, 0, &x, &y, &w, &h);
    boxaDestroy(&boxes);

    const comptoir::Box found = transform.box_to_original(comptoir::Box{x, y, w, h});
    // A rotated box's bounding box grows a little: allow for it.
    const int slack = 2 + static_cast<int>(std::abs(deskew) * 0.35);
    EXPECT_NEAR(found.x, 100, slack);
    EXPECT_NEAR(found.y, 50, slack);
    EXPECT_NEAR(found.x + found.width, 120, slack);
    EXPECT_NEAR(found.y + found.height, 62, slack);
}

INSTANTIATE_TEST_SUITE_P(ScalesTurnsAndSkews, Transform,
                         ::testing::Combine(::testing::Values(1.0, 2.0, 0.5), ::testing::Values(0, 1, 2, 3),
                                            ::testing::Values(0.0, 3.0, -2.5)));

namespace {

// An A4 page at 300 dpi: grey paper with a scanner's noise (σ = 12 gray levels), no ink.
PixPtr noisy_paper(unsigned seed) {
    PixPtr page(pixCreate(2480, 3508, 8));
    std::mt19937 random(seed);
    std::normal_distribution<double> noise(228.0, 12.0);
    for (l_uint32 y = 0; y < 3508; ++y) {
        for (l_uint32 x = 0; x < 2480; ++x) {
            const double v = std::clamp(noise(random), 0.0, 255.0);
            pixSetPixel(page.get(), x, y, static_cast<l_uint32>(v));
        }
    }
    return page;
}

}  // namespace

TEST(BlankPage, NoisyPaperWithoutInkIsBlank) {
    EXPECT_TRUE(comptoir::blank_page(noisy_paper(1).get()));
    PixPtr white(pixCreate(1654, 2339, 8));
    pixSetAll(white.get());
    EXPECT_TRUE(comptoir::blank_page(white.get()));
}

TEST(BlankPage, OneShortWordIsEnoughToRead) {
    // "Oui" in 12 pt at 300 dpi: three letters some 40 × 50 pixels, strokes 5 pixels wide.
    PixPtr page = noisy_paper(2);
    for (int letter = 0; letter < 3; ++letter) {
        const int x = 1200 + letter * 55;
        pixRasterop(page.get(), x, 1700, 5, 50, PIX_CLR, nullptr, 0, 0);
        pixRasterop(page.get(), x + 35, 1700, 5, 50, PIX_CLR, nullptr, 0, 0);
        pixRasterop(page.get(), x, 1745, 40, 5, PIX_CLR, nullptr, 0, 0);
    }
    EXPECT_FALSE(comptoir::blank_page(page.get()));
}

TEST(BlankPage, APhotoOfASheetOnADarkTableIsNotBlank) {
    // The table covers more than half of the frame: it is not the paper.
    PixPtr page = noisy_paper(3);
    pixRasterop(page.get(), 0, 0, 2480, 400, PIX_CLR, nullptr, 0, 0);
    EXPECT_FALSE(comptoir::blank_page(page.get()));
    PixPtr photo(pixCreate(2480, 3508, 8));
    pixSetAllGray(photo.get(), 60);
    pixRasterop(photo.get(), 600, 800, 1240, 1754, PIX_SRC, page.get(), 0, 0);
    EXPECT_FALSE(comptoir::blank_page(photo.get()));
}

namespace {

// A phone photo: a white sheet (620 × 877, an A4 proportion) with a black square on it, lying
// on a dark table (gray 70), seen at an angle: its corners land on `corners` (top-left,
// top-right, bottom-right, bottom-left) of a 900 × 1200 frame.
constexpr std::array<double, 8> kPhotoCorners = {130, 95, 770, 140, 815, 1110, 85, 1060};
constexpr int kSquareX = 200, kSquareY = 300, kSquareSize = 60;

constexpr std::array<double, 8> kSheetCorners = {0, 0, 619, 0, 619, 876, 0, 876};

// Leptonica's projective coefficients taking the four points `from` to the four points `to`
// (free them with LEPT_FREE).
l_float32* coefficients(const std::array<double, 8>& from, const std::array<double, 8>& to) {
    Pta* source = ptaCreate(4);
    Pta* destination = ptaCreate(4);
    for (size_t i = 0; i < 4; ++i) {
        ptaAddPt(source, static_cast<float>(from[2 * i]), static_cast<float>(from[2 * i + 1]));
        ptaAddPt(destination, static_cast<float>(to[2 * i]), static_cast<float>(to[2 * i + 1]));
    }
    l_float32* vc = nullptr;
    getProjectiveXformCoeffs(source, destination, &vc);
    ptaDestroy(&source);
    ptaDestroy(&destination);
    return vc;
}

PixPtr photo_of_sheet() {
    PixPtr canvas(pixCreate(900, 1200, 8));
    pixSetAllGray(canvas.get(), 70);
    Box* sheet = boxCreate(0, 0, 620, 877);
    pixSetInRectArbitrary(canvas.get(), sheet, 255);
    boxDestroy(&sheet);
    Box* square = boxCreate(kSquareX, kSquareY, kSquareSize, kSquareSize);
    pixClearInRect(canvas.get(), square);
    boxDestroy(&square);
    // Each point of the photo shows this point of the sheet.
    l_float32* vc = coefficients(kPhotoCorners, kSheetCorners);
    PixPtr out(pixProjectiveGray(canvas.get(), vc, 70));
    LEPT_FREE(vc);
    return out;
}

}  // namespace

TEST(Sheet, FoundOnADarkTableWithItsFourCorners) {
    PixPtr photo = photo_of_sheet();
    std::array<double, 8> corners{};
    ASSERT_TRUE(comptoir::find_sheet(photo.get(), corners));
    for (size_t i = 0; i < 8; ++i) EXPECT_NEAR(corners[i], kPhotoCorners[i], 6.0) << "coordinate " << i;
}

TEST(Sheet, AScanIsNotASheet) {
    // The paper fills the image: nothing to straighten.
    std::array<double, 8> corners{};
    PixPtr page(pixCreate(1240, 1754, 8));
    pixSetAllGray(page.get(), 235);
    Box* line = boxCreate(200, 300, 700, 30);
    pixClearInRect(page.get(), line);
    boxDestroy(&line);
    EXPECT_FALSE(comptoir::find_sheet(page.get(), corners));
    // Nor is a sheet cut by the frame: its corners do not enclose it.
    PixPtr photo = photo_of_sheet();
    PixPtr cut(pixCreate(900, 700, 8));
    pixRasterop(cut.get(), 0, 0, 900, 700, PIX_SRC, photo.get(), 0, 500);
    EXPECT_FALSE(comptoir::find_sheet(cut.get(), corners));
}

TEST(Sheet, PreparationStraightensItAndBoxesMapBackToThePhoto) {
    PixPtr photo = photo_of_sheet();
    const comptoir::PreparedPage prepared = comptoir::prepare_page(photo.get(), 0, nullptr);
    ASSERT_TRUE(prepared.perspective);
    ASSERT_TRUE(prepared.transform.sheet);
    // Straightened, the sheet is upright: A4 in proportion.
    const double ratio = static_cast<double>(pixGetHeight(prepared.image.get())) / pixGetWidth(prepared.image.get());
    EXPECT_NEAR(ratio, 1.414, 0.01);
    // The square's centre, as photographed, lands on the square in the prepared image...
    l_float32* vc = coefficients(kSheetCorners, kPhotoCorners);  // sheet -> photo
    l_float32 cx = 0, cy = 0;
    projectiveXformPt(vc, kSquareX + kSquareSize / 2, kSquareY + kSquareSize / 2, &cx, &cy);
    LEPT_FREE(vc);
    double px = 0, py = 0;
    prepared.transform.to_prepared(cx, cy, px, py);
    l_uint32 value = 255;
    pixGetPixel(prepared.image.get(), static_cast<l_int32>(px), static_cast<l_int32>(py), &value);
    EXPECT_LT(value, 80u) << "at " << px << ", " << py;
    // ... and back.
    double ox = 0, oy = 0;
    prepared.transform.to_original(px, py, ox, oy);
    EXPECT_NEAR(ox, cx, 0.5);
    EXPECT_NEAR(oy, cy, 0.5);
}

// Light falling off across the photo so much that the sheet's dark side (gray 120) is darker than
// the table's bright side (gray 150): no single threshold separates them; the sheet's outline does.
TEST(Sheet, FoundByItsOutlineUnderLightFallingOffAcrossThePhoto) {
    PixPtr photo = photo_of_sheet();
    // Multiply by a ramp from 1.0 (right) down to 0.47 (left): paper 255 -> 120 on the left,
    // table 70 -> ... and a bright table on the right.
    const int w = pixGetWidth(photo.get());
    const int h = pixGetHeight(photo.get());
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            l_uint32 v = 0;
            pixGetPixel(photo.get(), x, y, &v);
            const double light = 0.47 + 0.53 * x / (w - 1.0);
            const double lifted = v == 255 ? 255.0 : std::min(255.0, v * 2.2);  // a light grey table
            pixSetPixel(photo.get(), x, y, static_cast<l_uint32>(lifted * light));
        }
    }
    std::array<double, 8> corners{};
    ASSERT_TRUE(comptoir::find_sheet(photo.get(), corners));
    for (size_t i = 0; i < 8; ++i) EXPECT_NEAR(corners[i], kPhotoCorners[i], 8.0) << "coordinate " << i;
}

// A scanned page with a framed box on it: the box has an outline all round, but around it is the
// page's own white paper, not a darker table: not a sheet to straighten.
TEST(Sheet, AFramedBoxOnAScanIsNotASheet) {
    PixPtr page(pixCreate(1240, 1754, 8));
    pixSetAllGray(page.get(), 250);
    Box* frame = boxCreate(150, 500, 900, 600);
    pixRenderBox(page.get(), frame, 4, L_CLEAR_PIXELS);
    boxDestroy(&frame);
    Box* line = boxCreate(200, 300, 700, 30);
    pixClearInRect(page.get(), line);
    boxDestroy(&line);
    std::array<double, 8> corners{};
    EXPECT_FALSE(comptoir::find_sheet(page.get(), corners));
}

// White words on a coloured band (a bill's header): after preparation they are dark words on a
// light ground, where the rest of the page's words are, so that Tesseract's one threshold keeps
// them. Mid-tone (EDF's orange, gray 130) and dark (gray 70) bands alike.
TEST(Bands, LightWordsOnAColouredBandBecomeDarkWordsOnWhite) {
    for (const l_uint32 band_gray : {130u, 70u}) {
        SCOPED_TRACE("band gray " + std::to_string(band_gray));
        PixPtr page(pixCreate(2480, 3508, 8));
        pixSetAllGray(page.get(), 250);
        // Dark words elsewhere: some rows of letter-sized blobs, for the characters' height.
        for (int row = 0; row < 12; ++row) {
            for (int letter = 0; letter < 40; ++letter) {
                Box* blob = boxCreate(200 + letter * 45, 1000 + row * 90, 18, 30);
                pixClearInRect(page.get(), blob);
                boxDestroy(&blob);
            }
        }
        Box* band = boxCreate(150, 200, 2180, 220);
        pixSetInRectArbitrary(page.get(), band, band_gray);
        boxDestroy(&band);
        // Its white words.
        for (int letter = 0; letter < 20; ++letter) {
            Box* blob = boxCreate(400 + letter * 45, 290, 18, 30);
            pixSetInRectArbitrary(page.get(), blob, 255);
            boxDestroy(&blob);
        }
        const comptoir::PreparedPage prepared = comptoir::prepare_page(page.get(), 300, nullptr);
        const auto value_at = [&prepared](double x, double y) {
            double px = 0, py = 0;
            prepared.transform.to_prepared(x, y, px, py);
            l_uint32 value = 0;
            pixGetPixel(prepared.image.get(), static_cast<l_int32>(px), static_cast<l_int32>(py), &value);
            return value;
        };
        EXPECT_LT(value_at(409, 305), 80u) << "a word of the band, now dark";
        EXPECT_GT(value_at(1700, 250), 180u) << "the band's ground, now light";
        EXPECT_LT(value_at(209, 1015), 80u) << "the page's own words stay dark";
        EXPECT_GT(value_at(1200, 3000), 180u) << "the paper stays light";
    }
}

// Boxes of a page read upside down or sideways land on the page turned upright (what the desk
// shows), whatever the scale and deskew of the preparation.
TEST(Transform, BoxesOfATurnedPageLandOnTheUprightPage) {
    for (const int quads : {0, 1, 2, 3}) {
        SCOPED_TRACE("quads " + std::to_string(quads));
        PageTransform transform;
        transform.original_width = 400;
        transform.original_height = 300;
        transform.scale = 2.0;
        transform.scaled_width = 800;
        transform.scaled_height = 600;
        transform.quads = quads;
        // A box of the original page, where the upright page has it: turning the original by
        // `quads` quarter turns clockwise.
        const comptoir::Box original{40, 30, 20, 10};
        const comptoir::Box upright = transform.original_box_to_page(original);
        EXPECT_EQ(transform.page_width(), quads % 2 ? 300 : 400);
        EXPECT_EQ(transform.page_height(), quads % 2 ? 400 : 300);
        // Its prepared box, mapped to the page, is that box.
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        transform.to_prepared(original.x, original.y, x0, y0);
        transform.to_prepared(original.x + original.width, original.y + original.height, x1, y1);
        const comptoir::Box prepared{static_cast<int32_t>(std::lround(std::min(x0, x1))),
                                     static_cast<int32_t>(std::lround(std::min(y0, y1))),
                                     static_cast<int32_t>(std::lround(std::abs(x1 - x0))),
                                     static_cast<int32_t>(std::lround(std::abs(y1 - y0)))};
        const comptoir::Box found = transform.box_to_page(prepared);
        EXPECT_NEAR(found.x, upright.x, 1);
        EXPECT_NEAR(found.y, upright.y, 1);
        EXPECT_NEAR(found.width, upright.width, 1);
        EXPECT_NEAR(found.height, upright.height, 1);
        if (quads == 2) {
            EXPECT_EQ(upright.x, 400 - 60);  // upside down: from the right
            EXPECT_EQ(upright.y, 300 - 40);
        }
    }
}

// The page made black and white for analysis (characters' height, skew, orientation): the same
// histogram as Leptonica's pixGetGrayHistogram and the same threshold as its
// pixSplitDistributionFgBg, counted without their copy of the page. Narrow widths leave up to three bytes past each row's end (set to black here,
// where they would pull the threshold down if they were counted).
TEST(Binarise, TheSameBlackAndWhitePageAsLeptonicasOtsuSplit) {
    std::mt19937 random(11);
    std::normal_distribution<double> paper(215.0, 12.0);
    std::normal_distribution<double> ink(95.0, 25.0);
    for (const int width : {1, 2, 3, 5, 6, 7, 97, 2479}) {
        SCOPED_TRACE("width " + std::to_string(width));
        const int height = width < 100 ? 600 : 300;
        PixPtr page(pixCreate(width, height, 8));
        ASSERT_TRUE(page);
        std::uniform_int_distribution<int> a_third(0, 2);
        for (int y = 0; y < height; ++y) {
            l_uint32* line = pixGetData(page.get()) + static_cast<ptrdiff_t>(y) * pixGetWpl(page.get());
            for (int x = 0; x < 4 * pixGetWpl(page.get()); ++x) {
                const double value = x >= width ? 0.0 : (a_third(random) == 0 ? ink(random) : paper(random));
                SET_DATA_BYTE(line, x, static_cast<l_uint32>(std::clamp(value, 0.0, 255.0)));
            }
        }
        Numa* counted = comptoir::gray_histogram(page.get());
        Numa* leptonica = pixGetGrayHistogram(page.get(), 1);
        ASSERT_TRUE(counted && leptonica);
        ASSERT_EQ(numaGetCount(counted), numaGetCount(leptonica));
        for (l_int32 i = 0; i < numaGetCount(counted); ++i) {
            l_float32 ours = 0, theirs = 0;
            numaGetFValue(counted, i, &ours);
            numaGetFValue(leptonica, i, &theirs);
            EXPECT_EQ(ours, theirs) << "grey " << i;
        }
        numaDestroy(&counted);
        numaDestroy(&leptonica);
        l_int32 threshold = 0;
        ASSERT_EQ(pixSplitDistributionFgBg(page.get(), 0.1f, 1, &threshold, nullptr, nullptr, nullptr), 0);
        PixPtr expected(pixThresholdToBinary(page.get(), threshold));
        PixPtr binary = comptoir::binarise(page.get());
        ASSERT_TRUE(binary);
        l_int32 same = 0;
        ASSERT_EQ(pixEqual(binary.get(), expected.get(), &same), 0);
        EXPECT_TRUE(same) << "threshold " << threshold;
    }
}
