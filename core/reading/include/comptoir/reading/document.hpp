// A document as the host holds it after reading: pages, words with boxes, text, barcodes.
// It is what plugins read through the host table of plugin.h. A Document can be built from
// the OCR engine or from a saved OCR result (JSON), so extraction is testable without
// Tesseract.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace comptoir {

struct Box {
    int32_t x = 0;
    int32_t y = 0;
    int32_t width = 0;
    int32_t height = 0;
};

struct PageInfo {
    uint32_t page = 0;  // 1-based
    int32_t width = 0;
    int32_t height = 0;
    int32_t dpi = 0;
    int32_t rotation_deg = 0;
    double skew_deg = 0.0;
    bool text_layer = false;
    bool blank = false;  // no ink on the page: not read
    bool perspective = false;  // a photographed sheet, straightened before reading
    // Read, but little of it made out (a blurred, dark or tiny image): its fields are doubtful and
    // the mediator is asked for a better picture. A page too dark to read is illegible, not blank.
    bool illegible = false;
    // A photo of a screen (its rows of pixels show as stripes): read, but its fields are doubtful
    // and the mediator is asked for a capture or the file itself.
    bool screen = false;
};

struct Word {
    std::string text;
    float confidence = 0.0f;  // 0 to 1
    uint32_t page = 0;        // 1-based
    Box box;
    uint32_t block_id = 0;
    uint32_t line_id = 0;
};

// What a 2D-Doc's signature says (docs/formats.md, "What a value is worth").
enum class CodeStatus { valid, invalid_signature, unknown_certificate, malformed };
const char* to_string(CodeStatus status);  // "valid", "invalid_signature", …
// And back; none for another name.
std::optional<CodeStatus> code_status_named(const std::string& name);

// A decoded code. For a 2D-Doc (format "2ddoc"): its header, what its signature says
// (docs/formats.md, "What a value is worth": valid, invalid_signature, unknown_certificate, malformed) and its fields
// by 2D-Doc id, values as the code holds them.
struct Barcode {
    uint32_t page = 0;
    Box box;
    std::string format;
    std::string version;        // "02", "03", "04"
    std::string authority;      // "FR00"
    std::string certificate;    // "0001"
    std::string document_type;  // "01" bill, "28" income tax notice…
    std::optional<CodeStatus> status;  // a 2D-Doc's; none for another code
    bool test_authority = false;  // signed by FR00, the specification's test authority
    std::string detail;           // French: what the check found, for the mediator's warning
    std::vector<std::pair<std::string, std::string>> fields;
};

class Document {
public:
    Document() = default;
    Document(std::vector<PageInfo> pages, std::vector<Word> words, std::vector<Barcode> barcodes = {});

    // From a saved OCR result:
    //   {"pages": [{"width": …, "height": …, "dpi": …, "words": [
    //       {"text": "Facture", "confidence": 0.96, "box": [x, y, w, h], "block": 1, "line": 3}, …]}, …],
    //    "barcodes": [{"page": 1, "box": […], "format": "2ddoc", "status": "valid",
    //                  "document_type": "01", "fields": {"18": "…"}}]}
    // Throws InputError on malformed JSON.
    static Document from_json(const std::string& json);
    // The same format, written back: what `comptoir process --ocr-out` saves, so that a plugin
    // can be tried again on a page without reading it again.
    std::string to_json() const;

    uint32_t page_count() const { return static_cast<uint32_t>(pages_.size()); }
    const std::vector<PageInfo>& pages() const { return pages_; }
    const std::vector<Barcode>& barcodes() const { return barcodes_; }

    // Words of one page (1-based) or of all pages (0).
    const std::vector<Word>& words() const { return words_; }
    std::pair<size_t, size_t> word_range(uint32_t page) const;  // [first, last) in words()

    // Lines separated by '\n', blocks by an empty line; page 0: pages separated by '\f'.
    const std::string& text(uint32_t page) const;

private:
    std::vector<PageInfo> pages_;
    std::vector<Word> words_;  // sorted by page
    std::vector<Barcode> barcodes_;
    std::vector<std::pair<size_t, size_t>> ranges_;  // per page
    std::vector<std::string> texts_;                 // [0] whole document, [n] page n
};

}  // namespace comptoir
