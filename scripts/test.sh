#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks formatting, builds assure with assertions and warnings-as-errors and runs every test: unit, golden CLI,
# examples, stdlib, docs, command-line and bad-input tests (ctest), then a short fuzzing run of
# every libFuzzer target under ASan/UBSan (scripts/fuzz.sh). ASSURE_SKIP_FUZZ=1 skips the
# fuzzing run; ASSURE_FUZZ_SECONDS (default 15) is the time of each fuzz target.
#
# The property tests (oracle_differential, oracle_differential_z3, impact_minimality,
# rules_property) run at CI size, hundreds of cases each, so that a cold run stays under 15
# minutes on a 2-core machine; ASSURE_TEST_SIZE=full runs them at full size, thousands of
# cases (docs/performance.md, "Test sizes").
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
phase() { echo "test.sh: $1 done after $((SECONDS - start)) s"; }

scripts/install-deps.sh
# Formatting (clang-format 14, .clang-format): a diff here means `clang-format -i` was not run.
git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format-14 --dry-run --Werror
cmake --preset relassert -DASSURE_WERROR=ON >/dev/null
cmake --build build/relassert -j2
phase build
(cd build/relassert && ctest --output-on-failure -j2 --schedule-random)
phase ctest

if [ "${ASSURE_SKIP_FUZZ:-0}" != "1" ]; then
  scripts/fuzz.sh "${ASSURE_FUZZ_SECONDS:-15}"
  phase fuzz
fi
