#include "comptoir/plugin_host/plugin_host.hpp"

#include "comptoir/plugin.h"
#include "comptoir/base/version.hpp"

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

namespace {

Poco::Logger& logger() { return Poco::Logger::get("comptoir.plugins"); }

// Size of the 1.0 plugin table: a plugin's table must reach at least `extract`.
constexpr size_t kPluginTableMinSize = offsetof(comptoir_plugin, extract) + sizeof(void*);

// True when a struct the writer says is `struct_size` bytes long holds the member that starts at
// `offset` and is `size` bytes long: a member beyond it is never read (plugin.h).
constexpr bool covers(size_t struct_size, size_t offset, size_t size) { return struct_size >= offset + size; }
#define COMPTOIR_COVERS(object, type, member) \
    covers((object)->struct_size, offsetof(type, member), sizeof(static_cast<type*>(nullptr)->member))

// The smallest field spec a plugin may write: up to `alphabet`.
constexpr size_t kFieldSpecMinSize = offsetof(comptoir_field_spec, alphabet) + sizeof(comptoir_alphabet);

const PluginRegistry::Loaded* owner(const comptoir_host* host) {
    return reinterpret_cast<const PluginRegistry::Loaded*>(host);
}

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

Check check_of(comptoir_check check) {
    switch (check) {
    case COMPTOIR_CHECK_OK: return Check::ok;
    case COMPTOIR_CHECK_FAILED: return Check::failed;
    case COMPTOIR_CHECK_MISMATCH: return Check::mismatch;
    case COMPTOIR_CHECK_UNCHECKED: break;
    }
    return Check::unchecked;
}

Source source_of(comptoir_source source) {
    switch (source) {
    case COMPTOIR_SOURCE_2DDOC: return Source::twoddoc;
    case COMPTOIR_SOURCE_TEXT_LAYER: return Source::text_layer;
    case COMPTOIR_SOURCE_OCR:
    case COMPTOIR_SOURCE_UNSPECIFIED: break;
    }
    return Source::ocr;
}

std::string relation_name(comptoir_relation relation) {
    switch (relation) {
    case COMPTOIR_RELATION_RIGHT: return "right";
    case COMPTOIR_RELATION_BELOW: return "below";
    case COMPTOIR_RELATION_COLUMN: return "column";
    case COMPTOIR_RELATION_BOX_TITLE: return "box_title";
    case COMPTOIR_RELATION_SHAPE: return "shape";
    case COMPTOIR_RELATION_ADDRESS_WINDOW: return "address_window";
    case COMPTOIR_RELATION_TEXT_LAYER: return "text_layer";
    case COMPTOIR_RELATION_2DDOC: return "2ddoc";
    case COMPTOIR_RELATION_NONE: break;
    }
    return {};
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
std::string quote(const std::string& text) { return "« " + text + " »"; }

Box to_box(const comptoir_box& box) { return Box{box.x, box.y, box.width, box.height}; }
comptoir_box to_c(const Box& box) { return comptoir_box{box.x, box.y, box.width, box.height}; }

// ---- the host table's callbacks ---------------------------------------------------------

void host_log(const comptoir_host* host, const comptoir_document*, comptoir_log_level level, const char* message) {
    const std::string id = host ? owner(host)->info.id : std::string("?");
    const std::string line = "greffon " + id + " : " + (message ? message : "");
    switch (level) {
    case COMPTOIR_LOG_ERROR: logger().error(line); break;
    case COMPTOIR_LOG_WARNING: logger().warning(line); break;
    case COMPTOIR_LOG_INFO: logger().information(line); break;
    default: logger().debug(line); break;
    }
}

uint32_t host_page_count(const comptoir_document* doc) { return doc ? doc->document->page_count() : 0; }

comptoir_status host_page_info(const comptoir_document* doc, uint32_t page, comptoir_page_info* out) {
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

size_t host_word_count(const comptoir_document* doc, uint32_t page) {
    if (!doc) return 0;
    const auto [first, last] = doc->document->word_range(page);
    return last - first;
}

comptoir_status host_word(const comptoir_document* doc, uint32_t page, size_t index, comptoir_word* out) {
    if (!doc || !out || out->struct_size < offsetof(comptoir_word, line_id) + sizeof(uint32_t)) {
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    const auto [first, last] = doc->document->word_range(page);
    if (index >= last - first) return COMPTOIR_STATUS_NOT_FOUND;
    const Word& word = doc->document->words()[first + index];
    out->text = word.text.c_str();
    out->confidence = word.confidence;
    out->page = word.page;
    out->box = to_c(word.box);
    out->block_id = word.block_id;
    out->line_id = word.line_id;
    return COMPTOIR_STATUS_OK;
}

const char* host_text(const comptoir_document* doc, uint32_t page) {
    return doc ? doc->document->text(page).c_str() : "";
}

size_t host_barcode_count(const comptoir_document* doc) { return doc ? doc->document->barcodes().size() : 0; }

comptoir_status host_barcode(const comptoir_document* doc, size_t index, comptoir_barcode* out) {
    if (!doc || !out || out->struct_size < offsetof(comptoir_barcode, field_count) + sizeof(size_t)) {
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    if (index >= doc->document->barcodes().size()) return COMPTOIR_STATUS_NOT_FOUND;
    const Barcode& barcode = doc->document->barcodes()[index];
    auto& all_fields = const_cast<comptoir_document*>(doc)->barcode_fields;
    all_fields.resize(doc->document->barcodes().size());
    auto& fields = all_fields[index];
    if (fields.size() != barcode.fields.size()) {
        fields.clear();
        for (const auto& [id, value] : barcode.fields) fields.push_back({id.c_str(), value.c_str()});
    }
    out->page = barcode.page;
    out->box = to_c(barcode.box);
    out->format = barcode.format.c_str();
    out->status = barcode.status ? to_string(*barcode.status) : "";
    out->document_type = barcode.document_type.c_str();
    out->fields = fields.data();
    out->field_count = fields.size();
    return COMPTOIR_STATUS_OK;
}

comptoir_status host_add_candidate(comptoir_document* doc, const char* kind, float confidence) {
    if (!doc || !doc->candidates || !kind) return COMPTOIR_STATUS_BAD_ARGUMENT;
    const PluginInfo& info = doc->plugin->info;
    if (!info.has_kind(kind)) {
        logger().warning("greffon " + info.id + " : type de document non déclaré " + quote(kind) + " refusé");
        return COMPTOIR_STATUS_UNKNOWN_KEY;
    }
    if (!std::isfinite(confidence) || confidence < 0.0f || confidence > 1.0f) {
        logger().warning("greffon " + info.id + " : score hors de [0, 1] pour " + quote(kind) + " refusé");
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    for (auto& candidate : *doc->candidates) {
        if (candidate.plugin == info.id && candidate.kind == kind) {
            candidate.confidence = confidence;
            return COMPTOIR_STATUS_OK;
        }
    }
    doc->candidates->push_back(Candidate{info.id, kind, confidence});
    return COMPTOIR_STATUS_OK;
}

comptoir_status host_add_field(comptoir_document* doc, const comptoir_field* field) {
    if (!doc || !doc->extraction || !field || field->struct_size < offsetof(comptoir_field, source) + sizeof(int)) {
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    const PluginInfo& info = doc->plugin->info;
    if (!field->key || !field->value) {
        logger().warning("greffon " + info.id + " : champ sans clé ou sans valeur refusé");
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    const PluginField* declared = info.field(field->key);
    if (!declared) {
        // The key is the plugin's own vocabulary, not document data: safe to log.
        logger().warning("greffon " + info.id + " : champ " + quote(field->key) + " non déclaré, ignoré");
        return COMPTOIR_STATUS_UNKNOWN_KEY;
    }
    if (!std::isfinite(field->confidence) || field->confidence < 0.0f || field->confidence > 1.0f) {
        logger().warning("greffon " + info.id + " : confiance hors de [0, 1] pour le champ " + quote(field->key));
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    ExtractedField out;
    out.key = declared->key;
    out.label = declared->label_fr;
    out.value = field->value;
    out.text = field->text ? field->text : "";
    out.confidence = field->confidence;
    out.page = field->page;
    out.box = to_box(field->box);
    out.check = check_of(field->check);
    out.suggestion = field->suggestion ? field->suggestion : "";
    out.source = source_of(field->source);
    // ABI 1.2: the evidence, read only when the plugin's struct reaches it.
    const comptoir_relation relation =
        COMPTOIR_COVERS(field, comptoir_field, relation) ? field->relation : COMPTOIR_RELATION_NONE;
    out.relation = relation_name(relation);
    if (out.relation.empty() && relation != COMPTOIR_RELATION_NONE) {
        // Names the key only: the label and the value are read from the document.
        logger().warning("greffon " + info.id + " : relation inconnue (" + std::to_string(static_cast<int>(relation)) +
                         ") pour le champ " + quote(out.key) + ", ignorée");
    }
    if (COMPTOIR_COVERS(field, comptoir_field, evidence_label) && field->evidence_label) {
        out.evidence_label = field->evidence_label;
    }
    if (out.relation.empty() && (out.source == Source::twoddoc || out.source == Source::text_layer)) {
        out.relation = to_string(out.source);
    }
    if (out.source != Source::twoddoc) {
        auto existing = doc->extraction->fields.find(out.key);
        const auto code = doc->code_only.find(out.key);
        if (existing != doc->extraction->fields.end() && code != doc->code_only.end()) {
            // The code's reading came first.
            existing->second = merge_readings(out, existing->second, code->second);
            doc->code_only.erase(code);
            return COMPTOIR_STATUS_OK;
        }
        doc->extraction->fields[out.key] = std::move(out);
        return COMPTOIR_STATUS_OK;
    }
    // A value read from a 2D-Doc: worth what its code's signature says.
    const auto& barcodes = doc->document->barcodes();
    const uint32_t index = COMPTOIR_COVERS(field, comptoir_field, barcode) ? field->barcode : 0;
    const Barcode* barcode = index > 0 && index <= barcodes.size() ? &barcodes[index - 1] : nullptr;
    const CodeStatus status = barcode && barcode->status ? *barcode->status : CodeStatus::unknown_certificate;
    if (status == CodeStatus::invalid_signature || status == CodeStatus::malformed) {
        logger().warning("greffon " + info.id + " : valeur du champ " + quote(out.key) +
                         " tirée d'un code 2D-Doc non vérifié (" + to_string(status) + "), refusée");
        return COMPTOIR_STATUS_BAD_ARGUMENT;
    }
    if (barcode && out.page == 0) {
        out.page = barcode->page;
        out.box = barcode->box;
    }
    auto existing = doc->extraction->fields.find(out.key);
    if (existing != doc->extraction->fields.end() && !doc->code_only.count(out.key)) {
        existing->second = merge_readings(existing->second, out, status);
        return COMPTOIR_STATUS_OK;
    }
    if (status != CodeStatus::valid) out.confidence = std::min(out.confidence, 0.5);  // nothing confirms it
    doc->code_only[out.key] = status;
    doc->extraction->fields[out.key] = std::move(out);
    return COMPTOIR_STATUS_OK;
}

}  // namespace

ExtractedField merge_readings(const ExtractedField& printed, const ExtractedField& code, CodeStatus code_status) {
    const bool agree = printed.value == code.value;
    ExtractedField merged = printed;  // the place on the page, the text as printed, the check
    if (code_status == CodeStatus::valid) {
        merged.value = code.value;
        merged.source = Source::twoddoc;
        merged.confidence = 1.0;
        if (!agree) merged.alternatives.emplace_back(printed.source, printed.value);
        // The printed value's evidence goes with its place on the page; without one, the code's.
        if (merged.relation.empty()) {
            merged.relation = code.relation;
            merged.evidence_label = code.evidence_label;
        }
    } else {
        if (agree) merged.confidence = std::max(printed.confidence, 0.9);
        if (!agree) merged.alternatives.emplace_back(Source::twoddoc, code.value);
    }
    if (!agree) {
        merged.check = Check::mismatch;
        merged.suggestion.clear();
    }
    return merged;
}

namespace {

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
        if (letter.kind && !kinds.count(letter.kind)) {
            return "courrier " + quote(letter.id) + " proposé pour un type non déclaré " + quote(letter.kind);
        }
    }
    return {};
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
    loaded->single_threaded = (table->flags & COMPTOIR_PLUGIN_FLAG_SINGLE_THREADED) != 0;

    comptoir_host& host = loaded->host;
    host.struct_size = sizeof host;
    host.abi_major = COMPTOIR_PLUGIN_ABI_MAJOR;
    host.abi_minor = COMPTOIR_PLUGIN_ABI_MINOR;
    static const std::string host_version = version();
    host.host_version = host_version.c_str();
    host.log = host_log;
    host.page_count = host_page_count;
    host.page_info = host_page_info;
    host.word_count = host_word_count;
    host.word = host_word;
    host.text = host_text;
    host.barcode_count = host_barcode_count;
    host.barcode = host_barcode;
    host.add_candidate = host_add_candidate;
    host.add_field = host_add_field;

    if (table->init) {
        const comptoir_status status = table->init(&loaded->host);
        if (status != COMPTOIR_STATUS_OK) {
            reject(file, id, "l'initialisation a échoué (statut " + status_name(status) + ")");
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
    for (const auto& plugin : plugins_) {
        if (!only_plugin.empty() && plugin->info.id != only_plugin) continue;
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
