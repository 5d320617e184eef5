// Pages encoded as PNG (comptoir/image/image.hpp): what is written reads back pixel for pixel,
// with its resolution, whichever writer made it (libpng from the rows for gray and RGB,
// Leptonica's for the rest).
#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <random>

namespace {

comptoir::PixPtr read_png(const std::string& png) {
    return comptoir::PixPtr(pixReadMem(reinterpret_cast<const l_uint8*>(png.data()), png.size()));
}

bool same_pixels(Pix* a, Pix* b) {
    l_int32 same = 0;
    return pixEqual(a, b, &same) == 0 && same;
}

}  // namespace

TEST(Png, AGrayPageOfOddWidthReadsBackPixelForPixelWithItsResolution) {
    comptoir::PixPtr page(pixCreate(2481, 37, 8));  // rows ending inside a 32-bit word
    std::mt19937 random(11);
    for (int y = 0; y < 37; ++y) {
        for (int x = 0; x < 2481; ++x) pixSetPixel(page.get(), x, y, random() % 256);
    }
    pixSetResolution(page.get(), 300, 300);
    const std::string png = comptoir::pix_to_png(page.get());
    ASSERT_FALSE(png.empty());
    const auto back = read_png(png);
    ASSERT_TRUE(back);
    EXPECT_EQ(pixGetDepth(back.get()), 8);
    EXPECT_TRUE(same_pixels(page.get(), back.get()));
    EXPECT_EQ(pixGetXRes(back.get()), 300);
    EXPECT_EQ(pixGetYRes(back.get()), 300);
}

TEST(Png, AColourPageReadsBackPixelForPixel) {
    comptoir::PixPtr page(pixCreate(301, 23, 32));
    std::mt19937 random(12);
    for (int y = 0; y < 23; ++y) {
        for (int x = 0; x < 301; ++x) {
            l_uint32 pixel = 0;
            composeRGBPixel(random() % 256, random() % 256, random() % 256, &pixel);
            pixSetPixel(page.get(), x, y, pixel);
        }
    }
    pixSetResolution(page.get(), 150, 150);
    const auto back = read_png(comptoir::pix_to_png(page.get()));
    ASSERT_TRUE(back);
    EXPECT_EQ(pixGetDepth(back.get()), 32);
    EXPECT_TRUE(same_pixels(page.get(), back.get()));
    EXPECT_EQ(pixGetXRes(back.get()), 150);
}

TEST(Png, BilevelAndColourMappedImagesStillGoThroughLeptonica) {
    comptoir::PixPtr bilevel(pixCreate(97, 13, 1));
    pixSetPixel(bilevel.get(), 5, 5, 1);
    pixSetPixel(bilevel.get(), 96, 12, 1);
    auto back = read_png(comptoir::pix_to_png(bilevel.get()));
    ASSERT_TRUE(back);
    EXPECT_TRUE(same_pixels(bilevel.get(), back.get()));

    comptoir::PixPtr mapped(pixCreate(40, 10, 8));
    PIXCMAP* colours = pixcmapCreate(8);
    pixcmapAddColor(colours, 255, 0, 0);
    pixcmapAddColor(colours, 0, 0, 255);
    pixSetColormap(mapped.get(), colours);
    pixSetPixel(mapped.get(), 3, 3, 1);
    back = read_png(comptoir::pix_to_png(mapped.get()));
    ASSERT_TRUE(back);
    EXPECT_TRUE(same_pixels(mapped.get(), back.get()));
}

TEST(Png, NoImageIsNoPng) { EXPECT_TRUE(comptoir::pix_to_png(nullptr).empty()); }
