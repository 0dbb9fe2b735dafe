#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Golden CLI tests: runs assure on one input and compares stdout, stderr and the exit code.

Each case is `<name>.assure` plus `<name>.expected` with the sections `--- stdout`,
`--- stderr` and `--- exit`. An optional header line `// args: check --dump=graph` sets the
command (the input paths are appended); the default is `check`. A header line
`// files: a.assure b.assure` runs on several files, relative to the case's folder, instead. The two may
be combined, one per line, as the first two lines.
Runs from the repository root so paths print as a user would type them.

  run_golden.py --assure BIN --root REPO CASE.assure [--update]
"""
import argparse
import difflib
import os
import shlex
import subprocess
import sys


def parse_expected(text):
    sections = {}
    current = None
    for line in text.splitlines(keepends=True):
        if line.rstrip("\n") in ("--- stdout", "--- stderr", "--- exit"):
            current = line.strip()[4:]
            sections[current] = ""
        elif current is not None:
            sections[current] += line
    return sections


def render(stdout, stderr, code):
    return f"--- stdout\n{stdout}--- stderr\n{stderr}--- exit\n{code}\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("case")
    args = ap.parse_args()

    root = os.path.abspath(args.root)
    case = os.path.relpath(os.path.abspath(args.case), root)
    cmd = ["check"]
    inputs = [case]
    with open(os.path.join(root, case), "rb") as f:
        # Header lines, in any order: `// args:` and `// files:`.
        for _ in range(2):
            line = f.readline().decode("utf-8", "replace").strip()
            if line.startswith("// args:"):
                cmd = shlex.split(line[len("// args:"):])
            elif line.startswith("// files:"):
                folder = os.path.dirname(case)
                inputs = [os.path.normpath(os.path.join(folder, x))
                          for x in shlex.split(line[len("// files:"):])]
            else:
                break
    env = dict(os.environ)
    env["ASSURE_STDLIB"] = os.path.join(root, "stdlib")
    proc = subprocess.run([os.path.abspath(args.assure)] + cmd + inputs, cwd=root, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    actual = render(proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"),
                    proc.returncode)
    expected_path = os.path.join(root, os.path.splitext(case)[0] + ".expected")
    if args.update:
        with open(expected_path, "w", encoding="utf-8") as f:
            f.write(actual)
        print(f"updated {os.path.relpath(expected_path, root)}")
        return 0
    if not os.path.exists(expected_path):
        print(f"missing {expected_path}; run with --update and review the result")
        print(actual)
        return 1
    with open(expected_path, encoding="utf-8") as f:
        expected = f.read()
    if expected == actual:
        return 0
    sys.stdout.writelines(difflib.unified_diff(expected.splitlines(keepends=True),
                                               actual.splitlines(keepends=True),
                                               "expected", "actual"))
    return 1


if __name__ == "__main__":
    sys.exit(main())
