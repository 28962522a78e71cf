/* pack.c - the packing API: MPI_Pack/Unpack/Pack_size in the native representation (the
 * packed bytes are exactly what a message of that type carries, so they can be sent as
 * MPI_PACKED and received with any type of the same signature, and back), and
 * MPI_Pack_external/Unpack_external/Pack_external_size for "external32". Each in int and
 * large-count (_c) form, sharing one implementation over MPI_Count. */
#include <limits.h>
#include <string.h>

#include "api/dt_api.h"

static int check_position(MPI_Count pos, MPI_Count size, const char *size_arg)
{
    if (size < 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s = %lld is negative", size_arg,
                             (long long)size);
    if (pos < 0 || pos > size)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: *position = %lld is outside the "
                             "buffer (%s = %lld)", (long long)pos, size_arg, (long long)size);
    return LM_OK;
}

/* bytes = count * per; MPI_ERR_COUNT when it does not fit */
static int total_bytes(MPI_Count count, size_t per, MPI_Count *bytes)
{
    size_t b;
    if (__builtin_mul_overflow((size_t)count, per, &b) || b > (size_t)INT64_MAX)
        return lm_err_detail(MPI_ERR_COUNT, "invalid count: %lld elements of %zu bytes "
                             "overflow", (long long)count, per);
    *bytes = (MPI_Count)b;
    return LM_OK;
}

static int check_datarep(const char *datarep)
{
    if (!datarep)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: datarep is NULL");
    if (strcmp(datarep, "external32") != 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: datarep = \"%.64s\" (the only "
                             "external data representation is \"external32\")", datarep);
    return LM_OK;
}

static int check_user_buf(const void *buf, MPI_Count count, const struct lm_datatype *t,
                          const char *arg)
{
    if (buf == NULL && count > 0 && t->size > 0 && t->true_lb == 0)
        return lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: %s is NULL with count %lld", arg,
                             (long long)count);
    return LM_OK;
}

/* ---- native ------------------------------------------------------------------------------ */

static int pack(const void *inbuf, MPI_Count incount, MPI_Datatype datatype, void *outbuf,
                MPI_Count outsize, MPI_Count *position, MPI_Comm comm, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t = NULL;
    MPI_Count need = 0;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_count_c(incount, "incount")) != LM_OK ||
        (rc = lm_check_type(datatype, &t, "datatype")) != LM_OK ||
        (rc = lm_check_ptr(position, "position")) != LM_OK ||
        (rc = check_position(*position, outsize, "outsize")) != LM_OK ||
        (rc = check_user_buf(inbuf, incount, t, "inbuf")) != LM_OK ||
        (rc = total_bytes(incount, t->size, &need)) != LM_OK)
        return lm_api_error(c, rc, fn);
    if (need > outsize - *position)
        return lm_api_error(c, lm_err_detail(MPI_ERR_TRUNCATE, "message truncated: packing "
                            "%lld bytes at position %lld overflows outsize = %lld",
                            (long long)need, (long long)*position, (long long)outsize), fn);
    if (need > 0 && !outbuf)
        return lm_api_error(c, lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: outbuf is NULL"),
                            fn);
    lm_dt_pack(t, inbuf, (size_t)incount, 0, (char *)outbuf + *position, (size_t)need);
    *position += need;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Pack(const void *inbuf, int incount, MPI_Datatype datatype, void *outbuf,
                        int outsize, int *position, MPI_Comm comm)
{
    MPI_Count pos = position ? *position : 0;
    int rc = pack(inbuf, incount, datatype, outbuf, outsize, position ? &pos : NULL, comm,
                  "MPI_Pack");
    if (rc == MPI_SUCCESS)
        *position = (int)pos; /* <= outsize */
    return rc;
}
LM_WEAK_ALIAS(Pack)

LM_EXPORT int PMPI_Pack_c(const void *inbuf, MPI_Count incount, MPI_Datatype datatype,
                          void *outbuf, MPI_Count outsize, MPI_Count *position, MPI_Comm comm)
{
    return pack(inbuf, incount, datatype, outbuf, outsize, position, comm, "MPI_Pack_c");
}
LM_WEAK_ALIAS(Pack_c)

