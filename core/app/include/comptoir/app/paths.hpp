// Where the binary finds its plugins, templates and web files: in the build tree when it runs
// from there, else relative to its install prefix.
#pragma once

#include <string>

namespace comptoir {

struct InstallPaths {
    std::string plugins_dir;    // the shipped plugins (*.so)
    std::string rules_dir;      // the rules module's definitions (*.yaml) and their letters
    std::string templates_dir;  // the project's templates/
    std::string web_dir;        // the pages of web/
    std::string twoddoc_dir;    // data/2ddoc: field catalogue, trust list, test certificate
    std::string passwords_dir;  // cracklib's dictionary of common passwords, packed at build time
    bool build_tree = false;    // true when running from the build tree

    // Detects the layout from the running executable (/proc/self/exe).
    static InstallPaths detect();
};

}  // namespace comptoir
