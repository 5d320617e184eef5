/* Its id is empty. */
#include "c_table.h"

static const comptoir_plugin table = TEST_TABLE("", COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR);

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