static int unpack(const void *inbuf, MPI_Count insize, MPI_Count *position, void *outbuf,
                  MPI_Count outcount, MPI_Datatype datatype, MPI_Comm comm, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t = NULL;
    MPI_Count need = 0;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_count_c(outcount, "outcount")) != LM_OK ||
        (rc = lm_check_type(datatype, &t, "datatype")) != LM_OK ||
        (rc = lm_check_ptr(position, "position")) != LM_OK ||
        (rc = check_position(*position, insize, "insize")) != LM_OK ||
        (rc = check_user_buf(outbuf, outcount, t, "outbuf")) != LM_OK ||
        (rc = lm_dt_check_recv(t, (size_t)outcount, "datatype")) != LM_OK ||
        (rc = total_bytes(outcount, t->size, &need)) != LM_OK)
        return lm_api_error(c, rc, fn);
    if (need > insize - *position)
        return lm_api_error(c, lm_err_detail(MPI_ERR_TRUNCATE, "message truncated: unpacking "
                            "%lld bytes at position %lld reads past insize = %lld",
                            (long long)need, (long long)*position, (long long)insize), fn);
    if (need > 0 && !inbuf)
        return lm_api_error(c, lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: inbuf is NULL"),
                            fn);
    lm_dt_unpack(t, outbuf, (size_t)outcount, 0, (const char *)inbuf + *position, (size_t)need);
    *position += need;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Unpack(const void *inbuf, int insize, int *position, void *outbuf,
                          int outcount, MPI_Datatype datatype, MPI_Comm comm)
{
    MPI_Count pos = position ? *position : 0;
    int rc = unpack(inbuf, insize, position ? &pos : NULL, outbuf, outcount, datatype, comm,
                    "MPI_Unpack");
    if (rc == MPI_SUCCESS)
        *position = (int)pos;
    return rc;
}
LM_WEAK_ALIAS(Unpack)

LM_EXPORT int PMPI_Unpack_c(const void *inbuf, MPI_Count insize, MPI_Count *position,
                            void *outbuf, MPI_Count outcount, MPI_Datatype datatype,
                            MPI_Comm comm)
{
    return unpack(inbuf, insize, position, outbuf, outcount, datatype, comm, "MPI_Unpack_c");
}
LM_WEAK_ALIAS(Unpack_c)

