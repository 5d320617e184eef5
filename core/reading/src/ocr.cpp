#include "comptoir/reading/ocr.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/reading/prepare.hpp"
#include "orientation.hpp"
#include "reread.hpp"
#include "screen.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>

#include <Poco/Logger.h>

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <limits>
#include <mutex>
#include <thread>

namespace comptoir {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

Poco::Logger& logger() { return Poco::Logger::get("comptoir.ocr"); }

const char* tessdata(const OcrOptions& options) {
    return options.tessdata_dir.empty() ? nullptr : options.tessdata_dir.c_str();
}

TessPtr make_engine(const OcrOptions& options, const std::string& languages, tesseract::OcrEngineMode mode) {
    TessPtr api(new tesseract::TessBaseAPI);
    // Quiet: Tesseract's warnings would otherwise fill the server's stderr.
    api->SetVariable("debug_file", "/dev/null");
    if (api->Init(tessdata(options), languages.c_str(), mode) != 0) {
        throw Error("ocr_init", "impossible d'initialiser Tesseract avec la langue « " + languages +
                                    " » : installez le paquet tesseract-ocr-<langue> (par exemple tesseract-ocr-fra) "
                                    "ou corrigez ocr.languages");
    }
    return api;
}

// Throws the engines' start error when `model`'s file is not beside the engine's own model (a
// model loaded only when a page first needs it is said missing at start all the same).
void require_model(tesseract::TessBaseAPI& engine, const std::string& model) {
    std::error_code error;
    const auto* folder = engine.GetDatapath();
    if (folder && std::filesystem::exists(std::filesystem::path(folder) / (model + ".traineddata"), error)) return;
    throw Error("ocr_init", "modèle « " + model + " » de Tesseract introuvable : installez le paquet tesseract-ocr-" + model);
}

struct Job {
    // A task for an engine instead of a page (a second reading): it keeps its own promise.
    std::function<void(tesseract::TessBaseAPI&)> task;
    std::shared_ptr<Pix> page;
    int dpi = 0;
    uint32_t page_number = 0;
    int quarter_turns = -1;  // >= 0: turned so, as the mediator said, instead of detected
    std::promise<PageReading> promise;
    std::shared_ptr<std::atomic<int>> progress;  // may be null
    Clock::time_point deadline = Clock::time_point::max();  // the reading's: cancelled after it
};

[[noreturn]] void timed_out(const Job& job) {
    throw InputError("timeout", "La lecture a pris trop de temps et a été arrêtée (page " +
                                    std::to_string(job.page_number) + ") : envoyez le document en plus petit, "
                                    "ou seulement les pages utiles.");
}

// Raises a page's progress to `percent` (never lowers it: a page read a second time, turned).
void advance(const Job& job, int percent) {
    if (!job.progress) return;
    int seen = job.progress->load();
    while (seen < percent && !job.progress->compare_exchange_weak(seen, percent)) {
    }
}

// Tesseract's progress monitor, which tells the page's own: its word recognition (0..100) is
// 10..90 of the page.
struct Monitor : tesseract::ETEXT_DESC {
    const Job* job = nullptr;
    static bool told(tesseract::ETEXT_DESC* self, int, int, int, int) {
        const auto* monitor = static_cast<Monitor*>(self);
        advance(*monitor->job, 10 + std::clamp(static_cast<int>(self->progress), 0, 100) * 80 / 100);
        return true;
    }
    // Tesseract asks this between words: past the reading's deadline, it stops.
    static bool cancelled(void* self, int) { return Clock::now() > static_cast<Monitor*>(self)->job->deadline; }
};

// The model that reads a number again alone: Tesseract's English model reads the bold digits
// that the French one doubles ("981535502" as "9815335502" at confidence 0.2, where English
// reads it right at 0.95); a number has no language. One per OCR thread, made the first time a
// page has a doubtful number; without it (no English model installed), the page's own engine.
tesseract::TessBaseAPI* number_engine(const OcrOptions& options) {
    thread_local TessPtr engine;
    thread_local bool tried = false;
    if (!tried) {
        tried = true;
        try {
            engine = make_engine(options, "eng", tesseract::OEM_LSTM_ONLY);
        } catch (const Error&) {
            logger().warning("modèle anglais de Tesseract absent (tesseract-ocr-eng) : les nombres douteux sont relus en français");
        }
    }
    return engine.get();
}

constexpr int kMinLegibleSide = 400;    // pixels, the long side of the page as loaded
constexpr int kMinLegibleNarrowSide = 64;  // and its short side

// A page of which the OCR made out little: of its words of three letters or digits or more, fewer
// than 8 read with some confidence, or fewer than two in five. Measured on generated pages: a
// clean scan or a sharp photo, 85 to 100 % of such words; a photo blurred by 3 pixels, 32 %; a
// capture 450 pixels wide, 21 %.
int letters_of(const std::string& text) {
    int letters = 0;
    for (const unsigned char c : text) letters += (std::isalnum(c) || c >= 0x80) ? 1 : 0;
    return letters;
}

bool little_made_out(const std::vector<Word>& words) {
    int long_words = 0;
    int sure = 0;
    for (const Word& word : words) {
        if (letters_of(word.text) < 3) continue;
        ++long_words;
        if (word.confidence >= 0.6f) ++sure;
    }
    if (long_words == 0) return false;  // no text to speak of: a drawing, a blank form
    return sure < 8 || sure * 5 < long_words * 2;
}

}  // namespace

