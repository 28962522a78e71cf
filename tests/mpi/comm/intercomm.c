/* comm/intercomm: MPI_Intercomm_create / _merge, and every intercommunicator operation:
 * queries, point-to-point both ways, dup, split, create.
 *
 * Groups: A = even world ranks, B = odd ones (local comm = split by parity, leaders their
 * rank 0, remote leader = world 1 for A and world 0 for B, over MPI_COMM_WORLD, tag 77).
 * In A, local rank i is world 2i; in B, world 2i + 1.
 *   - pt2pt: every process sends its world rank to remote rank (local rank % remote size)
 *     and receives from MPI_ANY_SOURCE as many messages as remote ranks map to it; the
 *     status source is the sender's rank in its own (our remote) group.
 *   - merge(high = in B): A first, then B, so world 2i is rank i and 2i + 1 is |A| + i;
 *     merge(high = in A) the reverse; equal `high` gives some order both sides agree on.
 *   - split(color = local rank % 2, key = -local rank) gives, per color present on both
 *     sides, an intercommunicator of those processes (reversed), else MPI_COMM_NULL.
 *   - create(first half of each local group).
 * Pairs over MPI_COMM_SELF (world 2k with 2k+1) make one more intercommunicator per pair. */
#include "../common.h"

static int na, nb, in_b, lrank;

static int world_of(int side_b, int local)
{
    return side_b ? 2 * local + 1 : 2 * local;
}

/* Every process sends to remote rank (local % rsize), receives what maps to it. */
static void pt2pt_check(MPI_Comm ic, const char *what)
{
    int lsize, rsize, me;
    MPI_Comm_size(ic, &lsize);
    MPI_Comm_remote_size(ic, &rsize);
    MPI_Comm_rank(ic, &me);
    int msg[2] = {tm_rank, me}, expect = 0;
    MPI_Request req;
    MPI_Isend(msg, 2, MPI_INT, me % rsize, 9, ic, &req);
    for (int r = 0; r < rsize; r++)
        if (r % lsize == me)
            expect++;
    for (int i = 0; i < expect; i++) {
        int in[2] = {-1, -1};
        MPI_Status st;
        MPI_Recv(in, 2, MPI_INT, MPI_ANY_SOURCE, 9, ic, &st);
        TM_CHECK(st.MPI_SOURCE == in[1], "%s: status source %d, sender says it is %d", what,
                 st.MPI_SOURCE, in[1]);
        TM_CHECK(in[1] % lsize == me && in[1] < rsize, "%s: remote rank %d should not send to "
                 "%d", what, in[1], me);
        TM_CHECK(in[0] == world_of(!in_b, in[1]), "%s: remote rank %d is world %d, expected "
                 "%d", what, in[1], in[0], world_of(!in_b, in[1]));
    }
    MPI_Wait(&req, MPI_STATUS_IGNORE);
    /* A directed exchange too: remote rank 0 <-> our rank 0 with a wrong-source probe. */
    if (me == 0) {
        int out = 1000 + tm_rank, in = -1;
        MPI_Sendrecv(&out, 1, MPI_INT, 0, 10, &in, 1, MPI_INT, 0, 10, ic, MPI_STATUS_IGNORE);
        TM_CHECK(in == 1000 + world_of(!in_b, 0), "%s: leader exchange got %d", what, in);
    }
}

static void groups_check(MPI_Comm ic, int lsz, int rsz, int lfirst, int rfirst, int step,
                         const char *what)
{
    int flag = 0, s = -1;
    MPI_Comm_test_inter(ic, &flag);
    TM_CHECK(flag, "%s: MPI_Comm_test_inter is false", what);
    MPI_Comm_size(ic, &s);
    TM_CHECK(s == lsz, "%s: size %d, expected %d", what, s, lsz);
    MPI_Comm_remote_size(ic, &s);
    TM_CHECK(s == rsz, "%s: remote size %d, expected %d", what, s, rsz);
    MPI_Group wg, lg, rg;
    MPI_Comm_group(MPI_COMM_WORLD, &wg);
    MPI_Comm_group(ic, &lg);
    MPI_Comm_remote_group(ic, &rg);
    int *idx = tm_malloc(sizeof(int) * 2 * (size_t)(lsz + rsz + 1)), *w = idx + lsz + rsz + 1;
    for (int i = 0; i < lsz + rsz; i++)
        idx[i] = i;
    MPI_Group_translate_ranks(lg, lsz, idx, wg, w);
    for (int i = 0; i < lsz; i++)
        TM_CHECK(w[i] == lfirst + step * i, "%s: local rank %d is world %d, expected %d", what,
                 i, w[i], lfirst + step * i);
    MPI_Group_translate_ranks(rg, rsz, idx, wg, w);
    for (int i = 0; i < rsz; i++)
        TM_CHECK(w[i] == rfirst + step * i, "%s: remote rank %d is world %d, expected %d",
                 what, i, w[i], rfirst + step * i);
    free(idx);
    MPI_Group_free(&wg);
    MPI_Group_free(&lg);
    MPI_Group_free(&rg);
}

