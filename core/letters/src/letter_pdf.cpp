#include "comptoir/letters/letter_pdf.hpp"

#include "comptoir/image/image.hpp"
#include "text_shaping.hpp"

#include <hpdf.h>
#include <leptonica/allheaders.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <optional>

namespace comptoir {
namespace {

using pdf_text::Style;

constexpr float kMm = 72.0f / 25.4f;
constexpr float kPageWidth = 595.28f;
constexpr float kPageHeight = 841.89f;
constexpr float kLeft = 25 * kMm;
constexpr float kRight = kPageWidth - 20 * kMm;
constexpr float kTop = kPageHeight - 18 * kMm;
constexpr float kBottom = 25 * kMm;
constexpr float kBodySize = 11.0f;
constexpr float kLeading = 15.0f;


// Fonts, shaping and the choice between the standard fonts and embedded faces are
// pdf_text::TextFonts' (text_shaping.hpp): a text the standard fonts can show whole stays in
// Helvetica; any other is shaped and drawn from the chain of TrueType faces.
class Writer {
public:
    explicit Writer(const std::vector<std::string>& font_files) : pdf_(HPDF_New(&Writer::on_error, this)) {
        if (!pdf_) throw Error("pdf_failed", "La création du PDF a échoué.");
        HPDF_SetCompressionMode(pdf_, HPDF_COMP_ALL);
        fonts_ = std::make_unique<pdf_text::TextFonts>(pdf_, font_files);
        check();
    }
    ~Writer() {
        fonts_.reset();
        HPDF_Free(pdf_);
    }

    float width(const std::string& utf8, Style style, bool bold, float size) const { return fonts_->width(utf8, style, bold, size); }

    void new_page() {
        page_ = HPDF_AddPage(pdf_);
        HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        pages_.push_back(page_);
        y_ = kTop;
        check();
    }

    // Draws one line of `utf8` with its left edge at x, baseline at y.
    void text(float x, float y, const std::string& utf8, bool bold, float size, float gray = 0.0f) const {
        fonts_->draw(page_, x, y, fonts_->shape(utf8, pdf_text::TextFonts::style_for(utf8), bold), size, bold, gray);
    }
    float text_width(const std::string& utf8, bool bold, float size) const {
        return width(utf8, pdf_text::TextFonts::style_for(utf8), bold, size);
    }

    // Word-wraps `utf8` (in `style`) into lines of words no wider than `max_width`; a word wider
    // than a line is cut between characters.
    std::vector<std::vector<std::string>> wrap(const std::string& utf8, Style style, float max_width, bool bold, float size) const {
        std::vector<std::string> words;
        std::string word;
        for (char c : pdf_text::french_spacing(utf8)) {
            if (c == ' ') {
                if (!word.empty()) words.push_back(word);
                word.clear();
            } else {
                word.push_back(c);
            }
        }
        if (!word.empty()) words.push_back(word);
        const float space = width(" ", Style::standard, bold, size);
        std::vector<std::vector<std::string>> lines(1);
        float line_width = 0;
        for (auto w : words) {
            float word_width = width(w, style, bold, size);
            while (word_width > max_width) {  // a word longer than a line: cut it on a character boundary
                size_t cut = 0;
                for (size_t i = 0; i < w.size();) {
                    const auto c = static_cast<unsigned char>(w[i]);
                    const size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
                    if (width(w.substr(0, i + length), style, bold, size) > max_width) break;
                    i += length;
                    cut = i;
                }
                if (cut == 0) cut = std::min(w.size(), static_cast<size_t>(1));
                while (cut < w.size() && (static_cast<unsigned char>(w[cut]) & 0xC0) == 0x80) ++cut;
                if (!lines.back().empty()) lines.emplace_back();
                lines.back().push_back(w.substr(0, cut));
                lines.emplace_back();
                line_width = 0;
                w = w.substr(cut);
                word_width = width(w, style, bold, size);
            }
            if (w.empty()) continue;
            const float needed = line_width == 0 ? word_width : line_width + space + word_width;
            if (needed > max_width && !lines.back().empty()) {
                lines.emplace_back();
                line_width = word_width;
            } else {
                line_width = needed;
            }
            lines.back().push_back(w);
        }
        if (lines.back().empty() && lines.size() > 1) lines.pop_back();
        return lines;
    }

    // Draws wrapped lines from the current position, justified except the last line; a line
    // with right-to-left words is reordered as a whole, then justified word by word.
    void paragraph(const std::string& utf8, float left, float right, bool bold, float size, bool justify) {
        const Style style = pdf_text::TextFonts::style_for(utf8);
        const auto lines = wrap(utf8, style, right - left, bold, size);
        const float space = width(" ", Style::standard, bold, size);
        for (size_t i = 0; i < lines.size(); ++i) {
            need(kLeading);
            std::string joined;
            for (const auto& w : lines[i]) joined += (joined.empty() ? "" : " ") + w;
            const auto words = fonts_->shape_words(joined, style, bold);
            float natural = 0;
            for (const auto& w : words) natural += w.width(size);
            const bool last = i + 1 == lines.size();
            const float gap = (justify && !last && words.size() > 1) ? (right - left - natural) / static_cast<float>(words.size() - 1)
                                                                    : space;
            float x = left;
            for (const auto& w : words) {
                fonts_->draw(page_, x, y_, w, size, bold);
                x += w.width(size) + gap;
            }
            y_ -= kLeading;
        }
    }

