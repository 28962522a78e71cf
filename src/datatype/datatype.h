/* datatype.h - the datatype engine: type maps, their compiled layout, pack/unpack, element
 * signatures and external32.
 *
 * Every type (predefined or built by a constructor) carries three things:
 *   - its bounds and size (MPI lb/extent, true lb/extent, data bytes);
 *   - a layout program (struct lm_dt_node, layout.c): a small tree whose leaves are lists
 *     of contiguous byte blocks (offset, length) and whose inner nodes repeat children at a
 *     stride ("count copies every stride bytes") or list them at displacements. Adjacent
 *     blocks are merged and small irregular trees are flattened to one block list; regular
 *     repetitions stay loops, so a vector of 10^7 blocks is one node, not 10^7 records;
 *   - an element signature (struct lm_dt_sig, signature.c): the sequence of basic types in
 *     type-map order, run-length encoded the same way, for MPI_Get_elements and external32.
 * pack/unpack (pack.c) walk the packed byte stream of `count` elements and are resumable at
 * any byte, so rendezvous fragments, pipelines and file views can start mid-element.
 * Contiguous types skip all of this: lm_dt_contig_base gives their single run of bytes.
 *
 * Constructors build everything eagerly (the tree of a child type is shared, refcounted),
 * so commit only adds the receive-overlap analysis. What built a type (combiner and
 * arguments) is kept separately for MPI_Type_get_envelope/contents.
 */
#ifndef LM_DATATYPE_H
#define LM_DATATYPE_H

#include <mpi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

struct lm_attr_list;
struct lm_dt_node;
struct lm_dt_sig;

struct lm_dt_block {
    ptrdiff_t off;   /* from the origin of the element */
    size_t len;
};

/* Arguments of the constructor call that built a type (MPI_Type_get_contents). */
struct lm_dt_contents {
    size_t ni, na, nc, nd;
    int *ints;
    MPI_Aint *aints;
    MPI_Count *counts;
    struct lm_datatype **types;   /* retained */
};

/* external32 conversion of a basic type (external32.c). */
enum lm_dt_xkind {
    LM_DTX_SWAP,     /* same size, byte order reversed per unit (1-byte units: copy) */
    LM_DTX_SINT,     /* signed integer of another width (MPI_LONG: 8 native, 4 external) */
    LM_DTX_UINT,     /* unsigned integer of another width (MPI_UNSIGNED_LONG, MPI_WCHAR) */
    LM_DTX_LDOUBLE,  /* native long double <-> IEEE binary128, per unit */
};

struct lm_datatype {
    uint32_t magic;
    int refcount;
    bool predefined;           /* named (or f90) predefined type: never freed */
    bool committed;
    bool contig;               /* count elements are one run of count*size bytes at true_lb */
    bool one_block;            /* one element's data is one run of size bytes at true_lb */
    bool has_bounds;           /* the type map (or lb/ub markers) is not empty */
    bool has_markers;          /* explicit bounds (MPI_Type_create_resized) inside */
    bool large;                /* built by a large-count (_c) constructor */
    MPI_Datatype handle;       /* what users see */
    const char *name;          /* predefined name, or NULL */
    char *user_name;           /* MPI_Type_set_name */

    size_t size;               /* bytes of data in one element */
    ptrdiff_t lb, extent;      /* MPI lower bound and extent */
    ptrdiff_t true_lb, true_extent;
    size_t align;              /* largest alignment of its basic types (struct padding) */

    struct lm_dt_node *prog;   /* layout; NULL when size == 0 */
    ptrdiff_t prog_off;        /* the program's origin relative to the buffer */
    struct lm_dt_sig *sig;     /* basic types in type-map order; NULL when size == 0 */
    size_t nelems;             /* basic elements in one element */

    /* The predefined type every element of the data is made of (pair types count as one),
     * when there is exactly one: reductions walk such types element by element. */
    struct lm_datatype *elem;

