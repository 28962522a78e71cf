/* mpiexec internals: the types the launcher's files share and the functions each exports.
 *
 * One concern per file:
 *   options.c     command line, -configfile, host checks, help/version -> struct lm_options
 *   procs.c       program lookup, rank environment, fork/exec, reaping, job teardown
 *   pmi_server.c  PMI-1 server on each rank's socketpair (wire format: shared/pmi.md)
 *   kvs.c         string tables: the job's key-value space and the name service
 *   stdio.c       line-by-line forwarding of rank output, stdin to rank 0
 *   bind.c        --bind-to through hwloc (the only file that touches hwloc)
 *   main.c        event loop, signals, timeout, exit status, /dev/shm cleanup
 *
 * Everything runs in one thread on one libevent loop; the only global is the job pointer
 * main() owns and hands to everyone (no locking needed, no state outside struct lm_job).
 */
#ifndef LITEMPI_LAUNCHER_H
#define LITEMPI_LAUNCHER_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

struct event_base;
struct event;
struct bufferevent;

/* ---------------- options ---------------- */

enum lm_env_mode { LM_ENV_DEFAULT, LM_ENV_ALL, LM_ENV_NONE, LM_ENV_LIST };

/* A growable array of strings (argv-style, NULL-terminated). */
struct lm_strv {
    char **v;
    int n, cap;
};

/* One MPMD segment: "-n N [local options] program args". */
struct lm_segment {
    int nprocs;               /* -1: not given */
    struct lm_strv argv;      /* program as typed, then its arguments */
    char *path;               /* resolved executable (procs.c) */
    char *wdir;               /* -wdir for this segment, or NULL */
    struct lm_strv env;       /* -env N V as "N=V" */
    struct lm_strv envlist;   /* -envlist names */
    enum lm_env_mode env_mode;
    int first_rank;
    char **envp;              /* base environment built for its ranks (procs.c) */
};

enum lm_bind { LM_BIND_NONE, LM_BIND_CORE, LM_BIND_HWTHREAD };

struct lm_options {
    struct lm_segment *segs;
    int nsegs;
    int total;                /* ranks in the job */
    struct lm_strv genv;      /* -genv / -x as "N=V" */
    struct lm_strv genvlist;  /* -genvlist names */
    enum lm_env_mode genv_mode;
    char *gwdir;              /* -gwdir: for segments without their own -wdir */
    bool label;
    double timeout;           /* seconds; 0 = none */
    double deadlock;          /* seconds all ranks may sit blocked in MPI; 0 = no check */
    enum lm_bind bind;
    int universe_size;        /* 0 = default (total ranks) */
    int host_slots;           /* sum of slots from -host/-hostfile (default -n) */
    bool print_all_exitcodes;
    bool keep_going;          /* --disable-auto-cleanup: a rank's death does not end the job */
    bool verbose;
    char *transports;         /* --transports: LITEMPI_TRANSPORTS for the ranks */
    char *output_dir;         /* --output-filename */
    struct lm_strv notes;     /* ignored options, reported under -v */
};

/* Parses argv. Returns 0 to run, or exits itself for --help/--version (0) and usage
 * errors (1, with a message). */
int lm_options_parse(int argc, char **argv, struct lm_options *opt);
void lm_options_free(struct lm_options *opt);

void lm_strv_push(struct lm_strv *s, const char *str);
void lm_strv_free(struct lm_strv *s);

/* ---------------- the job ---------------- */

/* Output of one rank on one of its streams, forwarded line by line. */
struct lm_stream {
    int fd;                   /* read end of the rank's pipe; -1 once closed */
    int out;                  /* 1 or 2: where mpiexec writes it */
    int rank;
    char *buf;
    size_t len, cap;
    bool midline;             /* a partial line was already written (oversized line) */
    struct event *ev;
    struct lm_job *job;
};

struct lm_rank {
    struct lm_job *job;
    int rank, seg;
    pid_t pid;                /* 0 before fork */
    bool alive;               /* forked and not yet reaped */
    int wstatus;              /* from waitpid, valid once !alive && pid */
    /* What the rank told the PMI server. */
    bool pmi_init, pmi_finalized, pmi_aborted, in_barrier, pmi_closed;
    double pmi_closed_at;     /* monotonic seconds */
    struct bufferevent *pmi_bev;
    char *pmi_mcmd;           /* a "mcmd=spawn" block being received */
    size_t pmi_mcmd_len;
    struct lm_stream out, err;
    int pmi_child_fd;         /* child's end of the socketpair, in the parent until forked */
    int out_child_fd, err_child_fd;
    bool bound;
    cpu_set_t cpus;           /* --bind-to target */
};

