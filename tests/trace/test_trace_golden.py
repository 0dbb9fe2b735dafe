#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Golden traces: `assure prove CASE --trace DIR --at 2026-06-15` writes, file by file, the
trace kept in tests/trace/golden/<case>/ (every SMT-LIB file and validity.json; the manifest and
result.json name the tool's versions and are checked by test_replay.py instead).

  test_trace_golden.py --assure BIN --root REPO [--update] CASE.assure...
"""
import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile


def trace_files(folder):
    out = {}
    for base, _, names in os.walk(folder):
        for n in names:
            rel = os.path.relpath(os.path.join(base, n), folder)
            if rel.endswith(".smt2") or rel == "validity.json":
                with open(os.path.join(base, n)) as f:
                    out[rel] = f.read()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("cases", nargs="+")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    failures = 0
    for case in args.cases:
        work = tempfile.mkdtemp(prefix="assure-trace-golden-")
        try:
            trace = os.path.join(work, "trace")
            env = dict(os.environ, ASSURE_STDLIB=os.path.join(root, "stdlib"))
            proc = subprocess.run([os.path.abspath(args.assure), "prove", case, "--trace", trace,
                                   "--at", "2026-06-15"], cwd=root, env=env,
                                  capture_output=True, timeout=300)
            if proc.returncode not in (0, 3, 5):
                print(proc.stderr.decode())
                print(f"FAIL: {case}: assure prove exited {proc.returncode}")
                failures += 1
                continue
            got = trace_files(trace)
            expected_dir = os.path.join(root, os.path.splitext(case)[0])
            if args.update:
                shutil.rmtree(expected_dir, ignore_errors=True)
                for rel, text in got.items():
                    os.makedirs(os.path.dirname(os.path.join(expected_dir, rel)), exist_ok=True)
                    with open(os.path.join(expected_dir, rel), "w") as f:
                        f.write(text)
                print(f"updated {expected_dir}")
                continue
            want = trace_files(expected_dir)
            for rel in sorted(set(got) | set(want)):
                if got.get(rel) != want.get(rel):
                    failures += 1
                    print(f"FAIL: {case}: {rel} differs")
                    sys.stdout.writelines(difflib.unified_diff(
                        want.get(rel, "").splitlines(True), got.get(rel, "").splitlines(True),
                        f"expected/{rel}", f"got/{rel}"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{len(args.cases)} cases, {failures} differences")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
