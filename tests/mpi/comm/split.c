/* comm/split: MPI_Comm_split and MPI_Comm_split_type against hand-computed layouts.
 *
 * split(color = rank % 3, key = -rank): part c holds the world ranks r with r % 3 == c in
 * descending order, so world rank r gets rank |{r' > r : r' % 3 == c}|. Ranks with
 * rank % 4 == 3 then pass MPI_UNDEFINED and must get MPI_COMM_NULL. Equal keys keep the
 * parent's order. A ring over each new communicator checks it carries messages to the
 * right processes. split_type: SHARED covers the node (every rank here, one host),
 * HW_GUIDED with "mpi_shared_memory" the same; an unknown resource name, MPI_UNDEFINED and
 * HW_UNGUIDED at the finest level give MPI_COMM_NULL or a strict subset; RESOURCE_GUIDED
 * with mpi_pset_name mpi://WORLD and mpi://SELF gives the world and a single process.
 * (MPICH 4.0 accepts negative colors and does not name the resource in the new
 * communicator's info; both checks are MPI-4 semantics.) */
#include "../common.h"

/* Sends our world rank around the communicator's ring; checks what comes back. */
static void ring(MPI_Comm c, const int *world_of, const char *what)
{
    int r, n;
    MPI_Comm_rank(c, &r);
    MPI_Comm_size(c, &n);
    int right = (r + 1) % n, left = (r + n - 1) % n, in = -1;
    MPI_Sendrecv(&tm_rank, 1, MPI_INT, right, 3, &in, 1, MPI_INT, left, 3, c,
                 MPI_STATUS_IGNORE);
    TM_CHECK(in == world_of[left], "%s: ring from rank %d brought world rank %d, expected %d",
             what, left, in, world_of[left]);
}

static void check_layout(MPI_Comm c, const int *want, int wn, const char *what)
{
    int r = -1, n = -1;
    TM_CHECK(c != MPI_COMM_NULL, "%s: got MPI_COMM_NULL", what);
    if (c == MPI_COMM_NULL)
        return;
    MPI_Comm_size(c, &n);
    MPI_Comm_rank(c, &r);
    TM_CHECK(n == wn, "%s: size %d, expected %d", what, n, wn);
    TM_CHECK(r >= 0 && r < wn && want[r] == tm_rank, "%s: rank %d, which should be world rank "
             "%d, not %d", what, r, r >= 0 && r < wn ? want[r] : -1, tm_rank);
    if (n == wn)
        ring(c, want, what);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int n = tm_size, k, *want = tm_malloc(sizeof *want * (size_t)n);
    MPI_Comm c;

    /* color rank % 3, key -rank */
    k = 0;
    for (int r = n - 1; r >= 0; r--)
        if (r % 3 == tm_rank % 3)
            want[k++] = r;
    TM_CHECK_RC(MPI_Comm_split(MPI_COMM_WORLD, tm_rank % 3, -tm_rank, &c), "MPI_Comm_split");
    check_layout(c, want, k, "split(rank % 3, -rank)");
    /* split of the split: everyone the same color, key 0 => parent order */
    MPI_Comm cc;
    TM_CHECK_RC(MPI_Comm_split(c, 7, 0, &cc), "MPI_Comm_split of a split");
    check_layout(cc, want, k, "split(c, 7, 0)");
    int res;
    MPI_Comm_compare(c, cc, &res);
    TM_CHECK(res == MPI_CONGRUENT, "split with one color compares %d to its parent", res);
    MPI_Comm_free(&cc);
    MPI_Comm_free(&c);

    /* MPI_UNDEFINED for rank % 4 == 3, others color 0, key 0 */
    k = 0;
    for (int r = 0; r < n; r++)
        if (r % 4 != 3)
            want[k++] = r;
    TM_CHECK_RC(MPI_Comm_split(MPI_COMM_WORLD, tm_rank % 4 == 3 ? MPI_UNDEFINED : 0, 0, &c),
                "MPI_Comm_split with MPI_UNDEFINED");
    if (tm_rank % 4 == 3)
        TM_CHECK(c == MPI_COMM_NULL, "MPI_UNDEFINED color did not give MPI_COMM_NULL");
    else
        check_layout(c, want, k, "split with some MPI_UNDEFINED");
    if (c != MPI_COMM_NULL)
        MPI_Comm_free(&c);

    /* keys with ties: key = rank / 2 reversed in pairs => order by key, then parent rank */
    k = 0;
    for (int key = 0; key <= (n - 1) / 2; key++)
        for (int r = 0; r < n; r++)
            if ((n - 1 - r) / 2 == key)
                want[k++] = r;
    MPI_Comm_split(MPI_COMM_WORLD, 0, (n - 1 - tm_rank) / 2, &c);
    check_layout(c, want, n, "split with tied keys");
    MPI_Comm_free(&c);

    /* split_type SHARED: one host => the whole world, ordered by key */
    for (int r = 0; r < n; r++)
        want[r] = n - 1 - r;
    TM_CHECK_RC(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, -tm_rank,
                                    MPI_INFO_NULL, &c), "split_type SHARED");
    check_layout(c, want, n, "split_type SHARED");
    MPI_Comm_free(&c);
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_UNDEFINED, 0, MPI_INFO_NULL, &c);
    TM_CHECK(c == MPI_COMM_NULL, "split_type MPI_UNDEFINED did not give MPI_COMM_NULL");

