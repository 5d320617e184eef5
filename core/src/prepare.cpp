#include "comptoir/prepare.hpp"

#include <leptonica/allheaders.h>

#include <array>
#include <algorithm>
#include <cmath>
#include <vector>

namespace comptoir {
namespace {

constexpr double kPi = 3.14159265358979323846;

// What the connected components of a binary page say: how high its characters are, and how
// much of it is speckle. One pass over the components serves both.
struct InkStatistics {
    int median_character_height = 0;  // 0 when there are too few characters to tell
    double speck_ratio = 0.0;          // share of components of one or two pixels
};

InkStatistics ink_statistics(Pix* full_binary) {
    InkStatistics statistics;
    // A full page at 300 dpi has some 9 million pixels: count on a 2× reduction (an OR of each
    // 2×2 block, so a one-pixel speck stays one pixel) and double the heights.
    const bool reduce = std::min(pixGetWidth(full_binary), pixGetHeight(full_binary)) > 1800;
    PixPtr reduced(reduce ? pixReduceRankBinary2(full_binary, 1, nullptr) : nullptr);
    Pix* binary = reduced ? reduced.get() : full_binary;
    const int factor = reduced ? 2 : 1;
    Boxa* boxes = pixConnCompBB(binary, 8);
    if (!boxes) return statistics;
    const int width = pixGetWidth(binary);
    const int height = pixGetHeight(binary);
    std::vector<int> heights;
    const l_int32 count = boxaGetCount(boxes);
    l_int32 specks = 0;
    for (l_int32 i = 0; i < count; ++i) {
        l_int32 x = 0, y = 0, w = 0, h = 0;
        boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
        if (w <= 2 && h <= 2) ++specks;
        if (h * factor >= 4 && h <= height / 8 && w >= 2 && w <= width / 4 && w <= 3 * h) heights.push_back(h * factor);
    }
    boxaDestroy(&boxes);
    statistics.speck_ratio = count > 0 ? static_cast<double>(specks) / count : 0.0;
    if (heights.size() >= 30) {
        std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2), heights.end());
        statistics.median_character_height = heights[heights.size() / 2];
    }
    return statistics;
}

PixPtr binarise(Pix* gray) {
    Pix* binary = nullptr;
    // One tile as large as the page: a global Otsu threshold, with a smoothed histogram.
    const l_int32 tile_w = std::max(16, pixGetWidth(gray));
    const l_int32 tile_h = std::max(16, pixGetHeight(gray));
    if (pixOtsuAdaptiveThreshold(gray, tile_w, tile_h, 0, 0, 0.1f, nullptr, &binary) != 0 || !binary) {
        return PixPtr(pixConvertTo1(gray, 128));
    }
    return PixPtr(binary);
}

// True when the paper is not evenly lit: the brightest gray (the paper) differs from one part
// of the page to another. Measured on a coarse sample, in a few milliseconds.
bool unevenly_lit(Pix* gray) {
    const int width = pixGetWidth(gray);
    const int height = pixGetHeight(gray);
    const float factor = std::min(1.0f, 400.0f / static_cast<float>(std::max(width, height)));
    PixPtr sample(pixScaleBySampling(gray, factor, factor));
    if (!sample) return true;
    const int sw = pixGetWidth(sample.get());
    const int sh = pixGetHeight(sample.get());
    float brightest = 0.0f;
    float dullest = 255.0f;
    for (int row = 0; row < 3; ++row) {
        for (int column = 0; column < 3; ++column) {
            ::Box* region = boxCreate(column * sw / 3, row * sh / 3, sw / 3, sh / 3);
            PixPtr part(pixClipRectangle(sample.get(), region, nullptr));
            boxDestroy(&region);
            l_float32 paper = 255.0f;
            if (part && pixGetRankValueMasked(part.get(), nullptr, 0, 0, 1, 0.9f, &paper, nullptr) == 0) {
                brightest = std::max(brightest, paper);
                dullest = std::min(dullest, paper);
            }
        }
    }
    return brightest - dullest > 20.0f || brightest < 180.0f;
}

// Large dark areas touching the edge (scanner lid, shadow, the table under a photo) become
// white, so OCR does not read them as characters.
void clean_borders(Pix* gray) {
    PixPtr dark(pixConvertTo1(gray, 90));
    if (!dark) return;
    PixPtr border(pixExtractBorderConnComps(dark.get(), 8));
    if (!border) return;
    const int width = pixGetWidth(gray);
    const int height = pixGetHeight(gray);
    PixPtr large(pixSelectBySize(border.get(), width / 8, height / 8, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, nullptr));
    if (!large) return;
    l_int32 empty = 1;
    pixZero(large.get(), &empty);
    if (!empty) pixSetMasked(gray, large.get(), 255);
}

}  // namespace

