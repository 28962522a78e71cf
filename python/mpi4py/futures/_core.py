"""The pools of workers behind MPIPoolExecutor: who runs the tasks and how they get there.

A pool has one *manager* thread in the master process. Executors only queue tasks (each
executor is a *client* of a pool, with its own queue, worker limit and worker set-up); the
manager hands queued tasks to idle workers, turns the replies into future results, and at
the end stops the workers. Two kinds of pools:

- MPIPool: the workers are the other ranks of a private duplicate of a communicator. The
  world pool of ``python -m mpi4py.futures`` (ranks 1..N-1 of COMM_WORLD, shared by every
  executor of the script) and the pool of an MPICommExecutor (its non-root ranks).
- ThreadPool: one thread of this process, for MPICommExecutor on a communicator of size one.

There is no pool without one of these: LiteMPI has no MPI_Comm_spawn to start workers.

Protocol on the pool's communicator (one tag; exactly one reply per request):
  master -> worker   (setup, payload)            run a task; a non-None setup first prepares
                                                 the worker for the task's executor (done
                                                 once per worker and executor)
                     None                        stop serving
  worker -> master   (rank, status, data, tb)    status 'ok' (data: the result), 'error'
                                                 (data: the exception, tb: its traceback
                                                 text), or a set-up failure ('setup',
                                                 'main', 'init': data as for 'error')
  master -> master   None                        wakes the manager blocked in recv
Payloads are pickled by the submitting thread and unpickled by the worker inside the task's
try block, so a task that cannot travel fails in its future, never in a loop.

With MPI_THREAD_MULTIPLE the manager blocks in recv (the GIL is released) and a submitting
thread wakes it with a message to itself: no polling. Below that level every MPI call of the
pools holds one lock and the manager polls with iprobe, backing off up to 1 ms.
"""
import collections
import os
import sys
import threading
import time
import traceback
from concurrent.futures import BrokenExecutor, InvalidStateError

_TAG = 1
_MPI_LOCK = threading.Lock()  # serializes the pools' MPI calls below THREAD_MULTIPLE

# Reply statuses of a worker that could not be set up for an executor (which breaks it).
_SETUP_FAILURES = {
    'setup': 'cannot set up a worker (path, wdir or env option)',
    'main': 'cannot import the main script in a worker',
    'init': 'cannot run initializer',
}

NO_SPAWN = (
    'MPIPoolExecutor has no worker processes: LiteMPI has no dynamic process management '
    '(MPI_Comm_spawn), so the workers must be started with the job. Run the script as '
    '"mpiexec -n N python -m mpi4py.futures script.py [arg] ..." with N >= 2 (rank 0 runs '
    'the script, ranks 1..N-1 serve its executors), or use MPICommExecutor')

# Set by ``python -m mpi4py.futures``: the world pool at rank 0 ('master'), or the role of
# this process when it has no pool ('alone': a job of one process, 'worker': ranks >= 1).
_world = None
_role = None


def world_pool():
    """The pool of ``python -m mpi4py.futures``; raises where this process has none."""
    if _world is not None:
        return _world
    if _role == 'worker':
        raise RuntimeError(
            'MPIPoolExecutor cannot be used in a worker process of "python -m mpi4py.futures" '
            '(the workers import the main script as __worker__: keep executor code under '
            "if __name__ == '__main__':)")
    if _role == 'alone':
        raise NotImplementedError(NO_SPAWN + ' (this job has a single process)')
    raise NotImplementedError(NO_SPAWN)


def start_world(comm):
    """Rank 0 of ``python -m mpi4py.futures``: the other ranks of `comm` become the pool."""
    global _world, _role
    if comm.Get_size() == 1:
        _role = 'alone'
        comm.Free()
    else:
        _role = 'master'
        _world = MPIPool(comm, [rank for rank in range(1, comm.Get_size())])


def close_world():
    """Runs the world pool's remaining tasks and stops its workers; False if it broke."""
    global _world
    pool, _world = _world, None
    return pool is None or pool.close(wait=True)


def serve_world(comm, main):
    """Ranks >= 1 of ``python -m mpi4py.futures``: serve rank 0 until it is done."""
    global _role
    _role = 'worker'
    serve(comm, 0, main)


