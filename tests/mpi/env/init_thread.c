/* env/init_thread: MPI_Init_thread with the level named in argv[1] (single, funneled,
 * serialized, multiple; "init" uses plain MPI_Init). Checks the level constants' order,
 * MPI_Query_thread == provided, MPI_Is_thread_main in the main thread and, at
 * MPI_THREAD_MULTIPLE, false in another thread. */
#include "../common.h"

#include <pthread.h>

static int provided_level = -1;

static void *other_thread(void *arg)
{
    int *result = arg;
    int flag = -1, level = -1;
    result[0] = MPI_Is_thread_main(&flag);
    result[1] = flag;
    result[2] = MPI_Query_thread(&level);
    result[3] = level;
    return NULL;
}

static int valid_level(int level)
{
    return level == MPI_THREAD_SINGLE || level == MPI_THREAD_FUNNELED ||
           level == MPI_THREAD_SERIALIZED || level == MPI_THREAD_MULTIPLE;
}

int main(int argc, char **argv)
{
    const char *want = argc > 1 ? argv[1] : "multiple";
    int required = MPI_THREAD_MULTIPLE, use_init = 0;
    if (strcmp(want, "single") == 0) {
        required = MPI_THREAD_SINGLE;
    } else if (strcmp(want, "funneled") == 0) {
        required = MPI_THREAD_FUNNELED;
    } else if (strcmp(want, "serialized") == 0) {
        required = MPI_THREAD_SERIALIZED;
    } else if (strcmp(want, "multiple") == 0) {
        required = MPI_THREAD_MULTIPLE;
    } else if (strcmp(want, "init") == 0) {
        use_init = 1;
    } else {
        fprintf(stderr, "usage: %s single|funneled|serialized|multiple|init\n", argv[0]);
        return 2;
    }

    int provided = -1, rc;
    if (use_init) {
        rc = MPI_Init(&argc, &argv);
    } else {
        rc = MPI_Init_thread(&argc, &argv, required, &provided);
    }
    if (rc != MPI_SUCCESS) {
        fprintf(stderr, "FAIL: MPI_Init(_thread) returned %d\n", rc);
        return 1;
    }
    tm_setup_comm();

    TM_CHECK(MPI_THREAD_SINGLE < MPI_THREAD_FUNNELED && MPI_THREAD_FUNNELED < MPI_THREAD_SERIALIZED &&
                 MPI_THREAD_SERIALIZED < MPI_THREAD_MULTIPLE,
             "thread level constants are not monotonic");

    int level = -1;
    TM_CHECK_RC(MPI_Query_thread(&level), "MPI_Query_thread");
    TM_CHECK(valid_level(level), "MPI_Query_thread gave %d", level);
    if (!use_init) {
        TM_CHECK(valid_level(provided), "MPI_Init_thread(%s) provided %d", want, provided);
        TM_CHECK(level == provided, "MPI_Query_thread gave %d, MPI_Init_thread provided %d", level,
                 provided);
#if MPI_VERSION >= 5
        /* LiteMPI supports every level up to MPI_THREAD_MULTIPLE. */
        TM_CHECK(provided >= required, "requested %s (%d), provided only %d", want, required,
                 provided);
#endif
    }
    provided_level = level;

    int flag = -1;
    TM_CHECK_RC(MPI_Is_thread_main(&flag), "MPI_Is_thread_main");
    TM_CHECK(flag == 1, "MPI_Is_thread_main in the main thread gave %d", flag);

    if (provided_level == MPI_THREAD_MULTIPLE) {
        int result[4] = {-1, -1, -1, -1};
        pthread_t th;
        if (pthread_create(&th, NULL, other_thread, result) != 0) {
            TM_CHECK(0, "pthread_create failed");
        } else {
            pthread_join(th, NULL);
            TM_CHECK(result[0] == MPI_SUCCESS, "MPI_Is_thread_main in a thread returned %d",
                     result[0]);
            TM_CHECK(result[1] == 0, "MPI_Is_thread_main in a second thread gave %d", result[1]);
            TM_CHECK(result[2] == MPI_SUCCESS && result[3] == provided_level,
                     "MPI_Query_thread in a thread: rc %d level %d", result[2], result[3]);
        }
    }

    /* Point-to-point still works at this level: a ring pass. */
    int token = tm_rank, got = -1;
    int right = (tm_rank + 1) % tm_size, left = (tm_rank + tm_size - 1) % tm_size;
    TM_CHECK_RC(MPI_Sendrecv(&token, 1, MPI_INT, right, 5, &got, 1, MPI_INT, left, 5,
                             MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                "MPI_Sendrecv");
    TM_CHECK(got == left, "ring pass got %d, expected %d", got, left);

    return tm_finish();
}
