#!/usr/bin/python3
"""Failure and behaviour tests for LiteMPI's mpiexec (registered with ctest, label "fault").

    run_fault.py --mpiexec PATH --progs DIR CASE      run one case (exit 0 pass, 77 skip)
    run_fault.py --mpiexec PATH --progs DIR --list    list the cases

Each case runs mpiexec on a small program from DIR (pmiprog: a scriptable rank that speaks
PMI by hand; mpi_fault: the same failures inside real MPI calls) and checks the exit status,
the one summary line on stderr (rank, pid, how it died), that every rank is gone, and how
long the job took to end: a failing job must be over within 2 s of the failure (checked
with a margin, since CI machines are slow and shared). Every case ends in a few seconds.
"""
import argparse
import os
import pty
import re
import signal
import subprocess
import sys
import tempfile
import time

MPIEXEC = None
PROGS = None
SKIP = 77
CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Failure(Exception):
    pass


class Result:
    def __init__(self, cmd, rc, out, err, elapsed):
        self.cmd, self.rc, self.out, self.err, self.elapsed = cmd, rc, out, err, elapsed

    def __str__(self):
        return ("command: %s\nexit status: %s after %.2f s\n--- stdout:\n%s--- stderr:\n%s"
                % (" ".join(self.cmd), self.rc, self.elapsed, self.out, self.err))


def prog(name):
    path = os.path.join(PROGS, name)
    if not os.access(path, os.X_OK):
        raise Failure("test program %s was not built" % path)
    return path


def pmiprog():
    return prog("fault_pmiprog")


def mpi_prog():
    path = os.path.join(PROGS, "fault_mpi")
    if not os.access(path, os.X_OK):
        print("SKIP: %s not built (the MPI library is not available)" % path)
        sys.exit(SKIP)
    return path


def run(args, stdin=subprocess.DEVNULL, env=None, timeout=15, cwd=None):
    cmd = [MPIEXEC] + args
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=env, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired as e:
        raise Failure("mpiexec did not end within %d s: %s\n--- stdout:\n%s\n--- stderr:\n%s"
                      % (timeout, " ".join(cmd), e.stdout, e.stderr))
    return Result(cmd, p.returncode, p.stdout.decode(errors="replace"),
                  p.stderr.decode(errors="replace"), time.monotonic() - t0)


def check(res, cond, what):
    if not cond:
        raise Failure("%s\n%s" % (what, res))


def expect(res, status=None, stderr_re=None, stdout_re=None, max_s=None, min_s=None):
    if status is not None:
        check(res, res.rc == status, "expected exit status %d" % status)
    for pattern, text, name in ((stderr_re, res.err, "stderr"), (stdout_re, res.out, "stdout")):
        for pat in ([pattern] if isinstance(pattern, str) else (pattern or [])):
            check(res, re.search(pat, text, re.M), "%s does not match /%s/" % (name, pat))
    if max_s is not None:
        check(res, res.elapsed < max_s, "took %.2f s, limit %.1f s" % (res.elapsed, max_s))
    if min_s is not None:
        check(res, res.elapsed >= min_s, "took %.2f s, expected at least %.1f s"
              % (res.elapsed, min_s))


def rank_pids(text):
    """{rank: pid} from 'rank R pid P' / 'rank R of S pid P' lines."""
    return {int(m.group(1)): int(m.group(2))
            for m in re.finditer(r"^rank (\d+)(?: of \d+)? pid (\d+)$", text, re.M)}


def assert_gone(res, pids):
    for rank, pid in pids.items():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        # a zombie would be mpiexec's bug too, but the pid could also have been reused
        try:
            with open("/proc/%d/stat" % pid) as f:
                state = f.read().split(")")[-1].split()[0]
        except OSError:
            continue
        raise Failure("rank %d (pid %d) still exists (state %s) after mpiexec ended\n%s"
                      % (rank, pid, state, res))


def one_summary(res, pattern):
    """Exactly one 'mpiexec: ' line on stderr, matching pattern."""
    lines = [l for l in res.err.splitlines() if l.startswith("mpiexec: ")]
    check(res, len(lines) == 1, "expected exactly one mpiexec summary line, got %d"
          % len(lines))
    check(res, re.search(pattern, lines[0]), "summary does not match /%s/" % pattern)
    return lines[0]


