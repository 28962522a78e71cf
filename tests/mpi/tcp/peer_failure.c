/* tcp/peer_failure: a peer killed in the middle of communication gives errors, not hangs.
 *
 * Run over tcp under `mpiexec --disable-auto-cleanup` (otherwise the launcher ends the whole
 * job the moment a rank dies, which is its normal behaviour): rank 1 is the victim, rank 0
 * kills it with SIGKILL while
 *   - rank 0 is in the middle of receiving a 512 MiB rendezvous message from it,
 *   - rank 0's 64 MiB send to it waits for a CTS that never comes,
 *   - rank 0's MPI_Issend to it waits for the match,
 *   - rank 2 (with 3 ranks or more) has an MPI_ANY_SOURCE receive posted that nobody sends.
 * Under MPI_ERRORS_RETURN each of these must complete with an MPI_ERR_OTHER-class error; later
 * sends, receives and probes naming the dead rank must fail at once; an MPI_ANY_SOURCE
 * receive fails at once only when no other member is left; communication among the
 * survivors goes on. Each survivor prints "peer_failure: rank R ok" (or FAIL lines); the
 * job's exit status is the victim's (137). Error texts are printed for the log. */
#include <mpi.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BIG (512u << 20)
#define SEND_BIG (64u << 20)
#define TAG_SETUP 1
#define TAG_BIG 2
#define TAG_NOBODY 3
#define TAG_AFTER 4

static int rank, size, errors;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            errors++;                                                                      \
            fprintf(stderr, "[rank %d] FAIL line %d: ", rank, __LINE__);                   \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
        }                                                                                  \
    } while (0)

