/* info/info: the MPI_Info_* calls, MPI_INFO_ENV and communicator hints.
 *
 * Keys come back from MPI_Info_get_nthkey in insertion order; setting an existing key
 * changes its value in place; deleting one closes the gap. MPI_Info_get copies at most
 * valuelen characters plus the terminator; MPI_Info_get_string copies what fits in buflen
 * (terminated) and sets buflen to the value's length + 1, and with buflen 0 only reports
 * the length. MPI_INFO_ENV knows command, maxprocs, host, arch, wdir and thread_level.
 * Bad input: empty or too long keys (MPI_ERR_INFO_KEY), too long values
 * (MPI_ERR_INFO_VALUE), missing keys to delete (MPI_ERR_INFO_NOKEY), n out of range
 * (MPI_ERR_ARG), MPI_INFO_NULL (MPI_ERR_INFO). (MPICH 4.0 refuses to truncate in
 * MPI_Info_get, which MPI allows.) */
#include <unistd.h>

#include "../common.h"

static void expect_keys(MPI_Info info, const char *const *keys, int n, const char *what)
{
    int nk = -1;
    char k[MPI_MAX_INFO_KEY];
    MPI_Info_get_nkeys(info, &nk);
    TM_CHECK(nk == n, "%s: %d keys, expected %d", what, nk, n);
    for (int i = 0; i < n && i < nk; i++) {
        MPI_Info_get_nthkey(info, i, k);
        TM_CHECK(!strcmp(k, keys[i]), "%s: key %d is '%s', expected '%s'", what, i, k, keys[i]);
    }
}

static void expect_value(MPI_Info info, const char *key, const char *want, const char *what)
{
    char v[MPI_MAX_INFO_VAL];
    int flag = -1, len = -1;
    MPI_Info_get(info, key, MPI_MAX_INFO_VAL - 1, v, &flag);
    TM_CHECK(flag == (want != NULL), "%s: key '%s' flag %d", what, key, flag);
    if (flag && want)
        TM_CHECK(!strcmp(v, want), "%s: '%s' = '%s', expected '%s'", what, key, v, want);
    MPI_Info_get_valuelen(info, key, &len, &flag);
    TM_CHECK(flag == (want != NULL) && (!want || len == (int)strlen(want)),
             "%s: valuelen of '%s' is %d (flag %d)", what, key, len, flag);
}

static void expect_class(int rc, int cls, const char *what)
{
    TM_CHECK(rc != MPI_SUCCESS && tm_errclass(rc) == cls, "%s returned %d (class %d), "
             "expected class %d", what, rc, tm_errclass(rc), cls);
}

