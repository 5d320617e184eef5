// comptoir/plugin.hpp — header-only C++ helpers over the C ABI of comptoir/plugin.h.
//
// A partner developer writes a plain C++ class and one macro:
//
//   class Water final : public comptoir::sdk::Plugin {
//   public:
//       comptoir::sdk::Description describe() const override { ... }
//       void recognise(comptoir::sdk::Document& doc) const override { ... }
//       void extract(comptoir::sdk::Document& doc, std::string_view kind) const override { ... }
//   };
//   COMPTOIR_PLUGIN(Water)
//
// Exceptions thrown by these member functions never cross the C boundary: the helpers catch
// them, log the message through the host and return a status. The C++ standard library used
// here stays inside the plugin; only the C tables of plugin.h reach the host.
#ifndef COMPTOIR_PLUGIN_HPP
#define COMPTOIR_PLUGIN_HPP

#include "comptoir/plugin.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace comptoir::sdk {

// A word as the plugin sees it; `text` is a copy, so a Word may outlive the call.
struct Word {
    std::string text;
    float confidence = 0.0f;
    uint32_t page = 0;
    comptoir_box box{};
    uint32_t block_id = 0;
    uint32_t line_id = 0;
};

struct Barcode {
    uint32_t index = 0;  // 1-based, what Field::barcode names
    uint32_t page = 0;
    comptoir_box box{};
    std::string format;
    std::string status;
    std::string document_type;
    std::vector<std::pair<std::string, std::string>> fields;  // (id, value)

    // The value of a barcode field id, if present.
    std::optional<std::string> field(std::string_view id) const {
        for (const auto& [field_id, value] : fields) {
            if (field_id == id) return value;
        }
        return std::nullopt;
    }
};

// What the plugin reports for one key; fields left empty are not sent.
struct Field {
    std::string key;
    std::string value;
    std::string text;
    float confidence = 0.0f;
    uint32_t page = 0;
    comptoir_box box{};
    comptoir_check check = COMPTOIR_CHECK_UNCHECKED;
    std::string suggestion;
    comptoir_source source = COMPTOIR_SOURCE_OCR;
    uint32_t barcode = 0;  // COMPTOIR_SOURCE_2DDOC: Barcode::index of the code it was read from
    // ABI 1.2: the evidence. Where the value stood from its label, and the label's words as
    // read on the page (empty for the relations without a label: sent as NULL).
    comptoir_relation relation = COMPTOIR_RELATION_NONE;
    std::string evidence_label;
};

// Thrown by Document when the host refuses something; caught by the entry wrappers.
class HostError : public std::exception {
public:
    HostError(std::string what, comptoir_status status) : what_(std::move(what)), status_(status) {}
    const char* what() const noexcept override { return what_.c_str(); }
    comptoir_status status() const noexcept { return status_; }

private:
    std::string what_;
    comptoir_status status_;
};

// The document being read, seen through the host table. Valid during one recognise or
// extract call only; do not keep it.
class Document {
public:
    Document(const comptoir_host* host, comptoir_document* doc) : host_(host), doc_(doc) {}

    uint32_t page_count() const { return host_->page_count(doc_); }

    comptoir_page_info page_info(uint32_t page) const {
        comptoir_page_info info{};
        info.struct_size = sizeof info;
        check(host_->page_info(doc_, page, &info), "page_info");
        return info;
    }

