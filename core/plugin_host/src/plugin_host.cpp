#include "comptoir/plugin_host/plugin_host.hpp"

#include "plugin_calls.hpp"

#include "comptoir/plugin_host/plugin_worker.hpp"

#include "comptoir/plugin.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/SharedLibrary.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <regex>
#include <set>

namespace comptoir {

using plugin_calls::logger;
using plugin_calls::quote;

namespace {

// Size of the 1.0 plugin table: a plugin's table must reach at least `extract`.
constexpr size_t kPluginTableMinSize = offsetof(comptoir_plugin, extract) + sizeof(void*);

// The smallest field spec a plugin may write: up to `alphabet`.
constexpr size_t kFieldSpecMinSize = offsetof(comptoir_field_spec, alphabet) + sizeof(comptoir_alphabet);

std::optional<FieldType> field_type_of(comptoir_field_type type) {
    switch (type) {
    case COMPTOIR_FIELD_TEXT: return FieldType::text;
    case COMPTOIR_FIELD_AMOUNT: return FieldType::amount;
    case COMPTOIR_FIELD_DATE: return FieldType::date;
    case COMPTOIR_FIELD_IDENTIFIER: return FieldType::identifier;
    case COMPTOIR_FIELD_COUNT: return FieldType::count;
    case COMPTOIR_FIELD_DECIMAL: return FieldType::decimal;
    case COMPTOIR_FIELD_NAME: return FieldType::name;
    case COMPTOIR_FIELD_ADDRESS: return FieldType::address;
    case COMPTOIR_FIELD_NONE: break;
    }
    return std::nullopt;
}


std::string alphabet_name(comptoir_alphabet alphabet) {
    switch (alphabet) {
    case COMPTOIR_ALPHABET_ANY: return "any";
    case COMPTOIR_ALPHABET_DIGITS: return "digits";
    case COMPTOIR_ALPHABET_ALNUM: return "alnum";
    case COMPTOIR_ALPHABET_UPPER_ALNUM: return "upper_alnum";
    }
    return {};
}

// The `index`-th spec of a table whose specs were validated: the host steps by the writer's
// struct_size, which may be larger than its own.
const comptoir_field_spec& spec_at(const comptoir_plugin* table, size_t index) {
    const size_t stride = table->field_specs[0].struct_size;
    return *reinterpret_cast<const comptoir_field_spec*>(reinterpret_cast<const char*>(table->field_specs) + index * stride);
}

// Characters, not bytes, of a UTF-8 string.
size_t utf8_length(const std::string& text) {
    return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u;
    }));
}

bool fits_alphabet(const std::string& value, const std::string& alphabet) {
    const auto all = [&](auto&& accept) {
        return std::all_of(value.begin(), value.end(), [&](char c) { return accept(static_cast<unsigned char>(c)); });
    };
    const auto digit = [](unsigned char c) { return c >= '0' && c <= '9'; };
    const auto upper = [](unsigned char c) { return c >= 'A' && c <= 'Z'; };
    const auto lower = [](unsigned char c) { return c >= 'a' && c <= 'z'; };
    if (alphabet == "digits") return all(digit);
    if (alphabet == "alnum") return all([&](unsigned char c) { return digit(c) || upper(c) || lower(c); });
    if (alphabet == "upper_alnum") return all([&](unsigned char c) { return digit(c) || upper(c); });
    return true;
}

