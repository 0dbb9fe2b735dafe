#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Cases loaded together keep their own verdicts (issue 14, item 8; docs/semantics.md, "Rules").

For each group of unrelated cases, proves every case alone (`assure prove --format json` on its
files) and then all of them in one run, in the given order and reversed, and requires of the
joint run, for each case:

  - every claim's verdict and reasons, every top claim's verdict and root causes, every piece of
    evidence's status, every strategy's status and every hazard's risk as in the case's own run;
  - every rule of the case's own modules with the violations and undecided instances (bindings
    and the top claims they fail) of the case's own run; a rule of a module that several cases
    share (a standard-library module) with the violations of all their runs together;
  - the exit code: the worst of the cases' own.

The groups: the three shipped examples (every top claim supported); flawed variants of them from
tests/golden/prove (a rule, a risk demand or evidence fails a top claim); and the cases of
tests/golden/rules/cases: two cases importing the same standard-library module with rules, run
with --stdlib, beside a case split over two modules. Then a trace of a joint run: each rule
instance's SMT-LIB file names the case it was grounded in and the modules it ranged over.

  test_cases.py --assure BIN --root REPO
"""
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

from harness import arguments, expect, finish  # noqa: E402
ROOT = ""
ASSURE = ""
AT = ["--at", "2026-11-23"]
CASES = "tests/golden/rules/cases"
STDLIB = ["--stdlib", CASES + "/stdlib"]

GROUPS = {
    "examples": ([["examples/agent-actions/refund-agent.assure"],
                  ["examples/autonomous-ship/navigation.assure",
                   "examples/autonomous-ship/perception.assure"],
                  ["examples/identity-verification/face-match.assure"]], []),
    "flawed examples": ([["tests/golden/prove/agent-failed-evidence/refund-agent.assure"],
                         ["tests/golden/prove/ship-single-line/navigation.assure",
                          "tests/golden/prove/ship-single-line/perception.assure"],
                         ["tests/golden/prove/idv-self-approved/face-match.assure"]], []),
    "flawed examples 2": ([["tests/golden/prove/agent-residual-risk/refund-agent.assure"],
                           ["examples/autonomous-ship/navigation.assure",
                            "examples/autonomous-ship/perception.assure"],
                           ["tests/golden/prove/idv-expired-evidence/face-match.assure"]], []),
    "shared stdlib rules": ([[CASES + "/plant.assure"], [CASES + "/mill.assure"],
                             [CASES + "/split/top.assure"]], STDLIB),
}


def run(args):
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(ROOT, "stdlib"))
    return subprocess.run([ASSURE] + args, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=300)


def prove(files, extra):
    p = run(["prove", "--format", "json"] + AT + extra + files)
    try:
        return p.returncode, json.loads(p.stdout)
    except ValueError:
        return p.returncode, None


def instances(found):
    return [(tuple((b.get("var"), b.get("element")) for b in v.get("bindings", [])),
             tuple(v.get("fails", [])), v.get("reason")) for v in found]


def facts(doc):
    """What a run says about each element, keyed by kind and name (no obligation numbers)."""
    out = {}
    for c in doc.get("claims", []):
        out[("claim", c["name"])] = (c.get("top"), c.get("verdict"), json.dumps(c.get("reasons")))
    for t in doc.get("top_claims", []):
        out[("top", t["name"])] = (t.get("verdict"), json.dumps(t.get("root_causes")))
    for e in doc.get("evidence", []):
        out[("evidence", e["name"])] = (e.get("status"), json.dumps(e.get("reasons")))
    for s in doc.get("strategies", []):
        out[("strategy", s["name"])] = (s.get("status"), json.dumps(s.get("reasons")))
    for h in doc.get("hazards", []):
        out[("hazard", h["name"])] = json.dumps(h)
    return out


def rules(doc):
    return {r["name"]: r for r in doc.get("rules", [])}


def compare_group(name, groups, extra):
    alone = []
    for files in groups:
        rc, doc = prove(files, extra)
        expect(f"{name}: {files[0]} alone gives JSON", doc is not None, f"(exit {rc})")
        if doc is None:
            return
        alone.append((rc, doc))
    worst = max((rc for rc, _ in alone), key=lambda c: {0: 0, 3: 1, 5: 2}.get(c, 3))
    # Which rules each case has: a rule in several cases' runs is of a shared module.
    owners = collections.Counter(r for _, doc in alone for r in rules(doc))
    for label, order in (("together", groups), ("together, reversed", groups[::-1])):
        files = [f for g in order for f in g]
        rc, doc = prove(files, extra)
        expect(f"{name}: {label} gives JSON", doc is not None, f"(exit {rc})")
        if doc is None:
            continue
        expect(f"{name}: {label}: exit code is the worst of the cases' own ({worst})",
               rc == worst, f"(exit {rc})")
        joint = facts(doc)
        seen = set()
        for files_of, (_, own) in zip(groups, alone):
            mine = facts(own)
            seen |= set(mine)
            diff = sorted(k for k in mine if joint.get(k) != mine[k])
            expect(f"{name}: {label}: {files_of[0]} keeps its verdicts", not diff,
                   "; ".join(f"{k}: alone {mine[k]}, together {joint.get(k)}" for k in diff[:4]))
        expect(f"{name}: {label}: nothing but the cases' elements", set(joint) == seen,
               f"(extra {sorted(set(joint) - seen)[:4]})")
        got = rules(doc)
        expect(f"{name}: {label}: the same rules", sorted(got) == sorted(owners),
               f"(together {sorted(got)}, alone {sorted(owners)})")
        for rname in sorted(owners):
            runs = [rules(own)[rname] for _, own in alone if rname in rules(own)]
            want_v = collections.Counter(v for r in runs for v in instances(r["violations"]))
            want_u = collections.Counter(v for r in runs for v in instances(r["undecided"]))
            x = got.get(rname, {})
            ok = x.get("holds") == all(r["holds"] for r in runs) and \
                collections.Counter(instances(x.get("violations", []))) == want_v and \
                collections.Counter(instances(x.get("undecided", []))) == want_u
            expect(f"{name}: {label}: rule {rname} as in "
                   f"{'its case' if owners[rname] == 1 else 'each of its %d cases' % owners[rname]}",
                   ok, f"(together {json.dumps(x)[:600]}, alone {[json.dumps(r)[:300] for r in runs]})")


def check_trace():
    """A joint run's trace: each rule instance names its case and the modules it ranged over."""
    work = tempfile.mkdtemp(prefix="assure-cases-")
    try:
        trace = os.path.join(work, "trace")
        files = [CASES + "/plant.assure", CASES + "/mill.assure", CASES + "/split/top.assure"]
        p = run(["prove", "--trace", trace] + AT + STDLIB + files)
        expect("trace: a joint run writes its trace", p.returncode == 5,
               f"(exit {p.returncode}, {p.stderr.decode()[:300]})")
        want = {
            "std.hazlog.R_mitigated-1.smt2":
                "in the case of module plant (over modules plant, std.hazlog)",
            "std.hazlog.R_reviewed-1.smt2":
                "in the case of module mill (over modules mill, std.hazlog)",
            "split.top.R_two_lines-1.smt2":
                "in the case of module split.top (over modules split.top, split.hazards)",
        }
        for f, text in want.items():
            path = os.path.join(trace, "rules", f)
            body = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
            expect(f"trace: {f} names its case", text in body, f"({body[:400]!r})")
        single = os.path.join(work, "single")
        run(["prove", "--trace", single] + AT + STDLIB + [CASES + "/plant.assure"])
        path = os.path.join(single, "rules", "std.hazlog.R_mitigated-1.smt2")
        body = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        expect("trace: with one case loaded, no case is named",
               body != "" and "in the case of module" not in body, f"({body[:300]!r})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    global ROOT, ASSURE
    ASSURE, ROOT = arguments()
    for name, (groups, extra) in GROUPS.items():
        compare_group(name, groups, extra)
    check_trace()
    return finish()


if __name__ == "__main__":
    sys.exit(main())
