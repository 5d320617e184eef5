// comptoir/text/date.hpp — French dates: "29/01/2021", "29.01.21", "1er février 2021" read as
// the normalised form of a date, ISO 8601 "2021-01-29".
// Part of comptoir::text (comptoir/text/fold.hpp says what it is).
#ifndef COMPTOIR_TEXT_DATE_HPP
#define COMPTOIR_TEXT_DATE_HPP

#include "comptoir/text/distance.hpp"
#include "comptoir/text/fold.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace comptoir::text {

// A date in ISO 8601: "2021-01-29". The numbers are written as given (no calendar check).
inline std::string iso_date(int year, int month, int day) {
    char out[32];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
    return out;
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
        return iso_date(year, month, d);
    }
    return std::nullopt;
}

}  // namespace comptoir::text

#endif  // COMPTOIR_TEXT_DATE_HPP