std::string status_name(comptoir_status status) {
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

bool valid_id(const char* id) { return id && std::regex_match(id, std::regex("[a-z0-9_]+")); }
bool valid_letter_id(const char* id) { return id && std::regex_match(id, std::regex("[a-z0-9_]+(\\.[a-z0-9_]+)+")); }
bool non_empty(const char* text) { return text && *text; }


// Reads and checks a plugin's table; an empty string means accepted.
std::string validate_table(const comptoir_plugin* table) {
    if (table->struct_size < kPluginTableMinSize) {
        return "table du greffon trop petite (" + std::to_string(table->struct_size) + " octets, " +
               std::to_string(kPluginTableMinSize) + " au moins)";
    }
    const std::string plugin_abi = std::to_string(table->abi_major) + "." + std::to_string(table->abi_minor);
    const std::string host_abi = std::to_string(COMPTOIR_PLUGIN_ABI_MAJOR) + "." + std::to_string(COMPTOIR_PLUGIN_ABI_MINOR);
    if (table->abi_major != COMPTOIR_PLUGIN_ABI_MAJOR) {
        return "ABI du greffon " + plugin_abi + " incompatible avec l'ABI " + host_abi +
               " de l'hôte (version majeure différente) : reconstruisez-le avec le SDK de cet hôte";
    }
    if (table->abi_minor > COMPTOIR_PLUGIN_ABI_MINOR) {
        return "ABI du greffon " + plugin_abi + " plus récente que l'ABI " + host_abi +
               " de l'hôte : mettez Comptoir à jour ou reconstruisez le greffon avec ce SDK";
    }
    if (!table->id || !*table->id) return "identifiant du greffon vide";
    if (!valid_id(table->id)) return "identifiant du greffon invalide " + quote(table->id) + " (a-z, 0-9, _)";
    if (!table->partner || !table->version) return "partenaire ou version du greffon absent";
    if (!table->recognise || !table->extract) return "fonctions recognise ou extract absentes";

    const std::string prefix = std::string(table->id) + ".";
    std::set<std::string> kinds;
    if (table->kind_count && !table->kinds) return "liste des types de document absente";
    for (size_t i = 0; i < table->kind_count; ++i) {
        const auto& kind = table->kinds[i];
        if (!non_empty(kind.id) || std::string(kind.id).rfind(prefix, 0) != 0 || !valid_letter_id(kind.id)) {
            return "type de document invalide " + quote(kind.id ? kind.id : "") + " (il doit commencer par " +
                   quote(prefix) + ")";
        }
        if (!non_empty(kind.label_fr)) return "type de document " + quote(kind.id) + " sans libellé";
        if (!kinds.insert(kind.id).second) return "type de document " + quote(kind.id) + " déclaré deux fois";
    }
    std::set<std::string> keys;
    if (table->field_count && !table->fields) return "liste des champs absente";
    for (size_t i = 0; i < table->field_count; ++i) {
        const auto& field = table->fields[i];
        if (!valid_id(field.key)) return "clé de champ invalide " + quote(field.key ? field.key : "");
        if (!non_empty(field.label_fr)) return "champ " + quote(field.key) + " sans libellé";
        if (!field_type_of(field.type)) return "champ " + quote(field.key) + " de type inconnu";
        if (!keys.insert(field.key).second) return "champ " + quote(field.key) + " déclaré deux fois";
    }
    if (COMPTOIR_COVERS(table, comptoir_plugin, field_spec_count) && table->field_spec_count) {
        if (!table->field_specs) return "liste des spécifications de champ absente";
        const size_t stride = table->field_specs[0].struct_size;
        if (stride < kFieldSpecMinSize || stride % alignof(comptoir_field_spec) != 0) {
            return "spécification de champ de taille invalide (" + std::to_string(stride) + " octets, " +
                   std::to_string(kFieldSpecMinSize) + " au moins, multiple de " +
                   std::to_string(alignof(comptoir_field_spec)) + ")";
        }
        std::set<std::string> specified;
        for (size_t i = 0; i < table->field_spec_count; ++i) {
            // Only the first member is read before its size is known to be the first's.
            const auto* base = reinterpret_cast<const char*>(table->field_specs) + i * stride;
            if (reinterpret_cast<const comptoir_field_spec*>(base)->struct_size != stride) {
                return "spécifications de champ de tailles différentes (la n° " + std::to_string(i + 1) + " fait " +
                       std::to_string(reinterpret_cast<const comptoir_field_spec*>(base)->struct_size) +
                       " octets, la première " + std::to_string(stride) + ")";
            }
            const comptoir_field_spec& spec = spec_at(table, i);
            if (!spec.key || !keys.count(spec.key)) {
                return "spécification pour un champ non déclaré " + quote(spec.key ? spec.key : "");
            }
            if (!specified.insert(spec.key).second) return "champ " + quote(spec.key) + " spécifié deux fois";
            if (alphabet_name(spec.alphabet).empty()) return "champ " + quote(spec.key) + " d'alphabet inconnu";
            if (spec.max_length && spec.min_length > spec.max_length) {
                return "champ " + quote(spec.key) + " de longueur minimale supérieure à sa longueur maximale";
            }
        }
    }
    if (table->letter_count && !table->letters) return "liste des courriers absente";
    for (size_t i = 0; i < table->letter_count; ++i) {
        const auto& letter = table->letters[i];
        if (!valid_letter_id(letter.id)) return "identifiant de courrier invalide " + quote(letter.id ? letter.id : "");
        if (std::string(letter.id).rfind(prefix, 0) != 0) {
            return "courrier " + quote(letter.id) + " d'un autre greffon (son identifiant doit commencer par " + quote(prefix) +
                   ")";
        }
        if (letter.kind && !kinds.count(letter.kind)) {
            return "courrier " + quote(letter.id) + " proposé pour un type non déclaré " + quote(letter.kind);
        }
    }
    return {};
}

std::string set_aside_message(const std::string& id) {
    return "Le greffon " + id + " est mis de côté (il s'est arrêté trois fois en moins d'une heure) : "
           "il ne lit plus de documents jusqu'au prochain démarrage du serveur.";
}

bool allowed(const std::vector<std::string>& allow, const std::string& id) {
    return std::find(allow.begin(), allow.end(), "*") != allow.end() ||
           std::find(allow.begin(), allow.end(), id) != allow.end();
}

}  // namespace

