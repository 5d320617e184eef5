#include "screen.hpp"

#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace comptoir {
namespace {

double lower_quartile(std::vector<double>& values) {
    const auto at = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 4);
    std::nth_element(values.begin(), at, values.end());
    return *at;
}

struct NumaFree {
    void operator()(Numa* numa) const noexcept { numaDestroy(&numa); }
};

// Grey levels by which a row (or column) of a tile stands out from its two neighbours' mean, in
// the middle of the page (the lower quartile, over a tile's rows, then over the tiles): on the
// generated pages, scans, photos and captures down to 450 pixels wide, under 1; on a page
// photographed on a screen, 8 to 15.
constexpr double kStripeLevels = 4.0;
constexpr int kTiles = 4;  // a side: the middle of the page cut in 4 × 4 tiles

// The lower quartile, over a tile's rows (or columns), of how far each stands out of its
// neighbours: a screen's stripes are everywhere, text only on the rows that cross its lines.
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
    return lower_quartile(jumps);
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
    // Over the tiles likewise: a screen's stripes cover the page, a table or a band of colour
    // does not.
    std::vector<double> by_rows, by_columns;
    for (int ty = 0; ty < kTiles; ++ty) {
        for (int tx = 0; tx < kTiles; ++tx) {
            BOX* tile = boxCreate(tx * tile_width, ty * tile_height, tile_width, tile_height);
            by_rows.push_back(stripes(grey.get(), tile, false));
            by_columns.push_back(stripes(grey.get(), tile, true));
            boxDestroy(&tile);
        }
    }
    return std::max(lower_quartile(by_rows), lower_quartile(by_columns)) >= kStripeLevels;
}

}  // namespace comptoir
