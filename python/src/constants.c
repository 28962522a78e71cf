/*
 * constants.c - the module's integer constants: wildcards, thread levels, comparison
 * results, error classes, topology kinds, ... (Skeleton: the core set; more come next.)
 */
#include "pympi.h"

#define C(name) {#name, MPI_##name}

static const struct {
    const char *name;
    long value;
} constants[] = {
    C(SUCCESS),       C(ANY_SOURCE),    C(ANY_TAG),       C(PROC_NULL),
    C(ROOT),          C(UNDEFINED),     C(IDENT),         C(CONGRUENT),
    C(SIMILAR),       C(UNEQUAL),       C(THREAD_SINGLE), C(THREAD_FUNNELED),
    C(THREAD_SERIALIZED), C(THREAD_MULTIPLE), C(ERR_OTHER),   C(ERR_RANK),
};

int pympi_init_constants(PyObject *m)
{
    for (size_t i = 0; i < sizeof constants / sizeof constants[0]; i++)
        if (PyModule_AddIntConstant(m, constants[i].name, constants[i].value) < 0)
            return -1;
    return 0;
}
