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
#include <utility>
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
inline bool has_digit(const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}
// The blank between two words of a line, in pixels (a space is about a third of a word's
// height; a gap wider than the height is another column).
inline int32_t gap(const Word& left, const Word& right) { return right.box.x - (left.box.x + left.box.width); }
inline bool has_letter(const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}
inline bool is_currency(const std::string& text) {
    return fold(text) == "eur" || text.find("\xe2\x82\xac") != std::string::npos;  // EUR, €
}
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
    // OCR reads the slashes of a bold "24/07/2021" as ones or sevens: "2410712021". Ten
    // characters, digits but for the third and sixth, in a century this side of 1990: a date.
    std::string repaired;
    if (text.size() == 10) {
        const auto slash_like = [](char c) { return c == '1' || c == '7' || c == 'l' || c == 'I' || c == '|' || c == '!'; };
        bool digits = true;
        for (size_t i : {0, 1, 3, 4, 6, 7, 8, 9}) digits = digits && std::isdigit(static_cast<unsigned char>(text[i]));
        const bool century = text.substr(6, 2) == "19" || text.substr(6, 2) == "20";
        if (digits && century && slash_like(text[2]) && slash_like(text[5]) && !(text.substr(6, 2) == "19" && text[8] < '9')) {
            repaired = std::string(text.substr(0, 2)) + "/" + std::string(text.substr(3, 2)) + "/" + std::string(text.substr(6));
            text = repaired;
        }
    }
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
        if (day == "l" || day == "i") day = "1";  // "1er" read "ler" or "Ier"
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

// A value read from some words: normalised, as printed, and the words it came from.
struct Value {
    std::string value;
    std::string text;
    std::vector<Word> words;
    float confidence = 0.0f;  // the lowest of its words'
    comptoir_box box{};
};

inline Value value_of(std::string value, std::vector<Word> span) {
    Value out;
    out.value = std::move(value);
    out.text = joined_text(span);
    out.confidence = span.empty() ? 0.0f : span.front().confidence;
    if (!span.empty()) out.box = span.front().box;
    for (const auto& word : span) {
        out.confidence = std::min(out.confidence, word.confidence);
        out.box = united(out.box, word.box);
    }
    out.words = std::move(span);
    return out;
}

// Reads a value from the start of some words (what lies right of or below a label).
using ValueParser = std::function<std::optional<Value>(const std::vector<Word>&)>;


// An amount among the first words: "1 479,85 €" over three words, "160,10€", "87.43 EUR".
// With `cents` (the default) the amount must show its decimals, so that a date, a count of
// kWh or a reference is not taken for it; without, whole euros count too ("23 456 €").
inline ValueParser amount(bool cents = true) {
    return [cents](const std::vector<Word>& span) -> std::optional<Value> {
        for (size_t first = 0; first < span.size() && first < 8; ++first) {
            if (!detail::has_digit(span[first].text)) continue;
            std::vector<Word> taken;
            std::string joined;
            for (size_t i = first; i < span.size() && i < first + 5; ++i) {
                const std::string& t = span[i].text;
                const bool currency = detail::is_currency(t);
                if (!detail::has_digit(t) && !currency) break;
                if (detail::has_letter(t) && !currency && fold(t).find("eur") == std::string::npos) break;
                if (t.find('/') != std::string::npos) break;  // a date
                if (!taken.empty() && detail::gap(taken.back(), span[i]) > span[i].box.height) break;  // another column
                taken.push_back(span[i]);
                joined += t + " ";
                if (currency || t.find(',') != std::string::npos || t.find('.') != std::string::npos) {
                    // the decimals have come: "479,85" ends the amount (a currency may follow)
                    if (!currency && i + 1 < span.size() && detail::is_currency(span[i + 1].text)) taken.push_back(span[i + 1]);
                    break;
                }
            }
            const auto parsed = parse_amount(joined);
            if (!parsed) continue;
            if (cents) {
                const size_t mark = joined.find_last_of(",.");
                size_t decimals = 0;
                for (size_t k = mark == std::string::npos ? joined.size() : mark + 1;
                     k < joined.size() && std::isdigit(static_cast<unsigned char>(joined[k])); ++k) {
                    ++decimals;
                }
                if (decimals != 2) continue;
            }
            return value_of(*parsed, taken);
        }
        return std::nullopt;
    };
}

