#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks what rules add to `assure prove` on a generated case; builds nothing.
#
#   bench/rules.sh [--assure BIN] [--elements N] [--hazards N] [--modules M] [--runs R]
#                  [--per-rule]
#
# Generates (once, reused while the generator is unchanged) a case of N declarations (default
# 1000000; M modules, default 100, 0 = one file) with real artifact files, no undeveloped leaf,
# --hazards N hazards (default 10000) rated on std.risk.MilStd882 and mitigated by claims spread
# over the case, and the representative rules of gen_case.py --rules (RULES there, plus the
# generator's own R_pass) in main.assure. A copy whose main.assure has its `rule` lines
# blanked out (the other files are symlinks) is the same case without rules. Times
# `assure prove --at 2026-06-15 -v` on both, R runs each (default 3, best wall time reported),
# and prints a markdown table: wall time and peak RSS (GNU time), the `timing: rules` stage
# (which also holds the evaluation of hazard risk, with or without rules), the rules that hold
# and the violations found. A third row has the same rules with each `exists c in claims:
# mitigates(c, h) ...` written `exists c in claims where mitigates(c, h): ...` (equivalent).
# --per-rule adds one row per rule: the case with only that rule. BIN defaults to $ASSURE or
# build/release/assure. Fails (exit 1, with a message) when the case without rules is not
# supported, when prove did not evaluate exactly the rules kept or did not rate every hazard,
# when the rules find no violation, or when a timing is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${ASSURE:-build/release/assure}"
elements=1000000
hazards=10000
modules=100
runs=3
per_rule=0

usage() { sed -n '4,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --assure) bin="$2"; shift 2 ;;
        --elements) elements="$2"; shift 2 ;;
        --hazards) hazards="$2"; shift 2 ;;
        --modules) modules="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --per-rule) per_rule=1; shift ;;
        *) usage ;;
    esac
done
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "rules.sh: no assure binary at $bin (build it first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "rules.sh: /usr/bin/time is needed (GNU time)" >&2; exit 2; }
export ASSURE_STDLIB="${ASSURE_STDLIB:-$root/stdlib}"

dir="$here/out/rules_n${elements}_h${hazards}_m${modules}"
params="elements=$elements hazards=$hazards modules=$modules gen=$(sha256sum "$here/gen_case.py" | cut -c1-16)"
if [ ! -f "$dir/case/params.txt" ] || [ "$(cat "$dir/case/params.txt")" != "$params" ]; then
    echo "rules.sh: generating ${dir#"$root"/}" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    start=$(date +%s.%N)
    python3 "$here/gen_case.py" --elements "$elements" --modules "$modules" \
        --with-artifacts 1000 --supported --hazards "$hazards" --rules --out "$dir/case" \
        2> "$dir/gen.txt" || { cat "$dir/gen.txt" >&2; exit 1; }
    cat "$dir/gen.txt" >&2
    mv "$dir/gen.txt" "$dir/case/gen.txt"
    echo "rules.sh: generated in $(awk -v s="$start" -v e="$(date +%s.%N)" \
        'BEGIN { printf "%.1f", e - s }') s, $(du -sh "$dir/case" | cut -f1)" >&2
    echo "$params" > "$dir/case/params.txt"
fi

die() { echo "rules.sh: $*" >&2; exit 1; }

