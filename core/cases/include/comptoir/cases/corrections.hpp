// The mediator's corrections: what she types made into the canonical form of the field's
// type (docs/formats.md), and a reading's fields with her corrections applied over them.
#pragma once

#include "comptoir/cases/store.hpp"
#include "comptoir/plugin_host/field.hpp"
#include "comptoir/plugin_host/reading.hpp"

#include <map>
#include <string>
#include <vector>

namespace comptoir {

struct PluginInfo;
class PluginRegistry;

// "1 479,85" -> "1479.85" for an amount, "29/01/2021" -> "2021-01-29" for a date, spaces out
// of an identifier, … Throws BadRequestError("invalid_value", French) when it cannot be read.
std::string normalised_value(FieldType type, const std::string& typed);

// A field as the mediator sees it: as read, or as she corrected it.
struct CorrectedField {
    ExtractedField field;  // once corrected: the last value, source manual, confidence 1
    bool corrected = false;
    std::string read_value;           // what was read before the first correction
    Source read_source = Source::ocr;
    std::string corrected_at;         // the last correction
    std::string corrected_by;
    std::vector<CorrectionRecord> history;  // oldest first
};

// The reading's fields with the corrections, in their order, applied. A field the reading did
// not find is added with its label from `plugin` (may be null; the key otherwise).
std::map<std::string, CorrectedField> apply_corrections(const Reading& reading,
                                                        const std::vector<CorrectionRecord>& corrections,
                                                        const PluginInfo* plugin);

// The corrected values checked again as the plugin declares (its field's length and alphabet,
// and its own check, a check digit…): a PDL of 13 digits is "failed", as a reading would be.
// `kind`: the document's kind (empty: nothing is checked).
void check_corrections(std::map<std::string, CorrectedField>& fields, const PluginRegistry& plugins,
                       const std::string& kind);

// A value read from a valid 2D-Doc (signed by its issuer): the mediator confirms before she
// replaces it with another. Throws ConflictError("confirm_needed", French) otherwise.
void require_confirmation(const CorrectedField& current, const std::string& new_value, bool confirmed);

// key -> value of each field.
std::map<std::string, std::string> values_of(const std::map<std::string, CorrectedField>& fields);

}  // namespace comptoir
