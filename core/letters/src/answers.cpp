#include "comptoir/letters/answers.hpp"

#include "template_text.hpp"

#include <Poco/DateTime.h>
#include <Poco/String.h>
#include <Poco/UTF8String.h>

#include <regex>

namespace comptoir {
namespace {

std::string quote(const std::string& text) { return "« " + text + " »"; }

// The question as the mediator sees it, for messages: its label without a trailing "?".
std::string named(const LetterQuestion& question) {
    std::string label = Poco::trim(question.label);
    while (!label.empty() && (label.back() == '?' || label.back() == ' ' || label.back() == ':')) label.pop_back();
    return quote(label);
}

[[noreturn]] void refuse(const LetterQuestion& question, const std::string& rule) {
    throw AnswerError("bad_answer", question.key, "La réponse à " + named(question) + " ne convient pas : " + rule + ".");
}

std::string amount(const LetterQuestion& question, const std::string& value) {
    // Spaces of any kind between thousands, "," or "." before the cents, "€" or "euros" after.
    std::string text = value;
    for (const char* space : {"\u00A0", "\u202F", "\u2009"}) text = Poco::replace(text, std::string(space), std::string(" "));
    static const std::regex form(R"(^\s*([0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:[,.]([0-9]{1,2}))?\s*(?:€|eur|euros?)?\s*$)",
                                 std::regex::icase);
    std::smatch match;
    if (!std::regex_match(text, match, form)) {
        refuse(question, "un montant en euros, en chiffres, par exemple « 205,76 » ou « 60 »");
    }
    std::string whole = Poco::replace(std::string(match[1]), std::string(" "), std::string());
    whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
    if (whole.size() > 8) refuse(question, "un montant de moins de 100 millions d'euros");
    std::string cents = match[2];
    while (cents.size() < 2) cents += "0";
    return whole + "." + cents;
}

std::string whole_number(const LetterQuestion& question, const std::string& value) {
    static const std::regex form(R"(^\s*([0-9]{1,6})\s*$)");
    std::smatch match;
    if (!std::regex_match(value, match, form)) refuse(question, "un nombre entier, en chiffres, par exemple « 6 »");
    std::string digits = match[1];
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
    return digits;
}

std::string date(const LetterQuestion& question, const std::string& value) {
    static const std::regex french(R"(^\s*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})\s*$)");
    static const std::regex iso(R"(^\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*$)");
    std::smatch match;
    int year = 0, month = 0, day = 0;
    if (std::regex_match(value, match, iso)) {
        year = std::stoi(match[1]), month = std::stoi(match[2]), day = std::stoi(match[3]);
    } else if (std::regex_match(value, match, french)) {
        day = std::stoi(match[1]), month = std::stoi(match[2]), year = std::stoi(match[3]);
    } else {
        refuse(question, "une date, par exemple « 15/01/2027 »");
    }
    if (year < 1900 || year > 2100 || !Poco::DateTime::isValid(year, month, day)) {
        refuse(question, "une date qui existe (" + quote(Poco::trim(value)) + " n'existe pas)");
    }
    char out[11];
    std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
    return out;
}

std::string yes_no(const LetterQuestion& question, const std::string& value) {
    const std::string lowered = Poco::toLower(Poco::trim(value));
    if (lowered == "oui" || lowered == "true") return "oui";
    if (lowered == "non" || lowered == "false") return "non";
    refuse(question, "« oui » ou « non »");
}

std::string choice(const LetterQuestion& question, const std::string& value) {
    for (const auto& known : question.choices) {
        if (Poco::UTF8::icompare(Poco::trim(known), Poco::trim(value)) == 0) return known;
    }
    std::string list;
    for (const auto& known : question.choices) list += (list.empty() ? "" : ", ") + quote(known);
    refuse(question, "un des choix proposés (" + list + ")");
}

}  // namespace

size_t character_count(const std::string& text) {
    size_t count = 0;
    for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return count;
}

std::string check_answer(const LetterQuestion& question, const std::string& value) {
    const bool multiline = question.type == "paragraphes";
    // The length first: a 100,000-character answer is refused before anything reads it.
    const size_t limit = multiline ? kParagraphsAnswerMax : kTextAnswerMax;
    if (character_count(value) > limit + 64) {
        refuse(question, std::to_string(limit) + " caractères au plus (" + std::to_string(character_count(value)) + " donnés)");
    }
    const std::string text = letter_text::clean_value(value, multiline);
    if (text.empty()) return {};
    if (character_count(text) > limit) {
        refuse(question, std::to_string(limit) + " caractères au plus (" + std::to_string(character_count(text)) + " donnés)");
    }
    if (question.type == "montant") return amount(question, text);
    if (question.type == "nombre") return whole_number(question, text);
    if (question.type == "date") return date(question, text);
    if (question.type == "oui_non") return yes_no(question, text);
    if (question.type == "choix") return choice(question, text);
    return text;
}

std::map<std::string, std::string> check_answers(const LetterTemplate& letter, const std::map<std::string, std::string>& answers) {
    std::map<std::string, std::string> kept;
    for (const auto& question : letter.questions) {
        const auto given = answers.find(question.key);
        if (given == answers.end()) continue;
        if (std::string value = check_answer(question, given->second); !value.empty()) kept[question.key] = std::move(value);
    }
    for (const auto& [key, value] : answers) {
        if (kept.count(key) || letter.question(key)) continue;
        if (key == letter.recipient_question.key) {
            if (std::string checked = check_answer(letter.recipient_question, value); !checked.empty()) kept[key] = std::move(checked);
            continue;
        }
        throw AnswerError("unknown_answer", key,
                          "« " + letter_text::clean_value(key).substr(0, 60) + " » n'est pas une question du courrier « " + letter.title +
                              " » : une valeur lue sur le document se change par une correction du champ.");
    }
    return kept;
}

}  // namespace comptoir
