#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer targets (clang-14, ASan + UBSan; fuzz/CMakeLists.txt) and runs each: first
# over its regression and seed inputs once, then for N seconds (default 15) of new inputs, two
# targets at a time (one per core). Prints each target's executions, exec/s and corpus size.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: front lock change pipeline artifacts
#                                              monitor (default all)
#
# fuzz_front     bytes -> front end; dictionary fuzz/assure.dict; seeds: examples, stdlib, goldens
# fuzz_lock      bytes -> lockfile; fuzz/lock.dict; seeds: locks `assure lock` writes here
# fuzz_change    --change specs on fuzz/fixture; fuzz/change.dict; seeds: fuzz/seeds/change
# fuzz_pipeline  a case with artifact files -> prove/explain/impact/lock; fuzz/assure.dict;
#                seeds: fuzz/seeds/pipeline and the self-contained golden cases
# fuzz_artifacts bytes -> the artifact readers in every format; fuzz/artifacts.dict; seeds: the
#                pipeline fixtures of tests/fixtures/pipeline
# fuzz_monitor   bytes -> runtime records for assure monitor, flat and as OTel spans;
#                fuzz/monitor.dict; seeds: the examples' record logs (first lines) and
#                tests/cli/monitor/harbour.jsonl
#
# libFuzzer runs with -entropic=0: its default entropic schedule spent 85 % of fuzz_front's
# time updating feature frequencies (about 50 exec/s instead of 400; docs/performance.md).
# ASSURE_FUZZ_ENTROPIC=1 turns it back on.
#
# A crash leaves its input in build/fuzz/crashes/<target>-crash-*; minimise it (the target with
# -minimize_crash=1 -runs=10000 INPUT) and add it to tests/regress/ (fuzz_front: a .assure file;
# the others: tests/regress/<target>/) with its fix. The corpora grow in build/fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front lock change pipeline artifacts monitor)

cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j2 --target "${targets[@]/#/fuzz_}" assure

# The dictionary must hold every reserved word of the grammar.
missing=""
for w in $(sed -n '/for (const char \*w : {/,/})/p' dsl/grammar/lexical_def.hpp | grep -o '"[a-z0-9_]*"'); do
  grep -qx "$w" fuzz/assure.dict || missing+=" $w"
done
[ -z "$missing" ] || { echo "fuzz: fuzz/assure.dict lacks the reserved words$missing"; exit 1; }

out=build/fuzz
mkdir -p "$out/crashes" "$out/seeds"
seeds_of() { # TARGET -> a folder of seed inputs, made afresh
  local t="$1" d="$out/seeds/$1"
  rm -rf "$d"
  mkdir -p "$d"
  case "$t" in
    front)
      cp examples/*/*.assure stdlib/*.assure tests/golden/check/*.assure fuzz/seeds/pipeline/*.assure "$d"/
      ;;
    pipeline)
      cp fuzz/seeds/pipeline/*.assure "$d"/
      # Golden cases that are whole in one file (no `// files:` line naming others).
      for f in tests/golden/{prove,impact,rules,risk,patterns}/*.assure; do
        grep -q '^// files:' "$f" || cp "$f" "$d/$(basename "$(dirname "$f")")-$(basename "$f")"
      done
      ;;
    change) cp fuzz/seeds/change/* "$d"/ ;;
    artifacts)
      local k=0
      while IFS= read -r f; do
        cp "$f" "$d/$k-$(basename "$f")"
        k=$((k + 1))
      done < <(find tests/fixtures/pipeline -type f -size +0 | sort)
      ;;
    monitor)
      cp tests/cli/monitor/harbour.jsonl "$d"/
      for f in examples/*/monitor/*.jsonl; do
        head -n 20 "$f" > "$d/$(basename "$(dirname "$(dirname "$f")")")-$(basename "$f")"
      done
      ;;
    lock)
      # Locks of this build's own format: of the fixture and of each example.
      local c="$out/seeds/lock-case"
      rm -rf "$c" && mkdir -p "$c" && cp fuzz/fixture/* "$c"/
      ASSURE_STDLIB="$PWD/stdlib" "$out/assure" lock "$c/case.assure" --at 2026-06-15 \
        -o "$d/fixture.lock" >/dev/null
      for e in examples/*/; do
        ASSURE_STDLIB="$PWD/stdlib" "$out/assure" lock "$e"*.assure --at 2026-06-15 \
          -o "$d/$(basename "$e").lock" >/dev/null
      done
      ;;
  esac
}
regressions_of() { # TARGET -> the inputs that once crashed it, one per line
  case "$1" in
    front) find tests/regress tests/golden examples stdlib -name '*.assure' ;;
    *) [ ! -d "tests/regress/fuzz_$1" ] || find "tests/regress/fuzz_$1" -type f ;;
  esac
}
dict_of() { case "$1" in front | pipeline) echo fuzz/assure.dict ;; *) echo "fuzz/$1.dict" ;; esac; }
max_len_of() {
  case "$1" in front) echo 65536 ;; pipeline | artifacts | monitor) echo 8192 ;; lock) echo 16384 ;; *) echo 1024 ;; esac
}

run_target() { # TARGET: regressions once, then $seconds of fuzzing; the log in $out/TARGET.log
  local t="$1" bin="$out/fuzz/fuzz_$1" log="$out/$1.log" corpus="$out/corpus/$1"
  mkdir -p "$corpus"
  seeds_of "$t"
  local inputs
  mapfile -t inputs < <(regressions_of "$t")
  if [ ${#inputs[@]} -gt 0 ] && ! "$bin" -runs=1 "${inputs[@]}" > "$log" 2>&1; then
    echo "fuzz: a regression input crashes fuzz_$t (see $log)"
    return 1
  fi
  "$bin" -max_total_time="$seconds" -max_len="$(max_len_of "$t")" -timeout=10 -rss_limit_mb=2048 \
    -entropic="${ASSURE_FUZZ_ENTROPIC:-0}" \
    -dict="$(dict_of "$t")" -print_final_stats=1 -artifact_prefix="$out/crashes/$t-" \
    "$corpus" "$out/seeds/$t" > "$log" 2>&1 || {
    echo "fuzz: fuzz_$t failed; its log ends:"
    tail -n 40 "$log"
    return 1
  }
  local execs rate size
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  size="$(ls "$corpus" | wc -l)"
  echo "fuzz: fuzz_$t: ${execs:-?} inputs in ${seconds} s, ${rate:-?} exec/s, corpus $size, no crash"
}

# Two targets at a time: the machine has two cores.
failed=0
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pids=()
  for t in "${targets[@]:i:2}"; do
    run_target "$t" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do
    wait "$p" || failed=1
  done
done
[ "$failed" -eq 0 ] || exit 1
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no crash"
