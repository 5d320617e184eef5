// The commands about the site: serve, config (scanners and scan: cmd_scan.cpp).
#include "commands.hpp"

#include "comptoir/app/options.hpp"
#include "comptoir/cases/store.hpp"
#include "comptoir/base/version.hpp"

#include <Poco/NumberParser.h>

#include <sys/stat.h>

#include <csignal>
#include <iostream>

namespace comptoir::cli {

// ---- serve -----------------------------------------------------------------------------

int run_serve(Invocation& invocation) {
    // Block the stop signals before any thread starts, so every thread inherits the mask and
    // only sigwait below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    // What the server makes (the data folder, the base, the spool, keys, letters) is for its own
    // account only, whatever the umask it was started with; the store and the spool also set
    // 0700/0600 themselves on what they make, for the other commands and the tests.
    ::umask(077);

    const Config& config = invocation.config;
    PluginRegistry registry;
    load_plugins(config, registry);
    // The site's stations (scanners over SANE), then the desk: its cases in data.dir.
    scanners::Sane sane(config.scanners_config_dir());
    scanners::Stations stations(sane, config.stations(), config.scanners_timeout_s() * 1000);
    std::unique_ptr<Desk> desk;
    try {
        desk = std::make_unique<Desk>(desk_options(config), registry, &stations);
    } catch (const Error& error) {
        std::cerr << "comptoir serve : " << error.what() << "\n";
        return kExitUsage;
    }
    // The letters' templates checked once: a broken one is not offered, and said here.
    const TemplateNotes notes = desk->letters().check_templates();
    for (const auto& error : notes.errors) logger().error("modèle de courrier refusé : " + error);
    for (const auto& warning : notes.warnings) logger().warning(warning);
    ApiContext context{api_options(config), registry, desk.get()};
    ServerOptions options = server_options(config);
    if (invocation.has("port")) {
        // Several instances on one machine share one configuration file and differ by port
        // alone (docs/deploy.md: a systemd template unit passes its instance name here).
        unsigned port = 0;
        if (!Poco::NumberParser::tryParseUnsigned(invocation.options["port"], port) || port > 65535) {
            std::cerr << "comptoir serve : --port attend un numéro de port (0 à 65535), pas « "
                      << invocation.options["port"] << " »\n";
            return kExitUsage;
        }
        options.port = static_cast<uint16_t>(port);
    }
    HttpServer server(make_api_router(context), options);
    try {
        server.start();
    } catch (const Error& error) {
        std::cerr << "comptoir serve : " << error.what() << "\n";
        return kExitUsage;
    }
    const std::string shown_host = options.host == "0.0.0.0" ? "localhost" : options.host;
    logger().information("Comptoir " + version() + " est prêt : " + (options.tls_certificate.empty() ? "http" : "https") + "://" + shown_host + ":" +
                         std::to_string(server.port()) + "/ (configuration : " +
                         (config.file().empty() ? std::string("par défaut") : config.file()) + ")");
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    logger().information(std::string("arrêt demandé (") + (signal_number == SIGTERM ? "SIGTERM" : signal_number == SIGINT ? "SIGINT" : "SIGQUIT") +
                         "), fin des requêtes en cours");
    desk->events().shutdown();  // the event streams end, so that their requests finish
    server.stop();
    logger().information("Comptoir arrêté.");
    return kExitOk;
}

// ---- config ----------------------------------------------------------------------------

namespace {

// The directory of offices as keys the file may hold: a former key's entry is shown in the new
// form, ready to be copied.
void print_offices(const Config& config, std::ostream& out) {
    const std::string departement = config.site_departement();
    out << "# annuaire des organismes, destinataires des courriers quand le document ne les donne pas"
        << (departement.empty() ? std::string(" (département du site inconnu)") : " (département du site : " + departement + ")")
        << "\n";
    if (config.offices().empty()) out << "# aucun organisme : offices.<id>.kind, .name, .lines, .postcode, .city, .departement\n";
    for (const auto& office : config.offices()) {
        const std::string prefix = "offices." + office.id + ".";
        out << "# organisme " << office.id;
        if (!office.former_key.empty()) out << " (lu de " << office.former_key << ", l'ancienne forme)";
        if (!office.complete()) out << " — incomplet : les courriers demanderont l'adresse au médiateur";
        std::string lines;
        for (const auto& line : office.lines) lines += (lines.empty() ? "" : " | ") + line;
        out << "\n" << prefix << "kind = " << office.kind << "\n" << prefix << "name = " << office.name << "\n"
            << prefix << "lines = " << lines << "\n" << prefix << "postcode = " << office.postcode << "\n"
            << prefix << "city = " << office.city << "\n" << prefix << "departement = " << office.departement << "\n";
    }
}

}  // namespace

int run_config(Invocation& invocation) {
    const Config& config = invocation.config;
    std::cout << "# Configuration effective"
              << (config.file().empty() ? std::string(" (valeurs par défaut)") : " de " + config.file()) << "\n";
    for (const auto& doc : Config::documentation()) {
        if (doc.key.find('<') != std::string::npos) continue;
        std::cout << "# " << doc.description_fr << "\n" << doc.key << " = " << config.string(doc.key) << "\n";
    }
    for (const auto& station : config.stations()) {
        std::cout << "# poste " << station.id << "\n";
        std::cout << "stations." << station.id << ".label = " << station.label << "\n";
        if (!station.device.empty()) std::cout << "stations." << station.id << ".device = " << station.device << "\n";
        if (!station.match.empty()) std::cout << "stations." << station.id << ".match = " << station.match << "\n";
        std::cout << "stations." << station.id << ".resolution = " << station.resolution_dpi << "\n";
        std::cout << "stations." << station.id << ".mode = " << station.mode << "\n";
        if (!station.source.empty()) std::cout << "stations." << station.id << ".source = " << station.source << "\n";
        std::cout << "stations." << station.id << ".preview_resolution = " << station.preview_resolution_dpi << "\n";
        for (const auto& [name, value] : station.options) {
            std::cout << "stations." << station.id << ".options." << name << " = " << value << "\n";
        }
    }
    print_offices(config, std::cout);
    return kExitOk;
}

}  // namespace comptoir::cli
