"""The mpi4py package around the extension: version, rc, get_include, get_config, profile,
the extension's file name, and the C API header (through the capi_check extension)."""
import os
import sysconfig

import pytest

import mpi4py
from mpi4py import MPI

comm = MPI.COMM_WORLD


def test_version_and_all():
    assert mpi4py.__version__ == '3.1.4'
    assert mpi4py.__all__ == ['MPI']


def test_extension_file_name():
    assert MPI.__file__.endswith('MPI' + sysconfig.get_config_var('EXT_SUFFIX'))
    assert MPI.__name__ == 'mpi4py.MPI'


def test_rc_defaults_and_repr():
    rc = mpi4py.rc
    assert repr(rc) == '<mpi4py.rc>'
    assert isinstance(rc, mpi4py.Rc)
    assert (rc.initialize, rc.threads, rc.thread_level, rc.finalize) == \
        (True, True, 'multiple', None)
    assert (rc.fast_reduce, rc.recv_mprobe, rc.errors) == (True, True, 'exception')


def test_rc_call():
    rc = mpi4py.Rc()
    assert rc(threads=False, errors='fatal') is None
    assert (rc.threads, rc.errors) == (False, 'fatal')
    assert mpi4py.Rc.threads is True          # the defaults stay on the class
    rc = mpi4py.Rc(thread_level='single')
    assert rc.thread_level == 'single'
    with pytest.raises(TypeError, match="unexpected argument 'bogus'"):
        rc(bogus=1)
    with pytest.raises(TypeError, match="unexpected argument 'bogus'"):
        rc(errors='default', bogus=1)
    assert rc.errors == 'exception'           # nothing set when one name is wrong


def test_get_include():
    inc = mpi4py.get_include()
    assert os.path.isdir(inc)
    assert os.path.isfile(os.path.join(inc, 'mpi4py', 'mpi4py.h'))


def test_get_config():
    config = mpi4py.get_config()
    assert set(config) >= {'mpicc', 'mpicxx', 'include_dirs', 'library_dirs', 'libraries'}
    assert os.access(config['mpicc'], os.X_OK)
    assert os.path.isfile(os.path.join(config['include_dirs'], 'mpi.h'))
    assert config['libraries'] == 'litempi'


def test_profile_is_a_no_op():
    assert mpi4py.profile('mpe') is None
    assert mpi4py.profile('vt', path=['/nowhere'], logfile='x') is None
    with pytest.raises(TypeError):
        mpi4py.profile(42)
    with pytest.raises(TypeError):
        mpi4py.profile()


capi = pytest.importorskip('mpi4py_capi_check')


def test_capi_comm():
    assert capi.comm_is_world(comm)
    assert not capi.comm_is_world(MPI.COMM_SELF)
    assert capi.comm_size(comm) == comm.Get_size()
    assert capi.comm_size(MPI.COMM_SELF) == 1
    dup = comm.Dup()
    assert capi.comm_size(dup) == comm.Get_size() and not capi.comm_is_world(dup)
    dup.Free()
    world = capi.new_comm_world()
    assert type(world) is MPI.Intracomm
    assert world == comm and world.Get_rank() == comm.Get_rank()
    assert capi.is_instance(world, 'Intracomm') and capi.is_instance(world, 'Comm')
    del world                                 # does not own the handle: nothing freed
    assert comm.Get_size() >= 1
    null = capi.new_comm_null()
    assert type(null) is MPI.Comm and not null and null == MPI.COMM_NULL


def test_capi_datatype_and_status():
    assert capi.datatype_is_double(MPI.DOUBLE) and not capi.datatype_is_double(MPI.INT)
    t = capi.new_datatype_int()
    assert type(t) is MPI.Datatype and t == MPI.INT
    status = MPI.Status()
    capi.status_set(status, 3, 17)
    assert (status.Get_source(), status.Get_tag()) == (3, 17)
    status = capi.new_status(5, 9)
    assert type(status) is MPI.Status and (status.source, status.tag) == (5, 9)


def test_capi_type_errors():
    for func, wrong in ((capi.comm_is_world, MPI.DOUBLE), (capi.comm_size, None),
                        (capi.datatype_is_double, comm)):
        with pytest.raises(TypeError, match='expected an MPI'):
            func(wrong)
    with pytest.raises(TypeError):
        capi.status_set(comm, 1, 1)
    assert not capi.is_instance(comm, 'Datatype')
