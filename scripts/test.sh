#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks formatting, builds assure with assertions and warnings-as-errors and runs every test: unit, golden CLI,
# examples, stdlib, docs, command-line and bad-input tests (ctest), then a short fuzzing run of
# the front end under ASan/UBSan. ASSURE_SKIP_FUZZ=1 skips the fuzzing run.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# Formatting (clang-format 14, .clang-format): a diff here means `clang-format -i` was not run.
git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format-14 --dry-run --Werror
cmake --preset relassert -DASSURE_WERROR=ON >/dev/null
cmake --build build/relassert -j2
(cd build/relassert && ctest --output-on-failure -j2 --schedule-random)

if [ "${ASSURE_SKIP_FUZZ:-0}" != "1" ]; then
  scripts/fuzz.sh "${ASSURE_FUZZ_SECONDS:-30}"
fi