    // Words of one page (1-based), or of the whole document with page 0.
    std::vector<Word> words(uint32_t page = 0) const {
        std::vector<Word> out;
        const size_t count = host_->word_count(doc_, page);
        out.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            comptoir_word raw{};
            raw.struct_size = sizeof raw;
            check(host_->word(doc_, page, i, &raw), "word");
            out.push_back(Word{raw.text ? raw.text : "", raw.confidence, raw.page, raw.box,
                               raw.block_id, raw.line_id});
        }
        return out;
    }

    // Text of one page, or of the whole document with page 0.
    std::string text(uint32_t page = 0) const {
        const char* text = host_->text(doc_, page);
        return text ? std::string(text) : std::string();
    }

    std::vector<Barcode> barcodes() const {
        std::vector<Barcode> out;
        const size_t count = host_->barcode_count(doc_);
        for (size_t i = 0; i < count; ++i) {
            comptoir_barcode raw{};
            raw.struct_size = sizeof raw;
            check(host_->barcode(doc_, i, &raw), "barcode");
            Barcode barcode{static_cast<uint32_t>(i + 1), raw.page, raw.box, str(raw.format), str(raw.status),
                            str(raw.document_type), {}};
            for (size_t f = 0; f < raw.field_count; ++f) {
                barcode.fields.emplace_back(str(raw.fields[f].id), str(raw.fields[f].value));
            }
            out.push_back(std::move(barcode));
        }
        return out;
    }

    // From recognise(): this document may be of `kind`, with `confidence` in [0, 1]. Returns
    // false when the host dropped it (a kind the plugin never declared); the host has logged
    // why, and the other candidates stand.
    bool add_candidate(std::string_view kind, float confidence) {
        const std::string kind_copy(kind);
        const comptoir_status status = host_->add_candidate(doc_, kind_copy.c_str(), confidence);
        if (status == COMPTOIR_STATUS_UNKNOWN_KEY) return false;
        check(status, "add_candidate");
        return true;
    }

    // From extract(): report one field. Returns false when the host dropped it (an undeclared
    // key); the host has logged why.
    bool add_field(const Field& field) {
        comptoir_field raw{};
        raw.struct_size = sizeof raw;
        raw.key = field.key.c_str();
        raw.value = field.value.c_str();
        raw.text = field.text.empty() ? nullptr : field.text.c_str();
        raw.confidence = field.confidence;
        raw.page = field.page;
        raw.box = field.box;
        raw.check = field.check;
        raw.suggestion = field.suggestion.empty() ? nullptr : field.suggestion.c_str();
        raw.source = field.source;
        raw.barcode = field.barcode;
        raw.relation = field.relation;
        raw.evidence_label = field.evidence_label.empty() ? nullptr : field.evidence_label.c_str();
        const comptoir_status status = host_->add_field(doc_, &raw);
        if (status == COMPTOIR_STATUS_UNKNOWN_KEY) return false;
        check(status, "add_field");
        return true;
    }

    // From extract(), ABI 1.4: where a field's value should stand and none was read (its label
    // is printed, no value of its kind beside or below it). The host reads that region's
    // doubtful words again and calls extract() once more if that changed them. False when the
    // host is older than 1.4 (nothing is read again) or refused the region.
    bool ask_again(uint32_t page, const comptoir_box& region) const {
        if (host_->struct_size < offsetof(comptoir_host, ask_again) + sizeof host_->ask_again || !host_->ask_again) return false;
        return host_->ask_again(doc_, page, &region) == COMPTOIR_STATUS_OK;
    }

    // A line in the host's log. Never pass personal data.
    void log(comptoir_log_level level, const std::string& message) const {
        host_->log(host_, doc_, level, message.c_str());
    }

private:
    static std::string str(const char* s) { return s ? std::string(s) : std::string(); }

    static void check(comptoir_status status, const char* call) {
        if (status != COMPTOIR_STATUS_OK) {
            throw HostError(std::string("host call ") + call + " failed", status);
        }
    }

    const comptoir_host* host_;
    comptoir_document* doc_;
};

