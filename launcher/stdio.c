/* Rank stdio. Each rank's stdout and stderr are pipes read here and written to mpiexec's
 * own stdout/stderr in whole lines only, so two ranks' output never mixes mid-line (CI logs
 * stay readable); with --label every line gets "[rank] ". A line with no newline yet stays
 * buffered until it completes (up to 1 MiB; beyond that it is written in pieces, the label
 * only before the first). At EOF a final partial line is written as is, or with a newline
 * added when labels are on.
 *
 * stdin: mpiexec's stdin is handed to rank 0 directly (the same open file: no copying,
 * EOF is the real EOF) unless it is a terminal. A terminal is forwarded through a pipe
 * instead, because ranks run in their own process groups (so a failing job can be killed
 * as a tree) and a background process group reading the terminal would be stopped by
 * SIGTTIN. Other ranks get /dev/null.
 */
#include "launcher.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define READ_CHUNK   65536
#define MAX_PARTIAL  (1u << 20)
#define MAX_IOV      256

/* ---- writing to mpiexec's stdout/stderr ---- */

/* Writes iov completely; our stdout may be non-blocking (inherited) or a closed pipe. */
static void write_iov(struct lm_job *job, int out, struct iovec *iov, int cnt)
{
    while (cnt > 0 && !job->out_broken[out]) {
        ssize_t n = writev(out, iov, cnt);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd p = { .fd = out, .events = POLLOUT };
                poll(&p, 1, 1000);
                continue;
            }
            job->out_broken[out] = true; /* EPIPE etc.: nobody reads; drop output */
            return;
        }
        while (cnt > 0 && (size_t)n >= iov->iov_len) {
            n -= (ssize_t)iov->iov_len;
            iov++;
            cnt--;
        }
        if (cnt > 0) {
            iov->iov_base = (char *)iov->iov_base + n;
            iov->iov_len -= (size_t)n;
        }
    }
}

/* Emits buf[0..len) which holds complete lines (or, with partial=true, ends mid-line). */
static void emit(struct lm_stream *s, char *buf, size_t len, bool add_newline)
{
    struct lm_job *job = s->job;
    if (len == 0 && !add_newline)
        return;
    if (!job->opt->label) {
        struct iovec iov[2] = { { buf, len }, { "\n", 1 } };
        write_iov(job, s->out, iov, add_newline ? 2 : 1);
        return;
    }
    char label[24];
    int llen = snprintf(label, sizeof label, "[%d] ", s->rank);
    struct iovec iov[MAX_IOV];
    int cnt = 0;
    size_t pos = 0;
    while (pos < len) {
        char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) + 1 : len;
        if (cnt + 2 > MAX_IOV) {
            write_iov(job, s->out, iov, cnt);
            cnt = 0;
        }
        if (!s->midline)
            iov[cnt++] = (struct iovec){ label, (size_t)llen };
        iov[cnt++] = (struct iovec){ buf + pos, end - pos };
        s->midline = (nl == NULL);
        pos = end;
    }
    if (add_newline) {
        if (cnt + 2 > MAX_IOV) {
            write_iov(job, s->out, iov, cnt);
            cnt = 0;
        }
        if (len == 0 && !s->midline)
            iov[cnt++] = (struct iovec){ label, (size_t)llen };
        iov[cnt++] = (struct iovec){ "\n", 1 };
        s->midline = false;
    }
    write_iov(job, s->out, iov, cnt);
}

/* Writes every complete line in the buffer and keeps the rest. */
static void flush_lines(struct lm_stream *s)
{
    char *last = memrchr(s->buf, '\n', s->len);
    if (last != NULL) {
        size_t upto = (size_t)(last - s->buf) + 1;
        emit(s, s->buf, upto, false);
        memmove(s->buf, s->buf + upto, s->len - upto);
        s->len -= upto;
    } else if (s->len >= MAX_PARTIAL) {
        emit(s, s->buf, s->len, false); /* an endless line: give up on keeping it whole */
        s->len = 0;
    }
}

static void stream_close(struct lm_stream *s);

/* Nobody reads our stdout (or stderr) any more, e.g. "mpiexec ... | head -1": stop reading
 * the ranks' pipes that feed it, so the ranks get EPIPE/SIGPIPE on their next write, as
 * they would writing into that pipe directly, instead of running on forever. */
static void close_broken(struct lm_job *job, int out)
{
    for (int i = 0; i < job->size; i++) {
        struct lm_stream *s = out == 1 ? &job->ranks[i].out : &job->ranks[i].err;
        if (s->fd >= 0) {
            s->len = 0;
            s->midline = false;
            stream_close(s);
        }
    }
}

static void stream_close(struct lm_stream *s)
{
    if (s->fd < 0)
        return;
    if (s->job->out_broken[s->out])
        s->len = 0;
    if (s->len > 0) /* final partial line */
        emit(s, s->buf, s->len, s->job->opt->label);
    else if (s->midline)
        emit(s, s->buf, 0, true);
    s->len = 0;
    if (s->ev) {
        event_free(s->ev);
        s->ev = NULL;
    }
    close(s->fd);
    s->fd = -1;
    free(s->buf);
    s->buf = NULL;
    s->cap = 0;
}

