/* tcp/lanes: rendezvous transfers striped over tcp data lanes (run with
 * LITEMPI_TRANSPORTS=tcp and LITEMPI_TCP_LANES 1, 2 and 4).
 *
 * Ranks pair up (0-1, 2-3, ...; an odd last rank talks to itself) and, in both
 * directions at once:
 *   - one message of each size around the 512 KiB fragment and the 64 KiB eager limits,
 *     up to 8 MiB, received contiguously, into a larger buffer, and through a strided
 *     datatype (the staged path, piece by piece at increasing offsets);
 *   - a window of 24 x 1 MiB in flight, received by MPI_ANY_SOURCE in posting order;
 *   - small ping-pongs between the large ones (the fast path must still see the peer's
 *     connection once no DATA is due).
 * Then every even rank sends 6 MiB and finalizes at once while its partner posts the
 * receive only 200 ms later: the sender's finalize must wait until its lanes were read
 * to the end, and the data must arrive whole.
 */
#include "../common.h"

#include <stdint.h>

#define TAG_SIZES 10
#define TAG_WINDOW 11
#define TAG_PING 12
#define TAG_LAST 13
#define WINDOW 24
#define MIB (1024 * 1024)

static int partner(void)
{
    if (tm_size % 2 && tm_rank == tm_size - 1)
        return tm_rank; /* the odd one out talks to itself (self transport, still checked) */
    return tm_rank ^ 1;
}

static void exchange(int peer, size_t n, unsigned seed, const char *what)
{
    char *s = malloc(n ? n : 1), *r = malloc(n + 4096);
    TM_CHECK(s && r, "out of memory for %zu bytes", n);
    if (!s || !r)
        return;
    tm_fill(s, n, seed + (unsigned)tm_rank);
    memset(r, 0xee, n + 4096);
    MPI_Request q[2];
    MPI_Status st;
    /* A receive buffer larger than the message: count is an upper bound. */
    MPI_Irecv(r, (int)(n + 4096), MPI_BYTE, peer, TAG_SIZES, MPI_COMM_WORLD, &q[0]);
    MPI_Isend(s, (int)n, MPI_BYTE, peer, TAG_SIZES, MPI_COMM_WORLD, &q[1]);
    MPI_Wait(&q[0], &st);
    MPI_Wait(&q[1], MPI_STATUS_IGNORE);
    int count;
    MPI_Get_count(&st, MPI_BYTE, &count);
    TM_CHECK((size_t)count == n, "%s %zu: count %d", what, n, count);
    TM_CHECK_BUF(r, n, seed + (unsigned)peer, "%s %zu bytes", what, n);
    TM_CHECK((unsigned char)r[n] == 0xee, "%s %zu: wrote past the message", what, n);
    free(s);
    free(r);
}

