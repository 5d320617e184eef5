// comptoir/layout/address.hpp — a sender's postal address printed as a block: an office's name,
// its street or sorting lines (TSA, CS, BP, "Libre réponse"), its postcode and town (Cedex
// included), the lines the letters are sent to. Only a whole address is read: no postcode and
// town, no address.
// Part of comptoir/layout.hpp, which says what the layout helpers are.
#ifndef COMPTOIR_LAYOUT_ADDRESS_HPP
#define COMPTOIR_LAYOUT_ADDRESS_HPP

#include "comptoir/layout/labels.hpp"
#include "comptoir/layout/values.hpp"
#include "comptoir/text/fold.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace comptoir::sdk::layout {

namespace detail {

inline bool is_dash(const std::string& text) { return text == "-" || text == "\xe2\x80\x93" || text == "\xe2\x80\x94"; }

// A word that is no town: a web or mail address, a dash between parts of a line.
inline bool ends_town(const std::string& text) {
    const std::string folded = fold(text);
    return is_dash(text) || text.find('@') != std::string::npos || text.find(".fr") != std::string::npos ||
           text.find(".gouv") != std::string::npos || folded.rfind("www", 0) == 0 || folded == "tel" || folded == "telephone";
}

// A word without the dashes OCR glues to it ("21941–", "–62978").
inline std::string undashed(std::string text) {
    for (const char* dash : {"\xe2\x80\x93", "\xe2\x80\x94", "-"}) {
        const std::string d = dash;
        while (text.size() > d.size() && text.compare(text.size() - d.size(), d.size(), d) == 0) text.resize(text.size() - d.size());
        while (text.size() > d.size() && text.compare(0, d.size(), d) == 0) text.erase(0, d.size());
    }
    return text;
}

inline int32_t word_height(const Word& w) { return std::max<int32_t>(1, w.box.height); }

}  // namespace detail

// A line's postcode and town: the index of its postcode — five digits that are not a sorting
// or reply number ("TSA 21941", "CS 70001", "BP 12345", "Libre réponse 41234") — followed by a
// word with a letter; and the index just past the town (its words up to a dash, a web address
// or a column gap: "94000 Créteil – caf.fr" gives "94000 Créteil"). nullopt without one.
struct PostcodeTown {
    size_t postcode = 0;
    size_t end = 0;
};

inline std::optional<PostcodeTown> postcode_town(const std::vector<Word>& line) {
    for (size_t i = 0; i + 1 < line.size(); ++i) {
        const std::string digits = detail::undashed(line[i].text);
        if (digits.size() != 5 || !::comptoir::text::all_digits(digits)) continue;
        const std::string before = i > 0 ? fold(line[i - 1].text) : "";
        if (before == "tsa" || before == "cs" || before == "bp" || before == "reponse" || before == "cedex") continue;
        size_t end = i + 1;
        while (end < line.size() && !detail::ends_town(line[end].text) &&
               detail::gap(line[end - 1], line[end]) <= 2 * detail::word_height(line[end])) {
            ++end;
        }
        if (end == i + 1 || !::comptoir::text::has_letter(line[i + 1].text)) continue;
        return PostcodeTown{i, end};
    }
    return std::nullopt;
}