/* rc must be an MPI_ERR_OTHER-class error. */
static void expect_other(int rc, const char *what)
{
    int cls = -1, len = 0;
    char text[MPI_MAX_ERROR_STRING] = "";
    if (rc != MPI_SUCCESS) {
        MPI_Error_class(rc, &cls);
        MPI_Error_string(rc, text, &len);
    }
    CHECK(cls == MPI_ERR_OTHER, "%s returned %d (class %d), expected MPI_ERR_OTHER", what, rc,
          cls);
    printf("rank %d: %s -> %s\n", rank, what, rc == MPI_SUCCESS ? "MPI_SUCCESS" : text);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    if (size < 2) {
        printf("peer_failure: rank 0 ok (nothing to test alone)\n");
        MPI_Finalize();
        return 0;
    }
    /* Everyone talks to the victim first: failures are noticed on open connections. */
    if (rank != 1) {
        int x = rank;
        MPI_Send(&x, 1, MPI_INT, 1, TAG_SETUP, MPI_COMM_WORLD);
    } else {
        for (int i = 0; i < size - 1; i++) {
            int x;
            MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, TAG_SETUP, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        }
    }

    if (rank == 1) {
        /* The victim: report the pid, then stream 512 MiB to rank 0 until killed. */
        long pid = (long)getpid();
        MPI_Send(&pid, 1, MPI_LONG, 0, TAG_SETUP, MPI_COMM_WORLD);
        char *buf = calloc(1, BIG);
        MPI_Request r;
        MPI_Isend(buf, (int)BIG, MPI_BYTE, 0, TAG_BIG, MPI_COMM_WORLD, &r);
        MPI_Wait(&r, MPI_STATUS_IGNORE);
        fprintf(stderr, "[rank 1] FAIL: the victim finished its send, it should be dead\n");
        for (;;)
            pause();
    }

    if (rank >= 2) {
        /* A wildcard receive nobody will match, posted before the failure. */
        int dummy = 0, armed = 1;
        MPI_Request r;
        MPI_Irecv(&dummy, 1, MPI_INT, MPI_ANY_SOURCE, TAG_NOBODY, MPI_COMM_WORLD, &r);
        MPI_Send(&armed, 1, MPI_INT, 0, TAG_SETUP, MPI_COMM_WORLD);
        expect_other(MPI_Wait(&r, MPI_STATUS_IGNORE), "MPI_Wait(ANY_SOURCE receive)");
    }

    if (rank == 0) {
        long pid = 0;
        MPI_Recv(&pid, 1, MPI_LONG, 1, TAG_SETUP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        for (int i = 2; i < size; i++) {
            int armed;
            MPI_Recv(&armed, 1, MPI_INT, i, TAG_SETUP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
        char *rbuf = malloc(BIG), *sbuf = calloc(1, SEND_BIG);
        int small = 5;
        MPI_Request rr, sr, ssr;
        MPI_Irecv(rbuf, (int)BIG, MPI_BYTE, 1, TAG_BIG, MPI_COMM_WORLD, &rr);
        MPI_Isend(sbuf, (int)SEND_BIG, MPI_BYTE, 1, TAG_BIG, MPI_COMM_WORLD, &sr);
        MPI_Issend(&small, 1, MPI_INT, 1, TAG_BIG + 1, MPI_COMM_WORLD, &ssr);
        /* Let the stream start, then kill the sender in the middle of it. */
        double t0 = MPI_Wtime();
        int done = 0;
        while (MPI_Wtime() - t0 < 0.01 && !done)
            MPI_Test(&rr, &done, MPI_STATUS_IGNORE);
        CHECK(!done, "the 512 MiB message arrived before the kill: test is too slow to tell");
        kill((pid_t)pid, SIGKILL);
        if (!done)
            expect_other(MPI_Wait(&rr, MPI_STATUS_IGNORE), "MPI_Wait(receive in progress)");
        expect_other(MPI_Wait(&sr, MPI_STATUS_IGNORE), "MPI_Wait(rendezvous send)");
        expect_other(MPI_Wait(&ssr, MPI_STATUS_IGNORE), "MPI_Wait(MPI_Issend)");

        /* Later operations naming the dead rank fail at once. */
        int x = 1;
        MPI_Status st;
        expect_other(MPI_Send(&x, 1, MPI_INT, 1, TAG_AFTER, MPI_COMM_WORLD), "MPI_Send after");
        expect_other(MPI_Send(sbuf, (int)SEND_BIG, MPI_BYTE, 1, TAG_AFTER, MPI_COMM_WORLD),
                     "large MPI_Send after");
        expect_other(MPI_Recv(&x, 1, MPI_INT, 1, TAG_AFTER, MPI_COMM_WORLD, &st),
                     "MPI_Recv after");
        expect_other(MPI_Probe(1, TAG_AFTER, MPI_COMM_WORLD, &st), "MPI_Probe after");
        MPI_Request r;
        MPI_Isend(&x, 1, MPI_INT, 1, TAG_AFTER, MPI_COMM_WORLD, &r);
        expect_other(MPI_Wait(&r, MPI_STATUS_IGNORE), "MPI_Wait(MPI_Isend after)");
        if (size == 2) {
            /* Nobody is left who could send: a wildcard receive cannot wait. */
            expect_other(MPI_Recv(&x, 1, MPI_INT, MPI_ANY_SOURCE, TAG_AFTER, MPI_COMM_WORLD,
                                  &st),
                         "MPI_Recv(ANY_SOURCE) with every peer gone");
        }
        free(rbuf);
        free(sbuf);
    }

    /* The survivors still talk: rank 0 collects from every other survivor through a
     * wildcard receive (posted while rank 1 is dead) and answers each. */
    if (rank == 0) {
        for (int i = 2; i < size; i++) {
            int v = -1;
            MPI_Status st;
            int rc = MPI_Recv(&v, 1, MPI_INT, MPI_ANY_SOURCE, TAG_AFTER, MPI_COMM_WORLD, &st);
            CHECK(rc == MPI_SUCCESS && v == st.MPI_SOURCE * 10, "survivor message: rc %d v %d",
                  rc, v);
            v++;
            rc = MPI_Send(&v, 1, MPI_INT, st.MPI_SOURCE, TAG_AFTER, MPI_COMM_WORLD);
            CHECK(rc == MPI_SUCCESS, "answer to rank %d: rc %d", st.MPI_SOURCE, rc);
        }
    } else if (rank >= 2) {
        int v = rank * 10;
        int rc = MPI_Send(&v, 1, MPI_INT, 0, TAG_AFTER, MPI_COMM_WORLD);
        CHECK(rc == MPI_SUCCESS, "send to rank 0 after the failure: rc %d", rc);
        rc = MPI_Recv(&v, 1, MPI_INT, 0, TAG_AFTER, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        CHECK(rc == MPI_SUCCESS && v == rank * 10 + 1, "answer from rank 0: rc %d v %d", rc, v);
    }
    if (errors == 0)
        printf("peer_failure: rank %d ok\n", rank);
    fflush(stdout);
    MPI_Finalize();
    return errors ? 1 : 0;
}
