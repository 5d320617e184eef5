// JSON views of the plugin registry, shared by `comptoir plugins --json` and the HTTP API.
#pragma once

#include "comptoir/plugin_host/plugin_host.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace comptoir {

// {"id", "partner", "version", "abi", "file", "own_check", "kinds": [{id, label}], "fields":
//  [{key, label, type, min_length?, max_length?, alphabet?}], "letters": [{id, kind}]}
Poco::JSON::Object::Ptr plugin_json(const PluginInfo& info);
// [{"file", "id", "reason"}]
Poco::JSON::Array::Ptr rejections_json(const std::vector<PluginRejection>& rejections);
// {"loaded": [plugin_json…], "rejected": […], "disabled": […]}
Poco::JSON::Object::Ptr plugins_json(const PluginRegistry& registry);

}  // namespace comptoir
