/* errhandler/errhandler: user error handlers, user error classes/codes/strings, and the
 * integer handle conversions.
 *
 *   - a handler made by MPI_Comm_create_errhandler is called with the communicator the
 *     error happened on and the error code, then the call returns that code; an invalid
 *     rank gives a code of class MPI_ERR_RANK; a receive that truncates reports through
 *     MPI_Wait to the handler of the request's communicator;
 *   - MPI_Comm_call_errhandler passes exactly the given code and returns MPI_SUCCESS;
 *   - errors not tied to a communicator go to MPI_COMM_SELF's handler, with MPI_COMM_SELF;
 *   - a handler freed by MPI_Errhandler_free stays in use by the communicators it is set
 *     on; duplicates inherit it;
 *   - MPI_Add_error_class/code/string: MPI_Error_class maps codes to their class,
 *     MPI_Error_string gives the string (empty before one is added), MPI_LASTUSEDCODE
 *     covers them; a code for a non-class, or a string for a predefined code, is
 *     MPI_ERR_ARG;
 *   - toint/fromint: predefined handles convert to their constants, others round-trip. */
#include "../common.h"

static int calls;
static MPI_Comm seen_comm;
static int seen_code;

static void handler(MPI_Comm *comm, int *code, ...)
{
    calls++;
    seen_comm = *comm;
    seen_code = *code;
}

