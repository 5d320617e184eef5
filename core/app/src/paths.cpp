#include "comptoir/app/paths.hpp"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <climits>
#include <cstdlib>
#include <string>

namespace comptoir {
namespace {

std::string real_path(const std::string& path) {
    char resolved[PATH_MAX];
    return ::realpath(path.c_str(), resolved) ? std::string(resolved) : path;
}

}  // namespace

InstallPaths InstallPaths::detect() {
    // COMPTOIR_BUILD_DIR and friends are set by core/CMakeLists.txt.
    const Poco::Path executable(real_path("/proc/self/exe"));
    const std::string executable_dir = executable.parent().toString();
    InstallPaths paths;
    // In the build tree: the binary itself, or a test or benchmark built beside it.
    const std::string build_dir = real_path(COMPTOIR_BUILD_DIR);
    const std::string here = real_path(executable_dir);
    if (here == build_dir || here.rfind(build_dir + "/", 0) == 0) {
        paths.build_tree = true;
        paths.plugins_dir = COMPTOIR_BUILD_PLUGINS_DIR;
        paths.templates_dir = Poco::Path(COMPTOIR_SOURCE_DIR).append("templates").toString();
        paths.rules_dir = Poco::Path(COMPTOIR_SOURCE_DIR).append("plugins/rules/definitions").toString();
        paths.web_dir = Poco::Path(COMPTOIR_SOURCE_DIR).append("web").toString();
        paths.twoddoc_dir = Poco::Path(COMPTOIR_SOURCE_DIR).append("data").append("2ddoc").toString();
        paths.passwords_dir = Poco::Path(COMPTOIR_BUILD_DIR).append("data").append("passwords").toString();
        return paths;
    }
    // Installed: <prefix>/bin/comptoir, <prefix>/libexec/comptoir/comptoir-full (which runs
    // most commands), <prefix>/lib/comptoir/plugins, <prefix>/share/comptoir.
    Poco::Path prefix = executable.parent().parent();
    const Poco::Path libexec = Poco::Path::forDirectory(COMPTOIR_INSTALL_LIBEXEC_RELATIVE).pushDirectory("comptoir");
    const Poco::Path dir = executable.parent();
    bool in_libexec = dir.depth() >= libexec.depth();
    for (int i = 1; in_libexec && i <= libexec.depth(); ++i) {
        in_libexec = dir.directory(dir.depth() - i) == libexec.directory(libexec.depth() - i);
    }
    if (in_libexec) {
        prefix = dir;
        for (int i = 0; i < libexec.depth(); ++i) prefix = prefix.parent();
    }
    paths.plugins_dir = Poco::Path(prefix).append(COMPTOIR_INSTALL_PLUGINS_DIR).toString();
    const Poco::Path data = Poco::Path(prefix).append(COMPTOIR_INSTALL_DATA_DIR);
    paths.templates_dir = Poco::Path(data).append("templates").toString();
    paths.rules_dir = Poco::Path(data).append("rules").toString();
    paths.web_dir = Poco::Path(data).append("web").toString();
    paths.twoddoc_dir = Poco::Path(data).append("2ddoc").toString();
    paths.passwords_dir = Poco::Path(data).append("passwords").toString();
    return paths;
}

}  // namespace comptoir
