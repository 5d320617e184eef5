// comptoir/text/distance.hpp — the Levenshtein distance, over characters or any sequence
// (the words of a page), and a bounded form for the many short comparisons of labels.
// Part of comptoir::text (comptoir/text/fold.hpp says what it is).
#ifndef COMPTOIR_TEXT_DISTANCE_HPP
#define COMPTOIR_TEXT_DISTANCE_HPP

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

namespace comptoir::text {

// Levenshtein distance between two sequences (characters of a string, words of a page).
template <typename Sequence>
size_t edit_distance(const Sequence& a, const Sequence& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

inline size_t distance(std::string_view a, std::string_view b) { return edit_distance(a, b); }

// OCR errors a label of this many folded characters may carry: none in a short word ("PDL",
// "TVA", "Date", where one slip makes another word), one up to 11 characters (so that
// "Montant TTC" is not "Montant HT", nor "Facture d'eau" "Facture du"), then about one in
// seven. The one rule of the extraction engine and of the layout helpers' find_label.
inline size_t tolerated_errors(size_t length) {
    if (length <= 4) return 0;
    if (length <= 11) return 1;
    if (length <= 18) return 2;
    return length / 7;
}

// Levenshtein distance, or bound + 1 as soon as it must exceed `bound` (labels are short and
// compared often: no allocation, a band of the matrix only).
inline size_t bounded_distance(std::string_view a, std::string_view b, size_t bound) {
    const size_t m = b.size();
    if ((a.size() > m ? a.size() - m : m - a.size()) > bound) return bound + 1;
    if (a.size() > 62 || m > 62) return distance(a, b);
    const size_t kFar = 1000;
    size_t row[64];
    for (size_t j = 0; j <= m; ++j) row[j] = j <= bound ? j : kFar;
    for (size_t i = 1; i <= a.size(); ++i) {
        // Only the band |i − j| ≤ bound can stay within the bound.
        const size_t from = i > bound ? i - bound : 1;
        const size_t to = std::min(m, i + bound);
        size_t diagonal = row[from - 1];
        row[from - 1] = from == 1 ? (i <= bound ? i : kFar) : kFar;
        size_t smallest = row[from - 1];
        for (size_t j = from; j <= to; ++j) {
            const size_t above = row[j];
            row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
            smallest = std::min(smallest, row[j]);
        }
        if (to < m) row[to + 1] = kFar;
        if (smallest > bound) return bound + 1;
    }
    return std::min(row[m], bound + 1);
}

}  // namespace comptoir::text

#endif  // COMPTOIR_TEXT_DISTANCE_HPP
