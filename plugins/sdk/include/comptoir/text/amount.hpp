// comptoir/text/amount.hpp — French amounts: "1 479,85 €" read as "1479.85" (the normalised
// form of an amount: two decimals, a dot, no thousands separator) and as cents for sums.
// Part of comptoir::text (comptoir/text/fold.hpp says what it is).
#ifndef COMPTOIR_TEXT_AMOUNT_HPP
#define COMPTOIR_TEXT_AMOUNT_HPP

#include "comptoir/text/fold.hpp"

#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace comptoir::text {

// "EUR", "€" or a word holding "€": a currency sign.
inline bool is_currency(std::string_view text) {
    return fold(text) == "eur" || text.find("\xe2\x82\xac") != std::string_view::npos;  // EUR, €
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

// A normalised amount in cents, for sums ("1479.85" -> 147985). Throws std::invalid_argument
// (or std::out_of_range) when `amount` is not one.
inline long long cents_of(const std::string& amount) {
    const size_t dot = amount.find('.');
    if (dot == std::string::npos) return std::stoll(amount) * 100;
    return std::stoll(amount.substr(0, dot)) * 100 + std::stoll(amount.substr(dot + 1));
}

// An amount as printed, in cents: "1 234,56 €" -> 123456; nullopt when there is none.
inline std::optional<long long> amount_cents(std::string_view printed) {
    const auto amount = parse_amount(printed);
    if (!amount) return std::nullopt;
    try {
        return cents_of(*amount);
    } catch (...) {
        return std::nullopt;  // more digits than a long long holds
    }
}

}  // namespace comptoir::text

#endif  // COMPTOIR_TEXT_AMOUNT_HPP
