#pragma once

#include <string>

namespace comptoir {

// The host's version, e.g. "0.1.0".
std::string version();

}  // namespace comptoir
