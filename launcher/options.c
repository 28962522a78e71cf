/* mpiexec command line: MPMD segments separated by ":", the option spellings of Hydra, Open
 * MPI and the MPI standard (shared/ECOSYSTEM.md §2.4), -configfile, and the host checks
 * for a launcher that so far runs on this machine only.
 *
 * Options are looked up with their leading dashes removed, so "-np", "--np", "-label" and
 * "--label" are all the same option; "--opt=value" is accepted for options that take one
 * value. Options that apply to a segment (-n, -env, -envlist, -envall, -envnone, -wdir)
 * belong to the segment they appear in; every other option is global wherever it appears.
 * Parsing never refuses to run as root or to oversubscribe, and an unknown option is an
 * error (a typo must not silently become a program name).
 */
#include "launcher.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef LITEMPI_VERSION_STRING
#define LITEMPI_VERSION_STRING "unknown"
#endif

/* ---- small helpers ---- */

__attribute__((format(printf, 1, 2), noreturn))
static void usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("mpiexec: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see mpiexec --help)\n", stderr);
    exit(1);
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (d == NULL) {
        fputs("mpiexec: out of memory\n", stderr);
        exit(1);
    }
    return d;
}

void lm_strv_push(struct lm_strv *s, const char *str)
{
    if (s->n + 2 > s->cap) {
        int cap = s->cap ? s->cap * 2 : 8;
        char **v = realloc(s->v, (size_t)cap * sizeof *v);
        if (v == NULL) {
            fputs("mpiexec: out of memory\n", stderr);
            exit(1);
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = xstrdup(str);
    s->v[s->n] = NULL;
}

static void strv_insert(struct lm_strv *s, int at, const char *str)
{
    lm_strv_push(s, str);
    char *last = s->v[s->n - 1];
    memmove(&s->v[at + 1], &s->v[at], (size_t)(s->n - 1 - at) * sizeof *s->v);
    s->v[at] = last;
}

void lm_strv_free(struct lm_strv *s)
{
    for (int i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static long parse_long(const char *opt, const char *v, long min, long max)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end != '\0' || n < min || n > max)
        usage_error("%s expects a whole number from %ld to %ld, got '%s'", opt, min, max, v);
    return n;
}

static double parse_seconds(const char *opt, const char *v)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || *end != '\0' || !(d >= 0) || d > 1e9)
        usage_error("%s expects a number of seconds, got '%s'", opt, v);
    return d;
}

/* ---- hosts ---- */

/* True for names that mean this machine. No DNS: the loopback spellings, the addresses of
 * our interfaces, and what gethostname() says (full and short form). */
static bool is_local_host(const char *name)
{
    static const char *const loopback[] = { "localhost", "localhost.localdomain",
                                            "127.0.0.1", "::1", "ip6-localhost" };
    for (size_t i = 0; i < sizeof loopback / sizeof *loopback; i++)
        if (strcasecmp(name, loopback[i]) == 0)
            return true;
    /* An address of one of our interfaces (a hostfile listing this machine's IP). */
    unsigned char want[16];
    int family = inet_pton(AF_INET, name, want) == 1    ? AF_INET
                 : inet_pton(AF_INET6, name, want) == 1 ? AF_INET6
                                                        : 0;
    if (family != 0) {
        struct ifaddrs *ifs, *ifa;
        bool found = false;
        if (getifaddrs(&ifs) == 0) {
            for (ifa = ifs; ifa && !found; ifa = ifa->ifa_next) {
                if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != family)
                    continue;
                if (family == AF_INET)
                    found = memcmp(&((struct sockaddr_in *)ifa->ifa_addr)->sin_addr, want,
                                   4) == 0;
                else
                    found = memcmp(&((struct sockaddr_in6 *)ifa->ifa_addr)->sin6_addr, want,
                                   16) == 0;
            }
            freeifaddrs(ifs);
        }
        return found;
    }
    char me[256];
    if (gethostname(me, sizeof me) != 0)
        return false;
    me[sizeof me - 1] = '\0';
    if (strcasecmp(name, me) == 0)
        return true;
    size_t shortlen = strcspn(me, ".");
    size_t namelen = strcspn(name, ".");
    /* "vm" matches "vm.example.org" and the other way round */
    return shortlen == namelen && strncasecmp(name, me, shortlen) == 0 &&
           (name[namelen] == '\0' || me[shortlen] == '\0');
}

