// comptoir/text/checks.hpp — the check digits of identifiers French documents print: the Luhn
// key (SIREN, SIRET, card numbers) and the IBAN's mod-97 key. A plugin runs them in its own
// checks (layout::check_digits' `extra`, FieldSpec::check, Plugin::check_value).
// Part of comptoir::text (comptoir/text/fold.hpp says what it is).
#ifndef COMPTOIR_TEXT_CHECKS_HPP
#define COMPTOIR_TEXT_CHECKS_HPP

#include "comptoir/text/fold.hpp"

#include <string>
#include <string_view>

namespace comptoir::text {

// The Luhn key: digits only, the last one the key. A SIREN (9 digits) and a SIRET (14
// digits) pass it, but for the establishments of La Poste, whose SIRETs follow a rule of
// their own.
inline bool luhn(std::string_view digits) {
    if (digits.size() < 2 || !all_digits(digits)) return false;
    unsigned sum = 0;
    bool twice = false;
    for (size_t i = digits.size(); i-- > 0;) {
        unsigned d = static_cast<unsigned>(digits[i] - '0');
        if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
        sum += d;
        twice = !twice;
    }
    return sum % 10 == 0;
}

// An IBAN in its normalised form ("FR7630006000011234567890189": capitals and digits, no
// space), its two check digits right (ISO 13616: the number moved to the end, letters as
// 10–35, modulo 97 is 1). The country's length is not checked: 27 characters for France.
inline bool iban(std::string_view value) {
    if (value.size() < 15 || value.size() > 34) return false;
    for (size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        const bool upper = c >= 'A' && c <= 'Z';
        if (i < 2 ? !upper : (i < 4 ? !is_digit(c) : !(upper || is_digit(c)))) return false;
    }
    const std::string moved = std::string(value.substr(4)) + std::string(value.substr(0, 4));
    unsigned remainder = 0;
    for (char c : moved) {
        if (is_digit(c)) {
            remainder = (remainder * 10 + static_cast<unsigned>(c - '0')) % 97;
        } else {
            remainder = (remainder * 100 + static_cast<unsigned>(c - 'A' + 10)) % 97;
        }
    }
    return remainder == 1;
}

}  // namespace comptoir::text

#endif  // COMPTOIR_TEXT_CHECKS_HPP
