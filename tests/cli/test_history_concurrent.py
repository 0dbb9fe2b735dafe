#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Two writers, one history (docs/history.md, "Concurrent writers").

Two processes each run `assure prove --record DB` 50 times on a small case at the same time
(writer A judging at 2026-06-01, writer B at 2026-06-02, so their runs can be told apart): the
history then holds 100 entries numbered 1..100, 50 from each writer, each writer's in its own
order, and `assure history --verify` finds the chain intact. The two loops overlap, so appends
race for the head; the test prints how often the writers alternated.

--backend sqlite: a file (SQLite's BEGIN IMMEDIATE serialises the appends).
--backend postgresql: a fresh database on the server of ASSURE_TEST_PG_URL (SELECT ... FOR UPDATE
on the head rows serialises them).

  test_history_concurrent.py --assure BIN --root REPO [--backend sqlite|postgresql] [--runs N]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse

CASE = """\
evidence E_test "Bench test" { kind: test result: pass valid_until: 2030-01-01 }
claim G_top "The component works" { supported_by: G_a }
claim G_a "Tested" { supported_by: E_test }
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--runs", type=int, default=50)
    args = ap.parse_args()
    assure = os.path.abspath(args.assure)
    tmp = tempfile.mkdtemp(prefix="assure-history-concurrent-")
    fails = []
    admin = None
    db_name = f"concurrent_{os.getpid()}"
    try:
        with open(os.path.join(tmp, "case.assure"), "w") as f:
            f.write(CASE)
        if args.backend == "postgresql":
            admin = os.environ.get("ASSURE_TEST_PG_URL", "")
            if not admin:
                print("FAIL: --backend postgresql needs ASSURE_TEST_PG_URL (run through "
                      "tests/support/pg_cluster.sh exec)")
                return 1
            psql = os.path.join(os.environ.get("ASSURE_TEST_PG_BIN", "/usr/bin"), "psql")
            subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c",
                            f'CREATE DATABASE "{db_name}"'], check=True, timeout=60)
            location = urllib.parse.urlunsplit(
                urllib.parse.urlsplit(admin)._replace(path="/" + db_name))
            # The first append creates the tables: both writers start on an empty database, so
            # the migration lock is raced for too.
        else:
            location = os.path.join(tmp, "h.db")
        env = dict(os.environ, ASSURE_STDLIB=os.path.join(os.path.abspath(args.root), "stdlib"))
        env.pop("ASSURE_HISTORY_NOW", None)
        results = {}

        def writer(name, date):
            codes = []
            for _ in range(args.runs):
                r = subprocess.run([assure, "prove", "case.assure", "--at", date, "--record",
                                    location], cwd=tmp, env=env, stdin=subprocess.DEVNULL,
                                   capture_output=True, timeout=120)
                codes.append((r.returncode, r.stderr.decode()))
            results[name] = codes

        threads = [threading.Thread(target=writer, args=("A", "2026-06-01")),
                   threading.Thread(target=writer, args=("B", "2026-06-02"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for name, codes in sorted(results.items()):
            bad = [(rc, err) for rc, err in codes if rc != 0]
            if bad:
                fails.append(f"writer {name}: {len(bad)} runs failed, first: {bad[0]}")

        def history(*extra):
            return subprocess.run([assure, "history", "--db", location, *extra], cwd=tmp,
                                  env=env, capture_output=True, timeout=120)

        v = history("--verify", "--format", "json")
        doc = json.loads(v.stdout) if v.stdout else {}
        total = 2 * args.runs
        if v.returncode != 0 or not doc.get("intact") or doc.get("entries") != total:
            fails.append(f"verify: {v.stdout.decode()} {v.stderr.decode()}")
        j = history("--format", "json")
        runs = json.loads(j.stdout)["runs"] if j.returncode == 0 else []
        seqs = [r["seq"] for r in runs]
        if seqs != list(range(1, total + 1)):
            fails.append(f"seq: not 1..{total}: {seqs[:10]}...")
        writers = ["A" if r["judged_at"] == "2026-06-01" else "B" for r in runs]
        if writers.count("A") != args.runs or writers.count("B") != args.runs:
            fails.append(f"writers: A {writers.count('A')}, B {writers.count('B')}")
        switches = sum(1 for a, b in zip(writers, writers[1:]) if a != b)
        print(f"{args.backend}: {len(runs)} entries, the writers alternated {switches} times")
    finally:
        if admin:
            subprocess.run([psql, "-X", "-q", "-d", admin, "-c",
                            f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'],
                           capture_output=True, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)
    for f in fails:
        print("FAIL", f)
    print(f"{0 if fails else 1} passed, {len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
