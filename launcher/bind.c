/* --bind-to core|hwthread: rank r is bound to core (or hardware thread) r mod count,
 * counted in hwloc's logical order over the CPUs this process may use.
 *
 * The topology is loaded only here, only when binding was asked for, and without I/O
 * devices or caches (hwloc's PCI scan is what makes other launchers start slowly,
 * shared/ECOSYSTEM.md §1.9). The parent computes a cpu_set_t per rank; the child only calls
 * sched_setaffinity before exec, so no hwloc code runs between fork and exec.
 */
#include "launcher.h"

#include <hwloc.h>
#include <hwloc/glibc-sched.h>
#include <stdio.h>

int lm_bind_prepare(struct lm_job *job)
{
    hwloc_topology_t topo;
    if (hwloc_topology_init(&topo) < 0) {
        fputs("mpiexec: --bind-to: cannot initialise hwloc\n", stderr);
        return -1;
    }
    hwloc_topology_set_io_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
    hwloc_topology_set_cache_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
    hwloc_topology_set_icache_types_filter(topo, HWLOC_TYPE_FILTER_KEEP_NONE);
    if (hwloc_topology_load(topo) < 0) {
        fputs("mpiexec: --bind-to: cannot read the machine topology\n", stderr);
        hwloc_topology_destroy(topo);
        return -1;
    }
    hwloc_obj_type_t type = job->opt->bind == LM_BIND_CORE ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
    int count = hwloc_get_nbobjs_by_type(topo, type);
    if (count <= 0 && type == HWLOC_OBJ_CORE) { /* no core level reported: use PUs */
        type = HWLOC_OBJ_PU;
        count = hwloc_get_nbobjs_by_type(topo, type);
    }
    if (count <= 0) {
        fputs("mpiexec: --bind-to: hwloc found no CPUs to bind to\n", stderr);
        hwloc_topology_destroy(topo);
        return -1;
    }
    for (int i = 0; i < job->size; i++) {
        hwloc_obj_t obj = hwloc_get_obj_by_type(topo, type, (unsigned)(i % count));
        if (obj == NULL || obj->cpuset == NULL)
            continue;
        hwloc_cpuset_to_glibc_sched_affinity(topo, obj->cpuset, &job->ranks[i].cpus,
                                             sizeof job->ranks[i].cpus);
        job->ranks[i].bound = true;
    }
    hwloc_topology_destroy(topo);
    return 0;
}
