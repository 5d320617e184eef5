// The JSON form of a reading (docs/formats.md, "comptoir process --json"): the one the CLI
// prints, the desk stores and the API shows, written and read in one place.
#pragma once

#include "comptoir/plugin_host/reading.hpp"

#include <Poco/JSON/Object.h>

namespace comptoir {

// {"pages", "document", "candidates", "fields", "letters", "barcodes", "page_info",
//  "warnings" (when any), "timings_ms"}
Poco::JSON::Object reading_to_json(const Reading& reading);
// And back; a key missing is empty. Throws InputError("reading_json") when a part is malformed.
Reading reading_from_json(const Poco::JSON::Object::Ptr& object);

// The parts, for views that show some of them.
Poco::JSON::Object candidate_to_json(const Candidate& candidate);
Poco::JSON::Object field_to_json(const ExtractedField& field);

}  // namespace comptoir
