"""``python -m mpi4py.bench <command>``: quick checks and measurements of an MPI install.

    mpiexec -n 5 python -m mpi4py.bench helloworld    one line per process
    mpiexec -n 4 python -m mpi4py.bench ringtest      time a message around the ring
    mpiexec -n 2 python -m mpi4py.bench pingpong      latency and bandwidth, ranks 0 and 1

Each command also is a function ``command(comm, args=None, verbose=True)`` taking its
command line arguments as a list.
"""
import sys


def _parser(command, description):
    from argparse import ArgumentParser
    parser = ArgumentParser(prog=f'{__spec__.name} {command}', description=description)
    parser.add_argument('-q', '--quiet', action='store_false', dest='verbose',
                        help='print nothing')
    return parser


def helloworld(comm, args=None, verbose=True):
    """Every process says hello, in rank order; returns this process's line."""
    parser = _parser('helloworld', 'Print a line from every process.')
    parser.set_defaults(verbose=verbose)
    options = parser.parse_args(args)
    from . import MPI
    size, rank = comm.Get_size(), comm.Get_rank()
    line = (f'Hello, World! I am process {rank:{len(str(size - 1))}d} of {size} '
            f'on {MPI.Get_processor_name()}.\n')
    # A token passed down the ranks keeps the lines in rank order.
    comm.Barrier()
    if rank > 0:
        comm.recv(source=rank - 1, tag=0)
    if options.verbose:
        sys.stdout.write(line)
        sys.stdout.flush()
    if rank < size - 1:
        comm.send(None, dest=rank + 1, tag=0)
    comm.Barrier()
    return line


def ringtest(comm, args=None, verbose=True):
    """Times `loop` trips of a message around the ring of processes; returns seconds."""
    parser = _parser('ringtest', 'Time a message going around the ring of processes.')
    parser.set_defaults(verbose=verbose)
    parser.add_argument('-n', '--size', type=int, default=1, help='message size')
    parser.add_argument('-s', '--skip', type=int, default=0,
                        help='number of warm-up iterations')
    parser.add_argument('-l', '--loop', type=int, default=1, help='number of iterations')
    options = parser.parse_args(args)
    from . import MPI
    nbytes, skip, loop = max(options.size, 0), max(options.skip, 0), max(options.loop, 1)
    size, rank = comm.Get_size(), comm.Get_rank()
    dest, source = (rank + 1) % size, (rank - 1) % size
    sendbuf = bytearray(b'\x2a' * nbytes)
    recvbuf = bytearray(nbytes)
    comm.Barrier()
    start = MPI.Wtime()
    for i in range(skip + loop):
        if i == skip:
            start = MPI.Wtime()
        if size == 1:
            comm.Sendrecv(sendbuf, dest, 0, recvbuf, source, 0)
        elif rank == 0:
            comm.Send(sendbuf, dest, 0)
            comm.Recv(recvbuf, source, 0)
        else:
            comm.Recv(recvbuf, source, 0)
            comm.Send(recvbuf, dest, 0)
    elapsed = MPI.Wtime() - start
    if rank == 0 and recvbuf != sendbuf:
        sys.stderr.write('ringtest: the message came back changed\n')
        comm.Abort(2)
    if options.verbose and rank == 0:
        sys.stdout.write(f'time for {loop} loops = {elapsed:g} seconds '
                         f'({size} processes, {nbytes} bytes)\n')
        sys.stdout.flush()
    return elapsed


def _sizes(low, high):
    size = max(low, 0)
    while size <= high:
        yield size
        size = size * 2 if size else 1


