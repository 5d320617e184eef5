/* ABI 1.3: one module, "factory.so", offering two plugins through comptoir_plugin_factory —
 * "duo_a" and "duo_b", each a plugin of its own. What the tests read of it:
 *   - the module's setting `count` (plugins.factory.count) reaches the factory's init: "1"
 *     offers duo_a alone;
 *   - duo_a's setting `label` (plugins.duo_a.label) reaches its init, which fills its kind's
 *     label: tables may be filled in init;
 *   - both share recognise and extract, and tell each other apart by host->plugin;
 *   - duo_b's extract crashes (SIGSEGV): the crash is duo_b's, never duo_a's. */
#include <comptoir/plugin.h>

#include <signal.h>
#include <string.h>

static size_t offered = 2;

static comptoir_status module_init(const comptoir_host *host) {
    const char *count = host->setting ? host->setting(host, "count") : NULL;
    offered = count && strcmp(count, "1") == 0 ? 1 : 2;  /* loaded again by another registry: read again */
    return COMPTOIR_STATUS_OK;
}

static const comptoir_field_decl fields[] = {{"valeur", "Valeur", COMPTOIR_FIELD_TEXT}};
static comptoir_kind_decl kinds_a[1];  /* filled by init_a */
static const comptoir_kind_decl kinds_b[] = {{"duo_b.page", "Page de duo_b"}};

static comptoir_status init_a(const comptoir_host *host) {
    const char *label = host->setting ? host->setting(host, "label") : NULL;
    kinds_a[0].id = "duo_a.page";
    kinds_a[0].label_fr = label ? label : "Page de duo_a";
    return COMPTOIR_STATUS_OK;
}

static int is_b(const comptoir_host *host) { return host->plugin && strcmp(host->plugin->id, "duo_b") == 0; }

static comptoir_status recognise(const comptoir_host *host, comptoir_document *doc) {
    return host->add_candidate(doc, is_b(host) ? "duo_b.page" : "duo_a.page", is_b(host) ? 0.6f : 0.7f);
}

static comptoir_status extract(const comptoir_host *host, comptoir_document *doc, const char *kind) {
    comptoir_field field;
    (void)kind;
    if (is_b(host)) raise(SIGSEGV);
    memset(&field, 0, sizeof field);
    field.struct_size = sizeof field;
    field.key = "valeur";
    field.value = "lu par duo_a";
    field.confidence = 0.9f;
    return host->add_field(doc, &field);
}

static const comptoir_plugin plugins[] = {
    {sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR_FACTORY, "duo_a", "Test", "0.0.1", 0u,
     kinds_a, 1, fields, 1, NULL, 0, init_a, recognise, extract, NULL, 0, NULL},
    {sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR_FACTORY, "duo_b", "Test", "0.0.1", 0u,
     kinds_b, 1, fields, 1, NULL, 0, NULL, recognise, extract, NULL, 0, NULL},
};

static size_t plugin_count(void) { return offered; }
static const comptoir_plugin *plugin(size_t index) { return index < offered ? &plugins[index] : NULL; }

static const comptoir_plugin_factory factory = {sizeof(comptoir_plugin_factory), COMPTOIR_PLUGIN_ABI_MAJOR,
                                                COMPTOIR_PLUGIN_ABI_MINOR_FACTORY, module_init, plugin_count, plugin};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin_factory *comptoir_plugin_factory_entry(void) { return &factory; }
