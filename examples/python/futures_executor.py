# mpi4py manual, 4.2 MPIPoolExecutor: the examples of submit(), map(), starmap() and
# shutdown(), verbatim, one after the other under the main guard that the section's note
# asks for (the workers import this script). Run it as
#   mpiexec -n N python -m mpi4py.futures futures_executor.py
from mpi4py.futures import MPIPoolExecutor

if __name__ == '__main__':

    executor = MPIPoolExecutor(max_workers=1)
    future = executor.submit(pow, 321, 1234)
    print(future.result())

    executor = MPIPoolExecutor(max_workers=3)
    for result in executor.map(pow, [2]*32, range(32)):
        print(result)

    executor = MPIPoolExecutor(max_workers=3)
    iterable = ((2, n) for n in range(32))
    for result in executor.starmap(pow, iterable):
        print(result)

    import time
    with MPIPoolExecutor(max_workers=1) as executor:
        future = executor.submit(time.sleep, 2)
    assert future.done()
