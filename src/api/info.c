/* info.c - the info calls: create/create_env, set/get/get_string/get_valuelen, delete,
 * dup, free, get_nkeys/get_nthkey, over core/info.c.
 *
 * Keys must be 1..MPI_MAX_INFO_KEY-1 characters (MPI_ERR_INFO_KEY), values shorter than
 * MPI_MAX_INFO_VAL (MPI_ERR_INFO_VALUE); keys and values are taken verbatim, spaces
 * included. MPI_INFO_ENV is a predefined object that can be read (and, like any info,
 * modified) but not freed. */
#include <string.h>

#include "api/api.h"

int lm_check_info(MPI_Info h, struct lm_info **out, bool null_ok, const char *arg)
{
    *out = NULL;
    if (h == MPI_INFO_NULL) {
        if (null_ok)
            return LM_OK;
        return lm_err_detail(MPI_ERR_INFO, "invalid info: %s is MPI_INFO_NULL", arg);
    }
    if (h == MPI_INFO_ENV) {
        lm_lock();
        *out = lm_info_env();
        lm_unlock();
        return *out ? LM_OK : lm_err_detail(MPI_ERR_NO_MEM, "out of memory building "
                                            "MPI_INFO_ENV");
    }
    if (lm_is_builtin(h) || ((struct lm_info *)h)->magic != LM_MAGIC_INFO)
        return lm_err_detail(MPI_ERR_INFO, "invalid info: %s = %p is not an info object "
                             "(freed, or never created)", arg, (void *)h);
    *out = (struct lm_info *)h;
    return LM_OK;
}

static int check_value(const char *value, const char *arg)
{
    if (!value)
        return lm_err_detail(MPI_ERR_INFO_VALUE, "invalid info value: %s is NULL", arg);
    size_t len = strlen(value);
    if (len >= MPI_MAX_INFO_VAL)
        return lm_err_detail(MPI_ERR_INFO_VALUE, "invalid info value: %s is %zu characters "
                             "long (at most %d)", arg, len, MPI_MAX_INFO_VAL - 1);
    return LM_OK;
}

LM_EXPORT int PMPI_Info_create(MPI_Info *info)
{
    static const char fn[] = "MPI_Info_create";
    LM_API_ENTER(fn);
    struct lm_info *i;
    int rc = lm_check_ptr(info, "info");
    if (rc == LM_OK) {
        lm_lock();
        rc = lm_info_create(&i);
        lm_unlock();
    }
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *info = i->handle;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Info_create)

LM_EXPORT int PMPI_Info_create_env(int argc, char *argv[], MPI_Info *info)
{
    static const char fn[] = "MPI_Info_create_env";
    /* Allowed before MPI_Init (MPI-4 11.4.3): no LM_API_ENTER. argc/argv may be the
     * program's or NULL; the values come from the process itself either way. */
    (void)argc;
    (void)argv;
    struct lm_info *i;
    int rc = lm_check_ptr(info, "info");
    if (rc == LM_OK) {
        lm_lock();
        rc = lm_info_create_env(&i);
        lm_unlock();
    }
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *info = i->handle;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Info_create_env)

LM_EXPORT int PMPI_Info_set(MPI_Info info, const char *key, const char *value)
{
    static const char fn[] = "MPI_Info_set";
    LM_API_ENTER(fn);
    struct lm_info *i;
    int rc;
    if ((rc = lm_check_info(info, &i, false, "info")) == LM_OK &&
        (rc = lm_info_check_key(key, "key")) == LM_OK &&
        (rc = check_value(value, "value")) == LM_OK) {
        lm_lock();
        rc = lm_info_set(i, key, value);
        lm_unlock();
    }
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Info_set)

LM_EXPORT int PMPI_Info_delete(MPI_Info info, const char *key)
{
    static const char fn[] = "MPI_Info_delete";
    LM_API_ENTER(fn);
    struct lm_info *i;
    int rc;
    if ((rc = lm_check_info(info, &i, false, "info")) == LM_OK &&
        (rc = lm_info_check_key(key, "key")) == LM_OK) {
        lm_lock();
        rc = lm_info_delete(i, key);
        lm_unlock();
    }
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Info_delete)

LM_EXPORT int PMPI_Info_get(MPI_Info info, const char *key, int valuelen, char *value,
                            int *flag)
{
    static const char fn[] = "MPI_Info_get";
    LM_API_ENTER(fn);
    struct lm_info *i;
    int rc;
    if ((rc = lm_check_info(info, &i, false, "info")) != LM_OK ||
        (rc = lm_info_check_key(key, "key")) != LM_OK ||
        (rc = lm_check_ptr(flag, "flag")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (valuelen < 0)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "invalid argument: valuelen = %d "
                            "is negative", valuelen), fn);
    lm_lock();
    const char *v = lm_info_get(i, key);
    *flag = v != NULL;
    if (v && value) {
        /* At most valuelen characters, then the terminator (value holds valuelen + 1). */
        size_t n = strnlen(v, (size_t)valuelen);
        memcpy(value, v, n);
        value[n] = '\0';
    }
    lm_unlock();
    if (v && !value)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "invalid argument: value is "
                            "NULL"), fn);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Info_get)

