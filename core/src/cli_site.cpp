// The commands that read no page: plugins, config, scanners, scan, admin (cli_commands.hpp).
#include "cli_commands.hpp"

#include "comptoir/accounts.hpp"
#include "comptoir/desk.hpp"
#include "comptoir/error.hpp"
#include "comptoir/image.hpp"
#include "comptoir/plugin_host.hpp"
#include "comptoir/scanners.hpp"
#include "comptoir/spool_crypto.hpp"
#include "comptoir/store.hpp"
#include "plugin_json.hpp"

#include <Poco/File.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace comptoir::cli {

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
            out << "      " << field.key << " — " << field.label_fr << " (" << field.type;
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

// ---- scanners and scan ------------------------------------------------------------------


int run_scanners(Invocation& invocation) {
    scanners::Sane sane(invocation.config.scanners_config_dir());
    const auto devices = sane.devices(true);
    std::cout << "Scanners vus (" << devices.size() << ")\n";
    for (const auto& device : devices) {
        std::cout << "  " << device.name << " — " << device.vendor << " " << device.model << " (" << device.type << ")\n";
    }
    scanners::Stations stations(sane, station_settings(invocation.config));
    const auto states = stations.list(false);
    std::cout << "Postes (" << states.size() << ")\n";
    bool all_found = true;
    for (const auto& state : states) {
        const auto& s = state.settings;
        std::cout << "  " << s.id << " — " << s.label << " : ";
        if (state.device && state.problem.empty()) {
            std::cout << "prêt, scanner " << state.device->name;
        } else if (state.device) {
            std::cout << "à vérifier, " << state.problem;
        } else {
            std::cout << "INTROUVABLE, " << state.problem;
            all_found = false;
        }
        std::cout << " ; " << s.resolution_dpi << " dpi, " << s.mode << (s.source.empty() ? "" : ", " + s.source)
                  << ", aperçu " << s.preview_resolution_dpi << " dpi\n";
    }
    if (states.empty()) std::cout << "  aucun poste : déclarez stations.<id>.device dans la configuration\n";
    return all_found ? kExitOk : kExitInputFailed;
}

int run_scan(Invocation& invocation) {
    if (!invocation.has("station")) throw BadRequestError("usage", "indiquez le poste : --station ID (« comptoir scanners » les liste)");
    const std::string station = invocation.options["station"];
    scanners::Sane sane(invocation.config.scanners_config_dir());
    scanners::Stations stations(sane, station_settings(invocation.config), invocation.config.scanners_timeout_s() * 1000);
    std::string output = invocation.has("output") ? invocation.options["output"] : "";
    if (output.empty()) {
        char stamp[32];
        const std::time_t now = std::time(nullptr);
        std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
        output = "scan-" + station + "-" + stamp + ".png";
    }
    std::vector<scanners::ScannedPage> pages;
    std::optional<scanners::ScanError> fault;
    try {
        const bool interactive = isatty(STDERR_FILENO);
        int shown = -1;
        auto future = stations.scan(station, invocation.has("preview"), [&](const scanners::ScanProgress& progress) {
            const int value = progress.percent >= 0 ? progress.percent : progress.lines;
            if (value == shown) return;
            shown = value;
            if (!interactive) return;
            std::cerr << "\rPage " << progress.page << " : "
                      << (progress.percent >= 0 ? std::to_string(progress.percent) + " %" : std::to_string(progress.lines) + " lignes")
                      << "   " << std::flush;
        });
        pages = future.get();
        if (interactive) std::cerr << "\n";
    } catch (const scanners::ScanError& error) {
        if (error.code() == "station_not_found") {
            std::cerr << "comptoir scan : " << error.what() << "\n";
            return kExitUsage;
        }
        fault = error;
        if (error.pages_before) pages = std::move(*error.pages_before);  // keep what was scanned
    }
    for (size_t i = 0; i < pages.size(); ++i) {
        std::string path = output;
        if (i > 0) {
            const auto dot = path.rfind('.');
            path = (dot == std::string::npos ? path : path.substr(0, dot)) + "-" + std::to_string(i + 1) +
                   (dot == std::string::npos ? "" : path.substr(dot));
        }
        const std::string png = pix_to_png(pages[i].image.get());
        if (!write_whole_file(path, png)) {
            std::cerr << "comptoir scan : impossible d'écrire " << path << "\n";
            return kExitInputFailed;
        }
        std::cout << path << " (" << pix_width(pages[i].image.get()) << " × " << pix_height(pages[i].image.get())
                  << " pixels, " << pages[i].dpi << " dpi)\n";
    }
    if (fault) {
        std::cerr << "comptoir scan : " << fault->what();
        if (!pages.empty()) std::cerr << " (les " << pages.size() << " page(s) déjà numérisée(s) sont enregistrées)";
        std::cerr << "\n";
        return kExitInputFailed;
    }
    return kExitOk;
}

// ---- admin ----------------------------------------------------------------------------------

