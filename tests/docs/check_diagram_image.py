#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Keeps the diagrams in the docs current: docs/images/ship.svg (the README's) must be exactly
what `assure diagram` draws for the shipped ship example today, and the ```mermaid block of
docs/diagram.md what it prints for the ```assure block before it.

  check_diagram_image.py --assure BIN --root REPO
"""
import argparse
import os
import re
import tempfile
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

    with open(os.path.join(root, "docs", "diagram.md"), encoding="utf-8") as f:
        doc = f.read()
    case = re.search(r"^```assure\n(.*?)^```", doc, re.S | re.M)
    shown = re.search(r"^```mermaid\n(.*?)^```", doc, re.S | re.M)
    if not case or not shown:
        print("FAIL docs/diagram.md has no ```assure block followed by a ```mermaid block")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        write_to = os.path.join(tmp, "tiny.assure")
        with open(write_to, "w", encoding="utf-8") as f:
            f.write(case.group(1))
        p = subprocess.run([os.path.abspath(args.assure), "diagram", "tiny.assure", "--at",
                            "2026-06-15", "--format", "mermaid", "--no-legend"], cwd=tmp,
                           env=env, capture_output=True, timeout=120)
    if p.returncode != 0 or p.stdout.decode() != shown.group(1):
        print("FAIL the ```mermaid block of docs/diagram.md is not what assure prints for its "
              "case today:\n" + p.stdout.decode() + p.stderr.decode())
        return 1
    print("ok   the Mermaid example of docs/diagram.md is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
