/* type_create.c - the remaining constructors: indexed family, struct, subarray, darray,
 * resized (each in int and large-count "_c" form), the Fortran 90 parameterised types and
 * MPI_Type_match_size.
 *
 * The int forms widen their arrays to MPI_Count and share one implementation with the _c
 * forms; what is recorded for MPI_Type_get_contents is the caller's own arguments, as ints
 * and addresses for the int forms and as large counts for the _c forms. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/dt_api.h"

static int no_mem(const char *what)
{
    return lm_err_detail(MPI_ERR_NO_MEM, "out of memory creating %s", what);
}

/* ---- indexed, hindexed, indexed_block, hindexed_block ------------------------------------ */

/* displs in elements of oldtype (indexed) or bytes (hindexed); bl NULL for the _block forms,
 * which have one blocklength for all blocks. */
static int type_indexed(MPI_Count count, const MPI_Count *bl, MPI_Count blocklength,
                        const MPI_Count *displs, bool bytes, bool large, MPI_Datatype oldtype,
                        MPI_Datatype *newtype)
{
    struct lm_datatype *old, *t = NULL;
    int rc;
    if ((rc = lm_check_type_any(oldtype, &old, "oldtype")) != LM_OK ||
        (rc = lm_check_ptr(newtype, "newtype")) != LM_OK ||
        (rc = bl ? lm_check_nonneg_counts(bl, count, "array_of_blocklengths")
                 : lm_check_nonneg(blocklength, "blocklength")) != LM_OK)
        return rc;
    size_t n = (size_t)count;
    size_t *lens = malloc((n ? n : 1) * sizeof *lens);
    ptrdiff_t *d = malloc((n ? n : 1) * sizeof *d);
    size_t nints = 2 + n + (bl ? n : 0);
    int *ints = malloc(nints * sizeof *ints);
    MPI_Aint *aints = malloc((n ? n : 1) * sizeof *aints);
    MPI_Count *counts = malloc((nints) * sizeof *counts);
    if (!lens || !d || !ints || !aints || !counts) {
        rc = no_mem("an indexed datatype");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        lens[i] = (size_t)(bl ? bl[i] : blocklength);
        if (bytes)
            d[i] = (ptrdiff_t)displs[i];
        else if (__builtin_mul_overflow((ptrdiff_t)displs[i], old->extent, &d[i])) {
            rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: array_of_displacements[%zu] = "
                               "%lld times the extent %td overflows", i,
                               (long long)displs[i], old->extent);
            goto out;
        }
    }
    int comb = bytes ? (bl ? MPI_COMBINER_HINDEXED : MPI_COMBINER_HINDEXED_BLOCK)
                     : (bl ? MPI_COMBINER_INDEXED : MPI_COMBINER_INDEXED_BLOCK);
    /* the arguments as the caller gave them: count, blocklength(s), displacements */
    size_t nc = 0, ni = 0, na = 0;
    counts[nc++] = count;
    if (bl)
        for (size_t i = 0; i < n; i++)
            counts[nc++] = bl[i];
    else
        counts[nc++] = blocklength;
    size_t head = nc;
    for (size_t i = 0; i < n; i++)
        counts[nc++] = displs[i];
    if (!large) {
        for (size_t i = 0; i < (bytes ? head : nc); i++)
            ints[ni++] = (int)counts[i];
        if (bytes)
            for (size_t i = 0; i < n; i++)
                aints[na++] = (MPI_Aint)displs[i];
        nc = 0;
    }
    lm_lock();
    rc = lm_dt_hindexed(n, lens, d, old, &t);
    if (rc == LM_OK)
        rc = lm_dt_api_finish(t, comb, large, ni, ints, na, aints, nc, counts, 1, &old, newtype);
    lm_unlock();
out:
    free(lens);
    free(d);
    free(ints);
    free(aints);
    free(counts);
    return rc;
}

