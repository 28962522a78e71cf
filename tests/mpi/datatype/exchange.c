/* datatype/exchange: derived types on the wire. Every rank sends to its right neighbour
 * with one layout and receives from its left with another of the same type signature:
 * vector -> vector of another stride, indexed -> hindexed_block, arrays of C structs with
 * different member orders and paddings, subarray faces in C and Fortran order, darray,
 * resized types with holes at both ends, negative strides, value/index pairs, zero counts,
 * small (eager) and large (pipelined rendezvous, fragments splitting elements) messages.
 * The receiver computes what must arrive by packing the sender's (deterministic) buffer
 * and unpacking it into a copy of its own buffer with MPI_Pack/MPI_Unpack, and compares
 * whole buffers, so bytes outside the layout must stay untouched. Then MPI_PACKED messages
 * both ways, and MPI_Get_elements / MPI_Get_count when the signatures do not match. */
#include <stddef.h>

#include "../common.h"

static int right, left;

/* Frees a derived type handle (types built from it keep what they need). */
static void release(MPI_Datatype t)
{
    int ni, na, nd, comb;
    MPI_Type_get_envelope(t, &ni, &na, &nd, &comb);
    if (comb != MPI_COMBINER_NAMED)
        MPI_Type_free(&t);
}

struct span {
    unsigned char *mem, *base; /* base: the buffer address to pass to MPI */
    size_t len;
};

/* A buffer holding `count` elements of t, filled with a pattern. */
static struct span alloc_for(MPI_Datatype t, int count, unsigned seed)
{
    MPI_Aint tlb, tex, lb, ext;
    MPI_Type_get_true_extent(t, &tlb, &tex);
    MPI_Type_get_extent(t, &lb, &ext);
    MPI_Aint last = count > 0 ? (MPI_Aint)(count - 1) * ext : 0;
    MPI_Aint lo = tlb + (last < 0 ? last : 0), hi = tlb + tex + (last > 0 ? last : 0);
    struct span s;
    s.len = (size_t)(hi - lo) + 1;
    s.mem = tm_malloc(s.len);
    s.base = s.mem - lo;
    tm_fill(s.mem, s.len, seed);
    return s;
}

/* Sends (stype, scount) right, receives (rtype, rcount) from the left, checks. */
static void exchange(MPI_Datatype stype, int scount, MPI_Datatype rtype, int rcount,
                     const char *what)
{
    int ss, rs;
    MPI_Type_commit(&stype);
    MPI_Type_commit(&rtype);
    MPI_Type_size(stype, &ss);
    MPI_Type_size(rtype, &rs);
    TM_CHECK((long)ss * scount == (long)rs * rcount, "%s: test bug: sizes differ", what);
    struct span sb = alloc_for(stype, scount, 100u + (unsigned)tm_rank);
    struct span rb = alloc_for(rtype, rcount, 500u + (unsigned)tm_rank);
    /* expected: the left neighbour's send buffer through its layout into ours */
    struct span lsb = alloc_for(stype, scount, 100u + (unsigned)left);
    struct span want = alloc_for(rtype, rcount, 500u + (unsigned)tm_rank);
    int psize = 0, pos = 0;
    MPI_Pack_size(scount, stype, MPI_COMM_WORLD, &psize);
    unsigned char *packed = tm_malloc((size_t)psize);
    MPI_Pack(lsb.base, scount, stype, packed, psize, &pos, MPI_COMM_WORLD);
    pos = 0;
    MPI_Unpack(packed, psize, &pos, want.base, rcount, rtype, MPI_COMM_WORLD);

    MPI_Request r[2];
    MPI_Status st[2];
    MPI_Irecv(rb.base, rcount, rtype, left, 5, MPI_COMM_WORLD, &r[0]);
    MPI_Isend(sb.base, scount, stype, right, 5, MPI_COMM_WORLD, &r[1]);
    TM_CHECK_RC(MPI_Waitall(2, r, st), what);
    int count = -1;
    MPI_Get_count(&st[0], rtype, &count);
    TM_CHECK(count == (rs ? rcount : 0), "%s: MPI_Get_count %d, expected %d", what, count,
             rcount);
    for (size_t i = 0; i < rb.len; i++)
        if (rb.mem[i] != want.mem[i]) {
            TM_CHECK(0, "%s: received byte %zu of %zu is %u, expected %u", what, i, rb.len,
                     rb.mem[i], want.mem[i]);
            break;
        }
    free(packed);
    free(sb.mem);
    free(rb.mem);
    free(lsb.mem);
    free(want.mem);
    release(stype);
    release(rtype);
}

