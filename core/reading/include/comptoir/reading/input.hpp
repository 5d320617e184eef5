// Loading an input file into pages: PNG, JPEG, TIFF (multi-page), PNM and PDF (each page
// rendered at 300 dpi with Poppler; a page with a real text layer also gives its words).
// Sizes and page counts are checked from headers, before anything is decoded.
#pragma once

#include "comptoir/reading/document.hpp"
#include "comptoir/image/image.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace comptoir {

struct InputLimits {
    int64_t max_pixels = 100'000'000;  // per page
    int max_pages = 50;
    int64_t max_file_bytes = 200LL * 1024 * 1024;
};

struct LoadedPage {
    PixPtr image;                 // the page as loaded (kept for display; boxes refer to it)
    int32_t dpi = 0;              // 0 when the file does not say
    bool text_layer = false;      // words come from the PDF's text layer
    std::vector<Word> words;      // text-layer words (page number set), boxes in image pixels
};

struct LoadedDocument {
    std::string format;  // "png", "jpeg", "tiff", "pnm", "pdf"
    std::vector<LoadedPage> pages;
};

// The DPI at which PDF pages are rendered.
constexpr int kPdfRenderDpi = 300;

// Throws InputError with a code and a French message: not_found, empty_file, too_large,
// unsupported_format, unreadable, truncated, too_many_pages, encrypted_pdf, empty_page.
LoadedDocument load_document(const std::string& path, const InputLimits& limits);
LoadedDocument load_document_from_memory(const std::string& data, const InputLimits& limits);

}  // namespace comptoir
