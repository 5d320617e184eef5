// A letter's recipient: the address block in the envelope's window, complete or not written.
// Sources in the template's order (templates/README.md, "The recipient"), never mixed in one
// block: the mediator's own (the answer "destinataire"), then the document's address read whole,
// the site's directory of offices (the office serving the département the document names, else
// the site's), the template's default.
#pragma once

#include "comptoir/letters/letters.hpp"

#include <functional>
#include <string>
#include <vector>

namespace comptoir {

struct Recipient {
    std::vector<std::string> lines;
    std::string source;   // mediator, document, offices, template; "" when none gave one
    std::string problem;  // French, why no complete address was found; "" when complete
    std::string note;     // French, for the desk ("Ce document vient de la Caf du Val-de-Marne…")
    bool complete() const { return !lines.empty() && problem.empty(); }
};

// The lines of an address written as text: one per line, and an address field's parts joined
// with ", " (docs/formats.md) one per line again.
std::vector<std::string> postal_lines(const std::string& text);

// Why a block is not an address La Poste delivers, in French; "" when it is: a name, at least
// one more line, the last "<5-digit postcode> <city>" (Cedex forms included) of a known
// département, 6 lines at most.
std::string postal_problem(const std::vector<std::string>& lines);

// Resolves the recipient. `fields` and `answers` as given to the letter (answers checked);
// `render` renders the template's Mustache text with the letter's values.
Recipient resolve_recipient(const LetterTemplate& letter, const std::map<std::string, std::string>& fields,
                            const std::map<std::string, std::string>& answers, const SiteIdentity& site,
                            const std::function<std::string(const std::string&)>& render);

// The recipient of `letter` filled with `data` (answers checked: AnswerError), as
// compose_letter would set it.
Recipient recipient_of(const LetterTemplate& letter, const LetterData& data, const SiteIdentity& site);

}  // namespace comptoir
