/*
 * attr.c - attribute caching for Comm and Datatype (Create_keyval, Free_keyval, Set_attr,
 * Get_attr, Delete_attr), shared by comm.c and datatype.c through pympi.h.
 *
 * A keyval made here carries a state tuple (copy_fn, delete_fn, nopython) as its MPI
 * extra_state, and MPI calls our C callbacks, which call the Python ones. Attribute values
 * of ordinary keyvals are PyObject pointers owning one reference; nopython keyvals (and
 * keyvals created in C) store plain integers. Reference rules, so nothing leaks and nothing
 * is used after free:
 *   - MPI._keyval_registry[kind][keyval] holds the state while the keyval number is ours;
 *     it is replaced only when MPI hands the number out again, which MPI does only once
 *     the keyval is freed and no attribute uses it;
 *   - every stored attribute holds one reference to its value and one to the state,
 *     taken by Set_attr or the copy callback and dropped by the delete callback once the
 *     user's delete_fn succeeded (if it fails, MPI keeps the attribute, so we keep them).
 * Callbacks may run with the GIL released (Comm.Dup releases it) or from MPI_Finalize at
 * exit, after the interpreter is gone: they take the GIL, and do nothing without Python.
 */
#include "pympi.h"

#include <stdint.h>

static PyObject *registry[2];   /* kind -> {keyval: state} */
static const char *const kind_names[2] = {"Comm", "Datatype"};

/* ---- the callbacks ------------------------------------------------------------------------- */

/* Prints the pending exception's traceback; returns the MPI error code to report. */
static int report_exception(void)
{
    int code = MPI_ERR_OTHER;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value != NULL && pympi_Exception != NULL &&
        PyObject_TypeCheck(value, (PyTypeObject *)pympi_Exception)) {
        PyObject *c = PyNumber_Long(value);
        if (c != NULL && PyLong_AsLong(c) != MPI_SUCCESS)
            code = (int)PyLong_AsLong(c);
        Py_XDECREF(c);
        PyErr_Clear();
    }
    if (type != NULL) {
        if (tb != NULL)
            PyException_SetTraceback(value, tb);
        PyErr_Display(type, value, tb);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return code;
}

/* The object handed to Python callbacks, like mpi4py: a plain Comm or a Datatype. */
static PyObject *wrap(int kind, void *handle)
{
    return kind == PYMPI_ATTR_COMM ? pympi_comm_new(&PyMPIComm_Type, (MPI_Comm)handle, 0)
                                   : pympi_datatype_new((MPI_Datatype)handle, 0);
}

static int is_nopython(PyObject *state)
{
    return PyTuple_GET_ITEM(state, 2) == Py_True;
}

/* The Python view of a stored value: a new reference. */
static PyObject *value_of(PyObject *state, void *val)
{
    return is_nopython(state) ? PyLong_FromSsize_t((Py_ssize_t)(intptr_t)val)
                              : Py_NewRef((PyObject *)val);
}

static int copy_attr(int kind, void *handle, int keyval, void *extra, void *in, void *out,
                     int *flag)
{
    *flag = 0;
    if (!Py_IsInitialized())
        return MPI_SUCCESS;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *state = extra, *copy_fn = PyTuple_GET_ITEM(state, 0);
    int rc = MPI_SUCCESS;
    if (copy_fn == Py_True) {
        if (!is_nopython(state))
            Py_INCREF((PyObject *)in);
        *(void **)out = in;
        *flag = 1;
        Py_INCREF(state);
    } else if (copy_fn != Py_None) {
        PyObject *obj = wrap(kind, handle), *value = value_of(state, in), *copy = NULL;
        if (obj != NULL && value != NULL)
            copy = PyObject_CallFunction(copy_fn, "OiO", obj, keyval, value);
        Py_XDECREF(obj);
        Py_XDECREF(value);
        if (copy == NULL) {
            rc = report_exception();
        } else if (copy == Py_NotImplemented) {
            Py_DECREF(copy);
        } else if (is_nopython(state)) {
            Py_ssize_t v = PyLong_AsSsize_t(copy);
            Py_DECREF(copy);
            if (v == -1 && PyErr_Occurred()) {
                rc = report_exception();
            } else {
                *(void **)out = (void *)(intptr_t)v;
                *flag = 1;
                Py_INCREF(state);
            }
        } else {
            *(void **)out = copy;  /* the new attribute owns this reference */
            *flag = 1;
            Py_INCREF(state);
        }
    }
    PyGILState_Release(gil);
    return rc;
}

