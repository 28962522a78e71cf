/* board.c - this rank's slot on the job's status board (see board.h). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/board.h"
#include "core/core.h"

void lm_board_attach(void)
{
    char path[512];
    const char *tmp = getenv("TMPDIR");
    const char *dirs[2] = {"/dev/shm", tmp && *tmp ? tmp : "/tmp"};
    for (int i = 0; i < 2 && !lm_proc.board; i++) {
        snprintf(path, sizeof path, "%s/litempi-%s-board", dirs[i], lm_proc.pmi.kvsname);
        int fd = open(path, O_RDWR | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        size_t need = (size_t)(lm_proc.rank + 1) * LM_BOARD_SLOT_SIZE;
        if (fstat(fd, &st) == 0 && (size_t)st.st_size >= need) {
            void *p = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (p != MAP_FAILED) {
                lm_proc.board_map = p;
                lm_proc.board_len = need;
                lm_proc.board = (struct lm_board_slot *)((char *)p + need - LM_BOARD_SLOT_SIZE);
            }
        }
        close(fd);
    }
}

void lm_board_detach(void)
{
    if (!lm_proc.board)
        return;
    atomic_store(&lm_proc.board->state, LM_BOARD_FINALIZED);
    munmap(lm_proc.board_map, lm_proc.board_len);
    lm_proc.board = NULL;
}

static void describe(char *out, size_t len)
{
    const struct lm_call *c = &lm_proc.call;
    const char *name = c->name ? c->name : "MPI";
    if (!c->peer_arg) {
        snprintf(out, len, "%s", name);
        return;
    }
    char peer[32], tag[32], comm[MPI_MAX_OBJECT_NAME + 8];
    if (c->peer == MPI_ANY_SOURCE)
        snprintf(peer, sizeof peer, "MPI_ANY_SOURCE");
    else
        snprintf(peer, sizeof peer, "%d", c->peer);
    if (c->tag == MPI_ANY_TAG)
        snprintf(tag, sizeof tag, "MPI_ANY_TAG");
    else
        snprintf(tag, sizeof tag, "%d", c->tag);
    if (c->comm && c->comm->name[0])
        snprintf(comm, sizeof comm, "%s", c->comm->name);
    else
        snprintf(comm, sizeof comm, "%p", (void *)c->comm);
    snprintf(out, len, "%s(%s=%s, tag=%s, comm=%s)", name, c->peer_arg, peer, tag, comm);
}

void lm_board_blocked(void)
{
    struct lm_board_slot *s = lm_proc.board;
    if (!s || lm_proc.board_blocked)
        return;
    describe(s->what, sizeof s->what);
    s->since_ns = lm_now_ns();
    atomic_store_explicit(&s->state, LM_BOARD_BLOCKED, memory_order_release);
    lm_proc.board_blocked = true;
}

void lm_board_running(void)
{
    struct lm_board_slot *s = lm_proc.board;
    lm_proc.board_blocked = false;
    if (!s)
        return;
    atomic_fetch_add_explicit(&s->moves, 1, memory_order_relaxed);
    atomic_store_explicit(&s->state, LM_BOARD_RUNNING, memory_order_release);
}