/* One host entry: "name", "name:N" or, in hostfiles, "name slots=N". */
static void add_host(struct lm_options *opt, const char *entry, const char *where)
{
    char name[256];
    long slots = 1;
    const char *colon = strrchr(entry, ':');
    size_t len = strlen(entry);
    /* "::1" has colons but no slot count; "host:4" does. */
    if (colon != NULL && colon[1] != '\0' && strspn(colon + 1, "0123456789") ==
        strlen(colon + 1) && strcmp(entry, "::1") != 0) {
        len = (size_t)(colon - entry);
        slots = parse_long(where, colon + 1, 1, 1 << 20);
    }
    if (len == 0 || len >= sizeof name)
        usage_error("bad host entry '%s' in %s", entry, where);
    memcpy(name, entry, len);
    name[len] = '\0';
    if (!is_local_host(name)) {
        fprintf(stderr, "mpiexec: host '%s' (from %s) is not this machine: multi-host launch "
                "is not supported yet; use localhost or leave the host out\n", name, where);
        exit(1);
    }
    opt->host_slots += (int)slots;
}

static void add_host_list(struct lm_options *opt, const char *list, const char *where)
{
    char *copy = xstrdup(list), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        if (*tok)
            add_host(opt, tok, where);
    free(copy);
}

static void read_hostfile(struct lm_options *opt, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        usage_error("cannot read hostfile '%s': %s", path, strerror(errno));
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *save = NULL;
        char *host = strtok_r(line, " \t\r\n", &save);
        if (host == NULL)
            continue;
        int before = opt->host_slots;
        add_host(opt, host, path);
        /* "host slots=N" (Open MPI) overrides the count of 1 just added */
        for (char *tok; (tok = strtok_r(NULL, " \t\r\n", &save)) != NULL;) {
            if (strncmp(tok, "slots=", 6) == 0)
                opt->host_slots = before + (int)parse_long(path, tok + 6, 1, 1 << 20);
        }
    }
    fclose(f);
}

/* ---- -configfile: one segment per line, appended where the option stood ---- */

static void tokenize_line(const char *line, struct lm_strv *out)
{
    const char *p = line;
    char tok[4096];
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            return;
        size_t n = 0;
        while (*p && !isspace((unsigned char)*p)) {
            if (*p == '"' || *p == '\'') {
                char q = *p++;
                while (*p && *p != q) {
                    if (n + 1 < sizeof tok)
                        tok[n++] = *p;
                    p++;
                }
                if (*p == q)
                    p++;
            } else {
                if (*p == '\\' && p[1])
                    p++;
                if (n + 1 < sizeof tok)
                    tok[n++] = *p;
                p++;
            }
        }
        tok[n] = '\0';
        lm_strv_push(out, tok);
    }
}

static void expand_configfile(struct lm_strv *args, int at, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        usage_error("cannot read configfile '%s': %s", path, strerror(errno));
    struct lm_strv toks = { 0 }, linetoks = { 0 };
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        tokenize_line(line, &linetoks);
        if (linetoks.n > 0 && toks.n > 0)
            lm_strv_push(&toks, ":"); /* one segment per line */
        for (int i = 0; i < linetoks.n; i++)
            lm_strv_push(&toks, linetoks.v[i]);
        lm_strv_free(&linetoks);
    }
    free(line);
    fclose(f);
    if (toks.n == 0)
        usage_error("configfile '%s' holds no program", path);
    for (int i = 0; i < toks.n; i++)
        strv_insert(args, at + i, toks.v[i]);
    lm_strv_free(&toks);
}

/* ---- the option table ---- */

enum opt_id {
    O_NP, O_ENV, O_ENVLIST, O_ENVALL, O_ENVNONE, O_WDIR,                 /* segment */
    O_GENV, O_X, O_GENVLIST, O_GENVALL, O_GENVNONE, O_GWDIR, O_LABEL, O_TIMEOUT, O_DEADLOCK,
    O_BIND, O_USIZE, O_PRINT_CODES, O_KEEP_GOING, O_TRANSPORTS, O_OUTPUT, O_CONFIGFILE, O_HOST,
    O_HOSTFILE, O_HELP, O_VERSION, O_VERBOSE, O_NOOP, O_IGNORE1, O_IGNORE2, O_STDIN,
};

struct opt_def {
    const char *name;
    enum opt_id id;
    int nargs;
};

