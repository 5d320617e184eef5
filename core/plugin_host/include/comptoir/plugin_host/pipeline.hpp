// The document pipeline up to extraction: load an input (decoded in a child process, one page
// at a time, within the pixel budgets and the reading's time limit), prepare and read its pages
// (the reading module; a few pages ahead of OCR at most), recognise its kind, extract its fields
// (the plugins). Used by `comptoir process`,
// `comptoir plugin-check` and the desk's workers (cases/jobs.hpp), which keep its Reading.
//
// Inputs: PNG, JPEG, TIFF, PNM, PDF (input.hpp), and saved OCR results (`*.ocr.json`, the
// format of Document::from_json), which a partner developer uses to test a plugin without a
// scanner or Tesseract.
#pragma once

#include "comptoir/reading/document.hpp"
#include "comptoir/reading/page_source.hpp"
#include "comptoir/reading/twoddoc.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"

#include <utility>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace comptoir {

class OcrPool;
struct DoubtfulLines;
namespace twoddoc {
class Reader;
}

// What the pipeline needs of the site's configuration (the app fills it from ocr.*, limits.*,
// twoddoc.*).
struct PipelineOptions {
    std::string ocr_languages = "fra";
    int ocr_engines = 1;
    int64_t max_pixels = 40000000;
    int max_pages = 20;
    int64_t document_pixels = 300'000'000;  // a document's pages together (limits.document_pixels)
    int64_t server_pixels = 400'000'000;    // every reading's and page view's pages in flight (limits.server_pixels)
    int reading_timeout_s = 120;            // a reading's time, from its start (reading.timeout_s)
    // A reading is "heavy" once its pages pass `heavy_pixels` together or its decoding passes
    // `light_decode_ms`; at most `heavy_readings` are at once (the desk: its workers less one),
    // the next fails with too_heavy, so that ordinary files always have a worker.
    int64_t heavy_pixels = 60'000'000;
    int light_decode_ms = 4000;
    int heavy_readings = 1;
    DecoderOptions decoder;  // the children that decode files (page_source.hpp)
    int twoddoc_search_ms = 0;  // 0: no DataMatrix search
    double recognition_threshold = 0.5;
    twoddoc::ReaderOptions twoddoc;
};

struct ProcessOptions {
    std::string only_plugin;  // empty: every loaded plugin
    double threshold = 0.5;
    // Told where the reading stands: stage "load" (page 0), "ocr" (each page as it is read),
    // "extract". Called on the thread that runs process().
    std::function<void(const std::string& stage, uint32_t page, uint32_t pages)> progress;
    // During OCR, about every 100 ms while page `page` (1-based) is awaited: `percent` of the
    // whole document's OCR done (0..100, the pages read in parallel counted too). Also on the
    // thread that runs process(); the caller throttles what it passes on.
    std::function<void(uint32_t page, uint32_t pages, int percent)> ocr_progress;
    // The mediator's word over recognition: this kind ("caf.attestation_paiement"), extracted by
    // the plugin that declares it, whatever the scores (a warning when no plugin declares it).
    std::string kind;
    // Pages the mediator turned: page (1-based) -> clockwise quarter turns from the page as
    // loaded, instead of its detected orientation.
    std::map<uint32_t, int> quarter_turns;
};

struct ProcessError {
    std::string code;     // "not_found", "unreadable", "unsupported_format", "invalid_ocr_json", …
    std::string message;  // French, for a mediator
};

struct ProcessResult {
    std::string file;  // as given
    std::optional<ProcessError> error;
    uint32_t pages = 0;
    Recognition recognition;
    std::optional<Extraction> extraction;  // when a document was recognised
    std::vector<std::string> letters;      // offered: for the kind found, and for every document
    std::vector<Barcode> barcodes;
    std::vector<PageInfo> page_info;
    std::vector<std::pair<std::string, double>> timings_ms;  // stage (load, extract, …), in order
    std::vector<std::string> warnings;         // French
    std::shared_ptr<const Document> document;  // what was read (null on an error)
};

class Pipeline {
public:
    // `ocr`: the engine pool to use; when null, one is created (from the options) the first
    // time a page needs OCR.
    Pipeline(PipelineOptions options, const PluginRegistry& plugins, OcrPool* ocr = nullptr);
    const PipelineOptions& options() const { return options_; }
    ~Pipeline();

    // Never throws for a bad input: the result carries the error.
    ProcessResult process(const std::string& path, const ProcessOptions& options) const;
    // The same for a file already in memory (an image or a PDF; the spool's files are
    // decrypted in memory, never written in clear). `name` is what the result calls it.
    ProcessResult process_data(const std::string& data, const std::string& name, const ProcessOptions& options) const;

    // Several inputs: the pages of several documents are read in parallel (as many documents in
    // flight as there are engines, plus one); `emit` gets the results in the order given.
    void process_many(const std::vector<std::string>& paths, const ProcessOptions& options,
                      const std::function<void(const ProcessResult&)>& emit) const;

    // A file opened in a decoding child, page by page (the desk's page views); its pages are
    // to be held in pixels() while decoded. Throws InputError / Error like a reading's load.
    std::unique_ptr<PageSource> open_pages(std::string data, SteadyClock::time_point deadline) const;
    PixelBudget& pixels() const { return pixels_; }

    // The 2D-Doc reader, built the first time a code is found (or asked for: the administrator's
    // page lists its certificates). Error("twoddoc_data") when its data is unreadable.
    const twoddoc::Reader& twoddoc() const;

    struct Pending;  // a document loaded, its pages queued for OCR

private:
    std::unique_ptr<Pending> start(const std::string& path, const ProcessOptions& options,
                                   const std::string* data = nullptr) const;
    ProcessResult finish(Pending& pending, const ProcessOptions& options) const;
    // The second reading extraction asks for (OcrPool::read_again): the doubtful lines (per page,
    // null without any) under its fields and its asked regions read again, `document` made
    // again with the words read surer. True when words changed (extract again); releases
    // `doubtful`; says its time in `result`'s timings ("reread").
    bool read_again(Document& document, const Extraction& extraction,
                    std::vector<std::shared_ptr<const DoubtfulLines>>& doubtful, ProcessResult& result) const;
    OcrPool& ocr() const;
    worker::Pool& decoders() const;
    std::shared_ptr<void> take_heavy_slot() const;  // null when every slot is taken
    InputLimits input_limits() const;

    const PipelineOptions options_;
    const PluginRegistry& plugins_;
    OcrPool* ocr_;
    mutable std::unique_ptr<OcrPool> own_ocr_;
    mutable std::unique_ptr<twoddoc::Reader> twoddoc_;
    mutable std::unique_ptr<worker::Pool> decoders_;
    mutable std::mutex lazy_mutex_;  // guards the three things built on first use
    mutable PixelBudget pixels_;
    mutable std::mutex heavy_mutex_;
    mutable int heavy_ = 0;  // heavy readings now
};

// One line of `comptoir process --json` (docs/formats.md), without the trailing newline.
std::string to_json_line(const ProcessResult& result);
// The readable summary of `comptoir process`.
std::string to_text(const ProcessResult& result);

}  // namespace comptoir
