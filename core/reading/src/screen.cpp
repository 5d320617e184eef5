#include "screen.hpp"

#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace comptoir {
namespace {

struct NumaFree {
    void operator()(Numa* numa) const noexcept { numaDestroy(&numa); }
};

// Grey levels by which a row (or column) of a tile stands out from its two neighbours' mean, in
// the middle of the page: on generated pages, scans and photos, under 1; a page photographed on
// a screen, 20 to 30.
constexpr double kStripeLevels = 5.0;
constexpr int kTiles = 4;  // a side: the middle of the page cut in 4 × 4 tiles

// The median over a tile's rows (or columns) of how far each stands out of its neighbours.
double stripes(Pix* grey, BOX* tile, bool columns) {
    std::unique_ptr<Numa, NumaFree> means(columns ? pixAverageByColumn(grey, tile, L_WHITE_IS_MAX)
                                                  : pixAverageByRow(grey, tile, L_WHITE_IS_MAX));
    const l_int32 count = means ? numaGetCount(means.get()) : 0;
    if (count < 8) return 0.0;
    std::vector<float> values(static_cast<size_t>(count));
    for (l_int32 k = 0; k < count; ++k) numaGetFValue(means.get(), k, &values[static_cast<size_t>(k)]);
    std::vector<double> jumps;
    for (size_t k = 1; k + 1 < values.size(); ++k) {
        jumps.push_back(std::fabs(values[k] - 0.5 * (values[k - 1] + values[k + 1])));
    }
    std::nth_element(jumps.begin(), jumps.begin() + static_cast<std::ptrdiff_t>(jumps.size() / 2), jumps.end());
    return jumps[jumps.size() / 2];
}

}  // namespace

bool screen_photo(Pix* page) {
    if (!page) return false;
    const int width = pixGetWidth(page);
    const int height = pixGetHeight(page);
    if (std::min(width, height) < 200) return false;
    // The middle three fifths: the sheet, not the table or the frame around it.
    BOX* middle = boxCreate(width / 5, height / 5, width * 3 / 5, height * 3 / 5);
    PixPtr cut(pixClipRectangle(page, middle, nullptr));
    boxDestroy(&middle);
    PixPtr grey(cut ? pixConvertTo8(cut.get(), 0) : nullptr);
    if (!grey) return false;
    const int tile_width = pixGetWidth(grey.get()) / kTiles;
    const int tile_height = pixGetHeight(grey.get()) / kTiles;
    // The median tile, so that a band of colour or a table in a corner does not decide.
    std::vector<double> by_rows, by_columns;
    for (int ty = 0; ty < kTiles; ++ty) {
        for (int tx = 0; tx < kTiles; ++tx) {
            BOX* tile = boxCreate(tx * tile_width, ty * tile_height, tile_width, tile_height);
            by_rows.push_back(stripes(grey.get(), tile, false));
            by_columns.push_back(stripes(grey.get(), tile, true));
            boxDestroy(&tile);
        }
    }
    const auto median = [](std::vector<double>& values) {
        std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2), values.end());
        return values[values.size() / 2];
    };
    return std::max(median(by_rows), median(by_columns)) >= kStripeLevels;
}

}  // namespace comptoir
