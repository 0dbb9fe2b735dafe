#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test of incremental proof (prove::reprove) on random cases.

Writes cases (seed, 0..count-1) of the prove oracle's generator (gen.py), with their artifact
files, to a temporary folder, then runs the unit test "reprove equals prove along random
changes of random cases" of assure_tests on them (ASSURE_REPROVE_CASES): on each case a random
walk of state changes where every proof judged again from the one before must equal a full
proof of the same state.

  run_reprove.py --tests BIN --count N [--ci-count M] [--seed S] [--keep DIR]

Exit code: the unit test's.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen  # noqa: E402
from run_oracle import write_case  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tests", required=True, help="the assure_tests binary")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--ci-count", type=int, metavar="N",
                    help="N cases instead of --count unless ASSURE_TEST_SIZE=full")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--keep", metavar="DIR", help="write the cases to DIR and keep them")
    args = ap.parse_args()
    count = args.count
    if args.ci_count is not None and os.environ.get("ASSURE_TEST_SIZE", "ci") != "full":
        count = min(count, args.ci_count)
    root = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="assure-reprove-")
    try:
        for i in range(count):
            write_case(gen.generate_case(args.seed, i), os.path.join(root, f"{i:05d}"))
        env = dict(os.environ, ASSURE_REPROVE_CASES=root)
        proc = subprocess.run([os.path.abspath(args.tests),
                               "--test-case=reprove equals prove along random changes of random cases"],
                              env=env)
        print(f"run_reprove.py: {count} cases of seed {args.seed}", file=sys.stderr)
        return proc.returncode
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
