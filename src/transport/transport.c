/* transport.c - the table of transports and the per-peer choice.
 *
 * self for our own process, shm for peers on this node, tcp for anything else.
 * LITEMPI_TRANSPORTS (a comma list; mpiexec --transports sets it) restricts the set so
 * tests can force each path on one machine; self always serves a process's messages to
 * itself.
 *
 * The choice must be the same at both ends of a pair (a packet sent over tcp is only seen
 * by the peer's tcp progress, and order per pair holds only within one transport), yet
 * LITEMPI_TRANSPORTS may differ between ranks (MPMD -env). So every rank publishes what it
 * allows in its PMI card ("lm-card-<rank>" = "<mask>[,<addresses>]", put before the init
 * fence) and the rule only looks at facts both ends see alike: shm if both are on one node
 * and both allow shm, else tcp if both allow tcp. Cards are read lazily on first contact;
 * only the node's own ranks are read at init when shm is possible (the segment must know
 * who takes part), one PMI round trip each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "transport/transport.h"

struct card {
    bool known;
    unsigned mask;
    char *addr;   /* after the mask: transport addresses ("" when none) */
};

static struct {
    const struct lm_transport *active[4];
    int nactive;
    unsigned mask;          /* what we allow */
    bool verbose;           /* LITEMPI_VERBOSE: say which transport each peer gets */
    struct card *cards;     /* by lpid */
    int ncards;
} tr;

/* LITEMPI_TRANSPORTS -> mask; an unknown name is an error (a typo must not silently fall
 * back to the default). */
static int parse_mask(unsigned *mask)
{
    const char *want = getenv("LITEMPI_TRANSPORTS");
    if (!want || !*want) {
        *mask = LM_TP_SELF | LM_TP_SHM | LM_TP_TCP;
        return LM_OK;
    }
    unsigned m = LM_TP_SELF;
    for (const char *p = want; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 4 && !strncmp(p, "self", 4))
            m |= LM_TP_SELF;
        else if (len == 3 && !strncmp(p, "shm", 3))
            m |= LM_TP_SHM;
        else if (len == 3 && !strncmp(p, "tcp", 3))
            m |= LM_TP_TCP;
        else if (len > 0)
            return lm_err_detail(MPI_ERR_OTHER,
                                 "LITEMPI_TRANSPORTS=%s names an unknown transport '%.*s' "
                                 "(available: self, shm, tcp)", want, (int)len, p);
        p += len + (comma ? 1 : 0);
    }
    *mask = m;
    return LM_OK;
}

static const char *mask_names(unsigned m, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s", m & LM_TP_SELF ? "self" : "", m & LM_TP_SHM ? ",shm" : "",
             m & LM_TP_TCP ? ",tcp" : "");
    return buf;
}

int lm_transport_publish(bool one_host)
{
    int rc = parse_mask(&tr.mask);
    if (rc != LM_OK)
        return rc;
    tr.verbose = lm_env_bool("LITEMPI_VERBOSE", false);
    if (lm_proc.size == 1)
        return LM_OK;
    char card[1000], key[64];
    int n = snprintf(card, sizeof card, "%u", tr.mask);
    if (tr.mask & LM_TP_TCP) {
        card[n++] = ',';
        if ((rc = lm_transport_tcp.prepare(one_host, card + n, sizeof card - (size_t)n)) != LM_OK)
            return rc;
    }
    if (lm_proc.rank == 0 && (rc = lm_tcp_jobkey_publish()) != LM_OK)
        return rc;
    snprintf(key, sizeof key, "lm-card-%d", lm_proc.rank);
    if (lm_pmi_put(&lm_proc.pmi, key, card) != 0)
        return lm_err_detail(MPI_ERR_OTHER, "PMI: cannot publish this rank's card");
    return LM_OK;
}

