// What a document costs for going through the plugins' worker processes (issue 32: ≤ 5 ms): the
// shipped plugins recognise a document and the best one extracts it, N times, called in this
// process and through their workers (comptoir-plugin-worker); the workers are started before the
// timing (their first call), as a server's are after its first document. Wall clock (what the
// reading waits; on a loaded machine mostly the scheduler's) and CPU time (this process and the
// workers, reaped at the end; their start is counted in it, once).
//   plugin_worker_bench PLUGINS_DIR FILE [N]   (FILE: a page, or a saved reading NAME.ocr.json)
#include "bench_support.hpp"

#include "comptoir/plugin_host/pipeline.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"

#include <sys/resource.h>

#include <chrono>
#include <memory>
#include <iomanip>
#include <iostream>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); }

// CPU time (user and system) of this process or of its reaped children, in ms.
double cpu_ms(int who) {
    rusage usage{};
    ::getrusage(who, &usage);
    const auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// Recognition by every plugin, extraction by the best: the plugins' part of one document.
bool read(const comptoir::PluginRegistry& registry, const comptoir::Document& document) {
    const auto recognition = registry.recognise(document, 0.5);
    if (!recognition.document) return false;
    return registry.extract(document, recognition.document->plugin, recognition.document->kind).ok;
}

}  // namespace

using comptoir::bench::median;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: plugin_worker_bench PLUGINS_DIR FILE [N]\n";
        return 2;
    }
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 200;
    comptoir::PluginRegistry in_process(comptoir::in_this_process());
    auto isolated = std::make_unique<comptoir::PluginRegistry>();
    in_process.load_directory(argv[1]);
    isolated->load_directory(argv[1]);

    std::shared_ptr<const comptoir::Document> read_document;
    {
        comptoir::PipelineOptions options;
        options.ocr_engines = 1;
        const comptoir::Pipeline pipeline(options, in_process);
        const auto result = pipeline.process(argv[2], {});
        if (result.error || !result.document) {
            std::cerr << "the file was not read: " << (result.error ? result.error->message : "?") << "\n";
            return 1;
        }
        read_document = result.document;
    }  // its decoding child reaped
    const comptoir::Document& document = *read_document;
    const double children_before = cpu_ms(RUSAGE_CHILDREN);
    if (!read(in_process, document) || !read(*isolated, document)) {
        std::cerr << "no plugin read the document in both ways\n";
        return 1;
    }
    std::vector<double> direct, through;
    double direct_cpu = 0, through_cpu = 0;
    for (int run = 0; run < runs; ++run) {
        double cpu = cpu_ms(RUSAGE_SELF);
        auto start = Clock::now();
        read(in_process, document);
        direct.push_back(ms_since(start));
        direct_cpu += cpu_ms(RUSAGE_SELF) - cpu;
        cpu = cpu_ms(RUSAGE_SELF);
        start = Clock::now();
        read(*isolated, document);
        through.push_back(ms_since(start));
        through_cpu += cpu_ms(RUSAGE_SELF) - cpu;
    }
    const size_t plugins = in_process.loaded().size();
    isolated.reset();  // the workers reaped: their CPU time is counted
    const double workers_cpu = cpu_ms(RUSAGE_CHILDREN) - children_before;
    std::sort(through.begin(), through.end());
    std::cout << std::fixed << std::setprecision(2) << plugins << " plugins, " << document.words().size() << " words, "
              << runs << " runs\n"
              << "in process:   median " << median(direct) << " ms, CPU " << direct_cpu / runs << " ms\n"
              << "via workers:  median " << median(through) << " ms, p95 "
              << through[static_cast<size_t>(0.95 * (through.size() - 1))] << " ms, CPU " << through_cpu / runs
              << " ms here + " << workers_cpu / runs << " ms in the workers\n"
              << "cost per document: " << median(through) - median(direct) << " ms of wall clock, "
              << (through_cpu + workers_cpu - direct_cpu) / runs << " ms of CPU\n";
    return 0;
}