// A date among the first words: "29/01/2021" in one word, "1er février 2021" over three.
inline ValueParser date() {
    return [](const std::vector<Word>& span) -> std::optional<Value> {
        for (size_t first = 0; first < span.size() && first < 8; ++first) {
            // A date comes first, or after a short word ("du", "le :"): another wording
            // before it ("à payer avant le") is another field's, in the next column.
            if (first > 0 && detail::has_letter(span[first - 1].text)) {
                const std::string before = fold(span[first - 1].text);
                static const char* const connectors[] = {"du", "le", "au", "a", "des", "depuis", "en", "date"};
                bool connector = false;
                for (const char* c : connectors) connector = connector || before == c || before == std::string(c) + ":";
                if (!connector) break;
            }
            for (size_t count : {size_t{1}, size_t{3}}) {
                if (first + count > span.size()) continue;
                std::vector<Word> taken(span.begin() + static_cast<long>(first), span.begin() + static_cast<long>(first + count));
                const std::string head = fold(taken.front().text);
                if (!detail::has_digit(taken.front().text) && head != "ler" && head != "ier") continue;
                if (auto parsed = parse_date(joined_text(taken))) return value_of(*parsed, taken);
            }
        }
        return std::nullopt;
    };
}

// "du 12/04/2024 au 13/05/2024", "du 1er septembre 2019 au 31 décembre 2019": two dates, as
// "2024-04-12|2024-05-13" (split at '|'), with the words of both.
inline ValueParser period() {
    return [](const std::vector<Word>& span) -> std::optional<Value> {
        const auto first = date()(span);
        if (!first) return std::nullopt;
        size_t after = 0;
        for (size_t i = 0; i < span.size(); ++i) {
            if (span[i].box.x == first->words.back().box.x && span[i].text == first->words.back().text) after = i + 1;
        }
        const std::vector<Word> rest(span.begin() + static_cast<long>(after), span.end());
        const auto second = date()(rest);
        if (!second) return std::nullopt;
        std::vector<Word> both = first->words;
        both.insert(both.end(), second->words.begin(), second->words.end());
        return value_of(first->value + "|" + second->value, both);
    };
}

// An identifier of `min_length` to `max_length` digits among the first words, grouped or not
// ("09 876 543 210 123"). Words where OCR read a digit as a letter (O, l, S, B…) still count
// when they are mostly digits: the value keeps the reading as it is (check_digits then flags
// it and suggests the repair).
inline ValueParser digits(size_t min_length, size_t max_length) {
    return [min_length, max_length](const std::vector<Word>& span) -> std::optional<Value> {
        const auto digit_like = [](const std::string& t) {
            size_t digit_count = 0;
            for (char c : t) {
                if (std::isdigit(static_cast<unsigned char>(c))) {
                    ++digit_count;
                } else if (std::string_view("OoDlIi|SsBZz").find(c) == std::string_view::npos) {
                    return false;
                }
            }
            return digit_count * 2 >= t.size();
        };
        for (size_t first = 0; first < span.size() && first < 8; ++first) {
            std::string value;
            std::vector<Word> taken;
            for (size_t i = first; i < span.size() && value.size() < max_length; ++i) {
                std::string t = span[i].text;
                while (!t.empty() && std::string_view(":.,;()").find(t.back()) != std::string_view::npos) t.pop_back();
                while (!t.empty() && std::string_view(":(").find(t.front()) != std::string_view::npos) t.erase(0, 1);
                if (t.empty() || !digit_like(t)) break;
                if (!taken.empty() && detail::gap(taken.back(), span[i]) > span[i].box.height) break;  // another column
                value += t;
                taken.push_back(span[i]);
            }
            if (value.size() < min_length || value.size() > max_length) continue;
            return value_of(value, taken);
        }
        return std::nullopt;
    };
}

// A label and the value it announces.
struct LabelledValue {
    LabelMatch label;
    Value value;
};

// The value of the first label of `synonyms` that has one, best label first: right of it on
// its line, else on the line below it (a value under its label, a table cell under its header),
// else further right in its row (a table's last column that OCR read as a block of its own).
inline std::optional<LabelledValue> labelled_value(const std::vector<Word>& words, const std::vector<std::string>& synonyms,
                                                  const ValueParser& parse) {
    for (const auto& label : find_labels(words, synonyms)) {
        if (auto value = parse(right_of(words, label))) return LabelledValue{label, *value};
        if (auto value = parse(below(words, label))) return LabelledValue{label, *value};
        if (auto value = parse(row_of(words, label))) return LabelledValue{label, *value};
    }
    return std::nullopt;
}

