"""mpi4py.futures: python -m mpi4py.futures and MPIPoolExecutor. Run by one plain python3
(not under mpiexec): each test starts its own job with LITEMPI_MPIEXEC. MPICommExecutor runs
under mpiexec in test_futures_comm.py."""
import os
import subprocess
import sys
import textwrap
import time

import pytest

MPIEXEC = os.environ.get('LITEMPI_MPIEXEC')
SOURCE_DIR = os.environ.get('LITEMPI_SOURCE_DIR', '')
HERE = os.path.dirname(os.path.abspath(__file__))
pytestmark = pytest.mark.skipif(not MPIEXEC, reason='LITEMPI_MPIEXEC not set (run by ctest)')


def run(*args, np=None, stdin=None, cwd=None, module='mpi4py.futures', timeout=30):
    """python -m <module> <args>, under `mpiexec -n np --timeout <timeout>` unless np is
    None."""
    cmd = [sys.executable, '-m', module, *map(str, args)] if module else [sys.executable,
                                                                           *map(str, args)]
    if np is not None:
        cmd = [MPIEXEC, '-n', str(np), '--timeout', str(timeout), *cmd]
        if np > 2:
            cmd[1:1] = ['--oversubscribe']
    start = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, input=stdin, cwd=cwd,
                          timeout=timeout + 30, check=False)
    proc.elapsed = time.monotonic() - start
    return proc


def script(tmp_path, text, name='prog.py'):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


# A main script that reports where its tasks ran and what the workers saw.
REPORT = '''
    import sys
    from mpi4py import MPI
    from mpi4py.futures import MPIPoolExecutor

    def where(x):
        main = sys.modules['__main__']
        return x, MPI.COMM_WORLD.Get_rank(), main.__name__, sys.argv[1:]

    if __name__ == '__main__':
        with MPIPoolExecutor() as executor:
            for x, rank, name, argv in executor.map(where, range(3)):
                print(x, rank > 0, name, argv == sys.argv[1:])
        print('main', __name__, sys.argv[1:])
'''


# -- the executor API at several sizes (futures_pool_script.py holds the checks) ----------

@pytest.mark.parametrize('np', [2, 3, 4], ids=lambda np: f'np{np}')
def test_pool_api(np):
    proc = run(os.path.join(HERE, 'futures_pool_script.py'), np, np=np, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, 'ok\n'), proc.stderr


def test_thread_level_serialized():
    # Below THREAD_MULTIPLE the pool serializes its MPI calls and polls with iprobe.
    import mpi4py
    mpi4py.rc.initialize = False
    from mpi4py import MPI
    proc = run('--rc', 'thread_level=serialized', '-m', 'mpi4py.futures',
               os.path.join(HERE, 'futures_pool_script.py'), 3, np=3, module='mpi4py',
               timeout=60)
    assert (proc.returncode, proc.stdout) == (0, 'ok\n'), proc.stderr


# -- the command line ---------------------------------------------------------------------

def test_help_and_usage_errors():
    proc = run('--help')
    assert proc.returncode == 0 and proc.stderr == ''
    out = proc.stdout.splitlines()
    assert [line.split('mpi4py.futures ')[1] for line in out] == [
        '<pyfile> [arg] ...', '-m <module> [arg] ...', '-c <string> [arg] ...', '- [arg] ...']
    assert out[0].startswith('usage: ')
    for args, message in (((), 'No path specified for execution'),
                          (('-x', 'a.py'), 'Unknown option: -x'),
                          (('-c',), 'Argument expected for option: -c'),
                          (('-m',), 'Argument expected for option: -m')):
        proc = run(*args)
        assert proc.returncode == 1 and proc.stdout == '', args
        assert proc.stderr.startswith(message + '\n') and 'usage: ' in proc.stderr, args


@pytest.mark.parametrize('np', [2, 3])
def test_pyfile(tmp_path, np):
    prog = script(tmp_path, REPORT)
    proc = run(prog, 'a', '-b', np=np)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        '0 True __worker__ True', '1 True __worker__ True', '2 True __worker__ True',
        "main __main__ ['a', '-b']"]


