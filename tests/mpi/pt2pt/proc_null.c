/* pt2pt/proc_null: every send to MPI_PROC_NULL succeeds at once; every receive or probe
 * from MPI_PROC_NULL completes at once with source MPI_PROC_NULL, tag MPI_ANY_TAG and
 * count 0, leaving the buffer alone; a non-periodic shift uses MPI_PROC_NULL at the ends.
 * (MPICH 4.0.2 fails the Irecv+Test case: its status is not set; Open MPI passes.) */
#include "../common.h"

static void expect_null_status(const MPI_Status *st, const char *what)
{
    int count = -1;
    MPI_Get_count(st, MPI_INT, &count);
    TM_CHECK(st->MPI_SOURCE == MPI_PROC_NULL && st->MPI_TAG == MPI_ANY_TAG && count == 0,
             "%s: source %d tag %d count %d, expected MPI_PROC_NULL/MPI_ANY_TAG/0", what,
             st->MPI_SOURCE, st->MPI_TAG, count);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int buf[4] = {11, 22, 33, 44};
    MPI_Status st;
    MPI_Request r;
    int flag;
    const int P = MPI_PROC_NULL;

    TM_CHECK_RC(MPI_Send(buf, 4, MPI_INT, P, 1, MPI_COMM_WORLD), "Send to PROC_NULL");
    TM_CHECK_RC(MPI_Ssend(buf, 4, MPI_INT, P, 1, MPI_COMM_WORLD), "Ssend to PROC_NULL");
    TM_CHECK_RC(MPI_Rsend(buf, 4, MPI_INT, P, 1, MPI_COMM_WORLD), "Rsend to PROC_NULL");
    TM_CHECK_RC(MPI_Isend(buf, 4, MPI_INT, P, 1, MPI_COMM_WORLD, &r), "Isend to PROC_NULL");
    TM_CHECK_RC(MPI_Wait(&r, MPI_STATUS_IGNORE), "Wait");
    TM_CHECK_RC(MPI_Issend(buf, 4, MPI_INT, P, 1, MPI_COMM_WORLD, &r), "Issend to PROC_NULL");
    flag = 0;
    TM_CHECK_RC(MPI_Test(&r, &flag, MPI_STATUS_IGNORE), "Test");
    TM_CHECK(flag, "Issend to PROC_NULL not complete at the first Test");
    TM_CHECK_RC(MPI_Irsend(buf, 4, MPI_INT, P, 1, MPI_COMM_WORLD, &r), "Irsend to PROC_NULL");
    TM_CHECK_RC(MPI_Wait(&r, MPI_STATUS_IGNORE), "Wait");

    TM_CHECK_RC(MPI_Recv(buf, 4, MPI_INT, P, 1, MPI_COMM_WORLD, &st), "Recv from PROC_NULL");
    expect_null_status(&st, "Recv from PROC_NULL");
    TM_CHECK_RC(MPI_Recv(buf, 4, MPI_INT, P, MPI_ANY_TAG, MPI_COMM_WORLD, &st), "Recv");
    expect_null_status(&st, "Recv(PROC_NULL, ANY_TAG)");
    TM_CHECK(buf[0] == 11 && buf[3] == 44, "Recv from PROC_NULL changed the buffer");
    TM_CHECK_RC(MPI_Irecv(buf, 4, MPI_INT, P, 5, MPI_COMM_WORLD, &r), "Irecv from PROC_NULL");
    flag = 0;
    TM_CHECK_RC(MPI_Test(&r, &flag, &st), "Test");
    TM_CHECK(flag && r == MPI_REQUEST_NULL, "Irecv from PROC_NULL not complete at the first Test");
    expect_null_status(&st, "Irecv from PROC_NULL");
    TM_CHECK_RC(MPI_Probe(P, 3, MPI_COMM_WORLD, &st), "Probe(PROC_NULL)");
    expect_null_status(&st, "Probe(PROC_NULL)");
    flag = 0;
    TM_CHECK_RC(MPI_Iprobe(P, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st), "Iprobe(PROC_NULL)");
    TM_CHECK(flag, "Iprobe(PROC_NULL) flag false");
    expect_null_status(&st, "Iprobe(PROC_NULL)");
    TM_CHECK_RC(MPI_Sendrecv_replace(buf, 4, MPI_INT, P, 1, P, 1, MPI_COMM_WORLD, &st),
                "Sendrecv_replace with PROC_NULL");
    expect_null_status(&st, "Sendrecv_replace(PROC_NULL)");
    TM_CHECK(buf[0] == 11 && buf[1] == 22 && buf[2] == 33 && buf[3] == 44,
             "Sendrecv_replace with PROC_NULL changed the buffer");
    /* Zero-size status from PROC_NULL also for other types */
    int count = -1;
    MPI_Get_count(&st, MPI_DOUBLE, &count);
    TM_CHECK(count == 0, "Get_count(MPI_DOUBLE) on a PROC_NULL status: %d", count);
    MPI_Get_elements(&st, MPI_BYTE, &count);
    TM_CHECK(count == 0, "Get_elements on a PROC_NULL status: %d", count);

    /* Non-periodic shift: rank r sends to r+1 and receives from r-1; the ends use PROC_NULL. */
    int dest = tm_rank + 1 < tm_size ? tm_rank + 1 : P;
    int src = tm_rank > 0 ? tm_rank - 1 : P;
    int out[2] = {tm_rank, 7}, in[2] = {-1, -1};
    TM_CHECK_RC(MPI_Sendrecv(out, 2, MPI_INT, dest, 9, in, 2, MPI_INT, src, 9, MPI_COMM_WORLD, &st),
                "shift Sendrecv");
    if (src == P) {
        expect_null_status(&st, "shift from PROC_NULL");
        TM_CHECK(in[0] == -1 && in[1] == -1, "shift from PROC_NULL changed the buffer");
    } else {
        TM_CHECK(st.MPI_SOURCE == src && in[0] == src && in[1] == 7,
                 "shift: got %d,%d from %d, expected %d,7 from %d", in[0], in[1], st.MPI_SOURCE,
                 src, src);
    }
    /* And the other way, with requests mixing PROC_NULL and real peers. */
    MPI_Request rq[4];
    MPI_Status sts[4];
    int in2 = -1, in3 = -1;
    MPI_Irecv(&in2, 1, MPI_INT, dest, 10, MPI_COMM_WORLD, &rq[0]);
    MPI_Irecv(&in3, 1, MPI_INT, P, 10, MPI_COMM_WORLD, &rq[1]);
    MPI_Isend(&out[0], 1, MPI_INT, src, 10, MPI_COMM_WORLD, &rq[2]);
    MPI_Isend(&out[0], 1, MPI_INT, P, 10, MPI_COMM_WORLD, &rq[3]);
    TM_CHECK_RC(MPI_Waitall(4, rq, sts), "Waitall (PROC_NULL mixed)");
    expect_null_status(&sts[1], "Irecv(PROC_NULL) in Waitall");
    TM_CHECK(in3 == -1, "Irecv from PROC_NULL wrote the buffer");
    if (dest == P) {
        expect_null_status(&sts[0], "reverse shift from PROC_NULL");
    } else {
        TM_CHECK(in2 == dest && sts[0].MPI_SOURCE == dest, "reverse shift: got %d from %d", in2,
                 sts[0].MPI_SOURCE);
    }

    return tm_finish();
}