static int pack_size(MPI_Count incount, MPI_Datatype datatype, MPI_Comm comm, MPI_Count *size,
                     const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_comm *c;
    struct lm_datatype *t;
    int rc;
    if ((rc = lm_check_comm(comm, &c, "comm")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if ((rc = lm_check_count_c(incount, "incount")) != LM_OK ||
        (rc = lm_check_type_any(datatype, &t, "datatype")) != LM_OK ||
        (rc = lm_check_ptr(size, "size")) != LM_OK ||
        (rc = total_bytes(incount, t->size, size)) != LM_OK)
        return lm_api_error(c, rc, fn);
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Pack_size(int incount, MPI_Datatype datatype, MPI_Comm comm, int *size)
{
    static const char fn[] = "MPI_Pack_size";
    MPI_Count s = 0;
    int rc = pack_size(incount, datatype, comm, size ? &s : NULL, fn);
    if (rc != MPI_SUCCESS)
        return rc;
    if (s > INT_MAX) {
        struct lm_comm *c;
        lm_check_comm(comm, &c, "comm");
        return lm_api_error(c, lm_err_detail(MPI_ERR_VALUE_TOO_LARGE, "the packed size %lld "
                            "does not fit in an int (use MPI_Pack_size_c)", (long long)s), fn);
    }
    *size = (int)s;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Pack_size)

LM_EXPORT int PMPI_Pack_size_c(MPI_Count incount, MPI_Datatype datatype, MPI_Comm comm,
                               MPI_Count *size)
{
    return pack_size(incount, datatype, comm, size, "MPI_Pack_size_c");
}
LM_WEAK_ALIAS(Pack_size_c)

/* ---- external32 -------------------------------------------------------------------------- */

static int pack_external(const char *datarep, const void *inbuf, MPI_Count incount,
                         MPI_Datatype datatype, void *outbuf, MPI_Count outsize,
                         MPI_Count *position, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t = NULL;
    MPI_Count need = 0;
    int rc;
    if ((rc = check_datarep(datarep)) != LM_OK ||
        (rc = lm_check_count_c(incount, "incount")) != LM_OK ||
        (rc = lm_check_type(datatype, &t, "datatype")) != LM_OK ||
        (rc = lm_check_ptr(position, "position")) != LM_OK ||
        (rc = check_position(*position, outsize, "outsize")) != LM_OK ||
        (rc = check_user_buf(inbuf, incount, t, "inbuf")) != LM_OK ||
        (rc = total_bytes(incount, lm_dt_external_size(t), &need)) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (need > outsize - *position)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_TRUNCATE, "message truncated: packing "
                            "%lld external32 bytes at position %lld overflows outsize = %lld",
                            (long long)need, (long long)*position, (long long)outsize), fn);
    if (need > 0 && !outbuf)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: outbuf is "
                            "NULL"), fn);
    rc = lm_dt_pack_external(t, inbuf, (size_t)incount, (char *)outbuf + *position);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *position += need;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Pack_external(const char datarep[], const void *inbuf, int incount,
                                 MPI_Datatype datatype, void *outbuf, MPI_Aint outsize,
                                 MPI_Aint *position)
{
    MPI_Count pos = position ? *position : 0;
    int rc = pack_external(datarep, inbuf, incount, datatype, outbuf, outsize,
                           position ? &pos : NULL, "MPI_Pack_external");
    if (rc == MPI_SUCCESS)
        *position = (MPI_Aint)pos;
    return rc;
}
LM_WEAK_ALIAS(Pack_external)

LM_EXPORT int PMPI_Pack_external_c(const char datarep[], const void *inbuf, MPI_Count incount,
                                   MPI_Datatype datatype, void *outbuf, MPI_Count outsize,
                                   MPI_Count *position)
{
    return pack_external(datarep, inbuf, incount, datatype, outbuf, outsize, position,
                         "MPI_Pack_external_c");
}
LM_WEAK_ALIAS(Pack_external_c)

static int unpack_external(const char *datarep, const void *inbuf, MPI_Count insize,
                           MPI_Count *position, void *outbuf, MPI_Count outcount,
                           MPI_Datatype datatype, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t = NULL;
    MPI_Count need = 0;
    int rc;
    if ((rc = check_datarep(datarep)) != LM_OK ||
        (rc = lm_check_count_c(outcount, "outcount")) != LM_OK ||
        (rc = lm_check_type(datatype, &t, "datatype")) != LM_OK ||
        (rc = lm_check_ptr(position, "position")) != LM_OK ||
        (rc = check_position(*position, insize, "insize")) != LM_OK ||
        (rc = check_user_buf(outbuf, outcount, t, "outbuf")) != LM_OK ||
        (rc = lm_dt_check_recv(t, (size_t)outcount, "datatype")) != LM_OK ||
        (rc = total_bytes(outcount, lm_dt_external_size(t), &need)) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (need > insize - *position)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_TRUNCATE, "message truncated: "
                            "unpacking %lld external32 bytes at position %lld reads past insize "
                            "= %lld", (long long)need, (long long)*position, (long long)insize),
                            fn);
    if (need > 0 && !inbuf)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_BUFFER, "invalid buffer: inbuf is "
                            "NULL"), fn);
    rc = lm_dt_unpack_external(t, (const char *)inbuf + *position, outbuf, (size_t)outcount);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *position += need;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Unpack_external(const char datarep[], const void *inbuf, MPI_Aint insize,
                                   MPI_Aint *position, void *outbuf, int outcount,
                                   MPI_Datatype datatype)
{
    MPI_Count pos = position ? *position : 0;
    int rc = unpack_external(datarep, inbuf, insize, position ? &pos : NULL, outbuf, outcount,
                             datatype, "MPI_Unpack_external");
    if (rc == MPI_SUCCESS)
        *position = (MPI_Aint)pos;
    return rc;
}
LM_WEAK_ALIAS(Unpack_external)

LM_EXPORT int PMPI_Unpack_external_c(const char datarep[], const void *inbuf, MPI_Count insize,
                                     MPI_Count *position, void *outbuf, MPI_Count outcount,
                                     MPI_Datatype datatype)
{
    return unpack_external(datarep, inbuf, insize, position, outbuf, outcount, datatype,
                           "MPI_Unpack_external_c");
}
LM_WEAK_ALIAS(Unpack_external_c)

static int pack_external_size(const char *datarep, MPI_Count incount, MPI_Datatype datatype,
                              MPI_Count *size, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc;
    if ((rc = check_datarep(datarep)) != LM_OK ||
        (rc = lm_check_count_c(incount, "incount")) != LM_OK ||
        (rc = lm_check_type_any(datatype, &t, "datatype")) != LM_OK ||
        (rc = lm_check_ptr(size, "size")) != LM_OK ||
        (rc = total_bytes(incount, lm_dt_external_size(t), size)) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Pack_external_size(const char datarep[], int incount, MPI_Datatype datatype,
                                      MPI_Aint *size)
{
    MPI_Count s = 0;
    int rc = pack_external_size(datarep, incount, datatype, size ? &s : NULL,
                                "MPI_Pack_external_size");
    if (rc == MPI_SUCCESS)
        *size = (MPI_Aint)s;
    return rc;
}
LM_WEAK_ALIAS(Pack_external_size)

LM_EXPORT int PMPI_Pack_external_size_c(const char datarep[], MPI_Count incount,
                                        MPI_Datatype datatype, MPI_Count *size)
{
    return pack_external_size(datarep, incount, datatype, size, "MPI_Pack_external_size_c");
}
LM_WEAK_ALIAS(Pack_external_size_c)
