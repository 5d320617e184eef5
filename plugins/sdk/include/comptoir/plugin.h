/*
 * comptoir/plugin.h — the plugin ABI of Comptoir, the only contract between the host
 * and a partner's plugin.
 *
 * Only C types cross this boundary, so a plugin built with another compiler or another
 * C++ standard library still loads. This header compiles as C11 and as C++20.
 *
 * The shape (after CLAP and OBS):
 *   - a module (one shared library) exports `comptoir_plugin_entry`, returning a const
 *     `comptoir_plugin` table: ABI version, identity, declarations and function pointers;
 *     or, since ABI 1.3, `comptoir_plugin_factory_entry`, returning a `comptoir_plugin_factory`
 *     that says how many plugins the module offers and gives the table of the i-th (CLAP's
 *     plugin factory). Each
 *     plugin of a module is a plugin of its own: its id, its worker, its health. A module that
 *     exports both is read through its factory;
 *   - the host calls the plugin's functions with a `comptoir_host` table of callbacks, through
 *     which the plugin reads the document (pages, words, boxes, confidences, text, barcodes)
 *     and reports its results (candidates, fields);
 *   - every table starts with `struct_size` so it can grow in a minor version: a reader
 *     never touches a member that lies beyond the `struct_size` the writer set;
 *   - plugins are never unloaded: pointers a plugin gives at load time stay valid for the
 *     life of the process;
 *   - neither side frees what the other allocated;
 *   - no exception crosses the boundary (plugin.hpp turns them into statuses).
 *
 * Versions (after CLAP). The ABI is MAJOR.MINOR: a new major may change anything, a new minor
 * only appends members at the end of tables.
 *   - A plugin's table carries the minor it NEEDS, not the one it was built with: the lowest
 *     minor that brought a member it fills (the COMPTOIR_PLUGIN_ABI_MINOR_* below). plugin.hpp
 *     stamps it: 2 for a plugin with field specs or a check_value, else 1 (its fields always
 *     carry `barcode`), or the minor the plugin states (comptoir::sdk::Description::abi_minor,
 *     never below what its table fills). A plugin written in C writes it itself.
 *   - The host accepts a plugin of its own major whose needed minor is at most its own. It
 *     refuses another major or a newer minor, logs a line naming the plugin and both versions,
 *     and goes on with the others. So a plugin rebuilt against a newer SDK that fills nothing
 *     new still loads on an older host.
 *   - A reader takes a member a later minor appended only when the writer's `struct_size`
 *     reaches it, whatever the minor: an older host reads a newer plugin's field up to what it
 *     knows (the evidence of 1.2 is then not shown; it does not raise the needed minor). One
 *     exception: `comptoir_field.barcode` (1.1) lies where a 1.0 comptoir_field has padding, so
 *     the host reads it only from a plugin whose minor is 1 or more.
 *
 * Settings (ABI 1.3): the host hands a plugin the lines `plugins.<id>.<key> = value` of its
 * configuration, and a factory's module those of `plugins.<module>.<key>` (the module's file
 * name without `.so`), through `comptoir_host.setting`, from `init` on. A plugin's tables
 * (kinds, fields, specs, letters) are read after its `init` returned: `init` may fill them.
 *
 * Threads: the host may call `recognise` and `extract` from several threads at once, each on
 * a different document. A plugin that cannot stand that sets
 * COMPTOIR_PLUGIN_FLAG_SINGLE_THREADED and the host never runs two of its calls at once
 * (recognise, extract and check_value). `init` is called once in each process that loads the
 * plugin (its worker, and the worker started again after a crash), before any other function,
 * on one thread, within `plugins.timeout_ms`: a crash or a hang there refuses the plugin.
 *
 * Personal data: visitors are anonymous. A plugin never logs a name, number or amount read
 * from a document.
 *
 * The SDK guide (README.md, installed with these headers in share/doc/comptoir/sdk/) explains
 * all this with examples, and says how values are written and what they are worth.
 */
#ifndef COMPTOIR_PLUGIN_H
#define COMPTOIR_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version of this header ("Versions" above). A change of major breaks every plugin; a new
 * minor only appends members at the end of tables. */