const PluginField* PluginInfo::field(const std::string& key) const {
    for (const auto& field : fields) {
        if (field.key == key) return &field;
    }
    return nullptr;
}

bool PluginInfo::has_kind(const std::string& kind) const {
    return std::any_of(kinds.begin(), kinds.end(), [&](const PluginKind& k) { return k.id == kind; });
}

std::vector<std::string> PluginInfo::letters_for(const std::string& kind) const {
    std::vector<std::string> out;
    for (const auto& letter : letters) {
        if ((letter.kind.empty() || letter.kind == kind) &&
            std::find(out.begin(), out.end(), letter.id) == out.end()) {
            out.push_back(letter.id);
        }
    }
    return out;
}

PluginRegistry::PluginRegistry() = default;
PluginRegistry::PluginRegistry(PluginIsolation isolation) : isolation_(std::move(isolation)) {}

void PluginRegistry::Loaded::note_failure(const std::string& message) const {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(health_mutex);
    ++failures;
    last_failure = message;
    recent_failures.push_back(now);
    while (!recent_failures.empty() && now - recent_failures.front() > std::chrono::hours(1)) recent_failures.pop_front();
    if (recent_failures.size() >= 3 && !set_aside) {
        set_aside = true;
        logger().error("greffon " + info.id + " mis de côté jusqu'au prochain démarrage : " +
                       std::to_string(recent_failures.size()) + " arrêts en moins d'une heure");
    }
}

bool PluginRegistry::Loaded::is_set_aside() const {
    std::lock_guard<std::mutex> lock(health_mutex);
    return set_aside;
}

std::vector<PluginHealth> PluginRegistry::health() const {
    std::vector<PluginHealth> out;
    for (const auto& plugin : plugins_) {
        std::lock_guard<std::mutex> lock(plugin->health_mutex);
        out.push_back(PluginHealth{plugin->info.id, plugin->failures, plugin->set_aside, plugin->last_failure});
    }
    return out;
}
PluginRegistry::~PluginRegistry() {
    // Plugins are never unloaded (plugin.h says so): their libraries stay mapped even though the
    // registry goes; Poco::SharedLibrary's destructor does not dlclose, and plugins link
    // with -z nodelete.
}

void PluginRegistry::reject(const std::string& file, const std::string& id, const std::string& reason) {
    logger().warning("greffon refusé : " + file + (id.empty() ? "" : " (" + id + ")") + " : " + reason);
    rejected_.push_back(PluginRejection{file, id, reason});
}

void PluginRegistry::load_directory(const std::string& dir, const std::vector<std::string>& allow) {
    Poco::File folder(dir);
    if (!folder.exists() || !folder.isDirectory()) {
        logger().warning("dossier des greffons introuvable : " + dir);
        return;
    }
    std::vector<std::string> files;
    for (Poco::DirectoryIterator it(dir), end; it != end; ++it) {
        if (Poco::Path(it.name()).getExtension() == "so" && !it->isDirectory()) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) load_file(file, allow);
}

