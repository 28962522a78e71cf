/* MPI_MINLOC / MPI_MAXLOC over a derived type built from a value/index pair type: the
 * reduction walks the pairs inside each element (contiguous of MPI_2INT, vector of
 * MPI_DOUBLE_INT). Ties keep the lower index, as the standard defines. */
#include "../common.h"

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int me, p;
    MPI_Comm_rank(MPI_COMM_WORLD, &me);
    MPI_Comm_size(MPI_COMM_WORLD, &p);

    /* contiguous(3, MPI_2INT): pair k holds value (k == 1 ? 5 : 10 - me + k), index me */
    MPI_Datatype c3;
    MPI_Type_contiguous(3, MPI_2INT, &c3);
    MPI_Type_commit(&c3);
    int in[6], out[6];
    for (int k = 0; k < 3; k++) {
        in[2 * k] = k == 1 ? 5 : 10 - me + k;
        in[2 * k + 1] = me;
    }
    int rc = MPI_Allreduce(in, out, 1, c3, MPI_MINLOC, MPI_COMM_WORLD);
    TM_CHECK(rc == MPI_SUCCESS, "MPI_Allreduce(MINLOC, contiguous of MPI_2INT) returned %d", rc);
    for (int k = 0; k < 3; k++) {
        int want_v = k == 1 ? 5 : 10 - (p - 1) + k, want_i = k == 1 ? 0 : p - 1;
        TM_CHECK(out[2 * k] == want_v && out[2 * k + 1] == want_i,
                 "MINLOC pair %d: got (%d,%d), want (%d,%d)", k, out[2 * k], out[2 * k + 1],
                 want_v, want_i);
    }
    rc = MPI_Allreduce(in, out, 1, c3, MPI_MAXLOC, MPI_COMM_WORLD);
    TM_CHECK(rc == MPI_SUCCESS, "MPI_Allreduce(MAXLOC) returned %d", rc);
    for (int k = 0; k < 3; k++) {
        int want_v = k == 1 ? 5 : 10 + k, want_i = 0;
        TM_CHECK(out[2 * k] == want_v && out[2 * k + 1] == want_i,
                 "MAXLOC pair %d: got (%d,%d), want (%d,%d)", k, out[2 * k], out[2 * k + 1],
                 want_v, want_i);
    }
    MPI_Type_free(&c3);

    /* vector(2 blocks of 1, stride 2) of MPI_DOUBLE_INT: only pairs 0 and 2 take part */
    struct { double v; int i; } din[4], dout[4];
    MPI_Datatype v2;
    MPI_Type_vector(2, 1, 2, MPI_DOUBLE_INT, &v2);
    MPI_Type_commit(&v2);
    for (int k = 0; k < 4; k++) {
        din[k].v = (double)((me * 7 + k * 3) % 5) + 0.5;
        din[k].i = me;
        dout[k].v = -1.0;
        dout[k].i = -1;
    }
    rc = MPI_Reduce(din, dout, 1, v2, MPI_MINLOC, 0, MPI_COMM_WORLD);
    TM_CHECK(rc == MPI_SUCCESS, "MPI_Reduce(MINLOC, vector of MPI_DOUBLE_INT) returned %d", rc);
    if (me == 0) {
        for (int k = 0; k < 4; k += 2) {
            double best = 1e9;
            int at = -1;
            for (int r = 0; r < p; r++) {
                double v = (double)((r * 7 + k * 3) % 5) + 0.5;
                if (v < best) {
                    best = v;
                    at = r;
                }
            }
            TM_CHECK(dout[k].v == best && dout[k].i == at, "vector MINLOC pair %d: got "
                     "(%g,%d), want (%g,%d)", k, dout[k].v, dout[k].i, best, at);
        }
        TM_CHECK(dout[1].v == -1.0 && dout[3].v == -1.0, "the holes of the vector were written");
    }
    MPI_Type_free(&v2);
    return tm_finish();
}