namespace {

constexpr const char* kAdminUsage =
    "usage : comptoir admin create-user --login IDENTIFIANT [--role mediator|admin] < mot-de-passe\n"
    "        comptoir admin new-key FICHIER\n"
    "        comptoir admin rekey\n"
    "        comptoir admin audit [--case NUMÉRO]";

// comptoir admin create-user --login L --role mediator|admin : the password is read from the
// standard input (one line), never from the command line where `ps` would show it.
int admin_create_user(Invocation& invocation) {
    if (!invocation.has("login")) throw BadRequestError("usage", "option manquante : --login");
    const std::string role = invocation.has("role") ? invocation.options["role"] : "mediator";
    if (isatty(0)) std::cerr << "Mot de passe (10 caractères au moins) : " << std::flush;
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    Store store(invocation.config.data_dir(), invocation.config.database_engine(), invocation.config.database_connection());
    Accounts accounts(store, Accounts::Limits{});
    try {
        const Account account = accounts.create(invocation.options["login"], role, password);
        store.audit("console", "user.create", 0, account.login + " (" + account.role + ")");
        std::cout << "compte créé : " << account.login << " (" << account.role << ")\n";
        return kExitOk;
    } catch (const StatusError& error) {
        std::cerr << "comptoir admin : " << error.what() << "\n";
        return kExitInputFailed;
    }
}

// Every file of the spool written again with the current key: after a rotation (the old key in
// storage.previous_key_file), or to encrypt a spool written before encryption was on.
int admin_rekey(Invocation& invocation) {
    const SpoolCrypto crypto = SpoolCrypto::from_config(invocation.config);
    if (!crypto.enabled()) throw BadRequestError("usage", "le chiffrement est désactivé (storage.encryption = off).");
    Store store(invocation.config.data_dir(), invocation.config.database_engine(), invocation.config.database_connection());
    int rewritten = 0, kept = 0, failed = 0;
    std::vector<std::string> folders{store.spool_dir()};
    while (!folders.empty()) {
        const std::string folder = folders.back();
        folders.pop_back();
        std::vector<Poco::File> entries;
        Poco::File(folder).list(entries);
        for (auto& entry : entries) {
            if (entry.isDirectory()) {
                folders.push_back(entry.path());
                continue;
            }
            if (Poco::endsWith(entry.path(), std::string(".part"))) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            const std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (SpoolCrypto::key_id_of(stored) == crypto.key_id()) {
                ++kept;
                continue;
            }
            try {
                const std::string plain = SpoolCrypto::is_sealed(stored) ? crypto.open(stored) : stored;
                crypto.write_file(entry.path(), plain);
                ++rewritten;
            } catch (const Error& error) {
                ++failed;
                std::cerr << "comptoir admin rekey : " << entry.path() << " : " << error.what() << "\n";
            }
        }
    }
    store.audit("console", "storage.rekey", 0, std::to_string(rewritten) + " fichier(s), clé " + crypto.key_id());
    std::cout << rewritten << " fichier(s) chiffré(s) avec la clé " << crypto.key_id() << ", " << kept
              << " déjà à jour, " << failed << " en échec\n";
    return failed ? kExitInputFailed : kExitOk;
}

int admin_audit(Invocation& invocation) {
    Store store(invocation.config.data_dir(), invocation.config.database_engine(), invocation.config.database_connection());
    int64_t case_id = 0;
    if (invocation.has("case") && !Poco::NumberParser::tryParse64(invocation.options["case"], case_id)) {
        throw BadRequestError("usage", "numéro de dossier invalide : " + invocation.options["case"]);
    }
    auto entries = store.audit_log(case_id, 100000);
    std::reverse(entries.begin(), entries.end());
    for (const auto& entry : entries) {
        std::cout << entry.at << "\t" << entry.login << "\t" << entry.action << "\t"
                  << (entry.case_id ? std::to_string(entry.case_id) : "-") << "\t" << entry.detail << "\n";
    }
    return kExitOk;
}

}  // namespace

int run_admin(Invocation& invocation) {
    const std::string& what = invocation.args.at(0);
    const size_t wanted = what == "new-key" ? 2 : 1;
    if (invocation.args.size() != wanted) throw BadRequestError("usage", std::string("arguments en trop ou manquants\n") + kAdminUsage);
    if (what == "create-user") return admin_create_user(invocation);
    if (what == "rekey") return admin_rekey(invocation);
    if (what == "audit") return admin_audit(invocation);
    if (what == "new-key") {
        SpoolCrypto::write_new_key(invocation.args.at(1));
        std::cout << "clé créée : " << invocation.args.at(1) << " (empreinte "
                  << SpoolCrypto(SpoolCrypto::read_key(invocation.args.at(1)), std::nullopt).key_id()
                  << ") ; indiquez-la dans storage.key_file\n";
        return kExitOk;
    }
    throw BadRequestError("usage", "sous-commande inconnue : " + what + "\n" + kAdminUsage);
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
