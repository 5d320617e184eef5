// The visitor's sheet as one A4 page (libharu): a title, then each block with its pictogram on
// the left (drawn with path operators: no image file) and its heading and lines on the right.
// Values (amounts, dates, numbers) are bold and larger than the words around them.
#include "comptoir/letters/visitor_sheet.hpp"
#include "text_shaping.hpp"

#include <hpdf.h>

#include <algorithm>
#include <optional>

namespace comptoir {
namespace {

constexpr float kMm = 72.0f / 25.4f;
constexpr float kPageWidth = 595.28f;
constexpr float kPageHeight = 841.89f;
constexpr float kLeft = 18 * kMm;
constexpr float kRight = kPageWidth - 18 * kMm;
constexpr float kTop = kPageHeight - 16 * kMm;
constexpr float kBottom = 14 * kMm;
constexpr float kPicto = 44.0f;                      // a pictogram's square
constexpr float kTextLeft = kLeft + kPicto + 16.0f;  // the blocks' text column




// The type sizes at a scale; none under kSheetMinimumSize.
struct Sizes {
    float title, subtitle, heading, body, value;
    explicit Sizes(float s)
        : title(std::max(20.0f, 28 * s)), subtitle(std::max(kSheetMinimumSize, 15 * s)), heading(std::max(15.0f, 19 * s)),
          body(std::max(kSheetMinimumSize, 17 * s)), value(std::max(16.0f, 21 * s)) {}
    float leading(float size) const { return size * 1.3f; }
};

// A word as drawn: pieces glued together (a value and the full stop after it).
struct Word {
    std::vector<std::pair<std::string, bool>> pieces;  // encoded text, is a value
    float width = 0;
    bool value = false;  // holds a value: the line is as tall as a value
};

class Sheet {
public:
    Sheet() : pdf_(HPDF_New(&Sheet::on_error, this)) {
        if (!pdf_) throw Error("pdf_failed", "La création de la fiche a échoué.");
        HPDF_SetCompressionMode(pdf_, HPDF_COMP_ALL);
    }
    ~Sheet() { HPDF_Free(pdf_); }
    Sheet(const Sheet&) = delete;
    Sheet& operator=(const Sheet&) = delete;

    void setup(bool unicode, const std::string& font_dir) {
        unicode_ = unicode;
        if (unicode) {
            HPDF_UseUTFEncodings(pdf_);
            HPDF_SetCurrentEncoder(pdf_, "UTF-8");
            const char* regular = HPDF_LoadTTFontFromFile(pdf_, (font_dir + "/DejaVuSans.ttf").c_str(), HPDF_TRUE);
            const char* bold = HPDF_LoadTTFontFromFile(pdf_, (font_dir + "/DejaVuSans-Bold.ttf").c_str(), HPDF_TRUE);
            check();
            regular_ = HPDF_GetFont(pdf_, regular, "UTF-8");
            bold_ = HPDF_GetFont(pdf_, bold, "UTF-8");
        } else {
            regular_ = HPDF_GetFont(pdf_, "Helvetica", "WinAnsiEncoding");
            bold_ = HPDF_GetFont(pdf_, "Helvetica-Bold", "WinAnsiEncoding");
        }
        page_ = HPDF_AddPage(pdf_);
        HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        check();
    }

    std::string encode(const std::string& utf8) const {
        if (unicode_) return utf8;
        std::string out;
        for (uint32_t cp : pdf_text::code_points(utf8)) out.push_back(pdf_text::win_ansi(cp).value_or('?'));
        return out;
    }

    float width(const std::string& encoded, bool bold, float size) const {
        const HPDF_TextWidth tw = HPDF_Font_TextWidth(bold ? bold_ : regular_, reinterpret_cast<const HPDF_BYTE*>(encoded.data()),
                                                      static_cast<HPDF_UINT>(encoded.size()));
        return static_cast<float>(tw.width) * size / 1000.0f;
    }

    void text(float x, float y, const std::string& encoded, bool bold, float size, float gray = 0.0f) {
        if (!draw_) return;
        HPDF_Page_SetGrayFill(page_, gray);
        HPDF_Page_BeginText(page_);
        HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
        HPDF_Page_TextOut(page_, x, y, encoded.c_str());
        HPDF_Page_EndText(page_);
    }

