/* comm/dup_many: thousands of MPI_Comm_dup/MPI_Comm_free cycles (more than any sensible
 * fixed table of context ids holds, so ids must be recycled), traffic on some of them, and
 * many duplicates alive at once whose messages must each stay on their own communicator. */
#include "../common.h"

#define CYCLES 4200
#define ALIVE 64

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;

    for (int i = 0; i < CYCLES && tm_errors == 0; i++) {
        MPI_Comm d = MPI_COMM_NULL;
        int rc = MPI_Comm_dup(MPI_COMM_WORLD, &d);
        TM_CHECK(rc == MPI_SUCCESS && d != MPI_COMM_NULL, "MPI_Comm_dup #%d returned %d (%s)", i,
                 rc, tm_errstr(rc));
        if (rc != MPI_SUCCESS) {
            break;
        }
        if (i % 250 == 0) {
            int out = i * 100 + tm_rank, in = -1;
            MPI_Sendrecv(&out, 1, MPI_INT, right, i % 1000, &in, 1, MPI_INT, left, i % 1000, d,
                         MPI_STATUS_IGNORE);
            TM_CHECK(in == i * 100 + left, "cycle %d: ring on the dup got %d", i, in);
        }
        rc = MPI_Comm_free(&d);
        TM_CHECK(rc == MPI_SUCCESS && d == MPI_COMM_NULL, "MPI_Comm_free #%d returned %d", i, rc);
    }

    /* Many alive at once: send one message on each (all with the same tag), then receive
     * them in reverse order with wildcards; each must carry its own communicator's index. */
    MPI_Comm comms[ALIVE];
    MPI_Request reqs[ALIVE];
    int out[ALIVE];
    for (int i = 0; i < ALIVE; i++) {
        comms[i] = MPI_COMM_NULL;
        TM_CHECK_RC(MPI_Comm_dup(i % 2 ? comms[i - 1] : MPI_COMM_WORLD, &comms[i]), "MPI_Comm_dup");
    }
    for (int i = 0; i < ALIVE; i++) {
        out[i] = i * 1000 + tm_rank;
        MPI_Isend(&out[i], 1, MPI_INT, right, 0, comms[i], &reqs[i]);
    }
    for (int i = ALIVE - 1; i >= 0; i--) {
        int in = -1;
        MPI_Status st;
        MPI_Recv(&in, 1, MPI_INT, MPI_ANY_SOURCE, MPI_ANY_TAG, comms[i], &st);
        TM_CHECK(in == i * 1000 + left, "dup #%d received %d, expected %d", i, in, i * 1000 + left);
    }
    MPI_Waitall(ALIVE, reqs, MPI_STATUSES_IGNORE);
    /* Free in an interleaved order, then dup again: recycled ids must not confuse anything. */
    for (int i = 0; i < ALIVE; i += 2) {
        MPI_Comm_free(&comms[i]);
    }
    for (int i = 0; i < ALIVE; i += 2) {
        TM_CHECK_RC(MPI_Comm_dup(MPI_COMM_WORLD, &comms[i]), "MPI_Comm_dup after frees");
    }
    for (int i = 0; i < ALIVE; i++) {
        out[i] = i * 1000 + tm_rank + 7;
        MPI_Isend(&out[i], 1, MPI_INT, right, 0, comms[i], &reqs[i]);
    }
    for (int i = 0; i < ALIVE; i++) {
        int j = (i * 37) % ALIVE; /* 37 is coprime with 64: a permutation */
        int in = -1;
        MPI_Recv(&in, 1, MPI_INT, left, 0, comms[j], MPI_STATUS_IGNORE);
        TM_CHECK(in == j * 1000 + left + 7, "dup #%d (second round) received %d", j, in);
    }
    MPI_Waitall(ALIVE, reqs, MPI_STATUSES_IGNORE);
    for (int i = 0; i < ALIVE; i++) {
        MPI_Comm_free(&comms[i]);
        TM_CHECK(comms[i] == MPI_COMM_NULL, "MPI_Comm_free did not set MPI_COMM_NULL");
    }

    return tm_finish();
}
