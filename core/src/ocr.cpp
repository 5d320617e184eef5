#include "comptoir/ocr.hpp"

#include "comptoir/error.hpp"
#include "comptoir/prepare.hpp"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <Poco/Logger.h>

#include <dlfcn.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace comptoir {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

Poco::Logger& logger() { return Poco::Logger::get("comptoir.ocr"); }

struct TessDeleter {
    void operator()(tesseract::TessBaseAPI* api) const noexcept {
        if (api) {
            api->End();
            delete api;
        }
    }
};
using TessPtr = std::unique_ptr<tesseract::TessBaseAPI, TessDeleter>;

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

struct Job {
    std::shared_ptr<Pix> page;
    int dpi = 0;
    uint32_t page_number = 0;
    std::promise<PageReading> promise;
};

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

    void run(std::promise<void> ready) {
        TessPtr ocr;
        TessPtr osd;
        try {
            ocr = make_engine(options, options.languages, tesseract::OEM_LSTM_ONLY);
            if (options.detect_orientation) osd = make_engine(options, "osd", tesseract::OEM_TESSERACT_ONLY);
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
            try {
                job.promise.set_value(read_page(*ocr, osd.get(), job));
            } catch (...) {
                job.promise.set_exception(std::current_exception());
            }
        }
    }

    static int detect_orientation(tesseract::TessBaseAPI* osd, Pix* gray) {
        if (!osd) return 0;
        // Most pages arrive upright. Tesseract's OSD classifies some 250 characters with the
        // legacy engine (about half a second a page here), Leptonica's morphological test takes
        // some 10 ms: when Leptonica is sure the page is upright, that is the answer; any other
        // case (turned, or unsure) goes to Tesseract's OSD, which decides.
        {
            // On a full page at 300 dpi, half the resolution is plenty for this test and four
            // times faster.
            PixPtr binary(pixConvertTo1(gray, 128));
            if (binary && std::min(pixGetWidth(gray), pixGetHeight(gray)) > 1800) {
                binary = PixPtr(pixReduceRankBinary2(binary.get(), 1, nullptr));
            }
            l_float32 up_confidence = 0.0f;
            l_float32 left_confidence = 0.0f;
            l_int32 orientation = L_TEXT_ORIENT_UNKNOWN;
            if (binary && pixOrientDetect(binary.get(), &up_confidence, &left_confidence, 0, 0) == 0 &&
                makeOrientDecision(up_confidence, left_confidence, 0.0f, 0.0f, &orientation, 0) == 0 &&
                orientation == L_TEXT_ORIENT_UP && up_confidence >= 6.0f &&
                up_confidence >= 4.0f * std::abs(left_confidence)) {
                return 0;
            }
        }
        // OSD needs a page of reasonable size; a reduced copy is enough.
        const int longest = std::max(pixGetWidth(gray), pixGetHeight(gray));
        const float factor = longest > 2000 ? 2000.0f / static_cast<float>(longest) : 1.0f;
        PixPtr small(factor < 1.0f ? pixScale(gray, factor, factor) : pixClone(gray));
        osd->SetPageSegMode(tesseract::PSM_OSD_ONLY);
        osd->SetImage(small.get());
        osd->SetSourceResolution(300);
        int orient_deg = 0;
        float orient_conf = 0.0f;
        const char* script = nullptr;
        float script_conf = 0.0f;
        const bool found = osd->DetectOrientationScript(&orient_deg, &orient_conf, &script, &script_conf);
        osd->Clear();
        // Tesseract gives the clockwise rotation the page suffered; turning it back is the
        // complement. Below a confidence of 2, OSD is guessing: keep the page as it is.
        if (!found || orient_conf < 2.0f) return 0;
        return ((360 - orient_deg) / 90) % 4;
    }

    PageReading read_page(tesseract::TessBaseAPI& ocr, tesseract::TessBaseAPI* osd, const Job& job) {
        PageReading reading;
        const auto prepare_start = Clock::now();
        const PreparedPage prepared = prepare_page(job.page.get(), job.dpi, [osd](Pix* gray) {
            return detect_orientation(osd, gray);
        });
        reading.prepare_ms = elapsed_ms(prepare_start);
        reading.info.page = job.page_number;
        reading.info.width = pixGetWidth(job.page.get());
        reading.info.height = pixGetHeight(job.page.get());
        reading.info.dpi = job.dpi;
        reading.info.rotation_deg = prepared.rotation_deg;
        reading.info.skew_deg = prepared.skew_deg;
        reading.info.blank = prepared.blank;
        if (prepared.blank) return reading;

        const auto ocr_start = Clock::now();
        ocr.SetPageSegMode(tesseract::PSM_AUTO);
        ocr.SetImage(prepared.image.get());
        ocr.SetSourceResolution(prepared.ocr_dpi);
        if (ocr.Recognize(nullptr) != 0) {
            ocr.Clear();
            throw InputError("ocr_failed", "La lecture de la page " + std::to_string(job.page_number) + " a échoué.");
        }
        std::unique_ptr<tesseract::ResultIterator> it(ocr.GetIterator());
        uint32_t block = 0;
        uint32_t line = 0;
        if (it) {
            do {
                if (it->IsAtBeginningOf(tesseract::RIL_BLOCK)) ++block;
                if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
                std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
                if (!text || text[0] == '\0') continue;
                std::string word_text(text.get());
                if (word_text.find_first_not_of(" \t\r\n") == std::string::npos) continue;
                int left = 0, top = 0, right = 0, bottom = 0;
                if (!it->BoundingBox(tesseract::RIL_WORD, &left, &top, &right, &bottom)) continue;
                Word word;
                word.text = std::move(word_text);
                word.confidence = std::clamp(it->Confidence(tesseract::RIL_WORD) / 100.0f, 0.0f, 1.0f);
                word.page = job.page_number;
                word.box = prepared.transform.box_to_original(Box{left, top, right - left, bottom - top});
                word.block_id = block;
                word.line_id = line;
                reading.words.push_back(std::move(word));
            } while (it->Next(tesseract::RIL_WORD));
        }
        it.reset();
        ocr.Clear();
        reading.ocr_ms = elapsed_ms(ocr_start);
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

std::future<PageReading> OcrPool::read(std::shared_ptr<Pix> page, int dpi, uint32_t page_number) {
    Job job;
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