static int delete_attr(int kind, void *handle, int keyval, void *val, void *extra)
{
    if (!Py_IsInitialized())
        return MPI_SUCCESS;
    PyGILState_STATE gil = PyGILState_Ensure();
    PyObject *state = extra, *delete_fn = PyTuple_GET_ITEM(state, 1);
    int rc = MPI_SUCCESS;
    if (delete_fn != Py_None) {
        PyObject *obj = wrap(kind, handle), *value = value_of(state, val), *r = NULL;
        if (obj != NULL && value != NULL)
            r = PyObject_CallFunction(delete_fn, "OiO", obj, keyval, value);
        Py_XDECREF(obj);
        Py_XDECREF(value);
        if (r == NULL)
            rc = report_exception();
        Py_XDECREF(r);
    }
    if (rc == MPI_SUCCESS) {
        if (!is_nopython(state))
            Py_DECREF((PyObject *)val);
        Py_DECREF(state);
    }
    PyGILState_Release(gil);
    return rc;
}

static int comm_copy(MPI_Comm comm, int keyval, void *extra, void *in, void *out, int *flag)
{
    return copy_attr(PYMPI_ATTR_COMM, (void *)comm, keyval, extra, in, out, flag);
}

static int comm_delete(MPI_Comm comm, int keyval, void *val, void *extra)
{
    return delete_attr(PYMPI_ATTR_COMM, (void *)comm, keyval, val, extra);
}

static int type_copy(MPI_Datatype type, int keyval, void *extra, void *in, void *out,
                     int *flag)
{
    return copy_attr(PYMPI_ATTR_TYPE, (void *)type, keyval, extra, in, out, flag);
}

static int type_delete(MPI_Datatype type, int keyval, void *val, void *extra)
{
    return delete_attr(PYMPI_ATTR_TYPE, (void *)type, keyval, val, extra);
}

/* ---- keyvals ------------------------------------------------------------------------------- */

/* The state of one of our keyvals (borrowed), NULL if none (no error set), or NULL with
 * an error. */
static PyObject *state_of(int kind, int keyval)
{
    PyObject *key = PyLong_FromLong(keyval);
    if (key == NULL)
        return NULL;
    PyObject *state = PyDict_GetItemWithError(registry[kind], key);
    Py_DECREF(key);
    return state;
}

PyObject *pympi_keyval_create(int kind, PyObject *copy_fn, PyObject *delete_fn, int nopython)
{
    if (copy_fn == NULL || copy_fn == Py_False)
        copy_fn = Py_None;
    if (delete_fn == NULL)
        delete_fn = Py_None;
    if (copy_fn != Py_None && copy_fn != Py_True && !PyCallable_Check(copy_fn)) {
        PyErr_Format(PyExc_TypeError, "copy_fn: expected a callable, True, False or None, "
                     "got %.100s", Py_TYPE(copy_fn)->tp_name);
        return NULL;
    }
    if (delete_fn != Py_None && !PyCallable_Check(delete_fn)) {
        PyErr_Format(PyExc_TypeError, "delete_fn: expected a callable or None, got %.100s",
                     Py_TYPE(delete_fn)->tp_name);
        return NULL;
    }
    PyObject *state = PyTuple_Pack(3, copy_fn, delete_fn, nopython ? Py_True : Py_False);
    if (state == NULL)
        return NULL;
    int keyval = MPI_KEYVAL_INVALID, ierr;
    if (kind == PYMPI_ATTR_COMM)
        ierr = MPI_Comm_create_keyval(copy_fn == Py_None ? MPI_COMM_NULL_COPY_FN : comm_copy,
                                      comm_delete, &keyval, state);
    else
        ierr = MPI_Type_create_keyval(copy_fn == Py_None ? MPI_TYPE_NULL_COPY_FN : type_copy,
                                      type_delete, &keyval, state);
    if (ierr != MPI_SUCCESS) {
        Py_DECREF(state);
        pympi_raise(ierr);
        return NULL;
    }
    /* The registry keeps the state alive for MPI (see the top of the file). MPI numbers
     * keyvals of all kinds from one table: drop a stale entry of the other kind. */
    PyObject *key = PyLong_FromLong(keyval);
    int bad = key == NULL || PyDict_SetItem(registry[kind], key, state) < 0;
    if (!bad && PyDict_DelItem(registry[!kind], key) < 0) {
        if (PyErr_ExceptionMatches(PyExc_KeyError))
            PyErr_Clear();
        else
            bad = 1;
    }
    Py_DECREF(state);
    if (bad) {
        Py_XDECREF(key);
        return NULL;
    }
    return key;
}

