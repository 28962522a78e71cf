/* pmiprog: a scriptable rank for launcher tests that does not need the MPI library. It
 * links the PMI client (src/pmi/pmi.c) directly and runs its arguments as steps:
 *
 *   init | kvs | fence | finalize | info | mapping | names
 *   abort:CODE[:MESSAGE]  exit:CODE  segv  kill:SIG  sleep:SECONDS  pause
 *   print:TEXT  env:NAME  cwd  cat  lines:COUNT:LENGTH  pid  ignoreterm  touchshm  rawpmi
 *   get:KEY   print "rank R: get KEY=VALUE" (or "... not found") from the key-value space
 *   rN:STEP   run STEP only on rank N (rank from PMI, or PMI_RANK before init)
 *
 * kvs puts "key_<rank>", fences, gets every rank's key and checks the values. lines writes
 * COUNT lines of LENGTH characters (a rank-specific letter) in small random-sized chunks,
 * so a launcher that forwards partial lines would interleave them. pid prints
 * "rank R pid P"; ignoreterm ignores SIGTERM; touchshm creates the files the library's shm
 * segments would be (litempi-$LITEMPI_KVSNAME-* in /dev/shm and $TMPDIR) so the launcher's
 * cleanup can be checked. rawpmi talks to PMI_FD by hand (instead of init ... finalize): a
 * request written one byte at a time, two requests in one write, a malformed line; it
 * prints each reply as "rank R raw: LINE". Exit status 2 means a step failed.
 */
#include "pmi/pmi.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct lm_pmi pmi;
static bool inited;

static int my_rank(void)
{
    if (inited)
        return pmi.rank;
    const char *r = getenv("PMI_RANK");
    return r ? atoi(r) : 0;
}

static void fail(const char *what)
{
    fprintf(stderr, "pmiprog rank %d: %s failed\n", my_rank(), what);
    exit(2);
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            exit(2);
        p += w;
        n -= (size_t)w;
    }
}

static void step_kvs(void)
{
    char key[64], val[320], want[320];
    snprintf(key, sizeof key, "key_%d", pmi.rank);
    snprintf(val, sizeof val, "value_of_%d_in_%s", pmi.rank, pmi.kvsname);
    if (lm_pmi_put(&pmi, key, val) != 0)
        fail("put");
    if (lm_pmi_fence(&pmi) != 0)
        fail("fence");
    for (int r = 0; r < pmi.size; r++) {
        snprintf(key, sizeof key, "key_%d", r);
        snprintf(want, sizeof want, "value_of_%d_in_%s", r, pmi.kvsname);
        if (lm_pmi_get(&pmi, key, val, sizeof val) != 0 || strcmp(val, want) != 0)
            fail("get");
    }
    if (lm_pmi_get(&pmi, "no_such_key", val, sizeof val) != 1)
        fail("get of a missing key");
    printf("rank %d of %d: kvs ok\n", pmi.rank, pmi.size);
    fflush(stdout);
}

static void step_lines(const char *spec)
{
    int count = 0, length = 0;
    if (sscanf(spec, "%d:%d", &count, &length) != 2 || count < 0 || length < 1)
        fail("lines spec");
    char *line = malloc((size_t)length + 1);
    memset(line, 'a' + my_rank() % 26, (size_t)length);
    line[length] = '\n';
    srand((unsigned)(getpid() ^ time(NULL)));
    for (int i = 0; i < count; i++) {
        size_t pos = 0, total = (size_t)length + 1;
        while (pos < total) {
            size_t chunk = 1 + (size_t)rand() % 4096;
            if (chunk > total - pos)
                chunk = total - pos;
            write_all(1, line + pos, chunk);
            pos += chunk;
            if (rand() % 8 == 0)
                usleep(100);
        }
    }
    free(line);
}

