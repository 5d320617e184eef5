#include "comptoir/app/cli.hpp"
#include "comptoir/base/memory.hpp"

#include <cstdlib>
#include <cstring>
#include <unistd.h>

int main(int argc, char** argv) {
    // Debian's Tesseract uses libgomp, which reads OMP_THREAD_LIMIT once, when it is loaded —
    // before main runs, so setenv here is too late for this process. Parallelism comes from
    // pages (one engine per worker thread), not from OpenMP inside an engine: re-execute once
    // with the variable set. An administrator who sets it explicitly keeps their value.
    // Only the commands that run OCR pay for the second exec (scan, scanners, plugins … do not).
    const bool reads_pages = argc > 1 && (std::strcmp(argv[1], "serve") == 0 || std::strcmp(argv[1], "process") == 0 ||
                                          std::strcmp(argv[1], "plugin-check") == 0);
    if (reads_pages && !std::getenv("OMP_THREAD_LIMIT")) {
        setenv("OMP_THREAD_LIMIT", "1", 1);
        execv("/proc/self/exe", argv);
        // If re-executing fails (no /proc), go on: slower, but correct.
    }
    // Pages are read by a few threads in turn: two malloc arenas rather than one per thread,
    // each keeping a page's worth of freed memory (bench/README.md: the server's idle memory
    // after a soak, 600 MiB → 257 MiB, for the same time).
    if (reads_pages) comptoir::memory::limit_arenas(2);
    return comptoir::run_cli(argc, argv);
}
