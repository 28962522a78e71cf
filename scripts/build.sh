#!/usr/bin/env bash
# Configures and builds LiteMPI into ./build (or $1) with warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -DLITEMPI_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
