/* op.c - reduction operation handles (MPI_Op_create/free/commutative) and
 * MPI_Reduce_local. The ops themselves live in src/coll/ops.c. */
#include "api/api.h"
#include "coll/coll.h"

int lm_check_op(MPI_Op h, struct lm_op **out, const char *arg)
{
    struct lm_op *op = NULL;
    if (h == MPI_OP_NULL) {
        *out = NULL;
        return lm_err_detail(MPI_ERR_OP, "invalid op: %s is MPI_OP_NULL", arg);
    }
    if (lm_is_builtin(h))
        op = lm_op_builtin(h);
    else if (((struct lm_op *)h)->magic == LM_MAGIC_OP)
        op = (struct lm_op *)h;
    *out = op;
    if (!op)
        return lm_err_detail(MPI_ERR_OP, "invalid op: %s = %p is not an op (freed, or never "
                             "created)", arg, (void *)h);
    return LM_OK;
}

static int create(MPI_User_function *fn, MPI_User_function_c *fn_c, int commute, MPI_Op *op,
                  const char *call)
{
    LM_API_ENTER(call);
    if (!fn && !fn_c)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "user_fn is NULL"), call);
    if (!op)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "op is NULL"), call);
    struct lm_op *o;
    lm_lock();
    int rc = lm_op_create(fn, fn_c, commute != 0, &o);
    lm_unlock();
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, call);
    *op = o->handle;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Op_create(MPI_User_function *user_fn, int commute, MPI_Op *op)
{
    return create(user_fn, NULL, commute, op, "MPI_Op_create");
}
LM_WEAK_ALIAS(Op_create)

LM_EXPORT int PMPI_Op_create_c(MPI_User_function_c *user_fn, int commute, MPI_Op *op)
{
    return create(NULL, user_fn, commute, op, "MPI_Op_create_c");
}
LM_WEAK_ALIAS(Op_create_c)

LM_EXPORT int PMPI_Op_free(MPI_Op *op)
{
    static const char fn[] = "MPI_Op_free";
    LM_API_ENTER(fn);
    struct lm_op *o;
    if (!op)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "op is NULL"), fn);
    int rc = lm_check_op(*op, &o, "*op");
    if (rc == LM_OK && o->predefined)
        rc = lm_err_detail(MPI_ERR_OP, "invalid op: %s is predefined and cannot be freed",
                           o->name);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    lm_op_release(o);  /* pending collectives hold their own references */
    lm_unlock();
    *op = MPI_OP_NULL;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Op_free)

LM_EXPORT int PMPI_Op_commutative(MPI_Op op, int *commute)
{
    static const char fn[] = "MPI_Op_commutative";
    LM_API_ENTER(fn);
    struct lm_op *o;
    int rc = lm_check_op(op, &o, "op");
    if (rc == LM_OK && !commute)
        rc = lm_err_detail(MPI_ERR_ARG, "commute is NULL");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *commute = o->commutative;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Op_commutative)

static int reduce_local(const void *inbuf, void *inoutbuf, MPI_Count count,
                        MPI_Datatype datatype, MPI_Op op, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    struct lm_op *o;
    int rc = LM_OK;
    if (count < 0)
        rc = lm_err_detail(MPI_ERR_COUNT, "invalid count: count = %lld is negative",
                           (long long)count);
    if (rc == LM_OK &&
        (rc = lm_check_type(datatype, &t, "datatype")) == LM_OK &&
        (rc = lm_check_op(op, &o, "op")) == LM_OK && (rc = lm_op_check(o, t)) == LM_OK) {
        if (inbuf == MPI_IN_PLACE || inoutbuf == MPI_IN_PLACE)
            rc = lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: MPI_IN_PLACE is not allowed "
                               "in MPI_Reduce_local");
        else if ((rc = lm_check_buf(inbuf, count > 0, t, "inbuf")) == LM_OK)
            rc = lm_check_buf(inoutbuf, count > 0, t, "inoutbuf");
    }
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_op_reduce_local(inbuf, inoutbuf, (size_t)count, t, o);
    lm_unlock();
    return rc == LM_OK ? MPI_SUCCESS : lm_api_error(NULL, rc, fn);
}

LM_EXPORT int PMPI_Reduce_local(const void *inbuf, void *inoutbuf, int count,
                                MPI_Datatype datatype, MPI_Op op)
{
    return reduce_local(inbuf, inoutbuf, count, datatype, op, "MPI_Reduce_local");
}
LM_WEAK_ALIAS(Reduce_local)

LM_EXPORT int PMPI_Reduce_local_c(const void *inbuf, void *inoutbuf, MPI_Count count,
                                  MPI_Datatype datatype, MPI_Op op)
{
    return reduce_local(inbuf, inoutbuf, count, datatype, op, "MPI_Reduce_local_c");
}
LM_WEAK_ALIAS(Reduce_local_c)
