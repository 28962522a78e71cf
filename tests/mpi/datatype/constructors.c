/* datatype/constructors: every constructor's size, lb/extent and true lb/extent on
 * hand-computed cases (negative strides and displacements, zero counts and zero-length
 * blocks, struct padding, resized holes at both ends, subarray in C and Fortran order,
 * darray with block/cyclic/none and default arguments), the large-count (_c) and _x query
 * forms, decoding with MPI_Type_get_envelope/contents (and _c) giving back exactly the
 * constructor's arguments, names, dup, match_size, the Fortran 90 types, address
 * arithmetic, and the error class of each invalid argument. */
#include "../common.h"

static void expect_err(int rc, int want, const char *what)
{
    if (rc == MPI_SUCCESS) {
        tm_fail(__FILE__, __LINE__, "%s: returned MPI_SUCCESS, expected error class %d", what,
                want);
        return;
    }
    TM_CHECK(tm_errclass(rc) == want, "%s: error class %d, expected %d (%s)", what,
             tm_errclass(rc), want, tm_errstr(rc));
}

static void expect_type(MPI_Datatype t, MPI_Count size, MPI_Aint lb, MPI_Aint extent,
                        MPI_Aint tlb, MPI_Aint textent, const char *what)
{
    int s = -1;
    MPI_Count sc = -1, sx = -1, lc, ec, tlc, tec;
    MPI_Aint l = -1, e = -1, tl = -1, te = -1;
    TM_CHECK_RC(MPI_Type_size(t, &s), what);
    TM_CHECK_RC(MPI_Type_size_c(t, &sc), what);
    TM_CHECK_RC(MPI_Type_size_x(t, &sx), what);
    TM_CHECK_RC(MPI_Type_get_extent(t, &l, &e), what);
    TM_CHECK_RC(MPI_Type_get_true_extent(t, &tl, &te), what);
    TM_CHECK(s == size && sc == size && sx == size && l == lb && e == extent && tl == tlb &&
                 te == textent,
             "%s: size %d/%lld/%lld lb %ld extent %ld true %ld/%ld, expected %lld lb %ld extent "
             "%ld true %ld/%ld", what, s, (long long)sc, (long long)sx, (long)l, (long)e,
             (long)tl, (long)te, (long long)size, (long)lb, (long)extent, (long)tlb,
             (long)textent);
    TM_CHECK_RC(MPI_Type_get_extent_c(t, &lc, &ec), what);
    TM_CHECK_RC(MPI_Type_get_true_extent_x(t, &tlc, &tec), what);
    TM_CHECK(lc == lb && ec == extent && tlc == tlb && tec == textent, "%s: _c/_x bounds", what);
    MPI_Type_get_extent_x(t, &lc, &ec);
    MPI_Type_get_true_extent_c(t, &tlc, &tec);
    TM_CHECK(lc == lb && ec == extent && tlc == tlb && tec == textent, "%s: _x/_c bounds", what);
}

/* Envelope and contents of a type built by an int constructor. */
static void expect_decode(MPI_Datatype t, int combiner, int ni, const int *ints, int na,
                          const MPI_Aint *aints, int nd, const MPI_Datatype *types,
                          const char *what)
{
    int gi = -1, ga = -1, gd = -1, gc = -1;
    TM_CHECK_RC(MPI_Type_get_envelope(t, &gi, &ga, &gd, &gc), what);
    TM_CHECK(gc == combiner && gi == ni && ga == na && gd == nd,
             "%s: envelope (%d, %d, %d, combiner %d), expected (%d, %d, %d, %d)", what, gi, ga, gd,
             gc, ni, na, nd, combiner);
    MPI_Count ci, ca, cc, cd;
    TM_CHECK_RC(MPI_Type_get_envelope_c(t, &ci, &ca, &cc, &cd, &gc), what);
    TM_CHECK(ci == ni && ca == na && cc == 0 && cd == nd && gc == combiner,
             "%s: envelope_c differs", what);
    if (gi != ni || ga != na || gd != nd)
        return;
    int gints[64];
    MPI_Aint gaints[64];
    MPI_Datatype gtypes[8];
    TM_CHECK_RC(MPI_Type_get_contents(t, 64, 64, 8, gints, gaints, gtypes), what);
    for (int i = 0; i < ni; i++)
        TM_CHECK(gints[i] == ints[i], "%s: integer %d is %d, expected %d", what, i, gints[i],
                 ints[i]);
    for (int i = 0; i < na; i++)
        TM_CHECK(gaints[i] == aints[i], "%s: address %d is %ld, expected %ld", what, i,
                 (long)gaints[i], (long)aints[i]);
    for (int i = 0; i < nd; i++) {
        int comb = -1, x, y, z;
        MPI_Type_get_envelope(types[i], &x, &y, &z, &comb);
        if (comb == MPI_COMBINER_NAMED) {
            TM_CHECK(gtypes[i] == types[i], "%s: datatype %d is not the predefined one", what, i);
        } else {
            /* a derived type comes back as a type equal to it, which we free */
            MPI_Count s1, s2;
            MPI_Aint l1, e1, l2, e2;
            MPI_Type_size_c(types[i], &s1);
            MPI_Type_size_c(gtypes[i], &s2);
            MPI_Type_get_extent(types[i], &l1, &e1);
            MPI_Type_get_extent(gtypes[i], &l2, &e2);
            TM_CHECK(s1 == s2 && l1 == l2 && e1 == e2, "%s: datatype %d differs", what, i);
            TM_CHECK_RC(MPI_Type_free(&gtypes[i]), "free a returned datatype");
        }
    }
}