    // The words of a line: split at spaces, a value's pieces glued to what touches them; a word
    // wider than `room` is cut (on a character's boundary).
    std::vector<Word> words(const std::vector<SheetRun>& runs, bool heading, const Sizes& sizes, float room) const {
        std::vector<Word> out(1);
        for (const auto& run : runs) {
            const std::string text = run.value ? run.text : pdf_text::french_spacing(run.text);
            std::string piece;
            const bool bold = heading || run.value;
            const float size = heading ? sizes.heading : run.value ? sizes.value : sizes.body;
            const auto add = [&](const std::string& encoded) {
                out.back().pieces.emplace_back(encoded, run.value);
                out.back().width += width(encoded, bold, size);
                out.back().value = out.back().value || run.value;
            };
            const auto flush = [&] {
                if (piece.empty()) return;
                std::string encoded = encode(piece);
                piece.clear();
                while (out.back().width + width(encoded, bold, size) > room) {
                    size_t cut = 0;  // the longest head that fits what is left of the line
                    for (size_t i = 0; i < encoded.size();) {
                        const auto c = static_cast<unsigned char>(encoded[i]);
                        const size_t length = !unicode_ || c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
                        if (out.back().width + width(encoded.substr(0, i + length), bold, size) > room) break;
                        i += length;
                        cut = i;
                    }
                    if (cut == 0 && out.back().pieces.empty()) {  // not even one character fits: one anyway
                        const auto c = static_cast<unsigned char>(encoded[0]);
                        cut = !unicode_ || c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
                    }
                    if (cut > 0) add(encoded.substr(0, cut));
                    encoded.erase(0, cut);
                    if (encoded.empty()) return;
                    out.emplace_back();
                }
                add(encoded);
            };
            for (char c : text) {
                if (c == ' ') {
                    flush();
                    if (!out.back().pieces.empty()) out.emplace_back();
                } else {
                    piece.push_back(c);
                }
            }
            flush();
        }
        if (out.back().pieces.empty()) out.pop_back();
        return out;
    }

    // Lays a line out from the current y, wrapped in [left, right]; returns false when it ran
    // past the foot (what did not fit is cut, "…" said in its place).
    bool line(const std::vector<SheetRun>& runs, float left, float right, bool heading, const Sizes& sizes) {
        const auto all = words(runs, heading, sizes, right - left);
        const float space = width(encode(" "), heading, heading ? sizes.heading : sizes.body);
        size_t i = 0;
        while (i < all.size()) {
            size_t end = i;
            float used = 0;
            bool tall = false;
            while (end < all.size() && (end == i || used + space + all[end].width <= right - left)) {
                used += (end == i ? 0 : space) + all[end].width;
                tall = tall || all[end].value;
                ++end;
            }
            const float size = heading ? sizes.heading : tall ? sizes.value : sizes.body;
            if (y_ - sizes.leading(size) < kBottom) {
                overflow_ = true;
                if (draw_) text(left, y_ + 2, encode("\u2026"), false, sizes.body);
                return false;
            }
            y_ -= size;  // the baseline
            float x = left;
            for (size_t k = i; k < end; ++k) {
                for (const auto& [piece, value] : all[k].pieces) {
                    const bool bold = heading || value;
                    const float piece_size = heading ? sizes.heading : value ? sizes.value : sizes.body;
                    text(x, y_, piece, bold, piece_size, gray_);
                    x += width(piece, bold, piece_size);
                }
                x += space;
            }
            y_ -= sizes.leading(size) - size;
            i = end;
        }
        return true;
    }

    void pictogram(Pictogram picto, float x, float top);