def check_named_pid(res, line, rank):
    m = re.search(r"rank %d \(pid (\d+)\)" % rank, line)
    check(res, m, "summary does not name rank %d with its pid" % rank)
    pids = rank_pids(res.out)
    if rank in pids:
        check(res, int(m.group(1)) == pids[rank], "summary names pid %s, rank %d had pid %d"
              % (m.group(1), rank, pids[rank]))


# ---------------------------------------------------------------- failures (pmiprog)

@case
def segv():
    r = run(["-n", "3", pmiprog(), "init", "pid", "fence", "r1:segv", "pause"])
    expect(r, status=139, max_s=2.5)
    line = one_summary(r, r"^mpiexec: rank 1 \(pid \d+\) was killed by signal 11 \(SIGSEGV\)"
                          r"; ended ranks 0,2$")
    check_named_pid(r, line, 1)
    assert_gone(r, rank_pids(r.out))


@case
def exit_code_3():
    r = run(["-n", "3", pmiprog(), "init", "pid", "fence", "r1:exit:3", "pause"])
    expect(r, status=3, max_s=2.5)
    line = one_summary(r, r"^mpiexec: rank 1 \(pid \d+\) exited with code 3 before "
                          r"MPI_Finalize; ended ranks 0,2$")
    check_named_pid(r, line, 1)
    assert_gone(r, rank_pids(r.out))


@case
def abort_7():
    r = run(["-n", "3", pmiprog(), "init", "pid", "fence", "r1:abort:7:rank 1 gives up: x = 1",
             "pause"])
    expect(r, status=7, max_s=2.5)
    line = one_summary(r, r"^mpiexec: rank 1 \(pid \d+\) called MPI_Abort with code 7: "
                          r"rank 1 gives up: x = 1$")
    check_named_pid(r, line, 1)
    assert_gone(r, rank_pids(r.out))


@case
def abort_code_mapping():
    # 0 stays 0; out-of-range codes map into 1..255 (256 -> 1, -1 -> 255)
    for code, status in ((0, 0), (256, 1), (-1, 255), (300, 44)):
        r = run(["-n", "2", pmiprog(), "init", "r0:abort:%d:x" % code, "pause"])
        expect(r, status=status, max_s=2.5,
               stderr_re=r"called MPI_Abort with code %d: x$" % code)


@case
def exit_without_finalize():
    r = run(["-n", "3", pmiprog(), "init", "pid", "fence", "r2:exit:0", "pause"])
    expect(r, status=1, max_s=2.5)
    line = one_summary(r, r"^mpiexec: rank 2 \(pid \d+\) exited without calling "
                          r"MPI_Finalize; ended ranks 0,1$")
    check_named_pid(r, line, 2)
    assert_gone(r, rank_pids(r.out))


@case
def exit_before_init_blocks_fence():
    # rank 1 exits 0 without MPI while the others wait for it in MPI_Init's fence
    r = run(["-n", "3", pmiprog(), "r1:exit:0", "init", "fence", "finalize"])
    expect(r, status=1, max_s=2.5)
    # rank 2 may or may not have reached the fence when the launcher notices
    one_summary(r, r"^mpiexec: ranks? (0|2|0,2) waits? in a PMI fence .* rank 1 \(pid \d+\) "
                   r"can never join: it exited with code 0 without calling MPI_Init; "
                   r"ended ranks 0,2$")


@case
def nonzero_after_finalize():
    # sets the status, ends nothing: every rank completes
    r = run(["-n", "3", pmiprog(), "init", "kvs", "finalize", "r2:exit:5", "print:done"])
    expect(r, status=5, max_s=2.5, stdout_re=[r"^rank 0: done$", r"^rank 1: done$"])
    one_summary(r, r"^mpiexec: rank 2 \(pid \d+\) exited with code 5 after MPI_Finalize$")


@case
def sigkill_escalation():
    # rank 0 ignores SIGTERM: it must get SIGKILL about 1 s later
    r = run(["-n", "2", pmiprog(), "init", "pid", "r0:ignoreterm", "fence", "r1:exit:3",
             "pause"])
    expect(r, status=3, min_s=0.9, max_s=2.5)
    one_summary(r, r"^mpiexec: rank 1 \(pid \d+\) exited with code 3 before MPI_Finalize; "
                   r"ended ranks 0$")
    assert_gone(r, rank_pids(r.out))


