/* mpiexec: LiteMPI's launcher. Parses the command line, starts every rank on this machine,
 * serves PMI-1, forwards stdio, and ends the job the moment it cannot finish well (a rank
 * died, aborted or left without finalize; a timeout; SIGINT/SIGTERM), always with one line
 * that says why and an exit status that reflects it.
 *
 * Startup is on the critical path of every CI test (target: `mpiexec -n 2 hello` in a few
 * milliseconds), so nothing here does DNS, reads the topology (unless --bind-to), or waits
 * between forks.
 */
#include "launcher.h"

#include <dirent.h>
#include <errno.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void lm_job_done(struct lm_job *job)
{
    event_base_loopbreak(job->base);
}

/* ---- signals ---- */

static void on_sigchld(evutil_socket_t sig, short what, void *arg)
{
    (void)sig;
    (void)what;
    lm_procs_reap(arg);
}

static bool pred_alive(const struct lm_rank *r)
{
    return r->alive;
}

static void on_terminate(evutil_socket_t sig, short what, void *arg)
{
    struct lm_job *job = arg;
    (void)what;
    if (job->got_signal || job->ending) {
        /* Second interrupt, or one during teardown: no more waiting (the status stays
         * what the first event made it). */
        job->got_signal = (int)sig;
        lm_job_signal_all(job, SIGKILL);
        return;
    }
    job->status = 128 + (int)sig;
    job->status_set = true;
    job->got_signal = (int)sig;
    char ranks[512], msg[640];
    lm_format_ranks(job, pred_alive, -1, ranks, sizeof ranks);
    int n = snprintf(msg, sizeof msg, "mpiexec: received %s; sent it to ranks %s\n",
                     lm_signal_name((int)sig), ranks[0] ? ranks : "(none left)");
    if (write(2, msg, (size_t)(n < (int)sizeof msg ? n : (int)sizeof msg - 1)) < 0) {
    }
    /* The ranks get the signal we got (a Python rank turns SIGINT into KeyboardInterrupt
     * and can print its traceback); whoever is left a second later gets SIGKILL. */
    lm_job_end(job, (int)sig);
}

static void on_forward(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    lm_job_signal_all(arg, (int)sig); /* SIGUSR1/2, SIGCONT: for the ranks, the job goes on */
}

static void on_stop(evutil_socket_t sig, short what, void *arg)
{
    (void)sig;
    (void)what;
    /* Ctrl-Z: stop the ranks with us (they are in their own process groups, so the
     * terminal's SIGTSTP reached only mpiexec); SIGCONT brings everyone back. */
    lm_job_signal_all(arg, SIGTSTP);
    raise(SIGSTOP);
}

/* ---- timeout ---- */

static bool pred_never_init(const struct lm_rank *r)
{
    return r->alive && !r->pmi_init;
}
static bool pred_in_fence(const struct lm_rank *r)
{
    return r->alive && r->in_barrier;
}
static bool pred_finalized(const struct lm_rank *r)
{
    return r->alive && r->pmi_finalized;
}

static void on_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct lm_job *job = arg;
    (void)fd;
    (void)what;
    char running[512], fin[512], fence[512], never[512], extra[1600] = "";
    lm_format_ranks(job, pred_alive, -1, running, sizeof running);
    lm_format_ranks(job, pred_finalized, -1, fin, sizeof fin);
    lm_format_ranks(job, pred_in_fence, -1, fence, sizeof fence);
    lm_format_ranks(job, pred_never_init, -1, never, sizeof never);
    size_t pos = 0;
    if (fin[0])
        pos += (size_t)snprintf(extra + pos, sizeof extra - pos, "; in MPI_Finalize: %s", fin);
    if (fence[0] && pos < sizeof extra)
        pos += (size_t)snprintf(extra + pos, sizeof extra - pos,
                                "; waiting in a PMI fence: %s", fence);
    if (never[0] && pos < sizeof extra)
        snprintf(extra + pos, sizeof extra - pos, "; never called MPI_Init: %s", never);
    lm_job_fail(job, 124, -1, false, "job timed out after %g s; ranks still running: %s "
                "(of %d)%s", job->opt->timeout, running[0] ? running : "none", job->size,
                extra);
    lm_board_report(job);
}