std::shared_ptr<Pix> share_pix(PixPtr pix) {
    return std::shared_ptr<Pix>(pix.release(), PixDeleter());
}

struct OcrPool::Impl {
    OcrOptions options;
    std::vector<std::thread> workers;
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> queue;
    bool stopping = false;
    Orientation orientation{[this] { return make_engine(options, "osd", tesseract::OEM_TESSERACT_ONLY); }};

    void run(std::promise<void> ready) {
        TessPtr ocr;
        try {
            ocr = make_engine(options, options.languages, tesseract::OEM_LSTM_ONLY);
            // The orientation model is loaded when a page first needs it: said missing now,
            // not on that page.
            if (options.detect_orientation) require_model(*ocr, "osd");
            ready.set_value();
        } catch (...) {
            ready.set_exception(std::current_exception());
            return;
        }
        for (;;) {
            Job job;
            {
                std::unique_lock<std::mutex> lock(mutex);
                wake.wait(lock, [this] { return stopping || !queue.empty(); });
                if (queue.empty()) return;  // stopping, nothing left
                job = std::move(queue.front());
                queue.pop_front();
            }
            if (job.task) {
                job.task(*ocr);
                continue;
            }
            try {
                job.promise.set_value(read_and_tell(*ocr, job));
            } catch (...) {
                job.promise.set_exception(std::current_exception());
            }
        }
    }

    // Words of three letters or digits or more, read with some confidence, in a band across the
    // middle third of `image` turned `turn` quarter turns clockwise.
    static int sure_words_in_band(tesseract::TessBaseAPI& ocr, Pix* image, int turn, int dpi) {
        PixPtr turned(turn ? pixRotateOrth(image, turn) : pixClone(image));
        if (!turned) return 0;
        // Cut out, not Tesseract's SetRectangle: with it, the band read 2 to 10 times fewer
        // words (its layout analysis and threshold are not the band's own).
        const int w = pixGetWidth(turned.get());
        const int h = pixGetHeight(turned.get());
        ::Box* middle = boxCreate(0, h / 3, w, h / 3);
        PixPtr band(pixClipRectangle(turned.get(), middle, nullptr));
        boxDestroy(&middle);
        if (!band) return 0;
        ocr.SetPageSegMode(tesseract::PSM_AUTO);
        ocr.SetImage(band.get());
        ocr.SetSourceResolution(dpi);
        int sure = 0;
        if (ocr.Recognize(nullptr) == 0) {
            for (const RawWord& word : collect_words(ocr)) {
                if (letters_of(word.text) >= 3 && word.confidence >= 0.6f) ++sure;
            }
        }
        ocr.Clear();
        return sure;
    }

    // The page as `prepared` says, read: its sides, turn and skew, the codes' boxes on the upright
    // page, and the words. False when there is nothing to read (blank, too dark).
    static void fill_info(const Job& job, const PreparedPage& prepared, const std::vector<FoundCode>& codes,
                          const std::vector<Box>& damaged, PageReading& reading) {
        reading.info.page = job.page_number;
        // The page as shown: turned upright like the prepared image, so that words, codes and
        // the image the desk shows agree, and the plugins' "right of" and "below" hold.
        reading.info.width = prepared.transform.page_width();
        reading.info.height = prepared.transform.page_height();
        reading.codes = codes;
        for (FoundCode& code : reading.codes) code.box = prepared.transform.original_box_to_page(code.box);
        reading.damaged_codes = damaged;
        for (Box& box : reading.damaged_codes) box = prepared.transform.original_box_to_page(box);
        reading.info.dpi = job.dpi;
        reading.info.rotation_deg = prepared.rotation_deg;
        reading.info.skew_deg = prepared.skew_deg;
        reading.info.blank = prepared.blank;
        reading.info.perspective = prepared.perspective;
    }