/* Constructors that take over their old type's handle. */
static MPI_Datatype vec(int count, int bl, int stride, MPI_Datatype old)
{
    MPI_Datatype t;
    MPI_Type_vector(count, bl, stride, old, &t);
    release(old);
    return t;
}

static MPI_Datatype contig(int count, MPI_Datatype old)
{
    MPI_Datatype t;
    MPI_Type_contiguous(count, old, &t);
    release(old);
    return t;
}

static MPI_Datatype resized(MPI_Datatype old, MPI_Aint lb, MPI_Aint extent)
{
    MPI_Datatype t;
    MPI_Type_create_resized(old, lb, extent, &t);
    release(old);
    return t;
}

struct A {
    int a;
    double b;
    char c[3];
};

struct B {
    char c[3];
    short pad;
    double b;
    int a;
};

static MPI_Datatype struct_type(const MPI_Aint *disp, MPI_Aint extent)
{
    int bl[3] = {1, 1, 3};
    MPI_Datatype ty[3] = {MPI_INT, MPI_DOUBLE, MPI_CHAR}, s;
    MPI_Type_create_struct(3, bl, disp, ty, &s);
    return resized(s, 0, extent);
}

static void test_pairs(void)
{
    static const int sizes[3] = {1, 7, 100000};
    for (int i = 0; i < 3; i++) {
        int n = sizes[i];
        char what[80];
        snprintf(what, sizeof what, "vector(%d,3,5) -> vector(%d,1,2)", n, 3 * n);
        exchange(vec(n, 3, 5, MPI_DOUBLE), 1, vec(3 * n, 1, 2, MPI_DOUBLE), 1, what);
        /* 12-byte blocks: rendezvous fragments split blocks and elements */
        snprintf(what, sizeof what, "vector(%d,3,4,INT) x2 -> contiguous", n);
        exchange(vec(n, 3, 4, MPI_INT), 2, contig(3, MPI_INT), 2 * n, what);
    }
    {
        int bl[4] = {1, 3, 2, 2}, d[4] = {7, -4, 0, 20};
        MPI_Aint hd[8] = {0, 40, -12, 8, 100, 4, -36, 60};
        MPI_Datatype s, r;
        MPI_Type_indexed(4, bl, d, MPI_INT, &s);
        MPI_Type_create_hindexed_block(8, 1, hd, MPI_INT, &r);
        exchange(s, 9, r, 9, "indexed -> hindexed_block");
    }
    {
        /* arrays of C structs: same signature (int, double, 3 char), other layouts */
        MPI_Aint da[3] = {offsetof(struct A, a), offsetof(struct A, b), offsetof(struct A, c)};
        MPI_Aint db[3] = {offsetof(struct B, a), offsetof(struct B, b), offsetof(struct B, c)};
        exchange(struct_type(da, sizeof(struct A)), 5, struct_type(db, sizeof(struct B)), 5,
                 "struct A[5] -> struct B[5]");
        exchange(struct_type(da, sizeof(struct A)), 60000, struct_type(db, sizeof(struct B)),
                 60000, "struct A[60000] -> struct B[60000]");
    }
    {
        /* x face of 8x9x10 (C order) -> z face of 6x12x5 (Fortran order) */
        int s1[3] = {8, 9, 10}, ss1[3] = {8, 9, 1}, st1[3] = {0, 0, 4};
        int s2[3] = {6, 12, 5}, ss2[3] = {6, 12, 1}, st2[3] = {0, 0, 2};
        MPI_Datatype a, b;
        MPI_Type_create_subarray(3, s1, ss1, st1, MPI_ORDER_C, MPI_DOUBLE, &a);
        MPI_Type_create_subarray(3, s2, ss2, st2, MPI_ORDER_FORTRAN, MPI_DOUBLE, &b);
        exchange(a, 1, b, 1, "subarray C face -> subarray Fortran face");
        /* a large face: 256 x 256 x 8 doubles, x = 3 plane (512 KiB of 8-byte pieces) */
        int s3[3] = {256, 256, 8}, ss3[3] = {256, 256, 1}, st3[3] = {0, 0, 3};
        MPI_Type_create_subarray(3, s3, ss3, st3, MPI_ORDER_C, MPI_DOUBLE, &a);
        exchange(a, 1, contig(256 * 256, MPI_DOUBLE), 1, "large subarray face -> contiguous");
    }
    {
        /* the same darray description on every rank (rank 2 of a 2x2 grid) */
        int g[2] = {9, 11}, dist[2] = {MPI_DISTRIBUTE_CYCLIC, MPI_DISTRIBUTE_BLOCK};
        int dargs[2] = {2, MPI_DISTRIBUTE_DFLT_DARG}, ps[2] = {2, 2};
        MPI_Datatype d;
        MPI_Type_create_darray(4, 2, 2, g, dist, dargs, ps, MPI_ORDER_FORTRAN, MPI_FLOAT, &d);
        int size;
        MPI_Type_size(d, &size);
        exchange(d, 1, contig(size / 4, MPI_FLOAT), 1, "darray -> contiguous");
    }
    {
        /* holes at both ends, copies 12 bytes apart -> vector */
        exchange(resized(contig(2, MPI_SHORT), -6, 12), 50, vec(50, 2, 3, MPI_SHORT), 1,
                 "resized with holes -> vector");
        exchange(vec(40, 1, -3, contig(5, MPI_SHORT)), 1, resized(contig(2, MPI_SHORT), -6, 12),
                 100, "negative stride -> resized");
    }
    {
        /* a value/index pair with the hole elsewhere */
        int bl[2] = {1, 1};
        MPI_Aint d[2] = {0, 12};
        MPI_Datatype ty[2] = {MPI_DOUBLE, MPI_INT}, s, r;
        MPI_Type_create_struct(2, bl, d, ty, &s);
        MPI_Type_create_resized(s, 0, 16, &r);
        MPI_Type_free(&s);
        exchange(MPI_DOUBLE_INT, 10, r, 10, "MPI_DOUBLE_INT -> struct{double, hole, int}");
    }
    {
        /* nothing to move */
        exchange(contig(0, MPI_INT), 5, MPI_INT, 0, "contiguous(0) x5 -> 0 ints");
        MPI_Datatype e;
        MPI_Type_create_struct(0, NULL, NULL, NULL, &e);
        exchange(vec(3, 2, 4, MPI_INT), 0, e, 7, "0 vectors -> 7 empty structs");
    }
}

