#include "comptoir/app/config.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/app/paths.hpp"

#include "comptoir/base/properties.hpp"

#include <comptoir/text/distance.hpp>

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/Path.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <optional>
#include <regex>
#include <thread>

namespace comptoir {
namespace {

enum class KeyType { None, Text, Path, Integer, Decimal, List, Choice, Addresses };

struct KeySpec {
    const char* key;
    KeyType type;
    std::function<std::string()> default_value;
    int64_t min = 0;
    int64_t max = 0;
    std::vector<std::string> choices;
    const char* description_fr = "";
};

std::string cores() {
    return std::to_string(std::max(1u, std::thread::hardware_concurrency()));
}

const std::vector<KeySpec>& key_specs() {
    static const std::vector<KeySpec> specs = {
        {"server.host", KeyType::Text, [] { return std::string("127.0.0.1"); }, 0, 0, {},
         "adresse d'écoute du serveur (0.0.0.0 pour tout le réseau local)"},
        {"server.port", KeyType::Integer, [] { return std::string("8080"); }, 0, 65535, {},
         "port HTTP (0 : un port libre choisi au démarrage)"},
        {"server.threads", KeyType::Integer, [] { return std::string("8"); }, 1, 256, {},
         "nombre de requêtes HTTP servies en même temps (le serveur en ajoute quatre fois "
         "server.max_connections_per_address, pour que quelques postes à leur limite n'arrêtent pas les autres)"},
        {"server.request_timeout_s", KeyType::Integer, [] { return std::string("10"); }, 1, 600, {},
         "secondes qu'a un client pour envoyer l'en-tête d'une requête, et plus long silence admis au milieu "
         "d'une requête : au-delà, la connexion est fermée (un client lent ou muet ne garde pas un fil du serveur)"},
        {"server.max_connections_per_address", KeyType::Integer, [] { return std::string("8"); }, 0, 10000, {},
         "connexions ouvertes en même temps depuis une même adresse (hors mandataires de confiance) : au-delà, "
         "la connexion est refusée aussitôt (503) ; 0 : pas de limite"},
        {"server.trusted_proxies", KeyType::Addresses, [] { return std::string(); }, 0, 0, {},
         "adresses IP des mandataires inverses (nginx) devant le serveur, séparées par des virgules, par exemple "
         "127.0.0.1 : leurs connexions ne sont pas limitées, et l'adresse du client est prise dans leur X-Forwarded-For"},
        {"server.tls_certificate", KeyType::Path, [] { return std::string(); }, 0, 0, {},
         "certificat TLS (PEM) : avec server.tls_key, le serveur parle HTTPS"},
        {"server.tls_key", KeyType::Path, [] { return std::string(); }, 0, 0, {}, "clé privée du certificat TLS (PEM)"},
        {"data.dir", KeyType::Path, [] { return Poco::Path(Poco::Path::dataHome()).append("comptoir").toString(); },
         0, 0, {}, "dossier des données (base, pages numérisées)"},
        {"plugins.dir", KeyType::Path, [] { return InstallPaths::detect().plugins_dir; }, 0, 0, {},
         "dossier des greffons (*.so)"},
        {"plugins.allow", KeyType::List, [] { return std::string("*"); }, 0, 0, {},
         "identifiants des greffons activés, séparés par des virgules ; * pour tous"},
        {"plugins.timeout_ms", KeyType::Integer, [] { return std::string("2000"); }, 50, 600000, {},
         "millisecondes qu'un greffon a pour examiner ou lire un document : au-delà, son processus est arrêté "
         "et le document n'est pas lu par lui"},
        {"plugins.rules_dir", KeyType::Path, [] { return InstallPaths::detect().rules_dir; }, 0, 0, {},
         "dossier des définitions de partenaires sans compilateur (*.yaml) et de leurs modèles de courrier, "
         "lu par le module rules : un greffon par définition"},
        {"templates.dir", KeyType::Path, [] { return std::string(); }, 0, 0, {},
         "dossier des modèles de courrier propres au site (prioritaires)"},
        {"web.dir", KeyType::Path, [] { return InstallPaths::detect().web_dir; }, 0, 0, {},
         "dossier des pages web servies"},
        {"scanners.config_dir", KeyType::Path, [] { return std::string(); }, 0, 0, {},
         "dossier de configuration SANE (dll.conf…) ; vide : celui du système (/etc/sane.d)"},
        {"scanners.timeout_s", KeyType::Integer, [] { return std::string("20"); }, 1, 600, {},
         "secondes sans données avant de déclarer qu'un scanner a cessé d'envoyer"},
        {"ocr.languages", KeyType::Text, [] { return std::string("fra"); }, 0, 0, {},
         "langues de Tesseract, par exemple fra+eng"},
        {"ocr.engines", KeyType::Integer, cores, 1, 64, {}, "nombre de moteurs OCR (par défaut : le nombre de cœurs)"},
        {"twoddoc.certificates_dir", KeyType::Path, [] { return std::string(); }, 0, 0, {},
         "dossier des certificats de signature 2D-Doc du site (comptoir admin certificates import) ; "
         "vide : data.dir/certificats-2ddoc, créé au besoin ; le certificat de test FR00 est toujours connu"},
        {"twoddoc.trust_list", KeyType::Path,
         [] { return Poco::Path(InstallPaths::detect().twoddoc_dir).append("tsl_signed.xml").toString(); }, 0, 0, {},
         "liste de confiance de l'ANTS (XML) : les autorités de certification 2D-Doc reconnues"},
        {"twoddoc.search_ms", KeyType::Integer, [] { return std::string("150"); }, 0, 10000, {},
         "temps maximal de recherche d'un code 2D-Doc par page, en millisecondes (0 : pas de recherche)"},
        {"auth.idle_minutes", KeyType::Integer, [] { return std::string("30"); }, 1, 1440, {},
         "minutes sans activité après lesquelles une session se ferme"},
        {"auth.idle_seconds", KeyType::Integer, [] { return std::string("0"); }, 0, 86400, {},
         "secondes sans activité après lesquelles une session se ferme, à la place de auth.idle_minutes "
         "(pour les essais) ; 0 : auth.idle_minutes s'applique"},
        {"auth.free_failures_per_login", KeyType::Integer, [] { return std::string("3"); }, 1, 100, {},
         "échecs de connexion sur un compte, en 15 minutes, avant que chaque essai suivant attende "
         "(1 s, puis 2 s, 4 s… au plus 60 s) ; jamais de blocage"},
        {"auth.free_failures_per_address", KeyType::Integer, [] { return std::string("20"); }, 1, 10000, {},
         "échecs de connexion depuis une adresse, en 15 minutes, avant que ses essais attendent de même"},
        {"auth.password_dictionary", KeyType::Path,
         [] { return Poco::Path(InstallPaths::detect().passwords_dir).append("comptoir-dict").toString(); }, 0, 0, {},
         "dictionnaire cracklib des mots de passe courants (sans extension : .pwd, .pwi, .hwm), "
         "refusés comme nouveaux mots de passe"},
        {"accounts.demo", KeyType::Text, [] { return std::string(); }, 0, 0, {},
         "identifiant:mot_de_passe d'un compte médiateur créé au démarrage s'il n'existe pas (démonstration)"},
        {"database.engine", KeyType::Choice, [] { return std::string("sqlite"); }, 0, 0, {"sqlite", "postgresql"},
         "base des dossiers : sqlite (un fichier dans data.dir) ou postgresql (database.connection)"},
        {"database.connection", KeyType::Text, [] { return std::string(); }, 0, 0, {},
         "PostgreSQL : chaîne de connexion libpq, par exemple « host=/run/postgresql dbname=comptoir user=comptoir »"},
        {"cluster.heartbeat_seconds", KeyType::Integer, [] { return std::string("5"); }, 1, 3600, {},
         "secondes entre deux signes de vie d'une instance dans la base (plusieurs instances sur PostgreSQL)"},
        {"cluster.lease_seconds", KeyType::Integer, [] { return std::string("30"); }, 2, 86400, {},
         "secondes sans signe de vie après lesquelles une instance est tenue pour arrêtée : "
         "ses lectures en cours reprennent ailleurs"},
        {"cluster.poll_ms", KeyType::Integer, [] { return std::string("1000"); }, 50, 60000, {},
         "millisecondes entre deux regards sur la file des lectures en attente (déposées par une autre instance)"},
        {"jobs.max_attempts", KeyType::Integer, [] { return std::string("3"); }, 1, 100, {},
         "essais de lecture d'un document avant de le déclarer illisible (un document qui arrête le serveur "
         "n'est pas relu sans fin)"},
        {"retention.after_close_hours", KeyType::Integer, [] { return std::string("24"); }, 0, 8760, {},
         "heures après la clôture d'un dossier au bout desquelles ses images, textes, champs et courriers sont effacés"},
        {"retention.max_days", KeyType::Integer, [] { return std::string("7"); }, 1, 3650, {},
         "jours après son ouverture au bout desquels un dossier est effacé, même s'il n'est pas clos"},
        {"retention.check_minutes", KeyType::Integer, [] { return std::string("10"); }, 1, 1440, {},
         "minutes entre deux passages de l'effacement des dossiers échus"},
        {"storage.encryption", KeyType::Choice, [] { return std::string("on"); }, 0, 0, {"on", "off"},
         "chiffrement AES-256-GCM des fichiers des dossiers (pages, courriers) : on ou off"},
        {"storage.key_file", KeyType::Path, [] { return std::string(); }, 0, 0, {},
         "fichier de la clé de chiffrement (comptoir admin new-key) ; vide : data.dir/spool.key, créée avec le dossier"},
        {"storage.previous_key_file", KeyType::Path, [] { return std::string(); }, 0, 0, {},
         "clé précédente, pour lire les fichiers écrits avant un changement de clé (comptoir admin rekey)"},
        {"limits.max_pixels", KeyType::Integer, [] { return std::string("100000000"); }, 1, 2000000000, {},
         "nombre maximal de pixels d'une page"},
        {"limits.max_pages", KeyType::Integer, [] { return std::string("50"); }, 1, 10000, {},
         "nombre maximal de pages d'un document"},
        {"limits.document_pixels", KeyType::Integer, [] { return std::string("300000000"); }, 1000000, 20000000000LL, {},
         "nombre maximal de pixels de toutes les pages d'un document ensemble, une fois décodées (au-delà : "
         "« Ce fichier est trop lourd à lire »)"},
        {"limits.server_pixels", KeyType::Integer, [] { return std::string("200000000"); }, 1000000, 20000000000LL, {},
         "nombre maximal de pixels de pages décodées que le serveur garde en même temps, toutes lectures et pages "
         "affichées confondues (les suivantes attendent)"},
        {"limits.decode_memory_mb", KeyType::Integer, [] { return std::string("1024"); }, 128, 65536, {},
         "mémoire (Mo d'espace d'adressage) d'un processus qui décode un fichier ; au-delà, le fichier est "
         "« trop lourd à lire » (sans effet dans la version compilée avec les sanitizers)"},
        {"reading.timeout_s", KeyType::Integer, [] { return std::string("120"); }, 1, 3600, {},
         "secondes au bout desquelles une lecture est arrêtée et échoue (son moteur est libéré)"},
        {"limits.upload_bytes", KeyType::Integer, [] { return std::string("31457280"); }, 1024, 2000000000, {},
         "taille maximale d'un fichier déposé, en octets (30 Mo par défaut)"},
        {"recognition.threshold", KeyType::Decimal, [] { return std::string("0.5"); }, 0, 1, {},
         "score minimal (0 à 1) pour qu'un greffon reconnaisse un document"},
        {"log.level", KeyType::Choice, [] { return std::string("information"); }, 0, 0,
         {"error", "warning", "notice", "information", "debug"}, "niveau du journal"},
        {"site.name", KeyType::Text, [] { return std::string(); }, 0, 0, {}, "nom du site (PIMMS)"},
        {"site.address", KeyType::Text, [] { return std::string(); }, 0, 0, {}, "adresse postale du site"},
        {"site.city", KeyType::Text, [] { return std::string(); }, 0, 0, {}, "ville, pour « Lorient, le … »"},
        {"site.phone", KeyType::Text, [] { return std::string(); }, 0, 0, {}, "téléphone du site"},
        {"site.departement", KeyType::Text, [] { return std::string(); }, 0, 0, {},
         "département du site (56, 2A, 974…) ; vide : celui du code postal de site.address. Entre plusieurs "
         "organismes d'un même type (offices.<id>.*), les courriers vont à celui de ce département"},
    };
    return specs;
}

// stations.<id>.<attribute>
const std::vector<KeySpec>& station_specs() {
    static const std::vector<KeySpec> specs = {
        {"label", KeyType::Text, [] { return std::string(); }, 0, 0, {}, "nom du poste affiché au médiateur"},
        {"device", KeyType::Text, [] { return std::string(); }, 0, 0, {}, "nom SANE exact du scanner"},
        {"match", KeyType::Text, [] { return std::string(); }, 0, 0, {},
         "motif fabricant/modèle du scanner (si le nom change)"},
        {"resolution", KeyType::Integer, [] { return std::string("300"); }, 50, 1200, {}, "résolution en dpi"},
        {"mode", KeyType::Text, [] { return std::string("Gray"); }, 0, 0, {}, "mode SANE : Gray, Color, Lineart"},
        {"source", KeyType::Text, [] { return std::string(); }, 0, 0, {}, "source SANE : Flatbed, ADF…"},
        {"preview_resolution", KeyType::Integer, [] { return std::string("75"); }, 25, 600, {},
         "résolution de l'aperçu en dpi"},
    };
    return specs;
}

const KeySpec* find_spec(const std::vector<KeySpec>& specs, const std::string& key) {
    for (const auto& spec : specs) {
        if (key == spec.key) return &spec;
    }
    return nullptr;
}

std::string closest_key(const std::string& key) {
    std::string best;
    size_t best_distance = 4;
    for (const auto& spec : key_specs()) {
        const size_t distance = text::edit_distance(key, std::string(spec.key));
        if (distance < best_distance) {
            best_distance = distance;
            best = spec.key;
        }
    }
    return best;
}

const std::regex& station_key_pattern() {
    static const std::regex pattern(R"(stations\.([a-z0-9_-]+)\.(.+))");
    return pattern;
}

std::string quote(const std::string& text) { return "« " + text + " »"; }

// A plugin's own setting (ABI 1.3): plugins.<id>.<key>, handed to its init as is.
const std::regex& plugin_setting_pattern() {
    static const std::regex pattern(R"(plugins\.([a-z0-9_]+)\.([a-z0-9_.]+))");
    return pattern;
}

// The former one-string addresses, read into the directory of offices (offices.hpp).
bool is_former_office_key(const std::string& key) { return key == "site.caf_address" || key == "site.fsl_address"; }

bool is_directory_key(const std::string& key) {
    return key.rfind("offices.", 0) == 0 || is_former_office_key(key) || key == "site.departement";
}

}  // namespace

Config::Config() {
    for (const auto& spec : key_specs()) values_[spec.key] = spec.default_value();
}

Config Config::load(const std::string& path) {
    Config config;
    config.file_ = Poco::Path(path).absolute().toString();
    config.base_dir_ = Poco::Path(config.file_).parent().toString();

    std::ifstream probe(path);
    if (!probe) {
        throw ConfigError(path + " : fichier de configuration introuvable ou illisible");
    }
    Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> properties;
    try {
        properties = new Poco::Util::PropertyFileConfiguration(path);
    } catch (const Poco::Exception& error) {
        throw ConfigError(path + " : fichier de configuration illisible : " + error.displayText());
    }

    const std::vector<std::string> keys = all_keys(*properties);

    std::vector<std::string> errors;
    for (const auto& key : keys) {
        config.validate_and_store(key, Poco::trim(properties->getRawString(key, "")), errors);
    }
    config.read_directory(errors);
    if (errors.empty() && config.database_engine() == "postgresql" && config.database_connection().empty()) {
        errors.push_back("database.engine = postgresql demande database.connection (par exemple "
                         "« host=/run/postgresql dbname=comptoir user=comptoir »)");
    }
    if (errors.empty() && config.cluster_lease_seconds() <= config.cluster_heartbeat_seconds()) {
        errors.push_back("cluster.lease_seconds doit dépasser cluster.heartbeat_seconds (sinon une instance vivante "
                         "serait tenue pour arrêtée entre deux signes de vie)");
    }
    if (!errors.empty()) {
        std::string message;
        for (const auto& error : errors) {
            if (!message.empty()) message += "\n";
            message += path + " : " + error;
        }
        throw ConfigError(message);
    }
    return config;
}

void Config::set(const std::string& key, const std::string& value) {
    std::vector<std::string> errors;
    const auto stored = values_.find(key);
    const std::optional<std::string> previous =
        stored == values_.end() ? std::nullopt : std::optional<std::string>(stored->second);
    validate_and_store(key, value, errors);
    if (errors.empty() && is_directory_key(key)) {
        read_directory(errors);
        if (!errors.empty()) {  // the directory as it was
            if (previous) values_[key] = *previous; else values_.erase(key);
            std::vector<std::string> ignored;
            read_directory(ignored);
        }
    }
    if (!errors.empty()) {
        throw ConfigError((file_.empty() ? std::string("configuration") : file_) + " : " + errors.front());
    }
}

void Config::validate_and_store(const std::string& key, const std::string& value, std::vector<std::string>& errors) {
    if (key.rfind("offices.", 0) == 0 || is_former_office_key(key)) {
        values_[key] = value;  // checked with its entry by read_directory
        return;
    }
    const KeySpec* spec = find_spec(key_specs(), key);
    std::smatch match;
    if (!spec && std::regex_match(key, match, plugin_setting_pattern())) {
        values_[key] = value;  // the plugin's to check
        return;
    }
    if (!spec && std::regex_match(key, match, station_key_pattern())) {
        const std::string attribute = match[2];
        if (attribute.rfind("options.", 0) == 0 && attribute.size() > 8) {
            values_[key] = value;  // passed to the SANE backend as is
            return;
        }
        spec = find_spec(station_specs(), attribute);
        if (!spec) {
            errors.push_back("clé inconnue " + quote(key) + " (attributs d'un poste : label, device, match, "
                             "resolution, mode, source, preview_resolution, options.<nom>)");
            return;
        }
    }
    if (!spec) {
        std::string error = "clé inconnue " + quote(key);
        if (key.rfind("stations.", 0) == 0) {
            error += " (un poste s'écrit stations.<id>.<attribut>, id en minuscules, chiffres, - ou _)";
        } else if (const std::string suggestion = closest_key(key); !suggestion.empty()) {
            error += " (vouliez-vous dire " + quote(suggestion) + " ?)";
        }
        errors.push_back(error);
        return;
    }

    const std::string bad = "valeur invalide pour " + quote(key) + " : " + quote(value) + " (attendu : ";
    switch (spec->type) {
    case KeyType::Integer: {
        Poco::Int64 number = 0;
        if (!Poco::NumberParser::tryParse64(value, number) || number < spec->min || number > spec->max) {
            errors.push_back(bad + "un entier de " + std::to_string(spec->min) + " à " + std::to_string(spec->max) + ")");
            return;
        }
        values_[key] = std::to_string(number);
        return;
    }
    case KeyType::Decimal: {
        double number = 0;
        if (!Poco::NumberParser::tryParseFloat(value, number) || number < static_cast<double>(spec->min) ||
            number > static_cast<double>(spec->max)) {
            errors.push_back(bad + "un nombre de " + std::to_string(spec->min) + " à " + std::to_string(spec->max) + ")");
            return;
        }
        values_[key] = value;
        return;
    }
    case KeyType::Choice:
        if (std::find(spec->choices.begin(), spec->choices.end(), value) == spec->choices.end()) {
            std::string choices;
            for (const auto& choice : spec->choices) choices += (choices.empty() ? "" : ", ") + choice;
            errors.push_back(bad + "l'une des valeurs " + choices + ")");
            return;
        }
        values_[key] = value;
        return;
    case KeyType::Path:
        if (value.empty()) {
            values_[key] = value;
            return;
        }
        try {
            Poco::Path path(value);
            if (path.isRelative() && !base_dir_.empty()) path.makeAbsolute(Poco::Path(base_dir_));
            values_[key] = path.toString();
        } catch (const Poco::PathSyntaxException&) {
            errors.push_back(bad + "un chemin de fichier)");
        }
        return;
    case KeyType::List:
        for (const auto& item : Poco::StringTokenizer(value, ",", Poco::StringTokenizer::TOK_TRIM |
                                                                     Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
            if (item != "*" && !std::regex_match(item, std::regex("[a-z0-9_]+"))) {
                errors.push_back(bad + "des identifiants de greffons séparés par des virgules, ou *)");
                return;
            }
        }
        values_[key] = value;
        return;
    case KeyType::Addresses:
        for (const auto& item : Poco::StringTokenizer(value, ",", Poco::StringTokenizer::TOK_TRIM |
                                                                     Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
            Poco::Net::IPAddress address;
            if (!Poco::Net::IPAddress::tryParse(item, address)) {
                errors.push_back(bad + "des adresses IP séparées par des virgules, par exemple 127.0.0.1, ::1)");
                return;
            }
        }
        values_[key] = value;
        return;
    case KeyType::Text:
    case KeyType::None:
        values_[key] = value;
        return;
    }
}

std::string Config::string(const std::string& key) const {
    const auto it = values_.find(key);
    if (it != values_.end()) return it->second;
    std::smatch match;
    if (std::regex_match(key, match, station_key_pattern())) {
        if (const KeySpec* spec = find_spec(station_specs(), match[2])) return spec->default_value();
        return {};
    }
    throw ConfigError("clé de configuration inconnue " + quote(key));
}

void Config::read_directory(std::vector<std::string>& errors) {
    OfficeNotes notes;
    offices_ = read_offices(values_, notes);
    errors.insert(errors.end(), notes.errors.begin(), notes.errors.end());
    warnings_ = std::move(notes.warnings);
    if (const std::string departement = string("site.departement"); !departement.empty() && departement_code(departement).empty()) {
        errors.push_back("valeur invalide pour « site.departement » : " + quote(departement) +
                         " (attendu : un numéro de département, par exemple 56, 2A ou 974)");
    }
}

std::string Config::site_departement() const {
    if (const std::string departement = string("site.departement"); !departement.empty()) return departement_code(departement);
    return departement_of_postcode(office_from_text(site_address()).postcode);
}

int64_t Config::integer(const std::string& key) const { return Poco::NumberParser::parse64(string(key)); }

std::string Config::twoddoc_certificates_dir() const {
    const std::string configured = string("twoddoc.certificates_dir");
    return configured.empty() ? Poco::Path(data_dir()).makeDirectory().append("certificats-2ddoc").toString() : configured;
}

double Config::recognition_threshold() const { return Poco::NumberParser::parseFloat(string("recognition.threshold")); }

std::vector<std::string> Config::list(const std::string& key) const {
    std::vector<std::string> items;
    for (const auto& item : Poco::StringTokenizer(string(key), ",",
                                                  Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
        items.push_back(item);
    }
    return items;
}

std::vector<std::string> Config::plugins_allow() const { return list("plugins.allow"); }

std::map<std::string, std::map<std::string, std::string>> Config::plugin_settings() const {
    std::map<std::string, std::map<std::string, std::string>> out;
    for (const auto& [key, value] : values_) {
        std::smatch match;
        if (std::regex_match(key, match, plugin_setting_pattern()) && !find_spec(key_specs(), key)) {
            out[match[1]][match[2]] = value;
        }
    }
    return out;
}

std::vector<std::string> Config::server_trusted_proxies() const { return list("server.trusted_proxies"); }

std::vector<scanners::StationSettings> Config::stations() const {
    std::map<std::string, scanners::StationSettings> stations;
    for (const auto& [key, value] : values_) {
        std::smatch match;
        if (!std::regex_match(key, match, station_key_pattern())) continue;
        const std::string id = match[1];
        stations[id].id = id;
    }
    std::vector<scanners::StationSettings> out;
    for (auto& [id, station] : stations) {
        const std::string prefix = "stations." + id + ".";
        station.label = string(prefix + "label");
        if (station.label.empty()) station.label = id;
        station.device = string(prefix + "device");
        station.match = string(prefix + "match");
        station.resolution_dpi = static_cast<int>(integer(prefix + "resolution"));
        station.mode = string(prefix + "mode");
        station.source = string(prefix + "source");
        station.preview_resolution_dpi = static_cast<int>(integer(prefix + "preview_resolution"));
        for (const auto& [key, value] : values_) {
            const std::string options_prefix = prefix + "options.";
            if (key.rfind(options_prefix, 0) == 0) station.options[key.substr(options_prefix.size())] = value;
        }
        out.push_back(std::move(station));
    }
    return out;
}

std::vector<Config::KeyDoc> Config::documentation() {
    std::vector<KeyDoc> docs;
    for (const auto& spec : key_specs()) docs.push_back({spec.key, spec.default_value(), spec.description_fr});
    for (const auto& spec : station_specs()) {
        docs.push_back({std::string("stations.<id>.") + spec.key, spec.default_value(), spec.description_fr});
    }
    docs.push_back({"stations.<id>.options.<nom>", "", "option passée telle quelle au pilote SANE"});
    docs.push_back({"plugins.<id>.<clé>", "", "réglage passé tel quel au greffon <id> (ou au module <id>.so) à son "
                                                "initialisation"});
    for (const auto& [attribute, description] : office_attributes()) {
        docs.push_back({"offices.<id>." + attribute, "", "annuaire des organismes : " + description});
    }
    return docs;
}

}  // namespace comptoir
