#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every command on cases as deep and as wide as a million, and the limits that keep a run
bounded (issue 13, "Robustness"):

- no recursion proportional to the case: linear arguments N claims deep (through
  `supported_by:` and through strategies) and one strategy N claims wide go through `check`,
  `prove` (text, JSON, `--trace`), `explain`, `lock` and `impact` (text, JSON) with the
  stack limited to 8 MB, as on a default Linux shell (the old recursion overflowed at about
  12,000 claims); odds resolved through 200,000 levels are refused (E0317), not followed;
- bounded output: no line of any report grows with the case, a diagnostic about an N-claim
  cycle stays small, and the output of each command is linear in N;
- out of memory is an error: under an address-space limit, a large case ends with
  `error[E9000]: internal error: out of memory` and exit code 4 (not SIGABRT).

  test_scale.py --assure BIN --root REPO

The size is ASSURE_SCALE (default 200,000: about a minute for the whole test on the project
machine, and 16 times the old crash depth); ASSURE_SCALE=1000000 is the full run of
docs/performance.md. Each command's time and peak memory are printed.
"""
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from harness import FAILS, arguments, expect, finish  # noqa: E402,F401

STACK = 8 << 20
MAX_LINE = 4096  # bytes: far above any real line, far below a line that grows with the case


def limits(address_space=None):
    def apply():
        resource.setrlimit(resource.RLIMIT_STACK, (STACK, STACK))
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


class Run:
    pass


def run(assure, args, cwd, address_space=None, timeout=600):
    """Runs assure with stdout and stderr to files. -> returncode, seconds, peak_mb (its own
    peak RSS), out_bytes, max_line (longest line of stdout or stderr), stderr"""
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(ROOT, "stdlib"))
    out_path = os.path.join(cwd, "stdout.txt")
    err_path = os.path.join(cwd, "stderr.txt")
    r = Run()
    start = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen([assure] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err, preexec_fn=limits(address_space))
        timer = threading.Timer(timeout, proc.kill)  # a hang fails, it does not block CI
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    r.returncode = proc.returncode
    r.seconds = time.monotonic() - start
    r.peak_mb = usage.ru_maxrss / 1024
    r.out_bytes = os.path.getsize(out_path)
    r.max_line = 0
    for path in (out_path, err_path):
        with open(path, "rb") as f:
            for line in f:
                r.max_line = max(r.max_line, len(line))
    with open(err_path, "rb") as f:
        r.stderr = f.read(1 << 20)
    return r


def write(path, lines):
    with open(path, "w") as f:
        for line in lines:
            f.write(line)
            f.write("\n")


def deep(n, result="pass"):
    """C0 <- C1 <- ... <- Cn <- E, through supported_by."""
    yield f'evidence E "e" {{ kind: test result: {result} }}'
    for i in range(n):
        yield f'claim C{i} "c{i}" {{ supported_by: C{i + 1} }}'
    yield f'claim C{n} "leaf" {{ supported_by: E }}'


def deep_strategies(n):
    """C0 <- S0 <- C1 <- S1 <- ... <- Cn <- E: a claim and a strategy per level."""
    yield 'evidence E "e" { kind: test result: pass }'
    for i in range(n):
        yield f'claim C{i} "c{i}" {{}}'
        yield f'strategy S{i} "s{i}" for C{i} {{ all_of supported_by: C{i + 1} }}'
    yield f'claim C{n} "leaf" {{ supported_by: E }}'


def wide(n):
    """C0 argued by one strategy over C1 ... Cn, each on its own evidence."""
    yield 'evidence E "e" { kind: test result: pass }'
    yield 'claim C0 "top" {}'
    yield ('strategy S "s" for C0 { all_of supported_by: ' +
           ", ".join(f"C{i + 1}" for i in range(n)) + " }")
    for i in range(n):
        yield f'evidence E{i + 1} "e" {{ kind: test result: pass }}'
        yield f'claim C{i + 1} "c" {{ supported_by: E, E{i + 1} }}'


def main():
    global ROOT
    assure, ROOT = arguments()
    n = int(os.environ.get("ASSURE_SCALE", "200000"))
    tmp = tempfile.mkdtemp(prefix="assure-scale-")
    print(f"size {n}; stack limit {STACK >> 20} MB", flush=True)
    at = ["--at", "2026-11-23"]

    cases = [
        ("deep", deep(n), {"prove": 0, "impact": 5}),
        ("deep-failing", deep(n, "fail"), {"prove": 5, "impact": 0}),
        ("deep-strategies", deep_strategies(n // 2), {"prove": 0, "impact": 5}),
        ("wide", wide(n), {"prove": 0, "impact": 5}),
    ]
    for name, lines, codes in cases:
        folder = os.path.join(tmp, name)
        os.mkdir(folder)
        write(os.path.join(folder, "case.assure"), lines)
        commands = [
            ("check", ["check", "case.assure"], 0),
            ("prove", ["prove", "case.assure"] + at, codes["prove"]),
            ("prove --format json", ["prove", "case.assure", "--format", "json"] + at,
             codes["prove"]),
            ("prove --trace", ["prove", "case.assure", "--trace", "trace"] + at, codes["prove"]),
            ("explain", ["explain", "case.assure", "C0"] + at, codes["prove"]),
            ("lock", ["lock", "case.assure", "-o", "case.lock"] + at, 0),
            ("impact", ["impact", "case.assure", "--change", "fail:E"] + at, codes["impact"]),
            ("impact --format json",
             ["impact", "case.assure", "--change", "fail:E", "--format", "json"] + at,
             codes["impact"]),
        ]
        for what, argv, code in commands:
            p = run(assure, argv, folder)
            err = p.stderr.decode("utf-8", "replace")
            print(f"     {name:16} {what:22} {p.seconds:6.2f} s {p.peak_mb:7.0f} MB "
                  f"{p.out_bytes / 1e6:8.1f} MB out", flush=True)
            expect(f"{name}: {what} exits {code}", p.returncode == code,
                   f"(exit {p.returncode}, stderr {err[-300:]!r})")
            expect(f"{name}: {what}: every line bounded", p.max_line <= MAX_LINE,
                   f"(longest line {p.max_line} bytes)")
            expect(f"{name}: {what}: output linear in the case", p.out_bytes <= 2000 * n + 100000,
                   f"({p.out_bytes} bytes)")
        shutil.rmtree(folder, ignore_errors=True)

    # A cycle through every claim: one diagnostic, a few KB.
    folder = os.path.join(tmp, "cycle")
    os.mkdir(folder)
    write(os.path.join(folder, "case.assure"),
          (f'claim C{i} "c" {{ supported_by: C{(i + 1) % n} }}' for i in range(n)))
    p = run(assure, ["check", "case.assure"], folder)
    err = p.stderr.decode("utf-8", "replace")
    expect("an N-claim cycle is E0401", p.returncode == 1 and "[E0401]" in err,
           f"(exit {p.returncode})")
    expect("an N-claim cycle is reported in a few KB", len(p.stderr) < 8000,
           f"({len(p.stderr)} bytes)")
    expect("an N-claim cycle's path leaves its middle out",
           f"... {n + 1 - 20} more ..." in err, err[:300])

    # Odds defined through N levels, declared outermost first (resolved recursively: sema
    # overflowed the stack in `check`).
    write(os.path.join(folder, "odds.assure"),
          ["domain D { x : int [0, 9] }"] +
          [f"odd R{i} = R{i - 1} where x >= 0" for i in range(n - 1, 0, -1)] +
          ["odd R0 = D where x >= 0", f'claim G "g" {{ scope: R{n - 1} undeveloped }}'])
    p = run(assure, ["check", "odds.assure"], folder)
    err = p.stderr.decode("utf-8", "replace")
    expect("odds N levels deep are E0317", p.returncode == 1 and "[E0317]" in err,
           f"(exit {p.returncode}, stderr {err[:300]!r})")

    # Cell enumeration on `in` sets of 20,000 members of a 20,000-value enum (and of an int):
    # it was quadratic (26 s and 450 MB for one such query); bench/cells.sh measures it.
    members = 20000
    every = ", ".join(f"v{i}" for i in range(members))
    odd = ", ".join(f"v{i}" for i in range(1, members, 2))
    ints = ", ".join(str(2 * i) for i in range(members))
    write(os.path.join(folder, "sets.assure"), [
        f"domain D {{ c : enum {{ {every} }} k : int [0, {10 * members}] }}",
        f"odd R = D where c in {{ {every} }} and c in {{ {odd} }} and k in {{ {ints} }}",
        f"odd Q = D where c not in {{ {odd} }} and k not in {{ {ints} }}",
        f'evidence E "e" {{ kind: test result: pass metric m = 1 over D where c in {{ {odd} }} }}',
        'evidence F "f" { kind: test result: pass metric m = 1 over Q }',
        'claim G "g" { scope: R requires: m >= 1 supported_by: E }',
        f'claim H "h" {{ scope: D where c in {{ {every} }} requires: m >= 1 supported_by: E }}'])
    p = run(assure, ["prove", "sets.assure"] + at, folder, timeout=120)
    out = open(os.path.join(folder, "stdout.txt"), encoding="utf-8").read()
    print(f"     20,000-member sets: {p.seconds:.2f} s, {p.peak_mb:.0f} MB", flush=True)
    expect("20,000-member `in` sets are decided",
           p.returncode == 5 and "supported   sets.G" in out and "unsupported sets.H" in out,
           f"(exit {p.returncode}, stdout {out[:300]!r})")

    # Out of memory: the documented internal-error exit, with a message. (Skipped when the
    # binary is sanitized: ASan reserves terabytes of address space and cannot run under a
    # limit.)
    version = subprocess.run([assure, "--version"], capture_output=True, text=True).stdout
    if "mimalloc" in version:
        write(os.path.join(folder, "big.assure"), deep(max(n, 200000)))
        for what, argv in (("check", ["check", "big.assure"]),
                           ("prove", ["prove", "big.assure"] + at),
                           ("impact", ["impact", "big.assure", "--change", "fail:E"] + at)):
            p = run(assure, argv, folder, address_space=160 << 20)
            err = p.stderr.decode("utf-8", "replace")
            expect(f"out of memory in {what} is E9000 with exit code 4",
                   p.returncode == 4 and "error[E9000]: internal error: out of memory" in err,
                   f"(exit {p.returncode}, stderr {err[-300:]!r})")
    else:
        print("skip out-of-memory checks: not a mimalloc build (" + version.strip() + ")")

    shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
