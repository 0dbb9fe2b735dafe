#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`kill -9` loses no acknowledged event (docs/serve.md, "What an event does").

Client threads post events to `assure serve` on a copy of the ship example without pause
(fail:/attest: on pieces of evidence, open:/resolve: on a defeater, each event with a unique
note), and one reads (/status, /metrics, /history, /claims, /impact), while the test kills the service with SIGKILL at seeded random moments and starts it
again on the same history, for several rounds. At the end:
- the hash chain verifies (`assure history --verify`);
- every event whose POST was answered 200 is in the history with the sequence number and
  specs the answer gave; every event in the history is one a client sent, once;
- the state the restarted service rebuilt from the history equals the state of a fresh history
  given the same specs in the same order as one event (`assure event --db`), and the evidence
  it holds invalid is what the last event on each element implies.

  test_serve_kill9.py --assure BIN --root REPO [--backend sqlite|postgresql] [--seed N]
                      [--rounds N] [--clients N]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import expect, finish  # noqa: E402
from serve_support import (Backends, Service, history, make_token,  # noqa: E402
                           parse_prometheus, run_assure, sample, stop_all, verify)

FILES = ["navigation.assure", "perception.assure"]
NOW = "2026-11-23T08:00:00Z"
P = "ship.perception."
EVIDENCE = ["E_fog_sea", "E_night_trials", "E_glare_trials", "E_harbour_holdout"]
DEFEATER = "D_chamber_fog"


class Shared:
    """What the clients and the killer share: the port of the service running now (None while
    it is down), and every POST's outcome."""

    def __init__(self):
        self.lock = threading.Lock()
        self.port = None
        self.stop = False
        self.sent = {}  # note -> specs sent
        self.acked = {}  # note -> (seq, specs recorded)
        self.failed = 0  # POSTs with no answer (the service died under them, or was down)
        self.refused = []  # POSTs answered, but not 200: none expected
        self.reads = 0  # GETs answered
        self.bad_reads = []  # GETs answered, but not 200 with a whole answer: none expected


