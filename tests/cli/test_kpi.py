#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`assure kpi` and `assure report --history` (docs/history.md, "KPIs"; docs/report.md).

Records a short scripted history on a copy of examples/autonomous-ship with ASSURE_HISTORY_NOW
fixed: `prove --record` at fixed times and dates, an `impact --record`, and events written with
`assure event --db` (each re-judges the case at its date, a run whose trigger is the event):

   1 prove  2026-11-23T08:00  as shipped: G_safe supported
   2 prove  2026-11-24T08:00  the fog-chamber campaign failed (file edited): G_safe lost
   3 impact 2026-11-24T09:00  --change fail:E_fog_sea: a what-if, plan cost 1, no other KPI
   4 prove  2026-11-25T20:00  the campaign passes again: regained, episode 1 = 36 h
   5 event  2026-12-01T08:00  fail:E_in_service (alarm 1)             -> run 6: lost (episode 2)
   7 event  2026-12-02T08:00  open:D_chamber_fog (alarm 2)            -> run 8: D open
   9 event  2026-12-03T08:00  attest:E_in_service (alarm 1 resolved)  -> run 10: still lost (D)
  11 event  2026-12-04T08:00  release:abc123=verified                 -> run 12
  13 event  2026-12-05T20:00  resolve:D_chamber_fog (alarm 2 resolved) -> run 14: regained
  15 event  2027-01-20T12:00  release:def456                          -> run 16
  17 event  2027-03-15T08:00  pending:E_harbour_holdout (alarm 3)     -> run 18: lost (episode 3);
                              E_in_service (valid until 2027-03-31) has 16 days left: expiring
  19 event  2027-04-02T08:00  release:0badc0de=unverified             -> run 20: E_in_service
                              expired 2 days ago; episode 3 and alarm 3 still open (18 days)