@case
def timeout():
    t = 1
    r = run(["--timeout", str(t), "-n", "4", pmiprog(), "r0:init", "r1:init", "r3:init",
             "pid", "r3:finalize", "pause"])
    expect(r, status=124, min_s=t - 0.1, max_s=t + 2)
    one_summary(r, r"^mpiexec: job timed out after 1 s; ranks still running: 0-3 \(of 4\); "
                   r"in MPI_Finalize: 3; never called MPI_Init: 2$")
    assert_gone(r, rank_pids(r.out))


@case
def timeout_env():
    env = dict(os.environ, MPIEXEC_TIMEOUT="0.5")
    r = run(["-n", "2", "sh", "-c", "trap '' TERM; sleep 20"], env=env)
    # the ranks ignore SIGTERM: SIGKILL 1 s after the timeout
    expect(r, status=124, min_s=1.4, max_s=0.5 + 2.5)
    one_summary(r, r"^mpiexec: job timed out after 0.5 s; ranks still running: 0,1 \(of 2\)")


def start_and_signal(sig, args, nranks):
    """Starts mpiexec, waits until every rank printed its pid, sends sig to mpiexec."""
    cmd = [MPIEXEC] + args
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    out = b""
    deadline = time.monotonic() + 5
    while len(rank_pids(out.decode())) < nranks:
        if time.monotonic() > deadline:
            p.kill()
            raise Failure("ranks did not start: %s\n%s" % (" ".join(cmd), out))
        line = p.stdout.readline()
        if not line:
            break
        out += line
    t0 = time.monotonic()
    p.send_signal(sig)
    try:
        rest, err = p.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        raise Failure("mpiexec did not end within 5 s of %s" % signal.Signals(sig).name)
    res = Result(cmd, p.returncode, (out + rest).decode(), err.decode(), time.monotonic() - t0)
    return res


@case
def sigterm_to_mpiexec():
    r = start_and_signal(signal.SIGTERM, ["-n", "3", pmiprog(), "init", "pid", "pause"], 3)
    expect(r, status=143, max_s=2.5)
    one_summary(r, r"^mpiexec: received SIGTERM; sent it to ranks 0-2$")
    assert_gone(r, rank_pids(r.out))


@case
def sigint_to_mpiexec():
    r = start_and_signal(signal.SIGINT, ["-n", "2", pmiprog(), "init", "pid", "pause"], 2)
    expect(r, status=130, max_s=2.5)
    one_summary(r, r"^mpiexec: received SIGINT; sent it to ranks 0,1$")
    assert_gone(r, rank_pids(r.out))


@case
def sigterm_ignored_by_ranks():
    r = start_and_signal(signal.SIGTERM, ["-n", "2", pmiprog(), "ignoreterm", "pid",
                                          "pause"], 2)
    expect(r, status=143, min_s=0.9, max_s=2.5)
    assert_gone(r, rank_pids(r.out))


@case
def program_not_found():
    r = run(["-n", "2", "no_such_program_litempi"])
    expect(r, status=127, max_s=2, stderr_re=r"program 'no_such_program_litempi' not found")
    check(r, r.out == "", "no rank may start")
    r = run(["-n", "1", pmiprog(), ":", "-n", "1", "./missing_too"])
    expect(r, status=127, stderr_re=r"program './missing_too' not found")
    check(r, r.out == "", "no rank may start when one segment's program is missing")
    with tempfile.NamedTemporaryFile("w", prefix="litempi-noexec-") as f:
        os.chmod(f.name, 0o644)
        r = run(["-n", "1", f.name])
        expect(r, status=127, stderr_re=r"cannot execute '%s': Permission denied"
               % re.escape(f.name))


@case
def shm_cleanup():
    # the library's segments (litempi-<kvsname>-*) must not outlive a crashed job
    tmp = tempfile.mkdtemp(prefix="litempi-fault-")
    env = dict(os.environ, TMPDIR=tmp)
    r = run(["-n", "2", pmiprog(), "touchshm", "init", "fence", "r1:segv", "pause"], env=env)
    expect(r, status=139, max_s=2.5, stdout_re=r"^rank 1: touched litempi_\d+_[0-9a-f]{16}$")
    kvs = re.search(r"touched (\S+)", r.out).group(1)
    left = [f for f in os.listdir(tmp) if f.startswith("litempi-")]
    left += [f for f in os.listdir("/dev/shm") if f.startswith("litempi-%s-" % kvs)]
    if not left:
        os.rmdir(tmp)
    check(r, not left, "segments left behind: %s" % left)


