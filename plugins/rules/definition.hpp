// The rules module's definitions (issue 32, item 4): a partner written without a compiler, as a
// YAML file of plugins.rules_dir read with yaml-cpp — its kinds and their recognition words, its
// fields in the extraction engine's terms (comptoir/extract.hpp), the constraints between them,
// its letters and their templates. Patterns are RE2's (linear time, no backreference). A
// definition with a mistake is refused with its file, line and what is wrong, in French; the
// others load. The format, every key: the SDK guide, « Partners without a compiler ».
#pragma once

#include <comptoir/extract.hpp>
#include <comptoir/layout.hpp>

#include <re2/re2.h>

#include <cstddef>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace rules {

namespace x = comptoir::sdk::extract;

// What bounds a definition file: its size, its nesting, its nodes, its patterns.
constexpr size_t kMaxFileBytes = 256 * 1024;
constexpr size_t kMaxDepth = 12;
constexpr size_t kMaxNodes = 20000;
constexpr size_t kMaxPatternBytes = 200;
constexpr size_t kMaxDefinitions = 64;

// A kind and how it is recognised: the sum of the weights of its words found on the page (each
// word a list of wordings, as comptoir/layout.hpp's keyword_score finds them), plus
// `labels_weight` times the share of its fields whose label is printed; nothing when a word of
// `unless` is printed (another partner's name), when the words alone weigh less than
// `min_words`, or when the score stays under `threshold`.
struct KindRule {
    std::string id;
    std::string label;
    std::vector<comptoir::sdk::layout::Keyword> words;
    std::vector<std::string> unless;
    float labels_weight = 0.5f;
    float threshold = 0.5f;
    float min_words = 0.0f;  // the words' own score under which nothing is claimed, whatever the labels
};

// A field as the plugin declares it to the host (a period is two dates).
struct Declared {
    std::string key;
    std::string label;
    comptoir_field_type type = COMPTOIR_FIELD_TEXT;
    uint32_t min_length = 0;
    uint32_t max_length = 0;
    comptoir_alphabet alphabet = COMPTOIR_ALPHABET_ANY;
};

struct LetterRule {
    std::string id;
    std::string kind;
    std::string title;
    std::string template_file;  // beside the definition
    std::vector<std::string> fields;
};

struct Definition {
    std::string file;  // its name in the folder
    std::string id;
    std::string partner;
    std::string version = "1.0.0";
    std::vector<KindRule> kinds;
    x::Schema schema;
    std::vector<Declared> declared;
    std::map<std::string, std::shared_ptr<const RE2>> patterns;  // a value must match whole
    std::vector<LetterRule> letters;
};

// A mistake in a definition: "eau.yaml, ligne 12 : type de champ inconnu « montant »".
struct Refusal {
    std::string file;
    int line = 0;  // 1-based; 0 for the file as a whole
    std::string reason;
    std::string message() const;
};

struct Loaded {
    std::vector<Definition> definitions;
    std::vector<Refusal> refusals;
};

// Reads one definition file; throws Refusal.
Definition read_definition(const std::string& path);

// Every *.yaml of `dir`, sorted by name; one whose id another took first is refused.
Loaded load_definitions(const std::string& dir);

// A value of `type` as the module parses a quantity with a unit ("57 m³", "57,5"): digits, a
// decimal comma or dot, the unit glued or apart or missing.
x::Parser quantity_parser(const std::string& unit);

// A period, or a month alone ("mars 2025", "03/2025") as its first and last days.
x::Parser month_period_parser();

}  // namespace rules
