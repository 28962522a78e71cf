/* attr.c - attribute caching: keyvals with copy/delete callbacks, and per-object lists.
 *
 * One store serves every object kind that caches attributes (communicators, datatypes,
 * windows): a keyval records the kind it was made for and its callbacks; an object holds a
 * `struct lm_attr_list *` (NULL when it has no attribute) and passes its handle, which is
 * what callbacks receive. Lists keep attributes in the order they were set, so MPI_Comm_dup
 * copies in that order and deletion runs in reverse (MPI_Finalize deletes MPI_COMM_SELF's
 * attributes "in the reverse order that they were set").
 *
 * Keyvals are small integers (LM_KEYVAL_BASE + slot) so a stale or foreign value is caught
 * with a bounds check; a slot is reused once the keyval is freed and no attribute uses it
 * (MPI_*_free_keyval only marks it: existing attributes keep their callbacks).
 *
 * Callbacks are user code that may call MPI, so they run with the library lock released;
 * the list and keyval table are only touched with the lock held. The predefined callbacks
 * are the ABI's sentinels 0 (do nothing) and 1 (copy the value), never called.
 *
 * Predefined communicator attributes (MPI_TAG_UB ... MPI_LASTUSEDCODE) are answered on
 * every communicator, read-only.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define LM_KEYVAL_BASE 0x10000

/* The ABI's callback sentinels. */
#define FN_NULL ((void (*)(void))0)
#define FN_DUP ((void (*)(void))1)

struct keyval {
    enum lm_obj_kind kind;   /* LM_OBJ_NONE: free slot */
    bool freed;              /* the user freed it; attributes may still use it */
    int refs;                /* user handle (until freed) + attributes using it */
    void (*copy_fn)(void);
    void (*delete_fn)(void);
    void *extra;
};

struct attr {
    int keyval;
    void *value;
};

struct lm_attr_list {
    int n, cap;
    struct attr a[];
};

static struct {
    struct keyval *kv;
    int n, cap;
    int free_hint;
} kvt;

static int tag_ub = LM_TAG_UB, host = MPI_PROC_NULL, io = MPI_ANY_SOURCE, wtime_global = 0;
static int universe, appnum, lastused;

static const char *kind_name(enum lm_obj_kind kind)
{
    switch (kind) {
    case LM_OBJ_COMM: return "communicator";
    case LM_OBJ_TYPE: return "datatype";
    case LM_OBJ_WIN: return "window";
    default: return "object";
    }
}

static bool is_predefined_comm(int keyval)
{
    return keyval >= MPI_TAG_UB && keyval <= MPI_LASTUSEDCODE;
}

static bool is_predefined(int keyval)
{
    return is_predefined_comm(keyval) || (keyval >= MPI_WIN_BASE && keyval <= MPI_WIN_MODEL);
}

/* The keyval behind an integer, checked against the kind. Lock held. */
static int lookup(enum lm_obj_kind kind, int keyval, struct keyval **out)
{
    int slot = keyval - LM_KEYVAL_BASE;
    if (keyval == MPI_KEYVAL_INVALID)
        return lm_err_detail(MPI_ERR_KEYVAL, "invalid keyval: MPI_KEYVAL_INVALID");
    if (is_predefined(keyval)) {
        enum lm_obj_kind owner = is_predefined_comm(keyval) ? LM_OBJ_COMM : LM_OBJ_WIN;
        if (owner != kind)
            return lm_err_detail(MPI_ERR_KEYVAL, "invalid keyval: %d is a predefined %s "
                                 "attribute key, not one for a %s", keyval, kind_name(owner),
                                 kind_name(kind));
        return lm_err_detail(MPI_ERR_KEYVAL, "invalid keyval: %d is a predefined attribute "
                             "key, which cannot be set, deleted or freed", keyval);
    }
    if (slot < 0 || slot >= kvt.n || kvt.kv[slot].kind == LM_OBJ_NONE)
        return lm_err_detail(MPI_ERR_KEYVAL, "invalid keyval: %d is not a keyval (freed, or "
                             "never created)", keyval);
    if (kvt.kv[slot].kind != kind)
        return lm_err_detail(MPI_ERR_KEYVAL, "invalid keyval: %d was created for a %s, not a "
                             "%s", keyval, kind_name(kvt.kv[slot].kind), kind_name(kind));
    *out = &kvt.kv[slot];
    return LM_OK;
}

