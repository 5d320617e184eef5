// The host table's callbacks (plugin.h's comptoir_host): what a plugin reads of the document
// during a call, and the candidates and fields it reports, checked and merged.
#include "plugin_calls.hpp"

#include "comptoir/base/version.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace comptoir {
namespace plugin_calls {
namespace {

const PluginRegistry::Loaded* owner(const comptoir_host* host) {
    return reinterpret_cast<const PluginRegistry::Loaded*>(host);
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

Box to_box(const comptoir_box& box) { return Box{box.x, box.y, box.width, box.height}; }
comptoir_box to_c(const Box& box) { return comptoir_box{box.x, box.y, box.width, box.height}; }

void host_log(const comptoir_host* host, const comptoir_document*, comptoir_log_level level, const char* message) {
    const std::string id = host ? owner(host)->info.id : std::string("?");
    const std::string line = "greffon " + id + " : " + (message ? message : "");
    if (host && owner(host)->initialising && level == COMPTOIR_LOG_ERROR && message) {
        // Said again in the plugin's refusal (`comptoir plugins`), cut to a line, whole characters.
        std::string said = message;
        if (said.size() > 300) {
            size_t cut = 300;
            while (cut > 0 && (static_cast<unsigned char>(said[cut]) & 0xC0) == 0x80) --cut;
            said = said.substr(0, cut) + "…";
        }
        owner(host)->init_error = said;
    }
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
    // `barcode` came with ABI 1.1; in a 1.0 field its bytes are padding, whatever they hold.
    const bool has_barcode = info.abi_minor >= COMPTOIR_PLUGIN_ABI_MINOR_FIELD_BARCODE &&
                             COMPTOIR_COVERS(field, comptoir_field, barcode);
    const uint32_t index = has_barcode ? field->barcode : 0;
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

comptoir_status host_ask_again(comptoir_document* doc, uint32_t page, const comptoir_box* region) {
    if (!doc || !doc->extraction || !doc->document || !region) return COMPTOIR_STATUS_BAD_ARGUMENT;
    if (page < 1 || page > doc->document->page_count()) return COMPTOIR_STATUS_NOT_FOUND;
    if (region->width <= 0 || region->height <= 0 || region->x < 0 || region->y < 0) return COMPTOIR_STATUS_BAD_ARGUMENT;
    auto& asked = doc->extraction->asked;
    if (asked.size() >= Extraction::kMaxAsked) return COMPTOIR_STATUS_BAD_ARGUMENT;
    asked.emplace_back(page, to_box(*region));
    return COMPTOIR_STATUS_OK;
}

const char* host_setting(const comptoir_host* host, const char* key) {
    if (!host || !key) return nullptr;
    for (const auto& [name, value] : owner(host)->settings) {
        if (name == key) return value.c_str();
    }
    return nullptr;
}

}  // namespace

void fill_host_table(comptoir_host& host, const comptoir_plugin* plugin) {
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
    host.setting = host_setting;
    host.plugin = plugin;
    host.ask_again = host_ask_again;
}

}  // namespace plugin_calls

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

}  // namespace comptoir