# variant NAME KEEP: folder $dir/NAME with the case's files as symlinks and a main.assure whose
# `rule` lines are blank except those of the rules named in KEEP (a regex; "" keeps none).
variant() {
    local v="$dir/$1"
    rm -rf "$v"
    mkdir -p "$v"
    for f in "$dir/case"/*; do
        [ "$(basename "$f")" = main.assure ] || ln -s "$f" "$v/$(basename "$f")"
    done
    awk -v keep="$2" '/^rule / { if (keep == "" || $2 !~ ("^(" keep ")$")) { print ""; next } }
                      { print }' "$dir/case/main.assure" > "$v/main.assure"
}

# Sum of the --verbose stage times (ms) named $2, in seconds.
stage() {
    awk -v name="$2" '$1 == "timing:" && $2 == name { s += $3; found = 1 }
        END { if (found) printf "%.2f", s / 1000; else printf "-" }' "$1"
}

# measure FOLDER LABEL: R runs of prove, prints one table row.
measure() {
    local v="$1" label="$2" best="" rc
    for _ in $(seq "$runs"); do
        rc=0
        /usr/bin/time -f '%e %M' -o "$v/time.txt" "$bin" prove "$v/main.assure" \
            --at 2026-06-15 --verbose > "$v/out.txt" 2> "$v/err.txt" || rc=$?
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ] && [ "$rc" -ne 5 ]; then
            echo "rules.sh: assure prove failed on ${v#"$root"/} (exit $rc):" >&2
            grep -m 5 '^error' "$v/err.txt" >&2 || tail -n 5 "$v/err.txt" >&2
            exit 1
        fi
        read -r wall kb < <(tail -n 1 "$v/time.txt")
        if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
            best="$wall $kb $(stage "$v/err.txt" rules) $rc"
            cp "$v/out.txt" "$v/best_out.txt"
        fi
    done
    read -r wall kb rules rc <<< "$best"
    local holds violations kept
    holds="$(sed -n 's/^rules: \([0-9]* of [0-9]*\) hold$/\1/p' "$v/best_out.txt")"
    # It measures what it says: the rules left in main.assure are the rules prove evaluated,
    # and every hazard was rated.
    kept="$(grep -c '^rule ' "$v/main.assure" || true)"
    if [ "$kept" -eq 0 ]; then
        [ -z "$holds" ] || die "${v#"$root"/} has no rules, yet prove reports 'rules: $holds hold'"
    elif [ "${holds#* of }" != "$kept" ]; then
        die "${v#"$root"/} has $kept rules, but prove reports '${holds:-no rules line}'"
    fi
    grep -q "^risk: $((hazards + 1)) hazards rated" "$v/best_out.txt" \
        || die "${v#"$root"/}: prove did not rate the $((hazards + 1)) hazards generated" \
               "($(grep -m 1 '^risk:' "$v/best_out.txt" || echo 'no risk line'))"
    [ -n "$rules" ] && [ "$rules" != "-" ] || die "${v#"$root"/}: no \`timing: rules\` stage in -v"
    # violations: the lines under each rule, plus the "... and N more" counts
    violations="$(awk '/^rules: / { on = 1; next } on && /^summary:/ { on = 0 }
        on && /^    \.\.\. and [0-9]+ more/ { n += $3; next }
        on && /^    / { n++ } END { print n + 0 }' "$v/best_out.txt")"
    echo "| $label | ${wall} s | $((kb / 1024)) MiB | ${rules} s | ${holds:--} | $violations | $rc |"
    last_wall="$wall"
    last_rc="$rc"
    last_violations="$violations"
}

echo "| case | wall | peak RSS | \`timing: rules\` | rules holding | violations | exit |"
echo "|---|---:|---:|---:|---:|---:|---:|"
variant norules ""
variant all '[A-Za-z_0-9]+'
measure "$dir/norules" "without rules"
base_wall="$last_wall"
# Without rules the case is supported (gen_case.py --supported): what fails with them is what
# the rules found, not residual risk or a broken generator.
[ "$last_rc" -eq 0 ] || die "without rules the case's top claim is not supported (prove exit" \
    "$last_rc; see ${dir#"$root"/}/norules/best_out.txt)"
measure "$dir/all" "with all rules"
all_wall="$last_wall"
[ "$last_violations" -gt 0 ] || die "the representative rules found no violation: they no longer" \
    "exercise the violation path (see ${dir#"$root"/}/all/best_out.txt)"
# The same rules with each `exists` that relates its variable in the body (`exists c in claims:
# mitigates(c, h) ...`) written with the relation as a filter (`exists c in claims where
# mitigates(c, h): ...`): equivalent, but the filter lets assure enumerate only the related
# elements.
variant filters '[A-Za-z_0-9]+'
sed -i -e 's/exists c in claims: mitigates(c, h) and not c.undeveloped/exists c in claims where mitigates(c, h): not c.undeveloped/' \
    -e 's/exists c in claims: mitigates(c, h)/exists c in claims where mitigates(c, h): true/' \
    "$dir/filters/main.assure"
measure "$dir/filters" "with all rules, \`exists\` relations as filters"
filters_wall="$last_wall"
if [ "$per_rule" -eq 1 ]; then
    for r in $(awk '/^rule / { print $2 }' "$dir/case/main.assure"); do
        variant "only_$r" "$r"
        measure "$dir/only_$r" "only \`$r\`"
    done
fi
echo
echo "$(sed -n 's/^gen_case: \([0-9]*\) declarations.*/\1/p' "$dir/case/gen.txt" 2>/dev/null)" \
    "declarations; rules add $(awk -v a="$all_wall" -v b="$base_wall" \
    'BEGIN { printf "%.2f", a - b }') s of wall time ($(awk -v a="$filters_wall" \
    -v b="$base_wall" 'BEGIN { printf "%.2f", a - b }') s with \`exists\` relations as filters;" \
    "best of $runs runs each; $bin)"
