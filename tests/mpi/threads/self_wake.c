/* threads/self_wake: a thread blocked in MPI_Recv from its own rank, asleep on the
 * doorbells, is woken when another thread of the process sends it the message (the self
 * transport has no doorbell of its own). Run with a poll timeout far beyond the launcher's
 * --timeout: a receiver that is not woken sleeps through it and the test fails. */
#include "../common.h"

#include <pthread.h>

#define ROUNDS 5

static void *sender(void *arg)
{
    int *round = arg;
    tm_sleep_ms(20); /* the receiver is past its spin and asleep by now */
    int v = *round;
    TM_CHECK_RC(MPI_Send(&v, 1, MPI_INT, tm_rank, 7, MPI_COMM_WORLD), "Send to self");
    return NULL;
}

int main(int argc, char **argv)
{
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    tm_setup_comm();
    if (provided < MPI_THREAD_MULTIPLE) {
        fprintf(stderr, "MPI_THREAD_MULTIPLE not provided; nothing to test\n");
        return tm_finish();
    }
    for (int round = 0; round < ROUNDS; round++) {
        pthread_t t;
        pthread_create(&t, NULL, sender, &round);
        int got = -1;
        TM_CHECK_RC(MPI_Recv(&got, 1, MPI_INT, tm_rank, 7, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
                    "Recv from self");
        TM_CHECK(got == round, "round %d: received %d", round, got);
        pthread_join(t, NULL);
    }
    return tm_finish();
}