    /* Receive layouts that write a byte twice are erroneous (found at commit): one element
     * overlaps itself, or elements i and i+overlap_k overlap (so count > overlap_k does). */
    bool overlap_self;
    size_t overlap_k;

    /* basic predefined types only: external32 conversion */
    uint8_t xkind;             /* enum lm_dt_xkind */
    uint8_t xunit;             /* bytes per swapped unit (native) */
    uint8_t xsize;             /* external32 bytes per element */

    int combiner;              /* MPI_COMBINER_* */
    struct lm_dt_contents *contents;
    struct lm_attr_list *attrs; /* cached attributes (src/core attribute store) */
};

/* ---- predefined types (builtin.c) ------------------------------------------------------ */

/* Builtin lookup: NULL if the handle is not a known predefined datatype. */
struct lm_datatype *lm_dt_builtin(MPI_Datatype handle);
void lm_dt_builtins_init(void);
/* MPI_Type_match_size: a predefined type of the class and size, or NULL. */
struct lm_datatype *lm_dt_match_size(int typeclass, size_t size);
/* MPI_Type_create_f90_{integer,real,complex}: combiner MPI_COMBINER_F90_*, p/r as given
 * (MPI_UNDEFINED allowed). The same arguments give the same handle. */
int lm_dt_f90(int combiner, int p, int r, struct lm_datatype **out);

/* ---- constructors (build.c) ------------------------------------------------------------ */

/* One run of a constructor's type map: `count` copies of `type`, the first at byte `disp`,
 * each next one `stride` bytes further. */
struct lm_dt_part {
    ptrdiff_t disp;
    size_t count;
    ptrdiff_t stride;
    struct lm_datatype *type;
};

/* The type whose map is the parts' maps in order. pad: round the extent up to the largest
 * alignment when no explicit bounds are inside (MPI_Type_create_struct). The new type has
 * no contents yet (lm_dt_set_contents) and combiner MPI_COMBINER_NAMED until then. */
int lm_dt_create(const struct lm_dt_part *parts, size_t nparts, bool pad,
                 struct lm_datatype **out);
int lm_dt_contiguous(size_t count, struct lm_datatype *old, struct lm_datatype **out);
int lm_dt_vector(size_t count, size_t blocklen, ptrdiff_t stride_elems, struct lm_datatype *old,
                 struct lm_datatype **out);
int lm_dt_hvector(size_t count, size_t blocklen, ptrdiff_t stride_bytes,
                  struct lm_datatype *old, struct lm_datatype **out);
int lm_dt_hindexed(size_t count, const size_t *blocklens, const ptrdiff_t *displs_bytes,
                   struct lm_datatype *old, struct lm_datatype **out);
int lm_dt_struct(size_t count, const size_t *blocklens, const ptrdiff_t *displs,
                 struct lm_datatype *const *types, struct lm_datatype **out);
int lm_dt_resized(struct lm_datatype *old, ptrdiff_t lb, ptrdiff_t extent,
                  struct lm_datatype **out);
int lm_dt_dup(struct lm_datatype *old, struct lm_datatype **out);
/* Arguments already checked (api/datatype.c): orders MPI_ORDER_C/FORTRAN, starts+subsizes
 * within sizes, darray distributions consistent. */
int lm_dt_subarray(int ndims, const size_t *sizes, const size_t *subsizes,
                   const size_t *starts, int order, struct lm_datatype *old,
                   struct lm_datatype **out);
int lm_dt_darray(int size, int rank, int ndims, const size_t *gsizes, const int *distribs,
                 const int *dargs, const int *psizes, int order, struct lm_datatype *old,
                 struct lm_datatype **out);

/* Records what built t (copies the arrays, retains the types). */
int lm_dt_set_contents(struct lm_datatype *t, int combiner, bool large, size_t ni,
                       const int *ints, size_t na, const MPI_Aint *aints, size_t nc,
                       const MPI_Count *counts, size_t nd, struct lm_datatype *const *types);

int lm_dt_commit(struct lm_datatype *dt);
void lm_dt_retain(struct lm_datatype *dt);
void lm_dt_release(struct lm_datatype *dt);
int lm_dt_set_name(struct lm_datatype *dt, const char *name);
const char *lm_dt_get_name(const struct lm_datatype *dt);

