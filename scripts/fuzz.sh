#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer target (clang-14, ASan + UBSan) and runs it: first over every regression
# and golden input, then for N seconds (default 30) of new inputs seeded from the examples.
# A crash leaves its input in build/fuzz/crash-*; minimise it and add it to tests/regress/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"

cmake --preset fuzz >/dev/null
cmake --build build/fuzz -j2 --target fuzz_front
corpus=build/fuzz/corpus
mkdir -p "$corpus"
cp examples/*/*.assure stdlib/*.assure tests/golden/check/*.assure "$corpus"/ 2>/dev/null || true
# Regression inputs run once each; they must not crash.
find tests/regress tests/golden examples stdlib -name '*.assure' -print0 | xargs -0 build/fuzz/fuzz/fuzz_front -runs=1 >/dev/null 2>&1 \
  || { echo "fuzz: a regression input crashes the front end"; exit 1; }
(cd build/fuzz && ./fuzz/fuzz_front -max_total_time="$seconds" -max_len=65536 -timeout=10 \
   -rss_limit_mb=2048 -print_final_stats=1 corpus 2>&1 | tail -n 12)
echo "fuzz: no crash in ${seconds} s"