class RemoteTraceback(Exception):
    """The traceback of an exception raised by a task in a worker process (its __cause__)."""

    def __str__(self):
        return self.args[0]


class _Client:
    """An executor's share of a pool: its queue of (future, payload), its limit, its set-up."""

    __slots__ = ('max_workers', 'setup', 'pending', 'running', 'active', 'broken', 'closed')

    def __init__(self, max_workers, setup):
        self.max_workers = max_workers
        self.setup = setup
        self.pending = collections.deque()
        self.running = 0     # tasks at workers
        self.active = 0      # tasks queued or at workers, until their future is set
        self.broken = None   # the BrokenExecutor once a worker failed its set-up
        self.closed = False


def _set(future, ok, value):
    """Sets a future's outcome unless its owner already did (Future allows that)."""
    try:
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
    except InvalidStateError:
        pass


def _broken(template):
    """A fresh copy of a BrokenExecutor (each future raises its own instance)."""
    error = BrokenExecutor(*template.args)
    error.__cause__ = template.__cause__
    return error


class Pool:
    """Master side of a pool: clients, idle and busy workers, and the manager thread.

    Subclasses provide the transport: _dumps/_loads (task and result encoding), _send(worker,
    request), _recv() (a reply, or None for a wake-up), _wake() and _finish()."""

    def __init__(self, workers):
        self.size = len(workers)
        self._workers = list(workers)
        self._lock = threading.Lock()
        self._work = threading.Condition(self._lock)     # the manager waits for work
        self._settled = threading.Condition(self._lock)  # shutdown waits for a client
        self._clients = collections.OrderedDict()        # round-robin order
        self._idle = collections.deque(workers)
        self._busy = {}                                  # worker -> (client, future)
        self._ready = {worker: set() for worker in workers}  # clients set up there
        self._sleep = None   # where the manager waits: None, 'work' (condition), 'reply'
        self._wakes = 0      # wake-ups sent and not yet received
        self._closing = False
        self._broken = None
        self._thread = threading.Thread(target=self._run, name='mpi4py.futures', daemon=True)
        self._thread.start()

    # -- executor side ------------------------------------------------------------------

    def attach(self, max_workers, header, init):
        """A new client using at most `max_workers` workers; `header` (plain data) and
        `init` (an object pickled here) set each worker up before its first task."""
        if init is not None:
            init = self._dumps(init)
        setup = None if header is None and init is None else (header, init)
        client = _Client(self.size if max_workers is None else min(max_workers, self.size),
                         setup)
        with self._lock:
            self._check_open()
            self._clients[client] = None
        return client

    def task(self, future, fn, args, kwargs):
        """The queue entry of a task, or None when it cannot be encoded (its future fails)."""
        try:
            return future, self._dumps((fn, args, kwargs))
        except Exception as exc:  # pylint: disable=broad-except
            future.set_exception(exc)
            return None

    def submit(self, client, tasks):
        """Queues tasks (from task()) for `client`; raises if it cannot take them."""
        with self._lock:
            self._check_open()
            if client.closed:
                raise RuntimeError('cannot submit after shutdown')
            if client.broken is not None:
                raise _broken(client.broken)
            client.pending.extend(tasks)
            client.active += len(tasks)
            wake = self._notify()
        if wake:
            self._wake()

    def shutdown(self, client, wait, cancel_futures):
        """No more tasks from `client`; cancels its queued ones and waits for the rest."""
        cancelled = []
        with self._lock:
            client.closed = True
            if cancel_futures:
                cancelled = list(client.pending)
                client.pending.clear()
        for future, _ in cancelled:
            future.cancel()
            future.set_running_or_notify_cancel()
        with self._lock:
            self._settle(client, len(cancelled))
            while wait and client.active and self._broken is None:
                self._drop_cancelled(client)
                # A future cancelled by its owner while queued notifies nobody here: look
                # again now and then while some are queued.
                self._settled.wait(0.05 if client.pending else None)
            self._settle(client, 0)

    def close(self, wait=True):
        """Runs what is queued, then stops the workers; True unless the pool broke."""
        with self._lock:
            self._closing = True
            if self._sleep == 'work':
                self._work.notify()
        if wait:
            self._thread.join()
        return self._broken is None

    @property
    def broken(self):
        """The exception that stopped the manager, or None."""
        return self._broken

    def _check_open(self):
        if self._broken is not None:
            raise BrokenExecutor('the pool of workers failed') from self._broken
        if self._closing:
            raise RuntimeError('cannot submit after the pool of workers was shut down')

    def _notify(self):
        """Wakes the manager for new work (lock held); True if a wake-up must be sent."""
        if self._sleep == 'work':
            self._work.notify()
        elif self._sleep == 'reply' and self._idle:
            # Blocked in recv with a worker free: only a message wakes it. Otherwise the
            # next reply does, and the new tasks go out then.
            self._sleep = None
            self._wakes += 1
            return True
        return False

    def _settle(self, client, finished):
        """Counts `finished` futures of `client` as set (lock held); forgets a closed client
        with none left and wakes its shutdown."""
        client.active -= finished
        if client.active == 0:
            if client.closed and client in self._clients:
                del self._clients[client]
                for ready in self._ready.values():
                    ready.discard(client)
            self._settled.notify_all()

    def _drop_cancelled(self, client):
        kept = collections.deque()
        for entry in client.pending:
            if entry[0].cancelled():
                entry[0].set_running_or_notify_cancel()
                client.active -= 1
            else:
                kept.append(entry)
        client.pending = kept

    # -- manager thread -----------------------------------------------------------------

    def _run(self):
        try:
            self._manage()
            for worker in self._workers:
                self._send(worker, None)
            self._finish()
        except BaseException as exc:  # pylint: disable=broad-except
            self._fail(exc)

    def _manage(self):
        while True:
            with self._lock:
                self._sleep = None
                requests = self._dispatch()
                if not requests:
                    if not self._busy:
                        if self._closing and not any(c.pending for c in self._clients):
                            return
                        self._sleep = 'work'
                        self._work.wait()
                        continue
                    self._sleep = 'reply'
            if requests:
                for worker, request in requests:
                    self._send(worker, request)
                continue
            reply = self._recv()
            if reply is None:
                with self._lock:
                    self._wakes -= 1
            else:
                self._complete(reply)

    def _dispatch(self):
        """Pairs idle workers with queued tasks, clients taking turns (lock held)."""
        requests = []
        while self._idle:
            picked = self._next_task()
            if picked is None:
                break
            client, future, payload = picked
            # A worker that ran this client's tasks before if one is idle: the set-up
            # (initializer) then runs on as few workers as the client's limit allows.
            worker = next((w for w in self._idle if client in self._ready[w]), None)
            if worker is None:
                worker = self._idle.popleft()
            else:
                self._idle.remove(worker)
            setup = None
            if client not in self._ready[worker]:
                setup = client.setup
                self._ready[worker].add(client)
            self._busy[worker] = client, future
            client.running += 1
            requests.append((worker, (setup, payload)))
        return requests

    def _next_task(self):
        for client in self._clients:
            while client.pending and client.running < client.max_workers:
                future, payload = client.pending.popleft()
                if future.set_running_or_notify_cancel():
                    self._clients.move_to_end(client)
                    return client, future, payload
                self._settle(client, 1)
        return None

    def _complete(self, reply):
        worker, status, data, tb = reply
        try:
            value = self._loads(data)
        except BaseException as exc:  # pylint: disable=broad-except
            status, value, tb = 'error', exc, None
        if status != 'ok':
            if not isinstance(value, BaseException):
                value = RuntimeError(f'a task failed with a non-exception: {value!r}')
            if tb:
                value.__cause__ = RemoteTraceback(tb)
        with self._lock:
            client, future = self._busy.pop(worker)
            self._idle.append(worker)
            client.running -= 1
            failed = []
            if status in _SETUP_FAILURES:
                what = _SETUP_FAILURES[status]
                client.broken = BrokenExecutor(what)
                client.broken.__cause__ = value
                value = _broken(client.broken)
                failed = list(client.pending)
                client.pending.clear()
        _set(future, status == 'ok', value)
        for other, _ in failed:
            if other.set_running_or_notify_cancel():
                _set(other, False, _broken(client.broken))
        with self._lock:
            self._settle(client, 1 + len(failed))

    def _fail(self, exc):
        """The manager died (an MPI error, a bug): every unfinished future fails."""
        with self._lock:
            self._broken = exc
            futures = [(client, future) for client, future in self._busy.values()]
            futures += [(client, future) for client in self._clients
                        for future, _ in client.pending]
            for client in self._clients:
                client.pending.clear()
        for client, future in futures:
            if future.running() or future.set_running_or_notify_cancel():
                error = BrokenExecutor('the pool of workers failed')
                error.__cause__ = exc
                _set(future, False, error)
        with self._lock:
            for client, _ in futures:
                self._settle(client, 1)
            self._settled.notify_all()
        sys.stderr.write('mpi4py.futures: the pool of workers failed:\n'
                         + ''.join(traceback.format_exception(type(exc), exc,
                                                              exc.__traceback__)))