#if MPI_VERSION >= 4
    MPI_Info info;
    char val[MPI_MAX_INFO_VAL];
    int flag;
    for (int r = 0; r < n; r++)
        want[r] = r;
    MPI_Info_create(&info);
    MPI_Info_set(info, "mpi_hw_resource_type", "mpi_shared_memory");
    TM_CHECK_RC(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_HW_GUIDED, 0, info, &c),
                "split_type HW_GUIDED mpi_shared_memory");
    check_layout(c, want, n, "HW_GUIDED mpi_shared_memory");
    if (c != MPI_COMM_NULL) {
        MPI_Info used;
        MPI_Comm_get_info(c, &used);
        MPI_Info_get(used, "mpi_hw_resource_type", MPI_MAX_INFO_VAL - 1, val, &flag);
        TM_CHECK(flag && !strcmp(val, "mpi_shared_memory"),
                 "HW_GUIDED: info of the new communicator has mpi_hw_resource_type = %s",
                 flag ? val : "(unset)");
        MPI_Info_free(&used);
        MPI_Comm_free(&c);
    }
    /* a resource type nobody knows: MPI_COMM_NULL everywhere */
    MPI_Info_set(info, "mpi_hw_resource_type", "no-such-resource");
    TM_CHECK_RC(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_HW_GUIDED, 0, info, &c),
                "split_type HW_GUIDED unknown");
    TM_CHECK(c == MPI_COMM_NULL, "HW_GUIDED with an unknown resource type gave a comm");
    /* a real level: MPI_COMM_NULL, or a communicator of processes on this host */
    MPI_Info_set(info, "mpi_hw_resource_type", "core");
    TM_CHECK_RC(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_HW_GUIDED, 0, info, &c),
                "split_type HW_GUIDED core");
    if (c != MPI_COMM_NULL) {
        int sz;
        MPI_Comm_size(c, &sz);
        TM_CHECK(sz >= 1 && sz <= n, "HW_GUIDED core: size %d", sz);
        MPI_Comm_free(&c);
    }
    MPI_Info_free(&info);
    /* unguided: MPI_COMM_NULL or a strict subset of the parent */
    TM_CHECK_RC(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_HW_UNGUIDED, 0,
                                    MPI_INFO_NULL, &c), "split_type HW_UNGUIDED");
    if (c != MPI_COMM_NULL) {
        int sz;
        MPI_Comm_size(c, &sz);
        TM_CHECK(sz < n, "HW_UNGUIDED gave %d of %d processes: not a strict subset", sz, n);
        MPI_Comm_free(&c);
    }
#endif
#if MPI_VERSION >= 5
    MPI_Info_create(&info);
    MPI_Info_set(info, "mpi_pset_name", "mpi://WORLD");
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_RESOURCE_GUIDED, 0, info, &c);
    check_layout(c, want, n, "RESOURCE_GUIDED mpi://WORLD");
    if (c != MPI_COMM_NULL)
        MPI_Comm_free(&c);
    MPI_Info_set(info, "mpi_pset_name", "mpi://SELF");
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_RESOURCE_GUIDED, 0, info, &c);
    want[0] = tm_rank;
    check_layout(c, want, 1, "RESOURCE_GUIDED mpi://SELF");
    if (c != MPI_COMM_NULL)
        MPI_Comm_free(&c);
    MPI_Info_free(&info);
#endif

    /* errors: a bad split type or color, on every rank alike (no one waits) */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    c = MPI_COMM_WORLD;
    int rc = MPI_Comm_split_type(MPI_COMM_WORLD, 12345, 0, MPI_INFO_NULL, &c);
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == MPI_ERR_ARG,
             "split_type 12345 returned %d (class %d)", rc, tm_errclass(rc));
    rc = MPI_Comm_split(MPI_COMM_WORLD, -5, 0, &c);
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == MPI_ERR_ARG,
             "split with color -5 returned %d (class %d)", rc, tm_errclass(rc));
    /* no communicator to blame: MPI_COMM_SELF's handler applies */
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    rc = MPI_Comm_split(MPI_COMM_NULL, 0, 0, &c);
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == MPI_ERR_COMM,
             "split of MPI_COMM_NULL returned %d (class %d)", rc, tm_errclass(rc));
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);

    free(want);
    return tm_finish();
}
