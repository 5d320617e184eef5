#include "comptoir/plugin_host/reading_json.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/plugin_host/pipeline.hpp"
#include "comptoir/reading/document_json.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cmath>

namespace comptoir {
namespace {

double rounded(double value, double scale) { return std::round(value * scale) / scale; }

Candidate candidate_from(const Poco::JSON::Object::Ptr& object) {
    Candidate candidate;
    candidate.plugin = object->optValue<std::string>("plugin", "");
    candidate.kind = object->optValue<std::string>("kind", "");
    candidate.confidence = object->optValue<double>("confidence", 0.0);
    return candidate;
}

ExtractedField field_from(const std::string& key, const Poco::JSON::Object::Ptr& entry) {
    if (!entry) throw InputError("reading_json", "champ " + key + " illisible");
    ExtractedField field;
    field.key = key;
    field.value = entry->optValue<std::string>("value", "");
    field.text = entry->optValue<std::string>("text", "");
    field.label = entry->optValue<std::string>("label", "");
    field.confidence = entry->optValue<double>("confidence", 0.0);
    field.page = entry->optValue<uint32_t>("page", 0);
    field.box = box_from_json(entry->getArray("box"));
    field.check = check_named(entry->optValue<std::string>("check", "")).value_or(Check::unchecked);
    field.suggestion = entry->optValue<std::string>("suggestion", "");
    field.source = source_named(entry->optValue<std::string>("source", "")).value_or(Source::ocr);
    if (const auto evidence = entry->getObject("evidence")) {
        field.evidence_label = evidence->optValue<std::string>("label", "");
        field.relation = evidence->optValue<std::string>("relation", "");
    }
    if (const auto alternatives = entry->getArray("alternatives")) {
        for (unsigned i = 0; i < alternatives->size(); ++i) {
            const auto alternative = alternatives->getObject(i);
            if (!alternative) continue;
            field.alternatives.emplace_back(
                source_named(alternative->optValue<std::string>("source", "")).value_or(Source::ocr),
                alternative->optValue<std::string>("value", ""));
        }
    }
    return field;
}

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
    std::vector<std::string> out;
    for (unsigned i = 0; array && i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
    return out;
}

}  // namespace

const ExtractedField* Reading::field(const std::string& key) const {
    const auto found = fields.find(key);
    return found == fields.end() ? nullptr : &found->second;
}

bool Reading::offers(const std::string& letter_id) const {
    return std::find(letters.begin(), letters.end(), letter_id) != letters.end();
}

Reading reading_of(const ProcessResult& result) {
    Reading reading;
    reading.pages = result.pages;
    reading.document = result.recognition.document;
    reading.candidates = result.recognition.candidates;
    if (result.extraction) reading.fields = result.extraction->fields;
    reading.letters = result.letters;
    reading.barcodes = result.barcodes;
    reading.page_info = result.page_info;
    reading.warnings = result.warnings;
    reading.timings_ms = result.timings_ms;
    return reading;
}

Poco::JSON::Object candidate_to_json(const Candidate& candidate) {
    Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    entry.set("plugin", candidate.plugin);
    entry.set("kind", candidate.kind);
    entry.set("confidence", rounded(candidate.confidence, 1000.0));
    return entry;
}

Poco::JSON::Object field_to_json(const ExtractedField& field) {
    Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    entry.set("value", field.value);
    entry.set("text", field.text);
    entry.set("label", field.label);
    entry.set("confidence", rounded(field.confidence, 1000.0));
    entry.set("page", field.page);
    entry.set("box", box_to_json(field.box));
    entry.set("check", to_string(field.check));
    if (!field.suggestion.empty()) entry.set("suggestion", field.suggestion);
    entry.set("source", to_string(field.source));
    if (!field.relation.empty()) {
        // ABI 1.2: how the value was found, for the mediator to see.
        Poco::JSON::Object evidence(Poco::JSON_PRESERVE_KEY_ORDER);
        evidence.set("label", field.evidence_label);
        evidence.set("relation", field.relation);
        entry.set("evidence", evidence);
    }
    if (!field.alternatives.empty()) {
        Poco::JSON::Array alternatives;
        for (const auto& [source, value] : field.alternatives) {
            Poco::JSON::Object alternative(Poco::JSON_PRESERVE_KEY_ORDER);
            alternative.set("source", to_string(source));
            alternative.set("value", value);
            alternatives.add(alternative);
        }
        entry.set("alternatives", alternatives);
    }
    return entry;
}

Poco::JSON::Object reading_to_json(const Reading& reading) {
    Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("pages", reading.pages);
    if (reading.document) {
        object.set("document", candidate_to_json(*reading.document));
    } else {
        object.set("document", Poco::Dynamic::Var());
    }
    Poco::JSON::Array candidates;
    for (const auto& candidate : reading.candidates) candidates.add(candidate_to_json(candidate));
    object.set("candidates", candidates);
    Poco::JSON::Object fields(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [key, field] : reading.fields) fields.set(key, field_to_json(field));
    object.set("fields", fields);
    Poco::JSON::Array letters;
    for (const auto& letter : reading.letters) letters.add(letter);
    object.set("letters", letters);
    Poco::JSON::Array barcodes;
    for (const auto& barcode : reading.barcodes) barcodes.add(barcode_to_json(barcode));
    object.set("barcodes", barcodes);
    Poco::JSON::Array page_info;
    for (const auto& page : reading.page_info) page_info.add(page_info_to_json(page));
    object.set("page_info", page_info);
    if (!reading.warnings.empty()) {
        Poco::JSON::Array warnings;
        for (const auto& warning : reading.warnings) warnings.add(warning);
        object.set("warnings", warnings);
    }
    Poco::JSON::Object timings(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [stage, ms] : reading.timings_ms) timings.set(stage, rounded(ms, 100.0));
    object.set("timings_ms", timings);
    return object;
}

Reading reading_from_json(const Poco::JSON::Object::Ptr& object) {
    if (!object) throw InputError("reading_json", "lecture enregistrée illisible");
    try {
        Reading reading;
        reading.pages = object->optValue<uint32_t>("pages", 0);
        if (const auto document = object->getObject("document")) reading.document = candidate_from(document);
        if (const auto candidates = object->getArray("candidates")) {
            for (unsigned i = 0; i < candidates->size(); ++i) {
                if (const auto candidate = candidates->getObject(i)) reading.candidates.push_back(candidate_from(candidate));
            }
        }
        if (const auto fields = object->getObject("fields")) {
            for (const auto& [key, value] : *fields) reading.fields[key] = field_from(key, fields->getObject(key));
        }
        reading.letters = strings(object->getArray("letters"));
        if (const auto barcodes = object->getArray("barcodes")) {
            for (unsigned i = 0; i < barcodes->size(); ++i) reading.barcodes.push_back(barcode_from_json(barcodes->getObject(i)));
        }
        if (const auto pages = object->getArray("page_info")) {
            for (unsigned i = 0; i < pages->size(); ++i) reading.page_info.push_back(page_info_from_json(pages->getObject(i)));
        }
        reading.warnings = strings(object->getArray("warnings"));
        if (const auto timings = object->getObject("timings_ms")) {
            for (const auto& [stage, ms] : *timings) reading.timings_ms.emplace_back(stage, ms.convert<double>());
        }
        return reading;
    } catch (const Poco::Exception& error) {
        throw InputError("reading_json", "lecture enregistrée illisible : " + error.displayText());
    }
}

}  // namespace comptoir
