// The configuration: one Poco properties file (comptoir.properties). Every key has a default
// that works on a fresh machine; an unknown key or a bad value is a ConfigError naming the
// key and the file. Relative paths in the file are relative to the file's folder.
#pragma once

#include "comptoir/letters/offices.hpp"
#include "comptoir/scanners.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace comptoir {

class Config {
public:
    // The defaults alone (no file).
    Config();

    // Reads and validates `path`. Throws ConfigError listing every problem found.
    static Config load(const std::string& path);

    // Overrides one key as if it were in the file (validated; ConfigError when bad).
    void set(const std::string& key, const std::string& value);

    const std::string& file() const { return file_; }  // empty when defaults only

    std::string server_host() const { return string("server.host"); }
    uint16_t server_port() const { return static_cast<uint16_t>(integer("server.port")); }
    int server_threads() const { return static_cast<int>(integer("server.threads")); }
    int server_request_timeout_s() const { return static_cast<int>(integer("server.request_timeout_s")); }
    int server_max_connections_per_address() const { return static_cast<int>(integer("server.max_connections_per_address")); }
    // The reverse proxies' addresses (server.trusted_proxies), as written: IPv4 or IPv6.
    std::vector<std::string> server_trusted_proxies() const;
    std::string server_tls_certificate() const { return string("server.tls_certificate"); }
    std::string server_tls_key() const { return string("server.tls_key"); }
    std::string data_dir() const { return string("data.dir"); }
    std::string plugins_dir() const { return string("plugins.dir"); }
    std::vector<std::string> plugins_allow() const;  // {"*"} means all
    int plugins_timeout_ms() const { return static_cast<int>(integer("plugins.timeout_ms")); }
    std::string plugins_rules_dir() const { return string("plugins.rules_dir"); }
    // ABI 1.3: the lines plugins.<id>.<key> = value, by plugin (or module) id then key.
    std::map<std::string, std::map<std::string, std::string>> plugin_settings() const;
    std::string templates_dir() const { return string("templates.dir"); }
    std::string web_dir() const { return string("web.dir"); }
    std::string scanners_config_dir() const { return string("scanners.config_dir"); }
    int scanners_timeout_s() const { return static_cast<int>(integer("scanners.timeout_s")); }
    std::string ocr_languages() const { return string("ocr.languages"); }
    int ocr_engines() const { return static_cast<int>(integer("ocr.engines")); }
    int64_t max_pixels() const { return integer("limits.max_pixels"); }
    int64_t upload_max_bytes() const { return integer("limits.upload_bytes"); }
    int max_pages() const { return static_cast<int>(integer("limits.max_pages")); }
    int64_t document_pixels() const { return integer("limits.document_pixels"); }
    int64_t server_pixels() const { return integer("limits.server_pixels"); }
    int64_t decode_memory_mb() const { return integer("limits.decode_memory_mb"); }
    int reading_timeout_s() const { return static_cast<int>(integer("reading.timeout_s")); }
    double recognition_threshold() const;
    std::string log_level() const { return string("log.level"); }
    // twoddoc.certificates_dir, else data.dir/certificats-2ddoc (the default folder).
    std::string twoddoc_certificates_dir() const;
    bool twoddoc_certificates_dir_is_default() const { return string("twoddoc.certificates_dir").empty(); }
    std::string twoddoc_trust_list() const { return string("twoddoc.trust_list"); }
    int twoddoc_search_ms() const { return static_cast<int>(integer("twoddoc.search_ms")); }
    std::string database_engine() const { return string("database.engine"); }
    std::string database_connection() const { return string("database.connection"); }
    int cluster_heartbeat_seconds() const { return static_cast<int>(integer("cluster.heartbeat_seconds")); }
    int cluster_lease_seconds() const { return static_cast<int>(integer("cluster.lease_seconds")); }
    int cluster_poll_ms() const { return static_cast<int>(integer("cluster.poll_ms")); }
    int jobs_max_attempts() const { return static_cast<int>(integer("jobs.max_attempts")); }
    int retention_after_close_hours() const { return static_cast<int>(integer("retention.after_close_hours")); }
    int retention_max_days() const { return static_cast<int>(integer("retention.max_days")); }
    int retention_check_minutes() const { return static_cast<int>(integer("retention.check_minutes")); }
    int auth_idle_minutes() const { return static_cast<int>(integer("auth.idle_minutes")); }
    int auth_idle_seconds() const { return static_cast<int>(integer("auth.idle_seconds")); }
    std::string auth_password_dictionary() const { return string("auth.password_dictionary"); }
    int auth_free_failures_per_login() const { return static_cast<int>(integer("auth.free_failures_per_login")); }
    int auth_free_failures_per_address() const { return static_cast<int>(integer("auth.free_failures_per_address")); }
    std::string accounts_demo() const { return string("accounts.demo"); }
    std::string site_name() const { return string("site.name"); }
    std::string site_address() const { return string("site.address"); }
    std::string site_city() const { return string("site.city"); }
    std::string site_phone() const { return string("site.phone"); }
    // site.departement, else the département of the postcode in site.address; "" when neither.
    std::string site_departement() const;
    // The directory of offices (offices.<id>.*, and the former site.caf_address,
    // site.fsl_address), in the order of their ids.
    const std::vector<Office>& offices() const { return offices_; }
    // What the file holds that works but should be mended (an office without a postcode, a
    // former key), in French: said at start.
    const std::vector<std::string>& warnings() const { return warnings_; }
    // The stations (stations.<id>.*), as the scanners component takes them.
    std::vector<scanners::StationSettings> stations() const;

    // Raw access, after validation and defaults.
    std::string string(const std::string& key) const;
    int64_t integer(const std::string& key) const;
    // A comma-separated value as its items, trimmed, empty ones left out.
    std::vector<std::string> list(const std::string& key) const;

    // Every key the file may hold, with its default and what it is for (for --help and docs).
    struct KeyDoc {
        std::string key;
        std::string default_value;
        std::string description_fr;
    };
    static std::vector<KeyDoc> documentation();

private:
    void validate_and_store(const std::string& key, const std::string& value, std::vector<std::string>& errors);
    // Reads the directory of offices and site.departement from values_ again.
    void read_directory(std::vector<std::string>& errors);

    std::string file_;
    std::string base_dir_;  // folder of the file, for relative paths
    std::map<std::string, std::string> values_;
    std::vector<Office> offices_;
    std::vector<std::string> warnings_;
};

}  // namespace comptoir
