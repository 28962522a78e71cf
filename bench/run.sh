#!/usr/bin/env bash
# run.sh: build the benchmarks with every MPI found, run them, print one comparison table.
#
#   bench/run.sh [--quick] [--only litempi|mpich|openmpi] [--results DIR] [LITEMPI_BUILD]
#
# MPIs, each skipped when it is not installed:
#   litempi  the build tree given as argument or $LITEMPI_BUILD (default ./build):
#            ${LITEMPI_BUILD}/bin/mpicc and bin/mpiexec; without the wrapper it compiles with
#            cc -I include -L build/lib -llitempi, without our mpiexec it borrows MPICH's
#            Hydra (which speaks the same PMI-1 wire protocol).
#   mpich    mpicc.mpich + mpiexec.mpich
#   openmpi  mpicc.openmpi + mpirun.openmpi --allow-run-as-root --oversubscribe
#            (oversubscription turns on its yield_when_idle; the 8-rank ring is also run
#            with --mca mpi_yield_when_idle 0, the busy-polling setting, as an extra row)
#
# The "tcp" rows run the point-to-point benchmarks again with every MPI forced onto tcp over
# loopback: LiteMPI with LITEMPI_TRANSPORTS=tcp, Open MPI with --mca pml ob1 --mca btl
# tcp,self, MPICH with MPIR_CVAR_NOLOCAL=1 (no shared memory between local ranks) and its
# network module on tcp (UCX_TLS=tcp,self for ch4:ucx, FI_PROVIDER=tcp for ch4:ofi).
#
# Programs are built into a temporary directory; raw outputs, the command lines, the
# machine's state and the table go to the results directory (default
# ${LITEMPI_BUILD}/bench-results/<date-time>). Every run has a time limit; a run that
# hits it shows "timeout" in its cell, one that fails shows "fail". The default run takes
# about half a minute per MPI (10 s of it the idle test; MPICH's oversubscribed 8-rank runs
# can take up to their time limits); --quick is a smoke run.
set -u

usage() {
    sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$SRC/bench
quick=0
only=""
results=""
build=${LITEMPI_BUILD:-./build}
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1 ;;
    --only) [ $# -ge 2 ] || usage; only=$2; shift ;;
    --only=*) only=${1#--only=} ;;
    --results) [ $# -ge 2 ] || usage; results=$2; shift ;;
    --results=*) results=${1#--results=} ;;
    -h | --help) usage ;;
    -*) echo "run.sh: unknown option $1" >&2; usage ;;
    *) build=$1 ;;
    esac
    shift
done
case $only in "" | litempi | mpich | openmpi) ;; *) echo "run.sh: --only takes litempi, mpich or openmpi" >&2; exit 2 ;; esac
build=$(realpath -m "$build")
[ -n "$results" ] || results=$build/bench-results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$results" || exit 1
results=$(realpath "$results")

# Parameters: normal run and --quick smoke run.
COLL_TESTS=(barrier bcast:1M allreduce:8 allreduce:64K allreduce:1M alltoall:1K)
if [ $quick = 1 ]; then
    PP_ARGS=(-s "0,8,4M" -i 100 -w 10)
    PP_TCP_ARGS=(-s "8" -i 100 -w 10)
    BW_ARGS=(-s "1M,4M" -i 4 -w 1)
    PACK_ARGS=(-s 1M -t 0.1)
    RING_ARGS=(-t 0.2)
    IDLE_ARGS=(-t 1)
    COLL_ARGS=(-t 0.05 -w 5)
    STARTUP_RUNS=3
else
    PP_ARGS=(-s "0,8,4M")
    PP_TCP_ARGS=(-s "8")
    BW_ARGS=(-s "1M,4M")
    PACK_ARGS=(-s 1M -t 0.5)
    RING_ARGS=(-t 1)
    IDLE_ARGS=(-t 10)
    COLL_ARGS=(-t 0.3)
    STARTUP_RUNS=10
fi
LIMIT=${BENCH_LIMIT:-120}              # seconds per benchmark run
RING8_LIMIT=${BENCH_RING8_LIMIT:-60}  # MPICH busy-polls when oversubscribed: cap the 8-rank ring
COLL8_LIMIT=${BENCH_COLL8_LIMIT:-60}  # ... and the 8-rank collective runs