/* ---- pack / unpack (pack.c) ------------------------------------------------------------ */

/* Bytes [offset, offset + len) of the packed stream of `count` elements at buf
 * (offset + len <= count * size). */
void lm_dt_pack(const struct lm_datatype *dt, const void *buf, size_t count, size_t offset,
                void *out, size_t len);
void lm_dt_unpack(const struct lm_datatype *dt, void *buf, size_t count, size_t offset,
                  const void *in, size_t len);

/* Visits the contiguous pieces of bytes [offset, offset + len) of the packed stream in
 * order: fn(ctx, address in the user buffer, position in the packed stream, length).
 * fn returns 0 to go on, non-zero to stop before that piece. Returns the bytes visited. */
typedef int (*lm_dt_piece_fn)(void *ctx, char *user, size_t pos, size_t len);
size_t lm_dt_walk(const struct lm_datatype *dt, const void *buf, size_t count, size_t offset,
                  size_t len, lm_dt_piece_fn fn, void *ctx);
/* The same pieces as an iovec (adjacent pieces merged), at most max entries: returns the
 * bytes described, *n the entries used. Resume with offset + the return value. */
size_t lm_dt_iov(const struct lm_datatype *dt, const void *buf, size_t count, size_t offset,
                 size_t len, struct iovec *iov, int max, int *n);

/* For types built from one predefined type (dt->elem; pair types count as one element):
 * visits the elements of `count` elements of dt in type-map order, as runs of n elements
 * of dt->elem laid out back to back (one at a time when dt->elem has holes). Reductions
 * apply their operation run by run. */
typedef void (*lm_dt_elems_fn)(void *ctx, char *user, size_t n);
void lm_dt_walk_elems(const struct lm_datatype *dt, void *buf, size_t count, lm_dt_elems_fn fn,
                      void *ctx);

/* Whole message is one contiguous run of bytes: returns its start, else NULL. */
static inline const char *lm_dt_contig_base(const struct lm_datatype *dt, const void *buf,
                                            size_t count)
{
    if (dt->contig || count == 0 || dt->size == 0 || (count == 1 && dt->one_block))
        return (const char *)buf + dt->true_lb;
    return NULL;
}

/* Receiving `count` elements into this layout would write some byte twice (erroneous):
 * returns an MPI_ERR_TYPE code naming arg, else LM_OK. */
int lm_dt_check_recv_slow(const struct lm_datatype *dt, size_t count, const char *arg);
static inline int lm_dt_check_recv(const struct lm_datatype *dt, size_t count, const char *arg)
{
    if (__builtin_expect(count == 0 || (!dt->overlap_self &&
                                        (dt->overlap_k == 0 || count <= dt->overlap_k)), 1))
        return 0;
    return lm_dt_check_recv_slow(dt, count, arg);
}

/* ---- elements (signature.c) ------------------------------------------------------------ */

/* Basic elements in the first `bytes` packed bytes of a stream of this type; -1 when the
 * bytes end inside a basic element (MPI_Get_elements then says MPI_UNDEFINED). */
ptrdiff_t lm_dt_elements(const struct lm_datatype *dt, size_t bytes);
/* The inverse: packed bytes holding the first `elements` basic elements (any count of
 * whole elements and a partial one; MPI_Status_set_elements). */
size_t lm_dt_elements_to_bytes(const struct lm_datatype *dt, size_t elements);

/* ---- external32 (external32.c) --------------------------------------------------------- */

/* external32 bytes of one element. */
size_t lm_dt_external_size(const struct lm_datatype *dt);
/* Packs `count` elements at buf to external32 at out (lm_dt_external_size * count bytes). */
int lm_dt_pack_external(const struct lm_datatype *dt, const void *buf, size_t count, void *out);
int lm_dt_unpack_external(const struct lm_datatype *dt, const void *in, void *buf,
                          size_t count);

#endif
