#include "make_inputs.hpp"

#include <hpdf.h>
#include <zlib.h>

#include <stdexcept>

namespace comptoir::test {
namespace {

void be32(std::string& out, uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void chunk(std::string& png, const std::string& type, const std::string& data) {
    be32(png, static_cast<uint32_t>(data.size()));
    const std::string body = type + data;
    png += body;
    be32(png, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
}

void on_error(HPDF_STATUS error, HPDF_STATUS detail, void*) {
    throw std::runtime_error("libharu error " + std::to_string(error) + "/" + std::to_string(detail));
}

struct Pdf {
    HPDF_Doc doc = HPDF_New(on_error, nullptr);
    ~Pdf() { HPDF_Free(doc); }
};

// UTF-8 "é" and "€" to WinAnsi, for the base-14 fonts.
std::string to_win_ansi(const std::string& utf8) {
    std::string out;
    for (size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c == 0xC3 && i + 1 < utf8.size()) {
            out.push_back(static_cast<char>(static_cast<unsigned char>(utf8[++i]) + 0x40));
        } else if (c == 0xE2 && i + 2 < utf8.size() && static_cast<unsigned char>(utf8[i + 1]) == 0x82 &&
                   static_cast<unsigned char>(utf8[i + 2]) == 0xAC) {
            out.push_back(static_cast<char>(0x80));
            i += 2;
        } else {
            out.push_back(static_cast<char>(c));
        }
    }
    return out;
}

}  // namespace

std::string png_header_only(uint32_t width, uint32_t height) {
    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string header;
    be32(header, width);
    be32(header, height);
    header += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit gray
    chunk(png, "IHDR", header);
    chunk(png, "IEND", "");
    return png;
}

void write_text_pdf(const std::string& path, int pages, const std::string& text) {
    Pdf pdf;
    HPDF_Font font = HPDF_GetFont(pdf.doc, "Helvetica", "WinAnsiEncoding");
    const std::string encoded = to_win_ansi(text);
    for (int i = 0; i < pages; ++i) {
        HPDF_Page page = HPDF_AddPage(pdf.doc);
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        if (encoded.empty()) continue;
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, font, 14);
        HPDF_Page_TextOut(page, 72, HPDF_Page_GetHeight(page) - 72, encoded.c_str());
        HPDF_Page_TextOut(page, 72, HPDF_Page_GetHeight(page) - 100, "Montant total 87,43");
        HPDF_Page_EndText(page);
    }
    HPDF_SaveToFile(pdf.doc, path.c_str());
}

void write_encrypted_pdf(const std::string& path) {
    Pdf pdf;
    HPDF_Font font = HPDF_GetFont(pdf.doc, "Helvetica", "WinAnsiEncoding");
    HPDF_Page page = HPDF_AddPage(pdf.doc);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 14);
    HPDF_Page_TextOut(page, 72, 700, "Document confidentiel");
    HPDF_Page_EndText(page);
    HPDF_SetPassword(pdf.doc, "proprietaire", "secret");
    HPDF_SetEncryptionMode(pdf.doc, HPDF_ENCRYPT_R3, 16);
    HPDF_SaveToFile(pdf.doc, path.c_str());
}

void write_image_pdf(const std::string& path, const std::string& png_path) {
    Pdf pdf;
    HPDF_Page page = HPDF_AddPage(pdf.doc);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    HPDF_Image image = HPDF_LoadPngImageFromFile(pdf.doc, png_path.c_str());
    const float width = HPDF_Page_GetWidth(page);
    const float height = width * static_cast<float>(HPDF_Image_GetHeight(image)) / static_cast<float>(HPDF_Image_GetWidth(image));
    HPDF_Page_DrawImage(page, image, 0, HPDF_Page_GetHeight(page) - height, width, height);
    HPDF_SaveToFile(pdf.doc, path.c_str());
}

std::string zero_size_page_pdf() {
    // No xref table: Poppler rebuilds it, as it does for many damaged files in the wild.
    return "%PDF-1.4\n"
           "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
           "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 0 0] >> endobj\n"
           "trailer << /Root 1 0 R >>\n"
           "%%EOF\n";
}

}  // namespace comptoir::test
