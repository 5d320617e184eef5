#include "comptoir/letters/letter_pdf.hpp"

#include "comptoir/image/image.hpp"

#include <hpdf.h>
#include <leptonica/allheaders.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <optional>

namespace comptoir {
namespace {

constexpr float kMm = 72.0f / 25.4f;
constexpr float kPageWidth = 595.28f;
constexpr float kPageHeight = 841.89f;
constexpr float kLeft = 25 * kMm;
constexpr float kRight = kPageWidth - 20 * kMm;
constexpr float kTop = kPageHeight - 18 * kMm;
constexpr float kBottom = 25 * kMm;
constexpr float kBodySize = 11.0f;
constexpr float kLeading = 15.0f;
const std::string kNbsp = "\u00A0";

// Unicode code points of a UTF-8 string (invalid bytes become U+FFFD).
std::vector<uint32_t> code_points(const std::string& text) {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        int length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (length == 0 || i + static_cast<size_t>(length) > text.size()) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        uint32_t cp = length == 1 ? c : length == 2 ? (c & 0x1F) : length == 3 ? (c & 0x0F) : (c & 0x07);
        for (int k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + static_cast<size_t>(k)]) & 0x3F);
        out.push_back(cp);
        i += static_cast<size_t>(length);
    }
    return out;
}

// The WinAnsi (CP1252) byte of a code point, if the standard fonts have it.
std::optional<char> win_ansi(uint32_t cp) {
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<char>(cp);
    switch (cp) {
    case 0x20AC: return static_cast<char>(0x80);  // €
    case 0x201A: return static_cast<char>(0x82);
    case 0x2026: return static_cast<char>(0x85);  // …
    case 0x2018: return static_cast<char>(0x91);
    case 0x2019: return static_cast<char>(0x92);  // ’
    case 0x201C: return static_cast<char>(0x93);
    case 0x201D: return static_cast<char>(0x94);
    case 0x2022: return static_cast<char>(0x95);  // •
    case 0x2013: return static_cast<char>(0x96);  // –
    case 0x2014: return static_cast<char>(0x97);  // —
    case 0x0152: return static_cast<char>(0x8C);  // Œ
    case 0x0153: return static_cast<char>(0x9C);  // œ
    case 0x0178: return static_cast<char>(0x9F);
    case 0x202F: return static_cast<char>(0xA0);  // narrow no-break space: a no-break space
    default: return std::nullopt;
    }
}

// No line break before ; : ! ? nor inside « »: the spaces there become no-break spaces
// (pdftotext gives them back as plain spaces).
std::string french_spacing(const std::string& text) {
    std::string out = text;
    const auto replace_all = [](std::string& s, const std::string& from, const std::string& to) {
        for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    };
    for (const char* mark : {":", ";", "!", "?", "»"}) replace_all(out, std::string(" ") + mark, kNbsp + mark);
    replace_all(out, "« ", "«" + kNbsp);
    replace_all(out, "\u202F", kNbsp);
    return out;
}

struct Fonts {
    HPDF_Font regular = nullptr;
    HPDF_Font bold = nullptr;
    bool unicode = false;  // embedded DejaVu with UTF-8, else Helvetica with WinAnsi
};

class Writer {
public:
    Writer() : pdf_(HPDF_New(&Writer::on_error, this)) {
        if (!pdf_) throw Error("pdf_failed", "La création du PDF a échoué.");
        HPDF_SetCompressionMode(pdf_, HPDF_COMP_ALL);
    }
    ~Writer() { HPDF_Free(pdf_); }

    void setup_fonts(bool unicode, const std::string& font_dir) {
        fonts_.unicode = unicode;
        if (unicode) {
            HPDF_UseUTFEncodings(pdf_);
            HPDF_SetCurrentEncoder(pdf_, "UTF-8");
            const char* regular = HPDF_LoadTTFontFromFile(pdf_, (font_dir + "/DejaVuSans.ttf").c_str(), HPDF_TRUE);
            const char* bold = HPDF_LoadTTFontFromFile(pdf_, (font_dir + "/DejaVuSans-Bold.ttf").c_str(), HPDF_TRUE);
            check();
            fonts_.regular = HPDF_GetFont(pdf_, regular, "UTF-8");
            fonts_.bold = HPDF_GetFont(pdf_, bold, "UTF-8");
        } else {
            fonts_.regular = HPDF_GetFont(pdf_, "Helvetica", "WinAnsiEncoding");
            fonts_.bold = HPDF_GetFont(pdf_, "Helvetica-Bold", "WinAnsiEncoding");
        }
        check();
    }