class MPIPool(Pool):
    """Workers are ranks of `comm` (a duplicate this pool owns and frees); the master is
    the calling rank."""

    def __init__(self, comm, workers):
        from .. import MPI
        self._comm = comm
        self._rank = comm.Get_rank()
        self._any = MPI.ANY_SOURCE
        level = MPI.Query_thread()
        self._multiple = level >= MPI.THREAD_MULTIPLE
        if level < MPI.THREAD_SERIALIZED:
            import warnings
            warnings.warn('mpi4py.futures: the MPI thread support level is below '
                          'THREAD_SERIALIZED, the pool runs MPI in a second thread anyway',
                          RuntimeWarning, stacklevel=4)
        self._woken = threading.Event()
        self._dumps = MPI.pickle.dumps
        self._loads = MPI.pickle.loads
        super().__init__(workers)

    def _send(self, worker, request):
        if self._multiple:
            self._comm.send(request, dest=worker, tag=_TAG)
        else:
            with _MPI_LOCK:
                self._comm.send(request, dest=worker, tag=_TAG)

    def _recv(self):
        if self._multiple:
            return self._comm.recv(source=self._any, tag=_TAG)
        delay = 0.0
        while True:
            with _MPI_LOCK:
                if self._comm.iprobe(source=self._any, tag=_TAG):
                    return self._comm.recv(source=self._any, tag=_TAG)
            if self._woken.is_set():
                self._woken.clear()
                return None
            time.sleep(delay)
            delay = min(max(2 * delay, 1e-5), 1e-3)

    def _wake(self):
        if self._multiple:
            self._comm.send(None, dest=self._rank, tag=_TAG)
        else:
            self._woken.set()

    def _finish(self):
        # Wake-ups still in flight would be left unreceived on a freed communicator.
        while self._multiple and self._wakes > 0:
            self._comm.recv(source=self._rank, tag=_TAG)
            self._wakes -= 1
        if self._multiple:
            self._comm.Free()
        else:
            with _MPI_LOCK:
                self._comm.Free()


