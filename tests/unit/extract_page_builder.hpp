// A page of words laid out by hand, as OCR gives them (text, box, line, block), for the tests of
// the SDK's extraction engine (extract_test.cpp, extract_wrap_test.cpp). No Tesseract.
#ifndef COMPTOIR_TESTS_EXTRACT_PAGE_BUILDER_HPP
#define COMPTOIR_TESTS_EXTRACT_PAGE_BUILDER_HPP

#include <comptoir/extract.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace x = comptoir::sdk::extract;
using comptoir::sdk::Word;

namespace extract_tests {

// Lays out words as OCR would box them: 20 px a character, a 12 px space, 40 px high (a
// `height` for large print), one line id per call.
class PageBuilder {
public:
    PageBuilder& line(int x, int y, const std::string& text, uint32_t block = 1, int height = 40, float confidence = 0.95f) {
        ++line_id_;
        std::istringstream in(text);
        std::string piece;
        int at = x;
        const int char_width = height / 2;
        while (in >> piece) {
            if (piece == "|") {  // a column gap
                at += 10 * height;
                continue;
            }
            const int width = char_width * static_cast<int>(utf8_length(piece));
            words_.push_back(Word{piece, confidence, 1, comptoir_box{at, y, width, height}, block, line_id_});
            at += width + height * 3 / 10;
        }
        return *this;
    }
    // Another segment on the same line (a table's far column).
    PageBuilder& same_line(int x, int y, const std::string& text, uint32_t block = 1, int height = 40) {
        --line_id_;
        return line(x, y, text, block, height);
    }
    const std::vector<Word>& words() const { return words_; }

private:
    static size_t utf8_length(const std::string& s) {
        size_t n = 0;
        for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
        return n;
    }
    std::vector<Word> words_;
    uint32_t line_id_ = 0;
};

inline std::map<std::string, x::Found> by_key(const std::vector<x::Found>& found) {
    std::map<std::string, x::Found> out;
    for (const auto& f : found) out[f.key] = f;
    return out;
}

inline x::FieldSpec field(const std::string& key, x::Type type, std::initializer_list<const char*> labels) {
    x::FieldSpec f;
    f.key = key;
    f.type = type;
    f.labels = x::lexicon(labels);
    return f;
}

inline x::FieldSpec digits(const std::string& key, size_t min, size_t max, std::initializer_list<const char*> labels) {
    auto f = field(key, x::Type::identifier, labels);
    f.min_length = min;
    f.max_length = max;
    return f;
}

}  // namespace extract_tests

#endif  // COMPTOIR_TESTS_EXTRACT_PAGE_BUILDER_HPP
