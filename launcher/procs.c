/* Rank processes: finding the programs, building each rank's environment, fork/exec, and
 * the life-and-death policy of the job (shared/ECOSYSTEM.md §1.4):
 *
 *  - a rank killed by a signal, a rank exiting non-zero before PMI finalize, or a rank
 *    exiting 0 after PMI init without finalize ends the job: one summary line naming the
 *    rank, its pid and how it died; SIGTERM to every other rank, SIGKILL one second later;
 *    mpiexec exits with that rank's code (128+signal for a signal, 1 for a missing
 *    finalize);
 *  - a non-zero exit after finalize only sets the exit status;
 *  - a rank that exits 0 without ever talking PMI is a normal non-MPI program
 *    (`mpiexec -n 2 hostname`), unless MPI ranks are waiting for it in a fence
 *    (pmi_server.c notices that).
 *
 * Each rank is the leader of its own process group, so teardown signals reach whatever
 * the rank started too (a shell wrapper's child, a Python subprocess). Programs are
 * resolved before anything is forked: a typo fails the whole launch with exit 127 and no
 * rank started.
 */
#include "launcher.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---- program lookup ---- */

/* Joins dir and name into a new string ("dir/name"; name alone when dir is NULL/empty). */
static char *join_path(const char *dir, const char *name)
{
    char *p;
    if (dir == NULL || *dir == '\0')
        return strdup(name);
    if (asprintf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name) < 0)
        return NULL;
    return p;
}

/* 0 if path is an executable regular file; else an errno value. */
static int check_exec(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return errno;
    if (S_ISDIR(st.st_mode))
        return EISDIR;
    if (access(path, X_OK) < 0)
        return errno;
    return 0;
}

/* PATH as the rank will see it: -env PATH, else -genv PATH, else ours. */
static const char *rank_path_var(const struct lm_options *opt, const struct lm_segment *seg)
{
    for (int i = seg->env.n - 1; i >= 0; i--)
        if (strncmp(seg->env.v[i], "PATH=", 5) == 0)
            return seg->env.v[i] + 5;
    for (int i = opt->genv.n - 1; i >= 0; i--)
        if (strncmp(opt->genv.v[i], "PATH=", 5) == 0)
            return opt->genv.v[i] + 5;
    const char *p = getenv("PATH");
    return p ? p : "/usr/local/bin:/usr/bin:/bin";
}

/* Makes the segment's path absolute (ranks chdir to wdir before exec, so relative names
 * are taken relative to wdir, as the shell in that directory would). */
static void resolve_segment(struct lm_options *opt, struct lm_segment *seg)
{
    const char *prog = seg->argv.v[0];
    const char *wdir = seg->wdir ? seg->wdir : opt->gwdir;
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) == NULL)
        cwd[0] = '\0';

    char *base = NULL; /* absolute directory the rank starts in */
    if (wdir != NULL) {
        struct stat st;
        if (stat(wdir, &st) < 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "mpiexec: cannot use working directory '%s': %s\n", wdir,
                    stat(wdir, &st) < 0 ? strerror(errno) : "Not a directory");
            exit(1);
        }
        base = wdir[0] == '/' ? strdup(wdir) : join_path(cwd, wdir);
    } else {
        base = strdup(cwd);
    }

    char *found = NULL;
    int err = ENOENT;
    if (strchr(prog, '/') != NULL) {
        found = prog[0] == '/' ? strdup(prog) : join_path(base, prog);
        err = found ? check_exec(found) : ENOMEM;
        if (err == ENOENT && prog[0] != '/' && wdir != NULL) {
            /* "mpiexec -wdir /data ./a.out": users mean the a.out next to them */
            char *here = join_path(cwd, prog);
            if (here != NULL && check_exec(here) == 0) {
                free(found);
                found = here;
                err = 0;
            } else {
                free(here);
            }
        }
    } else {
        const char *path = rank_path_var(opt, seg);
        int first_err = 0;
        for (const char *p = path;; ) {
            size_t len = strcspn(p, ":");
            char dir[4096];
            if (len < sizeof dir) {
                memcpy(dir, p, len);
                dir[len] = '\0';
                char *d = (dir[0] == '/') ? strdup(dir) : join_path(base, dir);
                char *cand = d ? join_path(d, prog) : NULL;
                free(d);
                int e = cand ? check_exec(cand) : ENOMEM;
                if (e == 0) {
                    found = cand;
                    err = 0;
                    break;
                }
                if (e != ENOENT && e != ENOTDIR && first_err == 0)
                    first_err = e; /* e.g. exists but not executable */
                free(cand);
            }
            if (p[len] == '\0')
                break;
            p += len + 1;
        }
        if (found == NULL) {
            if (first_err == 0) {
                fprintf(stderr, "mpiexec: program '%s' not found (searched PATH=%s)\n", prog,
                        path);
                exit(127);
            }
            err = first_err;
        }
    }
    if (err == ENOENT || err == ENOTDIR) {
        fprintf(stderr, "mpiexec: program '%s' not found (looked for %s%s%s)\n", prog,
                found ? found : prog, wdir && prog[0] != '/' ? " and in " : "",
                wdir && prog[0] != '/' ? cwd : "");
        exit(127);
    }
    if (err != 0) {
        fprintf(stderr, "mpiexec: cannot execute '%s': %s\n", found ? found : prog,
                strerror(err));
        exit(127);
    }
    free(seg->path);
    seg->path = found;
    free(base);
}

