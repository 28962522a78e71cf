#!/usr/bin/env bash
# Installs what LiteMPI needs on a fresh Debian 12 machine: the toolchain and the four
# dependencies (CMake, libevent, hwloc, CMocka), Python for the mpi4py module and its tests
# (headers, NumPy, pytest; setuptools and pip for the `pip install ./python` test), and
# Debian's MPICH (its mpiexec.hydra runs one test: LiteMPI programs must start under Hydra
# too). bench/py/run.sh also wants python3-mpi4py and openmpi-bin, which CI does not need.
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config libevent-dev libhwloc-dev libcmocka-dev \
    python3 python3-dev python3-numpy python3-pytest python3-setuptools python3-pip \
    mpich libmpich-dev >/dev/null
echo "setup-debian: dependencies installed"
