/* A plugin built against ABI 1.0, with the 1.0 structs as a 1.0 SDK declared them (copied here,
 * frozen), so that the host meets the real 1.0 sizes:
 *   - its plugin table ends at `extract`; what lies after it in memory is not the plugin's to
 *     give: here a spec for a key it never declared and a check that fails every value, which
 *     the host refuses or obeys if it reads one member too many;
 *   - its fields end at `source` (1.1 appended `barcode`, in what is the padding of a 1.0
 *     field on 64-bit machines): the padding of the field it reports from a 2D-Doc holds 1,
 *     the index of the document's only code, whose signature is refused; a host that read it
 *     as `barcode` would refuse the value. Read as a 1.0 plugin's, the value is weighed as if
 *     its code's certificate were unknown. */
#include "frozen_abi.h"

#include <comptoir/plugin.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const comptoir_kind_decl kinds[] = {{"older_minor.document", "Document 1.0"}};
static const comptoir_field_decl fields[] = {{"numero", "Numéro", COMPTOIR_FIELD_IDENTIFIER},
                                             {"reference", "Référence", COMPTOIR_FIELD_IDENTIFIER}};
static const comptoir_field_spec trap_specs[] = {
    {sizeof(comptoir_field_spec), "piege", 0, 0, COMPTOIR_ALPHABET_DIGITS}};

static comptoir_check fails_everything(const char *key, const char *value) {
    (void)key;
    (void)value;
    return COMPTOIR_CHECK_FAILED;
}

static comptoir_status recognise(const comptoir_host *host, comptoir_document *doc) {
    return host->add_candidate(doc, "older_minor.document", 0.7f);
}

/* A 1.0 field whose padding holds `padding`, as a stack may. */
static comptoir_status add(const comptoir_host *host, comptoir_document *doc, const char *key, const char *value,
                           comptoir_source source, uint32_t padding) {
    union {
        field_1_0 field;
        unsigned char bytes[sizeof(field_1_0)];
    } raw;
    memset(raw.bytes, 0, sizeof raw.bytes);
    raw.field.struct_size = sizeof(field_1_0);
    raw.field.key = key;
    raw.field.value = value;
    raw.field.confidence = 0.9f;
    raw.field.page = 1;
    raw.field.check = COMPTOIR_CHECK_UNCHECKED;
    raw.field.source = source;
    if (sizeof(field_1_0) >= offsetof(comptoir_field, barcode) + sizeof(uint32_t)) {
        memcpy(raw.bytes + offsetof(comptoir_field, barcode), &padding, sizeof padding);
    }
    return host->add_field(doc, (const comptoir_field *)&raw.field);
}

static comptoir_status extract(const comptoir_host *host, comptoir_document *doc, const char *kind) {
    comptoir_status status;
    (void)kind;
    if ((status = add(host, doc, "numero", "42", COMPTOIR_SOURCE_OCR, 0)) != COMPTOIR_STATUS_OK) return status;
    return add(host, doc, "reference", "AB12", COMPTOIR_SOURCE_2DDOC, 1);
}

/* The 1.0 table, then what happens to follow it. */
typedef struct image_1_0 {
    plugin_1_0 table;
    const comptoir_field_spec *field_specs;
    size_t field_spec_count;
    comptoir_check (*check_value)(const char *key, const char *value);
} image_1_0;

_Static_assert(offsetof(image_1_0, field_specs) == offsetof(comptoir_plugin, field_specs), "the trap lies where 1.2 members do");
_Static_assert(offsetof(image_1_0, check_value) == offsetof(comptoir_plugin, check_value), "the trap lies where 1.2 members do");

static const image_1_0 image = {{sizeof(plugin_1_0), COMPTOIR_PLUGIN_ABI_MAJOR, 0, "older_minor", "Test", "1.0.0", 0u,
                                 kinds, 1, fields, 2, NULL, 0, NULL, recognise, extract},
                                trap_specs, 1, fails_everything};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return (const comptoir_plugin *)&image.table; }
