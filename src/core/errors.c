/* errors.c - error codes that carry a message.
 *
 * Internal code returns MPI error classes. When it knows more ("rank 7 is out of range for
 * a communicator of size 4") it records the text in a small ring and returns a code that
 * encodes both the class (low 6 bits: classes are 0..62) and the ring slot, so
 * MPI_Error_class recovers the class and MPI_Error_string the text. Codes recycle after
 * LM_ERR_SLOTS messages; an overwritten slot falls back to the class's generic text.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/errclass.h"

#define LM_ERR_SLOTS 127
#define LM_ERR_CLASS_BITS 6

static struct {
    int code;
    char text[MPI_MAX_ERROR_STRING];
} err_ring[LM_ERR_SLOTS + 1];
static int err_next;

int lm_err_detail(int cls, const char *fmt, ...)
{
    int slot = err_next % LM_ERR_SLOTS + 1;
    err_next = slot;
    int code = (slot << LM_ERR_CLASS_BITS) | cls;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_ring[slot].text, sizeof err_ring[slot].text, fmt, ap);
    va_end(ap);
    err_ring[slot].code = code;
    return code;
}

int lm_err_class_of(int code)
{
    if (code < 0 || code > MPI_ERR_LASTCODE)
        return -1;
    int cls = code & ((1 << LM_ERR_CLASS_BITS) - 1);
    if ((code >> LM_ERR_CLASS_BITS) > LM_ERR_SLOTS)
        return -1;
    return lm_errclass_name(cls) ? cls : -1;
}

const char *lm_err_string(int code)
{
    int cls = lm_err_class_of(code);
    if (cls < 0)
        return NULL;
    int slot = code >> LM_ERR_CLASS_BITS;
    if (slot > 0 && err_ring[slot].code == code)
        return err_ring[slot].text;
    return lm_errclass_string(cls);
}
