/* errors.c: bad arguments to collectives give the right error class (MPI_ERRORS_RETURN),
 * and a collective whose counts disagree between ranks reports MPI_ERR_TRUNCATE instead of
 * hanging or corrupting memory. Only errors every rank detects are used, so no rank is
 * left waiting inside a collective.
 */
#include "coll_common.h"

static MPI_Comm comm;
static int p, me;

#define EXPECT(cls, call)                                                                  \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        TM_CHECK(tm_errclass(rc_) == (cls), "%s returned %s, expected class %d", #call,    \
                 rc_ == MPI_SUCCESS ? "MPI_SUCCESS" : tm_errstr(rc_), (cls));              \
    } while (0)

static void test_arguments(void)
{
    int buf[16] = {0}, rbuf[16 * 64] = {0};
    int counts[64], displs[64];
    MPI_Datatype types[64];
    MPI_Request req = MPI_REQUEST_NULL;
    for (int i = 0; i < 64; i++) {
        counts[i] = 1;
        displs[i] = i;
        types[i] = MPI_INT;
    }
    /* roots */
    EXPECT(MPI_ERR_ROOT, MPI_Bcast(buf, 1, MPI_INT, p, comm));
    EXPECT(MPI_ERR_ROOT, MPI_Bcast(buf, 1, MPI_INT, -1, comm));
    EXPECT(MPI_ERR_ROOT, MPI_Bcast(buf, 1, MPI_INT, MPI_ROOT, comm));
    EXPECT(MPI_ERR_ROOT, MPI_Reduce(buf, rbuf, 1, MPI_INT, MPI_SUM, p + 3, comm));
    EXPECT(MPI_ERR_ROOT, MPI_Gather(buf, 1, MPI_INT, rbuf, 1, MPI_INT, -2, comm));
    EXPECT(MPI_ERR_ROOT, MPI_Iscatter(buf, 1, MPI_INT, rbuf, 1, MPI_INT, p, comm, &req));
    TM_CHECK(req == MPI_REQUEST_NULL, "failed MPI_Iscatter left a request");
    EXPECT(MPI_ERR_ROOT, MPI_Bcast_init(buf, 1, MPI_INT, p, comm, MPI_INFO_NULL, &req));
    /* counts */
    EXPECT(MPI_ERR_COUNT, MPI_Bcast(buf, -1, MPI_INT, 0, comm));
    EXPECT(MPI_ERR_COUNT, MPI_Allreduce(buf, rbuf, -5, MPI_INT, MPI_SUM, comm));
    EXPECT(MPI_ERR_COUNT, MPI_Allgather(buf, -1, MPI_INT, rbuf, 1, MPI_INT, comm));
    EXPECT(MPI_ERR_COUNT, MPI_Gather(buf, -1, MPI_INT, rbuf, 1, MPI_INT, 0, comm));
    EXPECT(MPI_ERR_COUNT, MPI_Reduce_scatter_block(buf, rbuf, -1, MPI_INT, MPI_SUM, comm));
    counts[p - 1] = -1;
    EXPECT(MPI_ERR_COUNT, MPI_Reduce_scatter(rbuf, buf, counts, MPI_INT, MPI_SUM, comm));
    EXPECT(MPI_ERR_COUNT, MPI_Alltoallv(buf, counts, displs, MPI_INT, rbuf, counts, displs,
                                        MPI_INT, comm));
    EXPECT(MPI_ERR_COUNT, MPI_Allgatherv(buf, 1, MPI_INT, rbuf, counts, displs, MPI_INT,
                                         comm));
    counts[p - 1] = 1;
    /* datatypes */
    MPI_Datatype uncommitted;
    MPI_Type_contiguous(2, MPI_INT, &uncommitted);
    EXPECT(MPI_ERR_TYPE, MPI_Bcast(buf, 1, MPI_DATATYPE_NULL, 0, comm));
    EXPECT(MPI_ERR_TYPE, MPI_Bcast(buf, 1, uncommitted, 0, comm));
    EXPECT(MPI_ERR_TYPE, MPI_Allreduce(buf, rbuf, 1, MPI_DATATYPE_NULL, MPI_SUM, comm));
    EXPECT(MPI_ERR_TYPE, MPI_Alltoall(buf, 1, uncommitted, rbuf, 1, MPI_INT, comm));
    types[0] = MPI_DATATYPE_NULL;
    EXPECT(MPI_ERR_TYPE, MPI_Alltoallw(buf, counts, displs, types, rbuf, counts, displs,
                                       types, comm));
    types[0] = MPI_INT;
    MPI_Type_free(&uncommitted);
    /* buffers */
    EXPECT(MPI_ERR_BUFFER, MPI_Bcast(NULL, 1, MPI_INT, 0, comm));
    EXPECT(MPI_ERR_BUFFER, MPI_Bcast(MPI_IN_PLACE, 1, MPI_INT, 0, comm));
    EXPECT(MPI_ERR_BUFFER, MPI_Allreduce(buf, buf, 4, MPI_INT, MPI_SUM, comm));
    EXPECT(MPI_ERR_BUFFER, MPI_Allreduce(buf, MPI_IN_PLACE, 4, MPI_INT, MPI_SUM, comm));
    EXPECT(MPI_ERR_BUFFER, MPI_Allgather(buf, 1, MPI_INT, MPI_IN_PLACE, 1, MPI_INT, comm));
    EXPECT(MPI_ERR_BUFFER, MPI_Alltoall(rbuf, 1, MPI_INT, rbuf, 1, MPI_INT, comm));
    EXPECT(MPI_ERR_BUFFER, MPI_Scan(buf, buf, 2, MPI_INT, MPI_SUM, comm));
    EXPECT(MPI_ERR_BUFFER, MPI_Reduce_local(MPI_IN_PLACE, buf, 1, MPI_INT, MPI_SUM));
    /* arrays and requests */
    EXPECT(MPI_ERR_ARG, MPI_Reduce_scatter(rbuf, buf, NULL, MPI_INT, MPI_SUM, comm));
    EXPECT(MPI_ERR_ARG, MPI_Alltoallv(buf, NULL, displs, MPI_INT, rbuf, counts, displs,
                                      MPI_INT, comm));
    EXPECT(MPI_ERR_ARG, MPI_Allgatherv(buf, 1, MPI_INT, rbuf, counts, NULL, MPI_INT, comm));
    EXPECT(MPI_ERR_ARG, MPI_Ibarrier(comm, NULL));
    EXPECT(MPI_ERR_ARG, MPI_Allreduce_init(buf, rbuf, 1, MPI_INT, MPI_SUM, comm,
                                           MPI_INFO_NULL, NULL));
    /* communicators (reported through MPI_COMM_SELF's handler) */
    EXPECT(MPI_ERR_COMM, MPI_Barrier(MPI_COMM_NULL));
    EXPECT(MPI_ERR_COMM, MPI_Ibcast(buf, 1, MPI_INT, 0, MPI_COMM_NULL, &req));
    /* ops */
    EXPECT(MPI_ERR_OP, MPI_Allreduce(buf, rbuf, 1, MPI_INT, MPI_OP_NULL, comm));
    EXPECT(MPI_ERR_OP, MPI_Reduce(buf, rbuf, 1, MPI_FLOAT, MPI_BXOR, 0, comm));
    EXPECT(MPI_ERR_OP, MPI_Scan(buf, rbuf, 1, MPI_INT, MPI_MAXLOC, comm));
    EXPECT(MPI_ERR_OP, MPI_Iallreduce(buf, rbuf, 1, MPI_INT, MPI_REPLACE, comm, &req));
    /* the error message names the argument */
    int rc = MPI_Bcast(buf, 1, MPI_INT, p + 1, comm);
    char msg[MPI_MAX_ERROR_STRING];
    int len;
    MPI_Error_string(rc, msg, &len);
    TM_CHECK(strstr(msg, "root") != NULL, "error string does not name the root: %s", msg);
}