static void keyval_unref(int keyval)
{
    struct keyval *k = &kvt.kv[keyval - LM_KEYVAL_BASE];
    if (--k->refs == 0) {
        k->kind = LM_OBJ_NONE;
        if (keyval - LM_KEYVAL_BASE < kvt.free_hint)
            kvt.free_hint = keyval - LM_KEYVAL_BASE;
    }
}

int lm_keyval_create(enum lm_obj_kind kind, void (*copy_fn)(void), void (*delete_fn)(void),
                     void *extra_state, int *keyval)
{
    lm_lock();
    int slot = kvt.free_hint;
    while (slot < kvt.n && kvt.kv[slot].kind != LM_OBJ_NONE)
        slot++;
    if (slot == kvt.n) {
        if (kvt.n == kvt.cap) {
            int cap = kvt.cap ? kvt.cap * 2 : 16;
            struct keyval *kv = realloc(kvt.kv, sizeof *kv * (size_t)cap);
            if (!kv) {
                lm_unlock();
                return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating a keyval");
            }
            kvt.kv = kv;
            kvt.cap = cap;
        }
        kvt.n++;
    }
    kvt.kv[slot] = (struct keyval){.kind = kind, .refs = 1, .copy_fn = copy_fn,
                                   .delete_fn = delete_fn, .extra = extra_state};
    kvt.free_hint = slot + 1;
    *keyval = LM_KEYVAL_BASE + slot;
    lm_unlock();
    return LM_OK;
}

int lm_keyval_free(enum lm_obj_kind kind, int *keyval)
{
    struct keyval *k;
    lm_lock();
    int rc = lookup(kind, *keyval, &k);
    if (rc == LM_OK && k->freed)
        rc = lm_err_detail(MPI_ERR_KEYVAL, "invalid keyval: %d was already freed", *keyval);
    if (rc == LM_OK) {
        k->freed = true;
        keyval_unref(*keyval);
        *keyval = MPI_KEYVAL_INVALID;
    }
    lm_unlock();
    return rc;
}

static int find(const struct lm_attr_list *l, int keyval)
{
    for (int i = 0; l && i < l->n; i++)
        if (l->a[i].keyval == keyval)
            return i;
    return -1;
}

static void remove_at(struct lm_attr_list *l, int i)
{
    memmove(&l->a[i], &l->a[i + 1], sizeof l->a[0] * (size_t)(l->n - i - 1));
    l->n--;
}

static int append(struct lm_attr_list **list, int keyval, void *value)
{
    struct lm_attr_list *l = *list;
    if (!l || l->n == l->cap) {
        int cap = l ? l->cap * 2 : 4;
        struct lm_attr_list *nl = realloc(l, sizeof *nl + sizeof nl->a[0] * (size_t)cap);
        if (!nl)
            return lm_err_detail(MPI_ERR_NO_MEM, "out of memory caching an attribute");
        if (!l)
            nl->n = 0;
        nl->cap = cap;
        *list = l = nl;
    }
    l->a[l->n++] = (struct attr){keyval, value};
    return LM_OK;
}

