#include "comptoir/reading/datamatrix.hpp"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>
#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace comptoir {
namespace {

using Clock = std::chrono::steady_clock;

struct PixFree {
    void operator()(Pix* pix) const noexcept { pixDestroy(&pix); }
};
using Owned = std::unique_ptr<Pix, PixFree>;
struct BoxaFree {
    void operator()(Boxa* boxa) const noexcept { boxaDestroy(&boxa); }
};

// The page is looked at with its short side about this long: a 2D-Doc module (0.3 to 0.5 mm)
// is then one or two pixels, enough for the blob of a code to stand out, and the search is cheap.
constexpr int kSmallSide = 600;
// The crop given to ZXing is scaled down to this long side at most.
constexpr int kMaxCropSide = 900;  // ZXing reads a crop this size in a few milliseconds

struct Candidate {
    l_int32 x = 0, y = 0, w = 0, h = 0;  // at small scale
    double score = 0.0;
};

// Grey levels between a damaged code's modules and its paper, at least.
constexpr float kCodeContrast = 60.0f;

struct NumaFree {
    void operator()(Numa* numa) const noexcept { numaDestroy(&numa); }
};

// The share of dark pixels of each row (or each column) of a binary image.
std::vector<double> ink_shares(Pix* binary, bool columns) {
    std::unique_ptr<Numa, NumaFree> counts(columns ? pixCountPixelsByColumn(binary) : pixCountPixelsByRow(binary, nullptr));
    const double length = columns ? pixGetHeight(binary) : pixGetWidth(binary);
    std::vector<double> shares;
    for (l_int32 k = 0; counts && k < numaGetCount(counts.get()); ++k) {
        l_float32 count = 0.0f;
        numaGetFValue(counts.get(), k, &count);
        shares.push_back(count / length);
    }
    return shares;
}

// Whether a region of the page that no decoder read looks like a DataMatrix all the same: a
// cut, blurred or scratched code. A code is dark on about half of every row and every column of
// its square, with no blank line across it (text has its line spacing, a drawing its empty
// parts), and keeps at least one side of its solid "L" even when cut in half.
bool looks_like_code(Pix* page, const Box& area) {
    if (area.width < 24 || area.height < 24) return false;
    BOX* cut = boxCreate(area.x, area.y, area.width, area.height);
    Owned part(pixClipRectangle(page, cut, nullptr));
    boxDestroy(&cut);
    Owned grey(part ? pixConvertTo8(part.get(), 0) : nullptr);
    if (!grey) return false;
    Owned binary;
    {
        PIX* thresholded = nullptr;
        if (pixOtsuAdaptiveThreshold(grey.get(), area.width, area.height, 0, 0, 0.1f, nullptr, &thresholded) != 0) {
            return false;
        }
        binary.reset(thresholded);
    }
    if (!binary) return false;
    // Black modules on white: the two halves far apart in grey (the grain of a dark table, split
    // in two all the same, is not).
    l_float32 dark_mean = 0.0f;
    l_float32 light_mean = 0.0f;
    Owned light(pixInvert(nullptr, binary.get()));
    if (!light || pixGetAverageMasked(grey.get(), binary.get(), 0, 0, 1, L_MEAN_ABSVAL, &dark_mean) != 0 ||
        pixGetAverageMasked(grey.get(), light.get(), 0, 0, 1, L_MEAN_ABSVAL, &light_mean) != 0 ||
        light_mean - dark_mean < kCodeContrast) {
        return false;
    }
    const std::vector<double> rows = ink_shares(binary.get(), false);
    const std::vector<double> columns = ink_shares(binary.get(), true);
    if (rows.empty() || columns.empty()) return false;
    // Every row and column between a sixth and five sixths dark, but for the few at the edges
    // (the margin the box took, the solid sides).
    const auto covered = [](const std::vector<double>& shares) {
        const auto inside = std::count_if(shares.begin(), shares.end(),
                                          [](double share) { return share >= 0.15 && share <= 0.85; });
        return static_cast<double>(inside) / static_cast<double>(shares.size());
    };
    if (covered(rows) < 0.8 || covered(columns) < 0.8) return false;
    // A solid side: a row (or column) near an edge, dark over four fifths of each quarter of its
    // length (the box's margin takes some of the end ones). A
    // photo's code is a little turned: the row is looked for in each quarter of the length on
    // its own, within a module of the others' (a thickened row would not do: the boundary
    // between two rows of modules, thickened, is solid on any code and on a checkerboard).
    const int module = std::max(2, std::min(area.width, area.height) / 40);
    const auto solid_side = [&](bool by_columns, bool from_end) {
        constexpr int kQuarters = 4;
        const int length = by_columns ? pixGetHeight(binary.get()) : pixGetWidth(binary.get());
        const int across = by_columns ? pixGetWidth(binary.get()) : pixGetHeight(binary.get());
        std::vector<std::vector<double>> quarters;
        for (int q = 0; q < kQuarters; ++q) {
            const int from = q * length / kQuarters;
            const int to = (q + 1) * length / kQuarters;
            BOX* strip = by_columns ? boxCreate(0, from, across, to - from) : boxCreate(from, 0, to - from, across);
            Owned quarter(pixClipRectangle(binary.get(), strip, nullptr));
            boxDestroy(&strip);
            if (!quarter) return false;
            quarters.push_back(ink_shares(quarter.get(), by_columns));
        }
        const int depth = std::max(3, across / 8);
        for (int k = 0; k < depth; ++k) {
            bool all = true;
            for (const auto& shares : quarters) {
                bool near = false;
                for (int d = -module; d <= module && !near; ++d) {
                    const int at = k + d;
                    if (at < 0 || at >= static_cast<int>(shares.size())) continue;
                    near = shares[static_cast<size_t>(from_end ? static_cast<int>(shares.size()) - 1 - at : at)] >= 0.8;
                }
                all = all && near;
            }
            if (all) return true;
        }
        return false;
    };
    return solid_side(false, false) || solid_side(false, true) || solid_side(true, false) || solid_side(true, true);
}

// Decodes the DataMatrix codes of an 8-bit grey crop.
std::vector<std::string> decode(Pix* crop, std::vector<ZXing::Position>* positions) {
    Owned copy(pixCopy(nullptr, crop));
    if (!copy) return {};
    pixEndianByteSwap(copy.get());  // Leptonica's words to the byte order ZXing reads
    const ZXing::ImageView view(reinterpret_cast<const uint8_t*>(pixGetData(copy.get())), pixGetWidth(copy.get()),
                                pixGetHeight(copy.get()), ZXing::ImageFormat::Lum, pixGetWpl(copy.get()) * 4);
    const auto hints = ZXing::DecodeHints()
                           .setFormats(ZXing::BarcodeFormat::DataMatrix)
                           .setTryHarder(true)
                           .setTryRotate(true);
    std::vector<std::string> payloads;
    for (const auto& result : ZXing::ReadBarcodes(view, hints)) {
        if (!result.isValid()) continue;
        const auto& bytes = result.bytes();
        payloads.emplace_back(bytes.begin(), bytes.end());
        if (positions) positions->push_back(result.position());
    }
    return payloads;
}

// The upright box around a code's corners, in pixels of the page: the crop sat at (left, top)
// and was scaled by `scale`.
Box bounds(const ZXing::Position& corners, int left, int top, float scale) {
    int min_x = 1 << 30, min_y = 1 << 30, max_x = 0, max_y = 0;
    for (const auto& corner : corners) {
        min_x = std::min(min_x, corner.x);
        min_y = std::min(min_y, corner.y);
        max_x = std::max(max_x, corner.x);
        max_y = std::max(max_y, corner.y);
    }
    Box box;
    box.x = left + static_cast<int>(min_x / scale);
    box.y = top + static_cast<int>(min_y / scale);
    box.width = static_cast<int>((max_x - min_x + 1) / scale);
    box.height = static_cast<int>((max_y - min_y + 1) / scale);
    return box;
}

}  // namespace

