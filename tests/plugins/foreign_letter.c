/* Offers a letter whose id does not start with its own id: another partner's template. */
#include "c_table.h"

static const comptoir_letter_decl letters[] = {{"caf.recours_amiable", NULL}};
static const comptoir_plugin table = {
    sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR, "foreign_letter", "Test", "0.0.1", 0u,
    NULL, 0, test_fields, 1, letters, 1, NULL, test_recognise, test_extract};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
