// Reads a set made by tools/docgen with the core's OCR pool and reports, per rendition, how
// much of each page was read: the share of the page's words (against its own PDF), the share
// of field values found verbatim, the error of the measured skew, the time per page.
//   OMP_THREAD_LIMIT=1 docgen_read_bench SET_DIR [ENGINES]    (bench/docgen_bench.sh runs it)
#include "comptoir/reading/input.hpp"
#include "comptoir/reading/ocr.hpp"
#include "comptoir/reading/text_metrics.hpp"

#include "docgen_sample.hpp"

#include <leptonica/allheaders.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <string>

namespace fs = std::filesystem;
using comptoir::test::GeneratedSample;

namespace {

struct Totals {
    int pages = 0;
    double recall = 0.0;
    size_t values = 0;
    size_t values_found = 0;
    double skew_error = 0.0;
    int skewed = 0;
    double ms = 0.0;
    std::map<std::string, std::pair<size_t, size_t>> per_field;  // found, seen
};

std::string reference_text(const fs::path& pdf) {
    auto loaded = comptoir::load_document(pdf.string(), comptoir::InputLimits{});
    return comptoir::test::words_text(loaded.pages.at(0).words);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: docgen_read_bench SET_DIR [ENGINES]\n";
        return 2;
    }
    setMsgSeverity(L_SEVERITY_NONE);
    const fs::path set = argv[1];
    comptoir::OcrOptions options;
    options.languages = "fra";
    options.engines = argc > 2 ? std::stoi(argv[2]) : 2;
    comptoir::OcrPool pool(options);
    const auto start = std::chrono::steady_clock::now();

    std::vector<fs::path> images;
    for (const auto& entry : fs::directory_iterator(set)) {
        const auto ext = entry.path().extension();
        if (ext == ".jpg" || ext == ".png") images.push_back(entry.path());
    }
    std::sort(images.begin(), images.end());

    // A few pages in flight, two per engine: enough to keep every engine busy, without holding
    // hundreds of decoded pages in memory.
    const size_t window = 2 * static_cast<size_t>(options.engines);
    std::deque<std::future<comptoir::PageReading>> in_flight;
    size_t submitted = 0;
    auto submit = [&]() {
        auto loaded = comptoir::load_document(images[submitted].string(), comptoir::InputLimits{});
        auto& page = loaded.pages.at(0);
        in_flight.push_back(pool.read(comptoir::share_pix(std::move(page.image)), page.dpi, 1));
        ++submitted;
    };

    std::map<std::string, Totals> totals;
    std::map<std::string, std::string> references;
    for (size_t done = 0; done < images.size(); ++done) {
        while (submitted < images.size() && in_flight.size() < window) submit();
        comptoir::PageReading reading = in_flight.front().get();
        in_flight.pop_front();
        fs::path json = images[done];
        json.replace_extension(".json");
        struct {
            std::string name;
            GeneratedSample sample;
        } job{images[done].stem().string(), comptoir::test::load_generated_sample(json.string())};
        const std::string document = job.name.substr(0, job.name.rfind('-'));
        // The page's own PDF, read once for all its renditions.
        auto cached = references.find(document);
        if (cached == references.end()) cached = references.emplace(document, reference_text(set / (document + "-pdf.pdf"))).first;
        const std::string& reference = cached->second;
        const std::string read = comptoir::test::words_text(reading.words);
        Totals& t = totals[job.sample.rendition];
        ++t.pages;
        t.ms += reading.prepare_ms + reading.ocr_ms;
        t.recall += reference.empty() ? (read.empty() ? 1.0 : 0.0) : comptoir::word_recall(read, reference);
        const auto missed = comptoir::test::printed_values_missed(job.sample, read);
        t.values += job.sample.printed.size();
        t.values_found += job.sample.printed.size() - missed.size();
        for (const auto& [key, printed] : job.sample.printed) {
            auto& [found, seen] = t.per_field[job.sample.kind + " " + key];
            ++seen;
            if (std::find(missed.begin(), missed.end(), key) == missed.end()) ++found;
        }
        if (job.sample.skew_deg != 0.0) {
            t.skew_error += std::fabs(std::fabs(reading.info.skew_deg) - std::fabs(job.sample.skew_deg));
            ++t.skewed;
        }
        if ((done + 1) % 20 == 0) std::cerr << "docgen_read_bench: " << done + 1 << "/" << images.size() << " pages\n";
    }

    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%zu pages in %.1f s with %d engines: %.1f pages/min\n\n", images.size(), wall_s, options.engines,
                60.0 * double(images.size()) / wall_s);
    std::printf("%-8s %6s %12s %14s %14s %10s\n", "rendu", "pages", "mots lus", "valeurs lues", "erreur biais", "ms/page");
    for (const auto& [rendition, t] : totals) {
        std::printf("%-8s %6d %11.1f%% %13.1f%% %13.2f° %10.0f\n", rendition.c_str(), t.pages, 100.0 * t.recall / t.pages,
                    t.values ? 100.0 * double(t.values_found) / double(t.values) : 0.0,
                    t.skewed ? t.skew_error / t.skewed : 0.0, t.ms / t.pages);
    }
    std::printf("\nvaleurs lues telles qu'imprimées, par champ (tous rendus) :\n");
    std::map<std::string, std::pair<size_t, size_t>> fields;
    for (const auto& [rendition, t] : totals) {
        for (const auto& [key, counts] : t.per_field) {
            fields[key].first += counts.first;
            fields[key].second += counts.second;
        }
    }
    for (const auto& [key, counts] : fields) {
        std::printf("  %-50s %4zu/%-4zu %5.1f%%\n", key.c_str(), counts.first, counts.second,
                    100.0 * double(counts.first) / double(counts.second));
    }
    return 0;
}
