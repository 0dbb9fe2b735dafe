#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Streaming latency of `assure monitor --input -`: one record written, its verdict line read
back, N times (bench/monitor.sh runs it).

    monitor_latency.py --assure BIN CASE.assure... --input EPISODES.jsonl [--count N]

Prints the mean, median and 99th percentile of the round trip in microseconds: read ->
verdict -> printed, plus this driver's pipe overhead (an upper bound on the monitor's share),
and the same round trip through `cat` for comparison: on a 2-core machine the wake-ups of the
two processes, not the judging (about 2 µs a record), make most of it.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("case", nargs="+")
    args = ap.parse_args()
    records = open(args.input, "rb").read().splitlines()
    monitor = round_trips([args.assure, "monitor", *args.case, "--at", "2026-11-23", "--input",
                           "-", "--all", "--format", "json"], records, args.count, b'{"line":')
    # Each verdict appended to a monitor log before it is printed (read to logged verdict).
    folder = tempfile.mkdtemp(prefix="assure-monitor-latency-")
    try:
        inside = []
        logged = round_trips([args.assure, "monitor", *args.case, "--at", "2026-11-23",
                              "--input", "-", "--all", "--format", "json", "--verbose", "--log",
                              os.path.join(folder, "verdicts.log")], records, args.count,
                             b'{"line":', inside)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    # The same round trip through `cat`: the pipes' and this driver's share.
    baseline = round_trips(["cat"], records, args.count, b"{")
    print("| streaming (--input -), µs per record | mean | median | p99 |")
    print("|---|---:|---:|---:|")
    for name, times in ((f"assure monitor, {args.count} records, read to verdict", monitor),
                        (f"the same with --log: read to logged verdict", logged),
                        ("the same round trip through `cat` (pipe overhead)", baseline)):
        print(f"| {name} | {statistics.mean(times):.1f} | {statistics.median(times):.1f} | "
              f"{times[int(len(times) * 0.99)]:.1f} |")
    print()
    print("Inside the monitor (--verbose, --log, streaming): " +
          (inside[0] if inside else "(no timing line)"))


def round_trips(command, records, count, prefix, notes=None):
    """Round-trip times in µs; `notes`, when given, gets the monitor's per-line timing line
    (from its --verbose output on stderr)."""
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
                            stderr=subprocess.PIPE if notes is not None else None)
    times = []
    for k in range(count):
        line = records[k % len(records)] + b"\n"
        start = time.perf_counter_ns()
        proc.stdin.write(line)
        answer = proc.stdout.readline()
        times.append((time.perf_counter_ns() - start) / 1000)
        if not answer.startswith(prefix):
            raise SystemExit(f"unexpected output: {answer[:200]!r}")
    proc.stdin.close()
    proc.stdout.read()
    if notes is not None:
        for text in proc.stderr.read().decode(errors="replace").splitlines():
            if "per line" in text:
                notes.append(text.split("monitor: ", 1)[-1])
    proc.wait()
    times.sort()
    return times


if __name__ == "__main__":
    main()
