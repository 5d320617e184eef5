// The commands about documents and plugins: plugins, process, letter, plugin-check.
#include "commands.hpp"

#include "comptoir/app/options.hpp"
#include "comptoir/cases/store.hpp"
#include "comptoir/plugin_host/plugin_check.hpp"
#include "comptoir/plugin_host/plugin_json.hpp"

#include <Poco/File.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Util/Application.h>

#include <fstream>

namespace comptoir::cli {

void load_plugins(const Config& config, PluginRegistry& registry) {
    registry.set_isolation(plugin_isolation(config));
    registry.set_settings(plugin_settings(config));
    registry.load_directory(config.plugins_dir(), config.plugins_allow());
}

// ---- plugins ---------------------------------------------------------------------------

int run_plugins(Invocation& invocation) {
    PluginRegistry registry;
    load_plugins(invocation.config, registry);
    if (invocation.has("json")) {
        plugins_json(registry)->stringify(std::cout);
        std::cout << "\n";
        return registry.rejected().empty() ? kExitOk : kExitInputFailed;
    }
    std::ostream& out = std::cout;
    const auto loaded = registry.loaded();
    out << "Greffons chargés (" << loaded.size() << ") — dossier " << invocation.config.plugins_dir() << "\n";
    for (const PluginInfo* info : loaded) {
        out << "  " << info->id << " " << info->version << " — " << info->partner << " — ABI " << info->abi_major
            << "." << info->abi_minor << " — " << info->file << "\n";
        out << "    Documents :";
        if (info->kinds.empty()) out << " aucun";
        out << "\n";
        for (const auto& kind : info->kinds) out << "      " << kind.id << " — " << kind.label_fr << "\n";
        out << "    Champs :";
        if (info->fields.empty()) out << " aucun";
        out << "\n";
        for (const auto& field : info->fields) {
            out << "      " << field.key << " — " << field.label_fr << " (" << to_string(field.type);
            if (field.min_length || field.max_length) {
                out << ", " << (field.min_length ? std::to_string(field.min_length) : "0") << " à "
                    << (field.max_length ? std::to_string(field.max_length) : "∞") << " caractères";
            }
            if (field.alphabet != "any") out << ", alphabet " << field.alphabet;
            out << ")\n";
        }
        if (info->own_check) out << "    Contrôle des valeurs par le greffon : oui\n";
        out << "    Courriers :";
        if (info->letters.empty()) out << " aucun";
        out << "\n";
        for (const auto& letter : info->letters) {
            out << "      " << letter.id << " — " << (letter.kind.empty() ? "tout document" : letter.kind) << "\n";
        }
    }
    // Every letter offered, its template checked: one that cannot be written is said here.
    const TemplateNotes notes = LetterDesk(letter_options(invocation.config), registry).check_templates();
    if (!notes.errors.empty() || !notes.warnings.empty()) {
        out << "Modèles de courrier à revoir (" << notes.errors.size() + notes.warnings.size() << ")\n";
        for (const auto& error : notes.errors) out << "  refusé : " << error << "\n";
        for (const auto& warning : notes.warnings) out << "  attention : " << warning << "\n";
    }
    if (!registry.rejected().empty()) {
        out << "Greffons refusés (" << registry.rejected().size() << ")\n";
        for (const auto& rejection : registry.rejected()) {
            out << "  " << rejection.file << (rejection.id.empty() ? "" : " (" + rejection.id + ")") << " : "
                << rejection.reason << "\n";
        }
    }
    if (!registry.disabled().empty()) {
        out << "Greffons désactivés (" << registry.disabled().size() << ")\n";
        for (const auto& disabled : registry.disabled()) {
            out << "  " << disabled.file << " (" << disabled.id << ") : " << disabled.reason << "\n";
        }
    }
    return registry.rejected().empty() ? kExitOk : kExitInputFailed;
}

// ---- process ---------------------------------------------------------------------------

namespace {

// NAME.ocr.json for the input NAME.png (or .jpg, .pdf, …, or NAME.ocr.json itself).
std::string saved_ocr_name(const std::string& input) {
    std::string name = Poco::Path(input).getFileName();
    const std::string lower = Poco::toLower(name);
    if (Poco::endsWith(lower, std::string(".ocr.json"))) return name;
    const auto dot = name.rfind('.');
    if (dot != std::string::npos && dot > 0) name.resize(dot);
    return name + ".ocr.json";
}

}  // namespace

int run_process(Invocation& invocation) {
    PluginRegistry registry;
    load_plugins(invocation.config, registry);
    ProcessOptions options;
    options.threshold = invocation.config.recognition_threshold();
    if (invocation.has("plugin")) {
        options.only_plugin = invocation.options["plugin"];
        if (!registry.find(options.only_plugin)) {
            std::cerr << "comptoir process : greffon « " << options.only_plugin << " » non chargé "
                      << "(« comptoir plugins » les liste)\n";
            return kExitUsage;
        }
    }
    std::string ocr_out;
    if (invocation.has("ocr-out")) {
        ocr_out = invocation.options["ocr-out"];
        try {
            Poco::File(ocr_out).createDirectories();
        } catch (const Poco::Exception&) {
            std::cerr << "comptoir process : impossible de créer le dossier " << ocr_out << "\n";
            return kExitUsage;
        }
    }
    const Pipeline pipeline(pipeline_options(invocation.config), registry);
    const bool json = invocation.has("json");
    bool some_failed = false;
    pipeline.process_many(invocation.args, options, [&](const ProcessResult& result) {
        some_failed = some_failed || result.error.has_value();
        if (!ocr_out.empty() && result.document) {
            const std::string path = Poco::Path(ocr_out).makeDirectory().setFileName(saved_ocr_name(result.file)).toString();
            if (!write_whole_file(path, result.document->to_json())) {
                std::cerr << "comptoir process : impossible d'écrire " << path << "\n";
                some_failed = true;
            }
        }
        if (json) {
            std::cout << to_json_line(result) << "\n" << std::flush;
        } else {
            std::cout << to_text(result) << std::flush;
        }
    });
    return some_failed ? kExitInputFailed : kExitOk;
}

// ---- letter ----------------------------------------------------------------------------

namespace {

std::map<std::string, std::string> string_map(const Poco::JSON::Object::Ptr& object, const std::string& what) {
    std::map<std::string, std::string> out;
    if (!object) return out;
    for (const auto& [key, value] : *object) {
        if (value.isEmpty()) continue;
        if (value.type() == typeid(Poco::JSON::Object::Ptr) || value.type() == typeid(Poco::JSON::Array::Ptr)) {
            throw BadRequestError("bad_data", "« " + what + "." + key + " » doit être un texte ou un nombre");
        }
        out[key] = value.toString();
    }
    return out;
}

}  // namespace

int run_letter(Invocation& invocation) {
    for (const char* option : {"plugin", "letter", "data", "output"}) {
        if (!invocation.has(option)) {
            throw BadRequestError("usage", std::string("option manquante : --") + option +
                                               "\nusage : comptoir letter --plugin ID --letter ID_COURRIER --data FICHIER.json -o SORTIE.pdf");
        }
    }
    PluginRegistry registry;
    load_plugins(invocation.config, registry);
    LetterDesk desk(letter_options(invocation.config), registry);
    LetterRequest request;
    request.plugin_id = invocation.options["plugin"];
    request.letter_id = invocation.options["letter"];
    try {
        std::ifstream in(invocation.options["data"]);
        if (!in) throw BadRequestError("bad_data", "fichier de données introuvable : " + invocation.options["data"]);
        Poco::JSON::Parser parser;
        const auto root = parser.parse(in).extract<Poco::JSON::Object::Ptr>();
        request.fields = string_map(root->getObject("fields"), "fields");
        request.answers = string_map(root->getObject("answers"), "answers");
        request.kind = root->optValue<std::string>("kind", "");  // the visitor's sheet speaks of it
    } catch (const Poco::Exception& error) {
        throw BadRequestError("bad_data", "données illisibles (" + invocation.options["data"] + ") : " + error.displayText() +
                                              " ; attendu : {\"kind\": …, \"fields\": {…}, \"answers\": {…}}");
    }
    std::string pdf, sheet;
    try {
        pdf = desk.write(request);
        if (invocation.has("sheet")) sheet = desk.write_sheet(request);
    } catch (const MissingValuesError& error) {
        std::cerr << "comptoir letter : " << error.what() << "\n";
        return kExitInputFailed;
    } catch (const TemplateError& error) {
        std::cerr << "comptoir letter : " << error.what() << "\n";
        return kExitUsage;
    } catch (const NotFoundError& error) {
        std::cerr << "comptoir letter : " << error.what() << "\n";
        return kExitUsage;
    }
    if (!write_whole_file(invocation.options["output"], pdf)) {
        std::cerr << "comptoir letter : impossible d'écrire " << invocation.options["output"] << "\n";
        return kExitInputFailed;
    }
    std::cout << invocation.options["output"] << " (" << pdf.size() / 1024 << " Ko)\n";
    if (invocation.has("sheet")) {
        if (!write_whole_file(invocation.options["sheet"], sheet)) {
            std::cerr << "comptoir letter : impossible d'écrire " << invocation.options["sheet"] << "\n";
            return kExitInputFailed;
        }
        std::cout << invocation.options["sheet"] << " (" << sheet.size() / 1024 << " Ko)\n";
    }
    return kExitOk;
}

// ---- plugin-check ----------------------------------------------------------------------

int run_plugin_check(Invocation& invocation) {
    double minimum = 0.0;
    if (invocation.has("min")) {
        char* end = nullptr;
        minimum = std::strtod(invocation.options["min"].c_str(), &end);
        if (invocation.options["min"].empty() || *end != '\0' || minimum < 0.0 || minimum > 1.0) {
            throw BadRequestError("usage", "--min attend un taux de 0 à 1, par exemple 0.97");
        }
    }
    PluginRegistry registry;
    load_plugins(invocation.config, registry);
    const std::string plugin = invocation.has("plugin") ? invocation.options["plugin"] : "";
    if (!plugin.empty() && !registry.find(plugin)) {
        throw BadRequestError("usage", "greffon « " + plugin + " » non chargé (« comptoir plugins » les liste)");
    }
    const PluginCheckReport report = check_plugins(pipeline_options(invocation.config), registry, invocation.args.front(), plugin);
    const bool json = invocation.has("json");
    std::cout << (json ? to_json(report) + "\n" : to_text(report));
    const double rate = std::min(report.field_rate(), report.classification_rate());
    if (invocation.has("min") && rate < minimum) {
        (json ? std::cerr : std::cout) << "Sous le minimum demandé (" << minimum * 100 << " %).\n";
        return kExitInputFailed;
    }
    return kExitOk;
}

}  // namespace comptoir::cli