/* The int forms: check what cannot be widened, widen, share the rest. */
static int indexed_int(int count, bool block, const int *bl, int blocklength, bool bytes,
                       const int *idispls, const MPI_Aint *adispls, MPI_Datatype oldtype,
                       MPI_Datatype *newtype, const char *fn)
{
    LM_API_ENTER(fn);
    int rc;
    const void *displs = bytes ? (const void *)adispls : (const void *)idispls;
    if ((rc = lm_check_count(count, "count")) != LM_OK ||
        (!block && (rc = lm_check_array(bl, count, "array_of_blocklengths")) != LM_OK) ||
        (rc = lm_check_array(displs, count, "array_of_displacements")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    MPI_Count *cbl = block ? NULL : lm_counts_from_ints(bl, count);
    MPI_Count *cd = bytes ? lm_counts_from_aints(adispls, count)
                          : lm_counts_from_ints(idispls, count);
    if ((!block && !cbl) || !cd)
        rc = no_mem("an indexed datatype");
    else
        rc = type_indexed(count, cbl, blocklength, cd, bytes, false, oldtype, newtype);
    free(cbl);
    free(cd);
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}

static int indexed_c(MPI_Count count, bool block, const MPI_Count *bl, MPI_Count blocklength,
                     bool bytes, const MPI_Count *displs, MPI_Datatype oldtype,
                     MPI_Datatype *newtype, const char *fn)
{
    LM_API_ENTER(fn);
    int rc;
    if ((rc = lm_check_count_c(count, "count")) != LM_OK ||
        (!block && (rc = lm_check_array(bl, count, "array_of_blocklengths")) != LM_OK) ||
        (rc = lm_check_array(displs, count, "array_of_displacements")) != LM_OK ||
        (rc = type_indexed(count, bl, blocklength, displs, bytes, true, oldtype, newtype)) !=
            LM_OK)
        return lm_api_error(NULL, rc, fn);
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_indexed(int count, const int array_of_blocklengths[],
                                const int array_of_displacements[], MPI_Datatype oldtype,
                                MPI_Datatype *newtype)
{
    return indexed_int(count, false, array_of_blocklengths, 0, false, array_of_displacements,
                       NULL, oldtype, newtype, "MPI_Type_indexed");
}
LM_WEAK_ALIAS(Type_indexed)

LM_EXPORT int PMPI_Type_indexed_c(MPI_Count count, const MPI_Count array_of_blocklengths[],
                                  const MPI_Count array_of_displacements[],
                                  MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return indexed_c(count, false, array_of_blocklengths, 0, false, array_of_displacements,
                     oldtype, newtype, "MPI_Type_indexed_c");
}
LM_WEAK_ALIAS(Type_indexed_c)

LM_EXPORT int PMPI_Type_create_hindexed(int count, const int array_of_blocklengths[],
                                        const MPI_Aint array_of_displacements[],
                                        MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return indexed_int(count, false, array_of_blocklengths, 0, true, NULL,
                       array_of_displacements, oldtype, newtype, "MPI_Type_create_hindexed");
}
LM_WEAK_ALIAS(Type_create_hindexed)

LM_EXPORT int PMPI_Type_create_hindexed_c(MPI_Count count,
                                          const MPI_Count array_of_blocklengths[],
                                          const MPI_Count array_of_displacements[],
                                          MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return indexed_c(count, false, array_of_blocklengths, 0, true, array_of_displacements,
                     oldtype, newtype, "MPI_Type_create_hindexed_c");
}
LM_WEAK_ALIAS(Type_create_hindexed_c)

LM_EXPORT int PMPI_Type_create_indexed_block(int count, int blocklength,
                                             const int array_of_displacements[],
                                             MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return indexed_int(count, true, NULL, blocklength, false, array_of_displacements, NULL,
                       oldtype, newtype, "MPI_Type_create_indexed_block");
}
LM_WEAK_ALIAS(Type_create_indexed_block)

LM_EXPORT int PMPI_Type_create_indexed_block_c(MPI_Count count, MPI_Count blocklength,
                                               const MPI_Count array_of_displacements[],
                                               MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return indexed_c(count, true, NULL, blocklength, false, array_of_displacements, oldtype,
                     newtype, "MPI_Type_create_indexed_block_c");
}
LM_WEAK_ALIAS(Type_create_indexed_block_c)

LM_EXPORT int PMPI_Type_create_hindexed_block(int count, int blocklength,
                                              const MPI_Aint array_of_displacements[],
                                              MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return indexed_int(count, true, NULL, blocklength, true, NULL, array_of_displacements,
                       oldtype, newtype, "MPI_Type_create_hindexed_block");
}
LM_WEAK_ALIAS(Type_create_hindexed_block)

LM_EXPORT int PMPI_Type_create_hindexed_block_c(MPI_Count count, MPI_Count blocklength,
                                                const MPI_Count array_of_displacements[],
                                                MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    return indexed_c(count, true, NULL, blocklength, true, array_of_displacements, oldtype,
                     newtype, "MPI_Type_create_hindexed_block_c");
}
LM_WEAK_ALIAS(Type_create_hindexed_block_c)

/* ---- struct ------------------------------------------------------------------------------ */

static int type_struct(MPI_Count count, const MPI_Count *bl, const MPI_Count *displs,
                       const MPI_Datatype *types, bool large, MPI_Datatype *newtype)
{
    int rc;
    if ((rc = lm_check_array(types, count, "array_of_types")) != LM_OK ||
        (rc = lm_check_ptr(newtype, "newtype")) != LM_OK ||
        (rc = lm_check_nonneg_counts(bl, count, "array_of_blocklengths")) != LM_OK)
        return rc;
    size_t n = (size_t)count;
    struct lm_datatype **ts = malloc((n ? n : 1) * sizeof *ts), *t;
    size_t *lens = malloc((n ? n : 1) * sizeof *lens);
    ptrdiff_t *d = malloc((n ? n : 1) * sizeof *d);
    int *ints = malloc((n + 1) * sizeof *ints);
    MPI_Aint *aints = malloc((n ? n : 1) * sizeof *aints);
    MPI_Count *counts = malloc((2 * n + 1) * sizeof *counts);
    if (!ts || !lens || !d || !ints || !aints || !counts) {
        rc = no_mem("a struct datatype");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        char arg[48];
        snprintf(arg, sizeof arg, "array_of_types[%zu]", i);
        if ((rc = lm_check_type_any(types[i], &ts[i], arg)) != LM_OK)
            goto out;
        lens[i] = (size_t)bl[i];
        d[i] = (ptrdiff_t)displs[i];
    }
    counts[0] = count;
    ints[0] = (int)count;
    for (size_t i = 0; i < n; i++) {
        counts[1 + i] = bl[i];
        counts[1 + n + i] = displs[i];
        ints[1 + i] = (int)bl[i];
        aints[i] = (MPI_Aint)displs[i];
    }
    lm_lock();
    rc = lm_dt_struct(n, lens, d, ts, &t);
    if (rc == LM_OK)
        rc = large ? lm_dt_api_finish(t, MPI_COMBINER_STRUCT, true, 0, NULL, 0, NULL, 2 * n + 1,
                                      counts, n, ts, newtype)
                   : lm_dt_api_finish(t, MPI_COMBINER_STRUCT, false, n + 1, ints, n, aints, 0,
                                      NULL, n, ts, newtype);
    lm_unlock();
out:
    free(ts);
    free(lens);
    free(d);
    free(ints);
    free(aints);
    free(counts);
    return rc;
}

LM_EXPORT int PMPI_Type_create_struct(int count, const int array_of_blocklengths[],
                                      const MPI_Aint array_of_displacements[],
                                      const MPI_Datatype array_of_types[],
                                      MPI_Datatype *newtype)
{
    static const char fn[] = "MPI_Type_create_struct";
    LM_API_ENTER(fn);
    int rc;
    if ((rc = lm_check_count(count, "count")) != LM_OK ||
        (rc = lm_check_array(array_of_blocklengths, count, "array_of_blocklengths")) != LM_OK ||
        (rc = lm_check_array(array_of_displacements, count, "array_of_displacements")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    MPI_Count *bl = lm_counts_from_ints(array_of_blocklengths, count);
    MPI_Count *d = lm_counts_from_aints(array_of_displacements, count);
    rc = bl && d ? type_struct(count, bl, d, array_of_types, false, newtype)
                 : no_mem("a struct datatype");
    free(bl);
    free(d);
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_create_struct)

LM_EXPORT int PMPI_Type_create_struct_c(MPI_Count count, const MPI_Count array_of_blocklengths[],
                                        const MPI_Count array_of_displacements[],
                                        const MPI_Datatype array_of_types[],
                                        MPI_Datatype *newtype)
{
    static const char fn[] = "MPI_Type_create_struct_c";
    LM_API_ENTER(fn);
    int rc;
    if ((rc = lm_check_count_c(count, "count")) != LM_OK ||
        (rc = lm_check_array(array_of_blocklengths, count, "array_of_blocklengths")) != LM_OK ||
        (rc = lm_check_array(array_of_displacements, count, "array_of_displacements")) != LM_OK ||
        (rc = type_struct(count, array_of_blocklengths, array_of_displacements, array_of_types,
                          true, newtype)) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_create_struct_c)

/* ---- subarray ---------------------------------------------------------------------------- */

static int check_order(int order)
{
    if (order != MPI_ORDER_C && order != MPI_ORDER_FORTRAN)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: order = %d (must be MPI_ORDER_C "
                             "or MPI_ORDER_FORTRAN)", order);
    return LM_OK;
}

static int check_ndims(int ndims, const void *a, const void *b, const void *c)
{
    if (ndims <= 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: ndims = %d (must be positive)",
                             ndims);
    if (!a || !b || !c)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: an array argument is NULL with "
                             "ndims = %d", ndims);
    return LM_OK;
}

static int type_subarray(int ndims, const MPI_Count *sizes, const MPI_Count *subsizes,
                         const MPI_Count *starts, int order, MPI_Datatype oldtype,
                         MPI_Datatype *newtype, bool large)
{
    struct lm_datatype *old, *t;
    int rc;
    if ((rc = check_order(order)) != LM_OK ||
        (rc = lm_check_type_any(oldtype, &old, "oldtype")) != LM_OK ||
        (rc = lm_check_ptr(newtype, "newtype")) != LM_OK)
        return rc;
    size_t n = (size_t)ndims;
    size_t *s = malloc(3 * n * sizeof *s);
    int *ints = malloc((3 * n + 2) * sizeof *ints);
    MPI_Count *counts = malloc(3 * n * sizeof *counts);
    if (!s || !ints || !counts) {
        rc = no_mem("a subarray datatype");
        goto out;
    }
    for (size_t d = 0; d < n; d++) {
        if (sizes[d] <= 0 || subsizes[d] < 0 || starts[d] < 0 ||
            subsizes[d] > sizes[d] || starts[d] > sizes[d] - subsizes[d]) {
            rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: dimension %zu: size %lld, "
                               "subsize %lld, start %lld (need size > 0, subsize >= 0, "
                               "start >= 0, start + subsize <= size)", d, (long long)sizes[d],
                               (long long)subsizes[d], (long long)starts[d]);
            goto out;
        }
        s[d] = (size_t)sizes[d];
        s[n + d] = (size_t)subsizes[d];
        s[2 * n + d] = (size_t)starts[d];
        counts[d] = sizes[d];
        counts[n + d] = subsizes[d];
        counts[2 * n + d] = starts[d];
    }
    lm_lock();
    rc = lm_dt_subarray(ndims, s, s + n, s + 2 * n, order, old, &t);
    if (rc == LM_OK) {
        if (large) {
            int two[2] = {ndims, order};
            rc = lm_dt_api_finish(t, MPI_COMBINER_SUBARRAY, true, 2, two, 0, NULL, 3 * n, counts,
                                  1, &old, newtype);
        } else {
            ints[0] = ndims;
            for (size_t i = 0; i < 3 * n; i++)
                ints[1 + i] = (int)counts[i];
            ints[3 * n + 1] = order;
            rc = lm_dt_api_finish(t, MPI_COMBINER_SUBARRAY, false, 3 * n + 2, ints, 0, NULL, 0,
                                  NULL, 1, &old, newtype);
        }
    }
    lm_unlock();
out:
    free(s);
    free(ints);
    free(counts);
    return rc;
}

LM_EXPORT int PMPI_Type_create_subarray(int ndims, const int array_of_sizes[],
                                        const int array_of_subsizes[],
                                        const int array_of_starts[], int order,
                                        MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    static const char fn[] = "MPI_Type_create_subarray";
    LM_API_ENTER(fn);
    int rc = check_ndims(ndims, array_of_sizes, array_of_subsizes, array_of_starts);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    MPI_Count *a = lm_counts_from_ints(array_of_sizes, ndims);
    MPI_Count *b = lm_counts_from_ints(array_of_subsizes, ndims);
    MPI_Count *c = lm_counts_from_ints(array_of_starts, ndims);
    rc = a && b && c ? type_subarray(ndims, a, b, c, order, oldtype, newtype, false)
                     : no_mem("a subarray datatype");
    free(a);
    free(b);
    free(c);
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_create_subarray)

LM_EXPORT int PMPI_Type_create_subarray_c(int ndims, const MPI_Count array_of_sizes[],
                                          const MPI_Count array_of_subsizes[],
                                          const MPI_Count array_of_starts[], int order,
                                          MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    static const char fn[] = "MPI_Type_create_subarray_c";
    LM_API_ENTER(fn);
    int rc;
    if ((rc = check_ndims(ndims, array_of_sizes, array_of_subsizes, array_of_starts)) != LM_OK ||
        (rc = type_subarray(ndims, array_of_sizes, array_of_subsizes, array_of_starts, order,
                            oldtype, newtype, true)) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_create_subarray_c)

/* ---- darray ------------------------------------------------------------------------------ */

static int type_darray(int size, int rank, int ndims, const MPI_Count *gsizes,
                       const int *distribs, const int *dargs, const int *psizes, int order,
                       MPI_Datatype oldtype, MPI_Datatype *newtype, bool large)
{
    struct lm_datatype *old, *t;
    int rc;
    if (size <= 0)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: size = %d (must be positive)",
                             size);
    if (rank < 0 || rank >= size)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: rank = %d, but size is %d "
                             "(valid: 0..%d)", rank, size, size - 1);
    if ((rc = check_ndims(ndims, gsizes, distribs, dargs)) != LM_OK ||
        (rc = lm_check_array(psizes, ndims, "array_of_psizes")) != LM_OK ||
        (rc = check_order(order)) != LM_OK ||
        (rc = lm_check_type_any(oldtype, &old, "oldtype")) != LM_OK ||
        (rc = lm_check_ptr(newtype, "newtype")) != LM_OK)
        return rc;
    long long prod = 1;
    for (int d = 0; d < ndims; d++) {
        if (gsizes[d] <= 0)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: array_of_gsizes[%d] = %lld "
                                 "(must be positive)", d, (long long)gsizes[d]);
        if (psizes[d] <= 0)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: array_of_psizes[%d] = %d "
                                 "(must be positive)", d, psizes[d]);
        prod *= psizes[d];
        if (prod > size)
            break;
        int dist = distribs[d], darg = dargs[d];
        if (dist != MPI_DISTRIBUTE_BLOCK && dist != MPI_DISTRIBUTE_CYCLIC &&
            dist != MPI_DISTRIBUTE_NONE)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: array_of_distribs[%d] = %d "
                                 "(must be MPI_DISTRIBUTE_BLOCK, _CYCLIC or _NONE)", d, dist);
        if (darg != MPI_DISTRIBUTE_DFLT_DARG && darg <= 0)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: array_of_dargs[%d] = %d (must "
                                 "be positive or MPI_DISTRIBUTE_DFLT_DARG)", d, darg);
        if (dist == MPI_DISTRIBUTE_NONE && psizes[d] != 1)
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: dimension %d is "
                                 "MPI_DISTRIBUTE_NONE but array_of_psizes[%d] = %d (must be 1)",
                                 d, d, psizes[d]);
        if (dist == MPI_DISTRIBUTE_BLOCK && darg != MPI_DISTRIBUTE_DFLT_DARG &&
            (long long)darg * psizes[d] < gsizes[d])
            return lm_err_detail(MPI_ERR_ARG, "invalid argument: dimension %d: block size %d "
                                 "times %d processes does not cover %lld elements", d, darg,
                                 psizes[d], (long long)gsizes[d]);
    }
    if (prod != size)
        return lm_err_detail(MPI_ERR_ARG, "invalid argument: the product of array_of_psizes "
                             "is %s%lld, but size is %d", prod > size ? "at least " : "", prod,
                             size);
    size_t n = (size_t)ndims;
    size_t *g = malloc(n * sizeof *g);
    int *ints = malloc((4 * n + 4) * sizeof *ints);
    if (!g || !ints) {
        free(g);
        free(ints);
        return no_mem("a darray datatype");
    }
    for (size_t d = 0; d < n; d++)
        g[d] = (size_t)gsizes[d];
    size_t ni = 0;
    ints[ni++] = size;
    ints[ni++] = rank;
    ints[ni++] = ndims;
    if (!large)
        for (size_t d = 0; d < n; d++)
            ints[ni++] = (int)gsizes[d];
    memcpy(ints + ni, distribs, n * sizeof *ints);
    memcpy(ints + ni + n, dargs, n * sizeof *ints);
    memcpy(ints + ni + 2 * n, psizes, n * sizeof *ints);
    ni += 3 * n;
    ints[ni++] = order;
    lm_lock();
    rc = lm_dt_darray(size, rank, ndims, g, distribs, dargs, psizes, order, old, &t);
    if (rc == LM_OK)
        rc = lm_dt_api_finish(t, MPI_COMBINER_DARRAY, large, ni, ints, 0, NULL, large ? n : 0,
                              gsizes, 1, &old, newtype);
    lm_unlock();
    free(g);
    free(ints);
    return rc;
}

