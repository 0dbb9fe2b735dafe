#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One command from a fresh clone: install what is missing, build assure (release), and run the
# main job on the shipped autonomous-ship example.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release -DASSURE_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j2
echo
echo "+ build/release/assure check examples/autonomous-ship/*.assure"
build/release/assure check examples/autonomous-ship/*.assure
