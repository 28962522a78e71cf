"""Comm / Intracomm / Intercomm methods that do not move data: sizes, groups, comparison,
duplication, splitting, creation, freeing, info, names, attributes, error handlers, integer
handles, class checks. Every rank runs every test, so collectives stay in step."""
import ctypes
import gc
import pickle
import resource
import sys

import pytest
from mpi4py import MPI

world = MPI.COMM_WORLD
rank, size = world.rank, world.size


def error_class(excinfo):
    return excinfo.value.Get_error_class()


def test_size_rank_and_properties():
    for comm in (world, MPI.COMM_SELF):
        assert comm.Get_size() == comm.size and comm.Get_rank() == comm.rank
        assert comm.is_intra and not comm.is_inter
        assert comm.Is_intra() is True and comm.Is_inter() is False
        assert comm.topology == comm.Get_topology() == MPI.UNDEFINED
        assert comm.is_topo is False
        group = comm.group
        assert (group.size, group.rank) == (comm.size, comm.rank)
        group.Free()
    assert MPI.COMM_SELF.size == 1 and MPI.COMM_SELF.rank == 0
    assert 0 <= rank < size
    assert world.name == 'MPI_COMM_WORLD' and MPI.COMM_SELF.name == 'MPI_COMM_SELF'
    assert type(world) is MPI.Intracomm and type(MPI.COMM_NULL) is MPI.Comm
    assert not MPI.COMM_NULL and world and world != MPI.COMM_NULL
    with pytest.raises(TypeError):
        hash(world)


def test_null_communicator_errors():
    for call in (MPI.COMM_NULL.Get_size, MPI.COMM_NULL.Get_rank, MPI.COMM_NULL.Dup,
                 MPI.COMM_NULL.Get_group, MPI.COMM_NULL.Is_inter, MPI.COMM_NULL.Get_name,
                 MPI.COMM_NULL.Get_topology, MPI.COMM_NULL.Free):
        with pytest.raises(MPI.Exception) as exc:
            call()
        assert error_class(exc) == MPI.ERR_COMM
    with pytest.raises(MPI.Exception) as exc:
        MPI.COMM_NULL.size
    assert error_class(exc) == MPI.ERR_COMM


def test_free_predefined_is_refused():
    for comm in (world, MPI.COMM_SELF):
        with pytest.raises(MPI.Exception) as exc:
            comm.Free()
        assert error_class(exc) == MPI.ERR_COMM
    assert world.Get_size() == size and MPI.COMM_WORLD == world   # still usable


def test_compare():
    assert MPI.Comm.Compare(world, world) == MPI.IDENT
    dup = world.Dup()
    assert MPI.Comm.Compare(world, dup) == MPI.CONGRUENT
    assert world.Compare(dup, world) == MPI.CONGRUENT      # class method on an instance
    rev = world.Split(0, size - rank)
    assert MPI.Comm.Compare(world, rev) == (MPI.SIMILAR if size > 1 else MPI.CONGRUENT)
    assert MPI.Comm.Compare(world, MPI.COMM_SELF) == (MPI.UNEQUAL if size > 1 else MPI.CONGRUENT)
    with pytest.raises(MPI.Exception) as exc:
        MPI.Comm.Compare(world, MPI.COMM_NULL)
    assert error_class(exc) == MPI.ERR_COMM
    with pytest.raises(TypeError, match='comm2'):
        MPI.Comm.Compare(world, 3)
    with pytest.raises(TypeError):
        MPI.Comm.Compare(world)
    rev.Free()
    dup.Free()