#define COMPTOIR_PLUGIN_ABI_MAJOR 1
#define COMPTOIR_PLUGIN_ABI_MINOR 4

/* The minor that brought each member a plugin may fill: a plugin needs the highest of those it
 * fills (and 0 when it fills none). */
#define COMPTOIR_PLUGIN_ABI_MINOR_FIELD_BARCODE 1 /* comptoir_field.barcode */
#define COMPTOIR_PLUGIN_ABI_MINOR_FIELD_SPECS 2   /* comptoir_plugin.field_specs, .field_spec_count */
#define COMPTOIR_PLUGIN_ABI_MINOR_CHECK_VALUE 2   /* comptoir_plugin.check_value */
#define COMPTOIR_PLUGIN_ABI_MINOR_FACTORY 3       /* comptoir_plugin_factory, comptoir_host.setting */
/* ABI 1.4 appends comptoir_host.ask_again, a host function: calling it fills nothing, so it
 * raises no plugin's needed minor (a plugin calls it only when the host's struct_size reaches it). */
#define COMPTOIR_PLUGIN_ABI_MINOR_ASK_AGAIN 4

/* The exported symbol of a module offering one plugin. */
#define COMPTOIR_PLUGIN_ENTRY_NAME "comptoir_plugin_entry"
/* ABI 1.3: the exported symbol of a module offering any number of plugins (read first). */
#define COMPTOIR_PLUGIN_FACTORY_NAME "comptoir_plugin_factory_entry"

#if defined(_WIN32)
#define COMPTOIR_PLUGIN_EXPORT __declspec(dllexport)
#else
#define COMPTOIR_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Result of every call that can fail. 0 is never a valid status, so a function that forgets
 * to return one is noticed. */
typedef enum comptoir_status {
    COMPTOIR_STATUS_INVALID = 0,
    COMPTOIR_STATUS_OK = 1,
    COMPTOIR_STATUS_ERROR = 2,           /* the call failed; the plugin logged why */
    COMPTOIR_STATUS_BAD_ARGUMENT = 3,    /* a NULL or out-of-range argument */
    COMPTOIR_STATUS_UNKNOWN_KEY = 4,     /* a field key or document kind the plugin never declared */
    COMPTOIR_STATUS_NOT_FOUND = 5        /* no such page, word or barcode */
} comptoir_status;

typedef enum comptoir_log_level {
    COMPTOIR_LOG_NONE = 0,
    COMPTOIR_LOG_DEBUG = 1,
    COMPTOIR_LOG_INFO = 2,
    COMPTOIR_LOG_WARNING = 3,
    COMPTOIR_LOG_ERROR = 4
} comptoir_log_level;

/* How a field's normalised value is written (the SDK guide, "How a value is written"). */
typedef enum comptoir_field_type {
    COMPTOIR_FIELD_NONE = 0,
    COMPTOIR_FIELD_TEXT = 1,        /* free text, whitespace collapsed */
    COMPTOIR_FIELD_AMOUNT = 2,      /* "1479.85": two decimals, a dot */
    COMPTOIR_FIELD_DATE = 3,        /* "2021-01-29" */
    COMPTOIR_FIELD_IDENTIFIER = 4,  /* no spaces */
    COMPTOIR_FIELD_COUNT = 5,       /* digits */
    COMPTOIR_FIELD_DECIMAL = 6,     /* "2.5" */
    COMPTOIR_FIELD_NAME = 7,        /* as printed, whitespace collapsed */
    COMPTOIR_FIELD_ADDRESS = 8      /* one line, lines joined with ", " */
} comptoir_field_type;

/* Result of the check the plugin ran on a field. 0 means no check was run. */
typedef enum comptoir_check {
    COMPTOIR_CHECK_UNCHECKED = 0,
    COMPTOIR_CHECK_OK = 1,
    COMPTOIR_CHECK_FAILED = 2,
    COMPTOIR_CHECK_MISMATCH = 3     /* two readings of the same value disagree */
} comptoir_check;

