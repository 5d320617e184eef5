#include "comptoir/reading/prepare.hpp"
#include "prepare_steps.hpp"

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
    std::vector<int> widths;
    const l_int32 count = boxaGetCount(boxes);
    l_int32 specks = 0;
    for (l_int32 i = 0; i < count; ++i) {
        l_int32 x = 0, y = 0, w = 0, h = 0;
        boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
        if (w <= 2 && h <= 2) ++specks;
        if (h * factor >= 4 && h <= height / 8 && w >= 2 && w <= width / 4 && w <= 3 * h) {
            heights.push_back(h * factor);
            widths.push_back(w * factor);
        }
    }
    boxaDestroy(&boxes);
    statistics.speck_ratio = count > 0 ? static_cast<double>(specks) / count : 0.0;
    if (heights.size() >= 30) {
        std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2), heights.end());
        statistics.median_character_height = heights[heights.size() / 2];
        // Latin characters are taller than wide: when they seem wider, the page lies sideways
        // (its orientation is found later) and their height is their width here.
        std::nth_element(widths.begin(), widths.begin() + static_cast<long>(widths.size() / 2), widths.end());
        statistics.median_character_height = std::max(statistics.median_character_height, widths[widths.size() / 2]);
    }
    return statistics;
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

// Leptonica's projective transform of one point: (x, y) -> (x', y').
void projective(const std::array<double, 8>& c, double x, double y, double& out_x, double& out_y) {
    const double denominator = c[6] * x + c[7] * y + 1.0;
    const double d = std::abs(denominator) < 1e-12 ? 1e-12 : denominator;
    out_x = (c[0] * x + c[1] * y + c[2]) / d;
    out_y = (c[3] * x + c[4] * y + c[5]) / d;
}

// The coefficients that take the four points `from` to the four points `to`.
bool projective_coefficients(const std::array<double, 8>& from, const std::array<double, 8>& to,
                             std::array<double, 8>& coefficients) {
    Pta* source = ptaCreate(4);
    Pta* destination = ptaCreate(4);
    for (size_t i = 0; i < 4; ++i) {
        ptaAddPt(source, static_cast<l_float32>(from[2 * i]), static_cast<l_float32>(from[2 * i + 1]));
        ptaAddPt(destination, static_cast<l_float32>(to[2 * i]), static_cast<l_float32>(to[2 * i + 1]));
    }
    l_float32* vc = nullptr;
    const bool ok = getProjectiveXformCoeffs(source, destination, &vc) == 0 && vc;
    if (ok) {
        for (size_t i = 0; i < 8; ++i) coefficients[i] = vc[i];
    }
    LEPT_FREE(vc);
    ptaDestroy(&source);
    ptaDestroy(&destination);
    return ok;
}

double distance(const std::array<double, 8>& corners, size_t a, size_t b) {
    return std::hypot(corners[2 * a] - corners[2 * b], corners[2 * a + 1] - corners[2 * b + 1]);
}

// Straightens a photographed sheet: the quadrilateral of `corners` becomes an upright
// rectangle, A4 in proportion when the sheet is nearly so. Sets the transform's sheet mapping
// and returns the new image, or null when the transform cannot be made.
PixPtr straighten_sheet(Pix* gray, const std::array<double, 8>& corners, PageTransform& transform) {
    double width = std::max(distance(corners, 0, 1), distance(corners, 3, 2));
    double height = std::max(distance(corners, 0, 3), distance(corners, 1, 2));
    // Perspective shortens the far edge: a sheet that measures within 12 % of A4's proportion
    // is an A4 sheet.
    constexpr double kA4 = 1.41421356;
    if (std::abs(height / width - kA4) < 0.12 * kA4) height = width * kA4;
    else if (std::abs(width / height - kA4) < 0.12 * kA4) width = height * kA4;
    const int w = static_cast<int>(std::lround(width));
    const int h = static_cast<int>(std::lround(height));
    if (w < 100 || h < 100 || static_cast<double>(w) * h > 80e6) return nullptr;
    const std::array<double, 8> rectangle = {0, 0, double(w - 1), 0, double(w - 1), double(h - 1), 0, double(h - 1)};
    if (!projective_coefficients(rectangle, corners, transform.sheet_to_original) ||
        !projective_coefficients(corners, rectangle, transform.original_to_sheet)) {
        return nullptr;
    }
    // Leptonica's transform keeps the size of its source: give it a canvas as large as the
    // result, then keep the result's rectangle.
    const int right = std::max(0, w - pixGetWidth(gray));
    const int bottom = std::max(0, h - pixGetHeight(gray));
    PixPtr canvas(right || bottom ? pixAddBorderGeneral(gray, 0, right, 0, bottom, 255) : pixClone(gray));
    if (!canvas) return nullptr;
    std::array<l_float32, 8> vc{};
    for (size_t i = 0; i < 8; ++i) vc[i] = static_cast<l_float32>(transform.sheet_to_original[i]);
    PixPtr straight(pixProjectiveGray(canvas.get(), vc.data(), 255));
    canvas.reset();
    if (!straight) return nullptr;
    ::Box* keep = boxCreate(0, 0, w, h);
    PixPtr out(pixClipRectangle(straight.get(), keep, nullptr));
    boxDestroy(&keep);
    if (out) transform.sheet = true;
    return out;
}

}  // namespace

