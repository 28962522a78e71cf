/* board.c - the status board: where each rank is blocked (src/core/board.h).
 *
 * mpiexec creates the board before forking; ranks write their slot only on the way to
 * sleep in a blocking MPI call. Two readers here:
 *   - the --timeout report: a roll-call grouping ranks by what they wait in;
 *   - the deadlock check: when every live rank has been asleep in MPI, without a single
 *     packet moving, for --deadlock-timeout seconds, nothing can ever wake them (peers ring
 *     doorbells only when they send), so the job ends with the roll-call and status 125
 *     instead of hanging until a CI limit. Ranks outside MPI (computing, sleeping, reading
 *     stdin) are "running" and keep the check from firing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "core/board.h"
#include "launcher.h"

#define LM_DEADLOCK_STATUS 125

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int lm_board_create(struct lm_job *job)
{
    const char *tmp = getenv("TMPDIR");
    const char *dirs[2] = {"/dev/shm", tmp && *tmp ? tmp : "/tmp"};
    size_t len = (size_t)job->size * LM_BOARD_SLOT_SIZE;
    for (int i = 0; i < 2; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/litempi-%s-board", dirs[i], job->kvsname);
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0)
            continue;
        if (posix_fallocate(fd, 0, (off_t)len) != 0) {
            close(fd);
            unlink(path);
            continue;
        }
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (p == MAP_FAILED) {
            unlink(path);
            continue;
        }
        job->board = p;
        job->board_len = len;
        return 0;
    }
    return -1; /* no board: reports are less precise, nothing else changes */
}

void lm_board_free(struct lm_job *job)
{
    if (job->board)
        munmap(job->board, job->board_len);
    job->board = NULL;
    if (job->deadlock_timer)
        event_free(job->deadlock_timer);
    job->deadlock_timer = NULL;
}

/* What one rank is doing, as a line fragment; ranks with equal fragments group together. */
static void describe(struct lm_job *job, int r, char *out, size_t len, double *blocked_s)
{
    struct lm_rank *rk = &job->ranks[r];
    *blocked_s = -1;
    if (!rk->alive) {
        snprintf(out, len, "exited");
        return;
    }
    if (!rk->pmi_init) {
        snprintf(out, len, "running, never called MPI_Init");
        return;
    }
    if (rk->in_barrier) {
        snprintf(out, len, "in MPI_Init/MPI_Finalize, waiting for the other ranks");
        return;
    }
    if (!job->board) {
        snprintf(out, len, rk->pmi_finalized ? "past MPI_Finalize" : "running");
        return;
    }
    struct lm_board_slot *s = &job->board[r];
    uint32_t state = atomic_load_explicit(&s->state, memory_order_acquire);
    if (state == LM_BOARD_BLOCKED) {
        char what[sizeof s->what];
        memcpy(what, s->what, sizeof what);
        what[sizeof what - 1] = '\0';
        *blocked_s = (double)(now_ns() - s->since_ns) * 1e-9;
        snprintf(out, len, "blocked in %s", what);
    } else if (state == LM_BOARD_FINALIZED || rk->pmi_finalized) {
        snprintf(out, len, "past MPI_Finalize");
    } else {
        snprintf(out, len, "running (not blocked in MPI)");
    }
}

void lm_board_report(struct lm_job *job)
{
    int n = job->size;
    char (*desc)[300] = calloc((size_t)n, sizeof *desc);
    double *secs = calloc((size_t)n, sizeof *secs);
    bool *done = calloc((size_t)n, sizeof *done);
    if (!desc || !secs || !done)
        goto out;
    for (int r = 0; r < n; r++)
        describe(job, r, desc[r], sizeof desc[r], &secs[r]);
    for (int r = 0; r < n; r++) {
        if (done[r])
            continue;
        /* Collect the ranks doing the same thing into one line: "ranks 0,2-3: ..." */
        char list[256];
        size_t pos = 0;
        int count = 0, run_start = -1, prev = -2;
        double lo = secs[r], hi = secs[r];
        for (int q = r; q <= n; q++) {
            bool same = q < n && !done[q] && !strcmp(desc[q], desc[r]);
            if (same) {
                done[q] = true;
                count++;
                if (secs[q] < lo) lo = secs[q];
                if (secs[q] > hi) hi = secs[q];
                if (q == prev + 1) {
                    prev = q;
                    continue;
                }
            }
            if (run_start >= 0 && pos < sizeof list) {
                if (prev > run_start)
                    pos += (size_t)snprintf(list + pos, sizeof list - pos, "%s%d-%d",
                                            pos ? "," : "", run_start, prev);
                else
                    pos += (size_t)snprintf(list + pos, sizeof list - pos, "%s%d",
                                            pos ? "," : "", run_start);
                run_start = -1;
            }
            if (same)
                run_start = prev = q;
        }
        char when[64] = "";
        if (lo >= 0)
            snprintf(when, sizeof when, lo == hi || hi - lo < 0.05 ? " for %.1f s" :
                     " for %.1f-%.1f s", lo, hi);
        fprintf(stderr, "  %s %s: %s%s\n", count > 1 ? "ranks" : "rank", list, desc[r],
                when);
    }
out:
    free(desc);
    free(secs);
    free(done);
}

static bool pred_alive(const struct lm_rank *r)
{
    return r->alive;
}

static void on_deadlock_check(evutil_socket_t fd, short what, void *arg)
{
    struct lm_job *job = arg;
    (void)fd;
    (void)what;
    if (job->ending)
        return;
    uint64_t now = now_ns(), limit = (uint64_t)(job->opt->deadlock * 1e9);
    int alive = 0;
    for (int r = 0; r < job->size; r++) {
        struct lm_rank *rk = &job->ranks[r];
        if (!rk->alive)
            continue;
        alive++;
        struct lm_board_slot *s = &job->board[r];
        if (!rk->pmi_init || rk->in_barrier ||
            atomic_load_explicit(&s->state, memory_order_acquire) != LM_BOARD_BLOCKED ||
            now - s->since_ns < limit)
            return; /* someone can still make progress */
    }
    if (alive == 0)
        return;
    char ranks[512];
    lm_format_ranks(job, pred_alive, -1, ranks, sizeof ranks);
    lm_job_fail(job, LM_DEADLOCK_STATUS, -1, false,
                "deadlock: every running rank (%s) has been blocked in MPI for %g s with no "
                "message moving; ending the job (--deadlock-timeout 0 disables this check)",
                ranks, job->opt->deadlock);
    lm_board_report(job);
}

void lm_board_watch(struct lm_job *job)
{
    if (!job->board || job->opt->deadlock <= 0)
        return;
    job->deadlock_timer = event_new(job->base, -1, EV_PERSIST, on_deadlock_check, job);
    double period = job->opt->deadlock / 4 < 1.0 ? job->opt->deadlock / 4 : 1.0;
    struct timeval tv = {(time_t)period, (suseconds_t)((period - (double)(time_t)period) * 1e6)};
    if (job->deadlock_timer)
        event_add(job->deadlock_timer, &tv);
}
