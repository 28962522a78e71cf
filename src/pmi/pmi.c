/* PMI-1 client (see pmi.h for the contract and shared/pmi.md for the wire protocol).
 *
 * Shape: every call is one request line and (except abort) one reply line, written and
 * read with blocking I/O on the PM socket. Replies are read into a buffer that grows as
 * needed and is kept in the struct, because the PMI_PORT handshake delivers four lines
 * back to back and one read may return more than one of them. A singleton answers
 * everything from an in-memory list: no socket, no thread, no launcher.
 */
#include "pmi/pmi.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PMI_MAX_PAIRS 32
#define PMI_MAX_LINE  (1u << 20) /* a reply longer than this means a broken server */

struct lm_pmi_kv_entry {
    struct lm_pmi_kv_entry *next;
    char *key;
    char *value;
};

__attribute__((format(printf, 1, 2)))
static int pmi_error(const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "litempi: PMI: %s\n", msg);
    return -1;
}

/* ---- raw I/O ---- */

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        /* MSG_NOSIGNAL: a dead launcher must give an error, not SIGPIPE. PMI_FD may be a
         * pipe in odd setups, hence the write() fallback. */
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == ENOTSOCK)
            n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Returns the next line from the PM (the '\n' replaced by '\0'), valid until the next
 * call, or NULL on EOF (errno = 0) or error. */
static char *read_line(struct lm_pmi *pmi)
{
    if (pmi->rline > 0) {
        memmove(pmi->rbuf, pmi->rbuf + pmi->rline, pmi->rlen - pmi->rline);
        pmi->rlen -= pmi->rline;
        pmi->rline = 0;
    }
    for (;;) {
        char *nl = pmi->rlen ? memchr(pmi->rbuf, '\n', pmi->rlen) : NULL;
        if (nl != NULL) {
            *nl = '\0';
            pmi->rline = (size_t)(nl - pmi->rbuf) + 1;
            return pmi->rbuf;
        }
        if (pmi->rlen == pmi->rcap) {
            if (pmi->rcap >= PMI_MAX_LINE) {
                errno = EMSGSIZE;
                return NULL;
            }
            size_t cap = pmi->rcap ? pmi->rcap * 2 : 2048;
            char *b = realloc(pmi->rbuf, cap);
            if (b == NULL)
                return NULL;
            pmi->rbuf = b;
            pmi->rcap = cap;
        }
        ssize_t n = read(pmi->fd, pmi->rbuf + pmi->rlen, pmi->rcap - pmi->rlen);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return NULL;
        }
        if (n == 0) {
            errno = 0;
            return NULL;
        }
        pmi->rlen += (size_t)n;
    }
}