/* Where a value was read. 0 lets the host assume OCR. */
typedef enum comptoir_source {
    COMPTOIR_SOURCE_UNSPECIFIED = 0,
    COMPTOIR_SOURCE_OCR = 1,
    COMPTOIR_SOURCE_2DDOC = 2,
    COMPTOIR_SOURCE_TEXT_LAYER = 3
} comptoir_source;

/* ABI 1.2: how a value was found on the page (its evidence). */
typedef enum comptoir_relation {
    COMPTOIR_RELATION_NONE = 0,           /* not said (plugins before 1.2) */
    COMPTOIR_RELATION_RIGHT = 1,          /* right of its label, on the same line or row */
    COMPTOIR_RELATION_BELOW = 2,          /* below its label, in the same block or table cell */
    COMPTOIR_RELATION_COLUMN = 3,         /* under the column header of a table row */
    COMPTOIR_RELATION_BOX_TITLE = 4,      /* in a box whose title is the label (a large value) */
    COMPTOIR_RELATION_SHAPE = 5,          /* no label: found by its shape */
    COMPTOIR_RELATION_ADDRESS_WINDOW = 6, /* no label: the name block of the address window */
    COMPTOIR_RELATION_TEXT_LAYER = 7,     /* from a PDF's text layer */
    COMPTOIR_RELATION_2DDOC = 8           /* from a 2D-Doc */
} comptoir_relation;

/* ABI 1.2: the characters an identifier is made of. */
typedef enum comptoir_alphabet {
    COMPTOIR_ALPHABET_ANY = 0,
    COMPTOIR_ALPHABET_DIGITS = 1,
    COMPTOIR_ALPHABET_ALNUM = 2,          /* letters and digits, any case */
    COMPTOIR_ALPHABET_UPPER_ALNUM = 3     /* capital letters and digits */
} comptoir_alphabet;

/* A rectangle in pixels of the page as loaded (before rotation or deskew). */
typedef struct comptoir_box {
    int32_t x;
    int32_t y;
    int32_t width;
    int32_t height;
} comptoir_box;

/* ------------------------------------------------------------------------------------------
 * Declarations: what a plugin knows. Arrays and strings are owned by the plugin and must live
 * as long as the process (static data; plugins are never unloaded). UTF-8 everywhere.
 * ---------------------------------------------------------------------------------------- */

/* A kind of document, e.g. {"edf.facture", "Facture d'électricité EDF"}.
 * `id` starts with the plugin id and a dot. */
typedef struct comptoir_kind_decl {
    const char *id;
    const char *label_fr;
} comptoir_kind_decl;

/* A canonical field key, e.g. {"montant_ttc", "Montant TTC", COMPTOIR_FIELD_AMOUNT}.
 * Keys are lower-case ASCII letters, digits and '_'. */
typedef struct comptoir_field_decl {
    const char *key;
    const char *label_fr;
    comptoir_field_type type;
} comptoir_field_decl;

/* ABI 1.2: what a field's value must look like, so that the host can check a value the
 * mediator corrects. One per declared field key, in any order; a key without one has no bound.
 * Lengths count the characters (not bytes) of the normalised value; the alphabets are ASCII
 * (ALNUM: A-Z, a-z, 0-9). The host refuses a plugin whose specs name an undeclared key, name a
 * key twice, have min_length > max_length (when both are set) or an unknown alphabet. */
typedef struct comptoir_field_spec {
    size_t struct_size;            /* sizeof(comptoir_field_spec) as the plugin was built */
    const char *key;
    uint32_t min_length;           /* characters of the normalised value; 0: no bound */
    uint32_t max_length;           /* 0: no bound */
    comptoir_alphabet alphabet;
} comptoir_field_spec;

/* A letter the plugin offers: `id` names a template (the SDK guide, "Letters"), whose file
 * alone holds the letter's title, recipient and questions; it starts with the plugin id and a
 * dot, e.g. "eau.delai_paiement". `kind` is the document kind it is offered for, or NULL for
 * every document. Offer a letter for two kinds with two entries. */
typedef struct comptoir_letter_decl {
    const char *id;
    const char *kind;
} comptoir_letter_decl;

