// comptoir/layout/labels.hpp — finding a label among the OCR words (accents, case and OCR
// noise tolerated, synonyms) and the words that stand right of it, below it or in its row.
// Part of comptoir/layout.hpp, which says what the layout helpers are.
#ifndef COMPTOIR_LAYOUT_LABELS_HPP
#define COMPTOIR_LAYOUT_LABELS_HPP

#include "comptoir/plugin.hpp"
#include "comptoir/text/amount.hpp"
#include "comptoir/text/distance.hpp"
#include "comptoir/text/fold.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::sdk::layout {

// Folding and distances are comptoir::text's (comptoir/text.hpp), shared with the host.
using ::comptoir::text::distance;
using ::comptoir::text::edit_distance;
using ::comptoir::text::fold;
using ::comptoir::text::tolerated_errors;

// Where a label was found: its words [first, last] in the word list, and their union box.
struct LabelMatch {
    size_t first = 0;
    size_t last = 0;
    comptoir_box box{};
    uint32_t page = 0;
    uint32_t line_id = 0;
    size_t errors = 0;  // characters OCR got wrong in the label
};

inline comptoir_box united(const comptoir_box& a, const comptoir_box& b) {
    const int32_t left = std::min(a.x, b.x);
    const int32_t top = std::min(a.y, b.y);
    const int32_t right = std::max(a.x + a.width, b.x + b.width);
    const int32_t bottom = std::max(a.y + a.height, b.y + b.height);
    return {left, top, right - left, bottom - top};
}

// Every place where one of `synonyms` is written, each on one line, with at most `max_errors`
// OCR errors; by default as many as the extraction engine allows for the label's length
// (tolerated_errors: none up to 4 letters, one up to 11, two up to 18, then one in seven), so
// that "Montant TTC" is not found on "Montant HT". Best first (fewer errors, then the longer
// label, then the first on the page), never two matches over the same word. `synonyms` are
// written as printed ("Référence client"). Each word is folded once per call; a match must start
// on a word that begins like the label, so that a page of 500 words is searched in microseconds.
inline std::vector<LabelMatch> find_labels(const std::vector<Word>& words, const std::vector<std::string>& synonyms,
                                           std::optional<size_t> max_errors = std::nullopt) {
    std::vector<std::string> folded;
    folded.reserve(words.size());
    for (const auto& word : words) folded.push_back(fold(word.text));
    std::vector<LabelMatch> found;
    for (const auto& synonym : synonyms) {
        const std::string target = fold(synonym);
        if (target.empty()) continue;
        const size_t tolerated = max_errors ? *max_errors : tolerated_errors(target.size());
        for (size_t first = 0; first < words.size(); ++first) {
            const std::string& head = folded[first];
            if (head.empty()) continue;
            // A label starts like its first word: one of the first two letters right (OCR rarely
            // spoils both), then about right over the word's length.
            if (head[0] != target[0] && (head.size() < 2 || target.size() < 2 || head[1] != target[1])) continue;
            const size_t n = std::min(head.size(), target.size());
            if (distance(std::string_view(head).substr(0, n), std::string_view(target).substr(0, n)) > std::max<size_t>(1, n / 4)) {
                continue;
            }
            std::optional<LabelMatch> best;
            std::string joined;
            size_t previous = first;
            for (size_t last = first; last < words.size(); ++last) {
                if (words[last].page != words[first].page || words[last].line_id != words[first].line_id) break;
                if (folded[last].empty()) continue;  // a lone ":" or "-" is not part of a label
                // A label does not span columns: "Montant dû | Trop-perçu", two table headers,
                // is not "Montant du trop-perçu".
                if (last > first && words[last].box.x - (words[previous].box.x + words[previous].box.width) >
                                        2 * std::max(words[previous].box.height, words[last].box.height)) {
                    break;
                }
                previous = last;
                joined += folded[last];
                if (joined.size() > target.size() + tolerated) break;
                if (joined.size() + tolerated < target.size()) continue;
                const size_t errors = distance(joined, target);
                if (errors <= tolerated && (!best || errors < best->errors || (errors == best->errors && last > best->last))) {
                    LabelMatch match;
                    match.first = first;
                    match.last = last;
                    match.page = words[first].page;
                    match.line_id = words[first].line_id;
                    match.errors = errors;
                    match.box = words[first].box;
                    for (size_t k = first + 1; k <= last; ++k) match.box = united(match.box, words[k].box);
                    best = match;
                }
            }
            if (best) found.push_back(*best);
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const LabelMatch& a, const LabelMatch& b) {
        if (a.errors != b.errors) return a.errors < b.errors;
        if (a.last - a.first != b.last - b.first) return a.last - a.first > b.last - b.first;
        return a.first < b.first;
    });
    std::vector<LabelMatch> kept;
    for (const auto& match : found) {
        const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const LabelMatch& other) {
            return match.first <= other.last && other.first <= match.last;
        });
        if (!overlaps) kept.push_back(match);
    }
    return kept;
}

