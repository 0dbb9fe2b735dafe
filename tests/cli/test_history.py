#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`prove --record`, `impact --record` and `assure history` (docs/history.md).

Works on a copy of examples/autonomous-ship judged at fixed dates with ASSURE_HISTORY_NOW fixed:
three recorded runs (as shipped; a fog campaign that failed; the campaign passing again) and an
impact run; the history text (compared with tests/cli/history_ship.expected; --update rewrites
it) and JSON; --verify on the untouched history and on copies tampered with python's sqlite3
(an edited verdict, a deleted run, two runs swapped, a cut tail); refusals (another database, a
newer schema, a symlink, a case file), each leaving the file untouched.

  test_history.py --assure BIN --root REPO [--update]
"""
import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

FAILS = []
PASSED = [0]


def expect(name, cond, detail=""):
    if cond:
        PASSED[0] += 1
    else:
        FAILS.append(name)
        print(f"FAIL {name} {detail}")


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    args.assure = os.path.abspath(args.assure)
    args.root = os.path.abspath(args.root)
    expected_path = os.path.join(args.root, "tests", "cli", "history_ship.expected")

    def run(argv, cwd, now="2026-11-23T08:00:00Z"):
        env = dict(os.environ, ASSURE_STDLIB=os.path.join(args.root, "stdlib"))
        env["ASSURE_HISTORY_NOW"] = now
        return subprocess.run([args.assure] + argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=300)

    tmp = tempfile.mkdtemp(prefix="assure-history-test-")
    try:
        case = os.path.join(tmp, "ship")
        shutil.copytree(os.path.join(args.root, "examples", "autonomous-ship"), case,
                        ignore=shutil.ignore_patterns("assure.lock", ".assure-*", "trace*"))
        files = ["navigation.assure", "perception.assure"]
        perception = os.path.join(case, "perception.assure")
        with open(perception) as f:
            original = f.read()
        marker = 'evidence E_fog_chamber "Fog chamber campaign FC-3" {'
        start = original.index(marker)
        cut = original.index("result: pass", start)
        failed = original[:cut] + "result: fail" + original[cut + len("result: pass"):]

        plain = run(["prove", *files, "--at", "2026-11-23"], case)
        p1 = run(["prove", *files, "--at", "2026-11-23", "--record", "h.db"], case,
                 "2026-11-23T08:00:00Z")
        expect("record: the exit code is prove's", p1.returncode == plain.returncode,
               p1.stderr.decode())
        expect("record: stdout is prove's", p1.stdout == plain.stdout)
        expect("record: the database is created", os.path.isfile(os.path.join(case, "h.db")))
        with open(perception, "w") as f:
            f.write(failed)
        p2 = run(["prove", *files, "--at", "2026-11-24", "--record", "h.db"], case,
                 "2026-11-24T08:00:00Z")
        expect("record: a failed campaign fails a claim", p2.returncode == 5, p2.stderr.decode())
        with open(perception, "w") as f:
            f.write(original)
        p3 = run(["prove", *files, "--at", "2026-11-25", "--record", "h.db"], case,
                 "2026-11-25T08:00:00Z")
        expect("record: third run", p3.returncode == plain.returncode, p3.stderr.decode())
        p4 = run(["impact", *files, "--at", "2026-11-25", "--change", "fail:E_fog_chamber",
                  "--record", "h.db"], case, "2026-11-25T09:00:00Z")
        expect("record: impact records", p4.returncode in (0, 5), p4.stderr.decode())

        h = run(["history", "--db", "h.db"], case)
        text = h.stdout.decode()
        expect("history: exit 0", h.returncode == 0, h.stderr.decode())
        expect("history: deterministic", run(["history", "--db", "h.db"], case).stdout == h.stdout)
        if args.update:
            with open(expected_path, "w") as f:
                f.write(text)
        else:
            with open(expected_path) as f:
                want = f.read()
            expect("history: text as expected", text == want,
                   "\n--- got\n" + text + "\n--- expected\n" + want)
        expect("history: claim lost", "claim lost: " in text)
        expect("history: evidence invalid named",
               "evidence no longer valid: ship.perception.E_fog_chamber" in text
               or "E_fog_chamber (valid -> invalid)" in text, text)
        expect("history: regained", "claim regained: " in text and "evidence valid again" in text)

        j = run(["history", "--db", "h.db", "--format", "json"], case)
        doc = json.loads(j.stdout)
        runs = doc["runs"]
        expect("json: four runs", len(runs) == 4)
        expect("json: commands", [r["command"] for r in runs] == ["prove"] * 3 + ["impact"])
        expect("json: first has no changes", runs[0]["changes"] is None)
        kinds2 = {c["kind"] for c in runs[1]["changes"]}
        expect("json: run 2 lost", {"claim_lost", "evidence_invalid", "case_changed"} <= kinds2,
               kinds2)
        inval = [c for c in runs[1]["changes"] if c["kind"] == "evidence_invalid"]
        expect("json: the reason is given", inval and any("fail" in w for w in inval[0]["why"]),
               inval)
        kinds3 = {c["kind"] for c in runs[2]["changes"]}
        expect("json: run 3 regained", {"claim_regained", "evidence_valid"} <= kinds3, kinds3)
        expect("json: chain links", runs[1]["prev_hash"] == runs[0]["hash"])

        v = run(["history", "--db", "h.db", "--verify"], case)
        expect("verify: intact", v.returncode == 0 and b"intact" in v.stdout, v.stderr.decode())

        def tampered(name, sql):
            path = os.path.join(case, name)
            shutil.copy(os.path.join(case, "h.db"), path)
            con = sqlite3.connect(path)
            con.executescript(sql)
            con.commit()
            con.close()
            return run(["history", "--db", name, "--verify"], case)

        tables = ["run_files", "run_artifacts", "run_claims", "run_evidence", "run_findings",
                  "runs", "entries"]
        t = tampered("edit.db", "UPDATE run_claims SET verdict = 'supported' WHERE seq = 2;")
        err = t.stderr.decode()
        expect("tamper: edited verdict", t.returncode == 6 and "E0804" in err
               and "entry 2" in err and "edited" in err, err)
        t = tampered("reason.db", "UPDATE run_evidence SET reasons = '[]' WHERE seq = 2 AND "
                                  "status = 'invalid';")
        expect("tamper: edited reason", t.returncode == 6 and "entry 2" in t.stderr.decode(),
               t.stderr.decode())
        t = tampered("delete.db", "".join(f"DELETE FROM {x} WHERE seq = 2;" for x in tables))
        expect("tamper: deleted run", t.returncode == 6 and "entry 3" in t.stderr.decode(),
               t.stderr.decode())
        swap = "".join(f"UPDATE {x} SET seq = -1 WHERE seq = 1; UPDATE {x} SET seq = 1 WHERE "
                       f"seq = 2; UPDATE {x} SET seq = 2 WHERE seq = -1;" for x in tables)
        t = tampered("swap.db", "PRAGMA foreign_keys = OFF;" + swap)
        expect("tamper: reordered", t.returncode == 6 and "entry 1" in t.stderr.decode(),
               t.stderr.decode())
        t = tampered("cut.db", "".join(f"DELETE FROM {x} WHERE seq = 4;" for x in tables))
        expect("tamper: cut tail", t.returncode == 6 and "entry 4" in t.stderr.decode(),
               t.stderr.decode())
        tj = run(["history", "--db", "edit.db", "--verify", "--format", "json"], case)
        expect("tamper: json", tj.returncode == 6
               and json.loads(tj.stdout)["first_bad_entry"] == 2, tj.stdout)

        # Refusals, each leaving the file as it was.
        other = os.path.join(case, "other.db")
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE notes(x TEXT)")
        con.commit()
        con.close()
        before = digest(other)
        r = run(["prove", *files, "--at", "2026-11-23", "--record", "other.db"], case)
        expect("refuse: another database", r.returncode == 2 and b"E0801" in r.stderr,
               r.stderr.decode())
        expect("refuse: another database untouched", digest(other) == before)
        r = run(["history", "--db", "other.db"], case)
        expect("refuse: history of another database", r.returncode == 1 and b"E0801" in r.stderr)
        newer = os.path.join(case, "newer.db")
        shutil.copy(os.path.join(case, "h.db"), newer)
        con = sqlite3.connect(newer)
        con.execute("INSERT INTO assure_schema VALUES(99, 'from the future')")
        con.commit()
        con.close()
        before = digest(newer)
        r = run(["prove", *files, "--at", "2026-11-23", "--record", "newer.db"], case)
        expect("refuse: newer schema", r.returncode == 2 and b"E0802" in r.stderr,
               r.stderr.decode())
        expect("refuse: newer schema untouched", digest(newer) == before)
        r = run(["history", "--db", "newer.db"], case)
        expect("refuse: history newer", r.returncode == 1 and b"E0802" in r.stderr)
        os.symlink("h.db", os.path.join(case, "link.db"))
        r = run(["prove", *files, "--at", "2026-11-23", "--record", "link.db"], case)
        expect("refuse: symlink", r.returncode == 2 and b"E0803" in r.stderr, r.stderr.decode())
        before = digest(perception)
        r = run(["prove", *files, "--at", "2026-11-23", "--record", "perception.assure"], case)
        expect("refuse: case file", r.returncode == 2 and b"E0803" in r.stderr,
               r.stderr.decode())
        expect("refuse: case file untouched", digest(perception) == before)
        r = run(["history", "--db", "missing.db"], case)
        expect("refuse: missing", r.returncode == 1 and b"E0803" in r.stderr)
        expect("refuse: missing not created", not os.path.exists(os.path.join(case, "missing.db")))
        r = run(["prove", *files, "--at", "2026-11-23", "--record", "h2.db"], case, "yesterday")
        expect("refuse: bad ASSURE_HISTORY_NOW", r.returncode == 2, r.stderr.decode())

        # A history of schema v1 (tests/fixtures/history/ship-v1.db, two runs recorded by the
        # assure of issue 18's first slice): read as it is, migrated to v2 when next recorded
        # in, and its old entries still verify.
        v1 = os.path.join(case, "v1.db")
        shutil.copy(os.path.join(args.root, "tests", "fixtures", "history", "ship-v1.db"), v1)
        r = run(["history", "--db", "v1.db", "--verify"], case)
        expect("v1: verifies", r.returncode == 0 and b"2 entries is intact" in r.stdout,
               r.stdout.decode() + r.stderr.decode())
        r = run(["prove", *files, "--at", "2026-11-23", "--record", "v1.db"], case)
        expect("v1: recorded in", r.returncode == 0, r.stderr.decode())
        con = sqlite3.connect(v1)
        versions = [v for (v,) in con.execute("SELECT version FROM assure_schema ORDER BY 1")]
        con.close()
        expect("v1: migrated to v2", versions == [1, 2], str(versions))
        r = run(["history", "--db", "v1.db", "--verify"], case)
        expect("v1: verifies after migration",
               r.returncode == 0 and b"3 entries is intact" in r.stdout,
               r.stdout.decode() + r.stderr.decode())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{PASSED[0]} passed, {len(FAILS)} failed" + (": " + "; ".join(FAILS) if FAILS else ""))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