LM_EXPORT int PMPI_Type_create_darray(int size, int rank, int ndims, const int array_of_gsizes[],
                                      const int array_of_distribs[], const int array_of_dargs[],
                                      const int array_of_psizes[], int order,
                                      MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    static const char fn[] = "MPI_Type_create_darray";
    LM_API_ENTER(fn);
    int rc = check_ndims(ndims, array_of_gsizes, array_of_distribs, array_of_dargs);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    MPI_Count *g = lm_counts_from_ints(array_of_gsizes, ndims);
    rc = g ? type_darray(size, rank, ndims, g, array_of_distribs, array_of_dargs,
                         array_of_psizes, order, oldtype, newtype, false)
           : no_mem("a darray datatype");
    free(g);
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_create_darray)

LM_EXPORT int PMPI_Type_create_darray_c(int size, int rank, int ndims,
                                        const MPI_Count array_of_gsizes[],
                                        const int array_of_distribs[],
                                        const int array_of_dargs[], const int array_of_psizes[],
                                        int order, MPI_Datatype oldtype, MPI_Datatype *newtype)
{
    static const char fn[] = "MPI_Type_create_darray_c";
    LM_API_ENTER(fn);
    int rc = type_darray(size, rank, ndims, array_of_gsizes, array_of_distribs, array_of_dargs,
                         array_of_psizes, order, oldtype, newtype, true);
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_create_darray_c)