static void expect_call(int rc, MPI_Comm comm, int cls, const char *what)
{
    TM_CHECK(calls == 1, "%s: handler called %d times", what, calls);
    TM_CHECK(seen_comm == comm, "%s: handler got another communicator", what);
    TM_CHECK(seen_code == rc, "%s: handler got code %d, the call returned %d", what, seen_code,
             rc);
    TM_CHECK(tm_errclass(rc) == cls, "%s: class %d, expected %d", what, tm_errclass(rc), cls);
    calls = 0;
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Errhandler eh, got;
    MPI_Comm c, d;
    TM_CHECK_RC(MPI_Comm_create_errhandler(handler, &eh), "MPI_Comm_create_errhandler");
    MPI_Comm_dup(MPI_COMM_WORLD, &c);
    TM_CHECK_RC(MPI_Comm_set_errhandler(c, eh), "set a user handler");
    MPI_Comm_get_errhandler(c, &got);
    TM_CHECK(got == eh, "get_errhandler returned another handler");
    MPI_Errhandler_free(&got);

    int v = 0;
    int rc = MPI_Send(&v, 1, MPI_INT, tm_size, 0, c);
    expect_call(rc, c, MPI_ERR_RANK, "send to rank size");
    rc = MPI_Send(&v, -1, MPI_INT, 0, 0, c);
    expect_call(rc, c, MPI_ERR_COUNT, "send of count -1");

    /* MPI_Comm_call_errhandler */
    rc = MPI_Comm_call_errhandler(c, MPI_ERR_TAG);
    TM_CHECK(rc == MPI_SUCCESS, "call_errhandler returned %d", rc);
    TM_CHECK(calls == 1 && seen_code == MPI_ERR_TAG && seen_comm == c,
             "call_errhandler: calls %d code %d", calls, seen_code);
    calls = 0;

    /* freed but in use; inherited by a duplicate */
    TM_CHECK_RC(MPI_Errhandler_free(&eh), "MPI_Errhandler_free while in use");
    TM_CHECK(eh == MPI_ERRHANDLER_NULL, "Errhandler_free did not set MPI_ERRHANDLER_NULL");
    MPI_Comm_dup(c, &d);
    rc = MPI_Recv(&v, 1, MPI_INT, -7, 0, d, MPI_STATUS_IGNORE);
    expect_call(rc, d, MPI_ERR_RANK, "recv from -7 on a duplicate");
    MPI_Comm_free(&c);
    rc = MPI_Send(&v, 1, MPI_INT, 0, -1, d);
    expect_call(rc, d, MPI_ERR_TAG, "send with tag -1 after the parent is freed");

    /* an error found at completion: truncation reported by MPI_Wait */
    if (tm_size > 1 && tm_rank < 2) {
        int big[4] = {1, 2, 3, 4}, small[2];
        MPI_Request req;
        if (tm_rank == 0) {
            MPI_Send(big, 4, MPI_INT, 1, 3, d);
        } else {
            MPI_Irecv(small, 2, MPI_INT, 0, 3, d, &req);
            rc = MPI_Wait(&req, MPI_STATUS_IGNORE);
            expect_call(rc, d, MPI_ERR_TRUNCATE, "truncating receive, at MPI_Wait");
        }
    }
    MPI_Comm_free(&d);

    /* errors without a communicator: MPI_COMM_SELF's handler */
    MPI_Comm_create_errhandler(handler, &eh);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, eh);
    int sz;
    rc = MPI_Group_size(MPI_GROUP_NULL, &sz);
    expect_call(rc, MPI_COMM_SELF, MPI_ERR_GROUP, "group size of MPI_GROUP_NULL");
    rc = MPI_Comm_rank(MPI_COMM_NULL, &sz);
    expect_call(rc, MPI_COMM_SELF, MPI_ERR_COMM, "comm_rank of MPI_COMM_NULL");
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Errhandler_free(&eh);

    /* user error classes, codes and strings */
    int cls, code1, code2, cls2, out = -1, len;
    char str[MPI_MAX_ERROR_STRING];
    TM_CHECK_RC(MPI_Add_error_class(&cls), "MPI_Add_error_class");
    TM_CHECK_RC(MPI_Add_error_code(cls, &code1), "MPI_Add_error_code");
    MPI_Add_error_code(cls, &code2);
    MPI_Add_error_class(&cls2);
    TM_CHECK(cls != code1 && code1 != code2 && cls2 != cls && cls > MPI_ERR_LASTCODE - 1 &&
             code1 > 0, "user classes/codes %d %d %d %d", cls, code1, code2, cls2);
    MPI_Error_class(code1, &out);
    TM_CHECK(out == cls, "class of code1 is %d, expected %d", out, cls);
    MPI_Error_class(cls, &out);
    TM_CHECK(out == cls, "class of the class is %d", out);
    str[0] = 'x';
    MPI_Error_string(code2, str, &len);
    TM_CHECK(len == 0 && str[0] == '\0', "string of a code without one: '%s'", str);
    TM_CHECK_RC(MPI_Add_error_string(code1, "disk on fire"), "MPI_Add_error_string");
    MPI_Error_string(code1, str, &len);
    TM_CHECK(!strcmp(str, "disk on fire") && len == 12, "string of code1: '%s'", str);
    MPI_Add_error_string(code1, "disk cooled");
    MPI_Error_string(code1, str, &len);
    TM_CHECK(!strcmp(str, "disk cooled"), "replaced string: '%s'", str);
    int *last, flag;
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_LASTUSEDCODE, &last, &flag);
    TM_CHECK(flag && *last >= cls2 && *last >= code2, "MPI_LASTUSEDCODE %d", *last);
    /* a user code through a handler: exactly that code */
    MPI_Comm_create_errhandler(handler, &eh);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, eh);
    MPI_Comm_call_errhandler(MPI_COMM_WORLD, code2);
    TM_CHECK(calls == 1 && seen_code == code2 && seen_comm == MPI_COMM_WORLD,
             "call_errhandler with a user code: calls %d code %d", calls, seen_code);
    calls = 0;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Errhandler_free(&eh);
    rc = MPI_Add_error_code(code1, &out);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_ARG, "add_error_code on a code: class %d",
             tm_errclass(rc));
    rc = MPI_Add_error_string(MPI_ERR_ARG, "mine");
    TM_CHECK(tm_errclass(rc) == MPI_ERR_ARG, "add_error_string on a predefined class: %d",
             tm_errclass(rc));
    /* a predefined class gets a user code too */
    TM_CHECK_RC(MPI_Add_error_code(MPI_ERR_IO, &out), "add a code to MPI_ERR_IO");
    int c3 = out;
    MPI_Error_class(c3, &out);
    TM_CHECK(out == MPI_ERR_IO, "class of a user code of MPI_ERR_IO: %d", out);
