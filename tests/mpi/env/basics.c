/* env/basics: version queries, the processor name and the timers. */
#include "../common.h"

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);

    int version = -1, subversion = -1;
    TM_CHECK_RC(MPI_Get_version(&version, &subversion), "MPI_Get_version");
    TM_CHECK(version == MPI_VERSION && subversion == MPI_SUBVERSION,
             "MPI_Get_version gave %d.%d, mpi.h says %d.%d", version, subversion, MPI_VERSION,
             MPI_SUBVERSION);
#ifdef MPI_ABI_VERSION
    /* The standard ABI header is the MPI 5.0 one. */
    TM_CHECK(version == 5 && subversion == 0, "MPI_Get_version gave %d.%d, expected 5.0", version,
             subversion);
#endif

#ifdef MPI_ABI_VERSION
    /* A program compiled against the standard ABI header must mean the same handles and
     * constants as ours: spot-check the values the MPI 5.0 ABI fixes. */
#define ABI_HANDLE(h, v)                                                                   \
    TM_CHECK((uintptr_t)(h) == (uintptr_t)(v), "%s is %#lx, the MPI 5.0 ABI says %#lx", #h,  \
             (unsigned long)(uintptr_t)(h), (unsigned long)(v))
#define ABI_INT(c, v) TM_CHECK((c) == (v), "%s is %d, the MPI 5.0 ABI says %d", #c, (int)(c), (int)(v))
    ABI_HANDLE(MPI_COMM_NULL, 0x100);
    ABI_HANDLE(MPI_COMM_WORLD, 0x101);
    ABI_HANDLE(MPI_COMM_SELF, 0x102);
    ABI_HANDLE(MPI_ERRHANDLER_NULL, 0x140);
    ABI_HANDLE(MPI_ERRORS_ARE_FATAL, 0x141);
    /* The Forum's reference mpi.h (mpi-abi-stubs) fixes RETURN = 0x142, ABORT = 0x143;
     * shared/mpi-abi.md has these two swapped. */
    ABI_HANDLE(MPI_ERRORS_RETURN, 0x142);
    ABI_HANDLE(MPI_ERRORS_ABORT, 0x143);
    ABI_HANDLE(MPI_REQUEST_NULL, 0x180);
    ABI_HANDLE(MPI_DATATYPE_NULL, 0x200);
    ABI_HANDLE(MPI_INT, 0x209);
    ABI_HANDLE(MPI_DOUBLE, 0x214);
    ABI_HANDLE(MPI_BYTE, 0x247);
    ABI_HANDLE(MPI_CHAR, 0x243);
    ABI_INT(MPI_ANY_SOURCE, -1);
    ABI_INT(MPI_ANY_TAG, -2);
    ABI_INT(MPI_PROC_NULL, -3);
    ABI_INT(MPI_UNDEFINED, -32766);
    ABI_INT(MPI_IDENT, 201);
    ABI_INT(MPI_CONGRUENT, 202);
    ABI_INT(MPI_UNEQUAL, 204);
    ABI_INT(MPI_THREAD_SINGLE, 0);
    ABI_INT(MPI_THREAD_MULTIPLE, 4096);
    TM_CHECK(sizeof(MPI_Status) == 32 && offsetof(MPI_Status, MPI_SOURCE) == 0 &&
                 offsetof(MPI_Status, MPI_ERROR) == 8,
             "MPI_Status layout differs from the ABI (size %zu)", sizeof(MPI_Status));
#endif

    char lib[MPI_MAX_LIBRARY_VERSION_STRING];
    memset(lib, 'x', sizeof lib);
    int len = -1;
    TM_CHECK_RC(MPI_Get_library_version(lib, &len), "MPI_Get_library_version");
    TM_CHECK(len > 0 && len < MPI_MAX_LIBRARY_VERSION_STRING, "library version length %d", len);
    if (len > 0 && len < MPI_MAX_LIBRARY_VERSION_STRING) {
        TM_CHECK(lib[len] == '\0' && strlen(lib) == (size_t)len,
                 "library version string not terminated at resultlen %d", len);
    }

    char name[MPI_MAX_PROCESSOR_NAME];
    memset(name, 'x', sizeof name);
    len = -1;
    TM_CHECK_RC(MPI_Get_processor_name(name, &len), "MPI_Get_processor_name");
    TM_CHECK(len > 0 && len < MPI_MAX_PROCESSOR_NAME, "processor name length %d", len);
    if (len > 0 && len < MPI_MAX_PROCESSOR_NAME) {
        TM_CHECK(name[len] == '\0' && strlen(name) == (size_t)len,
                 "processor name not terminated at resultlen %d", len);
    }

    /* Wtick: a positive resolution, finer than a second. */
    double tick = MPI_Wtick();
    TM_CHECK(tick > 0.0 && tick < 1.0, "MPI_Wtick() = %g", tick);

    /* Wtime never goes backwards and measures real time. */
    double prev = MPI_Wtime(), start = prev;
    for (int i = 0; i < 100000; i++) {
        double now = MPI_Wtime();
        if (now < prev) {
            TM_CHECK(0, "MPI_Wtime went backwards: %.9f after %.9f", now, prev);
            break;
        }
        prev = now;
    }
    double t0 = MPI_Wtime();
    tm_sleep_ms(50);
    double elapsed = MPI_Wtime() - t0;
    TM_CHECK(elapsed >= 0.045 && elapsed < 10.0, "50 ms sleep measured as %.6f s", elapsed);
    TM_CHECK(prev >= start, "MPI_Wtime not monotonic");

    /* The predefined communicators' basic shape. */
    int size = -1, rank = -1;
    TM_CHECK_RC(MPI_Comm_size(MPI_COMM_SELF, &size), "MPI_Comm_size(SELF)");
    TM_CHECK_RC(MPI_Comm_rank(MPI_COMM_SELF, &rank), "MPI_Comm_rank(SELF)");
    TM_CHECK(size == 1 && rank == 0, "MPI_COMM_SELF size %d rank %d", size, rank);

    return tm_finish();
}
