/* comm/create: MPI_Comm_create (one group everywhere, and disjoint groups), 
 * MPI_Comm_create_group (only the members call; two disjoint groups at once, told apart by
 * their tags), MPI_Comm_idup(_with_info), MPI_Comm_dup_with_info, names, MPI_Comm_compare,
 * MPI_Comm_test_inter, and the error classes of bad calls.
 *
 * Expectations: with E = the even world ranks in order, create(WORLD, E) gives the even
 * ranks the communicator E (rank = world rank / 2) and the odd ones MPI_COMM_NULL; with
 * each process passing E or O (its own parity), every process gets its parity's group.
 * A ring on each result checks it carries messages. */
#include "../common.h"

static void ring_check(MPI_Comm c, int stride, int first, const char *what)
{
    /* members are world ranks first, first + stride, ... in rank order */
    int r, n;
    MPI_Comm_rank(c, &r);
    MPI_Comm_size(c, &n);
    TM_CHECK(first + r * stride == tm_rank, "%s: rank %d is world rank %d, expected %d", what,
             r, tm_rank, first + r * stride);
    int right = (r + 1) % n, left = (r + n - 1) % n, in = -1;
    MPI_Sendrecv(&tm_rank, 1, MPI_INT, right, 1, &in, 1, MPI_INT, left, 1, c,
                 MPI_STATUS_IGNORE);
    TM_CHECK(in == first + left * stride, "%s: ring brought %d, expected %d", what, in,
             first + left * stride);
}

static int copies;
static int count_copy(MPI_Comm oldcomm, int keyval, void *extra, void *in, void *out,
                      int *flag)
{
    (void)oldcomm;
    (void)keyval;
    (void)extra;
    copies++;
    *(void **)out = in;
    *flag = 1;
    return MPI_SUCCESS;
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    int n = tm_size, ne = (n + 1) / 2, no = n / 2;
    int *l = tm_malloc(sizeof *l * (size_t)n);
    MPI_Group w, e, o, mine;
    MPI_Comm c;
    int res, flag;

    MPI_Comm_group(MPI_COMM_WORLD, &w);
    for (int i = 0; i < ne; i++)
        l[i] = 2 * i;
    MPI_Group_incl(w, ne, l, &e);
    MPI_Group_excl(w, ne, l, &o);
    mine = tm_rank % 2 ? o : e;

    /* create with one group everywhere */
    TM_CHECK_RC(MPI_Comm_create(MPI_COMM_WORLD, e, &c), "MPI_Comm_create(E)");
    if (tm_rank % 2) {
        TM_CHECK(c == MPI_COMM_NULL, "odd rank got a communicator from create(E)");
    } else {
        TM_CHECK(c != MPI_COMM_NULL, "even rank got MPI_COMM_NULL from create(E)");
        ring_check(c, 2, 0, "create(E)");
        MPI_Comm_free(&c);
    }
    /* create with disjoint groups (MPI-2.2) */
    TM_CHECK_RC(MPI_Comm_create(MPI_COMM_WORLD, mine, &c), "MPI_Comm_create(own parity)");
    if (c != MPI_COMM_NULL) {
        ring_check(c, 2, tm_rank % 2, "create(own parity)");
        MPI_Comm_free(&c);
    } else {
        TM_CHECK(0, "create(own parity) gave MPI_COMM_NULL");
    }
    /* create with the whole group: congruent with WORLD */
    MPI_Comm_create(MPI_COMM_WORLD, w, &c);
    MPI_Comm_compare(c, MPI_COMM_WORLD, &res);
    TM_CHECK(res == MPI_CONGRUENT, "create(W) compares %d with WORLD", res);
    MPI_Comm_free(&c);
    /* empty group: MPI_COMM_NULL everywhere */
    MPI_Comm_create(MPI_COMM_WORLD, MPI_GROUP_EMPTY, &c);
    TM_CHECK(c == MPI_COMM_NULL, "create(EMPTY) gave a communicator");

    /* create_group: evens and odds at once, different tags */
    if (no > 0 || tm_rank % 2 == 0) {
        TM_CHECK_RC(MPI_Comm_create_group(MPI_COMM_WORLD, mine, 100 + tm_rank % 2, &c),
                    "MPI_Comm_create_group");
        TM_CHECK(c != MPI_COMM_NULL, "create_group gave MPI_COMM_NULL to a member");
        if (c != MPI_COMM_NULL) {
            ring_check(c, 2, tm_rank % 2, "create_group(own parity)");
            /* and a create_group over the result, with the largest tag */
            MPI_Group g2;
            MPI_Comm c2;
            int *tag_ub;
            MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_TAG_UB, &tag_ub, &flag);
            MPI_Comm_group(c, &g2);
            MPI_Comm_create_group(c, g2, *tag_ub, &c2);
            MPI_Comm_compare(c, c2, &res);
            TM_CHECK(res == MPI_CONGRUENT, "create_group over all compares %d", res);
            MPI_Comm_free(&c2);
            MPI_Group_free(&g2);
            MPI_Comm_free(&c);
        }
    }

    /* idup and idup_with_info: valid requests, complete with MPI_Wait */
    MPI_Request req = MPI_REQUEST_NULL;
    MPI_Status st;
    TM_CHECK_RC(MPI_Comm_idup(MPI_COMM_WORLD, &c, &req), "MPI_Comm_idup");
    TM_CHECK(req != MPI_REQUEST_NULL, "MPI_Comm_idup gave MPI_REQUEST_NULL");
    TM_CHECK_RC(MPI_Wait(&req, &st), "MPI_Wait on idup");
    TM_CHECK(req == MPI_REQUEST_NULL, "MPI_Wait did not free the idup request");
    ring_check(c, 1, 0, "idup");
    MPI_Comm_compare(c, MPI_COMM_WORLD, &res);
    TM_CHECK(res == MPI_CONGRUENT, "idup compares %d with WORLD", res);
