#include "comptoir/base/json.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace comptoir {

std::string stringify(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

Poco::JSON::Object::Ptr parse_object(const std::string& json) {
    if (json.empty()) return new Poco::JSON::Object;
    return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object object_of(const std::map<std::string, std::string>& values) {
    Poco::JSON::Object out;
    for (const auto& [key, value] : values) out.set(key, value);
    return out;
}

std::map<std::string, std::string> map_of(const Poco::JSON::Object::Ptr& object) {
    std::map<std::string, std::string> out;
    if (!object) return out;
    for (const auto& [key, value] : *object) {
        if (value.isString()) out[key] = value.toString();
    }
    return out;
}

}  // namespace comptoir
