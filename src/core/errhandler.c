/* errhandler.c - error handler objects made from user functions.
 *
 * The three predefined handlers live in lm_proc and never go away. A user handler is
 * created for one kind of object (communicators here; windows, files and sessions use the
 * same object through their own create calls) and is reference counted: the user's handle
 * is one reference, every object it is set on another, MPI_Comm_get_errhandler hands out
 * one more. MPI_Errhandler_free drops the user's; the last release frees it.
 */
#include <stdlib.h>

#include "core/core.h"

int lm_errh_create(enum lm_obj_kind obj, void (*fn)(void), struct lm_errhandler **out)
{
    struct lm_errhandler *e = calloc(1, sizeof *e);
    if (!e)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating an error handler");
    *e = (struct lm_errhandler){.magic = LM_MAGIC_ERRH, .refcount = 1, .kind = LM_ERRH_USER,
                                .obj = obj, .fn = fn};
    e->handle = (MPI_Errhandler)e;
    *out = e;
    return LM_OK;
}

void lm_errh_retain(struct lm_errhandler *e)
{
    e->refcount++;
}

void lm_errh_release(struct lm_errhandler *e)
{
    if (--e->refcount > 0)
        return;
    if (e->kind != LM_ERRH_USER) {
        e->refcount = 1;   /* predefined: never freed */
        return;
    }
    lm_handle_forget(e);
    e->magic = 0;
    free(e);
}
