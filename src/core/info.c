/* info.c - info objects: ordered (key, value) string pairs, and MPI_INFO_ENV.
 *
 * Entries stay in insertion order (MPI_Info_get_nthkey walks them; setting an existing key
 * keeps its place), held in a small array: info objects carry a handful of hints, so a
 * linear search beats any index. Keys and values are copied; lengths are checked against
 * MPI_MAX_INFO_KEY / MPI_MAX_INFO_VAL by the callers through lm_info_check_key.
 *
 * MPI_INFO_ENV describes how the process was started (MPI-4 11.2.5: command, argv,
 * maxprocs, soft, host, arch, wdir, file, thread_level); we know all but `soft` and `file`
 * (which only spawn requests carry) and leave those out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/core.h"

static struct lm_info *env_info;

static int nomem(void)
{
    return lm_err_detail(MPI_ERR_NO_MEM, "out of memory in an info object");
}

int lm_info_create(struct lm_info **out)
{
    struct lm_info *info = calloc(1, sizeof *info);
    if (!info)
        return nomem();
    info->magic = LM_MAGIC_INFO;
    info->handle = (MPI_Info)info;
    *out = info;
    return LM_OK;
}

void lm_info_free(struct lm_info *info)
{
    if (!info)
        return;
    for (int i = 0; i < info->n; i++) {
        free(info->e[i].key);
        free(info->e[i].value);
    }
    free(info->e);
    lm_handle_forget(info);
    info->magic = 0;
    free(info);
}

int lm_info_dup(const struct lm_info *info, struct lm_info **out)
{
    int rc = lm_info_create(out);
    for (int i = 0; rc == LM_OK && i < info->n; i++)
        rc = lm_info_set(*out, info->e[i].key, info->e[i].value);
    if (rc != LM_OK && *out) {
        lm_info_free(*out);
        *out = NULL;
    }
    return rc;
}

static int find(const struct lm_info *info, const char *key)
{
    for (int i = 0; i < info->n; i++)
        if (!strcmp(info->e[i].key, key))
            return i;
    return -1;
}

int lm_info_check_key(const char *key, const char *arg)
{
    if (!key)
        return lm_err_detail(MPI_ERR_INFO_KEY, "invalid info key: %s is NULL", arg);
    size_t len = strlen(key);
    if (len == 0)
        return lm_err_detail(MPI_ERR_INFO_KEY, "invalid info key: %s is empty", arg);
    if (len >= MPI_MAX_INFO_KEY)
        return lm_err_detail(MPI_ERR_INFO_KEY, "invalid info key: %s is %zu characters long "
                             "(at most %d)", arg, len, MPI_MAX_INFO_KEY - 1);
    return LM_OK;
}

int lm_info_set(struct lm_info *info, const char *key, const char *value)
{
    char *v = strdup(value);
    if (!v)
        return nomem();
    int i = find(info, key);
    if (i >= 0) {
        free(info->e[i].value);
        info->e[i].value = v;
        return LM_OK;
    }
    char *k = strdup(key);
    if (!k) {
        free(v);
        return nomem();
    }
    if (info->n == info->cap) {
        int cap = info->cap ? info->cap * 2 : 8;
        struct lm_info_entry *e = realloc(info->e, sizeof *e * (size_t)cap);
        if (!e) {
            free(k);
            free(v);
            return nomem();
        }
        info->e = e;
        info->cap = cap;
    }
    info->e[info->n++] = (struct lm_info_entry){k, v};
    return LM_OK;
}

const char *lm_info_get(const struct lm_info *info, const char *key)
{
    int i = find(info, key);
    return i >= 0 ? info->e[i].value : NULL;
}

int lm_info_delete(struct lm_info *info, const char *key)
{
    int i = find(info, key);
    if (i < 0)
        return lm_err_detail(MPI_ERR_INFO_NOKEY, "info key not defined: \"%s\" is not in the "
                             "info object", key);
    free(info->e[i].key);
    free(info->e[i].value);
    memmove(&info->e[i], &info->e[i + 1], sizeof info->e[0] * (size_t)(info->n - i - 1));
    info->n--;
    return LM_OK;
}

/* ---- MPI_INFO_ENV ------------------------------------------------------------------------- */

static const char *thread_level_name(int level)
{
    switch (level) {
    case MPI_THREAD_FUNNELED: return "MPI_THREAD_FUNNELED";
    case MPI_THREAD_SERIALIZED: return "MPI_THREAD_SERIALIZED";
    case MPI_THREAD_MULTIPLE: return "MPI_THREAD_MULTIPLE";
    default: return "MPI_THREAD_SINGLE";
    }
}

/* command and argv from /proc/self/cmdline (NUL-separated), argv joined by spaces. */
static int set_command(struct lm_info *info)
{
    char buf[8192];
    FILE *f = fopen("/proc/self/cmdline", "r");
    if (!f)
        return LM_OK;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    if (n == 0)
        return LM_OK;
    int rc = lm_info_set(info, "command", buf);
    size_t first = strlen(buf) + 1;
    if (rc == LM_OK && first < n) {
        for (size_t i = first; i < n; i++)
            if (buf[i] == '\0')
                buf[i] = ' ';
        while (n > first && buf[n - 1] == ' ')
            buf[--n] = '\0';
        if (strlen(buf + first) >= MPI_MAX_INFO_VAL)
            buf[first + MPI_MAX_INFO_VAL - 1] = '\0';
        rc = lm_info_set(info, "argv", buf + first);
    }
    return rc;
}

int lm_info_create_env(struct lm_info **out)
{
    char val[MPI_MAX_INFO_VAL];
    struct utsname u;
    int rc = lm_info_create(out);
    if (rc == LM_OK)
        rc = set_command(*out);
    if (rc == LM_OK) {
        int size = lm_proc.initialized ? lm_proc.size : 0;
        const char *s = getenv("PMI_SIZE");
        if (!size)
            size = s && atoi(s) > 0 ? atoi(s) : 1;
        snprintf(val, sizeof val, "%d", size);
        rc = lm_info_set(*out, "maxprocs", val);
    }
    if (rc == LM_OK && gethostname(val, sizeof val) == 0) {
        val[sizeof val - 1] = '\0';
        rc = lm_info_set(*out, "host", val);
    }
    if (rc == LM_OK && uname(&u) == 0)
        rc = lm_info_set(*out, "arch", u.machine);
    if (rc == LM_OK && getcwd(val, sizeof val))
        rc = lm_info_set(*out, "wdir", val);
    if (rc == LM_OK)
        rc = lm_info_set(*out, "thread_level",
                         thread_level_name(lm_proc.initialized ? lm_proc.thread_level
                                                               : MPI_THREAD_SINGLE));
    if (rc != LM_OK && *out) {
        lm_info_free(*out);
        *out = NULL;
    }
    return rc;
}

struct lm_info *lm_info_env(void)
{
    if (!env_info && lm_info_create_env(&env_info) == LM_OK)
        env_info->handle = MPI_INFO_ENV;
    return env_info;
}

void lm_info_finalize(void)
{
    lm_info_free(env_info);
    env_info = NULL;
}