def client(shared, k, seed, token):
    rng = random.Random(seed * 1000 + k)
    n = 0
    conn = None
    conn_port = None
    while True:
        with shared.lock:
            if shared.stop:
                break
            port = shared.port
        if port is None:
            time.sleep(0.01)
            continue
        if conn is None or conn_port != port:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn_port = port
        specs = []
        for _ in range(rng.choice((1, 1, 2))):
            if rng.random() < 0.25:
                specs.append(rng.choice(("open:", "resolve:")) + DEFEATER)
            else:
                specs.append(rng.choice(("fail:", "attest:")) + rng.choice(EVIDENCE))
        n += 1
        note = f"client {k} event {n}"
        with shared.lock:
            shared.sent[note] = specs
        body = json.dumps({"specs": specs, "note": note})
        try:
            conn.request("POST", "/events", body=body,
                         headers={"Authorization": "Bearer " + token,
                                  "Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
        except (OSError, http.client.HTTPException):
            with shared.lock:
                shared.failed += 1
            conn.close()
            conn = None
            time.sleep(0.01)
            continue
        if r.status == 200:
            a = json.loads(data)
            with shared.lock:
                shared.acked[note] = (a["event"], a["specs"])
        else:
            with shared.lock:
                shared.refused.append((r.status, data[:200]))
    if conn is not None:
        conn.close()


def reader(shared, token):
    """Reads while the events flow and the service dies: every answer it gets is whole."""
    paths = ["/status", "/metrics", "/history?after=", "/claims/G_safe",
             "/impact?change=fail:E_in_service"]
    n = 0
    while True:
        with shared.lock:
            if shared.stop:
                return
            port = shared.port
        if port is None:
            time.sleep(0.01)
            continue
        path = paths[n % len(paths)]
        n += 1
        if path.endswith("="):
            with shared.lock:
                path += str(max([a[0] for a in shared.acked.values()] or [0]))
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", path)
            r = conn.getresponse()
            data = r.read()
            conn.close()
        except (OSError, http.client.HTTPException):
            continue
        ok = r.status == 200
        if ok and path != "/metrics":
            try:
                ok = isinstance(json.loads(data), dict)
            except ValueError:
                ok = False
        with shared.lock:
            shared.reads += 1
            if not ok:
                shared.bad_reads.append((path, r.status, data[:200]))


def start(svc, backend):
    """Starts the service; on PostgreSQL the server may take a moment to see that the killed
    service's session (and its advisory lock) is gone."""
    tries = 0
    while True:
        if svc.start():
            return tries
        tries += 1
        if backend == "sqlite" or "E0805" not in svc.err() or tries > 50:
            raise RuntimeError("the service does not start again: " + svc.err()[-2000:])
        time.sleep(0.2)


def expected_invalid(specs):
    """The evidence invalid after `specs` in order, from the last spec on each element: failed
    evidence, and the chamber campaign when its defeater is open or the recordings that resolve
    it are invalid (perception.assure)."""
    last = {}
    for s in specs:
        kind, _, name = s.partition(":")
        name = name.split("=")[0].removeprefix(P)
        if kind in ("fail", "attest", "open", "resolve"):
            last[name] = kind
    invalid = {P + e for e in EVIDENCE if last.get(e) == "fail"}
    if last.get(DEFEATER) == "open" or P + "E_fog_sea" in invalid:
        invalid.add(P + "E_fog_chamber")
    return invalid


def rebuilt_as_expected(assure, db, env, svc):
    """Whether the state a (re)started service rebuilt is what the history's events imply: the
    evidence invalid and the defeater's status (/metrics). Returns (ok, detail)."""
    h = history(assure, db, env)
    specs = [s for e in sorted(h["events"], key=lambda e: e["seq"]) for s in e["specs"]]
    _, _, raw = svc.request("GET", "/status")
    invalid = {e["name"] for e in json.loads(raw)["evidence_not_valid"]}
    _, _, raw = svc.request("GET", "/metrics")
    open_now = sample(parse_prometheus(raw.decode()), "assure_defeaters_open")
    last_d = [s for s in specs if s.endswith(":" + P + DEFEATER)][-1:]
    want_open = 1 if last_d == ["open:" + P + DEFEATER] else 0
    ok = invalid == expected_invalid(specs) and open_now == want_open
    return ok, f"{sorted(invalid)} vs {sorted(expected_invalid(specs))}; open {open_now} " \
               f"vs {want_open}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    assure = os.path.abspath(args.assure)
    root = os.path.abspath(args.root)
    tmp = tempfile.mkdtemp(prefix="assure-kill9-test-")
    backends = Backends(args.backend, tmp)
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(root, "stdlib"), ASSURE_HISTORY_NOW=NOW)
    env.pop("ASSURE_CLOCK_FILE", None)
    try:
        case = os.path.join(tmp, "ship")
        shutil.copytree(os.path.join(root, "examples", "autonomous-ship"), case,
                        ignore=shutil.ignore_patterns("*.lock", ".assure-*", "trace*", "*.db"))
        token_file, token = make_token(tmp)
        db = backends.new("kill9")
        svc = Service(assure, FILES, case, db, env, tmp, token_file=token_file)
        rng = random.Random(args.seed)
        shared = Shared()
        threads = [threading.Thread(target=client, args=(shared, k, args.seed, token))
                   for k in range(args.clients)]
        threads.append(threading.Thread(target=reader, args=(shared, token)))
        t0 = time.monotonic()
        retries = 0
        for t in threads:
            t.start()
        rebuilt = []
        for rnd in range(args.rounds):
            retries += start(svc, args.backend)
            if rnd > 0:
                # Before the clients see it: the state rebuilt after the kill.
                rebuilt.append(rebuilt_as_expected(assure, db, env, svc))
            with shared.lock:
                shared.port = svc.port
            time.sleep(rng.uniform(0.2, 1.5))
            svc.kill9()
            with shared.lock:
                shared.port = None
            intact, entries = verify(assure, db, env)
            with shared.lock:
                acked = len(shared.acked)
            print(f"# round {rnd + 1}: killed; {acked} events acknowledged so far; the chain of "
                  f"{entries} entries {'verifies' if intact else 'IS BROKEN'}")
            expect(f"round {rnd + 1}: the history verifies after kill -9", intact)
        with shared.lock:
            shared.stop = True
        for t in threads:
            t.join(60)
        if args.backend == "sqlite":
            expect("SQLite: the killed service's lock is gone at once", retries == 0, str(retries))
        expect("after each kill, the restarted service holds the state the events imply",
               all(ok for ok, _ in rebuilt), str([d for ok, d in rebuilt if not ok][:2]))

        # The restarted service, on the history the kills left.
        retries += start(svc, args.backend)
        _, _, raw = svc.request("GET", "/status")
        restarted = json.loads(raw)
        _, _, raw = svc.request("GET", "/metrics")
        defeaters_open = sample(parse_prometheus(raw.decode()), "assure_defeaters_open")
        svc.stop()
        intact, entries = verify(assure, db, env)
        expect("the history verifies at the end", intact, str(entries))
        h = history(assure, db, env)
        events = {e["seq"]: e for e in h["events"]}
        by_note = {}
        for e in h["events"]:
            by_note.setdefault(e["note"], []).append(e)
        lost = [(note, a) for note, a in shared.acked.items()
                if a[0] not in events or events[a[0]]["specs"] != a[1]
                or events[a[0]]["note"] != note]
        print(f"# {len(shared.sent)} events sent, {len(shared.acked)} acknowledged, "
              f"{len(h['events'])} in the history, {shared.failed} POSTs unanswered, "
              f"{args.rounds} kills, {time.monotonic() - t0:.1f} s")
        expect("the clients kept the service busy", len(shared.acked) >= 20 * args.rounds,
               str(len(shared.acked)))
        expect("kill -9 hit requests in flight", shared.failed > 0)
        expect("no POST was refused", not shared.refused, str(shared.refused[:3]))
        print(f"# {shared.reads} GETs answered meanwhile")
        expect("readers were answered while events flowed", shared.reads >= 5 * args.rounds,
               str(shared.reads))
        expect("every GET answered was whole", not shared.bad_reads, str(shared.bad_reads[:3]))
        expect("every acknowledged event is in the history, as acknowledged", not lost,
               str(lost[:5]))
        expect("every event in the history was sent by a client, once",
               all(note in shared.sent and len(es) == 1 for note, es in by_note.items()),
               str([n for n, es in by_note.items() if n not in shared.sent or len(es) > 1][:5]))
        def as_recorded(specs):
            return [s.replace(":", ":" + P, 1) for s in specs]

        expect("every event in the history holds the specs sent (and attest:'s accept: specs)",
               all([s for s in e["specs"] if not s.startswith("accept:")]
                   == as_recorded(shared.sent[e["note"]])
                   for e in h["events"] if e["note"] in shared.sent))
        unacked = len(h["events"]) - len(shared.acked)
        print(f"# {unacked} events recorded whose answer the kill cut off")
        expect("the history holds no more events than were sent",
               0 <= unacked <= shared.failed, f"{unacked} {shared.failed}")
        ordered_specs = [s for e in sorted(h["events"], key=lambda e: e["seq"])
                         for s in e["specs"]]

        # The same specs, in the same order, posted as one event to a fresh history: applied
        # by the path that takes events (Engine::post), not by the one a restart rebuilds the
        # state with (Engine::start), so the comparison checks the rebuilding.
        fresh = backends.new("replay")
        r = run_assure(assure, ["event", "--db", fresh, "--format", "json", *FILES,
                                *ordered_specs], env, cwd=case)
        expect("replay: the specs apply to a fresh history", r.returncode in (0, 5),
               r.stderr.decode()[-1000:])
        replayed = json.loads(r.stdout) if r.returncode in (0, 5) else {}
        last_run = history(assure, fresh, env)["runs"][-1] if replayed else {}
        now_invalid = {c["name"] for c in replayed.get("changes", [])
                       if c["kind"] == "evidence_invalid"}
        expect("the restarted state is the state the events replay to",
               replayed and restarted["result"] == replayed["result"]
               and restarted["top_claims"] == replayed["top_claims"]
               and restarted["claims"] == last_run["claims"]
               and restarted["evidence"] == last_run["evidence"]
               and {e["name"] for e in restarted["evidence_not_valid"]} == now_invalid,
               f"\n{restarted}\n{replayed}\n{last_run}")
        last_d = [s for s in ordered_specs if s.endswith(":" + P + DEFEATER)][-1:]
        print(f"# at the end: {restarted['result']}, the last event on the defeater "
              f"{last_d}, invalid {sorted(expected_invalid(ordered_specs))}")
        expect("the defeater is open as the last event on it left it",
               defeaters_open == (1 if last_d == ["open:" + P + DEFEATER] else 0),
               f"{defeaters_open} {last_d}")
        invalid = {e["name"] for e in restarted["evidence_not_valid"]}
        expect("the evidence invalid is what the last event on each element implies",
               invalid == expected_invalid(ordered_specs),
               f"{sorted(invalid)} vs {sorted(expected_invalid(ordered_specs))}")
    finally:
        stop_all()
        backends.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