// The best place where one of `synonyms` is written (see find_labels).
inline std::optional<LabelMatch> find_label(const std::vector<Word>& words, const std::vector<std::string>& synonyms,
                                            std::optional<size_t> max_errors = std::nullopt) {
    auto all = find_labels(words, synonyms, max_errors);
    if (all.empty()) return std::nullopt;
    return all.front();
}

namespace detail {
using ::comptoir::text::has_digit;
using ::comptoir::text::has_letter;
using ::comptoir::text::is_currency;

// The blank between two words of a line, in pixels (a space is about a third of a word's
// height; a gap wider than the height is another column).
inline int32_t gap(const Word& left, const Word& right) { return right.box.x - (left.box.x + left.box.width); }

// The usual height of a page's words (the median), 0 when it has none.
inline int32_t typical_height(const std::vector<Word>& words, uint32_t page) {
    std::vector<int32_t> heights;
    for (const auto& word : words) {
        if (word.page == page && word.box.height > 0) heights.push_back(word.box.height);
    }
    if (heights.empty()) return 0;
    std::nth_element(heights.begin(), heights.begin() + static_cast<long>(heights.size() / 2), heights.end());
    return heights[heights.size() / 2];
}
}  // namespace detail

// Debris: what OCR read in a table's border or a rule rather than text — a word of low
// confidence (under 0.5), of two letters or digits at most or mostly strokes ("|", "[l",
// "______"), far taller than the page's words (2.5 times their usual height, `typical`:
// detail::typical_height) or far wider than a word (20 times). below(), right_of(), row_of()
// and their kin pass over it. A long garbled word is not debris: it may be a blurred value,
// which its low confidence flags.
inline bool is_debris(const Word& word, int32_t typical) {
    if (typical <= 0 || word.confidence >= 0.5f) return false;
    const size_t letters = fold(word.text).size();
    if (letters > 2 && letters * 2 >= word.text.size()) return false;
    return word.box.height * 2 > typical * 5 || word.box.width > typical * 20;
}

// The slope of a page's text lines (dy/dx: positive when a line goes down to the right), from
// the words themselves: each line of three words or more, wide enough, gives the slope of its
// words' middles (least squares); the median of those is the page's. 0 when no line tells, or
// when the lines disagree beyond 10°. A scan skewed by 1.78° has a slope of about 0.031.
inline double text_slope(const std::vector<Word>& words, uint32_t page) {
    const int32_t typical = detail::typical_height(words, page);
    std::map<uint32_t, std::vector<const Word*>> lines;
    for (const auto& word : words) {
        if (word.page == page && !is_debris(word, typical)) lines[word.line_id].push_back(&word);
    }
    std::vector<double> slopes;
    for (const auto& [id, line] : lines) {
        if (line.size() < 3) continue;
        double mean_x = 0.0;
        double mean_y = 0.0;
        double low = line.front()->box.x;
        double high = low;
        for (const Word* w : line) {
            mean_x += w->box.x + w->box.width / 2.0;
            mean_y += w->box.y + w->box.height / 2.0;
            low = std::min<double>(low, w->box.x);
            high = std::max<double>(high, w->box.x + w->box.width);
        }
        if (high - low < 6.0 * typical) continue;  // too short to tell a slope from a letter's height
        mean_x /= static_cast<double>(line.size());
        mean_y /= static_cast<double>(line.size());
        double sxy = 0.0;
        double sxx = 0.0;
        for (const Word* w : line) {
            const double dx = w->box.x + w->box.width / 2.0 - mean_x;
            sxy += dx * (w->box.y + w->box.height / 2.0 - mean_y);
            sxx += dx * dx;
        }
        if (sxx > 0.0) slopes.push_back(sxy / sxx);
    }
    if (slopes.empty()) return 0.0;
    std::nth_element(slopes.begin(), slopes.begin() + static_cast<long>(slopes.size() / 2), slopes.end());
    const double median = slopes[slopes.size() / 2];
    return std::abs(median) > 0.176 ? 0.0 : median;  // tan(10°)
}

// The words right of a label on its line, in order (the value of "Montant TTC  87,43 €").
inline std::vector<Word> right_of(const std::vector<Word>& words, const LabelMatch& label) {
    std::vector<Word> out;
    const int32_t typical = detail::typical_height(words, label.page);
    for (size_t i = label.last + 1; i < words.size(); ++i) {
        if (words[i].page != label.page || words[i].line_id != label.line_id) break;
        if (!is_debris(words[i], typical)) out.push_back(words[i]);
    }
    return out;
}