static const struct opt_def opt_table[] = {
    { "n", O_NP, 1 }, { "np", O_NP, 1 }, { "c", O_NP, 1 },
    { "env", O_ENV, 2 }, { "envlist", O_ENVLIST, 1 }, { "envall", O_ENVALL, 0 },
    { "envnone", O_ENVNONE, 0 },
    { "wdir", O_WDIR, 1 }, { "wd", O_WDIR, 1 }, { "gwdir", O_GWDIR, 1 },
    { "genv", O_GENV, 2 }, { "x", O_X, 1 }, { "genvlist", O_GENVLIST, 1 },
    { "genvall", O_GENVALL, 0 }, { "genvnone", O_GENVNONE, 0 },
    { "l", O_LABEL, 0 }, { "label", O_LABEL, 0 }, { "prepend-rank", O_LABEL, 0 },
    { "tag-output", O_LABEL, 0 },
    { "timeout", O_TIMEOUT, 1 },
    { "deadlock-timeout", O_DEADLOCK, 1 },
    { "bind-to", O_BIND, 1 }, { "binding", O_BIND, 1 },
    { "usize", O_USIZE, 1 }, { "universe-size", O_USIZE, 1 },
    { "print-all-exitcodes", O_PRINT_CODES, 0 },
    { "disable-auto-cleanup", O_KEEP_GOING, 0 }, { "enable-recovery", O_KEEP_GOING, 0 },
    { "transports", O_TRANSPORTS, 1 },
    { "output-filename", O_OUTPUT, 1 },
    { "configfile", O_CONFIGFILE, 1 },
    { "host", O_HOST, 1 }, { "hosts", O_HOST, 1 }, { "H", O_HOST, 1 },
    { "f", O_HOSTFILE, 1 }, { "hostfile", O_HOSTFILE, 1 },
    { "machinefile", O_HOSTFILE, 1 }, { "default-hostfile", O_HOSTFILE, 1 },
    { "h", O_HELP, 0 }, { "help", O_HELP, 0 }, { "?", O_HELP, 0 },
    { "version", O_VERSION, 0 }, { "V", O_VERSION, 0 },
    { "v", O_VERBOSE, 0 }, { "verbose", O_VERBOSE, 0 },
    { "stdin", O_STDIN, 1 },
    /* accepted, nothing to do: we never refuse these */
    { "oversubscribe", O_NOOP, 0 }, { "allow-run-as-root", O_NOOP, 0 },
    { "report-state-on-timeout", O_NOOP, 0 }, { "get-stack-traces", O_NOOP, 0 },
    { "quiet", O_NOOP, 0 }, { "q", O_NOOP, 0 }, { "nooversubscribe", O_NOOP, 0 },
    /* accepted and ignored (noted under -v) */
    { "mca", O_IGNORE2, 2 }, { "gmca", O_IGNORE2, 2 },
    { "launcher", O_IGNORE1, 1 }, { "iface", O_IGNORE1, 1 }, { "map-by", O_IGNORE1, 1 },
    { "ppn", O_IGNORE1, 1 }, { "rank-by", O_IGNORE1, 1 }, { "soft", O_IGNORE1, 1 },
    { "arch", O_IGNORE1, 1 }, { "file", O_IGNORE1, 1 }, { "path", O_IGNORE1, 1 },
    { "npernode", O_IGNORE1, 1 }, { "N", O_IGNORE1, 1 }, { "rmk", O_IGNORE1, 1 },
    { "bootstrap", O_IGNORE1, 1 }, { "disable-hostname-propagation", O_NOOP, 0 },
};

