/*
 * topo.c - MPI.Topocomm, MPI.Cartcomm, MPI.Graphcomm, MPI.Distgraphcomm and the
 * Intracomm constructors that make them. (Minimal skeleton: the classes only.)
 */
#include "pympi.h"

#define TOPO_TYPE(var, name, doc)                                                         \
    PyTypeObject var = {                                                                 \
        PyVarObject_HEAD_INIT(NULL, 0)                                                   \
        .tp_name = "mpi4py.MPI." name,                                                   \
        .tp_basicsize = sizeof(PyMPICommObject),                                         \
        .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,                            \
        .tp_doc = doc,                                                                   \
    }

TOPO_TYPE(PyMPITopocomm_Type, "Topocomm", "Topology intracommunicator.");
TOPO_TYPE(PyMPICartcomm_Type, "Cartcomm", "Cartesian topology intracommunicator.");
TOPO_TYPE(PyMPIGraphcomm_Type, "Graphcomm", "General graph topology intracommunicator.");
TOPO_TYPE(PyMPIDistgraphcomm_Type, "Distgraphcomm",
          "Distributed graph topology intracommunicator.");

int pympi_init_topo(PyObject *m)
{
    PyMPITopocomm_Type.tp_base = &PyMPIIntracomm_Type;
    PyMPICartcomm_Type.tp_base = &PyMPITopocomm_Type;
    PyMPIGraphcomm_Type.tp_base = &PyMPITopocomm_Type;
    PyMPIDistgraphcomm_Type.tp_base = &PyMPITopocomm_Type;
    PyTypeObject *types[] = {&PyMPITopocomm_Type, &PyMPICartcomm_Type, &PyMPIGraphcomm_Type,
                             &PyMPIDistgraphcomm_Type};
    for (size_t i = 0; i < 4; i++) {
        if (PyType_Ready(types[i]) < 0)
            return -1;
        if (PyModule_AddObjectRef(m, types[i]->tp_name + sizeof "mpi4py.MPI." - 1,
                                  (PyObject *)types[i]) < 0)
            return -1;
    }
    return 0;
}

PyMethodDef pympi_module_topo_methods[] = {
    {NULL},
};
