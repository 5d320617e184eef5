// comptoir/layout.hpp — header-only helpers every partner plugin needs to read a page: find a
// label among the OCR words (accents, case and OCR noise tolerated, synonyms), read the value
// right of it or below it, parse French amounts, dates and grouped digits, and repair OCR
// confusions in identifiers only where a check then passes.
//
// Pure functions of the words and boxes: a plugin built on them is unit-tested on saved OCR
// results, without Tesseract.
#ifndef COMPTOIR_LAYOUT_HPP
#define COMPTOIR_LAYOUT_HPP

#include "comptoir/plugin.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::sdk::layout {

// Lower case, accents removed (é→e, ç→c, œ→oe…), only letters and digits kept: the form in
// which labels are compared.
inline std::string fold(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
            continue;
        }
        if (c == 0xC3 && i + 1 < text.size()) {  // Latin-1 supplement letters
            const auto d = static_cast<unsigned char>(text[++i]);
            static const char* const folded[64] = {
                "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
                "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "",  "ss",
                "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
                "d", "n", "o", "o", "o", "o", "o", "",  "o", "u", "u", "u", "u", "y", "",  "y"};
            if (d >= 0x80 && d <= 0xBF) out += folded[d - 0x80];
            continue;
        }
        if (c == 0xC5 && i + 1 < text.size()) {  // œ Œ
            const auto d = static_cast<unsigned char>(text[++i]);
            if (d == 0x92 || d == 0x93) out += "oe";
            continue;
        }
        if (c == 0xC2 && i + 1 < text.size()) {  // ° º
            const auto d = static_cast<unsigned char>(text[++i]);
            if (d == 0xB0 || d == 0xBA) out += "o";
        }
        // Other multi-byte characters (punctuation, symbols) are dropped.
    }
    return out;
}

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

// The best place where one of `synonyms` is written, on one line, tolerating about one OCR
// error in five characters. `synonyms` are written as printed ("Référence client").
inline std::optional<LabelMatch> find_label(const std::vector<Word>& words, const std::vector<std::string>& synonyms) {
    std::optional<LabelMatch> best;
    for (const auto& synonym : synonyms) {
        const std::string target = fold(synonym);
        if (target.empty()) continue;
        const size_t tolerated = target.size() / 5;
        for (size_t first = 0; first < words.size(); ++first) {
            if (fold(words[first].text).empty()) continue;
            std::string joined;
            for (size_t last = first; last < words.size(); ++last) {
                if (words[last].page != words[first].page || words[last].line_id != words[first].line_id) break;
                const std::string piece = fold(words[last].text);
                if (piece.empty()) continue;  // a lone ":" or "-" is not part of a label
                joined += piece;
                if (joined.size() > target.size() + tolerated) break;
                if (joined.size() + tolerated < target.size()) continue;
                const size_t errors = distance(joined, target);
                // Fewer errors win; on a tie, the longer label (more of the printed words).
                if (errors <= tolerated &&
                    (!best || errors < best->errors || (errors == best->errors && last - first > best->last - best->first))) {
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
        }
    }
    return best;
}

// The words right of a label on its line, in order (the value of "Montant TTC  87,43 €").
inline std::vector<Word> right_of(const std::vector<Word>& words, const LabelMatch& label) {
    std::vector<Word> out;
    for (size_t i = label.last + 1; i < words.size(); ++i) {
        if (words[i].page != label.page || words[i].line_id != label.line_id) break;
        out.push_back(words[i]);
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
        if (word.page != label.page || word.box.y < label_bottom - label.box.height / 4) continue;
        const bool overlaps = word.box.x < right + label.box.height && word.box.x + word.box.width > left - label.box.height;
        if (!overlaps) continue;
        if (!line || word.box.y < line_top) {
            line = word.line_id;
            line_top = word.box.y;
        }
    }
    std::vector<Word> out;
    if (!line) return out;
    for (const auto& word : words) {
        if (word.page == label.page && word.line_id == *line && word.box.x < right + 4 * label.box.height &&
            word.box.x + word.box.width > left - label.box.height) {
            out.push_back(word);
        }
    }
    return out;
}

inline std::string joined_text(const std::vector<Word>& words) {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : " ") + word.text;
    return out;
}

// "1 479,85 €", "1479.85", "1.479,85", "87,43EUR" -> "1479.85"; nullopt when no amount.
inline std::optional<std::string> parse_amount(std::string_view text) {
    std::string digits;
    std::optional<size_t> decimal_mark;
    bool started = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits.push_back(c);
            started = true;
        } else if (started && (c == ',' || c == '.')) {
            digits.push_back('.');
        } else if (started && (c == ' ' || static_cast<unsigned char>(c) == 0xC2 || static_cast<unsigned char>(c) == 0xA0 ||
                               static_cast<unsigned char>(c) == 0xE2 || static_cast<unsigned char>(c) == 0x80 ||
                               static_cast<unsigned char>(c) == 0xAF)) {
            continue;  // spaces, no-break spaces between thousands
        } else if (started) {
            break;
        }
    }
    while (!digits.empty() && digits.back() == '.') digits.pop_back();
    if (digits.empty()) return std::nullopt;
    // The last mark followed by one or two digits is the decimal one; the others group
    // thousands.
    const size_t last = digits.rfind('.');
    if (last != std::string::npos && digits.size() - last - 1 <= 2) decimal_mark = last;
    std::string whole;
    std::string cents;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (digits[i] == '.') continue;
        if (decimal_mark && i > *decimal_mark) {
            cents.push_back(digits[i]);
        } else {
            whole.push_back(digits[i]);
        }
    }
    while (whole.size() > 1 && whole.front() == '0') whole.erase(0, 1);
    while (cents.size() < 2) cents.push_back('0');
    return whole + "." + cents;
}

