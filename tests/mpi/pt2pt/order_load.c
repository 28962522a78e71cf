/* pt2pt/order_load: non-overtaking under load. Every rank streams NMSG messages to its right
 * neighbour while receiving as many from its left one, with up to WINDOW sends and WINDOW
 * receives in flight. Sizes come from a fixed pseudo-random sequence that mixes tiny
 * messages with sizes on both sides of the shm (16 KiB) and tcp (64 KiB) eager limits and
 * rendezvous messages up to 256 KiB, so eager packets keep overtaking-prone company with
 * RTS/CTS/DATA streams. Two tags alternate irregularly; receives use MPI_ANY_TAG, so the
 * arrival order must be exactly the send order. Each message is checked for its size
 * (MPI_Get_count), its tag and every byte (a pattern seeded by its sequence number).
 * Receives are posted at varying distances behind the sends, so some messages arrive
 * expected and others unexpected. */
#include "../common.h"

#define NMSG 3000
#define WINDOW 48
#define MAXSZ (256 * 1024)

static uint32_t rng_state;

static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state >> 8;
}

static size_t sizes[NMSG];
static int tags[NMSG];

static void make_plan(void)
{
    static const size_t edges[] = {16383, 16384, 16385, 65535, 65536, 65537, 65536 + 56};
    rng_state = 12345;
    for (int i = 0; i < NMSG; i++) {
        uint32_t r = rng() % 100;
        if (r < 55) {
            sizes[i] = rng() % 200;                      /* tiny, 0 included */
        } else if (r < 75) {
            sizes[i] = edges[rng() % (sizeof edges / sizeof edges[0])];
        } else if (r < 92) {
            sizes[i] = 1024 + rng() % 60000;             /* eager on tcp, rndv on shm */
        } else {
            sizes[i] = 65537 + rng() % (MAXSZ - 65537);  /* rendezvous everywhere */
        }
        tags[i] = (rng() % 3 == 0) ? 2 : 1;
    }
}

static void check(int i, MPI_Status *st, const unsigned char *buf, int left)
{
    int count = -1;
    MPI_Get_count(st, MPI_BYTE, &count);
    TM_CHECK(count == (int)sizes[i] && st->MPI_TAG == tags[i] && st->MPI_SOURCE == left,
             "message %d from rank %d: %d bytes with tag %d, expected %zu bytes with tag %d "
             "(out of order?)", i, st->MPI_SOURCE, count, st->MPI_TAG, sizes[i], tags[i]);
    if (count == (int)sizes[i]) {
        TM_CHECK_BUF(buf, sizes[i], (unsigned)(i * 7 + left), "message %d (%zu bytes) from rank %d",
                     i, sizes[i], left);
    }
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    make_plan();
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    unsigned char *sbuf[WINDOW], *rbuf[WINDOW];
    for (int w = 0; w < WINDOW; w++) {
        sbuf[w] = tm_malloc(MAXSZ);
        rbuf[w] = tm_malloc(MAXSZ);
    }
    MPI_Request sreq[WINDOW], rreq[WINDOW];
    for (int w = 0; w < WINDOW; w++) {
        sreq[w] = rreq[w] = MPI_REQUEST_NULL;
    }
    int sent = 0, posted = 0, checked = 0;
    /* One loop that never blocks on a single request (a rank stuck waiting for a send
     * while its neighbour waits for one too would deadlock the ring): start sends while
     * their slot is free, post receives at a varying distance behind, complete the oldest
     * receives a few at a time, and when nothing moved wait for whichever of the oldest
     * receive and the oldest busy send completes first. */
    while (checked < NMSG || sent < NMSG) {
        int moved = 0, flag = 0;
        int burst = 1 + (int)(rng() % 8);
        for (int b = 0; b < burst && sent < NMSG; b++) {
            int slot = sent % WINDOW;
            if (sreq[slot] != MPI_REQUEST_NULL) {
                TM_CHECK_RC(MPI_Test(&sreq[slot], &flag, MPI_STATUS_IGNORE), "MPI_Test(send)");
                if (!flag) {
                    break;
                }
            }
            tm_fill(sbuf[slot], sizes[sent], (unsigned)(sent * 7 + tm_rank));
            TM_CHECK_RC(MPI_Isend(sbuf[slot], (int)sizes[sent], MPI_BYTE, right, tags[sent],
                                  MPI_COMM_WORLD, &sreq[slot]),
                        "MPI_Isend");
            sent++;
            moved++;
        }
        int want = posted + 1 + (int)(rng() % 6);
        while (posted < want && posted < NMSG && posted - checked < WINDOW) {
            int slot = posted % WINDOW;
            TM_CHECK_RC(MPI_Irecv(rbuf[slot], MAXSZ, MPI_BYTE, left, MPI_ANY_TAG, MPI_COMM_WORLD,
                                  &rreq[slot]),
                        "MPI_Irecv");
            posted++;
            moved++;
        }
        int limit = sent == NMSG ? WINDOW : 1 + (int)(rng() % 4);
        while (checked < posted && limit-- > 0) {
            int slot = checked % WINDOW;
            MPI_Status st;
            if (rreq[slot] != MPI_REQUEST_NULL) {
                TM_CHECK_RC(MPI_Test(&rreq[slot], &flag, &st), "MPI_Test(recv)");
                if (!flag) {
                    break;
                }
                check(checked, &st, rbuf[slot], left);
            }
            checked++;
            moved++;
        }
        if (!moved) {
            MPI_Request two[2] = {checked < posted ? rreq[checked % WINDOW] : MPI_REQUEST_NULL,
                                  sent < NMSG ? sreq[sent % WINDOW] : MPI_REQUEST_NULL};
            int idx = MPI_UNDEFINED;
            MPI_Status st;
            TM_CHECK_RC(MPI_Waitany(2, two, &idx, &st), "MPI_Waitany");
            if (idx == 0) {
                rreq[checked % WINDOW] = MPI_REQUEST_NULL;
                check(checked, &st, rbuf[checked % WINDOW], left);
                checked++;
            } else if (idx == 1) {
                sreq[sent % WINDOW] = MPI_REQUEST_NULL;
            }
        }
    }
    for (int w = 0; w < WINDOW; w++) {
        if (sreq[w] != MPI_REQUEST_NULL) {
            TM_CHECK_RC(MPI_Wait(&sreq[w], MPI_STATUS_IGNORE), "MPI_Wait(send)");
        }
        free(sbuf[w]);
        free(rbuf[w]);
    }
    return tm_finish();
}
