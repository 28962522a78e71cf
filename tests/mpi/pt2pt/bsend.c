/* pt2pt/bsend: buffered mode. MPI_Bsend copies the message into the attached buffer and
 * returns, so every rank can send all its messages (every protocol size) before anyone
 * receives; the send buffer can be overwritten at once. Errors: no buffer attached, a
 * second attach, negative size, NULL buffer, a message larger than the free space
 * (MPI_ERR_BUFFER), zero-size buffers. MPI_Buffer_detach returns the buffer and its size and
 * waits for the buffered messages to leave; space is reused once messages are delivered;
 * MPI_Ibsend completes at once; derived datatypes are packed; MPI_BUFFER_AUTOMATIC; and
 * MPI_Finalize delivers messages still in the buffer. */
#include "../common.h"

#define BIG 65539 /* rendezvous on every transport: stays in the buffer until received */

static int right, left;

static void exchange_ack(void)
{
    /* Tell the left neighbour its message arrived; hear the same from the right. After
     * this, our last message to the right has left our buffer. */
    int a = 1, b = 0;
    MPI_Request r;
    MPI_Isend(&a, 1, MPI_INT, left, 99, MPI_COMM_WORLD, &r);
    MPI_Recv(&b, 1, MPI_INT, right, 99, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    MPI_Wait(&r, MPI_STATUS_IGNORE);
}

static void errors_and_edges(void)
{
    void *b = (void *)&b;
    int sz = -1;
    char small[64];
    TM_CHECK_RC(MPI_Buffer_detach(&b, &sz), "Buffer_detach with nothing attached");
    TM_CHECK(b == NULL && sz == 0, "detach with nothing attached gave %p, %d", b, sz);
    TM_CHECK_CLASS(MPI_Bsend(small, 1, MPI_CHAR, right, 1, MPI_COMM_WORLD), MPI_ERR_BUFFER,
                   "Bsend without a buffer");
    TM_CHECK_RC(MPI_Bsend(small, 64, MPI_CHAR, MPI_PROC_NULL, 1, MPI_COMM_WORLD),
                "Bsend to MPI_PROC_NULL without a buffer");
    TM_CHECK_CLASS(MPI_Buffer_attach(small, -1), MPI_ERR_ARG, "Buffer_attach(size -1)");
    TM_CHECK_CLASS(MPI_Buffer_attach(NULL, 10), MPI_ERR_BUFFER, "Buffer_attach(NULL, 10)");
    TM_CHECK_CLASS(MPI_Bsend(small, -1, MPI_CHAR, right, 1, MPI_COMM_WORLD), MPI_ERR_COUNT,
                   "Bsend(count -1)");
    TM_CHECK_CLASS(MPI_Bsend(small, 1, MPI_CHAR, tm_size, 1, MPI_COMM_WORLD), MPI_ERR_RANK,
                   "Bsend(dest = size)");
    TM_CHECK_CLASS(MPI_Bsend(small, 1, MPI_CHAR, right, -5, MPI_COMM_WORLD), MPI_ERR_TAG,
                   "Bsend(tag -5)");
    MPI_Request rq;
    TM_CHECK_CLASS(MPI_Ibsend(small, 1, MPI_DATATYPE_NULL, right, 1, MPI_COMM_WORLD, &rq),
                   MPI_ERR_TYPE, "Ibsend(MPI_DATATYPE_NULL)");

    /* A second attach fails; the first buffer stays attached. */
    size_t n1 = 4096 + MPI_BSEND_OVERHEAD;
    char *buf1 = tm_malloc(n1), *buf2 = tm_malloc(n1);
    TM_CHECK_RC(MPI_Buffer_attach(buf1, (int)n1), "Buffer_attach");
    TM_CHECK_CLASS(MPI_Buffer_attach(buf2, (int)n1), MPI_ERR_BUFFER, "second Buffer_attach");
    /* Larger than the whole buffer. */
    char *big = tm_malloc(8192);
    TM_CHECK_CLASS(MPI_Bsend(big, 8192, MPI_CHAR, right, 1, MPI_COMM_WORLD), MPI_ERR_BUFFER,
                   "Bsend larger than the buffer");
    TM_CHECK_RC(MPI_Buffer_detach(&b, &sz), "Buffer_detach");
    TM_CHECK(b == buf1 && sz == (int)n1, "detach gave %p size %d, attached %p size %zu", b, sz,
             (void *)buf1, n1);

    /* A zero-size buffer holds nothing, not even an empty message. */
    TM_CHECK_RC(MPI_Buffer_attach(buf2, 0), "Buffer_attach(size 0)");
    TM_CHECK_CLASS(MPI_Bsend(small, 0, MPI_CHAR, right, 1, MPI_COMM_WORLD), MPI_ERR_BUFFER,
                   "empty Bsend into a zero-size buffer");
    TM_CHECK_RC(MPI_Buffer_detach(&b, &sz), "Buffer_detach (size 0)");
    TM_CHECK(b == buf2 && sz == 0, "detach of the zero-size buffer gave %p size %d", b, sz);

    /* MPI_BSEND_OVERHEAD bytes are enough for an empty message. */
    TM_CHECK_RC(MPI_Buffer_attach(buf2, MPI_BSEND_OVERHEAD), "Buffer_attach(OVERHEAD)");
    TM_CHECK_RC(MPI_Bsend(small, 0, MPI_CHAR, right, 2, MPI_COMM_WORLD), "empty Bsend");
    MPI_Status st;
    int count = -1;
    TM_CHECK_RC(MPI_Recv(small, 64, MPI_CHAR, left, 2, MPI_COMM_WORLD, &st), "Recv empty");
    MPI_Get_count(&st, MPI_CHAR, &count);
    TM_CHECK(count == 0 && st.MPI_SOURCE == left, "empty bsend arrived with count %d from %d",
             count, st.MPI_SOURCE);
    TM_CHECK_RC(MPI_Buffer_detach(&b, &sz), "Buffer_detach (OVERHEAD)");
    free(buf1);
    free(buf2);
    free(big);
}

/* Every rank buffers NMSG messages of every size before receiving any. */
#define NMSG 3
static void all_sizes_before_receiving(void)
{
    size_t total = 0;
    for (size_t k = 0; k < TM_NSIZES; k++)
        total += NMSG * (tm_sizes[k] + MPI_BSEND_OVERHEAD);
    char *attached = tm_malloc(total);
    TM_CHECK_RC(MPI_Buffer_attach(attached, (int)total), "Buffer_attach");
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    unsigned char *sbuf = tm_malloc(maxn), *rbuf = tm_malloc(maxn);
    for (int m = 0; m < NMSG; m++) {
        for (size_t k = 0; k < TM_NSIZES; k++) {
            size_t n = tm_sizes[k];
            tm_fill(sbuf, n, (unsigned)(tm_rank * 100 + m * 10 + k));
            TM_CHECK_RC(MPI_Bsend(sbuf, (int)n, MPI_BYTE, right, (int)k, MPI_COMM_WORLD),
                        "Bsend");
            memset(sbuf, 0xee, n); /* the message was copied: this must not matter */
        }
    }
    for (int m = 0; m < NMSG; m++) {
        for (size_t k = 0; k < TM_NSIZES; k++) {
            size_t n = tm_sizes[k];
            MPI_Status st;
            int count = -1;
            memset(rbuf, 0, n);
            TM_CHECK_RC(MPI_Recv(rbuf, (int)maxn, MPI_BYTE, left, (int)k, MPI_COMM_WORLD, &st),
                        "Recv");
            MPI_Get_count(&st, MPI_BYTE, &count);
            TM_CHECK(count == (int)n, "buffered message %d of %zu bytes arrived with %d", m, n,
                     count);
            TM_CHECK_BUF(rbuf, n, (unsigned)(left * 100 + m * 10 + k),
                         "buffered message %d of %zu bytes", m, n);
        }
    }
    void *b;
    int sz;
    TM_CHECK_RC(MPI_Buffer_detach(&b, &sz), "Buffer_detach");
    TM_CHECK(b == attached && sz == (int)total, "detach gave %p %d", b, sz);
    free(attached);
    free(sbuf);
    free(rbuf);
}

/* A rendezvous message holds its space until received: a second one does not fit. */
static void buffer_full(void)
{
    int n = BIG + MPI_BSEND_OVERHEAD;
    char *attached = tm_malloc((size_t)n);
    unsigned char *sbuf = tm_malloc(BIG), *rbuf = tm_malloc(BIG);
    TM_CHECK_RC(MPI_Buffer_attach(attached, n), "Buffer_attach");
    tm_fill(sbuf, BIG, (unsigned)tm_rank + 7);
    TM_CHECK_RC(MPI_Bsend(sbuf, BIG, MPI_BYTE, right, 1, MPI_COMM_WORLD), "Bsend BIG");
    TM_CHECK_CLASS(MPI_Bsend(sbuf, BIG, MPI_BYTE, right, 2, MPI_COMM_WORLD), MPI_ERR_BUFFER,
                   "second BIG Bsend into a full buffer");
    /* Only now may the right neighbour receive (which frees our space). */
    int tried = 1;
    MPI_Send(&tried, 1, MPI_INT, right, 98, MPI_COMM_WORLD);
    MPI_Recv(&tried, 1, MPI_INT, left, 98, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    /* The failed send sent nothing: the right neighbour gets exactly one message. */
    MPI_Status st;
    TM_CHECK_RC(MPI_Recv(rbuf, BIG, MPI_BYTE, left, 1, MPI_COMM_WORLD, &st), "Recv BIG");
    TM_CHECK_BUF(rbuf, BIG, (unsigned)left + 7, "BIG buffered message");
    exchange_ack();
    int flag = 1;
    MPI_Iprobe(left, 2, MPI_COMM_WORLD, &flag, &st);
    TM_CHECK(!flag, "the failed Bsend delivered a message");
    void *b;
    int sz;
    TM_CHECK_RC(MPI_Buffer_detach(&b, &sz), "Buffer_detach");
    free(attached);
    free(sbuf);
    free(rbuf);
}

/* Space comes back once messages are delivered: many more messages than the buffer holds
 * at once go through it, eager and rendezvous. */
static void space_reused(void)
{
    static const int sizes[] = {0, 1, 4096, BIG};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        int n = sizes[k];
        int bsize = n + MPI_BSEND_OVERHEAD;
        char *attached = tm_malloc((size_t)bsize);
        unsigned char *sbuf = tm_malloc((size_t)n), *rbuf = tm_malloc((size_t)n);
        MPI_Buffer_attach(attached, bsize);
        int iters = n >= BIG ? 10 : 100;
        for (int i = 0; i < iters; i++) {
            tm_fill(sbuf, (size_t)n, (unsigned)(tm_rank + i));
            TM_CHECK_RC(MPI_Bsend(sbuf, n, MPI_BYTE, right, 3, MPI_COMM_WORLD),
                        "Bsend (reuse)");
            TM_CHECK_RC(MPI_Recv(rbuf, n, MPI_BYTE, left, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                        "Recv (reuse)");
            TM_CHECK_BUF(rbuf, (size_t)n, (unsigned)(left + i), "reuse: %d bytes, round %d", n,
                         i);
            exchange_ack();
        }
        void *b;
        int sz;
        MPI_Buffer_detach(&b, &sz);
        TM_CHECK(b == attached && sz == bsize, "detach gave %p %d", b, sz);
        free(attached);
        free(sbuf);
        free(rbuf);
    }
}

/* Detach waits until the buffered messages are delivered (the receives are posted, so
 * this finishes; a detach that returned early would let us free memory still in use). */
static void detach_waits(void)
{
    int bsize = 2 * (BIG + MPI_BSEND_OVERHEAD);
    char *attached = tm_malloc((size_t)bsize);
    unsigned char *sbuf = tm_malloc(BIG), *rbuf = tm_malloc(2 * BIG);
    MPI_Request r[2];
    MPI_Irecv(rbuf, BIG, MPI_BYTE, left, 4, MPI_COMM_WORLD, &r[0]);
    MPI_Irecv(rbuf + BIG, 1, MPI_BYTE, left, 5, MPI_COMM_WORLD, &r[1]);
    MPI_Buffer_attach(attached, bsize);
    tm_fill(sbuf, BIG, (unsigned)tm_rank + 50);
    TM_CHECK_RC(MPI_Bsend(sbuf, BIG, MPI_BYTE, right, 4, MPI_COMM_WORLD), "Bsend");
    TM_CHECK_RC(MPI_Bsend(sbuf, 1, MPI_BYTE, right, 5, MPI_COMM_WORLD), "Bsend");
    void *b;
    int sz;
    TM_CHECK_RC(MPI_Buffer_detach(&b, &sz), "Buffer_detach with messages in flight");
    memset(attached, 0, (size_t)bsize); /* ours again: scribbling must not hurt anyone */
    free(attached);
    MPI_Waitall(2, r, MPI_STATUSES_IGNORE);
    TM_CHECK_BUF(rbuf, BIG, (unsigned)left + 50, "message in flight during detach");
    TM_CHECK(rbuf[BIG] == tm_pattern(0, (unsigned)left + 50), "second message wrong");
    free(sbuf);
    free(rbuf);
}

static void ibsend_and_types(void)
{
    int bsize = 3 * (BIG + MPI_BSEND_OVERHEAD);
    char *attached = tm_malloc((size_t)bsize);
    MPI_Buffer_attach(attached, bsize);
    unsigned char *sbuf = tm_malloc(BIG), *rbuf = tm_malloc(BIG);

    /* Ibsend: complete at once, for eager and rendezvous sizes. */
    static const int sizes[] = {0, 7, BIG};
    for (int k = 0; k < 3; k++) {
        int n = sizes[k];
        MPI_Request r;
        tm_fill(sbuf, (size_t)n, (unsigned)(tm_rank * 3 + k));
        TM_CHECK_RC(MPI_Ibsend(sbuf, n, MPI_BYTE, right, 6, MPI_COMM_WORLD, &r), "Ibsend");
        int flag = 0;
        MPI_Status st;
        TM_CHECK_RC(MPI_Test(&r, &flag, &st), "Test(Ibsend)");
        TM_CHECK(flag && r == MPI_REQUEST_NULL, "Ibsend of %d bytes not complete at once", n);
        int cancelled = 1;
        MPI_Test_cancelled(&st, &cancelled);
        TM_CHECK(!cancelled, "Ibsend status says cancelled");
        memset(sbuf, 0, (size_t)n);
        TM_CHECK_RC(MPI_Recv(rbuf, BIG, MPI_BYTE, left, 6, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                    "Recv(Ibsend)");
        TM_CHECK_BUF(rbuf, (size_t)n, (unsigned)(left * 3 + k), "Ibsend of %d bytes", n);
        exchange_ack();
    }
    MPI_Request r;
    TM_CHECK_RC(MPI_Ibsend(sbuf, 10, MPI_BYTE, MPI_PROC_NULL, 6, MPI_COMM_WORLD, &r),
                "Ibsend to MPI_PROC_NULL");
    MPI_Status st;
    MPI_Wait(&r, &st);
    TM_CHECK(st.MPI_SOURCE == MPI_PROC_NULL || st.MPI_SOURCE == MPI_ANY_SOURCE,
             "Ibsend to PROC_NULL: status source %d", st.MPI_SOURCE);

    /* A vector type is packed into the buffer: every other int, eager and rendezvous. */
    static const int counts[] = {1, 5, 20000};
    for (int k = 0; k < 3; k++) {
        int n = counts[k];
        MPI_Datatype vec;
        MPI_Type_vector(n, 1, 2, MPI_INT, &vec);
        MPI_Type_commit(&vec);
        int *src = tm_malloc(sizeof(int) * 2 * (size_t)n), *dst = tm_malloc(sizeof(int) * (size_t)n);
        for (int i = 0; i < 2 * n; i++)
            src[i] = (i % 2) ? -1 : tm_rank * 100000 + i / 2;
        TM_CHECK_RC(MPI_Bsend(src, 1, vec, right, 7, MPI_COMM_WORLD), "Bsend(vector)");
        memset(src, 0, sizeof(int) * 2 * (size_t)n);
        MPI_Status s2;
        int count = -1;
        TM_CHECK_RC(MPI_Recv(dst, n, MPI_INT, left, 7, MPI_COMM_WORLD, &s2), "Recv(vector)");
        MPI_Get_count(&s2, MPI_INT, &count);
        TM_CHECK(count == n, "vector bsend of %d ints arrived as %d", n, count);
        int bad = 0;
        for (int i = 0; i < n && bad < 3; i++) {
            if (dst[i] != left * 100000 + i) {
                tm_fail(__FILE__, __LINE__, "vector bsend: int %d is %d, expected %d", i, dst[i],
                        left * 100000 + i);
                bad++;
            }
        }
        exchange_ack();
        MPI_Type_free(&vec);
        free(src);
        free(dst);
    }
    void *b;
    int sz;
    MPI_Buffer_detach(&b, &sz);
    free(attached);
    free(sbuf);
    free(rbuf);
}

/* MPI-4.1 automatic buffering: no memory of ours, any amount, detach returns the
 * constant. */
static void automatic(void)
{
    TM_CHECK_RC(MPI_Buffer_attach(MPI_BUFFER_AUTOMATIC, 0), "Buffer_attach(AUTOMATIC)");
    size_t maxn = tm_sizes[TM_NSIZES - 1];
    unsigned char *sbuf = tm_malloc(maxn), *rbuf = tm_malloc(maxn);
    for (size_t k = 0; k < TM_NSIZES; k++) {
        tm_fill(sbuf, tm_sizes[k], (unsigned)(tm_rank + 11 * k));
        TM_CHECK_RC(MPI_Bsend(sbuf, (int)tm_sizes[k], MPI_BYTE, right, 8, MPI_COMM_WORLD),
                    "Bsend (automatic)");
    }
    for (size_t k = 0; k < TM_NSIZES; k++) {
        TM_CHECK_RC(MPI_Recv(rbuf, (int)maxn, MPI_BYTE, left, 8, MPI_COMM_WORLD,
                             MPI_STATUS_IGNORE), "Recv (automatic)");
        TM_CHECK_BUF(rbuf, tm_sizes[k], (unsigned)(left + 11 * k), "automatic, %zu bytes",
                     tm_sizes[k]);
    }
    void *b = NULL;
    int sz = -1;
    TM_CHECK_RC(MPI_Buffer_detach(&b, &sz), "Buffer_detach (automatic)");
    TM_CHECK(b == MPI_BUFFER_AUTOMATIC && sz == 0, "detach (automatic) gave %p %d", b, sz);
    free(sbuf);
    free(rbuf);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;

    errors_and_edges();
    all_sizes_before_receiving();
    buffer_full();
    space_reused();
    detach_waits();
    ibsend_and_types();
    automatic();

    /* Leave a rendezvous message in the buffer: MPI_Finalize must deliver it. The receive
     * is posted first, so the right neighbour's finalize can complete it. */
    static char final_buf[BIG + MPI_BSEND_OVERHEAD]; /* attached until the end */
    unsigned char *sbuf = tm_malloc(BIG), *rbuf = tm_malloc(BIG);
    MPI_Request r;
    MPI_Irecv(rbuf, BIG, MPI_BYTE, left, 9, MPI_COMM_WORLD, &r);
    MPI_Buffer_attach(final_buf, (int)sizeof final_buf);
    tm_fill(sbuf, BIG, (unsigned)tm_rank + 77);
    TM_CHECK_RC(MPI_Bsend(sbuf, BIG, MPI_BYTE, right, 9, MPI_COMM_WORLD), "final Bsend");
    free(sbuf);
    MPI_Wait(&r, MPI_STATUS_IGNORE);
    TM_CHECK_BUF(rbuf, BIG, (unsigned)left + 77, "message buffered until finalize");
    free(rbuf);
    return tm_finish();
}
