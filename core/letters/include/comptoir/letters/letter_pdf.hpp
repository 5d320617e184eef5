// The letter layout engine over libharu: A4, French administrative layout (sender top left,
// recipient in the window of a DL envelope, place and date, "Objet :", references, justified
// paragraphs and bullets, signature space, "Pièces jointes"), "page 1/2" when it runs over,
// optional annex pages carrying scanned pages, French typography (no break before ; : ! ? or
// inside « »). Text stays extractable (pdftotext gives the same words).
#pragma once

#include "comptoir/letters/letters.hpp"

#include <string>
#include <vector>

struct Pix;

namespace comptoir {

struct LetterPdfOptions {
    // A font folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf, embedded only when the text has
    // characters beyond the standard PDF fonts (Latin-1 and the French € œ « »).
    std::string font_dir = "/usr/share/fonts/truetype/dejavu";
    std::vector<Pix*> annex_pages;  // scanned pages, each on a page of its own after the letter
};

// The PDF bytes. Throws Error("pdf_failed", …) when libharu fails.
std::string render_letter_pdf(const ComposedLetter& letter, const LetterPdfOptions& options = {});

}  // namespace comptoir
