// The second reading of a page's doubtful numbers (core/reading/src/reread.hpp, issue 33 item 3):
// only the lines with a doubtful number are kept, cut out of the page; a line is read again
// only where a region crosses it (a field read there, a label with no value), and its second
// reading replaces the first when Tesseract is surer of it and its digits are close.
#include "reread.hpp"

#include "comptoir/image/image.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace comptoir;

namespace {

struct Engine {
    tesseract::TessBaseAPI api;
    bool ready = false;
    Engine() {
        api.SetVariable("debug_file", "/dev/null");
        ready = api.Init(nullptr, "fra", tesseract::OEM_LSTM_ONLY) == 0;
    }
    ~Engine() { api.End(); }
};

// Tesseract's test page, 8-bit gray, and its words as Tesseract reads the whole page.
struct Page {
    PixPtr image;
    std::vector<RawWord> words;
    PageTransform transform;  // the prepared page is the page itself
};

Page read_test_page(tesseract::TessBaseAPI& ocr) {
    Page page;
    PixPtr loaded(pixRead((std::string(COMPTOIR_SOURCE_DIR) + "/tests/data/tesseract/phototest.tif").c_str()));
    if (!loaded) return page;
    page.image = PixPtr(pixConvertTo8(loaded.get(), 0));
    ocr.SetPageSegMode(tesseract::PSM_AUTO);
    ocr.SetImage(page.image.get());
    ocr.SetSourceResolution(300);
    if (ocr.Recognize(nullptr) == 0) page.words = collect_words(ocr);
    ocr.Clear();
    const int width = pixGetWidth(page.image.get());
    const int height = pixGetHeight(page.image.get());
    page.transform.original_width = page.transform.scaled_width = width;
    page.transform.original_height = page.transform.scaled_height = height;
    return page;
}

size_t find_word(const std::vector<RawWord>& words, const std::string& text) {
    for (size_t i = 0; i < words.size(); ++i) {
        if (words[i].text == text) return i;
    }
    return words.size();
}

comptoir::Box line_on_page(const DoubtfulLines& lines, uint32_t line) {
    for (const auto& cut : lines.cuts) {
        if (cut.line == line) return cut.on_page;
    }
    return comptoir::Box{};
}

}  // namespace

TEST(Reread, OnlyTheDoubtfulLinesAreKeptAndOnlyThoseAskedForAreReadAgain) {
    Engine engine;
    ASSERT_TRUE(engine.ready) << "tesseract-ocr-fra";
    Page page = read_test_page(engine.api);
    ASSERT_TRUE(page.image);
    // The page's first line holds "12" ("a lot of 12 point text"), read sure: nothing doubtful.
    const size_t twelve = find_word(page.words, "12");
    ASSERT_LT(twelve, page.words.size());
    EXPECT_EQ(keep_doubtful_lines(page.image.get(), 300, page.words, page.transform, 1), nullptr);

    // A first reading that doubled a digit, as Tesseract does with bold numbers, unsure of it;
    // and a word with digits, doubtful too, on a line further down.
    std::vector<RawWord> first = page.words;
    first[twelve].text = "112";
    first[twelve].confidence = 0.1f;
    const uint32_t twelve_line = first[twelve].line;
    size_t other = first.size();
    for (size_t i = 0; i < first.size(); ++i) {
        if (first[i].line > twelve_line + 2 && first[i].text.size() >= 4) {
            other = i;
            break;
        }
    }
    ASSERT_LT(other, first.size());
    first[other].text = first[other].text + "7";
    first[other].confidence = 0.2f;
    const uint32_t other_line = first[other].line;

    const auto lines = keep_doubtful_lines(page.image.get(), 300, first, page.transform, 1);
    ASSERT_NE(lines, nullptr);
    ASSERT_EQ(lines->cuts.size(), 2u);
    for (const auto& cut : lines->cuts) {
        // A line and its margin, not the page.
        EXPECT_LT(pixGetHeight(cut.pixels.get()), pixGetHeight(page.image.get()) / 8);
    }

    // Asked nowhere near them: nothing is read.
    const OcrPool::Reread away = read_lines_again(engine.api, nullptr, *lines, {comptoir::Box{0, 0, 5, 5}});
    EXPECT_EQ(away.lines, 0u);
    EXPECT_EQ(away.replaced, 0u);
    EXPECT_TRUE(away.words.empty());

    // Asked where the "112" stands: its line alone is read again, and read right.
    const comptoir::Box asked = line_on_page(*lines, twelve_line);
    const OcrPool::Reread again = read_lines_again(engine.api, nullptr, *lines, {comptoir::Box{asked.x + asked.width / 2, asked.y, 4, 4}});
    EXPECT_EQ(again.lines, 1u);
    EXPECT_GE(again.replaced, 1u);
    ASSERT_FALSE(again.words.empty());
    const bool twelve_back = std::any_of(again.words.begin(), again.words.end(), [&](const Word& w) {
        return w.text == "12" && w.line_id == twelve_line && w.confidence >= kDoubtfulDigits;
    });
    EXPECT_TRUE(twelve_back);
    EXPECT_FALSE(std::any_of(again.words.begin(), again.words.end(), [](const Word& w) { return w.text == "112"; }));
    // The line not asked for keeps its first reading.
    const std::string kept = first[other].text;
    EXPECT_TRUE(std::any_of(again.words.begin(), again.words.end(),
                            [&](const Word& w) { return w.text == kept && w.line_id == other_line; }));
    // The words are those of the whole page, on it.
    EXPECT_GE(again.words.size() + 1, first.size());
    for (const Word& w : again.words) EXPECT_EQ(w.page, 1u);
}