// What the plugin declares. Strings are copied into the table the helpers keep for the
// life of the process.
struct Description {
    std::string id;
    std::string partner;
    std::string version;
    uint32_t flags = 0;
    struct Kind {
        std::string id;
        std::string label_fr;
    };
    struct FieldDecl {
        std::string key;
        std::string label_fr;
        comptoir_field_type type = COMPTOIR_FIELD_TEXT;
        // ABI 1.2: what the value must look like, checked by the host when the mediator
        // corrects it. 0 and ANY: no bound. {key, label_fr, type, min, max, alphabet}.
        uint32_t min_length = 0;
        uint32_t max_length = 0;
        comptoir_alphabet alphabet = COMPTOIR_ALPHABET_ANY;
    };
    struct Letter {
        std::string id;
        std::string kind;  // empty: offered for every document
    };
    std::vector<Kind> kinds;
    std::vector<FieldDecl> fields;
    std::vector<Letter> letters;  // ids start with the plugin id and a dot
    // The ABI minor the plugin needs of its host (plugin.h, "Versions"). Unset, the SDK stamps
    // the lowest its table needs: 2 with field specs or check_value, else 1, for the
    // `barcode` every Field carries. State 0 for a plugin that reports no value from a 2D-Doc
    // (a 1.0 host weighs such values as if their code's certificate were unknown), or more to
    // require a newer host; never below what the table needs, never above this SDK's minor.
    std::optional<uint16_t> abi_minor;
};

// The base class of a plugin. One instance lives for the life of the process; recognise and
// extract may run on several threads at once (different documents), hence const.
class Plugin {
public:
    virtual ~Plugin() = default;
    virtual Description describe() const = 0;
    // Optional: called once before anything else; throw to refuse to start.
    virtual void init() {}
    virtual void recognise(Document& doc) const = 0;
    virtual void extract(Document& doc, std::string_view kind) const = 0;
    // Optional (ABI 1.2): the plugin's own check of a normalised value of a declared key (a
    // check digit…), run by the host when the mediator corrects a value, after the declared
    // length and alphabet. OK, FAILED, or UNCHECKED when there is nothing to check. Called
    // from any thread, with no document; an exception counts as UNCHECKED.
    virtual comptoir_check check_value(std::string_view /*key*/, std::string_view /*value*/) const {
        return COMPTOIR_CHECK_UNCHECKED;
    }
};

namespace detail {

// Owns the strings and arrays the C table points into.
struct Table {
    Description description;
    std::vector<comptoir_kind_decl> kinds;
    std::vector<comptoir_field_decl> fields;
    std::vector<comptoir_letter_decl> letters;
    std::vector<comptoir_field_spec> specs;
    comptoir_plugin table{};

