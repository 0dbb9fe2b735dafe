#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`assure monitor` end to end (docs/monitor.md):

- the commands of the examples' "Runtime monitoring" sections, exactly as written, give the
  output and exit code of their goldens (tests/golden/monitor/<example>-<n>.expected; set
  UPDATE_GOLDEN=1 to rewrite them);
- every `$ ` command block of docs/monitor.md prints what the doc shows;
- the envelope and nearest-claim rule on tests/cli/monitor/harbour.assure (golden), exit codes
  of --fail-on (5, and 3 for an undecided record), --strict (1);
- hostile input: a line over 1 MiB, nesting 10,000 deep, NUL bytes, invalid UTF-8, wrong types,
  out-of-range values, unknown fields, missing variables: each reported with its line number
  and skipped, never a crash, nothing dropped;
- bad command lines and files: an unreadable input (E0830), a bad mapping (E0831), an unknown
  domain (E0832): exit 2;
- streaming from stdin gives the same bytes as the file; two runs give the same bytes.

  test_monitor.py --assure BIN --root REPO
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import arguments, expect, finish, read, write  # noqa: E402

AT = ["--at", "2026-11-23"]
HARBOUR = "tests/cli/monitor/harbour.assure"


def run(assure, args, root, stdin=None):
    return subprocess.run([assure] + args, cwd=root, capture_output=True, input=stdin,
                          timeout=300)


def golden(root, name, proc):
    path = os.path.join(root, "tests/golden/monitor", name + ".expected")
    actual = proc.stdout + f"exit {proc.returncode}\n".encode()
    if os.environ.get("UPDATE_GOLDEN"):
        write(path, actual)
    expected = read(path) if os.path.exists(path) else b"(missing)"
    expect(f"golden {name}", actual == expected,
           f"\n--- expected\n{expected.decode(errors='replace')[:3000]}\n--- actual\n"
           f"{actual.decode(errors='replace')[:3000]}\n--- stderr\n"
           f"{proc.stderr.decode(errors='replace')[:2000]}")


def readme_commands(root, example):
    text = read(os.path.join(root, "examples", example, "README.md")).decode()
    section = text[text.index("## Runtime monitoring"):]
    return [line.strip() for line in section.splitlines()
            if line.startswith("    build/release/assure monitor ")]


def check_examples(assure, root):
    for example in ("agent-actions", "autonomous-ship"):
        commands = readme_commands(root, example)
        expect(f"{example}: README shows monitor commands", len(commands) >= 2)
        for n, command in enumerate(commands, 1):
            args = shlex.split(command)[1:]
            golden(root, f"{example}-{n}", run(assure, args, root))


def check_doc(assure, root):
    """Each ``` block of docs/monitor.md whose first line is `$ COMMAND` shows its stdout."""
    text = read(os.path.join(root, "docs/monitor.md")).decode()
    blocks = re.findall(r"```\n(\$ [^\n]*)\n(.*?)```", text, re.S)
    expect("docs/monitor.md has command examples", len(blocks) >= 3)
    for command, output in blocks:
        args = shlex.split(command[2:])
        exit_code = 0
        if "--fail-on" in args and "exit 5" in output.splitlines()[-1:]:
            exit_code = 5
        proc = run(assure, args[1:], root)
        shown = output
        m = re.search(r"\n?\(exit (\d+)\)\n$", output)
        if m:
            exit_code = int(m.group(1))
            shown = output[:m.start()] + "\n"
        expect(f"doc: {command[:90]}", proc.stdout.decode() == shown and
               proc.returncode == exit_code,
               f"exit {proc.returncode} (want {exit_code})\n--- doc\n{shown}\n--- actual\n"
               f"{proc.stdout.decode()}{proc.stderr.decode()[:1000]}")


def check_harbour(assure, root):
    base = ["monitor", HARBOUR] + AT + ["--input", "tests/cli/monitor/harbour.jsonl"]
    golden(root, "harbour-text", run(assure, base + ["--all"], root))
    golden(root, "harbour-json", run(assure, base + ["--format", "json", "--fail-on",
                                                     "unassured"], root))
    proc = run(assure, base + ["--fail-on", "violation"], root)
    expect("harbour: --fail-on violation exits 5", proc.returncode == 5, proc.returncode)
    proc = run(assure, base, root)
    expect("harbour: without --fail-on exits 0", proc.returncode == 0, proc.returncode)
    lines = read(os.path.join(root, "tests/cli/monitor/harbour.jsonl")).splitlines()
    undecided_only = b"\n".join([lines[0], lines[7]]) + b"\n"
    proc = run(assure, ["monitor", HARBOUR] + AT + ["--input", "-", "--fail-on", "violation"],
               root, undecided_only)
    expect("harbour: an undecided record with --fail-on exits 3", proc.returncode == 3,
           proc.returncode)
    # Streaming from stdin: the same bytes as from the file; two runs the same bytes.
    data = read(os.path.join(root, "tests/cli/monitor/harbour.jsonl"))
    a = run(assure, base + ["--format", "json"], root)
    b = run(assure, ["monitor", HARBOUR] + AT + ["--input", "-", "--format", "json"], root, data)
    c = run(assure, base + ["--format", "json"], root)
    expect("stdin gives the file's output", a.stdout == b.stdout, b.stderr)
    expect("deterministic", a.stdout == c.stdout)