def test_dup_family():
    info = MPI.Info.Create()
    info['mpi_assert_no_any_tag'] = 'true'
    results = [world.Dup(), world.Dup(None), world.Dup(info), world.Dup(info=info),
               world.Dup_with_info(info), world.Clone()]
    comm, req = world.Idup()
    assert isinstance(req, MPI.Request)
    req.Wait()
    results.append(comm)
    for dup in results:
        assert type(dup) is MPI.Intracomm
        assert MPI.Comm.Compare(world, dup) == MPI.CONGRUENT
        assert dup.Get_errhandler() == MPI.ERRORS_RETURN       # the manual's rule
        assert dup.name == ''
        dup.Free()
        assert dup == MPI.COMM_NULL
        with pytest.raises(MPI.Exception) as exc:
            dup.Free()
        assert error_class(exc) == MPI.ERR_COMM
    info.Free()
    with pytest.raises(TypeError, match='info'):
        world.Dup(5)
    with pytest.raises(TypeError, match='info'):
        world.Dup_with_info(None)
    # A plain Comm wrapper stays a plain Comm, as in mpi4py.
    plain = MPI.Comm(world).Dup()
    assert type(plain) is MPI.Comm
    plain.Free()


def test_dup_error_handler_follows_rc_not_parent():
    parent = world.Dup()
    parent.Set_errhandler(MPI.ERRORS_ARE_FATAL)
    child = parent.Dup()
    assert child.Get_errhandler() == MPI.ERRORS_RETURN
    parent.Set_errhandler(MPI.ERRORS_RETURN)
    child.Free()
    parent.Free()


@pytest.mark.parametrize('ncolors', [1, 2, 3])
def test_split(ncolors):
    color = rank % ncolors
    sub = world.Split(color, size - rank)      # reversed order inside each color
    members = [r for r in range(size) if r % ncolors == color]
    assert type(sub) is MPI.Intracomm
    assert sub.size == len(members)
    assert sub.rank == len(members) - 1 - members.index(rank)
    assert sub.Get_errhandler() == MPI.ERRORS_RETURN
    sub.Free()
    # Keyword arguments, defaults.
    whole = world.Split(key=rank)
    assert MPI.Comm.Compare(world, whole) == MPI.CONGRUENT
    whole.Free()


def test_split_undefined_and_errors():
    sub = world.Split(MPI.UNDEFINED if rank % 2 else 0, 0)
    if rank % 2:
        assert sub == MPI.COMM_NULL and type(sub) is MPI.Intracomm
    else:
        assert sub.size == (size + 1) // 2
        sub.Free()
    with pytest.raises(MPI.Exception) as exc:
        world.Split(-5)
    assert error_class(exc) == MPI.ERR_ARG
    with pytest.raises(TypeError, match='color'):
        world.Split('red')
    with pytest.raises(TypeError, match='key'):
        world.Split(0, key=1.5)
    with pytest.raises(OverflowError, match='color'):
        world.Split(2**40)


def test_split_type():
    shared = world.Split_type(MPI.COMM_TYPE_SHARED)
    assert shared.size == size            # the tests run on one host
    assert shared.Get_errhandler() == MPI.ERRORS_RETURN
    shared.Free()
    shared = world.Split_type(MPI.COMM_TYPE_SHARED, key=size - rank, info=MPI.INFO_NULL)
    assert shared.rank == size - 1 - rank
    shared.Free()
    none = world.Split_type(MPI.UNDEFINED)
    assert none == MPI.COMM_NULL
    info = MPI.Info.Create()
    info['mpi_hw_resource_type'] = 'mpi_shared_memory'
    guided = world.Split_type(MPI.COMM_TYPE_HW_GUIDED, info=info)
    assert guided.size == size
    guided.Free()
    info.Free()
    with pytest.raises(MPI.Exception) as exc:
        world.Split_type(12345)
    assert error_class(exc) == MPI.ERR_ARG
    with pytest.raises(TypeError, match='split_type'):
        world.Split_type(None)
    with pytest.raises(TypeError):
        world.Split_type()


