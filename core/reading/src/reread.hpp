// The words of a recognition, and the second reading of a page's doubtful numbers (issue 33,
// item 3): a line holding a word with digits read under 70 % is cut out of the prepared page
// when the page is read, and kept; it is read again on its own only when extraction asks for
// it (a field read from it, or a field's label with no value beside it). Private to the
// reading library (ocr.cpp).
#pragma once

#include "comptoir/reading/ocr.hpp"
#include "comptoir/reading/prepare.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace comptoir {

// A word as Tesseract gives it, its box in the prepared image.
struct RawWord {
    std::string text;
    float confidence = 0.0f;  // 0..1
    Box box;
    uint32_t block = 0;
    uint32_t line = 0;
};

// The words of the last recognition, blocks and lines numbered from 1.
std::vector<RawWord> collect_words(tesseract::TessBaseAPI& ocr);

// A word whose letters are ASCII ("981535502", "120MC390867"): one the English model may read.
bool ascii_word(const std::string& text);

// Below this confidence, a word with digits in it is doubtful: its line may be read again.
constexpr float kDoubtfulDigits = 0.70f;

// A doubtful word holding digits in ASCII letters: the English model is wanted for it.
bool doubtful_ascii_number(const RawWord& word);

// The words as the plugins see them: boxes on the upright page.
std::vector<Word> page_words(const std::vector<RawWord>& raw, const PageTransform& transform, uint32_t page);

// What a page keeps for its second reading: the words as first read (prepared image's pixels),
// and each doubtful line cut out of the prepared page with the margin a reading alone takes.
struct DoubtfulLines {
    struct Cut {
        uint32_t line = 0;
        Box box;                      // the line's words' bounds in the prepared image
        Box on_page;                  // the same on the upright page (the words' and fields' boxes)
        int x = 0, y = 0;             // where `pixels` stood in the prepared image
        std::shared_ptr<Pix> pixels;  // the line and its margin, 8-bit gray
    };
    std::vector<RawWord> raw;
    std::vector<Cut> cuts;  // in the page's line order, at most kMaxRereads
    PageTransform transform;
    int dpi = 0;
    uint32_t page = 0;
    bool ascii_number = false;  // some doubtful number in ASCII: the English engine helps
};

// The doubtful lines of `raw` (words read from `image`, the prepared page), cut out; null when
// no word is doubtful.
std::shared_ptr<const DoubtfulLines> keep_doubtful_lines(Pix* image, int dpi, std::vector<RawWord> raw,
                                                          const PageTransform& transform, uint32_t page);

// The doubtful lines crossing `regions` (boxes on the upright page) read again, each alone
// (`numbers`, when not null, reads a number still doubtful alone: Tesseract's English model):
// the page's words with the lines and numbers read surer replaced, and how many were.
OcrPool::Reread read_lines_again(tesseract::TessBaseAPI& ocr, tesseract::TessBaseAPI* numbers, const DoubtfulLines& lines,
                                 const std::vector<Box>& regions);

}  // namespace comptoir
