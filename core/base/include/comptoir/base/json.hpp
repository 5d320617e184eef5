// The JSON helpers every module uses (Poco::JSON): one way to write a value, one way to read an
// object.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <string>

namespace comptoir {

// A JSON value (an Object, an Array, a string, a number…) as compact text.
std::string stringify(const Poco::Dynamic::Var& value);

// A JSON object from text; an empty object for empty text. Throws Poco's JSON exceptions on
// malformed text or when the text is not an object.
Poco::JSON::Object::Ptr parse_object(const std::string& json);

// A map of texts as a JSON object ({"key": "value", …}), and back: an absent object gives an
// empty map, a value that is not a text is left out.
Poco::JSON::Object object_of(const std::map<std::string, std::string>& values);
std::map<std::string, std::string> map_of(const Poco::JSON::Object::Ptr& object);

}  // namespace comptoir