struct lm_table;

struct lm_job {
    struct event_base *base;
    struct lm_options *opt;
    struct lm_rank *ranks;
    int size;
    char kvsname[64];
    struct lm_table *kvs;     /* the job's key-value space */
    struct lm_table *names;   /* publish_name / lookup_name */
    int barrier_count;        /* ranks inside the current barrier */
    int alive;                /* ranks forked and not reaped */
    int stdin_fd;             /* what rank 0 gets as stdin */
    int stdin_pipe_rd;        /* read end of rank 0's stdin pipe (tty forwarding), or -1 */
    int devnull_fd;           /* stdin of the other ranks */
    struct event *stdin_ev;   /* tty -> rank 0 forwarding */
    struct bufferevent *stdin_bev;
    bool stdin_eof;
    /* Outcome. */
    bool status_set;
    int status;               /* exit status of mpiexec */
    bool ending;              /* teardown started: further exits are expected */
    struct event *kill_timer;
    struct event *timeout_timer;
    struct event *stuck_timer;  /* re-check a fence after a rank closed its PMI socket */
    struct lm_board_slot *board; /* status board shared with the ranks (board.c), or NULL */
    size_t board_len;
    struct event *deadlock_timer;
    bool out_broken[3];       /* EPIPE on our stdout/stderr: drop further output */
    int got_signal;           /* SIGINT/SIGTERM/SIGHUP received (0: none) */
    /* What the ranks must get back (we change these for ourselves). */
    pid_t self_pid;
    struct sigaction orig_sigpipe, orig_sigttin;
    struct rlimit orig_nofile;
    bool nofile_raised;
};

/* procs.c */
int lm_procs_resolve(struct lm_options *opt);          /* 0, or exits 127 with a message */
int lm_procs_start(struct lm_job *job);                /* forks every rank */
void lm_procs_reap(struct lm_job *job);                /* SIGCHLD: waitpid and judge exits */
/* Ends the job: records status (if none yet), prints the one summary line built from fmt
 * followed by "; ended ranks ..." when others were still alive, SIGTERMs them and arms
 * the SIGKILL timer. except: the rank the failure is about (not listed), or -1. */
void lm_job_fail(struct lm_job *job, int status, int except, bool list_ended,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void lm_job_signal_all(struct lm_job *job, int sig);
/* Starts teardown without a message: sig to every live rank now, SIGKILL 1 s later. */
void lm_job_end(struct lm_job *job, int sig);
void lm_job_check_done(struct lm_job *job);            /* leave the loop when all is over */
/* Formats a rank list "0,2,5-9" of the ranks for which pick() is true. */
typedef bool (*lm_rank_pred)(const struct lm_rank *r);
void lm_format_ranks(const struct lm_job *job, lm_rank_pred pick, int except, char *buf,
                     size_t len);
const char *lm_signal_name(int sig);

/* pmi_server.c */
int lm_pmi_server_attach(struct lm_job *job, struct lm_rank *r, int fd);
void lm_pmi_server_check_stuck(struct lm_job *job);     /* barrier that can never complete */
void lm_pmi_server_drain(struct lm_job *job, struct lm_rank *r); /* read what a dead rank sent */

/* kvs.c */
struct lm_table *lm_table_create(void);
void lm_table_free(struct lm_table *t);
const char *lm_table_get(const struct lm_table *t, const char *key);
int lm_table_put(struct lm_table *t, const char *key, const char *value); /* 0 / -1 oom */
bool lm_table_remove(struct lm_table *t, const char *key);

/* stdio.c */
int lm_stdio_setup_stdin(struct lm_job *job);           /* before forking */
int lm_stdio_attach(struct lm_job *job, struct lm_rank *r); /* after forking rank r */
void lm_stdio_drain_all(struct lm_job *job);            /* all ranks gone: flush and close */
void lm_stdio_drain_rank(struct lm_job *job, struct lm_rank *r); /* forward what is there now */

/* board.c: where each rank is blocked, for timeout reports and deadlock detection */
struct lm_board_slot;
int lm_board_create(struct lm_job *job);                /* before forking; optional */
void lm_board_report(struct lm_job *job);               /* roll-call lines to stderr */
void lm_board_watch(struct lm_job *job);                /* start the deadlock check */
void lm_board_free(struct lm_job *job);

/* bind.c */
int lm_bind_prepare(struct lm_job *job);                /* fills ranks[].cpus */

/* main.c */
void lm_job_done(struct lm_job *job);                   /* stop the event loop */

#endif
