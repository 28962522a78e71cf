/*
 * message.c - MPI.Message: matched messages from Mprobe/Improbe. (Minimal skeleton.)
 */
#include "pympi.h"

PyObject *pympi_message_new(MPI_Message msg, PyObject *buf)
{
    PyMPIMessageObject *self =
        (PyMPIMessageObject *)PyMPIMessage_Type.tp_alloc(&PyMPIMessage_Type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = msg;
    self->ob_buf = Py_XNewRef(buf);
    return (PyObject *)self;
}

static void message_dealloc(PyObject *self)
{
    Py_CLEAR(((PyMPIMessageObject *)self)->ob_buf);
    Py_TYPE(self)->tp_free(self);
}

PyTypeObject PyMPIMessage_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Message",
    .tp_basicsize = sizeof(PyMPIMessageObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Matched message.",
    .tp_dealloc = message_dealloc,
};

int pympi_init_message(PyObject *m)
{
    if (PyType_Ready(&PyMPIMessage_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Message", (PyObject *)&PyMPIMessage_Type) < 0)
        return -1;
    PyObject *null = pympi_message_new(MPI_MESSAGE_NULL, NULL);
    PyObject *nproc = pympi_message_new(MPI_MESSAGE_NO_PROC, NULL);
    if (null == NULL || nproc == NULL)
        return -1;
    if (PyModule_AddObject(m, "MESSAGE_NULL", null) < 0)
        return -1;
    return PyModule_AddObject(m, "MESSAGE_NO_PROC", nproc);
}
