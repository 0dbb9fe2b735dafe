#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Differential test of `assure prove` against the independent oracle (oracle.py).

For each index i in 0..count-1, generates case (seed, i) with gen.py, writes it (and its
artifact files) to a temporary folder, runs

    assure prove case.assure --format json --at 2026-06-15

and compares every claim's verdict, the top-claim flags and the exit code with the oracle.

  run_oracle.py --assure BIN --count N --seed S [--keep DIR] [--jobs J]
  run_oracle.py --assure BIN --seed S --index I --show      # one case, with its reasoning
  run_oracle.py --assure BIN --seed S --index I --minimize  # shrink a failing case
  run_oracle.py --assure BIN --count N --seed S --check     # generated cases check clean

Exit code 0 when the engine agrees on every case, 1 otherwise.
"""
import argparse
import concurrent.futures
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen  # noqa: E402
import oracle as oracle_mod  # noqa: E402
from model import RUN_DATE, case_text  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.dirname(os.path.dirname(HERE))


def write_case(case, folder):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "case.assure")
    with open(path, "w", encoding="utf-8") as f:
        f.write(case_text(case))
    for a in case.artifacts:
        if a.content is not None:
            p = os.path.join(folder, a.path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(a.content)
    return path


def run_assure(args, env, argv, cwd):
    proc = subprocess.run([args.assure] + argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=args.timeout)
    return proc.returncode, proc.stdout, proc.stderr


def compare(case, folder, args, env):
    """-> (problems, details): problems is a list of strings, empty when all agree."""
    orc = oracle_mod.Oracle(case, folder)
    verdicts, tops, code = orc.run()
    rc, out, err = run_assure(args, env, ["prove", "case.assure", "--format", "json",
                                          "--at", RUN_DATE] + (["--z3-only"] if args.z3_only
                                                               else []), folder)
    details = {"oracle": orc, "verdicts": verdicts, "tops": tops, "code": code,
               "rc": rc, "stdout": out, "stderr": err}
    problems = []
    try:
        doc = json.loads(out)
    except ValueError as ex:
        return [f"engine output is not JSON ({ex}); exit {rc}"], details
    if not isinstance(doc, dict) or doc.get("format") != "assure-prove" or \
            doc.get("version") != 2 or not isinstance(doc.get("claims"), list):
        return ["engine JSON lacks format=assure-prove, version=2 or a claims list"], details
    prefix = case.module + "."
    engine = {}
    for c in doc["claims"]:
        name = c.get("name", "")
        if not name.startswith(prefix):
            problems.append(f"unexpected claim name {name!r}")
            continue
        engine[name[len(prefix):]] = c
    for name, v in verdicts.items():
        c = engine.get(name)
        if c is None:
            problems.append(f"{name}: missing from the engine's claims")
            continue
        if c.get("verdict") != v:
            problems.append(f"{name}: engine {c.get('verdict')}, oracle {v}")
        if bool(c.get("top")) != (name in tops):
            problems.append(f"{name}: engine top={c.get('top')}, oracle top={name in tops}")
    for name in engine:
        if name not in verdicts:
            problems.append(f"{name}: reported by the engine but not declared")
    if rc != code:
        problems.append(f"exit code: engine {rc}, oracle {code}")
    return problems, details


def one(args, env, index, tmproot):
    case = gen.generate_case(args.seed, index)
    folder = os.path.join(tmproot, f"case{index}")
    write_case(case, folder)
    try:
        if args.check:
            rc, out, err = run_assure(args, env, ["check", "case.assure"], folder)
            problems = [] if rc == 0 else [f"assure check exit {rc}"]
            orc = oracle_mod.Oracle(case, folder)        # the oracle must not fail either
            verdicts, tops, code = orc.run()
            return index, case, problems, {"rc": rc, "stdout": out, "stderr": err,
                                           "verdicts": verdicts, "tops": tops, "code": code}
        problems, details = compare(case, folder, args, env)
        return index, case, problems, details
    finally:
        if not (args.keep or args.show):
            shutil.rmtree(folder, ignore_errors=True)


def report(args, index, case, problems, details, full=True):
    print(f"=== MISMATCH seed {args.seed} index {index} "
          f"(reproduce: run_oracle.py --assure BIN --seed {args.seed} --index {index} --show)")
    for p in problems:
        print(f"  {p}")
    if not full:
        return
    print("--- case.assure")
    print(case_text(case), end="")
    if "oracle" in details:
        orc = details["oracle"]
        print("--- oracle (top claims: " + ", ".join(details["tops"]) +
              f"; exit {details['code']})")
        shown = set()
        for p in problems:
            name = p.split(":")[0]
            if name in details["verdicts"] and name not in shown:
                shown.add(name)
                print("\n".join(orc.explain(name)))
        if not shown:
            for t in details["tops"]:
                print("\n".join(orc.explain(t)))
    print(f"--- engine (exit {details['rc']})")
    print(details["stdout"], end="" if details["stdout"].endswith("\n") else "\n")
    if details["stderr"].strip():
        print("--- engine stderr")
        print(details["stderr"], end="")
    print("===")


# ---------------------------------------------------------------------------- minimizing
def remove_element(c, name):
    """Removes a declaration and, in cascade, what can no longer stand without it."""
    gone, todo = set(), [name]
    while todo:
        n = todo.pop()
        if n in gone:
            continue
        gone.add(n)
        for s in c.strategies:
            if s.parent == n:
                todo.append(s.name)
        for d in c.defeaters:
            if d.target == n:
                todo.append(d.name)
    for coll in ("odds", "artifacts", "evidence", "claims", "strategies", "assumptions",
                 "contexts", "defeaters"):
        setattr(c, coll, [x for x in getattr(c, coll) if x.name not in gone])
    for x in c.claims + c.strategies:
        x.supported_by = [n for n in x.supported_by if n not in gone]
    for d in c.defeaters:
        d.resolved_by = [n for n in d.resolved_by if n not in gone]
    for e in c.evidence:
        e.artifacts = [n for n in e.artifacts if n not in gone]
    for a in c.assumptions + c.contexts:
        a.targets = [n for n in a.targets if n not in gone]
        if hasattr(a, "artifacts"):
            a.artifacts = [n for n in a.artifacts if n not in gone]
    c.assumptions = [a for a in c.assumptions if a.targets]
    c.contexts = [a for a in c.contexts if a.targets]
    empty = [s.name for s in c.strategies if not s.supported_by]
    if empty:
        for n in empty:
            remove_element(c, n)
    for s in c.strategies:
        if s.mode and s.mode[0] == "at_least" and s.mode[1] > len(s.supported_by):
            s.mode = ("at_least", len(s.supported_by))
    with_strategy = {s.parent for s in c.strategies}
    for cl in c.claims:
        if not cl.supported_by and cl.name not in with_strategy:
            cl.undeveloped = True
    live = set(c.by_name())
    c.order = [n for n in c.order if n in live]


def shrink_candidates(case):
    """Smaller variants of a case: each drops or simplifies one thing."""
    def variant(fn):
        c = copy.deepcopy(case)
        try:
            if fn(c) is False:
                return None
        except (IndexError, KeyError, ValueError):
            return None
        return c

    out = []
    # whole declarations first (the biggest steps), top claims before the others
    names = [x.name for x in case.claims[::-1] + case.defeaters + case.strategies +
             case.assumptions + case.contexts + case.evidence + case.odds + case.artifacts]
    for n in names:
        out.append(variant(lambda c, n=n: remove_element(c, n)))
    for i, cl in enumerate(case.claims):
        if not cl.undeveloped:
            def f(c, i=i):
                n = c.claims[i].name
                c.claims[i].supported_by = []
                for s in [s.name for s in c.strategies if s.parent == n]:
                    remove_element(c, s)
                c.claims[i].undeveloped = True
            out.append(variant(f))
        for j in range(len(cl.supported_by)):
            def f(c, i=i, j=j):
                del c.claims[i].supported_by[j]
                if not c.claims[i].supported_by and \
                        not any(s.parent == c.claims[i].name for s in c.strategies):
                    c.claims[i].undeveloped = True
            out.append(variant(f))
        if cl.requires:
            out.append(variant(lambda c, i=i: setattr(c.claims[i], "requires", [])))
        if cl.formal is not None:
            out.append(variant(lambda c, i=i: setattr(c.claims[i], "formal", None)))
        if cl.scope is not None:
            out.append(variant(lambda c, i=i: setattr(c.claims[i], "scope", None)))
            if cl.scope.cond is not None:
                out.append(variant(lambda c, i=i: setattr(c.claims[i].scope, "cond", None)))
    for i, s in enumerate(case.strategies):
        for j in range(len(s.supported_by)):
            def f(c, i=i, j=j):
                del c.strategies[i].supported_by[j]
                m = c.strategies[i].mode
                if m and m[0] == "at_least" and m[1] > len(c.strategies[i].supported_by):
                    c.strategies[i].mode = ("at_least", len(c.strategies[i].supported_by))
                if not c.strategies[i].supported_by:
                    return False
            out.append(variant(f))
        if s.mode is not None and s.mode[0] in ("all_of",):
            out.append(variant(lambda c, i=i: setattr(c.strategies[i], "mode", None)))
    for i, e in enumerate(case.evidence):
        for j in range(len(e.metrics)):
            def f(c, i=i, j=j):
                del c.evidence[i].metrics[j]
            out.append(variant(f))
        if e.artifacts:
            out.append(variant(lambda c, i=i: setattr(c.evidence[i], "artifacts", [])))
        if e.valid_until:
            out.append(variant(lambda c, i=i: setattr(c.evidence[i], "valid_until", None)))
        if e.kind:
            out.append(variant(lambda c, i=i: setattr(c.evidence[i], "kind", None)))
        if e.result != "pass":
            out.append(variant(lambda c, i=i: setattr(c.evidence[i], "result", "pass")))
    for i, d in enumerate(case.defeaters):
        for j in range(len(d.resolved_by)):
            def f(c, i=i, j=j):
                del c.defeaters[i].resolved_by[j]
            out.append(variant(f))
    for i, a in enumerate(case.assumptions):
        if a.formal is not None:
            out.append(variant(lambda c, i=i: setattr(c.assumptions[i], "formal", None)))
    if case.domain:
        for v in case.domain.vars:
            def f(c, n=v.name):
                c.domain.vars = [w for w in c.domain.vars if w.name != n]
                if not c.domain.vars:
                    return False
            out.append(variant(f))
    return [c for c in out if c is not None]


def problem_keys(problems):
    """What a disagreement is about: a claim name, "exit code", or "output"."""
    keys = set()
    for p in problems:
        head = p.split(":")[0]
        keys.add("output" if head.startswith("engine") else head)
    return keys


def minimize(args, env, case, tmproot):
    """Greedy: keep any smaller variant that still checks clean and still disagrees in the
    same way (about the same claim, or the same malformed output)."""
    n = 0
    folder = os.path.join(tmproot, "min0")
    write_case(case, folder)
    target = problem_keys(compare(case, folder, args, env)[0])
    shutil.rmtree(folder, ignore_errors=True)
    if not target:
        print("the case does not fail; nothing to minimize")
        return case

    def still_fails(c):
        nonlocal n
        n += 1
        folder = os.path.join(tmproot, f"min{n}")
        write_case(c, folder)
        try:
            rc, _, _ = run_assure(args, env, ["check", "case.assure"], folder)
            if rc != 0:
                return False
            try:
                oracle_mod.Oracle(c, folder).run()
            except Exception:  # a variant the oracle cannot evaluate (a dangling name)
                return False
            problems, _ = compare(c, folder, args, env)
            return bool(problem_keys(problems) & target)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    progress = True
    while progress:
        progress = False
        for cand in shrink_candidates(case):
            if still_fails(cand):
                case = cand
                progress = True
                break
    return case


# CTest runs this test at CI size: it passes --ci-count, which replaces --count unless
# ASSURE_TEST_SIZE=full is set (docs/performance.md, "Test sizes"). A run by hand without
# --ci-count uses --count.
def effective_count(args):
    if args.ci_count is None or os.environ.get("ASSURE_TEST_SIZE", "ci") == "full":
        return args.count, "full size"
    return min(args.count, args.ci_count), (
        f"CI size; ASSURE_TEST_SIZE=full runs {args.count}")


# ---------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--assure", required=True, help="the assure binary")
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--ci-count", type=int, metavar="N",
                    help="run N cases instead of --count unless ASSURE_TEST_SIZE=full")
    ap.add_argument("--z3-only", action="store_true",
                    help="run the engine with --z3-only (every obligation decided by Z3)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--index", type=int, help="run only this case index")
    ap.add_argument("--keep", metavar="DIR", help="keep every case's folder under DIR")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=60, help="seconds per assure run")
    ap.add_argument("--root", default=DEFAULT_ROOT, help="repository root (for the stdlib)")
    ap.add_argument("--check", action="store_true",
                    help="run `assure check` on the cases instead (exit 0 expected)")
    ap.add_argument("--show", action="store_true", help="print the case, verdicts, reasoning")
    ap.add_argument("--minimize", action="store_true", help="shrink a failing case (--index)")
    ap.add_argument("--max-report", type=int, default=3,
                    help="mismatches printed in full (the others are listed)")
    ap.add_argument("--undeveloped-combines", action="store_true",
                    help="the other reading of 'undeveloped' (see README.md)")
    args = ap.parse_args()
    args.assure = os.path.abspath(args.assure)
    if args.undeveloped_combines:
        oracle_mod.UNDEVELOPED_WINS = False
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(os.path.abspath(args.root), "stdlib"))

    count, size = effective_count(args)
    indices = [args.index] if args.index is not None else list(range(count))
    if args.keep:
        tmproot = os.path.abspath(args.keep)
        os.makedirs(tmproot, exist_ok=True)
    else:
        tmproot = tempfile.mkdtemp(prefix="assure-oracle-")
    start = time.monotonic()
    failures = []
    warned = 0
    stats = {}
    try:
        if args.minimize:
            if args.index is None:
                ap.error("--minimize needs --index")
            case = gen.generate_case(args.seed, args.index)
            small = minimize(args, env, case, tmproot)
            if small is not case:
                small.header = "minimized from " + case.header
            folder = os.path.join(tmproot, "minimized")
            write_case(small, folder)
            problems, details = compare(small, folder, args, env)
            if not problems:
                return 0
            report(args, args.index, small, problems, details)
            print(f"minimized case written to {folder}" if args.keep else "")
            return 1 if problems else 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(one, args, env, i, tmproot) for i in indices]
            for fut in futures:
                index, case, problems, details = fut.result()
                for v in details["verdicts"].values():
                    stats[v] = stats.get(v, 0) + 1
                stats[f"exit {details['code']}"] = stats.get(f"exit {details['code']}", 0) + 1
                if args.check:
                    if "warning[" in details["stderr"]:
                        warned += 1
                    if problems:
                        failures.append(index)
                        print(f"=== seed {args.seed} index {index}: {problems[0]}")
                        print(case_text(case), end="")
                        print(details["stderr"])
                    continue
                if args.show:
                    print(case_text(case), end="")
                    print("--- oracle: " + ", ".join(f"{k}={v}" for k, v in
                                                       details["verdicts"].items())
                          + f"; top {', '.join(details['tops'])}; exit {details['code']}")
                    for t in details["tops"]:
                        print("\n".join(details["oracle"].explain(t)))
                if problems:
                    report(args, index, case, problems, details,
                           full=len(failures) < args.max_report or args.show)
                    failures.append(index)
                elif args.show:
                    print(f"--- engine agrees (exit {details['rc']})")
    finally:
        if not args.keep:
            shutil.rmtree(tmproot, ignore_errors=True)
    took = time.monotonic() - start
    what = "checked" if args.check else "compared"
    print(f"{len(indices)} cases {what} in {took:.1f} s (seed {args.seed}, {size}); "
          f"{len(failures)} failed" + (f"; {warned} with warnings" if args.check else ""))
    if stats:
        print("oracle verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
    if failures:
        print("failing indices: " + " ".join(map(str, failures[:50]))
              + (" ..." if len(failures) > 50 else ""))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