    // Text as the current fonts want it.
    std::string encode(const std::string& utf8) const {
        if (fonts_.unicode) return utf8;
        std::string out;
        for (uint32_t cp : code_points(utf8)) out.push_back(win_ansi(cp).value_or('?'));
        return out;
    }

    float width(const std::string& encoded, bool bold, float size) const {
        HPDF_Font font = bold ? fonts_.bold : fonts_.regular;
        const HPDF_TextWidth tw = HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(encoded.data()),
                                                      static_cast<HPDF_UINT>(encoded.size()));
        return static_cast<float>(tw.width) * size / 1000.0f;
    }

    void new_page() {
        page_ = HPDF_AddPage(pdf_);
        HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        pages_.push_back(page_);
        y_ = kTop;
        check();
    }

    // Draws `encoded` with its left edge at x, baseline at y.
    void text(float x, float y, const std::string& encoded, bool bold, float size, float gray = 0.0f) {
        HPDF_Page_SetGrayFill(page_, gray);
        HPDF_Page_BeginText(page_);
        HPDF_Page_SetFontAndSize(page_, bold ? fonts_.bold : fonts_.regular, size);
        HPDF_Page_TextOut(page_, x, y, encoded.c_str());
        HPDF_Page_EndText(page_);
    }

    // Word-wraps `utf8` into lines no wider than `max_width`; a word wider than a line is cut.
    std::vector<std::vector<std::string>> wrap(const std::string& utf8, float max_width, bool bold, float size) const {
        std::vector<std::string> words;
        std::string word;
        for (char c : french_spacing(utf8)) {
            if (c == ' ') {
                if (!word.empty()) words.push_back(word);
                word.clear();
            } else {
                word.push_back(c);
            }
        }
        if (!word.empty()) words.push_back(word);
        const float space = width(encode(" "), bold, size);
        std::vector<std::vector<std::string>> lines(1);
        float line_width = 0;
        for (const auto& w : words) {
            std::string encoded = encode(w);
            float word_width = width(encoded, bold, size);
            while (word_width > max_width) {  // a word longer than a line: cut it
                size_t cut = 0;
                if (fonts_.unicode) {
                    // Cut on code point boundaries.
                    size_t bytes = 0;
                    for (size_t i = 0; i < encoded.size();) {
                        const auto c = static_cast<unsigned char>(encoded[i]);
                        const size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
                        if (width(encoded.substr(0, i + length), bold, size) > max_width) break;
                        i += length;
                        bytes = i;
                    }
                    cut = std::max<size_t>(bytes, 1);
                } else {
                    while (cut < encoded.size() && width(encoded.substr(0, cut + 1), bold, size) <= max_width) ++cut;
                    cut = std::max<size_t>(cut, 1);
                }
                if (!lines.back().empty()) lines.emplace_back();
                lines.back().push_back(encoded.substr(0, cut));
                lines.emplace_back();
                line_width = 0;
                encoded = encoded.substr(cut);
                word_width = width(encoded, bold, size);
            }
            if (encoded.empty()) continue;
            const float needed = line_width == 0 ? word_width : line_width + space + word_width;
            if (needed > max_width && !lines.back().empty()) {
                lines.emplace_back();
                line_width = word_width;
            } else {
                line_width = needed;
            }
            lines.back().push_back(encoded);
        }
        if (lines.back().empty() && lines.size() > 1) lines.pop_back();
        return lines;
    }

    // Draws wrapped lines from the current position, justified except the last line.
    void paragraph(const std::string& utf8, float left, float right, bool bold, float size, bool justify) {
        const auto lines = wrap(utf8, right - left, bold, size);
        const float space = width(encode(" "), bold, size);
        for (size_t i = 0; i < lines.size(); ++i) {
            need(kLeading);
            const auto& words = lines[i];
            float natural = 0;
            for (const auto& w : words) natural += width(w, bold, size);
            const bool last = i + 1 == lines.size();
            const float gap = (justify && !last && words.size() > 1) ? (right - left - natural) / static_cast<float>(words.size() - 1)
                                                                    : space;
            float x = left;
            for (const auto& w : words) {
                text(x, y_, w, bold, size);
                x += width(w, bold, size) + gap;
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
    const Fonts& fonts() const { return fonts_; }

    void check() const {
        if (error_) throw Error("pdf_failed", "La création du PDF a échoué (erreur libharu " + std::to_string(error_) + ").");
    }

private:
    static void on_error(HPDF_STATUS error, HPDF_STATUS, void* self) { static_cast<Writer*>(self)->error_ = error; }

    HPDF_Doc pdf_;
    HPDF_Page page_ = nullptr;
    std::vector<HPDF_Page> pages_;
    Fonts fonts_;
    float y_ = kTop;
    HPDF_STATUS error_ = 0;
};

bool needs_unicode(const ComposedLetter& letter) {
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
    for (const std::string* text : texts) {
        for (uint32_t cp : code_points(*text)) {
            if (!win_ansi(cp)) return true;
        }
    }
    return false;
}

}  // namespace

std::string render_letter_pdf(const ComposedLetter& letter, const LetterPdfOptions& options) {
    Writer w;
    w.setup_fonts(needs_unicode(letter), options.font_dir);
    HPDF_SetInfoAttr(w.doc(), HPDF_INFO_TITLE, w.encode(letter.title).c_str());
    HPDF_SetInfoAttr(w.doc(), HPDF_INFO_CREATOR, "Comptoir");
    w.new_page();

    // Sender, top left.
    float y = kTop;
    if (!letter.sender_name.empty()) {
        w.text(kLeft, y, w.encode(letter.sender_name), true, 11);
        y -= 14;
    }
    for (const auto& line : letter.sender_address) {
        w.text(kLeft, y, w.encode(line), false, 10);
        y -= 13;
    }
    if (!letter.helped_by.empty()) {
        y -= 2;
        w.text(kLeft, y, w.encode(letter.helped_by), false, 8, 0.35f);
    }

    // Recipient, in the window of a DL envelope: from 110 mm, 50 mm from the top.
    const float window_left = 110 * kMm;
    float ry = kPageHeight - 50 * kMm - 11;
    if (!letter.mention.empty()) {  // "Lettre recommandée avec accusé de réception", above the address
        w.text(window_left, ry, w.encode(letter.mention), true, 9);
        ry -= 16;
    }
    for (const auto& line : letter.recipient) {
        for (const auto& wrapped : w.wrap(line, kRight - window_left, false, 11)) {
            std::string joined;
            for (const auto& part : wrapped) joined += (joined.empty() ? "" : w.encode(" ")) + part;
            w.text(window_left, ry, joined, false, 11);
            ry -= 14;
        }
    }

    // Place and date, right-aligned under the window.
    const float date_y = std::min(kPageHeight - 100 * kMm, std::min(ry, y) - 20);
    const std::string date = w.encode(letter.place_and_date);
    w.text(kRight - w.width(date, false, 11), date_y, date, false, 11);

    // Subject and references.
    w.set_y(date_y - 30);
    const std::string object_label = w.encode("Objet :");
    const float object_width = w.width(object_label + w.encode(" "), true, 11);
    w.text(kLeft, w.y(), object_label, true, 11);
    w.paragraph(letter.subject, kLeft + object_width, kRight, true, 11, false);
    for (const auto& [label, value] : letter.references) w.paragraph(label + " : " + value, kLeft, kRight, false, 10, false);
    w.space(14);

    // Body.
    for (size_t i = 0; i < letter.body.size(); ++i) {
        const auto& block = letter.body[i];
        if (block.bullet) {
            w.need(kLeading);
            w.text(kLeft + 8, w.y(), w.encode("\u2022"), false, kBodySize);
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
    w.text(signature_left, w.y(), w.encode("Signature :"), false, 10, 0.35f);
    w.space(28 * kMm);
    if (!letter.sender_name.empty()) {
        w.text(signature_left, w.y(), w.encode(letter.sender_name), false, kBodySize);
        w.space(kLeading);
    }
    if (!letter.attachments.empty()) {
        w.space(10);
        w.need(kLeading * 2);
        w.text(kLeft, w.y(), w.encode("Pièces jointes :"), true, 10);
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
        w.text(kLeft, kTop, w.encode("Annexe " + std::to_string(i + 1)), true, 11);
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
            const std::string label = w.encode("page " + std::to_string(i + 1) + "/" + std::to_string(letter_pages));
            HPDF_Page_SetGrayFill(page, 0.35f);
            HPDF_Page_BeginText(page);
            HPDF_Page_SetFontAndSize(page, w.fonts().regular, 9);
            HPDF_Page_TextOut(page, kRight - w.width(label, false, 9), 12 * kMm, label.c_str());
            HPDF_Page_EndText(page);
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
