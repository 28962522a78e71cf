"""Environment: module functions (versions, timers, thread level, init/finalize rules,
error classes/codes/strings), MPI.Exception, Errhandler, the integer constants, the
handle helpers, and the mpi4py.rc variants, each run as a singleton in a subprocess."""
import os
import pickle
import socket
import subprocess
import sys
import threading

import pytest
from mpi4py import MPI

world = MPI.COMM_WORLD
rank, size = world.rank, world.size


def error_class(excinfo):
    return excinfo.value.Get_error_class()


def test_versions_and_names():
    version = MPI.Get_version()
    assert version == (MPI.VERSION, MPI.SUBVERSION) and version >= (3, 1)
    assert MPI.Get_library_version().startswith('LiteMPI')
    vendor, number = MPI.get_vendor()
    assert vendor == 'LiteMPI' and len(number) == 3 and all(isinstance(v, int) for v in number)
    assert MPI.Get_processor_name() == socket.gethostname()


def test_timers():
    t0 = MPI.Wtime()
    t1 = MPI.Wtime()
    assert isinstance(t0, float) and t1 >= t0
    assert 0 < MPI.Wtick() < 1


def test_init_state_and_threads():
    assert MPI.Is_initialized() is True and MPI.Is_finalized() is False
    assert MPI.Query_thread() == MPI.THREAD_MULTIPLE         # rc.thread_level default
    assert MPI.Is_thread_main() is True
    seen = []
    thread = threading.Thread(target=lambda: seen.append(MPI.Is_thread_main()))
    thread.start()
    thread.join()
    assert seen == [False]
    assert MPI.THREAD_SINGLE < MPI.THREAD_FUNNELED < MPI.THREAD_SERIALIZED < MPI.THREAD_MULTIPLE
    # The import initialised MPI: a second initialisation is an MPI error, not an abort.
    for call in (MPI.Init, MPI.Init_thread, lambda: MPI.Init_thread(MPI.THREAD_SINGLE)):
        with pytest.raises(MPI.Exception) as exc:
            call()
        assert error_class(exc) == MPI.ERR_OTHER
    with pytest.raises(TypeError, match='required'):
        MPI.Init_thread('multiple')


def test_pcontrol():
    for level in (0, 1, 2):
        assert MPI.Pcontrol(level) is None
    with pytest.raises(MPI.Exception) as exc:
        MPI.Pcontrol(3)
    assert error_class(exc) == MPI.ERR_ARG
    with pytest.raises(TypeError, match='level'):
        MPI.Pcontrol('on')


ERROR_CLASSES = [name for name in dir(MPI) if name.startswith('ERR_') and name != 'ERR_LASTCODE']


def test_error_classes_and_strings():
    assert len(ERROR_CLASSES) >= 60
    values = [getattr(MPI, name) for name in ERROR_CLASSES]
    assert len(set(values)) == len(values) and MPI.SUCCESS not in values
    for name, value in zip(ERROR_CLASSES, values):
        assert MPI.Get_error_class(value) == value
        assert MPI.Get_error_string(value).startswith('MPI_' + name), name
        assert 0 < value <= MPI.ERR_LASTCODE
    assert MPI.Get_error_string(MPI.SUCCESS).startswith('MPI_SUCCESS')
    for bad in (-5, 12345, MPI.ERR_LASTCODE + 1000):
        with pytest.raises(MPI.Exception) as exc:
            MPI.Get_error_class(bad)
        assert error_class(exc) == MPI.ERR_ARG
        with pytest.raises(MPI.Exception) as exc:
            MPI.Get_error_string(bad)
        assert error_class(exc) == MPI.ERR_ARG
    with pytest.raises(TypeError, match='errorcode'):
        MPI.Get_error_string(None)


