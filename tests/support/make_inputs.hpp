// Builders of test inputs: good and bad images and PDFs, written to a folder.
#pragma once

#include <string>

namespace comptoir::test {

// A PNG whose header declares width × height, with a valid IHDR CRC but no pixels.
std::string png_header_only(uint32_t width, uint32_t height);

// A PDF of `pages` A4 pages; each carries `text` (WinAnsi: é and € are converted) at 72 pt from
// the left and top, in Helvetica 14, when `text` is not empty.
void write_text_pdf(const std::string& path, int pages, const std::string& text);

// A PDF protected by a user password.
void write_encrypted_pdf(const std::string& path);

// A one-page A4 PDF with a PNG drawn over the whole page (no text layer).
void write_image_pdf(const std::string& path, const std::string& png_path);

// A PDF whose only page has a zero MediaBox.
std::string zero_size_page_pdf();

}  // namespace comptoir::test
