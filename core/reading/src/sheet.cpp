// Where a photographed sheet lies on the table around it (find_sheet, prepare.hpp), and the
// binarisation page preparation shares.
#include "comptoir/reading/prepare.hpp"
#include "prepare_steps.hpp"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace comptoir {

// The histogram of an 8-bit page's grey levels, every pixel counted: Leptonica's own
// (pixGetGrayHistogram, and pixSplitDistributionFgBg, which first copies the page) takes 60 to
// 90 ms on an A4 page at 300 dpi, a pass over the bytes some 5. A row's bytes are its pixels in
// another order within each 32-bit word: all of them are counted, then those past the page's
// width, read as pixels, taken off.
Numa* gray_histogram(Pix* gray) {
    if (pixGetDepth(gray) != 8 || pixGetColormap(gray)) return pixGetGrayHistogram(gray, 1);
    const l_int32 width = pixGetWidth(gray);
    const l_int32 height = pixGetHeight(gray);
    const l_int32 words_per_line = pixGetWpl(gray);
    const l_uint32* data = pixGetData(gray);
    // Four tables, so that runs of one grey do not wait on one counter.
    std::array<std::array<l_uint32, 256>, 4> counts{};
    for (l_int32 y = 0; y < height; ++y) {
        const l_uint32* line = data + static_cast<ptrdiff_t>(y) * words_per_line;
        const auto* bytes = reinterpret_cast<const unsigned char*>(line);
        for (l_int32 i = 0; i < 4 * words_per_line; i += 4) {
            ++counts[0][bytes[i]];
            ++counts[1][bytes[i + 1]];
            ++counts[2][bytes[i + 2]];
            ++counts[3][bytes[i + 3]];
        }
        for (l_int32 x = width; x < 4 * words_per_line; ++x) --counts[0][GET_DATA_BYTE(line, x)];
    }
    Numa* histogram = numaCreate(256);
    if (!histogram) return nullptr;
    for (size_t value = 0; value < 256; ++value) {
        numaAddNumber(histogram, static_cast<l_float32>(counts[0][value] + counts[1][value] + counts[2][value] +
                                                        counts[3][value]));
    }
    return histogram;
}

PixPtr binarise(Pix* gray) {
    // A global Otsu threshold, taken at the histogram's lowest point where Otsu's score is
    // within a tenth of its best: what Leptonica's adaptive Otsu does with one tile as large as
    // the page (pixSplitDistributionFgBg), without the copies of the page it makes.
    l_int32 threshold = 0;
    Numa* histogram = gray_histogram(gray);
    const bool split = histogram && numaSplitDistribution(histogram, 0.1f, &threshold, nullptr, nullptr, nullptr,
                                                          nullptr, nullptr) == 0;
    numaDestroy(&histogram);
    if (!split) return PixPtr(pixConvertTo1(gray, 128));
    return PixPtr(pixThresholdToBinary(gray, threshold));
}