static void test_start(void)
{
    int x = me, y;
    MPI_Request req, pers, two[2];
    /* MPI_Start on a request that is not persistent */
    TM_CHECK_RC(MPI_Iallreduce(&x, &y, 1, MPI_INT, MPI_SUM, comm, &req), "MPI_Iallreduce");
    EXPECT(MPI_ERR_REQUEST, MPI_Start(&req));
    TM_CHECK_RC(MPI_Wait(&req, MPI_STATUS_IGNORE), "MPI_Wait");
    TM_CHECK(y == p * (p - 1) / 2, "Iallreduce after a refused MPI_Start: %d", y);
    req = MPI_REQUEST_NULL;
    EXPECT(MPI_ERR_REQUEST, MPI_Start(&req));
    EXPECT(MPI_ERR_COUNT, MPI_Startall(-1, &req));
    /* starting an active persistent request */
    TM_CHECK_RC(MPI_Allreduce_init(&x, &y, 1, MPI_INT, MPI_SUM, comm, MPI_INFO_NULL, &pers),
                "MPI_Allreduce_init");
    TM_CHECK_RC(MPI_Start(&pers), "MPI_Start");
    EXPECT(MPI_ERR_REQUEST, MPI_Start(&pers));
    two[0] = two[1] = pers;
    TM_CHECK_RC(MPI_Wait(&pers, MPI_STATUS_IGNORE), "MPI_Wait");
    EXPECT(MPI_ERR_REQUEST, MPI_Startall(2, two));  /* the same request twice */
    TM_CHECK_RC(MPI_Request_free(&pers), "MPI_Request_free");
}

