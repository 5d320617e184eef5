#include "comptoir/letter_desk.hpp"

#include "comptoir/config.hpp"
#include "comptoir/letter_pdf.hpp"
#include "comptoir/paths.hpp"
#include "comptoir/plugin_host.hpp"

#include <Poco/Path.h>

#include <algorithm>
#include <ctime>

namespace comptoir {
namespace {

std::vector<std::string> template_folders(const Config& config) {
    // The site's own templates first, then the plugins' (installed beside them, in
    // <plugins.dir>/templates), then the project's.
    std::vector<std::string> folders;
    if (!config.templates_dir().empty()) folders.push_back(config.templates_dir());
    folders.push_back(Poco::Path(config.plugins_dir()).makeDirectory().pushDirectory("templates").toString());
    folders.push_back(InstallPaths::detect().templates_dir);
    return folders;
}

}  // namespace

LetterDesk::LetterDesk(const Config& config, const PluginRegistry& plugins)
    : config_(config), plugins_(plugins), catalog_(template_folders(config)) {}

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
            data.field_types.emplace(field.key, field.type);
        }
    }
    SiteIdentity site{config_.site_name(),  config_.site_address(), config_.site_city(),
                      config_.site_phone(), config_.offices(),      config_.site_departement()};
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

}  // namespace comptoir