/* Runs a delete callback (lock released around it). Returns its result. */
static int call_delete(enum lm_obj_kind kind, const struct keyval *k, void *handle, int keyval,
                       void *value)
{
    if (k->delete_fn == FN_NULL)
        return MPI_SUCCESS;
    void (*fn)(void) = k->delete_fn;
    void *extra = k->extra;
    int rc;
    lm_unlock();
    switch (kind) {
    case LM_OBJ_COMM:
        rc = ((MPI_Comm_delete_attr_function *)fn)((MPI_Comm)handle, keyval, value, extra);
        break;
    case LM_OBJ_TYPE:
        rc = ((MPI_Type_delete_attr_function *)fn)((MPI_Datatype)handle, keyval, value, extra);
        break;
    case LM_OBJ_WIN:
        rc = ((MPI_Win_delete_attr_function *)fn)((MPI_Win)handle, keyval, value, extra);
        break;
    default:
        rc = MPI_ERR_INTERN;
    }
    lm_lock();
    return rc;
}

static int call_copy(enum lm_obj_kind kind, const struct keyval *k, void *handle, int keyval,
                     void *in, void **out, int *flag)
{
    *flag = 0;
    if (k->copy_fn == FN_NULL)
        return MPI_SUCCESS;
    if (k->copy_fn == FN_DUP) {
        *out = in;
        *flag = 1;
        return MPI_SUCCESS;
    }
    void (*fn)(void) = k->copy_fn;
    void *extra = k->extra;
    int rc;
    lm_unlock();
    switch (kind) {
    case LM_OBJ_COMM:
        rc = ((MPI_Comm_copy_attr_function *)fn)((MPI_Comm)handle, keyval, extra, in, out, flag);
        break;
    case LM_OBJ_TYPE:
        rc = ((MPI_Type_copy_attr_function *)fn)((MPI_Datatype)handle, keyval, extra, in, out,
                                                 flag);
        break;
    case LM_OBJ_WIN:
        rc = ((MPI_Win_copy_attr_function *)fn)((MPI_Win)handle, keyval, extra, in, out, flag);
        break;
    default:
        rc = MPI_ERR_INTERN;
    }
    lm_lock();
    return rc;
}

int lm_attr_set(enum lm_obj_kind kind, void *handle, struct lm_attr_list **list, int keyval,
                void *value)
{
    struct keyval *k;
    lm_lock();
    int rc = lookup(kind, keyval, &k);
    if (rc == LM_OK && k->freed)
        rc = lm_err_detail(MPI_ERR_KEYVAL, "invalid keyval: %d was freed", keyval);
    if (rc != LM_OK) {
        lm_unlock();
        return rc;
    }
    int i = find(*list, keyval);
    if (i >= 0) {
        /* Replacing a value deletes the old one first (if that fails nothing changes); the
         * attribute keeps its place in the order of setting, as in MPICH. */
        k->refs++; /* keep k alive across the callback */
        rc = call_delete(kind, k, handle, keyval, (*list)->a[i].value);
        keyval_unref(keyval);
        i = find(*list, keyval);   /* the callback may have changed the list */
        if (rc == MPI_SUCCESS && i >= 0)
            (*list)->a[i].value = value;
        if (rc != MPI_SUCCESS || i >= 0) {
            lm_unlock();
            return rc;
        }
    }
    rc = append(list, keyval, value);
    if (rc == LM_OK)
        kvt.kv[keyval - LM_KEYVAL_BASE].refs++;
    lm_unlock();
    return rc;
}

/* Predefined communicator attributes: pointers to ints that stay valid. */
static bool predefined_comm_value(int keyval, void **value)
{
    switch (keyval) {
    case MPI_TAG_UB:
        *value = &tag_ub;
        return true;
    case MPI_HOST:
        *value = &host;
        return true;
    case MPI_IO:
        *value = &io;
        return true;
    case MPI_WTIME_IS_GLOBAL:
        *value = &wtime_global;
        return true;
    case MPI_UNIVERSE_SIZE:
        universe = lm_proc.pmi.universe_size;
        *value = &universe;
        return universe > 0;
    case MPI_APPNUM:
        appnum = lm_proc.pmi.appnum;
        *value = &appnum;
        return appnum >= 0;
    case MPI_LASTUSEDCODE:
        lastused = lm_err_last_used();
        *value = &lastused;
        return true;
    }
    return false;
}

