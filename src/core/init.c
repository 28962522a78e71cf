/* init.c - bringing the process's MPI state up and down.
 *
 * Init: PMI (rank, size, key-value space) -> node map (PMI_process_mapping, so shared
 * memory needs no extra exchange) -> our card (allowed transports, tcp's listening address;
 * rank 0 also makes sure the job has a tcp key) -> one fence -> transports (shm maps its
 * node segment) -> MPI_COMM_WORLD and MPI_COMM_SELF. Connections to peers are made lazily
 * on first contact. A process without PMI variables is a singleton of size 1 and opens no
 * socket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "datatype/datatype.h"
#include "pt2pt/pt2pt.h"
#include "transport/transport.h"

struct lm_proc lm_proc = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void errhandler_init(struct lm_errhandler *e, enum lm_errh_kind kind, MPI_Errhandler h)
{
    *e = (struct lm_errhandler){.magic = LM_MAGIC_ERRH, .refcount = 1, .kind = kind,
                                .handle = h};
}

/* Which ranks share our node: from PMI_process_mapping, else every rank publishes its
 * host name and we compare strings after the fence (never resolving names). */
static int map_nodes(int *node_of_rank, bool *need_hostnames)
{
    char val[1024];
    *need_hostnames = false;
    if (lm_proc.size == 1) {
        node_of_rank[0] = 0;
        return LM_OK;
    }
    if (lm_pmi_get(&lm_proc.pmi, "PMI_process_mapping", val, sizeof val) == 0 &&
        lm_pmi_parse_mapping(val, lm_proc.size, node_of_rank) > 0)
        return LM_OK;
    *need_hostnames = true;
    return LM_OK;
}

static int map_nodes_by_hostname(int *node_of_rank)
{
    char key[64], val[256];
    char (*hosts)[256] = calloc((size_t)lm_proc.size, sizeof *hosts);
    if (!hosts)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory mapping nodes");
    for (int r = 0; r < lm_proc.size; r++) {
        snprintf(key, sizeof key, "lm-host-%d", r);
        if (lm_pmi_get(&lm_proc.pmi, key, val, sizeof val) != 0) {
            free(hosts);
            return lm_err_detail(MPI_ERR_OTHER, "PMI: no host name published by rank %d", r);
        }
        snprintf(hosts[r], sizeof hosts[r], "%s", val);
        node_of_rank[r] = r;
        for (int q = 0; q < r; q++) {
            if (!strcmp(hosts[q], hosts[r])) {
                node_of_rank[r] = node_of_rank[q];
                break;
            }
        }
    }
    free(hosts);
    return LM_OK;
}

