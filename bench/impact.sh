#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks `assure impact` on a generated case whose top claim is supported; builds nothing.
#
#   bench/impact.sh [--assure BIN] [--elements N] [--shared N] [--runs R]
#
# Generates (once, reused while the generator is unchanged) a case of N declarations (default
# 100000) with real artifact files and no undeveloped leaf, where about --shared N (default
# 1000) pieces of evidence, spread over any_of / at_least / all_of / cover steps, also rest on
# one artifact, model_weights. Then times two questions, R runs each (default 3, best reported):
#   one artifact    --change artifact:a_1            (a report regenerated: one piece of evidence)
#   shared artifact --change artifact:model_weights  (the model retrained: ~N pieces of evidence)
# Prints a markdown table: wall time and peak RSS (GNU time), the time of the front end
# (parse .. structure), of the baseline proof, and of the analysis proper (after .. re-prove),
# from --verbose, and what impact answered. BIN defaults to $ASSURE or build/release/assure.
# Fails (exit 1, with a message) when the case's top claim is not supported at baseline, when
# a question does not make it lose support, or when a column would be empty: no re-verification
# plan proved minimal, no invalidated evidence, a missing stage timing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${ASSURE:-build/release/assure}"
elements=100000
shared=1000
runs=3

usage() { sed -n '4,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --assure) bin="$2"; shift 2 ;;
        --elements) elements="$2"; shift 2 ;;
        --shared) shared="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        *) usage ;;
    esac
done
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "impact.sh: no assure binary at $bin (build it first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "impact.sh: /usr/bin/time is needed (GNU time)" >&2; exit 2; }
export ASSURE_STDLIB="${ASSURE_STDLIB:-$root/stdlib}"

dir="$here/out/impact_n${elements}_s${shared}"
params="elements=$elements shared=$shared gen=$(sha256sum "$here/gen_case.py" | cut -c1-16)"
if [ ! -f "$dir/params.txt" ] || [ "$(cat "$dir/params.txt")" != "$params" ]; then
    echo "impact.sh: generating ${dir#"$root"/}" >&2
    rm -rf "$dir"
    python3 "$here/gen_case.py" --elements "$elements" --modules 0 --with-artifacts 1000 \
        --supported --shared-artifact "$shared" --out "$dir" >&2
    echo "$params" > "$dir/params.txt"
fi

# The table must say what the case does: a failed check ends the run with a message and exit 1
# instead of an empty or misleading cell.
die() { echo "impact.sh: $*" >&2; exit 1; }

# The baseline: the generated case's one top claim is supported, or nothing below measures a
# re-verification plan (gen_case.py --supported promises it; a change to the generator or to
# the stdlib's risk matrix once broke it silently).
rc=0
"$bin" prove "$dir/main.assure" --at 2026-06-15 > "$dir/baseline.txt" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] || ! grep -q '^summary: 1 top claim: 1 supported' "$dir/baseline.txt"; then
    echo "impact.sh: the generated case's top claim is not supported at baseline (prove exit $rc):" >&2
    grep -m 8 -E '^(error|summary|risk:)|^  (unsupported|undeveloped|unknown) |^    the ' \
        "$dir/baseline.txt" >&2 || tail -n 8 "$dir/baseline.txt" >&2
    exit 1
fi

# Sum of the --verbose stage times (ms) from the first stage named $2 to the last named $3.
stage_sum() {
    awk -v from="$2" -v to="$3" '
        $1 == "timing:" { if ($2 == from) on = 1; if (on) s += $3; if ($2 == to) on = 0 }
        END { printf "%.2f", s / 1000 }' "$1"
}

echo "| question | wall | peak RSS | front end | baseline proof | analysis | invalidated | lost claims | plan |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for q in "one artifact:artifact:a_1" "shared artifact:artifact:model_weights"; do
    label="${q%%:*}"
    change="${q#*:}"
    best=""
    for _ in $(seq "$runs"); do
        rc=0
        /usr/bin/time -f '%e %M' -o "$dir/time.txt" "$bin" impact "$dir/main.assure" \
            --at 2026-06-15 --change "$change" --verbose > "$dir/out.txt" 2> "$dir/err.txt" || rc=$?
        if [ "$rc" -ne 5 ]; then
            # Both questions invalidate evidence under the supported top claim: it loses support.
            echo "impact.sh: assure impact --change $change exited $rc, not 5 (the top claim" \
                "losing support):" >&2
            grep -m 5 -E '^(error|summary)' "$dir/out.txt" "$dir/err.txt" >&2 \
                || head -n 5 "$dir/err.txt" >&2
            exit 1
        fi
        read -r wall kb < <(tail -n 1 "$dir/time.txt")
        if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
            best="$wall $kb $(stage_sum "$dir/err.txt" parse structure) \
$(stage_sum "$dir/err.txt" before before) $(stage_sum "$dir/err.txt" after re-prove)"
        fi
    done
    read -r wall kb front before analysis <<< "$best"
    invalidated="$(sed -n 's/^directly invalidated evidence (\([0-9]*\)).*/\1/p' "$dir/out.txt")"
    lost="$(sed -n 's/^claims that lose support (\([0-9]*\),.*/\1/p' "$dir/out.txt")"
    plan="$(sed -n 's/^minimum re-verification set: //p' "$dir/out.txt")"
    [ -n "$invalidated" ] && [ "$invalidated" -gt 0 ] \
        || die "--change $change: no invalidated evidence in the report (${invalidated:-none})"
    [ -n "$lost" ] && [ "$lost" -gt 0 ] || die "--change $change: no lost claim in the report"
    case "$plan" in
        "proved minimal, "*) ;;
        *) die "--change $change: the plan is not a proved-minimal set: '${plan:-no plan line}'" ;;
    esac
    for v in "$wall" "$kb" "$front" "$before" "$analysis"; do
        [ -n "$v" ] || die "--change $change: a timing is missing (is --verbose still printed?)"
    done
    awk -v a="$analysis" 'BEGIN { exit !(a > 0) }' \
        || die "--change $change: no analysis stage timings (after .. re-prove) in --verbose"
    echo "| $label (\`--change $change\`) | ${wall} s | $((kb / 1024)) MiB | ${front} s | ${before} s | ${analysis} s | $invalidated | $lost | $plan |"
done