    // The prepared image is Tesseract's while it reads: Tesseract works on a copy of its own, so
    // ours is let go for that time (a page's worth of memory an engine, at the time the engines'
    // memory peaks) and given back afterwards as a reference to Tesseract's copy, the same pixels,
    // for the lines read again and the senses tried.
    bool read_prepared(tesseract::TessBaseAPI& ocr, const Job& job, PreparedPage& prepared,
                       const std::vector<FoundCode>& codes, const std::vector<Box>& damaged, PageReading& reading) {
        fill_info(job, prepared, codes, damaged, reading);
        if (prepared.blank) return false;
        reading.info.screen = screen_photo(job.page.get());
        if (prepared.too_dark) {
            reading.info.illegible = true;
            return false;
        }
        const auto ocr_start = Clock::now();
        ocr.SetPageSegMode(tesseract::PSM_AUTO);
        ocr.SetImage(prepared.image.get());
        ocr.SetSourceResolution(prepared.ocr_dpi);
        if (Pix* copy = ocr.GetInputImage()) prepared.image = PixPtr(pixClone(copy));
        advance(job, 10);
        Monitor monitor;
        monitor.job = &job;
        monitor.progress_callback2 = &Monitor::told;
        monitor.cancel = &Monitor::cancelled;
        monitor.cancel_this = &monitor;
        const int recognised = ocr.Recognize(&monitor);
        if (Clock::now() > job.deadline) {
            ocr.Clear();
            timed_out(job);
        }
        if (recognised != 0) {
            ocr.Clear();
            throw InputError("ocr_failed", "La lecture de la page " + std::to_string(job.page_number) + " a échoué.");
        }
        std::vector<RawWord> raw = collect_words(ocr);
        ocr.Clear();
        reading.words = page_words(raw, prepared.transform, job.page_number);
        // The doubtful numbers are read again only where extraction asks (read_again).
        reading.doubtful = keep_doubtful_lines(prepared.image.get(), prepared.ocr_dpi, std::move(raw),
                                               prepared.transform, job.page_number);
        reading.ocr_ms = elapsed_ms(ocr_start);
        return true;
    }

    PageReading read_page(tesseract::TessBaseAPI& ocr, const Job& job) {
        PageReading reading;
        if (options.find_codes) {
            // On the page as loaded, so that the boxes need no mapping back.
            CodeSearch search = find_datamatrix(job.page.get(), options.codes);
            reading.codes = std::move(search.codes);
            reading.damaged_codes = std::move(search.damaged);
            reading.codes_ms = search.ms;
        }
        const auto prepare_start = Clock::now();
        const int forced = job.quarter_turns;
        PreparedPage prepared = prepare_page(job.page.get(), job.dpi, [this, forced](Pix* gray) {
            if (forced >= 0) return forced;
            return options.detect_orientation ? orientation.quarter_turns(gray) : 0;
        });
        reading.prepare_ms = elapsed_ms(prepare_start);
        const std::vector<FoundCode> codes = reading.codes;  // boxes on the page as loaded
        const std::vector<Box> damaged = reading.damaged_codes;
        if (!read_prepared(ocr, job, prepared, codes, damaged, reading)) return reading;
        // An image a few hundred pixels long holds no legible page (a whole A4 page in 400
        // pixels is 34 dpi), nor a strip a few dozen wide: said so, unless it is a code cut out
        // on its own.
        const int loaded_width = pixGetWidth(job.page.get());
        const int loaded_height = pixGetHeight(job.page.get());
        const bool too_small = std::max(loaded_width, loaded_height) < kMinLegibleSide ||
                               std::min(loaded_width, loaded_height) < kMinLegibleNarrowSide;
        reading.info.illegible = little_made_out(reading.words) || (too_small && reading.codes.empty());
        // A page the mediator turned is read as turned, never turned again.
        if (!reading.info.illegible || too_small || forced >= 0) return reading;
        // Little made out: perhaps the page was not turned the right way (OSD and Leptonica
        // both fooled, one turned photo in four). A band across the middle of the page is read
        // in the other three senses; one that reads twice as many words, and enough, wins, and
        // the page is prepared and read again that way.
        const auto retry_start = Clock::now();
        const int as_turned = sure_words_in_band(ocr, prepared.image.get(), 0, prepared.ocr_dpi);
        int best = 0;
        int best_sure = as_turned;
        for (const int turn : {2, 1, 3}) {
            const int sure = sure_words_in_band(ocr, prepared.image.get(), turn, prepared.ocr_dpi);
            if (sure > best_sure) {
                best = turn;
                best_sure = sure;
            }
        }
        if (best != 0 && best_sure >= 8 && best_sure > 2 * as_turned) {
            const int quads = (prepared.transform.quads + best) % 4;
            PreparedPage turned = prepare_page(job.page.get(), job.dpi, [quads](Pix*) { return quads; });
            PageReading again;
            again.codes_ms = reading.codes_ms;
            again.prepare_ms = reading.prepare_ms;
            if (read_prepared(ocr, job, turned, codes, damaged, again)) {
                again.info.illegible = little_made_out(again.words);
                again.ocr_ms += reading.ocr_ms;
                reading = std::move(again);
            }
        }
        reading.ocr_ms += elapsed_ms(retry_start);
        return reading;
    }

