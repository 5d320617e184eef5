// libFuzzer targets of a document's import (core/reading/src/input.cpp): what a visitor's file may be.
// Built twice: fuzz_image (PNG, JPEG, TIFF, PNM through Leptonica; PDFs skipped) and fuzz_pdf
// (COMPTOIR_FUZZ_PDF: every input is made to start as a PDF, read through Poppler). Whatever the
// bytes, load_document_from_memory() returns pages or throws comptoir::Error (InputError): no
// crash, no other exception, no leak, no undefined behaviour. fuzz/README.md.
#include "comptoir/base/error.hpp"
#include "comptoir/image/image.hpp"
#include "comptoir/reading/input.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
#ifdef COMPTOIR_FUZZ_PDF
    if (bytes.compare(0, 5, "%PDF-") != 0) bytes = "%PDF-1.4\n" + bytes;
#else
    if (bytes.compare(0, 5, "%PDF-") == 0) return -1;  // fuzz_pdf's
#endif
    comptoir::InputLimits limits;
    limits.max_pixels = 16'000'000;  // a page as big as a scan at 300 dpi, no more: the fuzzer's memory
    limits.max_pages = 4;
    try {
        const comptoir::LoadedDocument document = comptoir::load_document_from_memory(bytes, limits);
        for (const auto& page : document.pages) {
            if (!page.image) __builtin_trap();  // a page without an image is a bug
        }
    } catch (const comptoir::Error&) {
        // the expected answer to a damaged or refused file
    }
    return 0;
}
