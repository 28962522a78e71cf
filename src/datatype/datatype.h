/* datatype.h - type maps flattened to byte blocks, and pack/unpack over them.
 *
 * A committed type is described by one element's blocks (offset from the buffer start,
 * length), merged where adjacent, plus its extent; `count` elements repeat that list at
 * multiples of the extent. pack/unpack work on the packed byte stream of `count` elements
 * and are resumable at any byte offset, so rendezvous fragments and (later) file views can
 * start in the middle of an element. Contiguous types (one block, size == extent) skip all
 * of this: pt2pt moves them with one memcpy or one iovec.
 */
#ifndef LM_DATATYPE_H
#define LM_DATATYPE_H

#include <mpi.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct lm_attr_list;

struct lm_dt_block {
    ptrdiff_t off;   /* from the start of the element */
    size_t len;
};

struct lm_datatype {
    uint32_t magic;
    int refcount;
    bool predefined;
    bool committed;
    bool contig;               /* one block at true_lb, and size == extent */
    MPI_Datatype handle;       /* what users see */
    const char *name;

    size_t size;               /* bytes of data in one element */
    ptrdiff_t lb, extent;      /* MPI lower bound and extent */
    ptrdiff_t true_lb, true_extent;

    int nblocks;
    struct lm_dt_block *blocks; /* one element's data, in type-map order */

    /* The predefined type every byte belongs to, when there is exactly one (reductions,
     * MPI_Get_elements); NULL for mixed types. */
    struct lm_datatype *elem;
    size_t nelems;             /* predefined elements in one element of this type */

    int combiner;              /* MPI_COMBINER_* */
    struct lm_attr_list *attrs; /* cached attributes (src/core attribute store) */
};

/* Builtin lookup: NULL if the handle is not a known predefined datatype. */
struct lm_datatype *lm_dt_builtin(MPI_Datatype handle);
void lm_dt_builtins_init(void);

int lm_dt_contiguous(size_t count, struct lm_datatype *old, struct lm_datatype **out);
int lm_dt_vector(size_t count, size_t blocklen, ptrdiff_t stride_elems, struct lm_datatype *old,
                 struct lm_datatype **out);
int lm_dt_commit(struct lm_datatype *dt);
void lm_dt_retain(struct lm_datatype *dt);
void lm_dt_release(struct lm_datatype *dt);

/* Bytes [offset, offset + len) of the packed stream of `count` elements at buf. */
void lm_dt_pack(const struct lm_datatype *dt, const void *buf, size_t count, size_t offset,
                void *out, size_t len);
void lm_dt_unpack(const struct lm_datatype *dt, void *buf, size_t count, size_t offset,
                  const void *in, size_t len);

/* Whole message is one contiguous run of bytes: returns its start, else NULL. */
static inline const char *lm_dt_contig_base(const struct lm_datatype *dt, const void *buf,
                                            size_t count)
{
    if (dt->contig || count == 0 || dt->size == 0)
        return (const char *)buf + dt->true_lb;
    if (count == 1 && dt->nblocks == 1)
        return (const char *)buf + dt->blocks[0].off;
    return NULL;
}

/* Elements of the predefined element type in `bytes` packed bytes; -1 if undefined. */
ptrdiff_t lm_dt_elements(const struct lm_datatype *dt, size_t bytes);

#endif
