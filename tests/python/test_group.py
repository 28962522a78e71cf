"""MPI.Group: queries, translation, comparison, set operations, Incl/Excl and ranges,
freeing, integer handles and the predefined groups. Groups are local: no collectives."""
import pickle

import pytest
from mpi4py import MPI

world = MPI.COMM_WORLD
rank, size = world.rank, world.size


@pytest.fixture
def group():
    g = world.Get_group()
    yield g
    g.Free()


def error_class(excinfo):
    return excinfo.value.Get_error_class()


def test_size_rank(group):
    assert group.Get_size() == group.size == size
    assert group.Get_rank() == group.rank == rank
    assert MPI.GROUP_EMPTY.size == 0 and MPI.GROUP_EMPTY.rank == MPI.UNDEFINED
    assert not MPI.GROUP_NULL and MPI.GROUP_EMPTY and group
    with pytest.raises(MPI.Exception) as exc:
        MPI.GROUP_NULL.Get_size()
    assert error_class(exc) == MPI.ERR_GROUP
    with pytest.raises(MPI.Exception) as exc:
        MPI.GROUP_NULL.rank
    assert error_class(exc) == MPI.ERR_GROUP
    with pytest.raises(TypeError):
        hash(group)


def test_translate_ranks(group):
    ranks = list(range(size))
    assert MPI.Group.Translate_ranks(group, ranks, group) == ranks
    assert MPI.Group.Translate_ranks(group, ranks) == ranks       # default: COMM_WORLD's
    assert MPI.Group.Translate_ranks(group, []) == []
    rev = group.Incl(ranks[::-1])
    assert MPI.Group.Translate_ranks(rev, ranks, group) == ranks[::-1]
    assert MPI.Group.Translate_ranks(rev, ranks) == ranks[::-1]
    assert group.Translate_ranks(group, [MPI.PROC_NULL], rev) == [MPI.PROC_NULL]
    assert MPI.Group.Translate_ranks(group, ranks, MPI.GROUP_EMPTY) == [MPI.UNDEFINED] * size
    big = [rank] * 10000
    assert MPI.Group.Translate_ranks(group, big, rev) == [size - 1 - rank] * 10000
    with pytest.raises(MPI.Exception) as exc:
        MPI.Group.Translate_ranks(group, [size], group)
    assert error_class(exc) == MPI.ERR_RANK
    with pytest.raises(TypeError, match='ranks1'):
        MPI.Group.Translate_ranks(group, 0, group)
    with pytest.raises(TypeError, match='ranks1'):
        MPI.Group.Translate_ranks(group, ['a'], group)
    with pytest.raises(TypeError, match='group2'):
        MPI.Group.Translate_ranks(group, [0], world)
    with pytest.raises(TypeError, match='group1'):
        MPI.Group.Translate_ranks(None, [0])
    rev.Free()


def test_compare_and_dup(group):
    dup = group.Dup()
    assert MPI.Group.Compare(group, dup) == MPI.IDENT
    assert MPI.Group.Compare(group, group) == MPI.IDENT
    rev = group.Incl(list(range(size))[::-1])
    assert MPI.Group.Compare(group, rev) == (MPI.SIMILAR if size > 1 else MPI.IDENT)
    assert MPI.Group.Compare(group, MPI.GROUP_EMPTY) == MPI.UNEQUAL
    assert group.Compare(MPI.GROUP_EMPTY, MPI.GROUP_EMPTY) == MPI.IDENT
    with pytest.raises(MPI.Exception) as exc:
        MPI.Group.Compare(group, MPI.GROUP_NULL)
    assert error_class(exc) == MPI.ERR_GROUP
    with pytest.raises(TypeError, match='group2'):
        MPI.Group.Compare(group, 1)
    dup.Free()
    rev.Free()


