/* env/init_finalize: MPI_Initialized/MPI_Finalized before MPI_Init, between MPI_Init and
 * MPI_Finalize and after MPI_Finalize, and the calls the standard allows outside that
 * bracket (MPI_Get_version, MPI_Get_library_version; MPI 4.0 adds MPI_Error_class and
 * MPI_Error_string). Nothing else is called outside the bracket: the standard leaves it
 * undefined. */
#include "../common.h"

static void check_outside(const char *when, int want_init, int want_final)
{
    int flag = -1, rc;

    rc = MPI_Initialized(&flag);
    TM_CHECK(rc == MPI_SUCCESS, "%s: MPI_Initialized returned %d", when, rc);
    TM_CHECK(flag == want_init, "%s: MPI_Initialized flag %d, expected %d", when, flag, want_init);
    flag = -1;
    rc = MPI_Finalized(&flag);
    TM_CHECK(rc == MPI_SUCCESS, "%s: MPI_Finalized returned %d", when, rc);
    TM_CHECK(flag == want_final, "%s: MPI_Finalized flag %d, expected %d", when, flag, want_final);

    int version = -1, subversion = -1;
    rc = MPI_Get_version(&version, &subversion);
    TM_CHECK(rc == MPI_SUCCESS, "%s: MPI_Get_version returned %d", when, rc);
    TM_CHECK(version == MPI_VERSION && subversion == MPI_SUBVERSION,
             "%s: MPI_Get_version gave %d.%d, mpi.h says %d.%d", when, version, subversion,
             MPI_VERSION, MPI_SUBVERSION);

    char lib[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = -1;
    rc = MPI_Get_library_version(lib, &len);
    TM_CHECK(rc == MPI_SUCCESS, "%s: MPI_Get_library_version returned %d", when, rc);
    TM_CHECK(len > 0 && len < MPI_MAX_LIBRARY_VERSION_STRING && (size_t)len == strlen(lib),
             "%s: MPI_Get_library_version length %d", when, len);

#if MPI_VERSION >= 4
    /* MPI 4.0 lists MPI_Error_class and MPI_Error_string among the functions callable
     * before MPI_Init and after MPI_Finalize. */
    int cls = -1;
    rc = MPI_Error_class(MPI_ERR_RANK, &cls);
    TM_CHECK(rc == MPI_SUCCESS && cls == MPI_ERR_RANK, "%s: MPI_Error_class(MPI_ERR_RANK) rc %d class %d",
             when, rc, cls);
    char msg[MPI_MAX_ERROR_STRING];
    len = -1;
    rc = MPI_Error_string(MPI_ERR_TAG, msg, &len);
    TM_CHECK(rc == MPI_SUCCESS && len > 0 && (size_t)len == strlen(msg),
             "%s: MPI_Error_string(MPI_ERR_TAG) rc %d len %d", when, rc, len);
#endif
}

int main(int argc, char **argv)
{
    check_outside("before MPI_Init", 0, 0);
    int before_errors = tm_errors;

    int rc = MPI_Init(&argc, &argv);
    if (rc != MPI_SUCCESS) {
        fprintf(stderr, "FAIL: MPI_Init returned %d\n", rc);
        return 1;
    }
    tm_setup_comm();
    TM_CHECK(before_errors == 0, "%d check(s) before MPI_Init failed (see above)", before_errors);

    int flag = -1;
    TM_CHECK_RC(MPI_Initialized(&flag), "MPI_Initialized");
    TM_CHECK(flag == 1, "MPI_Initialized after MPI_Init: flag %d", flag);
    flag = -1;
    TM_CHECK_RC(MPI_Finalized(&flag), "MPI_Finalized");
    TM_CHECK(flag == 0, "MPI_Finalized after MPI_Init: flag %d", flag);

    /* tm_finish() finalizes; the checks after it cannot be agreed on over MPI, so a failure
     * there is reported through this rank's own exit status. */
    int status = tm_finish();
    int errors_before = tm_errors;
    check_outside("after MPI_Finalize", 1, 1);
    if (tm_errors != errors_before) {
        return 1;
    }
    return status;
}