/* The same through a vector type on the receive side: blocks of 1000 bytes every 1024. */
static void exchange_strided(int peer, size_t nblocks, unsigned seed)
{
    size_t n = nblocks * 1000;
    char *s = malloc(n), *r = calloc(nblocks, 1024);
    TM_CHECK(s && r, "out of memory");
    if (!s || !r)
        return;
    tm_fill(s, n, seed + (unsigned)tm_rank);
    MPI_Datatype vec;
    MPI_Type_vector((int)nblocks, 1000, 1024, MPI_BYTE, &vec);
    MPI_Type_commit(&vec);
    MPI_Sendrecv(s, (int)n, MPI_BYTE, peer, TAG_SIZES, r, 1, vec, peer, TAG_SIZES,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    /* Gather the blocks back and compare with the peer's pattern. */
    char *flat = malloc(n);
    TM_CHECK(flat != NULL, "out of memory");
    if (flat) {
        for (size_t b = 0; b < nblocks; b++) {
            memcpy(flat + b * 1000, r + b * 1024, 1000);
            for (size_t g = 1000; g < 1024; g++)
                TM_CHECK(r[b * 1024 + g] == 0, "strided: gap byte %zu of block %zu written",
                         g, b);
        }
        TM_CHECK_BUF(flat, n, seed + (unsigned)peer, "strided %zu blocks", nblocks);
    }
    MPI_Type_free(&vec);
    free(flat);
    free(s);
    free(r);
}

static void ping(int peer, int rounds)
{
    for (int i = 0; i < rounds; i++) {
        int out = tm_rank * 1000 + i, in = -1;
        MPI_Sendrecv(&out, 1, MPI_INT, peer, TAG_PING, &in, 1, MPI_INT, peer, TAG_PING,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        TM_CHECK(in == peer * 1000 + i, "ping %d: got %d", i, in);
    }
}

static void window(int peer)
{
    char *s = malloc(MIB);
    char *r = malloc((size_t)WINDOW * MIB);
    TM_CHECK(s && r, "out of memory");
    if (!s || !r)
        return;
    MPI_Request q[2 * WINDOW];
    for (int w = 0; w < WINDOW; w++)
        MPI_Irecv(r + (size_t)w * MIB, MIB, MPI_BYTE, MPI_ANY_SOURCE, TAG_WINDOW + w,
                  MPI_COMM_WORLD, &q[w]);
    for (int w = 0; w < WINDOW; w++) {
        /* Each message its own pattern, so a DATA piece landing in the wrong request or
         * at the wrong offset shows. Buffers are reused only after the waits. */
        tm_fill(s, MIB, 100u + (unsigned)(tm_rank * WINDOW + w));
        MPI_Send(s, MIB, MPI_BYTE, peer, TAG_WINDOW + w, MPI_COMM_WORLD);
    }
    MPI_Status st[2 * WINDOW];
    MPI_Waitall(WINDOW, q, st);
    for (int w = 0; w < WINDOW; w++) {
        TM_CHECK(st[w].MPI_SOURCE == peer, "window %d: from %d", w, st[w].MPI_SOURCE);
        TM_CHECK_BUF(r + (size_t)w * MIB, MIB, 100u + (unsigned)(peer * WINDOW + w),
                     "window message %d", w);
    }
    free(s);
    free(r);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int peer = partner();
    const size_t sizes[] = {64 * 1024 + 1, 512 * 1024 - 1, 512 * 1024, 512 * 1024 + 1,
                            MIB,           3 * MIB + 17,   8 * MIB};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        exchange(peer, sizes[i], (unsigned)i, "exchange");
        ping(peer, 20);
    }
    exchange_strided(peer, 1500, 7); /* 1.5 MB into 1.5 MiB of strided blocks */
    ping(peer, 20);
    window(peer); /* both directions at once: every receive is posted before the sends */
    ping(peer, 20);

    /* Send, then finalize at once; the partner receives late. */
    size_t last = 6 * MIB;
    char *buf = malloc(last);
    TM_CHECK(buf != NULL, "out of memory");
    int verdict = tm_sum(tm_errors > 0 ? 1 : 0);
    if (buf && peer != tm_rank) {
        if (tm_rank % 2 == 0) {
            tm_fill(buf, last, 55);
            MPI_Send(buf, (int)last, MPI_BYTE, peer, TAG_LAST, MPI_COMM_WORLD);
        } else {
            tm_sleep_ms(200);
            MPI_Recv(buf, (int)last, MPI_BYTE, peer, TAG_LAST, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            TM_CHECK_BUF(buf, last, 55, "the last message");
        }
    }
    free(buf);
    if (tm_ctl_valid) {
        MPI_Comm_free(&tm_ctl);
        tm_ctl_valid = 0;
    }
    MPI_Finalize();
    /* No collective after the last transfer: each rank reports its own checks. */
    if (tm_errors || verdict) {
        fprintf(stderr, "[rank %d] lanes: %d check(s) failed (%d ranks failed before the "
                "last transfer)\n", tm_rank, tm_errors, verdict);
        return 1;
    }
    if (tm_rank == 0)
        printf("PASS (%d ranks)\n", tm_size);
    return 0;
}
