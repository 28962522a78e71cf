/* attr/attr: attribute caching on communicators and datatypes.
 *
 * Callbacks append to a log, so the test checks who was called, with what, in which order:
 *   - MPI_Comm_dup calls each keyval's copy callback (in some order) with the OLD
 *     communicator, the keyval, its extra_state and the value; the new communicator holds
 *     what the callback gave back when it set flag, nothing otherwise; MPI_COMM_DUP_FN
 *     copies the value, MPI_COMM_NULL_COPY_FN copies nothing;
 *   - setting a key again calls the delete callback on the old value first, and keeps the
 *     attribute's place in the order of setting;
 *   - deleting an attribute that is not set is not an error;
 *   - MPI_Comm_free calls the delete callbacks in the reverse order of setting;
 *   - a freed keyval keeps working for the attributes that use it;
 *   - a failing copy callback makes MPI_Comm_dup fail (and return MPI_COMM_NULL), a failing
 *     delete callback makes MPI_Comm_free and MPI_Comm_delete_attr fail;
 *   - predefined attributes: MPI_TAG_UB >= 32767, MPI_HOST, MPI_IO, MPI_WTIME_IS_GLOBAL,
 *     MPI_UNIVERSE_SIZE >= size, MPI_APPNUM 0 (first app), MPI_LASTUSEDCODE follows
 *     MPI_Add_error_class; they cannot be set or deleted (MPI_ERR_KEYVAL);
 *   - datatypes: the same on a derived type (MPI_Type_free calls delete) and MPI_INT;
 *   - the deprecated MPI_Keyval_create / MPI_Attr_put / _get / _delete.
 * (MPICH 4.0 accepts a freed keyval and a double free, then asserts at MPI_Finalize.) */
#include "../common.h"

#define LOGMAX 64
static struct ev {
    char kind;      /* 'c' copy, 'd' delete */
    int keyval;
    void *obj;      /* handle as a pointer */
    void *value;
    void *extra;
} elog[LOGMAX];
static int nlog, fail_copy, fail_delete;

static void record(char kind, int keyval, void *obj, void *value, void *extra)
{
    if (nlog < LOGMAX)
        elog[nlog++] = (struct ev){kind, keyval, obj, value, extra};
}

static int copy_plus1(MPI_Comm c, int kv, void *extra, void *in, void *out, int *flag)
{
    record('c', kv, (void *)c, in, extra);
    if (fail_copy)
        return MPI_ERR_OTHER;
    *(void **)out = (char *)in + 1;
    *flag = 1;
    return MPI_SUCCESS;
}

static int copy_none(MPI_Comm c, int kv, void *extra, void *in, void *out, int *flag)
{
    record('c', kv, (void *)c, in, extra);
    (void)out;
    *flag = 0;
    return MPI_SUCCESS;
}

static int del(MPI_Comm c, int kv, void *value, void *extra)
{
    record('d', kv, (void *)c, value, extra);
    return fail_delete ? MPI_ERR_OTHER : MPI_SUCCESS;
}

static int type_copy(MPI_Datatype t, int kv, void *extra, void *in, void *out, int *flag)
{
    record('c', kv, (void *)t, in, extra);
    *(void **)out = in;
    *flag = 1;
    return MPI_SUCCESS;
}

static int type_del(MPI_Datatype t, int kv, void *value, void *extra)
{
    record('d', kv, (void *)t, value, extra);
    return MPI_SUCCESS;
}

static void expect_ev(int i, char kind, int keyval, void *obj, void *value, void *extra,
                      const char *what)
{
    TM_CHECK(i < nlog, "%s: event %d missing (%d logged)", what, i, nlog);
    if (i >= nlog)
        return;
    struct ev *e = &elog[i];
    TM_CHECK(e->kind == kind && e->keyval == keyval && e->obj == obj && e->value == value &&
             e->extra == extra, "%s: event %d is (%c kv %d obj %p val %p extra %p), expected "
             "(%c kv %d obj %p val %p extra %p)", what, i, e->kind, e->keyval, e->obj, e->value,
             e->extra, kind, keyval, obj, value, extra);
}

static void expect_attr(MPI_Comm c, int kv, int present, void *value, const char *what)
{
    void *v = NULL;
    int flag = -1;
    int rc = MPI_Comm_get_attr(c, kv, &v, &flag);
    TM_CHECK(rc == MPI_SUCCESS && flag == present && (!present || v == value),
             "%s: get_attr rc %d flag %d value %p, expected flag %d value %p", what, rc, flag,
             v, present, value);
}