def test_user_error_classes():
    errclass = MPI.Add_error_class()
    errcode = MPI.Add_error_code(errclass)
    MPI.Add_error_string(errcode, 'my own error')
    MPI.Add_error_string(errclass, 'my own class')
    assert MPI.Get_error_class(errcode) == errclass
    assert MPI.Get_error_string(errcode) == 'my own error'
    assert MPI.Get_error_string(errclass) == 'my own class'
    assert world.Get_attr(MPI.LASTUSEDCODE) >= errcode
    exc = MPI.Exception(errcode)
    assert exc.Get_error_class() == errclass and str(exc) == 'my own error'
    with pytest.raises(MPI.Exception) as caught:
        MPI.Add_error_code(MPI.ERR_LASTCODE + 99)
    assert error_class(caught) == MPI.ERR_ARG
    with pytest.raises(MPI.Exception) as caught:           # the class still has a code
        MPI.Remove_error_class(errclass)
    assert error_class(caught) == MPI.ERR_ARG
    with pytest.raises(MPI.Exception):
        MPI.Remove_error_class(MPI.ERR_ARG)                 # predefined
    MPI.Remove_error_string(errcode)
    MPI.Remove_error_code(errcode)
    MPI.Remove_error_class(errclass)
    with pytest.raises(TypeError, match='string'):
        MPI.Add_error_string(MPI.ERR_ARG, 5)


def test_exception_class():
    exc = MPI.Exception(MPI.ERR_RANK)
    assert isinstance(exc, RuntimeError) and MPI.Exception.__module__ == 'mpi4py.MPI'
    assert exc.Get_error_code() == exc.error_code == MPI.ERR_RANK
    assert exc.Get_error_class() == exc.error_class == MPI.ERR_RANK
    assert exc.Get_error_string() == exc.error_string == str(exc)
    assert str(exc).startswith('MPI_ERR_RANK')
    assert repr(exc) == f'MPI.Exception({MPI.ERR_RANK})'
    assert int(exc) == MPI.ERR_RANK and hash(exc) == hash(MPI.ERR_RANK) and bool(exc)
    assert exc == MPI.ERR_RANK and exc != MPI.ERR_TAG and exc == MPI.Exception(MPI.ERR_RANK)
    assert exc < MPI.ERR_RANK + 1 and exc > MPI.ERR_RANK - 1 and exc <= MPI.ERR_RANK
    assert exc != 'text' and exc.args == (MPI.ERR_RANK,)
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is MPI.Exception and again == exc
    assert MPI.Exception(ierr=MPI.ERR_TAG).error_code == MPI.ERR_TAG
    empty = MPI.Exception()
    assert empty.error_code == MPI.SUCCESS and not empty
    with pytest.raises(TypeError):
        MPI.Exception('oops')
    with pytest.raises(TypeError):
        MPI.Exception(1, 2)
    unknown = MPI.Exception(987654)
    assert '987654' in str(unknown)                  # str never raises
    with pytest.raises(MPI.Exception) as caught:
        unknown.Get_error_class()
    assert error_class(caught) == MPI.ERR_ARG
    with pytest.raises(MPI.Exception):
        unknown.Get_error_string()


def test_exception_from_mpi_carries_details():
    with pytest.raises(MPI.Exception) as caught:
        world.Split(-7)
    exc = caught.value
    assert exc.Get_error_class() == MPI.ERR_ARG
    assert 'color' in exc.Get_error_string() and '-7' in str(exc)


def test_errhandler_objects():
    for eh in (MPI.ERRORS_RETURN, MPI.ERRORS_ARE_FATAL, MPI.ERRORS_ABORT):
        assert isinstance(eh, MPI.Errhandler) and eh
        assert MPI.Errhandler.f2py(eh.py2f()) == eh and MPI.Errhandler(eh) == eh
        assert pickle.loads(pickle.dumps(eh)) is eh
    assert not MPI.ERRHANDLER_NULL and MPI.Errhandler() == MPI.ERRHANDLER_NULL
    assert len({MPI._handleof(e) for e in (MPI.ERRORS_RETURN, MPI.ERRORS_ARE_FATAL,
                                          MPI.ERRORS_ABORT, MPI.ERRHANDLER_NULL)}) == 4
    MPI.ERRORS_RETURN.Free()               # MPI allows it; the constant stays usable
    assert MPI.ERRORS_RETURN != MPI.ERRHANDLER_NULL
    assert world.Get_errhandler() == MPI.ERRORS_RETURN
    with pytest.raises(MPI.Exception) as exc:
        MPI.ERRHANDLER_NULL.Free()
    assert error_class(exc) == MPI.ERR_ARG
    with pytest.raises(TypeError, match='errhandler'):
        MPI.Errhandler(world)
    with pytest.raises(TypeError):
        hash(MPI.ERRORS_RETURN)


