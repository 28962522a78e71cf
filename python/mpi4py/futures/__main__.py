"""``python -m mpi4py.futures``: run a script whose executors use the job's other ranks.

    mpiexec -n N python -m mpi4py.futures <pyfile> [arg] ...
    mpiexec -n N python -m mpi4py.futures -m <module> [arg] ...
    mpiexec -n N python -m mpi4py.futures -c <string> [arg] ...
    mpiexec -n N python -m mpi4py.futures - [arg] ...

Rank 0 runs the code as ``__main__`` (as ``python -m mpi4py`` would: an unhandled exception
or a non-zero exit aborts the job); ranks 1..N-1 serve the tasks of every MPIPoolExecutor it
creates, and import the main script as ``__worker__`` when the first of them needs it (for
``-c`` and ``-`` there is no script to import). When the code ends, the tasks still queued
run, the workers stop, and every rank exits normally.
"""
import sys

_FORMS = ('<pyfile>', '-m <module>', '-c <string>', '-')


def _usage(out):
    from os.path import basename
    prog = f'{basename(sys.executable or "python")} -m {__spec__.parent}'
    for i, form in enumerate(_FORMS):
        out.write(f'{"usage" if i == 0 else "   or"}: {prog} {form} [arg] ...\n')


def _usage_error(message):
    sys.stderr.write(f'{message}\n')
    _usage(sys.stderr)
    sys.exit(1)


def _parse(args):
    """The command line as run_command_line() takes it: [pyfile | -m mod | -c cmd | -]
    [arg] ...; exits on -h or a usage error."""
    if args and args[0] in ('-h', '--help'):
        _usage(sys.stdout)
        sys.exit(0)
    if args and args[0] == '--':
        args = args[1:]
    elif args and args[0] in ('-m', '-c'):
        if len(args) < 2:
            _usage_error(f'Argument expected for option: {args[0]}')
    elif args and args[0].startswith('-') and args[0] != '-':
        _usage_error(f'Unknown option: {args[0]}')
    if not args:
        _usage_error('No path specified for execution')
    return args


def _main_script(args):
    """What the workers import as the main script: ('path', file) or ('module', name)."""
    if args[0] == '-m':
        return 'module', args[1]
    if args[0] in ('-c', '-'):
        return None
    return 'path', args[0]


def _worker_environment(args):
    """sys.argv and sys.path[0] as the master's run_command_line() sets them."""
    from os.path import dirname, isfile, realpath
    if args[0] in ('-m', '-c'):
        sys.argv[:] = [args[0], *args[2:]]
    else:
        sys.argv[:] = args
        if isfile(args[0]):
            sys.path[0] = dirname(realpath(args[0]))


# pylint: disable=protected-access  (mpi4py.run's helpers, shared within the package)
def _run_master(args):
    from .. import run
    from . import _core
    try:
        run.run_command_line(args)
    except SystemExit as exc:
        status = run._exit_status(exc.code)
        if status != 0:
            run._abort_job(status)
            sys.exit(status)
    except BaseException as exc:  # pylint: disable=broad-except
        # This frame out of the traceback (run's own frames are left out by it).
        run._print_exception(exc.with_traceback(exc.__traceback__.tb_next))
        run._abort_job(1)
        sys.exit(1)
    if not _core.close_world():
        # The workers could not be told to stop: end them with the job.
        run._abort_job(1)
        sys.exit(1)


def _run_worker(comm, args):
    from .. import run
    from . import _core
    _worker_environment(args)
    try:
        _core.serve_world(comm, _main_script(args))
        comm.Free()
    except BaseException as exc:  # pylint: disable=broad-except
        run._print_exception(exc)
        run._abort_job(1)
        sys.exit(1)


def main():
    """Entry point of ``python -m mpi4py.futures``."""
    args = _parse(sys.argv[1:])
    from .. import MPI
    from . import _core
    comm = MPI.COMM_WORLD.Dup()
    if comm.Get_rank() == 0:
        _core.start_world(comm)
        _run_master(args)
    else:
        _run_worker(comm, args)


if __name__ == '__main__':
    main()
