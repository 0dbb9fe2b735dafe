#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`prove --record`, `impact --record` and `assure history` (docs/history.md), on either store.

Works on a copy of examples/autonomous-ship judged at fixed dates with ASSURE_HISTORY_NOW fixed:
three recorded runs (as shipped; a fog campaign that failed; the campaign passing again) and an
impact run; the history text (compared with tests/cli/history_ship.expected, the same for both
stores; --update rewrites it) and JSON; --verify on the untouched history and on copies tampered
with SQL (an edited verdict, a deleted run, two runs swapped, a cut tail); refusals (another
database, a newer schema), each leaving the database untouched; a history of schema v1 read and
migrated.

--backend sqlite: the history is a file (tampered with python's sqlite3); also the refusals of
paths (a symlink, a case file, a missing file).
--backend postgresql: the history is a database on the server of ASSURE_TEST_PG_URL (the test
cluster, tests/support/pg_cluster.sh), one database per history, copied with CREATE DATABASE
... TEMPLATE and tampered with psql from ASSURE_TEST_PG_BIN; also: the tables are SQLite's,
column for column; passwords never shown or recorded; an empty or missing database.

  test_history.py --assure BIN --root REPO [--backend sqlite|postgresql] [--update]
"""
import argparse
import csv
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse

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


class Sqlite:
    """Histories as files in the case's folder (locations relative to it)."""
    name = "sqlite"
    no_foreign_keys = "PRAGMA foreign_keys = OFF;"

    def __init__(self, case):
        self.case = case

    def new(self, name):
        return name + ".db"

    def copy(self, loc, name):
        shutil.copy(os.path.join(self.case, loc), os.path.join(self.case, name + ".db"))
        return name + ".db"

    def execute(self, loc, sql):
        con = sqlite3.connect(os.path.join(self.case, loc))
        con.executescript(sql)
        con.commit()
        con.close()

    def query(self, loc, sql):
        con = sqlite3.connect(os.path.join(self.case, loc))
        rows = [tuple(str(v) for v in r) for r in con.execute(sql)]
        con.close()
        return rows

    def fingerprint(self, loc):
        return digest(os.path.join(self.case, loc))

    def cleanup(self):
        pass


class Postgres:
    """Histories as databases of the test server, each made empty by new() or copied."""
    name = "postgresql"
    no_foreign_keys = "SET session_replication_role = replica;"

    def __init__(self, url, bindir):
        self.url = url
        self.psql = os.path.join(bindir, "psql")
        self.pg_dump = os.path.join(bindir, "pg_dump")
        self.prefix = f"history_{os.getpid()}_"
        self.created = []

    def url_of(self, db, url=None):
        parts = urllib.parse.urlsplit(url or self.url)
        return urllib.parse.urlunsplit(parts._replace(path="/" + db))

    def db_of(self, loc):
        return urllib.parse.urlsplit(loc).path[1:]

    def psql_run(self, loc, sql, check=True):
        r = subprocess.run([self.psql, "-X", "-q", "-A", "-t", "-F", "\x1f", "-v",
                            "ON_ERROR_STOP=1", "-d", loc, "-f", "-"], input=sql.encode(),
                           capture_output=True, timeout=120)
        if check and r.returncode != 0:
            raise RuntimeError(f"psql failed: {r.stderr.decode()}\n{sql}")
        return r

    def new(self, name):
        db = self.prefix + name
        self.psql_run(self.url, f'CREATE DATABASE "{db}"')
        self.created.append(db)
        return self.url_of(db)

    def copy(self, loc, name):
        db = self.prefix + name
        self.psql_run(self.url, f'CREATE DATABASE "{db}" TEMPLATE "{self.db_of(loc)}"')
        self.created.append(db)
        return self.url_of(db)

    def execute(self, loc, sql):
        self.psql_run(loc, sql)

    def query(self, loc, sql):
        out = self.psql_run(loc, sql).stdout.decode()
        return [tuple(line.split("\x1f")) for line in out.splitlines() if line]

    def fingerprint(self, loc):
        r = subprocess.run([self.pg_dump, "--no-owner", "-d", loc], capture_output=True,
                           timeout=120)
        if r.returncode != 0:
            raise RuntimeError(r.stderr.decode())
        # pg_dump 15.14 and later frame the dump with a random \restrict key.
        lines = [line for line in r.stdout.splitlines()
                 if not line.startswith((b"\\restrict", b"\\unrestrict"))]
        return hashlib.sha256(b"\n".join(lines)).hexdigest()

    def import_sqlite(self, loc, path, tmp):
        """The tables of the SQLite file `path` (INTEGER as BIGINT) and their rows, into `loc`."""
        con = sqlite3.connect(path)
        tables = list(con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                  "ORDER BY rowid"))
        script = "".join(sql.replace("INTEGER", "BIGINT") + ";\n" for _, sql in tables)
        for name, _ in tables:
            csv_path = os.path.join(tmp, name + ".csv")
            with open(csv_path, "w", newline="") as f:
                # Strings quoted: an unquoted empty field would be read as NULL.
                csv.writer(f, quoting=csv.QUOTE_NONNUMERIC).writerows(
                    con.execute(f"SELECT * FROM {name}"))
            script += f"\\copy {name} FROM '{csv_path}' WITH (FORMAT csv)\n"
        con.close()
        self.execute(loc, script)

    def exists(self, db):
        return self.query(self.url, f"SELECT count(*) FROM pg_database WHERE datname = '{db}'") \
            == [("1",)]

    def cleanup(self):
        for db in self.created:
            self.psql_run(self.url, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)', check=False)


