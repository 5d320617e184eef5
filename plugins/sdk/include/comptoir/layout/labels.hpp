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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::sdk::layout {

// Folding and distances are comptoir::text's (comptoir/text.hpp), shared with the host.
using ::comptoir::text::distance;
using ::comptoir::text::edit_distance;
using ::comptoir::text::fold;

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

// Every place where one of `synonyms` is written, each on one line, tolerating about one OCR
// error in five characters; best first (fewer errors, then the longer label, then the first on
// the page), never two matches over the same word. `synonyms` are written as printed
// ("Référence client"). Each word is folded once per call; a match must start on a word that
// begins like the label, so that a page of 500 words is searched for a label in microseconds.
inline std::vector<LabelMatch> find_labels(const std::vector<Word>& words, const std::vector<std::string>& synonyms) {
    std::vector<std::string> folded;
    folded.reserve(words.size());
    for (const auto& word : words) folded.push_back(fold(word.text));
    std::vector<LabelMatch> found;
    for (const auto& synonym : synonyms) {
        const std::string target = fold(synonym);
        if (target.empty()) continue;
        const size_t tolerated = target.size() / 5;
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
inline std::optional<LabelMatch> find_label(const std::vector<Word>& words, const std::vector<std::string>& synonyms) {
    auto all = find_labels(words, synonyms);
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
}  // namespace detail

// The words right of a label on its line, in order (the value of "Montant TTC  87,43 €").
inline std::vector<Word> right_of(const std::vector<Word>& words, const LabelMatch& label) {
    std::vector<Word> out;
    for (size_t i = label.last + 1; i < words.size(); ++i) {
        if (words[i].page != label.page || words[i].line_id != label.line_id) break;
        out.push_back(words[i]);
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
// under its label, or in the table cell below a column header).
inline std::vector<Word> below(const std::vector<Word>& words, const LabelMatch& label) {
    const int32_t left = label.box.x;
    const int32_t right = label.box.x + label.box.width;
    const int32_t label_bottom = label.box.y + label.box.height;
    std::optional<uint32_t> line;
    int32_t line_top = 0;
    for (const auto& word : words) {
        // Below: the word's middle under the label's foot (a large amount under a small label
        // may start higher than the label ends).
        if (word.page != label.page || word.box.y + word.box.height / 2 < label_bottom) continue;
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
        if (word.page != label.page || word.line_id != *line || word.box.x + word.box.width <= left - label.box.height) continue;
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
// the last column of a table, read as a block of its own), nearest first.
inline std::vector<Word> row_of(const std::vector<Word>& words, const LabelMatch& label) {
    const int32_t top = label.box.y;
    const int32_t bottom = label.box.y + label.box.height;
    const int32_t right = label.box.x + label.box.width;
    std::vector<Word> out;
    for (const auto& word : words) {
        const int32_t middle = word.box.y + word.box.height / 2;
        if (word.page == label.page && middle >= top && middle <= bottom && word.box.x >= right) out.push_back(word);
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
// keyword a list of synonyms, found as find_label finds labels), at most 1.
struct Keyword {
    std::vector<std::string> synonyms;
    float weight = 0.0f;
};

inline float keyword_score(const std::vector<Word>& words, const std::vector<Keyword>& keywords) {
    float score = 0.0f;
    for (const auto& keyword : keywords) {
        if (find_label(words, keyword.synonyms)) score += keyword.weight;
    }
    return std::min(score, 1.0f);
}

}  // namespace comptoir::sdk::layout

#endif  // COMPTOIR_LAYOUT_LABELS_HPP
