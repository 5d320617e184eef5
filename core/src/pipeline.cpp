#include "comptoir/pipeline.hpp"

#include "comptoir/config.hpp"
#include "comptoir/error.hpp"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberFormatter.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <sstream>

namespace comptoir {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

constexpr size_t kMaxOcrJsonBytes = 64 * 1024 * 1024;

}  // namespace

Pipeline::Pipeline(const Config& config, const PluginRegistry& plugins) : config_(config), plugins_(plugins) {}

ProcessResult Pipeline::process(const std::string& path, const ProcessOptions& options) const {
    ProcessResult result;
    result.file = path;
    const auto fail = [&result](const std::string& code, const std::string& message) {
        result.error = ProcessError{code, message};
        return result;
    };

    const auto load_start = Clock::now();
    Poco::File file(path);
    if (!file.exists()) return fail("not_found", "Le fichier est introuvable.");
    if (!file.isFile()) return fail("not_a_file", "Ce n'est pas un fichier.");
    if (file.getSize() == 0) return fail("empty_file", "Le fichier est vide.");
    if (!ends_with(Poco::toLower(path), ".ocr.json")) {
        return fail("unsupported_format",
                    "Ce type de fichier n'est pas encore lu par cette version de Comptoir "
                    "(seuls les résultats OCR enregistrés, .ocr.json, le sont).");
    }
    if (file.getSize() > kMaxOcrJsonBytes) return fail("too_large", "Le fichier est trop volumineux.");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in && !in.eof()) return fail("unreadable", "Le fichier ne peut pas être lu.");
    Document document;
    try {
        document = Document::from_json(content.str());
    } catch (const InputError& error) {
        return fail("invalid_ocr_json", std::string("Le résultat OCR enregistré est invalide : ") + error.what());
    }
    if (document.page_count() > static_cast<uint32_t>(config_.max_pages())) {
        return fail("too_many_pages", "Le document a trop de pages (" + std::to_string(document.page_count()) +
                                          ", " + std::to_string(config_.max_pages()) + " au plus).");
    }
    result.timings_ms.emplace_back("load", elapsed_ms(load_start));
    result.pages = document.page_count();
    result.page_info = document.pages();
    result.barcodes = document.barcodes();

    const auto extract_start = Clock::now();
    result.recognition = plugins_.recognise(document, options.threshold, options.only_plugin);
    result.warnings = result.recognition.errors;
    if (result.recognition.document) {
        Extraction extraction =
            plugins_.extract(document, result.recognition.document->plugin, result.recognition.document->kind);
        if (!extraction.ok) result.warnings.push_back(extraction.error);
        result.letters = extraction.letters;
        result.extraction = std::move(extraction);
    } else {
        result.letters = plugins_.universal_letters();
    }
    result.timings_ms.emplace_back("extract", elapsed_ms(extract_start));
    return result;
}

