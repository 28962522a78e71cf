# mpi4py manual, 3.3 Collective Communication: parallel matrix-vector product. The
# function is the manual's; the driver below it (not in the manual) runs and checks it.
from mpi4py import MPI
import numpy

def matvec(comm, A, x):
    m = A.shape[0] # local rows
    p = comm.Get_size()
    xg = numpy.zeros(m*p, dtype='d')
    comm.Allgather([x, MPI.DOUBLE],
                  [xg, MPI.DOUBLE])
    y = numpy.dot(A, xg)
    return y


if __name__ == '__main__':
    # Each rank holds m rows of the n x n matrix and the matching m entries of x.
    comm = MPI.COMM_WORLD
    p, rank, m = comm.Get_size(), comm.Get_rank(), 3
    n = m * p
    A_full = numpy.arange(n * n, dtype='d').reshape(n, n) % 7
    x_full = numpy.arange(n, dtype='d')
    rows = slice(rank * m, (rank + 1) * m)
    y = matvec(comm, A_full[rows], x_full[rows])
    assert numpy.allclose(y, numpy.dot(A_full, x_full)[rows])