/* MPI_PACKED: packed -> packed, typed -> packed, packed -> typed. */
static void test_packed(void)
{
    int n = 1000;
    double *v = tm_malloc(3 * (size_t)n * sizeof *v);
    for (int i = 0; i < 3 * n; i++)
        v[i] = tm_rank * 1e6 + i;
    MPI_Datatype every3 = vec(n, 1, 3, MPI_DOUBLE);
    MPI_Type_commit(&every3);
    int psz1, psz2, size;
    MPI_Pack_size(1, MPI_INT, MPI_COMM_WORLD, &psz1);
    MPI_Pack_size(1, every3, MPI_COMM_WORLD, &psz2);
    size = psz1 + psz2;
    char *pk = tm_malloc((size_t)size), *rpk = tm_malloc((size_t)size);
    int pos = 0;
    MPI_Pack(&n, 1, MPI_INT, pk, size, &pos, MPI_COMM_WORLD);
    MPI_Pack(v, 1, every3, pk, size, &pos, MPI_COMM_WORLD);
    TM_CHECK(pos == size, "packed %d bytes, expected %d", pos, size);

    /* packed -> packed, unpacked in two steps */
    MPI_Status st;
    MPI_Sendrecv(pk, pos, MPI_PACKED, right, 20, rpk, size, MPI_PACKED, left, 20, MPI_COMM_WORLD,
                 &st);
    int got;
    MPI_Get_count(&st, MPI_PACKED, &got);
    TM_CHECK(got == size, "MPI_PACKED message of %d bytes, expected %d", got, size);
    int rn = 0, rpos = 0;
    double *out = tm_malloc((size_t)n * sizeof *out);
    MPI_Unpack(rpk, got, &rpos, &rn, 1, MPI_INT, MPI_COMM_WORLD);
    MPI_Unpack(rpk, got, &rpos, out, n, MPI_DOUBLE, MPI_COMM_WORLD);
    TM_CHECK(rn == n && rpos == size, "unpacked header %d, position %d", rn, rpos);
    for (int i = 0; i < n; i++)
        if (out[i] != left * 1e6 + 3 * i) {
            TM_CHECK(0, "packed -> packed: double %d is %g", i, out[i]);
            break;
        }

    /* typed -> MPI_PACKED (size from a probe) -> unpacked into another layout */
    MPI_Request rq;
    MPI_Isend(v, 1, every3, right, 21, MPI_COMM_WORLD, &rq);
    MPI_Probe(left, 21, MPI_COMM_WORLD, &st);
    int bytes;
    MPI_Get_count(&st, MPI_PACKED, &bytes);
    TM_CHECK(bytes == n * 8, "probe says %d packed bytes, expected %d", bytes, n * 8);
    MPI_Recv(rpk, size, MPI_PACKED, left, 21, MPI_COMM_WORLD, &st);
    MPI_Wait(&rq, MPI_STATUS_IGNORE);
    double *wide = tm_malloc(2 * (size_t)n * sizeof *wide);
    for (int i = 0; i < 2 * n; i++)
        wide[i] = -1;
    MPI_Datatype every2 = vec(n, 1, 2, MPI_DOUBLE);
    MPI_Type_commit(&every2);
    rpos = 0;
    MPI_Unpack(rpk, bytes, &rpos, wide, 1, every2, MPI_COMM_WORLD);
    for (int i = 0; i < 2 * n; i++) {
        double want = i % 2 ? -1 : left * 1e6 + 3 * (i / 2);
        if (wide[i] != want) {
            TM_CHECK(0, "typed -> packed: double %d is %g, expected %g", i, wide[i], want);
            break;
        }
    }

    /* MPI_PACKED -> typed: the packed (int, n doubles) received as a struct */
    int bl[2] = {1, n};
    MPI_Aint d[2] = {0, 8};
    MPI_Datatype ty[2] = {MPI_INT, MPI_DOUBLE}, hdr;
    MPI_Type_create_struct(2, bl, d, ty, &hdr);
    MPI_Type_commit(&hdr);
    char *rec = tm_malloc(8 + (size_t)n * 8);
    MPI_Sendrecv(pk, pos, MPI_PACKED, right, 22, rec, 1, hdr, left, 22, MPI_COMM_WORLD, &st);
    int hn;
    memcpy(&hn, rec, sizeof hn);
    TM_CHECK(hn == n, "packed -> struct: header %d", hn);
    for (int i = 0; i < n; i++) {
        double x;
        memcpy(&x, rec + 8 + 8 * (size_t)i, sizeof x);
        if (x != left * 1e6 + 3 * i) {
            TM_CHECK(0, "packed -> struct: double %d is %g", i, x);
            break;
        }
    }
    free(rec);
    MPI_Type_free(&hdr);
    MPI_Type_free(&every2);
    MPI_Type_free(&every3);
    free(wide);
    free(out);
    free(pk);
    free(rpk);
    free(v);
}