namespace {

// A candidate sheet: the largest component of `paper` (1 = paper), its holes (the print)
// filled, and its bounding box.
struct SheetMask {
    PixPtr mask;
    l_int32 x = 0, y = 0, w = 0, h = 0;
};

SheetMask largest_component(Pix* paper) {
    SheetMask out;
    Pixa* parts = nullptr;
    Boxa* boxes = pixConnComp(paper, &parts, 8);
    if (!boxes || !parts) {
        boxaDestroy(&boxes);
        pixaDestroy(&parts);
        return out;
    }
    l_int32 best = -1;
    l_int32 best_area = 0;
    for (l_int32 i = 0; i < boxaGetCount(boxes); ++i) {
        l_int32 x = 0, y = 0, w = 0, h = 0;
        boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
        if (w * h > best_area) {
            best_area = w * h;
            best = i;
        }
    }
    if (best >= 0) {
        boxaGetBoxGeometry(boxes, best, &out.x, &out.y, &out.w, &out.h);
        PixPtr part(pixaGetPix(parts, best, L_CLONE));
        // pixHolesByFilling gives the holes alone: the sheet is the component or its holes.
        PixPtr holes(part ? pixHolesByFilling(part.get(), 4) : nullptr);
        if (holes) out.mask = PixPtr(pixOr(nullptr, part.get(), holes.get()));
    }
    boxaDestroy(&boxes);
    pixaDestroy(&parts);
    return out;
}

// The paper as what is brighter than one threshold for the whole photo: right under even light.
SheetMask sheet_by_brightness(Pix* small) {
    PixPtr dark = binarise(small);
    if (!dark) return {};
    PixPtr paper(pixInvert(nullptr, dark.get()));
    return largest_component(paper.get());
}

// The paper as what the table does not reach: the table is the part of the photo, touching its
// frame, that no strong edge crosses; the sheet's outline is such an edge all round. Right
// where light falls off across the photo so much that the paper's dark side is darker than the
// table's bright side, which no single threshold separates.
SheetMask sheet_by_edges(Pix* edges, int strength) {
    // pixThresholdToBinary sets the pixels below the threshold: those are the calm ones.
    PixPtr calm(pixThresholdToBinary(edges, strength));
    if (!calm) return {};
    // Close gaps of a pixel or two in the outline: the edges thickened (a dilation; an erosion
    // of the calm parts would also eat the frame's edge, where the table starts).
    PixPtr strong(pixInvert(nullptr, calm.get()));
    PixPtr thick(pixDilateBrick(nullptr, strong.get(), 3, 3));
    if (!thick) return {};
    PixPtr closed(pixInvert(nullptr, thick.get()));
    PixPtr table(pixExtractBorderConnComps(closed.get(), 4));
    if (!table) return {};
    PixPtr paper(pixInvert(nullptr, table.get()));
    return largest_component(paper.get());
}

bool corners_of(const SheetMask& found_sheet, int sw, int sh, float factor, std::array<double, 8>& corners,
                double& proportion);

// A sheet is brighter than the table around it. A framed box on a scanned page also has an
// outline all round; but around it is the page's own white paper.
bool paper_on_darker_table(Pix* small, const SheetMask& sheet) {
    PixPtr inside(pixCreate(pixGetWidth(small), pixGetHeight(small), 1));
    if (!inside) return false;
    pixRasterop(inside.get(), sheet.x, sheet.y, sheet.w, sheet.h, PIX_SRC, sheet.mask.get(), 0, 0);
    PixPtr outside(pixInvert(nullptr, inside.get()));
    l_float32 paper = 0.0f;
    l_float32 table = 255.0f;
    if (pixGetAverageMasked(small, inside.get(), 0, 0, 1, L_MEAN_ABSVAL, &paper) != 0 ||
        pixGetAverageMasked(small, outside.get(), 0, 0, 1, L_MEAN_ABSVAL, &table) != 0) {
        return false;
    }
    return paper - table >= 30.0f;
}

}  // namespace

bool find_sheet(Pix* gray, std::array<double, 8>& corners) {
    const int width = pixGetWidth(gray);
    const int height = pixGetHeight(gray);
    if (width < 200 || height < 200) return false;
    // Some 800 pixels on the long side are plenty to find four corners.
    const float factor = std::min(1.0f, 800.0f / static_cast<float>(std::max(width, height)));
    PixPtr small(factor < 1.0f ? pixScaleAreaMap(gray, factor, factor) : pixClone(gray));
    if (!small) return false;
    const int sw = pixGetWidth(small.get());
    const int sh = pixGetHeight(small.get());
    // An A4 sheet (or A5, A3) seen at an angle: proportions of 1.33 to 1.54 measured on
    // generated photos; a sheet a shadow had cut gave 1.24 to 1.31. A quadrilateral of another
    // proportion (a letter-size sheet, 1.29; a receipt; a card) is kept only when no A4 one is
    // found by the other means.
    const auto a4_like = [](double proportion) { return proportion >= 1.32 && proportion <= 1.62; };
    std::array<double, 8> other{};
    bool have_other = false;
    double proportion = 0.0;
    SheetMask bright = sheet_by_brightness(small.get());
    if (bright.mask && corners_of(bright, sw, sh, factor, corners, proportion)) {
        if (a4_like(proportion)) return true;
        other = corners;
        have_other = true;
    }
    const auto fallback = [&] {
        if (have_other) corners = other;
        return have_other;
    };
    // A scan or a capture: the frame's edge is paper, not a table. No outline to look for.
    {
        PixPtr ring(pixCreate(sw, sh, 1));
        if (!ring) return false;
        pixSetAll(ring.get());
        const int band = std::max(2, std::min(sw, sh) / 50);
        ::Box* inner = boxCreate(band, band, sw - 2 * band, sh - 2 * band);
        pixClearInRect(ring.get(), inner);
        boxDestroy(&inner);
        l_float32 frame = 0.0f;
        if (pixGetAverageMasked(small.get(), ring.get(), 0, 0, 1, L_MEAN_ABSVAL, &frame) != 0 || frame >= 200.0f) {
            return fallback();
        }
    }
    PixPtr smooth(pixBlockconv(small.get(), 1, 1));
    PixPtr edges(smooth ? pixSobelEdgeFilter(smooth.get(), L_ALL_EDGES) : nullptr);
    if (!edges) return fallback();
    // Where the table's bright side meets the paper's, the outline is faint: weaker edges are
    // tried in turn (the table's grain makes islands, left out as smaller than the sheet).
    for (const int strength : {20, 12, 8}) {
        SheetMask outlined = sheet_by_edges(edges.get(), strength);
        if (outlined.mask && paper_on_darker_table(small.get(), outlined) &&
            corners_of(outlined, sw, sh, factor, corners, proportion)) {
            if (a4_like(proportion)) return true;
            if (!have_other) {
                other = corners;
                have_other = true;
            }
        }
    }
    return fallback();
}