int lm_transport_card(int lpid, unsigned *mask, const char **addr)
{
    if (lpid == lm_proc.rank) {
        *mask = tr.mask;
        *addr = "";
        return LM_OK;
    }
    if (!tr.cards) {
        tr.cards = calloc((size_t)lm_proc.npeers, sizeof *tr.cards);
        if (!tr.cards)
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory for peer cards");
        tr.ncards = lm_proc.npeers;
    }
    if (lpid < 0 || lpid >= tr.ncards)
        return lm_err_detail(MPI_ERR_INTERN, "no card for process %d", lpid);
    struct card *c = &tr.cards[lpid];
    if (!c->known) {
        char key[64], val[1024];
        snprintf(key, sizeof key, "lm-card-%d", lpid);
        if (lm_pmi_get(&lm_proc.pmi, key, val, sizeof val) != 0)
            return lm_err_detail(MPI_ERR_OTHER,
                                 "PMI: rank %d published no transport card (is it a LiteMPI "
                                 "process of the same version?)", lpid);
        char *end;
        unsigned long m = strtoul(val, &end, 10);
        if (end == val || (*end && *end != ','))
            return lm_err_detail(MPI_ERR_OTHER, "PMI: rank %d's card '%.80s' is malformed",
                                 lpid, val);
        c->addr = strdup(*end ? end + 1 : "");
        if (!c->addr)
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory for peer cards");
        c->mask = (unsigned)m;
        c->known = true;
    }
    *mask = c->mask;
    *addr = c->addr;
    return LM_OK;
}

int lm_transport_init_all(void)
{
    tr.nactive = 0;
    int rc = lm_transport_self.init();
    if (rc != LM_OK)
        return rc;
    tr.active[tr.nactive++] = &lm_transport_self;
    if (lm_proc.local_size > 1) {
        /* Every local rank joins the segment, to say in its control block whether it
         * allows shm; only those that do keep it. */
        if ((rc = lm_transport_shm.init()) != LM_OK)
            return rc;
        if (tr.mask & LM_TP_SHM)
            tr.active[tr.nactive++] = &lm_transport_shm;
    }
    if ((tr.mask & LM_TP_TCP) && lm_proc.size > 1) {
        if ((rc = lm_transport_tcp.init()) != LM_OK)
            return rc;
        tr.active[tr.nactive++] = &lm_transport_tcp;
    }
    return LM_OK;
}

void lm_transport_finalize_all(void)
{
    for (int i = tr.nactive - 1; i >= 0; i--)
        if (tr.active[i]->finalize)
            tr.active[i]->finalize();
    tr.nactive = 0;
    for (int i = 0; i < tr.ncards; i++)
        free(tr.cards[i].addr);
    free(tr.cards);
    tr.cards = NULL;
    tr.ncards = 0;
}

static bool is_active(const struct lm_transport *tp)
{
    for (int i = 0; i < tr.nactive; i++)
        if (tr.active[i] == tp)
            return true;
    return false;
}

int lm_transport_select(struct lm_peer *peer)
{
    if (peer->failed)
        return peer->failed;
    const struct lm_transport *tp = NULL;
    unsigned theirs = 0;
    if (peer->lpid == lm_proc.rank) {
        tp = &lm_transport_self;
    } else if ((tr.mask & LM_TP_SHM) && is_active(&lm_transport_shm) &&
               lm_transport_shm.can_reach(peer)) {
        tp = &lm_transport_shm; /* same node, and it allows shm too */
    } else {
        const char *addr;
        int rc = lm_transport_card(peer->lpid, &theirs, &addr);
        if (rc != LM_OK)
            return rc;
        if ((tr.mask & theirs & LM_TP_TCP) && is_active(&lm_transport_tcp))
            tp = &lm_transport_tcp;
    }
    if (!tp) {
        char mine[32], other[32];
        return lm_err_detail(MPI_ERR_OTHER,
                             "no transport reaches process %d (node %d, allows %s) from rank %d "
                             "(node %d, allows %s): check LITEMPI_TRANSPORTS", peer->lpid,
                             peer->node, mask_names(theirs, other, sizeof other),
                             lm_proc.rank, lm_proc.node,
                             mask_names(tr.mask, mine, sizeof mine));
    }
    int rc = tp->connect ? tp->connect(peer) : LM_OK;
    if (rc != LM_OK)
        return rc;
    peer->tp = tp;
    if (tr.verbose)
        fprintf(stderr, "litempi: rank %d -> rank %d: %s\n", lm_proc.rank, peer->lpid,
                tp->name);
    return LM_OK;
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
