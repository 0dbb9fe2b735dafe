# SPDX-License-Identifier: Apache-2.0
"""What the command-line tests share: one named check at a time, the closing tally, and
reading, writing and copying their case files."""
import argparse
import os
import shutil
import subprocess

FAILS = []
_PASSED = [0]


def expect(name, cond, detail=""):
    """Records and prints one check: `ok   NAME`, or `FAIL NAME DETAIL`."""
    if cond:
        _PASSED[0] += 1
        print(f"ok   {name}", flush=True)
    else:
        FAILS.append(name)
        print(f"FAIL {name} {detail}", flush=True)


def finish():
    """Prints the tally (the names of the failed checks too); the exit code for main()."""
    print(f"{_PASSED[0]} passed, {len(FAILS)} failed" +
          (": " + "; ".join(FAILS) if FAILS else ""))
    return 1 if FAILS else 0


def arguments():
    """`--assure BIN --root REPO`, every command-line test's arguments, as absolute paths."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--assure", required=True)
    ap.add_argument("--root", required=True)
    args = ap.parse_args()
    return os.path.abspath(args.assure), os.path.abspath(args.root)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def tracked_files(folder):
    """The files git tracks below `folder` (relative to it), or [] outside a git checkout."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "."], cwd=folder, capture_output=True,
                             check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return []
    return [f for f in out.split("\0") if f]


def copy_case(src, dest, tracked):
    """A copy of the case folder `src` at `dest`: its `tracked` files only (tracked_files), so
    that what a user left there (an assure.lock made by following the README, a trace) does not
    change what the tests see; outside a checkout, everything but what assure writes."""
    if not tracked:
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.lock", ".assure-*", "trace*"))
        return dest
    for f in tracked:
        os.makedirs(os.path.join(dest, os.path.dirname(f)), exist_ok=True)
        shutil.copy2(os.path.join(src, f), os.path.join(dest, f))
    return dest
