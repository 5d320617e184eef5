// The JSON forms of a document's parts, shared by the saved OCR result (Document::to_json)
// and the output of `comptoir process --json` (to_json_line), so that both write them alike.
#pragma once

#include "comptoir/document.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace comptoir {

// [x, y, width, height]
Poco::JSON::Array box_to_json(const Box& box);
// {"page", "box", "format", "document_type", "status", "fields": {id: value}}
Poco::JSON::Object barcode_to_json(const Barcode& barcode);

}  // namespace comptoir
