// The second reading extraction asks for (Pipeline::read_again, issue 33 item 3): a page's
// doubtful lines under the plugin's fields, or in the regions it asked for (plugin ABI 1.4,
// comptoir_host.ask_again), read again by the OCR pool, and the document made again with the
// words read surer.
#include "comptoir/plugin_host/pipeline.hpp"

#include "comptoir/reading/ocr.hpp"

#include <algorithm>
#include <cstddef>
#include <future>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace comptoir {
namespace {

// The document with the words of some pages (by number) replaced.
Document with_words_of(const Document& document, const std::map<uint32_t, std::vector<Word>>& again) {
    std::vector<Word> words;
    words.reserve(document.words().size());
    for (uint32_t page = 1; page <= document.page_count(); ++page) {
        if (const auto it = again.find(page); it != again.end()) {
            words.insert(words.end(), it->second.begin(), it->second.end());
            continue;
        }
        const auto [first, last] = document.word_range(page);
        words.insert(words.end(), document.words().begin() + static_cast<std::ptrdiff_t>(first),
                     document.words().begin() + static_cast<std::ptrdiff_t>(last));
    }
    return Document(document.pages(), std::move(words), document.barcodes());
}

}  // namespace

bool Pipeline::read_again(Document& document, const Extraction& extraction,
                          std::vector<std::shared_ptr<const DoubtfulLines>>& doubtful, ProcessResult& result) const {
    if (std::none_of(doubtful.begin(), doubtful.end(), [](const auto& lines) { return lines != nullptr; })) return false;
    // Where it asks: the words a field was read from, and where a field's label stands with no
    // value the plugin could take (ABI 1.4, comptoir_host.ask_again).
    std::map<uint32_t, std::vector<Box>> regions;
    for (const auto& [key, field] : extraction.fields) {
        if (field.source == Source::ocr && field.page > 0) regions[field.page].push_back(field.box);
    }
    for (const auto& [page, box] : extraction.asked) regions[page].push_back(box);
    std::vector<std::pair<uint32_t, std::future<OcrPool::Reread>>> readings;
    for (size_t i = 0; i < doubtful.size(); ++i) {
        const auto page = static_cast<uint32_t>(i + 1);
        const auto asked = regions.find(page);
        if (doubtful[i] && asked != regions.end()) readings.emplace_back(page, ocr().read_again(doubtful[i], asked->second));
    }
    std::map<uint32_t, std::vector<Word>> again;
    double ms = 0.0;  // the readings' own time, not their wait for an engine
    for (auto& [page, reading] : readings) {
        try {
            OcrPool::Reread reread = reading.get();
            ms += reread.ms;
            if (reread.replaced > 0) again[page] = std::move(reread.words);
        } catch (const std::exception&) {
            // The first reading stands: the page was read, its numbers are only less sure.
            result.warnings.push_back("La page " + std::to_string(page) +
                                      " n'a pas pu être relue : vérifiez les numéros qui y ont été lus.");
        }
    }
    doubtful.clear();  // the lines' pixels, no longer needed
    if (!again.empty()) document = with_words_of(document, again);
    result.timings_ms.emplace_back("reread", ms);
    return !again.empty();
}

}  // namespace comptoir