    void build() {
        for (const auto& kind : description.kinds) {
            kinds.push_back({kind.id.c_str(), kind.label_fr.c_str()});
        }
        for (const auto& field : description.fields) {
            fields.push_back({field.key.c_str(), field.label_fr.c_str(), field.type});
            if (field.min_length || field.max_length || field.alphabet != COMPTOIR_ALPHABET_ANY) {
                specs.push_back({sizeof(comptoir_field_spec), field.key.c_str(), field.min_length, field.max_length,
                                 field.alphabet});
            }
        }
        for (const auto& letter : description.letters) {
            letters.push_back({letter.id.c_str(), letter.kind.empty() ? nullptr : letter.kind.c_str()});
        }
        table.struct_size = sizeof table;
        table.abi_major = COMPTOIR_PLUGIN_ABI_MAJOR;
        table.abi_minor = COMPTOIR_PLUGIN_ABI_MINOR;  // until entry() knows what the table fills
        table.id = description.id.c_str();
        table.partner = description.partner.c_str();
        table.version = description.version.c_str();
        table.flags = description.flags;
        table.kinds = kinds.data();
        table.kind_count = kinds.size();
        table.fields = fields.data();
        table.field_count = fields.size();
        table.letters = letters.data();
        table.letter_count = letters.size();
        table.field_specs = specs.empty() ? nullptr : specs.data();
        table.field_spec_count = specs.size();
    }
};

// The minor a table needs (plugin.h, "Versions"): the highest that brought a member it fills,
// and at least `stated` (by default the minor of Field::barcode), at most the SDK's.
inline uint16_t needed_minor(const comptoir_plugin& table, std::optional<uint16_t> stated) {
    uint16_t needed = stated ? *stated : COMPTOIR_PLUGIN_ABI_MINOR_FIELD_BARCODE;
    if (table.field_spec_count) needed = std::max<uint16_t>(needed, COMPTOIR_PLUGIN_ABI_MINOR_FIELD_SPECS);
    if (table.check_value) needed = std::max<uint16_t>(needed, COMPTOIR_PLUGIN_ABI_MINOR_CHECK_VALUE);
    return std::min<uint16_t>(needed, COMPTOIR_PLUGIN_ABI_MINOR);
}

// Runs `body`, turning any exception into a logged status.
template <typename Body>
comptoir_status guarded(const comptoir_host* host, const comptoir_document* doc, const char* what,
                        Body&& body) noexcept {
    try {
        body();
        return COMPTOIR_STATUS_OK;
    } catch (const HostError& error) {
        if (host) host->log(host, doc, COMPTOIR_LOG_ERROR, (std::string(what) + ": " + error.what()).c_str());
        return error.status() == COMPTOIR_STATUS_OK ? COMPTOIR_STATUS_ERROR : error.status();
    } catch (const std::exception& error) {
        if (host) host->log(host, doc, COMPTOIR_LOG_ERROR, (std::string(what) + ": " + error.what()).c_str());
        return COMPTOIR_STATUS_ERROR;
    } catch (...) {
        if (host) host->log(host, doc, COMPTOIR_LOG_ERROR, (std::string(what) + ": unknown exception").c_str());
        return COMPTOIR_STATUS_ERROR;
    }
}

template <typename PluginClass>
PluginClass& instance() {
    static PluginClass plugin;
    return plugin;
}

template <typename PluginClass>
comptoir_status init(const comptoir_host* host) noexcept {
    return guarded(host, nullptr, "init", [] { instance<PluginClass>().init(); });
}

template <typename PluginClass>
comptoir_status recognise(const comptoir_host* host, comptoir_document* doc) noexcept {
    return guarded(host, doc, "recognise", [&] {
        Document document(host, doc);
        instance<PluginClass>().recognise(document);
    });
}

template <typename PluginClass>
comptoir_status extract(const comptoir_host* host, comptoir_document* doc, const char* kind) noexcept {
    return guarded(host, doc, "extract", [&] {
        Document document(host, doc);
        instance<PluginClass>().extract(document, kind ? std::string_view(kind) : std::string_view());
    });
}

template <typename PluginClass>
comptoir_check check_value(const char* key, const char* value) noexcept {
    // No document and no log line here: the value is the mediator's, never logged.
    try {
        if (!key || !value) return COMPTOIR_CHECK_UNCHECKED;
        return instance<PluginClass>().check_value(key, value);
    } catch (...) {
        return COMPTOIR_CHECK_UNCHECKED;
    }
}

// True when PluginClass overrides Plugin::check_value: only then does its table offer one.
template <typename PluginClass>
constexpr bool overrides_check_value() {
    return !std::is_same_v<decltype(&PluginClass::check_value), decltype(&Plugin::check_value)>;
}

template <typename PluginClass>
const comptoir_plugin* entry() noexcept {
    try {
        // Built in place: the C table points into this object's strings, so it never moves.
        static Table table;
        static const bool built = [] {
            table.description = instance<PluginClass>().describe();
            table.build();
            table.table.init = &init<PluginClass>;
            table.table.recognise = &recognise<PluginClass>;
            table.table.extract = &extract<PluginClass>;
            if constexpr (overrides_check_value<PluginClass>()) table.table.check_value = &check_value<PluginClass>;
            table.table.abi_minor = needed_minor(table.table, table.description.abi_minor);
            return true;
        }();
        return built ? &table.table : nullptr;
    } catch (...) {
        return nullptr;  // the host rejects the plugin: "the entry returned NULL"
    }
}

}  // namespace detail
}  // namespace comptoir::sdk

// Exports comptoir_plugin_entry for PluginClass (a default-constructible subclass of
// comptoir::sdk::Plugin). Use it once per plugin, in one source file.
#define COMPTOIR_PLUGIN(PluginClass)                                                    \
    extern "C" COMPTOIR_PLUGIN_EXPORT const comptoir_plugin* comptoir_plugin_entry(void) { \
        return ::comptoir::sdk::detail::entry<PluginClass>();                           \
    }

#endif  // COMPTOIR_PLUGIN_HPP
