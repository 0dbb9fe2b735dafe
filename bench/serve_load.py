#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The load client of bench/serve.sh: starts `assure serve` on a case (a fresh SQLite history, or
a PostgreSQL URL), posts N events from C client threads over loopback (one keep-alive HTTP
connection each, http.client), and measures each POST's latency: from sending the request to
reading the whole answer, which carries the verdicts after the event. Then checks that none was
lost: the history holds exactly the events acknowledged, each with the sequence number and
specs its answer gave, and its chain verifies.

  serve_load.py --assure BIN --case DIR [--files F...] --spec SPEC... [--events N] [--clients C]
                [--db LOCATION] [--connection-per-event] [--verbose] [--json OUT]

Each client posts the specs of --spec in turn (client k starts at spec k), one spec per event;
alternate a spec and its undoing (fail:E attest:E) so that every event changes the verdicts.
Prints a summary on stdout; exit 1 when an event was lost, refused or unanswered, or the chain
does not verify.
"""
import argparse
import glob
import http.client
import json
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "cli"))
from serve_support import Service, history, make_token, stop_all, verify  # noqa: E402


def percentile(sorted_values, p):
    """The p-th percentile (nearest rank) of sorted values."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


class Connection(http.client.HTTPConnection):
    """http.client sends a request's headers and body in two writes: without TCP_NODELAY the
    body can wait for the server's delayed ACK (40 ms), which would be measured as the
    service's latency. `assure event --server` sets it too."""

    def connect(self):
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def client(k, port, token, specs, count, out, errors, pid, fresh):
    conn = Connection("127.0.0.1", port, timeout=600)
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    if fresh:
        headers["Connection"] = "close"
    for n in range(count):
        spec = specs[(k + n) % len(specs)]
        note = f"c{k}-{n}"
        body = json.dumps({"specs": [spec], "note": note})
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/events", body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
        except (OSError, http.client.HTTPException) as e:
            errors.append(f"{note}: {e!r}")
            conn.close()
            continue
        dt = time.perf_counter() - t0
        if r.status != 200:
            errors.append(f"{note}: HTTP {r.status} {data[:200]!r}")
            continue
        a = json.loads(data)
        out.append((dt, note, a["event"], a["specs"], a["result"], rss_mib(pid)))
    conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--case", required=True)
    ap.add_argument("--files", nargs="*")
    ap.add_argument("--spec", nargs="+", required=True)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--db")
    ap.add_argument("--now", default="2026-11-23T08:00:00Z")
    ap.add_argument("--stdlib")
    ap.add_argument("--json")
    ap.add_argument("--connection-per-event", action="store_true",
                    help="a new connection for each event, as `assure event --server` makes "
                         "(default: one keep-alive connection per client)")
    ap.add_argument("--verbose", action="store_true",
                    help="run the service with --verbose and report the median time of each "
                         "step of an event")
    args = ap.parse_args()
    assure = os.path.abspath(args.assure)
    files = args.files or sorted(os.path.basename(f)
                                 for f in glob.glob(os.path.join(args.case, "*.assure")))
    tmp = tempfile.mkdtemp(prefix="assure-serve-bench-")
    env = dict(os.environ, ASSURE_HISTORY_NOW=args.now)
    if args.stdlib:
        env["ASSURE_STDLIB"] = args.stdlib
    env.pop("ASSURE_CLOCK_FILE", None)
    db = args.db or os.path.join(tmp, "history.db")
    rc = 0
    try:
        token_file, token = make_token(tmp)
        svc = Service(assure, files, os.path.abspath(args.case), db, env, tmp,
                      token_file=token_file, extra=["--verbose"] if args.verbose else [])
        t0 = time.monotonic()
        if not svc.start(timeout=1800):
            print("serve_load: the service did not start:\n" + svc.err(), file=sys.stderr)
            return 1
        startup = time.monotonic() - t0
        rss0 = rss_mib(svc.proc.pid)
        results, errors = [], []
        per = [args.events // args.clients + (1 if k < args.events % args.clients else 0)
               for k in range(args.clients)]
        threads = [threading.Thread(target=client, args=(k, svc.port, token, args.spec, per[k],
                                                         results, errors, svc.proc.pid,
                                                         args.connection_per_event))
                   for k in range(args.clients)]
        t1 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - t1
        rss1 = rss_mib(svc.proc.pid)
        svc.stop(timeout=600)
        t2 = time.monotonic()
        h = history(assure, db, env)
        intact, entries = verify(assure, db, env)
        check_time = time.monotonic() - t2
        events = {e["seq"]: e for e in h["events"]}
        lost = [r for r in results
                if r[2] not in events or events[r[2]]["specs"] != r[3]
                or events[r[2]]["note"] != r[1]]
        lat = sorted(r[0] for r in results)
        summary = {
            "case": os.path.abspath(args.case),
            "events": args.events,
            "clients": args.clients,
            "connection_per_event": args.connection_per_event,
            "acknowledged": len(results),
            "in_history": len(h["events"]),
            "lost": len(lost),
            "errors": len(errors),
            "chain_intact": intact,
            "entries": entries,
            "runs": len(h["runs"]),
            "startup_s": round(startup, 3),
            "wall_s": round(wall, 3),
            "events_per_s": round(len(results) / wall, 1) if wall else None,
            "latency_ms": {
                "p50": round(percentile(lat, 50) * 1000, 1),
                "p90": round(percentile(lat, 90) * 1000, 1),
                "p99": round(percentile(lat, 99) * 1000, 1),
                "max": round(lat[-1] * 1000, 1) if lat else None,
                "mean": round(statistics.fmean(lat) * 1000, 1) if lat else None,
            },
            "rss_mib": {"after_start": rss0, "after_load": rss1,
                        "max_after_an_event": max((r[5] or 0 for r in results), default=None),
                        "after_each_event": [r[5] for r in results] if len(results) <= 100 else None},
            "steps_ms": steps(svc.err()),
            "history_check_s": round(check_time, 1),
        }
        if args.json:
            with open(args.json, "w") as f:
                json.dump(summary, f, indent=2)
        print(json.dumps(summary, indent=2))
        for e in errors[:10]:
            print("serve_load: " + e, file=sys.stderr)
        if errors or lost or not intact or len(results) != args.events \
                or len(h["events"]) != args.events:
            print("serve_load: FAILED: events lost, refused or unanswered, or the chain broken",
                  file=sys.stderr)
            rc = 1
    finally:
        stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


def steps(log):
    """The median time of each step of an event, from the service's --verbose lines
    (`serve: timing: check 0.1 ms, event 0.4 ms, ... (1.1 ms)`), or {} without them."""
    times = {}
    for line in log.splitlines():
        if not line.startswith("serve: timing: "):
            continue
        body, _, total = line[len("serve: timing: "):].rpartition(" (")
        for part in body.split(", ") + ["total " + total.rstrip(")")]:
            name, value, _ = part.rsplit(" ", 2)
            times.setdefault(name, []).append(float(value))
    return {name: round(statistics.median(v), 1) for name, v in times.items()}


def rss_mib(pid):
    """The resident memory of a process, in MiB (Linux), or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024)
    except OSError:
        return None
    return None


if __name__ == "__main__":
    sys.exit(main())
