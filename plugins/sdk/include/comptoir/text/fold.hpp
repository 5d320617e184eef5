// comptoir/text/fold.hpp — the folded form in which words and labels are compared, and the
// character classes the readers test.
//
// Part of comptoir::text, the small header-only library the SDK and the host share (folding,
// edit distance, French amounts and dates, check digits). C++17, no dependency: a partner
// compiles it with their own compiler, with the rest of the SDK.
#ifndef COMPTOIR_TEXT_FOLD_HPP
#define COMPTOIR_TEXT_FOLD_HPP

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace comptoir::text {

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

// ASCII digits only, whatever the locale.
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool all_digits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_digit); }
inline bool has_digit(std::string_view s) { return std::any_of(s.begin(), s.end(), is_digit); }
inline bool has_letter(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

}  // namespace comptoir::text

#endif  // COMPTOIR_TEXT_FOLD_HPP
