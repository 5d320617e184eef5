// comptoir/extract.hpp — the SDK's extraction engine: fields declared as data, read on any
// layout.
//
// A plugin declares each field once — its type (identifier, amount, date, period, count,
// decimal, name, address, text), a lexicon of the labels that announce it, the relations that
// may join a label to its value, and the constraints between fields — and the engine does the
// reading:
//   1. it finds every label of every field on the page (accents and case folded, OCR slips
//      tolerated within a bound that grows with the label's length; where two labels overlap,
//      the longer one wins: "Date limite de paiement" is not "Date");
//   2. from each label it reads a candidate value by each relation the field allows — right of
//      it on its line or row, below it in its block or table cell, under it further down its
//      column, large in the box it titles — and adds the candidates found without a label: an
//      identifier by its length and check, the name block of the envelope's address window;
//   3. it scores each candidate (the label's weight and match, the relation, the distance, the
//      value's own plausibility, the OCR confidence), and chooses one assignment for the whole
//      document: a value serves one field (unless both fields say they may share it), words
//      that are a label are never a value, and constraints (a total is the sum of its parts,
//      dates in order, what is left to pay is the tax minus what was paid) decide between
//      close candidates;
//   4. for each field it reports the value, its box, a confidence and its evidence (which
//      label, which relation); a field whose best candidate stays under its threshold is
//      missing — never a guess with a high confidence.
//
// Header-only, built with the partner's own compiler like the rest of the SDK. Pure functions
// of the words and boxes: unit-tested on saved OCR results, without Tesseract. The SDK guide
// (README.md, installed with these headers in share/doc/comptoir/sdk/, "Declaring fields")
// explains how a plugin uses it.
//
// The engine lives in the headers of comptoir/extract/, all included here, in the order of
// its steps: spec.hpp (the declarations), page.hpp (the words), labels.hpp (1), spans.hpp and
// values.hpp (2), candidates.hpp (2 and 3), assign.hpp (3 and 4).
#ifndef COMPTOIR_EXTRACT_HPP
#define COMPTOIR_EXTRACT_HPP

#include "comptoir/extract/assign.hpp"
#include "comptoir/extract/candidates.hpp"
#include "comptoir/extract/labels.hpp"
#include "comptoir/extract/page.hpp"
#include "comptoir/extract/spans.hpp"
#include "comptoir/extract/spec.hpp"
#include "comptoir/extract/values.hpp"
#include "comptoir/layout.hpp"
#include "comptoir/plugin.hpp"

#endif  // COMPTOIR_EXTRACT_HPP
