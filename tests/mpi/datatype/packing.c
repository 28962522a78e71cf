/* datatype/packing: MPI_Pack/MPI_Unpack of several items into one buffer (positions,
 * MPI_Pack_size, derived layouts, _c forms), truncation and argument errors, and
 * MPI_Pack_external/MPI_Unpack_external: known big-endian byte images from the standard's
 * external32 table (MPI_LONG is 4 bytes, MPI_WCHAR 2, long double 16-byte IEEE binary128),
 * no padding inside pairs and structs, round trips of every predefined type and of derived
 * types, and MPI_Pack_external_size. */
#include <complex.h>
#include <stdbool.h>
#include <wchar.h>

#include "../common.h"

static void expect_err(int rc, int want, const char *what)
{
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == want, "%s: rc %d class %d, expected %d",
             what, rc, tm_errclass(rc), want);
}

static void expect_bytes(const unsigned char *got, const unsigned char *want, size_t n,
                         const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (got[i] != want[i]) {
            TM_CHECK(0, "%s: byte %zu is %02x, expected %02x", what, i, got[i], want[i]);
            return;
        }
}

static void test_native(void)
{
    MPI_Comm W = MPI_COMM_WORLD;
    double m[4][5];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 5; j++)
            m[i][j] = 10 * i + j;
    /* a column, resized to one double so that consecutive columns follow */
    MPI_Datatype col0, col;
    MPI_Type_vector(4, 1, 5, MPI_DOUBLE, &col0);
    MPI_Type_create_resized(col0, 0, sizeof(double), &col);
    MPI_Type_free(&col0);
    MPI_Type_commit(&col);
    int s1, s2, s3;
    MPI_Pack_size(2, MPI_INT, W, &s1);
    MPI_Pack_size(2, col, W, &s2);
    MPI_Pack_size(3, MPI_CHAR, W, &s3);
    TM_CHECK(s1 >= 8 && s2 >= 64 && s3 >= 3, "Pack_size %d %d %d", s1, s2, s3);
    MPI_Count sc;
    MPI_Pack_size_c(2, col, W, &sc);
    TM_CHECK(sc == s2, "Pack_size_c %lld vs %d", (long long)sc, s2);
    int size = s1 + s2 + s3;
    char *buf = tm_malloc((size_t)size);
    int pos = 0, hdr[2] = {7, -7};
    TM_CHECK_RC(MPI_Pack(hdr, 2, MPI_INT, buf, size, &pos, W), "pack ints");
    TM_CHECK(pos == 8, "position after 2 ints: %d", pos);
    TM_CHECK_RC(MPI_Pack(&m[0][1], 2, col, buf, size, &pos, W), "pack columns 1 and 2");
    TM_CHECK(pos == 72, "position after 2 columns: %d", pos);
    TM_CHECK_RC(MPI_Pack("abc", 3, MPI_CHAR, buf, size, &pos, W), "pack chars");
    TM_CHECK(pos == 75, "position after 3 chars: %d", pos);
    /* the packed columns are the doubles in type-map order */
    for (int k = 0; k < 8; k++) {
        double x;
        memcpy(&x, buf + 8 + 8 * k, 8);
        double want = 10 * (k % 4) + 1 + k / 4;
        TM_CHECK(x == want, "packed double %d is %g, expected %g", k, x, want);
    }

    int rh[2];
    double back[4][5];
    memset(back, 0, sizeof back);
    char rc3[4] = {0};
    int rpos = 0;
    TM_CHECK_RC(MPI_Unpack(buf, pos, &rpos, rh, 2, MPI_INT, W), "unpack ints");
    TM_CHECK_RC(MPI_Unpack(buf, pos, &rpos, &back[0][3], 2, col, W), "unpack into columns 3, 4");
    TM_CHECK_RC(MPI_Unpack(buf, pos, &rpos, rc3, 3, MPI_CHAR, W), "unpack chars");
    TM_CHECK(rpos == pos && rh[0] == 7 && rh[1] == -7 && strcmp(rc3, "abc") == 0,
             "unpacked header/chars wrong (position %d)", rpos);
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 5; j++) {
            double want = j >= 3 ? 10 * i + j - 2 : 0;
            TM_CHECK(back[i][j] == want, "unpacked [%d][%d] = %g, expected %g", i, j, back[i][j],
                     want);
        }

    /* large-count forms */
    MPI_Count cpos = 0;
    char small[32];
    TM_CHECK_RC(MPI_Pack_c(hdr, 2, MPI_INT, small, 32, &cpos, W), "Pack_c");
    MPI_Count upos = 0;
    int h2[2] = {0, 0};
    TM_CHECK_RC(MPI_Unpack_c(small, cpos, &upos, h2, 2, MPI_INT, W), "Unpack_c");
    TM_CHECK(cpos == 8 && upos == 8 && h2[0] == 7 && h2[1] == -7, "Pack_c/Unpack_c");

    /* errors go to the communicator's handler */
    MPI_Comm_set_errhandler(W, MPI_ERRORS_RETURN);
    pos = 0;
    expect_err(MPI_Pack(hdr, 2, MPI_INT, small, 7, &pos, W), MPI_ERR_TRUNCATE, "pack overflow");
    TM_CHECK(pos == 0, "a failed pack moved the position to %d", pos);
    pos = 4;
    expect_err(MPI_Unpack(small, 8, &pos, h2, 2, MPI_INT, W), MPI_ERR_TRUNCATE,
               "unpack past insize");
    pos = 9;
    expect_err(MPI_Pack(hdr, 1, MPI_INT, small, 8, &pos, W), MPI_ERR_ARG, "position > outsize");
    pos = 0;
    expect_err(MPI_Pack(hdr, -1, MPI_INT, small, 8, &pos, W), MPI_ERR_COUNT, "negative incount");
    expect_err(MPI_Pack(hdr, 1, MPI_INT, small, 8, NULL, W), MPI_ERR_ARG, "NULL position");
    /* an invalid communicator has no handler of its own: MPI_COMM_SELF's applies */
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    expect_err(MPI_Pack(hdr, 1, MPI_INT, small, 8, &pos, MPI_COMM_NULL), MPI_ERR_COMM,
               "MPI_COMM_NULL");
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);
    MPI_Datatype unc;
    MPI_Type_contiguous(2, MPI_INT, &unc);
    expect_err(MPI_Pack(hdr, 1, unc, small, 8, &pos, W), MPI_ERR_TYPE, "uncommitted type");
    MPI_Type_free(&unc);
    expect_err(MPI_Pack_size(-2, MPI_INT, W, &s1), MPI_ERR_COUNT, "Pack_size(-2)");
    MPI_Comm_set_errhandler(W, MPI_ERRORS_ARE_FATAL);
    MPI_Type_free(&col);
    free(buf);
}