int main(int argc, char **argv)
{
    tm_init(&argc, &argv);
    MPI_Info info, dup;
    TM_CHECK_RC(MPI_Info_create(&info), "MPI_Info_create");
    const char *none[1] = {""};
    expect_keys(info, none, 0, "new info");
    MPI_Info_set(info, "zeta", "1");
    MPI_Info_set(info, "alpha", "two words");
    MPI_Info_set(info, "mid", " spaced ");
    const char *k3[] = {"zeta", "alpha", "mid"};
    expect_keys(info, k3, 3, "three keys");
    expect_value(info, "mid", " spaced ", "spaces are kept");
    MPI_Info_set(info, "alpha", "changed");
    expect_keys(info, k3, 3, "after changing alpha");
    expect_value(info, "alpha", "changed", "alpha changed");
    expect_value(info, "nope", NULL, "missing key");

    /* truncating get and get_string */
    char v[16];
    int flag = -1;
    memset(v, '#', sizeof v);
    MPI_Info_get(info, "alpha", 3, v, &flag);
    TM_CHECK(flag && !strcmp(v, "cha"), "Info_get with valuelen 3: '%s'", v);
#if MPI_VERSION >= 4
    int buflen = 0;
    MPI_Info_get_string(info, "alpha", &buflen, v, &flag);
    TM_CHECK(flag && buflen == 8, "get_string with buflen 0: flag %d buflen %d", flag, buflen);
    buflen = 4;
    MPI_Info_get_string(info, "alpha", &buflen, v, &flag);
    TM_CHECK(flag && buflen == 8 && !strcmp(v, "cha"), "get_string with buflen 4: '%s' %d", v,
             buflen);
    buflen = 16;
    MPI_Info_get_string(info, "alpha", &buflen, v, &flag);
    TM_CHECK(flag && buflen == 8 && !strcmp(v, "changed"), "get_string: '%s' %d", v, buflen);
    buflen = 5;
    MPI_Info_get_string(info, "nope", &buflen, v, &flag);
    TM_CHECK(!flag && buflen == 5, "get_string of a missing key: flag %d buflen %d", flag,
             buflen);
#endif

    /* dup is independent; delete closes the gap */
    TM_CHECK_RC(MPI_Info_dup(info, &dup), "MPI_Info_dup");
    expect_keys(dup, k3, 3, "dup");
    TM_CHECK_RC(MPI_Info_delete(info, "zeta"), "MPI_Info_delete");
    const char *k2[] = {"alpha", "mid"};
    expect_keys(info, k2, 2, "after deleting zeta");
    expect_keys(dup, k3, 3, "dup after deleting zeta from the original");
    MPI_Info_set(dup, "extra", "x");
    expect_value(info, "extra", NULL, "original after setting on the dup");
    /* a key of the maximal length, a value of the maximal length */
    char longkey[MPI_MAX_INFO_KEY + 1], longval[MPI_MAX_INFO_VAL + 1];
    memset(longkey, 'k', sizeof longkey);
    memset(longval, 'v', sizeof longval);
    longkey[MPI_MAX_INFO_KEY - 1] = '\0';
    longval[MPI_MAX_INFO_VAL - 1] = '\0';
    TM_CHECK_RC(MPI_Info_set(info, longkey, longval), "set with maximal key and value");
    expect_value(info, longkey, longval, "maximal key and value");

    /* errors */
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN); /* MPI-3 routed them there */
    longkey[MPI_MAX_INFO_KEY - 1] = 'k';
    longkey[MPI_MAX_INFO_KEY] = '\0';
    expect_class(MPI_Info_set(info, longkey, "x"), MPI_ERR_INFO_KEY, "set with a long key");
    expect_class(MPI_Info_set(info, "", "x"), MPI_ERR_INFO_KEY, "set with an empty key");
    longval[MPI_MAX_INFO_VAL - 1] = 'v';
    longval[MPI_MAX_INFO_VAL] = '\0';
    expect_class(MPI_Info_set(info, "k", longval), MPI_ERR_INFO_VALUE, "set with a long value");
    expect_class(MPI_Info_delete(info, "zeta"), MPI_ERR_INFO_NOKEY, "delete of a missing key");
    char key[MPI_MAX_INFO_KEY];
    expect_class(MPI_Info_get_nthkey(info, 3, key), MPI_ERR_ARG, "get_nthkey(3) of 3 keys");
    expect_class(MPI_Info_get_nthkey(info, -1, key), MPI_ERR_ARG, "get_nthkey(-1)");
    expect_class(MPI_Info_set(MPI_INFO_NULL, "k", "v"), MPI_ERR_INFO, "set on MPI_INFO_NULL");
    MPI_Info nullinfo = MPI_INFO_NULL;
    expect_class(MPI_Info_free(&nullinfo), MPI_ERR_INFO, "free of MPI_INFO_NULL");
    expect_class(MPI_Info_get(info, "alpha", -1, v, &flag), MPI_ERR_ARG, "get, valuelen -1");
    MPI_Comm_set_errhandler(MPI_COMM_SELF, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);

    TM_CHECK_RC(MPI_Info_free(&info), "MPI_Info_free");
    TM_CHECK(info == MPI_INFO_NULL, "MPI_Info_free did not set MPI_INFO_NULL");
    MPI_Info_free(&dup);

    /* MPI_INFO_ENV */
    char val[MPI_MAX_INFO_VAL], want[64];
    MPI_Info_get(MPI_INFO_ENV, "command", MPI_MAX_INFO_VAL - 1, val, &flag);
    TM_CHECK(flag && strstr(val, "mpitest_info_info") != NULL, "MPI_INFO_ENV command = '%s'",
             flag ? val : "(unset)");
    snprintf(want, sizeof want, "%d", tm_size);
    MPI_Info_get(MPI_INFO_ENV, "maxprocs", MPI_MAX_INFO_VAL - 1, val, &flag);
    TM_CHECK(flag && !strcmp(val, want), "MPI_INFO_ENV maxprocs = '%s'", flag ? val : "unset");
    char cwd[MPI_MAX_INFO_VAL];
    if (getcwd(cwd, sizeof cwd)) {
        MPI_Info_get(MPI_INFO_ENV, "wdir", MPI_MAX_INFO_VAL - 1, val, &flag);
        TM_CHECK(flag && !strcmp(val, cwd), "MPI_INFO_ENV wdir = '%s'", flag ? val : "unset");
    }
    MPI_Info_get(MPI_INFO_ENV, "host", MPI_MAX_INFO_VAL - 1, val, &flag);
    TM_CHECK(flag && val[0], "MPI_INFO_ENV has no host");
    MPI_Info_get(MPI_INFO_ENV, "arch", MPI_MAX_INFO_VAL - 1, val, &flag);
    TM_CHECK(flag && val[0], "MPI_INFO_ENV has no arch");
    MPI_Info_get(MPI_INFO_ENV, "thread_level", MPI_MAX_INFO_VAL - 1, val, &flag);
    TM_CHECK(flag && !strcmp(val, "MPI_THREAD_SINGLE"), "MPI_INFO_ENV thread_level = '%s'",
             flag ? val : "unset");
