#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`assure kpi` and `assure report --history` (docs/history.md, "KPIs"; docs/report.md).

Records a short scripted history on a copy of examples/autonomous-ship with ASSURE_HISTORY_NOW
fixed (`prove --record` at fixed times and dates, an `impact --record`):

  run 1  2026-11-23T08:00:00Z  as shipped, judged at 2026-11-23: top claim supported
  run 2  2026-11-24T08:00:00Z  the fog-chamber campaign failed: G_safe lost (an episode opens)
  run 3  2026-11-24T09:00:00Z  impact --change fail:E_fog_sea (a what-if: cost 1, no KPI else)
  run 4  2026-11-25T20:00:00Z  the campaign passes again: G_safe regained after 1 d 12 h
  run 5  2027-03-15T08:00:00Z  judged at 2027-03-15: E_in_service (valid until 2027-03-31) has
                               16 days left: expiring within 30 days
  run 6  2027-04-02T08:00:00Z  judged at 2027-04-02: E_in_service expired 2 days ago, G_safe
                               lost again (an open episode, 0 s at the last entry)

and checks the KPIs against values worked out by hand, the text and JSON against
tests/cli/kpi_ship.expected and kpi_ship.json.expected (--update rewrites them; the JSON's
`head` is compared with `history --format json` instead), --within, refusals and exit codes,
an emptied history, a malformed time (E0810), and the report's History section.

  test_kpi.py --assure BIN --root REPO [--update]
