/* board.h - the job's status board, shared between mpiexec and its ranks.
 *
 * mpiexec creates one small file per job (/dev/shm/litempi-<kvsname>-board, one slot per
 * rank) before starting the ranks; a rank that finds it maps it and, whenever a blocking
 * MPI call is about to sleep, writes what it waits in ("MPI_Recv(source=0, tag=42,
 * comm=MPI_COMM_WORLD)"). The launcher reads the slots to say where a job is stuck when
 * --timeout fires, and to end a job in which every rank has been asleep in MPI with nothing
 * moving for a while (a deadlock) with that report instead of hanging until a CI timeout.
 * Writes happen only on the way to sleep, never on the fast path.
 *
 * This header is shared with the launcher: no library types in it.
 */
#ifndef LM_BOARD_H
#define LM_BOARD_H

#include <stdatomic.h>
#include <stdint.h>

#define LM_BOARD_SLOT_SIZE 256

enum lm_board_state {
    LM_BOARD_RUNNING = 0,    /* outside MPI, or busy inside it */
    LM_BOARD_BLOCKED = 1,    /* asleep in a blocking MPI call */
    LM_BOARD_FINALIZED = 2,  /* past MPI_Finalize */
};

struct lm_board_slot {
    _Atomic uint32_t state;  /* enum lm_board_state */
    _Atomic uint32_t moves;  /* bumped whenever a blocked call sees packets move */
    uint64_t since_ns;       /* CLOCK_MONOTONIC when the current block began */
    char what[LM_BOARD_SLOT_SIZE - 16]; /* the call and its arguments, NUL-terminated */
};

_Static_assert(sizeof(struct lm_board_slot) == LM_BOARD_SLOT_SIZE, "board slot size");

#endif
