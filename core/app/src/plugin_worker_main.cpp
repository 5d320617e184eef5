// comptoir-plugin-worker: the child one partner plugin runs in (core/plugin_host/plugin_worker.hpp),
// started by the plugin host with its limits and the module's path; it speaks only on fd 3 and
// exits when the host closes it. Not meant to be run by hand.
#include "comptoir/plugin_host/plugin_worker.hpp"

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    return comptoir::serve_plugin(argv[1]);
}
