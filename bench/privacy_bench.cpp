// Privacy's costs (issue 13): the spool's AES-256-GCM on a scanned document's size, and the
// purge of many closed cases (rows, spool folders, audit lines) by the desk's own job.
//   privacy_bench WORK_DIR CASES [MB]
#include "bench_support.hpp"

#include "comptoir/app/options.hpp"
#include "comptoir/app/config.hpp"
#include "comptoir/cases/desk.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/cases/spool_crypto.hpp"

#include <Poco/File.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace

using comptoir::bench::median;

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: privacy_bench WORK_DIR CASES [MB]\n";
        return 2;
    }
    const std::string work = argv[1];
    const int cases = std::max(1, std::atoi(argv[2]));
    const size_t megabytes = argc > 3 ? static_cast<size_t>(std::max(1, std::atoi(argv[3]))) : 8;
    if (Poco::File(work).exists()) Poco::File(work).remove(true);
    Poco::File(work).createDirectories();

    // Encryption: a scanned A4 page at 300 dpi, 8-bit gray, ZIP-compressed TIFF is 1–8 MB.
    std::string page(megabytes * 1024 * 1024, '\0');
    std::mt19937 random(42);
    for (auto& c : page) c = static_cast<char>(random() & 0x3f);
    comptoir::SpoolCrypto::write_new_key(work + "/bench.key");
    const comptoir::SpoolCrypto crypto(comptoir::SpoolCrypto::read_key(work + "/bench.key"), std::nullopt);
    std::vector<double> seal_ms, open_ms;
    for (int run = 0; run < 9; ++run) {
        auto start = Clock::now();
        const std::string sealed = crypto.seal(page);
        seal_ms.push_back(ms_since(start));
        start = Clock::now();
        if (crypto.open(sealed).size() != page.size()) return 1;
        open_ms.push_back(ms_since(start));
    }
    const double mb = static_cast<double>(megabytes);
    std::cout << "encryption of " << megabytes << " MB: seal " << median(seal_ms) << " ms (" << mb / median(seal_ms) * 1000
              << " MB/s), open " << median(open_ms) << " ms (" << mb / median(open_ms) * 1000 << " MB/s), median of 9\n";

    // The purge: CASES closed cases, each with a document and a 200 kB encrypted page.
    comptoir::Config config;
    config.set("data.dir", work + "/data");
    comptoir::PluginRegistry plugins;
    comptoir::Desk desk(comptoir::desk_options(config), plugins, nullptr);
    const std::string small(200 * 1024, 'p');
    auto start = Clock::now();
    for (int i = 0; i < cases; ++i) {
        const auto record = desk.open_case("bench");
        comptoir::DocumentRecord document;
        document.case_id = record.id;
        document.source = "upload";
        document = desk.store().add_document(document);
        desk.crypto().write_file(desk.spool().document_dir(record.id, document.id) + "/input.png", small);
        desk.store().close_case(record.id);
    }
    std::cout << cases << " closed cases made in " << ms_since(start) << " ms\n";
    desk.set_clock([] { return Poco::Timestamp() + Poco::Timespan(25 * 3600, 0); });
    start = Clock::now();
    const int purged = desk.purge();
    const double purge_ms = ms_since(start);
    std::cout << "purge: " << purged << " cases in " << purge_ms << " ms (" << purge_ms / purged << " ms per case)\n";
    Poco::File(work).remove(true);
    return purged == cases ? 0 : 1;
}
