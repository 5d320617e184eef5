// `comptoir plugin-check`: the plugins measured on a folder of samples. Each sample is a
// document (NAME.png|jpg|tif|pdf|ocr.json) beside its expected result NAME.json =
// {"kind": "edf.facture" or null, "fields": {"montant_ttc": "87.43", …}}; its rendition (clean,
// scan300, photo…) is the JSON's "sample": {"rendition": …} (tools/docgen writes it), else the
// name's last "-" part when it is one of docgen's.
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
    std::string suggestion;  // the plugin's suggestion, "" when none
};

// The figures of one rendition (or of all samples).
struct CheckFigures {
    int samples = 0;
    int classified_right = 0;
    int fields_expected = 0;
    int fields_right = 0;
    int fields_suggested = 0;  // read wrong, but the suggestion is the expected value
};

struct PluginCheckReport {
    int samples = 0;
    int classified_right = 0;
    int fields_expected = 0;
    int fields_right = 0;
    // Fields read wrong whose suggestion was right: neither right nor missed, counted apart.
    int fields_suggested = 0;
    // Under --plugin X: documents of other plugins' kinds, which X must not claim (right, samples).
    std::pair<int, int> must_not_claim{0, 0};
    std::map<std::string, std::pair<int, int>> per_field;  // key -> (right, expected)
    std::map<std::string, int> per_field_suggested;       // key -> right as suggestion
    std::map<std::string, std::pair<int, int>> per_kind;   // expected kind ("aucun") -> (classified right, samples)
    std::map<std::string, CheckFigures> per_rendition;     // "clean", "photo"… (samples that say theirs)
    std::vector<std::string> classification_misses;        // French lines
    std::vector<FieldMiss> field_misses;
    std::vector<FieldMiss> right_suggestions;               // shown apart: the suggestion was right
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

// The same as one JSON object, for a machine (docs: plugins/sdk/README.md, section 6).
std::string to_json(const PluginCheckReport& report);

}  // namespace comptoir
