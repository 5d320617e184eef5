// Median time of prepare + OCR of one page in Comptoir's engine pool (one engine, initialised
// once, as in the server), the word accuracy against a reference text, and — interleaved run
// by run with the pool's, so that a machine whose speed drifts treats both alike — the median
// wall time of a command to compare with:
//   ocr_page_bench PAGE.png RUNS [REFERENCE.txt [COMMAND]]
// Prints "prepare_ocr_median_ms=… prepare_median_ms=… ocr_median_ms=… accuracy=…
// command_median_ms=… ratio=…".
#include "bench_support.hpp"

#include "comptoir/reading/document.hpp"
#include "comptoir/reading/input.hpp"
#include "comptoir/reading/ocr.hpp"
#include "comptoir/reading/text_metrics.hpp"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

using comptoir::bench::median;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: ocr_page_bench PAGE RUNS [REFERENCE.txt]\n";
        return 2;
    }
    setMsgSeverity(L_SEVERITY_NONE);
    const int runs = std::max(1, std::atoi(argv[2]));
    comptoir::LoadedDocument loaded = comptoir::load_document(argv[1], comptoir::InputLimits{});
    auto page = comptoir::share_pix(std::move(loaded.pages.at(0).image));
    const int dpi = loaded.pages[0].dpi;

    comptoir::OcrOptions options;
    options.engines = 1;
    comptoir::OcrPool pool(options);
    pool.read(page, dpi, 1).get();  // warm-up: first-page allocations

    const std::string command = argc > 4 ? argv[4] : "";
    std::vector<double> total, prepare, ocr, compared;
    comptoir::PageReading last;
    for (int i = 0; i < runs; ++i) {
        last = pool.read(page, dpi, 1).get();
        prepare.push_back(last.prepare_ms);
        ocr.push_back(last.ocr_ms);
        total.push_back(last.prepare_ms + last.ocr_ms);
        if (!command.empty()) {
            const auto start = std::chrono::steady_clock::now();
            if (std::system(command.c_str()) != 0) {
                std::cerr << "the command failed: " << command << "\n";
                return 1;
            }
            compared.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
    }
    std::cout << "prepare_ocr_median_ms=" << median(total) << " prepare_median_ms=" << median(prepare)
              << " ocr_median_ms=" << median(ocr) << " words=" << last.words.size();
    if (argc > 3) {
        std::ifstream in(argv[3]);
        std::stringstream reference;
        reference << in.rdbuf();
        const comptoir::Document document({last.info}, last.words);
        std::cout << " accuracy=" << comptoir::word_accuracy(document.text(0), reference.str());
    }
    if (!compared.empty()) {
        std::cout << " command_median_ms=" << median(compared) << " ratio=" << median(total) / median(compared);
    }
    std::cout << "\n";
    return 0;
}
