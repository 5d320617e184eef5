// comptoir/twoddoc_fields.hpp — 2D-Doc fields to a plugin's canonical fields.
//
// The host finds the DataMatrix codes of a document, checks their signatures and lends them to
// the plugin (Document::barcodes()). A plugin names which 2D-Doc ids give which of its keys and
// how the value is written; report_code_fields() does the rest: it takes the codes of the
// document types named whose signature is not refused, normalises their values as
// the SDK guide says ("How a value is written"), and reports them with source
// COMPTOIR_SOURCE_2DDOC and the code's index.
// Report the OCR fields first or after, either way: the host keeps both readings when they
// disagree (alternatives, mismatch) and weighs the code by its status.
//
//   static const comptoir::sdk::twoddoc::Mapping kCode[] = {
//       {"47", "numero_fiscal", As::identifier}, {"40", "numero_fiscal", As::identifier},  // 47 first
//       {"4A", "date_mise_en_recouvrement", As::date}, …};
//   comptoir::sdk::twoddoc::report_code_fields(doc, kCode, {"04", "28"});
#pragma once

#include "comptoir/layout.hpp"
#include "comptoir/plugin.hpp"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace comptoir::sdk::twoddoc {

// How a 2D-Doc value is written in the canonical field.
enum class As {
    identifier,  // spaces removed: "2278012345678"
    amount,      // "63198" (whole euros), "87,43" or "87.43" → "63198.00", "87.43"
    decimal,     // "2,75" → "2.75"
    date,        // "31072022" (DDMMYYYY) → "2022-07-31"
    year,        // "2021"
    text         // as in the code, whitespace collapsed
};

struct Mapping {
    const char* id;   // 2D-Doc data identifier, e.g. "44"
    const char* key;  // the plugin's field key
    As as;
};

// The value of a 2D-Doc field written as `as` asks; none when it does not fit.
inline std::optional<std::string> normalise(std::string_view raw, As as) {
    std::string value;
    for (char c : raw) {
        if (c == ' ' && (value.empty() || value.back() == ' ')) continue;
        value += c;
    }
    while (!value.empty() && value.back() == ' ') value.pop_back();
    if (value.empty()) return std::nullopt;
    const auto all_digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    };
    switch (as) {
    case As::identifier: {
        std::string out;
        for (char c : value) {
            if (c != ' ') out += c;
        }
        return out;
    }
    case As::amount:
    case As::decimal: {
        std::string whole = value;
        std::string fraction;
        const auto mark = value.find_first_of(",.");
        if (mark != std::string::npos) {
            whole = value.substr(0, mark);
            fraction = value.substr(mark + 1);
        }
        bool negative = !whole.empty() && whole[0] == '-';
        if (negative) whole.erase(0, 1);
        if (!all_digits(whole) || (!fraction.empty() && !all_digits(fraction))) return std::nullopt;
        while (whole.size() > 1 && whole[0] == '0') whole.erase(0, 1);
        if (as == As::decimal) {
            while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
            return (negative ? "-" : "") + whole + (fraction.empty() ? "" : "." + fraction);
        }
        if (fraction.size() > 2) return std::nullopt;
        while (fraction.size() < 2) fraction += '0';
        return (negative ? "-" : "") + whole + "." + fraction;
    }
    case As::date: {
        if (value.size() != 8 || !all_digits(value)) return std::nullopt;
        return layout::parse_date(value.substr(0, 2) + "/" + value.substr(2, 2) + "/" + value.substr(4, 4));
    }
    case As::year:
        if (value.size() != 4 || !all_digits(value)) return std::nullopt;
        return value;
    case As::text:
        return value;
    }
    return std::nullopt;
}

// Whether a code's values may be used at all (the SDK guide, "What a value is worth").
inline bool usable(const Barcode& code) {
    return code.format == "2ddoc" && (code.status == "valid" || code.status == "unknown_certificate");
}

// The first usable code of one of `document_types`, if any.
inline std::optional<Barcode> find_code(const Document& doc, std::initializer_list<std::string_view> document_types) {
    for (const auto& code : doc.barcodes()) {
        if (!usable(code)) continue;
        for (auto type : document_types) {
            if (code.document_type == type) return code;
        }
    }
    return std::nullopt;
}

// Reports the mapped fields of the first usable code of `document_types`; a key given by
// several ids takes the first id the code holds. Returns how many fields were reported.
inline size_t report_code_fields(Document& doc, const Mapping* mappings, size_t mapping_count,
                                 std::initializer_list<std::string_view> document_types) {
    const auto code = find_code(doc, document_types);
    if (!code) return 0;
    size_t reported = 0;
    std::set<std::string> done;
    for (size_t m = 0; m < mapping_count; ++m) {
        const Mapping& mapping = mappings[m];
        if (done.count(mapping.key)) continue;
        const auto raw = code->field(mapping.id);
        if (!raw) continue;
        const auto value = normalise(*raw, mapping.as);
        if (!value) continue;
        Field field;
        field.key = mapping.key;
        field.value = *value;
        field.text = *raw;
        field.confidence = code->status == "valid" ? 1.0f : 0.5f;
        field.page = code->page;
        field.box = code->box;
        field.source = COMPTOIR_SOURCE_2DDOC;
        field.barcode = code->index;
        if (doc.add_field(field)) ++reported;
        done.insert(mapping.key);
    }
    return reported;
}

// The same, for an array of mappings (C++17: no std::span).
template <size_t N>
size_t report_code_fields(Document& doc, const Mapping (&mappings)[N], std::initializer_list<std::string_view> document_types) {
    return report_code_fields(doc, mappings, N, document_types);
}

}  // namespace comptoir::sdk::twoddoc
