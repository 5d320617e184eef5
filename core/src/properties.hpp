// Helpers over Poco's properties files, shared by the configuration and the letter templates.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace comptoir {

// Every key that holds a value ("server.port", "stations.accueil.label", …), sorted. Poco only
// lists one level at a time.
inline std::vector<std::string> all_keys(const Poco::Util::AbstractConfiguration& properties) {
    std::vector<std::string> keys;
    std::function<void(const std::string&)> collect = [&](const std::string& prefix) {
        Poco::Util::AbstractConfiguration::Keys children;
        properties.keys(prefix, children);
        for (const auto& child : children) {
            const std::string full = prefix.empty() ? child : prefix + "." + child;
            if (properties.has(full)) keys.push_back(full);
            collect(full);
        }
    };
    collect("");
    std::sort(keys.begin(), keys.end());
    return keys;
}

}  // namespace comptoir