CodeSearch find_datamatrix(Pix* page, const CodeSearchOptions& options) {
    CodeSearch search;
    const auto start = Clock::now();
    const auto finish = [&] {
        search.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
        return search;
    };
    if (!page || pixGetWidth(page) < 16 || pixGetHeight(page) < 16) return finish();
    // The page stays as it is (colour photos are large: turning a whole one grey costs more
    // than the search); only the small view and the crops given to ZXing are made grey.
    Pix* const original = page;
    const int width = pixGetWidth(original);
    const int height = pixGetHeight(original);
    const auto grey_of = [](Pix* pix) -> Pix* {
        return pixGetDepth(pix) == 8 && !pixGetColormap(pix) ? pixClone(pix) : pixConvertTo8(pix, 0);
    };

    // An image not much larger than a code (a code cut out, a label): ZXing sees it whole.
    if (std::max(width, height) <= kMaxCropSide) {
        Owned grey(grey_of(original));
        std::vector<ZXing::Position> positions;
        const auto payloads = grey ? decode(grey.get(), &positions) : std::vector<std::string>{};
        for (size_t k = 0; k < payloads.size(); ++k) search.codes.push_back({payloads[k], bounds(positions[k], 0, 0, 1.0f)});
        if (!search.codes.empty()) return finish();
    }

    // 1. The page, small (halvings only: Leptonica's 2x area map is five times quicker than any
    // other factor; a colour page is subsampled on its green channel straight away), with its
    // background flattened (photos are unevenly lit) and binarised.
    int factor = 1;
    while (std::min(width, height) / (factor * 2) >= kSmallSide) factor *= 2;
    const float scale = 1.0f / static_cast<float>(factor);
    Owned small;
    if (pixGetDepth(original) == 32) {
        small.reset(factor > 1 ? pixScaleRGBToGrayFast(original, factor, COLOR_GREEN) : pixConvertTo8(original, 0));
    } else {
        small.reset(grey_of(original));
        for (int f = factor; small && f > 1; f /= 2) small.reset(pixScaleAreaMap2(small.get()));
    }
    if (!small) return finish();
    Owned flat(pixBackgroundNormSimple(small.get(), nullptr, nullptr));
    Owned binary(pixThresholdToBinary(flat ? flat.get() : small.get(), 140));
    if (!binary) return finish();
    const int small_width = pixGetWidth(binary.get());
    const int small_height = pixGetHeight(binary.get());
    const int short_side = std::min(small_width, small_height);

    // 2. Rules and frames (longer than any code) removed, so that a code printed in a box
    // stays a blob of its own; then the modules closed into one blob.
    const int longest = std::max(24, short_side * 3 / 10);
    Owned horizontal(pixOpenCompBrick(nullptr, binary.get(), longest, 1));
    Owned vertical(pixOpenCompBrick(nullptr, binary.get(), 1, longest));
    Owned marks(pixCopy(nullptr, binary.get()));
    if (horizontal) pixSubtract(marks.get(), marks.get(), horizontal.get());
    if (vertical) pixSubtract(marks.get(), marks.get(), vertical.get());
    Owned closed(pixCloseSafeBrick(nullptr, marks.get(), 5, 5));
    if (!closed) return finish();

    // 3. Blobs that are square, solid once closed, and about half dark before: candidates.
    std::unique_ptr<Boxa, BoxaFree> blobs(pixConnCompBB(closed.get(), 8));
    std::vector<Candidate> candidates;
    const int smallest = std::max(10, short_side / 50);
    const int largest = longest;
    for (l_int32 i = 0; blobs && i < boxaGetCount(blobs.get()); ++i) {
        BOX* box = boxaGetBox(blobs.get(), i, L_CLONE);
        l_int32 x = 0, y = 0, w = 0, h = 0;
        boxGetGeometry(box, &x, &y, &w, &h);
        boxDestroy(&box);
        if (w < smallest || h < smallest || w > largest || h > largest) continue;
        const double aspect = static_cast<double>(std::max(w, h)) / std::min(w, h);
        // A code cut by the edge of the image is half a square, or less.
        const bool at_edge = x <= 1 || y <= 1 || x + w >= small_width - 1 || y + h >= small_height - 1;
        if (aspect > (at_edge ? 2.6 : 1.6)) continue;
        BOX* area = boxCreate(x, y, w, h);
        l_int32 solid = 0, dark = 0;
        Owned closed_part(pixClipRectangle(closed.get(), area, nullptr));
        Owned dark_part(pixClipRectangle(marks.get(), area, nullptr));
        if (closed_part) pixCountPixels(closed_part.get(), &solid, nullptr);
        if (dark_part) pixCountPixels(dark_part.get(), &dark, nullptr);
        const double pixels = static_cast<double>(w) * h;
        boxDestroy(&area);
        const double fill = solid / pixels;   // a square code: about 1; turned 45°: about 0.5
        const double density = dark / pixels;  // a code: 0.3 to 0.7 of its box; a word: less
        if (fill < 0.42 || density < 0.22 || density > 0.85) continue;
        const double score = fill + density - 0.2 * (aspect - 1.0);
        candidates.push_back({x, y, w, h, score});
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) { return a.score > b.score; });

    // 4. Each candidate, cut from the page at full size with a quiet margin, to ZXing.
    const double to_page = 1.0 / scale;
    std::vector<size_t> unread;  // candidates tried and not decoded
    for (size_t i = 0; i < candidates.size(); ++i) {
        const auto [x, y, w, h, score] = candidates[i];
        if (static_cast<int>(i) >= options.max_candidates) continue;
        // The best candidate is always tried, however long the page took to look at (a busy
        // machine): the budget bounds the others.
        if (i > 0 && Clock::now() - start > options.budget) {
            search.out_of_time = true;
            continue;
        }
        ++search.candidates;
        // ZXing's finder is touchy about how much margin it gets and about modules of two or
        // three pixels: a small code is tried twice as large first, then as it is, then with
        // other margins; the first reading wins.
        const int side = static_cast<int>(std::max(w, h) * to_page);
        const bool small_code = side < 320;
        struct Attempt {
            double margin;
            bool enlarge;
        };
        static const std::vector<Attempt> small_attempts = {{0.25, true}, {0.25, false}, {0.1, true}, {0.6, true}};
        static const std::vector<Attempt> large_attempts = {{0.25, false}, {0.1, false}, {0.6, false}};
        const size_t found_before = search.codes.size();
        for (const Attempt& attempt : small_code ? small_attempts : large_attempts) {
            const int margin = static_cast<int>(side * attempt.margin) + 8;
            const int left = std::max(0, static_cast<int>(x * to_page) - margin);
            const int top = std::max(0, static_cast<int>(y * to_page) - margin);
            const int right = std::min(width, static_cast<int>((x + w) * to_page) + margin);
            const int bottom = std::min(height, static_cast<int>((y + h) * to_page) + margin);
            BOX* cut = boxCreate(left, top, right - left, bottom - top);
            Owned cut_out(pixClipRectangle(original, cut, nullptr));
            boxDestroy(&cut);
            Owned crop(cut_out ? grey_of(cut_out.get()) : nullptr);
            if (!crop) break;
            const int crop_side = std::max(pixGetWidth(crop.get()), pixGetHeight(crop.get()));
            float crop_scale = attempt.enlarge ? 2.0f : 1.0f;
            if (crop_side * crop_scale > kMaxCropSide) crop_scale = static_cast<float>(kMaxCropSide) / crop_side;
            Owned fitted(crop_scale > 1.0f   ? pixScaleGrayLI(crop.get(), crop_scale, crop_scale)
                         : crop_scale < 1.0f ? pixScaleAreaMap(crop.get(), crop_scale, crop_scale)
                                             : pixClone(crop.get()));
            if (!fitted) break;
            std::vector<ZXing::Position> positions;
            const auto payloads = decode(fitted.get(), &positions);
            for (size_t k = 0; k < payloads.size(); ++k) {
                const bool seen = std::any_of(search.codes.begin(), search.codes.end(),
                                              [&](const FoundCode& code) { return code.payload == payloads[k]; });
                if (!seen) search.codes.push_back({payloads[k], bounds(positions[k], left, top, crop_scale)});
            }
            if (!payloads.empty() || Clock::now() - start > options.budget) break;
        }
        if (search.codes.size() == found_before) unread.push_back(i);
    }

    // 5. What was tried and not read, and looks like a code (not where a code was read): a
    // damaged code, to be said so rather than passed over in silence.
    for (const size_t i : unread) {
        const Candidate& candidate = candidates[i];
        Box area;
        area.x = std::max(0, static_cast<int>((candidate.x - 1) * to_page));
        area.y = std::max(0, static_cast<int>((candidate.y - 1) * to_page));
        area.width = std::min(width, static_cast<int>((candidate.x + candidate.w + 1) * to_page)) - area.x;
        area.height = std::min(height, static_cast<int>((candidate.y + candidate.h + 1) * to_page)) - area.y;
        const auto overlaps = [&](const Box& other) {
            return area.x < other.x + other.width && other.x < area.x + area.width && area.y < other.y + other.height &&
                   other.y < area.y + area.height;
        };
        if (std::any_of(search.codes.begin(), search.codes.end(), [&](const FoundCode& code) { return overlaps(code.box); }) ||
            std::any_of(search.damaged.begin(), search.damaged.end(), overlaps)) {
            continue;
        }
        if (looks_like_code(original, area)) search.damaged.push_back(area);
    }
    return finish();
}

}  // namespace comptoir
