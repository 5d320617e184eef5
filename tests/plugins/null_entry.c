/* Its entry returns NULL. */
#include "c_table.h"

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return NULL; }
