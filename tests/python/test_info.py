"""MPI.Info: the MPI methods, the mapping protocol, INFO_NULL/INFO_ENV, limits and
errors. Info objects are local: no collectives."""
import pickle

import pytest
from mpi4py import MPI


def error_class(excinfo):
    return excinfo.value.Get_error_class()


@pytest.fixture
def info():
    i = MPI.Info.Create()
    yield i
    if i:
        i.Free()


def test_create_set_get_delete(info):
    assert isinstance(info, MPI.Info) and info and info != MPI.INFO_NULL
    assert info.Get_nkeys() == 0 and len(info) == 0
    info.Set('alpha', '1')
    info.Set(key='beta', value='two words ')
    assert info.Get('alpha') == '1' and info.Get('beta') == 'two words '
    assert info.Get('gamma') is None
    assert info.Get('beta', 3) == 'two' and info.Get('beta', maxlen=-1) == 'two words '
    assert info.Get_nkeys() == 2
    assert [info.Get_nthkey(i) for i in range(2)] == ['alpha', 'beta']
    info.Set('alpha', 'replaced')                 # replacing keeps the key's place
    assert info.Get_nthkey(0) == 'alpha' and info.Get('alpha') == 'replaced'
    info.Delete('alpha')
    assert info.Get_nkeys() == 1 and info.Get('alpha') is None
    with pytest.raises(MPI.Exception) as exc:
        info.Delete('alpha')
    assert error_class(exc) == MPI.ERR_INFO_NOKEY
    with pytest.raises(MPI.Exception) as exc:
        info.Get_nthkey(5)
    assert error_class(exc) == MPI.ERR_ARG
    with pytest.raises(TypeError, match='key'):
        info.Set(1, 'v')
    with pytest.raises(TypeError, match='value'):
        info.Set('k', 1)
    with pytest.raises(ValueError, match='key'):
        info.Set('a\0b', 'v')
    with pytest.raises(TypeError, match='maxlen'):
        info.Get('beta', 'x')


def test_limits(info):
    longest_key = 'k' * (MPI.MAX_INFO_KEY - 1)
    longest_value = 'v' * (MPI.MAX_INFO_VAL - 1)
    info[longest_key] = longest_value
    assert info[longest_key] == longest_value
    with pytest.raises(MPI.Exception) as exc:
        info['k' * MPI.MAX_INFO_KEY] = 'v'
    assert error_class(exc) == MPI.ERR_INFO_KEY
    with pytest.raises(MPI.Exception) as exc:
        info['k'] = 'v' * MPI.MAX_INFO_VAL
    assert error_class(exc) == MPI.ERR_INFO_VALUE
    with pytest.raises(MPI.Exception) as exc:
        info[''] = 'v'
    assert error_class(exc) == MPI.ERR_INFO_KEY
    info['empty'] = ''
    assert info['empty'] == '' and 'empty' in info
    info['unicode \u00e9'] = '\u2603'
    assert info['unicode \u00e9'] == '\u2603'
    many = MPI.Info.Create()
    for i in range(1000):
        many[f'key{i}'] = str(i)
    assert len(many) == 1000 and many['key999'] == '999'
    assert many.keys() == [f'key{i}' for i in range(1000)]
    many.Free()


def test_mapping_protocol(info):
    info['a'] = '1'
    info['b'] = '2'
    assert len(info) == 2 and 'a' in info and 'z' not in info
    assert list(info) == ['a', 'b'] and info.keys() == ['a', 'b']
    assert info.values() == ['1', '2'] and info.items() == [('a', '1'), ('b', '2')]
    assert dict(info.items()) == {'a': '1', 'b': '2'}
    assert info['a'] == '1' and info.get('a') == '1'
    assert info.get('z') is None and info.get('z', 'dflt') == 'dflt'
    with pytest.raises(KeyError):
        info['z']
    with pytest.raises(KeyError):
        del info['z']
    del info['a']
    assert 'a' not in info
    copy = info.copy()
    assert isinstance(copy, MPI.Info) and copy != info and copy.items() == info.items()
    copy.Free()
    assert info.pop('b') == '2' and info.pop('b', 'gone') == 'gone'
    with pytest.raises(KeyError):
        info.pop('b')
    with pytest.raises(TypeError):
        info.pop()
    info.update({'x': '1'}, y='2')
    info.update([('z', '3')])
    other = MPI.Info.Create()
    other['w'] = '4'
    info.update(other)
    other.Free()
    assert info.items() == [('x', '1'), ('y', '2'), ('z', '3'), ('w', '4')]
    assert info.popitem() == ('w', '4') and len(info) == 3
    info.clear()
    assert len(info) == 0
    with pytest.raises(KeyError):
        info.popitem()
    with pytest.raises(TypeError, match='key'):
        info[5] = 'v'
    with pytest.raises(TypeError, match='value'):
        info['k'] = 5
    with pytest.raises(TypeError, match='key'):
        5 in info
    with pytest.raises(TypeError, match='other'):
        info.update(5)
    with pytest.raises(ValueError, match='other'):
        info.update([('a', 'b', 'c')])
    with pytest.raises(TypeError):
        hash(info)


def test_info_null():
    null = MPI.INFO_NULL
    assert not null and len(null) == 0 and list(null) == [] and 'a' not in null
    assert null.items() == [] and null.keys() == [] and null.values() == []
    assert null.get('a') is None and null.pop('a', 1) == 1
    assert null.copy() == MPI.INFO_NULL
    null.clear()
    with pytest.raises(KeyError):
        null['a'] = 'b'
    with pytest.raises(KeyError):
        null['a']
    with pytest.raises(KeyError):
        null.popitem()
    for call in (null.Get_nkeys, null.Dup, null.Free, lambda: null.Set('a', 'b'),
                 lambda: null.Get('a')):
        with pytest.raises(MPI.Exception) as exc:
            call()
        assert error_class(exc) == MPI.ERR_INFO
    assert MPI.INFO_NULL == MPI.Info() == MPI.Info(None)


def test_info_env():
    env = MPI.INFO_ENV
    assert env and isinstance(env, MPI.Info)
    keys = env.keys()
    assert 'command' in keys and 'maxprocs' in env
    assert int(env['maxprocs']) == MPI.COMM_WORLD.size
    with pytest.raises(MPI.Exception) as exc:
        env.Free()
    assert error_class(exc) == MPI.ERR_INFO
    assert MPI.INFO_ENV == env and len(env) == len(keys)     # still usable
    dup = env.Dup()
    assert dup.items() == env.items()
    dup.Free()


def test_dup_free_and_handles(info):
    info['k'] = 'v'
    dup = info.Dup()
    assert dup != info and dup.items() == [('k', 'v')]
    dup['k'] = 'changed'
    assert info['k'] == 'v'
    assert MPI.Info(info) == info
    assert MPI.Info.f2py(info.py2f()) == info
    assert MPI.Info.f2py(MPI.INFO_NULL.py2f()) == MPI.INFO_NULL
    assert MPI.Info.f2py(MPI.INFO_ENV.py2f()) == MPI.INFO_ENV
    dup.Free()
    assert dup == MPI.INFO_NULL
    with pytest.raises(MPI.Exception) as exc:
        dup.Free()
    assert error_class(exc) == MPI.ERR_INFO
    with pytest.raises(TypeError, match='info'):
        MPI.Info(MPI.COMM_WORLD)
    assert pickle.loads(pickle.dumps(MPI.INFO_ENV)) is MPI.INFO_ENV
    with pytest.raises(TypeError):
        pickle.dumps(info)
