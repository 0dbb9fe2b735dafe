#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Command-line behaviour a CI job relies on: exit codes, bad input, determinism.

Every bad input must give exit code 1 with a diagnostic that has a stable code — never a
crash (negative return code / signal), a hang (timeout) or a stack trace.

  test_cli.py --assure BIN --root REPO
"""
import json
import os
import random
import subprocess
import sys
import tempfile

from harness import FAILS, arguments, expect, finish  # noqa: E402,F401


def run(assure, args, cwd, timeout=120):
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(ROOT, "stdlib"))
    return subprocess.run([assure] + args, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=timeout)


def expect_diag(name, proc, code, exit_code=1):
    err = proc.stderr.decode("utf-8", "replace")
    expect(name, proc.returncode == exit_code and f"[{code}]" in err and "Traceback" not in err,
           f"(exit {proc.returncode}, stderr: {err[:400]!r})")


def main():
    global ROOT
    assure, ROOT = arguments()
    tmp = tempfile.mkdtemp(prefix="assure-cli-")

    def write(name, data):
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return name

    # Command line.
    p = run(assure, [], tmp)
    expect("no subcommand exits 2", p.returncode == 2)
    p = run(assure, ["check"], tmp)
    expect("check without files exits 2", p.returncode == 2)
    p = run(assure, ["check", "--no-such-flag", "x.assure"], tmp)
    expect("unknown flag exits 2", p.returncode == 2)
    p = run(assure, ["--help"], tmp)
    expect("--help exits 0 and documents exit codes",
           p.returncode == 0 and b"Exit codes" in p.stdout and b"internal error" in p.stdout)
    p = run(assure, ["--version"], tmp)
    expect("--version names Z3", p.returncode == 0 and b"Z3 4." in p.stdout)

    # Unreadable input.
    expect_diag("missing file", run(assure, ["check", "nope.assure"], tmp), "E0001")
    os.mkdir(os.path.join(tmp, "adir"))
    expect_diag("directory instead of a file", run(assure, ["check", "adir"], tmp), "E0002")

    # Bytes that are not source text.
    rng = random.Random(20261123)
    junk = write("junk.assure", bytes(rng.randrange(256) for _ in range(100_000)))
    p = run(assure, ["check", junk], tmp)
    expect("binary junk is rejected", p.returncode == 1 and (b"[E0101]" in p.stderr or b"[E0102]" in p.stderr),
           f"exit {p.returncode}")
    expect_diag("invalid UTF-8", run(assure, ["check", write("latin1.assure", b'claim G "caf\xe9" { undeveloped }\n')], tmp), "E0101")
    expect_diag("NUL byte", run(assure, ["check", write("nul.assure", b'claim G "x"\x00 { undeveloped }\n')], tmp), "E0102")
    expect_diag("unterminated string", run(assure, ["check", write("str.assure", 'claim G "never closed { undeveloped }\n')], tmp), "E0104")
    expect_diag("unterminated comment", run(assure, ["check", write("com.assure", 'claim G "x" { undeveloped }\n/* no end\n')], tmp), "E0103")

    # Deep nesting and long chains must not overflow the stack.
    deep = "domain D { x : int [0, 9] }\nodd R = D where " + "(" * 10_000 + "x > 1" + ")" * 10_000 + "\n"
    expect_diag("10,000-deep parentheses", run(assure, ["check", write("deep.assure", deep)], tmp), "E0105")
    nots = "domain D { x : int [0, 9] }\nodd R = D where " + "not " * 10_000 + "x > 1\n" \
           "claim G \"g\" { scope: R undeveloped }\n"
    p = run(assure, ["check", write("nots.assure", nots)], tmp)
    expect("10,000 `not`s are fine", p.returncode == 0, p.stderr[:300])
    chain = "domain D { x : int [0, 9] }\nodd R = D where " + " and ".join(["x > 1"] * 50_000) + \
            "\nclaim G \"g\" { scope: R undeveloped }\n"
    p = run(assure, ["check", write("chain.assure", chain)], tmp)
    expect("50,000-term conjunction is fine", p.returncode == 0, p.stderr[:300])
    minus = "domain D { x : int [-9, 9] }\nodd R = D where x > " + "-" * 10_000 + "1\n" \
            "claim G \"g\" { scope: R undeveloped }\n"
    p = run(assure, ["check", write("minus.assure", minus)], tmp)
    expect("10,000 unary minuses are fine", p.returncode == 0, p.stderr[:300])

    # A 100 MB file: one line of letters, and many small declarations.
    big = write("big.assure", b"a" * (100 * 1024 * 1024))
    p = run(assure, ["check", big], tmp, timeout=300)
    expect_diag("100 MB one-line file", p, "E0106")
    expect("100 MB file's message stays short", len(p.stderr) < 4000, f"{len(p.stderr)} bytes")
    decls = "".join(f'claim C{i} "claim number {i} of the big file" {{ undeveloped }}\n'
                    for i in range(1_600_000))
    big2 = write("big2.assure", decls)
    p = run(assure, ["check", big2], tmp, timeout=300)
    expect("100 MB of declarations checks", p.returncode == 0 and b"claims      1600000" in p.stdout,
           f"exit {p.returncode} {p.stderr[:300]!r}")

    # Imported modules are parsed in parallel when there is enough text (over 4 MB): their
    # diagnostics still come in import order, with the same bytes on every run.
    os.makedirs(os.path.join(tmp, "par"), exist_ok=True)
    names = ["mod%d" % k for k in range(6)]
    for k, name in enumerate(names):
        body = "".join(f'claim C{k}_{i} "claim {i} of module {k}, padded to make it longer" '
                       f'{{ undeveloped }}\n' for i in range(12000))
        if k in (1, 4):
            body += f'claim Bad{k} "x" {{ scope: }}\nclaim Worse{k} "y" {{ supported_by: Nope{k} }}\n'
        write(f"par/{name}.assure", f"module {name}\n" + body)
    write("par/main.assure", "module main\n" + "".join(f"import {n}\n" for n in names) +
          'claim Top "t" { undeveloped }\n')
    runs = [run(assure, ["check", "par/main.assure"], tmp, timeout=300) for _ in range(3)]
    err = runs[0].stderr.decode()
    expect("parallel import parse: errors of both modules", runs[0].returncode == 1 and
           "mod1.assure" in err and "mod4.assure" in err, f"exit {runs[0].returncode} {err[:300]!r}")
    expect("parallel import parse: in import order", err.find("mod1.assure") < err.find("mod4.assure"))
    expect("parallel import parse: same bytes on every run",
           all(r.stderr == runs[0].stderr and r.stdout == runs[0].stdout for r in runs))

    # Many errors at once, sorted, and the same bytes on every run.
    many = write("many.assure", 'domain D { x : int [0, 9]  c : enum { red, blue } }\n'
                 'odd R = D where c == green and x < 99\n'
                 'claim G "g" { scope: R  supported_by: E_missing }\n'
                 'claim H "h" { scope: R  scope: R undeveloped }\n'
                 'claim K "k" { oops: 1 }\n')
    p1 = run(assure, ["check", many], tmp)
    p2 = run(assure, ["check", many], tmp)
    err = p1.stderr.decode()
    codes = [c for c in ("E0302", "E0303", "E0201", "E0205", "E0106") if f"[{c}]" in err]
    expect("several errors in one run", p1.returncode == 1 and len(codes) == 5, f"found {codes}")
    expect("deterministic output", p1.stdout == p2.stdout and p1.stderr == p2.stderr)
    lines = [l for l in err.splitlines() if l.startswith(" --> ") or l.startswith("  --> ")]
    expect("diagnostics carry file:line:column", all(l.split()[-1].count(":") == 2 for l in lines) and lines)

    p = run(assure, ["check", "--diagnostics", "json", many], tmp)
    doc = json.loads(p.stderr) if p.stderr.startswith(b"{") else {}
    expect("JSON diagnostics", p.returncode == 1 and doc.get("format") == "assure-diagnostics"
           and doc.get("version") == 2 and doc.get("errors") == len(doc.get("diagnostics", [])))
    # check --format json prints its document even when the case has errors.
    p = run(assure, ["check", "--format", "json", many], tmp)
    doc = json.loads(p.stdout) if p.stdout.startswith(b"{") else {}
    expect("check --format json with errors", p.returncode == 1 and doc.get("ok") is False and
           doc.get("summary", 0) is None and doc.get("errors", 0) >= 5, p.stdout[:200])

    return finish()


if __name__ == "__main__":
    sys.exit(main())
