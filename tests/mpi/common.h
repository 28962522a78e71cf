/* common.h: helpers shared by the multi-rank test programs under tests/mpi/.
 *
 * Every test is a standalone MPI program that checks its own results.  A failed check
 * prints "[rank R] FAIL file:line: what" on stderr and is counted; at the end tm_finish()
 * agrees on a verdict over point-to-point messages (there are no collectives yet): every
 * rank sends its failure count to rank 0, rank 0 sends the verdict back, and every rank
 * exits with the same status.  The agreement runs on a private duplicate of
 * MPI_COMM_WORLD so a test's wildcard receives never see its messages.
 *
 * Only standard MPI C API calls are used, and handles are only ever compared with their
 * named constants (LiteMPI's handles are pointers and its null handles are non-zero).
 */
#ifndef TM_COMMON_H
#define TM_COMMON_H

#include <mpi.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__GNUC__)
#define TM_UNUSED __attribute__((unused))
#define TM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TM_UNUSED
#define TM_PRINTF(a, b)
#endif

/* The agreement messages use this tag on the private communicator. */
#define TM_TAG_CTL 32001
/* Print at most this many failures per rank, count the rest. */
#define TM_MAX_REPORTS 20

static int tm_rank = -1;
static int tm_size = 0;
static int tm_errors = 0;
static MPI_Comm tm_ctl;
static int tm_ctl_valid = 0;

static TM_UNUSED TM_PRINTF(3, 4) void tm_fail(const char *file, int line, const char *fmt, ...)
{
    tm_errors++;
    if (tm_errors > TM_MAX_REPORTS) {
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "[rank %d] FAIL %s:%d: %s\n", tm_rank, file, line, msg);
    fflush(stderr);
}

/* TM_CHECK(cond, "printf format", ...): record a failure when cond is false. */
#define TM_CHECK(cond, ...)                                                                \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            tm_fail(__FILE__, __LINE__, __VA_ARGS__);                                      \
        }                                                                                  \
    } while (0)

/* Text of an MPI error code (for messages); returns a static buffer. */
static TM_UNUSED const char *tm_errstr(int code)
{
    static char buf[MPI_MAX_ERROR_STRING + 32];
    int len = 0;
    if (MPI_Error_string(code, buf, &len) != MPI_SUCCESS || len <= 0) {
        snprintf(buf, sizeof buf, "(no error string for code %d)", code);
    }
    return buf;
}

static TM_UNUSED int tm_errclass(int code)
{
    int cls = -1;
    if (MPI_Error_class(code, &cls) != MPI_SUCCESS) {
        return -1;
    }
    return cls;
}

/* TM_CHECK_RC(rc, "what"): the call must have returned MPI_SUCCESS. */
#define TM_CHECK_RC(rc, what)                                                              \
    do {                                                                                   \
        int tm_rc_ = (rc);                                                                 \
        if (tm_rc_ != MPI_SUCCESS) {                                                       \
            tm_fail(__FILE__, __LINE__, "%s returned %d (%s)", (what), tm_rc_,             \
                    tm_errstr(tm_rc_));                                                    \
        }                                                                                  \
    } while (0)

/* Sets up the private control communicator; call right after MPI_Init(_thread). */
static TM_UNUSED void tm_setup_comm(void)
{
    MPI_Comm_rank(MPI_COMM_WORLD, &tm_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &tm_size);
    tm_ctl = MPI_COMM_WORLD;
    if (MPI_Comm_dup(MPI_COMM_WORLD, &tm_ctl) != MPI_SUCCESS) {
        tm_fail(__FILE__, __LINE__, "MPI_Comm_dup(MPI_COMM_WORLD) for the control comm failed");
        tm_ctl = MPI_COMM_WORLD;
        return;
    }
    tm_ctl_valid = 1;
}

static TM_UNUSED void tm_init(int *argc, char ***argv)
{
    int rc = MPI_Init(argc, argv);
    if (rc != MPI_SUCCESS) {
        fprintf(stderr, "FAIL: MPI_Init returned %d\n", rc);
        exit(1);
    }
    tm_setup_comm();
}

/* Rank 0 collects one int from every rank, combines with AND (ok flags) or sum. */
static TM_UNUSED int tm_reduce_to_all(int value, int sum)
{
    int result = value;
    if (tm_rank == 0) {
        for (int r = 1; r < tm_size; r++) {
            int v = 0;
            MPI_Recv(&v, 1, MPI_INT, r, TM_TAG_CTL, tm_ctl, MPI_STATUS_IGNORE);
            result = sum ? result + v : (result && v);
        }
        for (int r = 1; r < tm_size; r++) {
            MPI_Send(&result, 1, MPI_INT, r, TM_TAG_CTL, tm_ctl);
        }
    } else {
        MPI_Send(&value, 1, MPI_INT, 0, TM_TAG_CTL, tm_ctl);
        MPI_Recv(&result, 1, MPI_INT, 0, TM_TAG_CTL, tm_ctl, MPI_STATUS_IGNORE);
    }
    return result;
}

