#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Golden CLI tests: runs assure on one input and compares stdout, stderr and the exit code.

Each case is `<name>.assure` plus `<name>.expected` with the sections `--- stdout`,
`--- stderr` and `--- exit`. An optional header line `// args: check --dump=graph` sets the
command (the input paths are appended); the default is `check`. A header line
`// files: a.assure b.assure` runs on several files, relative to the case's folder, instead. The two may
be combined, one per line, as the first two lines. A header line `// outputs: junit sarif` (any
of junit, sarif, markdown, gitlab-cq) adds `--junit FILE` ... for a file in a temporary folder,
and each file's contents become a section `--- file junit` ... after the exit code (a file not
written shows as `(not written)`).
Runs from the repository root so paths print as a user would type them.

  run_golden.py --assure BIN --root REPO CASE.assure [--update]
"""
import argparse
import difflib
import os
import shlex
import subprocess
import sys
import tempfile

OUTPUTS = ("junit", "sarif", "markdown", "gitlab-cq")


def parse_expected(text):
    sections = {}
    current = None
    for line in text.splitlines(keepends=True):
        if line.rstrip("\n") in ("--- stdout", "--- stderr", "--- exit") or \
                line.startswith("--- file "):
            current = line.strip()[4:]
            sections[current] = ""
        elif current is not None:
            sections[current] += line
    return sections


def render(stdout, stderr, code, files=()):
    text = f"--- stdout\n{stdout}--- stderr\n{stderr}--- exit\n{code}\n"
    for name, content in files:
        text += f"--- file {name}\n{content}"
    return text


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
    outputs = []
    with open(os.path.join(root, case), "rb") as f:
        # Header lines, in any order: `// args:`, `// files:` and `// outputs:`.
        for _ in range(3):
            line = f.readline().decode("utf-8", "replace").strip()
            if line.startswith("// args:"):
                cmd = shlex.split(line[len("// args:"):])
            elif line.startswith("// files:"):
                folder = os.path.dirname(case)
                inputs = [os.path.normpath(os.path.join(folder, x))
                          for x in shlex.split(line[len("// files:"):])]
            elif line.startswith("// outputs:"):
                outputs = line[len("// outputs:"):].split()
                unknown = [o for o in outputs if o not in OUTPUTS]
                if unknown:
                    print(f"unknown output {unknown[0]}; use one of {', '.join(OUTPUTS)}")
                    return 1
            else:
                break
    env = dict(os.environ)
    env["ASSURE_STDLIB"] = os.path.join(root, "stdlib")
    with tempfile.TemporaryDirectory() as tmp:
        paths = [(o, os.path.join(tmp, "out." + o)) for o in outputs]
        extra = [a for o, path in paths for a in ("--" + o, path)]
        proc = subprocess.run([os.path.abspath(args.assure)] + cmd + extra + inputs, cwd=root,
                              env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        files = []
        for o, path in paths:
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as f:
                    files.append((o, f.read()))
            else:
                files.append((o, "(not written)\n"))
    actual = render(proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"),
                    proc.returncode, files)
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
