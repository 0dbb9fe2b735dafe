#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks the cell enumeration (solver/cells.cpp) on large enum and integer `in` sets;
# builds nothing.
#
#   bench/cells.sh [--assure BIN] [--runs R] [SIZE...]
#
# For each SIZE (default 1000 5000 20000 100000) generates a one-file case whose domain has an
# enum of SIZE values and an int [0, 10 * SIZE]: a region `c in {every value} and c in {every
# other value} and k in {SIZE even numbers}`, its complement `c not in {...} and k not in
# {...}`, and claims whose requirements are measured over such regions (two box obligations of
# SIZE-member sets, decided by cell enumeration). Times `assure prove --at 2026-06-15 -v`, R runs
# (default 3, best wall time), and prints a markdown table: wall time and peak RSS (GNU time),
# and the `resolve` and `decide` stages. BIN defaults to $ASSURE or build/release/assure.
set -euo pipefail

bin="${ASSURE:-build/release/assure}"
runs=3
sizes=()
usage() { sed -n '4,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --assure) bin="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        -h|--help) usage ;;
        -*) usage ;;
        *) sizes+=("$1"); shift ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000 20000 100000)
[ -x "$bin" ] || { echo "no assure binary at $bin (build the release preset)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "| members | wall | peak RSS | resolve | decide | top claims |"
echo "|---:|---:|---:|---:|---:|---|"
for n in "${sizes[@]}"; do
    case_file="$work/sets$n.assure"
    python3 - "$n" "$case_file" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
every = ", ".join(f"v{i}" for i in range(n))
odd = ", ".join(f"v{i}" for i in range(1, n, 2))
ints = ", ".join(str(2 * i) for i in range(n))
with open(path, "w") as f:
    f.write(f"domain D {{ c : enum {{ {every} }} k : int [0, {10 * n}] }}\n")
    f.write(f"odd R = D where c in {{ {every} }} and c in {{ {odd} }} and k in {{ {ints} }}\n")
    f.write(f"odd Q = D where c not in {{ {odd} }} and k not in {{ {ints} }}\n")
    f.write(f'evidence E "e" {{ kind: test result: pass metric m = 1 over D where c in {{ {odd} }} }}\n')
    f.write('evidence F "f" { kind: test result: pass metric m = 1 over Q }\n')
    f.write('claim G "g" { scope: R requires: m >= 1 supported_by: E }\n')
    f.write(f'claim H "h" {{ scope: D where c in {{ {every} }} requires: m >= 1 supported_by: E, F }}\n')
EOF
    best=""
    for _ in $(seq "$runs"); do
        out="$( { /usr/bin/time -f 'TIME %e %M' "$bin" prove --at 2026-06-15 -v "$case_file" \
                   >"$work/stdout" || true; } 2>&1)"
        wall="$(sed -n 's/^TIME \([0-9.]*\) .*/\1/p' <<<"$out")"
        if [ -z "$best" ] || awk "BEGIN { exit !($wall < $best) }"; then
            best="$wall"
            rss="$(sed -n 's/^TIME [0-9.]* \([0-9]*\)/\1/p' <<<"$out")"
            resolve="$(sed -n 's/^timing: resolve *\([0-9.]* [a-z]*\).*/\1/p' <<<"$out")"
            decide="$(sed -n 's/^timing: decide *\([0-9.]* [a-z]*\).*/\1/p' <<<"$out")"
            tops="$(sed -n 's/^  \(supported\|unsupported\|unknown\|undeveloped\) .*/\1/p' \
                      "$work/stdout" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')"
        fi
    done
    [ -n "$decide" ] || { echo "no decide stage for size $n: the case did not prove" >&2; exit 1; }
    printf '| %s | %s s | %s MiB | %s | %s | %s |\n' "$n" "$best" "$((rss / 1024))" "$resolve" \
        "$decide" "$tops"
done
