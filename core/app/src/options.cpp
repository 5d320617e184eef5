#include "comptoir/app/options.hpp"

#include "comptoir/app/paths.hpp"

#include <Poco/Path.h>

#include <algorithm>


namespace comptoir {

PipelineOptions pipeline_options(const Config& config) {
    PipelineOptions options;
    options.ocr_languages = config.ocr_languages();
    options.ocr_engines = config.ocr_engines();
    options.max_pixels = config.max_pixels();
    options.max_pages = config.max_pages();
    options.document_pixels = config.document_pixels();
    options.server_pixels = config.server_pixels();
    options.reading_timeout_s = config.reading_timeout_s();
    // Every job worker but one may read a heavy file (core/cases: engines + 1 workers).
    options.heavy_readings = std::max(1, config.ocr_engines());
    options.decoder.memory_bytes = config.decode_memory_mb() << 20;
    // Each request (opening a file, a page) gets the reading's time in CPU time at most.
    options.decoder.cpu_seconds = config.reading_timeout_s();
    options.decoder.children = config.ocr_engines() + 3;  // the readings, and a few page views
    options.twoddoc_search_ms = config.twoddoc_search_ms();
    options.recognition_threshold = config.recognition_threshold();
    options.twoddoc.shipped_dir = InstallPaths::detect().twoddoc_dir;
    options.twoddoc.certificates_dir = config.twoddoc_certificates_dir();
    options.twoddoc.create_certificates_dir = config.twoddoc_certificates_dir_is_default();
    options.twoddoc.trust_list = config.twoddoc_trust_list();
    return options;
}

PluginIsolation plugin_isolation(const Config& config) {
    PluginIsolation isolation;
    isolation.timeout = std::chrono::milliseconds(config.plugins_timeout_ms());
    return isolation;
}

PluginSettings plugin_settings(const Config& config) {
    PluginSettings settings = config.plugin_settings();
    // The rules module (plugins/rules) reads its definitions there.
    if (!config.plugins_rules_dir().empty()) settings["rules"]["dir"] = config.plugins_rules_dir();
    return settings;
}

LetterOptions letter_options(const Config& config) {
    LetterOptions options;
    // The site's own templates first, then the plugins' (installed beside them, in
    // <plugins.dir>/templates), then the project's.
    if (!config.templates_dir().empty()) options.template_folders.push_back(config.templates_dir());
    options.template_folders.push_back(
        Poco::Path(config.plugins_dir()).makeDirectory().pushDirectory("templates").toString());
    // The letters of the rules module's definitions, beside them.
    if (!config.plugins_rules_dir().empty()) options.template_folders.push_back(config.plugins_rules_dir());
    options.template_folders.push_back(InstallPaths::detect().templates_dir);
    options.site = SiteIdentity{config.site_name(),  config.site_address(), config.site_city(),
                                config.site_phone(), config.offices(),      config.site_departement()};
    return options;
}

SpoolCrypto::Options storage_options(const Config& config) {
    SpoolCrypto::Options options;
    options.enabled = config.string("storage.encryption") != "off";
    options.key_file = config.string("storage.key_file");
    options.previous_key_file = config.string("storage.previous_key_file");
    options.data_dir = config.data_dir();
    return options;
}

DeskOptions desk_options(const Config& config) {
    DeskOptions options;
    options.data_dir = config.data_dir();
    options.database_engine = config.database_engine();
    options.database_connection = config.database_connection();
    options.auth_idle_minutes = config.auth_idle_minutes();
    options.auth_idle_seconds = config.auth_idle_seconds();
    options.auth_password_dictionary = config.auth_password_dictionary();
    options.auth_free_failures_per_login = config.auth_free_failures_per_login();
    options.auth_free_failures_per_address = config.auth_free_failures_per_address();
    options.upload_max_bytes = config.upload_max_bytes();
    options.demo_account = config.accounts_demo();
    // Reading waits on the OCR pool and scanning on the stations' own threads: one job thread
    // more than there are engines keeps every engine and every station busy (the desk runs two
    // at the least).
    options.workers = config.ocr_engines() + 1;
    options.cluster_heartbeat_seconds = config.cluster_heartbeat_seconds();
    options.cluster_lease_seconds = config.cluster_lease_seconds();
    options.cluster_poll_ms = config.cluster_poll_ms();
    options.jobs_max_attempts = config.jobs_max_attempts();
    options.retention = RetentionRules{config.retention_after_close_hours(), config.retention_max_days(),
                                       config.retention_check_minutes()};
    for (const auto& station : config.stations()) options.station_ids.push_back(station.id);
    options.storage = storage_options(config);
    options.pipeline = pipeline_options(config);
    options.letters = letter_options(config);
    return options;
}

ApiOptions api_options(const Config& config) {
    ApiOptions options;
    options.ocr_languages = config.ocr_languages();
    options.ocr_engines = config.ocr_engines();
    options.server_threads = config.server_threads();
    options.scanners_config_dir = config.scanners_config_dir();
    options.trusted_proxies = config.server_trusted_proxies();
    return options;
}

ServerOptions server_options(const Config& config) {
    ServerOptions options;
    options.host = config.server_host();
    options.port = config.server_port();
    options.threads = config.server_threads();
    options.web_dir = config.web_dir();
    options.request_timeout_s = config.server_request_timeout_s();
    options.max_connections_per_address = config.server_max_connections_per_address();
    options.trusted_proxies = config.server_trusted_proxies();
    options.tls_certificate = config.server_tls_certificate();
    options.tls_key = config.server_tls_key();
    return options;
}

}  // namespace comptoir
