// comptoir/extract/spans.hpp — the words each relation offers as a label's value.
// Part of comptoir/extract.hpp, which says what the extraction engine does.
#ifndef COMPTOIR_EXTRACT_SPANS_HPP
#define COMPTOIR_EXTRACT_SPANS_HPP

#include "comptoir/extract/labels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir::sdk::extract {

// ------------------------------------------------------------------------------------------
// Spans: the words a relation offers as a label's value
// ------------------------------------------------------------------------------------------
namespace spans {

// Right of the label on its line, up to the next label.
inline std::vector<size_t> right(const Page& page, const LabelHit& label) {
    std::vector<size_t> out;
    const auto& line = page.line(label.first);
    bool after = false;
    for (size_t i : line) {
        if (i == label.last) {
            after = true;
            continue;
        }
        if (!after) continue;
        if (page.word(i).box.x < page.word(label.last).box.x) continue;
        if (page.is_label_word(i)) break;
        out.push_back(i);
    }
    return out;
}

// Whether `w` stands right under a label other than `label`, aligned on its left edge
// ("PROCHAIN PRÉLÈVEMENT LE :" over "31/08/2022"): it is that label's value, not one further
// along the row of a tall label beside.
inline bool under_another_label(const Page& page, const LabelHit& label, const Word& w) {
    const int32_t h = std::max<int32_t>(1, w.box.height);
    for (size_t j = 0; j < page.size(); ++j) {
        if (!page.is_label_word(j) || std::find(label.words.begin(), label.words.end(), j) != label.words.end()) continue;
        const Word& above = page.word(j);
        if (above.page != w.page) continue;
        const int32_t bottom = above.box.y + above.box.height;
        const bool just_above = bottom <= w.box.y + h / 4 && bottom >= w.box.y - 3 * h / 2;
        // Left-aligned, as a cell's value under its label: not a line of text that merely
        // runs above the value.
        const bool aligned = std::abs(above.box.x - w.box.x) <= h;
        if (just_above && aligned) return true;
    }
    return false;
}

// Right of the label in its row, whatever line OCR gave the words (a table's last column read
// as a block of its own), nearest first, up to the next label. The row follows the page's slope:
// on a scan skewed by 3°, a value 600 px to the right of its label stands some 30 px higher or
// lower.
inline std::vector<size_t> row(const Page& page, const LabelHit& label) {
    const int32_t top = label.box.y;
    const int32_t bottom = label.box.y + label.box.height;
    const int32_t right_edge = label.box.x + label.box.width;
    const double slope = page.slope(label.page);
    const double label_middle_x = label.box.x + label.box.width / 2.0;
    std::vector<size_t> out;
    for (size_t i = 0; i < page.size(); ++i) {
        const Word& w = page.word(i);
        if (w.page != label.page || w.box.x < right_edge) continue;
        const double drift = slope * (w.box.x + w.box.width / 2.0 - label_middle_x);
        const double middle = w.box.y + w.box.height / 2.0 - drift;
        if (middle >= top && middle <= bottom && !under_another_label(page, label, w)) out.push_back(i);
    }
    std::sort(out.begin(), out.end(), [&](size_t a, size_t b) { return page.word(a).box.x < page.word(b).box.x; });
    for (size_t k = 0; k < out.size(); ++k) {
        if (page.is_label_word(out[k])) {
            out.resize(k);
            break;
        }
    }
    return out;
}

// The line a value right of its label wraps onto: the next line of the label's block or, where
// OCR gave it a block of its own, the line that starts right under the label's line at the same
// left edge, as a paragraph's next line does (« Montant prélevé sur votre compte le 5 avril » /
// « 2025 »). `last` is the last word on the label's line. Words of other labels are left out.
inline std::vector<size_t> next_line(const Page& page, const LabelHit& label, size_t last) {
    std::vector<size_t> out;
    const Word& anchor = page.word(last);
    for (size_t i = 0; i < page.size(); ++i) {
        const Word& w = page.word(i);
        if (w.page == anchor.page && w.block_id == anchor.block_id && w.line_id == anchor.line_id + 1 && !page.is_label_word(i)) {
            out.push_back(i);
        }
    }
    if (!out.empty()) return out;
    // Where the label's line starts: its first word, or the first after a column's gap.
    const auto& label_line = page.line(label.first);
    auto at = std::find(label_line.begin(), label_line.end(), label.first);
    while (at != label_line.begin() && !detail::gap_too_wide(page.word(*std::prev(at)), page.word(*at))) --at;
    const int32_t left = at == label_line.end() ? label.box.x : page.word(*at).box.x;
    const int32_t h = std::max<int32_t>(1, label.box.height);
    const int32_t bottom = label.box.y + label.box.height;
    for (size_t i = 0; i < page.size(); ++i) {
        const Word& w = page.word(i);
        if (w.page != label.page || std::abs(w.box.x - left) > h || w.box.y < bottom || w.box.y > bottom + h) continue;
        const auto& line = page.line(i);
        if (line.front() != i && page.word(line.front()).box.x >= left - h) continue;  // not where its line starts
        for (size_t j : line) {
            if (page.word(j).box.x < w.box.x) continue;
            if (page.is_label_word(j) || (!out.empty() && detail::gap_too_wide(page.word(out.back()), page.word(j)))) break;
            out.push_back(j);
        }
        break;
    }
    return out;
}

// The n-th line (1: the first) below the label that overlaps it horizontally, from the first
// word under the label rightwards, up to the next label or column. Large words (a box's big
// amount) may sit further aside.
inline std::vector<size_t> below(const Page& page, const LabelHit& label, int nth = 1) {
    const int32_t h = std::max<int32_t>(1, label.box.height);
    const int32_t left = label.box.x;
    const int32_t right_edge = label.box.x + label.box.width;
    const int32_t label_bottom = label.box.y + label.box.height;
    std::vector<std::pair<int32_t, uint64_t>> tops;  // (top, line) of the lines under the label
    std::map<uint64_t, std::vector<size_t>> by_line;
    for (size_t i = 0; i < page.size(); ++i) {
        const Word& w = page.word(i);
        if (w.page != label.page || w.box.y + w.box.height / 2 < label_bottom) continue;
        if (w.box.y > label_bottom + 12 * h) continue;
        // A large amount in a box may sit aside from its title; large words of text do not.
        const bool large = w.box.height > h * 3 / 2 && detail::has_digit(w.text);
        const int32_t reach = large ? 6 * h : h;
        const bool overlaps = w.box.x < right_edge + reach && w.box.x + w.box.width > left - reach;
        if (!overlaps) continue;
        const uint64_t key = (static_cast<uint64_t>(w.page) << 32) | w.line_id;
        if (!by_line.count(key)) tops.emplace_back(w.box.y, key);
        by_line[key].push_back(i);
    }
    std::sort(tops.begin(), tops.end());
    if (static_cast<int>(tops.size()) < nth) return {};
    const auto& first_words = by_line[tops[static_cast<size_t>(nth - 1)].second];
    const size_t anchor = *std::min_element(first_words.begin(), first_words.end(), [&](size_t a, size_t b) {
        return page.word(a).box.x < page.word(b).box.x;
    });
    // A value that starts left of its label ("VOTRE N° DE COMPTE" over "6172 5227 86": the label
    // found is "N° de compte", the value's first group stands under "VOTRE") starts where the
    // words run together: a word-space from the anchor, not a column's gap.
    size_t start = anchor;
    const auto& line = page.line(anchor);
    for (auto it = std::find(line.begin(), line.end(), anchor); it != line.begin();) {
        const Word& before = page.word(*std::prev(it));
        const Word& after = page.word(*it);
        if (before.box.x >= after.box.x || page.is_label_word(*std::prev(it)) || before.box.x < left - 6 * h) break;
        if (after.box.x - (before.box.x + before.box.width) > std::max(detail::height_of(before), detail::height_of(after))) break;
        start = *--it;
    }
    std::vector<size_t> out;
    for (size_t i : line) {
        const Word& w = page.word(i);
        if (w.box.x < page.word(start).box.x) continue;
        if (page.is_label_word(i)) break;
        if (!out.empty() && detail::gap_too_wide(page.word(out.back()), w) && w.box.x > right_edge + 4 * h) break;
        out.push_back(i);
    }
    return out;
}

}  // namespace spans

}  // namespace comptoir::sdk::extract

#endif  // COMPTOIR_EXTRACT_SPANS_HPP
