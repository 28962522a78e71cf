/* PMI-1 client: how a LiteMPI process finds its job (rank, size, key-value space).
 *
 * The library speaks the PMI-1 "simple" wire protocol (shared/pmi.md) to whatever started
 * it: our own mpiexec, MPICH's Hydra, Slurm (--mpi=pmi2 also serves PMI-1), or Flux.
 * Selection, as MPICH does it:
 *   PMI_FD set   -> use that already-connected stream socket; PMI_RANK/PMI_SIZE from the
 *                   environment (default 0 and 1 when absent, like MPICH's client);
 *   PMI_PORT set -> connect to host:port, send "cmd=initack pmiid=$PMI_ID", read rank/size;
 *   neither      -> singleton: rank 0 of 1, an in-memory key-value store, no socket.
 * A singleton started by a foreign launcher (PMIX_RANK, OMPI_COMM_WORLD_SIZE>1,
 * HYDI_CONTROL_FD) prints one warning line naming the variable and goes on.
 *
 * All state lives in a struct lm_pmi owned by the caller: no globals, so the library's
 * process state (src/core) simply embeds one.
 *
 * Rules for callers (the wire format has no escaping):
 *  - keys and values must not contain spaces, '\n' or '\0'; keys must not contain '=' and
 *    must not start with "PMI_" (reserved by servers). Keep values to [A-Za-z0-9_.:#$/,-].
 *  - strlen(key) < keylen_max and strlen(value) < vallen_max (1024 under our mpiexec and
 *    Hydra): splitting longer values over several keys is the caller's job; put() refuses
 *    an over-long value with a message rather than letting the server truncate it.
 *  - requests are strictly one at a time (the struct is not thread-safe; hold the library
 *    lock around calls).
 *
 * Return values: 0 success, -1 failure (one line on stderr starting "litempi: PMI: "),
 * 1 "not found" (get and lookup only).
 */
#ifndef LITEMPI_PMI_H
#define LITEMPI_PMI_H

#include <stdbool.h>
#include <stddef.h>

struct lm_pmi_kv_entry;  /* singleton's in-memory store (private) */

struct lm_pmi {
    int fd;                 /* connection to the process manager; -1 for a singleton */
    int rank, size, appnum;
    int universe_size;      /* -1 when unknown */
    int kvsname_max, keylen_max, vallen_max;
    char kvsname[256];
    bool singleton;         /* no process manager: size 1, in-memory key-value store */
    bool spawned;           /* PMI_SPAWNED=1 */
    bool finalized;         /* lm_pmi_finalize() done */
    /* private: reply reader (bytes received but not yet consumed) */
    char *rbuf;
    size_t rlen, rcap;      /* bytes held, buffer size */
    size_t rline;           /* length of the line last handed out, '\n' included */
    /* private: singleton key-value store and name table */
    struct lm_pmi_kv_entry *kvs;
    struct lm_pmi_kv_entry *names;
};

/* Connects (or becomes a singleton) and fills every public field: does init, get_maxes,
 * get_appnum, get_universe_size and get_my_kvsname. On failure the struct is left safe to
 * pass to lm_pmi_free(). */
int lm_pmi_init(struct lm_pmi *pmi);

/* Stores key=value in the job's key-value space; visible to others after lm_pmi_fence(). */
int lm_pmi_put(struct lm_pmi *pmi, const char *key, const char *value);

/* Collective over the whole job (barrier_in / barrier_out): puts before it are visible to
 * gets after it, on every rank. */
int lm_pmi_fence(struct lm_pmi *pmi);

/* Copies the value of key into value[len]. Returns 1 if the key is not (yet) there, -1 on
 * error, including a value longer than len-1. "PMI_process_mapping" is a job attribute
 * every server answers (a singleton answers "(vector,(0,1,1))"). */
int lm_pmi_get(struct lm_pmi *pmi, const char *key, char *value, size_t len);

/* Name service (MPI_Publish_name / MPI_Unpublish_name / MPI_Lookup_name). A singleton keeps
 * a private table. lookup returns 1 when the service is not published. */
int lm_pmi_publish(struct lm_pmi *pmi, const char *service, const char *port);
int lm_pmi_unpublish(struct lm_pmi *pmi, const char *service);
int lm_pmi_lookup(struct lm_pmi *pmi, const char *service, char *port, size_t len);

/* Tells the process manager this process is leaving cleanly (finalize / finalize_ack),
 * then closes the connection. A process that exits after PMI init without this is treated
 * as failed by our mpiexec. */
int lm_pmi_finalize(struct lm_pmi *pmi);

/* Asks the process manager to end the whole job with exitcode (cmd=abort). Returns; the
 * caller then _exit()s. message is sent with spaces kept and newlines turned into spaces;
 * it is the last field of the line (our mpiexec takes everything after "message=").
 * Safe to call for a singleton (does nothing). */
void lm_pmi_abort(struct lm_pmi *pmi, int exitcode, const char *message);

/* Releases memory and the fd (normally after lm_pmi_finalize). */
void lm_pmi_free(struct lm_pmi *pmi);

/* ---- Pure helpers (no I/O), unit-tested in tests/unit/test_pmi.c ---- */

/* One "key=value" token of a wire line. Pointers into the line that was parsed. */
struct lm_pmi_pair {
    const char *key;
    const char *value;
};

/* Splits a wire line in place ("cmd=put kvsname=k key=a value=b\n") into at most max
 * pairs: tokens are separated by runs of spaces, the line may end in "\n" or "\r\n", each
 * token is split at its first '=' (a token without '=' gets value ""). Returns the number
 * of pairs, or -1 when the line has more than max tokens or a token starts with '='. */
int lm_pmi_parse_line(char *line, struct lm_pmi_pair *pairs, int max);

/* Value of key among n pairs, or NULL. */
const char *lm_pmi_find(const struct lm_pmi_pair *pairs, int n, const char *key);

/* Parses a reply line and checks it is "cmd=<expect> ...". If rc= is present and not 0,
 * returns 1 (the server said no). Returns 0 when it matches with rc=0 or no rc, -1 when the
 * line is malformed or the command differs. pairs/max as for lm_pmi_parse_line; *n gets
 * the pair count. */
int lm_pmi_parse_reply(char *line, const char *expect, struct lm_pmi_pair *pairs, int max,
                       int *n);

/* Parses PMI_process_mapping, e.g. "(vector,(0,1,4))" or "(vector,(0,2,2),(2,1,1))":
 * each block (start,nodes,per_node) places per_node consecutive ranks on node start, the
 * next per_node on start+1, ... for nodes nodes; the whole vector repeats until size ranks
 * are placed. Fills node_of_rank[0..size-1] and returns the number of nodes, counted as
 * the highest node id used + 1 (node ids index arrays). Returns -1 for a malformed string
 * or one that places no rank. Spaces are tolerated. */
int lm_pmi_parse_mapping(const char *mapping, int size, int *node_of_rank);

#endif
