// The rules module (issue 32, item 4): partners without a compiler. One plugin per definition
// of plugins.rules_dir (definition.hpp), offered through the ABI 1.3 factory: each with its own
// id, kinds, fields and letters, recognised by its words and read by the SDK's extraction
// engine from its fields declared as data. A definition with a mistake is refused in the log
// with its file and line; the others are offered.
#include "definition.hpp"

#include <comptoir/extract.hpp>
#include <comptoir/layout.hpp>
#include <comptoir/plugin.hpp>

#include <dlfcn.h>

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

namespace {

namespace x = comptoir::sdk::extract;
namespace layout = comptoir::sdk::layout;

// One definition as a plugin: the C tables point into it, so it never moves (a deque).
struct Offered {
    rules::Definition definition;
    std::vector<comptoir_kind_decl> kinds;
    std::vector<comptoir_field_decl> fields;
    std::vector<comptoir_field_spec> specs;
    std::vector<comptoir_letter_decl> letters;
    comptoir_plugin table{};
};

// Every definition ever offered: a registry loading the module again (the tests do; a server
// loads it once) gets those of its own init, from `current` on, while the tables an earlier
// registry was given stay valid (plugins are never unloaded).
std::deque<Offered>& offered() {
    static std::deque<Offered> all;
    return all;
}
size_t current = 0;

const Offered* of(const comptoir_host* host) {
    if (!host || host->struct_size < offsetof(comptoir_host, plugin) + sizeof(void*)) return nullptr;
    for (const auto& o : offered()) {
        if (&o.table == host->plugin) return &o;
    }
    return nullptr;
}

// The definitions beside this module when no `dir` is set: the source folder in the build tree,
// <prefix>/share/comptoir/rules once installed.
std::string default_dir() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<const void*>(&default_dir), &info) && info.dli_fname) {
        std::string here = info.dli_fname;
        here = here.substr(0, here.rfind('/'));
        if (here == COMPTOIR_RULES_BUILD_PLUGINS_DIR) return COMPTOIR_RULES_SOURCE_DIR;
        return here + "/" + COMPTOIR_RULES_INSTALL_RELATIVE;
    }
    return COMPTOIR_RULES_SOURCE_DIR;
}

void build(Offered& o) {
    const rules::Definition& d = o.definition;
    for (const auto& kind : d.kinds) o.kinds.push_back({kind.id.c_str(), kind.label.c_str()});
    for (const auto& field : d.declared) {
        o.fields.push_back({field.key.c_str(), field.label.c_str(), field.type});
        if (field.min_length || field.max_length || field.alphabet != COMPTOIR_ALPHABET_ANY) {
            o.specs.push_back({sizeof(comptoir_field_spec), field.key.c_str(), field.min_length, field.max_length, field.alphabet});
        }
    }
    for (const auto& letter : d.letters) o.letters.push_back({letter.id.c_str(), letter.kind.empty() ? nullptr : letter.kind.c_str()});
    comptoir_plugin& t = o.table;
    t.struct_size = sizeof t;
    t.abi_major = COMPTOIR_PLUGIN_ABI_MAJOR;
    t.abi_minor = COMPTOIR_PLUGIN_ABI_MINOR_FIELD_SPECS;
    t.id = d.id.c_str();
    t.partner = d.partner.c_str();
    t.version = d.version.c_str();
    t.kinds = o.kinds.data();
    t.kind_count = o.kinds.size();
    t.fields = o.fields.data();
    t.field_count = o.fields.size();
    t.letters = o.letters.empty() ? nullptr : o.letters.data();
    t.letter_count = o.letters.size();
    t.field_specs = o.specs.empty() ? nullptr : o.specs.data();
    t.field_spec_count = o.specs.size();
}

comptoir_status recognise(const comptoir_host* host, comptoir_document* doc) {
    return comptoir::sdk::detail::guarded(host, doc, "recognise", [&] {
        const Offered* o = of(host);
        if (!o) throw std::runtime_error("greffon inconnu du module rules");
        comptoir::sdk::Document document(host, doc);
        const auto words = document.words();
        for (const auto& kind : o->definition.kinds) {
            if (!kind.unless.empty() && layout::find_label(words, kind.unless)) continue;  // another partner's
            const float keywords = layout::keyword_score(words, kind.words);
            if (keywords <= 0.0f || keywords < kind.min_words) continue;  // too few of its words: not this kind, whatever its labels
            const float score = std::min(1.0f, keywords + kind.labels_weight * x::label_coverage(o->definition.schema, words));
            if (score >= kind.threshold) document.add_candidate(kind.id, score);
        }
    });
}

comptoir_status extract(const comptoir_host* host, comptoir_document* doc, const char* kind) {
    return comptoir::sdk::detail::guarded(host, doc, "extract", [&] {
        const Offered* o = of(host);
        if (!o) throw std::runtime_error("greffon inconnu du module rules");
        (void)kind;  // one schema per definition: its kinds share their fields
        comptoir::sdk::Document document(host, doc);
        const auto words = document.words();
        const auto found = x::run(o->definition.schema, words);
        for (const auto& u : x::unread(o->definition.schema, words, found)) document.ask_again(u.page, u.region);
        for (auto field : x::to_fields(o->definition.schema, found)) {
            if (const auto pattern = o->definition.patterns.find(field.key); pattern != o->definition.patterns.end()) {
                field.check = RE2::FullMatch(field.value, *pattern->second) ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
            }
            for (const auto& declared : o->definition.declared) {
                if (declared.key != field.key || (!declared.min_length && !declared.max_length)) continue;
                const size_t length = field.value.size();
                if (length < declared.min_length || (declared.max_length && length > declared.max_length)) field.check = COMPTOIR_CHECK_FAILED;
            }
            x::weigh_check(field);
            document.add_field(field);
        }
    });
}

comptoir_status module_init(const comptoir_host* host) {
    const char* setting = host && host->struct_size >= offsetof(comptoir_host, setting) + sizeof(void*) && host->setting
                              ? host->setting(host, "dir")
                              : nullptr;
    const std::string dir = setting && *setting ? setting : default_dir();
    rules::Loaded loaded = rules::load_definitions(dir);
    current = offered().size();
    for (const auto& refusal : loaded.refusals) {
        host->log(host, nullptr, COMPTOIR_LOG_WARNING, ("définition refusée : " + refusal.message()).c_str());
    }
    for (auto& definition : loaded.definitions) {
        Offered& o = offered().emplace_back();
        o.definition = std::move(definition);
        build(o);
        o.table.recognise = &recognise;
        o.table.extract = &extract;
    }
    host->log(host, nullptr, COMPTOIR_LOG_INFO,
              (std::to_string(offered().size() - current) + " définition(s) lue(s) dans " + dir + ", " +
               std::to_string(loaded.refusals.size()) + " refusée(s)").c_str());
    return COMPTOIR_STATUS_OK;
}

size_t plugin_count() { return offered().size() - current; }
const comptoir_plugin* plugin_at(size_t index) {
    return current + index < offered().size() ? &offered()[current + index].table : nullptr;
}

const comptoir_plugin_factory kFactory = {sizeof(comptoir_plugin_factory), COMPTOIR_PLUGIN_ABI_MAJOR,
                                          COMPTOIR_PLUGIN_ABI_MINOR_FACTORY, &module_init, &plugin_count, &plugin_at};

}  // namespace

extern "C" COMPTOIR_PLUGIN_EXPORT const comptoir_plugin_factory* comptoir_plugin_factory_entry(void) { return &kFactory; }