static void merged_check(MPI_Comm m, int a_first, const char *what)
{
    int r = -1, s = -1;
    MPI_Comm_size(m, &s);
    MPI_Comm_rank(m, &r);
    TM_CHECK(s == tm_size, "%s: size %d", what, s);
    int want = in_b ? (a_first ? na : 0) + lrank : (a_first ? 0 : nb) + lrank;
    TM_CHECK(r == want, "%s: rank %d, expected %d", what, r, want);
    int right = (r + 1) % s, left = (r + s - 1) % s, in = -1;
    MPI_Sendrecv(&tm_rank, 1, MPI_INT, right, 2, &in, 1, MPI_INT, left, 2, m,
                 MPI_STATUS_IGNORE);
    int lw = a_first ? (left < na ? 2 * left : 2 * (left - na) + 1)
                     : (left < nb ? 2 * left + 1 : 2 * (left - nb));
    TM_CHECK(in == lw, "%s: ring from merged rank %d gave world %d, expected %d", what, left,
             in, lw);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    if (tm_size < 2) {
        if (tm_rank == 0)
            printf("needs 2 ranks or more\n");
        return tm_finish();
    }
    in_b = tm_rank % 2;
    na = (tm_size + 1) / 2;
    nb = tm_size / 2;
    lrank = tm_rank / 2;
    int lsz = in_b ? nb : na, rsz = in_b ? na : nb;
    MPI_Comm local, ic, m;
    MPI_Comm_split(MPI_COMM_WORLD, in_b, 0, &local);

    TM_CHECK_RC(MPI_Intercomm_create(local, 0, MPI_COMM_WORLD, in_b ? 0 : 1, 77, &ic),
                "MPI_Intercomm_create");
    groups_check(ic, lsz, rsz, in_b, !in_b, 2, "intercomm");
    pt2pt_check(ic, "intercomm");
    int res;
    MPI_Comm_compare(ic, ic, &res);
    TM_CHECK(res == MPI_IDENT, "compare(ic, ic) = %d", res);
    MPI_Comm_compare(ic, local, &res);
    TM_CHECK(res == MPI_UNEQUAL, "compare(ic, local) = %d", res);

    /* dup */
    MPI_Comm d;
    TM_CHECK_RC(MPI_Comm_dup(ic, &d), "MPI_Comm_dup of an intercomm");
    groups_check(d, lsz, rsz, in_b, !in_b, 2, "dup of intercomm");
    MPI_Comm_compare(ic, d, &res);
    TM_CHECK(res == MPI_CONGRUENT, "compare(ic, dup) = %d", res);
    pt2pt_check(d, "dup of intercomm");
    MPI_Comm_free(&d);

    /* merge */
    TM_CHECK_RC(MPI_Intercomm_merge(ic, in_b, &m), "MPI_Intercomm_merge(high = in B)");
    merged_check(m, 1, "merge(high = B)");
    MPI_Comm_free(&m);
    MPI_Intercomm_merge(ic, !in_b, &m);
    merged_check(m, 0, "merge(high = A)");
    MPI_Comm_free(&m);
    MPI_Intercomm_merge(ic, 1, &m);
    {
        /* equal high: some order, the same on both sides: a ring must close */
        int r, s, in = -1;
        MPI_Comm_rank(m, &r);
        MPI_Comm_size(m, &s);
        TM_CHECK(s == tm_size, "merge(equal high): size %d", s);
        int out = r;
        MPI_Sendrecv(&out, 1, MPI_INT, (r + 1) % s, 4, &in, 1, MPI_INT, (r + s - 1) % s, 4, m,
                     MPI_STATUS_IGNORE);
        TM_CHECK(in == (r + s - 1) % s, "merge(equal high): ring got %d", in);
        MPI_Comm_free(&m);
    }

    /* split by local rank parity, key -local rank */
    MPI_Comm sp;
    int color = lrank % 2;
    TM_CHECK_RC(MPI_Comm_split(ic, color, -lrank, &sp), "MPI_Comm_split of an intercomm");
    int lc = (lsz - color + 1) / 2, rc_ = (rsz - color + 1) / 2; /* members of this color */
    if (rc_ == 0) {
        TM_CHECK(sp == MPI_COMM_NULL, "split: color %d has no remote members but a comm "
                 "came back", color);
    } else {
        TM_CHECK(sp != MPI_COMM_NULL, "split: got MPI_COMM_NULL");
        if (sp != MPI_COMM_NULL) {
            /* reversed: rank 0 is the highest local rank of this color */
            int r, s;
            MPI_Comm_rank(sp, &r);
            MPI_Comm_size(sp, &s);
            TM_CHECK(s == lc, "split: size %d, expected %d", s, lc);
            MPI_Comm_remote_size(sp, &s);
            TM_CHECK(s == rc_, "split: remote size %d, expected %d", s, rc_);
            int top = color + 2 * (lc - 1);
            TM_CHECK(r == (top - lrank) / 2, "split: rank %d, expected %d", r,
                     (top - lrank) / 2);
            /* talk: rank 0 of each side exchange world ranks */
            if (r == 0) {
                int in = -1, rtop = color + 2 * (rc_ - 1);
                MPI_Sendrecv(&tm_rank, 1, MPI_INT, 0, 5, &in, 1, MPI_INT, 0, 5, sp,
                             MPI_STATUS_IGNORE);
                TM_CHECK(in == world_of(!in_b, rtop), "split: remote rank 0 is world %d, "
                         "expected %d", in, world_of(!in_b, rtop));
            }
            MPI_Comm_free(&sp);
        }
    }

    /* create: the first half (rounded up) of each local group */
    MPI_Group lg, half;
    int hl = (lsz + 1) / 2, hr = (rsz + 1) / 2;
    int range[1][3] = {{0, hl - 1, 1}};
    MPI_Comm_group(ic, &lg);
    MPI_Group_range_incl(lg, 1, range, &half);
    MPI_Comm cr;
    TM_CHECK_RC(MPI_Comm_create(ic, half, &cr), "MPI_Comm_create on an intercomm");
    if (lrank < hl) {
        TM_CHECK(cr != MPI_COMM_NULL, "create: member got MPI_COMM_NULL");
        if (cr != MPI_COMM_NULL) {
            groups_check(cr, hl, hr, in_b, !in_b, 2, "create(half)");
            pt2pt_check(cr, "create(half)");
            MPI_Comm_free(&cr);
        }
    } else {
        TM_CHECK(cr == MPI_COMM_NULL, "create: non-member got a communicator");
    }
    MPI_Group_free(&half);
    MPI_Group_free(&lg);

    /* Pairs over MPI_COMM_SELF: world 2k with 2k+1 (the last rank of an odd size sits out). */
    int partner = tm_rank ^ 1;
    if (partner < tm_size) {
        MPI_Comm pair, pm;
        TM_CHECK_RC(MPI_Intercomm_create(MPI_COMM_SELF, 0, MPI_COMM_WORLD, partner, 78, &pair),
                    "MPI_Intercomm_create over MPI_COMM_SELF");
        groups_check(pair, 1, 1, tm_rank, partner, 1, "pair");
        int in = -1;
        MPI_Sendrecv(&tm_rank, 1, MPI_INT, 0, 0, &in, 1, MPI_INT, 0, 0, pair,
                     MPI_STATUS_IGNORE);
        TM_CHECK(in == partner, "pair: got %d from the partner", in);
        MPI_Intercomm_merge(pair, tm_rank > partner, &pm);
        int r;
        MPI_Comm_rank(pm, &r);
        TM_CHECK(r == (tm_rank > partner), "pair merged: rank %d", r);
        MPI_Comm_free(&pm);
        MPI_Comm_free(&pair);
    }

    /* errors at the leader: remote_leader itself, bad tag (detected locally) */
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Comm bad = MPI_COMM_NULL;
    int rc = MPI_Intercomm_create(MPI_COMM_SELF, 0, MPI_COMM_WORLD, tm_rank, 1, &bad);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_RANK, "remote_leader = local leader: class %d",
             tm_errclass(rc));
    rc = MPI_Intercomm_create(MPI_COMM_SELF, 0, MPI_COMM_WORLD, tm_size, 1, &bad);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_RANK, "remote_leader = size: class %d",
             tm_errclass(rc));
    rc = MPI_Intercomm_create(MPI_COMM_SELF, 1, MPI_COMM_WORLD, partner, 1, &bad);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_RANK, "local_leader = 1 on SELF: class %d",
             tm_errclass(rc));
    rc = MPI_Intercomm_create(MPI_COMM_SELF, 0, MPI_COMM_WORLD, partner % tm_size, -7, &bad);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_TAG, "tag -7: class %d", tm_errclass(rc));
    MPI_Comm_set_errhandler(ic, MPI_ERRORS_RETURN);
    rc = MPI_Comm_create_group(ic, MPI_GROUP_EMPTY, 0, &bad);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_COMM, "create_group on an intercomm: class %d",
             tm_errclass(rc));
    rc = MPI_Send(&rc, 1, MPI_INT, rsz, 0, ic);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_RANK, "send to remote rank %d: class %d", rsz,
             tm_errclass(rc));
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);

    MPI_Comm_free(&ic);
    MPI_Comm_free(&local);
    return tm_finish();
}
