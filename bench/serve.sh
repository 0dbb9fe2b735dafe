#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks `assure serve` under load (docs/performance.md, "assure serve"); builds nothing.
#
#   bench/serve.sh [--assure BIN] [--events N] [--clients C] [--db LOCATION]
#   bench/serve.sh --big [--assure BIN] [--events N] [--db LOCATION]
#
# Default: N events (default 10000) from C concurrent clients (default 8) over loopback to
# `assure serve` on a copy of examples/autonomous-ship with a fresh SQLite history (or --db, a
# postgresql:// URL of an empty database). Every event fails or re-attests one piece of evidence
# or opens or resolves a defeater, so that every event changes verdicts. Prints the latency from
# POST to the answer carrying the new verdicts (p50, p90, p99, max), the throughput, and checks
# that no event was lost: the history holds exactly the events acknowledged, with the sequence
# numbers and specs their answers gave, and its chain verifies (`assure history --verify`).
#
# --big: the same on the generated 1,000,000-declaration case with 1000 artifact files and a
# supported top claim (bench/out/serve_n1000000, made by bench/gen_case.py on first use, about
# 160 MB; reused while the generator is unchanged), one client making a new connection for each
# event (as `assure event --server` does), N events (default 20) alternating fail: and attest:
# on one piece of evidence, with the service's --verbose step times and its memory after each
# event; then `assure event --db --verbose` once (its event's run is a full run, not a delta).
# Needs about 4 GB of memory and two minutes; not run by CI.
#
# Both print the machine and the date first, then serve_load.py's JSON summary. BIN defaults
# to $ASSURE or build/release/assure. Exit 1 when an event was lost, refused or unanswered, or
# the chain does not verify.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${ASSURE:-build/release/assure}"
events=""
clients=8
db=()
big=0

usage() { sed -n '4,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --assure) bin="$2"; shift 2 ;;
        --events) events="$2"; shift 2 ;;
        --clients) clients="$2"; shift 2 ;;
        --db) db=(--db "$2"); shift 2 ;;
        --big) big=1; shift ;;
        -h|--help) usage ;;
        *) echo "serve.sh: unknown argument $1" >&2; usage ;;
    esac
done
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "serve.sh: no assure binary at $bin (build it first)" >&2; exit 2; }
export ASSURE_STDLIB="${ASSURE_STDLIB:-$root/stdlib}"
tmp="$(mktemp -d /tmp/assure-serve-bench.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

echo "serve.sh: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "serve.sh: $("$bin" --version | head -n 1)" >&2

if [ "$big" -eq 0 ]; then
    case="$tmp/ship"
    cp -r "$root/examples/autonomous-ship" "$case"
    rm -f "$case"/*.lock
    p=ship.perception
    python3 "$here/serve_load.py" --assure "$bin" --case "$case" --events "${events:-10000}" \
        --clients "$clients" --verbose "${db[@]}" --spec \
        "fail:$p.E_fog_sea" "attest:$p.E_fog_sea" "open:$p.D_chamber_fog" \
        "resolve:$p.D_chamber_fog" "fail:$p.E_night_trials" "attest:$p.E_night_trials" \
        "fail:$p.E_in_service" "attest:$p.E_in_service" "fail:$p.E_harbour_holdout" \
        "attest:$p.E_harbour_holdout"
    exit $?
fi

dir="$here/out/serve_n1000000"
params="elements=1000000 modules=100 artifacts=1000 supported gen=$(sha256sum "$here/gen_case.py" | cut -c1-16)"
if [ ! -f "$dir/params.txt" ] || [ "$(cat "$dir/params.txt")" != "$params" ]; then
    echo "serve.sh: generating ${dir#"$root"/}" >&2
    rm -rf "$dir"
    python3 "$here/gen_case.py" --elements 1000000 --modules 100 --with-artifacts 1000 \
        --supported --out "$dir" >&2
    echo "$params" > "$dir/params.txt"
fi
# One piece of evidence a claim rests on: failing it loses claims up to the top.
evidence=bench.m0001.E2
python3 "$here/serve_load.py" --assure "$bin" --case "$dir" --files main.assure \
    --events "${events:-20}" --clients 1 --verbose --connection-per-event "${db[@]}" \
    --spec "fail:$evidence" "attest:$evidence" || exit 1
echo "serve.sh: the steps of one event (assure event --db --verbose):" >&2
(cd "$dir" && ASSURE_HISTORY_NOW=2026-11-23T08:00:00Z /usr/bin/time -f 'serve.sh: event --db: %e s, %M KB' \
    "$bin" event --db "$tmp/event.db" --verbose main.assure "fail:$evidence" 2>&1 >/dev/null |
    grep -e '^timing:' -e '^serve.sh:' >&2) || true
