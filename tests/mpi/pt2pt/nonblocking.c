/* pt2pt/nonblocking: MPI_Isend, MPI_Issend and MPI_Irsend with MPI_Irecv around a ring, all
 * protocol sizes in flight at once, receives posted before the sends (expected path) and
 * after them (unexpected path). MPI_Irsend starts only after the receiver's handshake. */
#include "../common.h"

#define TAG_READY 900

enum { MODE_ISEND, MODE_ISSEND, MODE_IRSEND, NMODES };
static const char *mode_name[] = {"MPI_Isend", "MPI_Issend", "MPI_Irsend"};

static int start_send(int mode, const void *buf, int n, int dest, int tag, MPI_Request *r)
{
    switch (mode) {
    case MODE_ISEND: return MPI_Isend(buf, n, MPI_BYTE, dest, tag, MPI_COMM_WORLD, r);
    case MODE_ISSEND: return MPI_Issend(buf, n, MPI_BYTE, dest, tag, MPI_COMM_WORLD, r);
    default: return MPI_Irsend(buf, n, MPI_BYTE, dest, tag, MPI_COMM_WORLD, r);
    }
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    unsigned char *sbuf[TM_NSIZES], *rbuf[TM_NSIZES];
    for (size_t k = 0; k < TM_NSIZES; k++) {
        sbuf[k] = tm_malloc(tm_sizes[k]);
        rbuf[k] = tm_malloc(tm_sizes[k]);
    }

    for (int mode = 0; mode < NMODES; mode++) {
        for (int recv_first = 1; recv_first >= 0; recv_first--) {
            if (mode == MODE_IRSEND && !recv_first) {
                continue; /* a ready send needs the receive posted */
            }
            MPI_Request rreq[TM_NSIZES], sreq[TM_NSIZES];
            MPI_Status rst[TM_NSIZES];
            for (size_t k = 0; k < TM_NSIZES; k++) {
                tm_fill(sbuf[k], tm_sizes[k], (unsigned)(tm_rank * 100 + mode * 10 + k));
                memset(rbuf[k], 0, tm_sizes[k]);
            }
            if (recv_first) {
                for (size_t k = 0; k < TM_NSIZES; k++) {
                    MPI_Irecv(rbuf[k], (int)tm_sizes[k], MPI_BYTE, left, (int)k, MPI_COMM_WORLD,
                              &rreq[k]);
                }
                /* Handshake: our receives are posted; wait for the right neighbour's. */
                int dummy = 0;
                MPI_Request h;
                MPI_Isend(&dummy, 0, MPI_INT, left, TAG_READY, MPI_COMM_WORLD, &h);
                MPI_Recv(&dummy, 0, MPI_INT, right, TAG_READY, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Wait(&h, MPI_STATUS_IGNORE);
            }
            /* Sends go out largest first, so small ones may overtake nothing: different tags. */
            for (size_t i = 0; i < TM_NSIZES; i++) {
                size_t k = TM_NSIZES - 1 - i;
                TM_CHECK_RC(start_send(mode, sbuf[k], (int)tm_sizes[k], right, (int)k, &sreq[k]),
                            mode_name[mode]);
            }
            if (!recv_first) {
                for (size_t k = 0; k < TM_NSIZES; k++) {
                    MPI_Irecv(rbuf[k], (int)tm_sizes[k], MPI_BYTE, left, (int)k, MPI_COMM_WORLD,
                              &rreq[k]);
                }
            }
            TM_CHECK_RC(MPI_Waitall(TM_NSIZES, rreq, rst), "MPI_Waitall (receives)");
            TM_CHECK_RC(MPI_Waitall(TM_NSIZES, sreq, MPI_STATUSES_IGNORE), "MPI_Waitall (sends)");
            for (size_t k = 0; k < TM_NSIZES; k++) {
                int count = -1;
                MPI_Get_count(&rst[k], MPI_BYTE, &count);
                TM_CHECK(rreq[k] == MPI_REQUEST_NULL && sreq[k] == MPI_REQUEST_NULL,
                         "%s: completed requests not set to MPI_REQUEST_NULL", mode_name[mode]);
                TM_CHECK(rst[k].MPI_SOURCE == left && rst[k].MPI_TAG == (int)k &&
                             count == (int)tm_sizes[k],
                         "%s %s: status source %d tag %d count %d, expected %d/%zu/%zu",
                         mode_name[mode], recv_first ? "pre-posted" : "unexpected",
                         rst[k].MPI_SOURCE, rst[k].MPI_TAG, count, left, k, tm_sizes[k]);
                TM_CHECK_BUF(rbuf[k], tm_sizes[k], (unsigned)(left * 100 + mode * 10 + k),
                             "%s %s: %zu bytes from %d", mode_name[mode],
                             recv_first ? "pre-posted" : "unexpected", tm_sizes[k], left);
            }
        }
    }

    for (size_t k = 0; k < TM_NSIZES; k++) {
        free(sbuf[k]);
        free(rbuf[k]);
    }
    return tm_finish();
}
