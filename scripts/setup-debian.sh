#!/usr/bin/env bash
# Installs what LiteMPI needs on a fresh Debian 12 machine: the toolchain and the four
# dependencies (CMake, libevent, hwloc, CMocka), Python for the tests, and Debian's MPICH
# (its mpiexec.hydra runs one test: LiteMPI programs must start under Hydra too).
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config libevent-dev libhwloc-dev libcmocka-dev \
    python3 python3-dev python3-numpy python3-pytest mpich libmpich-dev >/dev/null
echo "setup-debian: dependencies installed"