/* ---- resized ----------------------------------------------------------------------------- */

static int type_resized(MPI_Datatype oldtype, MPI_Count lb, MPI_Count extent,
                        MPI_Datatype *newtype, bool large, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *old, *t;
    int rc;
    if ((rc = lm_check_type_any(oldtype, &old, "oldtype")) != LM_OK ||
        (rc = lm_check_ptr(newtype, "newtype")) != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_dt_resized(old, (ptrdiff_t)lb, (ptrdiff_t)extent, &t);
    if (rc == LM_OK) {
        MPI_Aint a[2] = {(MPI_Aint)lb, (MPI_Aint)extent};
        MPI_Count c[2] = {lb, extent};
        rc = lm_dt_api_finish(t, MPI_COMBINER_RESIZED, large, 0, NULL, large ? 0 : 2, a,
                              large ? 2 : 0, c, 1, &old, newtype);
    }
    lm_unlock();
    return rc != LM_OK ? lm_api_error(NULL, rc, fn) : MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_create_resized(MPI_Datatype oldtype, MPI_Aint lb, MPI_Aint extent,
                                       MPI_Datatype *newtype)
{
    return type_resized(oldtype, lb, extent, newtype, false, "MPI_Type_create_resized");
}
LM_WEAK_ALIAS(Type_create_resized)

LM_EXPORT int PMPI_Type_create_resized_c(MPI_Datatype oldtype, MPI_Count lb, MPI_Count extent,
                                         MPI_Datatype *newtype)
{
    return type_resized(oldtype, lb, extent, newtype, true, "MPI_Type_create_resized_c");
}
LM_WEAK_ALIAS(Type_create_resized_c)

/* ---- Fortran 90 parameterised types, match_size ------------------------------------------ */

static int type_f90(int combiner, int p, int r, MPI_Datatype *newtype, const char *fn)
{
    LM_API_ENTER(fn);
    struct lm_datatype *t;
    int rc = lm_check_ptr(newtype, "newtype");
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    lm_lock();
    rc = lm_dt_f90(combiner, p, r, &t);
    lm_unlock();
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    *newtype = t->handle;
    return MPI_SUCCESS;
}

LM_EXPORT int PMPI_Type_create_f90_integer(int r, MPI_Datatype *newtype)
{
    return type_f90(MPI_COMBINER_F90_INTEGER, MPI_UNDEFINED, r, newtype,
                    "MPI_Type_create_f90_integer");
}
LM_WEAK_ALIAS(Type_create_f90_integer)

LM_EXPORT int PMPI_Type_create_f90_real(int p, int r, MPI_Datatype *newtype)
{
    return type_f90(MPI_COMBINER_F90_REAL, p, r, newtype, "MPI_Type_create_f90_real");
}
LM_WEAK_ALIAS(Type_create_f90_real)

LM_EXPORT int PMPI_Type_create_f90_complex(int p, int r, MPI_Datatype *newtype)
{
    return type_f90(MPI_COMBINER_F90_COMPLEX, p, r, newtype, "MPI_Type_create_f90_complex");
}
LM_WEAK_ALIAS(Type_create_f90_complex)

LM_EXPORT int PMPI_Type_match_size(int typeclass, int size, MPI_Datatype *datatype)
{
    static const char fn[] = "MPI_Type_match_size";
    LM_API_ENTER(fn);
    int rc = lm_check_ptr(datatype, "datatype");
    if (rc == LM_OK && typeclass != MPI_TYPECLASS_INTEGER && typeclass != MPI_TYPECLASS_REAL &&
        typeclass != MPI_TYPECLASS_COMPLEX && typeclass != MPIX_TYPECLASS_LOGICAL)
        rc = lm_err_detail(MPI_ERR_ARG, "invalid argument: typeclass = %d (must be "
                           "MPI_TYPECLASS_INTEGER, _REAL or _COMPLEX)", typeclass);
    if (rc != LM_OK)
        return lm_api_error(NULL, rc, fn);
    struct lm_datatype *t = size > 0 ? lm_dt_match_size(typeclass, (size_t)size) : NULL;
    if (!t)
        return lm_api_error(NULL, lm_err_detail(MPI_ERR_ARG, "invalid argument: no predefined "
                            "%s type of size %d", typeclass == MPI_TYPECLASS_INTEGER ? "integer"
                            : typeclass == MPI_TYPECLASS_REAL ? "real"
                            : typeclass == MPI_TYPECLASS_COMPLEX ? "complex" : "logical",
                            size), fn);
    *datatype = t->handle;
    return MPI_SUCCESS;
}
LM_WEAK_ALIAS(Type_match_size)
