// The letter layout engine over libharu: A4, French administrative layout (sender top left,
// recipient in the window of a DL envelope, place and date, "Objet :", references, justified
// paragraphs and bullets, signature space, "Pièces jointes"), "page 1/2" when it runs over,
// optional annex pages carrying scanned pages, French typography (no break before ; : ! ? or
// inside « »). Text stays extractable (pdftotext gives the same words). Names and answers in any
// script the installed fonts cover (core/letters/src/text_shaping.hpp: NFC, bidi, Arabic
// shaping, a chain of TrueType faces); a character none can show is refused, never dropped.
#pragma once

#include "comptoir/letters/letters.hpp"

#include <string>
#include <vector>

struct Pix;

namespace comptoir {

// The TrueType faces tried in order for text beyond the standard PDF fonts (text_shaping.hpp).
std::vector<std::string> default_letter_fonts();

struct LetterPdfOptions {
    // TrueType (glyf) files, tried in order for each character of a text the standard PDF fonts
    // (Latin-1 and the French € œ « ») cannot show whole; only the faces used are embedded, as
    // subsets. A missing file is skipped.
    std::vector<std::string> fonts = default_letter_fonts();
    std::vector<Pix*> annex_pages;  // scanned pages, each on a page of its own after the letter
};

// The PDF bytes. Throws BadRequestError("unprintable_character", …) naming a character no font
// can show (an emoji, CJK without a TrueType CJK font); Error("pdf_failed", …) when libharu fails.
std::string render_letter_pdf(const ComposedLetter& letter, const LetterPdfOptions& options = {});

}  // namespace comptoir