    // The whole sheet from the top; `draw` false only measures.
    void lay_out(const ComposedSheet& sheet, const Sizes& sizes, bool draw) {
        draw_ = draw;
        overflow_ = false;
        y_ = kTop - sizes.title;
        text(kLeft, y_, encode(sheet.title), true, sizes.title);
        y_ -= sizes.leading(sizes.title) - sizes.title + 2;
        if (!sheet.subtitle.empty()) {
            Sizes small = sizes;
            small.body = sizes.subtitle;
            gray_ = 0.2f;
            line({{sheet.subtitle, false}}, kLeft, kRight, false, small);
            gray_ = 0.0f;
        }
        y_ -= 8;
        rule(y_);
        for (const auto& block : sheet.blocks) {
            y_ -= 14;
            const float top = y_;
            if (draw_) pictogram(block.pictogram, kLeft, top);
            bool fits = true;
            if (!block.heading.empty()) fits = line({{block.heading, false}}, kTextLeft, kRight, true, sizes);
            for (size_t i = 0; fits && i < block.lines.size(); ++i) fits = line(block.lines[i], kTextLeft, kRight, false, sizes);
            if (!fits) return;
            y_ = std::min(y_, top - kPicto) - 4;
            rule(y_);
        }
    }

    bool overflow() const { return overflow_; }

    std::string save() {
        check();
        if (HPDF_SaveToStream(pdf_) != HPDF_OK) check();
        HPDF_ResetStream(pdf_);
        std::string out;
        for (;;) {
            HPDF_BYTE buffer[65536];
            HPDF_UINT32 size = sizeof buffer;
            HPDF_ReadFromStream(pdf_, buffer, &size);
            if (size == 0) break;
            out.append(reinterpret_cast<const char*>(buffer), size);
        }
        check();
        return out;
    }

    void check() const {
        if (error_) throw Error("pdf_failed", "La création de la fiche a échoué (erreur libharu " + std::to_string(error_) + ").");
    }

private:
    static void on_error(HPDF_STATUS error, HPDF_STATUS, void* self) { static_cast<Sheet*>(self)->error_ = error; }

    void rule(float y) {
        if (!draw_) return;
        HPDF_Page_SetGrayStroke(page_, 0.75f);
        HPDF_Page_SetLineWidth(page_, 0.8f);
        HPDF_Page_MoveTo(page_, kLeft, y);
        HPDF_Page_LineTo(page_, kRight, y);
        HPDF_Page_Stroke(page_);
    }

