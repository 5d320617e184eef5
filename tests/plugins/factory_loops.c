/* ABI 1.3: a module whose factory's init never returns (an endless loop): the host, which never
 * runs a partner's init itself, refuses the module after plugins.timeout_ms and loads the others.
 * Its plugin, "loops_never", would be fine: it is never reached. */
#include "c_table.h"

static volatile unsigned long turns;

static comptoir_status module_init(const comptoir_host *host) {
    (void)host;
    for (;;) ++turns;
    return COMPTOIR_STATUS_OK;
}

static const comptoir_plugin table = TEST_TABLE("loops_never", COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR);

static size_t plugin_count(void) { return 1; }
static const comptoir_plugin *plugin(size_t index) { return index == 0 ? &table : NULL; }

static const comptoir_plugin_factory factory = {sizeof(comptoir_plugin_factory), COMPTOIR_PLUGIN_ABI_MAJOR,
                                                COMPTOIR_PLUGIN_ABI_MINOR, module_init, plugin_count, plugin};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin_factory *comptoir_plugin_factory_entry(void) { return &factory; }
