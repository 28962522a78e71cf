#!/usr/bin/env bash
# startup.sh: wall time of a short command (an MPI hello), averaged over several runs.
#
#   bench/startup.sh [-r runs] [-T timeout_s] command [args...]
#   bench/startup.sh -r 10 mpiexec -n 2 ./hello      # launcher + 2 ranks
#   bench/startup.sh -r 10 ./hello                   # singleton init
#
# One untimed run first (page cache, dynamic loader), then `runs` timed ones (default
# 10). Times come from bash's $EPOCHREALTIME around each run, so no helper process
# is counted. The command's output goes to /dev/null; a failing or timed-out run
# makes the script exit non-zero after printing what it has.
# Output: "avg_ms X  min_ms Y  max_ms Z  runs N".
set -u

runs=10
limit=60
while getopts "r:T:h" opt; do
    case $opt in
    r) runs=$OPTARG ;;
    T) limit=$OPTARG ;;
    *) echo "usage: $0 [-r runs] [-T timeout_s] command [args...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ] || ! [ "$runs" -gt 0 ] 2>/dev/null; then
    echo "usage: $0 [-r runs] [-T timeout_s] command [args...]" >&2
    exit 2
fi
if [ -z "${EPOCHREALTIME:-}" ]; then
    echo "startup.sh: needs bash >= 5 (EPOCHREALTIME)" >&2
    exit 2
fi

# Microseconds since the epoch from $EPOCHREALTIME ("sec.usec", locale may use a comma).
now_us() {
    local t=${EPOCHREALTIME/,/.}
    echo $(( ${t%.*} * 1000000 + 10#${t#*.} ))
}

if ! timeout -k 5 "$limit" "$@" >/dev/null 2>&1; then
    echo "startup.sh: warm-up run failed: $*" >&2
    exit 1
fi

total=0 min=-1 max=0 done=0 status=0
for ((i = 0; i < runs; i++)); do
    t0=$(now_us)
    timeout -k 5 "$limit" "$@" >/dev/null 2>&1
    rc=$?
    t1=$(now_us)
    if [ $rc -ne 0 ]; then
        echo "startup.sh: run $((i + 1)) exited $rc: $*" >&2
        status=1
        break
    fi
    dt=$((t1 - t0))
    total=$((total + dt))
    [ $min -lt 0 ] || [ $dt -lt $min ] && min=$dt
    [ $dt -gt $max ] && max=$dt
    done=$((done + 1))
done

if [ $done -gt 0 ]; then
    awk -v t="$total" -v n="$done" -v lo="$min" -v hi="$max" 'BEGIN {
        printf "avg_ms %.1f  min_ms %.1f  max_ms %.1f  runs %d\n", t / n / 1000, lo / 1000, hi / 1000, n }'
fi
exit $status
