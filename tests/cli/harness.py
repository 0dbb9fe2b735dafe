# SPDX-License-Identifier: Apache-2.0
"""What the command-line tests share: one named check at a time, and the closing tally."""

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