def test_create_and_create_group():
    group = world.Get_group()
    evens = group.Incl(list(range(0, size, 2)))
    sub = world.Create(evens)
    if rank % 2 == 0:
        assert sub.size == len(range(0, size, 2)) and sub.rank == rank // 2
        assert type(sub) is MPI.Intracomm
        sub.Free()
    else:
        assert sub == MPI.COMM_NULL
    empty = world.Create(MPI.GROUP_EMPTY)
    assert empty == MPI.COMM_NULL
    # Create_group: collective over the group's members only.
    if rank % 2 == 0:
        sub = world.Create_group(evens, tag=11)
        assert sub.size == len(range(0, size, 2))
        assert sub.Get_errhandler() == MPI.ERRORS_RETURN
        sub.Free()
    mine = world.Create_group(group.Incl([rank]))
    assert mine.size == 1 and mine.rank == 0
    mine.Free()
    with pytest.raises(MPI.Exception) as exc:
        world.Create_group(group.Incl([rank]), tag=-1)
    assert error_class(exc) == MPI.ERR_TAG
    with pytest.raises(TypeError, match='group'):
        world.Create(None)
    with pytest.raises(TypeError, match='group'):
        world.Create_group([0])
    evens.Free()
    group.Free()


def test_info_and_name():
    dup = world.Dup()
    info = MPI.Info.Create()
    info['mpi_assert_no_any_source'] = 'true'
    dup.Set_info(info)
    got = dup.Get_info()
    assert isinstance(got, MPI.Info) and got != info
    assert dict(got.items()).get('mpi_assert_no_any_source', 'true') == 'true'
    got.Free()
    dup.info = info
    got = dup.info
    got.Free()
    info.Free()
    with pytest.raises(TypeError, match='info'):
        dup.Set_info('hints')
    dup.Set_name('my comm')
    assert dup.Get_name() == 'my comm' and dup.name == 'my comm'
    dup.name = 'renamed \u00e9'
    assert dup.name == 'renamed \u00e9'
    dup.Set_name('x' * 1000)       # MPI truncates long names
    assert dup.name == 'x' * (MPI.MAX_OBJECT_NAME - 1)
    with pytest.raises(TypeError, match='name'):
        dup.Set_name(5)
    with pytest.raises(ValueError, match='name'):
        dup.Set_name('a\0b')
    with pytest.raises(AttributeError):
        del dup.name
    dup.Free()


def test_predefined_attributes():
    tag_ub = world.Get_attr(MPI.TAG_UB)
    assert isinstance(tag_ub, int) and tag_ub >= 32767
    host, io = world.Get_attr(MPI.HOST), world.Get_attr(MPI.IO)
    assert host == MPI.PROC_NULL or 0 <= host < size
    assert io == MPI.ANY_SOURCE or io == MPI.PROC_NULL or 0 <= io < size
    assert world.Get_attr(MPI.WTIME_IS_GLOBAL) in (0, 1)
    universe = world.Get_attr(MPI.UNIVERSE_SIZE)
    assert universe is None or universe >= size
    appnum = world.Get_attr(MPI.APPNUM)
    assert appnum is None or appnum >= 0
    assert isinstance(world.Get_attr(MPI.LASTUSEDCODE), int)
    assert MPI.COMM_SELF.Get_attr(MPI.TAG_UB) == tag_ub
    for keyval in (MPI.TAG_UB, MPI.HOST):
        with pytest.raises(MPI.Exception) as exc:
            world.Set_attr(keyval, 5)
        assert error_class(exc) == MPI.ERR_KEYVAL
        with pytest.raises(MPI.Exception) as exc:
            world.Delete_attr(keyval)
        assert error_class(exc) == MPI.ERR_KEYVAL
    with pytest.raises(MPI.Exception) as exc:
        world.Get_attr(123456789)
    assert error_class(exc) == MPI.ERR_KEYVAL
    with pytest.raises(TypeError, match='keyval'):
        world.Get_attr('tag_ub')
    with pytest.raises(MPI.Exception) as exc:
        MPI.COMM_NULL.Get_attr(MPI.TAG_UB)
    assert error_class(exc) == MPI.ERR_COMM