def pingpong(comm, args=None, verbose=True):
    """Round trips between ranks 0 and 1 (rank 0 with itself on one process) for message
    sizes from --min-size to --max-size, doubling; returns [(size, seconds one-way)]."""
    parser = _parser('pingpong', 'Time messages between ranks 0 and 1.')
    parser.set_defaults(verbose=verbose)
    parser.add_argument('-m', '--min-size', type=int, default=1,
                        help='smallest message size in bytes (default 1)')
    parser.add_argument('-n', '--max-size', type=int, default=1 << 22,
                        help='largest message size in bytes (default 4 MiB)')
    parser.add_argument('-s', '--skip', type=int, default=100,
                        help='warm-up iterations for small messages')
    parser.add_argument('-l', '--loop', type=int, default=10000,
                        help='iterations for small messages')
    parser.add_argument('-S', '--skip-large', type=int, default=10,
                        help='warm-up iterations for large messages')
    parser.add_argument('-L', '--loop-large', type=int, default=1000,
                        help='iterations for large messages')
    parser.add_argument('-t', '--large-size', type=int, default=1 << 14,
                        help='sizes from this one on are large (default 16 KiB)')
    parser.add_argument('-a', '--array', choices=('bytearray', 'numpy'), default='bytearray',
                        help='buffer kind for Send/Recv (default bytearray)')
    parser.add_argument('-p', '--pickle', action='store_true',
                        help='send bytes objects with send/recv (pickle) instead')
    parser.add_argument('--no-header', action='store_false', dest='header',
                        help='omit the header lines')
    options = parser.parse_args(args)
    from . import MPI
    size, rank = comm.Get_size(), comm.Get_rank()
    peer = 1 if size > 1 else 0
    results = []
    if options.verbose and options.header and rank == 0:
        kind = 'send/recv of bytes' if options.pickle else f'Send/Recv of {options.array}'
        sys.stdout.write(f'# mpi4py.bench pingpong: {kind}, ranks 0 and {peer}\n'
                         f'# {"size [B]":>10} {"latency [us]":>14} {"bandwidth [MB/s]":>18}\n')
        sys.stdout.flush()
    for nbytes in _sizes(options.min_size, options.max_size):
        large = nbytes >= options.large_size
        skip = max(options.skip_large if large else options.skip, 0)
        loop = max(options.loop_large if large else options.loop, 1)
        comm.Barrier()
        if rank > 1:
            continue
        if options.pickle:
            sendbuf = recvbuf = bytes(nbytes)
        elif options.array == 'numpy':
            import numpy
            sendbuf, recvbuf = numpy.ones(nbytes, 'B'), numpy.zeros(nbytes, 'B')
        else:
            sendbuf, recvbuf = bytearray(b'\x01' * nbytes), bytearray(nbytes)
        start = MPI.Wtime()
        for i in range(skip + loop):
            if i == skip:
                start = MPI.Wtime()
            if size == 1:
                if options.pickle:
                    recvbuf = comm.sendrecv(sendbuf, 0, 0, None, 0, 0)
                else:
                    comm.Sendrecv(sendbuf, 0, 0, recvbuf, 0, 0)
            elif options.pickle:
                if rank == 0:
                    comm.send(sendbuf, 1, 0)
                    recvbuf = comm.recv(None, 1, 0)
                else:
                    recvbuf = comm.recv(None, 0, 0)
                    comm.send(recvbuf, 0, 0)
            elif rank == 0:
                comm.Send(sendbuf, 1, 0)
                comm.Recv(recvbuf, 1, 0)
            else:
                comm.Recv(recvbuf, 0, 0)
                comm.Send(recvbuf, 0, 0)
        seconds = (MPI.Wtime() - start) / (2 * loop)
        results.append((nbytes, seconds))
        if options.verbose and rank == 0:
            sys.stdout.write(f'  {nbytes:>10d} {seconds * 1e6:>14.2f} '
                             f'{nbytes / seconds / 1e6:>18.2f}\n')
            sys.stdout.flush()
    return results


COMMANDS = {'helloworld': helloworld, 'ringtest': ringtest, 'pingpong': pingpong}


def main(args=None):
    """Entry point of ``python -m mpi4py.bench``."""
    from argparse import ArgumentParser, REMAINDER
    parser = ArgumentParser(prog=__spec__.name, usage='%(prog)s [options] <command> [args]',
                            description='Commands: ' + ', '.join(COMMANDS) + '.')
    parser.add_argument('--threads', action='store_true', dest='threads', default=None,
                        help='initialize MPI with thread support')
    parser.add_argument('--no-threads', action='store_false', dest='threads', default=None,
                        help='initialize MPI without thread support')
    parser.add_argument('--thread-level', dest='thread_level', metavar='LEVEL',
                        choices=('single', 'funneled', 'serialized', 'multiple'),
                        help='initialize MPI with this thread level')
    parser.add_argument('--mpe', action='store_true', help='accepted for compatibility')
    parser.add_argument('--vt', action='store_true', help='accepted for compatibility')
    parser.add_argument('command', metavar='<command>', help='benchmark command to run')
    parser.add_argument('args', nargs=REMAINDER, metavar='[args]',
                        help='arguments for the command')
    options = parser.parse_args(args)
    from . import rc
    if options.threads is not None:
        rc.threads = options.threads
    if options.thread_level is not None:
        rc.thread_level = options.thread_level
    command = COMMANDS.get(options.command)
    from . import MPI
    comm = MPI.COMM_WORLD
    if command is None:
        if comm.Get_rank() == 0:
            parser.error(f"unknown command '{options.command}'")
        parser.exit(2)
    command(comm, options.args)


if __name__ == '__main__':
    main()