TMP=$(mktemp -d "${TMPDIR:-/tmp}/litempi-bench.XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
log() { echo "run.sh: $*" >&2; }

# ---------------------------------------------------------------- which MPIs
MPIS=()
declare -A LABEL=([litempi]=litempi [mpich]=mpich [openmpi]=openmpi)
LM_MPICC=""
LM_MPIEXEC=()
if [ -z "$only" ] || [ "$only" = litempi ]; then
    if [ -x "$build/bin/mpicc" ] || [ -e "$build/lib/liblitempi.so" ]; then
        [ -x "$build/bin/mpicc" ] && LM_MPICC=$build/bin/mpicc
        if [ -x "$build/bin/mpiexec" ]; then
            LM_MPIEXEC=("$build/bin/mpiexec")
        elif command -v mpiexec.mpich >/dev/null; then
            LM_MPIEXEC=(mpiexec.mpich)
            LABEL[litempi]="litempi (hydra)"
            log "litempi: no $build/bin/mpiexec, using mpiexec.mpich (Hydra, PMI-1)"
        fi
        if [ ${#LM_MPIEXEC[@]} -gt 0 ]; then
            MPIS+=(litempi)
        else
            log "litempi: no launcher found, skipped"
        fi
    else
        log "litempi: no build in $build (bin/mpicc or lib/liblitempi.so), skipped"
    fi
fi
if [ -z "$only" ] || [ "$only" = mpich ]; then
    if command -v mpicc.mpich >/dev/null && command -v mpiexec.mpich >/dev/null; then
        MPIS+=(mpich)
    else
        log "mpich: mpicc.mpich/mpiexec.mpich not installed, skipped"
    fi
fi
if [ -z "$only" ] || [ "$only" = openmpi ]; then
    if command -v mpicc.openmpi >/dev/null && command -v mpirun.openmpi >/dev/null; then
        MPIS+=(openmpi)
    else
        log "openmpi: mpicc.openmpi/mpirun.openmpi not installed, skipped"
    fi
fi
if [ ${#MPIS[@]} -eq 0 ]; then
    log "no MPI to benchmark"
    exit 1
fi

# compile MPI SOURCE OUTPUT
compile() {
    local mpi=$1 src=$2 out=$3
    case $mpi in
    litempi)
        if [ -n "$LM_MPICC" ]; then
            "$LM_MPICC" -O2 "$src" -o "$out"
        else
            cc -O2 -I"$SRC/include" "$src" -o "$out" -L"$build/lib" -llitempi \
                -Wl,-rpath,"$build/lib"
        fi ;;
    mpich) mpicc.mpich -O2 "$src" -o "$out" ;;
    openmpi) mpicc.openmpi -O2 "$src" -o "$out" ;;
    esac
}

# MPICH's way onto tcp depends on its device (mpichversion says which).
MPICH_DEVICE=$(command -v mpichversion >/dev/null && mpichversion | sed -n 's/^MPICH Device:[[:space:]]*//p')
case $MPICH_DEVICE in
*ucx*) MPICH_TCP_ENV=(MPIR_CVAR_NOLOCAL=1 UCX_TLS=tcp,self) ;;
*ofi*) MPICH_TCP_ENV=(MPIR_CVAR_NOLOCAL=1 FI_PROVIDER=tcp) ;;
*) MPICH_TCP_ENV=(MPIR_CVAR_NOLOCAL=1 MPIR_CVAR_CH3_NOLOCAL=1) ;;
esac

# launcher MPI: sets LAUNCH to the launcher command line (without -n)
launcher() {
    case $1 in
    litempi) LAUNCH=("${LM_MPIEXEC[@]}") ;;
    litempi-tcp) LAUNCH=(env LITEMPI_TRANSPORTS=tcp "${LM_MPIEXEC[@]}") ;;
    mpich) LAUNCH=(mpiexec.mpich) ;;
    mpich-tcp) LAUNCH=(env "${MPICH_TCP_ENV[@]}" mpiexec.mpich) ;;
    openmpi) LAUNCH=(mpirun.openmpi --allow-run-as-root --oversubscribe) ;;
    openmpi-tcp) LAUNCH=(mpirun.openmpi --allow-run-as-root --oversubscribe --mca pml ob1
                         --mca btl tcp,self) ;;
    openmpi-noyield) LAUNCH=(mpirun.openmpi --allow-run-as-root --oversubscribe
                             --mca mpi_yield_when_idle 0) ;;
    esac
}