def test_user_attributes_callbacks():
    log = []

    def copy_fn(comm, keyval, value):
        assert isinstance(comm, MPI.Comm)
        log.append(('copy', value))
        return value + 1

    def delete_fn(comm, keyval, value):
        log.append(('delete', value))

    keyval = MPI.Comm.Create_keyval(copy_fn, delete_fn)
    assert isinstance(keyval, int) and keyval != MPI.KEYVAL_INVALID
    assert keyval in MPI._keyval_registry['Comm']
    comm = world.Dup()
    assert comm.Get_attr(keyval) is None
    comm.Set_attr(keyval, 10)
    assert comm.Get_attr(keyval) == 10
    copy = comm.Dup()
    assert copy.Get_attr(keyval) == 11 and log == [('copy', 10)]
    comm.Set_attr(keyval, 20)            # replacing deletes the old value
    assert log[-1] == ('delete', 10)
    comm.Delete_attr(keyval)
    assert log[-1] == ('delete', 20) and comm.Get_attr(keyval) is None
    comm.Delete_attr(keyval)             # deleting what is not there is fine
    copy.Free()                          # freeing deletes attributes
    assert log[-1] == ('delete', 11)
    assert MPI.Comm.Free_keyval(keyval) == MPI.KEYVAL_INVALID
    with pytest.raises(MPI.Exception) as exc:
        comm.Set_attr(keyval, 1)
    assert error_class(exc) == MPI.ERR_KEYVAL
    with pytest.raises(MPI.Exception) as exc:
        MPI.Comm.Free_keyval(keyval)
    assert error_class(exc) == MPI.ERR_KEYVAL
    comm.Free()


def test_attribute_copy_modes_and_refcounts():
    no_copy = MPI.Comm.Create_keyval()
    same = MPI.Comm.Create_keyval(copy_fn=True)
    declined = MPI.Comm.Create_keyval(copy_fn=lambda c, k, v: NotImplemented)
    raw = MPI.Comm.Create_keyval(nopython=True)
    value = object()
    base = sys.getrefcount(value)
    comm = world.Dup()
    for keyval in (no_copy, same, declined):
        comm.Set_attr(keyval, value)
    assert sys.getrefcount(value) == base + 3
    comm.Set_attr(raw, 2**40)
    with pytest.raises(TypeError, match='attrval'):
        comm.Set_attr(raw, 'text')
    dup = comm.Dup()
    assert dup.Get_attr(no_copy) is None and dup.Get_attr(declined) is None
    assert dup.Get_attr(same) is value and dup.Get_attr(raw) is None
    assert sys.getrefcount(value) == base + 4
    assert comm.Get_attr(raw) == 2**40
    dup.Free()
    comm.Free()
    assert sys.getrefcount(value) == base
    for keyval in (no_copy, same, declined, raw):
        MPI.Comm.Free_keyval(keyval)
    with pytest.raises(TypeError, match='copy_fn'):
        MPI.Comm.Create_keyval(copy_fn=5)
    with pytest.raises(TypeError, match='delete_fn'):
        MPI.Comm.Create_keyval(delete_fn='no')


def test_attribute_callback_errors(capfd):
    def boom(comm, keyval, value):
        raise ValueError('boom in callback')

    def mpi_error(comm, keyval, value):
        raise MPI.Exception(MPI.ERR_TAG)

    keyval = MPI.Comm.Create_keyval(boom, boom)
    comm = world.Dup()
    comm.Set_attr(keyval, 'v')
    with pytest.raises(MPI.Exception) as exc:
        comm.Dup()
    assert error_class(exc) == MPI.ERR_OTHER
    with pytest.raises(MPI.Exception) as exc:
        comm.Delete_attr(keyval)
    assert error_class(exc) == MPI.ERR_OTHER
    assert comm.Get_attr(keyval) == 'v'        # a failed delete keeps the attribute
    assert 'boom in callback' in capfd.readouterr().err
    keyval2 = MPI.Comm.Create_keyval(mpi_error)
    other = world.Dup()
    other.Set_attr(keyval2, 1)
    with pytest.raises(MPI.Exception) as exc:
        other.Dup()
    assert error_class(exc) == MPI.ERR_TAG
    other.Free()
    MPI.Comm.Free_keyval(keyval2)
    MPI.Comm.Free_keyval(keyval)     # `comm` keeps its undeletable attribute: left alone
    capfd.readouterr()


