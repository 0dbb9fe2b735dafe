#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks `assure diagram` on a generated case; builds nothing.
#
#   bench/diagram.sh [--assure BIN] [--elements N] [--modules M] [--runs R]
#
# Generates (once, reused while the generator is unchanged) a case of N declarations (default
# 100000, M modules, default 1) with real artifact files, then times `assure diagram --at
# 2026-06-15 -v` R times (default 3, best wall time reported) for each format (svg, dot,
# mermaid), with the default node limit. Prints a markdown table: wall time and peak RSS (GNU
# time), the `timing: diagram` stage (building the model, laying it out and rendering it; the
# proof before it is `prove`'s work), and the nodes drawn. BIN defaults to $ASSURE or
# build/release/assure. Exits 1 (with a message) when a run fails or a timing is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${ASSURE:-build/release/assure}"
elements=100000
modules=1
runs=3

usage() { sed -n '4,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --assure) bin="$2"; shift 2 ;;
        --elements) elements="$2"; shift 2 ;;
        --modules) modules="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "diagram.sh: unknown argument $1" >&2; usage ;;
    esac
done
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "diagram.sh: no assure binary at $bin (build it first)" >&2; exit 1; }

out="$here/out/diagram_n${elements}_m${modules}"
stamp="$(sha256sum "$here/gen_case.py" | cut -c1-16) $elements $modules"
if [ ! -f "$out/.stamp" ] || [ "$(cat "$out/.stamp")" != "$stamp" ]; then
    rm -rf "$out"
    python3 "$here/gen_case.py" --elements "$elements" --modules "$modules" --with-artifacts 8 \
        --out "$out" >/dev/null
    echo "$stamp" > "$out/.stamp"
fi
files=("$out"/*.assure)

echo "| format | declarations | wall | peak RSS | diagram stage | nodes |"
echo "|---|---:|---:|---:|---:|---:|"
for format in svg dot mermaid; do
    best=""
    for _ in $(seq "$runs"); do
        log="$(mktemp)"
        /usr/bin/time -f "%e %M" -o "$log.time" "$bin" diagram "${files[@]}" --at 2026-06-15 \
            --format "$format" -v -o "$log.out" --force >"$log.stdout" 2>"$log" || {
            echo "diagram.sh: assure diagram --format $format failed:" >&2; cat "$log" >&2; exit 1; }
        read -r wall rss < "$log.time"
        stage="$(sed -n 's/^timing: diagram *\([0-9.]*\) ms.*/\1/p' "$log")"
        [ -n "$stage" ] || { echo "diagram.sh: no diagram timing" >&2; exit 1; }
        nodes="$(sed -n 's/.*: \([0-9]*\) elements.*/\1/p' "$log.stdout")"
        if [ -z "$best" ] || awk "BEGIN{exit !($wall < ${best%% *})}"; then
            best="$wall $rss $stage $nodes"
        fi
        rm -f "$log" "$log.time" "$log.out" "$log.stdout"
    done
    read -r wall rss stage nodes <<< "$best"
    printf '| %s | %s | %s s | %s MB | %s ms | %s |\n' "$format" "$elements" "$wall" \
        "$((rss / 1024))" "$stage" "$nodes"
done
