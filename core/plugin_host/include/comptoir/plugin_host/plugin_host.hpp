// The plugin host: loads every plugin of a folder through the C ABI of plugin.h, refuses the
// broken ones with a reason (and goes on), and runs recognition and extraction on a Document.
// Plugins are never unloaded.
#pragma once

#include "comptoir/plugin_host/field.hpp"
#include "comptoir/reading/document.hpp"

#include <comptoir/plugin.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace Poco {
class SharedLibrary;
}

namespace comptoir {

struct PluginKind {
    std::string id;
    std::string label_fr;
};

struct PluginField {
    std::string key;
    std::string label_fr;
    FieldType type = FieldType::text;
    // ABI 1.2, from the plugin's field spec: what a value must look like. 0 and "any": no bound.
    uint32_t min_length = 0;  // characters of the normalised value
    uint32_t max_length = 0;
    std::string alphabet = "any";  // "any", "digits", "alnum", "upper_alnum"
};

struct PluginLetter {
    std::string id;
    std::string kind;  // empty: every document
};

// A value against its field's spec alone (length in characters, ASCII alphabet):
// COMPTOIR_CHECK_FAILED when it breaks a bound, COMPTOIR_CHECK_OK when it meets at least one,
// COMPTOIR_CHECK_UNCHECKED when the field has none.
comptoir_check check_spec(const PluginField& field, const std::string& value);

// A plugin the host accepted. Its declarations are copied at load time.
struct PluginInfo {
    std::string id;
    std::string partner;
    std::string version;
    std::string file;
    int abi_major = 0;
    int abi_minor = 0;
    bool own_check = false;  // ABI 1.2: the plugin checks values itself (check_value)
    std::vector<PluginKind> kinds;
    std::vector<PluginField> fields;
    std::vector<PluginLetter> letters;

    const PluginField* field(const std::string& key) const;
    bool has_kind(const std::string& kind) const;
    std::vector<std::string> letters_for(const std::string& kind) const;
};

// A plugin the host refused, or one that plugins.allow leaves out.
struct PluginRejection {
    std::string file;    // file name in the plugin folder
    std::string id;      // when it could be read
    std::string reason;  // French
};

// Two readings of one field, one from OCR (or a text layer) and one from a 2D-Doc whose
// signature check gave `code_status`, made one (docs/formats.md, "What a value is worth"): a valid
// code wins with confidence 1 and keeps the printed value's place on the page; a code of
// unknown certificate confirms the printed value or contradicts it, never wins; readings that
// disagree are flagged `mismatch` and the loser is kept in `alternatives`.
ExtractedField merge_readings(const ExtractedField& printed, const ExtractedField& code, CodeStatus code_status);

struct Recognition {
    std::vector<Candidate> candidates;  // best first
    std::optional<Candidate> document;  // the best over the threshold
    std::vector<std::string> errors;    // plugins whose recognise failed (French)
};

struct Extraction {
    std::string plugin;
    std::string kind;
    std::map<std::string, ExtractedField> fields;
    std::vector<std::string> letters;
    bool ok = true;
    std::string error;  // French, when !ok
    // ABI 1.4, comptoir_host.ask_again: the regions (page, box) where the plugin found a field's
    // label and no value, for the host to read the doubtful words there again. At most kMaxAsked.
    std::vector<std::pair<uint32_t, Box>> asked;
    static constexpr size_t kMaxAsked = 64;
};

// How a plugin is run (plugin_worker.hpp): by default no partner code runs in this process — a
// module is opened, its factory's init run and its tables listed by a child of its own, and each
// plugin's init, declarations, recognise, extract and check_value are its own worker's, one
// process per plugin; in this process only in that worker itself.
struct PluginIsolation {
    bool in_process = false;
    std::string worker;                       // comptoir-plugin-worker; empty: default_plugin_worker_path()
    std::chrono::milliseconds timeout{2000};  // per call, wall clock (plugins.timeout_ms)
    int64_t memory_bytes = int64_t{1} << 30;  // the worker's address space (none in the sanitizer build)
};

// Plugins called in this process: the worker's own registry, and tests of the ABI's threads.
inline PluginIsolation in_this_process() {
    PluginIsolation isolation;
    isolation.in_process = true;
    return isolation;
}

// A plugin's failures since the start (crashes, timeouts, memory): three within an hour set it
// aside until the server restarts.
struct PluginHealth {
    std::string id;
    int failures = 0;
    bool set_aside = false;
    std::string last_failure;  // French, names the plugin, never the document
};

// ABI 1.3: the plugins' settings, by plugin id (or a factory module's name, its file without
// `.so`): the configuration's `plugins.<id>.<key> = value` lines, what `init` reads through
// comptoir_host.setting.
using PluginSettings = std::map<std::string, std::map<std::string, std::string>>;

class PluginRegistry {
public:
    PluginRegistry();
    explicit PluginRegistry(PluginIsolation isolation);
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // For the plugins loaded after it.
    void set_isolation(PluginIsolation isolation) { isolation_ = std::move(isolation); }
    const PluginIsolation& isolation() const { return isolation_; }
    // For the plugins loaded after it.
    void set_settings(PluginSettings settings) { settings_ = std::move(settings); }

