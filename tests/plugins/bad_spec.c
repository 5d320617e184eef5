/* A 1.2 plugin whose field specs break one rule each, chosen at build time:
 * BAD_SPEC_SIZE   a spec smaller than the 1.2 one (it stops before `alphabet`);
 * BAD_SPEC_MIXED  two specs of different sizes;
 * BAD_SPEC_KEY    a spec for a key the plugin never declared. */
#include "c_table.h"

typedef struct wide_spec {
    comptoir_field_spec spec;
    uint64_t later_member;
} wide_spec;

#if defined(BAD_SPEC_SIZE)
#define BAD_ID "bad_spec_size"
static const comptoir_field_spec specs[] = {
    {offsetof(comptoir_field_spec, alphabet), "numero", 1, 9, COMPTOIR_ALPHABET_DIGITS}};
#define SPECS specs
#define SPEC_COUNT 1
#elif defined(BAD_SPEC_MIXED)
#define BAD_ID "bad_spec_mixed"
static const wide_spec specs[] = {{{sizeof(wide_spec), "numero", 1, 9, COMPTOIR_ALPHABET_DIGITS}, 0},
                                  {{sizeof(comptoir_field_spec), "numero", 1, 9, COMPTOIR_ALPHABET_DIGITS}, 0}};
#define SPECS (&specs[0].spec)
#define SPEC_COUNT 2
#elif defined(BAD_SPEC_KEY)
#define BAD_ID "bad_spec_key"
static const comptoir_field_spec specs[] = {
    {sizeof(comptoir_field_spec), "numero", 1, 9, COMPTOIR_ALPHABET_DIGITS},
    {sizeof(comptoir_field_spec), "inconnu", 1, 9, COMPTOIR_ALPHABET_DIGITS}};
#define SPECS specs
#define SPEC_COUNT 2
#endif

static const comptoir_kind_decl kinds[] = {{BAD_ID ".document", "Document"}};

static const comptoir_plugin table = {sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR,
                                      BAD_ID, "Test", "0.0.1", 0u, kinds, 1, test_fields, 1, NULL, 0, NULL,
                                      test_recognise, test_extract, SPECS, SPEC_COUNT, NULL};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
