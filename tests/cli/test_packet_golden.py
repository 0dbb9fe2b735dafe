#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Golden files of an evidence packet's manifest.json and statement.intoto.json.

    test_packet_golden.py --assure BIN --root REPO [--update]

Exports the autonomous-ship example (unsigned, at 2026-11-23, from a copy of its tracked files)
and compares the packet's manifest.json and statement.intoto.json byte for byte with
tests/packet/ship.manifest.json and tests/packet/ship.statement.intoto.json; --update rewrites
them (review the diff like code: any change to the proof's outputs changes their digests).
"""
import argparse
import difflib
import os
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
from harness import copy_case, tracked_files  # noqa


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--update", action="store_true")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(root, "examples", "autonomous-ship")
        copy_case(src, os.path.join(tmp, "examples", "autonomous-ship"), tracked_files(src))
        r = subprocess.run([os.path.abspath(args.assure), "export",
                            "examples/autonomous-ship/navigation.assure",
                            "examples/autonomous-ship/perception.assure", "--at", "2026-11-23",
                            "-o", "ship.tar.gz"], cwd=tmp, capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout + r.stderr)
            return 1
        with tarfile.open(os.path.join(tmp, "ship.tar.gz")) as tf:
            for member, golden in (("manifest.json", "ship.manifest.json"),
                                   ("statement.intoto.json", "ship.statement.intoto.json")):
                got = tf.extractfile("assure-packet/" + member).read().decode()
                path = os.path.join(root, "tests", "packet", golden)
                if args.update:
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(got)
                    print(f"updated {path}")
                    continue
                want = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
                if got != want:
                    failed = True
                    print(f"FAIL {member} differs from tests/packet/{golden}:")
                    sys.stdout.writelines(difflib.unified_diff(
                        want.splitlines(True), got.splitlines(True), golden, member))
                else:
                    print(f"ok   {member} is tests/packet/{golden}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