static void expect_decode_c(MPI_Datatype t, int combiner, int ni, const int *ints, int nc,
                            const MPI_Count *counts, const char *what)
{
    MPI_Count ci, ca, cc, cd;
    int comb = -1, a, b, c;
    TM_CHECK_RC(MPI_Type_get_envelope_c(t, &ci, &ca, &cc, &cd, &comb), what);
    TM_CHECK(comb == combiner && ci == ni && ca == 0 && cc == nc && cd == 1,
             "%s: envelope_c (%lld, %lld, %lld, %lld, %d), expected (%d, 0, %d, 1, %d)", what,
             (long long)ci, (long long)ca, (long long)cc, (long long)cd, comb, ni, nc, combiner);
    expect_err(MPI_Type_get_envelope(t, &a, &b, &c, &comb), MPI_ERR_TYPE,
               "int envelope of a large-count type");
    int gints[16];
    MPI_Aint gaints[1];
    MPI_Count gcounts[32];
    MPI_Datatype gt[1];
    expect_err(MPI_Type_get_contents(t, 16, 1, 1, gints, gaints, gt), MPI_ERR_TYPE,
               "int contents of a large-count type");
    TM_CHECK_RC(MPI_Type_get_contents_c(t, 16, 1, 32, 1, gints, gaints, gcounts, gt), what);
    for (int i = 0; i < ni; i++)
        TM_CHECK(gints[i] == ints[i], "%s: integer %d is %d, expected %d", what, i, gints[i],
                 ints[i]);
    for (int i = 0; i < nc; i++)
        TM_CHECK(gcounts[i] == counts[i], "%s: large count %d is %lld, expected %lld", what, i,
                 (long long)gcounts[i], (long long)counts[i]);
    TM_CHECK(gt[0] == MPI_INT, "%s: oldtype is not MPI_INT", what);
}

static void free_all(MPI_Datatype *t, int n)
{
    for (int i = 0; i < n; i++)
        if (t[i] != MPI_DATATYPE_NULL)
            TM_CHECK_RC(MPI_Type_free(&t[i]), "MPI_Type_free");
}