#if MPI_VERSION >= 4
    MPI_Info env;
    TM_CHECK_RC(MPI_Info_create_env(argc, argv, &env), "MPI_Info_create_env");
    MPI_Info_get(env, "maxprocs", MPI_MAX_INFO_VAL - 1, val, &flag);
    TM_CHECK(flag && !strcmp(val, want), "create_env maxprocs = '%s'", flag ? val : "unset");
    MPI_Info_free(&env);
#endif

    /* communicator hints: set_info merges, get_info returns a new object each time */
    MPI_Comm c;
    MPI_Comm_dup(MPI_COMM_WORLD, &c);
    MPI_Info h, used;
    MPI_Comm_get_info(c, &used);
    int nk = -1;
    MPI_Info_get_nkeys(used, &nk);
    MPI_Info_free(&used);
    MPI_Info_create(&h);
    MPI_Info_set(h, "mpi_assert_no_any_source", "true");
    MPI_Info_set(h, "user_hint", "42");
    MPI_Comm_set_info(c, h);
    MPI_Info_free(&h);
    MPI_Comm_get_info(c, &used);
    expect_value(used, "mpi_assert_no_any_source", "true", "comm hint after set_info");
    MPI_Info_free(&used);
    MPI_Comm_free(&c);

    /* integer handles */
#if MPI_VERSION >= 5
    MPI_Info_create(&h);
    int hi = MPI_Info_toint(h);
    TM_CHECK(MPI_Info_fromint(hi) == h, "Info_fromint(Info_toint(h)) != h");
    TM_CHECK(MPI_Info_toint(MPI_INFO_NULL) == (int)(intptr_t)MPI_INFO_NULL &&
             MPI_Info_toint(MPI_INFO_ENV) == (int)(intptr_t)MPI_INFO_ENV,
             "predefined info handles do not convert to their constants");
    TM_CHECK(hi >= 4096, "a user info converts to %d, inside the predefined range", hi);
    MPI_Info_free(&h);
#endif
    return tm_finish();
}
