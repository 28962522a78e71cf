/* PMI-1 wire parsing shared by the client (src/pmi/pmi.c) and the server in our mpiexec
 * (launcher/pmi_server.c compiles this file too): splitting a "cmd=x a=b" line into
 * pairs, checking replies, and decoding PMI_process_mapping.
 *
 * Pure functions only: no I/O, no allocation, so they are easy to unit-test and safe to
 * use from either side.
 */
#include "pmi/pmi.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int lm_pmi_parse_line(char *line, struct lm_pmi_pair *pairs, int max)
{
    int n = 0;
    char *p = line;

    /* Strip the line end: "\n", "\r\n", or nothing (caller already removed it). */
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';

    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        if (*p == '=' || n == max)
            return -1;
        char *tok = p;
        while (*p != '\0' && *p != ' ' && *p != '\t')
            p++;
        if (*p != '\0')
            *p++ = '\0';
        char *eq = strchr(tok, '=');
        pairs[n].key = tok;
        if (eq != NULL) {
            *eq = '\0';
            pairs[n].value = eq + 1;
        } else {
            pairs[n].value = tok + strlen(tok); /* "" */
        }
        n++;
    }
    return n;
}

const char *lm_pmi_find(const struct lm_pmi_pair *pairs, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(pairs[i].key, key) == 0)
            return pairs[i].value;
    return NULL;
}

int lm_pmi_parse_reply(char *line, const char *expect, struct lm_pmi_pair *pairs, int max,
                       int *n)
{
    *n = lm_pmi_parse_line(line, pairs, max);
    if (*n < 1)
        return -1;
    if (strcmp(pairs[0].key, "cmd") != 0 || strcmp(pairs[0].value, expect) != 0)
        return -1;
    const char *rc = lm_pmi_find(pairs, *n, "rc");
    if (rc != NULL && strcmp(rc, "0") != 0)
        return 1;
    return 0;
}

/* ---- PMI_process_mapping ---- */

struct map_cursor {
    const char *p;
};

static void skip_spaces(struct map_cursor *c)
{
    while (*c->p == ' ' || *c->p == '\t')
        c->p++;
}

static int expect_char(struct map_cursor *c, char ch)
{
    skip_spaces(c);
    if (*c->p != ch)
        return -1;
    c->p++;
    return 0;
}

static int read_int(struct map_cursor *c, long *out)
{
    skip_spaces(c);
    if (!isdigit((unsigned char)*c->p))
        return -1;
    char *end;
    long v = strtol(c->p, &end, 10);
    if (v < 0 || v > 1000000000L)
        return -1;
    c->p = end;
    *out = v;
    return 0;
}

#define MAP_MAX_BLOCKS 1024

int lm_pmi_parse_mapping(const char *mapping, int size, int *node_of_rank)
{
    long blk[MAP_MAX_BLOCKS][3];
    int nblk = 0;
    struct map_cursor c = { mapping };

    if (mapping == NULL || size < 1 || node_of_rank == NULL)
        return -1;
    if (expect_char(&c, '(') < 0)
        return -1;
    skip_spaces(&c);
    if (strncmp(c.p, "vector", 6) != 0)
        return -1;
    c.p += 6;
    for (;;) {
        skip_spaces(&c);
        if (*c.p == ')') {
            c.p++;
            break;
        }
        if (expect_char(&c, ',') < 0 || expect_char(&c, '(') < 0)
            return -1;
        if (nblk == MAP_MAX_BLOCKS)
            return -1;
        for (int k = 0; k < 3; k++) {
            if (k > 0 && expect_char(&c, ',') < 0)
                return -1;
            if (read_int(&c, &blk[nblk][k]) < 0)
                return -1;
        }
        if (expect_char(&c, ')') < 0)
            return -1;
        nblk++;
    }
    skip_spaces(&c);
    if (*c.p != '\0' || nblk == 0)
        return -1;

    long per_pass = 0;
    for (int b = 0; b < nblk; b++)
        per_pass += blk[b][1] * blk[b][2];
    if (per_pass == 0)
        return -1; /* would never place a rank */

    int rank = 0, max_node = -1;
    while (rank < size) {
        for (int b = 0; b < nblk && rank < size; b++) {
            for (long n = 0; n < blk[b][1] && rank < size; n++) {
                long node = blk[b][0] + n;
                if (node > 1000000000L)
                    return -1;
                for (long r = 0; r < blk[b][2] && rank < size; r++) {
                    node_of_rank[rank++] = (int)node;
                    if (node > max_node)
                        max_node = (int)node;
                }
            }
        }
    }
    return max_node + 1;
}