// Every value the labels of `synonyms` announce, in labelled_value's order, one per label: a
// total printed twice (in a frame and at the foot of the table) gives two readings, and a
// check (HT + TVA = TTC) can choose between them.
inline std::vector<LabelledValue> labelled_values(const std::vector<Word>& words, const std::vector<std::string>& synonyms,
                                                  const ValueParser& parse) {
    std::vector<LabelledValue> out;
    for (const auto& label : find_labels(words, synonyms)) {
        if (auto value = parse(right_of(words, label))) {
            out.push_back(LabelledValue{label, *value});
        } else if (auto under = parse(below(words, label))) {
            out.push_back(LabelledValue{label, *under});
        } else if (auto row = parse(row_of(words, label))) {
            out.push_back(LabelledValue{label, *row});
        }
    }
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

// A field ready for Document::add_field, from a value read on the page.
inline Field field_from(const std::string& key, const Value& value, comptoir_check check = COMPTOIR_CHECK_UNCHECKED) {
    Field field;
    field.key = key;
    field.value = value.value;
    field.text = value.text;
    field.confidence = value.confidence;
    field.page = value.words.empty() ? 0 : value.words.front().page;
    field.box = value.box;
    field.check = check;
    return field;
}

// The two fields of a period() value ("2024-04-12|2024-05-13"): its start and its end, each
// with the period's words and box.
inline std::pair<Field, Field> period_fields(const Value& period, const std::string& start_key, const std::string& end_key) {
    const auto bar = period.value.find('|');
    std::pair<Field, Field> out{field_from(start_key, period), field_from(end_key, period)};
    out.first.value = period.value.substr(0, bar);
    out.second.value = bar == std::string::npos ? std::string() : period.value.substr(bar + 1);
    return out;
}

// An identifier made of `min_length` to `max_length` digits: the check passes or fails; when
// it fails and only OCR confusions (O/0, l/1, S/5, B/8) stand between the reading and a value
// that passes, that value is the suggestion. The reading itself is never changed.
inline void check_digits(Field& field, size_t min_length, size_t max_length,
                         const std::function<bool(const std::string&)>& extra = nullptr) {
    const auto passes = [&](const std::string& v) {
        return v.size() >= min_length && v.size() <= max_length &&
               std::all_of(v.begin(), v.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
               (!extra || extra(v));
    };
    if (passes(field.value)) {
        field.check = COMPTOIR_CHECK_OK;
        return;
    }
    field.check = COMPTOIR_CHECK_FAILED;
    if (auto repaired = repair_digits(field.value, passes)) field.suggestion = *repaired;
}

// Dates in the order they must come (ISO strings compare as dates): every field present gets
// ok when each is before the next present one, failed otherwise.
inline void check_date_order(std::vector<Field*> in_order) {
    std::vector<Field*> present;
    for (auto* field : in_order) {
        if (field && !field->value.empty()) present.push_back(field);
    }
    if (present.size() < 2) return;
    bool ordered = true;
    for (size_t i = 1; i < present.size(); ++i) ordered = ordered && present[i - 1]->value < present[i]->value;
    for (auto* field : present) {
        if (field->check != COMPTOIR_CHECK_FAILED) field->check = ordered ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
    }
}

// Amounts in cents, for sums ("1479.85" -> 147985).
inline long long cents_of(const std::string& amount) {
    const size_t dot = amount.find('.');
    if (dot == std::string::npos) return std::stoll(amount) * 100;
    return std::stoll(amount.substr(0, dot)) * 100 + std::stoll(amount.substr(dot + 1));
}

// Free text among the words: from the first word that is not punctuation, up to a gap wider
// than twice the words' height (the next column). A name, an address line, a centre's name.
inline ValueParser text() {
    return [](const std::vector<Word>& span) -> std::optional<Value> {
        std::vector<Word> taken;
        for (const auto& word : span) {
            if (taken.empty() && fold(word.text).empty()) continue;  // a leading ":" or "–"
            // A dash is read as a flat box: the words' height, not its own, measures the blank.
            if (!taken.empty() && detail::gap(taken.back(), word) > 2 * std::max(word.box.height, taken.back().box.height)) break;
            taken.push_back(word);
        }
        if (taken.empty()) return std::nullopt;
        return value_of(joined_text(taken), taken);
    };
}

// The field a label announces (labelled_value), ready for add_field; a label read with OCR
// errors lowers the value's confidence by a tenth per error.
inline std::optional<Field> labelled_field(const std::vector<Word>& words, const std::string& key,
                                           const std::vector<std::string>& synonyms, const ValueParser& parse) {
    auto found = labelled_value(words, synonyms, parse);
    if (!found) return std::nullopt;
    Field field = field_from(key, found->value);
    field.confidence *= std::max(0.0f, 1.0f - 0.1f * static_cast<float>(found->label.errors));
    return field;
}

}  // namespace comptoir::sdk::layout

#endif  // COMPTOIR_LAYOUT_HPP
