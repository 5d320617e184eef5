// Times as the project writes them: ISO 8601 in UTC, to the second ("2026-11-23T06:40:12Z").
#pragma once

#include <Poco/Timestamp.h>

#include <cstdint>
#include <string>

namespace comptoir {

std::string iso_utc(const Poco::Timestamp& at);
// Now, ISO 8601 in UTC.
std::string now_iso();
// Now, milliseconds since 1970.
int64_t now_ms();

}  // namespace comptoir