#if MPI_VERSION >= 4
    MPI_Info info, used;
    char val[64];
    MPI_Info_create(&info);
    MPI_Info_set(info, "mpi_assert_no_any_tag", "true");
    MPI_Comm c2;
    TM_CHECK_RC(MPI_Comm_idup_with_info(c, info, &c2, &req), "MPI_Comm_idup_with_info");
    flag = 0;
    while (!flag)
        MPI_Test(&req, &flag, MPI_STATUS_IGNORE);
    ring_check(c2, 1, 0, "idup_with_info");
    MPI_Comm_get_info(c2, &used);
    MPI_Info_get(used, "mpi_assert_no_any_tag", 63, val, &flag);
    TM_CHECK(flag && !strcmp(val, "true"), "idup_with_info: hint is %s", flag ? val : "unset");
    MPI_Info_free(&used);
    MPI_Comm_free(&c2);
    /* dup_with_info replaces the hints; dup keeps them; set_info adds */
    MPI_Comm_set_info(c, info);
    MPI_Info_free(&info);
    MPI_Info_create(&info);
    MPI_Info_set(info, "mpi_assert_exact_length", "true");
    TM_CHECK_RC(MPI_Comm_dup_with_info(c, info, &c2), "MPI_Comm_dup_with_info");
    MPI_Comm_get_info(c2, &used);
    MPI_Info_get(used, "mpi_assert_no_any_tag", 63, val, &flag);
    TM_CHECK(!flag, "dup_with_info kept the parent's hint");
    MPI_Info_get(used, "mpi_assert_exact_length", 63, val, &flag);
    TM_CHECK(flag && !strcmp(val, "true"), "dup_with_info lost its own hint");
    MPI_Info_free(&used);
    MPI_Comm_free(&c2);
    MPI_Comm_dup(c, &c2);
    MPI_Comm_get_info(c2, &used);
    MPI_Info_get(used, "mpi_assert_no_any_tag", 63, val, &flag);
    TM_CHECK(flag && !strcmp(val, "true"), "dup lost the parent's hint");
    MPI_Info_free(&used);
    MPI_Comm_free(&c2);
    MPI_Info_free(&info);
