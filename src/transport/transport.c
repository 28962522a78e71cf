/* transport.c - the table of transports and the per-peer choice.
 *
 * self for our own process, shm for peers on this node, (tcp, next) for anything else.
 * LITEMPI_TRANSPORTS (a comma list; mpiexec --transports sets it) restricts the set so
 * tests can force each path on one machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "transport/transport.h"

static struct {
    const struct lm_transport *active[4];
    int nactive;
    bool allow_shm;
} tr;

static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && !strncmp(p, name, n))
            return true;
        p += len + (comma ? 1 : 0);
    }
    return false;
}

int lm_transport_init_all(void)
{
    const char *want = getenv("LITEMPI_TRANSPORTS");
    tr.nactive = 0;
    tr.allow_shm = !want || !*want || listed(want, "shm");
    if (want && *want && !listed(want, "shm") && !listed(want, "self")) {
        /* tcp is the only other transport and it is not built yet */
        return lm_err_detail(MPI_ERR_OTHER,
                             "LITEMPI_TRANSPORTS=%s names no available transport "
                             "(available: self, shm)", want);
    }
    int rc = lm_transport_self.init();
    if (rc != LM_OK)
        return rc;
    tr.active[tr.nactive++] = &lm_transport_self;
    if (tr.allow_shm && lm_proc.local_size > 1) {
        if ((rc = lm_transport_shm.init()) != LM_OK)
            return rc;
        tr.active[tr.nactive++] = &lm_transport_shm;
    }
    return LM_OK;
}

void lm_transport_finalize_all(void)
{
    for (int i = tr.nactive - 1; i >= 0; i--)
        if (tr.active[i]->finalize)
            tr.active[i]->finalize();
    tr.nactive = 0;
}

int lm_transport_select(struct lm_peer *peer)
{
    for (int i = 0; i < tr.nactive; i++) {
        const struct lm_transport *tp = tr.active[i];
        if (tp->can_reach(peer)) {
            int rc = tp->connect ? tp->connect(peer) : LM_OK;
            if (rc != LM_OK)
                return rc;
            peer->tp = tp;
            return LM_OK;
        }
    }
    return lm_err_detail(MPI_ERR_OTHER,
                         "no transport reaches process %d (node %d) from rank %d (node %d)",
                         peer->lpid, peer->node, lm_proc.rank, lm_proc.node);
}

int lm_transport_progress_all(void)
{
    int n = 0;
    for (int i = 0; i < tr.nactive; i++)
        n += tr.active[i]->progress();
    return n;
}

int lm_transport_count(void)
{
    return tr.nactive;
}

const struct lm_transport *lm_transport_at(int i)
{
    return tr.active[i];
}