    PageReading read_and_tell(tesseract::TessBaseAPI& ocr, const Job& job) {
        if (Clock::now() > job.deadline) timed_out(job);  // waited too long in the queue
        PageReading reading = read_page(ocr, job);
        advance(job, 100);
        return reading;
    }
};

OcrPool::OcrPool(OcrOptions options) : impl_(std::make_unique<Impl>()) {
    // Leptonica prints its informational notes ("not enough confidence to get orientation") on
    // stderr, in the middle of the commands' output, and its errors too, in English, where the
    // calls that fail already return an error that Comptoir reports in French.
    setMsgSeverity(L_SEVERITY_NONE);
    impl_->options = std::move(options);
    const int engines = std::max(1, impl_->options.engines);
    std::vector<std::future<void>> ready;
    for (int i = 0; i < engines; ++i) {
        std::promise<void> promise;
        ready.push_back(promise.get_future());
        impl_->workers.emplace_back([impl = impl_.get(), p = std::move(promise)]() mutable { impl->run(std::move(p)); });
    }
    std::exception_ptr failure;
    for (auto& future : ready) {
        try {
            future.get();
        } catch (...) {
            failure = std::current_exception();
        }
    }
    if (failure) {
        {
            std::lock_guard<std::mutex> lock(impl_->mutex);
            impl_->stopping = true;
        }
        impl_->wake.notify_all();
        for (auto& worker : impl_->workers) worker.join();
        std::rethrow_exception(failure);
    }
    logger().information("OCR : " + std::to_string(engines) + " moteur(s) Tesseract " + tesseract_version() +
                         ", langues " + impl_->options.languages + ", OpenMP limité à " +
                         std::to_string(omp_thread_limit()) + " fil(s)");
}

OcrPool::~OcrPool() {
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    for (auto& worker : impl_->workers) worker.join();
}

std::future<PageReading> OcrPool::read(std::shared_ptr<Pix> page, int dpi, uint32_t page_number, int quarter_turns,
                                       std::shared_ptr<std::atomic<int>> progress,
                                       std::chrono::steady_clock::time_point deadline) {
    Job job;
    job.deadline = deadline;
    job.progress = std::move(progress);
    job.quarter_turns = quarter_turns < 0 ? -1 : quarter_turns % 4;
    job.page = std::move(page);
    job.dpi = dpi;
    job.page_number = page_number;
    std::future<PageReading> future = job.promise.get_future();
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        impl_->queue.push_back(std::move(job));
    }
    impl_->wake.notify_one();
    return future;
}

std::future<OcrPool::Reread> OcrPool::read_again(std::shared_ptr<const DoubtfulLines> lines, std::vector<Box> regions) {
    auto promise = std::make_shared<std::promise<Reread>>();
    std::future<Reread> future = promise->get_future();
    if (!lines || regions.empty()) {
        promise->set_value(Reread{});
        return future;
    }
    Job job;
    job.task = [impl = impl_.get(), promise, lines = std::move(lines), regions = std::move(regions)](tesseract::TessBaseAPI& ocr) {
        try {
            const auto start = Clock::now();
            Reread reread = read_lines_again(ocr, lines->ascii_number ? number_engine(impl->options) : nullptr, *lines, regions);
            ocr.Clear();
            reread.ms = elapsed_ms(start);
            if (reread.replaced > 0) {
                logger().debug("page " + std::to_string(lines->page) + " : " + std::to_string(reread.replaced) +
                               " ligne(s) ou nombre(s) relu(s) seul(s)");
            }
            promise->set_value(std::move(reread));
        } catch (...) {
            promise->set_exception(std::current_exception());
        }
    };
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        // Before the pages waiting: the document asking is the one being finished.
        impl_->queue.push_front(std::move(job));
    }
    impl_->wake.notify_one();
    return future;
}

int OcrPool::engines() const { return static_cast<int>(impl_->workers.size()); }
const OcrOptions& OcrPool::options() const { return impl_->options; }

int omp_thread_limit() {
    // libgomp comes with libtesseract; look it up rather than link OpenMP ourselves.
    using Fn = int (*)();
    const auto fn = reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, "omp_get_thread_limit"));
    return fn ? fn() : 0;
}

std::string tesseract_version() { return tesseract::TessBaseAPI::Version(); }

}  // namespace comptoir
