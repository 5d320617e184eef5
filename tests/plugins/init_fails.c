/* Its init refuses to start (a missing data file, say). */
#include "c_table.h"

static comptoir_status init_fails(const comptoir_host *host) {
    host->log(host, NULL, COMPTOIR_LOG_ERROR, "fichier de données introuvable");
    return COMPTOIR_STATUS_ERROR;
}

static const comptoir_plugin table = {
    sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR, "init_fails", "Test", "0.0.1", 0u,
    NULL, 0, test_fields, 1, NULL, 0, init_fails, test_recognise, test_extract};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