bool PluginRegistry::load_file(const std::string& path, const std::vector<std::string>& allow) {
    const std::string file = Poco::Path(path).getFileName();
    auto loaded = std::make_unique<Loaded>();
    loaded->library = std::make_unique<Poco::SharedLibrary>();
    try {
        // SHLIB_LOCAL: a plugin's symbols must not resolve another plugin's (Poco's default is
        // RTLD_GLOBAL).
        loaded->library->load(path, Poco::SharedLibrary::SHLIB_LOCAL);
    } catch (const Poco::Exception& error) {
        reject(file, "", "n'est pas une bibliothèque partagée chargeable (" + error.message() + ")");
        return false;
    }
    if (!loaded->library->hasSymbol(COMPTOIR_PLUGIN_ENTRY_NAME)) {
        reject(file, "", "n'exporte pas le symbole " COMPTOIR_PLUGIN_ENTRY_NAME);
        return false;
    }
    const auto entry = reinterpret_cast<comptoir_plugin_entry_fn>(loaded->library->getSymbol(COMPTOIR_PLUGIN_ENTRY_NAME));
    const comptoir_plugin* table = entry();
    if (!table) {
        reject(file, "", COMPTOIR_PLUGIN_ENTRY_NAME " a renvoyé NULL");
        return false;
    }
    const std::string id = (table->struct_size >= kPluginTableMinSize && table->id) ? table->id : "";
    if (const std::string problem = validate_table(table); !problem.empty()) {
        reject(file, id, problem);
        return false;
    }
    for (const auto& plugin : plugins_) {
        if (plugin->info.id == id) {
            reject(file, id, "identifiant " + quote(id) + " déjà utilisé par " + plugin->info.file);
            return false;
        }
    }
    if (!allowed(allow, id)) {
        logger().information("greffon désactivé (absent de plugins.allow) : " + file + " (" + id + ")");
        disabled_.push_back(PluginRejection{file, id, "désactivé : absent de plugins.allow"});
        return false;
    }

    PluginInfo& info = loaded->info;
    info.id = id;
    info.partner = table->partner;
    info.version = table->version;
    info.file = file;
    info.abi_major = table->abi_major;
    info.abi_minor = table->abi_minor;
    for (size_t i = 0; i < table->kind_count; ++i) info.kinds.push_back({table->kinds[i].id, table->kinds[i].label_fr});
    for (size_t i = 0; i < table->field_count; ++i) {
        info.fields.push_back({table->fields[i].key, table->fields[i].label_fr, *field_type_of(table->fields[i].type)});
    }
    if (COMPTOIR_COVERS(table, comptoir_plugin, field_spec_count)) {
        for (size_t i = 0; i < table->field_spec_count; ++i) {
            const comptoir_field_spec& spec = spec_at(table, i);
            for (auto& field : info.fields) {
                if (field.key != spec.key) continue;
                field.min_length = spec.min_length;
                field.max_length = spec.max_length;
                field.alphabet = alphabet_name(spec.alphabet);
            }
        }
    }
    if (COMPTOIR_COVERS(table, comptoir_plugin, check_value)) loaded->check_value = table->check_value;
    info.own_check = loaded->check_value != nullptr;
    for (size_t i = 0; i < table->letter_count; ++i) {
        info.letters.push_back({table->letters[i].id, table->letters[i].kind ? table->letters[i].kind : ""});
    }
    loaded->table = table;
    if (!isolation_.in_process) {
        worker::RunnerOptions runner;
        runner.executable = isolation_.worker.empty() ? default_plugin_worker_path() : isolation_.worker;
        runner.arguments = {Poco::Path(path).absolute().toString()};
        runner.memory_bytes = isolation_.memory_bytes;
        runner.cpu_seconds = static_cast<int>((isolation_.timeout.count() + 999) / 1000) + 1;
        runner.timeout = isolation_.timeout;
        runner.max_frame_bytes = static_cast<uint32_t>(plugin_calls::kMaxAnswerBytes);  // a plugin writing to fd 3 itself
        loaded->runner = std::make_unique<worker::Runner>(std::move(runner));
        loaded->timeout = isolation_.timeout;
    }
    loaded->single_threaded = (table->flags & COMPTOIR_PLUGIN_FLAG_SINGLE_THREADED) != 0;

    plugin_calls::fill_host_table(loaded->host);

    if (table->init) {
        loaded->initialising = true;
        const comptoir_status status = table->init(&loaded->host);
        loaded->initialising = false;
        if (status != COMPTOIR_STATUS_OK) {
            // What the plugin logged as an error while starting (a C++ init that threw: its message).
            reject(file, id, "l'initialisation a échoué (statut " + status_name(status) + ")" +
                                 (loaded->init_error.empty() ? std::string() : " : " + loaded->init_error));
            return false;
        }
    }
    logger().information("greffon chargé : " + id + " " + info.version + " (" + info.partner + "), ABI " +
                         std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor) + ", " + file);
    plugins_.push_back(std::move(loaded));
    return true;
}

