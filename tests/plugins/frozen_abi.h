/* The plugin table and the field as the SDKs of ABI 1.0 and 1.1 declared them, copied and
 * frozen, for the test plugins that must show the host the real sizes of an older minor
 * (older_minor.c, minor_1_1.c). 1.1 appended `barcode` to the field; the table did not change
 * until 1.2. */
#ifndef COMPTOIR_TESTS_FROZEN_ABI_H
#define COMPTOIR_TESTS_FROZEN_ABI_H

#include <comptoir/plugin.h>

#include <stddef.h>
#include <stdint.h>

/* The members of a 1.0 field, in their order. */
#define FROZEN_FIELD_1_0_MEMBERS \
    size_t struct_size; \
    const char *key; \
    const char *value; \
    const char *text; \
    float confidence; \
    uint32_t page; \
    comptoir_box box; \
    comptoir_check check; \
    const char *suggestion; \
    comptoir_source source;

typedef struct field_1_0 {
    FROZEN_FIELD_1_0_MEMBERS
} field_1_0;

typedef struct plugin_1_0 {
    size_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    const char *id;
    const char *partner;
    const char *version;
    uint32_t flags;
    const comptoir_kind_decl *kinds;
    size_t kind_count;
    const comptoir_field_decl *fields;
    size_t field_count;
    const comptoir_letter_decl *letters;
    size_t letter_count;
    comptoir_status (*init)(const comptoir_host *host);
    comptoir_status (*recognise)(const comptoir_host *host, comptoir_document *doc);
    comptoir_status (*extract)(const comptoir_host *host, comptoir_document *doc, const char *kind);
} plugin_1_0;

/* 1.1: `barcode` appended, in what is a 1.0 field's padding on 64-bit machines. */
typedef struct field_1_1 {
    FROZEN_FIELD_1_0_MEMBERS
    uint32_t barcode;
} field_1_1;

typedef plugin_1_0 plugin_1_1;

/* The copies are the 1.0 layout, which later minors only extend. */
_Static_assert(offsetof(field_1_0, source) == offsetof(comptoir_field, source), "1.0 comptoir_field");
_Static_assert(sizeof(plugin_1_0) == offsetof(comptoir_plugin, field_specs), "1.0 comptoir_plugin");
_Static_assert(offsetof(plugin_1_0, extract) == offsetof(comptoir_plugin, extract), "1.0 comptoir_plugin");

/* The copies are the 1.1 layout, which 1.2 only extends. */
_Static_assert(sizeof(field_1_1) == offsetof(comptoir_field, relation), "1.1 comptoir_field");
_Static_assert(offsetof(field_1_1, barcode) == offsetof(comptoir_field, barcode), "1.1 comptoir_field");
_Static_assert(sizeof(plugin_1_1) == offsetof(comptoir_plugin, field_specs), "1.1 comptoir_plugin");
_Static_assert(offsetof(plugin_1_1, extract) == offsetof(comptoir_plugin, extract), "1.1 comptoir_plugin");

#endif