/* ---- environment ---- */

/* Variables a rank must not inherit from mpiexec's own environment: ours are set per rank,
 * and an outer launcher's would confuse the PMI client. */
static bool is_stripped(const char *entry)
{
    static const char *const names[] = {
        "PMI_FD", "PMI_PORT", "PMI_ID", "PMI_RANK", "PMI_SIZE", "PMI_SPAWNED", "PMI_JOBID",
        "PMI2_SUN_PATH", "MPI_LOCALNRANKS", "MPI_LOCALRANKID", "LITEMPI_KVSNAME",
        "HYDI_CONTROL_FD",
    };
    size_t len = strcspn(entry, "=");
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == len && strncmp(entry, names[i], len) == 0)
            return true;
    return false;
}

/* Sets "N=V" in envp[0..*n), replacing an entry with the same name. */
static void env_set(char **envp, int *n, char *entry)
{
    size_t len = strcspn(entry, "=");
    for (int i = 0; i < *n; i++)
        if (strncmp(envp[i], entry, len) == 0 && envp[i][len] == '=') {
            envp[i] = entry;
            return;
        }
    envp[(*n)++] = entry;
}

static char *env_entry(const char *name)
{
    size_t len = strlen(name);
    for (char **e = environ; *e; e++)
        if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
            return *e;
    return NULL;
}

static void build_envp(struct lm_options *opt, struct lm_segment *seg)
{
    int nenv = 0;
    for (char **e = environ; *e; e++)
        nenv++;
    int cap = nenv + opt->genv.n + seg->env.n + 2;
    char **envp = calloc((size_t)cap, sizeof *envp);
    if (envp == NULL) {
        fputs("mpiexec: out of memory\n", stderr);
        exit(1);
    }
    int n = 0;
    enum lm_env_mode mode = seg->env_mode != LM_ENV_DEFAULT ? seg->env_mode : opt->genv_mode;
    if (mode == LM_ENV_DEFAULT || mode == LM_ENV_ALL) {
        for (char **e = environ; *e; e++)
            if (strchr(*e, '=') != NULL && !is_stripped(*e))
                envp[n++] = *e;
    } else if (mode == LM_ENV_LIST) {
        struct lm_strv *lists[2] = { &opt->genvlist, &seg->envlist };
        for (int l = 0; l < 2; l++)
            for (int i = 0; i < lists[l]->n; i++) {
                char *e = env_entry(lists[l]->v[i]);
                if (e != NULL && !is_stripped(e) && n < cap - 1)
                    env_set(envp, &n, e);
            }
    }
    for (int i = 0; i < opt->genv.n; i++)
        env_set(envp, &n, opt->genv.v[i]);
    for (int i = 0; i < seg->env.n; i++)
        env_set(envp, &n, seg->env.v[i]);
    envp[n] = NULL;
    seg->envp = envp;
}

int lm_procs_resolve(struct lm_options *opt)
{
    if (opt->transports != NULL) {
        char *kv;
        if (asprintf(&kv, "LITEMPI_TRANSPORTS=%s", opt->transports) < 0)
            exit(1);
        lm_strv_push(&opt->genv, kv);
        free(kv);
    }
    for (int s = 0; s < opt->nsegs; s++)
        resolve_segment(opt, &opt->segs[s]);
    for (int s = 0; s < opt->nsegs; s++)
        build_envp(opt, &opt->segs[s]);
    return 0;
}

/* ---- starting ranks ---- */

