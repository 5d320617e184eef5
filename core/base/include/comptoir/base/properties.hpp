// Helpers over Poco's properties files, shared by the configuration and the letter templates.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace comptoir {

// Every key that holds a value ("server.port", "stations.accueil.label", …), sorted. Poco only
// lists one level at a time. A key with an empty segment ("a..b", "a.") or deeper than any the
// project reads is returned as it stands, unexplored, for its reader to call unknown: explored,
// it would never end (the fuzzer's find: "a." lists "" under it, "a.." lists "" again…).
inline std::vector<std::string> all_keys(const Poco::Util::AbstractConfiguration& properties) {
    constexpr size_t kMaxDepth = 8;
    std::vector<std::string> keys;
    std::vector<std::pair<std::string, size_t>> pending{{"", 0}};
    while (!pending.empty()) {
        const auto [prefix, depth] = pending.back();
        pending.pop_back();
        Poco::Util::AbstractConfiguration::Keys children;
        properties.keys(prefix, children);
        for (const auto& child : children) {
            const std::string full = prefix.empty() ? child : prefix + "." + child;
            if (child.empty() || depth + 1 >= kMaxDepth) {
                keys.push_back(full);
                continue;
            }
            if (properties.has(full)) keys.push_back(full);
            pending.emplace_back(full, depth + 1);
        }
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

}  // namespace comptoir