/* Packs n elements of t to external32 and checks the image and the size. */
static void ext_image(MPI_Datatype t, const void *in, int n, const unsigned char *img,
                      size_t len, const char *what)
{
    unsigned char out[128];
    MPI_Aint pos = 0, size = -1;
    TM_CHECK_RC(MPI_Pack_external_size("external32", n, t, &size), what);
    TM_CHECK(size == (MPI_Aint)len, "%s: external size %ld, expected %zu", what, (long)size, len);
    TM_CHECK_RC(MPI_Pack_external("external32", in, n, t, out, sizeof out, &pos), what);
    TM_CHECK(pos == (MPI_Aint)len, "%s: position %ld, expected %zu", what, (long)pos, len);
    expect_bytes(out, img, len, what);
}

static void test_external_images(void)
{
    int i2[2] = {1, -2};
    static const unsigned char ii[] = {0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe};
    ext_image(MPI_INT, i2, 2, ii, 8, "MPI_INT");
    short s = 0x1234;
    static const unsigned char is[] = {0x12, 0x34};
    ext_image(MPI_SHORT, &s, 1, is, 2, "MPI_SHORT");
    long l2[2] = {0x11223344L, -3};
    static const unsigned char il[] = {0x11, 0x22, 0x33, 0x44, 0xff, 0xff, 0xff, 0xfd};
    ext_image(MPI_LONG, l2, 2, il, 8, "MPI_LONG (4 bytes in external32)");
    long long ll = 0x0102030405060708LL;
    static const unsigned char ill[] = {1, 2, 3, 4, 5, 6, 7, 8};
    ext_image(MPI_LONG_LONG, &ll, 1, ill, 8, "MPI_LONG_LONG");
    float f = -1.5f;
    static const unsigned char iff[] = {0xbf, 0xc0, 0, 0};
    ext_image(MPI_FLOAT, &f, 1, iff, 4, "MPI_FLOAT");
    double d = 0.1;
    static const unsigned char id[] = {0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a};
    ext_image(MPI_DOUBLE, &d, 1, id, 8, "MPI_DOUBLE");
    long double ld = -2.5L;
    static const unsigned char ild[16] = {0xc0, 0x00, 0x40};
    ext_image(MPI_LONG_DOUBLE, &ld, 1, ild, 16, "MPI_LONG_DOUBLE (binary128)");
    double complex z = 1.0 + 2.0 * I;
    static const unsigned char iz[] = {0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0};
    ext_image(MPI_C_DOUBLE_COMPLEX, &z, 1, iz, 16, "MPI_C_DOUBLE_COMPLEX");
    wchar_t w = L'A';
    static const unsigned char iw[] = {0, 0x41};
    ext_image(MPI_WCHAR, &w, 1, iw, 2, "MPI_WCHAR (2 bytes)");
    bool b = true;
    static const unsigned char ib[] = {1};
    ext_image(MPI_C_BOOL, &b, 1, ib, 1, "MPI_C_BOOL");
    int64_t i64 = -1;
    static const unsigned char i64i[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    ext_image(MPI_INT64_T, &i64, 1, i64i, 8, "MPI_INT64_T");
    MPI_Aint a = 0x1020;
    static const unsigned char ia[] = {0, 0, 0, 0, 0, 0, 0x10, 0x20};
    ext_image(MPI_AINT, &a, 1, ia, 8, "MPI_AINT");
    /* pairs and structs: members back to back, no padding */
    struct { double v; int i; } di = {1.0, 3};
    static const unsigned char idi[] = {0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3};
    ext_image(MPI_DOUBLE_INT, &di, 1, idi, 12, "MPI_DOUBLE_INT");
    struct { char c; double v; } cd = {'x', 2.0};
    int bl[2] = {1, 1};
    MPI_Aint disp[2] = {0, 8};
    MPI_Datatype ty[2] = {MPI_CHAR, MPI_DOUBLE}, st;
    MPI_Type_create_struct(2, bl, disp, ty, &st);
    MPI_Type_commit(&st);
    static const unsigned char icd[] = {'x', 0x40, 0, 0, 0, 0, 0, 0, 0};
    ext_image(st, &cd, 1, icd, 9, "struct {char, double}");
    MPI_Type_free(&st);
    /* a strided vector of shorts */
    short sv[6] = {1, 2, 3, 4, 5, 6};
    MPI_Datatype v;
    MPI_Type_vector(3, 1, 2, MPI_SHORT, &v);
    MPI_Type_commit(&v);
    static const unsigned char isv[] = {0, 1, 0, 3, 0, 5};
    ext_image(v, sv, 1, isv, 6, "vector of shorts");
    MPI_Type_free(&v);
}

/* Every predefined type round trips (values that fit the external sizes). */
static void test_external_roundtrips(void)
{
    static const MPI_Datatype types[] = {
        MPI_CHAR, MPI_SIGNED_CHAR, MPI_UNSIGNED_CHAR, MPI_BYTE, MPI_SHORT, MPI_UNSIGNED_SHORT,
        MPI_INT, MPI_UNSIGNED, MPI_LONG, MPI_UNSIGNED_LONG, MPI_LONG_LONG,
        MPI_UNSIGNED_LONG_LONG, MPI_FLOAT, MPI_DOUBLE, MPI_LONG_DOUBLE, MPI_C_BOOL, MPI_WCHAR,
        MPI_INT8_T, MPI_INT16_T, MPI_INT32_T, MPI_INT64_T, MPI_UINT8_T, MPI_UINT16_T,
        MPI_UINT32_T, MPI_UINT64_T, MPI_AINT, MPI_COUNT, MPI_OFFSET, MPI_C_FLOAT_COMPLEX,
        MPI_C_DOUBLE_COMPLEX, MPI_C_LONG_DOUBLE_COMPLEX, MPI_FLOAT_INT, MPI_DOUBLE_INT,
        MPI_LONG_INT, MPI_2INT, MPI_SHORT_INT, MPI_LONG_DOUBLE_INT, MPI_PACKED, MPI_INTEGER,
        MPI_REAL, MPI_DOUBLE_PRECISION, MPI_COMPLEX, MPI_DOUBLE_COMPLEX, MPI_LOGICAL,
        MPI_CHARACTER, MPI_INTEGER1, MPI_INTEGER2, MPI_INTEGER4, MPI_INTEGER8, MPI_REAL4,
        MPI_REAL8, MPI_COMPLEX8, MPI_COMPLEX16, MPI_CXX_BOOL, MPI_2REAL, MPI_2DOUBLE_PRECISION,
        MPI_2INTEGER};
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        MPI_Datatype t = types[k];
        char name[MPI_MAX_OBJECT_NAME];
        int len;
        MPI_Type_get_name(t, name, &len);
        MPI_Aint lb, ext;
        MPI_Type_get_extent(t, &lb, &ext);
        int n = 5;
        unsigned char *in = tm_malloc((size_t)ext * (size_t)n);
        unsigned char *back = tm_malloc((size_t)ext * (size_t)n);
        /* small byte values: fit every external size, valid for every floating format */
        memset(in, 0, (size_t)ext * (size_t)n);
        if (t == MPI_FLOAT || t == MPI_C_FLOAT_COMPLEX || t == MPI_REAL || t == MPI_COMPLEX ||
            t == MPI_REAL4 || t == MPI_COMPLEX8 || t == MPI_2REAL) {
            for (size_t i = 0; i < (size_t)ext * (size_t)n / 4; i++)
                ((float *)in)[i] = (float)i * 0.25f - 3;
        } else if (t == MPI_DOUBLE || t == MPI_C_DOUBLE_COMPLEX || t == MPI_DOUBLE_PRECISION ||
                   t == MPI_DOUBLE_COMPLEX || t == MPI_REAL8 || t == MPI_COMPLEX16 ||
                   t == MPI_2DOUBLE_PRECISION) {
            for (size_t i = 0; i < (size_t)ext * (size_t)n / 8; i++)
                ((double *)in)[i] = (double)i * 1.5 - 2;
        } else if (t == MPI_LONG_DOUBLE || t == MPI_C_LONG_DOUBLE_COMPLEX) {
            for (size_t i = 0; i < (size_t)ext * (size_t)n / sizeof(long double); i++)
                ((long double *)in)[i] = (long double)i / 3 - 1;
        } else if (t == MPI_C_BOOL || t == MPI_CXX_BOOL) {
            for (int i = 0; i < n; i++)
                in[i] = (unsigned char)(i & 1);
        } else if (t == MPI_DOUBLE_INT || t == MPI_LONG_DOUBLE_INT || t == MPI_FLOAT_INT ||
                   t == MPI_LONG_INT || t == MPI_SHORT_INT) {
            /* value member zero, index member (the last 4 data bytes) small */
            MPI_Aint tlb, tex;
            MPI_Type_get_true_extent(t, &tlb, &tex);
            for (int i = 0; i < n; i++)
                in[(size_t)i * (size_t)ext + (size_t)(tex - 4)] = (unsigned char)(i + 1);
        } else {
            int sz;
            MPI_Type_size(t, &sz);
            /* low byte of each element (little or big endian: one byte, positive) */
            for (size_t i = 0; i < (size_t)ext * (size_t)n; i += (size_t)sz)
                in[i] = (unsigned char)(i / (size_t)sz + 1);
        }
        MPI_Aint xs = 0, pos = 0, upos = 0;
        MPI_Pack_external_size("external32", n, t, &xs);
        unsigned char *x = tm_malloc((size_t)xs);
        TM_CHECK_RC(MPI_Pack_external("external32", in, n, t, x, xs, &pos), name);
        memset(back, 0, (size_t)ext * (size_t)n);
        TM_CHECK_RC(MPI_Unpack_external("external32", x, xs, &upos, back, n, t), name);
        TM_CHECK(pos == xs && upos == xs, "%s: positions %ld %ld, size %ld", name, (long)pos,
                 (long)upos, (long)xs);
        /* compare the data bytes (pairs may have padding, long double has 6 unused bytes) */
        int sz;
        MPI_Type_size(t, &sz);
        int cmp_len = t == MPI_LONG_DOUBLE ? 10 : sz;
        if (t == MPI_C_LONG_DOUBLE_COMPLEX) {
            for (int i = 0; i < n; i++)
                TM_CHECK(memcmp(in + (size_t)i * 32, back + (size_t)i * 32, 10) == 0 &&
                             memcmp(in + (size_t)i * 32 + 16, back + (size_t)i * 32 + 16, 10) == 0,
                         "%s: element %d differs after a round trip", name, i);
        } else if (t == MPI_SHORT_INT || t == MPI_LONG_DOUBLE_INT || t == MPI_LONG_INT ||
                   t == MPI_DOUBLE_INT || t == MPI_FLOAT_INT) {
            MPI_Aint tlb, tex;
            MPI_Type_get_true_extent(t, &tlb, &tex);
            for (int i = 0; i < n; i++)
                TM_CHECK(back[(size_t)i * (size_t)ext + (size_t)(tex - 4)] == i + 1,
                         "%s: element %d index differs after a round trip", name, i);
        } else {
            for (int i = 0; i < n; i++)
                TM_CHECK(memcmp(in + (size_t)i * (size_t)ext, back + (size_t)i * (size_t)ext,
                                (size_t)cmp_len) == 0,
                         "%s: element %d differs after a round trip", name, i);
        }
        free(x);
        free(in);
        free(back);
    }
}

