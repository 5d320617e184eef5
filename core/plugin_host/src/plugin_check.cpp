#include "comptoir/plugin_host/plugin_check.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/plugin_host/pipeline.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace comptoir {
namespace {

struct Sample {
    std::string document;
    std::string expectation;
    std::string name;
};


std::string percent(int right, int total) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(1) << (total ? 100.0 * right / total : 100.0) << " %";
    return out.str();
}

}  // namespace

PluginCheckReport check_plugins(const PipelineOptions& pipeline_options, const PluginRegistry& plugins, const std::string& folder,
                                const std::string& plugin_id) {
    Poco::File directory(folder);
    if (!directory.exists() || !directory.isDirectory()) {
        throw BadRequestError("usage", "dossier d'exemples introuvable : " + folder);
    }
    std::vector<Sample> samples;
    std::vector<std::string> names;
    for (Poco::DirectoryIterator it(folder), end; it != end; ++it) names.push_back(it.name());
    std::sort(names.begin(), names.end());
    PluginCheckReport report;
    for (const auto& name : names) {
        const std::string lower = Poco::toLower(name);
        std::string stem;
        for (const char* extension : {".ocr.json", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf", ".pnm", ".pgm"}) {
            if (Poco::endsWith(lower, std::string(extension))) {
                stem = name.substr(0, name.size() - std::strlen(extension));
                break;
            }
        }
        if (stem.empty()) continue;
        // A page saved with its reading (NAME.png beside NAME.ocr.json) is tried once, on the
        // saved reading: that is what `process --ocr-out` is for.
        if (!Poco::endsWith(lower, std::string(".ocr.json")) &&
            std::binary_search(names.begin(), names.end(), stem + ".ocr.json")) {
            continue;
        }
        const std::string expectation = Poco::Path(folder).makeDirectory().setFileName(stem + ".json").toString();
        if (!Poco::File(expectation).exists()) {
            report.problems.push_back(name + " : pas de résultat attendu (" + stem + ".json), exemple ignoré");
            continue;
        }
        samples.push_back({Poco::Path(folder).makeDirectory().setFileName(name).toString(), expectation, stem});
    }
    if (samples.empty()) throw BadRequestError("usage", "aucun exemple (NOM.png|jpg|tif|pdf|ocr.json avec NOM.json) dans " + folder);

    std::vector<std::string> paths;
    for (const auto& sample : samples) paths.push_back(sample.document);
    ProcessOptions options;
    options.threshold = pipeline_options.recognition_threshold;
    options.only_plugin = plugin_id;
    const Pipeline pipeline(pipeline_options, plugins);
    const auto start = std::chrono::steady_clock::now();
    size_t index = 0;
    pipeline.process_many(paths, options, [&](const ProcessResult& result) {
        const Sample& sample = samples[index++];
        // What was expected.
        std::string expected_kind;
        std::map<std::string, std::string> expected_fields;
        try {
            std::ifstream in(sample.expectation);
            const auto root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
            if (root->has("kind") && !root->isNull("kind")) expected_kind = root->getValue<std::string>("kind");
            if (const auto fields = root->getObject("fields")) {
                for (const auto& [key, value] : *fields) expected_fields[key] = value.toString();
            }
        } catch (const Poco::Exception& error) {
            report.problems.push_back(sample.name + ".json : illisible (" + error.displayText() + ")");
            return;
        }
        ++report.samples;
        if (result.error) report.problems.push_back(sample.name + " : " + result.error->message);
        // A plugin whose worker stopped (crash, timeout, memory) or that is set aside: its
        // warnings are the ones that start with its name (plugin_calls::failure_message).
        for (const auto& warning : result.warnings) {
            if (warning.rfind("Le greffon ", 0) == 0) report.problems.push_back(sample.name + " : " + warning);
        }
        const std::string found_kind = result.recognition.document ? result.recognition.document->kind : "";
        auto& kind_counts = report.per_kind[expected_kind.empty() ? "aucun" : expected_kind];
        ++kind_counts.second;
        if (found_kind == expected_kind && !result.error) {
            ++report.classified_right;
            ++kind_counts.first;
        } else {
            report.classification_misses.push_back(sample.name + " : attendu " + (expected_kind.empty() ? "aucun" : expected_kind) +
                                                   ", reconnu " + (found_kind.empty() ? "aucun" : found_kind));
        }
        for (const auto& [key, expected] : expected_fields) {
            ++report.fields_expected;
            auto& counts = report.per_field[key];
            ++counts.second;
            std::string read;
            double confidence = 0.0;
            if (result.extraction) {
                if (const auto it = result.extraction->fields.find(key); it != result.extraction->fields.end()) {
                    read = it->second.value;
                    confidence = it->second.confidence;
                }
            }
            if (read == expected) {
                ++report.fields_right;
                ++counts.first;
            } else {
                report.field_misses.push_back({sample.name, key, expected, read, confidence});
            }
        }
    });
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

std::string to_text(const PluginCheckReport& report) {
    std::ostringstream out;
    out << "Exemples : " << report.samples << " (" << std::fixed << std::setprecision(1) << report.seconds << " s)\n";
    out << "Reconnaissance : " << report.classified_right << "/" << report.samples << " ("
        << percent(report.classified_right, report.samples) << ")\n";
    for (const auto& [kind, counts] : report.per_kind) {
        out << "  " << kind << " : " << counts.first << "/" << counts.second << " (" << percent(counts.first, counts.second) << ")\n";
    }
    out << "Champs justes : " << report.fields_right << "/" << report.fields_expected << " ("
        << percent(report.fields_right, report.fields_expected) << ")\n";
    for (const auto& [key, counts] : report.per_field) {
        out << "  " << key << " : " << counts.first << "/" << counts.second << " (" << percent(counts.first, counts.second) << ")\n";
    }
    if (!report.classification_misses.empty()) {
        out << "Documents mal reconnus :\n";
        for (const auto& line : report.classification_misses) out << "  " << line << "\n";
    }
    if (!report.field_misses.empty()) {
        out << "Champs manqués :\n";
        for (const auto& miss : report.field_misses) {
            out << "  " << miss.sample << " : " << miss.key << " attendu « " << miss.expected << " », ";
            if (miss.read.empty()) {
                out << "non trouvé\n";
            } else {
                out << "lu « " << miss.read << " » (confiance " << static_cast<int>(std::lround(miss.confidence * 100)) << " %)\n";
            }
        }
    }
    if (!report.problems.empty()) {
        out << "Problèmes :\n";
        for (const auto& line : report.problems) out << "  " << line << "\n";
    }
    return out.str();
}

}  // namespace comptoir
