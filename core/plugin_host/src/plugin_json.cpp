#include "comptoir/plugin_host/plugin_json.hpp"

namespace comptoir {

Poco::JSON::Object::Ptr plugin_json(const PluginInfo& info) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
    object->set("id", info.id);
    object->set("partner", info.partner);
    object->set("version", info.version);
    object->set("abi", std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor));
    object->set("file", info.file);
    object->set("own_check", info.own_check);
    Poco::JSON::Array kinds;
    for (const auto& kind : info.kinds) {
        Poco::JSON::Object entry;
        entry.set("id", kind.id);
        entry.set("label", kind.label_fr);
        kinds.add(entry);
    }
    object->set("kinds", kinds);
    Poco::JSON::Array fields;
    for (const auto& field : info.fields) {
        Poco::JSON::Object entry;
        entry.set("key", field.key);
        entry.set("label", field.label_fr);
        entry.set("type", to_string(field.type));
        // ABI 1.2: what a value must look like, only what bounds it.
        if (field.min_length) entry.set("min_length", field.min_length);
        if (field.max_length) entry.set("max_length", field.max_length);
        if (field.alphabet != "any") entry.set("alphabet", field.alphabet);
        fields.add(entry);
    }
    object->set("fields", fields);
    Poco::JSON::Array letters;
    for (const auto& letter : info.letters) {
        Poco::JSON::Object entry;
        entry.set("id", letter.id);
        entry.set("kind", letter.kind.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(letter.kind));
        letters.add(entry);
    }
    object->set("letters", letters);
    return object;
}

Poco::JSON::Array::Ptr rejections_json(const std::vector<PluginRejection>& rejections) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& rejection : rejections) {
        Poco::JSON::Object entry;
        entry.set("file", rejection.file);
        if (!rejection.id.empty()) entry.set("id", rejection.id);
        entry.set("reason", rejection.reason);
        array->add(entry);
    }
    return array;
}

Poco::JSON::Object::Ptr plugins_json(const PluginRegistry& registry) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
    Poco::JSON::Array loaded;
    const auto health = registry.health();
    for (const PluginInfo* info : registry.loaded()) {
        auto entry = plugin_json(*info);
        for (const auto& state : health) {
            if (state.id != info->id) continue;
            // Its worker's stops (crashes, timeouts, memory) since the start; set aside at three in an hour.
            entry->set("failures", state.failures);
            entry->set("set_aside", state.set_aside);
            if (!state.last_failure.empty()) entry->set("last_failure", state.last_failure);
        }
        loaded.add(entry);
    }
    object->set("loaded", loaded);
    object->set("rejected", rejections_json(registry.rejected()));
    object->set("disabled", rejections_json(registry.disabled()));
    return object;
}

}  // namespace comptoir