def test_errhandler_methods():
    comm = world.Dup()
    eh = comm.Get_errhandler()
    assert eh == MPI.ERRORS_RETURN and isinstance(eh, MPI.Errhandler)
    eh.Free()
    assert eh == MPI.ERRHANDLER_NULL
    comm.Set_errhandler(MPI.ERRORS_ARE_FATAL)
    assert comm.Get_errhandler() == MPI.ERRORS_ARE_FATAL
    comm.Set_errhandler(MPI.ERRORS_RETURN)
    assert comm.Call_errhandler(MPI.ERR_OTHER) is None   # ERRORS_RETURN just returns
    assert comm.Call_errhandler(MPI.SUCCESS) is None
    with pytest.raises(TypeError, match='errhandler'):
        comm.Set_errhandler(None)
    with pytest.raises(MPI.Exception) as exc:
        comm.Set_errhandler(MPI.ERRHANDLER_NULL)
    assert error_class(exc) == MPI.ERR_ARG
    with pytest.raises(TypeError, match='errorcode'):
        comm.Call_errhandler('x')
    comm.Free()


def test_constructors_check_the_kind():
    assert type(MPI.Comm(world)) is MPI.Comm and MPI.Comm(world) == world
    assert type(MPI.Intracomm(world)) is MPI.Intracomm
    assert MPI.Comm() == MPI.COMM_NULL and MPI.Intracomm(None) == MPI.COMM_NULL
    assert MPI.Intercomm(MPI.COMM_NULL) == MPI.COMM_NULL
    with pytest.raises(TypeError, match='intercommunicator'):
        MPI.Intercomm(world)
    with pytest.raises(TypeError, match='topology'):
        MPI.Topocomm(world)
    with pytest.raises(TypeError, match='Cartesian'):
        MPI.Cartcomm(world)
    with pytest.raises(TypeError, match='comm'):
        MPI.Intracomm(5)


def test_py2f_f2py_and_handles():
    for comm in (world, MPI.COMM_SELF, MPI.COMM_NULL):
        back = MPI.Comm.f2py(comm.py2f())
        assert back == comm
    assert type(MPI.Comm.f2py(world.py2f())) is MPI.Intracomm
    assert type(MPI.Comm.f2py(MPI.COMM_NULL.py2f())) is MPI.Comm
    dup = world.Dup()
    assert MPI.Comm.f2py(dup.py2f()) == dup
    assert type(MPI.Intracomm.f2py(dup.py2f())) is MPI.Intracomm
    # _addressof points at the handle _handleof returns.
    addr = MPI._addressof(dup)
    assert ctypes.c_void_p.from_address(addr).value == MPI._handleof(dup)
    assert MPI._sizeof(dup) == MPI._sizeof(MPI.Comm) == ctypes.sizeof(ctypes.c_void_p)
    dup.Free()
    assert MPI.Comm.f2py(123456789) == MPI.COMM_NULL      # unknown integers give null
    with pytest.raises(TypeError, match='arg'):
        MPI.Comm.f2py('x')


def test_pickle_predefined_only():
    for comm in (world, MPI.COMM_SELF, MPI.COMM_NULL):
        assert pickle.loads(pickle.dumps(comm)) is comm
    dup = world.Dup()
    with pytest.raises(TypeError, match='pickle'):
        pickle.dumps(dup)
    dup.Free()