/* Reads one reply line from fd into buf (without '\n'). */
static void raw_read_line(int fd, char *buf, size_t len)
{
    size_t n = 0;
    while (n + 1 < len) {
        ssize_t r = read(fd, buf + n, 1);
        if (r <= 0)
            fail("rawpmi read");
        if (buf[n] == '\n')
            break;
        n++;
    }
    buf[n] = '\0';
    printf("rank %d raw: %s\n", my_rank(), buf);
    fflush(stdout);
}

static void step_rawpmi(void)
{
    const char *e = getenv("PMI_FD");
    if (e == NULL)
        fail("rawpmi without PMI_FD");
    int fd = atoi(e);
    char line[1200];
    const char *init = "cmd=init pmi_version=1 pmi_subversion=1\n";
    for (const char *p = init; *p; p++) {
        write_all(fd, p, 1);
        usleep(500);
    }
    raw_read_line(fd, line, sizeof line);
    const char *two = "cmd=get_maxes\ncmd=get_appnum\n";
    write_all(fd, two, strlen(two));
    raw_read_line(fd, line, sizeof line);
    raw_read_line(fd, line, sizeof line);
    write_all(fd, "garbage without command\n", 24);
    raw_read_line(fd, line, sizeof line);
    write_all(fd, "cmd=finalize\n", 13);
    raw_read_line(fd, line, sizeof line);
}

