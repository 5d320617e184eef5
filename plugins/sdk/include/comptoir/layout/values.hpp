// comptoir/layout/values.hpp — reading a value (an amount, a date, a period, grouped digits,
// free text) from the words a label announces.
// Part of comptoir/layout.hpp, which says what the layout helpers are.
#ifndef COMPTOIR_LAYOUT_VALUES_HPP
#define COMPTOIR_LAYOUT_VALUES_HPP

#include "comptoir/layout/labels.hpp"
#include "comptoir/text/amount.hpp"
#include "comptoir/text/date.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir::sdk::layout {

// French amounts and dates are comptoir::text's (comptoir/text.hpp), shared with the host.
using ::comptoir::text::cents_of;
using ::comptoir::text::parse_amount;
using ::comptoir::text::parse_date;

// Adds a word to a value's text: a space before it, but none after a word ending in a hyphen
// when a letter follows. On a photo OCR cuts "Saint-Denis" or "Jean-Pierre" at the hyphen, and
// French puts no space there.
inline void append_word(std::string& out, const std::string& word) {
    const bool after_hyphen = out.size() >= 2 && out.back() == '-' && out[out.size() - 2] != ' ' && out[out.size() - 2] != '-';
    const auto first = word.empty() ? 0 : static_cast<unsigned char>(word[0]);
    const bool letter = std::isalpha(first) || (first >= 0xC3 && first <= 0xC5);  // "É", "Œ" in UTF-8
    out += (out.empty() || (after_hyphen && letter) ? "" : " ") + word;
}

inline std::string joined_text(const std::vector<Word>& words) {
    std::string out;
    for (const auto& word : words) append_word(out, word.text);
    return out;
}

// "09 876 543 210 123" -> "09876543210123": digits only, nullopt when there are none.
inline std::optional<std::string> parse_digits(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c))) out.push_back(c);
    }
    return out.empty() ? std::nullopt : std::optional<std::string>(out);
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

namespace detail {
// "26", "26€": the two decimals of an amount split after its mark ("394," + "26").
inline bool decimals_word(const std::string& t) {
    return t.size() >= 2 && std::isdigit(static_cast<unsigned char>(t[0])) && std::isdigit(static_cast<unsigned char>(t[1])) &&
           (t.size() == 2 || is_currency(t.substr(2)));
}
}  // namespace detail

// An amount among the first words: "1 479,85 €" over three words, "160,10€", "87.43 EUR", and
// an amount OCR split after its decimal mark ("394," + "26", "394" + "," + "26").
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
                // A decimal mark that ends a word (or stands alone) and two digits next to it.
                const bool ends_with_mark = !t.empty() && (t.back() == ',' || t.back() == '.');
                const bool open_mark = ends_with_mark && (detail::has_digit(t) || !taken.empty()) &&
                                       (taken.empty() || detail::gap(taken.back(), span[i]) <= taken.back().box.height);
                if (open_mark && i + 1 < span.size() && detail::decimals_word(span[i + 1].text) &&
                    detail::gap(span[i], span[i + 1]) <= span[i + 1].box.height) {
                    taken.push_back(span[i]);
                    taken.push_back(span[i + 1]);
                    joined += t + span[i + 1].text + " ";
                    if (i + 2 < span.size() && detail::is_currency(span[i + 2].text)) taken.push_back(span[i + 2]);
                    break;
                }
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
            // before it ("à payer avant le") is another field's, in the next column. A lone
            // letter is a photo's speck read as one ("du 24/05/2021 au y 19/11/2021").
            if (first > 0 && detail::has_letter(span[first - 1].text)) {
                const std::string before = fold(span[first - 1].text);
                static const char* const connectors[] = {"du", "le", "au", "a", "des", "depuis", "en", "date"};
                bool connector = before.size() == 1;
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

// The spellings OCR gives a unit, as unit_quantity() compares them (ASCII lower case, the
// number's trailing punctuation removed): kWh; m³ read "m3", "m°", "m*", "m?", "m'"; kVA.
inline const std::vector<std::string>& kwh_spellings() {
    static const std::vector<std::string> s{"kwh", "kw.h", "kwhs", "kvvh"};
    return s;
}
inline const std::vector<std::string>& cubic_metre_spellings() {
    static const std::vector<std::string> s{"m\xc2\xb3", "m3", "m\xc2\xb0", "m*", "m?", "m'", "m\xc2\xba", "m\""};
    return s;
}
inline const std::vector<std::string>& kva_spellings() {
    static const std::vector<std::string> s{"kva", "kv.a", "kwa"};
    return s;
}

namespace detail {
inline std::string ascii_lower(std::string t) {
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
}
inline bool is_unit(std::string t, const std::vector<std::string>& spellings) {
    t = ascii_lower(std::move(t));
    while (!t.empty() && std::string_view(".,;:)").find(t.back()) != std::string_view::npos) t.pop_back();
    return std::find(spellings.begin(), spellings.end(), t) != spellings.end();
}
// "1 234", "12,5", "1234": the number a quantity starts with, normalised ("1234", "12.5").
inline std::optional<std::string> quantity_number(const std::string& joined) {
    std::string digits;
    std::optional<size_t> mark;
    for (char c : joined) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits.push_back(c);
        } else if ((c == ',' || c == '.') && !digits.empty() && !mark) {
            mark = digits.size();
        } else if (c != ' ') {
            return std::nullopt;
        }
    }
    if (digits.empty()) return std::nullopt;
    // A mark followed by three digits groups thousands ("1.234"); otherwise it is decimal.
    if (!mark || digits.size() - *mark == 3 || *mark == digits.size()) return digits;
    return digits.substr(0, *mark) + "." + digits.substr(*mark);
}
}  // namespace detail

