#!/usr/bin/env bash
# The main job: builds LiteMPI and runs C programs under its mpiexec, including more ranks
# than cores, and the mpi4py manual's installation check with LiteMPI's Python module.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh build
run() { echo "\$ $*"; "$@"; echo; }
run build/bin/mpiexec -n 4 build/examples/hello
run build/bin/mpiexec -n 4 build/examples/cpi
run build/bin/mpiexec -n 8 --label build/examples/ring
run build/bin/mpicc -show
py=$(sed -n 's/^LITEMPI_PYTHON:INTERNAL=//p' build/CMakeCache.txt)
if [ -n "$py" ]; then
    run env PYTHONPATH=build/python build/bin/mpiexec -n 5 "$py" -m mpi4py.bench helloworld
    run env PYTHONPATH=build/python build/bin/mpiexec -n 4 "$py" -c \
        "from mpi4py import MPI; c = MPI.COMM_WORLD; s = c.allreduce(c.rank); c.rank or print('sum of ranks:', s)"
fi