static void print_help(void)
{
    puts(
"Usage: mpiexec [global options] [-n N] [local options] program [args]\n"
"                 [: [-n N] [local options] program [args] ...]\n"
"\n"
"LiteMPI's launcher: starts N ranks of each program on this machine, serves PMI-1,\n"
"forwards output line by line and ends the whole job as soon as one rank fails.\n"
"\n"
"Per segment (before the program):\n"
"  -n, -np, --np N            number of ranks (default 1, or the -host slot count)\n"
"  -env NAME VALUE            set NAME for this segment's ranks\n"
"  -envlist A,B  -envall  -envnone   pass only A,B / everything / nothing of mpiexec's\n"
"                             environment to this segment\n"
"  -wdir, -wd DIR             working directory of this segment's ranks\n"
"Global:\n"
"  -genv NAME VALUE, -x NAME=VALUE, -x NAME   set NAME for all ranks (-x NAME: own value)\n"
"  -genvlist A,B  -genvall  -genvnone         environment passing for all segments\n"
"                             (default: the whole environment)\n"
"  -gwdir DIR                 working directory of every segment without -wdir\n"
"  -l, --label, -prepend-rank, --tag-output   prefix each output line with \"[rank] \"\n"
"  --output-filename DIR      write rank r's stdout and stderr to DIR/rank.r\n"
"  --timeout SECONDS          end the job after SECONDS and report who was still running\n"
"                             (also env MPIEXEC_TIMEOUT); exit status 124\n"
"  --deadlock-timeout SECONDS end the job when every rank has been blocked in MPI with\n"
"                             nothing moving for SECONDS (default 10, 0: never; also env\n"
"                             LITEMPI_DEADLOCK_TIMEOUT); exit status 125\n"
"  --bind-to none|core|hwthread   bind rank r to core (hwthread) r mod count (hwloc)\n"
"  -usize, --universe-size N  MPI_UNIVERSE_SIZE (also env MPIEXEC_UNIVERSE_SIZE,\n"
"                             OMPI_UNIVERSE_SIZE; default: the number of ranks)\n"
"  --transports LIST          set LITEMPI_TRANSPORTS=LIST for the ranks (e.g. tcp,self)\n"
"  --print-all-exitcodes      print every rank's exit status at the end\n"
"  --disable-auto-cleanup, --enable-recovery   a rank that dies or exits early does not\n"
"                             end the job: it is reported, the others run on (their MPI\n"
"                             calls with it fail); the exit status is still the failure's\n"
"  -configfile FILE           read segments from FILE, one per line\n"
"  -host, -hosts, -H LIST; -f, --hostfile FILE   only this machine for now (name[:slots])\n"
"  -v, --verbose              say which options were ignored\n"
"  -h, --help; --version\n"
"Accepted and ignored: --oversubscribe, --allow-run-as-root (never needed), --mca K V,\n"
"  -launcher X, -iface X, --map-by X, -ppn N, --report-state-on-timeout.\n"
"\n"
"Exit status: 0 when every rank exits 0; else the first failing rank's code (128+signal\n"
"for a signal); the code given to MPI_Abort; 124 on --timeout; 125 on a deadlock; 128+signal when mpiexec\n"
"itself is interrupted; 127 when a program cannot be found or run.");
}

static const struct opt_def *find_option(const char *arg, const char **inline_val)
{
    const char *name = arg + 1;
    if (*name == '-')
        name++;
    *inline_val = NULL;
    char buf[64];
    const char *eq = strchr(name, '=');
    if (eq != NULL && arg[1] == '-') { /* --opt=value */
        size_t len = (size_t)(eq - name);
        if (len >= sizeof buf)
            return NULL;
        memcpy(buf, name, len);
        buf[len] = '\0';
        name = buf;
        *inline_val = eq + 1;
    }
    for (size_t i = 0; i < sizeof opt_table / sizeof *opt_table; i++)
        if (strcmp(opt_table[i].name, name) == 0) {
            if (*inline_val != NULL && opt_table[i].nargs != 1)
                return NULL;
            return &opt_table[i];
        }
    return NULL;
}

static struct lm_segment *new_segment(struct lm_options *opt)
{
    struct lm_segment *s = realloc(opt->segs, (size_t)(opt->nsegs + 1) * sizeof *s);
    if (s == NULL) {
        fputs("mpiexec: out of memory\n", stderr);
        exit(1);
    }
    opt->segs = s;
    struct lm_segment *seg = &s[opt->nsegs++];
    memset(seg, 0, sizeof *seg);
    seg->nprocs = -1;
    return seg;
}

static void check_env_name(const char *opt, const char *name)
{
    if (*name == '\0' || strchr(name, '=') != NULL)
        usage_error("%s: '%s' is not an environment variable name", opt, name);
}

