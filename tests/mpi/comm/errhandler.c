/* comm/errhandler: MPI_Comm_get_errhandler / MPI_Comm_set_errhandler / MPI_Errhandler_free.
 * The default on the predefined communicators is MPI_ERRORS_ARE_FATAL; a duplicate
 * inherits its parent's handler; setting a handler on one communicator leaves the others
 * alone; MPI_Errhandler_free sets MPI_ERRHANDLER_NULL. */
#include "../common.h"

static void expect_handler(MPI_Comm comm, MPI_Errhandler want, const char *what)
{
    MPI_Errhandler eh = MPI_ERRHANDLER_NULL;
    TM_CHECK_RC(MPI_Comm_get_errhandler(comm, &eh), "MPI_Comm_get_errhandler");
    TM_CHECK(eh == want, "%s: MPI_Comm_get_errhandler returned a different handler", what);
    if (eh != MPI_ERRHANDLER_NULL) {
        TM_CHECK_RC(MPI_Errhandler_free(&eh), "MPI_Errhandler_free");
        TM_CHECK(eh == MPI_ERRHANDLER_NULL, "MPI_Errhandler_free did not set MPI_ERRHANDLER_NULL");
    }
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);

    expect_handler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL, "default on WORLD");
    expect_handler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL, "default on SELF");

    MPI_Comm d = MPI_COMM_NULL;
    MPI_Comm_dup(MPI_COMM_WORLD, &d);
    expect_handler(d, MPI_ERRORS_ARE_FATAL, "dup of WORLD");

    TM_CHECK_RC(MPI_Comm_set_errhandler(d, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
    expect_handler(d, MPI_ERRORS_RETURN, "dup after set ERRORS_RETURN");
    expect_handler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL, "WORLD after setting its dup's handler");

    /* A duplicate inherits the handler of its parent. */
    MPI_Comm dd = MPI_COMM_NULL;
    MPI_Comm_dup(d, &dd);
    expect_handler(dd, MPI_ERRORS_RETURN, "dup of a comm with ERRORS_RETURN");

    /* ERRORS_RETURN really returns: an invalid rank on dd gives MPI_ERR_RANK. */
    int v = 1;
    int rc = MPI_Send(&v, 1, MPI_INT, tm_size, 0, dd);
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == MPI_ERR_RANK,
             "MPI_Send to rank %d on a comm with ERRORS_RETURN returned %d (class %d)", tm_size,
             rc, tm_errclass(rc));

    /* The handler handle obtained by get stays usable after the communicator is freed. */
    MPI_Errhandler kept = MPI_ERRHANDLER_NULL;
    MPI_Comm_get_errhandler(dd, &kept);
    MPI_Comm_free(&dd);
    TM_CHECK_RC(MPI_Comm_set_errhandler(d, kept), "MPI_Comm_set_errhandler with a kept handle");
    expect_handler(d, MPI_ERRORS_RETURN, "dup after re-setting the kept handler");
    MPI_Errhandler_free(&kept);
    TM_CHECK(kept == MPI_ERRHANDLER_NULL, "MPI_Errhandler_free did not set MPI_ERRHANDLER_NULL");

    TM_CHECK_RC(MPI_Comm_set_errhandler(d, MPI_ERRORS_ARE_FATAL), "set ERRORS_ARE_FATAL");
    expect_handler(d, MPI_ERRORS_ARE_FATAL, "dup after set back to ERRORS_ARE_FATAL");
#if MPI_VERSION >= 5 /* MPICH 4.0.2 asserts on MPI_ERRORS_ABORT */
    TM_CHECK_RC(MPI_Comm_set_errhandler(d, MPI_ERRORS_ABORT), "set ERRORS_ABORT");
    expect_handler(d, MPI_ERRORS_ABORT, "dup after set ERRORS_ABORT");
#endif

    /* The predefined communicators accept a new handler too. */
    TM_CHECK_RC(MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN), "set on SELF");
    expect_handler(MPI_COMM_SELF, MPI_ERRORS_RETURN, "SELF after set ERRORS_RETURN");
    TM_CHECK_RC(MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN), "set on WORLD");
    expect_handler(MPI_COMM_WORLD, MPI_ERRORS_RETURN, "WORLD after set ERRORS_RETURN");
    expect_handler(d, 
#if MPI_VERSION >= 5 /* MPICH 4.0.2 asserts on MPI_ERRORS_ABORT */
                   MPI_ERRORS_ABORT,
#else
                   MPI_ERRORS_ARE_FATAL,
#endif
                   "existing dup after changing WORLD's handler");
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);

    MPI_Comm_free(&d);
    return tm_finish();
}
