#include "template_text.hpp"

#include <Poco/String.h>
#include <Poco/Unicode.h>
#include <Poco/UTF8Encoding.h>

#include <algorithm>
#include <regex>

namespace comptoir::letter_text {
namespace {

const std::regex& tag_pattern() {
    static const std::regex tag(R"(\{\{\{?\s*([#^/&]?)\s*([A-Za-z0-9_.]+)\s*\}?\}\})");
    return tag;
}

// The code point at `at` and its length in bytes (1 for an invalid byte).
std::pair<int, size_t> code_point_at(const std::string& text, size_t at) {
    Poco::UTF8Encoding utf8;
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data() + at);
    const int length = utf8.sequenceLength(bytes, static_cast<int>(text.size() - at));
    if (length <= 0 || at + static_cast<size_t>(length) > text.size()) return {bytes[0], 1};
    const int cp = utf8.queryConvert(bytes, length);
    return cp < 0 ? std::pair<int, size_t>{bytes[0], 1} : std::pair<int, size_t>{cp, static_cast<size_t>(length)};
}

std::string encoded(int cp) {
    Poco::UTF8Encoding utf8;
    unsigned char buffer[6];
    const int length = utf8.convert(cp, buffer, sizeof buffer);
    return std::string(reinterpret_cast<char*>(buffer), static_cast<size_t>(std::max(length, 0)));
}

// The letter at `at` in upper (or lower) case.
std::string recased(const std::string& text, size_t at, bool upper) {
    const auto [cp, length] = code_point_at(text, at);
    const int changed = upper ? Poco::Unicode::toUpper(cp) : Poco::Unicode::toLower(cp);
    if (changed == cp) return text;
    return text.substr(0, at) + encoded(changed) + text.substr(at + length);
}

bool is_lower_at(const std::string& text, size_t at) { return at < text.size() && Poco::Unicode::isLower(code_point_at(text, at).first); }
bool is_upper_at(const std::string& text, size_t at) { return at < text.size() && Poco::Unicode::isUpper(code_point_at(text, at).first); }

}  // namespace

std::vector<std::string> unconditional_variables(const std::string& text) {
    std::vector<std::string> names;
    // The helpers' sections ({{#phrase}}…) print what they hold: they are not conditions.
    std::vector<bool> conditions;
    int depth = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), tag_pattern()); it != std::sregex_iterator(); ++it) {
        const std::string kind = (*it)[1];
        if (kind == "#" || kind == "^") {
            const bool condition = kind == "^" || !is_helper((*it)[2]);
            conditions.push_back(condition);
            depth += condition;
        } else if (kind == "/") {
            if (!conditions.empty()) {
                depth -= conditions.back();
                conditions.pop_back();
            }
        } else if (depth == 0) {
            names.push_back((*it)[2]);
        }
    }
    return names;
}

std::vector<std::string> all_variables(const std::string& text) {
    std::vector<std::string> names;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), tag_pattern()); it != std::sregex_iterator(); ++it) {
        if ((*it)[1] == "/") continue;
        const std::string name = (*it)[2];
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    return names;
}

std::string clean_value(const std::string& value, bool multiline) {
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        if (c == '\r') continue;  // a Windows line end is a line end
        if (multiline && c == '\n') {
            out.push_back('\n');
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            if (!out.empty() && out.back() != ' ') out.push_back(' ');
            continue;
        }
        // U+202A–U+202E and U+2066–U+2069 are E2 80 AA–AE and E2 81 A6–A9 in UTF-8.
        if (c == 0xE2 && i + 2 < value.size()) {
            const auto b1 = static_cast<unsigned char>(value[i + 1]);
            const auto b2 = static_cast<unsigned char>(value[i + 2]);
            if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
                i += 2;
                continue;
            }
        }
        out.push_back(static_cast<char>(c));
    }
    return Poco::trim(out);
}

std::string office_variable(const std::string& kind) {
    std::string name = "site_" + kind;
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

std::string tidy_sentences(const std::string& paragraph, bool capital_start) {
    std::string text = Poco::trim(paragraph);
    // "index.." (an answer's full stop before the template's), "payer ?.", "vrai !.", ". ."
    static const std::regex double_stop(R"((^|[^.])\.\s*\.(?!\.))");
    static const std::regex stop_after_mark(R"(([?!…])\s*\.(?!\.))");
    static const std::regex space_before(R"(\s+([.,])(\s|$))");
    text = std::regex_replace(text, double_stop, "$1.");
    text = std::regex_replace(text, stop_after_mark, "$1");
    text = std::regex_replace(text, space_before, "$1$2");
    // A capital where a sentence starts: the paragraph's start, and after ". ", "! ", "? ".
    if (capital_start && is_lower_at(text, 0)) text = recased(text, 0, true);
    for (size_t at = 0; at + 2 < text.size(); ++at) {
        if ((text[at] == '.' || text[at] == '!' || text[at] == '?') && text[at + 1] == ' ' && (at == 0 || text[at - 1] != '.') &&
            is_lower_at(text, at + 2)) {
            text = recased(text, at + 2, true);
        }
    }
    return text;
}

std::string as_sentence(const std::string& text) {
    std::string out = Poco::trim(text);
    if (out.empty()) return out;
    if (is_lower_at(out, 0)) out = recased(out, 0, true);
    static const std::regex ends(R"(([.!?…»)]|\.\.\.)$)");
    if (!std::regex_search(out, ends)) out += ".";
    return out;
}

std::string lower_first(const std::string& text) {
    std::string out = Poco::trim(text);
    // "Consommation estimée" → "consommation estimée"; "EDF", "Paris" aside? A proper name
    // stays as written when its second letter is a capital (an acronym); other names cannot
    // be told from a word, and a colon is mostly followed by one.
    if (out.empty() || !is_upper_at(out, 0)) return out;
    const size_t second = code_point_at(out, 0).second;
    if (second < out.size() && !is_lower_at(out, second) && out[second] != '\'') return out;
    return recased(out, 0, false);
}

std::string plural(const std::string& text) {
    // "3 personne|personnes": the number, then the singular and the plural forms.
    static const std::regex form(R"(^\s*(-?[0-9]+(?:[,.][0-9]+)?)\s+([^|]*)\|(.*)$)");
    std::smatch match;
    if (!std::regex_match(text, match, form)) {
        const size_t bar = text.find('|');
        return bar == std::string::npos ? text : text.substr(0, bar);
    }
    std::string number = match[1];
    std::replace(number.begin(), number.end(), ',', '.');
    double value = 0;
    try {
        value = std::stod(number);
    } catch (...) {
        value = 0;
    }
    // French: 0 and 1 (and 1,5) take the singular.
    return std::string(match[1]) + " " + Poco::trim(std::string(value >= 2 || value <= -2 ? match[3] : match[2]));
}

bool is_helper(const std::string& name) { return name == "phrase" || name == "minuscule" || name == "pluriel"; }

}  // namespace comptoir::letter_text
