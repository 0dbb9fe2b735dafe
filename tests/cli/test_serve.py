#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`assure serve` and `assure event` (docs/serve.md), the real service on a loopback port.

On a copy of examples/autonomous-ship, with the service's clock fixed by ASSURE_CLOCK_FILE and a
token file of mode 600: every endpoint (GET /status, /claims/NAME, /history[?after=N],
/impact?change=..., /report, /metrics read by a strict parser of the Prometheus text format);
accepted events and the verdicts they leave (fail, pending, withdraw, expire, attest, open,
resolve, clear, artifact with and without a digest, accept, release, reload); refusals, each
leaving /history and /status as they were (the token, the JSON body, the specs, unknown names,
sizes, UTF-8, the case version, a wrong digest, a broken reload); the token never in the log;
one service per history, --listen refusals and the loopback default; `event --server` and
`event --db` answering alike; a restart rebuilding the state from the history; readers that need
the token; the expiry timer recording a lapse (and nothing when nothing lapses); and on all
three examples, each piece of evidence failed and cleared with the service agreeing with
/impact. The history verifies at the end.

  test_serve.py --assure BIN --root REPO [--backend sqlite|postgresql] [--part all|ship|clock|examples]
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import expect, finish  # noqa: E402
from serve_support import (Backends, PromError, Service, history, make_token,  # noqa: E402
                           parse_prometheus, run_assure, sample, stop_all, verify)

SHIP_FILES = ["navigation.assure", "perception.assure"]
SHIP_NOW = "2026-11-23T08:00:00Z"
P = "ship.perception."
N = "ship.navigation."


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def write_clock(path, stamp):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(stamp + "\n")
    os.replace(tmp, path)


def tops(status):
    return {c["name"]: c["verdict"] for c in status["top_claims"]}


def not_valid(status):
    return {e["name"]: e["reasons"] for e in status["evidence_not_valid"]}


def state_of(status):
    """/status without what says when or after how many entries it was judged."""
    return {k: v for k, v in status.items()
            if k not in ("run", "last_entry", "events_since_start")}


def lost(answer):
    return {c["name"] for c in answer["changes"] if c["kind"] == "claim_lost"}


def changed(answer, kind):
    return {c["name"] for c in answer["changes"] if c["kind"] == kind}


class Ctx:
    def __init__(self, args, tmp, backends):
        self.assure = args.assure
        self.root = args.root
        self.tmp = tmp
        self.backends = backends
        self.env = dict(os.environ, ASSURE_STDLIB=os.path.join(args.root, "stdlib"))
        self.env.pop("ASSURE_HISTORY_NOW", None)
        self.env.pop("ASSURE_CLOCK_FILE", None)

    def copy_example(self, name, dest):
        path = os.path.join(self.tmp, dest)
        shutil.copytree(os.path.join(self.root, "examples", name), path,
                        ignore=shutil.ignore_patterns("*.lock", ".assure-*", "trace*", "*.db"))
        return path

    def clocked(self, clock):
        return dict(self.env, ASSURE_CLOCK_FILE=clock)


# ---- The endpoints --------------------------------------------------------------------------


