// PageTransform: boxes found on the prepared page map back to the page as loaded, through the
// same scaling, quarter turns and deskew rotation that Leptonica applies.
#include "comptoir/image/image.hpp"
#include "comptoir/reading/prepare.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <array>
#include <random>
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
