/* pt2pt/status_set: MPI_Status_set_elements(_x), MPI_Status_set_cancelled and
 * MPI_Test_cancelled, and their consistency with MPI_Get_count / MPI_Get_elements for the
 * same datatype: basic types, a contiguous and a vector type (Get_count is the number of
 * whole items, MPI_UNDEFINED for a partial one), a value/index pair type, zero, counts
 * beyond int (MPI_UNDEFINED from the int queries), the public fields left alone, and the
 * error classes. Also checks a real receive's status the same way. */
#include "../common.h"

#include <limits.h>

static void expect_counts(const MPI_Status *st, MPI_Datatype t, int want_elems, int want_count,
                          const char *what)
{
    int e = -2, c = -2;
    TM_CHECK_RC(MPI_Get_elements(st, t, &e), "Get_elements");
    TM_CHECK_RC(MPI_Get_count(st, t, &c), "Get_count");
    TM_CHECK(e == want_elems && c == want_count,
             "%s: Get_elements %d (want %d), Get_count %d (want %d)", what, e, want_elems, c,
             want_count);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Status st;
    st.MPI_SOURCE = 11;
    st.MPI_TAG = 22;
    st.MPI_ERROR = 33;

    /* Basic types, including zero. */
    static const MPI_Datatype basics[] = {MPI_CHAR, MPI_INT, MPI_DOUBLE, MPI_LONG_DOUBLE,
                                          MPI_BYTE};
    for (size_t i = 0; i < sizeof basics / sizeof basics[0]; i++) {
        for (int n = 0; n < 40; n += 13) {
            TM_CHECK_RC(MPI_Status_set_elements(&st, basics[i], n), "Status_set_elements");
            expect_counts(&st, basics[i], n, n, "basic type");
        }
    }
    TM_CHECK(st.MPI_SOURCE == 11 && st.MPI_TAG == 22 && st.MPI_ERROR == 33,
             "set_elements changed the public fields: %d %d %d", st.MPI_SOURCE, st.MPI_TAG,
             st.MPI_ERROR);

    /* Derived types: items of 3 ints (contiguous) and of 2 x 2 ints (vector with gaps). */
    MPI_Datatype c3, v22;
    MPI_Type_contiguous(3, MPI_INT, &c3);
    MPI_Type_commit(&c3);
    MPI_Type_vector(2, 2, 5, MPI_INT, &v22);
    MPI_Type_commit(&v22);
    MPI_Status_set_elements(&st, c3, 7);
    expect_counts(&st, c3, 7, MPI_UNDEFINED, "7 ints as contiguous(3)");
    MPI_Status_set_elements(&st, c3, 6);
    expect_counts(&st, c3, 6, 2, "6 ints as contiguous(3)");
    MPI_Status_set_elements(&st, v22, 12);
    expect_counts(&st, v22, 12, 3, "12 ints as vector(2,2,5)");
    MPI_Status_set_elements(&st, v22, 5);
    expect_counts(&st, v22, 5, MPI_UNDEFINED, "5 ints as vector(2,2,5)");
    MPI_Status_set_elements_x(&st, c3, 9);
    expect_counts(&st, c3, 9, 3, "set_elements_x, 9 ints as contiguous(3)");

    /* A value/index pair: two basic elements per item. */
    MPI_Status_set_elements(&st, MPI_DOUBLE_INT, 4);
    expect_counts(&st, MPI_DOUBLE_INT, 4, 2, "4 elements of MPI_DOUBLE_INT");
    MPI_Status_set_elements(&st, MPI_DOUBLE_INT, 3);
    expect_counts(&st, MPI_DOUBLE_INT, 3, MPI_UNDEFINED, "3 elements of MPI_DOUBLE_INT");

    /* Beyond int: the int queries say MPI_UNDEFINED. */
    MPI_Count big = (MPI_Count)INT_MAX + 10;
    TM_CHECK_RC(MPI_Status_set_elements_x(&st, MPI_BYTE, big), "Status_set_elements_x(big)");
    expect_counts(&st, MPI_BYTE, MPI_UNDEFINED, MPI_UNDEFINED, "INT_MAX + 10 bytes");
    TM_CHECK_RC(MPI_Status_set_elements_x(&st, MPI_INT, (MPI_Count)1 << 33),
                "Status_set_elements_x(2^33 ints)");
    expect_counts(&st, MPI_INT, MPI_UNDEFINED, MPI_UNDEFINED, "2^33 ints");

    /* Cancelled flag. */
    int flag = -1;
    TM_CHECK_RC(MPI_Status_set_cancelled(&st, 1), "Status_set_cancelled(1)");
    MPI_Test_cancelled(&st, &flag);
    TM_CHECK(flag == 1, "Test_cancelled after set_cancelled(1): %d", flag);
    MPI_Status_set_cancelled(&st, 42); /* any true value */
    MPI_Test_cancelled(&st, &flag);
    TM_CHECK(flag == 1, "Test_cancelled after set_cancelled(42): %d", flag);
    MPI_Status_set_elements(&st, MPI_INT, 5);
    MPI_Test_cancelled(&st, &flag);
    TM_CHECK(flag == 1, "set_elements cleared the cancelled flag");
    MPI_Status_set_cancelled(&st, 0);
    MPI_Test_cancelled(&st, &flag);
    TM_CHECK(flag == 0, "Test_cancelled after set_cancelled(0): %d", flag);
    expect_counts(&st, MPI_INT, 5, 5, "set_cancelled kept the count");

    /* Errors. */
    TM_CHECK_CLASS(MPI_Status_set_elements(&st, MPI_INT, -1), MPI_ERR_COUNT,
                   "Status_set_elements(count -1)");
    TM_CHECK_CLASS(MPI_Status_set_elements_x(&st, MPI_INT, -5), MPI_ERR_COUNT,
                   "Status_set_elements_x(count -5)");
    TM_CHECK_CLASS(MPI_Status_set_elements(&st, MPI_DATATYPE_NULL, 1), MPI_ERR_TYPE,
                   "Status_set_elements(MPI_DATATYPE_NULL)");
    TM_CHECK_CLASS(MPI_Status_set_elements(MPI_STATUS_IGNORE, MPI_INT, 1), MPI_ERR_ARG,
                   "Status_set_elements(MPI_STATUS_IGNORE)");
    TM_CHECK_CLASS(MPI_Status_set_cancelled(MPI_STATUS_IGNORE, 1), MPI_ERR_ARG,
                   "Status_set_cancelled(MPI_STATUS_IGNORE)");
    TM_CHECK_CLASS(MPI_Test_cancelled(&st, NULL), MPI_ERR_ARG, "Test_cancelled(flag NULL)");
    expect_counts(&st, MPI_INT, 5, 5, "failed calls left the status alone");

    /* A real receive of 4 vector items is consistent the same way. */
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    int out[4 * 7], in[4 * 7];
    for (int i = 0; i < 4 * 7; i++)
        out[i] = i;
    MPI_Sendrecv(out, 4, v22, right, 3, in, 4, v22, left, 3, MPI_COMM_WORLD, &st);
    expect_counts(&st, v22, 16, 4, "received 4 vector items");
    MPI_Test_cancelled(&st, &flag);
    TM_CHECK(flag == 0, "a received message is marked cancelled");

    MPI_Type_free(&c3);
    MPI_Type_free(&v22);
    return tm_finish();
}
