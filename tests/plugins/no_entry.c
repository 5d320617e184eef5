/* Exports a misspelt entry: the host must refuse it for the missing symbol. */
#include "c_table.h"

static const comptoir_plugin table = TEST_TABLE("no_entry", COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR);

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entree(void) { return &table; }
