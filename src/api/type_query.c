/* type_query.c - decoding (MPI_Type_get_envelope/contents and their _c forms), type names,
 * and address arithmetic (MPI_Get_address, MPI_Aint_add/diff).
 *
 * A type built by a large-count constructor records its counts as MPI_Count; the int forms
 * of the decoding calls cannot return those and say MPI_ERR_TYPE (use the _c forms). The
 * datatypes returned by get_contents are the very objects used, retained: the caller frees
 * them like new types; predefined ones come back as their constants. */
#include <limits.h>
#include <string.h>

#include "api/dt_api.h"

static int envelope(MPI_Datatype datatype, MPI_Count *ni, MPI_Count *na, MPI_Count *nc,
                    MPI_Count *nd, int *combiner, bool c, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK && (!ni || !na || (c && !nc) || !nd || !combiner))
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: an output argument is NULL");
    if (rc == LM_OK && !c && t->large)
        rc = lm_err_detail(MPI_ERR_TYPE, "invalid datatype: it was built by a large-count "
                           "constructor; decode it with MPI_Type_get_envelope_c");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    const struct lm_dt_contents *k = t->contents;
    *ni = k ? (MPI_Count)k->ni : 0;
    *na = k ? (MPI_Count)k->na : 0;
    if (nc)
        *nc = k ? (MPI_Count)k->nc : 0;
    *nd = k ? (MPI_Count)k->nd : 0;
    *combiner = t->combiner;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_get_envelope(MPI_Datatype datatype, int *num_integers,
                                     int *num_addresses, int *num_datatypes, int *combiner)
{
    MPI_Count ni = 0, na = 0, nd = 0;
    int rc = envelope(datatype, num_integers ? &ni : NULL, num_addresses ? &na : NULL, NULL,
                      num_datatypes ? &nd : NULL, combiner, false, "MPI_Type_get_envelope");
    if (rc == MPI_SUCCESS) {
        *num_integers = (int)ni;
        *num_addresses = (int)na;
        *num_datatypes = (int)nd;
    }
    return rc;
}
LM_WEAK_ALIAS(Type_get_envelope)

LM_EXPORT int PMPI_Type_get_envelope_c(MPI_Datatype datatype, MPI_Count *num_integers,
                                       MPI_Count *num_addresses, MPI_Count *num_large_counts,
                                       MPI_Count *num_datatypes, int *combiner)
{
    return envelope(datatype, num_integers, num_addresses, num_large_counts, num_datatypes,
                    combiner, true, "MPI_Type_get_envelope_c");
}
LM_WEAK_ALIAS(Type_get_envelope_c)

static int too_small(const char *arg, MPI_Count max, size_t need)
{
    return lm_err_detail(MPI_ERR_ARG, "invalid argument: %s = %lld, but the datatype has %zu "
                         "(see MPI_Type_get_envelope)", arg, (long long)max, need);
}