static void test_layouts(void)
{
    MPI_Datatype t[32];
    int n = 0;
    MPI_Type_contiguous(3, MPI_INT, &t[n]);
    expect_type(t[n++], 12, 0, 12, 0, 12, "contiguous(3, INT)");
    MPI_Type_contiguous(0, MPI_INT, &t[n]);
    expect_type(t[n++], 0, 0, 0, 0, 0, "contiguous(0, INT)");
    MPI_Type_create_hvector(2, 1, 12, MPI_DOUBLE, &t[n]);
    expect_type(t[n++], 16, 0, 20, 0, 20, "hvector(2, 1, 12 bytes, DOUBLE)");
    /* blocks of 2 ints at 0, -20, -40 */
    MPI_Type_create_hvector(3, 2, -20, MPI_INT, &t[n]);
    expect_type(t[n++], 24, -40, 48, -40, 48, "hvector(3, 2, -20 bytes, INT)");
    {
        /* blocks [16,24), (empty at 400), [-4,0) */
        int bl[3] = {2, 0, 1}, d[3] = {4, 100, -1};
        MPI_Type_indexed(3, bl, d, MPI_INT, &t[n]);
        expect_type(t[n++], 12, -4, 28, -4, 28, "indexed({2,0,1}, {4,100,-1}, INT)");
    }
    {
        int bl[2] = {1, 1};
        MPI_Aint d[2] = {-6, 30};
        MPI_Type_create_hindexed(2, bl, d, MPI_SHORT, &t[n]);
        expect_type(t[n++], 4, -6, 38, -6, 38, "hindexed({1,1}, {-6,30}, SHORT)");
    }
    {
        int d[3] = {0, 5, -3};
        MPI_Type_create_indexed_block(3, 2, d, MPI_INT, &t[n]);
        expect_type(t[n++], 24, -12, 40, -12, 40, "indexed_block(3, 2, {0,5,-3}, INT)");
    }
    {
        MPI_Aint d[2] = {0, 100};
        MPI_Type_create_hindexed_block(2, 3, d, MPI_CHAR, &t[n]);
        expect_type(t[n++], 6, 0, 103, 0, 103, "hindexed_block(2, 3, {0,100}, CHAR)");
    }
    {
        /* the extent is padded to the double's alignment */
        int bl[2] = {1, 1};
        MPI_Aint d[2] = {0, 8};
        MPI_Datatype ty[2] = {MPI_CHAR, MPI_DOUBLE};
        MPI_Type_create_struct(2, bl, d, ty, &t[n]);
        expect_type(t[n++], 9, 0, 16, 0, 16, "struct{char@0, double@8}");
        d[1] = 0;
        d[0] = 8;
        MPI_Type_create_struct(2, bl, d, ty, &t[n]);
        expect_type(t[n++], 9, 0, 16, 0, 9, "struct{char@8, double@0}");
    }
    {
        int bl[2] = {2, 1};
        MPI_Aint d[2] = {-4, 10};
        MPI_Datatype ty[2] = {MPI_INT, MPI_CHAR};
        MPI_Type_create_struct(2, bl, d, ty, &t[n]);
        expect_type(t[n++], 9, -4, 16, -4, 15, "struct{2 int@-4, char@10}");
    }
    {
        /* a zero-length block contributes nothing, wherever it is */
        int bl[2] = {0, 1};
        MPI_Aint d[2] = {1000, 0};
        MPI_Datatype ty[2] = {MPI_INT, MPI_INT};
        MPI_Type_create_struct(2, bl, d, ty, &t[n]);
        expect_type(t[n++], 4, 0, 4, 0, 4, "struct{0 int@1000, int@0}");
        MPI_Type_create_struct(0, bl, d, ty, &t[n]);
        expect_type(t[n++], 0, 0, 0, 0, 0, "struct of 0 blocks");
    }
    {
        /* holes at both ends: lb -8, 20 bytes per element, data at [0,4) */
        MPI_Datatype r;
        MPI_Type_create_resized(MPI_INT, -8, 20, &r);
        expect_type(r, 4, -8, 20, 0, 4, "resized(INT, -8, 20)");
        MPI_Type_contiguous(3, r, &t[n]);
        expect_type(t[n++], 12, -8, 60, 0, 44, "contiguous(3, resized(INT, -8, 20))");
        MPI_Type_dup(r, &t[n]);
        expect_type(t[n++], 4, -8, 20, 0, 4, "dup(resized)");
        t[n++] = r;
    }
    {
        int sizes[2] = {4, 5}, sub[2] = {2, 3}, st[2] = {1, 1};
        MPI_Type_create_subarray(2, sizes, sub, st, MPI_ORDER_C, MPI_INT, &t[n]);
        expect_type(t[n++], 24, 0, 80, 24, 32, "subarray C 4x5 [1:3,1:4]");
        MPI_Type_create_subarray(2, sizes, sub, st, MPI_ORDER_FORTRAN, MPI_INT, &t[n]);
        expect_type(t[n++], 24, 0, 80, 20, 40, "subarray Fortran 4x5 [1:3,1:4]");
        int zsub[2] = {0, 3};
        MPI_Type_create_subarray(2, sizes, zsub, st, MPI_ORDER_C, MPI_INT, &t[n]);
        expect_type(t[n++], 0, 0, 80, 0, 0, "empty subarray");
    }
    {
        /* 10 x 7 ints over a 3 x 2 grid: rows block (default 4), columns cyclic(2) */
        int gs[2] = {10, 7}, dist[2] = {MPI_DISTRIBUTE_BLOCK, MPI_DISTRIBUTE_CYCLIC};
        int dargs[2] = {MPI_DISTRIBUTE_DFLT_DARG, 2}, ps[2] = {3, 2};
        static const long want[6][3] = {{64, 0, 108}, {48, 8, 104}, {64, 112, 108},
                                        {48, 120, 104}, {32, 224, 52}, {24, 232, 48}};
        for (int r = 0; r < 6; r++) {
            char what[64];
            snprintf(what, sizeof what, "darray rank %d", r);
            MPI_Datatype d;
            MPI_Type_create_darray(6, r, 2, gs, dist, dargs, ps, MPI_ORDER_C, MPI_INT, &d);
            expect_type(d, want[r][0], 0, 280, want[r][1], want[r][2], what);
            MPI_Type_free(&d);
        }
    }
    free_all(t, n);
}