class ThreadPool(Pool):
    """One worker thread in this process; tasks are passed as objects, not pickled."""

    def __init__(self):
        import queue
        self._requests = queue.SimpleQueue()
        self._replies = queue.SimpleQueue()
        server = Server(0, remote=False)
        self._server = threading.Thread(target=self._serve, args=(server,), daemon=True,
                                         name='mpi4py.futures.worker')
        self._server.start()
        super().__init__([0])

    @staticmethod
    def _dumps(obj):
        return obj

    @staticmethod
    def _loads(obj):
        return obj

    def _serve(self, server):
        while True:
            request = self._requests.get()
            if request is None:
                return
            self._replies.put(server.handle(request))

    def _send(self, worker, request):
        self._requests.put(request)

    def _recv(self):
        return self._replies.get()

    def _wake(self):
        self._replies.put(None)

    def _finish(self):
        self._server.join()


class Server:
    """Worker side: sets a worker up for an executor, runs tasks, encodes the replies.

    `main` is ('path', file-or-directory) or ('module', name): the main script of
    ``python -m mpi4py.futures``, imported as ``__worker__`` (and made ``__main__``) the
    first time an executor that wants it (its ``main`` option) sends a task."""

    def __init__(self, rank, main=None, remote=True):
        self._rank = rank
        self._main = main
        self._main_error = None
        self._remote = remote
        if remote:
            from .. import MPI
            self._dumps, self._loads = MPI.pickle.dumps, MPI.pickle.loads
        else:
            self._dumps = self._loads = lambda obj: obj

    def handle(self, request):
        """The reply to a (setup, payload) request."""
        setup, payload = request
        stage = 'setup'
        try:
            if setup is not None:
                header, init = setup
                if header is not None:
                    main, path, wdir, env = header
                    for entry in path:
                        if entry not in sys.path:
                            sys.path.append(entry)
                    if wdir is not None:
                        os.chdir(wdir)
                    os.environ.update(env)
                    stage = 'main'
                    if main:
                        self._import_main()
                stage = 'init'
                if init is not None:
                    self._initialize(init)
            stage = 'error'
            fn, args, kwargs = self._loads(payload)
            result = fn(*args, **kwargs)
        except BaseException as exc:  # pylint: disable=broad-except
            return self._failure(stage, exc)
        try:
            return self._rank, 'ok', self._dumps(result), None
        except BaseException as exc:  # pylint: disable=broad-except
            return self._failure('error', exc)

    def _import_main(self):
        """Imports the main script once; a failure repeats for every later executor."""
        if self._main_error is not None:
            raise self._main_error
        if self._main is None:
            return
        main, self._main = self._main, None
        try:
            import_main(*main)
        except BaseException as exc:
            self._main_error = exc
            raise

    def _initialize(self, init):
        namespace, initializer, initargs = self._loads(init)
        if namespace:
            vars(sys.modules['__main__']).update(namespace)
        if initializer is not None:
            initializer(*initargs)

    def _failure(self, status, exc):
        tb = None
        if self._remote:
            # The traceback from the task's own frames on (this method's frame left out).
            tb = ''.join(traceback.format_exception(type(exc), exc,
                                                    exc.__traceback__.tb_next))
        try:
            data = self._dumps(exc)
        except BaseException as perr:  # pylint: disable=broad-except
            data = self._dumps(RuntimeError(
                f'{type(exc).__name__}: {exc} (unpicklable exception: {perr})'))
        return self._rank, status, data, tb