def check_report(name, svc, token=None):
    status, headers, body = svc.get("/report", token)
    expect(f"{name}: /report answers 200", status == 200, str(status))
    expect(f"{name}: /report is HTML", headers.get("content-type", "").startswith("text/html"),
           headers.get("content-type"))
    page = body.decode()
    expect(f"{name}: /report is a whole page", page.lstrip().lower().startswith("<!doctype html")
           and page.rstrip().endswith("</html>"))
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    expect(f"{name}: /report carries its CSP", m is not None)
    if m:
        csp = m.group(1)
        expect(f"{name}: the CSP allows nothing by default", "default-src 'none'" in csp, csp)
        # Every inline script is allowed by its hash, and nothing else.
        scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
                  for s in scripts}
        allowed = set(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", csp))
        expect(f"{name}: the CSP's script hashes are the page's scripts'", hashes == allowed,
               f"{hashes} vs {allowed}")
        expect(f"{name}: no script from elsewhere", "<script src" not in page)
        expect(f"{name}: the CSP is also sent as an HTTP header",
               headers.get("content-security-policy") == csp,
               headers.get("content-security-policy"))


def check_metrics(name, svc, expected, token=None):
    """Parses /metrics strictly; `expected` maps (metric, label dict as tuple) to a value."""
    status, headers, body = svc.get("/metrics", token)
    expect(f"{name}: /metrics answers 200", status == 200, str(status))
    expect(f"{name}: /metrics is the text format 0.0.4",
           headers.get("content-type", "").startswith("text/plain; version=0.0.4"),
           headers.get("content-type"))
    try:
        fams = parse_prometheus(body.decode())
    except (PromError, UnicodeDecodeError) as e:
        expect(f"{name}: /metrics parses as the Prometheus text format", False, str(e))
        return None
    expect(f"{name}: /metrics parses as the Prometheus text format", True)
    expect(f"{name}: every family has a TYPE and a HELP",
           all(f["type"] and f["help"] for f in fams.values()),
           [k for k, f in fams.items() if not (f["type"] and f["help"])])
    for (metric, labels), value in expected.items():
        got = sample(fams, metric, **dict(labels))
        expect(f"{name}: {metric}{dict(labels)} is {value}", got == value, f"got {got}")
    return fams


def ship_endpoints(ctx, svc, case):
    status, st = svc.get_json("/status")
    expect("status: 200", status == 200)
    expect("status: the format", st["format"] == "assure-status" and st["version"] == 1)
    expect("status: supported as shipped", st["result"] == "supported" and st["exit_code"] == 0,
           st["result"])
    expect("status: the top claim", tops(st) == {N + "G_safe": "supported"}, tops(st))
    expect("status: 14 of 14 claims, 12 of 12 evidence",
           st["claims"] == {"supported": 14, "total": 14}
           and st["evidence"] == {"valid": 12, "total": 12}, f"{st['claims']} {st['evidence']}")
    expect("status: judged at the clock's date", st["judged_at"] == "2026-11-23", st["judged_at"])
    expect("status: the first entry is the start's run", st["run"] == 1 and st["last_entry"] == 1)
    expect("status: a case digest", re.fullmatch("[0-9a-f]{64}", st["case_digest"]) is not None)

    status, c = svc.get_json("/claims/G_safe")
    expect("claims: a short name", status == 200 and c["name"] == N + "G_safe"
           and c["top"] is True and c["verdict"] == "supported", str(c))
    status, c = svc.get_json("/claims/ship.perception.G_fog")
    expect("claims: a qualified name", status == 200 and c["name"] == P + "G_fog"
           and c["top"] is False and c["verdict"] == "supported", str(c))
    status, c = svc.get_json("/claims/G_nope")
    expect("claims: 404 for no such claim", status == 404 and c["code"] == "E0617", str(c))
    status, c = svc.get_json("/claims/E_fog_sea")
    expect("claims: 404 for evidence", status == 404, str(status))
    status, c = svc.get_json("/claims/" + "G" * 2000)
    expect("claims: 404 for an overlong name, with the error JSON",
           status == 404 and c["code"] == "E0824", str(c))
    status, c = svc.get_json("/nothing")
    expect("a path the service does not serve: 404 E0824", status == 404 and c["code"] == "E0824",
           str(c))
    status, _, body = svc.request("GET", "/events")
    expect("GET /events: 404 with the error JSON",
           status == 404 and json.loads(body)["code"] == "E0824")

    status, h = svc.get_json("/history")
    expect("history: one run, no event", status == 200 and len(h["runs"]) == 1
           and h["events"] == [] and h["runs"][0]["seq"] == 1
           and h["runs"][0]["command"] == "serve", str(h)[:300])
    status, h = svc.get_json("/history?after=1")
    expect("history: nothing after entry 1", status == 200 and h["runs"] == [] and h["events"] == [])
    for bad in ("x", "-1", "", "1e3", "99999999999999999999"):
        status, h = svc.get_json("/history?after=" + bad)
        expect(f"history: after={bad!r} refused", status == 400 and h["code"] == "E0815", str(h))

    before = svc.get("/history")[2]
    status, imp = svc.get_json("/impact?change=fail:E_fog_sea")
    expect("impact: 200", status == 200, str(imp)[:300])
    lost_claims = {c["claim"] for c in imp.get("lost", [])}
    expect("impact: failing the sea-fog recordings loses the fog claims and the top claim",
           {P + "G_fog", P + "G_conditions", N + "G_safe"} <= lost_claims, lost_claims)
    expect("impact: the chamber campaign falls with the defeater it answered",
           P + "E_fog_chamber" in imp.get("invalidated_relied", []), imp.get("invalidated_relied"))
    status, imp2 = svc.get_json("/impact?change=fail:E_fog_sea&change=open:D_chamber_fog")
    expect("impact: two changes", status == 200 and imp2["changes"] == ["fail:E_fog_sea",
                                                                        "open:D_chamber_fog"])
    for query in ("change=expire:E_fog_sea=2026-01-01", "change=expire%3AE_fog_sea%3D2026-01-01"):
        status, imp3 = svc.get_json("/impact?" + query)
        expect(f"impact: a change with a value ({query})", status == 200
               and imp3["changes"] == ["expire:E_fog_sea=2026-01-01"]
               and P + "E_fog_sea" in imp3["invalidated_relied"], str(imp3)[:300])
    status, e = svc.get_json("/impact?change=scope:G_fog=ShipOdd")
    expect("impact: a change of the case's text is refused (422)",
           status == 422 and e["code"] == "E0605", str(e))
    for bad in ("bogus", "fail:", "expire:E_fog_sea=soon"):
        status, e = svc.get_json("/impact?change=" + bad)
        expect(f"impact: {bad!r} refused (400)", status == 400 and e["code"] == "E0605", str(e))
    status, e = svc.get_json("/impact?change=fail:E_nope")
    expect("impact: an unknown name refused", status in (400, 422) and e["code"].startswith("E06"),
           str(e))
    status, e = svc.get_json("/impact")
    expect("impact: no change refused (400)", status == 400, str(e))
    expect("impact: what-ifs record nothing", svc.get("/history")[2] == before)

    check_report("ship", svc)
    days = (datetime.date(2027, 3, 31) - datetime.date(2026, 11, 23)).days
    check_metrics("ship", svc, {
        ("assure_claims", (("verdict", "supported"),)): 14,
        ("assure_claims", (("verdict", "unsupported"),)): 0,
        ("assure_top_claim_supported", (("claim", N + "G_safe"),)): 1,
        ("assure_supported_ratio", (("scope", "all"),)): 1.0,
        ("assure_evidence", (("status", "valid"),)): 12,
        ("assure_evidence_days_to_expiry", (("evidence", P + "E_in_service"),)): days,
        ("assure_artifacts", (("state", "verified"),)): 13,
        ("assure_defeaters_open", ()): 0,
        ("assure_events_total", ()): 0,
        ("assure_history_entries", ()): 1,
        ("assure_result", ()): 0,
    })


# ---- Refusals ---------------------------------------------------------------------------------


class Refusals:
    """Posts that must be refused with a status and a code, /history and /status unchanged."""

    def __init__(self, svc, token):
        self.svc = svc
        self.token = token

    def state(self):
        return self.svc.get("/history")[2], self.svc.get("/status")[2]

    def check(self, name, body, status, code, token="default", headers=None):
        before = self.state()
        if headers is not None:
            got, _, data = self.svc.request("POST", "/events", body, headers)
            try:
                answer = json.loads(data)
            except ValueError:
                answer = None
        else:
            got, answer = self.svc.post(body, self.token if token == "default" else token)
        ok = got == status and isinstance(answer, dict) and answer.get("code") == code \
            and answer.get("format") == "assure-error" and answer.get("status") == status \
            and bool(answer.get("message"))
        expect(f"refused: {name} ({status} {code})", ok, f"{got} {answer}")
        expect(f"refused: {name} changes nothing", self.state() == before)
        return answer


def refusals(svc, token):
    r = Refusals(svc, token)
    good = {"specs": ["fail:E_fog_sea"]}
    r.check("no token", good, 401, "E0821", token=None)
    a = r.check("a wrong token", good, 401, "E0821", token="not-the-token-0123456789")
    r.check("the token and more", good, 401, "E0821", token=token + "x")
    r.check("the token cut short", good, 401, "E0821", token=token[:-1])
    r.check("basic authentication", json.dumps(good).encode(), 401, "E0821",
            headers={"Authorization": "Basic " + base64.b64encode(b"a:" + token.encode()).decode()})
    r.check("the token with no scheme", json.dumps(good).encode(), 401, "E0821",
            headers={"Authorization": token})
    r.check("malformed JSON", b'{"specs": ["fail:E_fog_sea"]', 400, "E0815")
    r.check("an empty body", b"", 400, "E0815")
    for body in (b"[]", b'"fail:E_fog_sea"', b"null", b"42"):
        r.check(f"a body that is not an object: {body.decode()}", body, 400, "E0815")
    r.check("no specs", {"note": "x"}, 400, "E0815")
    r.check("specs a string", {"specs": "fail:E_fog_sea"}, 400, "E0815")
    r.check("a spec a number", {"specs": [5]}, 400, "E0815")
    r.check("a spec null", {"specs": [None]}, 400, "E0815")
    r.check("a spec a list", {"specs": [["fail:E_fog_sea"]]}, 400, "E0815")
    r.check("the note a number", {"specs": ["fail:E_fog_sea"], "note": 5}, 400, "E0815")
    r.check("the case a list", {"specs": ["fail:E_fog_sea"], "case": []}, 400, "E0815")
    r.check("an unknown field", {"specs": ["fail:E_fog_sea"], "by": "me"}, 400, "E0815")
    r.check("empty specs", {"specs": []}, 400, "E0815")
    r.check("an empty spec", {"specs": [""]}, 400, "E0815")
    a = r.check("an unknown spec kind", {"specs": ["release:abc123", "bogus:E_fog_sea"]}, 400,
                "E0815")
    expect("refused: the spec named by index", a and a.get("spec") == 1
           and a.get("spec_text") == "bogus:E_fog_sea" and a.get("offset") == 0
           and a.get("length") == 5, str(a))
    for spec in ("fail:", "fail", "expire:E_fog_sea", "expire:E_fog_sea=tomorrow",
                 "expire:E_fog_sea=2026-02-30", "fail:E_fog_sea=2026-01-01", "reload:now",
                 "artifact:fog_chamber=ABC", "artifact:fog_chamber=" + "A" * 64,
                 "accept:fog_chamber", "attest:E_fog_sea=yesterday", "release:-x",
                 "release:abc=signed", "fail:E fog", "fail:.E", "open:D_chamber_fog="):
        r.check(f"a malformed spec {spec!r}", {"specs": [spec]}, 400, "E0815")
    for spec in ("fail:E_nope", "open:E_fog_sea", "resolve:G_fog", "artifact:E_fog_sea",
                 "attest:fog_chamber", "clear:G_fog", "accept:E_fog_sea=" + "0" * 64,
                 "fail:ship.nowhere.E_fog_sea"):
        r.check(f"an unknown name {spec!r}", {"specs": [spec]}, 422, "E0816")
    a = r.check("all or nothing: one good spec and an unknown name",
                {"specs": ["fail:E_fog_sea", "fail:E_nope"]}, 422, "E0816")
    expect("refused: the unknown name located", a and a.get("spec") == 1 and a.get("offset") == 5
           and a.get("length") == 6, str(a))
    r.check("a body over 64 KiB", {"specs": ["release:abc"], "note": "x" * 70000}, 413, "E0815")
    r.check("257 specs", {"specs": ["release:abc123"] * 257}, 400, "E0815")
    r.check("a spec over 4096 bytes", {"specs": ["fail:" + "E" * 4100]}, 400, "E0815")
    r.check("a body that is not UTF-8", b'{"specs": ["fail:E_fog_sea\xff"]}', 400, "E0815")
    r.check("a lone surrogate", b'{"specs": ["fail:E_fog_sea\\udc80"]}', 400, "E0815")
    r.check("a note that is not UTF-8", b'{"specs": ["release:abc"], "note": "\xc3\x28"}', 400,
            "E0815")
    r.check("a spec with a NUL", {"specs": ["fail:E_fog_sea\u0000"]}, 400, "E0815")
    r.check("a non-ASCII name", {"specs": ["fail:E_fog_s\u00e9a"]}, 400, "E0815")
    r.check("a case version that is not the service's",
            {"specs": ["fail:E_fog_sea"], "case": "0" * 64}, 409, "E0817")
    return r


# ---- Events -----------------------------------------------------------------------------------


def post_ok(name, svc, token, specs, **fields):
    body = {"specs": specs, **fields}
    status, a = svc.post(body, token)
    expect(f"event {name}: accepted", status == 200 and a and a.get("format") == "assure-event",
           f"{status} {a}")
    return a if status == 200 and a else {"changes": [], "specs": [], "top_claims": [],
                                          "event": 0, "run": 0}


def status_now(svc):
    return svc.get_json("/status")[1]


def ship_events(ctx, svc, token, case):
    """The accepted events and what each leaves; returns the acknowledged (seq, specs)."""
    acked = []

    def post(name, specs, **fields):
        a = post_ok(name, svc, token, specs, **fields)
        if a.get("event"):
            acked.append((a["event"], a["specs"]))
        return a

    h0 = svc.get_json("/history")[1]
    a = post("fail", ["fail:E_fog_sea"], note="drift alarm")
    expect("fail: the spec recorded as a qualified name", a["specs"] == ["fail:" + P + "E_fog_sea"],
           a["specs"])
    expect("fail: the event and its run are the next two entries",
           a["event"] == 2 and a["run"] == 3, f"{a['event']} {a['run']}")
    expect("fail: the top claim lost", lost(a) >= {N + "G_safe", P + "G_fog", P + "G_conditions"}
           and a["result"] == "not_supported" and a["exit_code"] == 5, lost(a))
    expect("fail: the sea-fog recordings and the chamber campaign they answered for are invalid",
           changed(a, "evidence_invalid") == {P + "E_fog_sea", P + "E_fog_chamber"},
           changed(a, "evidence_invalid"))
    st = status_now(svc)
    expect("fail: /status follows", tops(st) == {N + "G_safe": "unsupported"}
           and set(not_valid(st)) == {P + "E_fog_sea", P + "E_fog_chamber"}
           and st["run"] == 3 and st["last_entry"] == 3 and st["events_since_start"] == 1, str(st))
    expect("fail: the reason is the alarm",
           any("result: fail" in r for r in not_valid(st).get(P + "E_fog_sea", [])),
           not_valid(st))
    expect("fail: /claims follows", svc.get_json("/claims/G_fog")[1]["verdict"] == "unsupported")
    h = svc.get_json("/history")[1]
    ev = [e for e in h["events"] if e["seq"] == 2]
    expect("fail: /history has the event, its source and note", len(ev) == 1
           and ev[0]["source"] == "serve" and ev[0]["note"] == "drift alarm"
           and ev[0]["specs"] == a["specs"], str(ev))
    run = [r for r in h["runs"] if r["seq"] == 3]
    expect("fail: the run after it names it as its trigger", len(run) == 1
           and run[0]["trigger"] == 2 and run[0]["claims"]["supported"] < 14, str(run)[:300])
    h_after = svc.get_json("/history?after=2")[1]
    expect("history?after=2: the run only, whole (its delta expanded)",
           [r["seq"] for r in h_after["runs"]] == [3] and h_after["events"] == []
           and h_after["runs"][0]["claims"] == run[0]["claims"]
           and h_after["runs"][0]["evidence"] == run[0]["evidence"]
           and h_after["runs"][0]["changes"] == run[0]["changes"], str(h_after)[:400])
    expect("history?after=N ends where the history does",
           svc.get_json("/history?after=3")[1] == {"format": "assure-history", "version": 1,
                                                   "runs": [], "events": []})

    a = post("attest", ["attest:E_fog_sea"])
    rec = sha256_file(os.path.join(case, "reports", "sea-fog-shadow-mode-2026.csv"))
    expect("attest: accepts the artifact's current digest",
           a["specs"] == ["attest:" + P + "E_fog_sea", "accept:" + P + "fog_recordings=" + rec],
           a["specs"])
    expect("attest: everything regained", a["result"] == "supported"
           and changed(a, "claim_regained") >= {N + "G_safe", P + "G_fog"}
           and changed(a, "evidence_valid") == {P + "E_fog_sea", P + "E_fog_chamber"},
           str(a["changes"])[:300])

    a = post("open", ["open:D_chamber_fog"])
    expect("open: the chamber campaign is undermined",
           changed(a, "evidence_invalid") == {P + "E_fog_chamber"} and P + "G_fog" in lost(a),
           str(a["changes"])[:300])
    check_metrics("after open", svc, {("assure_defeaters_open", ()): 1,
                                      ("assure_events_total", ()): 3,
                                      ("assure_result", ()): 5})
    a = post("resolve", ["resolve:D_chamber_fog"])
    expect("resolve: regained", a["result"] == "supported"
           and changed(a, "evidence_valid") == {P + "E_fog_chamber"}, str(a["changes"])[:300])

    a = post("expire", ["expire:E_in_service=2026-11-01"])
    st = status_now(svc)
    expect("expire: the fleet monitoring expired",
           any("expired" in r for r in not_valid(st).get(P + "E_in_service", []))
           and P + "G_in_service" in lost(a), str(not_valid(st)))
    check_metrics("after expire", svc, {
        ("assure_evidence_days_to_expiry", (("evidence", P + "E_in_service"),)): -22})
    a = post("clear", ["clear:E_in_service"])
    expect("clear: valid again", a["result"] == "supported"
           and changed(a, "evidence_valid") == {P + "E_in_service"}, str(a["changes"])[:300])

    a = post("pending and withdraw", ["pending:E_night_trials", "withdraw:E_glare_trials"])
    st = status_now(svc)
    expect("pending and withdraw: both invalid",
           set(not_valid(st)) == {P + "E_night_trials", P + "E_glare_trials"}
           and {P + "G_night", P + "G_glare"} <= lost(a), str(not_valid(st)))
    a = post("clear two", ["clear:E_night_trials", "clear:E_glare_trials"])
    expect("clear two: valid again", a["result"] == "supported" and not_valid(status_now(svc)) == {})

    a = post("release", ["release:4f1c2e9=verified", "release:v2.3.1"])
    expect("release: recorded, no verdict changes",
           a["specs"] == ["release:4f1c2e9=verified", "release:v2.3.1"] and a["changes"] == []
           and a["result"] == "supported", str(a)[:300])

    # The pipeline regenerates the fog-chamber summary: recall drops below the requirement.
    csv = os.path.join(case, "evidence", "fog-chamber-summary.csv")
    with open(csv) as f:
        original_csv = f.read()
    old_row = "4.2.0,all,200,1000,120,3600,3461,0.9614,0.9546,0.9672"
    assert old_row in original_csv
    with open(csv, "w") as f:
        f.write(original_csv.replace(old_row,
                                     "4.3.0,all,200,1000,120,3600,3361,0.9336,0.9246,0.9472"))
    new_sha = sha256_file(csv)
    a = post("artifact", ["artifact:fog_chamber"])
    st = status_now(svc)
    expect("artifact: the changed file invalidates the campaign",
           set(not_valid(st)) == {P + "E_fog_chamber"}
           and any("artifact_changed" in r for r in not_valid(st)[P + "E_fog_chamber"])
           and changed(a, "artifact_changed") == {P + "fog_chamber"}, str(not_valid(st)))
    check_metrics("after artifact", svc, {("assure_artifacts", (("state", "changed"),)): 1,
                                          ("assure_artifacts", (("state", "verified"),)): 12})
    r = Refusals(svc, token)
    a = r.check("an artifact digest the file does not have",
                {"specs": ["artifact:fog_chamber=" + "0" * 64]}, 409, "E0818")
    expect("refused: the digest refusal names the file's digest", a and new_sha in a["message"],
           str(a))
    a = post("artifact with its digest", ["artifact:fog_chamber=" + new_sha])
    expect("artifact with its digest: recorded, nothing changes",
           a["specs"] == ["artifact:" + P + "fog_chamber=" + new_sha] and a["changes"] == [],
           str(a)[:300])
    a = post("attest a regenerated report", ["attest:E_fog_chamber"])
    st = status_now(svc)
    expect("attest: accepts the new digest",
           a["specs"] == ["attest:" + P + "E_fog_chamber", "accept:" + P + "fog_chamber=" + new_sha],
           a["specs"])
    expect("attest: the campaign is valid, but its recall no longer meets the fog claim",
           not_valid(st) == {} and svc.get_json("/claims/G_fog")[1]["verdict"] == "unsupported"
           and tops(st)[N + "G_safe"] == "unsupported", str(st)[:400])

    # The report is regenerated again without an artifact: event, then re-attested: the
    # service must judge the file as it is now (as a restart would).
    with open(csv, "w") as f:
        f.write(original_csv.replace(old_row,
                                     "4.3.1,all,200,1000,120,3600,3561,0.9714,0.9646,0.9772"))
    newer_sha = sha256_file(csv)
    a = post("attest a report changed with no artifact event", ["attest:E_fog_chamber"])
    expect("attest: the file read now is judged, and its recall meets the claim again",
           a["specs"][1:] == ["accept:" + P + "fog_chamber=" + newer_sha]
           and a["result"] == "supported" and not_valid(status_now(svc)) == {},
           str(a)[:500])

    a = post("accept an older digest", ["accept:fog_chamber=" + new_sha])
    expect("accept: a digest that is not the file's invalidates the campaign",
           changed(a, "evidence_invalid") == {P + "E_fog_chamber"}, str(a["changes"])[:300])
    with open(csv, "w") as f:
        f.write(original_csv)
    a = post("attest the original report", ["attest:E_fog_chamber"])
    expect("attest: back as shipped", a["result"] == "supported"
           and not_valid(status_now(svc)) == {}, str(a)[:300])

    st = status_now(svc)
    a = post("the current case version", ["release:abc1234"], case=st["case_digest"])
    expect("case: an event for the case version held is accepted", a.get("event", 0) > 0)

    # Reload: the fog claim asks a lower recall now.
    perception = os.path.join(case, "perception.assure")
    with open(perception) as f:
        original = f.read()
    r = Refusals(svc, token)
    with open(perception, "w") as f:
        f.write(original + "\nclaim G_broken {\n")
    a = r.check("a reload of a case with errors", {"specs": ["reload"]}, 422, "E0819")
    expect("refused: the reload names the case's error", a and "E01" in a.get("message", ""),
           str(a))
    with open(perception, "w") as f:
        f.write(original.replace('scope: ShipOdd where visibility < 1000\n    requires: recall >= 0.95',
                                 'scope: ShipOdd where visibility < 1000\n    requires: recall >= 0.99'))
    old_digest = st["case_digest"]
    a = post("reload", ["reload"])
    st = status_now(svc)
    expect("reload: the new version is judged", st["case_digest"] != old_digest
           and a["case_digest"] == st["case_digest"]
           and changed(a, "case_changed") and P + "G_fog" in lost(a), str(a)[:400])
    r.check("an event for the version before the reload",
            {"specs": ["fail:E_fog_sea"], "case": old_digest}, 409, "E0817")
    with open(perception, "w") as f:
        f.write(original)
    a = post("reload back", ["reload"])
    expect("reload back: supported as shipped", a["result"] == "supported"
           and status_now(svc)["case_digest"] == old_digest)
    h1 = svc.get_json("/history")[1]
    expect("every accepted event is in the history once", sorted(
        (e["seq"], e["specs"]) for e in h1["events"]) == sorted(acked), "")
    expect("every event is followed by its run",
           {r["trigger"] for r in h1["runs"] if r["trigger"]} == {s for s, _ in acked})
    expect("history: the runs and events before are as they were",
           h1["runs"][:len(h0["runs"])] == h0["runs"])
    return acked


# ---- event --server and event --db ------------------------------------------------------------


def event_cli(ctx, backends):
    """The same events through `assure event --server` and `assure event --db`: the same
    answers but for entry numbers."""
    case = ctx.copy_example("autonomous-ship", "ship-cli")
    clock = os.path.join(ctx.tmp, "clock-cli")
    write_clock(clock, SHIP_NOW)
    token_file, token = make_token(ctx.tmp, "token-cli")
    served = backends.new("cli_served")
    direct = backends.new("cli_direct")
    svc = Service(ctx.assure, SHIP_FILES, case, served, ctx.clocked(clock), ctx.tmp,
                  token_file=token_file, name="serve-cli", extra=["--verbose"])
    if not svc.start():
        expect("event: the service starts", False, svc.err())
        return
    url = f"http://127.0.0.1:{svc.port}"
    env_db = dict(ctx.env, ASSURE_HISTORY_NOW=SHIP_NOW)
    steps = [["fail:E_fog_sea"], ["open:D_chamber_fog", "pending:E_night_trials"],
             ["attest:E_fog_sea=2026-11-01"], ["resolve:D_chamber_fog"],
             ["expire:E_in_service=2026-11-20"], ["release:9a8b7c6d=unverified"],
             ["clear:E_in_service", "clear:E_night_trials"]]
    ignore = ("event", "run")
    for k, specs in enumerate(steps):
        a = run_assure(ctx.assure, ["event", "--server", url, "--token-file", token_file,
                                    "--format", "json", *specs], ctx.env, cwd=case)
        b = run_assure(ctx.assure, ["event", "--db", direct, "--format", "json", *SHIP_FILES,
                                    *specs], env_db, cwd=case)
        try:
            ja = json.loads(a.stdout)
            jb = json.loads(b.stdout)
        except ValueError:
            expect(f"event {k}: both answer JSON", False, a.stderr.decode() + b.stderr.decode())
            continue
        expect(f"event {k} ({' '.join(specs)}): --server and --db answer alike",
               {x: v for x, v in ja.items() if x not in ignore}
               == {x: v for x, v in jb.items() if x not in ignore}, f"\n{ja}\n{jb}")
        expect(f"event {k}: the same exit code", a.returncode == b.returncode,
               f"{a.returncode} {b.returncode}")
    a = run_assure(ctx.assure, ["event", "--server", url, "--token-file", token_file, "fail:E_x"],
                   ctx.env, cwd=case)
    b = run_assure(ctx.assure, ["event", "--db", direct, *SHIP_FILES, "fail:E_x"], env_db,
                   cwd=case)
    expect("event: an unknown name refused alike (exit 2, E0816)",
           a.returncode == 2 and b.returncode == 2 and b"E0816" in a.stderr
           and b"E0816" in b.stderr, a.stderr.decode() + b.stderr.decode())
    bad_tf = os.path.join(ctx.tmp, "token-open")
    with open(bad_tf, "w") as f:
        f.write(token + "\n")
    os.chmod(bad_tf, 0o644)
    a = run_assure(ctx.assure, ["event", "--server", url, "--token-file", bad_tf,
                                "release:abc"], ctx.env, cwd=case)
    expect("event: a token file others can read is refused (E0823)",
           a.returncode == 2 and b"E0823" in a.stderr, a.stderr.decode())
    a = run_assure(ctx.assure, ["event", "--server", url, "release:abc"], ctx.env, cwd=case)
    expect("event: no token, refused by the service (401)",
           a.returncode == 2 and b"E0821" in a.stderr, a.stderr.decode())
    a = run_assure(ctx.assure, ["event", "--db", direct, *SHIP_FILES, "--at", "2026-01-01",
                                "fail:E_fog_sea"], env_db, cwd=case)
    expect("event: --at is refused (E0608, exit 2): an event is judged today",
           a.returncode == 2 and b"E0608" in a.stderr, a.stderr.decode())
    timings = [line for line in svc.err().splitlines() if line.startswith("serve: timing: ")]
    expect("serve --verbose: one timing line per event", len(timings) == len(steps), str(timings))
    expect("serve --verbose: the steps of an event", timings and all(
        re.fullmatch(r"serve: timing: check [0-9.]+ ms, event [0-9.]+ ms, .*run [0-9.]+ ms, "
                     r"record [0-9.]+ ms \([0-9.]+ ms\)", line) for line in timings), str(timings))
    hs = history(ctx.assure, served, ctx.env)
    hd = history(ctx.assure, direct, ctx.env)
    expect("event: both histories hold the same events",
           [e["specs"] for e in hs["events"]] == [e["specs"] for e in hd["events"]]
           == [e["specs"] for e in hs["events"]][:len(steps)] and len(hs["events"]) == len(steps))
    expect("event: the sources say which path the events took",
           {e["source"] for e in hs["events"]} == {"serve"}
           and {e["source"] for e in hd["events"]} == {"event"})
    expect("event: the last runs agree", hs["runs"][-1]["claims"] == hd["runs"][-1]["claims"]
           and hs["runs"][-1]["evidence"] == hd["runs"][-1]["evidence"])
    svc.stop()
    for db in (served, direct):
        intact, _ = verify(ctx.assure, db, ctx.env)
        expect(f"event: the history verifies ({'served' if db == served else 'direct'})", intact)


# ---- Service-level faults ---------------------------------------------------------------------


def port_is_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def service_refusals(ctx, svc, case, db, token_file, clock):
    env = ctx.clocked(clock)
    before = history(ctx.assure, db, ctx.env)
    second = Service(ctx.assure, SHIP_FILES, case, db, env, ctx.tmp, token_file=token_file,
                     name="second")
    started = second.start()
    if started:
        second.stop()
    expect("one service per history: a second is refused (E0805, exit 2)",
           not started and second.returncode == 2 and "E0805" in second.err(), second.err())
    other = ctx.backends.new("other")
    for listen in ("nonsense", "127.0.0.1", "127.0.0.1:", ":8417", "127.0.0.1:65536",
                   "127.0.0.1:-1", "127.0.0.1:http"):
        bad = Service(ctx.assure, SHIP_FILES, case, other, env, ctx.tmp, token_file=token_file,
                      listen=listen, name="badlisten")
        started = bad.start()
        if started:
            bad.stop()
        expect(f"--listen {listen!r} refused (E0822, exit 2)",
               not started and bad.returncode == 2 and "E0822" in bad.err(), bad.err())
    for listen, why in ((f"127.0.0.1:{svc.port}", "a port another service holds"),
                        ("192.0.2.1:0", "an address of no interface here")):
        bad = Service(ctx.assure, SHIP_FILES, case, other, env, ctx.tmp, token_file=token_file,
                      listen=listen, name="badlisten")
        started = bad.start()
        if started:
            bad.stop()
        expect(f"--listen on {why} refused (E0822, exit 2)",
               not started and bad.returncode == 2 and "E0822" in bad.err(), bad.err())
    bad = Service(ctx.assure, SHIP_FILES, case, other, env, ctx.tmp, token_file=token_file,
                  extra=["--at", "2026-01-01"], name="badat")
    started = bad.start()
    if started:
        bad.stop()
    expect("--at is refused (E0608, exit 2): the service judges at today's date",
           not started and bad.returncode == 2 and "E0608" in bad.err(), bad.err())
    h = history(ctx.assure, other, ctx.env)
    expect("a service that could not listen recorded nothing", h["runs"] == [] and h["events"] == [],
           str(h)[:200])
    expect("the refused services left the history alone",
           history(ctx.assure, db, ctx.env) == before)
    for mode, why in ((0o644, "readable by others"), (0o620, "writable by the group")):
        tf = os.path.join(ctx.tmp, f"token-{mode:o}")
        shutil.copy(token_file, tf)
        os.chmod(tf, mode)
        bad = Service(ctx.assure, SHIP_FILES, case, other, env, ctx.tmp, token_file=tf,
                      name="badtoken")
        started = bad.start()
        if started:
            bad.stop()
        expect(f"a token file {why} is refused (E0823)",
               not started and bad.returncode == 2 and "E0823" in bad.err(), bad.err())
    link = os.path.join(ctx.tmp, "token-link")
    os.symlink(token_file, link)
    bad = Service(ctx.assure, SHIP_FILES, case, other, env, ctx.tmp, token_file=link,
                  name="badtoken")
    started = bad.start()
    if started:
        bad.stop()
    expect("a token file that is a symlink is refused (E0823)",
           not started and bad.returncode == 2 and "E0823" in bad.err(), bad.err())
    r = run_assure(ctx.assure, ["serve", "--help"], ctx.env)
    expect("--help: loopback is the default address",
           b"default 127.0.0.1:8417" in r.stdout, r.stdout.decode()[:400])
    if port_is_free(8417):
        default = Service(ctx.assure, SHIP_FILES, case, ctx.backends.new("default"), env, ctx.tmp,
                          token_file=token_file, listen=None, name="default")
        if default.start():
            expect("without --listen the service listens on 127.0.0.1:8417",
                   default.port == 8417 and "http://127.0.0.1:8417 " in default.out())
            default.stop()
        else:
            print("note: port 8417 was taken meanwhile; the default is checked from --help only")
    else:
        print("note: port 8417 is in use here; the default is checked from --help only")


def readers_and_writers(ctx, case, db, token_file, token, clock):
    env = ctx.clocked(clock)
    svc = Service(ctx.assure, SHIP_FILES, case, db, env, ctx.tmp, token_file=token_file,
                  extra=["--readers", "token"], name="readers")
    if not svc.start():
        expect("--readers token: starts", False, svc.err())
        return
    for path in ("/status", "/claims/G_safe", "/history", "/metrics", "/report",
                 "/impact?change=fail:E_fog_sea"):
        status, headers, body = svc.get(path)
        expect(f"--readers token: GET {path} without the token 401",
               status == 401 and json.loads(body)["code"] == "E0821"
               and headers.get("www-authenticate") == "Bearer", f"{status} {body[:200]}")
        status, _, _ = svc.get(path, token="wrong-token-0123456789")
        expect(f"--readers token: GET {path} with another token 401", status == 401)
        status, _, _ = svc.get(path, token=token)
        expect(f"--readers token: GET {path} with the token 200", status == 200, str(status))
    svc.stop()
    open_svc = Service(ctx.assure, SHIP_FILES, case, db, env, ctx.tmp, token_file=None,
                       name="notoken")
    if open_svc.start():
        status, a = open_svc.post({"specs": ["release:abc"]}, "anything-at-all-0123")
        expect("without --token-file the service accepts no event (401 E0821)",
               status == 401 and a["code"] == "E0821", str(a))
        expect("without --token-file readers are served", open_svc.get("/status")[0] == 200)
        open_svc.proc.send_signal(signal.SIGINT)
        rc = open_svc.proc.wait(60)
        expect("SIGINT: the service stops cleanly (exit 0)",
               rc == 0 and open_svc.out().rstrip().endswith("assure serve: stopped"), str(rc))
    else:
        expect("a service without a token file starts", False, open_svc.err())


def restart(ctx, svc, case, db, token_file, token, clock):
    """SIGTERM, then the same history again: the same state, one run more."""
    st = status_now(svc)
    post_ok("before the restart", svc, token, ["fail:E_harbour_holdout", "open:D_chamber_fog"])
    st = status_now(svc)
    h = history(ctx.assure, db, ctx.env)
    rc = svc.stop()
    expect("SIGTERM: the service stops cleanly (exit 0)", rc == 0, str(rc))
    expect("SIGTERM: it says so", svc.out().rstrip().endswith("assure serve: stopped"),
           svc.out()[-200:])
    svc2 = Service(ctx.assure, SHIP_FILES, case, db, ctx.clocked(clock), ctx.tmp,
                   token_file=token_file, name="restarted")
    if not svc2.start():
        expect("restart: the service starts again", False, svc2.err())
        return None
    st2 = status_now(svc2)
    expect("restart: the state is rebuilt from the history", state_of(st2) == state_of(st),
           f"\n{state_of(st)}\n{state_of(st2)}")
    expect("restart: not supported, as before the stop",
           tops(st2) == {N + "G_safe": "unsupported"}
           and set(not_valid(st2)) == {P + "E_harbour_holdout", P + "E_fog_chamber"},
           str(not_valid(st2)))
    h2 = history(ctx.assure, db, ctx.env)
    expect("restart: the history gains one run", len(h2["runs"]) == len(h["runs"]) + 1
           and h2["events"] == h["events"] and h2["runs"][:-1] == h["runs"]
           and h2["runs"][-1]["trigger"] is None and h2["runs"][-1]["changes"] == [],
           str(h2["runs"][-1])[:400])
    expect("restart: /status points at that run",
           st2["run"] == h2["runs"][-1]["seq"] and st2["events_since_start"] == 0)
    post_ok("after the restart", svc2, token, ["clear:E_harbour_holdout", "resolve:D_chamber_fog"])
    expect("restart: events apply on the rebuilt state",
           status_now(svc2)["result"] == "supported")
    return svc2


def ship(ctx):
    case = ctx.copy_example("autonomous-ship", "ship")
    clock = os.path.join(ctx.tmp, "clock")
    write_clock(clock, SHIP_NOW)
    token_file, token = make_token(ctx.tmp)
    db = ctx.backends.new("ship")
    svc = Service(ctx.assure, SHIP_FILES, case, db, ctx.clocked(clock), ctx.tmp,
                  token_file=token_file)
    t0 = time.monotonic()
    if not svc.start():
        expect("ship: the service starts", False, svc.err())
        return
    print(f"# the service started in {time.monotonic() - t0:.2f} s on port {svc.port}")
    expect("ship: it says where it listens, on loopback",
           svc.out().startswith(f"assure serve: listening on http://127.0.0.1:{svc.port} (case "))
    ship_endpoints(ctx, svc, case)
    refusals(svc, token)
    # A token in a query string is not a way in, and is not logged either.
    svc.get(f"/status?access_token={token}")
    acked = ship_events(ctx, svc, token, case)
    # Idle connections (a dashboard's keep-alive, or anyone's on this machine) do not hold up
    # the others: 24 connections that send nothing, then an event and a read.
    idle = [socket.create_connection(("127.0.0.1", svc.port)) for _ in range(24)]
    time.sleep(0.3)
    t0 = time.monotonic()
    status, _ = svc.post({"specs": ["release:idle1234"]}, token)
    status2 = svc.get("/status")[0]
    took = time.monotonic() - t0
    for s in idle:
        s.close()
    expect("24 idle connections hold up no request", status == 200 and status2 == 200
           and took < 3, f"{status} {status2} {took:.1f} s")
    service_refusals(ctx, svc, case, db, token_file, clock)
    svc2 = restart(ctx, svc, case, db, token_file, token, clock)
    if svc2:
        svc2.stop()
    readers_and_writers(ctx, case, db, token_file, token, clock)
    logs = "".join(open(os.path.join(ctx.tmp, f), errors="replace").read()
                   for f in os.listdir(ctx.tmp) if f.endswith((".err", ".out")))
    expect("the token is in no log", token not in logs and token[:16] not in logs)
    expect("the log has a line per request", "serve: POST /events 200" in svc.err()
           and "serve: POST /events 401" in svc.err() and "serve: GET /status 200" in svc.err())
    intact, entries = verify(ctx.assure, db, ctx.env)
    h = history(ctx.assure, db, ctx.env)
    expect("ship: the history verifies at the end", intact and entries == len(h["runs"]) + len(
        h["events"]), f"{intact} {entries}")
    expect("ship: every acknowledged event is in it",
           all(any(e["seq"] == s and e["specs"] == sp for e in h["events"]) for s, sp in acked))


# ---- The expiry timer -------------------------------------------------------------------------


def clock(ctx):
    case = ctx.copy_example("autonomous-ship", "ship-clock")
    clock_file = os.path.join(ctx.tmp, "clock-timer")
    write_clock(clock_file, "2027-03-30T23:59:58Z")
    token_file, token = make_token(ctx.tmp, "token-clock")
    db = ctx.backends.new("clock")
    svc = Service(ctx.assure, SHIP_FILES, case, db, ctx.clocked(clock_file), ctx.tmp,
                  token_file=token_file, name="serve-clock")
    if not svc.start():
        expect("clock: the service starts", False, svc.err())
        return
    st = status_now(svc)
    expect("clock: on 2027-03-30 the fleet monitoring is valid",
           st["judged_at"] == "2027-03-30" and st["result"] == "supported", str(st)[:300])
    write_clock(clock_file, "2027-03-31T12:00:00Z")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and status_now(svc)["judged_at"] != "2027-03-31":
        time.sleep(0.2)
    h = svc.get_json("/history")[1]
    expect("clock: its last valid day is judged, and no lapse recorded",
           status_now(svc)["judged_at"] == "2027-03-31" and h["events"] == []
           and len(h["runs"]) == 1, str(h)[:300])
    write_clock(clock_file, "2027-04-01T00:00:03Z")
    t0 = time.monotonic()
    found = None
    while time.monotonic() < t0 + 20 and not found:
        h = svc.get_json("/history")[1]
        found = [e for e in h["events"] if e["source"] == "clock"]
        if not found:
            time.sleep(0.2)
    expect("clock: the timer records the lapse as a clock event", bool(found), str(h)[:400])
    if not found:
        svc.stop()
        return
    print(f"# the timer saw the new date after {time.monotonic() - t0:.1f} s")
    ev = found[0]
    expect("clock: the event holds no spec and says the date",
           ev["specs"] == [] and "2027-04-01" in ev["note"], str(ev))
    runs = [r for r in h["runs"] if r["trigger"] == ev["seq"]]
    expect("clock: a run follows it", len(runs) == 1 and runs[0]["judged_at"] == "2027-04-01",
           str(runs)[:300])
    if runs:
        ch = {(c["kind"], c["name"]) for c in runs[0]["changes"]}
        expect("clock: the run records the lapse", {
            ("evidence_invalid", P + "E_in_service"), ("claim_lost", P + "G_in_service"),
            ("claim_lost", N + "G_safe")} <= ch, str(ch))
    st = status_now(svc)
    expect("clock: /status shows the evidence expired",
           any("expired" in r for r in not_valid(st).get(P + "E_in_service", []))
           and tops(st) == {N + "G_safe": "unsupported"}, str(st)[:400])
    entries = len(h["runs"]) + len(h["events"])
    write_clock(clock_file, "2027-04-02T00:00:01Z")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and status_now(svc)["judged_at"] != "2027-04-02":
        time.sleep(0.2)
    time.sleep(1.5)
    h2 = svc.get_json("/history")[1]
    expect("clock: a date with no verdict change is judged, and records nothing",
           status_now(svc)["judged_at"] == "2027-04-02"
           and len(h2["runs"]) + len(h2["events"]) == entries, str(h2)[:300])
    # A re-attestation keeps the written expiry date (docs/serve.md): the new report says how
    # long it stands for.
    a = post_ok("attest after the lapse", svc, token, ["attest:E_in_service"])
    expect("clock: a re-attestation alone does not extend the written expiry date",
           a["result"] == "not_supported", str(a)[:300])
    a = post_ok("attest with a new expiry", svc, token,
                ["attest:E_in_service", "expire:E_in_service=2027-09-30"])
    expect("clock: re-attested with a new expiry date, the claims are restored",
           a["result"] == "supported" and not_valid(status_now(svc)) == {}, str(a)[:300])
    svc.stop()
    intact, _ = verify(ctx.assure, db, ctx.env)
    expect("clock: the history verifies", intact)


# ---- Every example: each piece of evidence failed and cleared ----------------------------------


def examples(ctx):
    for name in ("autonomous-ship", "identity-verification", "agent-actions"):
        case = ctx.copy_example(name, "ex-" + name)
        files = sorted(f for f in os.listdir(case) if f.endswith(".assure"))
        clock_file = os.path.join(ctx.tmp, "clock-" + name)
        write_clock(clock_file, SHIP_NOW)
        token_file, token = make_token(ctx.tmp, "token-" + name)
        db = ctx.backends.new("ex_" + name.replace("-", "_"))
        svc = Service(ctx.assure, files, case, db, ctx.clocked(clock_file), ctx.tmp,
                      token_file=token_file, name="serve-" + name)
        if not svc.start():
            expect(f"{name}: the service starts", False, svc.err())
            continue
        proved = run_assure(ctx.assure, ["prove", *files, "--at", "2026-11-23", "--format",
                                         "json"], ctx.env, cwd=case)
        pj = json.loads(proved.stdout)
        base = status_now(svc)
        expect(f"{name}: /status agrees with prove", base["result"] == pj["result"]
               and base["exit_code"] == proved.returncode
               and base["claims"]["supported"] == sum(c["verdict"] == "supported"
                                                      for c in pj["claims"]),
               f"{base['result']} {pj['result']}")
        check_report(name, svc)
        fams = check_metrics(name, svc, {("assure_result", ()): proved.returncode})
        if fams is not None:
            expect(f"{name}: /metrics counts every claim", sum(
                v for (m, _), v in fams["assure_claims"]["samples"].items()) == len(pj["claims"]))
        evidence = [e["name"] for e in pj["evidence"]]
        disagree = []
        for ev in evidence:
            _, imp = svc.get_json("/impact?change=fail:" + ev)
            expected = {c["claim"] for c in imp["lost"]}
            a = post_ok(f"{name}: fail:{ev}", svc, token, ["fail:" + ev])
            if lost(a) != expected:
                disagree.append((ev, sorted(lost(a) ^ expected)))
            post_ok(f"{name}: clear:{ev}", svc, token, ["clear:" + ev])
            if state_of(status_now(svc)) != state_of(base):
                disagree.append((ev, "clear did not restore the state"))
        expect(f"{name}: for each of {len(evidence)} pieces of evidence, the claims an event "
               "loses are those /impact predicts, and clear: restores them", not disagree,
               str(disagree))
        svc.stop()
        intact, entries = verify(ctx.assure, db, ctx.env)
        expect(f"{name}: the history verifies ({entries} entries)",
               intact and entries == 1 + 4 * len(evidence))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--part", choices=["all", "ship", "cli", "clock", "examples"], default="all")
    args = ap.parse_args()
    args.assure = os.path.abspath(args.assure)
    args.root = os.path.abspath(args.root)
    tmp = tempfile.mkdtemp(prefix="assure-serve-test-")
    backends = Backends(args.backend, tmp)
    ctx = Ctx(args, tmp, backends)
    try:
        t0 = time.monotonic()
        for part, fn in (("ship", ship), ("cli", event_cli), ("clock", clock),
                         ("examples", examples)):
            if args.part in ("all", part):
                t = time.monotonic()
                if part == "cli":
                    fn(ctx, backends)
                else:
                    fn(ctx)
                print(f"# {part}: {time.monotonic() - t:.1f} s")
        print(f"# total: {time.monotonic() - t0:.1f} s")
    finally:
        stop_all()
        backends.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
