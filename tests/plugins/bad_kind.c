/* Declares a document kind that does not start with its own id. */
#include "c_table.h"

static const comptoir_kind_decl kinds[] = {{"edf.facture", "Facture volée à un autre greffon"}};
static const comptoir_plugin table = {
    sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR, "bad_kind", "Test", "0.0.1", 0u,
    kinds, 1, test_fields, 1, NULL, 0, NULL, test_recognise, test_extract};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
