#!/usr/bin/env bash
# run.sh: LiteMPI's mpi4py and Debian's python3-mpi4py over Open MPI, side by side.
#
#   bench/py/run.sh [--quick] [--reps N] [LITEMPI_BUILD]
#
# Runs bench/py/pybench.py on 2 processes N times (default 5; --quick: 3 runs of few
# iterations) with each, and times `mpiexec -n 2 python3 -c 'from mpi4py import MPI'`
# N times; prints a table of medians.
#   litempi  PYTHONPATH=$LITEMPI_BUILD/python $LITEMPI_BUILD/bin/mpiexec -n 2 /usr/bin/python3
#   openmpi  mpiexec.openmpi --allow-run-as-root --oversubscribe -n 2 /usr/bin/python3, with
#            PYTHONPATH unset so Debian's mpi4py is imported (skipped when not installed:
#            apt-get install python3-mpi4py openmpi-bin)
# Raw outputs go to $LITEMPI_BUILD/bench-results/py-<date-time>/.
set -u

usage() {
    sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=${PYTHON:-/usr/bin/python3}
quick=""
reps=""
build=${LITEMPI_BUILD:-./build}
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=--quick ;;
    --reps) [ $# -ge 2 ] || usage; reps=$2; shift ;;
    --reps=*) reps=${1#--reps=} ;;
    -h | --help) usage ;;
    -*) echo "run.sh: unknown option $1" >&2; usage ;;
    *) build=$1 ;;
    esac
    shift
done
[ -n "$reps" ] || reps=$([ -n "$quick" ] && echo 3 || echo 5)
build=$(realpath -m "$build")
results=$build/bench-results/py-$(date +%Y%m%d-%H%M%S)
mkdir -p "$results" || exit 1

litempi() { PYTHONPATH=$build/python "$build/bin/mpiexec" -n 2 --timeout 300 "$PY" "$@"; }
openmpi() {
    env -u PYTHONPATH timeout 300 mpiexec.openmpi --allow-run-as-root --oversubscribe -n 2 \
        "$PY" "$@"
}

mpis=()
if [ -x "$build/bin/mpiexec" ] && [ -d "$build/python/mpi4py" ]; then
    mpis+=(litempi)
else
    echo "run.sh: no LiteMPI build with the mpi4py module in $build" >&2
fi
if command -v mpiexec.openmpi >/dev/null && env -u PYTHONPATH "$PY" -c 'import mpi4py' 2>/dev/null; then
    mpis+=(openmpi)
else
    echo "run.sh: Open MPI or Debian's mpi4py missing: its column is skipped" >&2
fi
[ ${#mpis[@]} -gt 0 ] || exit 1

{
    echo "date: $(date)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), $(nproc) cores"
    echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$results/env.txt"

for rep in $(seq "$reps"); do
    for mpi in "${mpis[@]}"; do
        start=$(date +%s%N)
        $mpi -c 'from mpi4py import MPI' >>"$results/$mpi.log" 2>&1 &&
            echo "import_ms $(( ($(date +%s%N) - start) / 1000000 )) ms" >>"$results/$mpi.txt"
        $mpi "$SRC/bench/py/pybench.py" $quick >>"$results/$mpi.txt" 2>>"$results/$mpi.log" ||
            echo "run.sh: $mpi run $rep failed (see $results/$mpi.log)" >&2
    done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/env.txt"

files=()
for mpi in "${mpis[@]}"; do files+=("$results/$mpi.txt"); done
"$PY" "$SRC/bench/py/pybench.py" --table "${files[@]}" | tee "$results/table.md"
echo "(raw outputs: $results)"