LM_EXPORT int PMPI_Info_get_string(MPI_Info info, const char *key, int *buflen, char *value,
                                   int *flag)
{
    static const char fn[] = "MPI_Info_get_string";
    LM_API_ENTER(fn);
    struct lm_info *i;
    int rc;
    if ((rc = lm_check_info(info, &i, false, "info")) != LM_OK ||
        (rc = lm_info_check_key(key, "key")) != LM_OK ||
        (rc = lm_check_ptr(buflen, "buflen")) != LM_OK ||
        (rc = lm_check_ptr(flag, "flag")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (*buflen < 0)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "invalid argument: *buflen = %d "
                            "is negative", *buflen), fn);
    if (*buflen > 0 && !value)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "invalid argument: value is NULL "
                            "with *buflen = %d", *buflen), fn);
    lm_lock();
    const char *v = lm_info_get(i, key);
    *flag = v != NULL;
    if (v) {
        /* Copy what fits (terminated), and say how much the whole value needs. */
        size_t len = strlen(v);
        if (*buflen > 0) {
            size_t n = len < (size_t)*buflen - 1 ? len : (size_t)*buflen - 1;
            memcpy(value, v, n);
            value[n] = '\0';
        }
        *buflen = (int)len + 1;
    }
    lm_unlock();
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Info_get_string)

LM_EXPORT int PMPI_Info_get_valuelen(MPI_Info info, const char *key, int *valuelen, int *flag)
{
    static const char fn[] = "MPI_Info_get_valuelen";
    LM_API_ENTER(fn);
    struct lm_info *i;
    int rc;
    if ((rc = lm_check_info(info, &i, false, "info")) != LM_OK ||
        (rc = lm_info_check_key(key, "key")) != LM_OK ||
        (rc = lm_check_ptr(valuelen, "valuelen")) != LM_OK ||
        (rc = lm_check_ptr(flag, "flag")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    const char *v = lm_info_get(i, key);
    *flag = v != NULL;
    if (v)
        *valuelen = (int)strlen(v);
    lm_unlock();
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Info_get_valuelen)

LM_EXPORT int PMPI_Info_get_nkeys(MPI_Info info, int *nkeys)
{
    static const char fn[] = "MPI_Info_get_nkeys";
    LM_API_ENTER(fn);
    struct lm_info *i;
    int rc;
    if ((rc = lm_check_info(info, &i, false, "info")) != LM_OK ||
        (rc = lm_check_ptr(nkeys, "nkeys")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    *nkeys = i->n;
    lm_unlock();
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Info_get_nkeys)

LM_EXPORT int PMPI_Info_get_nthkey(MPI_Info info, int n, char *key)
{
    static const char fn[] = "MPI_Info_get_nthkey";
    LM_API_ENTER(fn);
    struct lm_info *i;
    int rc;
    if ((rc = lm_check_info(info, &i, false, "info")) != LM_OK ||
        (rc = lm_check_ptr(key, "key")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    if (n < 0 || n >= i->n)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: n = %d, but the info object has "
                           "%d key%s", n, i->n, i->n == 1 ? "" : "s");
    else
        memcpy(key, i->e[n].key, strlen(i->e[n].key) + 1);
    lm_unlock();
    return lm_api_error(NULL, rc, fn);
}
LM_WEAK_ALIAS(Info_get_nthkey)

LM_EXPORT int PMPI_Info_dup(MPI_Info info, MPI_Info *newinfo)
{
    static const char fn[] = "MPI_Info_dup";
    LM_API_ENTER(fn);
    struct lm_info *i, *n;
    int rc;
    if ((rc = lm_check_info(info, &i, false, "info")) != LM_OK ||
        (rc = lm_check_ptr(newinfo, "newinfo")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_info_dup(i, &n);
    lm_unlock();
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *newinfo = n->handle;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Info_dup)

LM_EXPORT int PMPI_Info_free(MPI_Info *info)
{
    static const char fn[] = "MPI_Info_free";
    LM_API_ENTER(fn);
    struct lm_info *i;
    int rc;
    if ((rc = lm_check_ptr(info, "info")) != LM_OK ||
        (rc = lm_check_info(*info, &i, false, "*info")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (*info == MPI_INFO_ENV)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_INFO, "invalid info: MPI_INFO_ENV is "
                            "predefined and cannot be freed"), fn);
    lm_lock();
    lm_info_free(i);
    lm_unlock();
    *info = MPI_INFO_NULL;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Info_free)
