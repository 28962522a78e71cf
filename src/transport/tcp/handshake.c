/* handshake.c - the job key and the hello that opens every tcp connection.
 *
 * Anyone on the network (or any local user, for loopback) can connect to a rank's port.
 * So the first bytes of a connection must prove it belongs to the job: a fixed-size hello
 * with a magic, the job's random key and the sender's rank. The accepting side reads
 * exactly that many bytes (nothing after it is looked at before the key matches), compares
 * in constant time, and otherwise closes the socket without having touched any peer state.
 *
 * The key is 128 random bits in hex, served through the PMI key-value space as "lm-jobkey":
 * our mpiexec puts it before starting the ranks; under another process manager (Hydra)
 * rank 0 generates it and puts it before the init fence, and everyone reads it after.
 * It is read lazily, on the first tcp connection made or accepted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "transport/tcp/tcp.h"

#define JOBKEY "lm-jobkey"

static bool key_valid(const char *k)
{
    if (strlen(k) != TCP_KEY_LEN)
        return false;
    for (const char *p = k; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

int lm_tcp_jobkey_publish(void)
{
    /* Our mpiexec sets LITEMPI_KVSNAME to the job it pre-put the key into. */
    const char *ours = getenv("LITEMPI_KVSNAME");
    if (ours && !strcmp(ours, lm_proc.pmi.kvsname))
        return LM_OK;
    char val[256];
    if (lm_pmi_get(&lm_proc.pmi, JOBKEY, val, sizeof val) == 0 && key_valid(val))
        return LM_OK;
    unsigned char rnd[TCP_KEY_LEN / 2];
    size_t got = 0;
    while (got < sizeof rnd) {
        ssize_t n = getrandom(rnd + got, sizeof rnd - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return lm_err_detail(MPI_ERR_OTHER, "cannot generate the tcp job key: %s",
                                 strerror(errno));
        got += (size_t)n;
    }
    char hex[TCP_KEY_LEN + 1];
    for (size_t i = 0; i < sizeof rnd; i++)
        snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
    if (lm_pmi_put(&lm_proc.pmi, JOBKEY, hex) != 0)
        return lm_err_detail(MPI_ERR_OTHER, "PMI: cannot publish the tcp job key");
    return LM_OK;
}

int lm_tcp_key_load(void)
{
    if (tcp.have_key)
        return LM_OK;
    char val[256];
    if (lm_pmi_get(&lm_proc.pmi, JOBKEY, val, sizeof val) != 0 || !key_valid(val))
        return lm_err_detail(MPI_ERR_OTHER,
                             "PMI: the job has no valid tcp key '%s' (the launcher or rank 0 "
                             "must publish it)", JOBKEY);
    memcpy(tcp.key, val, TCP_KEY_LEN);
    tcp.key[TCP_KEY_LEN] = '\0';
    tcp.have_key = true;
    return LM_OK;
}

void lm_tcp_hello_make(struct tcp_hello *h, uint32_t status)
{
    memset(h, 0, sizeof *h);
    memcpy(h->magic, TCP_MAGIC, sizeof h->magic);
    memcpy(h->key, tcp.key, TCP_KEY_LEN);
    h->rank = lm_proc.rank;
    h->status = status;
}

/* True when h carries the magic and our key; *rank gets the sender's claimed rank, which
 * the caller still checks against the job. Constant time in the key bytes. */
bool lm_tcp_hello_check(const struct tcp_hello *h, int *rank)
{
    if (!tcp.have_key)
        return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < sizeof h->magic; i++)
        diff |= (unsigned char)(h->magic[i] ^ TCP_MAGIC[i]);
    for (size_t i = 0; i < TCP_KEY_LEN; i++)
        diff |= (unsigned char)(h->key[i] ^ tcp.key[i]);
    *rank = h->rank;
    return diff == 0;
}
