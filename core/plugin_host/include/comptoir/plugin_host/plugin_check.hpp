// `comptoir plugin-check`: the plugins measured on a folder of samples. Each sample is a
// document (NAME.png|jpg|tif|pdf|ocr.json) beside its expected result NAME.json =
// {"kind": "edf.facture" or null, "fields": {"montant_ttc": "87.43", …}}.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace comptoir {

class PluginRegistry;
struct PipelineOptions;

struct FieldMiss {
    std::string sample;
    std::string key;
    std::string expected;
    std::string read;        // "" when not found
    double confidence = 0.0;
};

struct PluginCheckReport {
    int samples = 0;
    int classified_right = 0;
    int fields_expected = 0;
    int fields_right = 0;
    std::map<std::string, std::pair<int, int>> per_field;  // key -> (right, expected)
    std::map<std::string, std::pair<int, int>> per_kind;   // expected kind ("aucun") -> (classified right, samples)
    std::vector<std::string> classification_misses;        // French lines
    std::vector<FieldMiss> field_misses;
    std::vector<std::string> problems;                     // unreadable samples or expectations (French)
    double seconds = 0.0;

    double classification_rate() const { return samples ? static_cast<double>(classified_right) / samples : 0.0; }
    double field_rate() const { return fields_expected ? static_cast<double>(fields_right) / fields_expected : 1.0; }
};

// Runs the pipeline on every sample of `folder` (only `plugin_id`'s plugin when not empty).
// Throws BadRequestError when the folder is missing or holds no sample.
PluginCheckReport check_plugins(const PipelineOptions& options, const PluginRegistry& plugins, const std::string& folder,
                                const std::string& plugin_id);

// The readable report.
std::string to_text(const PluginCheckReport& report);

}  // namespace comptoir