# ---------------------------------------------------------------- behaviour

@case
def exit_codes():
    expect(run(["-n", "2", "true"]), status=0, max_s=2)
    expect(run(["-n", "2", "sh", "-c", "exit 0"]), status=0)
    r = run(["-n", "2", "hostname"])   # non-MPI programs are fine
    expect(r, status=0)
    check(r, len(r.out.splitlines()) == 2, "two lines of hostname")
    r = run(["-n", "2", "sh", "-c", '[ "$PMI_RANK" = 1 ] && exit 41; exit 0'])
    expect(r, status=41, max_s=2.5,
           stderr_re=r"^mpiexec: rank 1 \(pid \d+\) exited with code 41(; ended ranks 0)?$")
    r = run(["-n", "1", pmiprog(), "kill:9"])
    expect(r, status=137, stderr_re=r"killed by signal 9 \(SIGKILL\)")
    r = run(["--print-all-exitcodes", "-n", "2", "true"])
    expect(r, status=0, stderr_re=[r"rank 0 \(pid \d+\): exit code 0",
                                   r"rank 1 \(pid \d+\): exit code 0"])


@case
def kvs_and_names():
    r = run(["-n", "4", pmiprog(), "init", "kvs", "mapping", "names", "finalize"])
    expect(r, status=0, max_s=3)
    for k in range(4):
        expect(r, stdout_re=[r"^rank %d of 4: kvs ok$" % k,
                             r"^rank %d: mapping \(vector,\(0,1,4\)\) nodes=1 my_node=0$" % k,
                             r"^rank %d: names ok$" % k])


@case
def job_key():
    # every job gets a fresh random tcp key, pre-put as "lm-jobkey" and the same for all ranks
    keys = []
    for _ in range(2):
        r = run(["-n", "3", pmiprog(), "init", "get:lm-jobkey", "finalize"])
        expect(r, status=0, max_s=3)
        found = re.findall(r"^rank \d: get lm-jobkey=([0-9a-f]+)$", r.out, re.M)
        check(r, len(found) == 3 and len(set(found)) == 1 and len(found[0]) == 32,
              "expected the same 32-hex-digit key on every rank")
        keys.append(found[0])
    check(r, keys[0] != keys[1], "two jobs got the same key")


@case
def disable_auto_cleanup():
    # a rank's death is reported but the others run to their end; the status is still its
    r = run(["--disable-auto-cleanup", "-n", "3", pmiprog(), "init", "pid", "fence",
             "r1:kill:9", "sleep:0.3", "print:done", "finalize"])
    expect(r, status=137, max_s=3, stdout_re=[r"^rank 0: done$", r"^rank 2: done$"])
    one_summary(r, r"^mpiexec: rank 1 \(pid \d+\) was killed by signal 9 \(SIGKILL\); the "
                   r"other ranks go on \(--disable-auto-cleanup\)$")
    # MPI_Abort still ends the job at once, and so does a fence the dead rank cannot join
    r = run(["--enable-recovery", "-n", "2", pmiprog(), "init", "r1:abort:7:x", "pause"])
    expect(r, status=7, max_s=2.5, stderr_re=r"called MPI_Abort with code 7")
    r = run(["--disable-auto-cleanup", "-n", "3", pmiprog(), "init", "fence", "r1:exit:4",
             "fence", "finalize"])
    expect(r, status=4, max_s=3, stderr_re=r"can never join")


@case
def pmi_partial_lines():
    r = run(["-n", "2", pmiprog(), "rawpmi"])
    expect(r, status=0, stdout_re=[
        r"^rank 1 raw: cmd=response_to_init pmi_version=1 pmi_subversion=1 rc=0$",
        r"^rank 1 raw: cmd=maxes kvsname_max=256 keylen_max=64 vallen_max=1024$",
        r"^rank 1 raw: cmd=appnum appnum=0$",
        r"^rank 1 raw: cmd=error rc=-1 msg=malformed_line$",
        r"^rank 1 raw: cmd=finalize_ack$"],
        stderr_re=r"^mpiexec: rank 1 sent a malformed PMI line: 'garbage without command'$")