def check_hostile(assure, root):
    good = b'{"visibility": 5000, "light": "day", "area": "open_sea", "speed": 3}'
    bad = [
        (b'{"visibility": ' + b"9" * (2 << 20) + b"}", "E0833", "longer than"),
        (b"[" * 10000 + b"]" * 10000, "E0833", "nested deeper"),
        (b'{"visibility": 5000, "light": "da\x00y"}', "E0833", "not valid JSON"),
        (b'{"visibility": 5000, "light": "d\xffay"}', "E0833", "not valid JSON"),
        (b'\x00\x00', "E0833", "not valid JSON"),
        (b'{"visibility": "far", "light": "day", "area": "open_sea", "speed": 3}', "E0835",
         "the string"),
        (b'{"visibility": 5000, "light": "dusk", "area": "open_sea", "speed": 3}', "E0835",
         "dusk"),
        (b'{"visibility": 5000, "light": true, "area": "open_sea", "speed": 3}', "E0835",
         "boolean"),
        (b'{"visibility": 20000.0001, "light": "day", "area": "open_sea", "speed": 3}', "E0836",
         "outside its range"),
        (b'{"visibility": 5000, "light": "day", "area": "open_sea", "speed": 3, "sped": 1}',
         "E0834", "sped"),
        (b'{"visibility": 5000, "light": "day", "area": "open_sea"}', "E0837", "speed"),
        (b'{"visibility": 1e999999999, "light": "day", "area": "open_sea", "speed": 3}', "E0833",
         "overflow"),
        (b'{"visibility": 1e300, "light": "day", "area": "open_sea", "speed": 3}', "E0836",
         "outside its range"),
        (b'[1, 2]', "E0833", "not an array"),
        (b'{"visibility": 5000, "light": "day"', "E0833", "not valid JSON"),
    ]
    data = b"\n".join([good] + [line for line, _, _ in bad] + [good]) + b"\n"
    proc = run(assure, ["monitor", HARBOUR] + AT + ["--input", "-"], root, data)
    out = proc.stdout.decode(errors="replace")
    expect("hostile: exit 0 (bad records skipped)", proc.returncode == 0,
           proc.stderr[:500])
    for n, (_, code, word) in enumerate(bad, 2):
        line = next((ln for ln in out.splitlines() if ln.startswith(f"line {n}:")), "")
        expect(f"hostile line {n}: {code}", f"error[{code}]" in line and word in line, line[:300])
    expect("hostile: summary counts every record",
           f"summary: {len(bad) + 2} records" in out and f"{len(bad)} skipped" in out,
           out[-600:])
    strict = run(assure, ["monitor", HARBOUR] + AT + ["--input", "-", "--strict"], root, data)
    expect("--strict: a bad record exits 1", strict.returncode == 1, strict.returncode)
    expect("--strict: stops at the first bad record",
           "line 3:" not in strict.stdout.decode() and "line 2:" in strict.stdout.decode())


def check_errors(assure, root):
    with tempfile.TemporaryDirectory() as tmp:
        def code_of(args, stdin=None):
            proc = run(assure, ["monitor", HARBOUR] + AT + args, root, stdin)
            m = re.search(r"error\[(E\d+)\]", proc.stderr.decode())
            return proc.returncode, m.group(1) if m else None
        expect("missing input: E0830", code_of(["--input", tmp + "/none.jsonl"]) == (2, "E0830"))
        expect("folder as input: E0830", code_of(["--input", tmp]) == (2, "E0830"))
        mapping = os.path.join(tmp, "m.json")
        for text, what in (("{", "not JSON"), ('{"fields": {"sped": "/s"}}', "unknown variable"),
                           ('{"colour": 1}', "unknown key"),
                           ('{"fields": {"speed": "s"}}', "not a pointer"),
                           ('{"fields": {"speed": {"count": {}}}}', "count outside spans")):
            write(mapping, text)
            expect(f"mapping {what}: E0831",
                   code_of(["--input", "-", "--mapping", mapping], b"") == (2, "E0831"))
        expect("unknown --domain: E0832",
               code_of(["--input", "-", "--domain", "Sae"], b"") == (2, "E0832"))
        expect("unknown --odd: E0832",
               code_of(["--input", "-", "--odd", "Nope"], b"") == (2, "E0832"))
        # A domain with nothing to check: W0111, and every record is nominal.
        bare = os.path.join(tmp, "bare.assure")
        write(bare, 'module bare\ndomain D { x : real [0, 1] }\nclaim G "g" { scope: D '
                    'undeveloped }\n')
        proc = run(assure, ["monitor", bare] + AT + ["--input", "-", "--domain", "D"], root,
                   b'{"x": 0.5}\n')
        expect("nothing to check: W0111, exit 0", proc.returncode == 0 and
               b"warning[W0111]" in proc.stderr and b"1 nominal" in proc.stdout,
               proc.stdout + proc.stderr)
        proc = run(assure, ["monitor", bare] + AT + ["--input", "-"], root, b"")
        expect("no domain to monitor: E0832", proc.returncode == 2 and b"E0832" in proc.stderr,
               proc.stderr)
        # A mapping that renames and reaches into nested JSON.
        write(mapping, '{"id": "/meta/id", "fields": {"visibility": "/wx/vis_m", '
                       '"speed": {"pointer": "/nav/sog"}}}')
        nested = (b'{"meta": {"id": "n1"}, "wx": {"vis_m": 150}, "light": "day", '
                  b'"area": "open_sea", "nav": {"sog": 4}}\n')
        proc = run(assure, ["monitor", HARBOUR] + AT + ["--input", "-", "--mapping", mapping],
                   root, nested)
        expect("mapping with pointers", proc.returncode == 0 and proc.stdout.decode().startswith(
            "line 1 [n1]: outside the odd harbour.Odd: fails visibility >= 200"),
            proc.stdout.decode() + proc.stderr.decode())


def main():
    assure, root = arguments()
    check_examples(assure, root)
    check_doc(assure, root)
    check_harbour(assure, root)
    check_hostile(assure, root)
    check_errors(assure, root)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