def sqlite_paths(run, case, files, perception):
    """The refusals of file paths: a symlink, a case file, a missing file."""
    os.symlink("h.db", os.path.join(case, "link.db"))
    r = run(["prove", *files, "--at", "2026-11-23", "--record", "link.db"], case)
    expect("refuse: symlink", r.returncode == 2 and b"E0803" in r.stderr, r.stderr.decode())
    before = digest(perception)
    r = run(["prove", *files, "--at", "2026-11-23", "--record", "perception.assure"], case)
    expect("refuse: case file", r.returncode == 2 and b"E0803" in r.stderr, r.stderr.decode())
    expect("refuse: case file untouched", digest(perception) == before)
    r = run(["history", "--db", "missing.db"], case)
    expect("refuse: missing", r.returncode == 1 and b"E0803" in r.stderr)
    expect("refuse: missing not created", not os.path.exists(os.path.join(case, "missing.db")))


def sqlite_columns(path):
    """Each table's columns as (table, column, type, nullable, default, position in the key)."""
    con = sqlite3.connect(path)
    out = []
    tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "ORDER BY name")]
    for table in tables:
        for _, name, type_, notnull, default, pk in con.execute(f"PRAGMA table_info({table})"):
            out.append((table, name, {"INTEGER": "bigint", "TEXT": "text"}[type_],
                        "NO" if notnull or pk else "YES", default or "", str(pk)))
    con.close()
    return out


def postgresql_columns(store, loc):
    rows = store.query(loc, """
        SELECT c.table_name, c.column_name, c.data_type, c.is_nullable,
               coalesce(c.column_default, ''), coalesce(k.ordinal_position, 0)
        FROM information_schema.columns c LEFT JOIN (
            SELECT u.table_name, u.column_name, u.ordinal_position
            FROM information_schema.table_constraints t
            JOIN information_schema.key_column_usage u
              ON u.constraint_name = t.constraint_name AND u.table_schema = t.table_schema
            WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = 'public') k
          ON k.table_name = c.table_name AND k.column_name = c.column_name
        WHERE c.table_schema = 'public' ORDER BY c.table_name, c.ordinal_position""")
    return [(t, c, ty, n, d.replace("::text", ""), k) for (t, c, ty, n, d, k) in rows]