std::string to_json_line(const ProcessResult& result) {
    Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("file", result.file);
    if (result.error) {
        Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
        error.set("code", result.error->code);
        error.set("message", result.error->message);
        object.set("error", error);
        std::ostringstream out;
        object.stringify(out);
        return out.str();
    }
    object.set("pages", result.pages);
    const auto candidate_json = [](const Candidate& candidate) {
        Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
        entry.set("plugin", candidate.plugin);
        entry.set("kind", candidate.kind);
        entry.set("confidence", std::round(candidate.confidence * 1000.0) / 1000.0);
        return entry;
    };
    if (result.recognition.document) {
        object.set("document", candidate_json(*result.recognition.document));
    } else {
        object.set("document", Poco::Dynamic::Var());
    }
    Poco::JSON::Array candidates;
    for (const auto& candidate : result.recognition.candidates) candidates.add(candidate_json(candidate));
    object.set("candidates", candidates);

    Poco::JSON::Object fields(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Array letters;
    if (result.extraction) {
        for (const auto& [key, field] : result.extraction->fields) {
            Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
            entry.set("value", field.value);
            entry.set("text", field.text);
            entry.set("label", field.label);
            entry.set("confidence", std::round(field.confidence * 1000.0) / 1000.0);
            entry.set("page", field.page);
            Poco::JSON::Array box;
            for (int32_t v : {field.box.x, field.box.y, field.box.width, field.box.height}) box.add(v);
            entry.set("box", box);
            entry.set("check", field.check);
            if (!field.suggestion.empty()) entry.set("suggestion", field.suggestion);
            entry.set("source", field.source);
            fields.set(key, entry);
        }
    }
    for (const auto& letter : result.letters) letters.add(letter);
    object.set("fields", fields);
    object.set("letters", letters);

    Poco::JSON::Array barcodes;
    for (const auto& barcode : result.barcodes) {
        Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
        entry.set("page", barcode.page);
        Poco::JSON::Array box;
        for (int32_t v : {barcode.box.x, barcode.box.y, barcode.box.width, barcode.box.height}) box.add(v);
        entry.set("box", box);
        entry.set("format", barcode.format);
        entry.set("document_type", barcode.document_type);
        entry.set("status", barcode.status);
        Poco::JSON::Object barcode_fields(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& [id, value] : barcode.fields) barcode_fields.set(id, value);
        entry.set("fields", barcode_fields);
        barcodes.add(entry);
    }
    object.set("barcodes", barcodes);

    Poco::JSON::Array page_info;
    for (const auto& page : result.page_info) {
        Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
        entry.set("page", page.page);
        entry.set("rotation", page.rotation_deg);
        entry.set("skew_deg", std::round(page.skew_deg * 100.0) / 100.0);
        entry.set("dpi", page.dpi);
        entry.set("text_layer", page.text_layer);
        page_info.add(entry);
    }
    object.set("page_info", page_info);
    if (!result.warnings.empty()) {
        Poco::JSON::Array warnings;
        for (const auto& warning : result.warnings) warnings.add(warning);
        object.set("warnings", warnings);
    }
    Poco::JSON::Object timings(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [stage, ms] : result.timings_ms) timings.set(stage, std::round(ms * 100.0) / 100.0);
    object.set("timings_ms", timings);
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

std::string to_text(const ProcessResult& result) {
    std::ostringstream out;
    out << result.file;
    if (result.error) {
        out << " : ERREUR — " << result.error->message << "\n";
        return out.str();
    }
    out << " — " << result.pages << (result.pages > 1 ? " pages" : " page") << "\n";
    const auto percent = [](double confidence) { return std::to_string(static_cast<int>(std::lround(confidence * 100))) + " %"; };
    if (result.recognition.document) {
        out << "  Document : " << result.recognition.document->kind << " (greffon " << result.recognition.document->plugin
            << ", confiance " << percent(result.recognition.document->confidence) << ")\n";
    } else {
        out << "  Document non reconnu";
        if (!result.recognition.candidates.empty()) {
            out << " (meilleure piste : " << result.recognition.candidates.front().kind << ", "
                << percent(result.recognition.candidates.front().confidence) << ")";
        }
        out << "\n";
    }
    if (result.extraction) {
        out << "  Champs :" << (result.extraction->fields.empty() ? " aucun" : "") << "\n";
        for (const auto& [key, field] : result.extraction->fields) {
            out << "    " << field.label << " : " << field.value << "  (confiance " << percent(field.confidence);
            if (field.check == "failed") out << ", contrôle en échec";
            if (field.check == "mismatch") out << ", lectures en désaccord";
            if (!field.suggestion.empty()) out << ", suggestion : " << field.suggestion;
            out << ")\n";
        }
    }
    out << "  Courriers proposés :";
    for (const auto& letter : result.letters) out << " " << letter;
    out << (result.letters.empty() ? " aucun" : "") << "\n";
    for (const auto& warning : result.warnings) out << "  Attention : " << warning << "\n";
    return out.str();
}

}  // namespace comptoir
