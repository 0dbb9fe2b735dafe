#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A stand-in for `assure prove` that gets one thing about rules wrong, to test
run_rules_property.py itself (mutation testing); not run by CTest.

    ASSURE_REAL=/abs/path/to/assure ASSURE_FAKE_MUTATION=NAME fake_rules.py prove ARGS...

It runs the real assure (ASSURE_REAL) with the same arguments and, when the answer is JSON
with rules in it, changes it by the mutation named in ASSURE_FAKE_MUTATION (none: the real
answer). Each mutation keeps the document self-consistent where it can (a dropped violation
also leaves `holds` right), so that only the test's own judgement can catch it. A good test
fails for every mutation:

    for m in $(tests/rules/fake_rules.py --list); do
      ASSURE_REAL=$PWD/build/relassert/assure ASSURE_FAKE_MUTATION=$m \\
        tests/rules/run_rules_property.py --assure tests/rules/fake_rules.py \\
          --count 100 --max-report 0 | tail -1
    done
"""
import json
import os
import subprocess
import sys

MUTATIONS = {
    "violation-drop": "the last violation of the first violated rule is not reported",
    "violation-add": "the first holding rule gets a violation naming no element",
    "violation-swap": "the first violation names another element of the same kind",
    "violation-duplicate": "the first violation is reported twice",
    "holds-flip": "the first rule's `holds` is the opposite",
    "fails-drop": "the first violation fails no top claim",
    "fails-all": "every violation fails every top claim",
    "var-rename": "the first binding's variable is renamed",
    "kind-wrong": "the first binding's kind is wrong",
    "location-shift": "the first binding's location is a line off",
    "reason-drop": "the first top claim with a rule_violated reason loses it",
    "verdict-keep": "rule violations leave top claims supported (and the exit code 0)",
    "exit-zero": "exit 0 although a rule fails a top claim",
    "case-leak": "the first rule is also violated by a claim of another case loaded beside it "
                 "(a distractor), failing every top claim",
}


def elements_of_kind(doc, kind):
    """Names of elements of `kind` that the document mentions anywhere."""
    names = set()
    for r in doc.get("rules", []):
        for v in r.get("violations", []):
            for b in v.get("bindings", []):
                if b.get("kind") == kind:
                    names.add(b.get("element"))
    lists = {"claim": "claims", "evidence": "evidence", "defeater": "defeaters",
             "strategy": "strategies", "artifact": "artifacts"}
    for x in doc.get(lists.get(kind, ""), []):
        if isinstance(x, dict) and x.get("name"):
            names.add(x["name"])
    return sorted(names)


def mutate(doc, rc, m):
    rules = doc.get("rules") or []
    violated = [r for r in rules if r.get("violations")]
    first = violated[0]["violations"][0] if violated else None
    tops = [t["name"] for t in doc.get("top_claims", [])]
    if m == "violation-drop" and violated:
        violated[0]["violations"].pop()
        violated[0]["holds"] = not violated[0]["violations"]
    elif m == "violation-add":
        holding = [r for r in rules if r.get("holds")]
        if holding:
            holding[0]["violations"].append({"bindings": [], "fails": tops})
            holding[0]["holds"] = False
    elif m == "violation-swap" and first and first["bindings"]:
        b = first["bindings"][0]
        others = [n for n in elements_of_kind(doc, b["kind"]) if n != b["element"]]
        if others:
            b["element"] = others[0]
    elif m == "violation-duplicate" and first:
        violated[0]["violations"].append(json.loads(json.dumps(first)))
    elif m == "holds-flip" and rules:
        rules[0]["holds"] = not rules[0]["holds"]
    elif m == "fails-drop" and first:
        first["fails"] = []
    elif m == "fails-all":
        for r in rules:
            for v in r.get("violations", []):
                v["fails"] = sorted(tops)
    elif m == "var-rename" and first and first["bindings"]:
        first["bindings"][0]["var"] += "_"
    elif m == "kind-wrong" and first and first["bindings"]:
        b = first["bindings"][0]
        b["kind"] = "claim" if b["kind"] != "claim" else "evidence"
    elif m == "location-shift" and first and first["bindings"]:
        first["bindings"][0]["location"]["line"] += 1
    elif m == "reason-drop":
        for c in doc.get("claims", []):
            kept = [r for r in c.get("reasons", []) if r.get("kind") != "rule_violated"]
            if len(kept) != len(c.get("reasons", [])):
                c["reasons"] = kept
                break
    elif m == "case-leak" and rules:
        module = rules[0]["name"].rsplit(".", 1)[0]
        foreign = [c for c in doc.get("claims", [])
                   if c.get("name", "").rsplit(".", 1)[0] != module]
        if foreign:
            c = foreign[0]
            rules[0]["violations"].append({"bindings": [{
                "var": "x", "element": c["name"], "kind": "claim", "location": c["location"]}],
                "fails": sorted(tops)})
            rules[0]["holds"] = False
    elif m in ("verdict-keep", "exit-zero") and violated:
        if m == "verdict-keep":
            for c in doc.get("claims", []):
                if c.get("top") and all(r.get("kind") == "rule_violated"
                                        for r in c.get("reasons", [])):
                    c["verdict"] = "supported"
                    c["reasons"] = []
            for t in doc.get("top_claims", []):
                if all(r.get("kind") == "rule_violated" for r in t.get("root_causes", [])):
                    t["verdict"] = "supported"
                    t["root_causes"] = []
            if all(t.get("verdict") == "supported" for t in doc.get("top_claims", [])):
                rc = doc["exit_code"] = 0
        elif rc == 5:
            rc = doc["exit_code"] = 0
    return doc, rc


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(MUTATIONS))
        return 0
    real = os.environ.get("ASSURE_REAL")
    if not real:
        print("fake_rules: set ASSURE_REAL to the real assure binary", file=sys.stderr)
        return 2
    mutation = os.environ.get("ASSURE_FAKE_MUTATION", "")
    if mutation and mutation not in MUTATIONS:
        print("fake_rules: unknown mutation %r (see --list)" % mutation, file=sys.stderr)
        return 2
    proc = subprocess.run([real] + argv[1:], capture_output=True, text=True)
    sys.stderr.write(proc.stderr)
    if argv[1:2] != ["prove"] or "json" not in argv:
        sys.stdout.write(proc.stdout)
        return proc.returncode
    doc = json.loads(proc.stdout)
    if not doc.get("rules"):                 # the run without rules stays as it is
        sys.stdout.write(proc.stdout)
        return proc.returncode
    doc, rc = mutate(doc, proc.returncode, mutation)
    print(json.dumps(doc, indent=2))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
