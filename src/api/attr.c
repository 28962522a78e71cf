/* attr.c - attribute caching calls for communicators and datatypes: keyval creation and
 * freeing, set/get/delete, and the deprecated MPI-1 names (MPI_Keyval_create, MPI_Attr_*),
 * all over the generic store in core/attr.c. Window attributes come with windows.
 *
 * The store runs callbacks with the library lock released, so these calls do not take it
 * themselves. */
#include "api/api.h"

static int create_keyval(enum lm_obj_kind kind, void (*copy)(void), void (*del)(void),
                         int *keyval, void *extra, const char *fn)
{
    LM_API_ENTER(fn);
    int rc = lm_check_ptr(keyval, "keyval");
    if (rc == LM_OK)
        rc = lm_keyval_create(kind, copy, del, extra, keyval);
    return lm_api_error(NULL, rc, fn);
}

static int free_keyval(enum lm_obj_kind kind, int *keyval, const char *fn)
{
    LM_API_ENTER(fn);
    int rc = lm_check_ptr(keyval, "keyval");
    if (rc == LM_OK)
        rc = lm_keyval_free(kind, keyval);
    return lm_api_error(NULL, rc, fn);
}

/* ---- communicators ------------------------------------------------------------------------- */

LM_EXPORT int PMPI_Comm_create_keyval(MPI_Comm_copy_attr_function *comm_copy_attr_fn,
                                      MPI_Comm_delete_attr_function *comm_delete_attr_fn,
                                      int *comm_keyval, void *extra_state)
{
    return create_keyval(LM_OBJ_COMM, (void (*)(void))comm_copy_attr_fn,
                         (void (*)(void))comm_delete_attr_fn, comm_keyval, extra_state,
                         "MPI_Comm_create_keyval");
}
LM_WEAK_ALIAS(Comm_create_keyval)

LM_EXPORT int PMPI_Comm_free_keyval(int *comm_keyval)
{
    return free_keyval(LM_OBJ_COMM, comm_keyval, "MPI_Comm_free_keyval");
}
LM_WEAK_ALIAS(Comm_free_keyval)

static int comm_set(MPI_Comm comm, int keyval, void *value, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    rc = lm_attr_set(LM_OBJ_COMM, (void *)c->handle, &c->attrs, keyval, value);
    return lm_api_error(c, rc, fn);
}

static int comm_get(MPI_Comm comm, int keyval, void *value, int *flag, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_ptr(value, "attribute_val")) != LM_OK ||
        (rc = lm_check_ptr(flag, "flag")) != LM_OK)
        return lm_api_error(c, rc, fn);
    bool found;
    void *v;
    rc = lm_attr_get(LM_OBJ_COMM, &c->attrs, keyval, &v, &found);
    if (rc != LM_OK)
        return lm_api_error(c, rc, fn);
    *flag = found;
    if (found)
        *(void **)value = v;
    return MPI_SUCCESS;
}

static int comm_delete(MPI_Comm comm, int keyval, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c;
    int rc = lm_check_comm(comm, &c, "comm");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    rc = lm_attr_delete(LM_OBJ_COMM, (void *)c->handle, &c->attrs, keyval);
    return lm_api_error(c, rc, fn);
}

LM_EXPORT int PMPI_Comm_set_attr(MPI_Comm comm, int comm_keyval, void *attribute_val)
{
    return comm_set(comm, comm_keyval, attribute_val, "MPI_Comm_set_attr");
}
LM_WEAK_ALIAS(Comm_set_attr)

LM_EXPORT int PMPI_Comm_get_attr(MPI_Comm comm, int comm_keyval, void *attribute_val,
                                 int *flag)
{
    return comm_get(comm, comm_keyval, attribute_val, flag, "MPI_Comm_get_attr");
}
LM_WEAK_ALIAS(Comm_get_attr)