#if MPI_VERSION >= 5 || (MPI_VERSION == 4 && MPI_SUBVERSION >= 1)
    rc = MPI_Remove_error_class(cls);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_ARG, "removing a class with codes: class %d",
             tm_errclass(rc));
    TM_CHECK_RC(MPI_Remove_error_string(code1), "MPI_Remove_error_string");
    MPI_Error_string(code1, str, &len);
    TM_CHECK(len == 0, "string after removal: '%s'", str);
    TM_CHECK_RC(MPI_Remove_error_code(code1), "MPI_Remove_error_code");
    TM_CHECK_RC(MPI_Remove_error_code(code2), "MPI_Remove_error_code");
    TM_CHECK_RC(MPI_Remove_error_code(c3), "MPI_Remove_error_code");
    TM_CHECK_RC(MPI_Remove_error_class(cls2), "MPI_Remove_error_class");
    TM_CHECK_RC(MPI_Remove_error_class(cls), "MPI_Remove_error_class");
    rc = MPI_Remove_error_class(MPI_ERR_ARG);
    TM_CHECK(tm_errclass(rc) == MPI_ERR_ARG, "removing a predefined class: class %d",
             tm_errclass(rc));
    MPI_Comm_get_attr(MPI_COMM_WORLD, MPI_LASTUSEDCODE, &last, &flag);
    TM_CHECK(*last == MPI_ERR_LASTCODE, "MPI_LASTUSEDCODE %d after removing all", *last);
#endif
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);

#if MPI_VERSION >= 5
    /* integer handles */
    TM_CHECK(MPI_Comm_toint(MPI_COMM_WORLD) == 0x101 && MPI_Comm_toint(MPI_COMM_NULL) == 0x100,
             "predefined communicators do not convert to their constants");
    TM_CHECK(MPI_Comm_fromint(0x102) == MPI_COMM_SELF, "Comm_fromint(0x102) != SELF");
    TM_CHECK(MPI_Errhandler_toint(MPI_ERRORS_RETURN) == 0x142, "ERRORS_RETURN toint");
    TM_CHECK(MPI_Type_toint(MPI_INT) == 0x209 && MPI_Type_fromint(0x209) == MPI_INT,
             "MPI_INT toint/fromint");
    TM_CHECK(MPI_Request_toint(MPI_REQUEST_NULL) == 0x180, "REQUEST_NULL toint");
    TM_CHECK(MPI_Group_toint(MPI_GROUP_EMPTY) == 0x109, "GROUP_EMPTY toint");
    MPI_Comm_dup(MPI_COMM_WORLD, &c);
    MPI_Group g;
    MPI_Comm_group(c, &g);
    MPI_Datatype t;
    MPI_Type_contiguous(2, MPI_INT, &t);
    MPI_Comm_create_errhandler(handler, &eh);
    int ci = MPI_Comm_toint(c), gi = MPI_Group_toint(g), ti = MPI_Type_toint(t);
    int ei = MPI_Errhandler_toint(eh);
    TM_CHECK(ci >= 4096 && gi >= 4096 && ti >= 4096 && ei >= 4096,
             "user handles convert into the predefined range: %d %d %d %d", ci, gi, ti, ei);
    TM_CHECK(ci != gi && gi != ti && ti != ei, "two objects share an integer");
    TM_CHECK(MPI_Comm_toint(c) == ci, "toint is not stable");
    TM_CHECK(MPI_Comm_fromint(ci) == c && MPI_Group_fromint(gi) == g &&
             MPI_Type_fromint(ti) == t && MPI_Errhandler_fromint(ei) == eh,
             "fromint does not give the handle back");
    MPI_Request req;
    MPI_Irecv(&v, 1, MPI_INT, MPI_PROC_NULL, 0, c, &req);
    int ri = MPI_Request_toint(req);
    TM_CHECK(MPI_Request_fromint(ri) == req, "request round trip");
    MPI_Wait(&req, MPI_STATUS_IGNORE);
    MPI_Comm_free(&c);
    MPI_Group_free(&g);
    MPI_Type_free(&t);
    MPI_Errhandler_free(&eh);
    /* many objects: integers stay small and distinct */
    MPI_Comm many[64];
    int ints[64];
    for (int i = 0; i < 64; i++) {
        MPI_Comm_dup(MPI_COMM_WORLD, &many[i]);
        ints[i] = MPI_Comm_toint(many[i]);
    }
    for (int i = 0; i < 64; i++) {
        TM_CHECK(MPI_Comm_fromint(ints[i]) == many[i], "comm %d does not round-trip", i);
        TM_CHECK(ints[i] < 4096 + 1000, "integer %d is not small", ints[i]);
        for (int j = 0; j < i; j++)
            TM_CHECK(ints[i] != ints[j], "comms %d and %d share integer %d", i, j, ints[i]);
    }
    for (int i = 0; i < 64; i++)
        MPI_Comm_free(&many[i]);
#endif
    return tm_finish();
}