def serve(comm, master, main=None):
    """Runs the tasks `master` sends on `comm` until it says stop."""
    server = Server(comm.Get_rank(), main)
    while True:
        request = comm.recv(source=master, tag=_TAG)
        if request is None:
            return
        comm.send(server.handle(request), dest=master, tag=_TAG)


def import_main(kind, target):
    """Runs the main script (kind 'path': a file, or a directory or zip file holding a
    __main__.py; kind 'module': a module name) as module ``__worker__``, which becomes
    ``__main__`` too, so that what the master pickles from its ``__main__`` is found here.
    Its ``if __name__ == '__main__':`` part does not run."""
    import importlib.machinery
    import importlib.util
    module = type(sys)('__worker__')
    if kind == 'module':
        spec = importlib.util.find_spec(target)
        if spec is not None and spec.submodule_search_locations is not None:
            spec = importlib.util.find_spec(target + '.__main__')
        if spec is None or spec.loader is None:
            raise ImportError(f'No module named {target!r}', name=target)
        code = spec.loader.get_code(spec.name)
        module.__file__, module.__loader__ = spec.origin, spec.loader
        module.__package__ = spec.parent
        sys.argv[0] = spec.origin  # as python -m sets it at the master
    elif os.path.isfile(target):
        import io
        with io.open_code(target) as source:
            code = compile(source.read(), target, 'exec')
        module.__file__ = target
    else:
        spec = importlib.machinery.PathFinder.find_spec('__main__', [target])
        if spec is None or spec.loader is None:
            raise ImportError(f"can't find '__main__' module in {target!r}")
        sys.path.insert(0, target)
        code = spec.loader.get_code('__main__')
        module.__file__, module.__loader__ = spec.origin, spec.loader
        module.__package__ = ''
    sys.modules['__worker__'] = sys.modules['__main__'] = module
    exec(code, vars(module))  # pylint: disable=exec-used
