#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The replay test: a trace written by `assure prove --trace` replays with a stock solver.

For each case, runs `assure prove CASE --trace DIR --at DATE [ARGS]`, then checks that
  - DIR holds manifest.json, result.json and every obligation and rule file the manifest lists;
  - each rule violation (up to 100 per rule) has a ground SMT-LIB file that z3 finds sat;
  - the manifest records the SHA-256 of every input file;
  - running the `z3` binary (Debian's, found on PATH) on every obligation file prints the
    answer the manifest records (an `unknown` answer is not replayed: the solver gave up);
  - a second run into the same folder gives byte-identical files (determinism), and a run into
    a folder that is not a trace is refused without writing anything.

  test_replay.py --assure BIN --root REPO [--z3 z3] CASE_FILES...   (one case: its files)
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile


def run_prove(assure, root, files, trace, extra):
    env = dict(os.environ)
    env["ASSURE_STDLIB"] = os.path.join(root, "stdlib")
    return subprocess.run([assure, "prove", *files, "--trace", trace, "--at", "2026-11-23",
                           *extra], cwd=root, env=env, capture_output=True, timeout=600)


def snapshot(folder):
    out = {}
    for base, _, names in os.walk(folder):
        for n in names:
            p = os.path.join(base, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, folder)] = f.read()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--z3", default="z3")
    ap.add_argument("--arg", action="append", default=[], help="extra argument for prove")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    assure = os.path.abspath(args.assure)
    failures = []
    work = tempfile.mkdtemp(prefix="assure-trace-")
    try:
        trace = os.path.join(work, "trace")
        proc = run_prove(assure, root, args.files, trace, args.arg)
        if proc.returncode not in (0, 3, 5):
            print(proc.stderr.decode())
            print(f"FAIL: assure prove exited {proc.returncode}")
            return 1
        with open(os.path.join(trace, "manifest.json")) as f:
            manifest = json.load(f)
        with open(os.path.join(trace, "result.json")) as f:
            result = json.load(f)
        if result["exit_code"] != proc.returncode:
            failures.append(f"result.json says exit {result['exit_code']}, process {proc.returncode}")
        for inp in manifest["inputs"]:
            path = os.path.join(root, inp["path"])
            if os.path.exists(path):
                with open(path, "rb") as f:
                    if hashlib.sha256(f.read()).hexdigest() != inp["sha256"]:
                        failures.append(f"manifest hash of {inp['path']} is wrong")
        replayed = 0
        for ob in manifest["obligations"]:
            path = os.path.join(trace, ob["file"])
            if not os.path.exists(path):
                failures.append(f"missing {ob['file']}")
                continue
            if ob["expected"] == "unknown":
                continue
            z3 = subprocess.run([args.z3, "-T:60", path], capture_output=True, timeout=120)
            answer = z3.stdout.decode().strip().splitlines()[:1]
            replayed += 1
            if answer != [ob["expected"]]:
                failures.append(f"{ob['file']}: z3 says {answer}, assure recorded {ob['expected']}")
        rule_files = manifest.get("rules", [])
        for rf in rule_files:
            path = os.path.join(trace, rf["file"])
            if not os.path.exists(path):
                failures.append(f"missing {rf['file']}")
                continue
            z3 = subprocess.run([args.z3, "-T:60", path], capture_output=True, timeout=120)
            answer = z3.stdout.decode().strip().splitlines()[:1]
            replayed += 1
            if answer != [rf["expected"]]:
                failures.append(f"{rf['file']}: z3 says {answer}, assure recorded {rf['expected']}")
        # Every violation (up to 100 per rule) has its file, unless too large to write out.
        written = {}
        for rf in rule_files:
            name = rf["file"].rsplit("/", 1)[-1].rsplit("-", 1)[0]
            written[name] = written.get(name, 0) + 1
        for rule in result.get("rules", []):
            want = min(len(rule["violations"]), 100)
            if written.get(rule["name"], 0) != want:
                failures.append(f"rule {rule['name']}: {want} violations, "
                                f"{written.get(rule['name'], 0)} rule files")
        if not manifest["obligations"] and not rule_files:
            failures.append("the case produced no obligations or rule violations: nothing was "
                            "replayed")
        first = snapshot(trace)
        proc2 = run_prove(assure, root, args.files, trace, args.arg)
        if proc2.returncode != proc.returncode or snapshot(trace) != first:
            failures.append("a second run into the same trace folder gave different files")
        other = os.path.join(work, "not-a-trace")
        os.makedirs(other)
        with open(os.path.join(other, "notes.txt"), "w") as f:
            f.write("mine")
        proc3 = run_prove(assure, root, args.files, other, args.arg)
        if proc3.returncode == 0 or sorted(os.listdir(other)) != ["notes.txt"]:
            failures.append("a folder that is not a trace was written to")
        print(f"{len(manifest['obligations'])} obligations, {len(rule_files)} rule violations, "
              f"{replayed} replayed with {args.z3}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
