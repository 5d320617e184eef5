// A document's reading, typed: what the pipeline found — the kind recognised and the other
// candidates, the fields, the letters offered, the codes, the pages, the warnings. The desk
// keeps it (cases/reading_storage.hpp), the API and the CLI show it (reading_json.hpp).
#pragma once

#include "comptoir/plugin_host/field.hpp"
#include "comptoir/reading/document.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace comptoir {

struct ProcessResult;

struct Reading {
    uint32_t pages = 0;
    std::optional<Candidate> document;     // the kind recognised, when one was
    std::vector<Candidate> candidates;     // best first
    std::map<std::string, ExtractedField> fields;
    std::vector<std::string> letters;      // offered
    std::vector<Barcode> barcodes;
    std::vector<PageInfo> page_info;
    std::vector<std::string> warnings;     // French
    std::vector<std::pair<std::string, double>> timings_ms;  // stage, in order

    const ExtractedField* field(const std::string& key) const;
    bool offers(const std::string& letter_id) const;
};

// The reading of a result without an error.
Reading reading_of(const ProcessResult& result);

}  // namespace comptoir
