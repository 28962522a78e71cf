/* datatype/basic: MPI_Type_size and MPI_Type_get_extent of predefined, contiguous and
 * vector types (negative strides, nesting, zero counts); MPI_Type_free sets
 * MPI_DATATYPE_NULL and leaves types built from the freed one usable; MPI_Get_count and
 * MPI_Get_elements with derived types on messages to self. */
#include "../common.h"

static void expect_type(MPI_Datatype t, int size, MPI_Aint lb, MPI_Aint extent, const char *name)
{
    int s = -1;
    MPI_Aint l = -1, e = -1;
    TM_CHECK_RC(MPI_Type_size(t, &s), "MPI_Type_size");
    TM_CHECK_RC(MPI_Type_get_extent(t, &l, &e), "MPI_Type_get_extent");
    TM_CHECK(s == size && l == lb && e == extent,
             "%s: size %d lb %ld extent %ld, expected %d/%ld/%ld", name, s, (long)l, (long)e, size,
             (long)lb, (long)extent);
}

#define PREDEF(t, ctype) expect_type(t, (int)sizeof(ctype), 0, (MPI_Aint)sizeof(ctype), #t)

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);

    PREDEF(MPI_CHAR, char);
    PREDEF(MPI_SIGNED_CHAR, signed char);
    PREDEF(MPI_UNSIGNED_CHAR, unsigned char);
    PREDEF(MPI_BYTE, unsigned char);
    PREDEF(MPI_SHORT, short);
    PREDEF(MPI_UNSIGNED_SHORT, unsigned short);
    PREDEF(MPI_INT, int);
    PREDEF(MPI_UNSIGNED, unsigned);
    PREDEF(MPI_LONG, long);
    PREDEF(MPI_UNSIGNED_LONG, unsigned long);
    PREDEF(MPI_LONG_LONG, long long);
    PREDEF(MPI_FLOAT, float);
    PREDEF(MPI_DOUBLE, double);
    PREDEF(MPI_INT8_T, int8_t);
    PREDEF(MPI_INT16_T, int16_t);
    PREDEF(MPI_INT32_T, int32_t);
    PREDEF(MPI_INT64_T, int64_t);
    PREDEF(MPI_UINT64_T, uint64_t);
    PREDEF(MPI_AINT, MPI_Aint);

    MPI_Datatype c5, v, vneg, v1, v0, vd, cvd, vvd;
    MPI_Type_contiguous(5, MPI_INT, &c5);
    expect_type(c5, 20, 0, 20, "contiguous(5, INT)");
    MPI_Type_vector(3, 2, 4, MPI_INT, &v);
    expect_type(v, 24, 0, 40, "vector(3, 2, 4, INT)");
    /* Blocks at int offsets 0, -4, -8: lb = -32 bytes, ub = 8 bytes. */
    MPI_Type_vector(3, 2, -4, MPI_INT, &vneg);
    expect_type(vneg, 24, -32, 40, "vector(3, 2, -4, INT)");
    MPI_Type_vector(1, 5, 100, MPI_INT, &v1);
    expect_type(v1, 20, 0, 20, "vector(1, 5, 100, INT)");
    MPI_Type_vector(0, 5, 100, MPI_INT, &v0);
    expect_type(v0, 0, 0, 0, "vector(0, 5, 100, INT)");
    MPI_Type_vector(2, 1, 3, MPI_DOUBLE, &vd);
    expect_type(vd, 16, 0, 32, "vector(2, 1, 3, DOUBLE)");
    MPI_Type_contiguous(2, vd, &cvd);
    expect_type(cvd, 32, 0, 64, "contiguous(2, vector(2,1,3,DOUBLE))");
    /* Stride counts in extents of the old type (32 bytes): blocks at 0 and 64. */
    MPI_Type_vector(2, 1, 2, vd, &vvd);
    expect_type(vvd, 32, 0, 96, "vector(2, 1, 2, vector(2,1,3,DOUBLE))");

    /* Commit and free; a type built from a freed type still works. */
    TM_CHECK_RC(MPI_Type_commit(&vvd), "MPI_Type_commit");
    TM_CHECK(vvd != MPI_DATATYPE_NULL, "MPI_Type_commit changed the handle to NULL");
    TM_CHECK_RC(MPI_Type_free(&vd), "MPI_Type_free");
    TM_CHECK(vd == MPI_DATATYPE_NULL, "MPI_Type_free did not set MPI_DATATYPE_NULL");
    expect_type(vvd, 32, 0, 96, "vector of a freed vector");
    {
        double src[12], dst[4] = {0};
        for (int i = 0; i < 12; i++) {
            src[i] = i + 0.5;
        }
        MPI_Status st;
        /* vvd picks doubles 0, 3, 8, 11 (inner offsets 0,3; outer offsets 0, 8). */
        MPI_Sendrecv(src, 1, vvd, 0, 1, dst, 4, MPI_DOUBLE, 0, 1, MPI_COMM_SELF, &st);
        TM_CHECK(dst[0] == 0.5 && dst[1] == 3.5 && dst[2] == 8.5 && dst[3] == 11.5,
                 "vector of a freed vector sent %g %g %g %g", dst[0], dst[1], dst[2], dst[3]);
    }

    /* Get_count / Get_elements with a derived receive type: t = vector(2, 2, 3, INT),
     * 4 ints per element. */
    MPI_Datatype t;
    MPI_Type_vector(2, 2, 3, MPI_INT, &t);
    MPI_Type_commit(&t);
    int src[32], dst[64];
    for (int i = 0; i < 32; i++) {
        src[i] = 100 + i;
    }
    MPI_Status st;
    int count, elems;
    /* 8 ints = 2 whole t's. */
    MPI_Sendrecv(src, 8, MPI_INT, 0, 2, dst, 10, t, 0, 2, MPI_COMM_SELF, &st);
    MPI_Get_count(&st, t, &count);
    MPI_Get_elements(&st, t, &elems);
    TM_CHECK(count == 2 && elems == 8, "8 ints into vector type: count %d elements %d", count, elems);
    TM_CHECK(dst[0] == 100 && dst[1] == 101 && dst[3] == 102 && dst[4] == 103 && dst[5] == 104 &&
                 dst[6] == 105 && dst[8] == 106 && dst[9] == 107,
             "8 ints into vector type placed wrongly");
    /* 5 ints: not a whole number of t's. */
    MPI_Sendrecv(src, 5, MPI_INT, 0, 3, dst, 10, t, 0, 3, MPI_COMM_SELF, &st);
    MPI_Get_count(&st, t, &count);
    MPI_Get_elements(&st, t, &elems);
    TM_CHECK(count == MPI_UNDEFINED && elems == 5, "5 ints into vector type: count %d elements %d",
             count, elems);
    MPI_Get_count(&st, MPI_INT, &count);
    TM_CHECK(count == 5, "5 ints: Get_count(MPI_INT) %d", count);
    /* Sent as t, received as ints. */
    MPI_Sendrecv(src, 3, t, 0, 4, dst, 64, MPI_INT, 0, 4, MPI_COMM_SELF, &st);
    MPI_Get_count(&st, MPI_INT, &count);
    TM_CHECK(count == 12, "3 vector elements arrive as %d ints, expected 12", count);
    /* A contiguous type on the send side; counts in its units on the receive status. */
    MPI_Type_commit(&c5);
    MPI_Sendrecv(src, 2, c5, 0, 5, dst, 64, MPI_INT, 0, 5, MPI_COMM_SELF, &st);
    MPI_Get_count(&st, c5, &count);
    MPI_Get_elements(&st, c5, &elems);
    TM_CHECK(count == 2 && elems == 10, "2 contiguous(5,INT): count %d elements %d", count, elems);

    MPI_Type_free(&t);
    MPI_Type_free(&c5);
    MPI_Type_free(&v);
    MPI_Type_free(&vneg);
    MPI_Type_free(&v1);
    MPI_Type_free(&v0);
    MPI_Type_free(&cvd);
    MPI_Type_free(&vvd);
    TM_CHECK(t == MPI_DATATYPE_NULL && vvd == MPI_DATATYPE_NULL, "Type_free left handles set");
    return tm_finish();
}
