"""Run Python code under MPI so that an unhandled exception ends the whole job.

    mpiexec -n 4 python -m mpi4py [options] <pyfile> [arg] ...
    mpiexec -n 4 python -m mpi4py [options] -m <mod> [arg] ...
    mpiexec -n 4 python -m mpi4py [options] -c <cmd> [arg] ...
    mpiexec -n 4 python -m mpi4py [options] - [arg] ...

A plain ``python script.py`` rank that dies of an exception runs MPI_Finalize at exit and
waits there for ranks that are waiting for it: the job deadlocks. Here the code runs as
``python`` would run it, and an unhandled exception (or ``sys.exit`` with a non-zero
status) prints its traceback and calls MPI_Abort on COMM_WORLD, which ends every rank with
that status.
"""
import sys

_OPTIONS = """\
options:
  --version              print the mpi4py version and exit
  -h, --help             print this help and exit
  --rc <key=value,...>   set mpi4py.rc options before MPI is imported (also -rc),
                         e.g. --rc thread_level=single,errors=fatal
  -p, --profile <name>   accepted for compatibility (LiteMPI has no profiler libraries)
  --mpe, --vt            accepted for compatibility
"""


def _usage(out):
    from os.path import basename
    prog = f'{basename(sys.executable or "python")} -m {__package__}'
    forms = ('<pyfile>', '-m <mod>', '-c <cmd>', '-')
    lines = [f'{"usage" if i == 0 else "   or"}: {prog} [options] {form} [arg] ...'
             for i, form in enumerate(forms)]
    out.write('\n'.join(lines) + '\n')
    return prog


def _usage_error(message):
    sys.stderr.write(f'{message}\n')
    prog = _usage(sys.stderr)
    sys.stderr.write(f'Try `{prog} -h` for more information.\n')
    sys.exit(1)


def _rc_value(text):
    """'true'/'no'/'none' as bool/None, Python literals as themselves, else the string."""
    word = text.strip().lower()
    if word in ('true', 'yes', 'on'):
        return True
    if word in ('false', 'no', 'off'):
        return False
    if word == 'none':
        return None
    from ast import literal_eval
    try:
        return literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _set_rc(spec):
    from . import rc
    options = {}
    for item in filter(None, spec.split(',')):
        key, sep, value = item.partition('=')
        if not sep or not key.strip():
            _usage_error(f"--rc: expected key=value, got '{item}'")
        options[key.strip()] = _rc_value(value)
    try:
        rc(**options)
    except TypeError as exc:
        known = ', '.join(k for k in vars(type(rc)) if not k.startswith('_'))
        _usage_error(f'--rc: {exc} (options: {known})')


def _parse(args):
    """Handles the options; returns the rest: [pyfile | -m mod | -c cmd | -] [arg] ..."""
    from . import profile, __version__
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition('=')
        takes_value = name in ('-rc', '--rc', '-p', '--profile')
        if takes_value and not eq:
            if i + 1 >= len(args):
                _usage_error(f'Argument expected for option: {arg}')
            i += 1
            inline = args[i]
        if arg in ('-h', '--help'):
            _usage(sys.stdout)
            sys.stdout.write(_OPTIONS)
            sys.exit(0)
        elif arg == '--version':
            sys.stdout.write(f'mpi4py {__version__}\n')
            sys.exit(0)
        elif name in ('-rc', '--rc'):
            _set_rc(inline)
        elif name in ('-p', '--profile'):
            profile(inline)
        elif arg in ('--mpe', '--vt'):
            profile(arg[2:])
        elif arg in ('-m', '-c'):
            if i + 1 >= len(args):
                _usage_error(f'Argument expected for option: {arg}')
            return args[i:]
        elif arg == '--':
            if i + 1 >= len(args):
                break
            return args[i + 1:]
        elif arg.startswith('-') and arg != '-':
            _usage_error(f'Unknown option: {arg}')
        else:
            return args[i:]
        i += 1
    _usage_error('No script, module (-m), command (-c) or stdin (-) given')


def _exec_source(source, filename):
    """Runs source code in a fresh __main__ module, as python -c and python - do."""
    main = type(sys)('__main__')
    sys.modules['__main__'] = main
    exec(compile(source, filename, 'exec'), main.__dict__)


def run_command_line(args=None):
    """Run ``[pyfile | -m mod | -c cmd | -] [arg] ...`` (default: ``sys.argv[1:]``) as
    python would: a script file (or folder or zip with ``__main__.py``), a module found on
    ``sys.path``, a command string, or the code read from ``sys.stdin``; the ``arg``s are
    in ``sys.argv[1:]``."""
    import runpy
    args = sys.argv[1:] if args is None else list(args)
    if not args or (args[0] in ('-m', '-c') and len(args) < 2):
        raise ValueError('expected [pyfile | -m mod | -c cmd | -] [arg] ...')
    if args[0] == '-m':
        sys.argv[:] = ['-m', *args[2:]]
        runpy.run_module(args[1], run_name='__main__', alter_sys=True)
    elif args[0] == '-c':
        sys.argv[:] = ['-c', *args[2:]]
        _exec_source(args[1], '<string>')
    elif args[0] == '-':
        sys.argv[:] = args
        _exec_source(sys.stdin.read(), '<stdin>')
    else:
        from os.path import dirname, isfile, realpath
        sys.argv[:] = args
        if isfile(args[0]):
            sys.path[0] = dirname(realpath(args[0]))
        runpy.run_path(args[0], run_name='__main__')


def _print_exception(exc):
    """The traceback as python itself would print it: without this runner's frames."""
    import runpy
    ours = {__file__, runpy.__file__, '<frozen runpy>'}
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename in ours:
        tb = tb.tb_next
    sys.excepthook(type(exc), exc.with_traceback(tb), tb)


def _exit_status(code):
    """A SystemExit code as python maps it: None -> 0, int -> itself, other -> printed, 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f'{code}\n')
    return 1


def _abort_job(status):
    """MPI_Abort(COMM_WORLD, status) when this process uses MPI, after flushing output."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    MPI = sys.modules.get(f'{__package__}.MPI')
    if MPI is not None and MPI.Is_initialized() and not MPI.Is_finalized():
        MPI.COMM_WORLD.Abort(status)


def set_abort_status(status):
    """Make this process end the whole MPI job at Python exit with ``MPI_Abort(status)``.

    For code that runs a program itself: call it in the ``except`` block of an unhandled
    exception (status 1) or ``SystemExit`` (its code), then re-raise. A status of 0 or None
    changes nothing. (``python -m mpi4py`` aborts at once instead, without waiting for
    other threads at exit.)
    """
    if not isinstance(status, int):
        status = 0 if status is None else 1
    if status != 0:
        import atexit
        atexit.register(_abort_job, status)


def main(argv=None):
    """Entry point of ``python -m mpi4py`` (and ``python -m mpi4py.run``): options, then
    run_command_line(); `argv` defaults to ``sys.argv[1:]``."""
    args = _parse(sys.argv[1:] if argv is None else list(argv))
    try:
        run_command_line(args)
    except SystemExit as exc:
        status = _exit_status(exc.code)
        if status != 0:
            _abort_job(status)
            sys.exit(status)
    except BaseException as exc:  # pylint: disable=broad-except
        _print_exception(exc)
        _abort_job(1)
        sys.exit(1)


if __name__ == '__main__':
    main()