PyObject *pympi_keyval_free(int kind, int keyval)
{
    int ierr = kind == PYMPI_ATTR_COMM ? MPI_Comm_free_keyval(&keyval)
                                       : MPI_Type_free_keyval(&keyval);
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        return NULL;
    }
    return PyLong_FromLong(keyval);
}

/* ---- attributes ---------------------------------------------------------------------------- */

PyObject *pympi_attr_get(int kind, void *handle, int keyval)
{
    void *val = NULL;
    int flag = 0;
    int ierr = kind == PYMPI_ATTR_COMM
                   ? MPI_Comm_get_attr((MPI_Comm)handle, keyval, &val, &flag)
                   : MPI_Type_get_attr((MPI_Datatype)handle, keyval, &val, &flag);
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        return NULL;
    }
    if (!flag)
        Py_RETURN_NONE;
    /* Predefined attributes point at ints. */
    if (kind == PYMPI_ATTR_COMM && keyval >= MPI_TAG_UB && keyval <= MPI_LASTUSEDCODE)
        return PyLong_FromLong(val != NULL ? *(int *)val : 0);
    PyObject *state = state_of(kind, keyval);
    if (state == NULL && PyErr_Occurred())
        return NULL;
    if (state != NULL)
        return value_of(state, val);
    return PyLong_FromSsize_t((Py_ssize_t)(intptr_t)val);
}

PyObject *pympi_attr_set(int kind, void *handle, int keyval, PyObject *value)
{
    PyObject *state = state_of(kind, keyval);
    if (state == NULL && PyErr_Occurred())
        return NULL;
    void *val;
    if (state != NULL && !is_nopython(state)) {
        val = value;
    } else {
        if (!PyIndex_Check(value)) {
            PyErr_Format(PyExc_TypeError, "attrval: expected an integer for this keyval, "
                         "got %.100s", Py_TYPE(value)->tp_name);
            return NULL;
        }
        Py_ssize_t v = PyNumber_AsSsize_t(value, PyExc_OverflowError);
        if (v == -1 && PyErr_Occurred())
            return NULL;
        val = (void *)(intptr_t)v;
    }
    /* The attribute's references, taken before MPI may replace an old value (which runs
     * the delete callback) and given back if MPI refuses. */
    Py_XINCREF(state);
    if (state != NULL && !is_nopython(state))
        Py_INCREF(value);
    int ierr = kind == PYMPI_ATTR_COMM ? MPI_Comm_set_attr((MPI_Comm)handle, keyval, val)
                                       : MPI_Type_set_attr((MPI_Datatype)handle, keyval, val);
    if (ierr != MPI_SUCCESS) {
        if (state != NULL && !is_nopython(state))
            Py_DECREF(value);
        Py_XDECREF(state);
        pympi_raise(ierr);
        return NULL;
    }
    Py_RETURN_NONE;
}

PyObject *pympi_attr_delete(int kind, void *handle, int keyval)
{
    int ierr = kind == PYMPI_ATTR_COMM ? MPI_Comm_delete_attr((MPI_Comm)handle, keyval)
                                       : MPI_Type_delete_attr((MPI_Datatype)handle, keyval);
    if (ierr != MPI_SUCCESS) {
        pympi_raise(ierr);
        return NULL;
    }
    Py_RETURN_NONE;
}

int pympi_init_attr(PyObject *m)
{
    PyObject *all = PyDict_New();
    if (all == NULL)
        return -1;
    for (int k = 0; k < 2; k++) {
        registry[k] = PyDict_New();
        if (registry[k] == NULL || PyDict_SetItemString(all, kind_names[k], registry[k]) < 0) {
            Py_DECREF(all);
            return -1;
        }
    }
    return PyModule_AddObject(m, "_keyval_registry", all);
}
