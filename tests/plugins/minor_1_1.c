/* A plugin built against ABI 1.1, before the evidence and the field specs: its plugin table
 * ends at `extract` and its fields at `barcode`. The structs are the 1.1 ones, as a 1.1 SDK
 * declared them (frozen_abi.h), so that nothing of 1.2 lies in its memory: the host must read no
 * member beyond the sizes it is given, load it, and take its fields with no evidence (but the
 * one it infers from a 2D-Doc source). */
#include "frozen_abi.h"

#include <comptoir/plugin.h>

#include <stddef.h>

static const comptoir_kind_decl kinds[] = {{"minor_1_1.document", "Document 1.1"}};
static const comptoir_field_decl fields[] = {{"numero", "Numéro", COMPTOIR_FIELD_IDENTIFIER},
                                             {"reference", "Référence", COMPTOIR_FIELD_IDENTIFIER}};

static comptoir_status recognise(const comptoir_host *host, comptoir_document *doc) {
    return host->add_candidate(doc, "minor_1_1.document", 0.7f);
}

static comptoir_status extract(const comptoir_host *host, comptoir_document *doc, const char *kind) {
    (void)kind;
    field_1_1 numero = {sizeof(field_1_1), "numero", "42", "4 2", 0.9f, 1, {10, 20, 30, 40},
                        COMPTOIR_CHECK_UNCHECKED, NULL, COMPTOIR_SOURCE_OCR, 0};
    field_1_1 reference = {sizeof(field_1_1), "reference", "AB12", NULL, 0.8f, 0, {0, 0, 0, 0},
                           COMPTOIR_CHECK_UNCHECKED, NULL, COMPTOIR_SOURCE_2DDOC, 0};
    comptoir_status status = host->add_field(doc, (const comptoir_field *)&numero);
    if (status != COMPTOIR_STATUS_OK) return status;
    return host->add_field(doc, (const comptoir_field *)&reference);
}

static const plugin_1_1 table = {sizeof(plugin_1_1), COMPTOIR_PLUGIN_ABI_MAJOR, 1, "minor_1_1", "Test", "1.1.0", 0u,
                                 kinds, 1, fields, 2, NULL, 0, NULL, recognise, extract};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return (const comptoir_plugin *)&table; }
