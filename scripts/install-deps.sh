#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages assure needs to build, test and package (dpkg-dev and file let
# cpack derive the .deb's dependencies; chromium runs the HTML report's browser test). Installs
# nothing when all of them are present (unless CI=true, where the package lists are refreshed
# once first).
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config ccache python3
  libboost-dev libboost-graph-dev libz3-dev z3 libssl-dev
  doctest-dev nlohmann-json3-dev libcli11-dev libmimalloc-dev libcsv-dev libexpat1-dev
  clang-14 libclang-rt-14-dev clang-format-14 git
  dpkg-dev file
  python3-jsonschema python3-yaml libgraphviz-dev libarchive-dev cvc5 libsqlite3-dev
  chromium fonts-dejavu-core valgrind
  libcpp-httplib-dev libpqxx-dev postgresql
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