@case
def rank_environment():
    r = run(["-n", "2", pmiprog(), "env:PMI_RANK", "env:PMI_SIZE", "env:MPI_LOCALNRANKS",
             "env:MPI_LOCALRANKID", "env:LITEMPI_KVSNAME", "env:PMI_FD",
             "env:OMPI_COMM_WORLD_SIZE", "init", "info", "finalize"])
    expect(r, status=0, stdout_re=[
        r"^rank 1: PMI_RANK=1$", r"^rank 1: PMI_SIZE=2$", r"^rank 1: MPI_LOCALNRANKS=2$",
        r"^rank 1: MPI_LOCALRANKID=1$", r"^rank 0: LITEMPI_KVSNAME=litempi_\d+_[0-9a-f]{16}$",
        r"^rank 0: PMI_FD=\d+$", r"^rank 0: OMPI_COMM_WORLD_SIZE=\(unset\)$",
        r"^rank=1 size=2 appnum=0 universe=2 .*kvsname=litempi_\d+_[0-9a-f]{16} "
        r"maxes=256,64,1024$"])


@case
def stdin_to_rank0():
    data = b"line one\nline two\n" + b"x" * 100000 + b"\n"
    with tempfile.TemporaryFile() as f:
        f.write(data)
        f.seek(0)
        r = run(["-n", "2", pmiprog(), "cat"], stdin=f)
    expect(r, status=0)
    check(r, r.out.encode() == data, "rank 0 must get all of stdin, rank 1 nothing")
    p = subprocess.run([MPIEXEC, "-n", "2", pmiprog(), "cat"], input=b"piped\n",
                       stdout=subprocess.PIPE, timeout=10)
    if p.returncode != 0 or p.stdout != b"piped\n":
        raise Failure("piped stdin: rc %d, stdout %r" % (p.returncode, p.stdout))


