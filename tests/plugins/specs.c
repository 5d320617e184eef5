/* A plugin of ABI 1.2 in plain C: field specs, its own check of a value, and fields reported
 * with their evidence. Its specs are wider than the host's comptoir_field_spec (as a later
 * minor's could be): the host must step through them by their struct_size. */
#include <comptoir/plugin.h>

#include <string.h>

/* A spec with a member the host does not know, after the ones it does. */
typedef struct wide_spec {
    comptoir_field_spec spec;
    uint64_t later_member;
} wide_spec;

static const comptoir_kind_decl kinds[] = {{"specs.document", "Document à spécifications"}};
static const comptoir_field_decl fields[] = {
    {"numero", "Numéro", COMPTOIR_FIELD_IDENTIFIER},      /* 9 digits, the last a check digit */
    {"reference", "Référence", COMPTOIR_FIELD_IDENTIFIER}, /* 4 to 8 capitals and digits */
    {"libelle", "Libellé", COMPTOIR_FIELD_TEXT},           /* no spec, no check */
    {"code", "Code", COMPTOIR_FIELD_IDENTIFIER},           /* no spec, the plugin's check only */
    {"montant", "Montant", COMPTOIR_FIELD_AMOUNT},
    {"emetteur", "Émetteur", COMPTOIR_FIELD_NAME}};
static const wide_spec specs[] = {
    {{sizeof(wide_spec), "reference", 4, 8, COMPTOIR_ALPHABET_UPPER_ALNUM}, 0xdeadbeefu},
    {{sizeof(wide_spec), "numero", 9, 9, COMPTOIR_ALPHABET_DIGITS}, 0xdeadbeefu}};

static comptoir_status recognise(const comptoir_host *host, comptoir_document *doc) {
    return host->add_candidate(doc, "specs.document", 0.6f);
}

/* numero: the last digit is the sum of the others modulo 10. code: "OK…" passes, "KO…" fails,
 * anything else is not for this check. */
static comptoir_check check_value(const char *key, const char *value) {
    if (strcmp(key, "numero") == 0) {
        size_t length = strlen(value);
        unsigned sum = 0;
        size_t i;
        if (length < 2) return COMPTOIR_CHECK_FAILED;
        for (i = 0; i + 1 < length; ++i) sum += (unsigned)(value[i] - '0');
        return (unsigned)(value[length - 1] - '0') == sum % 10 ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
    }
    if (strcmp(key, "code") == 0) {
        if (strncmp(value, "OK", 2) == 0) return COMPTOIR_CHECK_OK;
        if (strncmp(value, "KO", 2) == 0) return COMPTOIR_CHECK_FAILED;
        if (strncmp(value, "MI", 2) == 0) return COMPTOIR_CHECK_MISMATCH; /* means nothing here */
    }
    return COMPTOIR_CHECK_UNCHECKED;
}

static comptoir_status extract(const comptoir_host *host, comptoir_document *doc, const char *kind) {
    comptoir_field field;
    comptoir_status status;
    (void)kind;
    memset(&field, 0, sizeof field);
    field.struct_size = sizeof field;
    field.key = "numero";
    field.value = "123456786";
    field.confidence = 0.9f;
    field.page = 1;
    field.source = COMPTOIR_SOURCE_OCR;
    field.relation = COMPTOIR_RELATION_RIGHT;
    field.evidence_label = "N° client :";
    if ((status = host->add_field(doc, &field)) != COMPTOIR_STATUS_OK) return status;

    field.key = "montant"; /* in a box titled by its label */
    field.value = "12.50";
    field.relation = COMPTOIR_RELATION_BOX_TITLE;
    field.evidence_label = "Montant à payer";
    if ((status = host->add_field(doc, &field)) != COMPTOIR_STATUS_OK) return status;

    field.key = "emetteur"; /* no label */
    field.value = "Régie des eaux";
    field.relation = COMPTOIR_RELATION_ADDRESS_WINDOW;
    field.evidence_label = NULL;
    if ((status = host->add_field(doc, &field)) != COMPTOIR_STATUS_OK) return status;

    field.key = "reference"; /* from a code, relation not said: the host says 2ddoc */
    field.value = "AB12";
    field.source = COMPTOIR_SOURCE_2DDOC;
    field.relation = COMPTOIR_RELATION_NONE;
    if ((status = host->add_field(doc, &field)) != COMPTOIR_STATUS_OK) return status;

    field.key = "libelle"; /* from a text layer, relation not said: the host says text_layer */
    field.value = "Eau";
    field.source = COMPTOIR_SOURCE_TEXT_LAYER;
    if ((status = host->add_field(doc, &field)) != COMPTOIR_STATUS_OK) return status;

    field.key = "code"; /* a relation this host does not know: kept, without evidence */
    field.value = "OK1";
    field.source = COMPTOIR_SOURCE_OCR;
    field.relation = (comptoir_relation)42;
    field.evidence_label = "Code";
    return host->add_field(doc, &field);
}

static const comptoir_plugin table = {sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR_FIELD_SPECS,
                                      "specs", "Test", "1.2.0", 0u, kinds, 1, fields, 6, NULL, 0, NULL, recognise,
                                      extract, &specs[0].spec, 2, check_value};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