static void test_decode(void)
{
    MPI_Datatype t, inner;
    {
        MPI_Type_contiguous(7, MPI_INT, &t);
        int ints[1] = {7};
        MPI_Datatype ty[1] = {MPI_INT};
        expect_decode(t, MPI_COMBINER_CONTIGUOUS, 1, ints, 0, NULL, 1, ty, "contiguous");
        MPI_Type_vector(3, 2, -5, t, &inner);
        int vi[3] = {3, 2, -5};
        MPI_Datatype vt[1] = {t};
        expect_decode(inner, MPI_COMBINER_VECTOR, 3, vi, 0, NULL, 1, vt, "vector of derived");
        MPI_Type_free(&inner);
        MPI_Type_free(&t);
    }
    {
        MPI_Type_create_hvector(4, 1, -24, MPI_DOUBLE, &t);
        int ints[2] = {4, 1};
        MPI_Aint a[1] = {-24};
        MPI_Datatype ty[1] = {MPI_DOUBLE};
        expect_decode(t, MPI_COMBINER_HVECTOR, 2, ints, 1, a, 1, ty, "hvector");
        MPI_Type_free(&t);
    }
    {
        int bl[3] = {1, 0, 4}, d[3] = {9, 3, -2};
        MPI_Type_indexed(3, bl, d, MPI_SHORT, &t);
        int ints[7] = {3, 1, 0, 4, 9, 3, -2};
        MPI_Datatype ty[1] = {MPI_SHORT};
        expect_decode(t, MPI_COMBINER_INDEXED, 7, ints, 0, NULL, 1, ty, "indexed");
        MPI_Type_free(&t);
        MPI_Aint ad[3] = {90, 30, -20};
        MPI_Type_create_hindexed(3, bl, ad, MPI_SHORT, &t);
        int hints[4] = {3, 1, 0, 4};
        expect_decode(t, MPI_COMBINER_HINDEXED, 4, hints, 3, ad, 1, ty, "hindexed");
        MPI_Type_free(&t);
        MPI_Type_create_indexed_block(3, 5, d, MPI_SHORT, &t);
        int bints[5] = {3, 5, 9, 3, -2};
        expect_decode(t, MPI_COMBINER_INDEXED_BLOCK, 5, bints, 0, NULL, 1, ty, "indexed_block");
        MPI_Type_free(&t);
        MPI_Type_create_hindexed_block(3, 5, ad, MPI_SHORT, &t);
        int hbints[2] = {3, 5};
        expect_decode(t, MPI_COMBINER_HINDEXED_BLOCK, 2, hbints, 3, ad, 1, ty, "hindexed_block");
        MPI_Type_free(&t);
    }
    {
        MPI_Type_contiguous(2, MPI_CHAR, &inner);
        int bl[3] = {2, 1, 3};
        MPI_Aint d[3] = {0, 16, 40};
        MPI_Datatype ty[3] = {MPI_INT, inner, MPI_DOUBLE};
        MPI_Type_create_struct(3, bl, d, ty, &t);
        int ints[4] = {3, 2, 1, 3};
        expect_decode(t, MPI_COMBINER_STRUCT, 4, ints, 3, d, 3, ty, "struct");
        MPI_Type_free(&t);
        MPI_Type_free(&inner);
    }
    {
        int sizes[3] = {5, 6, 7}, sub[3] = {1, 2, 3}, st[3] = {4, 1, 0};
        MPI_Type_create_subarray(3, sizes, sub, st, MPI_ORDER_FORTRAN, MPI_FLOAT, &t);
        int ints[11] = {3, 5, 6, 7, 1, 2, 3, 4, 1, 0, MPI_ORDER_FORTRAN};
        MPI_Datatype ty[1] = {MPI_FLOAT};
        expect_decode(t, MPI_COMBINER_SUBARRAY, 11, ints, 0, NULL, 1, ty, "subarray");
        MPI_Type_free(&t);
    }
    {
        int gs[2] = {9, 4}, dist[2] = {MPI_DISTRIBUTE_CYCLIC, MPI_DISTRIBUTE_NONE};
        int dargs[2] = {2, MPI_DISTRIBUTE_DFLT_DARG}, ps[2] = {3, 1};
        MPI_Type_create_darray(3, 2, 2, gs, dist, dargs, ps, MPI_ORDER_C, MPI_INT, &t);
        int ints[12] = {3, 2, 2, 9, 4, dist[0], dist[1], 2, MPI_DISTRIBUTE_DFLT_DARG, 3, 1,
                        MPI_ORDER_C};
        MPI_Datatype ty[1] = {MPI_INT};
        expect_decode(t, MPI_COMBINER_DARRAY, 12, ints, 0, NULL, 1, ty, "darray");
        MPI_Type_free(&t);
    }
    {
        MPI_Type_create_resized(MPI_INT, -3, 11, &t);
        MPI_Aint a[2] = {-3, 11};
        MPI_Datatype ty[1] = {MPI_INT};
        expect_decode(t, MPI_COMBINER_RESIZED, 0, NULL, 2, a, 1, ty, "resized");
        MPI_Type_dup(t, &inner);
        MPI_Datatype dty[1] = {t};
        expect_decode(inner, MPI_COMBINER_DUP, 0, NULL, 0, NULL, 1, dty, "dup");
        MPI_Type_free(&inner);
        MPI_Type_free(&t);
    }
    {
        int gi, ga, gd, gc = -1;
        TM_CHECK_RC(MPI_Type_get_envelope(MPI_DOUBLE_INT, &gi, &ga, &gd, &gc), "named");
        TM_CHECK(gc == MPI_COMBINER_NAMED && gi == 0 && ga == 0 && gd == 0,
                 "envelope of MPI_DOUBLE_INT");
    }
    /* large-count constructors record MPI_Count arguments */
    {
        MPI_Count c1[1] = {5};
        MPI_Type_contiguous_c(5, MPI_INT, &t);
        expect_decode_c(t, MPI_COMBINER_CONTIGUOUS, 0, NULL, 1, c1, "contiguous_c");
        expect_type(t, 20, 0, 20, 0, 20, "contiguous_c");
        MPI_Type_free(&t);
        MPI_Count c3[3] = {3, 2, -4};
        MPI_Type_vector_c(3, 2, -4, MPI_INT, &t);
        expect_decode_c(t, MPI_COMBINER_VECTOR, 0, NULL, 3, c3, "vector_c");
        expect_type(t, 24, -32, 40, -32, 40, "vector_c");
        MPI_Type_free(&t);
        MPI_Count h3[3] = {2, 1, 12};
        MPI_Type_create_hvector_c(2, 1, 12, MPI_INT, &t);
        expect_decode_c(t, MPI_COMBINER_HVECTOR, 0, NULL, 3, h3, "hvector_c");
        MPI_Type_free(&t);
        MPI_Count bl[2] = {1, 2}, d[2] = {3, -1};
        MPI_Count ic[5] = {2, 1, 2, 3, -1};
        MPI_Type_indexed_c(2, bl, d, MPI_INT, &t);
        expect_decode_c(t, MPI_COMBINER_INDEXED, 0, NULL, 5, ic, "indexed_c");
        expect_type(t, 12, -4, 20, -4, 20, "indexed_c");
        MPI_Type_free(&t);
        MPI_Type_create_hindexed_c(2, bl, d, MPI_INT, &t);
        expect_decode_c(t, MPI_COMBINER_HINDEXED, 0, NULL, 5, ic, "hindexed_c");
        MPI_Type_free(&t);
        MPI_Count ib[4] = {2, 3, 3, -1};
        MPI_Type_create_indexed_block_c(2, 3, d, MPI_INT, &t);
        expect_decode_c(t, MPI_COMBINER_INDEXED_BLOCK, 0, NULL, 4, ib, "indexed_block_c");
        MPI_Type_free(&t);
        MPI_Type_create_hindexed_block_c(2, 3, d, MPI_INT, &t);
        expect_decode_c(t, MPI_COMBINER_HINDEXED_BLOCK, 0, NULL, 4, ib, "hindexed_block_c");
        MPI_Type_free(&t);
        MPI_Datatype ty[2] = {MPI_INT, MPI_INT};
        MPI_Type_create_struct_c(2, bl, d, ty, &t);
        MPI_Count cs, ni, na, nc, nd;
        int comb;
        MPI_Type_get_envelope_c(t, &ni, &na, &nc, &nd, &comb);
        TM_CHECK(comb == MPI_COMBINER_STRUCT && ni == 0 && na == 0 && nc == 5 && nd == 2,
                 "struct_c envelope");
        MPI_Type_size_c(t, &cs);
        TM_CHECK(cs == 12, "struct_c size %lld", (long long)cs);
        MPI_Type_free(&t);
        MPI_Count sz[2] = {4, 5}, sub[2] = {2, 3}, st[2] = {1, 1};
        MPI_Type_create_subarray_c(2, sz, sub, st, MPI_ORDER_C, MPI_INT, &t);
        int si[2] = {2, MPI_ORDER_C};
        MPI_Count sc[6] = {4, 5, 2, 3, 1, 1};
        expect_decode_c(t, MPI_COMBINER_SUBARRAY, 2, si, 6, sc, "subarray_c");
        expect_type(t, 24, 0, 80, 24, 32, "subarray_c");
        MPI_Type_free(&t);
        MPI_Count gs[2] = {10, 7};
        int dist[2] = {MPI_DISTRIBUTE_BLOCK, MPI_DISTRIBUTE_CYCLIC};
        int dargs[2] = {MPI_DISTRIBUTE_DFLT_DARG, 2}, ps[2] = {3, 2};
        MPI_Type_create_darray_c(6, 1, 2, gs, dist, dargs, ps, MPI_ORDER_C, MPI_INT, &t);
        int di[10] = {6, 1, 2, dist[0], dist[1], dargs[0], 2, 3, 2, MPI_ORDER_C};
        expect_decode_c(t, MPI_COMBINER_DARRAY, 10, di, 2, gs, "darray_c");
        expect_type(t, 48, 0, 280, 8, 104, "darray_c rank 1");
        MPI_Type_free(&t);
        MPI_Count rc2[2] = {-8, 40};
        MPI_Type_create_resized_c(MPI_INT, -8, 40, &t);
        expect_decode_c(t, MPI_COMBINER_RESIZED, 0, NULL, 2, rc2, "resized_c");
        MPI_Type_free(&t);
    }
}

