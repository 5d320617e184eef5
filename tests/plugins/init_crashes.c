/* Its init crashes (SIGSEGV: a null pointer written through): the host, which never runs a
 * partner's init itself, refuses it with the signal and loads the others. */
#include "c_table.h"

static int *volatile nowhere = NULL;  /* volatile: the compiler cannot see the crash coming */

static comptoir_status init_crashes(const comptoir_host *host) {
    (void)host;
    *nowhere = 1;
    return COMPTOIR_STATUS_OK;
}

static const comptoir_plugin table = {
    sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR, "init_crashes", "Test", "0.0.1", 0u,
    NULL, 0, test_fields, 1, NULL, 0, init_crashes, test_recognise, test_extract};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
