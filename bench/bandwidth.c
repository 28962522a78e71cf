/* bandwidth: streaming point-to-point bandwidth from rank 0 to rank 1 (OSU style).
 *
 * One iteration: rank 0 starts a window of MPI_Isend (default 64) and waits for them
 * all; rank 1 has a matching window of MPI_Irecv and, once they are complete, sends
 * back a 1-byte acknowledgement that rank 0 receives before the next iteration. So
 * the sender keeps many messages in flight and the result shows what the transport
 * can stream, not the round-trip latency.
 *
 * Unlike OSU's osu_bw, every receive of a window gets its own buffer (MPI forbids
 * pending receives that overlap), so at 4 MiB rank 1 holds 256 MiB of receive
 * buffers; the sends all read from one buffer, which MPI allows. The first
 * iteration's messages carry a pattern that rank 1 checks.
 *
 * Bandwidth is bytes moved / time: MB/s = 10^6 bytes/s, GB/s = 10^9 bytes/s.
 *
 *   bandwidth [-s size[,size...]] [-i iters] [-w warmup] [-W window]
 *   output: "# size  MB/s  GB/s  iters", then one line per size.
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define MAX_SIZES 64
#define MAX_WINDOW 1024
#define TAG_DATA 10
#define TAG_ACK 11

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
    if (*end == 'i' && end[1] == 'B')
        end += 2;
    else if (*end == 'B')
        end++;
    return *end ? -1 : v;
}

static void usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s [-s size[,size...]] [-i iters] [-w warmup] [-W window]\n"
            "  -s  message sizes in bytes (K/M/G suffixes), default 4K,8K,...,4M\n"
            "  -i  timed iterations (windows) per size (default: scaled by size)\n"
            "  -w  untimed warm-up iterations per size (default: iters/10, at least 2)\n"
            "  -W  messages in flight per iteration (default 64)\n",
            prog);
}

/* About 2 GiB moved per size, between 10 and 1000 windows. */
static long default_iters(long size, int window)
{
    long it = (2L << 30) / ((long)window * (size > 0 ? size : 1));
    if (it > 1000)
        it = 1000;
    if (it < 10)
        it = 10;
    return it;
}

int main(int argc, char **argv)
{
    long sizes[MAX_SIZES];
    int nsizes = 0, window = 64, bad = 0;
    long iters_opt = 0, warmup_opt = -1;
    int rank, nranks;

    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &nranks);

    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "-s") && a + 1 < argc) {
            for (char *tok = strtok(argv[++a], ","); tok; tok = strtok(NULL, ",")) {
                long v = parse_size(tok);
                if (v < 0 || v > (1L << 30) || nsizes == MAX_SIZES) {
                    bad = 1;
                    break;
                }
                sizes[nsizes++] = v;
            }
        } else if (!strcmp(argv[a], "-i") && a + 1 < argc) {
            iters_opt = atol(argv[++a]);
            bad |= iters_opt <= 0;
        } else if (!strcmp(argv[a], "-w") && a + 1 < argc) {
            warmup_opt = atol(argv[++a]);
            bad |= warmup_opt < 0;
        } else if (!strcmp(argv[a], "-W") && a + 1 < argc) {
            window = atoi(argv[++a]);
            bad |= window <= 0 || window > MAX_WINDOW;
        } else {
            bad = 1;
        }
    }
    if (bad || nranks < 2) {
        if (rank == 0) {
            if (nranks < 2)
                fprintf(stderr, "bandwidth: needs at least 2 ranks (got %d)\n", nranks);
            usage(argv[0]);
        }
        MPI_Finalize();
        return 2;
    }
    if (nsizes == 0)
        for (long s = 4096; s <= 4194304; s *= 2)
            sizes[nsizes++] = s;

    long maxsize = 1;
    for (int k = 0; k < nsizes; k++)
        if (sizes[k] > maxsize)
            maxsize = sizes[k];

    /* rank 0: one send buffer; rank 1: one receive buffer per window slot. */
    size_t bytes = (size_t)maxsize * (rank == 1 ? (size_t)window : 1);
    unsigned char *buf = rank < 2 ? malloc(bytes) : NULL;
    MPI_Request *reqs = malloc(sizeof(MPI_Request) * (size_t)window);
    /* A real status array rather than MPI_STATUSES_IGNORE: GCC 12 warns about the
     * latter with MPICH's header (it is the constant pointer 1). */
    MPI_Status *stats = malloc(sizeof(MPI_Status) * (size_t)window);
    if ((rank < 2 && !buf) || !reqs || !stats) {
        fprintf(stderr, "bandwidth: rank %d cannot allocate %zu bytes\n", rank, bytes);
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (buf)
        memset(buf, 0, bytes); /* fault the pages in before timing */

    if (rank == 0) {
        printf("# bandwidth: rank 0 -> rank 1, window %d, ack 1 byte (%d ranks)\n", window,
               nranks);
        printf("# %-10s %12s %10s %8s\n", "size", "MB/s", "GB/s", "iters");
        fflush(stdout);
    }

    char ack = 0;
    for (int k = 0; k < nsizes && rank < 2; k++) {
        long size = sizes[k];
        long iters = iters_opt ? iters_opt : default_iters(size, window);
        long warmup = warmup_opt >= 0 ? warmup_opt : iters / 10;
        if (warmup < 2)
            warmup = 2;
        int n = (int)size;
        double t0 = 0.0;

        if (rank == 0)
            for (long b = 0; b < size; b++)
                buf[b] = (unsigned char)(b * 7 + k);
        for (long i = 0; i < warmup + iters; i++) {
            if (i == warmup)
                t0 = MPI_Wtime();
            if (rank == 0) {
                for (int w = 0; w < window; w++)
                    MPI_Isend(buf, n, MPI_BYTE, 1, TAG_DATA, MPI_COMM_WORLD, &reqs[w]);
                MPI_Waitall(window, reqs, stats);
                MPI_Recv(&ack, 1, MPI_CHAR, 1, TAG_ACK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else {
                for (int w = 0; w < window; w++)
                    MPI_Irecv(buf + (size_t)w * (size_t)size, n, MPI_BYTE, 0, TAG_DATA,
                              MPI_COMM_WORLD, &reqs[w]);
                MPI_Waitall(window, reqs, stats);
                if (i == 0) {
                    for (int w = 0; w < window; w++) {
                        const unsigned char *p = buf + (size_t)w * (size_t)size;
                        for (long b = 0; b < size; b++)
                            if (p[b] != (unsigned char)(b * 7 + k)) {
                                fprintf(stderr, "bandwidth: size %ld: message %d of the "
                                        "window is corrupted at byte %ld\n", size, w, b);
                                MPI_Abort(MPI_COMM_WORLD, 1);
                            }
                    }
                }
                MPI_Send(&ack, 1, MPI_CHAR, 0, TAG_ACK, MPI_COMM_WORLD);
            }
        }
        double t = MPI_Wtime() - t0;
        if (rank == 0) {
            double rate = (double)size * window * (double)iters / t; /* bytes/s */
            printf("%-12ld %12.1f %10.3f %8ld\n", size, rate / 1e6, rate / 1e9, iters);
            fflush(stdout);
        }
    }

    free(stats);
    free(reqs);
    free(buf);
    MPI_Finalize();
    return 0;
}
