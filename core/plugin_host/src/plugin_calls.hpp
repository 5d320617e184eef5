// What the plugin host lends a plugin during one call (the opaque comptoir_document of plugin.h)
// and the host table it calls back through: shared by plugin_host.cpp (loading, the registry)
// and plugin_calls.cpp (the callbacks). Private to the plugin host.
#pragma once

#include "comptoir/plugin_host/plugin_host.hpp"
#include "comptoir/worker/runner.hpp"

#include <comptoir/plugin.h>

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/SharedLibrary.h>

#include <chrono>
#include <cstddef>
#include <deque>
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
    std::shared_ptr<Poco::SharedLibrary> library;  // never unloaded; shared by a factory's plugins
    std::string path;                              // the module, as given to load_file
    // ABI 1.3: its settings (plugins.<id>.<key>), what host->setting answers (a vector: the
    // struct stays standard-layout, its host table first).
    std::vector<std::pair<std::string, std::string>> settings;
    bool single_threaded = false;
    mutable std::mutex serial;  // held around calls when single_threaded
    // ABI 1.2: the plugin's own check of a value, when its table reaches it and sets it.
    comptoir_check (*check_value)(const char* key, const char* value) = nullptr;

    // Its worker (plugin_worker.hpp); none when called in this process.
    std::unique_ptr<worker::Runner> runner;
    std::chrono::milliseconds timeout{2000};
    // The documents its worker holds, as they were sent (by number, the last kHeldDocuments, to
    // the child numbered `held_child`): an extraction refers to one rather than sending it
    // again. Read and written only while a WorkerCall holds the runner.
    mutable uint64_t held_child = 0;
    mutable std::deque<std::pair<uint64_t, std::string>> held;
    // Its failures (crashes, timeouts, memory): three within an hour set it aside until restart.
    mutable std::mutex health_mutex;
    mutable std::deque<std::chrono::steady_clock::time_point> recent_failures;
    mutable int failures = 0;
    mutable bool set_aside = false;
    mutable std::string last_failure;  // French, names the plugin, never the document
    // While its init runs: the last error it logged (no document then), for its refusal.
    mutable bool initialising = false;
    mutable std::string init_error;
    void note_failure(const std::string& message) const;
    bool is_set_aside() const;
};
static_assert(offsetof(PluginRegistry::Loaded, host) == 0);

namespace plugin_calls {

inline Poco::Logger& logger() { return Poco::Logger::get("comptoir.plugins"); }

inline std::string quote(const std::string& text) { return "« " + text + " »"; }

// A status as the log says it.
inline std::string status_name(comptoir_status status) {
    switch (status) {
    case COMPTOIR_STATUS_OK: return "OK";
    case COMPTOIR_STATUS_ERROR: return "ERROR";
    case COMPTOIR_STATUS_BAD_ARGUMENT: return "BAD_ARGUMENT";
    case COMPTOIR_STATUS_UNKNOWN_KEY: return "UNKNOWN_KEY";
    case COMPTOIR_STATUS_NOT_FOUND: return "NOT_FOUND";
    case COMPTOIR_STATUS_INVALID: break;
    }
    return "INVALID(" + std::to_string(static_cast<int>(status)) + ")";
}

// True when a struct the writer says is `struct_size` bytes long holds the member that starts at
// `offset` and is `size` bytes long: a member beyond it is never read (plugin.h).
constexpr bool covers(size_t struct_size, size_t offset, size_t size) { return struct_size >= offset + size; }
#define COMPTOIR_COVERS(object, type, member) \
    ::comptoir::plugin_calls::covers((object)->struct_size, offsetof(type, member), sizeof(static_cast<type*>(nullptr)->member))

// Fills a plugin's host table: the host's ABI and version, and the callbacks; `plugin` is the
// table it serves (NULL for a factory's init).
void fill_host_table(comptoir_host& host, const comptoir_plugin* plugin = nullptr);

// --- a plugin's table (plugin_load.cpp) ---

bool valid_plugin_id(const std::string& id);
// What identifies a table (its size, ABI, id), read before its init; empty when it is fit.
std::string validate_head(const comptoir_plugin* table);
// The whole table, after its init; empty when it is accepted, else the French reason.
std::string validate_table(const comptoir_plugin* table);
// Copies a validated table's declarations into `loaded` (its info but id and file, its
// check_value, its flags).
void fill_declarations(PluginRegistry::Loaded& loaded, const comptoir_plugin* table);

// --- calls through the plugin's worker (plugin_worker.cpp) ---

// What a field's value may weigh (bytes, each of its texts), what a whole answer may.
constexpr size_t kMaxValueBytes = 4096;
constexpr size_t kMaxAnswerBytes = 16u << 20;
// The documents a worker keeps, the last ones it was sent (several threads may read documents
// through one worker at once: each recognition's document is still there for its extraction).
constexpr size_t kHeldDocuments = 4;

// Why a reported field cannot be kept (too long, not UTF-8), empty when it can.
std::string field_problem(const ExtractedField& field);

// The worker's log lines of an answer ("logs": [[level, line]…]) said in this process's log.
void log_answer_lines(const Poco::JSON::Object& answer);

// Runner options of a plugin's child (its worker, or its module's listing): its limits.
worker::RunnerOptions runner_options(const PluginIsolation& isolation, std::vector<std::string> arguments);

// The mediator's French sentence for a call that did not end well; empty for ok.
std::string failure_message(const std::string& plugin, const worker::Outcome& outcome, std::chrono::milliseconds timeout);

struct Answer {
    bool read = false;    // the worker answered (else `error` says why: crash, timeout…)
    bool ok = false;      // and the plugin's call returned COMPTOIR_STATUS_OK
    std::string refused;  // the worker could not serve (the module does not load there…)
    std::string error;    // French, names the plugin
    std::vector<Candidate> candidates;
    std::map<std::string, ExtractedField> fields;
    std::vector<std::pair<uint32_t, Box>> asked;  // extract: the regions the plugin asked read again
    std::string check;           // "check": "ok", "failed" or "unchecked"
    bool unknown_document = false;  // the worker does not hold the document referred to
};

// One call to a plugin's worker, its runner held from the request to the answer: several
// workers are asked at once with one WorkerCall each, made in the registry's order (always the
// same, so that threads holding several never wait for each other in a circle), every request
// sent before any answer is read. A failure is logged, counted, and said in the answer's `error`.
class WorkerCall {
public:
    explicit WorkerCall(const PluginRegistry::Loaded& plugin);
    // "<verb> #<number>[ <argument>]" and the document: its JSON (`json`, kept alive by the
    // caller until finish()) when the worker does not hold it yet, nothing more when it does
    // (the same child was sent it, among its last kHeldDocuments).
    void send_document(const std::string& verb, const std::string& argument, const std::string& json);
    // Any other request ("check <key>\n<value>").
    void send(const std::string& request);
    // The answer; a worker that no longer holds the document referred to is sent it.
    Answer finish();

private:
    void send_numbered(uint64_t number, bool with_document);
    Answer read_answer();

    const PluginRegistry::Loaded& plugin_;
    worker::Runner::Exchange exchange_;
    worker::Outcome sent_;
    std::string verb_, argument_;
    const std::string* json_ = nullptr;
    uint64_t number_ = 0;
    bool by_reference_ = false;
};

}  // namespace plugin_calls
}  // namespace comptoir
