/*
 * request.c - MPI.Request, MPI.Prequest, MPI.Grequest. (Minimal skeleton: the objects
 * and Wait/wait; the full classes come next.)
 */
#include "pympi.h"

PyObject *pympi_request_new(PyTypeObject *type, MPI_Request req, PyObject *buf, int kind)
{
    PyMPIRequestObject *self = (PyMPIRequestObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->ob_mpi = req;
    self->ob_buf = Py_XNewRef(buf);
    self->ob_kind = kind;
    return (PyObject *)self;
}

static void request_dealloc(PyObject *self)
{
    Py_CLEAR(((PyMPIRequestObject *)self)->ob_buf);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *request_tp_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return pympi_request_new(type, MPI_REQUEST_NULL, NULL, PYMPI_REQ_PLAIN);
}

static PyObject *request_Wait(PyObject *self, PyObject *args, PyObject *kwds)
{
    MPI_Status *status = MPI_STATUS_IGNORE;
    static char *kwlist[] = {"status", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|O&:Wait", kwlist, pympi_conv_status,
                                     &status))
        return NULL;
    PyMPIRequestObject *r = (PyMPIRequestObject *)self;
    PYMPI_CHK_NOGIL(MPI_Wait(&r->ob_mpi, status));
    Py_CLEAR(r->ob_buf);
    Py_RETURN_TRUE;
fail:
    return NULL;
}

static PyMethodDef request_methods[] = {
    {"Wait", (PyCFunction)(void (*)(void))request_Wait, METH_VARARGS | METH_KEYWORDS,
     "Wait for the request to complete."},
    {NULL},
};

static PyObject *request_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &PyMPIRequest_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int eq = ((PyMPIRequestObject *)a)->ob_mpi == ((PyMPIRequestObject *)b)->ob_mpi;
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static int request_bool(PyObject *self)
{
    return ((PyMPIRequestObject *)self)->ob_mpi != MPI_REQUEST_NULL;
}

static PyNumberMethods request_as_number = {.nb_bool = request_bool};

PyTypeObject PyMPIRequest_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Request",
    .tp_basicsize = sizeof(PyMPIRequestObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Request handle.",
    .tp_new = request_tp_new,
    .tp_dealloc = request_dealloc,
    .tp_richcompare = request_richcompare,
    .tp_as_number = &request_as_number,
    .tp_methods = request_methods,
};

PyTypeObject PyMPIPrequest_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Prequest",
    .tp_basicsize = sizeof(PyMPIRequestObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Persistent request handle.",
};

PyTypeObject PyMPIGrequest_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mpi4py.MPI.Grequest",
    .tp_basicsize = sizeof(PyMPIRequestObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Generalized request handle.",
};

int pympi_init_request(PyObject *m)
{
    PyMPIPrequest_Type.tp_base = &PyMPIRequest_Type;
    PyMPIGrequest_Type.tp_base = &PyMPIRequest_Type;
    if (PyType_Ready(&PyMPIRequest_Type) < 0 || PyType_Ready(&PyMPIPrequest_Type) < 0 ||
        PyType_Ready(&PyMPIGrequest_Type) < 0)
        return -1;
    if (PyModule_AddObjectRef(m, "Request", (PyObject *)&PyMPIRequest_Type) < 0 ||
        PyModule_AddObjectRef(m, "Prequest", (PyObject *)&PyMPIPrequest_Type) < 0 ||
        PyModule_AddObjectRef(m, "Grequest", (PyObject *)&PyMPIGrequest_Type) < 0)
        return -1;
    PyObject *null = pympi_request_new(&PyMPIRequest_Type, MPI_REQUEST_NULL, NULL, 0);
    return null == NULL ? -1 : PyModule_AddObject(m, "REQUEST_NULL", null);
}
