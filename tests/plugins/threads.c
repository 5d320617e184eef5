/* Tells whether two of its calls ever ran at once. Built twice: "single_threaded", flagged
 * COMPTOIR_PLUGIN_FLAG_SINGLE_THREADED, which the host must never call from two threads at once,
 * and "multi_threaded", the same without the flag, which shows that the test would see it.
 *
 * Each call (recognise or extract) looks out, for at most WAIT_MS, for another call entering the
 * plugin while it is inside, and says whether one did: recognise by its score (0.9 it saw one,
 * 0.4 it did not), extract by the value of its field `overlap` ("oui", "non"). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */

#include <comptoir/plugin.h>

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#ifdef THREADS_SINGLE
#define PLUGIN_ID "single_threaded"
#define PLUGIN_FLAGS COMPTOIR_PLUGIN_FLAG_SINGLE_THREADED
#define WAIT_MS 300 /* no other call may come: how long to give one the chance */
#else
#define PLUGIN_ID "multi_threaded"
#define PLUGIN_FLAGS 0u
#define WAIT_MS 10000 /* the other call comes: a deadline only */
#endif

static atomic_uint inside;
static atomic_uint entries;

static long elapsed_ms(const struct timespec *since) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)(now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* 1 when another call was inside the plugin at some time during this one. */
static int overlapped(void) {
    const struct timespec pause = {0, 1000000};
    struct timespec start;
    const unsigned me = atomic_fetch_add(&entries, 1) + 1;
    int seen = atomic_fetch_add(&inside, 1) + 1 > 1;
    clock_gettime(CLOCK_MONOTONIC, &start);
    /* Someone entered after this call did, while it is still inside: they overlap. */
    while (!seen && elapsed_ms(&start) < WAIT_MS) {
        nanosleep(&pause, NULL);
        seen = atomic_load(&entries) > me;
    }
    atomic_fetch_sub(&inside, 1);
    return seen;
}

static const comptoir_kind_decl kinds[] = {{PLUGIN_ID ".document", "Document de test"}};
static const comptoir_field_decl fields[] = {{"overlap", "Appels simultanés", COMPTOIR_FIELD_TEXT}};

static comptoir_status recognise(const comptoir_host *host, comptoir_document *doc) {
    return host->add_candidate(doc, PLUGIN_ID ".document", overlapped() ? 0.9f : 0.4f);
}

static comptoir_status extract(const comptoir_host *host, comptoir_document *doc, const char *kind) {
    comptoir_field field;
    (void)kind;
    memset(&field, 0, sizeof field);
    field.struct_size = sizeof field;
    field.key = "overlap";
    field.value = overlapped() ? "oui" : "non";
    field.confidence = 1.0f;
    field.source = COMPTOIR_SOURCE_OCR;
    return host->add_field(doc, &field);
}

static const comptoir_plugin table = {sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, 0, PLUGIN_ID, "Test", "1.0.0",
                                      PLUGIN_FLAGS, kinds, 1, fields, 1, NULL, 0, NULL, recognise, extract,
                                      NULL, 0, NULL};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