namespace {

// One clockwise quarter turn, `quads` times, of a point of an image of w × h.
void turn_clockwise(int quads, double& x, double& y, double& w, double& h) {
    for (int q = 0; q < quads; ++q) {
        const double turned_x = h - y;
        y = x;
        x = turned_x;
        std::swap(w, h);
    }
}

// The bounding box of a box's four corners mapped by `point`, clamped to a page of width × height.
template <typename Map>
Box mapped_box(const Box& box, int width, int height, Map point) {
    double min_x = 1e18, min_y = 1e18, max_x = -1e18, max_y = -1e18;
    for (const double x : {static_cast<double>(box.x), static_cast<double>(box.x + box.width)}) {
        for (const double y : {static_cast<double>(box.y), static_cast<double>(box.y + box.height)}) {
            double mx = 0, my = 0;
            point(x, y, mx, my);
            min_x = std::min(min_x, mx);
            min_y = std::min(min_y, my);
            max_x = std::max(max_x, mx);
            max_y = std::max(max_y, my);
        }
    }
    const auto clamp = [](double v, int high) { return static_cast<int32_t>(std::clamp(std::lround(v), 0L, static_cast<long>(high))); };
    Box out;
    out.x = clamp(min_x, width);
    out.y = clamp(min_y, height);
    out.width = clamp(max_x, width) - out.x;
    out.height = clamp(max_y, height) - out.y;
    return out;
}

}  // namespace

void PageTransform::to_prepared(double x, double y, double& out_x, double& out_y) const {
    if (sheet) projective(original_to_sheet, x, y, x, y);
    x *= scale;
    y *= scale;
    double w = scaled_width;
    double h = scaled_height;
    turn_clockwise(quads, x, y, w, h);
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
    if (sheet) projective(sheet_to_original, out_x, out_y, out_x, out_y);
}

Box PageTransform::box_to_original(const Box& box) const {
    return mapped_box(box, original_width, original_height,
                      [this](double x, double y, double& ox, double& oy) { to_original(x, y, ox, oy); });
}

void PageTransform::original_to_page(double x, double y, double& out_x, double& out_y) const {
    double w = original_width;
    double h = original_height;
    turn_clockwise(quads, x, y, w, h);
    out_x = x;
    out_y = y;
}

Box PageTransform::original_box_to_page(const Box& box) const {
    return mapped_box(box, page_width(), page_height(),
                      [this](double x, double y, double& px, double& py) { original_to_page(x, y, px, py); });
}

Box PageTransform::box_to_page(const Box& box) const {
    return mapped_box(box, page_width(), page_height(), [this](double x, double y, double& px, double& py) {
        double ox = 0, oy = 0;
        to_original(x, y, ox, oy);
        original_to_page(ox, oy, px, py);
    });
}

