# mpi4py manual, 4.3 MPICommExecutor: the example, verbatim (the listing breaks across two
# pages there). Run on every rank: mpiexec -n N python futures_commexecutor.py
from mpi4py import MPI
from mpi4py.futures import MPICommExecutor

with MPICommExecutor(MPI.COMM_WORLD, root=0) as executor:
    if executor is not None:
        future = executor.submit(abs, -42)
        assert future.result() == 42
        answer = set(executor.map(abs, [-42, 42]))
        assert answer == {42}
