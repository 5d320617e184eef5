// What the `comptoir` commands share. cli.cpp parses the command line, sets up logging and runs
// one command; the commands that read no page (plugins, config, scanners, scan, admin) are in
// cli_site.cpp.
#pragma once

#include "comptoir/config.hpp"

#include <map>
#include <string>
#include <vector>

namespace comptoir {

class PluginRegistry;

namespace cli {

// Exit statuses (README "The command line").
constexpr int kExitOk = 0;
constexpr int kExitInputFailed = 1;  // an input failed, the others were done
constexpr int kExitUsage = 2;        // usage or configuration error

struct Invocation {
    Config config;
    std::map<std::string, std::string> options;  // long option name -> value ("" for flags)
    std::vector<std::string> args;               // positional
    bool has(const std::string& option) const { return options.count(option) > 0; }
};

// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then renamed
// over it, so that an interrupted command never leaves half a PDF or half an image.
bool write_whole_file(const std::string& path, const std::string& bytes);

// The plugins plugins.dir holds that plugins.allow lets in.
void load_plugins(const Config& config, PluginRegistry& registry);

int run_plugins(Invocation& invocation);
int run_config(Invocation& invocation);
int run_scanners(Invocation& invocation);
int run_scan(Invocation& invocation);
int run_admin(Invocation& invocation);

}  // namespace cli
}  // namespace comptoir
