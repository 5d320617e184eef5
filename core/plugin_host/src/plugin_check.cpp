#include "comptoir/plugin_host/plugin_check.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/plugin_host/pipeline.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/JSON/Array.h>
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


// docgen's renditions (tools/docgen/README.md): a sample's name ends with one of them.
const char* const kRenditions[] = {"pdf", "clean", "scan300", "scan200", "photo", "turned", "capture"};

std::string rendition_of(const std::string& name, const Poco::JSON::Object::Ptr& expected) {
    if (const auto sample = expected->getObject("sample"); sample && sample->has("rendition") && !sample->isNull("rendition")) {
        return sample->getValue<std::string>("rendition");
    }
    const size_t dash = name.rfind('-');
    if (dash == std::string::npos) return {};
    const std::string last = name.substr(dash + 1);
    for (const char* rendition : kRenditions) {
        if (last == rendition) return last;
    }
    return {};
}

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
    const PluginInfo* only = plugin_id.empty() ? nullptr : plugins.find(plugin_id);
    const Pipeline pipeline(pipeline_options, plugins);
    const auto start = std::chrono::steady_clock::now();
    size_t index = 0;
    pipeline.process_many(paths, options, [&](const ProcessResult& result) {
        const Sample& sample = samples[index++];
        // What was expected.
        std::string expected_kind;
        std::map<std::string, std::string> expected_fields;
        std::string rendition;
        try {
            std::ifstream in(sample.expectation);
            const auto root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
            if (root->has("kind") && !root->isNull("kind")) expected_kind = root->getValue<std::string>("kind");
            if (const auto fields = root->getObject("fields")) {
                for (const auto& [key, value] : *fields) expected_fields[key] = value.toString();
            }
            rendition = rendition_of(sample.name, root);
        } catch (const Poco::Exception& error) {
            report.problems.push_back(sample.name + ".json : illisible (" + error.displayText() + ")");
            return;
        }
        // Under --plugin X, another plugin's document is one X must not claim: not X's failure
        // to read, and its fields are not X's to find.
        const bool others = only && !expected_kind.empty() && !only->has_kind(expected_kind);
        if (others) {
            expected_kind.clear();
            expected_fields.clear();
            ++report.must_not_claim.second;
        }
        CheckFigures ignored;
        CheckFigures& figures = rendition.empty() ? ignored : report.per_rendition[rendition];
        ++figures.samples;
        ++report.samples;
        if (result.error) report.problems.push_back(sample.name + " : " + result.error->message);
        // A plugin whose worker stopped (crash, timeout, memory) or that is set aside: its
        // warnings are the ones that start with its name (plugin_calls::failure_message).
        for (const auto& warning : result.warnings) {
            if (warning.rfind("Le greffon ", 0) == 0) report.problems.push_back(sample.name + " : " + warning);
        }
        const std::string found_kind = result.recognition.document ? result.recognition.document->kind : "";
        auto& kind_counts = report.per_kind[others ? "aucun (autres greffons)" : expected_kind.empty() ? "aucun" : expected_kind];
        ++kind_counts.second;
        if (found_kind == expected_kind && !result.error) {
            ++report.classified_right;
            ++kind_counts.first;
            ++figures.classified_right;
            if (others) ++report.must_not_claim.first;
        } else {
            report.classification_misses.push_back(sample.name + " : attendu " + (expected_kind.empty() ? "aucun" : expected_kind) +
                                                   ", reconnu " + (found_kind.empty() ? "aucun" : found_kind));
        }
        for (const auto& [key, expected] : expected_fields) {
            ++report.fields_expected;
            ++figures.fields_expected;
            auto& counts = report.per_field[key];
            ++counts.second;
            std::string read;
            std::string suggestion;
            double confidence = 0.0;
            if (result.extraction) {
                if (const auto it = result.extraction->fields.find(key); it != result.extraction->fields.end()) {
                    read = it->second.value;
                    suggestion = it->second.suggestion;
                    confidence = it->second.confidence;
                }
            }
            if (read == expected) {
                ++report.fields_right;
                ++figures.fields_right;
                ++counts.first;
            } else if (!suggestion.empty() && suggestion == expected) {
                // The mediator is shown the right value and takes it in one click: not a miss,
                // not a hit either.
                ++report.fields_suggested;
                ++figures.fields_suggested;
                ++report.per_field_suggested[key];
                report.right_suggestions.push_back({sample.name, key, expected, read, confidence, suggestion});
            } else {
                report.field_misses.push_back({sample.name, key, expected, read, confidence, suggestion});
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
        out << "  " << key << " : " << counts.first << "/" << counts.second << " (" << percent(counts.first, counts.second) << ")";
        if (const auto it = report.per_field_suggested.find(key); it != report.per_field_suggested.end()) {
            out << ", " << it->second << " juste" << (it->second > 1 ? "s" : "") << " en suggestion";
        }
        out << "\n";
    }
    if (report.fields_suggested > 0) {
        out << "Justes en suggestion (ni justes ni manqués) : " << report.fields_suggested << "/" << report.fields_expected << "\n";
    }
    if (report.must_not_claim.second > 0) {
        out << "Documents d'autres greffons, à ne pas reconnaître : " << report.must_not_claim.first << "/"
            << report.must_not_claim.second << " non reconnus\n";
    }
    if (!report.per_rendition.empty()) {
        out << "Par rendu :\n";
        for (const auto& [rendition, figures] : report.per_rendition) {
            out << "  " << rendition << " : reconnaissance " << figures.classified_right << "/" << figures.samples << " ("
                << percent(figures.classified_right, figures.samples) << "), champs " << figures.fields_right << "/"
                << figures.fields_expected << " (" << percent(figures.fields_right, figures.fields_expected) << ")";
            if (figures.fields_suggested > 0) out << ", " << figures.fields_suggested << " en suggestion";
            out << "\n";
        }
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
    if (!report.right_suggestions.empty()) {
        out << "Justes en suggestion :\n";
        for (const auto& right : report.right_suggestions) {
            out << "  " << right.sample << " : " << right.key << " lu « " << right.read << " », suggéré « " << right.suggestion
                << " » (attendu)\n";
        }
    }
    if (!report.problems.empty()) {
        out << "Problèmes :\n";
        for (const auto& line : report.problems) out << "  " << line << "\n";
    }
    return out.str();
}

namespace {

Poco::JSON::Object::Ptr figures_json(const CheckFigures& figures) {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("samples", figures.samples);
    out->set("classified_right", figures.classified_right);
    out->set("fields_expected", figures.fields_expected);
    out->set("fields_right", figures.fields_right);
    out->set("fields_suggested", figures.fields_suggested);
    return out;
}

Poco::JSON::Object::Ptr miss_json(const FieldMiss& miss) {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("sample", miss.sample);
    out->set("key", miss.key);
    out->set("expected", miss.expected);
    if (miss.read.empty()) {
        out->set("read", Poco::Dynamic::Var());  // null: not found
    } else {
        out->set("read", miss.read);
        out->set("confidence", miss.confidence);
    }
    if (!miss.suggestion.empty()) out->set("suggestion", miss.suggestion);
    return out;
}

}  // namespace

std::string to_json(const PluginCheckReport& report) {
    Poco::JSON::Object root;
    root.set("samples", report.samples);
    root.set("seconds", report.seconds);
    Poco::JSON::Object::Ptr recognition = new Poco::JSON::Object;
    recognition->set("right", report.classified_right);
    recognition->set("samples", report.samples);
    Poco::JSON::Object::Ptr kinds = new Poco::JSON::Object;
    for (const auto& [kind, counts] : report.per_kind) {
        Poco::JSON::Object::Ptr one = new Poco::JSON::Object;
        one->set("right", counts.first);
        one->set("samples", counts.second);
        kinds->set(kind, one);
    }
    recognition->set("per_kind", kinds);
    Poco::JSON::Object::Ptr must_not = new Poco::JSON::Object;
    must_not->set("right", report.must_not_claim.first);
    must_not->set("samples", report.must_not_claim.second);
    recognition->set("must_not_claim", must_not);
    Poco::JSON::Array::Ptr classification_misses = new Poco::JSON::Array;
    for (const auto& line : report.classification_misses) classification_misses->add(line);
    recognition->set("misses", classification_misses);
    root.set("recognition", recognition);

    Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;
    fields->set("right", report.fields_right);
    fields->set("expected", report.fields_expected);
    fields->set("right_as_suggestion", report.fields_suggested);
    Poco::JSON::Object::Ptr per_field = new Poco::JSON::Object;
    for (const auto& [key, counts] : report.per_field) {
        Poco::JSON::Object::Ptr one = new Poco::JSON::Object;
        one->set("right", counts.first);
        one->set("expected", counts.second);
        const auto suggested = report.per_field_suggested.find(key);
        one->set("right_as_suggestion", suggested == report.per_field_suggested.end() ? 0 : suggested->second);
        per_field->set(key, one);
    }
    fields->set("per_field", per_field);
    Poco::JSON::Array::Ptr misses = new Poco::JSON::Array;
    for (const auto& miss : report.field_misses) misses->add(miss_json(miss));
    fields->set("misses", misses);
    Poco::JSON::Array::Ptr suggestions = new Poco::JSON::Array;
    for (const auto& right : report.right_suggestions) suggestions->add(miss_json(right));
    fields->set("right_as_suggestion_samples", suggestions);
    root.set("fields", fields);

    Poco::JSON::Object::Ptr renditions = new Poco::JSON::Object;
    for (const auto& [rendition, figures] : report.per_rendition) renditions->set(rendition, figures_json(figures));
    root.set("per_rendition", renditions);
    Poco::JSON::Array::Ptr problems = new Poco::JSON::Array;
    for (const auto& line : report.problems) problems->add(line);
    root.set("problems", problems);
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

}  // namespace comptoir