/* ------------------------------------------------------------------------------------------
 * What the host gives the plugin to read. Every pointer inside these structs is owned by the
 * host and valid until the plugin function that received it returns; copy what you keep.
 * The host writes no member beyond the `struct_size` the plugin set before the call.
 * ---------------------------------------------------------------------------------------- */

/* One page of the document. */
typedef struct comptoir_page_info {
    size_t struct_size;             /* set by the plugin to sizeof(comptoir_page_info) */
    uint32_t page;                  /* 1-based */
    int32_t width;                  /* pixels, as loaded */
    int32_t height;
    int32_t dpi;                    /* 0 when unknown */
    int32_t rotation_deg;           /* 0, 90, 180 or 270: how the page was turned upright */
    double skew_deg;                /* the deskew angle the host applied */
    int32_t has_text_layer;         /* 1 when words come from a PDF's text layer, not OCR */
} comptoir_page_info;

/* One word read on a page. */
typedef struct comptoir_word {
    size_t struct_size;             /* set by the plugin to sizeof(comptoir_word) */
    const char *text;               /* UTF-8, never NULL */
    float confidence;               /* 0 to 1 */
    uint32_t page;                  /* 1-based */
    comptoir_box box;
    uint32_t block_id;              /* words of one block share it (per page) */
    uint32_t line_id;               /* words of one line share it (per page) */
} comptoir_word;

/* One identifier=value pair of a decoded barcode (2D-Doc ids such as "44"). */
typedef struct comptoir_barcode_field {
    const char *id;
    const char *value;
} comptoir_barcode_field;

/* One decoded barcode. */
typedef struct comptoir_barcode {
    size_t struct_size;             /* set by the plugin to sizeof(comptoir_barcode) */
    uint32_t page;
    comptoir_box box;
    const char *format;             /* "2ddoc" */
    const char *status;             /* "valid", "invalid_signature", "unknown_certificate", "malformed" */
    const char *document_type;      /* 2D-Doc document type, e.g. "28"; "" when none */
    const comptoir_barcode_field *fields;
    size_t field_count;
} comptoir_barcode;

/* A field the plugin reports. Every string is copied by the host before `add_field`
 * returns; the plugin keeps ownership. */
typedef struct comptoir_field {
    size_t struct_size;             /* sizeof(comptoir_field) */
    const char *key;                /* a key the plugin declared */
    const char *value;              /* normalised (see comptoir_field_type) */
    const char *text;               /* as read, may be NULL */
    float confidence;               /* 0 to 1 */
    uint32_t page;                  /* 1-based; 0 when not on a page */
    comptoir_box box;
    comptoir_check check;
    const char *suggestion;         /* a value that passes the check, or NULL */
    comptoir_source source;
    /* ABI 1.1: for COMPTOIR_SOURCE_2DDOC, the barcode the value was read from (its index in
     * host->barcode plus one); 0 when unknown. The host weighs the value by that code's status
     * (the SDK guide, "What a value is worth"): a `valid` code beats OCR, an `unknown_certificate`
     * one only confirms or contradicts it, an `invalid_signature` or `malformed` one is refused.
     * When a key is reported once from OCR and once from a code, in either order, the host
     * keeps both readings: the winner as the value, the other in `alternatives`, and the
     * field is flagged (`mismatch`) when they disagree. */
    uint32_t barcode;
    /* ABI 1.2: the evidence, how the value was found. `relation` says where the value stood
     * from its label; `evidence_label` is the label's words as read on the page (NULL for the
     * relations without a label). The host copies it; it is shown to the mediator, never
     * logged. When `relation` is NONE the host says COMPTOIR_RELATION_2DDOC for a value of
     * COMPTOIR_SOURCE_2DDOC and COMPTOIR_RELATION_TEXT_LAYER for one of
     * COMPTOIR_SOURCE_TEXT_LAYER. */
    comptoir_relation relation;
    const char *evidence_label;     /* the label's words as read on the page, or NULL */
} comptoir_field;

/* Opaque: the document being read, and the results collected for it. */
typedef struct comptoir_document comptoir_document;

/* The host table. Owned by the host, one per plugin, valid for the whole life of the process.
 * Apart from `log`, every callback takes the document of the current recognise or extract
 * call and may be called from that call's thread, during that call only. */
