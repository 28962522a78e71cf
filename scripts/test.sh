#!/usr/bin/env bash
# Builds LiteMPI and runs every test: the release build's whole ctest suite, then an
# AddressSanitizer+UBSan build running the unit tests and the 2-rank multi-rank tests.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== release build"
scripts/build.sh build
ctest --test-dir build -j"$jobs" --output-on-failure --timeout 300

echo "== sanitizer build (address,undefined)"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DLITEMPI_SANITIZE=address,undefined
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build-asan -j"$jobs" --output-on-failure --timeout 300 -L 'unit|np2'
