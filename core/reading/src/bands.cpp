// Light text on a dark or coloured band. Tesseract binarises a page with one threshold: a band of
// a mid tone (EDF's orange, a Caf's light blue) falls on the paper's side and its white words
// vanish with it; a dark band becomes a black block its layout analysis takes for a picture.
// Each band is found on a reduced copy of the page and turned, on the page itself, into dark
// words on white: its words then count for recognition and fields like any other.
#include "prepare_steps.hpp"

#include <leptonica/allheaders.h>

#include <algorithm>

namespace comptoir {

int invert_light_on_dark_bands(Pix* gray) {
    const int width = pixGetWidth(gray);
    const int height = pixGetHeight(gray);
    if (width < 200 || height < 200) return 0;
    constexpr int kReduce = 4;
    PixPtr small(pixScaleAreaMap(gray, 1.0f / kReduce, 1.0f / kReduce));
    if (!small) return 0;
    // What a band is darker than: the paper around it, however lit (a photo's light falls off
    // across the page). A grey closing wider and taller than a band fills it with the paper's
    // grey nearby; a band is what lies 45 grey levels or more under that.
    const int reach = std::max(31, (std::min(pixGetWidth(small.get()), pixGetHeight(small.get())) / 6) | 1);
    PixPtr around(pixCloseGray(small.get(), reach, reach));
    if (!around) return 0;
    PixPtr under(pixSubtractGray(nullptr, around.get(), small.get()));
    if (!under) return 0;
    PixPtr calm(pixThresholdToBinary(under.get(), 45));  // 1 where less than 45 under the paper
    if (!calm) return 0;
    PixPtr dark(pixInvert(nullptr, calm.get()));
    if (!dark) return 0;
    Boxa* boxes = pixConnCompBB(dark.get(), 8);
    if (!boxes) return 0;
    const int sw = pixGetWidth(small.get());
    const int sh = pixGetHeight(small.get());
    int turned = 0;
    for (l_int32 i = 0; i < boxaGetCount(boxes); ++i) {
        l_int32 x = 0, y = 0, w = 0, h = 0;
        boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
        // A band: a fifth of the page wide at least, a line of text high at least, not a page.
        if (w < sw / 5 || h < 6 || h > sh / 4 || w * h > sw * sh / 5) continue;
        // Solid: dark over most of its box (a table's rules or a frame are not).
        ::Box* region = boxCreate(x, y, w, h);
        l_int32 inked = 0;
        PixPtr part(pixClipRectangle(dark.get(), region, nullptr));
        boxDestroy(&region);
        if (!part || pixCountPixels(part.get(), &inked, nullptr) != 0 || inked < w * h * 55 / 100) continue;
        // On the page itself: the band's grey and its words' (the lightest hundredth), which
        // must stand out from it.
        ::Box* full = boxCreate(x * kReduce, y * kReduce, w * kReduce, h * kReduce);
        PixPtr band(pixClipRectangle(gray, full, nullptr));
        l_int32 bx = 0, by = 0, bw = 0, bh = 0;
        boxGetGeometry(full, &bx, &by, &bw, &bh);
        boxDestroy(&full);
        if (!band) continue;
        l_float32 ground = 0.0f;
        l_float32 words = 0.0f;
        if (pixGetRankValueMasked(band.get(), nullptr, 0, 0, 1, 0.5f, &ground, nullptr) != 0 ||
            pixGetRankValueMasked(band.get(), nullptr, 0, 0, 1, 0.99f, &words, nullptr) != 0 || words - ground < 40.0f) {
            continue;
        }
        // Inverted, then stretched: the band's grey becomes white paper, its words black ink.
        pixInvert(band.get(), band.get());
        pixGammaTRC(band.get(), band.get(), 1.0f, static_cast<l_int32>(255.0f - words),
                    static_cast<l_int32>(255.0f - ground));
        pixRasterop(gray, bx, by, bw, bh, PIX_SRC, band.get(), 0, 0);
        ++turned;
    }
    boxaDestroy(&boxes);
    return turned;
}

}  // namespace comptoir