typedef struct comptoir_host {
    size_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    const char *host_version;

    /* Writes a line to the host's log, prefixed with the plugin's id. `host` is the table the
     * plugin was given; `doc` may be NULL (from init). Callable from any thread.
     * Never pass personal data (names, numbers, amounts read from a document). */
    void (*log)(const struct comptoir_host *host, const comptoir_document *doc,
                comptoir_log_level level, const char *message);

    /* Number of pages (at least 1). */
    uint32_t (*page_count)(const comptoir_document *doc);

    /* Fills `out` for a 1-based page. COMPTOIR_STATUS_NOT_FOUND past the last page. */
    comptoir_status (*page_info)(const comptoir_document *doc, uint32_t page, comptoir_page_info *out);

    /* Words of a page (1-based), in reading order; page 0 counts the whole document. */
    size_t (*word_count)(const comptoir_document *doc, uint32_t page);

    /* Fills `out` with the `index`-th (0-based) word of `page` (0 for the whole document). */
    comptoir_status (*word)(const comptoir_document *doc, uint32_t page, size_t index, comptoir_word *out);

    /* The text of a page, lines separated by '\n', blocks by an empty line; page 0 gives the
     * whole document, pages separated by '\f'. Never NULL. */
    const char *(*text)(const comptoir_document *doc, uint32_t page);

    /* Decoded barcodes of the whole document. */
    size_t (*barcode_count)(const comptoir_document *doc);
    comptoir_status (*barcode)(const comptoir_document *doc, size_t index, comptoir_barcode *out);

    /* From `recognise`: this document is of `kind` (one of the plugin's kinds) with
     * `confidence` in [0, 1]. Call it once per kind that may fit. */
    comptoir_status (*add_candidate)(comptoir_document *doc, const char *kind, float confidence);

    /* From `extract`: one field. COMPTOIR_STATUS_UNKNOWN_KEY when the key was never declared
     * (the field is dropped and the host logs it); a second report of the same key from the
     * same source replaces the first (from OCR and from a 2D-Doc: see comptoir_field.barcode). */
    comptoir_status (*add_field)(comptoir_document *doc, const comptoir_field *field);

    /* ABI 1.3 (read them only when `struct_size` covers them). The value of the plugin's
     * setting `key` (the configuration's `plugins.<id>.<key>`; for a factory's init, the
     * module's `plugins.<module>.<key>`), or NULL when not set. The string lives as long as
     * the process. Callable from any thread. */
    const char *(*setting)(const struct comptoir_host *host, const char *key);
    /* ABI 1.3: the table this host table was given for (NULL in a factory's init), so that a
     * module offering several plugins with the same functions knows which one is called. */
    const struct comptoir_plugin *plugin;

    /* ABI 1.4. From `extract`: a region of a page (1-based) where a field's value should stand
     * and none fit (its label is printed, the words beside or below it were not a value of
     * its kind). The host reads the doubtful words there a second time (each line on its own)
     * and, when that changed any, calls `extract` again on the document with those words:
     * a page's doubtful numbers are read again only where a plugin needs them. Values the
     * plugin reported are asked for already (the host looks again at their own words). Asking
     * where nothing is doubtful costs nothing. COMPTOIR_STATUS_NOT_FOUND for a page the
     * document does not have; COMPTOIR_STATUS_BAD_ARGUMENT for an empty region or past the
     * 64th ask of a call. The SDK's extraction engine says where (extract::unread). */
    comptoir_status (*ask_again)(comptoir_document *doc, uint32_t page, const comptoir_box *region);
} comptoir_host;

/* Flags of a plugin. */
#define COMPTOIR_PLUGIN_FLAG_SINGLE_THREADED 0x1u

/* The plugin table returned by comptoir_plugin_entry. Owned by the plugin; must live as long
 * as the process (a static). */
