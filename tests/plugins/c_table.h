/* A minimal, valid plugin table written in plain C: the bad test plugins each break one
 * thing of it. Built as C11, which also shows a plugin need not be C++. */
#ifndef COMPTOIR_TEST_C_TABLE_H
#define COMPTOIR_TEST_C_TABLE_H

#include <comptoir/plugin.h>

static const comptoir_field_decl test_fields[] = {{"numero", "Numéro", COMPTOIR_FIELD_IDENTIFIER}};

static comptoir_status test_recognise(const comptoir_host *host, comptoir_document *doc) {
    (void)host;
    (void)doc;
    return COMPTOIR_STATUS_OK;
}

static comptoir_status test_extract(const comptoir_host *host, comptoir_document *doc, const char *kind) {
    (void)host;
    (void)doc;
    (void)kind;
    return COMPTOIR_STATUS_OK;
}

#define TEST_TABLE(ID, MAJOR, MINOR)                                                      \
    {                                                                                     \
        sizeof(comptoir_plugin), (MAJOR), (MINOR), (ID), "Test", "0.0.1", 0u, NULL, 0, \
            test_fields, 1, NULL, 0, NULL, test_recognise, test_extract                   \
    }

#endif