// A quantity in a unit among the first words: a number, grouped or not ("1 234", "12,5"),
// then its unit in the same word or the next ("1234kWh", "36 m3"); the value is the number
// alone ("1234", "12.5"), its words the number's and the unit's. `spellings`: the unit as OCR
// may read it (kwh_spellings(), cubic_metre_spellings(), kva_spellings(), or your own, lower
// case). A number without its unit is not taken: a count of kWh is told from an amount by it.
inline ValueParser unit_quantity(std::vector<std::string> spellings) {
    return [units = std::move(spellings)](const std::vector<Word>& span) -> std::optional<Value> {
        for (size_t first = 0; first < span.size() && first < 8; ++first) {
            if (!detail::has_digit(span[first].text) || !std::isdigit(static_cast<unsigned char>(span[first].text[0]))) continue;
            std::vector<Word> taken;
            std::string joined;
            for (size_t i = first; i < span.size() && i < first + 4; ++i) {
                const std::string& t = span[i].text;
                if (!taken.empty() && detail::gap(taken.back(), span[i]) > span[i].box.height) break;  // another column
                // The unit in the same word as the last digits ("1234kWh", "36m3").
                size_t digits_end = 0;
                while (digits_end < t.size() && std::string_view("0123456789,. ").find(t[digits_end]) != std::string_view::npos) ++digits_end;
                if (digits_end > 0 && digits_end < t.size() && detail::is_unit(t.substr(digits_end), units)) {
                    taken.push_back(span[i]);
                    if (auto number = detail::quantity_number(joined + t.substr(0, digits_end))) return value_of(*number, taken);
                    break;
                }
                if (!taken.empty() && detail::is_unit(t, units)) {
                    taken.push_back(span[i]);
                    if (auto number = detail::quantity_number(joined)) return value_of(*number, taken);
                    break;
                }
                if (digits_end != t.size()) break;  // neither a number nor its unit
                taken.push_back(span[i]);
                joined += t + " ";
            }
        }
        return std::nullopt;
    };
}

// A consumption in kWh, a volume of water in m³, a subscribed power in kVA (unit_quantity).
inline ValueParser kwh() { return unit_quantity(kwh_spellings()); }
inline ValueParser cubic_metres() { return unit_quantity(cubic_metre_spellings()); }
inline ValueParser kva() { return unit_quantity(kva_spellings()); }

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

// A label and the value it announces.
struct LabelledValue {
    LabelMatch label;
    Value value;
};

// Where labelled_value looks beyond the rest of the label's line.
struct ValueSearch {
    // The line under the label (a value printed under its label, a table cell under its
    // header). Off by default: the next line often holds another field's value (a meter's
    // index under its number), so ask for it where the layout puts values under their labels.
    bool below = false;
    // Further right in the label's row, along the page's slope (a table's last column that OCR
    // read as a block of its own).
    bool row = true;
    // find_labels' maximum of OCR errors in the label; by default, scaled with its length.
    std::optional<size_t> max_errors;
};

namespace detail {
inline std::optional<Value> value_near(const std::vector<Word>& words, const LabelMatch& label, const ValueParser& parse,
                                       const ValueSearch& search) {
    if (auto value = parse(right_of(words, label))) return value;
    if (search.below) {
        if (auto value = parse(below(words, label))) return value;
    }
    if (search.row) return parse(row_of(words, label));
    return std::nullopt;
}
}  // namespace detail

// The value of the first label of `synonyms` that has one, best label first: right of it on
// its line, else (when `search` asks) on the line below it, else further right in its row.
inline std::optional<LabelledValue> labelled_value(const std::vector<Word>& words, const std::vector<std::string>& synonyms,
                                                  const ValueParser& parse, const ValueSearch& search = {}) {
    for (const auto& label : find_labels(words, synonyms, search.max_errors)) {
        if (auto value = detail::value_near(words, label, parse, search)) return LabelledValue{label, *value};
    }
    return std::nullopt;
}

// Every value the labels of `synonyms` announce, in labelled_value's order, one per label: a
// total printed twice (in a frame and at the foot of the table) gives two readings, and a
// check (HT + TVA = TTC) can choose between them.
inline std::vector<LabelledValue> labelled_values(const std::vector<Word>& words, const std::vector<std::string>& synonyms,
                                                  const ValueParser& parse, const ValueSearch& search = {}) {
    std::vector<LabelledValue> out;
    for (const auto& label : find_labels(words, synonyms, search.max_errors)) {
        if (auto value = detail::value_near(words, label, parse, search)) out.push_back(LabelledValue{label, *value});
    }
    return out;
}
}  // namespace comptoir::sdk::layout

#endif  // COMPTOIR_LAYOUT_VALUES_HPP
