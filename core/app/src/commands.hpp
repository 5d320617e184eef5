// What the CLI's commands share (private to the app module): how a command is called, its exit
// statuses, the plugins loaded from the configuration. The commands live in cmd_*.cpp, the
// dispatch in cli.cpp.
#pragma once

#include "comptoir/app/config.hpp"
#include "comptoir/base/error.hpp"

#include <Poco/Logger.h>

#include <map>
#include <string>
#include <vector>

namespace comptoir {

class PluginRegistry;
class Store;

namespace cli {

constexpr int kExitOk = 0;
constexpr int kExitInputFailed = 1;
constexpr int kExitUsage = 2;

// The one place where an error becomes an exit status: 2 for a usage or configuration error
// (a bad argument, an invalid value), 1 for anything that failed on the way.
int exit_status(const Error& error);

struct Invocation {
    Config config;
    std::map<std::string, std::string> options;  // long option name -> value ("" for flags)
    std::vector<std::string> args;               // positional
    bool has(const std::string& option) const { return options.count(option) > 0; }
};

Poco::Logger& logger();
void load_plugins(const Config& config, PluginRegistry& registry);
// Writes `bytes` to `path` whole or not at all (a temporary file renamed over it); false when
// it could not be written.
bool write_whole_file(const std::string& path, const std::string& bytes);
// The site's base with its key (storage.*): a migration run by any command seals the values.
Store open_store(const Config& config);

// A command's code, by its name. `comptoir` has the scanner commands' (cmd_scan.cpp),
// comptoir-full every command's (full_cli.cpp).
using Runner = int (*)(Invocation&);
using Runners = std::map<std::string, Runner>;
// The command line (cli.cpp): parses, loads the configuration, sets up logging, runs the
// command with its runner.
int run_commands(int argc, char** argv, const Runners& runners);
// Whether `name` is one of the commands (for the usage, the help, the launcher).
bool is_command(const std::string& name);

// The commands (cmd_documents.cpp, cmd_site.cpp, cmd_admin.cpp, cmd_scan.cpp).
int run_plugins(Invocation& invocation);
int run_process(Invocation& invocation);
int run_letter(Invocation& invocation);
int run_plugin_check(Invocation& invocation);
int run_scanners(Invocation& invocation);
int run_scan(Invocation& invocation);
int run_serve(Invocation& invocation);
int run_config(Invocation& invocation);
int run_admin(Invocation& invocation);
int run_admin_certificates(Invocation& invocation);  // admin certificates import|list (cmd_certificates.cpp)

}  // namespace cli
}  // namespace comptoir
