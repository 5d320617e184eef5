// comptoir/layout.hpp — header-only helpers every partner plugin needs to read a page: find a
// label among the OCR words (accents, case and OCR noise tolerated, synonyms), read the value
// right of it or below it, parse French amounts, dates and grouped digits, and repair OCR
// confusions in identifiers only where a check then passes.
//
// Pure functions of the words and boxes: a plugin built on them is unit-tested on saved OCR
// results, without Tesseract.
//
// The helpers live in four headers, all included here: comptoir/layout/labels.hpp (finding a
// label, the words beside it), comptoir/layout/values.hpp (amounts, dates, periods, digits,
// text read from those words), comptoir/layout/address.hpp (a sender's postal address read
// whole) and comptoir/layout/fields.hpp (fields and their checks).
// Folding, distances and French amounts and dates come from comptoir/text.hpp.
#ifndef COMPTOIR_LAYOUT_HPP
#define COMPTOIR_LAYOUT_HPP

#include "comptoir/layout/address.hpp"
#include "comptoir/layout/fields.hpp"
#include "comptoir/layout/labels.hpp"
#include "comptoir/layout/values.hpp"

#endif  // COMPTOIR_LAYOUT_HPP