// The lines of a postal block under its first line (`first`: its words, an office's name): each
// next line of the page just under the one before (within twice its height), between the
// block's left edge — where `first`'s line starts, a label before the name included, a box's
// border read as "|" not crossed — and the
// first line's right end, read from the left edge up to a column gap; up to
// `max_lines` lines in all, until one holds a postcode and its town; that line is cut after the
// town. The lines are returned, `first` the first of them; none when no postcode and town
// came (never half an address), nor when a line before them is a web address, a phone number
// or a label (a colon).
inline std::vector<std::vector<Word>> postal_block(const std::vector<Word>& words, const std::vector<Word>& first, size_t max_lines = 5) {
    std::vector<std::vector<Word>> lines;
    if (first.empty()) return lines;
    // The block's left edge: the start of first's line, up to a column gap on its left.
    const Word& head = first.front();
    int32_t left = head.box.x;
    {
        std::vector<Word> line;
        for (const auto& w : words) {
            if (w.page == head.page && w.line_id == head.line_id) line.push_back(w);
        }
        std::sort(line.begin(), line.end(), [](const Word& a, const Word& b) { return a.box.x < b.box.x; });
        for (size_t k = line.size(); k-- > 0;) {
            if (line[k].box.x >= head.box.x) continue;
            const Word& next = line[k + 1 < line.size() ? k + 1 : k];
            if (detail::gap(line[k], next) > 2 * detail::word_height(head)) break;
            left = line[k].box.x;
            // A box's border read as "|" or "[": the block ends there (a label's colon does not).
            if (fold(line[k].text).empty() && line[k].text.find(':') == std::string::npos) break;
        }
    }
    int32_t right = 0;
    for (const auto& w : first) right = std::max(right, w.box.x + w.box.width);
    lines.push_back(first);
    std::vector<uint32_t> taken;  // the lines already read
    for (const auto& w : first) taken.push_back(w.line_id);
    while (lines.size() < max_lines) {
        // The line before: the last one read (of a name on two lines, its second).
        std::vector<Word> previous;
        for (const auto& w : lines.back()) {
            if (w.line_id == lines.back().back().line_id) previous.push_back(w);
        }
        // The line's foot and height: its words' median, not one box OCR drew too tall.
        std::vector<int32_t> bottoms;
        std::vector<int32_t> heights;
        for (const auto& w : previous) {
            bottoms.push_back(w.box.y + w.box.height);
            heights.push_back(detail::word_height(w));
        }
        std::sort(bottoms.begin(), bottoms.end());
        std::sort(heights.begin(), heights.end());
        const int32_t bottom = bottoms[(bottoms.size() - 1) / 2];
        const int32_t height = heights[(heights.size() - 1) / 2];
        // The next line: the highest word under it, from the block's left edge to the first line's
        // right end (OCR may lose a line's first word, "116" of "116 place Anatole France"), and
        // its line's words from the left edge, up to a column gap.
        const Word* start = nullptr;
        for (const auto& w : words) {
            if (w.page != head.page || w.box.y + w.box.height / 2 <= bottom || w.box.y > bottom + 2 * height) continue;
            if (std::find(taken.begin(), taken.end(), w.line_id) != taken.end()) continue;
            if (w.box.x < left - 2 * detail::word_height(w) || w.box.x > std::max(right, left + 4 * height)) continue;
            if (!start || w.box.y < start->box.y || (w.box.y == start->box.y && w.box.x < start->box.x)) start = &w;
        }
        if (!start) return {};
        std::vector<Word> line;
        for (const auto& w : words) {
            if (w.page == start->page && w.line_id == start->line_id && w.box.x >= left - 2 * detail::word_height(w)) line.push_back(w);
        }
        std::sort(line.begin(), line.end(), [](const Word& a, const Word& b) { return a.box.x < b.box.x; });
        for (size_t k = 1; k < line.size(); ++k) {
            if (detail::gap(line[k - 1], line[k]) > 2 * detail::word_height(line[k])) {
                line.resize(k);  // the next column
                break;
            }
        }
        taken.push_back(start->line_id);
        if (auto town = postcode_town(line)) {
            line.resize(town->end);
            lines.push_back(line);
            return lines;
        }
        for (const auto& w : line) {
            // "impots.gouv.fr – 0 809 …", "N° allocataire : …": no line of an address.
            if ((detail::ends_town(w.text) && !detail::is_dash(w.text)) || w.text.find(':') != std::string::npos) return {};
        }
        lines.push_back(line);
    }
    return {};
}

// An address in the one-line form of address fields (the SDK guide, "How a value is
// written"): its lines joined with ", ", each line's words with a space, dashes between parts
// of a line dropped.
inline std::string address_of(const std::vector<std::vector<Word>>& lines) {
    std::string out;
    for (const auto& line : lines) {
        std::string text;
        for (const auto& w : line) {
            if (detail::is_dash(w.text)) continue;
            append_word(text, w.text);
        }
        while (!text.empty() && (text.back() == ',' || text.back() == ' ')) text.pop_back();
        if (!text.empty()) out += (out.empty() ? "" : ", ") + text;
    }
    return out;
}

// The words of an address's lines, in order (a field's box and text).
inline std::vector<Word> words_of(const std::vector<std::vector<Word>>& lines) {
    std::vector<Word> out;
    for (const auto& line : lines) out.insert(out.end(), line.begin(), line.end());
    return out;
}

}  // namespace comptoir::sdk::layout

#endif  // COMPTOIR_LAYOUT_ADDRESS_HPP