int lm_core_init(int required, int *provided)
{
    int rc;
    lm_proc.pid = getpid();
    lm_proc.main_thread = pthread_self();
    lm_proc.thread_level = required > MPI_THREAD_MULTIPLE ? MPI_THREAD_MULTIPLE : required;
    if (lm_proc.thread_level < MPI_THREAD_SINGLE)
        lm_proc.thread_level = MPI_THREAD_SINGLE;
    *provided = lm_proc.thread_level;

    errhandler_init(&lm_proc.errh_fatal, LM_ERRH_FATAL, MPI_ERRORS_ARE_FATAL);
    errhandler_init(&lm_proc.errh_abort, LM_ERRH_ABORT, MPI_ERRORS_ABORT);
    errhandler_init(&lm_proc.errh_return, LM_ERRH_RETURN, MPI_ERRORS_RETURN);
    lm_dt_builtins_init();
    lm_progress_configure();

    if (lm_pmi_init(&lm_proc.pmi) != 0)
        return lm_err_detail(MPI_ERR_OTHER, "cannot reach the process manager (PMI)");
    lm_proc.pmi_ready = true;
    lm_proc.rank = lm_proc.pmi.rank;
    lm_proc.size = lm_proc.pmi.size;
    lm_board_attach();
    if (lm_proc.size < 1 || lm_proc.rank < 0 || lm_proc.rank >= lm_proc.size)
        return lm_err_detail(MPI_ERR_OTHER, "PMI gave rank %d of size %d", lm_proc.rank,
                             lm_proc.size);

    int *node_of_rank = calloc((size_t)lm_proc.size, sizeof *node_of_rank);
    lm_proc.peers = calloc((size_t)lm_proc.size, sizeof *lm_proc.peers);
    lm_proc.local_lpids = calloc((size_t)lm_proc.size, sizeof *lm_proc.local_lpids);
    if (!node_of_rank || !lm_proc.peers || !lm_proc.local_lpids) {
        free(node_of_rank);
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory for %d peers", lm_proc.size);
    }
    lm_proc.npeers = lm_proc.size;

    bool need_hostnames;
    if ((rc = map_nodes(node_of_rank, &need_hostnames)) != LM_OK)
        goto out;
    bool one_host = !need_hostnames;
    for (int r = 1; r < lm_proc.size && one_host; r++)
        one_host = node_of_rank[r] == node_of_rank[0];
    if ((rc = lm_transport_publish(one_host)) != LM_OK)
        goto out;
    if (lm_proc.size > 1) {
        char key[64], val[256];
        if (need_hostnames) {
            snprintf(key, sizeof key, "lm-host-%d", lm_proc.rank);
            if (gethostname(val, sizeof val) != 0)
                snprintf(val, sizeof val, "unknown");
            val[sizeof val - 1] = '\0';
            for (char *p = val; *p; p++)
                if (*p == ' ')
                    *p = '_';
            lm_pmi_put(&lm_proc.pmi, key, val);
        }
        if (lm_pmi_fence(&lm_proc.pmi) != 0) {
            rc = lm_err_detail(MPI_ERR_OTHER, "PMI fence failed during MPI_Init");
            goto out;
        }
        if (need_hostnames && (rc = map_nodes_by_hostname(node_of_rank)) != LM_OK)
            goto out;
    }
    lm_proc.node = node_of_rank[lm_proc.rank];
    lm_proc.local_size = 0;
    for (int r = 0; r < lm_proc.size; r++) {
        lm_proc.peers[r].lpid = r;
        lm_proc.peers[r].node = node_of_rank[r];
        if (node_of_rank[r] == lm_proc.node) {
            if (r == lm_proc.rank)
                lm_proc.local_rank = lm_proc.local_size;
            lm_proc.local_lpids[lm_proc.local_size++] = r;
        }
    }

    if ((rc = lm_pt2pt_init()) != LM_OK || (rc = lm_transport_init_all()) != LM_OK)
        goto out;

    /* MPI_COMM_WORLD (context 0), MPI_COMM_SELF (context 2), MPI_GROUP_EMPTY. */
    if ((rc = lm_comm_init_predefined()) != LM_OK)
        goto out;

    if (lm_proc.thread_level == MPI_THREAD_MULTIPLE)
        lm_proc.locking = true;
    lm_proc.initialized = true;
out:
    free(node_of_rank);
    return rc;
}

static bool pt2pt_idle(void *arg)
{
    /* ... and no collective schedule still running (MPI_Request_free'd ones) */
    return lm_pt2pt_idle() && !lm_progress_hook;
}

int lm_core_finalize(void)
{
    /* Flush control packets others wait for (SYNC_ACK, FIN, CTS, DATA) and finish sends
     * the user freed before leaving: peers may still be reading our memory. */
    lm_wait_until(pt2pt_idle, NULL);
    lm_transport_finalize_all();
    lm_pt2pt_finalize();
    lm_board_detach();
    lm_pmi_finalize(&lm_proc.pmi);
    lm_pmi_free(&lm_proc.pmi);
    lm_proc.pmi_ready = false;
    lm_comm_finalize();
    lm_attr_finalize();
    lm_info_finalize();
    lm_err_finalize();
    lm_handles_finalize();
    free(lm_proc.peers);
    free(lm_proc.local_lpids);
    lm_proc.peers = NULL;
    lm_proc.local_lpids = NULL;
    lm_proc.locking = false;
    lm_proc.finalized = true;
    return LM_OK;
}

void lm_core_abort(int code, const char *msg)
{
    fflush(stdout);
    if (lm_proc.pmi_ready && !lm_proc.pmi.singleton)
        lm_pmi_abort(&lm_proc.pmi, code, msg ? msg : "MPI_Abort");
    _exit(code);
}
