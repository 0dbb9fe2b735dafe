#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that the .assure files of a folder, as one case, check clean: exit 0, no warning.

  check_clean.py --assure BIN --root REPO FOLDER
"""
import argparse
import glob
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("folder")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    files = sorted(os.path.relpath(p, root)
                   for p in glob.glob(os.path.join(root, args.folder, "**", "*.assure"), recursive=True))
    if not files:
        print(f"no .assure files under {args.folder}")
        return 1
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(root, "stdlib"))
    # All files of the folder form one case: modules imported by others are not checked alone.
    proc = subprocess.run([os.path.abspath(args.assure), "check"] + files, cwd=root, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    print(proc.stdout, end="")
    if proc.returncode != 0 or proc.stderr.strip():
        print(f"FAIL {args.folder} (exit {proc.returncode})\n{proc.stderr}")
        print("0 passed, 1 failed")
        return 1
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