# Kill leftovers of a run that timed out: only processes running one of our own
# freshly built binaries (their executable lies in $TMP), by pid.
reap_strays() {
    local p exe
    for p in /proc/[0-9]*; do
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        case $exe in "$TMP"/*) kill -9 "${p#/proc/}" 2>/dev/null ;; esac
    done
}

# bench NAME LIMIT MPI-OR-VARIANT NRANKS PROGRAM ARGS...: run under the launcher, raw
# output to $results/<mpi>/NAME.txt; sets STATUS to ok, timeout or fail and OUT to the file.
bench() {
    local name=$1 limit=$2 mpi=$3 n=$4
    shift 4
    launcher "$mpi"
    OUT=$results/${mpi%-*}/$name.txt
    log "[$mpi] $name"
    echo "\$ ${LAUNCH[*]} -n $n $*" >"$OUT"
    timeout -k 5 "$limit" "${LAUNCH[@]}" -n "$n" "$@" >>"$OUT" 2>&1
    finish_status $?
}

finish_status() {
    case $1 in
    0) STATUS=ok ;;
    124 | 137) STATUS=timeout; echo "# timed out" >>"$OUT"; reap_strays ;;
    *) STATUS=fail; echo "# exit status $1" >>"$OUT" ;;
    esac
    [ $STATUS = ok ] || log "  -> $STATUS (see $OUT)"
}

# Number formatting for the table: about 3 significant digits.
fmt() {
    awk -v v="$1" 'BEGIN { if (v == "") exit; v += 0
        if (v < 1) printf "%.3f", v; else if (v < 10) printf "%.2f", v; else if (v < 1000) printf "%.1f", v; else printf "%.0f", v }'
}

# column N of the data line (not a # comment) whose first field is KEY ("" = first line)
field() {
    awk -v key="$2" -v col="$3" '!/^[#$]/ && NF >= col && (key == "" || $1 == key) {
        print $col; exit }' "$1"
}

declare -A CELL
set_cell() { CELL["$1|$2"]=$3; }

# value_or_status ROW MPI VALUE: the formatted value when the run succeeded, else its status
put() {
    local row=$1 mpi=$2 v=$3
    if [ "$STATUS" != ok ]; then
        set_cell "$row" "$mpi" "$STATUS"
    elif [ -z "$v" ]; then
        set_cell "$row" "$mpi" "?"
    else
        set_cell "$row" "$mpi" "$v"
    fi
}

# coll rows: "<test> <n> ranks (µs)" for every test of COLL_TESTS at 2 and 8 ranks
coll_row() {
    local t=$1 n=$2 what
    case $t in
    barrier) what="barrier" ;;
    bcast:1M) what="bcast 1 MiB" ;;
    allreduce:8) what="allreduce 8 B" ;;
    allreduce:64K) what="allreduce 64 KiB" ;;
    allreduce:1M) what="allreduce 1 MiB" ;;
    alltoall:1K) what="alltoall 1 KiB" ;;
    *) what=$t ;;
    esac
    [ "$n" = 2 ] && echo "$what, 2 ranks (µs)" || echo "$what, 8 ranks on 2 cores (µs)"
}
COLL_ROWS=()
for n in 2 8; do
    for t in "${COLL_TESTS[@]}"; do COLL_ROWS+=("$(coll_row "$t" $n)"); done
done
LOOP_ROW="1000 × (allreduce 8 B + barrier), 8 ranks (s)"
LOOPRUN_ROW="  the whole mpiexec -n 8 run of it (s)"

ROWS=("latency 0 B (µs)" "latency 8 B (µs)" "latency 4 MiB (µs)"
      "bandwidth 1 MiB" "bandwidth 4 MiB"
      "ring 2 ranks (µs/hop)" "ring 8 ranks on 2 cores (µs/hop)"
      "ring 8 ranks, Open MPI yield off (µs/hop)"
      "tcp latency 8 B (µs)" "tcp bandwidth 1 MiB" "tcp bandwidth 4 MiB"
      "tcp ring 2 ranks (µs/hop)"
      "${COLL_ROWS[@]}" "$LOOP_ROW" "$LOOPRUN_ROW"
      "idle rank CPU %" "mpiexec -n 2 hello (ms)" "singleton hello (ms)"
      "pack vector 1 MiB (GB/s, x memcpy)" "pack 3-D face x 1 MiB" "pack 3-D face y 1 MiB"
      "unpack vector 1 MiB" "vector send/recv 1 MiB (µs)" "contiguous send/recv 1 MiB (µs)")

{
    echo "date: $(date -Is)"
    echo "host: $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {print int($2/1024) " MiB"}' /proc/meminfo)"
    echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "litempi build: $build ($(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo no git))"
    command -v mpichversion >/dev/null && echo "mpich: $(mpichversion | awk -F'\t' '/Version/ {print $2; exit}')"
    command -v ompi_info >/dev/null && echo "openmpi: $(ompi_info --version 2>/dev/null | head -1)"
    [ -n "$MPICH_DEVICE" ] && echo "mpich device: $MPICH_DEVICE; tcp rows with: ${MPICH_TCP_ENV[*]}"
    echo "mode: $([ $quick = 1 ] && echo quick || echo full); MPIs: ${MPIS[*]}"
    echo "litempi compiler: ${LM_MPICC:-cc -I$SRC/include -L$build/lib -llitempi}; launcher: ${LM_MPIEXEC[*]:-none}"
    env | grep -E '^(LITEMPI_|MPIR_CVAR_|OMPI_MCA_|HYDRA_)' | sed 's/^/env: /' || true
} >"$results/env.txt"

# ---------------------------------------------------------------- run
for mpi in "${MPIS[@]}"; do
    mkdir -p "$TMP/$mpi" "$results/$mpi"
    declare -A built=()
    for prog in pingpong bandwidth ring idle pack coll hello; do
        src=$BENCH/$prog.c
        [ $prog = hello ] && src=$SRC/examples/c/hello.c
        if compile "$mpi" "$src" "$TMP/$mpi/$prog" >"$results/$mpi/build-$prog.txt" 2>&1; then
            built[$prog]=1
        else
            log "[$mpi] cannot build $prog (see $results/$mpi/build-$prog.txt)"
        fi
    done
    bin=$TMP/$mpi

    # A program that did not build marks its rows "no build"; the others still run.
    STATUS="no build" OUT=/dev/null
    if [ -n "${built[pingpong]:-}" ]; then
        bench pingpong "$LIMIT" "$mpi" 2 "$bin/pingpong" "${PP_ARGS[@]}"
    fi
    put "latency 0 B (µs)" "$mpi" "$(fmt "$(field "$OUT" 0 2)")"
    put "latency 8 B (µs)" "$mpi" "$(fmt "$(field "$OUT" 8 2)")"
    put "latency 4 MiB (µs)" "$mpi" "$(fmt "$(field "$OUT" 4194304 2)")"

    STATUS="no build" OUT=/dev/null
    if [ -n "${built[bandwidth]:-}" ]; then
        bench bandwidth "$LIMIT" "$mpi" 2 "$bin/bandwidth" "${BW_ARGS[@]}"
    fi
    for s in 1048576:1 4194304:4; do
        mb=$(field "$OUT" "${s%:*}" 2)
        gb=$(field "$OUT" "${s%:*}" 3)
        put "bandwidth ${s#*:} MiB" "$mpi" \
            "${mb:+$(fmt "$mb") MB/s ($(awk -v g="$gb" 'BEGIN {printf "%.2f", g}') GB/s)}"
    done

    STATUS="no build" OUT=/dev/null
    [ -n "${built[ring]:-}" ] && bench ring2 "$LIMIT" "$mpi" 2 "$bin/ring" "${RING_ARGS[@]}"
    put "ring 2 ranks (µs/hop)" "$mpi" "$(fmt "$(field "$OUT" "" 5)")"

    [ -n "${built[ring]:-}" ] && bench ring8 "$RING8_LIMIT" "$mpi" 8 "$bin/ring" "${RING_ARGS[@]}"
    put "ring 8 ranks on 2 cores (µs/hop)" "$mpi" "$(fmt "$(field "$OUT" "" 5)")"
    if [ "$mpi" = openmpi ]; then
        [ -n "${built[ring]:-}" ] &&
            bench ring8-noyield "$RING8_LIMIT" openmpi-noyield 8 "$bin/ring" "${RING_ARGS[@]}"
        put "ring 8 ranks, Open MPI yield off (µs/hop)" "$mpi" \
            "$(fmt "$(field "$OUT" "" 5)")"
    fi

    # The same point-to-point rows with the MPI forced onto tcp (loopback).
    STATUS="no build" OUT=/dev/null
    [ -n "${built[pingpong]:-}" ] &&
        bench pingpong-tcp "$LIMIT" "$mpi-tcp" 2 "$bin/pingpong" "${PP_TCP_ARGS[@]}"
    put "tcp latency 8 B (µs)" "$mpi" "$(fmt "$(field "$OUT" 8 2)")"
    STATUS="no build" OUT=/dev/null
    [ -n "${built[bandwidth]:-}" ] &&
        bench bandwidth-tcp "$LIMIT" "$mpi-tcp" 2 "$bin/bandwidth" "${BW_ARGS[@]}"
    for s in 1048576:1 4194304:4; do
        mb=$(field "$OUT" "${s%:*}" 2)
        gb=$(field "$OUT" "${s%:*}" 3)
        put "tcp bandwidth ${s#*:} MiB" "$mpi" \
            "${mb:+$(fmt "$mb") MB/s ($(awk -v g="$gb" 'BEGIN {printf "%.2f", g}') GB/s)}"
    done
    STATUS="no build" OUT=/dev/null
    [ -n "${built[ring]:-}" ] && bench ring2-tcp "$LIMIT" "$mpi-tcp" 2 "$bin/ring" "${RING_ARGS[@]}"
    put "tcp ring 2 ranks (µs/hop)" "$mpi" "$(fmt "$(field "$OUT" "" 5)")"
    # collectives: name size avg_us iters per line (see bench/coll.c)
    for n in 2 8; do
        STATUS="no build" OUT=/dev/null
        limit=$LIMIT
        [ $n = 8 ] && limit=$COLL8_LIMIT
        [ -n "${built[coll]:-}" ] &&
            bench coll$n "$limit" "$mpi" $n "$bin/coll" "${COLL_ARGS[@]}" "${COLL_TESTS[@]}"
        for t in "${COLL_TESTS[@]}"; do
            name=${t%%:*} size=0
            [ "$name" != "$t" ] && size=$(awk -v s="${t#*:}" 'BEGIN { v = s + 0
                if (s ~ /[kK]$/) v *= 1024; else if (s ~ /[mM]$/) v *= 1048576; print v }')
            put "$(coll_row "$t" $n)" "$mpi" "$(fmt "$(awk -v n="$name" -v s="$size" \
                '$1 == n && $2 == s { print $3; exit }' "$OUT")")"
        done
    done
    # the CI case: 1000 tiny allreduce + barrier at 8 ranks, and the whole job's wall time
    STATUS="no build" OUT=/dev/null
    t0=$(date +%s.%N)
    [ -n "${built[coll]:-}" ] && bench loop8 "$COLL8_LIMIT" "$mpi" 8 "$bin/coll" loop:1000
    t1=$(date +%s.%N)
    put "$LOOP_ROW" "$mpi" "$(fmt "$(awk '$1 == "loop" { print $3; exit }' "$OUT")")"
    put "$LOOPRUN_ROW" "$mpi" "$(fmt "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")"

    STATUS="no build" OUT=/dev/null
    [ -n "${built[idle]:-}" ] && bench idle "$LIMIT" "$mpi" 2 "$bin/idle" "${IDLE_ARGS[@]}"
    put "idle rank CPU %" "$mpi" "$(fmt "$(field "$OUT" "" 4)")"

    # datatype engine: pack throughput against memcpy, vector ping-pong (pack.c)
    STATUS="no build" OUT=/dev/null
    [ -n "${built[pack]:-}" ] && bench pack "$LIMIT" "$mpi" 2 "$bin/pack" "${PACK_ARGS[@]}"
    for k in "vector:pack vector 1 MiB (GB/s, x memcpy)" "face_x:pack 3-D face x 1 MiB" \
             "face_y:pack 3-D face y 1 MiB" "vector_un:unpack vector 1 MiB"; do
        gb=$(field "$OUT" "${k%%:*}" 3)
        fr=$(field "$OUT" "${k%%:*}" 4)
        put "${k#*:}" "$mpi" "${gb:+$(fmt "$gb") ($(awk -v f="$fr" 'BEGIN {printf "%.2f", f}')x)}"
    done
    put "vector send/recv 1 MiB (µs)" "$mpi" "$(fmt "$(field "$OUT" vecpp 3)")"
    put "contiguous send/recv 1 MiB (µs)" "$mpi" "$(fmt "$(field "$OUT" contpp 3)")"

    if [ -z "${built[hello]:-}" ]; then
        STATUS="no build" OUT=/dev/null
        put "mpiexec -n 2 hello (ms)" "$mpi" ""
        put "singleton hello (ms)" "$mpi" ""
        continue
    fi
    launcher "$mpi"
    OUT=$results/$mpi/startup-mpiexec.txt
    log "[$mpi] mpiexec -n 2 hello x$STARTUP_RUNS"
    echo "\$ ${LAUNCH[*]} -n 2 hello (x$STARTUP_RUNS)" >"$OUT"
    "$BENCH/startup.sh" -r $STARTUP_RUNS -T 30 "${LAUNCH[@]}" -n 2 "$bin/hello" >>"$OUT" 2>&1
    finish_status $?
    put "mpiexec -n 2 hello (ms)" "$mpi" "$(awk '$1 == "avg_ms" {print $2}' "$OUT")"

    OUT=$results/$mpi/startup-singleton.txt
    log "[$mpi] singleton hello x$STARTUP_RUNS"
    echo "\$ hello (x$STARTUP_RUNS)" >"$OUT"
    # A singleton must not think it is under a launcher: drop anything PMI-ish we inherited.
    env -u PMI_FD -u PMI_PORT -u PMI_RANK -u PMI_SIZE \
        "$BENCH/startup.sh" -r $STARTUP_RUNS -T 30 "$bin/hello" >>"$OUT" 2>&1
    finish_status $?
    put "singleton hello (ms)" "$mpi" "$(awk '$1 == "avg_ms" {print $2}' "$OUT")"
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$results/env.txt"

# ---------------------------------------------------------------- table
{
    w=0
    for row in "${ROWS[@]}"; do
        l=$(printf '%s' "$row" | wc -m)
        [ "$l" -gt "$w" ] && w=$l
    done
    # pad by characters, not bytes (µ is two bytes)
    pad() { local s=$1 n=$2 l; l=$(printf '%s' "$s" | wc -m); printf '%s%*s' "$s" $((n - l)) ""; }
    line="| $(pad benchmark "$w")"
    sep="|$(printf '%*s' $((w + 2)) '' | tr ' ' -)"
    for mpi in "${MPIS[@]}"; do
        line+=" | $(pad "${LABEL[$mpi]}" 24)"
        sep+="|$(printf '%*s' 26 '' | tr ' ' -)"
    done
    echo "$line |"
    echo "$sep|"
    for row in "${ROWS[@]}"; do
        line="| $(pad "$row" "$w")"
        any=0
        for mpi in "${MPIS[@]}"; do
            v=${CELL["$row|$mpi"]:-—}
            [ "$v" = — ] || any=1
            line+=" | $(pad "$v" 24)"
        done
        [ $any = 1 ] && echo "$line |"
    done
    echo
    echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)$([ $quick = 1 ] && echo ', --quick run'); raw outputs in $results"
} | tee "$results/table.md"