// The back of a sheet, an empty glass: nothing on the page is darker than its paper by a clear
// margin. Tesseract spends up to a minute on such a page's sensor noise, for nothing. Counted on
// 2×2 averages, which halve the noise and keep every stroke (strokes are two pixels or more at
// 150 dpi and up); a page is blank under some 100 such pixels of ink on an A4 page at 300 dpi.
bool blank_page(Pix* gray) {
    PixPtr averaged(pixGetWidth(gray) >= 64 && pixGetHeight(gray) >= 64 ? pixScaleAreaMap2(gray) : pixClone(gray));
    if (!averaged) return false;
    Numa* histogram = gray_histogram(averaged.get());
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

namespace {

// A straightened sheet is blank when it is without its edges, where a sliver of the table it lay
// on may remain.
bool blank_sheet(Pix* sheet) {
    const int w = pixGetWidth(sheet);
    const int h = pixGetHeight(sheet);
    BOX* inside = boxCreate(w / 25, h / 25, w - 2 * (w / 25), h - 2 * (h / 25));
    PixPtr inner(inside ? pixClipRectangle(sheet, inside, nullptr) : nullptr);
    boxDestroy(&inside);
    return inner && blank_page(inner.get());
}

}  // namespace

PixPtr gray_page(Pix* original) {
    // A transparent background becomes white paper, not black.
    PixPtr flat(pixGetSpp(original) == 4 ? pixAlphaBlendUniform(original, 0xffffff00) : pixClone(original));
    return PixPtr(pixConvertTo8(flat.get(), 0));
}

PreparedPage prepare_page(Pix* original, int dpi, const OrientationDetector& detect_orientation) {
    PreparedPage prepared;
    PageTransform& transform = prepared.transform;
    transform.original_width = pixGetWidth(original);
    transform.original_height = pixGetHeight(original);

    PixPtr gray = gray_page(original);

    const auto blank = [&](PixPtr page) -> PreparedPage {
        prepared.blank = !prepared.too_dark;
        transform.scaled_width = transform.original_width;
        transform.scaled_height = transform.original_height;
        prepared.image = std::move(page);
        return std::move(prepared);
    };
    // A dark photo (a dim room, no flash): its paper is grey. Stretched so that its paper is
    // white and its ink black, it reads; without contrast at all, it is too dark, not blank.
    {
        const float factor = std::min(1.0f, 400.0f / static_cast<float>(std::max(transform.original_width, transform.original_height)));
        PixPtr sample(pixScaleBySampling(gray.get(), factor, factor));
        l_float32 paper = 255.0f;
        l_float32 ink = 0.0f;
        if (sample && pixGetRankValueMasked(sample.get(), nullptr, 0, 0, 1, 0.9f, &paper, nullptr) == 0 &&
            pixGetRankValueMasked(sample.get(), nullptr, 0, 0, 1, 0.01f, &ink, nullptr) == 0 && paper < 150.0f) {
            if (paper - ink < 20.0f) {
                prepared.too_dark = true;
                return blank(std::move(gray));
            }
            if (PixPtr stretched{pixGammaTRC(nullptr, gray.get(), 1.0f, static_cast<l_int32>(ink), static_cast<l_int32>(paper))}) {
                gray = std::move(stretched);
            }
        }
    }
    if (blank_page(gray.get())) return blank(std::move(gray));

    // A phone photo: the sheet, found on its background, is straightened first, and its
    // resolution follows from its width (an A4 sheet is 8.27 inches wide).
    {
        std::array<double, 8> corners{};
        if (find_sheet(gray.get(), corners)) {
            if (PixPtr straight = straighten_sheet(gray.get(), corners, transform)) {
                // A photo of a blank sheet: only the table around it looked like ink. The page
                // as loaded is kept, as for any blank page (boxes refer to it).
                if (blank_sheet(straight.get())) {
                    transform.sheet = false;
                    return blank(std::move(gray));
                }
                gray = std::move(straight);
                prepared.perspective = true;
                const int w = pixGetWidth(gray.get());
                const int h = pixGetHeight(gray.get());
                if (std::abs(static_cast<double>(h) / w - 1.41421356) < 0.01) dpi = static_cast<int>(std::lround(w / 8.27));
            }
        }
    }
    const int sheet_width = pixGetWidth(gray.get());
    const int sheet_height = pixGetHeight(gray.get());

    // Uneven light (phone photos) or dark paper: bring the background to a uniform white, before
    // anything counts characters (a global threshold on a page lit from one side makes blots of
    // its dark side and noise of its bright side, and the characters seem a third of their
    // height). A page already even is left alone (the normalisation costs some 90 ms on an A4
    // page). Its tiles are some 10 × 15 pixels: on a small image (a screen capture) they are
    // no larger than a character and would take the characters' anti-aliased grey for paper; such
    // an image is normalised after it is scaled up.
    bool normalised = false;
    bool bands_turned = false;
    const auto normalise = [&gray, &normalised, &bands_turned] {
        if (unevenly_lit(gray.get())) {
            // A mid-tone band (a Caf's blue, EDF's orange) is paper to the normalisation in some
            // of its tiles and ink in others: it came out in grey blocks around its words. Its
            // words are turned dark on white first.
            invert_light_on_dark_bands(gray.get());
            bands_turned = true;
            if (PixPtr even{pixBackgroundNormSimple(gray.get(), nullptr, nullptr)}) {
                // Leptonica brings the paper to grey 200 and a dark table strip left on a photo
                // (a sheet cut by the frame) to white: Tesseract's threshold would then fall
                // between the two and take the whole sheet for ink. The paper is made white.
                pixGammaTRC(even.get(), even.get(), 1.0f, 0, 200);
                gray = std::move(even);
            }
        }
        normalised = true;
    };
    if (std::min(sheet_width, sheet_height) >= 1200) normalise();

    // Text size: Tesseract reads best with characters some 20 to 40 pixels high.
    // Speckle (a dusty glass, a noisy sensor): a 3×3 median removes it before anything else
    // counts characters or measures skew.
    {
        PixPtr binary = binarise(gray.get());
        InkStatistics ink = binary ? ink_statistics(binary.get()) : InkStatistics{};
        // Not on a small image without a scanner's resolution (a screen capture), whose
        // anti-aliased characters of a few pixels break into specks too, and which a 3 × 3
        // median would erase.
        if (ink.speck_ratio > 0.5 && (std::min(sheet_width, sheet_height) >= 1200 || dpi >= 150)) {
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
        // A screen capture of a whole page (450 to 600 pixels wide) has characters of 4 to 7
        // pixels: they need more than four times their size.
        const double most = prepared.text_height_px < 8 ? 6.0 : 4.0;
        if (prepared.text_height_px < 18) scale = std::min(most, 26.0 / prepared.text_height_px);
        if (prepared.text_height_px > 80) scale = std::max(0.25, 36.0 / prepared.text_height_px);
    } else if (dpi > 0 && dpi < 200) {
        scale = std::min(3.0, 300.0 / dpi);
    } else if (dpi == 0 && std::max(sheet_width, sheet_height) < 1400) {
        // No resolution said and characters too small to count: a small image of a whole page
        // (a screen capture) is read as an A4 page at 300 dpi.
        scale = std::min(6.0, 2480.0 / std::min(sheet_width, sheet_height));
    }
    // Never grow a page past 60 megapixels.
    const double pixels = static_cast<double>(sheet_width) * sheet_height;
    if (pixels * scale * scale > 60e6) scale = std::max(0.1, std::sqrt(60e6 / pixels));
    if (std::abs(scale - 1.0) > 0.05) {
        gray = PixPtr(pixScale(gray.get(), static_cast<l_float32>(scale), static_cast<l_float32>(scale)));
    } else {
        scale = 1.0;
    }
    transform.scale = scale;
    transform.scaled_width = pixGetWidth(gray.get());
    transform.scaled_height = pixGetHeight(gray.get());
    if (!normalised) normalise();
    const int effective_dpi = dpi > 0 ? static_cast<int>(std::lround(dpi * scale)) : 300;
    prepared.ocr_dpi = std::clamp(effective_dpi, 70, 1200);

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

    // Before the borders are cleaned: a band across the top of the page touches its edge.
    if (!bands_turned) invert_light_on_dark_bands(gray.get());
    clean_borders(gray.get());
    prepared.image = std::move(gray);
    return prepared;
}

}  // namespace comptoir
