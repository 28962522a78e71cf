/* comm/dup: MPI_Comm_dup keeps size and rank, compares CONGRUENT to its parent, and its
 * traffic never matches receives on the parent (or on another duplicate); MPI_Comm_compare
 * on the predefined communicators; MPI_Comm_free sets MPI_COMM_NULL and lets pending
 * operations on the freed communicator complete. */
#include "../common.h"

static const char *cmp_name(int r)
{
    return r == MPI_IDENT ? "IDENT" : r == MPI_CONGRUENT ? "CONGRUENT" : r == MPI_SIMILAR ? "SIMILAR"
                                    : r == MPI_UNEQUAL ? "UNEQUAL" : "?";
}

static void expect_compare(MPI_Comm a, MPI_Comm b, int want, const char *what)
{
    int r = -1;
    TM_CHECK_RC(MPI_Comm_compare(a, b, &r), "MPI_Comm_compare");
    TM_CHECK(r == want, "MPI_Comm_compare(%s) = %s (%d), expected %s", what, cmp_name(r), r,
             cmp_name(want));
}

/* Waits (bounded) until a message is visible on comm from src; returns 1 if seen. */
static int probe_until(MPI_Comm comm, int src, MPI_Status *st)
{
    double t0 = MPI_Wtime();
    int flag = 0;
    while (!flag && MPI_Wtime() - t0 < 20.0) {
        MPI_Iprobe(src, MPI_ANY_TAG, comm, &flag, st);
    }
    return flag;
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;

    MPI_Comm d = MPI_COMM_NULL, d2 = MPI_COMM_NULL;
    TM_CHECK_RC(MPI_Comm_dup(MPI_COMM_WORLD, &d), "MPI_Comm_dup(WORLD)");
    TM_CHECK(d != MPI_COMM_NULL && d != MPI_COMM_WORLD, "MPI_Comm_dup returned a bad handle");
    TM_CHECK_RC(MPI_Comm_dup(d, &d2), "MPI_Comm_dup(dup)");
    int size = -1, rank = -1;
    MPI_Comm_size(d, &size);
    MPI_Comm_rank(d, &rank);
    TM_CHECK(size == tm_size && rank == tm_rank, "dup has size %d rank %d, parent %d/%d", size,
             rank, tm_size, tm_rank);

    expect_compare(MPI_COMM_WORLD, MPI_COMM_WORLD, MPI_IDENT, "WORLD, WORLD");
    expect_compare(MPI_COMM_SELF, MPI_COMM_SELF, MPI_IDENT, "SELF, SELF");
    expect_compare(d, d, MPI_IDENT, "dup, dup");
    expect_compare(MPI_COMM_WORLD, d, MPI_CONGRUENT, "WORLD, dup");
    expect_compare(d, d2, MPI_CONGRUENT, "dup, dup of dup");
    /* At size 1 WORLD and SELF hold the same single process in the same order. */
    expect_compare(MPI_COMM_WORLD, MPI_COMM_SELF, tm_size > 1 ? MPI_UNEQUAL : MPI_CONGRUENT,
                   "WORLD, SELF");

    /* Isolation. Each rank sends A on the dup, then B on the parent, to its right neighbour.
     * A receive with MPI_ANY_TAG on the parent must get B although A was sent first. */
    int a = 1000 + tm_rank, b = 2000 + tm_rank, c = 3000 + tm_rank, in = -1;
    MPI_Request reqs[3];
    MPI_Status st;
    MPI_Isend(&a, 1, MPI_INT, right, 7, d, &reqs[0]);
    MPI_Isend(&b, 1, MPI_INT, right, 9, MPI_COMM_WORLD, &reqs[1]);
    MPI_Isend(&c, 1, MPI_INT, right, 7, d2, &reqs[2]);
    TM_CHECK_RC(MPI_Recv(&in, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st),
                "MPI_Recv on WORLD");
    TM_CHECK(in == 2000 + left && st.MPI_TAG == 9 && st.MPI_SOURCE == left,
             "ANY_TAG receive on the parent got %d tag %d from %d: expected %d tag 9 from %d", in,
             st.MPI_TAG, st.MPI_SOURCE, 2000 + left, left);
    /* Make sure A has arrived (visible on the dup) before asking the parent again. */
    TM_CHECK(probe_until(d, left, &st), "message sent on the dup never became visible there");
    TM_CHECK(st.MPI_TAG == 7 && st.MPI_SOURCE == left, "probe on dup: tag %d source %d",
             st.MPI_TAG, st.MPI_SOURCE);
    TM_CHECK(probe_until(d2, left, &st), "message sent on the second dup never became visible");
    int flag = 1;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    TM_CHECK(!flag, "Iprobe(ANY_SOURCE, ANY_TAG) on the parent sees a message (tag %d from %d) "
                    "that was sent on a duplicate", st.MPI_TAG, st.MPI_SOURCE);
    /* Receive d2's message first, then d's: each must carry its own payload. */
    in = -1;
    MPI_Recv(&in, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, d2, &st);
    TM_CHECK(in == 3000 + left, "receive on dup of dup got %d, expected %d", in, 3000 + left);
    in = -1;
    MPI_Recv(&in, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, d, &st);
    TM_CHECK(in == 1000 + left, "receive on dup got %d, expected %d", in, 1000 + left);
    MPI_Waitall(3, reqs, MPI_STATUSES_IGNORE);
    tm_barrier();

    /* MPI_Comm_free with operations pending: a receive and a send are posted on d2, d2 is
     * freed (the handle becomes MPI_COMM_NULL), and both still complete normally. */
    MPI_Request rr[2];
    int out = 4000 + tm_rank, in3 = -1;
    TM_CHECK_RC(MPI_Irecv(&in3, 1, MPI_INT, left, 12, d2, &rr[0]), "MPI_Irecv");
    TM_CHECK_RC(MPI_Isend(&out, 1, MPI_INT, right, 12, d2, &rr[1]), "MPI_Isend");
    TM_CHECK_RC(MPI_Comm_free(&d2), "MPI_Comm_free with pending send and receive");
    TM_CHECK(d2 == MPI_COMM_NULL, "MPI_Comm_free did not set MPI_COMM_NULL");
    TM_CHECK_RC(MPI_Waitall(2, rr, MPI_STATUSES_IGNORE), "MPI_Waitall after MPI_Comm_free");
    TM_CHECK(in3 == 4000 + left, "receive on a freed dup got %d, expected %d", in3, 4000 + left);

    TM_CHECK_RC(MPI_Comm_free(&d), "MPI_Comm_free");
    TM_CHECK(d == MPI_COMM_NULL, "MPI_Comm_free did not set MPI_COMM_NULL");
    return tm_finish();
}