typedef struct comptoir_plugin {
    size_t struct_size;             /* sizeof(comptoir_plugin) as the plugin was built */
    uint16_t abi_major;             /* COMPTOIR_PLUGIN_ABI_MAJOR as the plugin was built */
    uint16_t abi_minor;             /* the minor the plugin needs ("Versions"), at most COMPTOIR_PLUGIN_ABI_MINOR */
    const char *id;                 /* [a-z0-9_]+, unique across the host's plugins */
    const char *partner;            /* "EDF", "Caf", "DGFiP", … */
    const char *version;            /* the plugin's own version, e.g. "1.2.0" */
    uint32_t flags;                 /* COMPTOIR_PLUGIN_FLAG_* */

    const comptoir_kind_decl *kinds;
    size_t kind_count;
    const comptoir_field_decl *fields;
    size_t field_count;
    const comptoir_letter_decl *letters;
    size_t letter_count;

    /* Optional (may be NULL). Called once after the host accepted the table, before any other
     * call. Anything but COMPTOIR_STATUS_OK rejects the plugin. */
    comptoir_status (*init)(const comptoir_host *host);

    /* Scores `doc` against the plugin's kinds by calling host->add_candidate. Reporting
     * nothing means "not mine". */
    comptoir_status (*recognise)(const comptoir_host *host, comptoir_document *doc);

    /* Extracts the fields of `kind` (one of the plugin's kinds, chosen by the host or the
     * mediator) by calling host->add_field. */
    comptoir_status (*extract)(const comptoir_host *host, comptoir_document *doc, const char *kind);

    /* ABI 1.2: what the declared fields' values must look like (comptoir_field_spec), or NULL
     * with a count of 0. The host steps through the array by each element's `struct_size`,
     * which must be the same for every element and reach at least `alphabet`; a plugin
     * breaking that is refused. */
    const comptoir_field_spec *field_specs;
    size_t field_spec_count;

    /* ABI 1.2, optional (NULL): the plugin's own check of a normalised value of a declared
     * `key` (a check digit…): COMPTOIR_CHECK_OK, COMPTOIR_CHECK_FAILED, or
     * COMPTOIR_CHECK_UNCHECKED when it has nothing to say about that key. The host calls it
     * when the mediator corrects a value, after the spec's length and alphabet; it is called
     * outside recognise and extract, with no document, from any thread (also for a plugin
     * flagged COMPTOIR_PLUGIN_FLAG_SINGLE_THREADED, whose calls the host still serialises). */
    comptoir_check (*check_value)(const char *key, const char *value);
} comptoir_plugin;

/* ABI 1.3: the factory of a module offering several plugins, returned by the exported
 * `comptoir_plugin_factory_entry` (COMPTOIR_PLUGIN_FACTORY_NAME). Owned by the module, a static. The
 * host calls `init` (optional) once, then `plugin_count`, then `plugin` for each index; each
 * table is then a plugin like any other (its own `init`, checks, refusal, worker). A NULL table
 * is refused alone. None of this runs in the server: the host makes these calls in a short-lived
 * process of the module's own, to learn its plugins' ids, then again, in the same order, in each
 * plugin's worker, where the plugin's own `init` runs and its declarations are read. */
typedef struct comptoir_plugin_factory {
    size_t struct_size;             /* sizeof(comptoir_plugin_factory) as the module was built */
    uint16_t abi_major;             /* COMPTOIR_PLUGIN_ABI_MAJOR */
    uint16_t abi_minor;             /* at least COMPTOIR_PLUGIN_ABI_MINOR_FACTORY */
    /* Optional (may be NULL): the module's own start, with a host table whose `setting` answers
     * the module's settings and whose `log` names the module. Anything but
     * COMPTOIR_STATUS_OK refuses every plugin of the module. */
    comptoir_status (*init)(const comptoir_host *host);
    /* How many plugins the module offers (0 is allowed: nothing to load). */
    size_t (*plugin_count)(void);
    /* The table of the `index`-th plugin (0-based), valid for the life of the process. */
    const comptoir_plugin *(*plugin)(size_t index);
} comptoir_plugin_factory;

typedef const comptoir_plugin_factory *(*comptoir_plugin_factory_fn)(void);

/* The entry point every plugin exports. Returns a pointer to a static table, or NULL when
 * the plugin cannot run (it is then rejected). May be called more than once. */
typedef const comptoir_plugin *(*comptoir_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* COMPTOIR_PLUGIN_H */
