// Loading a plugin module without running any of it in this process (PluginRegistry::load_file
// when isolated, the default): a child of the module lists what it offers (its factory's init
// runs there), then each plugin's own worker — started here, kept for its readings — runs its
// init and describes its table, which is checked here as the table itself would be
// (plugin_worker.hpp). A partner's init that crashes, exits, hangs or answers garbage refuses
// its module or its plugin, named with the file; the other modules load; the server starts.
#include "comptoir/plugin_host/plugin_host.hpp"

#include "plugin_calls.hpp"

#include "comptoir/plugin_host/plugin_worker.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>

#include <algorithm>
#include <deque>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace comptoir {

using plugin_calls::logger;
using plugin_calls::quote;

namespace {

// A refusal said by a child: at most a line of well-formed text.
constexpr size_t kMaxReasonBytes = 4096;

// How a child that ran a partner's init ended, when not well: the refusal's French reason.
// `what`: "du greffon" or "du module".
std::string init_failure(const std::string& what, const worker::Outcome& outcome, std::chrono::milliseconds timeout) {
    const std::string init = "l'initialisation " + what;
    switch (outcome.status) {
    case worker::Status::ok: return {};
    case worker::Status::out_of_time:
        return init + " n'a pas répondu à temps (" + std::to_string(timeout.count()) + " ms) : elle a été arrêtée";
    case worker::Status::out_of_memory: return init + " a demandé plus de mémoire qu'elle n'en a droit : elle a été arrêtée";
    case worker::Status::unavailable:
        return "le processus du greffon n'a pas pu être lancé (programme comptoir-plugin-worker introuvable : "
               "installation incomplète)";
    case worker::Status::crashed: break;
    }
    // A frame too long or malformed, or no JSON object: the child answered, but nothing usable.
    if (outcome.detail == "réponse illisible" || outcome.detail == "réponse trop grande") {
        return init + " a donné une réponse illisible : elle a été arrêtée";
    }
    if (outcome.signal) return init + " s'est arrêtée (signal " + std::to_string(outcome.signal) + ")";
    return init + " s'est arrêtée (" + outcome.detail + ")";
}

// One request to a child, its whole answer parsed; a failure (crash, timeout, an answer too
// large or no JSON object) in `failed`, the child then stopped.
Poco::JSON::Object::Ptr ask(worker::Runner& runner, const std::string& request, std::chrono::milliseconds timeout,
                            worker::Outcome& failed) {
    std::string bytes;
    try {
        failed = runner.call(
            request,
            [&](std::string&& part) {
                if (bytes.size() + part.size() > plugin_calls::kMaxAnswerBytes) throw std::length_error("réponse trop grande");
                bytes += part;
            },
            timeout);
    } catch (const std::length_error&) {
        failed = {worker::Status::crashed, "réponse trop grande"};
    }
    if (!failed.ok()) return nullptr;
    try {
        Poco::JSON::Parser parser;
        auto object = parser.parse(bytes).extract<Poco::JSON::Object::Ptr>();
        if (object) return object;
    } catch (const std::exception&) {  // Poco's too
    }
    runner.stop();
    failed = {worker::Status::crashed, "réponse illisible"};
    return nullptr;
}

// A child's text: well-formed and short, else its refusal.
std::string said_text(const std::string& text) {
    if (!valid_utf8(text)) throw std::invalid_argument("texte mal encodé");
    if (text.size() > kMaxReasonBytes) throw std::invalid_argument("texte trop long");
    return text;
}

// Stands for a function the described table has: never called (the worker calls the real one).
comptoir_status never_recognise(const comptoir_host*, comptoir_document*) { return COMPTOIR_STATUS_ERROR; }
comptoir_status never_extract(const comptoir_host*, comptoir_document*, const char*) { return COMPTOIR_STATUS_ERROR; }
comptoir_check never_check(const char*, const char*) { return COMPTOIR_CHECK_UNCHECKED; }

// A plugin's table rebuilt here from its worker's description, for the checks a table has
// (validate_table) and its copy (fill_declarations): its strings and arrays live with it.
class DescribedTable {
public:
    explicit DescribedTable(const Poco::JSON::Object& json) {
        table_.struct_size = std::min<size_t>(json.getValue<uint64_t>("struct_size"), sizeof(comptoir_plugin));
        table_.abi_major = static_cast<uint16_t>(json.getValue<unsigned>("abi_major"));
        table_.abi_minor = static_cast<uint16_t>(json.getValue<unsigned>("abi_minor"));
        table_.id = text(json, "id");
        table_.partner = text(json, "partner");
        table_.version = text(json, "version");
        table_.flags = static_cast<uint32_t>(json.getValue<uint64_t>("flags"));
        if (json.getValue<bool>("recognise")) table_.recognise = never_recognise;
        if (json.getValue<bool>("extract")) table_.extract = never_extract;
        if (json.getValue<bool>("check_value")) table_.check_value = never_check;
        for (const auto& entry : rows(json, "kinds", 2)) kinds_.push_back({text(*entry, 0), text(*entry, 1)});
        for (const auto& entry : rows(json, "fields", 3)) {
            fields_.push_back({text(*entry, 0), text(*entry, 1), static_cast<comptoir_field_type>(entry->getElement<int>(2))});
        }
        for (const auto& entry : rows(json, "field_specs", 4)) {
            comptoir_field_spec spec{};
            spec.struct_size = sizeof(comptoir_field_spec);
            spec.key = text(*entry, 0);
            spec.min_length = static_cast<uint32_t>(entry->getElement<uint64_t>(1));
            spec.max_length = static_cast<uint32_t>(entry->getElement<uint64_t>(2));
            spec.alphabet = static_cast<comptoir_alphabet>(entry->getElement<int>(3));
            specs_.push_back(spec);
        }
        for (const auto& entry : rows(json, "letters", 2)) letters_.push_back({text(*entry, 0), text(*entry, 1)});
        table_.kinds = kinds_.empty() ? nullptr : kinds_.data();
        table_.kind_count = kinds_.size();
        table_.fields = fields_.empty() ? nullptr : fields_.data();
        table_.field_count = fields_.size();
        table_.field_specs = specs_.empty() ? nullptr : specs_.data();
        table_.field_spec_count = specs_.size();
        table_.letters = letters_.empty() ? nullptr : letters_.data();
        table_.letter_count = letters_.size();
    }
    DescribedTable(const DescribedTable&) = delete;
    DescribedTable& operator=(const DescribedTable&) = delete;

