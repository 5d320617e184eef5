/* A plugin built against an older, smaller table (ABI 1.0 without the members a later minor
 * may append): accepted as long as the major matches. Here: same major, minor 0, the size of
 * the 1.0 table. */
#include "c_table.h"

static const comptoir_plugin table = TEST_TABLE("older_minor", COMPTOIR_PLUGIN_ABI_MAJOR, 0);

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