    // Starts a new page when fewer than `height` points are left.
    void need(float height) {
        if (y_ - height < kBottom) new_page();
    }

    void space(float points) { y_ -= points; }
    float y() const { return y_; }
    void set_y(float y) { y_ = y; }
    HPDF_Doc doc() const { return pdf_; }
    HPDF_Page page() const { return page_; }
    const std::vector<HPDF_Page>& pages() const { return pages_; }
    pdf_text::TextFonts& fonts() const { return *fonts_; }

    void check() const {
        if (error_) throw Error("pdf_failed", "La création du PDF a échoué (erreur libharu " + std::to_string(error_) + ").");
    }

private:
    static void on_error(HPDF_STATUS error, HPDF_STATUS, void* self) { static_cast<Writer*>(self)->error_ = error; }

    HPDF_Doc pdf_;
    std::unique_ptr<pdf_text::TextFonts> fonts_;
    HPDF_Page page_ = nullptr;
    std::vector<HPDF_Page> pages_;
    float y_ = kTop;
    HPDF_STATUS error_ = 0;
};

// Refuses, before anything is laid out, a letter with a character no font can show.
void check_printable(const ComposedLetter& letter, const pdf_text::TextFonts& fonts) {
    std::vector<const std::string*> texts = {&letter.title, &letter.place_and_date, &letter.subject, &letter.sender_name,
                                             &letter.helped_by, &letter.mention};
    for (const auto& line : letter.recipient) texts.push_back(&line);
    for (const auto& line : letter.sender_address) texts.push_back(&line);
    for (const auto& [label, value] : letter.references) {
        texts.push_back(&label);
        texts.push_back(&value);
    }
    for (const auto& block : letter.body) texts.push_back(&block.text);
    for (const auto& attachment : letter.attachments) texts.push_back(&attachment);
    for (const std::string* text : texts) fonts.check_printable(*text);
}

// The document's title in PDFDocEncoding (Latin-1 here; anything else as "?").
std::string info_text(const std::string& utf8) {
    std::string out;
    for (uint32_t cp : pdf_text::code_points(pdf_text::nfc(utf8))) out.push_back(cp < 0x100 && cp >= 0x20 ? static_cast<char>(cp) : '?');
    return out;
}

}  // namespace

std::string render_letter_pdf(const ComposedLetter& letter, const LetterPdfOptions& options) {
    Writer w(options.fonts);
    check_printable(letter, w.fonts());
    HPDF_SetInfoAttr(w.doc(), HPDF_INFO_TITLE, info_text(letter.title).c_str());
    HPDF_SetInfoAttr(w.doc(), HPDF_INFO_CREATOR, "Comptoir");
    w.new_page();

    // Sender, top left.
    float y = kTop;
    if (!letter.sender_name.empty()) {
        w.text(kLeft, y, letter.sender_name, true, 11);
        y -= 14;
    }
    for (const auto& line : letter.sender_address) {
        w.text(kLeft, y, line, false, 10);
        y -= 13;
    }
    if (!letter.helped_by.empty()) {
        y -= 2;
        w.text(kLeft, y, letter.helped_by, false, 8, 0.35f);
    }

    // Recipient, in the window of a DL envelope: from 110 mm, 50 mm from the top.
    const float window_left = 110 * kMm;
    float ry = kPageHeight - 50 * kMm - 11;
    if (!letter.mention.empty()) {  // "Lettre recommandée avec accusé de réception", above the address
        w.text(window_left, ry, letter.mention, true, 9);
        ry -= 16;
    }
    for (const auto& line : letter.recipient) {
        for (const auto& wrapped : w.wrap(line, pdf_text::TextFonts::style_for(line), kRight - window_left, false, 11)) {
            std::string joined;
            for (const auto& part : wrapped) joined += (joined.empty() ? "" : " ") + part;
            w.text(window_left, ry, joined, false, 11);
            ry -= 14;
        }
    }

    // Place and date, right-aligned under the window.
    const float date_y = std::min(kPageHeight - 100 * kMm, std::min(ry, y) - 20);
    const std::string& date = letter.place_and_date;
    w.text(kRight - w.text_width(date, false, 11), date_y, date, false, 11);

    // Subject and references.
    w.set_y(date_y - 30);
    const std::string object_label = "Objet :";
    const float object_width = w.text_width(object_label + " ", true, 11);
    w.text(kLeft, w.y(), object_label, true, 11);
    w.paragraph(letter.subject, kLeft + object_width, kRight, true, 11, false);
    for (const auto& [label, value] : letter.references) w.paragraph(label + " : " + value, kLeft, kRight, false, 10, false);
    w.space(14);

    // Body.
    for (size_t i = 0; i < letter.body.size(); ++i) {
        const auto& block = letter.body[i];
        if (block.bullet) {
            w.need(kLeading);
            w.text(kLeft + 8, w.y(), "\u2022", false, kBodySize);
            w.paragraph(block.text, kLeft + 22, kRight, false, kBodySize, true);
            w.space(2);
        } else {
            w.paragraph(block.text, kLeft, kRight, false, kBodySize, true);
            w.space(8);
        }
    }

    // Signature space, then attachments.
    w.need(40 * kMm);
    w.space(6);
    const float signature_left = kLeft + (kRight - kLeft) / 2;
    w.text(signature_left, w.y(), "Signature :", false, 10, 0.35f);
    w.space(28 * kMm);
    if (!letter.sender_name.empty()) {
        w.text(signature_left, w.y(), letter.sender_name, false, kBodySize);
        w.space(kLeading);
    }
    if (!letter.attachments.empty()) {
        w.space(10);
        w.need(kLeading * 2);
        w.text(kLeft, w.y(), "Pièces jointes :", true, 10);
        w.space(14);
        for (const auto& attachment : letter.attachments) w.paragraph("\u2013 " + attachment, kLeft + 8, kRight, false, 10, false);
    }

    // Annexes: each scanned page scaled to fit a page of its own.
    const size_t letter_pages = w.pages().size();
    for (size_t i = 0; i < options.annex_pages.size(); ++i) {
        // Raw samples straight to libharu (which compresses them): no PNG encode and decode.
        Pix* source = options.annex_pages[i];
        if (!source) continue;
        const bool colour = pixGetDepth(source) == 32;
        PixPtr pix(colour ? pixClone(source) : pixConvertTo8(source, 0));
        if (!pix) continue;
        const int width = pixGetWidth(pix.get());
        const int height = pixGetHeight(pix.get());
        std::vector<HPDF_BYTE> raw;
        raw.reserve(static_cast<size_t>(width) * static_cast<size_t>(height) * (colour ? 3 : 1));
        for (int row = 0; row < height; ++row) {
            const l_uint32* line = pixGetData(pix.get()) + row * pixGetWpl(pix.get());
            for (int x = 0; x < width; ++x) {
                if (colour) {
                    l_int32 r = 0, g = 0, b = 0;
                    extractRGBValues(line[x], &r, &g, &b);
                    raw.push_back(static_cast<HPDF_BYTE>(r));
                    raw.push_back(static_cast<HPDF_BYTE>(g));
                    raw.push_back(static_cast<HPDF_BYTE>(b));
                } else {
                    raw.push_back(static_cast<HPDF_BYTE>(GET_DATA_BYTE(line, x)));
                }
            }
        }
        HPDF_Image image = HPDF_LoadRawImageFromMem(w.doc(), raw.data(), static_cast<HPDF_UINT>(width), static_cast<HPDF_UINT>(height),
                                                    colour ? HPDF_CS_DEVICE_RGB : HPDF_CS_DEVICE_GRAY, 8);
        w.check();
        w.new_page();
        w.text(kLeft, kTop, "Annexe " + std::to_string(i + 1), true, 11);
        const float box_width = kRight - kLeft;
        const float box_height = kTop - 20 - kBottom;
        const float image_width = static_cast<float>(HPDF_Image_GetWidth(image));
        const float image_height = static_cast<float>(HPDF_Image_GetHeight(image));
        const float scale = std::min(box_width / image_width, box_height / image_height);
        HPDF_Page_DrawImage(w.page(), image, kLeft, kTop - 20 - image_height * scale, image_width * scale, image_height * scale);
    }

    // "page 1/2" at the foot of the letter's pages when it runs over one.
    if (letter_pages > 1) {
        for (size_t i = 0; i < letter_pages; ++i) {
            HPDF_Page page = w.pages()[i];
            const std::string label = "page " + std::to_string(i + 1) + "/" + std::to_string(letter_pages);
            const auto shaped = w.fonts().shape(label, Style::standard, false);
            w.fonts().draw(page, kRight - shaped.width(9), 12 * kMm, shaped, 9, false, 0.35f);
        }
    }
    w.check();

    if (HPDF_SaveToStream(w.doc()) != HPDF_OK) w.check();
    HPDF_ResetStream(w.doc());
    std::string pdf;
    for (;;) {
        HPDF_BYTE buffer[65536];
        HPDF_UINT32 size = sizeof buffer;
        HPDF_ReadFromStream(w.doc(), buffer, &size);
        if (size == 0) break;
        pdf.append(reinterpret_cast<const char*>(buffer), size);
    }
    w.check();
    return pdf;
}

}  // namespace comptoir
