// comptoir/testing.hpp — unit-test a plugin without Comptoir: a saved reading (`NAME.ocr.json`,
// what `comptoir process --ocr-out` writes) loaded into a document, and a fake host that calls
// the plugin's recognise and extract on it through the C ABI of plugin.h, as Comptoir does, and
// records what the plugin reports: candidates, fields, the host's refusals and the log lines.
//
//   #include <comptoir/testing.hpp>
//   namespace t = comptoir::testing;
//   const t::Plugin plugin(comptoir_plugin_entry);            // compiled into the test
//   // or: const auto plugin = t::Plugin::open("build/eau.so"); // the built module
//   const auto doc = t::Document::load("samples/facture-1.ocr.json");
//   EXPECT_GT(plugin.recognise(doc).score("eau.facture"), 0.5f);
//   const auto result = plugin.extract(doc, "eau.facture");
//   EXPECT_EQ(result.value("montant_ttc"), "87.43");
//   EXPECT_TRUE(result.warnings.empty());
//
// Header-only, C++17, with nlohmann-json (Debian: nlohmann-json3-dev) and no other dependency;
// works with any test framework. CMake target comptoir::testing. It checks what the host checks
// of each call (declared kinds and keys, scores and confidences in [0, 1], values of at most
// 4 KB in valid UTF-8, 2D-Doc values only from a code whose signature held) and refuses alike;
// it does not merge a page's reading with a code's (the host does: the SDK guide, "What a value
// is worth"), nor run Tesseract: the words are those of the saved reading.
//
// It defines the opaque `comptoir_document` of plugin.h: include it in a test program, never in
// a plugin.
#ifndef COMPTOIR_TESTING_HPP
#define COMPTOIR_TESTING_HPP

#include "comptoir/plugin.h"
#include "comptoir/testing/document.hpp"

#include <dlfcn.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir::testing {

struct Candidate {
    std::string kind;
    float score = 0.0f;
};

// A field as the plugin reported it, strings copied.
struct Field {
    std::string key;
    std::string value;
    std::string text;
    float confidence = 0.0f;
    uint32_t page = 0;
    comptoir_box box{};
    comptoir_check check = COMPTOIR_CHECK_UNCHECKED;
    std::string suggestion;
    comptoir_source source = COMPTOIR_SOURCE_UNSPECIFIED;
    uint32_t barcode = 0;
    comptoir_relation relation = COMPTOIR_RELATION_NONE;
    std::string evidence_label;
};

struct LogLine {
    comptoir_log_level level = COMPTOIR_LOG_NONE;
    std::string message;
};

// What one call reported.
struct Result {
    comptoir_status status = COMPTOIR_STATUS_INVALID;  // what recognise or extract returned
    std::vector<Candidate> candidates;                  // from recognise; a kind reported again keeps its last score
    std::vector<Field> fields;                          // from extract, in the order reported; a key reported
                                                        // again from the same source replaces the first report
    std::vector<std::string> warnings;                  // what the host refused, in French, naming the key or kind
    std::vector<LogLine> logs;                          // the plugin's log() lines

    bool ok() const { return status == COMPTOIR_STATUS_OK; }
    // The score of a kind; 0 when not claimed.
    float score(std::string_view kind) const {
        for (const auto& candidate : candidates) {
            if (candidate.kind == kind) return candidate.score;
        }
        return 0.0f;
    }
    // The kind with the best score, none when nothing was claimed.
    std::optional<std::string> best_kind() const {
        const Candidate* best = nullptr;
        for (const auto& candidate : candidates) {
            if (!best || candidate.score > best->score) best = &candidate;
        }
        return best ? std::optional<std::string>(best->kind) : std::nullopt;
    }
    // The last report of `key` (of any source), or nullptr.
    const Field* field(std::string_view key) const {
        for (auto it = fields.rbegin(); it != fields.rend(); ++it) {
            if (it->key == key) return &*it;
        }
        return nullptr;
    }
    // Its value, none when the key was not reported.
    std::optional<std::string> value(std::string_view key) const {
        const Field* found = field(key);
        return found ? std::optional<std::string>(found->value) : std::nullopt;
    }
};

}  // namespace comptoir::testing

// The document of one call, as plugin.h's opaque type: the fake host's side.
struct comptoir_document {
    const comptoir::testing::Document* document = nullptr;
    const comptoir_plugin* plugin = nullptr;
    comptoir::testing::Result* result = nullptr;
    bool recognising = false;
    std::vector<std::vector<comptoir_barcode_field>> barcode_fields;
};

