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

inline std::string joined_text(const std::vector<Word>& words) {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : " ") + word.text;
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
}  // namespace comptoir::sdk::layout

#endif  // COMPTOIR_LAYOUT_VALUES_HPP