/* Reads once; returns 1 if more may be available, 0 on EAGAIN, -1 on EOF/error (closed). */
static int stream_read(struct lm_stream *s)
{
    if (s->cap - s->len < READ_CHUNK) {
        size_t cap = s->cap ? s->cap * 2 : 2 * READ_CHUNK;
        while (cap - s->len < READ_CHUNK)
            cap *= 2;
        char *b = realloc(s->buf, cap);
        if (b == NULL) {
            flush_lines(s);
            if (s->len > 0) {
                emit(s, s->buf, s->len, false);
                s->len = 0;
            }
            if (s->cap - s->len < 1)
                return 0;
        } else {
            s->buf = b;
            s->cap = cap;
        }
    }
    ssize_t n = read(s->fd, s->buf + s->len, s->cap - s->len);
    if (n < 0) {
        if (errno == EINTR)
            return 1;
        if (errno == EAGAIN)
            return 0;
    }
    if (n <= 0) {
        stream_close(s);
        return -1;
    }
    s->len += (size_t)n;
    flush_lines(s);
    if (s->job->out_broken[s->out]) {
        close_broken(s->job, s->out);
        return -1;
    }
    return 1;
}

static void on_stream(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    stream_read(arg); /* once per wakeup: level-triggered, fair between ranks */
}

static int stream_open(struct lm_job *job, struct lm_rank *r, struct lm_stream *s, int fd,
                       int out)
{
    s->job = job;
    s->rank = r->rank;
    s->out = out;
    s->fd = fd;
    if (fd < 0)
        return 0;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    s->ev = event_new(job->base, fd, EV_READ | EV_PERSIST, on_stream, s);
    if (s->ev == NULL || event_add(s->ev, NULL) < 0)
        return -1;
    return 0;
}

int lm_stdio_attach(struct lm_job *job, struct lm_rank *r)
{
    if (r->rank == 0 && job->stdin_pipe_rd >= 0) {
        close(job->stdin_pipe_rd); /* rank 0 has it now */
        job->stdin_pipe_rd = -1;
    }
    if (stream_open(job, r, &r->out, r->out.fd, 1) < 0 ||
        stream_open(job, r, &r->err, r->err.fd, 2) < 0)
        return -1;
    return 0;
}

void lm_stdio_drain_rank(struct lm_job *job, struct lm_rank *r)
{
    (void)job;
    while (r->out.fd >= 0 && stream_read(&r->out) > 0)
        ;
    while (r->err.fd >= 0 && stream_read(&r->err) > 0)
        ;
}

void lm_stdio_drain_all(struct lm_job *job)
{
    for (int i = 0; i < job->size; i++) {
        struct lm_rank *r = &job->ranks[i];
        struct lm_stream *ss[2] = { &r->out, &r->err };
        for (int k = 0; k < 2; k++) {
            struct lm_stream *s = ss[k];
            /* The rank is gone: read what it left in the pipe, not what a grandchild that
             * still holds the pipe may write later. */
            while (s->fd >= 0 && stream_read(s) > 0)
                ;
            stream_close(s);
        }
    }
    if (job->stdin_ev) {
        event_free(job->stdin_ev);
        job->stdin_ev = NULL;
    }
    if (job->stdin_bev) {
        bufferevent_free(job->stdin_bev);
        job->stdin_bev = NULL;
    }
}

/* ---- stdin forwarding (terminal only) ---- */

static void stdin_fwd_done(struct lm_job *job)
{
    if (job->stdin_ev) {
        event_free(job->stdin_ev);
        job->stdin_ev = NULL;
    }
    if (job->stdin_bev) {
        bufferevent_free(job->stdin_bev); /* closes rank 0's stdin: EOF there */
        job->stdin_bev = NULL;
    }
}

static void on_stdin_written(struct bufferevent *bev, void *arg)
{
    struct lm_job *job = arg;
    (void)bev;
    if (job->stdin_eof)
        stdin_fwd_done(job); /* everything delivered, now the EOF */
    else if (job->stdin_ev)
        event_add(job->stdin_ev, NULL); /* room again */
}

static void on_stdin_error(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    (void)what;
    stdin_fwd_done(arg); /* rank 0 closed its stdin or exited */
}

static void on_stdin(evutil_socket_t fd, short what, void *arg)
{
    struct lm_job *job = arg;
    char buf[4096];
    (void)what;
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        /* EOF (Ctrl-D) or EIO (we are in the background; SIGTTIN is ignored) */
        job->stdin_eof = true;
        event_del(job->stdin_ev);
        if (evbuffer_get_length(bufferevent_get_output(job->stdin_bev)) == 0)
            stdin_fwd_done(job);
        return;
    }
    bufferevent_write(job->stdin_bev, buf, (size_t)n);
    /* Back-pressure: stop reading the terminal until rank 0 has taken this. */
    if (evbuffer_get_length(bufferevent_get_output(job->stdin_bev)) > 65536)
        event_del(job->stdin_ev);
}

int lm_stdio_setup_stdin(struct lm_job *job)
{
    job->stdin_pipe_rd = -1;
    job->devnull_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (job->devnull_fd < 0) {
        fprintf(stderr, "mpiexec: cannot open /dev/null: %s\n", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(0, &st) < 0) {           /* stdin closed: rank 0 gets /dev/null too */
        job->stdin_fd = job->devnull_fd;
        return 0;
    }
    if (!isatty(0)) {
        job->stdin_fd = 0;
        return 0;
    }
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
        fprintf(stderr, "mpiexec: cannot create the stdin pipe: %s\n", strerror(errno));
        return -1;
    }
    job->stdin_fd = p[0];
    job->stdin_pipe_rd = p[0];
    fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
    job->stdin_bev = bufferevent_socket_new(job->base, p[1], BEV_OPT_CLOSE_ON_FREE);
    job->stdin_ev = event_new(job->base, 0, EV_READ | EV_PERSIST, on_stdin, job);
    if (job->stdin_bev == NULL || job->stdin_ev == NULL) {
        fprintf(stderr, "mpiexec: cannot set up stdin forwarding\n");
        return -1;
    }
    bufferevent_setcb(job->stdin_bev, NULL, on_stdin_written, on_stdin_error, job);
    bufferevent_enable(job->stdin_bev, EV_WRITE);
    event_add(job->stdin_ev, NULL);
    return 0;
}