/* ---- leftovers ---- */

/* Removes dir/litempi-<kvsname>-* : the library's shared-memory segments survive a crash. */
static void unlink_segments(const char *dir, const char *kvsname)
{
    char prefix[128];
    int plen = snprintf(prefix, sizeof prefix, "litempi-%s-", kvsname);
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    int dfd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, (size_t)plen) == 0)
            unlinkat(dfd, e->d_name, 0);
    closedir(d);
}

/* ---- setup ---- */

static void make_kvsname(struct lm_job *job)
{
    unsigned char rnd[8];
    if (getrandom(rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = (unsigned long long)ts.tv_nsec * 6364136223846793005ull ^
                               (unsigned long long)ts.tv_sec ^ (unsigned long long)getpid();
        memcpy(rnd, &x, sizeof rnd);
    }
    int n = snprintf(job->kvsname, sizeof job->kvsname, "litempi_%ld_", (long)getpid());
    for (int i = 0; i < 8; i++)
        n += snprintf(job->kvsname + n, sizeof job->kvsname - (size_t)n, "%02x", rnd[i]);
}

/* The job's tcp key: ranks present it when they open a connection to each other, and close
 * connections that do not. 128 random bits, served as the pre-put PMI key "lm-jobkey" (the
 * library reads it through PMI; it is never in the environment or on a command line). */
static int make_jobkey(struct lm_job *job)
{
    unsigned char rnd[16];
    size_t got = 0;
    while (got < sizeof rnd) {
        ssize_t n = getrandom(rnd + got, sizeof rnd - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "mpiexec: cannot generate the job key: %s\n", strerror(errno));
            return -1;
        }
        got += (size_t)n;
    }
    char hex[2 * sizeof rnd + 1];
    for (size_t i = 0; i < sizeof rnd; i++)
        snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
    if (lm_table_put(job->kvs, "lm-jobkey", hex) < 0) {
        fputs("mpiexec: out of memory\n", stderr);
        return -1;
    }
    return 0;
}

/* Ranks' pipes and sockets must not land on 0/1/2 if we were started with those closed. */
static void ensure_std_fds(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) < 0)
            _exit(1);
}

static void raise_fd_limit(struct lm_job *job)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return;
    rlim_t need = (rlim_t)job->size * 3 + 64;
    if (rl.rlim_cur >= need)
        return;
    job->orig_nofile = rl;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
        job->nofile_raised = true;
}

