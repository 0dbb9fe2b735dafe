#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Graphviz is C code we call into: lay out the SVG diagram of every example and of the diagram
goldens' flawed case under valgrind's memcheck, and fail on any invalid read, write or free.

Graphviz 2.42 frees a wrong pointer after laying out a labelled edge between two nodes of the
top rank; assure's edges carry external labels (xlabel) because of it, and this test keeps it
so. Mismatched new/delete reports are off: mimalloc's operator new is not valgrind's.

  test_diagram_memcheck.py --assure BIN --root REPO
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind is not installed (scripts/install-deps.sh installs it): nothing checked")
        return 1
    root = os.path.abspath(args.root)
    cases = [sorted(glob.glob(os.path.join(root, "examples", name, "*.assure")))
             for name in sorted(os.listdir(os.path.join(root, "examples")))
             if os.path.isdir(os.path.join(root, "examples", name))]
    cases.append([os.path.join(root, "tests", "golden", "diagram", "flawed.assure")])
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(root, "stdlib"))
    failed = 0
    for files in cases:
        if not files or not all(os.path.exists(f) for f in files):
            print("FAIL missing case files: %s" % files)
            failed += 1
            continue
        cmd = [valgrind, "-q", "--error-exitcode=9", "--show-mismatched-frees=no",
               os.path.abspath(args.assure), "diagram", "--format", "svg", "--at", "2026-11-23"]
        proc = subprocess.run(cmd + files, cwd=root, env=env, capture_output=True, text=True,
                              timeout=600)
        name = os.path.relpath(os.path.dirname(files[0]), root)
        if proc.returncode != 0 or "Invalid" in proc.stderr:
            print("FAIL %s: exit %d\n%s" % (name, proc.returncode, proc.stderr[-4000:]))
            failed += 1
        else:
            print("ok   %s: no memory error" % name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