namespace comptoir::testing {
namespace detail {

constexpr size_t kMaxValueBytes = 4096;  // what the host accepts of a value

inline bool valid_utf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    for (size_t i = 0; i < text.size();) {
        const unsigned char lead = bytes[i];
        size_t length = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 0;
        if (length == 0 || i + length > text.size()) return false;
        uint32_t point = length == 1 ? lead : lead & (0x7Fu >> length);
        for (size_t k = 1; k < length; ++k) {
            if ((bytes[i + k] & 0xC0) != 0x80) return false;
            point = (point << 6) | (bytes[i + k] & 0x3Fu);
        }
        static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

inline std::string quoted(const char* text) { return std::string("« ") + (text ? text : "") + " »"; }

// The host table, first member of what the log callback finds from it.
struct Host {
    comptoir_host table{};
    std::vector<LogLine> init_logs;
};

inline bool declares_kind(const comptoir_plugin& plugin, const char* kind) {
    for (size_t i = 0; i < plugin.kind_count; ++i) {
        if (plugin.kinds[i].id && std::string_view(plugin.kinds[i].id) == kind) return true;
    }
    return false;
}

inline bool declares_key(const comptoir_plugin& plugin, const char* key) {
    for (size_t i = 0; i < plugin.field_count; ++i) {
        if (plugin.fields[i].key && std::string_view(plugin.fields[i].key) == key) return true;
    }
    return false;
}

inline void host_log(const comptoir_host* host, const comptoir_document* doc, comptoir_log_level level,
                     const char* message) {
    LogLine line{level, message ? message : ""};
    if (doc && doc->result) doc->result->logs.push_back(std::move(line));
    else if (host) reinterpret_cast<Host*>(const_cast<comptoir_host*>(host))->init_logs.push_back(std::move(line));
}

inline uint32_t page_count(const comptoir_document* doc) { return doc ? doc->document->page_count() : 0; }

inline comptoir_status page_info(const comptoir_document* doc, uint32_t page, comptoir_page_info* out) {
    if (!doc || !out || out->struct_size < offsetof(comptoir_page_info, has_text_layer) + sizeof(int32_t)) {
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    if (page == 0 || page > doc->document->page_count()) return COMPTOIR_STATUS_NOT_FOUND;
    const PageInfo& info = doc->document->pages()[page - 1];
    out->page = info.page;
    out->width = info.width;
    out->height = info.height;
    out->dpi = info.dpi;
    out->rotation_deg = info.rotation_deg;
    out->skew_deg = info.skew_deg;
    out->has_text_layer = info.text_layer ? 1 : 0;
    return COMPTOIR_STATUS_OK;
}

inline size_t word_count(const comptoir_document* doc, uint32_t page) {
    if (!doc) return 0;
    const auto [first, last] = doc->document->word_range(page);
    return last - first;
}

inline comptoir_status word(const comptoir_document* doc, uint32_t page, size_t index, comptoir_word* out) {
    if (!doc || !out || out->struct_size < offsetof(comptoir_word, line_id) + sizeof(uint32_t)) {
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    const auto [first, last] = doc->document->word_range(page);
    if (index >= last - first) return COMPTOIR_STATUS_NOT_FOUND;
    const Word& word = doc->document->words()[first + index];
    out->text = word.text.c_str();
    out->confidence = word.confidence;
    out->page = word.page;
    out->box = word.box;
    out->block_id = word.block_id;
    out->line_id = word.line_id;
    return COMPTOIR_STATUS_OK;
}

inline const char* text(const comptoir_document* doc, uint32_t page) {
    return doc ? doc->document->text(page).c_str() : "";
}

inline size_t barcode_count(const comptoir_document* doc) { return doc ? doc->document->barcodes().size() : 0; }

inline comptoir_status barcode(const comptoir_document* doc, size_t index, comptoir_barcode* out) {
    if (!doc || !out || out->struct_size < offsetof(comptoir_barcode, field_count) + sizeof(size_t)) {
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    const auto& codes = doc->document->barcodes();
    if (index >= codes.size()) return COMPTOIR_STATUS_NOT_FOUND;
    auto& all = const_cast<comptoir_document*>(doc)->barcode_fields;
    all.resize(codes.size());
    auto& fields = all[index];
    fields.clear();
    for (const auto& [id, value] : codes[index].fields) fields.push_back({id.c_str(), value.c_str()});
    const Barcode& code = codes[index];
    out->page = code.page;
    out->box = code.box;
    out->format = code.format.c_str();
    out->status = code.status.c_str();
    out->document_type = code.document_type.c_str();
    out->fields = fields.data();
    out->field_count = fields.size();
    return COMPTOIR_STATUS_OK;
}

inline comptoir_status add_candidate(comptoir_document* doc, const char* kind, float confidence) {
    if (!doc || !doc->recognising || !kind) return COMPTOIR_STATUS_BAD_ARGUMENT;
    if (!declares_kind(*doc->plugin, kind)) {
        doc->result->warnings.push_back("type de document non déclaré " + quoted(kind) + " refusé");
        return COMPTOIR_STATUS_UNKNOWN_KEY;
    }
    if (!std::isfinite(confidence) || confidence < 0.0f || confidence > 1.0f) {
        doc->result->warnings.push_back("score hors de [0, 1] pour " + quoted(kind) + " refusé");
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    for (auto& candidate : doc->result->candidates) {
        if (candidate.kind == kind) {
            candidate.score = confidence;
            return COMPTOIR_STATUS_OK;
        }
    }
    doc->result->candidates.push_back(Candidate{kind, confidence});
    return COMPTOIR_STATUS_OK;
}

inline comptoir_status add_field(comptoir_document* doc, const comptoir_field* field) {
    if (!doc || doc->recognising || !field || field->struct_size < offsetof(comptoir_field, source) + sizeof(int)) {
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    Result& result = *doc->result;
    if (!field->key || !field->value) {
        result.warnings.push_back("champ sans clé ou sans valeur refusé");
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    if (!declares_key(*doc->plugin, field->key)) {
        result.warnings.push_back("champ " + quoted(field->key) + " non déclaré, ignoré");
        return COMPTOIR_STATUS_UNKNOWN_KEY;
    }
    if (!std::isfinite(field->confidence) || field->confidence < 0.0f || field->confidence > 1.0f) {
        result.warnings.push_back("confiance hors de [0, 1] pour le champ " + quoted(field->key));
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    Field out;
    out.key = field->key;
    out.value = field->value;
    out.text = field->text ? field->text : "";
    out.confidence = field->confidence;
    out.page = field->page;
    out.box = field->box;
    out.check = field->check;
    out.suggestion = field->suggestion ? field->suggestion : "";
    out.source = field->source;
    const auto covers = [&](size_t end) { return field->struct_size >= end; };
    if (doc->plugin->abi_minor >= COMPTOIR_PLUGIN_ABI_MINOR_FIELD_BARCODE &&
        covers(offsetof(comptoir_field, barcode) + sizeof(uint32_t))) {
        out.barcode = field->barcode;
    }
    if (covers(offsetof(comptoir_field, relation) + sizeof(comptoir_relation))) out.relation = field->relation;
    if (covers(offsetof(comptoir_field, evidence_label) + sizeof(const char*)) && field->evidence_label) {
        out.evidence_label = field->evidence_label;
    }
    // The worker's limits: dropped after the call, the plugin is not told.
    for (const std::string* text : {&out.value, &out.text, &out.suggestion, &out.evidence_label}) {
        if (text->size() > kMaxValueBytes) {
            result.warnings.push_back("champ " + quoted(field->key) + " trop long (plus de 4096 octets), ignoré");
            return COMPTOIR_STATUS_OK;
        }
        if (!valid_utf8(*text)) {
            result.warnings.push_back("champ " + quoted(field->key) + " mal encodé (UTF-8 invalide), ignoré");
            return COMPTOIR_STATUS_OK;
        }
    }
    if (out.source == COMPTOIR_SOURCE_2DDOC) {
        const auto& codes = doc->document->barcodes();
        const std::string status = out.barcode > 0 && out.barcode <= codes.size() ? codes[out.barcode - 1].status : "";
        if (status == "invalid_signature" || status == "malformed") {
            result.warnings.push_back("valeur du champ " + quoted(field->key) + " tirée d'un code 2D-Doc non vérifié (" +
                                      status + "), refusée");
            return COMPTOIR_STATUS_BAD_ARGUMENT;
        }
    }
    const bool from_code = out.source == COMPTOIR_SOURCE_2DDOC;
    for (auto& earlier : result.fields) {
        if (earlier.key == out.key && (earlier.source == COMPTOIR_SOURCE_2DDOC) == from_code) {
            earlier = std::move(out);
            return COMPTOIR_STATUS_OK;
        }
    }
    result.fields.push_back(std::move(out));
    return COMPTOIR_STATUS_OK;
}

}  // namespace detail

// A plugin as Comptoir loads it: its table checked (ABI, id, kinds), `init` run once.
class Plugin {
public:
    // A plugin compiled into the test program: Plugin plugin(comptoir_plugin_entry).
    explicit Plugin(comptoir_plugin_entry_fn entry) : host_(std::make_unique<detail::Host>()) {
        if (!entry) throw Error("pas de point d'entrée");
        table_ = entry();
        check_table();
        comptoir_host& host = host_->table;
        host.struct_size = sizeof host;
        host.abi_major = COMPTOIR_PLUGIN_ABI_MAJOR;
        host.abi_minor = COMPTOIR_PLUGIN_ABI_MINOR;
        host.host_version = "comptoir-testing";
        host.log = detail::host_log;
        host.page_count = detail::page_count;
        host.page_info = detail::page_info;
        host.word_count = detail::word_count;
        host.word = detail::word;
        host.text = detail::text;
        host.barcode_count = detail::barcode_count;
        host.barcode = detail::barcode;
        host.add_candidate = detail::add_candidate;
        host.add_field = detail::add_field;
        if (table_->init && table_->init(&host) != COMPTOIR_STATUS_OK) {
            std::string why;
            for (const auto& line : host_->init_logs) why += (why.empty() ? " : " : " ; ") + line.message;
            throw Error("le greffon " + std::string(table_->id) + " refuse de démarrer (init)" + why);
        }
    }

    // A built module (NAME.so), loaded as the host does; never unloaded.
    static Plugin open(const std::string& path) {
        void* module = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!module) {
            const char* why = dlerror();
            throw Error("greffon impossible à charger : " + path + (why ? std::string(" (") + why + ")" : ""));
        }
        auto entry = reinterpret_cast<comptoir_plugin_entry_fn>(dlsym(module, COMPTOIR_PLUGIN_ENTRY_NAME));
        if (!entry) throw Error("le module " + path + " n'exporte pas " COMPTOIR_PLUGIN_ENTRY_NAME);
        return Plugin(entry);
    }

    const comptoir_plugin& table() const { return *table_; }
    std::string id() const { return table_->id; }
    // What init() logged.
    const std::vector<LogLine>& init_logs() const { return host_->init_logs; }

    Result recognise(const Document& document) const {
        Result result;
        comptoir_document doc{&document, table_, &result, true, {}};
        result.status = table_->recognise(&host_->table, &doc);
        return result;
    }

    Result extract(const Document& document, std::string_view kind) const {
        Result result;
        if (!detail::declares_kind(*table_, std::string(kind).c_str())) {
            throw Error("le greffon " + id() + " ne déclare pas le type " + std::string(kind));
        }
        comptoir_document doc{&document, table_, &result, false, {}};
        const std::string kind_copy(kind);
        result.status = table_->extract(&host_->table, &doc, kind_copy.c_str());
        return result;
    }

    // The plugin's own check of a value (ABI 1.2); UNCHECKED when it offers none.
    comptoir_check check_value(const std::string& key, const std::string& value) const {
        if (table_->abi_minor < COMPTOIR_PLUGIN_ABI_MINOR_CHECK_VALUE || !table_->check_value) {
            return COMPTOIR_CHECK_UNCHECKED;
        }
        return table_->check_value(key.c_str(), value.c_str());
    }

private:
    void check_table() const {
        if (!table_) throw Error("le point d'entrée a rendu NULL");
        const comptoir_plugin& t = *table_;
        if (t.abi_major != COMPTOIR_PLUGIN_ABI_MAJOR || t.abi_minor > COMPTOIR_PLUGIN_ABI_MINOR) {
            throw Error("ABI " + std::to_string(t.abi_major) + "." + std::to_string(t.abi_minor) +
                        " refusée (ce SDK : " + std::to_string(COMPTOIR_PLUGIN_ABI_MAJOR) + "." +
                        std::to_string(COMPTOIR_PLUGIN_ABI_MINOR) + ")");
        }
        if (t.struct_size < offsetof(comptoir_plugin, extract) + sizeof t.extract || !t.recognise || !t.extract) {
            throw Error("table du greffon incomplète");
        }
        if (!t.id || !*t.id) throw Error("greffon sans identifiant");
        const std::string prefix = std::string(t.id) + ".";
        for (size_t i = 0; i < t.kind_count; ++i) {
            if (!t.kinds[i].id || std::string_view(t.kinds[i].id).substr(0, prefix.size()) != prefix) {
                throw Error("le type " + detail::quoted(t.kinds[i].id) + " ne commence pas par " + prefix);
            }
        }
        for (size_t i = 0; i < t.letter_count; ++i) {
            if (!t.letters[i].id || std::string_view(t.letters[i].id).substr(0, prefix.size()) != prefix) {
                throw Error("le courrier " + detail::quoted(t.letters[i].id) + " ne commence pas par " + prefix);
            }
        }
    }

    std::unique_ptr<detail::Host> host_;
    const comptoir_plugin* table_ = nullptr;
};

}  // namespace comptoir::testing

#endif  // COMPTOIR_TESTING_HPP