/* Mismatched signatures: bytes counted in the receive type's basic elements. */
static void test_elements(void)
{
    int bl[2] = {1, 1};
    MPI_Aint d[2] = {0, 4};
    MPI_Datatype ty[2] = {MPI_INT, MPI_SHORT}, is;
    MPI_Type_create_struct(2, bl, d, ty, &is); /* (int, short), extent 8 */
    MPI_Type_commit(&is);
    char sbuf[64] = {0}, rbuf[64];
    for (int n = 0; n <= 13; n++) {
        MPI_Status st;
        MPI_Sendrecv(sbuf, n, MPI_BYTE, right, 30, rbuf, 4, is, left, 30, MPI_COMM_WORLD, &st);
        int want_el = n == 0 ? 0 : n == 4 ? 1 : n == 6 ? 2 : n == 10 ? 3 : n == 12 ? 4
                                                                                    : MPI_UNDEFINED;
        int want_count = n == 0 ? 0 : n == 6 ? 1 : n == 12 ? 2 : MPI_UNDEFINED;
        int el = -5, cnt = -5;
        MPI_Count elc = -5, elx = -5;
        MPI_Get_elements(&st, is, &el);
        MPI_Get_elements_c(&st, is, &elc);
        MPI_Get_elements_x(&st, is, &elx);
        MPI_Get_count(&st, is, &cnt);
        TM_CHECK(el == want_el && elc == want_el && elx == want_el,
                 "%d bytes as (int, short): %d/%lld/%lld elements, expected %d", n, el,
                 (long long)elc, (long long)elx, want_el);
        TM_CHECK(cnt == want_count, "%d bytes as (int, short): count %d, expected %d", n, cnt,
                 want_count);
    }
    /* probe status and a homogeneous derived type: 10 ints as vector(2,2,3) elements */
    int ibuf[10] = {0}, out[32];
    MPI_Datatype v = vec(2, 2, 3, MPI_INT);
    MPI_Type_commit(&v);
    MPI_Request rq;
    MPI_Status st;
    MPI_Isend(ibuf, 10, MPI_INT, right, 31, MPI_COMM_WORLD, &rq);
    MPI_Probe(left, 31, MPI_COMM_WORLD, &st);
    int el, cnt;
    MPI_Get_elements(&st, v, &el);
    MPI_Get_count(&st, v, &cnt);
    TM_CHECK(el == 10 && cnt == MPI_UNDEFINED, "probe: %d elements count %d", el, cnt);
    MPI_Recv(out, 5, v, left, 31, MPI_COMM_WORLD, &st);
    MPI_Wait(&rq, MPI_STATUS_IGNORE);
    MPI_Type_free(&v);
    MPI_Type_free(&is);
}