static void test_external_misc(void)
{
    MPI_Aint size;
    MPI_Count csize;
    MPI_Pack_external_size("external32", 3, MPI_LONG, &size);
    TM_CHECK(size == 12, "3 MPI_LONG: %ld external bytes", (long)size);
    MPI_Pack_external_size_c("external32", 2, MPI_DOUBLE_INT, &csize);
    TM_CHECK(csize == 24, "2 MPI_DOUBLE_INT: %lld external bytes", (long long)csize);
    /* derived round trip through the _c forms: a struct array with holes */
    struct rec {
        short a;
        double b;
        long c;
    } r[3] = {{1, 1.5, -100000}, {-2, 2.5, 7}, {3, -3.5, 123456789}}, rb[3];
    int bl[3] = {1, 1, 1};
    MPI_Aint d[3] = {offsetof(struct rec, a), offsetof(struct rec, b), offsetof(struct rec, c)};
    MPI_Datatype ty[3] = {MPI_SHORT, MPI_DOUBLE, MPI_LONG}, t;
    MPI_Type_create_struct(3, bl, d, ty, &t);
    MPI_Type_commit(&t);
    unsigned char x[64];
    MPI_Count pos = 0, upos = 0;
    TM_CHECK_RC(MPI_Pack_external_c("external32", r, 3, t, x, 64, &pos), "Pack_external_c");
    TM_CHECK(pos == 3 * 14, "struct {short, double, long}: %lld external bytes", (long long)pos);
    memset(rb, 0, sizeof rb);
    TM_CHECK_RC(MPI_Unpack_external_c("external32", x, pos, &upos, rb, 3, t), "Unpack_external_c");
    for (int i = 0; i < 3; i++)
        TM_CHECK(rb[i].a == r[i].a && rb[i].b == r[i].b && rb[i].c == r[i].c,
                 "struct %d after a round trip: %d %g %ld", i, rb[i].a, rb[i].b, rb[i].c);
    MPI_Type_free(&t);
    /* errors (no communicator: MPI_COMM_SELF's handler) */
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    int v = 5;
    MPI_Aint p = 0;
    expect_err(MPI_Pack_external("native", &v, 1, MPI_INT, x, 64, &p), MPI_ERR_ARG,
               "datarep native");
    expect_err(MPI_Pack_external("external32", &v, 1, MPI_INT, x, 3, &p), MPI_ERR_TRUNCATE,
               "external outsize too small");
    p = 2;
    expect_err(MPI_Unpack_external("external32", x, 4, &p, &v, 1, MPI_INT), MPI_ERR_TRUNCATE,
               "external unpack past insize");
    expect_err(MPI_Pack_external_size(NULL, 1, MPI_INT, &size), MPI_ERR_ARG, "NULL datarep");
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    test_native();
    test_external_images();
    test_external_roundtrips();
    test_external_misc();
    return tm_finish();
}
