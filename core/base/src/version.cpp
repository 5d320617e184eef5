#include "comptoir/base/version.hpp"

namespace comptoir {

std::string version() { return COMPTOIR_VERSION; }

}  // namespace comptoir
