/* PMI-1 server: one bufferevent per rank on the launcher's end of that rank's socketpair.
 * Message catalogue and reply shapes: shared/pmi.md §2 (as Hydra 4.0.2 answers them, so
 * MPICH's simple PMI client works here too).
 *
 * Requests are handled as whole lines (bufferevent collects partial reads); a rank that
 * closes its socket just loses its connection: whether that was a failure is decided when
 * its process is reaped (procs.c), because only the exit status tells. The one thing judged
 * here is a barrier that can never complete (a rank in it waits for a rank that is gone),
 * which would otherwise hang the job until the timeout.
 */
#include "launcher.h"
#include "pmi/pmi.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#define MAX_LINE  (64 * 1024)   /* longer lines are a broken client */
#define MAX_PAIRS 64

/* Limits we advertise in cmd=maxes (Hydra 4.0.2's values, shared/pmi.md). */
#define KVSNAME_MAX 256
#define KEYLEN_MAX  64
#define VALLEN_MAX  1024

__attribute__((format(printf, 2, 3)))
static void reply(struct lm_rank *r, const char *fmt, ...)
{
    if (r->pmi_bev == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    evbuffer_add_vprintf(bufferevent_get_output(r->pmi_bev), fmt, ap);
    va_end(ap);
}

static double now_s(void);

static void close_conn(struct lm_rank *r)
{
    if (r->pmi_bev != NULL) {
        bufferevent_free(r->pmi_bev); /* BEV_OPT_CLOSE_ON_FREE closes the fd */
        r->pmi_bev = NULL;
    }
    if (!r->pmi_closed)
        r->pmi_closed_at = now_s();
    r->pmi_closed = true;
    free(r->pmi_mcmd);
    r->pmi_mcmd = NULL;
}

static bool pred_in_barrier(const struct lm_rank *r)
{
    return r->in_barrier;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void on_stuck_timer(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    lm_pmi_server_check_stuck(arg);
}

/* A rank whose PMI socket closed is usually exiting: give the exit a moment to be reaped,
 * so the message can say how it ended rather than just "closed its connection". */
#define CLOSE_GRACE 0.3

void lm_pmi_server_check_stuck(struct lm_job *job)
{
    if (job->barrier_count == 0 || job->ending)
        return;
    double wait_more = 0;
    for (int i = 0; i < job->size; i++) {
        struct lm_rank *r = &job->ranks[i];
        if (r->in_barrier)
            continue;
        const char *why;
        char code[64];
        if (r->pid != 0 && !r->alive) {
            if (r->pmi_finalized) {
                why = "exited after MPI_Finalize";
            } else if (WIFSIGNALED(r->wstatus)) {
                if (!job->opt->keep_going)
                    continue; /* procs.c reports signals itself, ending the job */
                snprintf(code, sizeof code, "was killed by signal %d", WTERMSIG(r->wstatus));
                why = code;
            } else {
                snprintf(code, sizeof code, "exited with code %d %s", WEXITSTATUS(r->wstatus),
                         r->pmi_init ? "before MPI_Finalize" : "without calling MPI_Init");
                why = code;
            }
        } else if (r->pmi_closed) {
            double left = r->pmi_closed_at + CLOSE_GRACE - now_s();
            if (left > 0) {
                if (wait_more == 0 || left < wait_more)
                    wait_more = left;
                continue;
            }
            why = r->pmi_finalized ? "called MPI_Finalize but is still running"
                                   : "closed its PMI connection but is still running";
        } else {
            continue;
        }
        char waiting[256];
        lm_format_ranks(job, pred_in_barrier, -1, waiting, sizeof waiting);
        bool plural = strchr(waiting, ',') || strchr(waiting, '-');
        lm_job_fail(job, 1, r->rank, true,
                    "rank%s %s wait%s in a PMI fence (MPI_Init or a collective setup) that "
                    "rank %d (pid %ld) can never join: it %s", plural ? "s" : "", waiting,
                    plural ? "" : "s", r->rank, (long)r->pid, why);
        return;
    }
    if (wait_more > 0) {
        if (job->stuck_timer == NULL)
            job->stuck_timer = evtimer_new(job->base, on_stuck_timer, job);
        struct timeval tv = { 0, (suseconds_t)(wait_more * 1e6) + 1000 };
        if (job->stuck_timer != NULL)
            evtimer_add(job->stuck_timer, &tv);
    }
}

static void do_barrier_in(struct lm_job *job, struct lm_rank *r)
{
    if (r->in_barrier)
        return; /* a second barrier_in before barrier_out: ignore, the first one counts */
    r->in_barrier = true;
    if (++job->barrier_count < job->size) {
        lm_pmi_server_check_stuck(job);
        return;
    }
    job->barrier_count = 0;
    for (int i = 0; i < job->size; i++) {
        struct lm_rank *q = &job->ranks[i];
        q->in_barrier = false;
        reply(q, "cmd=barrier_out\n");
    }
}

/* MPI_Abort's code becomes mpiexec's exit status: 0..255 as given; anything else
 * (negative, >255) is taken modulo 256 like exit() would, except that a result of 0 becomes
 * 1 so an abort never looks like success by accident. */
static int abort_status(long code)
{
    if (code >= 0 && code <= 255)
        return (int)code;
    int s = (int)(code & 0xff);
    return s == 0 ? 1 : s;
}

static void do_abort(struct lm_job *job, struct lm_rank *r, const char *raw,
                     const struct lm_pmi_pair *pairs, int n)
{
    const char *code_s = lm_pmi_find(pairs, n, "exitcode");
    long code = code_s ? strtol(code_s, NULL, 10) : 1;
    /* The message is the rest of the line after "message=": it may contain spaces. */
    const char *msg = strstr(raw, " message=");
    msg = msg ? msg + 9 : "";
    char text[1024];
    snprintf(text, sizeof text, "%s", msg);
    text[strcspn(text, "\r\n")] = '\0';
    r->pmi_aborted = true;
    lm_stdio_drain_rank(job, r); /* its last words first, then our summary */
    lm_job_fail(job, abort_status(code), r->rank, false,
                "rank %d (pid %ld) called MPI_Abort with code %ld%s%s", r->rank, (long)r->pid,
                code, *text ? ": " : "", text);
}

static void do_get(struct lm_job *job, struct lm_rank *r, const struct lm_pmi_pair *pairs,
                   int n)
{
    const char *key = lm_pmi_find(pairs, n, "key");
    const char *kvsname = lm_pmi_find(pairs, n, "kvsname");
    if (key == NULL || *key == '\0') {
        reply(r, "cmd=get_result rc=-1 msg=missing_key value=unknown\n");
        return;
    }
    if (kvsname != NULL && strcmp(kvsname, job->kvsname) != 0) {
        reply(r, "cmd=get_result rc=-1 msg=unknown_kvsname_%s value=unknown\n", kvsname);
        return;
    }
    if (strcmp(key, "PMI_process_mapping") == 0) {
        /* Every rank on node 0: one block of size 1 repeated (shared/pmi.md §4). */
        reply(r, "cmd=get_result rc=0 msg=success value=(vector,(0,1,%d))\n", job->size);
        return;
    }
    const char *v = lm_table_get(job->kvs, key);
    if (v == NULL)
        reply(r, "cmd=get_result rc=-1 msg=key_%s_not_found value=unknown\n", key);
    else
        reply(r, "cmd=get_result rc=0 msg=success value=%s\n", v);
}

static void do_put(struct lm_job *job, struct lm_rank *r, const struct lm_pmi_pair *pairs,
                   int n)
{
    const char *key = lm_pmi_find(pairs, n, "key");
    const char *value = lm_pmi_find(pairs, n, "value");
    const char *kvsname = lm_pmi_find(pairs, n, "kvsname");
    if (key == NULL || *key == '\0' || value == NULL)
        reply(r, "cmd=put_result rc=-1 msg=missing_key_or_value\n");
    else if (kvsname != NULL && strcmp(kvsname, job->kvsname) != 0)
        reply(r, "cmd=put_result rc=-1 msg=unknown_kvsname_%s\n", kvsname);
    else if (strlen(key) >= KEYLEN_MAX || strlen(value) >= VALLEN_MAX)
        reply(r, "cmd=put_result rc=-1 msg=key_or_value_too_long\n");
    else if (lm_table_put(job->kvs, key, value) < 0)
        reply(r, "cmd=put_result rc=-1 msg=out_of_memory\n");
    else
        reply(r, "cmd=put_result rc=0 msg=success\n");
}

/* Name service. MPICH's simple PMI client checks info=ok; rc is there for everyone else. */
static void do_names(struct lm_job *job, struct lm_rank *r, const char *cmd,
                     const struct lm_pmi_pair *pairs, int n)
{
    const char *service = lm_pmi_find(pairs, n, "service");
    if (service == NULL || *service == '\0') {
        reply(r, "cmd=%s_result info=missing_service rc=-1 msg=missing_service\n",
              strcmp(cmd, "publish_name") == 0 ? "publish"
              : strcmp(cmd, "unpublish_name") == 0 ? "unpublish" : "lookup");
        return;
    }
    if (strcmp(cmd, "publish_name") == 0) {
        const char *port = lm_pmi_find(pairs, n, "port");
        if (port == NULL || *port == '\0')
            reply(r, "cmd=publish_result info=missing_port rc=-1 msg=missing_port\n");
        else if (lm_table_get(job->names, service) != NULL)
            reply(r, "cmd=publish_result info=service_%s_already_published rc=-1 "
                  "msg=service_%s_already_published\n", service, service);
        else if (lm_table_put(job->names, service, port) < 0)
            reply(r, "cmd=publish_result info=out_of_memory rc=-1 msg=out_of_memory\n");
        else
            reply(r, "cmd=publish_result info=ok rc=0 msg=success\n");
    } else if (strcmp(cmd, "unpublish_name") == 0) {
        if (lm_table_remove(job->names, service))
            reply(r, "cmd=unpublish_result info=ok rc=0 msg=success\n");
        else
            reply(r, "cmd=unpublish_result info=service_%s_not_published rc=-1 "
                  "msg=service_%s_not_published\n", service, service);
    } else {
        const char *port = lm_table_get(job->names, service);
        if (port != NULL)
            reply(r, "cmd=lookup_result info=ok rc=0 msg=success port=%s\n", port);
        else
            reply(r, "cmd=lookup_result info=service_%s_not_found rc=-1 "
                  "msg=service_%s_not_found\n", service, service);
    }
}

/* A multi-line "mcmd=spawn ... endcmd" block. Spawn is not supported yet: answer once the
 * block is complete, so the client gets a clean error instead of a hang. */
static void mcmd_line(struct lm_rank *r, const char *line)
{
    if (strcmp(line, "endcmd") != 0)
        return;
    free(r->pmi_mcmd);
    r->pmi_mcmd = NULL;
    reply(r, "cmd=spawn_result rc=-1 msg=MPI_Comm_spawn_is_not_supported_by_this_mpiexec_yet "
          "errcodes=-1\n");
}

static void handle_line(struct lm_job *job, struct lm_rank *r, char *line)
{
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
    if (r->pmi_mcmd != NULL) {
        mcmd_line(r, line);
        return;
    }
    if (strncmp(line, "mcmd=", 5) == 0) {
        r->pmi_mcmd = strdup(line);
        return;
    }
    if (len == 0)
        return;

    char raw[MAX_LINE + 1];
    memcpy(raw, line, len + 1);
    if (strncmp(line, "cmd=abort ", 10) == 0) {
        /* The message is free text to the end of the line (spaces, '=' and all): keep it
         * out of the tokenizer. */
        char *m = strstr(line, " message=");
        if (m != NULL)
            *m = '\0';
    }
    struct lm_pmi_pair pairs[MAX_PAIRS];
    int n = lm_pmi_parse_line(line, pairs, MAX_PAIRS);
    if (n < 1 || strcmp(pairs[0].key, "cmd") != 0) {
        fprintf(stderr, "mpiexec: rank %d sent a malformed PMI line: '%.80s'\n", r->rank, raw);
        reply(r, "cmd=error rc=-1 msg=malformed_line\n");
        return;
    }
    const char *cmd = pairs[0].value;
    r->pmi_init = true;

    if (strcmp(cmd, "init") == 0) {
        const char *ver = lm_pmi_find(pairs, n, "pmi_version");
        if (ver != NULL && strcmp(ver, "1") != 0)
            /* PMI-2 clients ask for version 2: say which version we speak, with an error. */
            reply(r, "cmd=response_to_init pmi_version=1 pmi_subversion=1 rc=-1\n");
        else
            reply(r, "cmd=response_to_init pmi_version=1 pmi_subversion=1 rc=0\n");
    } else if (strcmp(cmd, "get_maxes") == 0) {
        reply(r, "cmd=maxes kvsname_max=%d keylen_max=%d vallen_max=%d\n", KVSNAME_MAX,
              KEYLEN_MAX, VALLEN_MAX);
    } else if (strcmp(cmd, "get_appnum") == 0) {
        reply(r, "cmd=appnum appnum=%d\n", r->seg);
    } else if (strcmp(cmd, "get_universe_size") == 0) {
        reply(r, "cmd=universe_size size=%d\n", job->opt->universe_size);
    } else if (strcmp(cmd, "get_my_kvsname") == 0) {
        reply(r, "cmd=my_kvsname kvsname=%s\n", job->kvsname);
    } else if (strcmp(cmd, "put") == 0) {
        do_put(job, r, pairs, n);
    } else if (strcmp(cmd, "get") == 0) {
        do_get(job, r, pairs, n);
    } else if (strcmp(cmd, "barrier_in") == 0) {
        do_barrier_in(job, r);
    } else if (strcmp(cmd, "finalize") == 0) {
        r->pmi_finalized = true;
        reply(r, "cmd=finalize_ack\n");
    } else if (strcmp(cmd, "abort") == 0) {
        do_abort(job, r, raw, pairs, n);
    } else if (strcmp(cmd, "publish_name") == 0 || strcmp(cmd, "unpublish_name") == 0 ||
               strcmp(cmd, "lookup_name") == 0) {
        do_names(job, r, cmd, pairs, n);
    } else if (strcmp(cmd, "spawn") == 0) {
        reply(r, "cmd=spawn_result rc=-1 "
              "msg=MPI_Comm_spawn_is_not_supported_by_this_mpiexec_yet\n");
    } else {
        fprintf(stderr, "mpiexec: rank %d sent an unknown PMI command '%.60s'\n", r->rank, cmd);
        reply(r, "cmd=%.60s_result rc=-1 msg=unknown_command\n", cmd);
    }
}

static void on_read(struct bufferevent *bev, void *arg)
{
    struct lm_rank *r = arg;
    struct lm_job *job = r->job;
    struct evbuffer *in = bufferevent_get_input(bev);
    char *line;
    size_t n;
    while (r->pmi_bev != NULL &&
           (line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF)) != NULL) {
        if (n > MAX_LINE) {
            free(line);
            fprintf(stderr, "mpiexec: rank %d sent a PMI line over %d bytes; closing its "
                    "PMI connection\n", r->rank, MAX_LINE);
            close_conn(r);
            lm_pmi_server_check_stuck(job);
            return;
        }
        handle_line(job, r, line);
        free(line);
    }
    if (r->pmi_bev != NULL && evbuffer_get_length(in) > MAX_LINE) {
        fprintf(stderr, "mpiexec: rank %d sent a PMI line over %d bytes; closing its PMI "
                "connection\n", r->rank, MAX_LINE);
        close_conn(r);
        lm_pmi_server_check_stuck(job);
    }
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
    struct lm_rank *r = arg;
    (void)bev;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
        close_conn(r);
        lm_pmi_server_check_stuck(r->job);
    }
}

void lm_pmi_server_drain(struct lm_job *job, struct lm_rank *r)
{
    (void)job;
    if (r->pmi_bev == NULL)
        return;
    /* The rank is gone; what it wrote before dying (an abort has no reply to wait for) is
     * in the socket. Read it now, so an abort is reported as an abort and not as the exit
     * that followed it. */
    struct evbuffer *in = bufferevent_get_input(r->pmi_bev);
    evutil_socket_t fd = bufferevent_getfd(r->pmi_bev);
    while (evbuffer_read(in, fd, 65536) > 0)
        ;
    on_read(r->pmi_bev, r);
}

int lm_pmi_server_attach(struct lm_job *job, struct lm_rank *r, int fd)
{
    evutil_make_socket_nonblocking(fd); /* a rank that stops reading must not stall us */
    r->pmi_bev = bufferevent_socket_new(job->base, fd, BEV_OPT_CLOSE_ON_FREE);
    if (r->pmi_bev == NULL)
        return -1;
    bufferevent_setcb(r->pmi_bev, on_read, NULL, on_event, r);
    bufferevent_enable(r->pmi_bev, EV_READ | EV_WRITE);
    return 0;
}
