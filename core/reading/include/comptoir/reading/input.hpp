// Loading an input file into pages: PNG, JPEG, TIFF (multi-page), PNM and PDF (each page
// rendered at 300 dpi with Poppler, less when that would pass limits.max_pixels; a page with a
// real text layer also gives its words). Sizes, page counts and the document's pixel budget are
// checked from headers, before anything is decoded; then a PageDecoder decodes one page at a
// time. The server decodes uploads in a child process (page_source.hpp), never in its own.
#pragma once

#include "comptoir/reading/document.hpp"
#include "comptoir/image/image.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace comptoir {

struct InputLimits {
    int64_t max_pixels = 100'000'000;  // per page
    int max_pages = 50;
    int64_t max_file_bytes = 200LL * 1024 * 1024;
    int64_t document_pixels = 300'000'000;  // all pages together, as decoded
};

// A page's size as it decodes (a PDF page's at the resolution it is rendered at).
struct PageSize {
    int64_t width = 0;
    int64_t height = 0;
    int32_t dpi = 0;  // 0 when the file does not say
    int64_t pixels() const { return width * height; }
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

// A file opened: its format and each page's size known and checked, no page decoded yet.
class PageDecoder {
public:
    // Throws InputError like load_document; too_heavy when the pages together pass
    // limits.document_pixels.
    static std::unique_ptr<PageDecoder> open(std::string data, const InputLimits& limits);
    virtual ~PageDecoder() = default;
    const std::string& format() const { return format_; }
    const std::vector<PageSize>& sizes() const { return sizes_; }
    // The page (0-based), decoded now. Throws InputError.
    virtual LoadedPage decode(size_t index) = 0;

protected:
    std::string format_;
    std::vector<PageSize> sizes_;
};

// Throws InputError with a code and a French message: not_found, empty_file, too_large,
// unsupported_format, unreadable, truncated, too_many_pages, too_heavy, encrypted_pdf, empty_page.
// Every page decoded, in this process: for tools and tests; the server uses PageSource.
LoadedDocument load_document(const std::string& path, const InputLimits& limits);
LoadedDocument load_document_from_memory(const std::string& data, const InputLimits& limits);

}  // namespace comptoir