/* All ranks agree: returns 1 on every rank iff ok is non-zero on every rank. */
static TM_UNUSED int tm_agree(int ok)
{
    return tm_reduce_to_all(ok ? 1 : 0, 0);
}

static TM_UNUSED int tm_sum(int value)
{
    return tm_reduce_to_all(value, 1);
}

static TM_UNUSED void tm_barrier(void)
{
    (void)tm_reduce_to_all(0, 1);
}

/* Broadcasts an int from rank 0 over the control comm. */
static TM_UNUSED int tm_bcast_int(int value)
{
    if (tm_rank == 0) {
        for (int r = 1; r < tm_size; r++) {
            MPI_Send(&value, 1, MPI_INT, r, TM_TAG_CTL, tm_ctl);
        }
    } else {
        MPI_Recv(&value, 1, MPI_INT, 0, TM_TAG_CTL, tm_ctl, MPI_STATUS_IGNORE);
    }
    return value;
}

/* Agrees on the verdict, finalizes, and returns the exit status for main(). */
static TM_UNUSED int tm_finish(void)
{
    int failed_ranks = tm_sum(tm_errors > 0 ? 1 : 0);
    if (tm_ctl_valid) {
        MPI_Comm_free(&tm_ctl);
        tm_ctl_valid = 0;
    }
    MPI_Finalize();
    if (failed_ranks == 0) {
        if (tm_rank == 0) {
            printf("PASS (%d ranks)\n", tm_size);
        }
        return 0;
    }
    if (tm_errors > 0) {
        fprintf(stderr, "[rank %d] %d check(s) failed\n", tm_rank, tm_errors);
    }
    if (tm_rank == 0) {
        printf("FAIL: %d of %d ranks reported failures\n", failed_ranks, tm_size);
    }
    return 1;
}

/* A byte pattern that depends on the position (low and high bits) and a seed, so shifted,
 * repeated or swapped blocks are detected. */
static inline unsigned char tm_pattern(size_t i, unsigned seed)
{
    return (unsigned char)(i * 7u + (i >> 8) * 3u + (i >> 16) * 5u + (i >> 24) + seed * 131u +
                           1u);
}

static TM_UNUSED void tm_fill(void *buf, size_t n, unsigned seed)
{
    unsigned char *p = buf;
    for (size_t i = 0; i < n; i++) {
        p[i] = tm_pattern(i, seed);
    }
}

/* Index of the first byte that differs from the pattern, or (size_t)-1 if none. */
static TM_UNUSED size_t tm_verify(const void *buf, size_t n, unsigned seed)
{
    const unsigned char *p = buf;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != tm_pattern(i, seed)) {
            return i;
        }
    }
    return (size_t)-1;
}

/* TM_CHECK_BUF(buf, n, seed, "what"): the buffer holds the pattern. */
#define TM_CHECK_BUF(buf, n, seed, ...)                                                    \
    do {                                                                                   \
        size_t tm_bad_ = tm_verify((buf), (n), (seed));                                    \
        if (tm_bad_ != (size_t)-1) {                                                       \
            char tm_what_[256];                                                            \
            snprintf(tm_what_, sizeof tm_what_, __VA_ARGS__);                              \
            tm_fail(__FILE__, __LINE__, "%s: byte %zu of %zu is %u, expected %u", tm_what_, \
                    tm_bad_, (size_t)(n), (unsigned)((const unsigned char *)(buf))[tm_bad_], \
                    (unsigned)tm_pattern(tm_bad_, (seed)));                                \
        }                                                                                  \
    } while (0)

static TM_UNUSED void tm_sleep_ms(int ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static TM_UNUSED void *tm_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "[rank %d] FAIL: out of memory allocating %zu bytes\n", tm_rank, n);
        exit(2);
    }
    return p;
}

/* Message sizes that cross every protocol boundary we expect: empty, tiny, odd, a page,
 * beyond typical eager limits, and beyond 1 MiB. */
static const size_t tm_sizes[] TM_UNUSED = {0, 1, 7, 4096, 65536 + 3, 1048576 + 1};
#define TM_NSIZES (sizeof tm_sizes / sizeof tm_sizes[0])

/* TM_CHECK_CLASS(rc, class, "what"): the call failed with that error class (needs
 * MPI_ERRORS_RETURN on the object the error is raised on). */
#define TM_CHECK_CLASS(rc, want, what)                                                     \
    do {                                                                                   \
        int tm_rc_ = (rc), tm_want_ = (want);                                              \
        if (tm_rc_ == MPI_SUCCESS) {                                                       \
            tm_fail(__FILE__, __LINE__, "%s: returned MPI_SUCCESS, expected error class %d", \
                    (what), tm_want_);                                                     \
        } else if (tm_errclass(tm_rc_) != tm_want_) {                                      \
            tm_fail(__FILE__, __LINE__, "%s: error class %d, expected %d (%s)", (what),    \
                    tm_errclass(tm_rc_), tm_want_, tm_errstr(tm_rc_));                     \
        }                                                                                  \
    } while (0)

#endif /* TM_COMMON_H */