    HPDF_Doc pdf_;
    HPDF_Page page_ = nullptr;
    HPDF_Font regular_ = nullptr;
    HPDF_Font bold_ = nullptr;
    bool unicode_ = false;
    bool draw_ = false;
    bool overflow_ = false;
    float gray_ = 0.0f;  // of the lines' text
    float y_ = kTop;
    HPDF_STATUS error_ = 0;
};

// Pictograms in a kPicto square whose top left corner is (x, top): dark strokes, light fills,
// legible in black and white.
void Sheet::pictogram(Pictogram picto, float x, float top) {
    HPDF_Page p = page_;
    const float y = top - kPicto;  // bottom left
    HPDF_Page_GSave(p);
    HPDF_Page_SetRGBStroke(p, 0.10f, 0.20f, 0.40f);
    HPDF_Page_SetRGBFill(p, 0.85f, 0.90f, 0.97f);
    HPDF_Page_SetLineWidth(p, 2.2f);
    HPDF_Page_SetLineJoin(p, HPDF_ROUND_JOIN);
    HPDF_Page_SetLineCap(p, HPDF_ROUND_END);
    const auto polygon = [&](std::initializer_list<std::pair<float, float>> points) {
        bool first = true;
        for (const auto& [px, py] : points) {
            if (first) HPDF_Page_MoveTo(p, x + px, y + py);
            else HPDF_Page_LineTo(p, x + px, y + py);
            first = false;
        }
        HPDF_Page_ClosePathFillStroke(p);
    };
    const auto segment = [&](float x1, float y1, float x2, float y2) {
        HPDF_Page_MoveTo(p, x + x1, y + y1);
        HPDF_Page_LineTo(p, x + x2, y + y2);
        HPDF_Page_Stroke(p);
    };
    switch (picto) {
    case Pictogram::papier:  // a page with a folded corner and lines of text
        polygon({{8, 2}, {8, 42}, {27, 42}, {36, 33}, {36, 2}});
        segment(27, 42, 27, 33);
        segment(27, 33, 36, 33);
        for (float ly : {26.0f, 20.0f, 14.0f, 8.0f}) segment(13, ly, 31, ly);
        break;
    case Pictogram::enveloppe:  // an envelope and its flap
        HPDF_Page_Rectangle(p, x + 2, y + 8, 40, 28);
        HPDF_Page_FillStroke(p);
        HPDF_Page_MoveTo(p, x + 2, y + 36);
        HPDF_Page_LineTo(p, x + 22, y + 19);
        HPDF_Page_LineTo(p, x + 42, y + 36);
        HPDF_Page_Stroke(p);
        break;
    case Pictogram::euro:  // a coin with the euro sign
        HPDF_Page_Circle(p, x + 22, y + 22, 20);
        HPDF_Page_FillStroke(p);
        HPDF_Page_Circle(p, x + 22, y + 22, 16);
        HPDF_Page_Stroke(p);
        HPDF_Page_Arc(p, x + 24, y + 22, 9, 140, 400);  // 0° up, clockwise: a C open to the right
        HPDF_Page_Stroke(p);
        segment(12, 24.5f, 25, 24.5f);
        segment(12, 19.5f, 25, 19.5f);
        break;
    case Pictogram::calendrier:  // a calendar page, its rings and its days
        HPDF_Page_Rectangle(p, x + 4, y + 3, 36, 35);
        HPDF_Page_Stroke(p);
        HPDF_Page_SetRGBFill(p, 0.10f, 0.20f, 0.40f);
        HPDF_Page_Rectangle(p, x + 4, y + 30, 36, 8);
        HPDF_Page_Fill(p);
        segment(13, 35, 13, 42);
        segment(31, 35, 31, 42);
        for (float dy : {20.0f, 11.0f}) {
            for (float dx : {9.0f, 19.0f, 29.0f}) {
                HPDF_Page_Rectangle(p, x + dx, y + dy, 6, 5);
                HPDF_Page_Fill(p);
            }
        }
        break;
    case Pictogram::dossier:  // a folder to keep papers in
        polygon({{3, 5}, {3, 37}, {15, 37}, {19, 32}, {41, 32}, {41, 5}});
        segment(3, 27, 41, 27);
        break;
    case Pictogram::horloge:  // a clock: wait for the answer
        HPDF_Page_Circle(p, x + 22, y + 22, 20);
        HPDF_Page_FillStroke(p);
        segment(22, 22, 22, 35);
        segment(22, 22, 31, 17);
        HPDF_Page_SetRGBFill(p, 0.10f, 0.20f, 0.40f);
        HPDF_Page_Circle(p, x + 22, y + 22, 2.5f);
        HPDF_Page_Fill(p);
        break;
    case Pictogram::recu:  // a receipt with a tick
        polygon({{9, 42}, {35, 42}, {35, 4}, {31, 8}, {26, 4}, {22, 8}, {18, 4}, {13, 8}, {9, 4}});
        segment(14, 24, 20, 17);
        segment(20, 17, 31, 32);
        break;
    }
    HPDF_Page_GRestore(p);
}

bool needs_unicode(const ComposedSheet& sheet) {
    std::vector<const std::string*> texts = {&sheet.title, &sheet.subtitle};
    for (const auto& block : sheet.blocks) {
        texts.push_back(&block.heading);
        for (const auto& line : block.lines) {
            for (const auto& run : line) texts.push_back(&run.text);
        }
    }
    for (const std::string* text : texts) {
        for (uint32_t cp : pdf_text::code_points(*text)) {
            if (!pdf_text::win_ansi(cp)) return true;
        }
    }
    return false;
}

}  // namespace

std::string render_sheet_pdf(const ComposedSheet& sheet, const SheetPdfOptions& options) {
    Sheet pdf;
    pdf.setup(needs_unicode(sheet), options.font_dir);
    // The largest type that fits one page, measured before drawing.
    float scale = 1.0f;
    for (; scale > 0.6f; scale -= 0.05f) {
        pdf.lay_out(sheet, Sizes(scale), false);
        if (!pdf.overflow()) break;
    }
    pdf.lay_out(sheet, Sizes(scale), true);
    return pdf.save();
}

}  // namespace comptoir