namespace {

bool corners_of(const SheetMask& found_sheet, int sw, int sh, float factor, std::array<double, 8>& corners,
                double& proportion) {
    Pix* sheet = found_sheet.mask.get();
    const l_int32 bx = found_sheet.x, by = found_sheet.y, bw = found_sheet.w, bh = found_sheet.h;
    // A scan: the paper reaches every edge of the image. Nothing to straighten.
    const int margin = std::max(2, std::min(sw, sh) / 100);
    if (bx <= margin && by <= margin && bx + bw >= sw - margin && by + bh >= sh - margin) return false;
    if (static_cast<double>(bw) * bh < 0.2 * sw * sh) return false;
    // The corners: the sheet's points furthest along the four diagonals.
    double best_sum_min = 1e18, best_sum_max = -1e18, best_diff_min = 1e18, best_diff_max = -1e18;
    std::array<double, 8> found{};
    l_int32 area = 0;
    const l_int32 words_per_line = pixGetWpl(sheet);
    const l_uint32* data = pixGetData(sheet);
    for (l_int32 y = 0; y < bh; ++y) {
        const l_uint32* line = data + static_cast<ptrdiff_t>(y) * words_per_line;
        for (l_int32 x = 0; x < bw; ++x) {
            if (!GET_DATA_BIT(line, x)) continue;
            ++area;
            const double px = bx + x;
            const double py = by + y;
            if (px + py < best_sum_min) { best_sum_min = px + py; found[0] = px; found[1] = py; }
            if (px - py > best_diff_max) { best_diff_max = px - py; found[2] = px; found[3] = py; }
            if (px + py > best_sum_max) { best_sum_max = px + py; found[4] = px; found[5] = py; }
            if (px - py < best_diff_min) { best_diff_min = px - py; found[6] = px; found[7] = py; }
        }
    }
    // A sheet is a quadrilateral: the four corners must enclose nearly all of it (a sheet cut
    // by the frame, or the paper merged with something bright beside it, does not).
    double quad = 0.0;
    for (size_t i = 0; i < 4; ++i) {
        const size_t j = (i + 1) % 4;
        quad += found[2 * i] * found[2 * j + 1] - found[2 * j] * found[2 * i + 1];
    }
    quad = std::abs(quad) / 2.0;
    if (area <= 0 || quad < 0.92 * area || quad > 1.08 * area) return false;
    // A corner on the frame's edge: the sheet goes on beyond the photo, its edge there is the
    // frame's, and straightening it would shear the text.
    for (size_t i = 0; i < 4; ++i) {
        const double x = found[2 * i];
        const double y = found[2 * i + 1];
        if (x <= margin || y <= margin || x >= sw - 1 - margin || y >= sh - 1 - margin) return false;
    }
    // Edges of sensible length, in the right order (top above bottom, left before right).
    if (!(found[0] < found[2] && found[6] < found[4] && found[1] < found[7] && found[3] < found[5])) return false;
    // A sheet of paper, seen at an angle: opposite edges of nearly the same length, and the shape
    // of an A4 or letter sheet, upright or lying. A shadow across one corner cuts the bright part
    // into another quadrilateral, which is not one (straightened, it would shear the text).
    const auto edge = [&found](size_t a, size_t b) {
        return std::hypot(found[2 * a] - found[2 * b], found[2 * a + 1] - found[2 * b + 1]);
    };
    const double top = edge(0, 1), right = edge(1, 2), bottom = edge(2, 3), left = edge(3, 0);
    // Measured on generated photos (up to 4.5 % of perspective at each corner): opposite edges
    // within 9 % of each other; a sheet a shadow had cut, 11 % apart.
    const auto alike = [](double a, double b) { return std::min(a, b) >= 0.85 * std::max(a, b); };
    if (!alike(top, bottom) || !alike(left, right)) return false;
    proportion = std::max(top + bottom, left + right) / std::min(top + bottom, left + right);
    if (proportion > 3.0) return false;
    // Back to the pixels of `gray`, on the outer edge of the corner pixels.
    for (size_t i = 0; i < 8; ++i) corners[i] = (found[i] + 0.5) / factor;
    return true;
}

}  // namespace

}  // namespace comptoir
