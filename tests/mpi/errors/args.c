/* errors/args: with MPI_ERRORS_RETURN, every invalid argument yields the matching error
 * class (communicator, rank, tag, count, datatype), the code has a non-empty error
 * string, nothing is sent or received, and the library keeps working afterwards.
 * MPI_REQUEST_NULL is a valid argument to the completion calls: they return at once with
 * an empty status (source MPI_ANY_SOURCE, tag MPI_ANY_TAG, count 0). */
#include "../common.h"

static void expect_err(int rc, int want, const char *what)
{
    if (rc == MPI_SUCCESS) {
        tm_fail(__FILE__, __LINE__, "%s: returned MPI_SUCCESS, expected error class %d", what, want);
        return;
    }
    int cls = tm_errclass(rc);
    char msg[MPI_MAX_ERROR_STRING];
    int len = -1;
    int src = MPI_Error_string(rc, msg, &len);
    TM_CHECK(cls == want, "%s: error code %d has class %d, expected %d (\"%s\")", what, rc, cls,
             want, src == MPI_SUCCESS ? msg : "?");
    TM_CHECK(src == MPI_SUCCESS && len > 0 && (size_t)len == strlen(msg),
             "%s: MPI_Error_string(%d) rc %d len %d", what, rc, src, len);
}

/* Any error will do (the class for this one differs between MPI versions). */
static void expect_some_err(int rc, const char *what)
{
    TM_CHECK(rc != MPI_SUCCESS, "%s: returned MPI_SUCCESS, expected an error", what);
}

static void expect_empty_status(const MPI_Status *st, const char *what)
{
    int count = -1;
    MPI_Get_count(st, MPI_INT, &count);
    TM_CHECK(st->MPI_SOURCE == MPI_ANY_SOURCE && st->MPI_TAG == MPI_ANY_TAG && count == 0,
             "%s: status not empty: source %d tag %d count %d", what, st->MPI_SOURCE, st->MPI_TAG,
             count);
}

