/* errors.c - error codes that carry a message.
 *
 * Internal code returns MPI error classes. When it knows more ("rank 7 is out of range for
 * a communicator of size 4") it records the text in a small ring and returns a code that
 * encodes both the class (low 6 bits: classes are 0..62) and the ring slot, so
 * MPI_Error_class recovers the class and MPI_Error_string the text. Codes recycle after
 * LM_ERR_SLOTS messages; an overwritten slot falls back to the class's generic text.
 *
 * User error classes and codes (MPI_Add_error_class/code) do not fit six bits; they are
 * numbered from MPI_ERR_LASTCODE + 1 up, in one table that records each one's class and
 * string, so every value a user sees is either a predefined-class code (<= LASTCODE) or a
 * table entry. MPI_LASTUSEDCODE is the highest live entry (LASTCODE when there is none);
 * removing the highest entries (MPI-4.1 MPI_Remove_error_*) lets their values be reused.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

#define LM_ERR_USER_BASE (MPI_ERR_LASTCODE + 1)

struct user_err {
    int cls;          /* its class (itself for a class); -1: removed */
    char *text;       /* MPI_Add_error_string, NULL: none */
};

static struct {
    struct user_err *e;
    int n, cap;       /* n: entries up to the highest live one */
} ue;

static struct user_err *user_entry(int code)
{
    if (code < LM_ERR_USER_BASE || code - LM_ERR_USER_BASE >= ue.n)
        return NULL;
    struct user_err *u = &ue.e[code - LM_ERR_USER_BASE];
    return u->cls >= 0 ? u : NULL;
}

static int user_add(int cls, int *out)
{
    if (ue.n == ue.cap) {
        int cap = ue.cap ? ue.cap * 2 : 16;
        if (cap > INT32_MAX / 2 - LM_ERR_USER_BASE)
            return lm_err_detail(MPI_ERR_OTHER, "too many user error codes");
        struct user_err *e = realloc(ue.e, sizeof *e * (size_t)cap);
        if (!e)
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory adding an error code");
        ue.e = e;
        ue.cap = cap;
    }
    int value = LM_ERR_USER_BASE + ue.n;
    ue.e[ue.n++] = (struct user_err){.cls = cls < 0 ? value : cls, .text = NULL};
    *out = value;
    return LM_OK;
}

int lm_err_add_class(int *cls)
{
    return user_add(-1, cls);
}

bool lm_err_is_class(int code)
{
    if (code >= 0 && code <= LM_ERRCLASS_LAST)
        return true;
    struct user_err *u = user_entry(code);
    return u && u->cls == code;
}

int lm_err_add_code(int cls, int *code)
{
    if (!lm_err_is_class(cls) || cls == MPI_SUCCESS)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: errorclass = %d is not an error "
                             "class", cls);
    return user_add(cls, code);
}

int lm_err_add_string(int code, const char *text)
{
    struct user_err *u = user_entry(code);
    if (!u)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: errorcode = %d is not an error "
                             "class or code added by MPI_Add_error_class/code", code);
    if (strlen(text) >= MPI_MAX_ERROR_STRING)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: the error string is %zu "
                             "characters long (at most %d)", strlen(text),
                             MPI_MAX_ERROR_STRING - 1);
    char *t = strdup(text);
    if (!t)
        return lm_err_detail(MPI_ERR_NO_MEM, "out of memory adding an error string");
    free(u->text);
    u->text = t;
    return LM_OK;
}

int lm_err_remove(int code, bool want_class)
{
    struct user_err *u = user_entry(code);
    if (!u || (u->cls == code) != want_class)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: %d is not an error %s added by "
                             "MPI_Add_error_%s", code, want_class ? "class" : "code",
                             want_class ? "class" : "code");
    if (want_class) {
        for (int i = 0; i < ue.n; i++) {
            if (LM_ERR_USER_BASE + i != code && ue.e[i].cls == code)
                return lm_err_detail(MPI_ERR_ARG, "invalid argument: error class %d still "
                                     "has error code %d", code, LM_ERR_USER_BASE + i);
        }
    }
    free(u->text);
    u->text = NULL;
    u->cls = -1;
    while (ue.n > 0 && ue.e[ue.n - 1].cls < 0)
        ue.n--;
    return LM_OK;
}

int lm_err_remove_string(int code)
{
    struct user_err *u = user_entry(code);
    if (!u)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: errorcode = %d is not an error "
                             "class or code added by MPI_Add_error_class/code", code);
    free(u->text);
    u->text = NULL;
    return LM_OK;
}

int lm_err_last_used(void)
{
    return ue.n ? LM_ERR_USER_BASE + ue.n - 1 : MPI_ERR_LASTCODE;
}

void lm_err_finalize(void)
{
    for (int i = 0; i < ue.n; i++)
        free(ue.e[i].text);
    free(ue.e);
    memset(&ue, 0, sizeof ue);
}

int lm_err_class_of(int code)
{
    struct user_err *u = user_entry(code);
    if (u)
        return u->cls;
    if (code < 0 || code > MPI_ERR_LASTCODE)
        return -1;
    int cls = code & ((1 << LM_ERR_CLASS_BITS) - 1);
    if ((code >> LM_ERR_CLASS_BITS) > LM_ERR_SLOTS)
        return -1;
    return lm_errclass_name(cls) ? cls : -1;
}

const char *lm_err_string(int code)
{
    struct user_err *u = user_entry(code);
    if (u)
        return u->text ? u->text : "";
    int cls = lm_err_class_of(code);
    if (cls < 0)
        return NULL;
    int slot = code >> LM_ERR_CLASS_BITS;
    if (slot > 0 && err_ring[slot].code == code)
        return err_ring[slot].text;
    return lm_errclass_string(cls);
}