def test_intercomm():
    if size < 2:
        return
    color = rank % 2
    local = world.Split(color, rank)
    remote_leader = 1 - color            # world rank of the other group's leader
    inter = local.Create_intercomm(0, world, remote_leader, tag=7)
    nremote = size // 2 if color == 0 else (size + 1) // 2
    assert type(inter) is MPI.Intercomm
    assert inter.is_inter and inter.Is_inter() and not inter.is_intra
    assert inter.size == local.size and inter.rank == local.rank
    assert inter.remote_size == inter.Get_remote_size() == nremote
    remote = inter.Get_remote_group()
    assert remote.size == nremote
    assert MPI.Group.Translate_ranks(remote, [0]) == [remote_leader]
    remote.Free()
    assert inter.Get_errhandler() == MPI.ERRORS_RETURN
    assert MPI.Intercomm(inter) == inter
    with pytest.raises(TypeError, match='intracommunicator'):
        MPI.Intracomm(inter)
    assert type(MPI.Comm.f2py(inter.py2f())) is MPI.Intercomm
    # Merge: the "high" group's ranks come last.
    merged = inter.Merge(high=bool(color))
    assert type(merged) is MPI.Intracomm and merged.size == size
    nlow = (size + 1) // 2
    assert merged.rank == (local.rank if color == 0 else nlow + local.rank)
    merged.Free()
    dup = inter.Dup()
    assert type(dup) is MPI.Intercomm and MPI.Comm.Compare(inter, dup) == MPI.CONGRUENT
    dup.Free()
    split = inter.Split(0, rank)
    assert type(split) is MPI.Intercomm and split.remote_size == nremote
    split.Free()
    dup, tag, localcomm, low = MPI._commctx_inter(inter)
    assert type(dup) is MPI.Intercomm and MPI.Comm.Compare(inter, dup) == MPI.CONGRUENT
    assert (localcomm.size, localcomm.rank) == (local.size, local.rank) and tag == 0
    assert isinstance(low, bool) and MPI._commctx_inter(inter)[1:] == (1, localcomm, low)
    merged = inter.Merge(False)
    assert (merged.rank == local.rank) == low
    merged.Free()
    with pytest.raises(TypeError, match='Intracomm'):
        MPI._commctx_intra(inter)
    with pytest.raises(MPI.Exception) as exc:       # local: the leader checks first
        MPI.COMM_SELF.Create_intercomm(0, world, size, tag=1)
    assert error_class(exc) == MPI.ERR_RANK
    with pytest.raises(TypeError, match='peer_comm'):
        local.Create_intercomm(0, None, 0)
    inter.Free()
    assert dup == MPI.COMM_NULL and localcomm == MPI.COMM_NULL     # freed with inter
    local.Free()


def test_private_context_helpers():
    comm = world.Dup()
    dup, tag = MPI._commctx_intra(comm)
    assert MPI.Comm.Compare(comm, dup) == MPI.CONGRUENT and tag == 0
    assert MPI._commctx_intra(comm) == (dup, 1)
    table = MPI._comm_lock_table(comm)
    lock = MPI._comm_lock(comm)
    assert table == {None: lock} and MPI._lock_table(comm) is table
    assert MPI._comm_lock(comm, None) is lock and MPI._comm_lock(comm, key='k') is not lock
    with lock:
        assert lock.locked()
    with pytest.raises(TypeError):
        MPI._comm_lock(comm, [])                   # keys must be hashable
    other = comm.Dup()                              # the private state is not copied
    assert MPI._comm_lock_table(other) == {}
    other.Free()
    comm.Free()
    assert dup == MPI.COMM_NULL                     # freed with its parent
    with pytest.raises(MPI.Exception) as exc:
        MPI._comm_lock_table(comm)
    assert error_class(exc) == MPI.ERR_COMM
    with pytest.raises(TypeError, match='Intercomm'):
        MPI._commctx_inter(world)
    with pytest.raises(TypeError, match='comm'):
        MPI._commctx_intra(MPI.COMM_NULL)


def test_no_leaks_in_a_loop():
    keyval = MPI.Comm.Create_keyval(copy_fn=True)
    comm = world.Dup()

    def loop(n):
        for i in range(n):
            group = comm.Get_group()
            group.Free()
            comm.Set_attr(keyval, [i])
            comm.Get_attr(keyval)
            eh = comm.Get_errhandler()
            eh.Free()
            info = comm.Get_info()
            info.Free()
            comm.name
        gc.collect()
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    loop(2000)
    before = loop(2000)
    after = loop(6000)
    assert after - before < 2048, (before, after)      # KiB
    comm.Free()
    MPI.Comm.Free_keyval(keyval)