std::vector<const PluginInfo*> PluginRegistry::loaded() const {
    std::vector<const PluginInfo*> out;
    for (const auto& plugin : plugins_) out.push_back(&plugin->info);
    return out;
}

const PluginInfo* PluginRegistry::find(const std::string& id) const {
    for (const auto& plugin : plugins_) {
        if (plugin->info.id == id) return &plugin->info;
    }
    return nullptr;
}

Recognition PluginRegistry::recognise(const Document& document, double threshold, const std::string& only_plugin) const {
    Recognition result;
    std::string request;  // the document as the workers read it, written once
    for (const auto& plugin : plugins_) {
        if (!only_plugin.empty() && plugin->info.id != only_plugin) continue;
        if (plugin->runner) {
            if (plugin->is_set_aside()) {
                if (!only_plugin.empty()) result.errors.push_back(set_aside_message(plugin->info.id));
                continue;
            }
            if (request.empty()) request = "recognise\n" + document.to_json();
            plugin_calls::Answer answer = plugin_calls::call_worker(*plugin, request);
            if (!answer.read) {
                result.errors.push_back(answer.error);
                continue;
            }
            if (!answer.ok) {
                logger().warning("greffon " + plugin->info.id + " : la reconnaissance a échoué" +
                                 (answer.refused.empty() ? std::string() : " (" + answer.refused + ")"));
                result.errors.push_back("le greffon " + plugin->info.id + " n'a pas pu examiner le document");
                continue;
            }
            for (auto& candidate : answer.candidates) {
                // Its own child may say anything: only its kinds, scores in [0, 1].
                if (!plugin->info.has_kind(candidate.kind) || !std::isfinite(candidate.confidence) ||
                    candidate.confidence < 0.0 || candidate.confidence > 1.0) {
                    continue;
                }
                candidate.plugin = plugin->info.id;
                result.candidates.push_back(std::move(candidate));
            }
            continue;
        }
        std::vector<Candidate> candidates;
        comptoir_document doc;
        doc.document = &document;
        doc.plugin = plugin.get();
        doc.candidates = &candidates;
        std::unique_lock<std::mutex> lock(plugin->serial, std::defer_lock);
        if (plugin->single_threaded) lock.lock();
        const comptoir_status status = plugin->table->recognise(&plugin->host, &doc);
        if (status != COMPTOIR_STATUS_OK) {
            logger().warning("greffon " + plugin->info.id + " : la reconnaissance a échoué (statut " +
                             status_name(status) + ")");
            result.errors.push_back("le greffon " + plugin->info.id + " n'a pas pu examiner le document");
            continue;  // what a failing plugin reported is not trusted
        }
        result.candidates.insert(result.candidates.end(), candidates.begin(), candidates.end());
    }
    std::stable_sort(result.candidates.begin(), result.candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.confidence > b.confidence; });
    if (!result.candidates.empty() && (result.candidates.front().confidence >= threshold || !only_plugin.empty())) {
        result.document = result.candidates.front();
    }
    return result;
}

std::vector<std::string> PluginRegistry::universal_letters() const {
    std::vector<std::string> out;
    for (const auto& plugin : plugins_) {
        for (const auto& letter : plugin->info.letters) {
            if (letter.kind.empty() && std::find(out.begin(), out.end(), letter.id) == out.end()) out.push_back(letter.id);
        }
    }
    return out;
}

