/*
 * comm_objcoll.c - Comm's lower-case collectives: bcast, scatter, gather, allgather,
 * alltoall, reduce, allreduce, barrier (Comm) and scan, exscan (Intracomm) over pickled
 * objects. (Skeleton: empty; the family comes next.)
 */
#include "pympi.h"

PyMethodDef pympi_comm_objcoll_methods[] = {
    {NULL},
};

PyMethodDef pympi_intracomm_objcoll_methods[] = {
    {NULL},
};
