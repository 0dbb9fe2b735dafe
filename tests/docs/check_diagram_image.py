#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Keeps the README's diagram current: docs/images/ship.svg must be exactly what
`assure diagram` draws for the shipped ship example today.

  check_diagram_image.py --assure BIN --root REPO
"""
import argparse
import os
import subprocess
import sys

IMAGE = "docs/images/ship.svg"
ARGS = ["diagram", "examples/autonomous-ship/navigation.assure",
        "examples/autonomous-ship/perception.assure", "--at", "2026-11-23"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(root, "stdlib"))
    p = subprocess.run([os.path.abspath(args.assure)] + ARGS, cwd=root, env=env,
                       capture_output=True, timeout=120)
    refresh = " ".join(["build/release/assure"] + ARGS + ["-o", IMAGE])
    if p.returncode != 0:
        print(f"FAIL assure diagram exited {p.returncode}: {p.stderr.decode()}")
        return 1
    with open(os.path.join(root, IMAGE), "rb") as f:
        committed = f.read()
    if committed != p.stdout:
        print(f"FAIL {IMAGE} is stale: it is not what assure draws today. Refresh it from the "
              f"repository root with\n  {refresh}\nand commit it.")
        return 1
    print(f"ok   {IMAGE} is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
