// comptoir: the command an administrator and a mediator type. It runs `scanners`, `scan`, the
// usage and the version itself, linked against SANE, Leptonica and Poco only; every other
// command is comptoir-full's, started in its place (execv: the same process, the same
// arguments), which links the OCR, PDF and database libraries. A scan so starts in a fifth of
// the time (bench/README.md, "Scanning").
#include "comptoir/app/cli.hpp"
#include "comptoir/image/image.hpp"
#include "comptoir/worker/runner.hpp"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <unistd.h>

int main(int argc, char** argv) {
    if (comptoir::runs_in_launcher(argc, argv)) {
        comptoir::use_huge_pages_for_images();  // a scanned page: 8 MiB at A4 300 dpi
        return comptoir::run_scanner_cli(argc, argv);
    }
    // OMP_THREAD_LIMIT and GLIBC_TUNABLES are read when comptoir-full starts: set here, they
    // save it re-executing itself.
    comptoir::set_reading_environment(argv[1]);
    const std::string program = comptoir::worker::program_path("comptoir-full", COMPTOIR_INSTALL_FULL_PROGRAM);
    execv(program.c_str(), argv);
    std::cerr << "comptoir : impossible de lancer " << program << " (" << std::strerror(errno)
              << ") : installation incomplète, réinstallez Comptoir.\n";
    return 1;
}
