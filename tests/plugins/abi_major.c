/* Built against a future ABI major: the host must refuse it. */
#include "c_table.h"

static const comptoir_plugin table = TEST_TABLE("abi_major", COMPTOIR_PLUGIN_ABI_MAJOR + 1, 0);

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
