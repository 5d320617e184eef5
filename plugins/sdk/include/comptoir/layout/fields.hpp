// comptoir/layout/fields.hpp — fields from the values read, and their checks: an identifier's
// length and digits with the OCR repair as suggestion, dates in their order.
// Part of comptoir/layout.hpp, which says what the layout helpers are.
#ifndef COMPTOIR_LAYOUT_FIELDS_HPP
#define COMPTOIR_LAYOUT_FIELDS_HPP

#include "comptoir/layout/values.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace comptoir::sdk::layout {

// The digit OCR read as the character `c` (O, o, D → 0; l, I, i, | → 1; S, s → 5; B → 8;
// Z, z → 2), or `c` itself.
inline char ocr_digit(char c) {
    switch (c) {
    case 'O': case 'o': case 'D': return '0';
    case 'l': case 'I': case 'i': case '|': return '1';
    case 'S': case 's': return '5';
    case 'B': return '8';
    case 'Z': case 'z': return '2';
    default: return c;
    }
}

// OCR confusions in an identifier that should be digits (ocr_digit).
// Returns the repaired value only when `check` passes on it and failed on the raw reading;
// the raw reading stays the field's value, this is a suggestion.
inline std::optional<std::string> repair_digits(const std::string& raw, const std::function<bool(const std::string&)>& check) {
    if (check(raw)) return std::nullopt;
    std::string repaired = raw;
    for (char& c : repaired) c = ocr_digit(c);
    if (repaired != raw && check(repaired)) return repaired;
    return std::nullopt;
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

// The field a label announces (labelled_value, looking where `search` says), ready for
// add_field; a label read with OCR errors lowers the value's confidence by a tenth per error.
inline std::optional<Field> labelled_field(const std::vector<Word>& words, const std::string& key,
                                           const std::vector<std::string>& synonyms, const ValueParser& parse,
                                           const ValueSearch& search = {}) {
    auto found = labelled_value(words, synonyms, parse, search);
    if (!found) return std::nullopt;
    Field field = field_from(key, found->value);
    field.confidence *= std::max(0.0f, 1.0f - 0.1f * static_cast<float>(found->label.errors));
    return field;
}

}  // namespace comptoir::sdk::layout

#endif  // COMPTOIR_LAYOUT_FIELDS_HPP