    // Loads every *.so of `dir` (sorted by name). `allow`: plugin ids, or {"*"} for all.
    // Never throws for a bad plugin: it lands in rejected(). A missing folder is logged.
    void load_directory(const std::string& dir, const std::vector<std::string>& allow = {"*"});

    // Loads one module: the one plugin of its comptoir_plugin_entry, or each plugin of its
    // comptoir_plugin_factory_entry (ABI 1.3), refused one by one. True when one at least was accepted.
    bool load_file(const std::string& path, const std::vector<std::string>& allow = {"*"});

    std::vector<const PluginInfo*> loaded() const;
    const std::vector<PluginRejection>& rejected() const { return rejected_; }
    const std::vector<PluginRejection>& disabled() const { return disabled_; }
    const PluginInfo* find(const std::string& id) const;
    // Per loaded plugin, in load order. Callable from any thread.
    std::vector<PluginHealth> health() const;

    // Letters that some plugin offers for every document (declared with no kind).
    std::vector<std::string> universal_letters() const;

    // Every loaded plugin scores the document. With `only_plugin`, only that plugin is asked
    // and its best candidate is taken whatever its score (an override by the user).
    Recognition recognise(const Document& document, double threshold, const std::string& only_plugin = {}) const;

    // Fields of `kind` by plugin `plugin_id`. A plugin failure gives ok=false and the fields
    // reported before it failed.
    Extraction extract(const Document& document, const std::string& plugin_id, const std::string& kind) const;

    // For comptoir-plugin-worker (plugin_worker.cpp), in this process: what the module at `path`
    // offers — its factory's init run with its settings, each table's id read before its init —
    // as JSON {"plugins": [id…], "rejected": [{"id", "reason"}…]}; and the declarations of the
    // loaded plugin `id` (its table after its init) as JSON, what the host reads them from.
    std::string list_module(const std::string& path);
    std::string describe(const std::string& id) const;

    // Checks a normalised value of `key` (a mediator's correction) for the plugin named by
    // `kind_or_plugin` (a plugin id, or one of its document kinds): the declared length and
    // alphabet, then the plugin's own check_value when it has one. COMPTOIR_CHECK_FAILED when
    // any check fails, COMPTOIR_CHECK_OK when some check ran and all passed, and
    // COMPTOIR_CHECK_UNCHECKED when there was nothing to check (no spec, no check of its own,
    // an unknown plugin or key). Never logs the value. Callable from any thread. The plugin's
    // own check runs in its worker: one that crashes or does not answer in time counts as a
    // failure of the plugin and leaves the value unchecked (by it).
    comptoir_check check_value(const std::string& kind_or_plugin, const std::string& key, const std::string& value) const;

    struct Loaded;  // private: a plugin's library, table and host table

private:
    void reject(const std::string& file, const std::string& id, const std::string& reason);
    // In this process: the module's tables (its factory's init run), or none, its refusal said.
    std::vector<const comptoir_plugin*> open_module(const std::string& path, std::shared_ptr<Poco::SharedLibrary>& library);
    std::vector<const comptoir_plugin*> open_factory(const std::string& path, const std::shared_ptr<Poco::SharedLibrary>& library);
    bool accept_table(const std::string& path, const std::shared_ptr<Poco::SharedLibrary>& library,
                      const comptoir_plugin* table, const std::vector<std::string>& allow);
    // A plugin `id` not yet loaded and allowed; else its refusal (or its leaving out) said.
    bool admit(const std::string& file, const std::string& id, const std::vector<std::string>& allow);
    // Isolated (plugin_describe.cpp): the module listed by a child, each plugin described by its worker.
    bool load_isolated(const std::string& path, const std::vector<std::string>& allow);
    bool accept_described(const std::string& path, const std::string& id, const std::vector<std::string>& allow);

    PluginIsolation isolation_;
    PluginSettings settings_;
    std::vector<std::unique_ptr<Loaded>> modules_;  // a factory's host table for its init
    std::vector<std::unique_ptr<Loaded>> plugins_;
    std::vector<PluginRejection> rejected_;
    std::vector<PluginRejection> disabled_;
};

}  // namespace comptoir