void PageTransform::to_prepared(double x, double y, double& out_x, double& out_y) const {
    x *= scale;
    y *= scale;
    double w = scaled_width;
    double h = scaled_height;
    for (int q = 0; q < quads; ++q) {
        const double turned_x = h - y;
        y = x;
        x = turned_x;
        std::swap(w, h);
    }
    const double theta = deskew_deg * kPi / 180.0;
    const double cx = w / 2.0;
    const double cy = h / 2.0;
    out_x = cx + (x - cx) * std::cos(theta) - (y - cy) * std::sin(theta);
    out_y = cy + (x - cx) * std::sin(theta) + (y - cy) * std::cos(theta);
}

void PageTransform::to_original(double x, double y, double& out_x, double& out_y) const {
    double w = (quads % 2) ? scaled_height : scaled_width;
    double h = (quads % 2) ? scaled_width : scaled_height;
    const double theta = -deskew_deg * kPi / 180.0;
    const double cx = w / 2.0;
    const double cy = h / 2.0;
    double ux = cx + (x - cx) * std::cos(theta) - (y - cy) * std::sin(theta);
    double uy = cy + (x - cx) * std::sin(theta) + (y - cy) * std::cos(theta);
    for (int q = 0; q < quads; ++q) {
        // Undo one clockwise quarter turn of an image that was (h_before × w_before).
        const double before_x = uy;
        const double before_y = w - ux;
        std::swap(w, h);
        ux = before_x;
        uy = before_y;
    }
    out_x = ux / scale;
    out_y = uy / scale;
}

Box PageTransform::box_to_original(const Box& box) const {
    const double xs[2] = {static_cast<double>(box.x), static_cast<double>(box.x + box.width)};
    const double ys[2] = {static_cast<double>(box.y), static_cast<double>(box.y + box.height)};
    double min_x = 1e18, min_y = 1e18, max_x = -1e18, max_y = -1e18;
    for (double x : xs) {
        for (double y : ys) {
            double ox = 0, oy = 0;
            to_original(x, y, ox, oy);
            min_x = std::min(min_x, ox);
            min_y = std::min(min_y, oy);
            max_x = std::max(max_x, ox);
            max_y = std::max(max_y, oy);
        }
    }
    const auto clamp = [](double v, int high) { return static_cast<int32_t>(std::clamp(std::lround(v), 0L, static_cast<long>(high))); };
    Box out;
    out.x = clamp(min_x, original_width);
    out.y = clamp(min_y, original_height);
    out.width = clamp(max_x, original_width) - out.x;
    out.height = clamp(max_y, original_height) - out.y;
    return out;
}

// The back of a sheet, an empty glass: nothing on the page is darker than its paper by a clear
// margin. Tesseract spends up to a minute on such a page's sensor noise, for nothing. Counted on
// 2×2 averages, which halve the noise and keep every stroke (strokes are two pixels or more at
// 150 dpi and up); a page is blank under some 100 such pixels of ink on an A4 page at 300 dpi.
bool blank_page(Pix* gray) {
    PixPtr averaged(pixGetWidth(gray) >= 64 && pixGetHeight(gray) >= 64 ? pixScaleAreaMap2(gray) : pixClone(gray));
    if (!averaged) return false;
    Numa* histogram = pixGetGrayHistogram(averaged.get(), 1);
    if (!histogram) return false;
    std::array<double, 256> counts{};
    double total = 0.0;
    for (int i = 0; i < 256 && i < numaGetCount(histogram); ++i) {
        l_float32 value = 0.0f;
        numaGetFValue(histogram, i, &value);
        counts[static_cast<size_t>(i)] = value;
        total += value;
    }
    numaDestroy(&histogram);
    if (total <= 0.0) return false;
    // The paper: the gray that the brightest tenth of the page reaches. Not the median: on a
    // photo the table around the sheet may cover more than half of the frame.
    int paper = 255;
    for (double seen = 0.0; paper > 0; --paper) {
        seen += counts[static_cast<size_t>(paper)];
        if (seen >= total / 10) break;
    }
    constexpr int kInkMargin = 80;
    double ink = 0.0;
    for (int i = 0; i < paper - kInkMargin; ++i) ink += counts[static_cast<size_t>(i)];
    return ink < total * 0.00005;
}

