// Every command, for comptoir-full (the program `comptoir` hands all but the scanner commands
// to; see comptoir/app/cli.hpp).
#include "commands.hpp"

#include "comptoir/app/cli.hpp"

namespace comptoir {

int run_cli(int argc, char** argv) {
    return cli::run_commands(argc, argv,
                             {{"serve", cli::run_serve},
                              {"admin", cli::run_admin},
                              {"scanners", cli::run_scanners},
                              {"scan", cli::run_scan},
                              {"process", cli::run_process},
                              {"letter", cli::run_letter},
                              {"plugins", cli::run_plugins},
                              {"plugin-check", cli::run_plugin_check},
                              {"config", cli::run_config}});
}

}  // namespace comptoir