/* Names a request for messages: "cmd=get kvsname=k key=x\n" -> "get". */
static const char *req_name(const char *req, char *buf, size_t len)
{
    const char *p = strchr(req, '=');
    p = p ? p + 1 : req;
    size_t n = strcspn(p, " \n");
    if (n >= len)
        n = len - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

/* Reads one reply line and parses it, expecting "cmd=<expect>". Returns 0 (match, rc=0 or
 * no rc), 1 (rc != 0), -1 (reported error). pairs point into pmi->rbuf until the next
 * read. */
static int read_reply(struct lm_pmi *pmi, const char *what, const char *expect,
                      struct lm_pmi_pair *pairs, int *n)
{
    char *line = read_line(pmi);
    if (line == NULL) {
        if (errno == 0)
            return pmi_error("the process manager closed the connection while this process "
                             "waited for the reply to '%s' (did mpiexec die?)", what);
        return pmi_error("reading the reply to '%s' from the process manager (fd %d): %s",
                         what, pmi->fd, strerror(errno));
    }
    char raw[200];
    snprintf(raw, sizeof raw, "%s", line); /* parsing cuts the line up */
    int rc = lm_pmi_parse_reply(line, expect, pairs, PMI_MAX_PAIRS, n);
    if (rc < 0)
        return pmi_error("unexpected reply to '%s': expected cmd=%s, got '%s'", what, expect,
                         raw);
    return rc;
}

/* Sends one request (a complete line) and reads its reply; see read_reply. */
static int request(struct lm_pmi *pmi, const char *req, const char *expect,
                   struct lm_pmi_pair *pairs, int *n)
{
    char what[64];
    req_name(req, what, sizeof what);
    if (pmi->fd < 0)
        return pmi_error("'%s' after the connection to the process manager was closed", what);
    if (write_all(pmi->fd, req, strlen(req)) < 0)
        return pmi_error("sending '%s' to the process manager (fd %d): %s", what, pmi->fd,
                         strerror(errno));
    return read_reply(pmi, what, expect, pairs, n);
}

/* Reports a refused request (rc != 0) with the server's msg= if any. */
static int refused(const char *what, const struct lm_pmi_pair *pairs, int n)
{
    const char *msg = lm_pmi_find(pairs, n, "msg");
    const char *rc = lm_pmi_find(pairs, n, "rc");
    return pmi_error("the process manager refused '%s' (rc=%s%s%s)", what, rc ? rc : "?",
                     msg ? ", " : "", msg ? msg : "");
}

static int parse_int(const char *s, int *out)
{
    if (s == NULL || *s == '\0')
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < INT_MIN || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
}

/* Requests "cmd=<req>" and reads integer field key from reply "cmd=<expect>". */
static int request_int(struct lm_pmi *pmi, const char *req, const char *expect,
                       const char *key, int *out)
{
    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n, rc = request(pmi, req, expect, pairs, &n);
    if (rc != 0)
        return rc < 0 ? -1 : refused(expect, pairs, n);
    if (parse_int(lm_pmi_find(pairs, n, key), out) < 0)
        return pmi_error("reply cmd=%s has no valid %s=", expect, key);
    return 0;
}

/* ---- singleton store ---- */

static struct lm_pmi_kv_entry *kv_find(struct lm_pmi_kv_entry *list, const char *key)
{
    for (; list != NULL; list = list->next)
        if (strcmp(list->key, key) == 0)
            return list;
    return NULL;
}

static int kv_set(struct lm_pmi_kv_entry **list, const char *key, const char *value)
{
    struct lm_pmi_kv_entry *e = kv_find(*list, key);
    char *v = strdup(value);
    if (v == NULL)
        return pmi_error("out of memory storing key '%s'", key);
    if (e != NULL) {
        free(e->value);
        e->value = v;
        return 0;
    }
    e = calloc(1, sizeof *e);
    if (e == NULL || (e->key = strdup(key)) == NULL) {
        free(e);
        free(v);
        return pmi_error("out of memory storing key '%s'", key);
    }
    e->value = v;
    e->next = *list;
    *list = e;
    return 0;
}

static void kv_free(struct lm_pmi_kv_entry **list)
{
    while (*list != NULL) {
        struct lm_pmi_kv_entry *e = *list;
        *list = e->next;
        free(e->key);
        free(e->value);
        free(e);
    }
}

static int copy_out(const char *what, const char *value, char *out, size_t len)
{
    size_t n = strlen(value);
    if (n >= len)
        return pmi_error("value of '%s' is %zu bytes, the buffer holds %zu", what, n,
                         len ? len - 1 : 0);
    memcpy(out, value, n + 1);
    return 0;
}

/* ---- init ---- */

/* Warns when a foreign launcher started us without a PMI we speak (shared/ECOSYSTEM.md
 * §1.10): N independent singletons are the worst possible surprise, so say so once. */
static void warn_foreign_launcher(void)
{
    const char *var = NULL, *who = NULL;
    const char *v;
    int size;
    if (getenv("PMIX_RANK") != NULL) {
        var = "PMIX_RANK";
        who = "Open MPI's mpirun (or another PMIx launcher)";
    } else if ((v = getenv("OMPI_COMM_WORLD_SIZE")) != NULL && parse_int(v, &size) == 0 &&
               size > 1) {
        var = "OMPI_COMM_WORLD_SIZE";
        who = "Open MPI's mpirun";
    } else if (getenv("HYDI_CONTROL_FD") != NULL) {
        var = "HYDI_CONTROL_FD";
        who = "MPICH's mpiexec (Hydra) without a PMI connection";
    }
    if (var != NULL)
        fprintf(stderr,
                "litempi: warning: %s is set but no PMI_FD: this looks like %s; LiteMPI runs "
                "this process as a singleton. Use LiteMPI's mpiexec.\n", var, who);
}

static int init_singleton(struct lm_pmi *pmi)
{
    int usize;
    const char *v;
    warn_foreign_launcher();
    pmi->singleton = true;
    pmi->rank = 0;
    pmi->size = 1;
    pmi->appnum = 0;
    pmi->kvsname_max = 256;
    pmi->keylen_max = 256;
    pmi->vallen_max = 1024;
    /* The launcher's universe-size variables also describe a singleton's universe
     * (ECOSYSTEM.md §2.5); without them it is unknown. */
    if (((v = getenv("MPIEXEC_UNIVERSE_SIZE")) != NULL ||
         (v = getenv("OMPI_UNIVERSE_SIZE")) != NULL) &&
        parse_int(v, &usize) == 0 && usize > 0)
        pmi->universe_size = usize;
    snprintf(pmi->kvsname, sizeof pmi->kvsname, "singleton_%ld", (long)getpid());
    return 0;
}

/* PMI_PORT=host:port: connect, then the initack handshake that delivers size and rank. */
static int connect_port(struct lm_pmi *pmi, const char *port_env)
{
    char host[256];
    const char *colon = strrchr(port_env, ':');
    if (colon == NULL || colon == port_env || colon[1] == '\0' ||
        (size_t)(colon - port_env) >= sizeof host)
        return pmi_error("PMI_PORT='%s' is not host:port", port_env);
    const char *h = port_env;
    size_t hl = (size_t)(colon - port_env);
    if (h[0] == '[' && hl >= 2 && h[hl - 1] == ']') { /* [ipv6]:port */
        h++;
        hl -= 2;
    }
    memcpy(host, h, hl);
    host[hl] = '\0';

    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    struct addrinfo *res = NULL;
    int gai = getaddrinfo(host, colon + 1, &hints, &res);
    if (gai != 0)
        return pmi_error("cannot resolve PMI_PORT host '%s': %s", host, gai_strerror(gai));
    int fd = -1, err = 0;
    for (struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int r;
        do
            r = connect(fd, ai->ai_addr, ai->ai_addrlen);
        while (r < 0 && errno == EINTR);
        if (r == 0)
            break;
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return pmi_error("cannot connect to PMI_PORT=%s: %s", port_env, strerror(err));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    pmi->fd = fd;

    const char *id = getenv("PMI_ID");
    if (id == NULL)
        id = getenv("PMI_RANK");
    int pmiid = 0;
    if (id != NULL && parse_int(id, &pmiid) < 0)
        return pmi_error("PMI_ID='%s' is not a number", id);
    char req[64];
    snprintf(req, sizeof req, "cmd=initack pmiid=%d\n", pmiid);
    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n;
    if (request(pmi, req, "initack", pairs, &n) != 0)
        return -1;
    /* Then "cmd=set size=S", "cmd=set rank=R", "cmd=set debug=D", in that order on Hydra;
     * accept any order. */
    bool have_size = false, have_rank = false;
    for (int i = 0; i < 3; i++) {
        if (read_reply(pmi, "initack", "set", pairs, &n) != 0)
            return -1;
        const char *v;
        if ((v = lm_pmi_find(pairs, n, "size")) != NULL)
            have_size = parse_int(v, &pmi->size) == 0;
        else if ((v = lm_pmi_find(pairs, n, "rank")) != NULL)
            have_rank = parse_int(v, &pmi->rank) == 0;
    }
    if (!have_size || !have_rank)
        return pmi_error("the PMI_PORT handshake did not deliver rank and size");
    return 0;
}

int lm_pmi_init(struct lm_pmi *pmi)
{
    memset(pmi, 0, sizeof *pmi);
    pmi->fd = -1;
    pmi->universe_size = -1;
    pmi->size = 1;

    const char *fd_env = getenv("PMI_FD");
    const char *port_env = getenv("PMI_PORT");
    const char *v;

    if ((v = getenv("PMI_SPAWNED")) != NULL && strcmp(v, "0") != 0 && *v != '\0')
        pmi->spawned = true;

    if (fd_env != NULL && *fd_env != '\0') {
        int fd;
        if (parse_int(fd_env, &fd) < 0 || fd < 0)
            return pmi_error("PMI_FD='%s' is not a file descriptor number", fd_env);
        int flags = fcntl(fd, F_GETFD);
        if (flags < 0)
            return pmi_error("PMI_FD=%d is not an open file descriptor (was this process "
                             "started by a process that itself was an MPI rank?)", fd);
        /* Children we exec must not inherit the PM connection. */
        fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
        pmi->fd = fd;
        /* MPICH's defaults when the launcher does not set them. */
        if ((v = getenv("PMI_RANK")) != NULL && parse_int(v, &pmi->rank) < 0)
            return pmi_error("PMI_RANK='%s' is not a number", v);
        if ((v = getenv("PMI_SIZE")) != NULL && parse_int(v, &pmi->size) < 0)
            return pmi_error("PMI_SIZE='%s' is not a number", v);
    } else if (port_env != NULL && *port_env != '\0') {
        if (connect_port(pmi, port_env) < 0)
            return -1;
    } else {
        return init_singleton(pmi);
    }
    if (pmi->size < 1 || pmi->rank < 0 || pmi->rank >= pmi->size)
        return pmi_error("rank %d of size %d is not a valid place in a job", pmi->rank,
                         pmi->size);
    /* A program this process execs (system(), subprocess) must start as a singleton, not
     * talk on a closed or reused fd: drop the connection variables. PMI_RANK/PMI_SIZE stay,
     * since scripts read them. */
    unsetenv("PMI_FD");
    unsetenv("PMI_PORT");
    unsetenv("PMI_ID");

    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n, rc;
    rc = request(pmi, "cmd=init pmi_version=1 pmi_subversion=1\n", "response_to_init",
                 pairs, &n);
    if (rc != 0) {
        if (rc > 0) {
            const char *ver = lm_pmi_find(pairs, n, "pmi_version");
            const char *sub = lm_pmi_find(pairs, n, "pmi_subversion");
            pmi_error("the process manager does not speak PMI 1.1 (it offers %s.%s)",
                      ver ? ver : "?", sub ? sub : "?");
        }
        return -1;
    }

    rc = request(pmi, "cmd=get_maxes\n", "maxes", pairs, &n);
    if (rc != 0)
        return rc < 0 ? -1 : refused("get_maxes", pairs, n);
    if (parse_int(lm_pmi_find(pairs, n, "kvsname_max"), &pmi->kvsname_max) < 0 ||
        parse_int(lm_pmi_find(pairs, n, "keylen_max"), &pmi->keylen_max) < 0 ||
        parse_int(lm_pmi_find(pairs, n, "vallen_max"), &pmi->vallen_max) < 0)
        return pmi_error("reply cmd=maxes lacks kvsname_max/keylen_max/vallen_max");

    if (request_int(pmi, "cmd=get_appnum\n", "appnum", "appnum", &pmi->appnum) < 0)
        return -1;
    if (request_int(pmi, "cmd=get_universe_size\n", "universe_size", "size",
                    &pmi->universe_size) < 0)
        return -1;
    if (pmi->universe_size < 1)
        pmi->universe_size = -1; /* Hydra answers -1 for "unknown" */

    rc = request(pmi, "cmd=get_my_kvsname\n", "my_kvsname", pairs, &n);
    if (rc != 0)
        return rc < 0 ? -1 : refused("get_my_kvsname", pairs, n);
    const char *kvs = lm_pmi_find(pairs, n, "kvsname");
    if (kvs == NULL || *kvs == '\0')
        return pmi_error("reply cmd=my_kvsname has no kvsname");
    if (strlen(kvs) >= sizeof pmi->kvsname)
        return pmi_error("kvsname '%.40s...' is longer than %zu bytes", kvs,
                         sizeof pmi->kvsname - 1);
    strcpy(pmi->kvsname, kvs);
    return 0;
}

/* ---- key-value space ---- */

static int check_token(const char *what, const char *s, int max, bool is_key)
{
    if (s == NULL || *s == '\0')
        return pmi_error("empty %s", what);
    size_t len = strlen(s);
    if (max > 0 && len >= (size_t)max)
        return pmi_error("%s '%.40s...' is %zu bytes; the process manager allows %d", what,
                         s, len, max - 1);
    size_t bad = strcspn(s, is_key ? " \t\n\r=" : " \t\n\r");
    if (bad != len)
        return pmi_error("%s '%.60s' contains a character the PMI wire cannot carry "
                         "(space, newline%s)", what, s, is_key ? " or '='" : "");
    return 0;
}

int lm_pmi_put(struct lm_pmi *pmi, const char *key, const char *value)
{
    if (check_token("key", key, pmi->keylen_max, true) < 0 ||
        check_token("value", value, pmi->vallen_max, false) < 0)
        return -1;
    if (pmi->singleton)
        return kv_set(&pmi->kvs, key, value);

    size_t len = strlen(pmi->kvsname) + strlen(key) + strlen(value) + 48;
    char *req = malloc(len);
    if (req == NULL)
        return pmi_error("out of memory in put");
    snprintf(req, len, "cmd=put kvsname=%s key=%s value=%s\n", pmi->kvsname, key, value);
    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n, rc = request(pmi, req, "put_result", pairs, &n);
    free(req);
    if (rc > 0)
        return refused("put", pairs, n);
    return rc;
}

int lm_pmi_fence(struct lm_pmi *pmi)
{
    if (pmi->singleton)
        return 0;
    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n, rc = request(pmi, "cmd=barrier_in\n", "barrier_out", pairs, &n);
    if (rc > 0)
        return refused("barrier_in", pairs, n);
    return rc;
}

int lm_pmi_get(struct lm_pmi *pmi, const char *key, char *value, size_t len)
{
    if (check_token("key", key, pmi->keylen_max, true) < 0)
        return -1;
    if (pmi->singleton) {
        struct lm_pmi_kv_entry *e = kv_find(pmi->kvs, key);
        if (e != NULL)
            return copy_out(key, e->value, value, len);
        if (strcmp(key, "PMI_process_mapping") == 0)
            return copy_out(key, "(vector,(0,1,1))", value, len);
        return 1;
    }
    size_t reqlen = strlen(pmi->kvsname) + strlen(key) + 40;
    char *req = malloc(reqlen);
    if (req == NULL)
        return pmi_error("out of memory in get");
    snprintf(req, reqlen, "cmd=get kvsname=%s key=%s\n", pmi->kvsname, key);
    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n, rc = request(pmi, req, "get_result", pairs, &n);
    free(req);
    if (rc != 0)
        return rc; /* 1: not found (rc=-1 value=unknown), -1: error */
    const char *v = lm_pmi_find(pairs, n, "value");
    return copy_out(key, v ? v : "", value, len);
}

/* ---- name service ---- */

/* Name service replies carry info=ok (MPICH's simple PMI checks it) and/or rc=0. */
static bool name_ok(const struct lm_pmi_pair *pairs, int n)
{
    const char *info = lm_pmi_find(pairs, n, "info");
    return info == NULL || strcmp(info, "ok") == 0;
}

int lm_pmi_publish(struct lm_pmi *pmi, const char *service, const char *port)
{
    if (check_token("service name", service, 0, true) < 0 ||
        check_token("port name", port, 0, false) < 0)
        return -1;
    if (pmi->singleton) {
        if (kv_find(pmi->names, service) != NULL)
            return pmi_error("service '%s' is already published", service);
        return kv_set(&pmi->names, service, port);
    }
    size_t len = strlen(service) + strlen(port) + 48;
    char *req = malloc(len);
    if (req == NULL)
        return pmi_error("out of memory in publish");
    snprintf(req, len, "cmd=publish_name service=%s port=%s\n", service, port);
    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n, rc = request(pmi, req, "publish_result", pairs, &n);
    free(req);
    if (rc < 0)
        return -1;
    if (rc > 0 || !name_ok(pairs, n))
        return refused("publish_name", pairs, n);
    return 0;
}

int lm_pmi_unpublish(struct lm_pmi *pmi, const char *service)
{
    if (check_token("service name", service, 0, true) < 0)
        return -1;
    if (pmi->singleton) {
        for (struct lm_pmi_kv_entry **pp = &pmi->names; *pp != NULL; pp = &(*pp)->next) {
            if (strcmp((*pp)->key, service) == 0) {
                struct lm_pmi_kv_entry *e = *pp;
                *pp = e->next;
                free(e->key);
                free(e->value);
                free(e);
                return 0;
            }
        }
        return pmi_error("service '%s' is not published", service);
    }
    size_t len = strlen(service) + 40;
    char *req = malloc(len);
    if (req == NULL)
        return pmi_error("out of memory in unpublish");
    snprintf(req, len, "cmd=unpublish_name service=%s\n", service);
    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n, rc = request(pmi, req, "unpublish_result", pairs, &n);
    free(req);
    if (rc < 0)
        return -1;
    if (rc > 0 || !name_ok(pairs, n))
        return refused("unpublish_name", pairs, n);
    return 0;
}

int lm_pmi_lookup(struct lm_pmi *pmi, const char *service, char *port, size_t len)
{
    if (check_token("service name", service, 0, true) < 0)
        return -1;
    if (pmi->singleton) {
        struct lm_pmi_kv_entry *e = kv_find(pmi->names, service);
        return e ? copy_out(service, e->value, port, len) : 1;
    }
    size_t reqlen = strlen(service) + 40;
    char *req = malloc(reqlen);
    if (req == NULL)
        return pmi_error("out of memory in lookup");
    snprintf(req, reqlen, "cmd=lookup_name service=%s\n", service);
    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n, rc = request(pmi, req, "lookup_result", pairs, &n);
    free(req);
    if (rc < 0)
        return -1;
    const char *p = lm_pmi_find(pairs, n, "port");
    if (rc > 0 || !name_ok(pairs, n) || p == NULL)
        return 1;
    return copy_out(service, p, port, len);
}

/* ---- leaving ---- */

int lm_pmi_finalize(struct lm_pmi *pmi)
{
    if (pmi->finalized)
        return 0;
    pmi->finalized = true;
    if (pmi->singleton || pmi->fd < 0)
        return 0;
    struct lm_pmi_pair pairs[PMI_MAX_PAIRS];
    int n, rc = request(pmi, "cmd=finalize\n", "finalize_ack", pairs, &n);
    shutdown(pmi->fd, SHUT_RDWR);
    close(pmi->fd);
    pmi->fd = -1;
    return rc < 0 ? -1 : 0;
}

void lm_pmi_abort(struct lm_pmi *pmi, int exitcode, const char *message)
{
    if (pmi->singleton || pmi->fd < 0)
        return;
    char req[1200];
    int len = snprintf(req, sizeof req - 1, "cmd=abort exitcode=%d message=%s", exitcode,
                       message ? message : "");
    if (len < 0)
        return;
    if ((size_t)len > sizeof req - 2)
        len = (int)sizeof req - 2;
    for (int i = 0; i < len; i++)
        if (req[i] == '\n' || req[i] == '\r')
            req[i] = ' ';
    req[len++] = '\n';
    if (write_all(pmi->fd, req, (size_t)len) < 0)
        pmi_error("cannot send abort to the process manager: %s", strerror(errno));
}

void lm_pmi_free(struct lm_pmi *pmi)
{
    if (pmi->fd >= 0)
        close(pmi->fd);
    pmi->fd = -1;
    free(pmi->rbuf);
    pmi->rbuf = NULL;
    pmi->rlen = pmi->rcap = pmi->rline = 0;
    kv_free(&pmi->kvs);
    kv_free(&pmi->names);
}
