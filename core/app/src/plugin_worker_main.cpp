// comptoir-plugin-worker: the child one partner plugin runs in (core/plugin_host/plugin_worker.hpp),
// started by the plugin host with its limits and the module's path; it speaks only on fd 3 and
// exits when the host closes it. Not meant to be run by hand.
#include "comptoir/plugin_host/plugin_worker.hpp"

#include <algorithm>
#include <string>
#include <vector>

// comptoir-plugin-worker MODULE [PLUGIN-ID [p<key>=<value> | m<key>=<value>]...]
// comptoir-plugin-worker --module MODULE [m<key>=<value>]...   (what the module offers)
int main(int argc, char** argv) {
    if (argc < 2) return 2;
    if (std::string(argv[1]) == "--module") {
        if (argc < 3) return 2;
        return comptoir::serve_module(argv[2], std::vector<std::string>(argv + 3, argv + argc));
    }
    const std::string plugin = argc > 2 ? argv[2] : "";
    std::vector<std::string> settings(argv + std::min(argc, 3), argv + argc);
    return comptoir::serve_plugin(argv[1], plugin, settings);
}
