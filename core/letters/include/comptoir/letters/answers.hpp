// The mediator's answers to a letter's questions, typed and checked before anything is written.
// Each question's type (texte, paragraphes, date, montant, nombre, oui_non, choix) says what
// is accepted and the form kept:
//   montant      "205,76", "205.76", "205,76 €", "1 205,76" → "205.76" (printed "205,76 €")
//   nombre       a whole number in digits, "6" (at most 6 digits)
//   date         "15/01/2027", "15-01-2027", "2027-01-15", a real date → "2027-01-15"
//   oui_non      oui / non (true / false) → "oui" / "non"
//   choix        one of the question's choices (case and spaces aside) → that choice
//   texte        one line, at most 200 characters; paragraphes: at most 2,000
// An empty answer is no answer. Only the letter's own questions are answered: another key is
// refused (`unknown_answer`), for a document's value changes only through a correction.
#pragma once

#include "comptoir/base/error.hpp"
#include "comptoir/letters/letters.hpp"

#include <cstddef>
#include <map>
#include <string>

namespace comptoir {

constexpr size_t kTextAnswerMax = 200;         // characters (code points) of a `texte` answer
constexpr size_t kParagraphsAnswerMax = 2000;  // of a `paragraphes` answer

// An answer refused: code "bad_answer" (the message names the question and the rule) or
// "unknown_answer". `key()` is the question's key.
class AnswerError : public BadRequestError {
public:
    AnswerError(std::string code, std::string key, const std::string& message_fr)
        : BadRequestError(std::move(code), message_fr), key_(std::move(key)) {}
    const std::string& key() const { return key_; }

private:
    std::string key_;
};

// The answers in their kept form, empty ones dropped. Throws AnswerError on the first answer
// refused (questions in the template's order, then unknown keys).
std::map<std::string, std::string> check_answers(const LetterTemplate& letter, const std::map<std::string, std::string>& answers);

// One answer in its kept form ("" for an empty one). Throws AnswerError.
std::string check_answer(const LetterQuestion& question, const std::string& value);

// The number of characters (code points) of a UTF-8 text.
size_t character_count(const std::string& text);

}  // namespace comptoir
