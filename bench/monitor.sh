#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks `assure monitor` on the agent example's six formal statements; builds nothing.
#
#   bench/monitor.sh [--assure BIN] [RECORDS...]
#
# For each size (default 100000 1000000) it writes that many episodes (the example's
# episodes.jsonl repeated, its three violations included) to bench/out/monitor/ and reports:
# records per second on one core (the time of the "records" stage that --verbose prints: reading,
# parsing, judging and printing, after the one proof at start), the wall time and the peak RSS
# (flat over the stream's length: memory does not grow with it), and the CPU time of the whole
# run (proof included), the figure to trust on a shared machine. Then the streaming latency:
# bench/monitor_latency.py writes one record at a time to `--input -` with `--all` and waits for
# its verdict line, so each round trip is read -> verdict -> printed; the mean and 99th
# percentile in microseconds (the Python driver's own pipe overhead included: an upper bound).
# BIN defaults to $ASSURE or build/release/assure. Prints a markdown table.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${ASSURE:-build/release/assure}"
sizes=()
while [[ $# -gt 0 ]]; do
    case "$1" in
    --assure) bin="$2"; shift 2 ;;
    -h|--help) sed -n '3,15p' "$0"; exit 0 ;;
    *) sizes+=("$1"); shift ;;
    esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
cd "$root"
[[ -x "$bin" ]] || { echo "no assure binary at $bin (build it or pass --assure)" >&2; exit 2; }
case_files=(examples/agent-actions/refund-agent.assure)
episodes=examples/agent-actions/monitor/episodes.jsonl
out=bench/out/monitor
mkdir -p "$out"

# One table row: LABEL N FILE [EXTRA ARGS...]: the run pinned to one core, its records stage,
# CPU time and peak RSS.
row() {
    local label="$1" n="$2" file="$3"
    shift 3
    local log="$out/run_$n.log"
    /usr/bin/time -f "wall %e cpu %U %S rss %M" taskset -c 0 "$bin" monitor "${case_files[@]}" --at 2026-11-23 \
        --input "$file" --verbose "$@" >/dev/null 2>"$log"
    local ms cpu rss rate cpu_rate
    ms=$(sed -n 's/^timing: records *\([0-9.]*\) ms.*/\1/p' "$log")
    cpu=$(sed -n 's/^wall .* cpu \([0-9.]*\) \([0-9.]*\) rss.*/\1 + \2/p' "$log")
    cpu=$(python3 -c "print(f'{$cpu:.2f}')")
    rss=$(sed -n 's/^wall .* rss \([0-9]*\)$/\1/p' "$log")
    rate=$(python3 -c "print(f'{$n / ($ms / 1000):,.0f}')")
    cpu_rate=$(python3 -c "print(f'{$n / $cpu:,.0f}')")
    echo "| $label | ${ms} ms | $rate | ${cpu} s | $cpu_rate | $((rss / 1024)) MB |"
}

echo "| records | records stage (wall) | records/s (wall) | CPU user+sys (whole run) | records/s (CPU) | peak RSS |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
    file="$out/episodes_$n.jsonl"
    if [[ ! -f "$file" ]]; then
        python3 - "$episodes" "$file" "$n" <<'PY'
import sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = open(src).read().splitlines()
with open(dst, "w") as f:
    for k in range(n):
        f.write(lines[k % len(lines)] + "\n")
PY
    fi
    row "$n" "$n" "$file"
    # The same with every verdict appended to a monitor log (a checkpoint every 1000).
    rm -f "$out/verdicts_$n.log"
    row "$n, --log" "$n" "$file" --log "$out/verdicts_$n.log"
    rm -f "$out/verdicts_$n.log"
done

echo
python3 "$here/monitor_latency.py" --assure "$bin" "${case_files[@]}" --input "$episodes"