// The words right of a label, and those of the next line of its block when the value goes on
// there ("période du 1er septembre 2022 au" / "31 octobre 2022").
inline std::vector<Word> right_of_wrapped(const std::vector<Word>& words, const LabelMatch& label) {
    std::vector<Word> out = right_of(words, label);
    if (label.last >= words.size()) return out;
    const Word& anchor = out.empty() ? words[label.last] : out.back();
    for (const auto& word : words) {
        if (word.page == anchor.page && word.block_id == anchor.block_id && word.line_id == anchor.line_id + 1) {
            out.push_back(word);
        }
    }
    return out;
}

// The words of the first line below a label that overlaps it horizontally (a value printed
// under its label, or in the table cell below a column header); debris (is_debris) ignored.
inline std::vector<Word> below(const std::vector<Word>& words, const LabelMatch& label) {
    const int32_t typical = detail::typical_height(words, label.page);
    const int32_t left = label.box.x;
    const int32_t right = label.box.x + label.box.width;
    const int32_t label_bottom = label.box.y + label.box.height;
    std::optional<uint32_t> line;
    int32_t line_top = 0;
    for (const auto& word : words) {
        // Below: the word's middle under the label's foot (a large amount under a small label
        // may start higher than the label ends).
        if (word.page != label.page || word.box.y + word.box.height / 2 < label_bottom || is_debris(word, typical)) continue;
        const bool overlaps = word.box.x < right + label.box.height && word.box.x + word.box.width > left - label.box.height;
        if (!overlaps) continue;
        if (!line || word.box.y < line_top) {
            line = word.line_id;
            line_top = word.box.y;
        }
    }
    std::vector<Word> out;
    if (!line) return out;
    // From the first word under the label, rightwards: words that start within a few heights of
    // the label's right edge, and the words that follow them closely (a long number under a
    // short label), but not the next column.
    for (const auto& word : words) {
        if (word.page != label.page || word.line_id != *line || word.box.x + word.box.width <= left - label.box.height ||
            is_debris(word, typical)) {
            continue;
        }
        const bool near_label = word.box.x < right + 4 * label.box.height;
        const bool follows = !out.empty() && detail::gap(out.back(), word) <= word.box.height * 3 / 2;
        if (out.empty() ? near_label : (near_label || follows)) {
            out.push_back(word);
        } else if (!out.empty()) {
            break;
        }
    }
    return out;
}

// The words right of a label in its row, whatever line or block OCR gave them (the amount in
// the last column of a table, read as a block of its own), nearest first. The row follows the
// page's slope (text_slope, or `slope` when given: dy/dx, the tangent of the lines' angle), so
// that on a skewed scan a total far right of its label is still in its row; debris ignored.
inline std::vector<Word> row_of(const std::vector<Word>& words, const LabelMatch& label,
                                std::optional<double> slope = std::nullopt) {
    const double tilt = slope ? *slope : text_slope(words, label.page);
    const int32_t typical = detail::typical_height(words, label.page);
    const double top = label.box.y;
    const double bottom = label.box.y + label.box.height;
    const double centre = label.box.x + label.box.width / 2.0;
    const int32_t right = label.box.x + label.box.width;
    std::vector<Word> out;
    for (const auto& word : words) {
        if (word.page != label.page || word.box.x < right || is_debris(word, typical)) continue;
        // The word's middle, brought back to the label's place along the line's slope.
        const double middle = word.box.y + word.box.height / 2.0 - tilt * (word.box.x + word.box.width / 2.0 - centre);
        if (middle >= top && middle <= bottom) out.push_back(word);
    }
    std::sort(out.begin(), out.end(), [](const Word& a, const Word& b) { return a.box.x < b.box.x; });
    return out;
}

// The rest of a label's line, or when nothing follows the label, the line below it: a name,
// an address, a free text.
inline std::vector<Word> text_after(const std::vector<Word>& words, const LabelMatch& label) {
    auto right = right_of(words, label);
    while (!right.empty() && fold(right.front().text).empty()) right.erase(right.begin());  // ":" "–"
    if (!right.empty()) return right;
    return below(words, label);
}

// A recognition score: the sum of the weights of the keywords found on the page (each
// keyword a list of synonyms, found as find_label finds labels, with the same `max_errors`), at
// most 1.
struct Keyword {
    std::vector<std::string> synonyms;
    float weight = 0.0f;
};

inline float keyword_score(const std::vector<Word>& words, const std::vector<Keyword>& keywords,
                           std::optional<size_t> max_errors = std::nullopt) {
    float score = 0.0f;
    for (const auto& keyword : keywords) {
        if (find_label(words, keyword.synonyms, max_errors)) score += keyword.weight;
    }
    return std::min(score, 1.0f);
}

}  // namespace comptoir::sdk::layout

#endif  // COMPTOIR_LAYOUT_LABELS_HPP
