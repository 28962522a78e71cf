/* handles.c - MPI_<Kind>_toint / MPI_<Kind>_fromint for the kinds that exist so far
 * (communicators, groups, info, error handlers, datatypes, requests, messages): the MPI 5.0 ABI's
 * replacement for the Fortran handle conversions, which mpi4py's py2f/f2py use.
 *
 * Predefined handles convert to their constants and back; user objects to small integers
 * from one table (core/handles.c). These functions report no errors (the standard makes
 * invalid arguments erroneous): an unknown integer gives the kind's null handle. */
#include "api/api.h"

static int toint(const void *h)
{
    lm_lock();
    int v = lm_handle_toint(h);
    lm_unlock();
    return v;
}

static void *fromint(int v, void *null_handle)
{
    lm_lock();
    void *h = lm_handle_fromint(v, null_handle);
    lm_unlock();
    return h;
}

#define LM_HANDLE_CONV(Kind, Type, NULLH)                                                     \
    LM_EXPORT int PMPI_##Kind##_toint(Type handle)                                            \
    {                                                                                         \
        return toint((const void *)handle);                                                   \
    }                                                                                         \
    LM_WEAK_ALIAS(Kind##_toint)                                                               \
    LM_EXPORT Type PMPI_##Kind##_fromint(int value)                                           \
    {                                                                                         \
        return (Type)fromint(value, (void *)NULLH);                                           \
    }                                                                                         \
    LM_WEAK_ALIAS(Kind##_fromint)

LM_HANDLE_CONV(Comm, MPI_Comm, MPI_COMM_NULL)
LM_HANDLE_CONV(Group, MPI_Group, MPI_GROUP_NULL)
LM_HANDLE_CONV(Info, MPI_Info, MPI_INFO_NULL)
LM_HANDLE_CONV(Errhandler, MPI_Errhandler, MPI_ERRHANDLER_NULL)
LM_HANDLE_CONV(Type, MPI_Datatype, MPI_DATATYPE_NULL)
LM_HANDLE_CONV(Request, MPI_Request, MPI_REQUEST_NULL)
LM_HANDLE_CONV(Message, MPI_Message, MPI_MESSAGE_NULL)
