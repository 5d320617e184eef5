// A field as the host holds it: what a plugin found (ExtractedField), the document kind a plugin
// recognised (Candidate), and the closed sets a value is described by — its check, its source,
// its field's type — as enum classes, named in the JSON forms by to_string (docs/formats.md).
#pragma once

#include "comptoir/reading/document.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace comptoir {

// What a value's check says: a checksum or a constraint held (ok) or broke (failed), there was
// none (unchecked), or two readings of it disagree (mismatch).
enum class Check { unchecked, ok, failed, mismatch };
// Where a value was read: the page by OCR, a 2D-Doc, a PDF's own text, the mediator's hand.
enum class Source { ocr, twoddoc, text_layer, manual };
// A field's type, as its plugin declares it.
enum class FieldType { text, amount, date, identifier, count, decimal, name, address };

// Their names in JSON: "unchecked", "ok", "failed", "mismatch"; "ocr", "2ddoc", "text_layer",
// "manual"; "text", "amount", "date", "identifier", "count", "decimal", "name", "address".
const char* to_string(Check check);
const char* to_string(Source source);
const char* to_string(FieldType type);
// And back; none for a name that is not one of them.
std::optional<Check> check_named(std::string_view name);
std::optional<Source> source_named(std::string_view name);
std::optional<FieldType> field_type_named(std::string_view name);

struct Candidate {
    std::string plugin;
    std::string kind;
    double confidence = 0.0;
};

struct ExtractedField {
    std::string key;
    std::string label;
    std::string value;
    std::string text;
    double confidence = 0.0;
    uint32_t page = 0;
    Box box;
    Check check = Check::unchecked;
    std::string suggestion;
    Source source = Source::ocr;
    // ABI 1.2, the evidence: how the value was found. Empty when the plugin did not say.
    // right, below, column, box_title, shape, address_window, text_layer, 2ddoc
    std::string relation;
    std::string evidence_label;  // the label's words as read on the page; may be empty
    // The other readings when two sources gave the key (docs/formats.md, "What a value is worth"): source, value.
    std::vector<std::pair<Source, std::string>> alternatives;
};

}  // namespace comptoir
