// Text in any script for libharu 2.3, which stays the layout engine: what it cannot do itself
// is done here, and it is only handed code points in fonts whose glyphs it embeds whole.
//
// - Normalised to NFC (utf8proc): a decomposed "é" prints as é, Vietnamese as precomposed
//   letters.
// - The standard PDF fonts (Helvetica, not embedded) for a text they can show whole (WinAnsi:
//   Latin-1 and € œ « » …); otherwise every character from the first TrueType face of a chain
//   that has it (by its cmap) AND whose glyph survives libharu's subsetting. libharu embeds only
//   the glyphs it was asked for plus their direct components: a composite glyph whose components
//   are composites themselves loses them (DejaVu's ễ became "e", its medial ب lost its dot).
//   So a glyph nested deeper than one level counts as absent and the next face is tried. The
//   default chain (default_letter_fonts()): Liberation Sans 2 (Latin with Vietnamese, Greek,
//   Cyrillic; metric-compatible with Helvetica, so a name in it sits in a Helvetica letter without
//   a seam), Noto Sans Arabic (Arabic presentation forms, no nested glyph), DejaVu Sans for the
//   rest it can draw. Bold from a chain face is drawn as fill + stroke: one face embedded, not two.
// - Right-to-left and Arabic by FriBidi: bidi levels per line (base direction left to right: the
//   letters are French), Arabic joining shaped to presentation forms (lam-alef ligatures
//   included), each line reordered visually. libharu draws those code points left to right.
// - A character no face can show (CJK without a TrueType CJK font, emoji, anything past U+FFFF,
//   which libharu's UTF-8 fonts cannot address) is refused: BadRequestError
//   "unprintable_character" naming it, never a box or a silent drop. Default-ignorable
//   characters (joiners, variation selectors, bidi marks) are dropped after shaping.
//
// Usage (one TextFonts per HPDF_Doc; faces are loaded into the document on first use):
//   TextFonts fonts(doc, default_letter_fonts());
//   fonts.check_printable(name);                      // throws, naming the character
//   const Style style = fonts.style_for(name);        // standard fonts, or the chain
//   const ShapedText shaped = fonts.shape(name, style, /*bold=*/true);
//   fonts.draw(page, x, y, shaped, 11, /*bold=*/true);
#pragma once

#include <hpdf.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace comptoir {

// The default chain of TrueType faces (paths; a missing file is skipped).
std::vector<std::string> default_letter_fonts();

namespace pdf_text {

// `utf8` in NFC; invalid bytes become U+FFFD.
std::string nfc(const std::string& utf8);

// Unicode code points of a UTF-8 string (invalid bytes become U+FFFD).
std::vector<uint32_t> code_points(const std::string& utf8);

// The WinAnsi (CP1252) byte of a code point, if the standard fonts have it.
std::optional<char> win_ansi(uint32_t cp);

// No line break before ; : ! ? » nor after «: the spaces there become no-break spaces.
std::string french_spacing(std::string text);

// True when the standard PDF fonts (WinAnsiEncoding) have every character of `utf8`.
bool standard_fonts_suffice(const std::string& utf8);

enum class Style { standard, chain };

// A piece of text in one font, in drawing order; `bytes` are in that font's encoding (WinAnsi
// for the standard fonts, UTF-8 for a chain face).
struct Run {
    HPDF_Font font = nullptr;
    std::string bytes;
    bool chain = false;      // a chain face (bold is then drawn as fill + stroke)
    float width1000 = 0;     // advance at 1 pt × 1000
};

struct ShapedText {
    std::vector<Run> runs;
    float width(float size) const;
    bool empty() const { return runs.empty(); }
};

class TextFonts {
public:
    TextFonts(HPDF_Doc doc, std::vector<std::string> font_files);
    ~TextFonts();
    TextFonts(const TextFonts&) = delete;
    TextFonts& operator=(const TextFonts&) = delete;

    // Throws BadRequestError("unprintable_character") naming the first character of `utf8` that
    // neither the standard fonts nor any face of the chain can show.
    void check_printable(const std::string& utf8) const;

    // The standard fonts when they can show all of `utf8`, else the chain.
    static Style style_for(const std::string& utf8);

    // One line (logical order) shaped and reordered, in runs of one font each.
    ShapedText shape(const std::string& utf8, Style style, bool bold);
    // The same line cut at its spaces, words in visual order (for justified lines).
    std::vector<ShapedText> shape_words(const std::string& utf8, Style style, bool bold);

    float width(const std::string& utf8, Style style, bool bold, float size) { return shape(utf8, style, bold).width(size); }

    // Draws `text` with its left edge at x, baseline at y.
    void draw(HPDF_Page page, float x, float y, const ShapedText& text, float size, bool bold, float gray = 0.0f) const;

    // The standard regular font (WinAnsi), for text known to be plain (page numbers).
    HPDF_Font standard(bool bold) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace pdf_text
}  // namespace comptoir