    const comptoir_plugin* table() const { return &table_; }

private:
    // A string member, or NULL for a JSON null (the checks say what is missing).
    const char* keep(const Poco::Dynamic::Var& value) {
        if (value.isEmpty()) return nullptr;
        return strings_.emplace_back(said_text(value.extract<std::string>())).c_str();
    }
    const char* text(const Poco::JSON::Object& json, const std::string& key) { return keep(json.get(key)); }
    const char* text(const Poco::JSON::Array& row, unsigned index) { return keep(row.get(index)); }

    static std::vector<Poco::JSON::Array::Ptr> rows(const Poco::JSON::Object& json, const std::string& key, size_t width) {
        std::vector<Poco::JSON::Array::Ptr> out;
        const auto array = json.getArray(key);
        if (!array) throw std::invalid_argument("liste absente");
        for (unsigned i = 0; i < array->size(); ++i) {
            auto row = array->getArray(i);
            if (!row || row->size() != width) throw std::invalid_argument("entrée mal formée");
            out.push_back(row);
        }
        return out;
    }

    comptoir_plugin table_{};
    std::deque<std::string> strings_;  // a deque: its strings stay where they are
    std::vector<comptoir_kind_decl> kinds_;
    std::vector<comptoir_field_decl> fields_;
    std::vector<comptoir_field_spec> specs_;
    std::vector<comptoir_letter_decl> letters_;
};

}  // namespace