def postgresql_only(run, case, files, store, h):
    """The tables are SQLite's; passwords are never shown or recorded; an empty database is not
    a history to read and stays empty; a missing database is not created."""
    lite = os.path.join(case, "compare.db")
    r = run(["prove", *files, "--at", "2026-11-23", "--record", "compare.db"], case)
    expect("schema: a SQLite history to compare with", r.returncode == 0, r.stderr.decode())
    want, got = sqlite_columns(lite), postgresql_columns(store, h)
    expect("schema: the tables and columns are SQLite's", want == got,
           "\n" + "\n".join(f"{a} | {b}" for a, b in zip(want + [None] * len(got),
                                                           got + [None] * len(want)) if a != b))
    con = sqlite3.connect(lite)
    lite_versions = [tuple(str(v) for v in r) for r in
                     con.execute("SELECT version, description FROM assure_schema ORDER BY 1")]
    con.close()
    expect("schema: the same migrations",
           store.query(h, "SELECT version, description FROM assure_schema ORDER BY 1")
           == lite_versions)

    parts = urllib.parse.urlsplit(store.url)
    passfile = urllib.parse.unquote(urllib.parse.parse_qs(parts.query)["passfile"][0])
    with open(passfile) as f:
        password = f.read().strip().split(":")[4]
    host = f"{parts.hostname}:{parts.port}"
    with_password = store.url_of(store.db_of(store.new("pw")),
                                 f"postgresql://assure:{password}@{host}/x")
    r = run(["prove", *files, "--at", "2026-11-23", "--record", with_password], case)
    expect("password: a URL with a password records", r.returncode == 0, r.stderr.decode())
    r = run(["prove", *files, "--at", "2026-11-23", "--record=" + with_password], case)
    expect("password: --record=URL records", r.returncode == 0, r.stderr.decode())
    j = run(["history", "--db", with_password, "--format", "json"], case)
    args = [r["arguments"] for r in json.loads(j.stdout)["runs"]] if j.returncode == 0 else []
    expect("password: not recorded", len(args) == 2 and password not in j.stdout.decode()
           and any("postgresql://assure:***@" in a for a in args[0])
           and any(a.startswith("--record=postgresql://assure:***@") for a in args[1]), args)
    v = run(["history", "--db", with_password, "--verify"], case)
    expect("password: not shown", v.returncode == 0 and password.encode() not in v.stdout
           and b"postgresql://assure:***@" in v.stdout, v.stdout.decode())
    wrong = f"postgresql://assure:Wr0ng-{password[:6]}x@{host}/{store.db_of(h)}"
    for argv in (["history", "--db", wrong], ["prove", *files, "--record", wrong]):
        r = run(argv, case)
        err = r.stderr.decode()
        expect(f"password: {argv[0]} with a wrong one", r.returncode in (1, 2) and "E0803" in err
               and "password authentication failed" in err and "Wr0ng" not in err
               and password not in err, err)

    empty = store.new("empty")
    r = run(["history", "--db", empty], case)
    expect("refuse: an empty database", r.returncode == 1 and b"E0801" in r.stderr
           and b"empty" in r.stderr, r.stderr.decode())
    expect("refuse: an empty database stays empty",
           store.query(empty, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
           == [("0",)])
    missing = store.url_of(store.prefix + "missing")
    r = run(["history", "--db", missing], case)
    expect("refuse: missing database", r.returncode == 1 and b"E0803" in r.stderr
           and b"does not exist" in r.stderr, r.stderr.decode())
    r = run(["prove", *files, "--record", missing], case)
    expect("refuse: missing database for --record", r.returncode == 2 and b"E0803" in r.stderr,
           r.stderr.decode())
    expect("refuse: missing database not created", not store.exists(store.prefix + "missing"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
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

    if args.backend == "postgresql":
        url = os.environ.get("ASSURE_TEST_PG_URL", "")
        if not url:
            print("FAIL: --backend postgresql needs ASSURE_TEST_PG_URL (run through "
                  "tests/support/pg_cluster.sh exec)")
            return 1
        store = Postgres(url, os.environ.get("ASSURE_TEST_PG_BIN", "/usr/bin"))
    else:
        store = None
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
        store = store or Sqlite(case)
        h = store.new("h")

        plain = run(["prove", *files, "--at", "2026-11-23"], case)
        p1 = run(["prove", *files, "--at", "2026-11-23", "--record", h], case,
                 "2026-11-23T08:00:00Z")
        expect("record: the exit code is prove's", p1.returncode == plain.returncode,
               p1.stderr.decode())
        expect("record: stdout is prove's", p1.stdout == plain.stdout)
        expect("record: the history is created",
               store.query(h, "SELECT count(*) FROM entries") == [("1",)])
        with open(perception, "w") as f:
            f.write(failed)
        p2 = run(["prove", *files, "--at", "2026-11-24", "--record", h], case,
                 "2026-11-24T08:00:00Z")
        expect("record: a failed campaign fails a claim", p2.returncode == 5, p2.stderr.decode())
        with open(perception, "w") as f:
            f.write(original)
        p3 = run(["prove", *files, "--at", "2026-11-25", "--record", h], case,
                 "2026-11-25T08:00:00Z")
        expect("record: third run", p3.returncode == plain.returncode, p3.stderr.decode())
        p4 = run(["impact", *files, "--at", "2026-11-25", "--change", "fail:E_fog_chamber",
                  "--record", h], case, "2026-11-25T09:00:00Z")
        expect("record: impact records", p4.returncode in (0, 5), p4.stderr.decode())

        listed = run(["history", "--db", h], case)
        text = listed.stdout.decode()
        expect("history: exit 0", listed.returncode == 0, listed.stderr.decode())
        expect("history: deterministic", run(["history", "--db", h], case).stdout == listed.stdout)
        if args.update and store.name == "sqlite":
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

        j = run(["history", "--db", h, "--format", "json"], case)
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

        v = run(["history", "--db", h, "--verify"], case)
        expect("verify: intact", v.returncode == 0 and b"intact" in v.stdout, v.stderr.decode())

        copies = {}

        def tampered(name, sql):
            copies[name] = store.copy(h, name)
            store.execute(copies[name], sql)
            return run(["history", "--db", copies[name], "--verify"], case)

        tables = ["run_files", "run_artifacts", "run_claims", "run_evidence", "run_findings",
                  "run_defeaters", "runs", "events", "entries"]
        t = tampered("edit", "UPDATE run_claims SET verdict = 'supported' WHERE seq = 2;")
        err = t.stderr.decode()
        expect("tamper: edited verdict", t.returncode == 6 and "E0804" in err
               and "entry 2" in err and "edited" in err, err)
        t = tampered("reason", "UPDATE run_evidence SET reasons = '[]' WHERE seq = 2 AND "
                                  "status = 'invalid';")
        expect("tamper: edited reason", t.returncode == 6 and "entry 2" in t.stderr.decode(),
               t.stderr.decode())
        t = tampered("delete", "".join(f"DELETE FROM {x} WHERE seq = 2;" for x in tables))
        expect("tamper: deleted run", t.returncode == 6 and "entry 3" in t.stderr.decode(),
               t.stderr.decode())
        swap = "".join(f"UPDATE {x} SET seq = -1 WHERE seq = 1; UPDATE {x} SET seq = 1 WHERE "
                       f"seq = 2; UPDATE {x} SET seq = 2 WHERE seq = -1;" for x in tables)
        t = tampered("swap", store.no_foreign_keys + swap)
        expect("tamper: reordered", t.returncode == 6 and "entry 1" in t.stderr.decode(),
               t.stderr.decode())
        t = tampered("cut", "".join(f"DELETE FROM {x} WHERE seq = 4;" for x in tables))
        expect("tamper: cut tail", t.returncode == 6 and "entry 4" in t.stderr.decode(),
               t.stderr.decode())
        tj = run(["history", "--db", copies["edit"], "--verify", "--format", "json"], case)
        expect("tamper: json", tj.returncode == 6
               and json.loads(tj.stdout)["first_bad_entry"] == 2, tj.stdout)

        # Refusals, each leaving the database as it was.
        other = store.new("other")
        store.execute(other, "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine');")
        before = store.fingerprint(other)
        r = run(["prove", *files, "--at", "2026-11-23", "--record", other], case)
        expect("refuse: another database", r.returncode == 2 and b"E0801" in r.stderr,
               r.stderr.decode())
        expect("refuse: another database untouched", store.fingerprint(other) == before)
        r = run(["history", "--db", other], case)
        expect("refuse: history of another database", r.returncode == 1 and b"E0801" in r.stderr)
        newer = store.copy(h, "newer")
        store.execute(newer, "INSERT INTO assure_schema VALUES(99, 'from the future');")
        before = store.fingerprint(newer)
        r = run(["prove", *files, "--at", "2026-11-23", "--record", newer], case)
        expect("refuse: newer schema", r.returncode == 2 and b"E0802" in r.stderr,
               r.stderr.decode())
        expect("refuse: newer schema untouched", store.fingerprint(newer) == before)
        r = run(["history", "--db", newer], case)
        expect("refuse: history newer", r.returncode == 1 and b"E0802" in r.stderr)
        r = run(["prove", *files, "--at", "2026-11-23", "--record", store.new("h2")], case,
                "yesterday")
        expect("refuse: bad ASSURE_HISTORY_NOW", r.returncode == 2, r.stderr.decode())
        if store.name == "sqlite":
            sqlite_paths(run, case, files, perception)
        else:
            postgresql_only(run, case, files, store, h)

        # A history of schema v1 (tests/fixtures/history/ship-v1.db, two runs recorded by the
        # assure of issue 18's first slice; for PostgreSQL, its tables and rows copied into a
        # database, INTEGER read as BIGINT): read as it is, migrated to v2 when next recorded in,
        # and its old entries still verify.
        fixture = os.path.join(args.root, "tests", "fixtures", "history", "ship-v1.db")
        if store.name == "sqlite":
            v1 = "v1.db"
            shutil.copy(fixture, os.path.join(case, v1))
        else:
            v1 = store.new("v1")
            store.import_sqlite(v1, fixture, tmp)
        r = run(["history", "--db", v1, "--verify"], case)
        expect("v1: verifies", r.returncode == 0 and b"2 entries is intact" in r.stdout,
               r.stdout.decode() + r.stderr.decode())
        r = run(["prove", *files, "--at", "2026-11-23", "--record", v1], case)
        expect("v1: recorded in", r.returncode == 0, r.stderr.decode())
        versions = [v for (v,) in store.query(v1, "SELECT version FROM assure_schema ORDER BY 1")]
        expect("v1: migrated to v2", versions == ["1", "2"], str(versions))
        r = run(["history", "--db", v1, "--verify"], case)
        expect("v1: verifies after migration",
               r.returncode == 0 and b"3 entries is intact" in r.stdout,
               r.stdout.decode() + r.stderr.decode())
    finally:
        if store is not None:
            store.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{PASSED[0]} passed, {len(FAILS)} failed" + (": " + "; ".join(FAILS) if FAILS else ""))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