/* A receive into an overlapping layout is rejected; sending from one is fine. */
static void test_overlap(void)
{
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    int bl[2] = {2, 2}, d[2] = {0, 1}, buf[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8];
    MPI_Datatype ov;
    MPI_Type_indexed(2, bl, d, MPI_INT, &ov); /* ints 0,1,1,2 */
    MPI_Type_commit(&ov);
    MPI_Request rq;
    int rc = MPI_Irecv(out, 1, ov, left, 40, MPI_COMM_WORLD, &rq);
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == MPI_ERR_TYPE,
             "receive into an overlapping type: rc %d class %d", rc, tm_errclass(rc));
    MPI_Status st;
    rc = MPI_Sendrecv(buf, 1, ov, right, 41, out, 4, MPI_INT, left, 41, MPI_COMM_WORLD, &st);
    TM_CHECK(rc == MPI_SUCCESS && out[0] == 1 && out[1] == 2 && out[2] == 2 && out[3] == 3,
             "send from an overlapping type: rc %d, got %d %d %d %d", rc, out[0], out[1], out[2],
             out[3]);
    /* copies that overlap only from the second element on */
    MPI_Datatype r = resized(contig(2, MPI_INT), 0, 4);
    MPI_Type_commit(&r);
    rc = MPI_Sendrecv(buf, 2, MPI_INT, right, 42, out, 1, r, left, 42, MPI_COMM_WORLD, &st);
    TM_CHECK(rc == MPI_SUCCESS, "one element of a resized type: rc %d", rc);
    rc = MPI_Recv(out, 2, r, left, 43, MPI_COMM_WORLD, &st);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_TYPE, "two overlapping elements: class %d",
             tm_errclass(rc));
    MPI_Type_free(&r);
    MPI_Type_free(&ov);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    right = (tm_rank + 1) % tm_size;
    left = (tm_rank + tm_size - 1) % tm_size;
    test_pairs();
    test_packed();
    test_elements();
    test_overlap();
    return tm_finish();
}