def test_directory_module_command_stdin(tmp_path):
    script(tmp_path, REPORT, '__main__.py')
    proc = run(tmp_path, 'x', np=2)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "main __main__ ['x']"
    assert proc.stdout.count('__worker__ True') == 3

    script(tmp_path, REPORT, 'futures_report_mod.py')
    proc = run('-m', 'futures_report_mod', 'y', np=2, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "main __main__ ['y']"
    assert proc.stdout.count('__worker__ True') == 3

    # -c and -: no script for the workers to import; builtins and modules work.
    code = ('import sys; from mpi4py.futures import MPIPoolExecutor as E; '
            'print(E().submit(abs, -4).result(), sys.argv)')
    proc = run('-c', code, 'q', np=2)
    assert (proc.returncode, proc.stdout) == (0, "4 ['-c', 'q']\n"), proc.stderr
    proc = run('-', 'w', np=2, stdin=code)
    assert (proc.returncode, proc.stdout) == (0, "4 ['-', 'w']\n"), proc.stderr


# -- no workers: a clear error, no hang ---------------------------------------------------

SUBMIT = '''
    from mpi4py.futures import MPIPoolExecutor
    if __name__ == '__main__':
        executor = MPIPoolExecutor()
        print('created')
        executor.submit(abs, -1)
'''


@pytest.mark.parametrize('how', ['plain-np1', 'plain-np2', 'futures-np1'])
def test_no_workers(tmp_path, how):
    prog = script(tmp_path, SUBMIT)
    np = 2 if how == 'plain-np2' else 1
    if how.startswith('plain'):
        proc = run(prog, np=np, module=None)
    else:
        proc = run(prog, np=np)
    # (the launcher may end one rank before it prints, when the other failed first)
    assert proc.returncode != 0 and proc.stdout.count('created') >= 1
    assert 'NotImplementedError' in proc.stderr and 'MPI_Comm_spawn' in proc.stderr
    assert 'python -m mpi4py.futures script.py' in proc.stderr
    assert proc.elapsed < 10


def test_executor_in_worker_import(tmp_path):
    # No main guard: the workers run the executor code when they import the script. That
    # fails there (no recursion, no hang) and breaks the executor at the master.
    prog = script(tmp_path, '''
        import sys
        from mpi4py.futures import MPIPoolExecutor, BrokenExecutor
        executor = MPIPoolExecutor()
        if __name__ == '__main__':
            exc = executor.submit(abs, -1).exception()
            print(type(exc).__name__, exc, type(exc.__cause__).__name__)
        else:
            executor.submit(abs, -1)
    ''')
    proc = run(prog, np=2)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ('BrokenExecutor cannot import the main script in a worker '
                           'RuntimeError\n')


# -- failures end the job -----------------------------------------------------------------

@pytest.mark.parametrize('np', [2, 4])
def test_exception_in_main_aborts(tmp_path, np):
    prog = script(tmp_path, '''
        import time
        from mpi4py.futures import MPIPoolExecutor
        def fail(x):
            raise ValueError(f'task {x} failed')
        if __name__ == '__main__':
            executor = MPIPoolExecutor()
            future = executor.submit(fail, 7)
            executor.submit(time.sleep, 30)  # a worker busy when the job must end
            print(future.result())
    ''')
    proc = run(prog, np=np)
    assert proc.returncode == 1 and proc.elapsed < 10
    assert 'ValueError: task 7 failed' in proc.stderr
    assert 'in fail' in proc.stderr  # the worker's traceback, as the cause


def test_exit_status(tmp_path):
    prog = script(tmp_path, '''
        import sys
        from mpi4py.futures import MPIPoolExecutor
        if __name__ == '__main__':
            with MPIPoolExecutor() as executor:
                assert executor.submit(abs, -1).result() == 1
            sys.exit(int(sys.argv[1]))
    ''')
    assert run(prog, 0, np=2).returncode == 0
    proc = run(prog, 3, np=2)
    assert proc.returncode == 3 and proc.elapsed < 10


def test_pending_tasks_run_before_exit(tmp_path):
    # The script ends without waiting: its tasks still run before the job ends.
    prog = script(tmp_path, '''
        from mpi4py.futures import MPIPoolExecutor
        def write(path, i):
            with open(path, 'a') as f:
                f.write(f'{i}\\n')
        if __name__ == '__main__':
            executor = MPIPoolExecutor()
            for i in range(20):
                executor.submit(write, 'out.txt', i)
            executor.shutdown(wait=False)
    ''')
    proc = run(prog, np=3, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert sorted(int(line) for line in (tmp_path / 'out.txt').read_text().split()) == \
        list(range(20))


# -- the manual's examples ----------------------------------------------------------------

def test_julia_example(tmp_path):
    example = os.path.join(SOURCE_DIR, 'examples', 'python', 'futures_julia.py')
    proc = run(example, np=3, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    image = (tmp_path / 'julia.pgm').read_bytes()
    header = b'P5 1280 960 255\n'
    assert image.startswith(header) and len(image) == len(header) + 1280 * 960
    # A few scanlines computed here with the example's own function.
    namespace = {'__name__': 'julia'}
    with open(example, encoding='utf-8') as source:
        exec(compile(source.read(), example, 'exec'), namespace)  # pylint: disable=exec-used
    for k in (0, 123, 480, 959):
        line = image[len(header) + k * 1280:len(header) + (k + 1) * 1280]
        assert line == namespace['julia_line'](k), k