"""
import argparse
import json
import os
import re
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    args.assure = os.path.abspath(args.assure)
    args.root = os.path.abspath(args.root)
    golden_text = os.path.join(args.root, "tests", "cli", "kpi_ship.expected")
    golden_json = os.path.join(args.root, "tests", "cli", "kpi_ship.json.expected")

    def run(argv, cwd, now="2026-11-23T08:00:00Z"):
        env = dict(os.environ, ASSURE_STDLIB=os.path.join(args.root, "stdlib"))
        env["ASSURE_HISTORY_NOW"] = now
        return subprocess.run([args.assure] + argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=300)

    def golden(path, text):
        if args.update:
            with open(path, "w") as f:
                f.write(text)
            return True
        with open(path) as f:
            want = f.read()
        if text != want:
            print("--- got\n" + text + "\n--- expected\n" + want)
        return text == want

    tmp = tempfile.mkdtemp(prefix="assure-kpi-test-")
    try:
        case = os.path.join(tmp, "ship")
        shutil.copytree(os.path.join(args.root, "examples", "autonomous-ship"), case,
                        ignore=shutil.ignore_patterns("assure.lock", ".assure-*", "trace*"))
        files = ["navigation.assure", "perception.assure"]
        perception = os.path.join(case, "perception.assure")
        with open(perception) as f:
            original = f.read()
        start = original.index('evidence E_fog_chamber "Fog chamber campaign FC-3" {')
        cut = original.index("result: pass", start)
        failed = original[:cut] + "result: fail" + original[cut + len("result: pass"):]

        def prove(now, at):
            r = run(["prove", *files, "--at", at, "--record", "h.db"], case, now)
            expect(f"record {now}", r.returncode in (0, 5), r.stderr.decode())
            return r.returncode

        expect("run 1 supported", prove("2026-11-23T08:00:00Z", "2026-11-23") == 0)
        with open(perception, "w") as f:
            f.write(failed)
        expect("run 2 lost", prove("2026-11-24T08:00:00Z", "2026-11-24") == 5)
        r = run(["impact", *files, "--at", "2026-11-24", "--change", "fail:E_fog_sea",
                 "--record", "h.db"], case, "2026-11-24T09:00:00Z")
        expect("run 3 impact recorded", r.returncode in (0, 5), r.stderr.decode())
        with open(perception, "w") as f:
            f.write(original)
        expect("run 4 regained", prove("2026-11-25T20:00:00Z", "2026-11-25") == 0)
        expect("run 5 still supported", prove("2027-03-15T08:00:00Z", "2027-03-15") == 0)
        expect("run 6 expired", prove("2027-04-02T08:00:00Z", "2027-04-02") == 5)

        # ---- JSON: the values by hand --------------------------------------------------------
        j = run(["kpi", "--db", "h.db", "--format", "json"], case)
        expect("json: exit 0", j.returncode == 0, j.stderr.decode())
        doc = json.loads(j.stdout)
        expect("json: format", doc["format"] == "assure-kpi" and doc["version"] == 1)
        expect("json: counts", (doc["entries"], doc["runs"], doc["impact_runs"], doc["events"])
               == (6, 5, 1, 0), doc)
        series = doc["series"]
        expect("json: one point per run, impact left out",
               [p["seq"] for p in series] == [1, 2, 4, 5, 6], [p["seq"] for p in series])
        expect("json: top claims supported",
               [p["top_claims"]["ratio"] for p in series] == ["1/1", "0/1", "1/1", "1/1", "0/1"])
        # Run 2: the failed campaign fails E_fog_chamber and five claims with it (9/14, as
        # `assure history` shows); run 6: the expired monitoring fails four (10/14).
        expect("json: claims supported",
               [p["claims"]["ratio"] for p in series] == ["14/14", "9/14", "14/14", "14/14",
                                                          "10/14"],
               [p["claims"]["ratio"] for p in series])
        expect("json: percent rounded", series[1]["claims"]["percent"] == "64.3"
               and series[4]["claims"]["percent"] == "71.4")
        expect("json: every artifact verified",
               all(p["artifacts"]["ratio"] == "13/13" for p in series))
        # E_in_service is valid until 2027-03-31: 2026-11-23 -> 128 days, 2026-11-24 -> 127,
        # 2026-11-25 -> 126, 2027-03-15 -> 16 (expiring within 30), 2027-04-02 -> -2 (expired).
        expect("json: days to expiry",
               [p["evidence_expiry"]["min_days_left"] for p in series] == [128, 127, 126, 16, -2])
        expect("json: expiring", [p["evidence_expiry"]["expiring"] for p in series]
               == [0, 0, 0, 1, 0])
        expect("json: expired", [p["evidence_expiry"]["expired"] for p in series]
               == [0, 0, 0, 0, 1])
        # Evidence age at run 1: the twelve `date:`s of the example, judged at 2026-11-23:
        # 2026-05-18 (189), 2026-06-23 (153), 2025-09-26 (423), 2025-12-02 (356),
        # 2025-10-31 (388) x3, 2026-04-24 (213), 2025-06-20 (521), 2026-03-31 (237),
        # 2025-12-12 (346), 2026-10-15 (39): sum 3641, mean 3641/12, max 521.
        age = series[0]["evidence_age"]
        expect("json: age at run 1", (age["dated"], age["mean_days"], age["max_days"])
               == (12, "3641/12", 521), age)
        # Each run judged d days later adds 12 d: run 6 (+130 days) 3641 + 1560 = 5201, max 651.
        expect("json: age at run 6", series[4]["evidence_age"]["mean_days"] == "5201/12"
               and series[4]["evidence_age"]["max_days"] == 651, series[4]["evidence_age"])
        s = doc["summary"]
        expect("json: last run", s["last_run"]["seq"] == 6)
        pieces = s["last_run"]["evidence_expiry"]["pieces"]
        expect("json: the expired piece", pieces == [
            {"name": "ship.perception.E_in_service", "valid_until": "2027-03-31",
             "days_left": -2, "state": "expired"}], pieces)
        t = s["time_to_reassure"]
        # Lost at run 2 (2026-11-24T08:00), regained at run 4 (2026-11-25T20:00): 36 h.
        expect("json: episodes", (t["closed"], t["open"], t["mean_seconds"], t["max_seconds"])
               == (1, 1, "129600", 129600), t)
        eps = t["episodes"]
        expect("json: closed episode", eps[0]["claim"] == "ship.navigation.G_safe"
               and eps[0]["lost_seq"] == 2 and eps[0]["regained_seq"] == 4
               and eps[0]["seconds"] == 129600, eps)
        expect("json: open episode", eps[1]["open"] and eps[1]["lost_seq"] == 6
               and eps[1]["seconds"] == 0 and eps[1]["end_at"] == "2027-04-02T08:00:00Z", eps)
        c = s["reverification_cost"]
        expect("json: cost", c["impact_runs"] == 1 and c["with_cost"] == 1 and c["mean"] == "1"
               and c["runs"][0]["seq"] == 3 and c["runs"][0]["evidence"] == 1, c)
        a = s["alarms"]
        expect("json: no alarm without events", a["raised"] == 0 and a["open"] == 0
               and [q["quarter"] for q in a["quarters"]] == ["2026-Q4", "2027-Q1", "2027-Q2"], a)
        expect("json: no release", s["releases"]["total"] == 0
               and s["releases"]["percent"] is None)
        h = json.loads(run(["history", "--db", "h.db", "--format", "json"], case).stdout)
        expect("json: head is the last entry's hash", doc["head"] == h["runs"][-1]["hash"])
        doc["head"] = "<head>"
        expect("json: as expected", golden(golden_json, json.dumps(doc, indent=2) + "\n"))
        expect("json: deterministic", run(["kpi", "--db", "h.db", "--format", "json"],
                                          case).stdout == j.stdout)

        # ---- text ----------------------------------------------------------------------------
        tx = run(["kpi", "--db", "h.db"], case)
        text = tx.stdout.decode()
        expect("text: exit 0", tx.returncode == 0, tx.stderr.decode())
        expect("text: as expected", golden(golden_text, text))
        expect("text: board", "top claims supported  0/1    0.0%" in text
               and "1 closed, 1 open; mean 1 d 12 h (129600 s)" in text, text)

        # --within: 16 days left is not within 10.
        w = json.loads(run(["kpi", "--db", "h.db", "--format", "json", "--within", "10"],
                           case).stdout)
        expect("within 10", w["within_days"] == 10
               and [p["evidence_expiry"]["expiring"] for p in w["series"]] == [0] * 5)
        w = json.loads(run(["kpi", "--db", "h.db", "--format", "json", "--within", "16"],
                           case).stdout)
        expect("within 16 (inclusive)", w["series"][3]["evidence_expiry"]["expiring"] == 1)
        r = run(["kpi", "--db", "h.db", "--within", "-1"], case)
        expect("within -1: usage", r.returncode == 2, r.stderr.decode())

        # ---- refusals ------------------------------------------------------------------------
        r = run(["kpi", "--db", "missing.db"], case)
        expect("refuse: missing", r.returncode == 1 and b"E0803" in r.stderr, r.stderr.decode())
        expect("refuse: missing not created", not os.path.exists(os.path.join(case, "missing.db")))
        os.symlink("h.db", os.path.join(case, "link.db"))
        r = run(["kpi", "--db", "link.db"], case)
        expect("refuse: symlink", r.returncode == 1 and b"E0803" in r.stderr, r.stderr.decode())
        with open(os.path.join(case, "notes.txt"), "w") as f:
            f.write("not a database\n")
        r = run(["kpi", "--db", "notes.txt", "--diagnostics", "json"], case)
        expect("refuse: not a history", r.returncode == 1 and b"E0801" in r.stderr,
               r.stderr.decode())
        bad = os.path.join(case, "bad.db")
        shutil.copy(os.path.join(case, "h.db"), bad)
        con = sqlite3.connect(bad)
        con.execute("UPDATE runs SET recorded_at = 'yesterday' WHERE seq = 4")
        con.commit()
        con.close()
        r = run(["kpi", "--db", "bad.db"], case)
        err = r.stderr.decode()
        expect("malformed time: E0810", r.returncode == 1 and "E0810" in err and "entry 4" in err
               and "yesterday" in err and r.stdout == b"", err)

        # An emptied history (every entry deleted, the head reset): nothing to compute.
        empty = os.path.join(case, "empty.db")
        shutil.copy(os.path.join(case, "h.db"), empty)
        con = sqlite3.connect(empty)
        tables = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND (name LIKE 'run%' OR name IN ('events', "
                                            "'entries'))")]
        con.executescript("PRAGMA foreign_keys = OFF;" +
                          "".join(f"DELETE FROM {t};" for t in tables) +
                          "UPDATE assure_meta SET value = '0' WHERE key = 'head_seq';"
                          "UPDATE assure_meta SET value = '' WHERE key = 'head_hash';")
        con.commit()
        con.close()
        v = run(["history", "--db", "empty.db", "--verify"], case)
        expect("empty: a whole empty chain", v.returncode == 0 and b"0 entries" in v.stdout,
               v.stdout.decode() + v.stderr.decode())
        r = run(["kpi", "--db", "empty.db"], case)
        expect("empty: nothing to compute", r.returncode == 0
               and b"nothing to compute" in r.stdout, r.stdout.decode() + r.stderr.decode())
        r = run(["kpi", "--db", "empty.db", "--format", "json"], case)
        e = json.loads(r.stdout)
        expect("empty: json", r.returncode == 0 and e["entries"] == 0 and e["series"] == []
               and e["summary"]["last_run"] is None, e)

        # ---- report --history ----------------------------------------------------------------
        def report(out, *extra):
            return run(["report", *files, "--at", "2027-04-02", "-o", out, *extra], case)

        r = report("page.html", "--history", "h.db")
        expect("report: exits like prove", r.returncode == 5, r.stderr.decode())
        with open(os.path.join(case, "page.html"), encoding="utf-8") as f:
            page = f.read()
        r2 = report("page2.html", "--history", "h.db")
        with open(os.path.join(case, "page2.html"), encoding="utf-8") as f:
            expect("report: deterministic", f.read() == page)
        expect("report: a History section", '<section id="history">' in page
               and '<a href="#history">History</a>' in page)
        charts = re.findall(r'<svg class="chart" id="(history-[a-z]+)" role="img" '
                            r'aria-labelledby="[^"]+"[^>]*>\s*<title id="[^"]+">([^<]+)</title>'
                            r'<desc id="[^"]+">([^<]+)</desc>', page)
        expect("report: four charts with a title and a description",
               [c[0] for c in charts] == ["history-ratios", "history-expiry",
                                          "history-defeaters", "history-alarms"], charts)
        expect("report: the description says the values",
               "Top claims supported: 1/1 (100.0%) at the first run, 0/1 (0.0%) at the last"
               in charts[0][2] if charts else False, charts)
        expect("report: a table behind every chart",
               page.count('<details class="chart-data">') == 4)
        expect("report: the episodes table",
               "ship.navigation.G_safe" in page and "1 d 12 h (129600 s)" in page)
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
        expect("report: the policy is unchanged", csp and csp.group(1).startswith(
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-"))
        expect("report: no URL in the history section",
               not re.search(r'(href|src)="(?!#)', page[page.index('<section id="history">'):
                                                         page.index('<section id="diagrams">')]))
        plain = report("plain.html")
        with open(os.path.join(case, "plain.html"), encoding="utf-8") as f:
            plain_page = f.read()
            expect("report: no History section, link or style without --history",
                   plain.returncode == 5 and 'id="history"' not in plain_page
                   and "#history" not in plain_page and "chart-block" not in plain_page)
        r = report("nope.html", "--history", "bad.db")
        expect("report: a malformed history is refused, nothing written",
               r.returncode == 1 and b"E0810" in r.stderr
               and not os.path.exists(os.path.join(case, "nope.html")), r.stderr.decode())
        r = report("nope.html", "--history", "missing.db")
        expect("report: a missing history is refused",
               r.returncode == 1 and b"E0803" in r.stderr
               and not os.path.exists(os.path.join(case, "nope.html")), r.stderr.decode())
        r = report("empty.html", "--history", "empty.db")
        with open(os.path.join(case, "empty.html"), encoding="utf-8") as f:
            expect("report: an empty history says so", r.returncode == 5
                   and "nothing to compute" in f.read())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{PASSED[0]} passed, {len(FAILS)} failed" + (": " + "; ".join(FAILS) if FAILS else ""))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