static int mkdir_p(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

static void print_exit_codes(const struct lm_job *job)
{
    for (int i = 0; i < job->size; i++) {
        const struct lm_rank *r = &job->ranks[i];
        if (r->pid <= 0)
            fprintf(stderr, "mpiexec: rank %d: not started\n", i);
        else if (r->alive)
            fprintf(stderr, "mpiexec: rank %d (pid %ld): still running\n", i, (long)r->pid);
        else if (WIFSIGNALED(r->wstatus))
            fprintf(stderr, "mpiexec: rank %d (pid %ld): killed by signal %d (%s)\n", i,
                    (long)r->pid, WTERMSIG(r->wstatus), lm_signal_name(WTERMSIG(r->wstatus)));
        else
            fprintf(stderr, "mpiexec: rank %d (pid %ld): exit code %d\n", i, (long)r->pid,
                    WEXITSTATUS(r->wstatus));
    }
}

int main(int argc, char **argv)
{
    ensure_std_fds();

    struct lm_options opt;
    lm_options_parse(argc, argv, &opt);
    lm_procs_resolve(&opt); /* exits 127 when a program cannot be run */
    if (opt.output_dir != NULL && mkdir_p(opt.output_dir) < 0) {
        fprintf(stderr, "mpiexec: cannot create --output-filename directory '%s': %s\n",
                opt.output_dir, strerror(errno));
        return 1;
    }

    struct lm_job job;
    memset(&job, 0, sizeof job);
    job.opt = &opt;
    job.size = opt.total;
    job.self_pid = getpid();
    job.ranks = calloc((size_t)job.size, sizeof *job.ranks);
    job.kvs = lm_table_create();
    job.names = lm_table_create();
    if (job.ranks == NULL || job.kvs == NULL || job.names == NULL) {
        fputs("mpiexec: out of memory\n", stderr);
        return 1;
    }
    for (int s = 0; s < opt.nsegs; s++)
        for (int k = 0; k < opt.segs[s].nprocs; k++) {
            struct lm_rank *r = &job.ranks[opt.segs[s].first_rank + k];
            r->job = &job;
            r->rank = opt.segs[s].first_rank + k;
            r->seg = s;
            r->out.fd = r->err.fd = -1;
        }
    make_kvsname(&job);
    if (make_jobkey(&job) < 0)
        return 1;
    raise_fd_limit(&job);
    lm_board_create(&job);

    struct event_config *cfg = event_config_new();
    if (cfg != NULL) {
        event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK);
        job.base = event_base_new_with_config(cfg);
        event_config_free(cfg);
    }
    if (job.base == NULL) {
        fputs("mpiexec: cannot create the event loop\n", stderr);
        return 1;
    }

    /* Our own signal state; ranks get the original back (procs.c). */
    struct sigaction ign = { .sa_handler = SIG_IGN };
    sigaction(SIGPIPE, &ign, &job.orig_sigpipe);
    sigaction(SIGTTIN, &ign, &job.orig_sigttin);
    struct event *sigs[9];
    int nsigs = 0;
    sigs[nsigs++] = evsignal_new(job.base, SIGCHLD, on_sigchld, &job);
    sigs[nsigs++] = evsignal_new(job.base, SIGINT, on_terminate, &job);
    sigs[nsigs++] = evsignal_new(job.base, SIGTERM, on_terminate, &job);
    sigs[nsigs++] = evsignal_new(job.base, SIGHUP, on_terminate, &job);
    sigs[nsigs++] = evsignal_new(job.base, SIGUSR1, on_forward, &job);
    sigs[nsigs++] = evsignal_new(job.base, SIGUSR2, on_forward, &job);
    sigs[nsigs++] = evsignal_new(job.base, SIGCONT, on_forward, &job);
    sigs[nsigs++] = evsignal_new(job.base, SIGTSTP, on_stop, &job);
    for (int i = 0; i < nsigs; i++)
        if (sigs[i] == NULL || event_add(sigs[i], NULL) < 0) {
            fputs("mpiexec: cannot install signal handlers\n", stderr);
            return 1;
        }

    if (opt.bind != LM_BIND_NONE && lm_bind_prepare(&job) < 0)
        return 1;
    if (lm_stdio_setup_stdin(&job) < 0)
        return 1;

    if (opt.timeout > 0) {
        job.timeout_timer = evtimer_new(job.base, on_timeout, &job);
        struct timeval tv = { (time_t)opt.timeout,
                              (suseconds_t)((opt.timeout - (double)(time_t)opt.timeout) * 1e6) };
        if (job.timeout_timer)
            evtimer_add(job.timeout_timer, &tv);
    }

    lm_procs_start(&job);
    lm_board_watch(&job);
    while (job.alive > 0)
        if (event_base_loop(job.base, EVLOOP_ONCE) < 0)
            break;
    lm_stdio_drain_all(&job);

    const char *tmp = getenv("TMPDIR");
    unlink_segments("/dev/shm", job.kvsname);
    unlink_segments(tmp && *tmp ? tmp : "/tmp", job.kvsname);
    if (opt.print_all_exitcodes)
        print_exit_codes(&job);

    int status = job.status_set ? job.status : 0;

    for (int i = 0; i < nsigs; i++)
        event_free(sigs[i]);
    for (int i = 0; i < job.size; i++) {
        if (job.ranks[i].pmi_bev)
            bufferevent_free(job.ranks[i].pmi_bev);
        free(job.ranks[i].pmi_mcmd);
    }
    if (job.kill_timer)
        event_free(job.kill_timer);
    if (job.timeout_timer)
        event_free(job.timeout_timer);
    if (job.stuck_timer)
        event_free(job.stuck_timer);
    lm_board_free(&job);
    event_base_free(job.base);
    lm_table_free(job.kvs);
    lm_table_free(job.names);
    free(job.ranks);
    lm_options_free(&opt);
    return status;
}