@case
def stdin_from_terminal():
    master, slave = pty.openpty()
    p = subprocess.Popen([MPIEXEC, "-n", "2", pmiprog(), "r0:cat", "r1:cat"], stdin=slave,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(slave)
    os.write(master, b"typed line\n")
    time.sleep(0.2)
    os.write(master, b"\x04")  # Ctrl-D: EOF for rank 0
    try:
        out, err = p.communicate(timeout=5)
    finally:
        os.close(master)
    if p.returncode != 0 or out != b"typed line\n":
        raise Failure("tty stdin: rc %d, stdout %r, stderr %r" % (p.returncode, out, err))


@case
def label_output():
    r = run(["--label", "-n", "2", "sh", "-c", "echo out; echo err >&2; printf partial"])
    expect(r, status=0)
    check(r, sorted(r.out.splitlines()) == ["[0] out", "[0] partial", "[1] out",
                                            "[1] partial"], "labelled stdout")
    check(r, sorted(r.err.splitlines()) == ["[0] err", "[1] err"], "labelled stderr")
    for flag in ("-l", "-prepend-rank", "--tag-output"):
        expect(run([flag, "-n", "1", "echo", "hi"]), status=0, stdout_re=r"^\[0\] hi$")
    r = run(["-n", "2", "sh", "-c", "printf partial"])
    check(r, r.out == "partialpartial", "unlabelled partial lines stay as they are")


@case
def long_lines_never_interleave():
    n, length = 50, 20000
    for extra in ([], ["--label"]):
        r = run(extra + ["-n", "4", pmiprog(), "lines:%d:%d" % (n, length)], timeout=30)
        expect(r, status=0, max_s=10)
        lines = r.out.splitlines()
        check(r, len(lines) == 4 * n, "expected %d lines, got %d" % (4 * n, len(lines)))
        for line in lines:
            body = line
            if extra:
                m = re.match(r"^\[(\d)\] (.*)$", line)
                check(r, m, "line without label")
                body = m.group(2)
                check(r, body[:1] == "abcd"[int(m.group(1))], "label does not match rank")
            if len(body) != length or body != body[0] * length:
                raise Failure("a line was mixed or cut: %d chars starting %r" %
                              (len(body), body[:40]))


@case
def mpmd_appnum():
    r = run(["-n", "1", pmiprog(), "init", "info", "finalize", ":", "-n", "2", pmiprog(),
             "init", "info", "finalize"])
    expect(r, status=0, stdout_re=[r"^rank=0 size=3 appnum=0 ", r"^rank=1 size=3 appnum=1 ",
                                   r"^rank=2 size=3 appnum=1 "])
    with tempfile.NamedTemporaryFile("w", suffix=".cfg") as cfg:
        cfg.write("# two segments\n-n 1 %s init info finalize\n-n 1 %s init info finalize\n"
                  % (pmiprog(), pmiprog()))
        cfg.flush()
        r = run(["-configfile", cfg.name])
        expect(r, status=0, stdout_re=[r"^rank=0 size=2 appnum=0 ", r"^rank=1 size=2 appnum=1 "])


@case
def environment_options():
    env = dict(os.environ, LM_FROM_ENV="inherited", LM_X_OWN="own")
    r = run(["-genv", "LM_G", "g", "-x", "LM_X=x", "-x", "LM_X_OWN", "-n", "1",
             "-env", "LM_E", "seg0", pmiprog(), "env:LM_G", "env:LM_X", "env:LM_X_OWN",
             "env:LM_E", "env:LM_FROM_ENV", ":", "-n", "1", pmiprog(), "env:LM_E",
             "env:LM_G"], env=env)
    expect(r, status=0, stdout_re=[r"^rank 0: LM_G=g$", r"^rank 0: LM_X=x$",
                                   r"^rank 0: LM_X_OWN=own$", r"^rank 0: LM_E=seg0$",
                                   r"^rank 0: LM_FROM_ENV=inherited$",
                                   r"^rank 1: LM_E=\(unset\)$", r"^rank 1: LM_G=g$"])
    r = run(["-genvnone", "-genv", "ONLY", "1", "-n", "1", pmiprog(), "env:LM_FROM_ENV",
             "env:ONLY"], env=env)
    expect(r, status=0, stdout_re=[r"^rank 0: LM_FROM_ENV=\(unset\)$", r"^rank 0: ONLY=1$"])
    r = run(["-genvlist", "LM_X_OWN", "-n", "1", pmiprog(), "env:LM_FROM_ENV",
             "env:LM_X_OWN"], env=env)
    expect(r, status=0, stdout_re=[r"^rank 0: LM_FROM_ENV=\(unset\)$",
                                   r"^rank 0: LM_X_OWN=own$"])
    r = run(["--transports", "tcp,self", "-usize", "8", "-n", "1", pmiprog(),
             "env:LITEMPI_TRANSPORTS", "init", "info", "finalize"])
    expect(r, status=0, stdout_re=[r"^rank 0: LITEMPI_TRANSPORTS=tcp,self$",
                                   r"universe=8 "])
    r = run(["-n", "2", pmiprog(), "init", "info", "finalize"],
            env=dict(os.environ, MPIEXEC_UNIVERSE_SIZE="5"))
    expect(r, status=0, stdout_re=r"universe=5 ")


@case
def working_directory():
    tmp = tempfile.mkdtemp(prefix="litempi-wdir-")
    real = os.path.realpath(tmp)
    r = run(["-wdir", tmp, "-n", "1", pmiprog(), "cwd", ":", "-n", "1", pmiprog(), "cwd"],
            cwd="/")
    expect(r, status=0, stdout_re=[r"^rank 0: cwd=%s$" % re.escape(real), r"^rank 1: cwd=/$"])
    r = run(["-gwdir", tmp, "-n", "2", "pwd"])
    expect(r, status=0)
    check(r, r.out.splitlines() == [tmp, tmp], "-gwdir for every rank")
    r = run(["-wdir", "/no/such/dir", "-n", "1", "true"])
    expect(r, status=1, stderr_re=r"cannot use working directory '/no/such/dir'")
    os.rmdir(tmp)


@case
def bind_to_core():
    r = run(["--bind-to", "core", "-n", "3", "sh", "-c",
             'echo "$PMI_RANK $(grep Cpus_allowed_list /proc/self/status | cut -f2)"'])
    expect(r, status=0, max_s=3)
    cpus = dict(line.split() for line in r.out.splitlines())
    check(r, len(cpus) == 3, "three ranks report their CPUs")
    ncores = len(set(cpus.values()))
    check(r, cpus["0"] != cpus["1"] or ncores == 1, "ranks 0 and 1 on different cores")
    r = run(["--bind-to", "none", "-n", "1", "true"])
    expect(r, status=0)
    r = run(["--bind-to", "socket-ish", "-n", "1", "true"])
    expect(r, status=1, stderr_re=r"--bind-to expects none, core or hwthread")


@case
def output_filename():
    tmp = tempfile.mkdtemp(prefix="litempi-out-")
    d = os.path.join(tmp, "logs")
    r = run(["--output-filename", d, "-n", "2", "sh", "-c", "echo out $PMI_RANK; echo err >&2"])
    expect(r, status=0)
    check(r, r.out == "", "output went to files")
    for k in range(2):
        with open(os.path.join(d, "rank.%d" % k)) as f:
            text = f.read()
        check(r, sorted(text.splitlines()) == ["err", "out %d" % k], "rank.%d holds %r"
              % (k, text))
        os.unlink(os.path.join(d, "rank.%d" % k))
    os.rmdir(d)
    os.rmdir(tmp)


@case
def options_and_hosts():
    expect(run(["--version"]), status=0, stdout_re=r"^mpiexec \(LiteMPI\) \d+\.\d+\.\d+")
    expect(run(["--help"]), status=0, stdout_re=r"^Usage: mpiexec")
    r = run(["--oversubscribe", "--allow-run-as-root", "--mca", "btl", "tcp,self",
             "-launcher", "fork", "-iface", "lo", "-np", "8", "true"])
    expect(r, status=0, max_s=3)
    expect(run(["-host", "localhost:2", "true"]), status=0)
    expect(run(["-hosts", "127.0.0.1", "-n", "2", "true"]), status=0)
    expect(run(["-H", os.uname().nodename, "-n", "1", "true"]), status=0)
    r = run(["-host", "otherhost.invalid", "-n", "1", "true"])
    expect(r, status=1, stderr_re=r"multi-host launch is not supported yet")
    r = run(["--no-such-option", "-n", "1", "true"])
    expect(r, status=1, stderr_re=r"unknown option '--no-such-option'")
    r = run(["-n", "1", "true", ":"])
    expect(r, status=1, stderr_re=r"no program")
    r = run(["--timeout=1", "--np=2", "true"])
    expect(r, status=0)
    for alias in ("mpirun", "mympiexec"):
        path = os.path.join(os.path.dirname(MPIEXEC), alias)
        p = subprocess.run([path, "-n", "1", "true"], timeout=10)
        if p.returncode != 0:
            raise Failure("%s does not work" % path)


@case
def hydra_runs_pmi_client():
    """Our PMI client under MPICH's Hydra (PMI_FD and PMI_PORT modes)."""
    hydra = "/usr/bin/mpiexec.hydra"
    if not os.access(hydra, os.X_OK):
        print("SKIP: %s not installed" % hydra)
        sys.exit(SKIP)
    for extra in ([], ["-pmi-port"]):
        cmd = [hydra] + extra + ["-n", "2", pmiprog(), "init", "info", "kvs", "mapping",
                                 "finalize"]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=20)
        out = p.stdout.decode()
        if p.returncode != 0 or not all(re.search(pat, out, re.M) for pat in (
                r"^rank 0 of 2: kvs ok$", r"^rank 1 of 2: kvs ok$",
                r"^rank=1 size=2 appnum=0 ")):
            raise Failure("under Hydra %s: rc %d\n%s\n%s" % (extra, p.returncode, out,
                                                           p.stderr.decode()))