static void test_names_sizes_f90(void)
{
    char name[MPI_MAX_OBJECT_NAME];
    int len = -1;
    TM_CHECK_RC(MPI_Type_get_name(MPI_DOUBLE, name, &len), "get_name");
    TM_CHECK(strcmp(name, "MPI_DOUBLE") == 0 && len == 10, "name of MPI_DOUBLE: '%s' %d", name,
             len);
    MPI_Type_get_name(MPI_2INT, name, &len);
    TM_CHECK(strcmp(name, "MPI_2INT") == 0, "name of MPI_2INT: '%s'", name);
    MPI_Datatype t, d;
    MPI_Type_contiguous(2, MPI_INT, &t);
    MPI_Type_get_name(t, name, &len);
    TM_CHECK(len == 0 && name[0] == '\0', "a new type has an empty name, got '%s'", name);
    TM_CHECK_RC(MPI_Type_set_name(t, "pair of ints"), "set_name");
    MPI_Type_get_name(t, name, &len);
    TM_CHECK(strcmp(name, "pair of ints") == 0 && len == 12, "set name: '%s'", name);
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    MPI_Type_set_name(t, longname);
    MPI_Type_get_name(t, name, &len);
    TM_CHECK(len == MPI_MAX_OBJECT_NAME - 1 && strlen(name) == (size_t)len,
             "long name truncated to %d, got %d", MPI_MAX_OBJECT_NAME - 1, len);
    MPI_Type_dup(t, &d);
    MPI_Type_get_name(d, name, &len);
    TM_CHECK(len == 0, "dup does not copy the name (got '%s')", name);
    MPI_Type_free(&d);
    MPI_Type_free(&t);

    /* match_size: Fortran sized types */
    MPI_Datatype m;
    TM_CHECK_RC(MPI_Type_match_size(MPI_TYPECLASS_REAL, 8, &m), "match_size real 8");
    TM_CHECK(m == MPI_REAL8, "match_size(REAL, 8) is not MPI_REAL8");
    MPI_Type_match_size(MPI_TYPECLASS_INTEGER, 4, &m);
    TM_CHECK(m == MPI_INTEGER4, "match_size(INTEGER, 4) is not MPI_INTEGER4");
    MPI_Type_match_size(MPI_TYPECLASS_COMPLEX, 16, &m);
    TM_CHECK(m == MPI_COMPLEX16, "match_size(COMPLEX, 16) is not MPI_COMPLEX16");
    expect_err(MPI_Type_match_size(MPI_TYPECLASS_REAL, 3, &m), MPI_ERR_ARG, "match_size(3)");
    expect_err(MPI_Type_match_size(77, 4, &m), MPI_ERR_ARG, "match_size bad class");

    /* f90 types: predefined (not freeable), same handle for the same arguments, decodable */
    MPI_Datatype f, f2;
    TM_CHECK_RC(MPI_Type_create_f90_real(10, MPI_UNDEFINED, &f), "f90_real");
    MPI_Type_create_f90_real(10, MPI_UNDEFINED, &f2);
    TM_CHECK(f == f2, "f90_real(10, UNDEFINED) twice gave two handles");
    int s = 0, ni, na, nd, comb;
    MPI_Type_size(f, &s);
    TM_CHECK(s == 8, "f90_real(10) size %d, expected 8", s);
    MPI_Type_get_envelope(f, &ni, &na, &nd, &comb);
    int ints[2] = {0, 0};
    MPI_Aint ad[1];
    MPI_Datatype dt[1];
    TM_CHECK(comb == MPI_COMBINER_F90_REAL && ni == 2 && na == 0 && nd == 0, "f90_real envelope");
    MPI_Type_get_contents(f, 2, 0, 0, ints, ad, dt);
    TM_CHECK(ints[0] == 10 && ints[1] == MPI_UNDEFINED, "f90_real contents %d %d", ints[0],
             ints[1]);
    expect_err(MPI_Type_free(&f2), MPI_ERR_TYPE, "free an f90 type");
    MPI_Type_create_f90_integer(9, &f);
    MPI_Type_size(f, &s);
    TM_CHECK(s == 4, "f90_integer(9) size %d", s);
    MPI_Type_create_f90_integer(10, &f);
    MPI_Type_size(f, &s);
    TM_CHECK(s == 8, "f90_integer(10) size %d", s);
    MPI_Type_create_f90_complex(15, 300, &f);
    MPI_Type_size(f, &s);
    TM_CHECK(s == 16, "f90_complex(15, 300) size %d", s);
    expect_err(MPI_Type_create_f90_real(40, 5000, &f), MPI_ERR_ARG, "f90_real(40, 5000)");
    expect_err(MPI_Type_create_f90_integer(50, &f), MPI_ERR_ARG, "f90_integer(50)");
    {
        /* an f90 type works as a message type */
        double v = 2.5, w = 0;
        MPI_Type_create_f90_real(15, MPI_UNDEFINED, &f);
        MPI_Sendrecv(&v, 1, f, 0, 7, &w, 1, MPI_DOUBLE, 0, 7, MPI_COMM_SELF, MPI_STATUS_IGNORE);
        TM_CHECK(w == 2.5, "f90 real as a message type: got %g", w);
    }

    /* addresses */
    int arr[10];
    MPI_Aint a0, a5;
    MPI_Get_address(&arr[0], &a0);
    MPI_Get_address(&arr[5], &a5);
    TM_CHECK(MPI_Aint_diff(a5, a0) == 5 * (MPI_Aint)sizeof(int), "Aint_diff");
    TM_CHECK(MPI_Aint_add(a0, 5 * (MPI_Aint)sizeof(int)) == a5, "Aint_add");
}

