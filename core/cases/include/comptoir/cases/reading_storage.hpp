// How the desk keeps a document's reading in the store: the JSON form of reading_json.hpp with
// its format's number, {"format": 2, …}. A reading stored before the number existed — the line
// of `comptoir process --json` (format 1, with its "file") — still loads.
#pragma once

#include "comptoir/plugin_host/reading.hpp"

#include <string>

namespace comptoir {

constexpr int kReadingFormat = 2;

std::string reading_to_storage(const Reading& reading);
// An empty text is an empty reading. Throws Error("stored_reading", French) for a format newer
// than this program's or text that is not a reading.
Reading reading_from_storage(const std::string& stored);

}  // namespace comptoir