int lm_options_parse(int argc, char **argv, struct lm_options *opt)
{
    memset(opt, 0, sizeof *opt);
    struct lm_strv args = { 0 };
    for (int i = 1; i < argc; i++)
        lm_strv_push(&args, argv[i]);

    bool timeout_given = false, usize_given = false, deadlock_given = false;
    struct lm_segment *seg = new_segment(opt);
    bool in_program = false; /* seg has its program: the rest up to ":" are its args */

    for (int i = 0; i < args.n; i++) {
        const char *a = args.v[i];
        if (strcmp(a, ":") == 0) {
            if (seg->argv.n == 0)
                usage_error("segment %d has no program before ':'", opt->nsegs);
            seg = new_segment(opt);
            in_program = false;
            continue;
        }
        if (in_program) {
            lm_strv_push(&seg->argv, a);
            continue;
        }
        if (strcmp(a, "--") == 0) {
            if (i + 1 >= args.n)
                usage_error("no program after '--'");
            lm_strv_push(&seg->argv, args.v[++i]);
            in_program = true;
            continue;
        }
        if (a[0] != '-' || a[1] == '\0') {
            lm_strv_push(&seg->argv, a);
            in_program = true;
            continue;
        }

        const char *inline_val;
        const struct opt_def *d = find_option(a, &inline_val);
        if (d == NULL)
            usage_error("unknown option '%s'", a);
        const char *v1 = NULL, *v2 = NULL;
        if (d->nargs >= 1) {
            if (inline_val != NULL) {
                v1 = inline_val;
            } else {
                if (i + 1 >= args.n)
                    usage_error("option '%s' needs a value", a);
                v1 = args.v[++i];
            }
        }
        if (d->nargs == 2) {
            if (i + 1 >= args.n)
                usage_error("option '%s' needs two values", a);
            v2 = args.v[++i];
        }

        switch (d->id) {
        case O_NP:
            seg->nprocs = (int)parse_long(a, v1, 1, 1 << 20);
            break;
        case O_ENV: {
            check_env_name(a, v1);
            char *kv;
            if (asprintf(&kv, "%s=%s", v1, v2) < 0)
                exit(1);
            lm_strv_push(&seg->env, kv);
            free(kv);
            break;
        }
        case O_ENVLIST:
        case O_GENVLIST: {
            struct lm_strv *list = d->id == O_ENVLIST ? &seg->envlist : &opt->genvlist;
            char *copy = xstrdup(v1), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
                lm_strv_push(list, t);
            free(copy);
            if (d->id == O_ENVLIST)
                seg->env_mode = LM_ENV_LIST;
            else
                opt->genv_mode = LM_ENV_LIST;
            break;
        }
        case O_ENVALL:
            seg->env_mode = LM_ENV_ALL;
            break;
        case O_ENVNONE:
            seg->env_mode = LM_ENV_NONE;
            break;
        case O_WDIR:
            free(seg->wdir);
            seg->wdir = xstrdup(v1);
            break;
        case O_GWDIR:
            free(opt->gwdir);
            opt->gwdir = xstrdup(v1);
            break;
        case O_GENV: {
            check_env_name(a, v1);
            char *kv;
            if (asprintf(&kv, "%s=%s", v1, v2) < 0)
                exit(1);
            lm_strv_push(&opt->genv, kv);
            free(kv);
            break;
        }
        case O_X:
            if (strchr(v1, '=') != NULL) {
                if (v1[0] == '=')
                    usage_error("%s: '%s' is not NAME=VALUE", a, v1);
                lm_strv_push(&opt->genv, v1);
            } else {
                check_env_name(a, v1);
                const char *val = getenv(v1);
                if (val != NULL) {
                    char *kv;
                    if (asprintf(&kv, "%s=%s", v1, val) < 0)
                        exit(1);
                    lm_strv_push(&opt->genv, kv);
                    free(kv);
                }
            }
            break;
        case O_GENVALL:
            opt->genv_mode = LM_ENV_ALL;
            break;
        case O_GENVNONE:
            opt->genv_mode = LM_ENV_NONE;
            break;
        case O_LABEL:
            opt->label = true;
            break;
        case O_TIMEOUT:
            opt->timeout = parse_seconds(a, v1);
            timeout_given = true;
            break;
        case O_DEADLOCK:
            opt->deadlock = parse_seconds(a, v1);
            deadlock_given = true;
            break;
        case O_BIND:
            if (strcmp(v1, "none") == 0)
                opt->bind = LM_BIND_NONE;
            else if (strcmp(v1, "core") == 0 || strcmp(v1, "cores") == 0)
                opt->bind = LM_BIND_CORE;
            else if (strcmp(v1, "hwthread") == 0 || strcmp(v1, "hwthreads") == 0 ||
                     strcmp(v1, "thread") == 0 || strcmp(v1, "pu") == 0)
                opt->bind = LM_BIND_HWTHREAD;
            else
                usage_error("--bind-to expects none, core or hwthread, got '%s'", v1);
            break;
        case O_USIZE:
            opt->universe_size = (int)parse_long(a, v1, 1, 1 << 24);
            usize_given = true;
            break;
        case O_KEEP_GOING:
            opt->keep_going = true;
            break;
        case O_PRINT_CODES:
            opt->print_all_exitcodes = true;
            break;
        case O_TRANSPORTS:
            free(opt->transports);
            opt->transports = xstrdup(v1);
            break;
        case O_OUTPUT:
            free(opt->output_dir);
            opt->output_dir = xstrdup(v1);
            break;
        case O_CONFIGFILE:
            expand_configfile(&args, i + 1, v1);
            break;
        case O_HOST:
            add_host_list(opt, v1, a);
            break;
        case O_HOSTFILE:
            read_hostfile(opt, v1);
            break;
        case O_HELP:
            print_help();
            exit(0);
        case O_VERSION:
            printf("mpiexec (LiteMPI) %s\n", LITEMPI_VERSION_STRING);
            exit(0);
        case O_VERBOSE:
            opt->verbose = true;
            break;
        case O_STDIN:
            if (strcmp(v1, "0") != 0) {
                char *note;
                if (asprintf(&note, "%s %s: stdin always goes to rank 0", a, v1) >= 0) {
                    lm_strv_push(&opt->notes, note);
                    free(note);
                }
            }
            break;
        case O_NOOP:
            break;
        case O_IGNORE1:
        case O_IGNORE2: {
            char *note;
            if (asprintf(&note, "%s %s%s%s: ignored", a, v1, v2 ? " " : "", v2 ? v2 : "") >= 0) {
                lm_strv_push(&opt->notes, note);
                free(note);
            }
            break;
        }
        }
    }
    lm_strv_free(&args);

    if (seg->argv.n == 0) {
        if (opt->nsegs == 1)
            usage_error("no program to run");
        usage_error("segment %d has no program after ':'", opt->nsegs);
    }

    opt->total = 0;
    for (int s = 0; s < opt->nsegs; s++) {
        struct lm_segment *g = &opt->segs[s];
        if (g->nprocs < 0)
            g->nprocs = (opt->nsegs == 1 && opt->host_slots > 0) ? opt->host_slots : 1;
        g->first_rank = opt->total;
        if (opt->total > (1 << 20) - g->nprocs)
            usage_error("too many ranks");
        opt->total += g->nprocs;
    }

    const char *env;
    if (!timeout_given && (env = getenv("MPIEXEC_TIMEOUT")) != NULL && *env != '\0')
        opt->timeout = parse_seconds("MPIEXEC_TIMEOUT", env);
    opt->deadlock = deadlock_given ? opt->deadlock : 10.0;
    if (!deadlock_given && (env = getenv("LITEMPI_DEADLOCK_TIMEOUT")) != NULL && *env != '\0')
        opt->deadlock = parse_seconds("LITEMPI_DEADLOCK_TIMEOUT", env);
    if (!usize_given) {
        if ((env = getenv("MPIEXEC_UNIVERSE_SIZE")) != NULL && *env != '\0')
            opt->universe_size = (int)parse_long("MPIEXEC_UNIVERSE_SIZE", env, 1, 1 << 24);
        else if ((env = getenv("OMPI_UNIVERSE_SIZE")) != NULL && *env != '\0')
            opt->universe_size = (int)parse_long("OMPI_UNIVERSE_SIZE", env, 1, 1 << 24);
    }
    if (opt->universe_size <= 0)
        opt->universe_size = opt->total;

    if (opt->verbose)
        for (int i = 0; i < opt->notes.n; i++)
            fprintf(stderr, "mpiexec: note: %s\n", opt->notes.v[i]);
    return 0;
}

void lm_options_free(struct lm_options *opt)
{
    for (int s = 0; s < opt->nsegs; s++) {
        struct lm_segment *g = &opt->segs[s];
        lm_strv_free(&g->argv);
        lm_strv_free(&g->env);
        lm_strv_free(&g->envlist);
        free(g->path);
        free(g->wdir);
        free(g->envp); /* pointers into environ / the lists above */
    }
    free(opt->segs);
    lm_strv_free(&opt->genv);
    lm_strv_free(&opt->genvlist);
    lm_strv_free(&opt->notes);
    free(opt->gwdir);
    free(opt->transports);
    free(opt->output_dir);
    memset(opt, 0, sizeof *opt);
}