/* Counts that disagree: some rank must see MPI_ERR_TRUNCATE; nobody hangs or crashes.
 * (Detectable only while the ranks still agree on the algorithm and its message pattern:
 * small counts, same size class.) */
static void test_mismatch(void)
{
    int big[64], out[64];
    for (int i = 0; i < 64; i++)
        big[i] = i;
    int n = me == 0 ? 8 : 4;   /* root sends 8, the others expect 4 */
    int rc = p > 1 ? MPI_Bcast(big, n, MPI_INT, 0, comm) : MPI_ERR_TRUNCATE;
    int truncated = tm_errclass(rc) == MPI_ERR_TRUNCATE;
    int other = rc != MPI_SUCCESS && !truncated;
    TM_CHECK(!other, "mismatched bcast: %s", tm_errstr(rc));
    TM_CHECK(tm_sum(truncated) >= 1, "mismatched bcast counts: nobody saw MPI_ERR_TRUNCATE");

    /* the other way, short messages; counts of at least p elements, so that every
     * algorithm's blocks stay non-empty and all ranks exchange the same messages (with
     * empty blocks some ranks would skip messages others wait for: undetectable) */
    n = me == 0 ? 8 : 16;
    rc = p > 1 ? MPI_Allreduce(big, out, n, MPI_INT, MPI_SUM, comm) : MPI_ERR_TRUNCATE;
    truncated = tm_errclass(rc) == MPI_ERR_TRUNCATE;
    TM_CHECK(rc == MPI_SUCCESS || truncated, "mismatched allreduce: %s", tm_errstr(rc));
    TM_CHECK(tm_sum(truncated) >= 1, "mismatched allreduce counts: nobody saw "
             "MPI_ERR_TRUNCATE");
    /* the communicator still works */
    int x = 1, y = 0;
    TM_CHECK_RC(MPI_Allreduce(&x, &y, 1, MPI_INT, MPI_SUM, comm), "allreduce after errors");
    TM_CHECK(y == p, "allreduce after errors: %d", y);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Comm_size(comm, &p);
    MPI_Comm_rank(comm, &me);
    test_arguments();
    test_start();
    test_mismatch();
    TM_CHECK_RC(MPI_Barrier(comm), "final barrier");
    MPI_Comm_free(&comm);
    return tm_finish();
}
