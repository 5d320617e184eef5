#include "reread.hpp"

#include "comptoir/reading/text_metrics.hpp"

#include <tesseract/resultiterator.h>

#include <comptoir/text/fold.hpp>

#include <algorithm>
#include <iterator>
#include <limits>

namespace comptoir {
namespace {

// At most this many lines a page are kept and read again (a noisy page must not take minutes).
constexpr size_t kMaxRereads = 40;

std::string digits_of(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c >= '0' && c <= '9') out.push_back(c);
    }
    return out;
}

bool doubtful_word(const RawWord& w) { return w.confidence < kDoubtfulDigits && text::has_digit(w.text); }

// Where a reading alone cuts `region` (padded, within `width` x `height`): left, top, right, bottom.
std::array<int, 4> padded(const Box& region, int x0, int y0, int x1, int y1) {
    const int pad = std::max(2, region.height / 8);
    return {std::max(x0, region.x - pad), std::max(y0, region.y - pad), std::min(x1, region.x + region.width + pad),
            std::min(y1, region.y + region.height + pad)};
}

// What Tesseract reads of a region of the page alone, cut close, on a white margin of its own
// (single-line segmentation): Tesseract reads a line best with blank around it, and a margin
// cut from the page would bring in the lines above and below. `cut` holds the region's
// pixels. The words' boxes are back in the prepared page's pixels, their height the region's
// (single-line segmentation stretches boxes over the margin it was given).
std::vector<RawWord> read_alone(tesseract::TessBaseAPI& ocr, const DoubtfulLines::Cut& cut, int dpi, const Box& region) {
    Pix* pixels = cut.pixels.get();
    const auto [left, top, right, bottom] =
        padded(region, cut.x, cut.y, cut.x + pixGetWidth(pixels), cut.y + pixGetHeight(pixels));
    if (right <= left || bottom <= top) return {};
    ::Box* cut_box = boxCreate(left - cut.x, top - cut.y, right - left, bottom - top);
    PixPtr alone_cut(pixClipRectangle(pixels, cut_box, nullptr));
    boxDestroy(&cut_box);
    const int margin = std::max(10, region.height * 3 / 4);
    PixPtr alone(alone_cut ? pixAddBorder(alone_cut.get(), margin, 255) : nullptr);
    if (!alone) return {};
    ocr.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
    ocr.SetImage(alone.get());
    ocr.SetSourceResolution(dpi);
    std::vector<RawWord> again;
    if (ocr.Recognize(nullptr) == 0) again = collect_words(ocr);
    ocr.SetPageSegMode(tesseract::PSM_AUTO);
    for (RawWord& w : again) {
        w.box.x = std::max(0, w.box.x + left - margin);
        w.box.y = region.y;
        w.box.height = region.height;
    }
    return again;
}

// The words' mean confidence, weighted by their length.
template <typename Iterator>
double mean_confidence(Iterator first, Iterator last) {
    double weight = 0.0, sum = 0.0;
    for (auto w = first; w != last; ++w) {
        weight += static_cast<double>(w->text.size());
        sum += static_cast<double>(w->text.size()) * w->confidence;
    }
    return weight > 0 ? sum / weight : 0.0;
}

bool overlap(const Box& a, const Box& b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

// A repair, not another text: digits that differ by a character or two (a digit read twice,
// one dropped).
bool close_digits(const std::string& before, const std::string& after) {
    return edit_distance(before, after) <= std::max<size_t>(2, before.size() / 4);
}

}  // namespace

std::vector<RawWord> collect_words(tesseract::TessBaseAPI& ocr) {
    std::vector<RawWord> words;
    std::unique_ptr<tesseract::ResultIterator> it(ocr.GetIterator());
    if (!it) return words;
    uint32_t block = 0;
    uint32_t line = 0;
    do {
        if (it->IsAtBeginningOf(tesseract::RIL_BLOCK)) ++block;
        if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
        std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
        if (!text || text[0] == '\0') continue;
        std::string word_text(text.get());
        if (word_text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
        int left = 0, top = 0, right = 0, bottom = 0;
        if (!it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom)) continue;
        RawWord word;
        word.text = std::move(word_text);
        word.confidence = std::clamp(it->Confidence(tesseract::RIL_WORD) / 100.0f, 0.0f, 1.0f);
        word.box = Box{left, top, right - left, bottom - top};
        word.block = block;
        word.line = line;
        words.push_back(std::move(word));
    } while (it->Next(tesseract::RIL_WORD));
    return words;
}

