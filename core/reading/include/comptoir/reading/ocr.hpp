// A pool of Tesseract engines: one worker thread per engine, each engine initialised once
// (never per page), pages of one or many documents read in parallel. Each worker also holds
// an orientation engine (Tesseract's OSD model) for page preparation.
//
// OpenMP inside Tesseract must be limited to one thread per engine: Debian's libgomp reads
// OMP_THREAD_LIMIT once, when it loads, so `comptoir` sets it before it starts comptoir-full
// (core/app/src/main.cpp); omp_thread_limit() tells what the process got.
#pragma once

#include "comptoir/reading/datamatrix.hpp"
#include "comptoir/reading/document.hpp"
#include "comptoir/image/image.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

namespace comptoir {

struct OcrOptions {
    std::string languages = "fra";  // Tesseract's "fra+eng" form
    int engines = 1;
    std::string tessdata_dir;       // empty: Tesseract's default (Debian's tessdata)
    bool detect_orientation = true;
    bool find_codes = true;      // look for DataMatrix codes (2D-Doc) on each page
    CodeSearchOptions codes;
};

// What a page keeps of its first reading for a second one (reread.hpp): its doubtful lines.
struct DoubtfulLines;

// What one page gives.
struct PageReading {
    PageInfo info;            // page number, size as loaded, dpi, rotation, skew
    std::vector<Word> words;  // boxes in pixels of the page as loaded
    double prepare_ms = 0.0;
    double ocr_ms = 0.0;
    std::vector<FoundCode> codes;  // DataMatrix codes, boxes on the upright page (like the words')
    std::vector<Box> damaged_codes;  // what looks like a code and could not be decoded, likewise
    double codes_ms = 0.0;
    // The lines holding a doubtful number (a word with digits read under 70 %), cut out of the
    // prepared page for OcrPool::read_again; null when there is none. A few lines' pixels.
    std::shared_ptr<const DoubtfulLines> doubtful;
};

class OcrPool {
public:
    // Starts the workers and initialises every engine; throws Error("ocr_init", …) naming the
    // missing language data.
    explicit OcrPool(OcrOptions options);
    ~OcrPool();
    OcrPool(const OcrPool&) = delete;
    OcrPool& operator=(const OcrPool&) = delete;

    // Queues a page (kept alive by the pool until read). `page_number` is 1-based.
    // `quarter_turns` >= 0: the page is turned that many clockwise quarter turns to be upright
    // (the mediator said so), instead of its orientation being detected. `progress`, when given,
    // is raised as the page is read (another thread may look at it): 10 once the page is
    // prepared, up to 90 as Tesseract recognises its words (its ETEXT_DESC monitor), 100 once read.
    // Past `deadline` (the reading's time limit) the page is not read, or Tesseract is stopped
    // (its monitor's cancel): InputError("timeout"), and the engine is free for the next page.
    std::future<PageReading> read(std::shared_ptr<Pix> page, int dpi, uint32_t page_number, int quarter_turns = -1,
                                  std::shared_ptr<std::atomic<int>> progress = nullptr,
                                  std::chrono::steady_clock::time_point deadline =
                                      std::chrono::steady_clock::time_point::max());

    // A second reading, where extraction asks for it.
    struct Reread {
        std::vector<Word> words;  // the page's words, when `replaced` > 0 (else empty)
        uint32_t lines = 0;       // doubtful lines read again
        uint32_t replaced = 0;    // lines, or numbers alone, read surer and replaced
        double ms = 0.0;
    };
    // The page's doubtful lines crossing `regions` (boxes on the upright page, like its words',
    // where a field was read or its label found with no value) read again, each on its own,
    // by an engine of the pool. Nothing is read when no doubtful line crosses them.
    std::future<Reread> read_again(std::shared_ptr<const DoubtfulLines> lines, std::vector<Box> regions);

    int engines() const;
    const OcrOptions& options() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A shared_ptr owning a new reference to `pix`.
std::shared_ptr<Pix> share_pix(PixPtr pix);

// omp_get_thread_limit() of this process (0 when OpenMP is not loaded).
int omp_thread_limit();

// Tesseract's version string.
std::string tesseract_version();

}  // namespace comptoir
