/* A plugin that misbehaves in one way (HOSTILE_ACT, one build per act) on a document holding
 * the word PANIQUE, and reads any other one as a well-behaved plugin would: a candidate at 0.9,
 * `numero` and `reference`. The plugin host must contain each act in the plugin's worker, name
 * the plugin, and read the next document (tests/integration/plugin_worker_test.cpp).
 * The acts that the sandbox should refuse (socket, write, fork, exec) report what happened in
 * `numero`: "refuse" or "permis"; so does `thread`, which it must allow. Its check_value acts
 * on the value PANIQUE. */
#define _GNU_SOURCE
#include <comptoir/plugin.h>

#include <fcntl.h>
#include <pthread.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define ID "hostile_" STRINGIFY(HOSTILE_ACT)

enum { segv, abort_, loop, stdout_, memory, fork_, socket_, write_, exec_, thread, big_value, bad_utf8, callback };
#define ACT_segv segv
#define ACT_abort abort_
#define ACT_loop loop
#define ACT_stdout stdout_
#define ACT_memory memory
#define ACT_fork fork_
#define ACT_socket socket_
#define ACT_write write_
#define ACT_exec exec_
#define ACT_thread thread
#define ACT_big_value big_value
#define ACT_bad_utf8 bad_utf8
#define ACT_callback callback
#define ACT_(x) ACT_##x
#define ACT__(x) ACT_(x)
#define ACT ACT__(HOSTILE_ACT)

static const comptoir_kind_decl kinds[] = {{ID ".document", "Document de test"}};
static const comptoir_field_decl fields[] = {{"numero", "Numéro", COMPTOIR_FIELD_TEXT},
                                             {"reference", "Référence", COMPTOIR_FIELD_TEXT}};

static void *nothing(void *argument) { return argument; }

static comptoir_status add(const comptoir_host *host, comptoir_document *doc, const char *key, const char *value);

static const comptoir_host *saved_host;
static comptoir_document *saved_doc; /* the callback act: a document kept after its call */

/* The callback act: for a second after its call returned, a thread keeps reporting a field on
 * the document it was lent — wherever that memory now lies. */
static void *pester(void *argument) {
    const struct timespec pause = {0, 1000000};
    int i;
    (void)argument;
    for (i = 0; i < 1000; ++i) {
        add(saved_host, saved_doc, "numero", "apres coup");
        nanosleep(&pause, NULL);
    }
    return NULL;
}

static int panics(const comptoir_host *host, const comptoir_document *doc) {
    const char *text = host->text(doc, 0);
    return text && strstr(text, "PANIQUE") != NULL;
}

static comptoir_status add(const comptoir_host *host, comptoir_document *doc, const char *key, const char *value) {
    comptoir_field field;
    memset(&field, 0, sizeof field);
    field.struct_size = sizeof field;
    field.key = key;
    field.value = value;
    field.confidence = 0.9f;
    field.page = 1;
    return host->add_field(doc, &field);
}

/* The act; what it reports is for `numero`, NULL when it reports nothing. */
static const char *act(void) {
    switch (ACT) {
    case segv: {
        volatile int *nowhere = NULL;
        *nowhere = 1;
        return NULL;
    }
    case abort_: abort();
    case loop: {
        volatile unsigned long spin = 0;
        for (;;) ++spin;
    }
    case stdout_: {
        static char line[4096];
        int i;
        memset(line, 'x', sizeof line - 1);
        for (i = 0; i < 256; ++i) fputs(line, stdout); /* 1 MB to where the host never reads */
        fflush(stdout);
        return NULL;
    }
    case memory: {
        const size_t size = (size_t)10 << 30;
        char *block = malloc(size);
        size_t i;
        if (!block) return "refuse";
        for (i = 0; i < size; i += 4096) block[i] = 1;
        free(block);
        return "permis";
    }
    case fork_: {
        const pid_t child = fork();
        if (child == 0) _exit(0);
        if (child < 0) return "refuse";
        waitpid(child, NULL, 0);
        return "permis";
    }
    case socket_: {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) return "refuse";
        close(fd);
        return "permis";
    }
    case write_: {
        char path[64];
        int fd;
        snprintf(path, sizeof path, "/tmp/comptoir-hostile-%d", (int)getpid());
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) return "refuse";
        close(fd);
        unlink(path);
        return "permis";
    }
    case exec_: {
        char *const argv[] = {"/bin/true", NULL};
        char *const envp[] = {NULL};
        execve("/bin/true", argv, envp);
        return "refuse";
    }
    case thread: { /* not hostile: what the sandbox must still allow */
        pthread_t other;
        if (pthread_create(&other, NULL, nothing, NULL) != 0) return "refuse";
        pthread_join(other, NULL);
        return "permis";
    }
    default: return NULL;
    }
}

static comptoir_status recognise(const comptoir_host *host, comptoir_document *doc) {
    if (panics(host, doc) && ACT <= memory) act(); /* the others act in extract, and say how it went */
    return host->add_candidate(doc, ID ".document", 0.9f);
}

static comptoir_status extract(const comptoir_host *host, comptoir_document *doc, const char *kind) {
    comptoir_status status;
    const char *numero = "42";
    (void)kind;
    if (panics(host, doc)) {
        if (ACT == big_value) {
            static char huge[1 << 20];
            memset(huge, 'A', sizeof huge - 1);
            numero = huge;
        } else if (ACT == bad_utf8) {
            numero = "4\xff\xfe" "2";
        } else if (ACT == callback) {
            pthread_t thread_id;
            saved_host = host;
            saved_doc = doc;
            if (pthread_create(&thread_id, NULL, pester, NULL) == 0) pthread_detach(thread_id);
        } else {
            const char *said = act();
            if (said) numero = said;
        }
    }
    if ((status = add(host, doc, "reference", "REF7")) != COMPTOIR_STATUS_OK) return status;
    add(host, doc, "numero", numero);
    return COMPTOIR_STATUS_OK;
}

/* A mediator's correction: the value PANIQUE makes the first acts (segv, abort, loop) act here
 * too; "42" passes, any other value fails. */
static comptoir_check check_value(const char *key, const char *value) {
    (void)key;
    if (strcmp(value, "PANIQUE") == 0 && ACT <= loop) act();
    return strcmp(value, "42") == 0 ? COMPTOIR_CHECK_OK : COMPTOIR_CHECK_FAILED;
}

static const comptoir_plugin table = {
    sizeof(comptoir_plugin), COMPTOIR_PLUGIN_ABI_MAJOR, COMPTOIR_PLUGIN_ABI_MINOR, ID, "Test", "0.0.1", 0u,
    kinds, 1, fields, 2, NULL, 0, NULL, recognise, extract, NULL, 0, check_value};

COMPTOIR_PLUGIN_EXPORT const comptoir_plugin *comptoir_plugin_entry(void) { return &table; }
