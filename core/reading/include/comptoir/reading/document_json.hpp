// The JSON forms of a document's parts, shared by the saved OCR result (Document::to_json),
// the stored reading and the output of `comptoir process --json`, so that all write them alike.
#pragma once

#include "comptoir/reading/document.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace comptoir {

// [x, y, width, height]
Poco::JSON::Array box_to_json(const Box& box);
// {"page", "box", "format", "document_type", "status", "fields": {id: value}}
Poco::JSON::Object barcode_to_json(const Barcode& barcode);
// And back (the page is the caller's to check). Throws InputError when it is not an object.
Barcode barcode_from_json(const Poco::JSON::Object::Ptr& object);
Box box_from_json(const Poco::JSON::Array::Ptr& array);

// {"page", "width", "height", "dpi", "rotation", "skew_deg", "text_layer", "blank", "perspective"}
Poco::JSON::Object page_info_to_json(const PageInfo& info);
PageInfo page_info_from_json(const Poco::JSON::Object::Ptr& object);

}  // namespace comptoir
