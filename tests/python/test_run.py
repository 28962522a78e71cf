"""python -m mpi4py: the four ways to name the code, the options, and the abort of the whole
job on an unhandled exception or a non-zero exit. Run by one plain python3 (not under
mpiexec): each test starts its own job with LITEMPI_MPIEXEC."""
import os
import subprocess
import sys
import textwrap
import time

import pytest

MPIEXEC = os.environ.get('LITEMPI_MPIEXEC')
pytestmark = pytest.mark.skipif(not MPIEXEC, reason='LITEMPI_MPIEXEC not set (run by ctest)')


def mpi4py_run(*args, np=None, stdin=None, cwd=None):
    """python -m mpi4py <args>, under `mpiexec -n np --timeout 10` unless np is None."""
    cmd = [sys.executable, '-m', 'mpi4py', *args]
    if np is not None:
        cmd = [MPIEXEC, '-n', str(np), '--timeout', '10', *cmd]
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, input=stdin, cwd=cwd,
                          timeout=60, check=False)
    proc.elapsed = time.monotonic() - start
    return proc


def script(tmp_path, text, name='prog.py'):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def lines(text):
    return sorted(text.splitlines())


def test_help_and_version():
    proc = mpi4py_run('--help')
    assert proc.returncode == 0 and proc.stderr == ''
    out = proc.stdout.splitlines()
    assert out[0].startswith('usage: ') and out[0].endswith(' -m mpi4py [options] <pyfile> [arg] ...')
    assert [line.split('[options] ')[1] for line in out[:4]] == [
        '<pyfile> [arg] ...', '-m <mod> [arg] ...', '-c <cmd> [arg] ...', '- [arg] ...']
    assert '--rc <key=value,...>' in proc.stdout and '--version' in proc.stdout
    assert mpi4py_run('-h').stdout == proc.stdout
    proc = mpi4py_run('--version')
    assert (proc.returncode, proc.stdout) == (0, 'mpi4py 3.1.4\n')


@pytest.mark.parametrize('args, message', [
    ((), 'No script'),
    (('-x', 'prog.py'), 'Unknown option: -x'),
    (('-c',), 'Argument expected for option: -c'),
    (('-m',), 'Argument expected for option: -m'),
    (('--rc',), 'Argument expected for option: --rc'),
    (('--rc', 'threads', '-c', 'pass'), "expected key=value, got 'threads'"),
    (('-rc', 'bogus=1', '-c', 'pass'), "unexpected argument 'bogus'"),
])
def test_usage_errors(args, message):
    proc = mpi4py_run(*args)
    assert proc.returncode == 1 and proc.stdout == ''
    assert message in proc.stderr and 'usage: ' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_pyfile(tmp_path):
    prog = script(tmp_path, '''
        import sys
        from mpi4py import MPI
        here = __import__('os').path.dirname(__file__)
        print(MPI.COMM_WORLD.Get_rank(), sys.argv, __name__, sys.path[0] == here)
    ''')
    proc = mpi4py_run(str(prog), 'a', '-c', np=2)
    assert proc.returncode == 0, proc.stderr
    assert lines(proc.stdout) == [f"{r} ['{prog}', 'a', '-c'] __main__ True" for r in (0, 1)]


def test_pyfile_directory_with_main(tmp_path):
    script(tmp_path, 'import sys; print("main", sys.argv[1:], __name__)', '__main__.py')
    proc = mpi4py_run(str(tmp_path), 'x', np=1)
    assert (proc.returncode, proc.stdout) == (0, "main ['x'] __main__\n"), proc.stderr


