/* env/errclass: MPI_Error_class and MPI_Error_string for every error class. The class of a
 * class is the class itself and every class has a non-empty, terminated string. Under the
 * MPI 5.0 standard ABI the classes are exactly 0..62 (MPI_ERR_ABI = 62). */
#include "../common.h"

#define C(x) {x, #x}
static const struct {
    int code;
    const char *name;
} classes[] = {
    C(MPI_SUCCESS), C(MPI_ERR_BUFFER), C(MPI_ERR_COUNT), C(MPI_ERR_TYPE), C(MPI_ERR_TAG),
    C(MPI_ERR_COMM), C(MPI_ERR_RANK), C(MPI_ERR_REQUEST), C(MPI_ERR_ROOT), C(MPI_ERR_GROUP),
    C(MPI_ERR_OP), C(MPI_ERR_TOPOLOGY), C(MPI_ERR_DIMS), C(MPI_ERR_ARG), C(MPI_ERR_UNKNOWN),
    C(MPI_ERR_TRUNCATE), C(MPI_ERR_OTHER), C(MPI_ERR_INTERN), C(MPI_ERR_IN_STATUS),
    C(MPI_ERR_PENDING), C(MPI_ERR_KEYVAL), C(MPI_ERR_NO_MEM), C(MPI_ERR_BASE),
    C(MPI_ERR_INFO_KEY), C(MPI_ERR_INFO_VALUE), C(MPI_ERR_INFO_NOKEY), C(MPI_ERR_SPAWN),
    C(MPI_ERR_PORT), C(MPI_ERR_SERVICE), C(MPI_ERR_NAME), C(MPI_ERR_WIN), C(MPI_ERR_SIZE),
    C(MPI_ERR_DISP), C(MPI_ERR_INFO), C(MPI_ERR_LOCKTYPE), C(MPI_ERR_ASSERT),
    C(MPI_ERR_RMA_CONFLICT), C(MPI_ERR_RMA_SYNC), C(MPI_ERR_FILE), C(MPI_ERR_NOT_SAME),
    C(MPI_ERR_AMODE), C(MPI_ERR_UNSUPPORTED_DATAREP), C(MPI_ERR_UNSUPPORTED_OPERATION),
    C(MPI_ERR_NO_SUCH_FILE), C(MPI_ERR_FILE_EXISTS), C(MPI_ERR_BAD_FILE), C(MPI_ERR_ACCESS),
    C(MPI_ERR_NO_SPACE), C(MPI_ERR_QUOTA), C(MPI_ERR_READ_ONLY), C(MPI_ERR_FILE_IN_USE),
    C(MPI_ERR_DUP_DATAREP), C(MPI_ERR_CONVERSION), C(MPI_ERR_IO), C(MPI_ERR_RMA_RANGE),
    C(MPI_ERR_RMA_ATTACH), C(MPI_ERR_RMA_SHARED), C(MPI_ERR_RMA_FLAVOR),
#if MPI_VERSION >= 5
    C(MPI_ERR_PROC_ABORTED), C(MPI_ERR_VALUE_TOO_LARGE), C(MPI_ERR_SESSION),
    C(MPI_ERR_ERRHANDLER), C(MPI_ERR_ABI),
#endif
};
#define NCLASSES ((int)(sizeof classes / sizeof classes[0]))

static void check_class(int code, const char *name)
{
    int cls = -1;
    int rc = MPI_Error_class(code, &cls);
    TM_CHECK(rc == MPI_SUCCESS, "MPI_Error_class(%s=%d) returned %d", name, code, rc);
    TM_CHECK(cls == code, "MPI_Error_class(%s=%d) gave class %d", name, code, cls);

    char msg[MPI_MAX_ERROR_STRING];
    memset(msg, 'x', sizeof msg);
    int len = -1;
    rc = MPI_Error_string(code, msg, &len);
    TM_CHECK(rc == MPI_SUCCESS, "MPI_Error_string(%s=%d) returned %d", name, code, rc);
    TM_CHECK(len > 0 && len < MPI_MAX_ERROR_STRING, "MPI_Error_string(%s=%d) length %d", name,
             code, len);
    if (len > 0 && len < MPI_MAX_ERROR_STRING) {
        TM_CHECK(msg[len] == '\0' && strlen(msg) == (size_t)len,
                 "MPI_Error_string(%s=%d) not terminated at resultlen %d", name, code, len);
    }
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);

    for (int i = 0; i < NCLASSES; i++) {
        check_class(classes[i].code, classes[i].name);
        for (int j = 0; j < i; j++) {
            TM_CHECK(classes[i].code != classes[j].code, "%s and %s share the value %d",
                     classes[i].name, classes[j].name, classes[i].code);
        }
        TM_CHECK(classes[i].code >= 0 && classes[i].code <= MPI_ERR_LASTCODE,
                 "%s = %d outside 0..MPI_ERR_LASTCODE", classes[i].name, classes[i].code);
    }
    TM_CHECK(MPI_SUCCESS == 0, "MPI_SUCCESS is %d", MPI_SUCCESS);

#if MPI_VERSION >= 5
    /* The standard ABI numbers the classes 0..62 densely; check every number, and a few
     * fixed values. */
    for (int code = 0; code <= 62; code++) {
        char name[32];
        snprintf(name, sizeof name, "class %d", code);
        check_class(code, name);
    }
    TM_CHECK(NCLASSES == 63, "expected 63 named classes, have %d", NCLASSES);
    TM_CHECK(MPI_ERR_BUFFER == 1 && MPI_ERR_WIN == 56 && MPI_ERR_RMA_FLAVOR == 57 &&
                 MPI_ERR_PROC_ABORTED == 58 && MPI_ERR_VALUE_TOO_LARGE == 59 &&
                 MPI_ERR_SESSION == 60 && MPI_ERR_ERRHANDLER == 61 && MPI_ERR_ABI == 62,
             "error class numbering differs from the MPI 5.0 ABI");
    TM_CHECK(MPI_ERR_LASTCODE == 16383, "MPI_ERR_LASTCODE is %d, ABI says 16383", MPI_ERR_LASTCODE);
#endif

    /* Strings of the classes a user meets most should tell them apart. */
    static const int common_classes[] = {MPI_ERR_COMM, MPI_ERR_RANK, MPI_ERR_TAG, MPI_ERR_COUNT,
                                         MPI_ERR_TYPE, MPI_ERR_TRUNCATE, MPI_ERR_REQUEST};
    enum { NCOMMON = sizeof common_classes / sizeof common_classes[0] };
    static char strings[NCOMMON][MPI_MAX_ERROR_STRING];
    for (int i = 0; i < NCOMMON; i++) {
        int len = 0;
        MPI_Error_string(common_classes[i], strings[i], &len);
        for (int j = 0; j < i; j++) {
            TM_CHECK(strcmp(strings[i], strings[j]) != 0,
                     "classes %d and %d have the same string \"%s\"", common_classes[i],
                     common_classes[j], strings[i]);
        }
    }

    return tm_finish();
}
