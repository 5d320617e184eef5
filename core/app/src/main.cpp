// comptoir: the command an administrator and a mediator type. It runs `scanners`, `scan`, the
// usage and the version itself, linked against SANE, Leptonica and Poco only; every other
// command is comptoir-full's, started in its place (execv: the same process, the same
// arguments), which links the OCR, PDF and database libraries. A scan so starts in a fifth of
// the time (bench/README.md, "Scanning").
#include "comptoir/app/cli.hpp"
#include "comptoir/base/memory.hpp"
#include "comptoir/image/image.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <unistd.h>

namespace {

// comptoir-full beside this program (the build tree), else where it is installed:
// <prefix>/bin/comptoir → <prefix>/<libexec>/comptoir/comptoir-full.
std::string full_program() {
    char self[PATH_MAX];
    const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0) return COMPTOIR_INSTALL_FULL_PROGRAM;
    std::string dir(self, static_cast<size_t>(length));
    dir.erase(dir.rfind('/'));
    const std::string beside = dir + "/comptoir-full";
    if (access(beside.c_str(), X_OK) == 0) return beside;
    const std::string installed = dir + "/../" COMPTOIR_INSTALL_LIBEXEC_RELATIVE "/comptoir/comptoir-full";
    if (access(installed.c_str(), X_OK) == 0) return installed;
    return COMPTOIR_INSTALL_FULL_PROGRAM;
}

}  // namespace

int main(int argc, char** argv) {
    if (comptoir::runs_in_launcher(argc, argv)) {
        comptoir::use_huge_pages_for_images();  // a scanned page: 8 MiB at A4 300 dpi
        return comptoir::run_scanner_cli(argc, argv);
    }
    // Debian's Tesseract uses libgomp, which reads OMP_THREAD_LIMIT when it is loaded: set
    // here, before comptoir-full starts, it saves that program re-executing itself. Pages are
    // read one per engine, not with OpenMP inside an engine. glibc reads GLIBC_TUNABLES when a
    // program starts too: the page-reading commands get malloc on huge pages
    // (memory::tunables_with_huge_pages). An administrator's values are kept.
    if (!std::getenv("OMP_THREAD_LIMIT")) setenv("OMP_THREAD_LIMIT", "1", 1);
    if (comptoir::reads_pages(argv[1])) {
        setenv("GLIBC_TUNABLES", comptoir::memory::tunables_with_huge_pages(std::getenv("GLIBC_TUNABLES")).c_str(), 1);
    }
    const std::string program = full_program();
    execv(program.c_str(), argv);
    std::cerr << "comptoir : impossible de lancer " << program << " (" << std::strerror(errno)
              << ") : installation incomplète, réinstallez Comptoir.\n";
    return 1;
}