def test_module(tmp_path):
    mod = script(tmp_path, '''
        import sys
        from mpi4py import MPI
        print(MPI.COMM_WORLD.Get_rank(), sys.argv, __name__)
    ''', 'runme_mod.py')
    proc = mpi4py_run('-m', 'runme_mod', 'b', '--flag', np=2, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert lines(proc.stdout) == [f"{r} ['{mod}', 'b', '--flag'] __main__" for r in (0, 1)]


def test_command():
    proc = mpi4py_run('-c', 'import sys; from mpi4py import MPI; '
                      'print(MPI.COMM_WORLD.Get_rank(), sys.argv, __name__)', 'x', np=2)
    assert proc.returncode == 0, proc.stderr
    assert lines(proc.stdout) == [f"{r} ['-c', 'x'] __main__" for r in (0, 1)]


def test_command_classes_pickle_through_main():
    # Objects of classes defined in the code travel: pickle finds them in __main__.
    proc = mpi4py_run('-c', textwrap.dedent('''
        from mpi4py import MPI
        class Point:
            def __init__(self, x): self.x = x
        comm = MPI.COMM_WORLD
        if comm.Get_rank() == 0:
            comm.send(Point(7), dest=1)
        elif comm.Get_rank() == 1:
            print(type(comm.recv(source=0)).__name__, 'ok')
    '''), np=2)
    assert (proc.returncode, proc.stdout) == (0, 'Point ok\n'), proc.stderr


def test_stdin():
    proc = mpi4py_run('-', 'y', np=1,
                      stdin='import sys\nprint(sys.argv, __name__)\n')
    assert (proc.returncode, proc.stdout) == (0, "['-', 'y'] __main__\n"), proc.stderr


def test_run_module_and_run_command_line():
    proc = subprocess.run([sys.executable, '-m', 'mpi4py.run', '-c',
                           'import sys; print(sys.argv)', 'z'],
                          capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stdout) == (0, "['-c', 'z']\n"), proc.stderr
    code = ('from mpi4py.run import run_command_line; '
            'run_command_line(["-c", "import sys; print(sys.argv, __name__)", "q"])')
    proc = subprocess.run([sys.executable, '-c', code],
                          capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stdout) == (0, "['-c', 'q'] __main__\n"), proc.stderr


def test_rc_options():
    code = ('from mpi4py import rc; '
            'print(rc.thread_level, rc.threads, rc.errors, rc.finalize, rc.fast_reduce)')
    proc = mpi4py_run('--rc', 'thread_level=serialized,threads=false', '-rc=errors=fatal',
                      '--rc=finalize=none', '-rc', 'fast_reduce=0', '-c', code)
    assert (proc.returncode, proc.stdout) == (0, 'serialized False fatal None 0\n'), \
        proc.stderr


def test_profile_options_accepted():
    proc = mpi4py_run('-p', 'mpe', '--profile=vt', '--mpe', '--vt', '-c', 'print(1)')
    assert (proc.returncode, proc.stdout) == (0, '1\n'), proc.stderr


def test_exit_zero_and_normal_end():
    proc = mpi4py_run('-c', 'import sys; from mpi4py import MPI; sys.exit(0)', np=2)
    assert proc.returncode == 0, proc.stderr
    proc = mpi4py_run('-c', 'import sys; from mpi4py import MPI; sys.exit()', np=2)
    assert proc.returncode == 0, proc.stderr


def test_exception_without_mpi():
    proc = mpi4py_run('-c', 'import json\njson.loads("{")', np=1)
    assert proc.returncode == 1
    assert 'json.decoder.JSONDecodeError' in proc.stderr
    assert 'File "<string>", line 2, in <module>' in proc.stderr
    assert 'mpi4py/run.py' not in proc.stderr and 'runpy' not in proc.stderr


def test_syntax_error():
    proc = mpi4py_run('-c', 'x = (', np=1)
    assert proc.returncode == 1 and 'SyntaxError' in proc.stderr
    assert 'mpi4py/run.py' not in proc.stderr


def test_rc_applies_before_import():
    proc = mpi4py_run('--rc', 'initialize=false', '-c',
                      'from mpi4py import MPI; print(MPI.Is_initialized())', np=1)
    assert (proc.returncode, proc.stdout) == (0, 'False\n'), proc.stderr


DEADLOCK = '''
    import sys
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    if comm.Get_rank() == 0:
        {action}
        comm.send(None, dest=1, tag=42)
    elif comm.Get_rank() == 1:
        comm.recv(source=0, tag=42)
'''


def test_exception_aborts_the_job(tmp_path):
    # Rank 0 dies of an exception while rank 1 waits for it: without the abort rank 0
    # would wait in MPI_Finalize and the job would hang until --timeout (status 124).
    prog = script(tmp_path, DEADLOCK.format(action='1/0'))
    proc = mpi4py_run(str(prog), np=2)
    print(f'job ended in {proc.elapsed:.2f} s, status {proc.returncode}')
    assert proc.returncode not in (0, 124, 125), proc.stderr
    assert 'ZeroDivisionError: division by zero' in proc.stderr
    assert f'File "{prog}", line 6, in <module>' in proc.stderr
    assert 'mpi4py/run.py' not in proc.stderr


def test_exit_status_propagates(tmp_path):
    prog = script(tmp_path, DEADLOCK.format(action='sys.exit(3)'))
    proc = mpi4py_run(str(prog), np=2)
    assert proc.returncode == 3, proc.stderr


def test_exit_message_gives_status_1():
    proc = mpi4py_run('-c', 'import sys; from mpi4py import MPI; sys.exit("bye")', np=2)
    assert proc.returncode == 1 and 'bye' in proc.stderr


def test_set_abort_status(tmp_path):
    # The API for runners of their own: abort at exit, after python printed the traceback.
    prog = script(tmp_path, '''
        from mpi4py import MPI
        from mpi4py.run import set_abort_status
        comm = MPI.COMM_WORLD
        try:
            if comm.Get_rank() == 0:
                raise RuntimeError('boom')
            comm.recv(source=0, tag=42)
        except BaseException:
            set_abort_status(5)
            raise
    ''')
    proc = subprocess.run([MPIEXEC, '-n', '2', '--timeout', '10', sys.executable, str(prog)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 5 and 'RuntimeError: boom' in proc.stderr, proc.stderr


def test_import_stays_light():
    # the extension imports _pickle, not pickle (which pulls in re, struct, ...)
    code = 'import sys; from mpi4py import MPI; print(sorted({"pickle", "re"} & set(sys.modules)))'
    proc = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                          check=False)
    assert (proc.returncode, proc.stdout) == (0, '[]\n'), proc.stderr
