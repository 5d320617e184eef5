#include "comptoir/cases/reading_storage.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/plugin_host/reading_json.hpp"

#include <Poco/Exception.h>

namespace comptoir {

std::string reading_to_storage(const Reading& reading) {
    Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("format", kReadingFormat);
    const Poco::JSON::Object body = reading_to_json(reading);
    for (const auto& name : body.getNames()) object.set(name, body.get(name));
    return stringify(object);
}

Reading reading_from_storage(const std::string& stored) {
    if (stored.empty()) return Reading{};
    Poco::JSON::Object::Ptr object;
    try {
        object = parse_object(stored);
    } catch (const Poco::Exception&) {
        throw Error("stored_reading", "La lecture enregistrée de ce document est illisible : déposez-le à nouveau.");
    }
    const int format = object->optValue<int>("format", 1);
    if (format > kReadingFormat || format < 1) {
        throw Error("stored_reading", "La lecture enregistrée de ce document vient d'une version plus récente de "
                                      "Comptoir : mettez ce serveur à jour.");
    }
    try {
        return reading_from_json(object);
    } catch (const InputError&) {
        throw Error("stored_reading", "La lecture enregistrée de ce document est illisible : déposez-le à nouveau.");
    }
}

}  // namespace comptoir