and checks the KPIs against values worked out by hand (in the comments below), the text and
JSON against tests/cli/kpi_ship.expected and kpi_ship.json.expected (--update rewrites them;
the JSON's `head` is compared with `history --format json` instead), --within, refusals and
exit codes, an emptied history, a malformed time (E0810), and the report's History section.

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

        def prove(now):
            r = run(["prove", *files, "--at", now[:10], "--record", "h.db"], case, now)
            expect(f"record {now}", r.returncode in (0, 5), r.stderr.decode())
            return r.returncode

        def event(now, spec):
            r = run(["event", "--db", "h.db", "--at", now[:10], spec, *files], case, now)
            expect(f"event {spec}", r.returncode in (0, 5), r.stderr.decode())
            return r.returncode

        expect("run 1 supported", prove("2026-11-23T08:00:00Z") == 0)
        with open(perception, "w") as f:
            f.write(failed)
        expect("run 2 lost", prove("2026-11-24T08:00:00Z") == 5)
        r = run(["impact", *files, "--at", "2026-11-24", "--change", "fail:E_fog_sea",
                 "--record", "h.db"], case, "2026-11-24T09:00:00Z")
        expect("run 3 impact recorded", r.returncode in (0, 5), r.stderr.decode())
        with open(perception, "w") as f:
            f.write(original)
        expect("run 4 regained", prove("2026-11-25T20:00:00Z") == 0)
        expect("event 5", event("2026-12-01T08:00:00Z", "fail:E_in_service") == 5)
        expect("event 7", event("2026-12-02T08:00:00Z", "open:D_chamber_fog") == 5)
        expect("event 9", event("2026-12-03T08:00:00Z", "attest:E_in_service") == 5)
        expect("event 11", event("2026-12-04T08:00:00Z", "release:abc123=verified") == 5)
        expect("event 13", event("2026-12-05T20:00:00Z", "resolve:D_chamber_fog") == 0)
        expect("event 15", event("2027-01-20T12:00:00Z", "release:def456") == 0)
        expect("event 17", event("2027-03-15T08:00:00Z", "pending:E_harbour_holdout") == 5)
        expect("event 19", event("2027-04-02T08:00:00Z", "release:0badc0de=unverified") == 5)
        v = run(["history", "--db", "h.db", "--verify"], case)
        expect("the history is whole", v.returncode == 0 and b"20 entries" in v.stdout,
               v.stdout.decode() + v.stderr.decode())

        # ---- JSON: the values by hand --------------------------------------------------------
        j = run(["kpi", "--db", "h.db", "--format", "json"], case)
        expect("json: exit 0", j.returncode == 0, j.stderr.decode())
        doc = json.loads(j.stdout)
        expect("json: format", doc["format"] == "assure-kpi" and doc["version"] == 1)
        expect("json: counts", (doc["entries"], doc["runs"], doc["impact_runs"], doc["events"])
               == (20, 11, 1, 8), doc)
        series = doc["series"]
        seqs = [p["seq"] for p in series]
        expect("json: one point per run, the impact run left out",
               seqs == [1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20], seqs)
        expect("json: triggers", [p["trigger"] for p in series]
               == [None, None, None, 5, 7, 9, 11, 13, 15, 17, 19])
        tops = [p["top_claims"]["ratio"] for p in series]
        expect("json: top claims supported", tops == ["1/1", "0/1", "1/1", "0/1", "0/1", "0/1",
                                                      "0/1", "1/1", "1/1", "0/1", "0/1"], tops)
        # Run 2: the failed campaign fails five claims (9/14, as `assure history` shows).
        expect("json: claims supported", series[1]["claims"]["ratio"] == "9/14"
               and series[1]["claims"]["percent"] == "64.3" and series[0]["claims"]["percent"]
               == "100.0", series[1]["claims"])
        expect("json: every artifact verified",
               all(p["artifacts"]["ratio"] == "13/13" for p in series))
        # E_in_service is valid until 2027-03-31: 128 days left at 2026-11-23, 16 at
        # 2027-03-15 (expiring within 30), -2 at 2027-04-02 (expired).
        days = [p["evidence_expiry"]["min_days_left"] for p in series]
        expect("json: days to expiry", days == [128, 127, 126, 120, 119, 118, 117, 116, 70, 16,
                                                -2], days)
        expect("json: expiring", [p["evidence_expiry"]["expiring"] for p in series]
               == [0] * 9 + [1, 0])
        expect("json: expired", [p["evidence_expiry"]["expired"] for p in series]
               == [0] * 10 + [1])
        # Evidence age at run 1: the twelve `date:`s of the example, judged at 2026-11-23:
        # 2026-05-18 (189), 2026-06-23 (153), 2025-09-26 (423), 2025-12-02 (356),
        # 2025-10-31 (388) x3, 2026-04-24 (213), 2025-06-20 (521), 2026-03-31 (237),
        # 2025-12-12 (346), 2026-10-15 (39): sum 3641, mean 3641/12, max 521.
        age = series[0]["evidence_age"]
        expect("json: age at run 1", (age["dated"], age["mean_days"], age["max_days"])
               == (12, "3641/12", 521), age)
        # At run 20 (130 days later) each piece is 130 days older (3641 + 1560 = 5201), but
        # E_in_service was re-attested on 2026-12-03: 120 days old, not 169: 5201 - 49 = 5152,
        # mean 5152/12 = 1288/3, max 521 + 130 = 651.
        age = series[-1]["evidence_age"]
        expect("json: age at run 20", (age["mean_days"], age["max_days"]) == ("1288/3", 651), age)
        # D_chamber_fog is open at runs 8, 10 and 12, since run 8 (its open: event has the same
        # time): 2 days at run 12.
        expect("json: open defeaters", [p["defeaters"]["open"] for p in series]
               == [0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0])
        expect("json: defeater age", series[6]["defeaters"]["oldest_open_seconds"] == 172800)
        s = doc["summary"]
        expect("json: last run", s["last_run"]["seq"] == 20)
        expect("json: no defeater open at the last run", s["last_run"]["defeaters"]["open_list"]
               == [])
        pieces = s["last_run"]["evidence_expiry"]["pieces"]
        expect("json: the expired piece", pieces == [
            {"name": "ship.perception.E_in_service", "valid_until": "2027-03-31",
             "days_left": -2, "state": "expired"}], pieces)
        t = s["time_to_reassure"]
        # Episode 1: run 2 (2026-11-24T08:00, no trigger) to run 4 (2026-11-25T20:00): 36 h.
        # Episode 2: event 5 (2026-12-01T08:00) to run 14 (2026-12-05T20:00): 4 d 12 h.
        # Episode 3: event 17 (2027-03-15T08:00), open at the last entry (2027-04-02T08:00):
        # 18 d. Mean of the closed (129600 + 388800) / 2 = 259200 (3 d), max 388800.
        expect("json: episodes", (t["closed"], t["open"], t["mean_seconds"], t["max_seconds"])
               == (2, 1, "259200", 388800), t)
        eps = [(e["claim"], e["lost_seq"], e["start_seq"], e["regained_seq"], e["seconds"],
                e["open"]) for e in t["episodes"]]
        g = "ship.navigation.G_safe"
        expect("json: each episode", eps == [(g, 2, 2, 4, 129600, False),
                                             (g, 6, 5, 14, 388800, False),
                                             (g, 18, 17, None, 1555200, True)], eps)
        c = s["reverification_cost"]
        expect("json: cost", c["impact_runs"] == 1 and c["with_cost"] == 1 and c["mean"] == "1"
               and c["runs"][0]["seq"] == 3 and c["runs"][0]["evidence"] == 1, c)
        # Alarms: fail:E_in_service 2026-12-01T08:00 -> attest 2026-12-03T08:00 (172800 s);
        # open:D 2026-12-02T08:00 -> resolve 2026-12-05T20:00 (302400 s), both 2026-Q4: mean
        # 237600, max 302400; pending:E_harbour_holdout 2027-03-15T08:00 (2027-Q1) still open
        # at 2027-04-02T08:00 (1555200 s); 2027-Q2 (the last entry's quarter) has none.
        a = s["alarms"]
        expect("json: alarms", (a["raised"], a["resolved"], a["open"], a["mean_resolve_seconds"],
                                a["max_resolve_seconds"]) == (3, 2, 1, "237600", 302400), a)
        qs = [(q["quarter"], q["raised"], q["resolved"], q["mean_resolve_seconds"],
               q["max_resolve_seconds"]) for q in a["quarters"]]
        expect("json: alarms per quarter", qs == [("2026-Q4", 2, 2, "237600", 302400),
                                                  ("2027-Q1", 1, 0, None, None),
                                                  ("2027-Q2", 0, 0, None, None)], qs)
        still = [(x["spec"], x["raised_seq"], x["seconds"]) for x in a["list"] if x["open"]]
        expect("json: the alarm still open",
               still == [("pending:ship.perception.E_harbour_holdout", 17, 1555200)], still)
        rel = s["releases"]
        expect("json: releases", (rel["total"], rel["verified"], rel["ratio"], rel["percent"])
               == (3, 1, "1/3", "33.3") and [x["packet"] for x in rel["list"]]
               == ["verified", None, "unverified"], rel)
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
               and "2 closed, 1 open; mean 3 d (259200 s), max 4 d 12 h (388800 s)" in text
               and "releases: 3, 1/3 with a verified" in text, text)

        # --within: 16 days left is not within 10, and is within 16.
        w = json.loads(run(["kpi", "--db", "h.db", "--format", "json", "--within", "10"],
                           case).stdout)
        expect("within 10", w["within_days"] == 10
               and [p["evidence_expiry"]["expiring"] for p in w["series"]] == [0] * 11)
        w = json.loads(run(["kpi", "--db", "h.db", "--format", "json", "--within", "16"],
                           case).stdout)
        expect("within 16 (inclusive)", w["series"][9]["evidence_expiry"]["expiring"] == 1)
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
               "ship.navigation.G_safe" in page and "4 d 12 h (388800 s)" in page
               and "18 d (1555200 s) so far" in page)
        # Alarms raised: a bar for 2026-Q4 and one for 2027-Q1, and the legend's swatch.
        expect("report: the alarm bars", page.count('fill="#9a6700"/>') == 3)
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