#endif
    /* idup copies attributes like dup */
    int kv;
    MPI_Comm_create_keyval(count_copy, MPI_COMM_NULL_DELETE_FN, &kv, NULL);
    MPI_Comm_set_attr(c, kv, &kv);
    copies = 0;
    MPI_Comm c3;
    MPI_Comm_idup(c, &c3, &req);
    MPI_Wait(&req, MPI_STATUS_IGNORE);
    void *v = NULL;
    MPI_Comm_get_attr(c3, kv, &v, &flag);
    TM_CHECK(copies == 1 && flag && v == &kv, "idup: %d copies, flag %d", copies, flag);
    MPI_Comm_free(&c3);
    MPI_Comm_free_keyval(&kv);
    MPI_Comm_free(&c);

    /* names */
    char name[MPI_MAX_OBJECT_NAME];
    int len = -1;
    MPI_Comm_get_name(MPI_COMM_WORLD, name, &len);
    TM_CHECK(!strcmp(name, "MPI_COMM_WORLD") && len == 14, "WORLD is named '%s' (%d)", name,
             len);
    MPI_Comm_get_name(MPI_COMM_SELF, name, &len);
    TM_CHECK(!strcmp(name, "MPI_COMM_SELF"), "SELF is named '%s'", name);
    MPI_Comm_dup(MPI_COMM_WORLD, &c);
    MPI_Comm_get_name(c, name, &len);
    TM_CHECK(len == 0 && name[0] == '\0', "a new communicator is named '%s'", name);
    MPI_Comm_set_name(c, "my communicator");
    MPI_Comm_get_name(c, name, &len);
    TM_CHECK(!strcmp(name, "my communicator") && len == 15, "name set: '%s' (%d)", name, len);
    char longname[300];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    MPI_Comm_set_name(c, longname);
    MPI_Comm_get_name(c, name, &len);
    TM_CHECK(len == MPI_MAX_OBJECT_NAME - 1 && (int)strlen(name) == len,
             "a long name came back with %d characters", len);

    /* queries on an intracommunicator */
    MPI_Comm_test_inter(c, &flag);
    TM_CHECK(!flag, "MPI_Comm_test_inter says a duplicate of WORLD is an intercomm");
    MPI_Comm_compare(MPI_COMM_WORLD, MPI_COMM_SELF, &res);
    TM_CHECK(res == (n == 1 ? MPI_CONGRUENT : MPI_UNEQUAL), "compare(WORLD, SELF) = %d", res);
    MPI_Comm_compare(c, c, &res);
    TM_CHECK(res == MPI_IDENT, "compare(c, c) = %d", res);
    MPI_Comm rev;
    MPI_Comm_split(MPI_COMM_WORLD, 0, -tm_rank, &rev);
    MPI_Comm_compare(rev, MPI_COMM_WORLD, &res);
    TM_CHECK(res == (n == 1 ? MPI_CONGRUENT : MPI_SIMILAR), "compare(reversed, WORLD) = %d",
             res);
    MPI_Comm_free(&rev);

    /* errors */
    MPI_Comm_set_errhandler(c, MPI_ERRORS_RETURN);
    int sz, rc = MPI_Comm_remote_size(c, &sz);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_COMM, "remote_size of an intracomm: class %d",
             tm_errclass(rc));
    MPI_Group g;
    rc = MPI_Comm_remote_group(c, &g);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_COMM, "remote_group of an intracomm: class %d",
             tm_errclass(rc));
    rc = MPI_Intercomm_merge(c, 0, &rev);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_COMM, "merge of an intracomm: class %d",
             tm_errclass(rc));
    rc = MPI_Comm_create_group(c, w, -1, &rev);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_TAG, "create_group with tag -1: class %d",
             tm_errclass(rc));
    rc = MPI_Comm_create(c, MPI_GROUP_NULL, &rev);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_GROUP, "create with GROUP_NULL: class %d",
             tm_errclass(rc));
    rc = MPI_Comm_set_name(c, NULL);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_ARG, "set_name(NULL): class %d", tm_errclass(rc));
    if (n > 1) {
        /* a group that is not a subset of the parent: W on the communicator of one parity */
        MPI_Comm par;
        MPI_Comm_split(MPI_COMM_WORLD, tm_rank % 2, 0, &par);
        MPI_Comm_set_errhandler(par, MPI_ERRORS_RETURN);
        rc = MPI_Comm_create(par, w, &rev);
        TM_CHECK(tm_errclass(rc) == MPI_ERR_GROUP, "create with a non-subset group: class %d",
                 tm_errclass(rc));
        MPI_Comm_free(&par);
    }
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    rc = MPI_Comm_free(&c);
    TM_CHECK(rc == MPI_SUCCESS && c == MPI_COMM_NULL, "MPI_Comm_free returned %d", rc);
    rc = MPI_Comm_free(&c);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_COMM, "freeing MPI_COMM_NULL: class %d",
             tm_errclass(rc));
    c = MPI_COMM_WORLD;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    rc = MPI_Comm_free(&c);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_COMM, "freeing MPI_COMM_WORLD: class %d",
             tm_errclass(rc));
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);

    MPI_Group_free(&e);
    MPI_Group_free(&o);
    MPI_Group_free(&w);
    free(l);
    return tm_finish();
}