def test_constants():
    ints = ['ANY_SOURCE', 'ANY_TAG', 'PROC_NULL', 'ROOT', 'UNDEFINED', 'KEYVAL_INVALID',
            'BSEND_OVERHEAD', 'IDENT', 'CONGRUENT', 'SIMILAR', 'UNEQUAL', 'CART', 'GRAPH',
            'DIST_GRAPH', 'COMM_TYPE_SHARED', 'TAG_UB', 'HOST', 'IO', 'WTIME_IS_GLOBAL',
            'UNIVERSE_SIZE', 'APPNUM', 'LASTUSEDCODE', 'MAX_PROCESSOR_NAME',
            'MAX_ERROR_STRING', 'MAX_INFO_KEY', 'MAX_INFO_VAL', 'MAX_OBJECT_NAME',
            'MAX_LIBRARY_VERSION_STRING', 'ORDER_C', 'ORDER_F', 'ORDER_FORTRAN',
            'DISTRIBUTE_NONE', 'DISTRIBUTE_BLOCK', 'DISTRIBUTE_CYCLIC', 'DISTRIBUTE_DFLT_DARG',
            'TYPECLASS_INTEGER', 'TYPECLASS_REAL', 'TYPECLASS_COMPLEX', 'COMBINER_NAMED',
            'COMBINER_STRUCT', 'COMBINER_RESIZED', 'UNWEIGHTED', 'WEIGHTS_EMPTY', 'VERSION',
            'SUBVERSION', 'SUCCESS', 'ERR_LASTCODE']
    for name in ints:
        assert type(getattr(MPI, name)) is int, name
    assert MPI.SUCCESS == 0 and MPI.ORDER_F == MPI.ORDER_FORTRAN
    assert len({MPI.ANY_SOURCE, MPI.PROC_NULL, MPI.ROOT, MPI.UNDEFINED}) == 4
    assert len({MPI.IDENT, MPI.CONGRUENT, MPI.SIMILAR, MPI.UNEQUAL}) == 4
    assert len({MPI.CART, MPI.GRAPH, MPI.DIST_GRAPH, MPI.UNDEFINED}) == 4
    assert MPI.UNWEIGHTED != MPI.WEIGHTS_EMPTY
    assert MPI.MAX_PROCESSOR_NAME >= len(MPI.Get_processor_name())
    # Nothing of what liblitempi lacks is pretended.
    for name in ('Win', 'File', 'WIN_NULL', 'FILE_NULL', 'MODE_RDONLY', 'WIN_BASE',
                 'LOCK_SHARED', 'SEEK_SET', 'Open_port', 'Lookup_name', 'MAX_PORT_NAME'):
        assert not hasattr(MPI, name), name
    assert not hasattr(MPI.Comm, 'Get_parent') and not hasattr(MPI.Intracomm, 'Spawn')


def test_handle_helpers():
    objects = [world, MPI.GROUP_EMPTY, MPI.INFO_ENV, MPI.ERRORS_RETURN, MPI.INT, MPI.SUM,
               MPI.REQUEST_NULL]
    handles = [MPI._handleof(o) for o in objects]
    assert all(isinstance(h, int) for h in handles) and len(set(handles)) == len(handles)
    for o in objects:
        assert MPI._sizeof(o) == MPI._sizeof(type(o)) == MPI._sizeof(MPI.Comm)
        assert MPI._addressof(o) != MPI._addressof(MPI.COMM_SELF) or o is MPI.COMM_SELF
    status = MPI.Status()
    assert MPI._sizeof(status) == MPI._sizeof(MPI.Status) == 32
    assert isinstance(MPI._addressof(status), int)
    with pytest.raises(NotImplementedError):
        MPI._handleof(status)
    for bad in (5, None, 'x', MPI.BOTTOM):
        with pytest.raises(TypeError):
            MPI._handleof(bad)
        with pytest.raises(TypeError):
            MPI._addressof(bad)
        with pytest.raises(TypeError):
            MPI._sizeof(bad)
    code = MPI._typecode(MPI.INT)
    assert code is None or isinstance(code, str)
    with pytest.raises(TypeError, match='datatype'):
        MPI._typecode(world)
    assert isinstance(MPI._keyval_registry, dict)


# ---- mpi4py.rc variants and the exit rules, as singletons in subprocesses -------------------

