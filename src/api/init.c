/* init.c - the environment chapter: init/finalize, thread levels, versions, abort, time. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"

static int init_common(int required, int *provided, const char *fn)
{
    if (lm_proc.initialized || lm_proc.finalized) {
        fprintf(stderr, "litempi: %s called %s [MPI_ERR_OTHER]\n", fn,
                lm_proc.finalized ? "after MPI_Finalize" : "twice");
        lm_core_abort(MPI_ERR_OTHER, "MPI initialized twice");
    }
    int rc = lm_core_init(required, provided);
    if (rc != LM_OK) {
        const char *text = lm_err_string(rc);
        fprintf(stderr, "litempi: %s failed: %s\n", fn, text ? text : "unknown error");
        lm_core_abort(1, "MPI_Init failed");
    }
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Init(int *argc, char ***argv)
{
    int provided;
    return init_common(MPI_THREAD_SINGLE, &provided, "MPI_Init");
}
LM_WEAK_ALIAS(Init)

LM_EXPORT int PMPI_Init_thread(int *argc, char ***argv, int required, int *provided)
{
    int p;
    int rc = init_common(required, &p, "MPI_Init_thread");
    if (provided)
        *provided = p;
    return rc;
}
LM_WEAK_ALIAS(Init_thread)

LM_EXPORT int PMPI_Finalize(void)
{
    static const char fn[] = "MPI_Finalize";
    LM_API_ENTER(fn);
    /* First the equivalent of freeing MPI_COMM_SELF (its attributes' delete callbacks, in
     * the reverse order of setting, while MPI is fully usable), then MPI_COMM_WORLD's. */
    int arc = lm_attr_delete_all(LM_OBJ_COMM, (void *)MPI_COMM_SELF, &lm_proc.self.attrs);
    if (arc == LM_OK)
        arc = lm_attr_delete_all(LM_OBJ_COMM, (void *)MPI_COMM_WORLD, &lm_proc.world.attrs);
    /* A failing delete callback is reported (a fatal handler ends the job here), but MPI
     * still finalizes: the remaining attributes are dropped without callbacks. */
    int erc = arc == LM_OK ? MPI_SUCCESS : lm_api_error(NULL, arc, fn);
    lm_lock();
    lm_call_enter(fn, NULL, 0, 0, NULL);
    bool locking = lm_proc.locking;
    int rc = lm_core_finalize();
    if (locking)
        pthread_mutex_unlock(&lm_proc.lock);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    return erc;
}
LM_WEAK_ALIAS(Finalize)

LM_EXPORT int PMPI_Initialized(int *flag)
{
    *flag = lm_proc.initialized;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Initialized)

LM_EXPORT int PMPI_Finalized(int *flag)
{
    *flag = lm_proc.finalized;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Finalized)

LM_EXPORT int PMPI_Query_thread(int *provided)
{
    LM_API_ENTER("MPI_Query_thread");
    *provided = lm_proc.thread_level;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Query_thread)

LM_EXPORT int PMPI_Is_thread_main(int *flag)
{
    LM_API_ENTER("MPI_Is_thread_main");
    *flag = pthread_equal(pthread_self(), lm_proc.main_thread);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Is_thread_main)

LM_EXPORT int PMPI_Abort(MPI_Comm comm, int errorcode)
{
    char msg[128];
    snprintf(msg, sizeof msg, "MPI_Abort(errorcode=%d) called by rank %d", errorcode,
             lm_proc.rank);
    /* Aborting is allowed from any state and must not wait for the library lock. */
    lm_core_abort(errorcode, msg);
}
LM_WEAK_ALIAS(Abort)

LM_EXPORT int PMPI_Get_version(int *version, int *subversion)
{
    *version = MPI_VERSION;
    *subversion = MPI_SUBVERSION;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Get_version)

LM_EXPORT int PMPI_Get_library_version(char *version, int *resultlen)
{
    int n = snprintf(version, MPI_MAX_LIBRARY_VERSION_STRING,
                     "LiteMPI %s (MPI %d.%d, standard ABI %d.%d; transports: self, shm, tcp)",
                     LITEMPI_VERSION_STRING, MPI_VERSION, MPI_SUBVERSION, MPI_ABI_VERSION,
                     MPI_ABI_SUBVERSION);
    *resultlen = n;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Get_library_version)

LM_EXPORT int PMPI_Abi_get_version(int *abi_major, int *abi_minor)
{
    *abi_major = MPI_ABI_VERSION;
    *abi_minor = MPI_ABI_SUBVERSION;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Abi_get_version)

LM_EXPORT int PMPI_Get_processor_name(char *name, int *resultlen)
{
    if (!name || !resultlen)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "name or resultlen is NULL"),
                            "MPI_Get_processor_name");
    if (gethostname(name, MPI_MAX_PROCESSOR_NAME) != 0)
        snprintf(name, MPI_MAX_PROCESSOR_NAME, "localhost");
    name[MPI_MAX_PROCESSOR_NAME - 1] = '\0';
    *resultlen = (int)strlen(name);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Get_processor_name)

LM_EXPORT double PMPI_Wtime(void)
{
    return lm_wtime();
}
LM_WEAK_ALIAS(Wtime)

LM_EXPORT double PMPI_Wtick(void)
{
    return 1e-9;
}
LM_WEAK_ALIAS(Wtick)
