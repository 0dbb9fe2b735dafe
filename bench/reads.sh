#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks what reading values from artifacts adds to `assure prove`; builds nothing.
#
#   bench/reads.sh [--assure BIN] [--elements N] [--artifacts K] [--reads N] [--modules M]
#                  [--runs R]
#
# Generates (once, reused while the generator is unchanged) a case of N declarations (default
# 1000000; M modules, default 100, 0 = one file) whose artifacts name K real files (default
# 10000) pinned by their true SHA-256: JSON reports, CSV tables and JUnit XML reports from which
# the case reads --reads values (default 10000; gen_case.py --reads: metric values by JSON
# Pointer and CSV row, evidence results from JUnit). A second copy types the same values
# instead (gen_case.py --reads-typed: the same files, the same values, the same verdicts).
# Times `assure prove --at 2026-06-15 --verbose` on both, R runs each (default 3, interleaved),
# with MIMALLOC_PURGE_DELAY=0 unless set, and prints a markdown table: the best wall time and
# its peak RSS (GNU time), the `timing: artifacts` stage (hashing the artifact files, reading
# the values, each piece of evidence's own validity) of that run and the least of all runs.
# BIN defaults to $ASSURE or build/release/assure. Fails (exit 1, with a message) when a case
# does not measure what it says: not exactly N values read in the case, some evidence invalid,
# a summary that differs between reading and typing the values (reading changed a verdict), a
# failed prove, or a missing timing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${ASSURE:-build/release/assure}"
elements=1000000
artifacts=10000
reads=10000
modules=100
runs=3

usage() { sed -n '4,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --assure) bin="$2"; shift 2 ;;
        --elements) elements="$2"; shift 2 ;;
        --artifacts) artifacts="$2"; shift 2 ;;
        --reads) reads="$2"; shift 2 ;;
        --modules) modules="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        *) usage ;;
    esac
done
[ "$artifacts" -gt 0 ] && [ "$reads" -gt 0 ] || usage
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "reads.sh: no assure binary at $bin (build it first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "reads.sh: /usr/bin/time is needed (GNU time)" >&2; exit 2; }
export ASSURE_STDLIB="${ASSURE_STDLIB:-$root/stdlib}"
export MIMALLOC_PURGE_DELAY="${MIMALLOC_PURGE_DELAY:-0}"

die() { echo "reads.sh: $*" >&2; exit 1; }

dir="$here/out/reads_n${elements}_a${artifacts}_r${reads}_m${modules}"
params="elements=$elements artifacts=$artifacts reads=$reads modules=$modules gen=$(sha256sum "$here/gen_case.py" | cut -c1-16)"
# generate NAME [OPTION]: the case in $dir/NAME, unless it is there already.
generate() {
    local v="$dir/$1"
    shift
    if [ -f "$v/params.txt" ] && [ "$(cat "$v/params.txt")" = "$params" ]; then
        return
    fi
    echo "reads.sh: generating ${v#"$root"/}" >&2
    rm -rf "$v"
    mkdir -p "$dir"
    python3 "$here/gen_case.py" --elements "$elements" --modules "$modules" \
        --with-artifacts "$artifacts" --reads "$reads" "$@" --out "$v" 2> "$dir/gen.txt" \
        || { cat "$dir/gen.txt" >&2; exit 1; }
    cat "$dir/gen.txt" >&2
    mv "$dir/gen.txt" "$v/gen.txt"
    echo "$params" > "$v/params.txt"
}
generate read
generate typed --reads-typed

