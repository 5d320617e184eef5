// comptoir/extract/page.hpp — the document's words with their folded text and lines, and the small
// helpers every reader uses.
// Part of comptoir/extract.hpp, which says what the extraction engine does.
#ifndef COMPTOIR_EXTRACT_PAGE_HPP
#define COMPTOIR_EXTRACT_PAGE_HPP

#include "comptoir/extract/spec.hpp"
#include "comptoir/layout.hpp"
#include "comptoir/text/distance.hpp"
#include "comptoir/text/fold.hpp"

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
// The page: the document's words with their folded text, lines and label matches.
// ------------------------------------------------------------------------------------------
class Page {
public:
    explicit Page(const std::vector<Word>& words) : words_(words) {
        folded_.reserve(words.size());
        for (const auto& w : words) folded_.push_back(layout::fold(w.text));
        for (size_t i = 0; i < words.size(); ++i) {
            const uint64_t id = line_key(words[i]);
            auto& line = lines_[id];
            line.push_back(i);
            line_of_.push_back(id);
        }
        for (auto& [id, line] : lines_) {
            std::stable_sort(line.begin(), line.end(), [&](size_t a, size_t b) { return words[a].box.x < words[b].box.x; });
        }
        label_word_.assign(words.size(), false);
        for (const auto& w : words) {
            page_width_[w.page] = std::max(page_width_[w.page], w.box.x + w.box.width);
            page_height_[w.page] = std::max(page_height_[w.page], w.box.y + w.box.height);
        }
    }

    const std::vector<Word>& words() const { return words_; }
    const Word& word(size_t i) const { return words_[i]; }
    const std::string& folded(size_t i) const { return folded_[i]; }
    size_t size() const { return words_.size(); }
    bool is_label_word(size_t i) const { return label_word_[i]; }
    void mark_label_word(size_t i) { label_word_[i] = true; }
    int32_t width(uint32_t page) const { auto it = page_width_.find(page); return it == page_width_.end() ? 0 : it->second; }
    int32_t height(uint32_t page) const { auto it = page_height_.find(page); return it == page_height_.end() ? 0 : it->second; }

    // The slope of the page's text lines (layout::text_slope: dy/dx, 0 when none tells), found
    // once: a row of a skewed scan climbs or falls by it.
    double slope(uint32_t page) const {
        const auto it = slope_.find(page);
        if (it != slope_.end()) return it->second;
        return slope_[page] = layout::text_slope(words_, page);
    }

    // The words of i's line, left to right.
    const std::vector<size_t>& line(size_t i) const { return lines_.at(line_of_[i]); }
    const std::map<uint64_t, std::vector<size_t>>& lines() const { return lines_; }

private:
    static uint64_t line_key(const Word& w) { return (static_cast<uint64_t>(w.page) << 32) | w.line_id; }

    const std::vector<Word>& words_;
    std::vector<std::string> folded_;
    std::map<uint64_t, std::vector<size_t>> lines_;
    std::vector<uint64_t> line_of_;
    std::vector<bool> label_word_;
    std::map<uint32_t, int32_t> page_width_;
    std::map<uint32_t, int32_t> page_height_;
    mutable std::map<uint32_t, double> slope_;
};

namespace detail {

// Digits and distances are comptoir::text's (comptoir/text.hpp), shared with the host.
using ::comptoir::text::all_digits;
using ::comptoir::text::bounded_distance;
using ::comptoir::text::has_digit;
using ::comptoir::text::is_digit;
using ::comptoir::text::tolerated_errors;  // the one rule, shared with the layout helpers

inline int32_t height_of(const Word& w) { return std::max<int32_t>(1, w.box.height); }

// A blank wider than twice the words' height: another column.
inline bool gap_too_wide(const Word& left, const Word& right) {
    return right.box.x - (left.box.x + left.box.width) > 2 * std::max(height_of(left), height_of(right));
}

inline comptoir_box box_of(const Page& page, const std::vector<size_t>& indices) {
    comptoir_box box{};
    bool first = true;
    for (size_t i : indices) {
        box = first ? page.word(i).box : layout::united(box, page.word(i).box);
        first = false;
    }
    return box;
}

inline std::string text_of(const Page& page, const std::vector<size_t>& indices) {
    std::string out;
    for (size_t i : indices) layout::append_word(out, page.word(i).text);
    return out;
}

inline std::vector<Word> words_at(const Page& page, const std::vector<size_t>& indices) {
    std::vector<Word> out;
    out.reserve(indices.size());
    for (size_t i : indices) out.push_back(page.word(i));
    return out;
}

// Maps a layout::Value (read from a copy of some words) back to the indices of those words.
inline std::optional<Reading> from_value(const std::optional<layout::Value>& value, const std::vector<size_t>& span,
                                         const Page& page) {
    if (!value) return std::nullopt;
    Reading reading;
    reading.value = value->value;
    reading.text = value->text;
    size_t from = 0;
    for (const auto& w : value->words) {
        for (size_t k = from; k < span.size(); ++k) {
            const Word& candidate = page.word(span[k]);
            if (candidate.box.x == w.box.x && candidate.box.y == w.box.y && candidate.text == w.text) {
                reading.words.push_back(span[k]);
                from = k + 1;
                break;
            }
        }
    }
    if (reading.words.empty()) return std::nullopt;
    return reading;
}

inline bool is_civility(std::string_view folded) {
    return folded == "m" || folded == "mme" || folded == "mlle" || folded == "madame" || folded == "monsieur" ||
           folded == "mr" || folded == "mmes" || folded == "mm" || folded == "melle" || folded == "mademoiselle";
}

inline bool starts_upper(const std::string& text) {
    if (text.empty()) return false;
    const auto c = static_cast<unsigned char>(text[0]);
    if (c >= 'A' && c <= 'Z') return true;
    // É È Ê À Â Ç Î Ô Ù Û (UTF-8 C3 80–9F)
    return c == 0xC3 && text.size() > 1 && static_cast<unsigned char>(text[1]) >= 0x80 && static_cast<unsigned char>(text[1]) <= 0x9F;
}

inline bool is_postcode(std::string_view text) { return text.size() == 5 && all_digits(text); }

}  // namespace detail

}  // namespace comptoir::sdk::extract

#endif  // COMPTOIR_EXTRACT_PAGE_HPP
