/* hwres.c - which hardware resources this process runs on: its node, package, NUMA node,
 * caches, core and hardware thread.
 *
 * MPI_Comm_split_type's hardware-guided split types need them. The library must not link
 * hwloc (only the launcher does), and Linux's sysfs answers each question in a few small
 * reads: for every CPU in our affinity mask we read the resource's id at the asked level;
 * when the CPUs disagree (the process may run on several packages, say) the process is not
 * inside one resource of that level and the id is -1. Results are cached: affinity rarely
 * changes during a run, and the split is collective, so all ranks must answer alike.
 */
#include <ctype.h>
#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/core.h"

static const struct {
    const char *names[4];   /* accepted spellings, compared without case */
} level_names[LM_HW_NLEVELS] = {
    [LM_HW_NODE] = {{"mpi_shared_memory", "node", "machine", "shared"}},
    [LM_HW_PACKAGE] = {{"package", "socket", NULL}},
    [LM_HW_NUMA] = {{"numanode", "numa", NULL}},
    [LM_HW_L3] = {{"l3cache", "l3", NULL}},
    [LM_HW_L2] = {{"l2cache", "l2", NULL}},
    [LM_HW_L1] = {{"l1cache", "l1dcache", "l1", NULL}},
    [LM_HW_CORE] = {{"core", NULL}},
    [LM_HW_PU] = {{"hwthread", "pu", "cpu", NULL}},
};

int lm_hw_level_by_name(const char *name)
{
    if (!strncasecmp(name, "hwloc://", 8))   /* Open MPI style "hwloc://L3Cache" */
        name += 8;
    for (int l = 0; l < LM_HW_NLEVELS; l++)
        for (int i = 0; i < 4 && level_names[l].names[i]; i++)
            if (!strcasecmp(name, level_names[l].names[i]))
                return l;
    return -1;
}

const char *lm_hw_level_name(int level)
{
    return level >= 0 && level < LM_HW_NLEVELS ? level_names[level].names[0] : "";
}

static long read_long(const char *path)
{
    FILE *f = fopen(path, "r");
    long v = -1;
    if (!f)
        return -1;
    if (fscanf(f, "%ld", &v) != 1)
        v = -1;
    fclose(f);
    return v;
}

static long numa_of_cpu(int cpu)
{
    char path[96];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d", cpu);
    DIR *d = opendir(path);
    long node = 0; /* no NUMA information: one node */
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strncmp(e->d_name, "node", 4) && isdigit((unsigned char)e->d_name[4])) {
            node = atol(e->d_name + 4);
            break;
        }
    }
    closedir(d);
    return node;
}

/* The id of the cache of `level` (1..3) that serves `cpu`, -1 if it has none. */
static long cache_of_cpu(int cpu, int level)
{
    char path[128], type[32];
    for (int i = 0; i < 16; i++) {
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/cache/index%d/level", cpu, i);
        long l = read_long(path);
        if (l < 0)
            break;
        if (l != level)
            continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/cache/index%d/type", cpu, i);
        FILE *f = fopen(path, "r");
        type[0] = '\0';
        if (f) {
            if (!fgets(type, sizeof type, f))
                type[0] = '\0';
            fclose(f);
        }
        if (!strncmp(type, "Instruction", 11))
            continue;
        /* Caches number their instances in `id` (recent kernels); otherwise the first CPU
         * sharing it names it. */
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/cache/index%d/id", cpu, i);
        long id = read_long(path);
        if (id >= 0)
            return id;
        snprintf(path, sizeof path,
                 "/sys/devices/system/cpu/cpu%d/cache/index%d/shared_cpu_list", cpu, i);
        return read_long(path);
    }
    return -1;
}

static long id_of_cpu(int cpu, int level)
{
    char path[96];
    switch (level) {
    case LM_HW_PACKAGE:
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/physical_package_id",
                 cpu);
        return read_long(path);
    case LM_HW_NUMA:
        return numa_of_cpu(cpu);
    case LM_HW_L3:
        return cache_of_cpu(cpu, 3);
    case LM_HW_L2:
        return cache_of_cpu(cpu, 2);
    case LM_HW_L1:
        return cache_of_cpu(cpu, 1);
    case LM_HW_CORE: {
        long pkg = id_of_cpu(cpu, LM_HW_PACKAGE);
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
        long core = read_long(path);
        return pkg < 0 || core < 0 ? -1 : pkg * 65536 + core;
    }
    case LM_HW_PU:
        return cpu;
    default:
        return -1;
    }
}

static int64_t cache[LM_HW_NLEVELS];
static bool cached[LM_HW_NLEVELS];

int64_t lm_hw_resource_id(int level)
{
    if (level < 0 || level >= LM_HW_NLEVELS)
        return -1;
    if (level == LM_HW_NODE)
        return lm_proc.node;
    if (cached[level])
        return cache[level];
    enum { MAXCPU = 8192 };
    cpu_set_t *set = CPU_ALLOC(MAXCPU);
    size_t setsize = CPU_ALLOC_SIZE(MAXCPU);
    long id = -2;
    if (set && sched_getaffinity(0, setsize, set) == 0) {
        for (int cpu = 0; cpu < MAXCPU && id != -1; cpu++) {
            if (!CPU_ISSET_S(cpu, setsize, set))
                continue;
            long v = id_of_cpu(cpu, level);
            id = (id == -2 || id == v) ? v : -1;
        }
    }
    if (set)
        CPU_FREE(set);
    cache[level] = id < 0 ? -1 : id;
    cached[level] = true;
    return cache[level];
}