@case
def singleton_warns_about_foreign_launcher():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PMI_")}
    env["PMIX_RANK"] = "0"
    p = subprocess.run([pmiprog(), "init", "info"], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=10)
    err = p.stderr.decode()
    if p.returncode != 0 or "singleton=1" not in p.stdout.decode() or not re.match(
            r"^litempi: warning: PMIX_RANK is set but no PMI_FD: .*Use LiteMPI's mpiexec\.\n$",
            err):
        raise Failure("singleton warning: rc %d, stderr %r" % (p.returncode, err))


# ---------------------------------------------------------------- the same, inside MPI

@case
def mpi_hello():
    r = run(["-n", "3", mpi_prog(), "hello"])
    expect(r, status=0, max_s=3)
    check(r, len(rank_pids(r.out)) == 3, "three ranks said hello")


@case
def mpi_segv():
    r = run(["-n", "3", mpi_prog(), "segv"])
    expect(r, status=139, max_s=2.6)
    line = one_summary(r, r"^mpiexec: rank 1 \(pid \d+\) was killed by signal 11 \(SIGSEGV\)"
                          r"; ended ranks 0,2$")
    check_named_pid(r, line, 1)
    assert_gone(r, rank_pids(r.out))


@case
def mpi_exit3():
    r = run(["-n", "3", mpi_prog(), "exit3"])
    expect(r, status=3, max_s=2.6)
    line = one_summary(r, r"^mpiexec: rank 1 \(pid \d+\) exited with code 3 before "
                          r"MPI_Finalize; ended ranks 0,2$")
    check_named_pid(r, line, 1)
    assert_gone(r, rank_pids(r.out))