// "29/01/2021", "29.01.21", "29 janvier 2021", "1er février 2021" -> "2021-01-29".
inline std::optional<std::string> parse_date(std::string_view text) {
    static const char* const months[] = {"janvier", "fevrier", "mars",      "avril",   "mai",      "juin",
                                         "juillet", "aout",    "septembre", "octobre", "novembre", "decembre"};
    std::vector<std::string> parts;
    std::string current;
    const auto flush = [&] {
        if (!current.empty()) parts.push_back(current);
        current.clear();
    };
    for (char c : text) {
        if (c == '/' || c == '.' || c == '-' || c == ' ') {
            flush();
        } else {
            current.push_back(c);
        }
    }
    flush();
    for (size_t i = 0; i + 2 < parts.size(); ++i) {
        std::string day = fold(parts[i]);
        if (day.size() > 2 && day.substr(day.size() - 2) == "er") day.resize(day.size() - 2);
        if (day.empty() || day.size() > 2 || !std::all_of(day.begin(), day.end(), ::isdigit)) continue;
        int month = 0;
        const std::string month_text = fold(parts[i + 1]);
        if (!month_text.empty() && std::all_of(month_text.begin(), month_text.end(), ::isdigit) && month_text.size() <= 2) {
            month = std::stoi(month_text);
        } else {
            for (int m = 0; m < 12; ++m) {
                if (month_text == months[m] || (month_text.size() >= 4 && distance(month_text, months[m]) <= 1)) month = m + 1;
            }
        }
        const std::string year_text = fold(parts[i + 2]).substr(0, 4);
        if (month < 1 || month > 12 || year_text.empty() || !std::all_of(year_text.begin(), year_text.end(), ::isdigit)) continue;
        int year = std::stoi(year_text);
        if (year_text.size() == 2) year += 2000;
        if (year_text.size() != 2 && year_text.size() != 4) continue;
        const int d = std::stoi(day);
        if (d < 1 || d > 31) continue;
        char out[11];
        std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, d);
        return std::string(out);
    }
    return std::nullopt;
}

// "09 876 543 210 123" -> "09876543210123": digits only, nullopt when there are none.
inline std::optional<std::string> parse_digits(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c))) out.push_back(c);
    }
    return out.empty() ? std::nullopt : std::optional<std::string>(out);
}

// OCR confusions in an identifier that should be digits: O→0, o→0, l→1, I→1, S→5, B→8.
// Returns the repaired value only when `check` passes on it and failed on the raw reading;
// the raw reading stays the field's value, this is a suggestion.
inline std::optional<std::string> repair_digits(const std::string& raw, const std::function<bool(const std::string&)>& check) {
    if (check(raw)) return std::nullopt;
    std::string repaired = raw;
    for (char& c : repaired) {
        switch (c) {
        case 'O': case 'o': case 'D': c = '0'; break;
        case 'l': case 'I': case 'i': case '|': c = '1'; break;
        case 'S': case 's': c = '5'; break;
        case 'B': c = '8'; break;
        case 'Z': case 'z': c = '2'; break;
        default: break;
        }
    }
    if (repaired != raw && check(repaired)) return repaired;
    return std::nullopt;
}

}  // namespace comptoir::sdk::layout

#endif  // COMPTOIR_LAYOUT_HPP