PreparedPage prepare_page(Pix* original, int dpi, const OrientationDetector& detect_orientation) {
    PreparedPage prepared;
    PageTransform& transform = prepared.transform;
    transform.original_width = pixGetWidth(original);
    transform.original_height = pixGetHeight(original);

    // 8-bit gray; a transparent background becomes white paper, not black.
    PixPtr flat(pixGetSpp(original) == 4 ? pixAlphaBlendUniform(original, 0xffffff00) : pixClone(original));
    PixPtr gray(pixConvertTo8(flat.get(), 0));
    flat.reset();

    if (blank_page(gray.get())) {
        prepared.blank = true;
        transform.scaled_width = transform.original_width;
        transform.scaled_height = transform.original_height;
        prepared.image = std::move(gray);
        return prepared;
    }

    // Text size: Tesseract reads best with characters some 20 to 40 pixels high.
    // Speckle (a dusty glass, a noisy sensor): a 3×3 median removes it before anything else
    // counts characters or measures skew.
    {
        PixPtr binary = binarise(gray.get());
        InkStatistics ink = binary ? ink_statistics(binary.get()) : InkStatistics{};
        if (ink.speck_ratio > 0.5) {
            if (PixPtr filtered{pixMedianFilter(gray.get(), 3, 3)}) {
                gray = std::move(filtered);
                binary = binarise(gray.get());
                ink = binary ? ink_statistics(binary.get()) : InkStatistics{};
            }
        }
        prepared.text_height_px = ink.median_character_height;
    }
    double scale = 1.0;
    if (prepared.text_height_px > 0) {
        if (prepared.text_height_px < 18) scale = std::min(4.0, 26.0 / prepared.text_height_px);
        if (prepared.text_height_px > 80) scale = std::max(0.25, 36.0 / prepared.text_height_px);
    } else if (dpi > 0 && dpi < 200) {
        scale = std::min(3.0, 300.0 / dpi);
    }
    // Never grow a page past 60 megapixels.
    const double pixels = static_cast<double>(transform.original_width) * transform.original_height;
    if (pixels * scale * scale > 60e6) scale = std::max(0.1, std::sqrt(60e6 / pixels));
    if (std::abs(scale - 1.0) > 0.05) {
        gray = PixPtr(pixScale(gray.get(), static_cast<l_float32>(scale), static_cast<l_float32>(scale)));
    } else {
        scale = 1.0;
    }
    transform.scale = scale;
    transform.scaled_width = pixGetWidth(gray.get());
    transform.scaled_height = pixGetHeight(gray.get());
    const int effective_dpi = dpi > 0 ? static_cast<int>(std::lround(dpi * scale)) : 300;
    prepared.ocr_dpi = std::clamp(effective_dpi, 70, 1200);

    // Uneven light (phone photos) or dark paper: bring the background to a uniform white. A
    // page already even is left alone (the normalisation costs some 90 ms on an A4 page).
    if (unevenly_lit(gray.get())) {
        if (PixPtr normalised{pixBackgroundNormSimple(gray.get(), nullptr, nullptr)}) gray = std::move(normalised);
    }

    // Orientation.
    const int quads = detect_orientation ? ((detect_orientation(gray.get()) % 4) + 4) % 4 : 0;
    if (quads != 0) gray = PixPtr(pixRotateOrth(gray.get(), quads));
    transform.quads = quads;
    prepared.rotation_deg = quads * 90;

    // Skew: Leptonica gives the angle that deskews (clockwise positive).
    {
        PixPtr binary = binarise(gray.get());
        l_float32 angle = 0.0f;
        l_float32 confidence = 0.0f;
        if (binary && pixFindSkew(binary.get(), &angle, &confidence) == 0 && confidence >= 2.5f &&
            std::abs(angle) >= 0.1f) {
            gray = PixPtr(pixRotate(gray.get(), static_cast<l_float32>(angle * kPi / 180.0), L_ROTATE_AREA_MAP,
                                    L_BRING_IN_WHITE, 0, 0));
            transform.deskew_deg = angle;
            prepared.skew_deg = -angle;
        }
    }

    clean_borders(gray.get());
    prepared.image = std::move(gray);
    return prepared;
}

}  // namespace comptoir
