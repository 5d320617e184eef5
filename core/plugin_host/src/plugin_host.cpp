// The plugin registry (plugin_host.hpp): the loaded plugins' declarations, health, recognition,
// extraction and value checks. Loading is plugin_load.cpp's.
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
using plugin_calls::status_name;

namespace {

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

std::string set_aside_message(const std::string& id) {
    return "Le greffon " + id + " est mis de côté (il s'est arrêté trois fois en moins d'une heure) : "
           "il ne lit plus de documents jusqu'au prochain démarrage du serveur.";
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
    // The workers first, all at once: the request written to each (the document as they read
    // it, written once), then the answers read, while they work side by side.
    std::string json;
    std::vector<std::unique_ptr<plugin_calls::WorkerCall>> calls(plugins_.size());
    for (size_t i = 0; i < plugins_.size(); ++i) {
        const Loaded& plugin = *plugins_[i];
        if ((!only_plugin.empty() && plugin.info.id != only_plugin) || !plugin.runner) continue;
        if (plugin.is_set_aside()) {
            if (!only_plugin.empty()) result.errors.push_back(set_aside_message(plugin.info.id));
            continue;
        }
        if (json.empty()) json = document.to_json();
        calls[i] = std::make_unique<plugin_calls::WorkerCall>(plugin);
        calls[i]->send_document("recognise", "", json);
    }
    for (size_t i = 0; i < plugins_.size(); ++i) {
        const auto& plugin = plugins_[i];
        if (!only_plugin.empty() && plugin->info.id != only_plugin) continue;
        if (plugin->runner) {
            if (!calls[i]) continue;  // set aside
            plugin_calls::Answer answer = calls[i]->finish();
            calls[i].reset();  // its worker free for another thread
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
        // The document its recognition sent is referred to, not sent again, when the worker holds it.
        const std::string json = document.to_json();
        plugin_calls::WorkerCall call(*plugin);
        call.send_document("extract", kind, json);
        plugin_calls::Answer answer = call.finish();
        for (auto& [key, field] : answer.fields) {
            const PluginField* declared = plugin->info.field(key);
            if (!declared) continue;  // its child may say anything: only declared keys
            field.key = declared->key;
            field.label = declared->label_fr;
            extraction.fields[key] = std::move(field);
        }
        extraction.asked = std::move(answer.asked);
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
    if (plugin->info.own_check && plugin->runner) {
        // Asked of its worker: a check_value that crashes or hangs costs the check, not the server.
        if (plugin->is_set_aside()) return checked ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_UNCHECKED;
        plugin_calls::WorkerCall call(*plugin);
        call.send("check " + field->key + "\n" + value);
        const plugin_calls::Answer answer = call.finish();
        if (answer.read && answer.refused.empty() && answer.check == "failed") return COMPTOIR_CHECK_FAILED;
        if (answer.read && answer.refused.empty() && answer.check == "ok") checked = true;
    } else if (plugin->check_value) {
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