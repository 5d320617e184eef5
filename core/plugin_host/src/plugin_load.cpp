// Loading a plugin module in this process (PluginRegistry::load_directory, load_file, and what
// comptoir-plugin-worker answers from it): its entry or its factory (ABI 1.3), each table
// checked — identity before its init, the rest after it — and copied. Isolated loading, which
// runs none of this in the server, is plugin_describe.cpp's.
#include "comptoir/plugin_host/plugin_host.hpp"

#include "plugin_calls.hpp"

#include "comptoir/plugin_host/plugin_worker.hpp"

#include "comptoir/plugin.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/SharedLibrary.h>

#include <algorithm>
#include <cstddef>
#include <regex>
#include <set>
#include <sstream>

namespace comptoir {

using plugin_calls::logger;
using plugin_calls::quote;
using plugin_calls::status_name;

namespace {

// Size of the 1.0 plugin table: a plugin's table must reach at least `extract`.
constexpr size_t kPluginTableMinSize = offsetof(comptoir_plugin, extract) + sizeof(void*);

// What one module may offer (a factory's count): more is a mistake, not a partner.
constexpr size_t kMaxPluginsPerModule = 256;

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

bool valid_id(const char* id) { return id && std::regex_match(id, std::regex("[a-z0-9_]+")); }
bool valid_letter_id(const char* id) { return id && std::regex_match(id, std::regex("[a-z0-9_]+(\\.[a-z0-9_]+)+")); }
bool non_empty(const char* text) { return text && *text; }

bool allowed(const std::vector<std::string>& allow, const std::string& id) {
    return std::find(allow.begin(), allow.end(), "*") != allow.end() ||
           std::find(allow.begin(), allow.end(), id) != allow.end();
}

}  // namespace

namespace plugin_calls {

bool valid_plugin_id(const std::string& id) { return valid_id(id.c_str()); }

// Checks what identifies a plugin's table (its size, ABI and id), read before its init.
std::string validate_head(const comptoir_plugin* table) {
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
    return {};
}

// Reads and checks a plugin's whole table, after its init; an empty string means accepted.
std::string validate_table(const comptoir_plugin* table) {
    if (const std::string problem = validate_head(table); !problem.empty()) return problem;
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

void fill_declarations(PluginRegistry::Loaded& loaded, const comptoir_plugin* table) {
    PluginInfo& info = loaded.info;
    info.partner = table->partner;
    info.version = table->version;
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
    if (COMPTOIR_COVERS(table, comptoir_plugin, check_value)) loaded.check_value = table->check_value;
    info.own_check = loaded.check_value != nullptr;
    for (size_t i = 0; i < table->letter_count; ++i) {
        info.letters.push_back({table->letters[i].id, table->letters[i].kind ? table->letters[i].kind : ""});
    }
    loaded.single_threaded = (table->flags & COMPTOIR_PLUGIN_FLAG_SINGLE_THREADED) != 0;
}

}  // namespace plugin_calls

using plugin_calls::validate_head;
using plugin_calls::validate_table;

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
    // No partner code in this process: its module's own child lists it, each plugin's worker describes it.
    if (!isolation_.in_process) return load_isolated(path, allow);
    std::shared_ptr<Poco::SharedLibrary> library;
    bool any = false;
    for (const comptoir_plugin* table : open_module(path, library)) any = accept_table(path, library, table, allow) || any;
    return any;
}

std::vector<const comptoir_plugin*> PluginRegistry::open_module(const std::string& path,
                                                                std::shared_ptr<Poco::SharedLibrary>& library) {
    const std::string file = Poco::Path(path).getFileName();
    library = std::make_shared<Poco::SharedLibrary>();
    try {
        // SHLIB_LOCAL: a plugin's symbols must not resolve another plugin's (Poco's default is
        // RTLD_GLOBAL).
        library->load(path, Poco::SharedLibrary::SHLIB_LOCAL);
    } catch (const Poco::Exception& error) {
        reject(file, "", "n'est pas une bibliothèque partagée chargeable (" + error.message() + ")");
        return {};
    }
    if (library->hasSymbol(COMPTOIR_PLUGIN_FACTORY_NAME)) return open_factory(path, library);
    if (!library->hasSymbol(COMPTOIR_PLUGIN_ENTRY_NAME)) {
        reject(file, "", "n'exporte pas le symbole " COMPTOIR_PLUGIN_ENTRY_NAME " (ni " COMPTOIR_PLUGIN_FACTORY_NAME ")");
        return {};
    }
    const auto entry = reinterpret_cast<comptoir_plugin_entry_fn>(library->getSymbol(COMPTOIR_PLUGIN_ENTRY_NAME));
    const comptoir_plugin* table = entry();
    if (!table) {
        reject(file, "", COMPTOIR_PLUGIN_ENTRY_NAME " a renvoyé NULL");
        return {};
    }
    return {table};
}

std::vector<const comptoir_plugin*> PluginRegistry::open_factory(const std::string& path,
                                                                 const std::shared_ptr<Poco::SharedLibrary>& library) {
    const std::string file = Poco::Path(path).getFileName();
    const auto entry = reinterpret_cast<comptoir_plugin_factory_fn>(library->getSymbol(COMPTOIR_PLUGIN_FACTORY_NAME));
    const comptoir_plugin_factory* factory = entry();
    if (!factory) {
        reject(file, "", COMPTOIR_PLUGIN_FACTORY_NAME " a renvoyé NULL");
        return {};
    }
    if (factory->struct_size < offsetof(comptoir_plugin_factory, plugin) + sizeof(void*)) {
        reject(file, "", "fabrique du module trop petite (" + std::to_string(factory->struct_size) + " octets)");
        return {};
    }
    const std::string module_abi = std::to_string(factory->abi_major) + "." + std::to_string(factory->abi_minor);
    if (factory->abi_major != COMPTOIR_PLUGIN_ABI_MAJOR || factory->abi_minor > COMPTOIR_PLUGIN_ABI_MINOR) {
        reject(file, "", "ABI de la fabrique du module " + module_abi + " incompatible avec l'ABI " +
                             std::to_string(COMPTOIR_PLUGIN_ABI_MAJOR) + "." + std::to_string(COMPTOIR_PLUGIN_ABI_MINOR) +
                             " de l'hôte : reconstruisez-le avec le SDK de cet hôte");
        return {};
    }
    if (!factory->plugin_count || !factory->plugin) {
        reject(file, "", "fabrique du module sans plugin_count ou plugin");
        return {};
    }
    if (factory->init) {
        // The module's own host table: its settings, its log lines under its name. Kept, since
        // the module may keep it.
        auto module = std::make_unique<Loaded>();
        module->info.id = Poco::Path(path).getBaseName();
        module->info.file = file;
        if (const auto it = settings_.find(module->info.id); it != settings_.end()) module->settings.assign(it->second.begin(), it->second.end());
        plugin_calls::fill_host_table(module->host);
        module->initialising = true;
        const comptoir_status status = factory->init(&module->host);
        module->initialising = false;
        const std::string said = module->init_error;
        modules_.push_back(std::move(module));
        if (status != COMPTOIR_STATUS_OK) {
            reject(file, "", "l'initialisation du module a échoué (statut " + status_name(status) + ")" +
                                 (said.empty() ? std::string() : " : " + said));
            return {};
        }
    }
    const size_t count = factory->plugin_count();
    if (count > kMaxPluginsPerModule) {
        reject(file, "", "le module offre " + std::to_string(count) + " greffons, " +
                             std::to_string(kMaxPluginsPerModule) + " au plus");
        return {};
    }
    std::vector<const comptoir_plugin*> tables;
    for (size_t i = 0; i < count; ++i) {
        const comptoir_plugin* table = factory->plugin(i);
        if (!table) {
            reject(file, "", "la fabrique a renvoyé NULL pour le greffon n° " + std::to_string(i + 1));
            continue;
        }
        tables.push_back(table);
    }
    return tables;
}

bool PluginRegistry::admit(const std::string& file, const std::string& id, const std::vector<std::string>& allow) {
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
    return true;
}

bool PluginRegistry::accept_table(const std::string& path, const std::shared_ptr<Poco::SharedLibrary>& library,
                                  const comptoir_plugin* table, const std::vector<std::string>& allow) {
    const std::string file = Poco::Path(path).getFileName();
    auto loaded = std::make_unique<Loaded>();
    loaded->library = library;
    loaded->path = path;
    const std::string id = (table->struct_size >= kPluginTableMinSize && table->id) ? table->id : "";
    // Its identity first: its settings and its init depend on it.
    if (const std::string problem = validate_head(table); !problem.empty()) {
        reject(file, id, problem);
        return false;
    }
    if (!admit(file, id, allow)) return false;
    loaded->info.id = id;
    if (const auto it = settings_.find(id); it != settings_.end()) loaded->settings.assign(it->second.begin(), it->second.end());
    plugin_calls::fill_host_table(loaded->host, table);
    // ABI 1.3: init may fill the tables, read after it.
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
    if (const std::string problem = validate_table(table); !problem.empty()) {
        reject(file, id, problem);
        return false;
    }
    loaded->info.file = file;
    plugin_calls::fill_declarations(*loaded, table);
    loaded->table = table;
    logger().information("greffon chargé : " + id + " " + loaded->info.version + " (" + loaded->info.partner + "), ABI " +
                         std::to_string(loaded->info.abi_major) + "." + std::to_string(loaded->info.abi_minor) + ", " + file);
    plugins_.push_back(std::move(loaded));
    return true;
}

std::string PluginRegistry::list_module(const std::string& path) {
    const std::string file = Poco::Path(path).getFileName();
    std::shared_ptr<Poco::SharedLibrary> library;
    Poco::JSON::Array ids;
    for (const comptoir_plugin* table : open_module(path, library)) {
        const std::string id = (table->struct_size >= kPluginTableMinSize && table->id) ? table->id : "";
        if (const std::string problem = validate_head(table); !problem.empty()) {
            reject(file, id, problem);
            continue;
        }
        ids.add(id);
    }
    Poco::JSON::Array rejections;
    for (const auto& rejection : rejected_) {
        Poco::JSON::Object entry;
        entry.set("id", rejection.id);
        entry.set("reason", rejection.reason);
        rejections.add(entry);
    }
    Poco::JSON::Object out;
    out.set("plugins", ids);
    out.set("rejected", rejections);
    std::ostringstream text;
    out.stringify(text);
    return text.str();
}

std::string PluginRegistry::describe(const std::string& id) const {
    const comptoir_plugin* table = nullptr;
    for (const auto& plugin : plugins_) {
        if (plugin->info.id == id) table = plugin->table;
    }
    if (!table) return "null";
    // The table as its plugin wrote it, accepted here: the host checks it again from this.
    const auto text = [](const char* value) { return value ? Poco::Dynamic::Var(std::string(value)) : Poco::Dynamic::Var(); };
    Poco::JSON::Object out;
    out.set("struct_size", static_cast<uint64_t>(table->struct_size));
    out.set("abi_major", static_cast<int>(table->abi_major));
    out.set("abi_minor", static_cast<int>(table->abi_minor));
    out.set("id", text(table->id));
    out.set("partner", text(table->partner));
    out.set("version", text(table->version));
    out.set("flags", static_cast<uint64_t>(table->flags));
    out.set("recognise", table->recognise != nullptr);
    out.set("extract", table->extract != nullptr);
    out.set("check_value", COMPTOIR_COVERS(table, comptoir_plugin, check_value) && table->check_value != nullptr);
    Poco::JSON::Array kinds, fields, specs, letters;
    for (size_t i = 0; i < table->kind_count; ++i) {
        Poco::JSON::Array kind;
        kind.add(text(table->kinds[i].id));
        kind.add(text(table->kinds[i].label_fr));
        kinds.add(kind);
    }
    for (size_t i = 0; i < table->field_count; ++i) {
        Poco::JSON::Array field;
        field.add(text(table->fields[i].key));
        field.add(text(table->fields[i].label_fr));
        field.add(static_cast<int>(table->fields[i].type));
        fields.add(field);
    }
    if (COMPTOIR_COVERS(table, comptoir_plugin, field_spec_count)) {
        for (size_t i = 0; i < table->field_spec_count; ++i) {
            const comptoir_field_spec& spec = spec_at(table, i);
            Poco::JSON::Array entry;
            entry.add(text(spec.key));
            entry.add(static_cast<uint64_t>(spec.min_length));
            entry.add(static_cast<uint64_t>(spec.max_length));
            entry.add(static_cast<int>(spec.alphabet));
            specs.add(entry);
        }
    }
    for (size_t i = 0; i < table->letter_count; ++i) {
        Poco::JSON::Array letter;
        letter.add(text(table->letters[i].id));
        letter.add(text(table->letters[i].kind));
        letters.add(letter);
    }
    out.set("kinds", kinds);
    out.set("fields", fields);
    out.set("field_specs", specs);
    out.set("letters", letters);
    std::ostringstream stream;
    out.stringify(stream);
    return stream.str();
}

}  // namespace comptoir
