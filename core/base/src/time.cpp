#include "comptoir/base/time.hpp"

#include <Poco/DateTimeFormatter.h>

namespace comptoir {

std::string iso_utc(const Poco::Timestamp& at) { return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%SZ"); }

std::string now_iso() { return iso_utc(Poco::Timestamp()); }

int64_t now_ms() { return Poco::Timestamp().epochMicroseconds() / 1000; }

}  // namespace comptoir