bool ascii_word(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool doubtful_ascii_number(const RawWord& word) { return doubtful_word(word) && ascii_word(word.text); }

std::vector<Word> page_words(const std::vector<RawWord>& raw, const PageTransform& transform, uint32_t page) {
    std::vector<Word> words;
    words.reserve(raw.size());
    for (const RawWord& r : raw) {
        Word word;
        word.text = r.text;
        word.confidence = r.confidence;
        word.page = page;
        word.box = transform.box_to_page(r.box);
        word.block_id = r.block;
        word.line_id = r.line;
        words.push_back(std::move(word));
    }
    return words;
}

std::shared_ptr<const DoubtfulLines> keep_doubtful_lines(Pix* image, int dpi, std::vector<RawWord> raw,
                                                          const PageTransform& transform, uint32_t page) {
    std::vector<uint32_t> doubtful;
    for (const RawWord& w : raw) {
        if (doubtful_word(w) && (doubtful.empty() || doubtful.back() != w.line)) doubtful.push_back(w.line);
    }
    if (doubtful.empty() || !image) return nullptr;
    if (doubtful.size() > kMaxRereads) doubtful.resize(kMaxRereads);
    auto lines = std::make_shared<DoubtfulLines>();
    const int width = pixGetWidth(image);
    const int height = pixGetHeight(image);
    for (uint32_t line : doubtful) {
        int x0 = std::numeric_limits<int>::max(), y0 = std::numeric_limits<int>::max(), x1 = 0, y1 = 0;
        for (const RawWord& w : raw) {
            if (w.line != line) continue;
            x0 = std::min(x0, w.box.x);
            y0 = std::min(y0, w.box.y);
            x1 = std::max(x1, w.box.x + w.box.width);
            y1 = std::max(y1, w.box.y + w.box.height);
        }
        const Box box{x0, y0, x1 - x0, y1 - y0};
        const auto [left, top, right, bottom] = padded(box, 0, 0, width, height);
        if (right <= left || bottom <= top) continue;
        ::Box* cut_box = boxCreate(left, top, right - left, bottom - top);
        PixPtr pixels(pixClipRectangle(image, cut_box, nullptr));
        boxDestroy(&cut_box);
        if (!pixels) continue;
        DoubtfulLines::Cut cut;
        cut.line = line;
        cut.box = box;
        cut.on_page = transform.box_to_page(box);
        cut.x = left;
        cut.y = top;
        cut.pixels = share_pix(std::move(pixels));
        lines->cuts.push_back(std::move(cut));
    }
    lines->ascii_number = std::any_of(raw.begin(), raw.end(), doubtful_ascii_number);
    lines->raw = std::move(raw);
    lines->transform = transform;
    lines->dpi = dpi;
    lines->page = page;
    return lines;
}

// Tesseract's page layout analysis sometimes reads a long number in bold with a digit twice
// ("50555917957" as "505559179577", confidence 0) where the same line on its own (single-line
// segmentation) reads right. Each line asked for is read again alone, and the second reading
// replaces the first when Tesseract is surer of it. Where the line alone is no better (its
// words of text weigh in its confidence, or the number stays misread beside them: "N° de
// facture : 8599879965"), the number is read again alone, without its line.
OcrPool::Reread read_lines_again(tesseract::TessBaseAPI& ocr, tesseract::TessBaseAPI* numbers, const DoubtfulLines& lines,
                                 const std::vector<Box>& regions) {
    OcrPool::Reread out;
    std::vector<const DoubtfulLines::Cut*> asked;
    for (const auto& cut : lines.cuts) {
        if (std::any_of(regions.begin(), regions.end(), [&](const Box& r) { return overlap(r, cut.on_page); })) {
            asked.push_back(&cut);
        }
    }
    if (asked.empty()) return out;
    const auto cut_of = [&](uint32_t line) -> const DoubtfulLines::Cut* {
        for (const auto* cut : asked) {
            if (cut->line == line) return cut;
        }
        return nullptr;
    };
    std::vector<RawWord> words = lines.raw;
    size_t tries = 0;
    for (const auto* cut : asked) {
        const uint32_t line = cut->line;
        auto first = std::find_if(words.begin(), words.end(), [line](const RawWord& w) { return w.line == line; });
        auto last = std::find_if(first, words.end(), [line](const RawWord& w) { return w.line != line; });
        if (first == last) continue;
        ++tries;
        ++out.lines;
        std::vector<RawWord> again = read_alone(ocr, *cut, lines.dpi, cut->box);
        if (again.empty()) continue;
        for (RawWord& w : again) {
            w.block = first->block;
            w.line = line;
        }
        if (mean_confidence(again.begin(), again.end()) <= mean_confidence(first, last)) continue;
        // About as many words, and digits close to the first reading's: not a line cut otherwise.
        std::string digits_before;
        std::string digits_after;
        for (auto w = first; w != last; ++w) digits_before += digits_of(w->text);
        for (const RawWord& w : again) digits_after += digits_of(w.text);
        const size_t words_before = static_cast<size_t>(std::distance(first, last));
        if (again.size() > words_before + 1 || !close_digits(digits_before, digits_after)) continue;
        ++out.replaced;
        const auto at = words.erase(first, last);
        words.insert(at, std::make_move_iterator(again.begin()), std::make_move_iterator(again.end()));
    }
    // The numbers of those lines still doubtful, each alone: replaced by one word read surer.
    for (RawWord& w : words) {
        if (!doubtful_word(w) || tries >= 2 * kMaxRereads) continue;
        const auto* cut = cut_of(w.line);
        if (!cut) continue;
        ++tries;
        std::vector<RawWord> again = read_alone(numbers && ascii_word(w.text) ? *numbers : ocr, *cut, lines.dpi, w.box);
        if (again.size() != 1 || again[0].confidence < kDoubtfulDigits || again[0].confidence <= w.confidence) continue;
        const std::string digits_after = digits_of(again[0].text);
        if (digits_after.empty() || !close_digits(digits_of(w.text), digits_after)) continue;
        ++out.replaced;
        w.text = std::move(again[0].text);
        w.confidence = again[0].confidence;
    }
    if (out.replaced > 0) out.words = page_words(words, lines.transform, lines.page);
    return out;
}

}  // namespace comptoir