static void expect_class(int rc, int cls, const char *what)
{
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == cls, "%s returned %d (class %d), "
             "expected class %d", what, rc, tm_errclass(rc), cls);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    static char v1[4], v2[4], v3[4], v4[4], x1, x2, x3, x4;
    int k1, k2, k3, k4, flag;
    MPI_Comm a, b;

    TM_CHECK_RC(MPI_Comm_create_keyval(copy_plus1, del, &k1, &x1), "create_keyval k1");
    MPI_Comm_create_keyval(copy_none, del, &k2, &x2);
    MPI_Comm_create_keyval(MPI_COMM_DUP_FN, del, &k3, &x3);
    MPI_Comm_create_keyval(MPI_COMM_NULL_COPY_FN, MPI_COMM_NULL_DELETE_FN, &k4, &x4);
    TM_CHECK(k1 != k2 && k2 != k3 && k3 != k4 && k1 != MPI_KEYVAL_INVALID,
             "keyvals are not distinct: %d %d %d %d", k1, k2, k3, k4);

    MPI_Comm_dup(MPI_COMM_WORLD, &a);
    expect_attr(a, k1, 0, NULL, "unset k1");
    MPI_Comm_set_attr(a, k1, v1);
    MPI_Comm_set_attr(a, k2, v2);
    MPI_Comm_set_attr(a, k3, v3);
    MPI_Comm_set_attr(a, k4, v4);
    expect_attr(a, k1, 1, v1, "k1 on a");
    expect_attr(a, k4, 1, v4, "k4 on a");
    TM_CHECK(nlog == 0, "setting new attributes called %d callbacks", nlog);

    /* dup: copies in the order of setting, with the old comm */
    TM_CHECK_RC(MPI_Comm_dup(a, &b), "MPI_Comm_dup with attributes");
    if (nlog == 2 && elog[0].keyval == k2) { /* copy order is not specified */
        struct ev t = elog[0];
        elog[0] = elog[1];
        elog[1] = t;
    }
    expect_ev(0, 'c', k1, (void *)a, v1, &x1, "dup copy k1");
    expect_ev(1, 'c', k2, (void *)a, v2, &x2, "dup copy k2");
    TM_CHECK(nlog == 2, "dup: %d callbacks, expected 2 (the predefined ones are not called)",
             nlog);
    expect_attr(b, k1, 1, v1 + 1, "k1 copied by copy_plus1");
    expect_attr(b, k2, 0, NULL, "k2 (flag 0) not copied");
    expect_attr(b, k3, 1, v3, "k3 copied by MPI_COMM_DUP_FN");
    expect_attr(b, k4, 0, NULL, "k4 (MPI_COMM_NULL_COPY_FN) not copied");
    expect_attr(a, k1, 1, v1, "k1 on a after dup");

    /* set again: delete on the old value, then the new one is there */
    nlog = 0;
    MPI_Comm_set_attr(b, k1, v2);
    expect_ev(0, 'd', k1, (void *)b, v1 + 1, &x1, "replace k1 on b");
    expect_attr(b, k1, 1, v2, "k1 on b replaced");

    /* delete_attr */
    nlog = 0;
    TM_CHECK_RC(MPI_Comm_delete_attr(b, k3), "delete_attr k3");
    expect_ev(0, 'd', k3, (void *)b, v3, &x3, "delete_attr k3");
    expect_attr(b, k3, 0, NULL, "k3 after delete");

    /* a freed keyval still serves its attributes */
    int k1_saved = k1;
    TM_CHECK_RC(MPI_Comm_free_keyval(&k1), "free_keyval k1");
    TM_CHECK(k1 == MPI_KEYVAL_INVALID, "free_keyval did not set MPI_KEYVAL_INVALID");
    expect_attr(a, k1_saved, 1, v1, "k1 on a after freeing the keyval");

    /* free: delete callbacks newest first. b holds k1 only (k3 was deleted). */
    nlog = 0;
    MPI_Comm bh = b;
    TM_CHECK_RC(MPI_Comm_free(&b), "free b");
    expect_ev(0, 'd', k1_saved, (void *)bh, v2, &x1, "free b: k1");
    TM_CHECK(nlog == 1, "free b: %d callbacks", nlog);
    /* a: k1, k2, k3 (k4 has the null delete): deleted k3, k2, k1 */
    nlog = 0;
    MPI_Comm ah = a;
    TM_CHECK_RC(MPI_Comm_free(&a), "free a");
    expect_ev(0, 'd', k3, (void *)ah, v3, &x3, "free a: k3 first");
    expect_ev(1, 'd', k2, (void *)ah, v2, &x2, "free a: then k2");
    expect_ev(2, 'd', k1_saved, (void *)ah, v1, &x1, "free a: then k1");
    TM_CHECK(nlog == 3, "free a: %d callbacks", nlog);

    /* failing callbacks */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_create_keyval(copy_plus1, del, &k1, &x1);
    MPI_Comm_dup(MPI_COMM_WORLD, &a);
    MPI_Comm_set_attr(a, k1, v1);
    fail_copy = 1;
    b = MPI_COMM_WORLD;
    int rc = MPI_Comm_dup(a, &b);
    expect_class(rc, MPI_ERR_OTHER, "dup with a failing copy callback");
    TM_CHECK(b == MPI_COMM_NULL, "failed dup did not return MPI_COMM_NULL");
    fail_copy = 0;
    fail_delete = 1;
    rc = MPI_Comm_delete_attr(a, k1);
    expect_class(rc, MPI_ERR_OTHER, "delete_attr with a failing callback");
    expect_attr(a, k1, 1, v1, "attribute after a failed delete");
    rc = MPI_Comm_free(&a);
    expect_class(rc, MPI_ERR_OTHER, "free with a failing delete callback");
    TM_CHECK(a != MPI_COMM_NULL, "failed free set MPI_COMM_NULL");
    fail_delete = 0;
    int ring = 0;
    MPI_Sendrecv(&tm_rank, 1, MPI_INT, (tm_rank + 1) % tm_size, 0, &ring, 1, MPI_INT,
                 (tm_rank + tm_size - 1) % tm_size, 0, a, MPI_STATUS_IGNORE);
    TM_CHECK(ring == (tm_rank + tm_size - 1) % tm_size, "comm unusable after a failed free");
    TM_CHECK_RC(MPI_Comm_free(&a), "free after fixing the callback");

    /* bad keyvals */
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    expect_class(MPI_Comm_set_attr(MPI_COMM_WORLD, MPI_TAG_UB, v1), MPI_ERR_KEYVAL,
                 "set_attr(MPI_TAG_UB)");
    expect_class(MPI_Comm_delete_attr(MPI_COMM_WORLD, MPI_HOST), MPI_ERR_KEYVAL,
                 "delete_attr(MPI_HOST)");
    TM_CHECK_RC(MPI_Comm_delete_attr(MPI_COMM_WORLD, k1), "delete_attr of a key not set");
    expect_class(MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_KEYVAL_INVALID, &ring, &flag),
                 MPI_ERR_KEYVAL, "get_attr(MPI_KEYVAL_INVALID)");
    int tk;
    MPI_Type_create_keyval(MPI_TYPE_NULL_COPY_FN, MPI_TYPE_NULL_DELETE_FN, &tk, NULL);
    expect_class(MPI_Comm_set_attr(MPI_COMM_WORLD, tk, v1), MPI_ERR_KEYVAL,
                 "a datatype keyval on a communicator");
    expect_class(MPI_Type_set_attr(MPI_INT, k1, v1), MPI_ERR_KEYVAL,
                 "a communicator keyval on a datatype");
    int dead = k1;
    MPI_Comm_free_keyval(&k1);
    expect_class(MPI_Comm_set_attr(MPI_COMM_WORLD, dead, v1), MPI_ERR_KEYVAL,
                 "set_attr with a freed keyval");
    expect_class(MPI_Comm_free_keyval(&dead), MPI_ERR_KEYVAL, "freeing a keyval twice");
    int pre = MPI_TAG_UB;
    expect_class(MPI_Comm_free_keyval(&pre), MPI_ERR_KEYVAL, "freeing MPI_TAG_UB");
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);

    /* predefined attributes */
    int *ip = NULL;
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &ip, &flag);
    TM_CHECK(flag && ip && *ip >= 32767, "MPI_TAG_UB: flag %d value %d", flag, ip ? *ip : -1);
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_HOST, &ip, &flag);
    TM_CHECK(flag && (*ip == MPI_PROC_NULL || (*ip >= 0 && *ip < tm_size)), "MPI_HOST: %d",
             flag ? *ip : -1);
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_IO, &ip, &flag);
    TM_CHECK(flag && (*ip == MPI_ANY_SOURCE || *ip == MPI_PROC_NULL ||
                      (*ip >= 0 && *ip < tm_size)), "MPI_IO: %d", flag ? *ip : -1);
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_WTIME_IS_GLOBAL, &ip, &flag);
    TM_CHECK(!flag || *ip == 0 || *ip == 1, "MPI_WTIME_IS_GLOBAL: %d", *ip);
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_UNIVERSE_SIZE, &ip, &flag);
    TM_CHECK(!flag || *ip >= tm_size, "MPI_UNIVERSE_SIZE: %d", flag ? *ip : -1);
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_APPNUM, &ip, &flag);
    TM_CHECK(!flag || *ip == 0, "MPI_APPNUM: %d", flag ? *ip : -1);
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_LASTUSEDCODE, &ip, &flag);
    TM_CHECK(flag && *ip >= MPI_ERR_LASTCODE, "MPI_LASTUSEDCODE: flag %d, %d", flag,
             flag ? *ip : -1);
    int cls;
    MPI_Add_error_class(&cls);
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_LASTUSEDCODE, &ip, &flag);
    TM_CHECK(flag && *ip >= cls, "MPI_LASTUSEDCODE %d after adding class %d", *ip, cls);
    MPI_Comm_dup(MPI_COMM_WORLD, &a);
    MPI_Comm_get_attr(a, MPI_TAG_UB, &ip, &flag);
    TM_CHECK(flag && *ip >= 32767, "MPI_TAG_UB on a duplicate: flag %d", flag);
    MPI_Comm_free(&a);

    /* datatypes */
    MPI_Datatype t, td;
    MPI_Type_contiguous(3, MPI_INT, &t);
    MPI_Type_commit(&t);
    int tk2;
    TM_CHECK_RC(MPI_Type_create_keyval(type_copy, type_del, &tk2, &x2), "Type_create_keyval");
    nlog = 0;
    TM_CHECK_RC(MPI_Type_set_attr(t, tk2, v1), "Type_set_attr");
    TM_CHECK_RC(MPI_Type_set_attr(MPI_INT, tk2, v2), "Type_set_attr on MPI_INT");
    void *vp = NULL;
    MPI_Type_get_attr(t, tk2, &vp, &flag);
    TM_CHECK(flag && vp == v1, "Type_get_attr: flag %d", flag);
    MPI_Type_get_attr(MPI_INT, tk2, &vp, &flag);
    TM_CHECK(flag && vp == v2, "Type_get_attr on MPI_INT: flag %d", flag);
    MPI_Type_get_attr(MPI_DOUBLE, tk2, &vp, &flag);
    TM_CHECK(!flag, "MPI_DOUBLE has an attribute it was never given");
    td = t;
    MPI_Type_set_attr(t, tk, v3);  /* null callbacks */
    TM_CHECK_RC(MPI_Type_free(&t), "Type_free with attributes");
    expect_ev(0, 'd', tk2, (void *)td, v1, &x2, "Type_free runs delete");
    TM_CHECK(nlog == 1, "Type_free: %d callbacks", nlog);
    nlog = 0;
    TM_CHECK_RC(MPI_Type_delete_attr(MPI_INT, tk2), "Type_delete_attr on MPI_INT");
    expect_ev(0, 'd', tk2, (void *)MPI_INT, v2, &x2, "Type_delete_attr");
    MPI_Type_free_keyval(&tk2);
    MPI_Type_free_keyval(&tk);
    TM_CHECK(tk == MPI_KEYVAL_INVALID, "Type_free_keyval did not invalidate");

    /* deprecated names */
    int ok;
    TM_CHECK_RC(MPI_Keyval_create(MPI_DUP_FN, MPI_NULL_DELETE_FN, &ok, NULL), "Keyval_create");
    MPI_Comm_dup(MPI_COMM_WORLD, &a);
    TM_CHECK_RC(MPI_Attr_put(a, ok, v4), "Attr_put");
    MPI_Comm_dup(a, &b);
    vp = NULL;
    MPI_Attr_get(b, ok, &vp, &flag);
    TM_CHECK(flag && vp == v4, "Attr_get after MPI_DUP_FN: flag %d", flag);
    TM_CHECK_RC(MPI_Attr_delete(b, ok), "Attr_delete");
    MPI_Attr_get(b, ok, &vp, &flag);
    TM_CHECK(!flag, "Attr_get after Attr_delete: flag %d", flag);
    MPI_Comm_free(&b);
    MPI_Comm_free(&a);
    TM_CHECK_RC(MPI_Keyval_free(&ok), "Keyval_free");

    MPI_Comm_free_keyval(&k2);
    MPI_Comm_free_keyval(&k3);
    MPI_Comm_free_keyval(&k4);
    return tm_finish();
}
