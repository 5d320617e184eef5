// Inside core/letters: what the letters' code needs to know of a template's Mustache text and
// of the values put in it.
#pragma once

#include <string>
#include <vector>

namespace comptoir::letter_text {

// Plain variables used outside any section: they must have a value, or the letter would carry
// a blank. Variables inside {{#x}}…{{/x}} or {{^x}}…{{/x}} are conditional.
std::vector<std::string> unconditional_variables(const std::string& text);

// Every name a text uses: variables, sections and inverted sections.
std::vector<std::string> all_variables(const std::string& text);

// A value as it may appear in a letter: one line (several for `multiline`), no control
// characters, no bidirectional overrides (which could reorder what the visitor signs).
std::string clean_value(const std::string& value, bool multiline = false);

// {{site_caf}}, {{site_fsl}}, {{site_ccas}}…: the template variable of an office's kind.
std::string office_variable(const std::string& kind);

// A paragraph as French prints it, whatever the answers put in it: a capital at its start, no
// double full stop (an answer that ends with one before the template's own), no ". " after
// "?" or "!", no space before a comma or a full stop.
// A bullet (`capital_start` false) keeps the case it starts with.
std::string tidy_sentences(const std::string& paragraph, bool capital_start = true);

// The helpers a template may use (templates/README.md), applied to a section's rendered text:
//   {{#phrase}}…{{/phrase}}       a capital at its start, one full stop at its end
//   {{#minuscule}}…{{/minuscule}} its first word in lower case (after a colon), not an acronym
//   {{#pluriel}}{{n}} personne|personnes{{/pluriel}}  the form for the number that starts it
std::string as_sentence(const std::string& text);
std::string lower_first(const std::string& text);
std::string plural(const std::string& text);

// The names above, which a template may use without a field or a question giving them.
bool is_helper(const std::string& name);

}  // namespace comptoir::letter_text