# It measures what it says: the case reads exactly N values, the other types them all.
count_reads() { cat "$1"/*.assure | grep -c -e ' = read ' -e 'result: read ' || true; }
[ "$(count_reads "$dir/read")" = "$reads" ] \
    || die "${dir#"$root"/}/read reads $(count_reads "$dir/read") values, not $reads"
[ "$(count_reads "$dir/typed")" = 0 ] || die "${dir#"$root"/}/typed reads values"
cmp -s <(cd "$dir/read/files" && sha256sum -- *) <(cd "$dir/typed/files" && sha256sum -- *) \
    || die "the two cases' artifact files differ"

# Sum of the --verbose stage times (ms) named $2, in seconds.
stage() {
    awk -v name="$2" '$1 == "timing:" && $2 == name { s += $3; found = 1 }
        END { if (found) printf "%.3f", s / 1000; else printf "-" }' "$1"
}

declare -A best stage_min
# run NAME: one run of prove on $dir/NAME; keeps its best wall time and least artifacts stage.
run() {
    local v="$dir/$1" rc=0 wall kb art
    /usr/bin/time -f '%e %M' -o "$v/time.txt" "$bin" prove "$v/main.assure" --at 2026-06-15 \
        --verbose > "$v/out.txt" 2> "$v/err.txt" || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ] && [ "$rc" -ne 5 ]; then
        echo "reads.sh: assure prove failed on ${v#"$root"/} (exit $rc):" >&2
        grep -m 5 '^error' "$v/err.txt" >&2 || tail -n 5 "$v/err.txt" >&2
        exit 1
    fi
    read -r wall kb < <(tail -n 1 "$v/time.txt")
    art="$(stage "$v/err.txt" artifacts)"
    [ "$art" != "-" ] || die "${v#"$root"/}: no \`timing: artifacts\` stage in --verbose"
    if [ -z "${best[$1]-}" ] || awk -v a="$wall" -v b="${best[$1]%% *}" 'BEGIN { exit !(a < b) }'
    then
        best[$1]="$wall $kb $art $rc"
        cp "$v/out.txt" "$v/best_out.txt"
    fi
    if [ -z "${stage_min[$1]-}" ] || awk -v a="$art" -v b="${stage_min[$1]}" 'BEGIN { exit !(a < b) }'
    then
        stage_min[$1]="$art"
    fi
}
for _ in $(seq "$runs"); do
    run read
    run typed
done

for v in read typed; do
    evidence="$(sed -n 's/.* \([0-9]*\) of \([0-9]*\) evidence valid.*/\1 \2/p' "$dir/$v/best_out.txt")"
    read -r valid all <<< "${evidence:-x y}"
    [ -n "$evidence" ] && [ "$valid" = "$all" ] \
        || die "${dir#"$root"/}/$v: not every piece of evidence is valid (${evidence:-no count})"
done
# Reading gives the values typing gives: the same verdicts and the same obligations. (Rules
# are compared apart: they read an evidence's declared result, and one read from a report
# declares none, so `e.result == pass` may not hold of it; that is said, not a failure.)
summary() {
    sed -n '/^summary:/,$p' "$1" | sed -E 's/, [0-9]+ rule quer(y|ies)//; s/\([0-9]+ distinct queries, /(/'
}
cmp -s <(summary "$dir/read/best_out.txt") <(summary "$dir/typed/best_out.txt") \
    || die "the summaries differ between reading and typing the values (${dir#"$root"/})"
if ! cmp -s <(grep '^rules: ' "$dir/read/best_out.txt") <(grep '^rules: ' "$dir/typed/best_out.txt"); then
    echo "reads.sh: note: the rules hold differently with the values read" \
        "($(grep '^rules: ' "$dir/read/best_out.txt") against" \
        "$(grep '^rules: ' "$dir/typed/best_out.txt") typed)" >&2
fi

echo "| case | wall (best of $runs) | peak RSS | \`artifacts\` stage (that run) | \`artifacts\` stage (least) | exit |"
echo "|---|---:|---:|---:|---:|---:|"
row() {
    local wall kb art rc
    read -r wall kb art rc <<< "${best[$1]}"
    echo "| $2 | ${wall} s | $((kb / 1024)) MiB | ${art} s | ${stage_min[$1]} s | $rc |"
}
row typed "$reads values typed"
row read "$reads values read"
echo
read -r rwall _ <<< "${best[read]}"
read -r twall _ <<< "${best[typed]}"
echo "$(sed -n 's/^gen_case: \([0-9]*\) declarations.*/\1/p' "$dir/read/gen.txt") declarations," \
    "$artifacts artifact files, $reads values read: reading adds" \
    "$(awk -v a="$rwall" -v b="$twall" 'BEGIN { printf "%.2f", a - b }') s of wall time and" \
    "$(awk -v a="${stage_min[read]}" -v b="${stage_min[typed]}" 'BEGIN { printf "%.3f", a - b }') s" \
    "to the \`artifacts\` stage (least of $runs runs each; $bin)"
