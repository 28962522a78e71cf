/* pingpong: point-to-point latency between ranks 0 and 1.
 *
 * Rank 0 sends a message, rank 1 sends it back; latency is half the average round
 * trip, in microseconds. Each size gets warm-up round trips (untimed) and a timed
 * run whose length scales with the size, so small messages average over many
 * iterations and a 4 MiB message still finishes in well under a second. The first
 * warm-up round trip carries a pattern that both sides check, so a benchmark run
 * also catches corrupted payloads.
 *
 * Standard MPI only (Init, Comm_rank/size, Send, Recv, Wtime, Abort), so the same file
 * builds with any MPI. Ranks beyond the first two just wait in MPI_Finalize.
 *
 *   pingpong [-s size[,size...]] [-i iters] [-w warmup]
 *   sizes accept K, M, G suffixes (binary): -s 0,8,4M
 *   output: "# size  latency_us  iters", then one "size latency" line per size.
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define MAX_SIZES 64
#define TAG_PING 1
#define TAG_PONG 2

static const long default_sizes[] = {0,     1,      8,       64,      512,
                                     4096,  32768,  262144,  1048576, 4194304};

static long parse_size(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || v < 0)
        return -1;
    switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    default: break;
    }
    if (*end == 'i' && end[1] == 'B') /* accept 4KiB */
        end += 2;
    else if (*end == 'B')
        end++;
    return *end ? -1 : v;
}

static void usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s [-s size[,size...]] [-i iters] [-w warmup]\n"
            "  -s  message sizes in bytes (K/M/G suffixes), default 0,1,8,...,4M\n"
            "  -i  timed round trips per size (default: scaled by size)\n"
            "  -w  untimed warm-up round trips per size (default: iters/10, at least 2)\n",
            prog);
}

/* Round trips for a size: 10000 for small messages, then about 1 GiB moved per size. */
static long default_iters(long size)
{
    long it = size > 0 ? (1L << 30) / size : 10000;
    if (it > 10000)
        it = 10000;
    if (it < 20)
        it = 20;
    return it;
}

static void fill(unsigned char *buf, long size, long salt)
{
    for (long i = 0; i < size; i++)
        buf[i] = (unsigned char)((i * 31 + salt) & 0xff);
}

static int check(const unsigned char *buf, long size, long salt)
{
    for (long i = 0; i < size; i++)
        if (buf[i] != (unsigned char)((i * 31 + salt) & 0xff))
            return (int)i + 1;
    return 0;
}

int main(int argc, char **argv)
{
    long sizes[MAX_SIZES];
    int nsizes = 0;
    long iters_opt = 0, warmup_opt = -1;
    int rank, nranks, bad = 0;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);

    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-s") && a + 1 < argc) {
            char *list = argv[++a];
            for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
                long v = parse_size(tok);
                if (v < 0 || v > (1L << 30) || nsizes == MAX_SIZES) {
                    bad = 1;
                    break;
                }
                sizes[nsizes++] = v;
            }
        } else if (!strcmp(argv[a], "-i") && a + 1 < argc) {
            iters_opt = atol(argv[++a]);
            if (iters_opt <= 0)
                bad = 1;
        } else if (!strcmp(argv[a], "-w") && a + 1 < argc) {
            warmup_opt = atol(argv[++a]);
            if (warmup_opt < 0)
                bad = 1;
        } else {
            bad = 1;
        }
    }
    if (bad || nranks < 2) {
        if (rank == 0) {
            if (nranks < 2)
                fprintf(stderr, "pingpong: needs at least 2 ranks (got %d)\n", nranks);
            usage(argv[0]);
        }
        MPI_Finalize();
        return 2;
    }
    if (nsizes == 0) {
        nsizes = (int)(sizeof default_sizes / sizeof default_sizes[0]);
        memcpy(sizes, default_sizes, sizeof default_sizes);
    }

    long maxsize = 1;
    for (int k = 0; k < nsizes; k++)
        if (sizes[k] > maxsize)
            maxsize = sizes[k];
    unsigned char *buf = malloc((size_t)maxsize);
    if (!buf) {
        fprintf(stderr, "pingpong: rank %d cannot allocate %ld bytes\n", rank, maxsize);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    memset(buf, 0, (size_t)maxsize); /* fault the pages in before timing */

    if (rank == 0) {
        printf("# pingpong: half round-trip latency between ranks 0 and 1 (%d ranks)\n",
               nranks);
        printf("# %-10s %12s %10s\n", "size", "latency_us", "iters");
        fflush(stdout);
    }

    /* Settle first: right after start-up both ranks may share one core until the kernel's
     * load balancer moves one (a few ms); 0.2 s of small round trips lets it do so, the
     * same for every MPI measured. */
    if (rank < 2) {
        char b = 0;
        double until = MPI_Wtime() + 0.2;
        int go = 1;
        while (go) {
            if (rank == 0) {
                go = MPI_Wtime() < until;
                MPI_Send(&go, 1, MPI_INT, 1, 99, MPI_COMM_WORLD);
                MPI_Recv(&b, 1, MPI_CHAR, 1, 99, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else {
                MPI_Recv(&go, 1, MPI_INT, 0, 99, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(&b, 1, MPI_CHAR, 0, 99, MPI_COMM_WORLD);
            }
        }
    }

    for (int k = 0; k < nsizes && rank < 2; k++) {
        long size = sizes[k];
        long iters = iters_opt ? iters_opt : default_iters(size);
        long warmup = warmup_opt >= 0 ? warmup_opt : iters / 10;
        if (warmup < 2)
            warmup = 2;
        int n = (int)size;
        double t0 = 0.0;

        for (long i = 0; i < warmup + iters; i++) {
            if (i == warmup)
                t0 = MPI_Wtime();
            if (rank == 0) {
                if (i == 0)
                    fill(buf, size, k);
                MPI_Send(buf, n, MPI_BYTE, 1, TAG_PING, MPI_COMM_WORLD);
                MPI_Recv(buf, n, MPI_BYTE, 1, TAG_PONG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                if (i == 0 && check(buf, size, k + 1)) {
                    fprintf(stderr, "pingpong: size %ld: rank 0 got a corrupted reply "
                                    "(first bad byte %d)\n", size, check(buf, size, k + 1) - 1);
                    MPI_Abort(MPI_COMM_WORLD, 1);
                }
            } else {
                MPI_Recv(buf, n, MPI_BYTE, 0, TAG_PING, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                if (i == 0) {
                    int pos = check(buf, size, k);
                    if (pos) {
                        fprintf(stderr, "pingpong: size %ld: rank 1 got a corrupted message "
                                        "(first bad byte %d)\n", size, pos - 1);
                        MPI_Abort(MPI_COMM_WORLD, 1);
                    }
                    fill(buf, size, k + 1);
                }
                MPI_Send(buf, n, MPI_BYTE, 0, TAG_PONG, MPI_COMM_WORLD);
            }
        }
        double t = MPI_Wtime() - t0;
        if (rank == 0) {
            printf("%-12ld %12.3f %10ld\n", size, t * 1e6 / (2.0 * (double)iters), iters);
            fflush(stdout);
        }
    }

    free(buf);
    MPI_Finalize();
    return 0;
}
