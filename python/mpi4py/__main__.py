"""``python -m mpi4py``: run a script, module, command or stdin under MPI (see run.py)."""
from .run import main

main()
