// What a plugin's worker may still do once its module is loaded (plugin_worker.hpp): compute
// and answer on its channel. Private to the plugin host.
#pragma once

#include <string>

namespace comptoir::plugin_sandbox {

// Confines the calling process for good; empty when done, else what failed (for the log).
std::string enter();

}  // namespace comptoir::plugin_sandbox
