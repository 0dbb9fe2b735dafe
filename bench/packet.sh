#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Benchmarks `assure export` and `assure verify` on a generated case; builds nothing.
#
#   bench/packet.sh [--assure BIN] [--elements N] [--artifacts K] [--modules M]
#
# Generates (once, reused while the generator is unchanged) a case of N declarations (default
# 100000, M modules, default 1) whose evidence rests on K real artifact files (default 1000;
# bench/gen_case.py --with-artifacts K), then times `assure export --at 2026-06-15 --sign KEY`,
# `assure verify --key KEY.pub` and `assure verify --key KEY.pub --no-replay` (GNU time: wall,
# peak RSS). Prints a markdown table. BIN defaults to $ASSURE or build/release/assure. Exits 1
# (with a message) when a run fails or the packet does not verify.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${ASSURE:-build/release/assure}"
elements=100000
artifacts=1000
modules=1

usage() { sed -n '4,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --assure) bin="$2"; shift 2 ;;
        --elements) elements="$2"; shift 2 ;;
        --artifacts) artifacts="$2"; shift 2 ;;
        --modules) modules="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) echo "packet.sh: unknown argument $1" >&2; usage ;;
    esac
done
case "$bin" in /*) ;; *) bin="$root/$bin" ;; esac
[ -x "$bin" ] || { echo "packet.sh: no assure binary at $bin (build it first)" >&2; exit 1; }
if [ -z "${ASSURE_STDLIB:-}" ] && [ -d "$root/stdlib" ]; then
    export ASSURE_STDLIB="$root/stdlib"
fi

out="$here/out/packet_n${elements}_a${artifacts}_m${modules}"
stamp="$(sha256sum "$here/gen_case.py" | cut -c1-16) $elements $artifacts $modules"
if [ ! -f "$out/case/.stamp" ] || [ "$(cat "$out/case/.stamp")" != "$stamp" ]; then
    rm -rf "$out"
    mkdir -p "$out"
    python3 "$here/gen_case.py" --elements "$elements" --modules "$modules" \
        --with-artifacts "$artifacts" --supported --out "$out/case" >/dev/null \
        2>"$out/gen.txt" || { cat "$out/gen.txt" >&2; exit 1; }
    echo "$stamp" > "$out/case/.stamp"
fi
rm -f "$out/key" "$out/key.pub"
"$bin" keygen -o "$out/key" >/dev/null
files=("$out"/case/*.assure)
decls=$(cat "${files[@]}" | grep -cE '^\s*(claim|strategy|evidence|artifact|hazard|context|assumption|justification|defeater|region|metric|domain|rule)\b' || true)

timed() { # name, command...
    local name="$1"; shift
    local rc=0
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >"$out/$name.out" 2>"$out/$name.err" || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ] && [ "$rc" -ne 5 ]; then
        echo "packet.sh: $name failed (exit $rc):" >&2; cat "$out/$name.out" "$out/$name.err" >&2
        exit 1
    fi
    read -r wall rss < <(tail -n 1 "$out/time.txt")
    echo "| $name | $wall s | $((rss / 1024)) MB |"
}

echo "case: ${#files[@]} files, about $decls declarations, $artifacts artifact files"
echo
echo "| step | wall | peak RSS |"
echo "|---|---|---|"
timed export "$bin" export "${files[@]}" --at 2026-06-15 --sign "$out/key" -o "$out/case.tar.gz" \
    --force
timed verify "$bin" verify "$out/case.tar.gz" --key "$out/key.pub"
timed verify-no-replay "$bin" verify "$out/case.tar.gz" --key "$out/key.pub" --no-replay
echo
echo "packet: $(stat -c %s "$out/case.tar.gz") bytes; $(grep -E '^  (files|replay|proof):' "$out/verify.out" | sed 's/^  //' | tr '\n' ';')"
