#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A stand-in for `assure impact` that gets one thing wrong, to test run_impact_oracle.py
itself (mutation testing); not run by CTest.

    ASSURE_REAL=/abs/path/to/assure ASSURE_FAKE_MUTATION=NAME fake_impact.py impact ARGS...

It runs the real assure (ASSURE_REAL) with the same arguments and changes its JSON answer by
the mutation named in ASSURE_FAKE_MUTATION (none: the real answer). Each mutation keeps the
document self-consistent where it can (a dropped plan item also leaves the total), so that
only the oracle's own judgement can catch it. A good test fails for every mutation:

    for m in $(tests/oracle/fake_impact.py --list); do
      ASSURE_REAL=$PWD/build/relassert/assure ASSURE_FAKE_MUTATION=$m \\
        tests/oracle/run_impact_oracle.py --assure tests/oracle/fake_impact.py \\
          --count 300 --seed 1 --max-report 0 | tail -3
    done
"""
import json
import os
import subprocess
import sys

MUTATIONS = {
    "plan-drop-item": "the plan loses its last item (and its cost): unsound",
    "plan-cost-plus-one": "the plan's total cost is 1 more",
    "plan-add-invalidated": "the plan also re-verifies an invalidated item it did not need: "
                            "not minimal",
    "plan-not-optimal": "the plan is not marked proved minimal",
    "plan-none": "no plan, as if nothing could be restored",
    "unrestorable-drop": "the first unrestorable top claim is not reported",
    "lost-drop-inner": "a claim that loses support, but is not a top claim, is not reported",
    "lost-top-flag": "the first lost claim's top flag is flipped",
    "invalidated-drop": "the first invalidated piece of evidence is not reported",
    "reusable-drop": "the first reusable piece of evidence is not reported",
    "exit-zero": "exit 0 although a top claim loses support",
}


def mutate(doc, rc, m):
    plan = doc.get("plan", {})
    items = plan.get("evidence", [])
    if m == "plan-drop-item" and items:
        gone = items.pop()
        plan["cost"] -= gone["cost"]
    elif m == "plan-cost-plus-one" and items:
        plan["cost"] += 1
    elif m == "plan-add-invalidated" and items:
        chosen = {x["evidence"] for x in items}
        extra = [x["evidence"] for x in doc.get("invalidated", []) if x["evidence"] not in chosen]
        if extra:
            # its cost is not in the document: 1 (no `cost:`) is a guess, which the test also
            # checks; either way the plan is no longer minimal
            items.append({"evidence": extra[0], "cost": 1})
            plan["cost"] += 1
    elif m == "plan-not-optimal" and items:
        plan["optimal"] = False
    elif m == "plan-none" and items:
        plan.update(state="none", evidence=[], cost=0, optimal=False, verified=False)
    elif m == "unrestorable-drop" and doc.get("unrestorable"):
        doc["unrestorable"].pop(0)
    elif m == "lost-drop-inner":
        doc["lost"] = [x for x in doc.get("lost", []) if x["top"]]
    elif m == "lost-top-flag" and doc.get("lost"):
        doc["lost"][0]["top"] = not doc["lost"][0]["top"]
    elif m == "invalidated-drop" and doc.get("invalidated"):
        doc["invalidated"].pop(0)
    elif m == "reusable-drop" and doc.get("reusable"):
        doc["reusable"].pop(0)
    elif m == "exit-zero" and rc == 5:
        rc = doc["exit_code"] = 0
    return doc, rc


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(MUTATIONS))
        return 0
    real = os.environ.get("ASSURE_REAL")
    if not real:
        print("fake_impact: set ASSURE_REAL to the real assure binary", file=sys.stderr)
        return 2
    mutation = os.environ.get("ASSURE_FAKE_MUTATION", "")
    if mutation and mutation not in MUTATIONS:
        print(f"fake_impact: unknown mutation {mutation!r} (see --list)", file=sys.stderr)
        return 2
    proc = subprocess.run([real] + argv[1:], capture_output=True, text=True)
    sys.stderr.write(proc.stderr)
    if argv[1:2] != ["impact"] or "json" not in argv:
        sys.stdout.write(proc.stdout)
        return proc.returncode
    doc, rc = mutate(json.loads(proc.stdout), proc.returncode, mutation)
    print(json.dumps(doc, indent=2))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
