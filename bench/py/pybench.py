"""Python-level MPI measurements, the same code under any mpi4py (LiteMPI's or another's).

    mpiexec -n 2 python3 bench/py/pybench.py [--quick]      measure; rank 0 prints
                                                            "<name> <value> <unit>" lines
    python3 bench/py/pybench.py --table A.txt [B.txt ...]   medians of such lines, one
                                                            column per file (run.sh)

What the Python user does most: a small dict through send/recv (one-way latency), NumPy
Send/Recv at 8 B, 64 KiB and 4 MiB (latency and bandwidth), allreduce of an int and
Allreduce of a 1 MiB float64 array, on 2 processes.
"""
import statistics
import sys

# (iterations, quick iterations) per measurement; warm-up is a tenth of them.
ITERS = {'dict': (20000, 500), 'small': (20000, 500), '64K': (5000, 100), '4M': (200, 10),
         'allreduce': (20000, 500), 'Allreduce': (500, 20)}

# name: (label, unit, better) for the table, in its order.
ROWS = {
    'import_ms': ("mpiexec -n 2 python3 -c 'from mpi4py import MPI'", 'ms', 'low'),
    'dict_us': ('send/recv small dict, one-way latency', 'us', 'low'),
    'Send8_us': ('Send/Recv 8 B NumPy, one-way latency', 'us', 'low'),
    'Send64K_us': ('Send/Recv 64 KiB NumPy, one-way latency', 'us', 'low'),
    'Send64K_MBs': ('Send/Recv 64 KiB NumPy, bandwidth', 'MB/s', 'high'),
    'Send4M_us': ('Send/Recv 4 MiB NumPy, one-way latency', 'us', 'low'),
    'Send4M_MBs': ('Send/Recv 4 MiB NumPy, bandwidth', 'MB/s', 'high'),
    'allreduce_us': ('allreduce of an int (2 ranks)', 'us', 'low'),
    'Allreduce1M_us': ('Allreduce 1 MiB float64 (2 ranks)', 'us', 'low'),
}


def _timed(comm, iters, step):
    """Seconds per call of step(), after a tenth as many warm-up calls."""
    from mpi4py import MPI
    for _ in range(max(iters // 10, 1)):
        step()
    comm.Barrier()
    start = MPI.Wtime()
    for _ in range(iters):
        step()
    return (MPI.Wtime() - start) / iters


def _pingpong(comm, iters, send, recv):
    """One-way seconds of a message bounced between ranks 0 and 1: tight loops of the
    calls themselves (functools.partial), so little but MPI is measured."""
    from mpi4py import MPI
    first, second = (send, recv) if comm.Get_rank() == 0 else (recv, send)
    for _ in range(max(iters // 10, 1)):
        first()
        second()
    comm.Barrier()
    start = MPI.Wtime()
    for _ in range(iters):
        first()
        second()
    return (MPI.Wtime() - start) / iters / 2


def measure(quick):
    from functools import partial
    import numpy
    from mpi4py import MPI
    comm = MPI.COMM_WORLD
    rank = comm.Get_rank()
    if comm.Get_size() != 2:
        sys.exit('pybench.py: run it on 2 processes (mpiexec -n 2)')
    peer = 1 - rank
    pick = 1 if quick else 0
    out = {}
    obj = {'a': 7, 'b': 3.14}
    out['dict_us'] = _pingpong(comm, ITERS['dict'][pick], partial(comm.send, obj, peer, 1),
                               partial(comm.recv, None, peer, 1)) * 1e6
    for key, nbytes in (('8', 8), ('64K', 64 << 10), ('4M', 4 << 20)):
        sbuf, rbuf = numpy.ones(nbytes, 'B'), numpy.empty(nbytes, 'B')
        seconds = _pingpong(comm, ITERS['small' if nbytes == 8 else key][pick],
                            partial(comm.Send, sbuf, peer, 2),
                            partial(comm.Recv, rbuf, peer, 2))
        out[f'Send{key}_us'] = seconds * 1e6
        if nbytes > 8:
            out[f'Send{key}_MBs'] = nbytes / seconds / 1e6
    try:
        out['allreduce_us'] = _timed(comm, ITERS['allreduce'][pick],
                                     partial(comm.allreduce, rank)) * 1e6
        sarr, rarr = numpy.ones(1 << 17), numpy.empty(1 << 17)
        out['Allreduce1M_us'] = _timed(comm, ITERS['Allreduce'][pick],
                                       partial(comm.Allreduce, sarr, rarr)) * 1e6
    except AttributeError as exc:  # an mpi4py without them: their rows show '-'
        print(f'pybench.py: {exc}', file=sys.stderr)
    if rank == 0:
        for name, value in out.items():
            print(f'{name} {value:.4g} {ROWS[name][1]}')


def _num(value):
    return f'{value:.0f}' if value >= 100 else f'{value:.3g}'


def table(paths):
    """Markdown table: medians of each file's values, ratio of the first column to the
    second."""
    columns = []
    for path in paths:
        values = {}
        with open(path, encoding='utf-8') as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[0] in ROWS:
                    values.setdefault(parts[0], []).append(float(parts[1]))
        columns.append({k: (statistics.median(v), len(v)) for k, v in values.items()})
    names = [p.rsplit('/', 1)[-1].rsplit('.', 1)[0] for p in paths]
    head = ['measurement', 'unit', *names] + (['ratio'] if len(paths) == 2 else [])
    print('| ' + ' | '.join(head) + ' |')
    print('|' + '---|' * len(head))
    for name, (label, unit, better) in ROWS.items():
        cells = [_num(c[name][0]) if name in c else '-' for c in columns]
        if len(paths) == 2:
            a, b = (c.get(name, (None,))[0] for c in columns)
            cells.append(f'{a / b:.2f}x' if a and b else '-')
        print(f'| {label} | {unit} ({better}er is better) | ' + ' | '.join(cells) + ' |')
    reps = '/'.join(map(str, sorted({n for c in columns for _, n in c.values()})))
    ratio = f'; ratio = {names[0]} / {names[1]}' if len(paths) == 2 else ''
    print(f'\nEach cell: the median of {reps} runs{ratio}.')


if __name__ == '__main__':
    if sys.argv[1:2] == ['--table']:
        table(sys.argv[2:])
    else:
        measure('--quick' in sys.argv[1:])
