#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks `assure report` on a generated case; builds nothing.
#
#   bench/report.sh [--assure BIN] [--elements N] [--modules M] [--no-browser]
#
# Generates (once, reused while the generator is unchanged) a case of N declarations (default
# 100000, M modules, default 1) with real artifact files (bench/gen_case.py), then times
# `assure report --at 2026-06-15 -v` (GNU time: wall, peak RSS; the `html` and `write` stages)
# and, unless --no-browser, loads the page in headless Chromium over the DevTools protocol
# (tests/browser/cdp.py) and times the load, building a claim's section from a link and a search.
# Prints a markdown table. BIN defaults to $ASSURE or build/release/assure. Exits 1 (with a
# message) when a run fails, the page logs an error or requests anything, or a timing is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${ASSURE:-build/release/assure}"
elements=100000
modules=1
browser=1

usage() { sed -n '4,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --assure) bin="$2"; shift 2 ;;
        --elements) elements="$2"; shift 2 ;;
        --modules) modules="$2"; shift 2 ;;
        --no-browser) browser=0; shift ;;
        -h|--help) usage ;;
        *) echo "report.sh: unknown argument $1" >&2; usage ;;
    esac
done
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "report.sh: no assure binary at $bin (build it first)" >&2; exit 1; }
if [ -z "${ASSURE_STDLIB:-}" ] && [ -d "$root/stdlib" ]; then
    export ASSURE_STDLIB="$root/stdlib"
fi

out="$here/out/report_n${elements}_m${modules}"
stamp="$(sha256sum "$here/gen_case.py" | cut -c1-16) $elements $modules"
if [ ! -f "$out/.stamp" ] || [ "$(cat "$out/.stamp")" != "$stamp" ]; then
    rm -rf "$out"
    mkdir -p "$here/out"
    python3 "$here/gen_case.py" --elements "$elements" --modules "$modules" --with-artifacts 100 \
        --out "$out" >/dev/null 2>"$out.gen.txt" || { cat "$out.gen.txt" >&2; exit 1; }
    rm -f "$out.gen.txt"
    echo "$stamp" > "$out/.stamp"
fi
files=("$out"/*.assure)
page="$out/report.html"
log="$out/report.log"

rc=0
/usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" report "${files[@]}" --at 2026-06-15 -v \
    -o "$page" --force >"$out/stdout.txt" 2>"$log" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ] && [ "$rc" -ne 5 ]; then
    echo "report.sh: assure report failed (exit $rc):" >&2; cat "$log" >&2; exit 1
fi
read -r wall rss < <(tail -n 1 "$out/time.txt")
html="$(sed -n 's/^timing: html *\([0-9.]*\) ms.*/\1/p' "$log")"
write="$(sed -n 's/^timing: write *\([0-9.]*\) ms.*/\1/p' "$log")"
[ -n "$html" ] && [ -n "$write" ] || { echo "report.sh: no html/write timing" >&2; exit 1; }
bytes="$(stat -c %s "$page")"

echo "| declarations | report wall | peak RSS | html stage | write stage | page size |"
echo "|---:|---:|---:|---:|---:|---:|"
printf '| %s | %s s | %s MB | %s ms | %s ms | %s MB |\n' "$elements" "$wall" "$((rss / 1024))" \
    "$html" "$write" "$((bytes / 1000000))"

[ "$browser" -eq 1 ] || exit 0
python3 - "$page" "$root" <<'PY'
import json, sys, time
sys.path.insert(0, sys.argv[2] + "/tests/browser")
import cdp
page_path = sys.argv[1]
chromium = cdp.find_chromium()
if not chromium:
    sys.exit("report.sh: chromium is not installed (scripts/install-deps.sh; or --no-browser)")
html = open(page_path, encoding="utf-8").read()
index = html[html.index('id="index-data">') + 16:]
entries = json.loads(index[:index.index("</script>")])
claims = [e for e in entries if e[2] == "claim"]
target = claims[len(claims) // 2]
with cdp.Browser(chromium, timeout=300) as b:
    t = time.monotonic()
    p = b.open("file://" + page_path, settle=0)
    load = time.monotonic() - t
    t = time.monotonic()
    p.evaluate("location.hash = %s" % json.dumps("#" + target[0]))
    built = p.evaluate("!!document.getElementById(%s)" % json.dumps(target[0]))
    nav = time.monotonic() - t
    t = time.monotonic()
    found = p.evaluate("(function(){var b=document.getElementById('search');b.value=%s;"
                       "b.dispatchEvent(new Event('input'));return document.querySelectorAll("
                       "'#search-results a').length;})()" % json.dumps(target[1].split('.')[-1]))
    search = time.monotonic() - t
    p.settle(0.2)
    bad = p.errors + p.requests
if bad or not built or not found:
    sys.exit("report.sh: the page misbehaved: %s built=%s found=%s" % (bad[:5], built, found))
print()
print("| browser load | section built from a link | search (%d entries) |" % len(entries))
print("|---:|---:|---:|")
print("| %.1f s | %.0f ms | %.0f ms |" % (load, nav * 1000, search * 1000))
PY
