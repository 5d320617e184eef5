// What the plugin host lends a plugin during one call (the opaque comptoir_document of plugin.h)
// and the host table it calls back through: shared by plugin_host.cpp (loading, the registry)
// and plugin_calls.cpp (the callbacks). Private to the plugin host.
#pragma once

#include "comptoir/plugin_host/plugin_host.hpp"

#include <comptoir/plugin.h>

#include <Poco/Logger.h>
#include <Poco/SharedLibrary.h>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

// The opaque document of plugin.h: one per recognise or extract call.
struct comptoir_document {
    const comptoir::Document* document = nullptr;
    const comptoir::PluginRegistry::Loaded* plugin = nullptr;
    std::vector<comptoir::Candidate>* candidates = nullptr;  // recognise
    comptoir::Extraction* extraction = nullptr;              // extract
    // Storage for what the host lends the plugin during one call: each barcode's field array,
    // built when first asked for, valid until the call returns.
    std::vector<std::vector<comptoir_barcode_field>> barcode_fields;
    // Fields read so far from a 2D-Doc only (extract), with their code's status: merged with
    // an OCR reading of the same key if one comes.
    std::map<std::string, comptoir::CodeStatus> code_only;
};

namespace comptoir {

// The host table comes first so a `const comptoir_host*` leads back to its plugin.
struct PluginRegistry::Loaded {
    comptoir_host host{};
    PluginInfo info;
    const comptoir_plugin* table = nullptr;
    std::unique_ptr<Poco::SharedLibrary> library;  // never unloaded
    bool single_threaded = false;
    mutable std::mutex serial;  // held around calls when single_threaded
    // ABI 1.2: the plugin's own check of a value, when its table reaches it and sets it.
    comptoir_check (*check_value)(const char* key, const char* value) = nullptr;
};
static_assert(offsetof(PluginRegistry::Loaded, host) == 0);

namespace plugin_calls {

inline Poco::Logger& logger() { return Poco::Logger::get("comptoir.plugins"); }

inline std::string quote(const std::string& text) { return "« " + text + " »"; }

// True when a struct the writer says is `struct_size` bytes long holds the member that starts at
// `offset` and is `size` bytes long: a member beyond it is never read (plugin.h).
constexpr bool covers(size_t struct_size, size_t offset, size_t size) { return struct_size >= offset + size; }
#define COMPTOIR_COVERS(object, type, member) \
    ::comptoir::plugin_calls::covers((object)->struct_size, offsetof(type, member), sizeof(static_cast<type*>(nullptr)->member))

// Fills a plugin's host table: the host's ABI and version, and the callbacks.
void fill_host_table(comptoir_host& host);

}  // namespace plugin_calls
}  // namespace comptoir
