/* comm/basic: MPI_Comm_size/MPI_Comm_rank on MPI_COMM_WORLD and MPI_COMM_SELF: every rank
 * sees the same size, ranks are 0..size-1 and each is the source the others see. */
#include "../common.h"

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);

    int size = -1, rank = -1;
    TM_CHECK_RC(MPI_Comm_size(MPI_COMM_WORLD, &size), "MPI_Comm_size");
    TM_CHECK_RC(MPI_Comm_rank(MPI_COMM_WORLD, &rank), "MPI_Comm_rank");
    TM_CHECK(size >= 1 && rank >= 0 && rank < size, "size %d rank %d", size, rank);

    /* The size agrees with what the launcher was asked for, when it tells us. */
    const char *np = getenv("TM_EXPECT_NP");
    if (np != NULL) {
        TM_CHECK(size == atoi(np), "MPI_COMM_WORLD size %d, launched with %s", size, np);
    }

    /* Rank 0 hears from every other rank once; each message's source is its sender's rank
     * and carries the sender's view of (rank, size). */
    int me[2] = {rank, size};
    if (rank == 0) {
        int *seen = calloc((size_t)size, sizeof(int));
        for (int i = 1; i < size; i++) {
            int v[2] = {-1, -1};
            MPI_Status st;
            TM_CHECK_RC(MPI_Recv(v, 2, MPI_INT, MPI_ANY_SOURCE, 1, MPI_COMM_WORLD, &st), "MPI_Recv");
            TM_CHECK(st.MPI_SOURCE == v[0], "message from source %d says rank %d", st.MPI_SOURCE,
                     v[0]);
            TM_CHECK(v[1] == size, "rank %d says size %d, rank 0 has %d", v[0], v[1], size);
            if (v[0] > 0 && v[0] < size) {
                TM_CHECK(!seen[v[0]], "rank %d reported twice", v[0]);
                seen[v[0]] = 1;
            } else {
                TM_CHECK(0, "a rank reported rank %d", v[0]);
            }
        }
        free(seen);
    } else {
        TM_CHECK_RC(MPI_Send(me, 2, MPI_INT, 0, 1, MPI_COMM_WORLD), "MPI_Send");
    }

    /* MPI_COMM_SELF: one process, rank 0, and messages to itself. */
    TM_CHECK_RC(MPI_Comm_size(MPI_COMM_SELF, &size), "MPI_Comm_size(SELF)");
    TM_CHECK_RC(MPI_Comm_rank(MPI_COMM_SELF, &rank), "MPI_Comm_rank(SELF)");
    TM_CHECK(size == 1 && rank == 0, "MPI_COMM_SELF size %d rank %d", size, rank);
    int out = 77 + tm_rank, in = -1;
    MPI_Status st;
    TM_CHECK_RC(MPI_Sendrecv(&out, 1, MPI_INT, 0, 3, &in, 1, MPI_INT, 0, 3, MPI_COMM_SELF, &st),
                "MPI_Sendrecv on MPI_COMM_SELF");
    TM_CHECK(in == out && st.MPI_SOURCE == 0 && st.MPI_TAG == 3,
             "SELF sendrecv got %d (source %d tag %d), expected %d", in, st.MPI_SOURCE, st.MPI_TAG,
             out);

    return tm_finish();
}
