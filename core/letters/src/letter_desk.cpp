#include "comptoir/letters/letter_desk.hpp"

#include "comptoir/letters/letter_pdf.hpp"
#include "comptoir/letters/visitor_sheet.hpp"
#include "comptoir/plugin_host/plugin_host.hpp"

#include <algorithm>
#include <ctime>
#include <optional>

namespace comptoir {

LetterDesk::LetterDesk(LetterOptions options, const PluginRegistry& plugins)
    : options_(std::move(options)), plugins_(plugins), catalog_(options_.template_folders) {}

LetterTemplate LetterDesk::letter(const std::string& plugin_id, const std::string& letter_id) const {
    const PluginInfo* plugin = plugins_.find(plugin_id);
    if (!plugin) throw NotFoundError("plugin_not_found", "Le greffon « " + plugin_id + " » n'est pas chargé.");
    const bool offered = std::any_of(plugin->letters.begin(), plugin->letters.end(),
                                     [&](const PluginLetter& letter) { return letter.id == letter_id; });
    if (!offered) {
        throw BadRequestError("letter_not_offered", "Le greffon « " + plugin_id + " » ne propose pas le courrier « " + letter_id + " ».");
    }
    return catalog_.find(letter_id);
}

std::string LetterDesk::write(const LetterRequest& request) const {
    const LetterTemplate letter = this->letter(request.plugin_id, request.letter_id);
    LetterData data;
    data.fields = request.fields;
    data.answers = request.answers;
    // Labels and types of every loaded plugin's fields: a free letter may quote any of them.
    for (const PluginInfo* plugin : plugins_.loaded()) {
        for (const auto& field : plugin->fields) {
            data.field_labels.emplace(field.key, field.label_fr);
            data.field_types.emplace(field.key, to_string(field.type));
        }
    }
    const SiteIdentity& site = options_.site;
    int year = request.year, month = request.month, day = request.day;
    if (year == 0) {
        const std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        year = local.tm_year + 1900;
        month = local.tm_mon + 1;
        day = local.tm_mday;
    }
    const ComposedLetter composed = compose_letter(letter, data, site, year, month, day);
    LetterPdfOptions options;
    options.annex_pages = request.annex_pages;
    return render_letter_pdf(composed, options);
}

std::string LetterDesk::write_sheet(const LetterRequest& request) const {
    const LetterTemplate letter = this->letter(request.plugin_id, request.letter_id);
    std::string letter_sheet = find_sheet_template(options_.template_folders, request.letter_id);
    if (letter_sheet.empty()) letter_sheet = find_sheet_template(options_.template_folders, "courrier");
    if (letter_sheet.empty()) {
        throw NotFoundError("sheet_not_found", "Aucune fiche pour la personne n'est prévue pour le courrier « " + request.letter_id + " ».");
    }
    // The letter as write() composes it: the sheet says only what the letter and the document say.
    LetterData data;
    data.fields = request.fields;
    data.answers = request.answers;
    for (const PluginInfo* plugin : plugins_.loaded()) {
        for (const auto& field : plugin->fields) {
            data.field_labels.emplace(field.key, field.label_fr);
            data.field_types.emplace(field.key, to_string(field.type));
        }
    }
    int year = request.year, month = request.month, day = request.day;
    if (year == 0) {
        const std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        year = local.tm_year + 1900;
        month = local.tm_mon + 1;
        day = local.tm_mday;
    }
    const ComposedLetter composed = compose_letter(letter, data, options_.site, year, month, day);
    const SheetTemplate letter_part = parse_sheet_template(letter_sheet);
    std::optional<SheetTemplate> kind_part;
    if (const std::string kind_sheet = find_sheet_template(options_.template_folders, request.kind); !request.kind.empty() && !kind_sheet.empty()) {
        kind_part = parse_sheet_template(kind_sheet);
    }
    SheetInput input;
    input.letter = &letter;
    input.composed = &composed;
    input.data = &data;
    input.site_name = options_.site.name;
    input.date_fr = french_date(year, month, day);
    return render_sheet_pdf(compose_sheet(kind_part ? &*kind_part : nullptr, letter_part, input));
}

}  // namespace comptoir
