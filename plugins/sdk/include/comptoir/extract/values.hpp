// comptoir/extract/values.hpp — reading a value of each type from a span of words.
// Part of comptoir/extract.hpp, which says what the extraction engine does.
#ifndef COMPTOIR_EXTRACT_VALUES_HPP
#define COMPTOIR_EXTRACT_VALUES_HPP

#include "comptoir/extract/page.hpp"

#include <cctype>
#include <cstdlib>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir::sdk::extract {

// ------------------------------------------------------------------------------------------
// Values by type
// ------------------------------------------------------------------------------------------
namespace values {

// `value` made to fit one of `forms` (FieldSpec::forms) by OCR's confusions between letters and
// digits; nullopt when it fits one already, or none even repaired.
inline std::optional<std::string> repaired_to_form(const std::string& value, const std::vector<std::string>& forms) {
    const auto fits = [](const std::string& v, const std::string& form) {
        if (v.size() != form.size()) return false;
        for (size_t i = 0; i < v.size(); ++i) {
            const auto c = static_cast<unsigned char>(v[i]);
            if (form[i] == 'A' ? std::isalpha(c) == 0 : form[i] == '9' ? std::isdigit(c) == 0 : v[i] != form[i]) return false;
        }
        return true;
    };
    for (const auto& form : forms) {
        if (fits(value, form)) return std::nullopt;
    }
    // The letter OCR read as each digit, '?' for none (the reverse of layout::ocr_digit).
    static const std::string_view letter_for_digit = "OIZ??S??B?";
    for (const auto& form : forms) {
        if (value.size() != form.size()) continue;
        std::string out = value;
        for (size_t i = 0; i < out.size(); ++i) {
            const auto c = static_cast<unsigned char>(out[i]);
            if (form[i] == 'A' && std::isdigit(c)) {
                const char letter = letter_for_digit[static_cast<size_t>(out[i] - '0')];
                if (letter != '?') out[i] = letter;
            } else if (form[i] == '9' && std::isalpha(c)) {
                out[i] = layout::ocr_digit(out[i]);
            }
        }
        if (fits(out, form)) return out;
    }
    return std::nullopt;
}

inline std::optional<Reading> identifier(const Page& page, const std::vector<size_t>& span, const FieldSpec& spec) {
    const auto allowed = [&](char c) {
        const auto u = static_cast<unsigned char>(c);
        switch (spec.alphabet) {
        case Alphabet::digits: return detail::is_digit(c) || std::string_view("OoDlIi|SsBZz").find(c) != std::string_view::npos;
        case Alphabet::alnum: return std::isalnum(u) != 0;
        case Alphabet::upper_alnum: return std::isdigit(u) != 0 || std::isupper(u) != 0;
        }
        return false;
    };
    const size_t max_length = spec.max_length ? spec.max_length : 64;
    for (size_t first = 0; first < span.size() && first < 6; ++first) {
        // Only punctuation or a short word ("n°", "No", ":") stands before an identifier.
        if (first > 0 && page.folded(span[first - 1]).size() > 3) break;
        std::string value;
        std::vector<size_t> taken;
        size_t digits = 0;
        for (size_t k = first; k < span.size() && value.size() < max_length; ++k) {
            std::string t = page.word(span[k]).text;
            while (!t.empty() && std::string_view(":.,;()").find(t.back()) != std::string_view::npos) t.pop_back();
            while (!t.empty() && std::string_view(":(").find(t.front()) != std::string_view::npos) t.erase(0, 1);
            if (t.empty() || !std::all_of(t.begin(), t.end(), allowed)) break;
            size_t d = 0;
            for (char c : t) d += detail::is_digit(c) ? 1 : 0;
            if (spec.alphabet == Alphabet::digits && d * 2 < t.size()) break;
            // A group of an identifier is digits or a few letters ("C11 MC 616776"); a word of
            // four letters or more after digits is another thing — a town after its postcode
            // ("56100 LORIENT"), a word after a number.
            if (!taken.empty() && d == 0 && t.size() >= 4) break;
            if (!taken.empty() && page.word(span[k]).box.x - (page.word(taken.back()).box.x + page.word(taken.back()).box.width) >
                                      detail::height_of(page.word(span[k])) * 3 / 2) {
                break;  // another column
            }
            value += t;
            digits += d;
            taken.push_back(span[k]);
        }
        if (taken.empty()) continue;
        if (spec.alphabet != Alphabet::digits && digits == 0) continue;  // a word, not a reference
        if (value.size() < spec.min_length || value.size() > max_length) continue;
        Reading reading;
        reading.value = value;
        reading.text = detail::text_of(page, taken);
        reading.words = taken;
        reading.quality = 1.0f;
        if (const auto repaired = repaired_to_form(value, spec.forms)) {
            reading.value = *repaired;
            reading.quality = 0.9f;  // OCR's confusion mended: as good as read, a little less sure
        } else if (spec.alphabet == Alphabet::digits && !detail::all_digits(value)) reading.quality = 0.6f;  // O for 0…
        else if (spec.check && !spec.check(value)) reading.quality = 0.75f;
        return reading;
    }
    return std::nullopt;
}

// An amount whose cents OCR cut apart or whose comma it lost, before a currency sign:
// "699, 2 6 €", "2828 24 €" (a group of two digits is never thousands), "25551€" (the sign
// glued: a weaker guess, which a total's sum may bear out).
inline std::optional<Reading> amount_repaired(const Page& page, const std::vector<size_t>& span) {
    for (size_t first = 0; first < span.size() && first < 6; ++first) {
        std::string whole;
        std::string cents;
        std::vector<size_t> taken;
        bool comma = false;
        bool glued = false;  // "25551€": the sign ends the last word
        std::string last;    // the last word's digits
        size_t k = first;
        for (; k < span.size() && taken.size() < 6; ++k) {
            std::string t = page.word(span[k]).text;
            static const std::string euro = "\xe2\x82\xac";
            const bool sign_glued = t.size() > euro.size() + 2 && t.compare(t.size() - euro.size(), euro.size(), euro) == 0;
            if (sign_glued) t.resize(t.size() - euro.size());
            else if (layout::detail::is_currency(t)) break;
            const bool trailing_comma = !sign_glued && !t.empty() && (t.back() == ',' || t.back() == '.');
            if (trailing_comma) t.pop_back();
            if (!detail::all_digits(t)) break;
            if (!taken.empty() && detail::gap_too_wide(page.word(taken.back()), page.word(span[k]))) break;
            (comma ? cents : whole) += t;
            last = t;
            taken.push_back(span[k]);
            if (trailing_comma) comma = true;
            if (sign_glued) {
                glued = true;  // the sign ends the amount
                break;
            }
        }
        if (taken.empty() || (!glued && (k >= span.size() || !layout::detail::is_currency(page.word(span[k]).text)))) continue;
        if (!comma && taken.size() >= 2 && last.size() == 2) {
            cents = last;
            whole = whole.substr(0, whole.size() - 2);
        } else if (!comma && glued && taken.size() == 1 && whole.size() >= 3) {
            // One word: its last two digits are the cents; a guess that a sum must bear out.
            cents = whole.substr(whole.size() - 2);
            whole.resize(whole.size() - 2);
        }
        if (cents.size() != 2 || whole.empty()) continue;
        while (whole.size() > 1 && whole.front() == '0') whole.erase(0, 1);
        Reading reading;
        reading.value = whole + "." + cents;
        if (!glued) taken.push_back(span[k]);
        reading.words = taken;
        reading.text = detail::text_of(page, taken);
        reading.quality = glued && taken.size() == 1 && !comma ? 0.6f : 0.8f;
        return reading;
    }
    return std::nullopt;
}

inline std::optional<Reading> amount(const Page& page, const std::vector<size_t>& span, const FieldSpec& spec) {
    auto reading = detail::from_value(layout::amount(spec.cents)(detail::words_at(page, span)), span, page);
    if (!reading && spec.cents) return amount_repaired(page, span);
    if (!reading) return std::nullopt;
    // An amount says it is one: a currency sign beside it, or on its label's line.
    bool currency = false;
    for (size_t i : reading->words) currency = currency || layout::detail::is_currency(page.word(i).text);
    if (!currency && !span.empty()) {
        for (size_t i : page.line(reading->words.back())) currency = currency || layout::detail::is_currency(page.word(i).text);
    }
    reading->quality = currency ? 1.0f : 0.85f;
    // Not a date: "12.05" followed by "2024".
    return reading;
}

inline std::optional<Reading> date(const Page& page, const std::vector<size_t>& span) {
    auto reading = detail::from_value(layout::date()(detail::words_at(page, span)), span, page);
    if (!reading) return std::nullopt;
    const int year = std::atoi(reading->value.substr(0, 4).c_str());
    reading->quality = (year >= 1990 && year <= 2100) ? 1.0f : 0.3f;
    return reading;
}

inline std::optional<Reading> period(const Page& page, const std::vector<size_t>& span) {
    auto reading = detail::from_value(layout::period()(detail::words_at(page, span)), span, page);
    if (!reading) return std::nullopt;
    const auto bar = reading->value.find('|');
    const bool ordered = bar != std::string::npos && reading->value.substr(0, bar) < reading->value.substr(bar + 1);
    reading->quality = ordered ? 1.0f : 0.4f;
    return reading;
}

inline std::optional<Reading> count(const Page& page, const std::vector<size_t>& span, const FieldSpec& spec) {
    for (size_t k = 0; k < span.size() && k < 8; ++k) {
        std::string t = page.folded(span[k]);
        std::string value;
        std::vector<size_t> taken;
        if (!spec.unit.empty()) {
            const bool alone = t == spec.unit;
            const bool glued = t.size() > spec.unit.size() && t.compare(t.size() - spec.unit.size(), spec.unit.size(), spec.unit) == 0 &&
                               detail::all_digits(t.substr(0, t.size() - spec.unit.size()));
            if (!alone && !glued) continue;
            if (glued) {
                value = t.substr(0, t.size() - spec.unit.size());
                taken.push_back(span[k]);
            }
            for (size_t j = k; j-- > 0;) {
                const std::string& piece = page.word(span[j]).text;
                if (!detail::all_digits(piece) || value.size() >= 7) break;
                value = piece + value;
                taken.insert(taken.begin(), span[j]);
            }
        } else {
            if (!detail::all_digits(page.word(span[k]).text)) continue;
            value = page.word(span[k]).text;
            taken.push_back(span[k]);
        }
        if (value.empty() || !detail::all_digits(value)) {
            if (!spec.unit.empty()) return std::nullopt;
            continue;
        }
        while (value.size() > 1 && value.front() == '0') value.erase(0, 1);
        if ((spec.min_length && value.size() < spec.min_length) || (spec.max_length && value.size() > spec.max_length)) continue;
        Reading reading;
        reading.value = value;
        reading.words = taken;
        reading.text = detail::text_of(page, taken);
        return reading;
    }
    return std::nullopt;
}

// "2,50", "3", "1,5" → "2.5", "3", "1.5".
inline std::optional<Reading> decimal(const Page& page, const std::vector<size_t>& span) {
    for (size_t k = 0; k < span.size() && k < 4; ++k) {
        std::string t = page.word(span[k]).text;
        for (char& c : t) {
            if (c == ',') c = '.';
        }
        const size_t dot = t.find('.');
        const std::string whole = t.substr(0, dot);
        std::string decimals = dot == std::string::npos ? "" : t.substr(dot + 1);
        if (!detail::all_digits(whole) || (!decimals.empty() && !detail::all_digits(decimals)) || whole.size() > 2) continue;
        while (!decimals.empty() && decimals.back() == '0') decimals.pop_back();
        Reading reading;
        reading.value = decimals.empty() ? whole : whole + "." + decimals;
        reading.words = {span[k]};
        reading.text = page.word(span[k]).text;
        return reading;
    }
    return std::nullopt;
}

// A person's name: a civility or capitalised words, no digits, no label word, 2 to 7 words,
// up to the next column.
inline std::optional<Reading> name(const Page& page, const std::vector<size_t>& span) {
    static const std::set<std::string> particles = {"de", "du", "des", "la", "le", "d", "van", "von", "ben", "el", "da", "dos", "epouse", "ep", "nee"};
    std::vector<size_t> taken;
    for (size_t i : span) {
        const Word& w = page.word(i);
        if (taken.empty() && page.folded(i).empty()) continue;  // ":" "–"
        if (!taken.empty() && detail::gap_too_wide(page.word(taken.back()), w)) break;
        if (page.is_label_word(i)) break;
        // A name's words are capitalised but for its particles: "a perçu" ends it.
        if (!detail::starts_upper(w.text) && !particles.count(page.folded(i)) && w.text.rfind("d'", 0) != 0) break;
        if (page.folded(i).empty()) break;  // "–": the name is over
        taken.push_back(i);
    }
    while (!taken.empty() && particles.count(page.folded(taken.back()))) taken.pop_back();
    if (taken.size() < 2 || taken.size() > 7) return std::nullopt;
    bool civility = false;
    size_t capitals = 0;
    for (size_t k = 0; k < taken.size(); ++k) {
        const std::string& t = page.word(taken[k]).text;
        if (detail::has_digit(t)) return std::nullopt;
        std::string f = page.folded(taken[k]);
        if (k == 0 && detail::is_civility(f)) civility = true;
        if (detail::starts_upper(t)) ++capitals;
    }
    if (!civility && capitals < 2) return std::nullopt;
    // An organisation is not a person: "Caf du Haut-Rhin", "EDF Service Clients".
    static const std::set<std::string> organisations = {
        "caf", "edf", "service", "services", "centre", "caisse", "direction", "finances", "publiques", "sip", "clients", "client",
        "sa", "tsa", "cedex", "impots", "allocations", "familiales", "agence", "mairie", "association", "electricite", "energie",
        "engie", "gaz", "facture", "avis", "total", "montant", "republique", "francaise", "tresor", "public", "cs", "bp", "cpam",
        "urssaf", "sas", "sarl", "votre", "vos", "notre", "nos", "objet", "reference", "page"};
    for (size_t i : taken) {
        if (organisations.count(page.folded(i))) return std::nullopt;
    }
    Reading reading;
    reading.words = taken;
    reading.text = detail::text_of(page, taken);
    reading.value = reading.text;
    reading.quality = civility ? 1.0f : 0.8f;
    return reading;
}

inline std::optional<Reading> text(const Page& page, const std::vector<size_t>& span) {
    std::vector<size_t> taken;
    for (size_t i : span) {
        if (taken.empty() && page.folded(i).empty()) continue;
        if (!taken.empty() && detail::gap_too_wide(page.word(taken.back()), page.word(i))) break;
        if (page.is_label_word(i)) break;
        taken.push_back(i);
    }
    if (taken.empty()) return std::nullopt;
    Reading reading;
    reading.words = taken;
    reading.text = detail::text_of(page, taken);
    reading.value = reading.text;
    return reading;
}

// A postal address: the words of the value's line, then the next lines of its block, joined
// with ", ", until a postcode and its town have come (at most three lines).
inline std::optional<Reading> address(const Page& page, const std::vector<size_t>& span) {
    auto first = text(page, span);
    if (!first) return std::nullopt;
    std::string value = first->value;
    std::vector<size_t> taken = first->words;
    // A postcode is five digits alone, a town after it: never five digits of a longer number
    // ("RCS 90742220791198 - …" under a telephone number is no address).
    const auto town_done = [&] {
        size_t run = 0;
        for (size_t k = 0; k <= value.size(); ++k) {
            if (k < value.size() && detail::is_digit(value[k])) {
                ++run;
                continue;
            }
            if (run == 5 && k + 1 < value.size()) return true;
            run = 0;
        }
        return false;
    };
    for (int more = 0; more < 2 && !town_done(); ++more) {
        const Word& last = page.word(taken.back());
        const Word& head = page.word(taken.front());
        std::vector<size_t> next;
        for (size_t i = 0; i < page.size(); ++i) {
            const Word& w = page.word(i);
            // The next line of the block (a value wrapped under its label starts at the label's
            // left edge), not the next column.
            if (w.page == last.page && w.line_id == last.line_id + 1 && w.block_id == last.block_id &&
                w.box.x < head.box.x + head.box.width * 6) {
                if (page.is_label_word(i)) continue;  // a label wrapped beside its value
                next.push_back(i);
            }
        }
        if (next.empty()) {
            // OCR may make the next line a block of its own: the line just under the last one,
            // starting at the value's left edge, up to a column gap.
            const int32_t h = detail::height_of(last);
            std::optional<size_t> start;
            for (size_t i = 0; i < page.size(); ++i) {
                const Word& w = page.word(i);
                if (w.page != last.page || w.box.y <= last.box.y + h / 2 || w.box.y > last.box.y + 2 * h + h / 2) continue;
                if (std::abs(w.box.x - head.box.x) > 2 * h || page.is_label_word(i)) continue;
                if (!start || w.box.x < page.word(*start).box.x) start = i;
            }
            if (start) {
                for (size_t i : page.line(*start)) {
                    const Word& w = page.word(i);
                    if (w.box.x < page.word(*start).box.x) continue;
                    if (!next.empty() && detail::gap_too_wide(page.word(next.back()), w)) break;
                    if (page.is_label_word(i)) break;
                    next.push_back(i);
                }
            }
        }
        if (next.empty()) break;
        const std::string continuation = detail::text_of(page, next);
        const bool after_postcode = value.size() >= 5 && detail::is_postcode(value.substr(value.size() - 5));
        const bool inline_printed = continuation.find(',') != std::string::npos;
        value += (after_postcode || inline_printed || value.back() == ',' ? " " : ", ") + continuation;
        taken.insert(taken.end(), next.begin(), next.end());
    }
    if (!town_done()) return std::nullopt;
    Reading reading;
    reading.value = value;
    reading.words = taken;
    reading.text = detail::text_of(page, taken);
    return reading;
}

inline std::optional<Reading> read(const Page& page, const std::vector<size_t>& span, const FieldSpec& spec) {
    if (span.empty()) return std::nullopt;
    if (spec.parse) return spec.parse(page, span);
    switch (spec.type) {
    case Type::identifier: return identifier(page, span, spec);
    case Type::amount: return amount(page, span, spec);
    case Type::date: return date(page, span);
    case Type::period: return period(page, span);
    case Type::count: return count(page, span, spec);
    case Type::decimal: return decimal(page, span);
    case Type::name: return name(page, span);
    case Type::address: return address(page, span);
    case Type::text: return text(page, span);
    }
    return std::nullopt;
}

}  // namespace values

}  // namespace comptoir::sdk::extract

#endif  // COMPTOIR_EXTRACT_VALUES_HPP
