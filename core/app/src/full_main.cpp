// comptoir-full: every command of the command line, with every module linked (OCR, PDF,
// databases, the server). `comptoir` (main.cpp) runs it for all but the scanner commands, with
// the same arguments; beside it in the build tree, in libexec/comptoir once installed.
#include "comptoir/app/cli.hpp"
#include "comptoir/base/memory.hpp"

#include <openssl/crypto.h>

#include <cstdlib>
#include <unistd.h>

int main(int argc, char** argv) {
    // `comptoir` sets OMP_THREAD_LIMIT and GLIBC_TUNABLES before it starts this program; run
    // directly (no OMP_THREAD_LIMIT yet), it re-executes itself once with them set. Parallelism
    // comes from pages (one engine per worker thread), not from OpenMP inside an engine.
    const bool reads_pages = argc > 1 && comptoir::reads_pages(argv[1]);
    if (reads_pages && !std::getenv("OMP_THREAD_LIMIT")) {
        comptoir::set_reading_environment(argv[1]);
        execv("/proc/self/exe", argv);
        // If re-executing fails (no /proc), go on: slower, but correct.
    }
    // Pages are read by a few threads in turn: two malloc arenas rather than one per thread,
    // each keeping a page's worth of freed memory (bench/README.md: the server's idle memory
    // after a soak, 600 MiB → 257 MiB, for the same time).
    if (reads_pages) comptoir::memory::limit_arenas(2);
    // OpenSSL set up here, on the main thread, before any other starts: otherwise the first
    // thread to use it (an HTTP request's) keeps the state of that one-time set-up, and loses it
    // when it ends (LeakSanitizer found it).
    OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr);
    return comptoir::run_cli(argc, argv);
}