static int contents(MPI_Datatype datatype, MPI_Count max_i, MPI_Count max_a, MPI_Count max_c,
                    MPI_Count max_d, int *ints, MPI_Aint *aints, MPI_Count *counts,
                    MPI_Datatype *types, bool c, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    const struct lm_dt_contents *k = t->contents;
    if (!k)
        rc = lm_err_detail(MPI_ERR_TYPE, "invalid datatype: %s is a named predefined datatype, "
                           "which has no contents", lm_dt_get_name(t));
    else if (!c && t->large)
        rc = lm_err_detail(MPI_ERR_TYPE, "invalid datatype: it was built by a large-count "
                           "constructor; decode it with MPI_Type_get_contents_c");
    else if (max_i < (MPI_Count)k->ni)
        rc = too_small("max_integers", max_i, k->ni);
    else if (max_a < (MPI_Count)k->na)
        rc = too_small("max_addresses", max_a, k->na);
    else if (max_c < (MPI_Count)k->nc)
        rc = too_small("max_large_counts", max_c, k->nc);
    else if (max_d < (MPI_Count)k->nd)
        rc = too_small("max_datatypes", max_d, k->nd);
    else if ((k->ni && !ints) || (k->na && !aints) || (k->nc && !counts) || (k->nd && !types))
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: an output array is NULL");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    if (k->ni)
        memcpy(ints, k->ints, k->ni * sizeof *ints);
    if (k->na)
        memcpy(aints, k->aints, k->na * sizeof *aints);
    if (k->nc)
        memcpy(counts, k->counts, k->nc * sizeof *counts);
    lm_lock();
    for (size_t i = 0; i < k->nd; i++) {
        lm_dt_retain(k->types[i]);
        types[i] = k->types[i]->handle;
    }
    lm_unlock();
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_get_contents(MPI_Datatype datatype, int max_integers, int max_addresses,
                                     int max_datatypes, int array_of_integers[],
                                     MPI_Aint array_of_addresses[],
                                     MPI_Datatype array_of_datatypes[])
{
    return contents(datatype, max_integers, max_addresses, 0, max_datatypes, array_of_integers,
                    array_of_addresses, NULL, array_of_datatypes, false,
                    "MPI_Type_get_contents");
}
LM_WEAK_ALIAS(Type_get_contents)

LM_EXPORT int PMPI_Type_get_contents_c(MPI_Datatype datatype, MPI_Count max_integers,
                                       MPI_Count max_addresses, MPI_Count max_large_counts,
                                       MPI_Count max_datatypes, int array_of_integers[],
                                       MPI_Aint array_of_addresses[],
                                       MPI_Count array_of_large_counts[],
                                       MPI_Datatype array_of_datatypes[])
{
    return contents(datatype, max_integers, max_addresses, max_large_counts, max_datatypes,
                    array_of_integers, array_of_addresses, array_of_large_counts,
                    array_of_datatypes, true, "MPI_Type_get_contents_c");
}
LM_WEAK_ALIAS(Type_get_contents_c)

/* ---- names ------------------------------------------------------------------------------- */

LM_EXPORT int PMPI_Type_set_name(MPI_Datatype datatype, const char *type_name)
{
    static const char fn[] = "MPI_Type_set_name";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK)
        rc = lm_check_ptr(type_name, "type_name");
    if (rc == LM_OK) {
        lm_lock();
        rc = lm_dt_set_name(t, type_name);
        lm_unlock();
    }
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_set_name)

LM_EXPORT int PMPI_Type_get_name(MPI_Datatype datatype, char *type_name, int *resultlen)
{
    static const char fn[] = "MPI_Type_get_name";
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_type_any(datatype, &t, "datatype");
    if (rc == LM_OK)
        rc = lm_check_ptr(type_name, "type_name");
    if (rc == LM_OK)
        rc = lm_check_ptr(resultlen, "resultlen");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    const char *name = lm_dt_get_name(t);
    size_t len = strnlen(name, MPI_MAX_OBJECT_NAME - 1);
    memcpy(type_name, name, len);
    type_name[len] = '\0';
    lm_unlock();
    *resultlen = (int)len;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_get_name)

/* ---- addresses --------------------------------------------------------------------------- */

LM_EXPORT int PMPI_Get_address(const void *location, MPI_Aint *address)
{
    static const char fn[] = "MPI_Get_address";
    LM_API_ENTER(fn);
    int rc = lm_check_ptr(address, "address");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *address = (MPI_Aint)(intptr_t)location;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Get_address)

/* Address arithmetic on absolute addresses (MPI_BOTTOM-relative buffers): plain integer
 * arithmetic on MPI_Aint here, where addresses are intptr_t. */
LM_EXPORT MPI_Aint PMPI_Aint_add(MPI_Aint base, MPI_Aint disp)
{
    return (MPI_Aint)((uintptr_t)base + (uintptr_t)disp);
}
LM_WEAK_ALIAS(Aint_add)

LM_EXPORT MPI_Aint PMPI_Aint_diff(MPI_Aint addr1, MPI_Aint addr2)
{
    return (MPI_Aint)((uintptr_t)addr1 - (uintptr_t)addr2);
}
LM_WEAK_ALIAS(Aint_diff)