int lm_attr_get(enum lm_obj_kind kind, struct lm_attr_list **list, int keyval, void **value,
                bool *found)
{
    struct keyval *k;
    *found = false;
    if (kind == LM_OBJ_COMM && is_predefined_comm(keyval)) {
        lm_lock();
        *found = predefined_comm_value(keyval, value);
        lm_unlock();
        return LM_OK;
    }
    lm_lock();
    int rc = lookup(kind, keyval, &k);
    if (rc == LM_OK) {
        int i = find(*list, keyval);
        if (i >= 0) {
            *value = (*list)->a[i].value;
            *found = true;
        }
    }
    lm_unlock();
    return rc;
}

int lm_attr_delete(enum lm_obj_kind kind, void *handle, struct lm_attr_list **list,
                   int keyval)
{
    struct keyval *k;
    lm_lock();
    int rc = lookup(kind, keyval, &k);
    int i = rc == LM_OK ? find(*list, keyval) : -1;
    /* Deleting an attribute that is not there is not an error (MPICH agrees). */
    if (rc == LM_OK && i >= 0) {
        k->refs++;
        rc = call_delete(kind, k, handle, keyval, (*list)->a[i].value);
        keyval_unref(keyval);
        if (rc == MPI_SUCCESS && (i = find(*list, keyval)) >= 0) {
            remove_at(*list, i);
            keyval_unref(keyval);
        }
    }
    lm_unlock();
    return rc;
}

int lm_attr_delete_all(enum lm_obj_kind kind, void *handle, struct lm_attr_list **list)
{
    int rc = LM_OK;
    lm_lock();
    /* Newest first; a failing callback stops the walk and leaves that attribute and the
     * older ones in place. */
    while (*list && (*list)->n > 0) {
        struct attr a = (*list)->a[(*list)->n - 1];
        struct keyval *k = &kvt.kv[a.keyval - LM_KEYVAL_BASE];
        k->refs++;
        rc = call_delete(kind, k, handle, a.keyval, a.value);
        keyval_unref(a.keyval);
        if (rc != MPI_SUCCESS)
            break;
        int i = find(*list, a.keyval);
        if (i >= 0) {
            remove_at(*list, i);
            keyval_unref(a.keyval);
        }
    }
    if (rc == LM_OK && *list) {
        free(*list);
        *list = NULL;
    }
    lm_unlock();
    return rc;
}

int lm_attr_copy_all(enum lm_obj_kind kind, void *old_handle, struct lm_attr_list **from,
                     void *new_handle, struct lm_attr_list **to)
{
    int rc = LM_OK;
    lm_lock();
    /* Walk by position over a list the callbacks may change: re-find each time. */
    for (int i = 0; *from && i < (*from)->n; i++) {
        struct attr a = (*from)->a[i];
        struct keyval *k = &kvt.kv[a.keyval - LM_KEYVAL_BASE];
        void *out = NULL;
        int flag = 0;
        k->refs++;
        rc = call_copy(kind, k, old_handle, a.keyval, a.value, &out, &flag);
        if (rc == MPI_SUCCESS && flag)
            rc = append(to, a.keyval, out);
        else
            keyval_unref(a.keyval);
        if (rc != MPI_SUCCESS)
            break;
        int j = find(*from, a.keyval);
        if (j >= 0)
            i = j;
    }
    lm_unlock();
    if (rc != MPI_SUCCESS) {
        /* The new object is not born: undo what was copied. */
        lm_attr_delete_all(kind, new_handle, to);
        lm_lock();
        lm_attr_list_free(to);
        lm_unlock();
    }
    return rc;
}

void lm_attr_list_free(struct lm_attr_list **list)
{
    if (!*list)
        return;
    for (int i = 0; i < (*list)->n; i++)
        keyval_unref((*list)->a[i].keyval);
    free(*list);
    *list = NULL;
}

void lm_attr_finalize(void)
{
    free(kvt.kv);
    memset(&kvt, 0, sizeof kvt);
}