LM_EXPORT int PMPI_Comm_delete_attr(MPI_Comm comm, int comm_keyval)
{
    return comm_delete(comm, comm_keyval, "MPI_Comm_delete_attr");
}
LM_WEAK_ALIAS(Comm_delete_attr)

/* ---- the deprecated MPI-1 names (communicators) ------------------------------------------- */

LM_EXPORT int PMPI_Keyval_create(MPI_Copy_function *copy_fn, MPI_Delete_function *delete_fn,
                                 int *keyval, void *extra_state)
{
    /* MPI_Copy_function has the same parameters as MPI_Comm_copy_attr_function. */
    return create_keyval(LM_OBJ_COMM, (void (*)(void))copy_fn, (void (*)(void))delete_fn,
                         keyval, extra_state, "MPI_Keyval_create");
}
LM_WEAK_ALIAS(Keyval_create)

LM_EXPORT int PMPI_Keyval_free(int *keyval)
{
    return free_keyval(LM_OBJ_COMM, keyval, "MPI_Keyval_free");
}
LM_WEAK_ALIAS(Keyval_free)

LM_EXPORT int PMPI_Attr_put(MPI_Comm comm, int keyval, void *attribute_val)
{
    return comm_set(comm, keyval, attribute_val, "MPI_Attr_put");
}
LM_WEAK_ALIAS(Attr_put)

LM_EXPORT int PMPI_Attr_get(MPI_Comm comm, int keyval, void *attribute_val, int *flag)
{
    return comm_get(comm, keyval, attribute_val, flag, "MPI_Attr_get");
}
LM_WEAK_ALIAS(Attr_get)

LM_EXPORT int PMPI_Attr_delete(MPI_Comm comm, int keyval)
{
    return comm_delete(comm, keyval, "MPI_Attr_delete");
}
LM_WEAK_ALIAS(Attr_delete)

/* ---- datatypes ------------------------------------------------------------------------------ */

LM_EXPORT int PMPI_Type_create_keyval(MPI_Type_copy_attr_function *type_copy_attr_fn,
                                      MPI_Type_delete_attr_function *type_delete_attr_fn,
                                      int *type_keyval, void *extra_state)
{
    return create_keyval(LM_OBJ_TYPE, (void (*)(void))type_copy_attr_fn,
                         (void (*)(void))type_delete_attr_fn, type_keyval, extra_state,
                         "MPI_Type_create_keyval");
}
LM_WEAK_ALIAS(Type_create_keyval)

LM_EXPORT int PMPI_Type_free_keyval(int *type_keyval)
{
    return free_keyval(LM_OBJ_TYPE, type_keyval, "MPI_Type_free_keyval");
}
LM_WEAK_ALIAS(Type_free_keyval)

LM_EXPORT int PMPI_Type_set_attr(MPI_Datatype datatype, int type_keyval, void *attribute_val)
{
    static const char fn[] = "MPI_Type_set_attr";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK)
        rc = lm_attr_set(LM_OBJ_TYPE, (void *)t->handle, &t->attrs, type_keyval,
                         attribute_val);
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Type_set_attr)

LM_EXPORT int PMPI_Type_get_attr(MPI_Datatype datatype, int type_keyval, void *attribute_val,
                                 int *flag)
{
    static const char fn[] = "MPI_Type_get_attr";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    bool found = false;
    void *v;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK && (rc = lm_check_ptr(attribute_val, "attribute_val")) == LM_OK &&
        (rc = lm_check_ptr(flag, "flag")) == LM_OK)
        rc = lm_attr_get(LM_OBJ_TYPE, &t->attrs, type_keyval, &v, &found);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *flag = found;
    if (found)
        *(void **)attribute_val = v;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_get_attr)

LM_EXPORT int PMPI_Type_delete_attr(MPI_Datatype datatype, int type_keyval)
{
    static const char fn[] = "MPI_Type_delete_attr";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK)
        rc = lm_attr_delete(LM_OBJ_TYPE, (void *)t->handle, &t->attrs, type_keyval);
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Type_delete_attr)
