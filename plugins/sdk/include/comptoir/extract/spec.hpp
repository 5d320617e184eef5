// comptoir/extract/spec.hpp — what a plugin declares: its fields (type, labels, relations, bounds),
// the constraints between them, and what the engine gives back for each.
// Part of comptoir/extract.hpp, which says what the extraction engine does.
#ifndef COMPTOIR_EXTRACT_SPEC_HPP
#define COMPTOIR_EXTRACT_SPEC_HPP

#include "comptoir/plugin.hpp"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace comptoir::sdk::extract {

// How a value was joined to its label (or found without one). The names are those of the
// evidence `process --json` prints.
enum class Relation { right, below, column, box_title, shape, address_window };

inline const char* relation_name(Relation relation) {
    switch (relation) {
    case Relation::right: return "right";
    case Relation::below: return "below";
    case Relation::column: return "column";
    case Relation::box_title: return "box_title";
    case Relation::shape: return "shape";
    case Relation::address_window: return "address_window";
    }
    return "right";
}

enum class Type { identifier, amount, date, period, count, decimal, name, address, text };

enum class Alphabet { digits, alnum, upper_alnum };

// One wording of a label, as printed ("Référence client"), and how much it says about the
// field (1: it names the field and nothing else; 0.5: a generic word such as "Date").
struct Label {
    std::string text;
    float weight = 1.0f;
};

// The bit set of relations a field allows.
inline constexpr unsigned bit(Relation r) { return 1u << static_cast<unsigned>(r); }
inline constexpr unsigned kLabelled = bit(Relation::right) | bit(Relation::below) | bit(Relation::column) | bit(Relation::box_title);

// A value read from some words, before it is a field.
struct Reading {
    std::string value;   // normalised
    std::string text;    // as printed
    std::vector<size_t> words;  // indices in the document's word list
    float quality = 1.0f;       // how much the value looks like one of its type (0–1)
};

class Page;

// Reads a value from the start of a span of words (indices into the document's words), for
// fields whose value no built-in type describes (a benefit's name to its code, a kWh count).
using Parser = std::function<std::optional<Reading>(const Page&, const std::vector<size_t>&)>;

// A field as the plugin declares it.
struct FieldSpec {
    std::string key;
    Type type = Type::text;
    std::vector<Label> labels;
    unsigned relations = kLabelled;
    // Identifiers and counts: the normalised value's length and characters.
    size_t min_length = 0;
    size_t max_length = 0;
    Alphabet alphabet = Alphabet::digits;
    // A check of the normalised value (a check digit): a value that fails it stays a candidate,
    // with less weight.
    std::function<bool(const std::string&)> check;
    // Amounts: the cents must be printed (a count of kWh or a date is not an amount).
    bool cents = true;
    // Counts: a unit that must follow the digits ("kWh"), folded.
    std::string unit;
    // Periods: the two keys the period is reported as.
    std::string start_key;
    std::string end_key;
    // A parser of the plugin's own (replaces the type's).
    Parser parse;
    // Under this score the field is missing.
    float threshold = 0.3f;
    // Stems of the words its labels are made of, weighted (folded; a stem of 4 letters or more
    // matches the words it starts, a shorter one only itself): words before a value whose stems
    // add up to 1 — two words at least — are a label no lexicon holds, weaker than one it holds.
    std::vector<std::pair<std::string, float>> stems;
    // Head words (folded; matched as stems are): a phrase before a value that holds one is a
    // label of the field however it is worded around it ("Montant du loyer principal" for the
    // head "loyer"), unless it is already a label of the field; a head word inside an `others`
    // wording heads nothing.
    std::vector<std::string> heads;
    // Identifiers: the shapes the value may have, one character per character of the value —
    // 'A' a letter, '9' a digit, anything else itself ("A99AA999999" for a water meter's
    // C19FA012345). A value read with a letter where a form has a digit, or the reverse, is
    // repaired with OCR's usual confusions (1/I, 0/O, 5/S, 8/B, 2/Z) when that makes it
    // fit a form: "120MC390867" is read "I20MC390867". Empty: no repair.
    std::vector<std::string> forms;
    // Keys of fields that may carry the same value (the net tax and what is left to pay).
    std::vector<std::string> may_share;
    // Read and scored, used by constraints, never reported (a bill's amount before tax).
    bool report = true;
};

// A relation between fields that the chosen values should satisfy.
struct Constraint {
    enum class Kind {
        sum,         // keys[0] = keys[1] + keys[2] + …  (amounts)
        difference,  // keys[0] = keys[1] (+ …) − the last key (amounts)
        before,      // keys[0] ≤ keys[1]; dates (a period's end on the left, its start on the right)
        at_most      // keys[0] ≤ keys[1]                 (amounts)
    };
    Kind kind = Kind::sum;
    std::vector<std::string> keys;
    float weight = 0.25f;
    bool strict = false;  // before: strictly before
};

struct Schema {
    std::vector<FieldSpec> fields;
    std::vector<Constraint> constraints;
    // Confidence calibration: pairs (score, probability right) in increasing order, measured on
    // the tuned set of documents (the SDK guide, "Confidence"); between points the curve is linear.
    std::vector<std::pair<float, float>> calibration = {{0.0f, 0.0f}, {0.3f, 0.45f}, {0.5f, 0.7f}, {0.7f, 0.9f}, {0.9f, 0.97f}, {1.2f, 0.995f}};
};

// What the engine found for one field.
struct Found {
    std::string key;
    std::string value;
    std::string text;
    float confidence = 0.0f;
    float score = 0.0f;
    uint32_t page = 0;
    comptoir_box box{};
    Relation relation = Relation::right;
    std::string label;  // the label's words as read ("" without a label)
    bool constrained = false;  // a constraint holds with this value
    bool contradicted = false;  // a constraint fails with this value
};

// Labels of what the page prints beside the fields (a monthly instalment, a previous balance, a
// contract number): a field of no relation, never reported, whose labels only take their words
// from the fields' shorter labels ("Échéance mensuelle" is not the due date's "Échéance") and
// end the values before them.
inline FieldSpec others(std::vector<Label> labels) {
    FieldSpec f;
    f.key = "_autres";
    f.type = Type::text;
    f.relations = 0;
    f.report = false;
    f.labels = std::move(labels);
    return f;
}

// Labels as a lexicon: each wording with one weight.
inline std::vector<Label> lexicon(std::initializer_list<const char*> wordings, float weight = 1.0f) {
    std::vector<Label> out;
    for (const char* w : wordings) out.push_back({w, weight});
    return out;
}

inline std::vector<Label> operator+(std::vector<Label> a, const std::vector<Label>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

}  // namespace comptoir::sdk::extract

#endif  // COMPTOIR_EXTRACT_SPEC_HPP
