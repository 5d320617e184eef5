/* Built against a newer minor than the host's: the host must refuse it. */
#include "c_table.h"

static const comptoir_plugin table =
    TEST_TABLE("abi_minor_newer", COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR + 1);

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