__attribute__((noreturn))
static void child_exec(struct lm_job *job, struct lm_rank *r, int pmi_fd, int out_fd,
                       int err_fd)
{
    struct lm_options *opt = job->opt;
    struct lm_segment *seg = &opt->segs[r->seg];

    /* Die with mpiexec, even if it is SIGKILLed; it may already be gone. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != job->self_pid)
        _exit(1);
    setpgid(0, 0);

    /* Give the program the signal state mpiexec was given. Signals are still blocked
     * (lm_procs_start): a signal that arrived now would run libevent's handler, which
     * writes to the parent's signal pipe and makes mpiexec believe it got the signal. */
    static const int handled[] = { SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2,
                                   SIGCONT, SIGTSTP };
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    for (size_t i = 0; i < sizeof handled / sizeof *handled; i++)
        sigaction(handled[i], &dfl, NULL);
    sigaction(SIGPIPE, &job->orig_sigpipe, NULL);
    sigaction(SIGTTIN, &job->orig_sigttin, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (job->nofile_raised)
        setrlimit(RLIMIT_NOFILE, &job->orig_nofile);

    int in_fd = r->rank == 0 ? job->stdin_fd : job->devnull_fd;
    if ((in_fd != 0 && dup2(in_fd, 0) < 0) || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
        _exit(127);
    fcntl(pmi_fd, F_SETFD, 0); /* the one fd the rank keeps; all others are CLOEXEC */

    const char *wdir = seg->wdir ? seg->wdir : opt->gwdir;
    if (wdir != NULL && chdir(wdir) < 0) {
        dprintf(2, "mpiexec: rank %d cannot enter '%s': %s\n", r->rank, wdir, strerror(errno));
        _exit(127);
    }
    if (r->bound && sched_setaffinity(0, sizeof r->cpus, &r->cpus) < 0)
        dprintf(2, "mpiexec: warning: cannot bind rank %d: %s\n", r->rank, strerror(errno));

    /* The segment's environment plus this rank's PMI variables. */
    int n = 0;
    while (seg->envp[n])
        n++;
    char **envp = malloc((size_t)(n + 8) * sizeof *envp);
    if (envp == NULL)
        _exit(127);
    memcpy(envp, seg->envp, (size_t)n * sizeof *envp);
    char v[6][320];
    snprintf(v[0], sizeof v[0], "PMI_FD=%d", pmi_fd);
    snprintf(v[1], sizeof v[1], "PMI_RANK=%d", r->rank);
    snprintf(v[2], sizeof v[2], "PMI_SIZE=%d", job->size);
    snprintf(v[3], sizeof v[3], "MPI_LOCALNRANKS=%d", job->size);
    snprintf(v[4], sizeof v[4], "MPI_LOCALRANKID=%d", r->rank);
    snprintf(v[5], sizeof v[5], "LITEMPI_KVSNAME=%s", job->kvsname);
    for (int i = 0; i < 6; i++)
        env_set(envp, &n, v[i]);
    envp[n] = NULL;

    execve(seg->path, seg->argv.v, envp);
    if (errno == ENOEXEC) { /* a script without #!: run it with sh, as execvp would */
        char **argv = malloc((size_t)(seg->argv.n + 2) * sizeof *argv);
        if (argv != NULL) {
            argv[0] = "sh";
            argv[1] = seg->path;
            memcpy(argv + 2, seg->argv.v + 1, (size_t)seg->argv.n * sizeof *argv);
            execve("/bin/sh", argv, envp);
        }
    }
    dprintf(2, "mpiexec: cannot execute '%s' for rank %d: %s\n", seg->path, r->rank,
            strerror(errno));
    _exit(127);
}

static int open_output_file(struct lm_job *job, int rank)
{
    char *path;
    if (asprintf(&path, "%s/rank.%d", job->opt->output_dir, rank) < 0)
        return -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        fprintf(stderr, "mpiexec: cannot create '%s': %s\n", path, strerror(errno));
    free(path);
    return fd;
}

int lm_procs_start(struct lm_job *job)
{
    for (int i = 0; i < job->size; i++) {
        struct lm_rank *r = &job->ranks[i];
        int sv[2], outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
            lm_job_fail(job, 1, -1, true, "cannot create the PMI socket for rank %d: %s", i,
                        strerror(errno));
            return -1;
        }
        if (job->opt->output_dir != NULL) {
            int fd = open_output_file(job, i);
            if (fd < 0) {
                close(sv[0]);
                close(sv[1]);
                lm_job_fail(job, 1, -1, true, "cannot start rank %d", i);
                return -1;
            }
            outp[1] = fd;
            errp[1] = fd;
        } else if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
            int e = errno;
            close(sv[0]);
            close(sv[1]);
            for (int k = 0; k < 2; k++) {
                if (outp[k] >= 0)
                    close(outp[k]);
                if (errp[k] >= 0)
                    close(errp[k]);
            }
            lm_job_fail(job, 1, -1, true, "cannot create output pipes for rank %d: %s", i,
                        strerror(e));
            return -1;
        }

        sigset_t all, old;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old);
        pid_t pid = fork();
        if (pid == 0)
            child_exec(job, r, sv[1], outp[1], errp[1]);
        int fork_errno = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(sv[1]);
        close(outp[1]);
        if (errp[1] != outp[1])
            close(errp[1]);
        if (pid < 0) {
            close(sv[0]);
            if (outp[0] >= 0)
                close(outp[0]);
            if (errp[0] >= 0)
                close(errp[0]);
            lm_job_fail(job, 1, -1, true, "cannot fork rank %d: %s", i, strerror(fork_errno));
            return -1;
        }
        /* Also here, so the group exists before fork() returns to us: a teardown signal
         * sent to it right away must not miss the child. */
        setpgid(pid, pid);
        r->pid = pid;
        r->alive = true;
        job->alive++;
        r->out.fd = outp[0];
        r->err.fd = errp[0];
        if (lm_pmi_server_attach(job, r, sv[0]) < 0 || lm_stdio_attach(job, r) < 0) {
            lm_job_fail(job, 1, -1, true, "cannot watch rank %d (out of memory?)", i);
            return -1;
        }
    }
    return 0;
}

