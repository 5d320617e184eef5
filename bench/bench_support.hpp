// What the benchmarks share.
#pragma once

#include <algorithm>
#include <vector>

namespace comptoir::bench {

// The median of a run's timings (the upper one of an even count).
inline double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

}  // namespace comptoir::bench