def run_singleton(code):
    """Runs `code` in a fresh interpreter outside this job (no launcher variables)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('PMI_', 'MPI_LOCAL', 'LITEMPI_KVSNAME'))}
    return subprocess.run([sys.executable, '-c', code], env=env, capture_output=True,
                          text=True, timeout=60)


def check(code, expect_rc=0):
    result = run_singleton(code)
    assert result.returncode == expect_rc, result.stderr
    return result


only_rank0 = pytest.mark.skipif(rank != 0, reason='subprocess tests run once per job')


@only_rank0
def test_rc_initialize_false_then_init_thread():
    check('''
import mpi4py
mpi4py.rc.initialize = False
from mpi4py import MPI
assert not MPI.Is_initialized() and not MPI.Is_finalized()
assert MPI.Get_version() and MPI.Wtime() >= 0 and MPI.ERR_RANK and MPI.COMM_WORLD
try:
    MPI.Query_thread()
except MPI.Exception as exc:
    assert exc.Get_error_class() == MPI.ERR_OTHER
else:
    raise AssertionError('Query_thread before Init')
assert MPI.Init_thread(MPI.THREAD_SERIALIZED) == MPI.THREAD_SERIALIZED
assert MPI.Query_thread() == MPI.THREAD_SERIALIZED
assert MPI.COMM_WORLD.Get_errhandler() == MPI.ERRORS_RETURN
assert MPI.COMM_SELF.Get_errhandler() == MPI.ERRORS_RETURN
keyval = MPI.Comm.Create_keyval(delete_fn=lambda c, k, v: None)
MPI.COMM_WORLD.Set_attr(keyval, object())   # deleted by the exit hook, Python gone
''')
    check('''
import mpi4py
mpi4py.rc(initialize=False)
from mpi4py import MPI
MPI.Init()
assert MPI.Is_initialized()
''')


@only_rank0
def test_rc_thread_levels():
    for level, name in ((MPI.THREAD_SINGLE, 'single'), (MPI.THREAD_FUNNELED, 'funneled'),
                        (MPI.THREAD_SERIALIZED, 'Serialized')):
        check(f'''
import mpi4py
mpi4py.rc.thread_level = {name!r}
from mpi4py import MPI
assert MPI.Query_thread() == {level}, MPI.Query_thread()
''')
    check('''
import mpi4py
mpi4py.rc.threads = False
from mpi4py import MPI
assert MPI.Query_thread() == MPI.THREAD_SINGLE
''')
    result = check('''
import mpi4py
mpi4py.rc.thread_level = 'lots'
from mpi4py import MPI
''', expect_rc=1)
    assert 'ValueError' in result.stderr and 'lots' in result.stderr
    result = check('''
import mpi4py
mpi4py.rc.thread_level = 3
from mpi4py import MPI
''', expect_rc=1)
    assert 'ValueError' in result.stderr


@only_rank0
def test_rc_errors():
    check('''
import mpi4py
mpi4py.rc.errors = 'default'
from mpi4py import MPI
assert MPI.COMM_WORLD.Get_errhandler() == MPI.ERRORS_ARE_FATAL
assert MPI.COMM_WORLD.Dup().Get_errhandler() == MPI.ERRORS_ARE_FATAL
MPI.COMM_WORLD.Set_errhandler(MPI.ERRORS_RETURN)
assert MPI.COMM_WORLD.Dup().Get_errhandler() == MPI.ERRORS_RETURN   # MPI's inheritance
''')
    check('''
import mpi4py
mpi4py.rc.errors = 'fatal'
from mpi4py import MPI
assert MPI.COMM_SELF.Get_errhandler() == MPI.ERRORS_ARE_FATAL
MPI.COMM_WORLD.Set_errhandler(MPI.ERRORS_RETURN)
assert MPI.COMM_WORLD.Split(0).Get_errhandler() == MPI.ERRORS_ARE_FATAL
''')
    result = check('''
import mpi4py
mpi4py.rc.errors = 'loud'
from mpi4py import MPI
''', expect_rc=1)
    assert 'ValueError' in result.stderr and 'loud' in result.stderr


@only_rank0
def test_explicit_finalize():
    result = check('''
from mpi4py import MPI
keyval = MPI.Comm.Create_keyval(delete_fn=lambda c, k, v: print('deleted', v))
MPI.COMM_SELF.Set_attr(keyval, 'self-attribute')
MPI.Finalize()
assert MPI.Is_finalized() and MPI.Is_initialized()
for call in (MPI.Finalize, MPI.Init, MPI.Query_thread, MPI.Add_error_class):
    try:
        call()
    except MPI.Exception as exc:
        assert exc.Get_error_class() == MPI.ERR_OTHER
    else:
        raise AssertionError(call)
print('done')
''')
    assert result.stdout.split('\n')[:2] == ['deleted self-attribute', 'done']


@only_rank0
def test_rc_finalize_false_and_abort_status():
    result = check('''
import mpi4py
mpi4py.rc.finalize = False
from mpi4py import MPI
print('ran')
''')
    assert result.stdout == 'ran\n'
    check('''
from mpi4py import MPI
MPI._set_abort_status(3)
''', expect_rc=3)
    check('''
from mpi4py import MPI
MPI._set_abort_status(5)
MPI._set_abort_status(None)
''')
    check('''
import mpi4py
mpi4py.rc.finalize = False
from mpi4py import MPI
MPI._set_abort_status(4)
''', expect_rc=4)
    result = check('''
from mpi4py import MPI
print('flushed before abort', end='')
MPI.COMM_WORLD.Abort(7)
''', expect_rc=7)
    assert result.stdout == 'flushed before abort'


def test_signatures_and_keywords():
    import inspect
    owned = {
        MPI.Comm: ['Get_group', 'Get_size', 'Get_rank', 'Compare', 'Clone', 'Dup',
                   'Dup_with_info', 'Idup', 'Create', 'Create_group', 'Split', 'Split_type',
                   'Free', 'Set_info', 'Get_info', 'Is_inter', 'Is_intra', 'Get_topology',
                   'Get_attr', 'Set_attr', 'Delete_attr', 'Create_keyval', 'Free_keyval',
                   'Get_errhandler', 'Set_errhandler', 'Call_errhandler', 'Abort', 'Get_name',
                   'Set_name', 'py2f', 'f2py'],
        MPI.Intracomm: ['Create_intercomm'],
        MPI.Intercomm: ['Get_remote_group', 'Get_remote_size', 'Merge'],
        MPI.Group: ['Get_size', 'Get_rank', 'Translate_ranks', 'Compare', 'Dup', 'Union',
                    'Intersection', 'Difference', 'Incl', 'Excl', 'Range_incl', 'Range_excl',
                    'Free', 'py2f', 'f2py'],
        MPI.Info: ['Create', 'Free', 'Dup', 'Get', 'Set', 'Delete', 'Get_nkeys', 'Get_nthkey',
                   'py2f', 'f2py', 'get', 'keys', 'values', 'items', 'update', 'pop',
                   'popitem', 'copy', 'clear'],
        MPI.Errhandler: ['Free', 'py2f', 'f2py'],
    }
    for cls, names in owned.items():
        for name in names:
            assert inspect.signature(getattr(cls, name)) is not None, (cls, name)
    for name in ('Init', 'Init_thread', 'Finalize', 'Is_initialized', 'Is_finalized',
                 'Query_thread', 'Is_thread_main', 'Get_version', 'Get_library_version',
                 'get_vendor', 'Get_processor_name', 'Wtime', 'Wtick', 'Pcontrol',
                 'Get_error_class', 'Get_error_string', 'Add_error_class', 'Add_error_code',
                 'Add_error_string', '_handleof', '_addressof', '_sizeof', '_typecode'):
        assert inspect.signature(getattr(MPI, name)) is not None, name
    assert list(inspect.signature(MPI.Comm.Split).parameters) == ['self', 'color', 'key']
    assert inspect.signature(MPI.Group.Translate_ranks).parameters['group2'].default is None
    # mpi4py's argument names work as keywords.
    group = world.Get_group()
    sub = world.Create(group=group)
    assert MPI.Comm.Compare(comm1=sub, comm2=world) == MPI.CONGRUENT
    sub.Set_name(name='kw')
    assert sub.Get_attr(keyval=MPI.TAG_UB) >= 32767
    sub.Free()
    assert MPI.Get_error_class(errorcode=MPI.ERR_TAG) == MPI.ERR_TAG
    assert MPI.Group.Compare(group1=group, group2=group) == MPI.IDENT
    assert group.Incl(ranks=[rank]).size == 1
    info = MPI.Info.Create()
    info.Set(key='k', value='v')
    assert info.Get(key='k', maxlen=-1) == 'v' and info.Get_nthkey(n=0) == 'k'
    info.Delete(key='k')
    info.Free()
    group.Free()
    with pytest.raises(TypeError, match='unexpected keyword'):
        world.Split(colour=1)