/* ---- ending ---- */

const char *lm_signal_name(int sig)
{
    static const char *const names[] = {
        [SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
        [SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
        [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
        [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
        [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
        [SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
        [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN",
        [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
        [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
        [SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
        [SIGSYS] = "SIGSYS",
    };
    if (sig > 0 && (size_t)sig < sizeof names / sizeof *names && names[sig])
        return names[sig];
    return sig >= SIGRTMIN && sig <= SIGRTMAX ? "SIGRT" : "unknown signal";
}

void lm_format_ranks(const struct lm_job *job, lm_rank_pred pick, int except, char *buf,
                     size_t len)
{
    size_t pos = 0;
    buf[0] = '\0';
    for (int i = 0; i < job->size;) {
        if (i == except || !pick(&job->ranks[i])) {
            i++;
            continue;
        }
        int j = i;
        while (j + 1 < job->size && j + 1 != except && pick(&job->ranks[j + 1]))
            j++;
        char item[32];
        if (j - i >= 2)
            snprintf(item, sizeof item, "%d-%d", i, j);
        else if (j == i + 1)
            snprintf(item, sizeof item, "%d,%d", i, j);
        else
            snprintf(item, sizeof item, "%d", i);
        size_t need = strlen(item) + (pos ? 1 : 0);
        if (pos + need + 4 >= len) {
            if (pos + 4 < len)
                strcpy(buf + pos, ",...");
            return;
        }
        pos += (size_t)snprintf(buf + pos, len - pos, "%s%s", pos ? "," : "", item);
        i = j + 1;
    }
}

static bool pred_alive(const struct lm_rank *r)
{
    return r->alive;
}

void lm_job_signal_all(struct lm_job *job, int sig)
{
    for (int i = 0; i < job->size; i++) {
        struct lm_rank *r = &job->ranks[i];
        if (r->pid > 0 && r->alive && kill(-r->pid, sig) < 0)
            kill(r->pid, sig); /* not a group leader (setpgid raced with exec): the rank */
    }
}

static void on_kill_timer(evutil_socket_t fd, short what, void *arg)
{
    struct lm_job *job = arg;
    (void)fd;
    (void)what;
    lm_job_signal_all(job, SIGKILL);
}

void lm_job_end(struct lm_job *job, int sig)
{
    job->ending = true;
    if (job->timeout_timer)
        event_del(job->timeout_timer);
    lm_job_signal_all(job, sig);
    lm_job_signal_all(job, SIGCONT); /* a stopped rank acts on it only once continued */
    if (job->kill_timer == NULL)
        job->kill_timer = evtimer_new(job->base, on_kill_timer, job);
    struct timeval one_second = { 1, 0 };
    if (job->kill_timer)
        evtimer_add(job->kill_timer, &one_second);
    lm_job_check_done(job);
}

void lm_job_fail(struct lm_job *job, int status, int except, bool list_ended,
                 const char *fmt, ...)
{
    if (job->ending)
        return;
    /* This failure ends the job, so it decides the status even if a rank already exited
     * non-zero after MPI_Finalize; with --disable-auto-cleanup the first rank failure,
     * already recorded, stays the status (what follows is its consequence). */
    if (!(job->opt->keep_going && job->status_set))
        job->status = status;
    job->status_set = true;

    char msg[2048];
    int len = snprintf(msg, sizeof msg, "mpiexec: ");
    va_list ap;
    va_start(ap, fmt);
    len += vsnprintf(msg + len, sizeof msg - (size_t)len, fmt, ap);
    va_end(ap);
    if ((size_t)len >= sizeof msg)
        len = (int)sizeof msg - 1;
    if (list_ended) {
        char ranks[512];
        lm_format_ranks(job, pred_alive, except, ranks, sizeof ranks);
        if (ranks[0] != '\0')
            len += snprintf(msg + len, sizeof msg - (size_t)len, "; ended ranks %s", ranks);
        if ((size_t)len >= sizeof msg - 1)
            len = (int)sizeof msg - 2;
    }
    msg[len++] = '\n';
    if (write(2, msg, (size_t)len) < 0) {
        /* nothing better to do */
    }
    lm_job_end(job, SIGTERM);
}

/* A rank ended badly: end the job, or with --disable-auto-cleanup only say so (the status
 * still reports the first failure; the job ends when the others are done). */
__attribute__((format(printf, 4, 5)))
static void rank_failed(struct lm_job *job, struct lm_rank *r, int status, const char *fmt, ...)
{
    char how[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(how, sizeof how, fmt, ap);
    va_end(ap);
    if (!job->opt->keep_going) {
        lm_job_fail(job, status, r->rank, true, "%s", how);
        return;
    }
    if (!job->status_set) {
        job->status = status;
        job->status_set = true;
    }
    fprintf(stderr, "mpiexec: %s; the other ranks go on (--disable-auto-cleanup)\n", how);
}

/* Decides what the end of one rank means for the job. */
static void judge_exit(struct lm_job *job, struct lm_rank *r)
{
    if (job->ending)
        return; /* we are killing everyone anyway; the first failure is already reported */
    lm_pmi_server_drain(job, r);
    if (job->ending || r->pmi_aborted)
        return; /* it had called abort: reported */
    lm_stdio_drain_rank(job, r); /* its output before our summary of its end */
    int st = r->wstatus;
    if (WIFSIGNALED(st)) {
        int sig = WTERMSIG(st);
        rank_failed(job, r, 128 + sig, "rank %d (pid %ld) was killed by signal %d (%s)%s",
                    r->rank, (long)r->pid, sig, lm_signal_name(sig),
                    WCOREDUMP(st) ? ", core dumped" : "");
        return;
    }
    int code = WEXITSTATUS(st);
    if (code != 0) {
        if (r->pmi_finalized) {
            if (!job->status_set) {
                job->status = code;
                job->status_set = true;
            }
            char line[160];
            int n = snprintf(line, sizeof line, "mpiexec: rank %d (pid %ld) exited with code "
                             "%d after MPI_Finalize\n", r->rank, (long)r->pid, code);
            if (write(2, line, (size_t)n) < 0) {
            }
            return;
        }
        rank_failed(job, r, code, "rank %d (pid %ld) exited with code %d%s", r->rank,
                    (long)r->pid, code, r->pmi_init ? " before MPI_Finalize" : "");
        return;
    }
    if (r->pmi_init && !r->pmi_finalized && !r->pmi_aborted)
        rank_failed(job, r, 1, "rank %d (pid %ld) exited without calling MPI_Finalize",
                    r->rank, (long)r->pid);
}

void lm_procs_reap(struct lm_job *job)
{
    int st;
    pid_t pid;
    struct lm_rank *batch[64];
    int nb;
    do {
        /* Reap everything that is ready first, so "ended ranks" does not list a rank that
         * died on its own at the same moment; then judge in reaping order. */
        nb = 0;
        while (nb < 64 && (pid = waitpid(-1, &st, WNOHANG)) > 0) {
            for (int i = 0; i < job->size; i++) {
                struct lm_rank *r = &job->ranks[i];
                if (r->pid == pid && r->alive) {
                    r->alive = false;
                    r->wstatus = st;
                    job->alive--;
                    batch[nb++] = r;
                    break;
                }
            }
        }
        for (int i = 0; i < nb; i++)
            judge_exit(job, batch[i]);
    } while (nb == 64);
    lm_pmi_server_check_stuck(job);
    lm_job_check_done(job);
}

void lm_job_check_done(struct lm_job *job)
{
    if (job->alive > 0)
        return;
    lm_stdio_drain_all(job);
    lm_job_done(job);
}