static void poison(MPI_Status *st)
{
    st->MPI_SOURCE = 12345;
    st->MPI_TAG = 12345;
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    /* Errors not tied to a communicator go to MPI_COMM_SELF's handler (MPI 4) or WORLD's. */
    TM_CHECK_RC(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN), "set ERRORS_RETURN");
    TM_CHECK_RC(MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN), "set ERRORS_RETURN");

    MPI_Comm W = MPI_COMM_WORLD;
    int buf[16] = {0};
    int n = tm_size;
    MPI_Request req = MPI_REQUEST_NULL;
    MPI_Status st;
    int flag = 0;

    /* --- communicator --- */
    MPI_Comm nullcomm = MPI_COMM_NULL;
    int ival = 0;
    expect_err(MPI_Send(buf, 1, MPI_INT, 0, 0, MPI_COMM_NULL), MPI_ERR_COMM, "Send on COMM_NULL");
    expect_err(MPI_Recv(buf, 1, MPI_INT, 0, 0, MPI_COMM_NULL, &st), MPI_ERR_COMM, "Recv on COMM_NULL");
    expect_err(MPI_Irecv(buf, 1, MPI_INT, 0, 0, MPI_COMM_NULL, &req), MPI_ERR_COMM,
               "Irecv on COMM_NULL");
    expect_err(MPI_Isend(buf, 1, MPI_INT, 0, 0, MPI_COMM_NULL, &req), MPI_ERR_COMM,
               "Isend on COMM_NULL");
    expect_err(MPI_Iprobe(0, 0, MPI_COMM_NULL, &flag, &st), MPI_ERR_COMM, "Iprobe on COMM_NULL");
    expect_err(MPI_Comm_size(MPI_COMM_NULL, &ival), MPI_ERR_COMM, "Comm_size(COMM_NULL)");
    expect_err(MPI_Comm_rank(MPI_COMM_NULL, &ival), MPI_ERR_COMM, "Comm_rank(COMM_NULL)");
    MPI_Comm out = MPI_COMM_NULL;
    expect_err(MPI_Comm_dup(MPI_COMM_NULL, &out), MPI_ERR_COMM, "Comm_dup(COMM_NULL)");
    expect_err(MPI_Comm_compare(MPI_COMM_NULL, W, &ival), MPI_ERR_COMM, "Comm_compare(COMM_NULL)");
    expect_err(MPI_Comm_free(&nullcomm), MPI_ERR_COMM, "Comm_free(COMM_NULL)");
    expect_err(MPI_Comm_set_errhandler(MPI_COMM_NULL, MPI_ERRORS_RETURN), MPI_ERR_COMM,
               "Comm_set_errhandler(COMM_NULL)");
    MPI_Errhandler eh = MPI_ERRHANDLER_NULL;
    expect_err(MPI_Comm_get_errhandler(MPI_COMM_NULL, &eh), MPI_ERR_COMM,
               "Comm_get_errhandler(COMM_NULL)");
    expect_some_err(MPI_Comm_set_errhandler(W, MPI_ERRHANDLER_NULL),
                    "Comm_set_errhandler(ERRHANDLER_NULL)");

    /* --- rank --- */
    expect_err(MPI_Send(buf, 1, MPI_INT, n, 0, W), MPI_ERR_RANK, "Send to rank size");
    expect_err(MPI_Send(buf, 1, MPI_INT, -5, 0, W), MPI_ERR_RANK, "Send to rank -5");
    expect_err(MPI_Send(buf, 1, MPI_INT, MPI_ANY_SOURCE, 0, W), MPI_ERR_RANK,
               "Send to MPI_ANY_SOURCE");
    expect_err(MPI_Ssend(buf, 1, MPI_INT, n, 0, W), MPI_ERR_RANK, "Ssend to rank size");
    expect_err(MPI_Rsend(buf, 1, MPI_INT, n + 3, 0, W), MPI_ERR_RANK, "Rsend to rank size+3");
    expect_err(MPI_Isend(buf, 1, MPI_INT, n, 0, W, &req), MPI_ERR_RANK, "Isend to rank size");
    expect_err(MPI_Issend(buf, 1, MPI_INT, -5, 0, W, &req), MPI_ERR_RANK, "Issend to rank -5");
    expect_err(MPI_Irsend(buf, 1, MPI_INT, n, 0, W, &req), MPI_ERR_RANK, "Irsend to rank size");
    expect_err(MPI_Recv(buf, 1, MPI_INT, n, 0, W, &st), MPI_ERR_RANK, "Recv from rank size");
    expect_err(MPI_Recv(buf, 1, MPI_INT, -5, 0, W, &st), MPI_ERR_RANK, "Recv from rank -5");
    expect_err(MPI_Irecv(buf, 1, MPI_INT, n, 0, W, &req), MPI_ERR_RANK, "Irecv from rank size");
    expect_err(MPI_Iprobe(n, 0, W, &flag, &st), MPI_ERR_RANK, "Iprobe rank size");
    expect_err(MPI_Probe(-5, 0, W, &st), MPI_ERR_RANK, "Probe rank -5");
    expect_err(MPI_Sendrecv(buf, 1, MPI_INT, n, 0, buf + 1, 1, MPI_INT, 0, 0, W, &st), MPI_ERR_RANK,
               "Sendrecv dest size");
    expect_err(MPI_Sendrecv(buf, 1, MPI_INT, 0, 0, buf + 1, 1, MPI_INT, n, 0, W, &st), MPI_ERR_RANK,
               "Sendrecv source size");
    expect_err(MPI_Sendrecv_replace(buf, 1, MPI_INT, -7, 0, 0, 0, W, &st), MPI_ERR_RANK,
               "Sendrecv_replace dest -7");
    expect_err(MPI_Send(buf, 1, MPI_INT, 1, 0, MPI_COMM_SELF), MPI_ERR_RANK,
               "Send to rank 1 of COMM_SELF");

    /* --- tag --- */
    expect_err(MPI_Send(buf, 1, MPI_INT, 0, -1, W), MPI_ERR_TAG, "Send tag -1");
    expect_err(MPI_Send(buf, 1, MPI_INT, 0, MPI_ANY_TAG, W), MPI_ERR_TAG, "Send tag MPI_ANY_TAG");
    expect_err(MPI_Isend(buf, 1, MPI_INT, 0, -3, W, &req), MPI_ERR_TAG, "Isend tag -3");
    expect_err(MPI_Ssend(buf, 1, MPI_INT, 0, MPI_ANY_TAG, W), MPI_ERR_TAG, "Ssend tag ANY_TAG");
    expect_err(MPI_Recv(buf, 1, MPI_INT, 0, -5, W, &st), MPI_ERR_TAG, "Recv tag -5");
    expect_err(MPI_Irecv(buf, 1, MPI_INT, 0, -7, W, &req), MPI_ERR_TAG, "Irecv tag -7");
    expect_err(MPI_Iprobe(0, -5, W, &flag, &st), MPI_ERR_TAG, "Iprobe tag -5");
    expect_err(MPI_Sendrecv(buf, 1, MPI_INT, 0, MPI_ANY_TAG, buf + 1, 1, MPI_INT, 0, 0, W, &st),
               MPI_ERR_TAG, "Sendrecv sendtag ANY_TAG");

    /* --- count --- */
    expect_err(MPI_Send(buf, -1, MPI_INT, 0, 0, W), MPI_ERR_COUNT, "Send count -1");
    expect_err(MPI_Recv(buf, -1, MPI_INT, 0, 0, W, &st), MPI_ERR_COUNT, "Recv count -1");
    expect_err(MPI_Isend(buf, -1, MPI_INT, 0, 0, W, &req), MPI_ERR_COUNT, "Isend count -1");
    expect_err(MPI_Irecv(buf, -1, MPI_INT, 0, 0, W, &req), MPI_ERR_COUNT, "Irecv count -1");
    expect_err(MPI_Sendrecv(buf, -1, MPI_INT, 0, 0, buf + 1, 1, MPI_INT, 0, 0, W, &st),
               MPI_ERR_COUNT, "Sendrecv sendcount -1");
    MPI_Datatype t = MPI_DATATYPE_NULL;
    expect_err(MPI_Type_contiguous(-1, MPI_INT, &t), MPI_ERR_COUNT, "Type_contiguous(-1)");
    expect_err(MPI_Type_vector(-1, 1, 1, MPI_INT, &t), MPI_ERR_COUNT, "Type_vector(count -1)");

    /* --- datatype --- */
    expect_err(MPI_Send(buf, 1, MPI_DATATYPE_NULL, 0, 0, W), MPI_ERR_TYPE, "Send DATATYPE_NULL");
    expect_err(MPI_Recv(buf, 1, MPI_DATATYPE_NULL, 0, 0, W, &st), MPI_ERR_TYPE,
               "Recv DATATYPE_NULL");
    expect_err(MPI_Isend(buf, 1, MPI_DATATYPE_NULL, 0, 0, W, &req), MPI_ERR_TYPE,
               "Isend DATATYPE_NULL");
    int size = 0;
    expect_err(MPI_Type_size(MPI_DATATYPE_NULL, &size), MPI_ERR_TYPE, "Type_size(DATATYPE_NULL)");
    MPI_Datatype nulltype = MPI_DATATYPE_NULL;
    expect_err(MPI_Type_commit(&nulltype), MPI_ERR_TYPE, "Type_commit(DATATYPE_NULL)");
    expect_err(MPI_Type_contiguous(2, MPI_DATATYPE_NULL, &t), MPI_ERR_TYPE,
               "Type_contiguous of DATATYPE_NULL");
    MPI_Datatype uncommitted = MPI_DATATYPE_NULL;
    TM_CHECK_RC(MPI_Type_vector(2, 1, 2, MPI_INT, &uncommitted), "Type_vector");
    expect_err(MPI_Send(buf, 1, uncommitted, 0, 0, W), MPI_ERR_TYPE, "Send uncommitted type");
    expect_err(MPI_Recv(buf, 1, uncommitted, 0, 0, W, &st), MPI_ERR_TYPE, "Recv uncommitted type");
    expect_err(MPI_Irecv(buf, 1, uncommitted, 0, 0, W, &req), MPI_ERR_TYPE,
               "Irecv uncommitted type");
    /* An uncommitted type may still be queried and used to build other types. */
    TM_CHECK_RC(MPI_Type_size(uncommitted, &size), "Type_size of an uncommitted type");
    TM_CHECK(size == 2 * (int)sizeof(int), "Type_size of vector(2,1,2,INT) = %d", size);
    MPI_Type_free(&uncommitted);

    /* --- requests: MPI_REQUEST_NULL is valid and completes at once, empty --- */
    req = MPI_REQUEST_NULL;
    poison(&st);
    TM_CHECK_RC(MPI_Wait(&req, &st), "Wait(REQUEST_NULL)");
    expect_empty_status(&st, "Wait(REQUEST_NULL)");
    poison(&st);
    flag = 0;
    TM_CHECK_RC(MPI_Test(&req, &flag, &st), "Test(REQUEST_NULL)");
    TM_CHECK(flag, "Test(REQUEST_NULL) flag false");
    expect_empty_status(&st, "Test(REQUEST_NULL)");
    poison(&st);
    flag = 0;
    TM_CHECK_RC(MPI_Request_get_status(MPI_REQUEST_NULL, &flag, &st), "Request_get_status(NULL)");
    TM_CHECK(flag, "Request_get_status(REQUEST_NULL) flag false");
    expect_empty_status(&st, "Request_get_status(REQUEST_NULL)");
    expect_some_err(MPI_Request_free(&req), "Request_free(REQUEST_NULL)");

    /* --- an invalid call has no side effect: nothing was sent by the calls above --- */
    flag = 1;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, W, &flag, &st);
    TM_CHECK(!flag, "a message (source %d tag %d) arrived although every send was invalid",
             st.MPI_SOURCE, st.MPI_TAG);

    /* --- still works: a ring pass on WORLD --- */
    tm_barrier();
    int right = (tm_rank + 1) % n, left = (tm_rank + n - 1) % n, in = -1, me = tm_rank;
    TM_CHECK_RC(MPI_Sendrecv(&me, 1, MPI_INT, right, 1, &in, 1, MPI_INT, left, 1, W, &st),
                "Sendrecv after the errors");
    TM_CHECK(in == left, "ring after the errors got %d, expected %d", in, left);

    return tm_finish();
}