static void run_step(const char *s)
{
    if (s[0] == 'r' && s[1] >= '0' && s[1] <= '9') {
        char *colon;
        long only = strtol(s + 1, &colon, 10);
        if (*colon == ':') {
            if (only == my_rank())
                run_step(colon + 1);
            return;
        }
    }
    if (strcmp(s, "init") == 0) {
        if (lm_pmi_init(&pmi) != 0)
            fail("init");
        inited = true;
    } else if (strcmp(s, "kvs") == 0) {
        step_kvs();
    } else if (strcmp(s, "fence") == 0) {
        if (lm_pmi_fence(&pmi) != 0)
            fail("fence");
    } else if (strcmp(s, "finalize") == 0) {
        if (lm_pmi_finalize(&pmi) != 0)
            fail("finalize");
    } else if (strcmp(s, "info") == 0) {
        printf("rank=%d size=%d appnum=%d universe=%d singleton=%d spawned=%d kvsname=%s "
               "maxes=%d,%d,%d\n", pmi.rank, pmi.size, pmi.appnum, pmi.universe_size,
               pmi.singleton, pmi.spawned, pmi.kvsname, pmi.kvsname_max, pmi.keylen_max,
               pmi.vallen_max);
        fflush(stdout);
    } else if (strcmp(s, "mapping") == 0) {
        char map[1024];
        int nodes[4096];
        if (lm_pmi_get(&pmi, "PMI_process_mapping", map, sizeof map) != 0)
            fail("get PMI_process_mapping");
        int n = lm_pmi_parse_mapping(map, pmi.size <= 4096 ? pmi.size : 4096, nodes);
        printf("rank %d: mapping %s nodes=%d my_node=%d\n", pmi.rank, map, n,
               n > 0 ? nodes[pmi.rank] : -1);
        fflush(stdout);
    } else if (strcmp(s, "names") == 0) {
        char svc[64], port[256];
        snprintf(svc, sizeof svc, "svc_%d", pmi.rank);
        if (lm_pmi_publish(&pmi, svc, "tcp://port#1$x") != 0)
            fail("publish");
        if (lm_pmi_lookup(&pmi, svc, port, sizeof port) != 0 ||
            strcmp(port, "tcp://port#1$x") != 0)
            fail("lookup");
        if (lm_pmi_publish(&pmi, svc, "again") == 0)
            fail("second publish (should be refused)");
        if (lm_pmi_unpublish(&pmi, svc) != 0)
            fail("unpublish");
        if (lm_pmi_lookup(&pmi, svc, port, sizeof port) != 1)
            fail("lookup after unpublish");
        printf("rank %d: names ok\n", pmi.rank);
        fflush(stdout);
    } else if (strncmp(s, "abort:", 6) == 0) {
        char *msg;
        int code = (int)strtol(s + 6, &msg, 10);
        lm_pmi_abort(&pmi, code, *msg == ':' ? msg + 1 : "pmiprog abort");
        sleep(10); /* the launcher must kill us; if not, exit after a while */
        _exit(code);
    } else if (strncmp(s, "exit:", 5) == 0) {
        fflush(stdout);
        _exit(atoi(s + 5));
    } else if (strcmp(s, "segv") == 0) {
        fflush(stdout);
        raise(SIGSEGV);
    } else if (strncmp(s, "kill:", 5) == 0) {
        fflush(stdout);
        raise(atoi(s + 5));
    } else if (strncmp(s, "sleep:", 6) == 0) {
        double d = atof(s + 6);
        struct timespec ts = { (time_t)d, (long)((d - (double)(time_t)d) * 1e9) };
        while (nanosleep(&ts, &ts) != 0)
            ;
    } else if (strcmp(s, "pause") == 0) {
        for (;;)
            pause();
    } else if (strncmp(s, "print:", 6) == 0) {
        printf("rank %d: %s\n", my_rank(), s + 6);
        fflush(stdout);
    } else if (strncmp(s, "get:", 4) == 0) {
        char v[1024];
        int rc = lm_pmi_get(&pmi, s + 4, v, sizeof v);
        if (rc < 0)
            fail(s);
        printf("rank %d: get %s%s%s\n", my_rank(), s + 4, rc == 0 ? "=" : " not found",
               rc == 0 ? v : "");
        fflush(stdout);
    } else if (strncmp(s, "env:", 4) == 0) {
        const char *v = getenv(s + 4);
        printf("rank %d: %s=%s\n", my_rank(), s + 4, v ? v : "(unset)");
        fflush(stdout);
    } else if (strcmp(s, "cwd") == 0) {
        char buf[4096];
        printf("rank %d: cwd=%s\n", my_rank(), getcwd(buf, sizeof buf) ? buf : "?");
        fflush(stdout);
    } else if (strcmp(s, "cat") == 0) {
        char buf[4096];
        ssize_t n;
        while ((n = read(0, buf, sizeof buf)) > 0)
            write_all(1, buf, (size_t)n);
    } else if (strcmp(s, "rawpmi") == 0) {
        step_rawpmi();
    } else if (strcmp(s, "pid") == 0) {
        printf("rank %d pid %ld\n", my_rank(), (long)getpid());
        fflush(stdout);
    } else if (strcmp(s, "ignoreterm") == 0) {
        signal(SIGTERM, SIG_IGN);
    } else if (strcmp(s, "touchshm") == 0) {
        const char *kvs = getenv("LITEMPI_KVSNAME");
        const char *tmp = getenv("TMPDIR");
        char path[512];
        if (kvs == NULL)
            fail("touchshm without LITEMPI_KVSNAME");
        snprintf(path, sizeof path, "/dev/shm/litempi-%s-n%d", kvs, my_rank());
        FILE *f = fopen(path, "w");
        if (f)
            fclose(f);
        snprintf(path, sizeof path, "%s/litempi-%s-n%d", tmp && *tmp ? tmp : "/tmp", kvs,
                 my_rank());
        f = fopen(path, "w");
        if (f == NULL)
            fail("touchshm");
        fclose(f);
        printf("rank %d: touched %s\n", my_rank(), kvs);
        fflush(stdout);
    } else if (strncmp(s, "lines:", 6) == 0) {
        step_lines(s + 6);
    } else {
        fprintf(stderr, "pmiprog: unknown step '%s'\n", s);
        exit(2);
    }
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        run_step(argv[i]);
    if (inited)
        lm_pmi_free(&pmi);
    return 0;
}
