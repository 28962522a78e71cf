#!/usr/bin/env bash
# The main job: builds LiteMPI and runs C programs under its mpiexec, including more ranks
# than cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh build
run() { echo "\$ $*"; "$@"; echo; }
run build/bin/mpiexec -n 4 build/examples/hello
run build/bin/mpiexec -n 4 build/examples/cpi
run build/bin/mpiexec -n 8 --label build/examples/ring
run build/bin/mpicc -show