Extraction PluginRegistry::extract(const Document& document, const std::string& plugin_id, const std::string& kind) const {
    Extraction extraction;
    extraction.plugin = plugin_id;
    extraction.kind = kind;
    const Loaded* plugin = nullptr;
    for (const auto& candidate : plugins_) {
        if (candidate->info.id == plugin_id) plugin = candidate.get();
    }
    if (!plugin) {
        extraction.ok = false;
        extraction.error = "greffon " + quote(plugin_id) + " non chargé";
        return extraction;
    }
    if (!plugin->info.has_kind(kind)) {
        extraction.ok = false;
        extraction.error = "le greffon " + plugin_id + " ne connaît pas le type de document " + quote(kind);
        return extraction;
    }
    extraction.letters = plugin->info.letters_for(kind);
    for (const auto& letter : universal_letters()) {
        if (std::find(extraction.letters.begin(), extraction.letters.end(), letter) == extraction.letters.end()) {
            extraction.letters.push_back(letter);
        }
    }
    if (plugin->runner) {
        if (plugin->is_set_aside()) {
            extraction.ok = false;
            extraction.error = set_aside_message(plugin_id);
            return extraction;
        }
        plugin_calls::Answer answer = plugin_calls::call_worker(*plugin, "extract " + kind + "\n" + document.to_json());
        for (auto& [key, field] : answer.fields) {
            const PluginField* declared = plugin->info.field(key);
            if (!declared) continue;  // its child may say anything: only declared keys
            field.key = declared->key;
            field.label = declared->label_fr;
            extraction.fields[key] = std::move(field);
        }
        if (!answer.read) {
            extraction.ok = false;
            extraction.error = answer.error;
        } else if (!answer.ok) {
            logger().warning("greffon " + plugin_id + " : l'extraction a échoué" +
                             (answer.refused.empty() ? std::string() : " (" + answer.refused + ")"));
            extraction.ok = false;
            extraction.error = "le greffon " + plugin_id +
                               " n'a pas pu lire tous les champs : vérifiez-les et complétez-les à la main";
        }
        return extraction;
    }
    comptoir_document doc;
    doc.document = &document;
    doc.plugin = plugin;
    doc.extraction = &extraction;
    std::unique_lock<std::mutex> lock(plugin->serial, std::defer_lock);
    if (plugin->single_threaded) lock.lock();
    const comptoir_status status = plugin->table->extract(&plugin->host, &doc, kind.c_str());
    if (status != COMPTOIR_STATUS_OK) {
        logger().warning("greffon " + plugin_id + " : l'extraction a échoué (statut " + status_name(status) + ")");
        extraction.ok = false;
        extraction.error = "le greffon " + plugin_id +
                           " n'a pas pu lire tous les champs : vérifiez-les et complétez-les à la main";
    }
    return extraction;
}

comptoir_check check_spec(const PluginField& field, const std::string& value) {
    bool checked = false;
    if (field.min_length || field.max_length) {
        const size_t length = utf8_length(value);
        if (length < field.min_length || (field.max_length && length > field.max_length)) return COMPTOIR_CHECK_FAILED;
        checked = true;
    }
    if (!field.alphabet.empty() && field.alphabet != "any") {
        if (!fits_alphabet(value, field.alphabet)) return COMPTOIR_CHECK_FAILED;
        checked = true;
    }
    return checked ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_UNCHECKED;
}

comptoir_check PluginRegistry::check_value(const std::string& kind_or_plugin, const std::string& key,
                                           const std::string& value) const {
    const Loaded* plugin = nullptr;
    for (const auto& candidate : plugins_) {
        if (candidate->info.id == kind_or_plugin || candidate->info.has_kind(kind_or_plugin)) plugin = candidate.get();
    }
    const PluginField* field = plugin ? plugin->info.field(key) : nullptr;
    if (!field) return COMPTOIR_CHECK_UNCHECKED;
    const comptoir_check by_spec = check_spec(*field, value);
    if (by_spec == COMPTOIR_CHECK_FAILED) return COMPTOIR_CHECK_FAILED;
    bool checked = by_spec == COMPTOIR_CHECK_OK;
    if (plugin->check_value) {
        std::unique_lock<std::mutex> lock(plugin->serial, std::defer_lock);
        if (plugin->single_threaded) lock.lock();
        switch (plugin->check_value(field->key.c_str(), value.c_str())) {
        case COMPTOIR_CHECK_OK: checked = true; break;
        case COMPTOIR_CHECK_FAILED: return COMPTOIR_CHECK_FAILED;
        default: break;  // UNCHECKED, or what means nothing for one value (MISMATCH, out of range)
        }
    }
    return checked ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_UNCHECKED;
}

}  // namespace comptoir