static void test_errors(void)
{
    MPI_Datatype t = MPI_DATATYPE_NULL;
    int ok[2] = {1, 1}, neg[2] = {1, -1}, d[2] = {0, 1};
    MPI_Aint ad[2] = {0, 8};
    expect_err(MPI_Type_contiguous(-1, MPI_INT, &t), MPI_ERR_COUNT, "contiguous(-1)");
    expect_err(MPI_Type_contiguous(1, MPI_DATATYPE_NULL, &t), MPI_ERR_TYPE, "contiguous(NULL type)");
    expect_err(MPI_Type_contiguous(1, MPI_INT, NULL), MPI_ERR_ARG, "contiguous(newtype NULL)");
    expect_err(MPI_Type_vector(2, -1, 1, MPI_INT, &t), MPI_ERR_ARG, "vector(blocklength -1)");
    expect_err(MPI_Type_vector_c(-2, 1, 1, MPI_INT, &t), MPI_ERR_COUNT, "vector_c(count -2)");
    expect_err(MPI_Type_indexed(2, neg, d, MPI_INT, &t), MPI_ERR_ARG, "indexed(negative block)");
    expect_err(MPI_Type_indexed(2, NULL, d, MPI_INT, &t), MPI_ERR_ARG, "indexed(NULL array)");
    expect_err(MPI_Type_create_hindexed(-1, ok, ad, MPI_INT, &t), MPI_ERR_COUNT, "hindexed(-1)");
    expect_err(MPI_Type_create_indexed_block(2, -3, d, MPI_INT, &t), MPI_ERR_ARG,
               "indexed_block(blocklength -3)");
    {
        MPI_Datatype ty[2] = {MPI_INT, MPI_DATATYPE_NULL};
        expect_err(MPI_Type_create_struct(2, ok, ad, ty, &t), MPI_ERR_TYPE, "struct(NULL type)");
        ty[1] = MPI_INT;
        expect_err(MPI_Type_create_struct(2, neg, ad, ty, &t), MPI_ERR_ARG, "struct(negative)");
    }
    {
        int sizes[2] = {4, 4}, sub[2] = {2, 3}, st[2] = {0, 2};
        expect_err(MPI_Type_create_subarray(2, sizes, sub, st, MPI_ORDER_C, MPI_INT, &t),
                   MPI_ERR_ARG, "subarray(start + subsize > size)");
        st[1] = 0;
        expect_err(MPI_Type_create_subarray(2, sizes, sub, st, 99, MPI_INT, &t), MPI_ERR_ARG,
                   "subarray(order 99)");
        expect_err(MPI_Type_create_subarray(0, sizes, sub, st, MPI_ORDER_C, MPI_INT, &t),
                   MPI_ERR_ARG, "subarray(ndims 0)");
    }
    {
        int gs[2] = {10, 10}, dist[2] = {MPI_DISTRIBUTE_BLOCK, MPI_DISTRIBUTE_BLOCK};
        int dargs[2] = {MPI_DISTRIBUTE_DFLT_DARG, MPI_DISTRIBUTE_DFLT_DARG}, ps[2] = {2, 2};
        expect_err(MPI_Type_create_darray(5, 0, 2, gs, dist, dargs, ps, MPI_ORDER_C, MPI_INT, &t),
                   MPI_ERR_ARG, "darray(grid 2x2 for size 5)");
        expect_err(MPI_Type_create_darray(4, 4, 2, gs, dist, dargs, ps, MPI_ORDER_C, MPI_INT, &t),
                   MPI_ERR_ARG, "darray(rank 4 of 4)");
        dargs[0] = 3;
        expect_err(MPI_Type_create_darray(4, 0, 2, gs, dist, dargs, ps, MPI_ORDER_C, MPI_INT, &t),
                   MPI_ERR_ARG, "darray(block 3 x 2 < 10)");
        dargs[0] = MPI_DISTRIBUTE_DFLT_DARG;
        dist[1] = MPI_DISTRIBUTE_NONE;
        expect_err(MPI_Type_create_darray(4, 0, 2, gs, dist, dargs, ps, MPI_ORDER_C, MPI_INT, &t),
                   MPI_ERR_ARG, "darray(NONE over 2 processes)");
    }
    expect_err(MPI_Type_free(&t), MPI_ERR_TYPE, "free MPI_DATATYPE_NULL");
    MPI_Datatype predefined = MPI_INT;
    expect_err(MPI_Type_free(&predefined), MPI_ERR_TYPE, "free MPI_INT");
    {
        int ints[4];
        MPI_Aint a[4];
        MPI_Datatype ty[4];
        expect_err(MPI_Type_get_contents(MPI_INT, 4, 4, 4, ints, a, ty), MPI_ERR_TYPE,
                   "contents of MPI_INT");
        MPI_Type_vector(2, 1, 3, MPI_INT, &t);
        expect_err(MPI_Type_get_contents(t, 2, 0, 1, ints, a, ty), MPI_ERR_ARG,
                   "contents with max_integers too small");
        /* uncommitted: fine for queries and constructors, not for communication */
        int buf[8] = {0};
        expect_err(MPI_Send(buf, 1, t, 0, 1, MPI_COMM_SELF), MPI_ERR_TYPE,
                   "send with an uncommitted type");
        MPI_Type_free(&t);
    }
    expect_err(MPI_Type_set_name(MPI_INT, NULL), MPI_ERR_ARG, "set_name(NULL)");
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    test_layouts();
    test_decode();
    test_names_sizes_f90();
    test_errors();
    return tm_finish();
}
