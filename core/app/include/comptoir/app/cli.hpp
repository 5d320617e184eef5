// The `comptoir` command line: serve, scanners, scan, process, letter, plugins, plugin-check.
// Exit status: 0 all went well, 1 some input failed (the others were still processed),
// 2 usage or configuration error.
#pragma once

namespace comptoir {

int run_cli(int argc, char** argv);

}  // namespace comptoir