@case
def mpi_abort7():
    r = run(["-n", "3", mpi_prog(), "abort7"])
    expect(r, status=7, max_s=2.6)
    lines = [l for l in r.err.splitlines() if l.startswith("mpiexec: ")]
    check(r, len(lines) == 1 and re.match(r"^mpiexec: rank 1 \(pid \d+\) called MPI_Abort "
                                          r"with code 7", lines[0]), "abort summary")
    check_named_pid(r, lines[0], 1)
    assert_gone(r, rank_pids(r.out))


@case
def mpi_nofinalize():
    r = run(["-n", "3", mpi_prog(), "nofinalize"])
    expect(r, status=1, max_s=2.6)
    line = one_summary(r, r"^mpiexec: rank 1 \(pid \d+\) exited without calling MPI_Finalize;"
                          r" ended ranks 0,2$")
    check_named_pid(r, line, 1)
    assert_gone(r, rank_pids(r.out))


@case
def mpi_timeout():
    r = run(["--timeout", "1", "-n", "3", mpi_prog(), "hang"])
    expect(r, status=124, min_s=0.9, max_s=3.2)
    one_summary(r, r"^mpiexec: job timed out after 1 s; ranks still running: 0-2 \(of 3\)")
    assert_gone(r, rank_pids(r.out))


@case
def mpi_timeout_says_where():
    # the roll-call after the summary groups ranks by the call they are blocked in
    r = run(["--timeout", "1.5", "-n", "3", mpi_prog(), "hang"])
    expect(r, status=124, max_s=3.7)
    for rank, src in ((0, 1), (1, 2), (2, 0)):
        check(r, re.search(r"^  rank %d: blocked in MPI_Recv\(source=%d, tag=99, "
                           r"comm=MPI_COMM_WORLD\) for [0-9.]+ s$" % (rank, src), r.err, re.M),
              "rank %d's line in the where-stuck report" % rank)


@case
def mpi_deadlock_detected():
    # every rank waits for its neighbour: nothing can ever move
    r = run(["--deadlock-timeout", "1", "-n", "3", mpi_prog(), "hang"])
    expect(r, status=125, min_s=0.9, max_s=3.7)
    one_summary(r, r"^mpiexec: deadlock: every running rank \(0-2\) has been blocked in MPI "
                   r"for 1 s with no message moving")
    check(r, re.search(r"^  rank 1: blocked in MPI_Recv\(source=2, tag=99", r.err, re.M),
          "where-stuck line for rank 1")
    assert_gone(r, rank_pids(r.out))


@case
def mpi_no_deadlock_while_a_rank_computes():
    # rank 1 sleeps outside MPI for 2.5 s while the others wait for it: not a deadlock
    r = run(["--deadlock-timeout", "1", "-n", "3", mpi_prog(), "late"])
    expect(r, status=0, max_s=6)


def main():
    global MPIEXEC, PROGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--mpiexec", required=True)
    ap.add_argument("--progs", required=True)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("cases", nargs="*")
    a = ap.parse_args()
    MPIEXEC, PROGS = os.path.abspath(a.mpiexec), os.path.abspath(a.progs)
    if a.list:
        print("\n".join(CASES))
        return 0
    names = a.cases or list(CASES)
    failed = 0
    for name in names:
        t0 = time.monotonic()
        try:
            CASES[name]()
            print("ok   %-40s %.2f s" % (name, time.monotonic() - t0))
        except Failure as e:
            failed += 1
            print("FAIL %s\n%s" % (name, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