bool PluginRegistry::load_isolated(const std::string& path, const std::vector<std::string>& allow) {
    const std::string file = Poco::Path(path).getFileName();
    const std::string module = Poco::Path(path).getBaseName();
    // The module's settings alone: its plugins' are for their own workers.
    std::vector<std::string> arguments{"--module", Poco::Path(path).absolute().toString()};
    if (const auto it = settings_.find(module); it != settings_.end()) {
        for (const auto& [key, value] : it->second) arguments.push_back("m" + key + "=" + value);
    }
    std::vector<std::string> ids;
    {
        worker::Runner lister(plugin_calls::runner_options(isolation_, std::move(arguments)));
        worker::Outcome outcome;
        const auto answer = ask(lister, "list", isolation_.timeout, outcome);
        if (!answer) {
            reject(file, "", init_failure("du module", outcome, isolation_.timeout));
            return false;
        }
        std::vector<std::pair<std::string, std::string>> refusals;
        try {
            plugin_calls::log_answer_lines(*answer);
            const auto listed = answer->getObject("module");
            if (!listed || !listed->getArray("plugins") || !listed->getArray("rejected")) throw std::invalid_argument("liste absente");
            const auto plugins = listed->getArray("plugins");
            for (unsigned i = 0; i < plugins->size() && i < 256; ++i) ids.push_back(said_text(plugins->getElement<std::string>(i)));
            const auto rejected = listed->getArray("rejected");
            for (unsigned i = 0; i < rejected->size() && i < 256; ++i) {
                const auto entry = rejected->getObject(i);
                if (!entry) throw std::invalid_argument("refus mal formé");
                refusals.emplace_back(said_text(entry->getValue<std::string>("id")), said_text(entry->getValue<std::string>("reason")));
            }
        } catch (const std::exception&) {  // Poco's too
            reject(file, "", "l'initialisation du module a donné une réponse illisible : elle a été arrêtée");
            return false;
        }
        for (const auto& [id, reason] : refusals) reject(file, id, reason);
    }  // the module's child stopped: each plugin has its own
    bool any = false;
    for (const auto& id : ids) {
        if (!plugin_calls::valid_plugin_id(id)) {
            reject(file, "", "identifiant du greffon invalide " + quote(id) + " (a-z, 0-9, _)");
            continue;
        }
        any = accept_described(path, id, allow) || any;
    }
    return any;
}

bool PluginRegistry::accept_described(const std::string& path, const std::string& id, const std::vector<std::string>& allow) {
    const std::string file = Poco::Path(path).getFileName();
    if (!admit(file, id, allow)) return false;
    auto loaded = std::make_unique<Loaded>();
    loaded->path = path;
    loaded->info.id = id;
    loaded->info.file = file;
    if (const auto it = settings_.find(id); it != settings_.end()) loaded->settings.assign(it->second.begin(), it->second.end());
    // The module, the plugin it serves there, and the settings its init and its module's read.
    std::vector<std::string> arguments{Poco::Path(path).absolute().toString(), id};
    for (const auto& [key, value] : loaded->settings) arguments.push_back("p" + key + "=" + value);
    if (const auto it = settings_.find(Poco::Path(path).getBaseName()); it != settings_.end()) {
        for (const auto& [key, value] : it->second) arguments.push_back("m" + key + "=" + value);
    }
    loaded->runner = std::make_unique<worker::Runner>(plugin_calls::runner_options(isolation_, std::move(arguments)));
    loaded->timeout = isolation_.timeout;

    // Its first request: its init runs there, and its table is described.
    worker::Outcome outcome;
    const auto answer = ask(*loaded->runner, "describe", isolation_.timeout, outcome);
    if (!answer) {
        reject(file, id, init_failure("du greffon", outcome, isolation_.timeout));
        return false;
    }
    try {
        plugin_calls::log_answer_lines(*answer);
        if (!answer->getValue<bool>("ok")) {
            reject(file, id, said_text(answer->getValue<std::string>("refused")));
            return false;
        }
        const auto described = answer->getObject("plugin");
        if (!described) throw std::invalid_argument("description absente");
        const DescribedTable table(*described);
        if (!table.table()->id || table.table()->id != id) {
            reject(file, id, "le processus du greffon a décrit un autre greffon");
            return false;
        }
        if (const std::string problem = plugin_calls::validate_table(table.table()); !problem.empty()) {
            reject(file, id, problem);
            return false;
        }
        plugin_calls::fill_declarations(*loaded, table.table());
    } catch (const std::exception&) {  // Poco's too
        loaded->runner->stop();
        reject(file, id, "l'initialisation du greffon a donné une réponse illisible : elle a été arrêtée");
        return false;
    }
    // Its check_value is its worker's (info.own_check says it has one); nothing here to call.
    loaded->check_value = nullptr;
    logger().information("greffon chargé : " + id + " " + loaded->info.version + " (" + loaded->info.partner + "), ABI " +
                         std::to_string(loaded->info.abi_major) + "." + std::to_string(loaded->info.abi_minor) + ", " + file);
    plugins_.push_back(std::move(loaded));
    return true;
}

}  // namespace comptoir