def test_set_operations(group):
    evens = group.Incl(list(range(0, size, 2)))
    odds = group.Incl(list(range(1, size, 2)))
    union = MPI.Group.Union(evens, odds)
    assert union.size == size
    assert MPI.Group.Compare(union, group) == (MPI.SIMILAR if size > 2 else MPI.IDENT)
    inter = MPI.Group.Intersection(group, evens)
    alias = MPI.Group.Intersect(group, evens)
    assert MPI.Group.Compare(inter, alias) == MPI.IDENT
    alias.Free()
    assert MPI.Group.Compare(inter, evens) == MPI.IDENT
    diff = MPI.Group.Difference(group, evens)
    assert MPI.Group.Compare(diff, odds) == MPI.IDENT
    assert MPI.Group.Intersection(evens, odds).size == 0
    assert MPI.Group.Difference(group, group).size == 0
    assert MPI.Group.Union(MPI.GROUP_EMPTY, MPI.GROUP_EMPTY).size == 0
    assert evens.rank == (rank // 2 if rank % 2 == 0 else MPI.UNDEFINED)
    for op in (MPI.Group.Union, MPI.Group.Intersection, MPI.Group.Difference):
        with pytest.raises(MPI.Exception) as exc:
            op(group, MPI.GROUP_NULL)
        assert error_class(exc) == MPI.ERR_GROUP
        with pytest.raises(TypeError, match='group1'):
            op('g', group)
        with pytest.raises(TypeError):
            op(group)
    for g in (evens, odds, union, inter, diff):
        g.Free()


def test_incl_excl(group):
    ranks = list(range(size))
    assert group.Incl([]).size == 0
    assert group.Excl([]).size == size
    assert group.Excl(ranks).size == 0
    sub = group.Incl(ranks[::-1])
    assert sub.rank == size - 1 - rank
    sub.Free()
    sub = group.Excl([0])
    assert sub.size == size - 1 and sub.rank == (rank - 1 if rank else MPI.UNDEFINED)
    sub.Free()
    sub = group.Incl(ranks=tuple(ranks))
    assert sub.size == size
    sub.Free()
    for call in (group.Incl, group.Excl):
        for bad in ([size], [-1], [0, 0]):
            with pytest.raises(MPI.Exception) as exc:
                call(bad)
            assert error_class(exc) in (MPI.ERR_RANK, MPI.ERR_ARG)
        with pytest.raises(TypeError, match='ranks'):
            call(5)
        with pytest.raises(TypeError, match='ranks'):
            call([0.5])
        with pytest.raises(OverflowError, match='ranks'):
            call([2**40])


def test_ranges(group):
    assert group.Range_incl([(0, size - 1, 1)]).size == size
    assert group.Range_incl([]).size == 0
    back = group.Range_incl([(size - 1, 0, -1)])
    assert back.rank == size - 1 - rank
    back.Free()
    evens = group.Range_incl([(0, size - 1, 2)])
    assert evens.size == (size + 1) // 2
    odds = group.Range_excl([(0, size - 1, 2)])
    assert odds.size == size // 2
    assert MPI.Group.Compare(MPI.Group.Union(evens, odds), group) in (MPI.IDENT, MPI.SIMILAR)
    evens.Free()
    odds.Free()
    with pytest.raises(MPI.Exception) as exc:
        group.Range_incl([(0, size, 1)])
    assert error_class(exc) in (MPI.ERR_RANK, MPI.ERR_ARG)
    with pytest.raises(MPI.Exception):
        group.Range_incl([(0, 0, 0)])              # stride 0
    with pytest.raises(ValueError, match='ranks'):
        group.Range_incl([(0, 0)])
    with pytest.raises(TypeError, match='ranks'):
        group.Range_excl([5])
    with pytest.raises(TypeError, match='ranks'):
        group.Range_excl(None)


def test_free(group):
    dup = group.Dup()
    dup.Free()
    assert dup == MPI.GROUP_NULL
    with pytest.raises(MPI.Exception) as exc:
        dup.Free()
    assert error_class(exc) == MPI.ERR_GROUP
    with pytest.raises(MPI.Exception) as exc:
        MPI.GROUP_NULL.Free()
    assert error_class(exc) == MPI.ERR_GROUP
    MPI.GROUP_EMPTY.Free()                     # allowed, and the constant stays intact
    assert MPI.GROUP_EMPTY != MPI.GROUP_NULL and MPI.GROUP_EMPTY.size == 0


def test_handles_and_constructor(group):
    assert MPI.Group.f2py(group.py2f()) == group
    for g in (MPI.GROUP_EMPTY, MPI.GROUP_NULL):
        assert MPI.Group.f2py(g.py2f()) == g
    assert MPI.Group(group) == group and MPI.Group() == MPI.GROUP_NULL
    with pytest.raises(TypeError, match='group'):
        MPI.Group(world)
    assert MPI._sizeof(group) == MPI._sizeof(MPI.Group)
    assert MPI._handleof(MPI.GROUP_EMPTY) != MPI._handleof(MPI.GROUP_NULL)
    assert pickle.loads(pickle.dumps(MPI.GROUP_EMPTY)) is MPI.GROUP_EMPTY
    with pytest.raises(TypeError):
        pickle.dumps(group)
