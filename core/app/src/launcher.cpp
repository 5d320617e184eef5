// What `comptoir` decides before anything starts (comptoir/app/cli.hpp): which command lines it
// runs itself, and the environment a page-reading command needs from the start of its program.
#include "commands.hpp"

#include "comptoir/app/cli.hpp"
#include "comptoir/base/memory.hpp"

#include <cstdlib>
#include <string>

namespace comptoir {

bool reads_pages(const char* command) {
    const std::string name = command ? command : "";
    return name == "serve" || name == "process" || name == "plugin-check";
}

void set_reading_environment(const char* command) {
    if (!reads_pages(command)) return;
    if (!std::getenv("OMP_THREAD_LIMIT")) setenv("OMP_THREAD_LIMIT", "1", 1);
    setenv("GLIBC_TUNABLES", memory::tunables_with_huge_pages(std::getenv("GLIBC_TUNABLES")).c_str(), 1);
}

bool runs_in_launcher(int argc, char** argv) {
    if (argc < 2) return true;
    const std::string first = argv[1];
    return first == "scanners" || first == "scan" || first == "--help" || first == "-h" || first == "help" ||
           first == "--version" || first == "-V" || !cli::is_command(first);
}

int run_scanner_cli(int argc, char** argv) {
    return cli::run_commands(argc, argv, {{"scanners", cli::run_scanners}, {"scan", cli::run_scan}});
}

}  // namespace comptoir
