#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Randomized test of `assure impact`: the minimum re-verification set is minimal and sound.

For each index i in 0..count-1, generates a small random case with gen.py (more `any_of` and
`at_least N` steps than the prove test, so that alternatives matter, and a `cost:` on most
evidence), picks a few random changes (fail:, pending:, withdraw:, expire:, artifact:,
open:), writes the case and runs

    assure impact case.assure --change SPEC... --format json --at 2026-06-15

Independently, the oracle (oracle.py, with the changes applied to its model) evaluates the
case before and after the change, finds the candidates (evidence invalid after the change
for reasons of its own: a failed or pending result, expiry, withdrawal, a changed, missing
or unrecorded artifact), the goals (claims supported before and not after, and evidence
something relies on that was valid before and is not after; those some re-verification
restores) and, by brute force over every subset of the
candidates in order of total cost, the minimum cost of a re-verification that supports
every goal. It then checks assure's answer (docs/impact.md):

  - the exit code (5 when some claim loses support or relied-on evidence is invalidated, the
    gate contract of docs/impact.md; else 0);
  - the invalidated evidence, the claims that lose support (with their `top` flags and new
    verdicts), the unrestorable top claims and the reusable evidence;
  - the plan: state `found`, `optimal` and `verified` when there are goals, with a total cost
    equal to the brute-force minimum; its items are candidates with their declared costs,
    and re-verifying exactly them in the oracle supports every goal (soundness is decided
    by the oracle, not taken from assure's `verified`); state `none` when there is nothing
    to restore.

  run_impact_oracle.py --assure BIN --count N --seed S [--keep DIR] [--jobs J]
  run_impact_oracle.py --assure BIN --seed S --index I --show   # one case, with the analysis

Exit code 0 when assure agrees on every case, 1 otherwise.
"""
import argparse
import concurrent.futures
import dataclasses
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen  # noqa: E402
import oracle as oracle_mod  # noqa: E402
from model import RUN_DATE, Evidence, case_text  # noqa: E402
from run_oracle import DEFAULT_ROOT, write_case  # noqa: E402

weighted = gen.weighted

SUPPORTED = oracle_mod.SUPPORTED

# Brute force tries every subset of the candidates: a case with more is generated again.
MAX_CANDIDATES = 10
MAX_ATTEMPTS = 200

# `cost:` values as written (a number, unsigned; some spelt with an exponent), and their
# weights. None: no `cost:`, which counts 1.
COSTS = [(None, 20), ("1", 10), ("2", 12), ("3", 12), ("4", 8), ("5", 8), ("2.5", 6),
         ("0.5", 5), ("1.5", 5), ("3.75", 3), ("0.25", 2), ("25e-1", 2), ("1.5E0", 2),
         ("0", 2)]
# Dates for expire:NAME=DATE: before the run date (the evidence expires), or on it (still
# valid on that day: a change that changes nothing).
EXPIRY_DATES = [("2026-06-14", 40), ("2026-01-31", 25), ("2025-12-31", 20), (RUN_DATE, 15)]


class ImpactGen(gen.Gen):
    """The generator shifted towards cases where the cheapest way back is not obvious:
    alternatives (any_of, at_least N) more often, some of them already invalid (re-verifying
    one may be cheaper than the evidence the change hit), evidence shared between claims (one
    item may restore several), more top claims. Fewer things fail on their own than in the
    prove test: only a claim supported before the change can lose support."""
    BADNESS = [0.3, 0.6, 1.0]
    STRATEGY_KINDS = [("all_of", 12), ("any_of", 30), ("at_least", 30), ("deductive", 6)]
    STRATEGY_KINDS_REQUIRED = [("all_of", 10), ("any_of", 35), ("at_least", 30),
                               ("deductive", 5)]
    SPLIT_KINDS = [("cover", 10), ("partition", 8)]

    def pick_evidence(self, wishes):
        if self.pool_evidence and self.chance(0.25):      # on top of Gen's own reuse
            return self.rng.choice(self.pool_evidence).name
        return super().pick_evidence(wishes)

    def new_strategy(self, c, depth, wishes):
        s = super().new_strategy(c, depth, wishes)
        if s.mode and s.mode[0] in ("any_of", "at_least") and self.chance(0.4):
            # an alternative that is already invalid: failed, pending or expired
            name = self.new_evidence(wishes, invalid=True)
            e = self.case.evidence[-1]
            if self.chance(0.35):
                e.result, e.valid_until = "pass", self.rng.choice(["2026-06-14", "2025-12-31"])
            s.supported_by.insert(self.rng.randrange(len(s.supported_by) + 1), name)
        return s

    def finish(self):
        for _ in range(self.rng.choice([0, 0, 1, 2])):    # more top claims
            self.build_claim(0)
        super().finish()


# ---------------------------------------------------------------------------- the oracle
@dataclasses.dataclass
class Changes:
    """The hypothetical changes, applied to the oracle's model by name."""
    specs: list = dataclasses.field(default_factory=list)      # as given to --change
    result: dict = dataclasses.field(default_factory=dict)     # evidence -> fail / pending
    valid_until: dict = dataclasses.field(default_factory=dict)  # evidence -> date
    withdrawn: set = dataclasses.field(default_factory=set)    # evidence
    artifacts: set = dataclasses.field(default_factory=set)    # artifacts whose contents changed
    opened: set = dataclasses.field(default_factory=set)       # defeaters whose status is open


class WhatIf(oracle_mod.Oracle):
    """The oracle of the case with `changes` applied and the evidence in `reverified`
    re-verified: it passes, has no expiry, is not withdrawn and its artifacts are re-recorded,
    so none of its own reasons apply; defeaters that undermine it still do (docs/impact.md).
    `artifact_cache` shares the (read-only) artifact checks between evaluations of a case."""

    def __init__(self, case, folder, changes, reverified=(), artifact_cache=None):
        super().__init__(case, folder, RUN_DATE)
        self.changes = changes
        self.reverified = set(reverified)
        self.artifact_cache = {} if artifact_cache is None else artifact_cache

    def artifact_problem(self, a):
        if a.name in self.changes.artifacts:
            return f"artifact {a.name} ({a.path}): contents changed (hypothetical change)"
        if a.name not in self.artifact_cache:
            self.artifact_cache[a.name] = super().artifact_problem(a)
        return self.artifact_cache[a.name]

    def changed_evidence(self, e):
        """The evidence as the changes (or its re-verification) leave it."""
        if e.name in self.reverified:
            return dataclasses.replace(e, result="pass", valid_until=None, artifacts=[])
        return dataclasses.replace(e, result=self.changes.result.get(e.name, e.result),
                                   valid_until=self.changes.valid_until.get(e.name,
                                                                            e.valid_until))

    def own_reasons(self, e):
        """Why the evidence is invalid for reasons of its own (not a defeater): the reasons
        re-verifying it removes. Empty when it has none."""
        if e.name in self.reverified:
            return []
        x = self.changed_evidence(e)
        why = []
        if x.result != "pass":
            why.append(f"result is {x.result}")
        if x.valid_until is not None and self.at > x.valid_until:
            why.append(f"expired on {x.valid_until}")
        if e.name in self.changes.withdrawn:
            why.append("withdrawn")
        for an in x.artifacts:
            prob = self.artifact_problem(self.by[an])
            if prob:
                why.append(prob)
        return why

    def evidence_status(self, e):
        key = ("E", e.name)
        if key in self.memo:
            return self.memo[key]
        st = super().evidence_status(self.changed_evidence(e))   # memoizes under e.name
        if e.name in self.changes.withdrawn and e.name not in self.reverified:
            self.reasons[e.name] = [r for r in self.reasons[e.name] if r != "valid"] + \
                ["withdrawn (hypothetical change)"]
            st = oracle_mod.UNSUPPORTED
            self.memo[key] = st
        return st

    def active(self, d):
        if d.name in self.changes.opened and ("D", d.name) not in self.memo:
            d = dataclasses.replace(d, status="open")
        return super().active(d)


def evidence_below(orc, claims):
    """Evidence reached from `claims` through supported_by of claims and their strategies."""
    seen, out, stack = set(), set(), list(claims)
    while stack:
        n = stack.pop()
        if n in seen:
            continue
        seen.add(n)
        x = orc.by[n]
        if isinstance(x, Evidence):
            out.add(n)
            continue
        stack += list(x.supported_by)
        for s in orc.strategies_of.get(n, []):
            stack += s.supported_by
    return out


def cost_of(e):
    return Fraction(1) if e.cost is None else Fraction(e.cost)


def analyse(case, folder, changes):
    """The oracle's answer to `assure impact`, as a dict (see check() for its use)."""
    cache = {}
    before = WhatIf(case, folder, Changes(), artifact_cache=cache)
    after = WhatIf(case, folder, changes, artifact_cache=cache)
    v_before, tops, _ = before.run()
    v_after, _, _ = after.run()
    ans = {"tops": tops, "before": v_before, "after": v_after, "oracle_after": after}
    ans["invalidated"] = sorted(
        e.name for e in case.evidence
        if before.evidence_status(e) == SUPPORTED and after.evidence_status(e) != SUPPORTED)
    ans["lost"] = sorted(n for n in v_before
                         if v_before[n] == "supported" and v_after[n] != "supported")
    ans["lost_top"] = [n for n in ans["lost"] if n in tops]
    # Evidence something relies on (a claim's or strategy's supported_by, a defeater's
    # resolved_by): losing it fails the gate even under a claim that was not supported.
    used = set()
    for x in case.claims + case.strategies:
        used.update(x.supported_by)
    for d in case.defeaters:
        used.update(d.resolved_by or [])
    ans["invalidated_relied"] = [e for e in ans["invalidated"] if e in used]
    # What the plan restores: every lost claim and every relied-on invalidated piece.
    wanted = sorted(ans["lost"] + ans["invalidated_relied"], key=declaration_order(case))
    ans["exit"] = 5 if wanted else 0
    ans["candidates"] = {e.name: cost_of(e) for e in case.evidence if after.own_reasons(e)}
    ans["goals"], ans["unrestorable"], ans["reusable"] = [], [], []
    ans["best_cost"], ans["best_set"], ans["evaluated"] = None, None, 0
    if not wanted:
        return ans
    ans["reusable"] = sorted(n for n in evidence_below(after, ans["lost"])
                             if after.evidence_status(after.by[n]) == SUPPORTED)
    everything = WhatIf(case, folder, changes, ans["candidates"], cache)
    ans["oracle_all"] = everything
    # Every subset of the candidates, cheapest first (then the fewest items). A lost top claim
    # is restorable when some subset supports it: support is not monotone in valid evidence
    # (a re-verified resolver answers a defeater, which re-activates the one it defeated), so
    # re-verifying every candidate is not enough to decide it.
    names = sorted(ans["candidates"])
    subsets = []
    for mask in range(1 << len(names)):
        chosen = [n for i, n in enumerate(names) if mask >> i & 1]
        subsets.append((sum((ans["candidates"][n] for n in chosen), Fraction(0)),
                        len(chosen), mask, chosen))
    subsets.sort(key=lambda s: s[:3])
    oracles = {}

    def oracle_of(chosen):
        key = tuple(chosen)
        if key not in oracles:
            oracles[key] = WhatIf(case, folder, changes, chosen, cache)
        return oracles[key]

    for t in wanted:
        if holds(everything, t) or any(holds(oracle_of(c), t) for *_, c in subsets):
            ans["goals"].append(t)
        else:
            ans["unrestorable"].append(t)
    if not ans["goals"]:
        return ans
    # The first subset that supports every goal has the minimum cost; when none does, each
    # goal is restorable alone but not together, and assure must say the plan is infeasible.
    for cost, _, _, chosen in subsets:
        ans["evaluated"] += 1
        orc = oracle_of(chosen)
        if all(holds(orc, g) for g in ans["goals"]):
            ans["best_cost"], ans["best_set"] = cost, chosen
            break
    return ans


def holds(orc, name):
    """A claim is supported, a piece of evidence valid."""
    x = orc.by[name]
    if isinstance(x, Evidence):
        return orc.evidence_status(x) == SUPPORTED
    return orc.claim_verdict(x) == SUPPORTED


def declaration_order(case):
    """Sort key: assure lists elements in declaration order (the order the printer writes)."""
    order = {n: i for i, n in enumerate(case.order)}
    return lambda n: (order.get(n, len(order)), n)


def restores(case, folder, changes, chosen, goals, cache):
    """-> (whether re-verifying `chosen` supports every goal, the oracle that decided it)"""
    orc = WhatIf(case, folder, changes, chosen, cache)
    return all(holds(orc, g) for g in goals), orc


# ---------------------------------------------------------------------------- cases
def pick_changes(rng, case, before, tops):
    """1-4 changes, mostly to evidence that is valid and under a supported top claim. At most
    one change of a kind to an element: two results or two expiry dates for the same evidence
    would leave it to the order of the --change options which one holds."""
    valid = sorted(e.name for e in case.evidence if before.evidence_status(e) == SUPPORTED)
    supported_tops = [t for t in tops if before.claim_verdict(before.by[t]) == SUPPORTED]
    under = sorted(evidence_below(before, supported_tops) & set(valid))
    artifacts = sorted({a for e in case.evidence if e.name in valid for a in e.artifacts})
    # a defeater that is not active now: opening it may take something away
    defeaters = sorted(d.name for d in case.defeaters if d.status in ("resolved", "withdrawn"))
    ch = Changes()
    done = set()                                   # (kind of change, element)
    for _ in range(weighted(rng, [(1, 35), (2, 35), (3, 20), (4, 10)])):
        kinds = [("fail", 25), ("pending", 10), ("withdraw", 15), ("expire", 20)]
        if artifacts:
            kinds.append(("artifact", 15))
        if defeaters:
            kinds.append(("open", 25))
        kind = weighted(rng, kinds)
        if kind == "artifact":
            name = rng.choice(artifacts)
        elif kind == "open":
            name = rng.choice(defeaters)
        elif valid:
            name = rng.choice(under if under and rng.random() < 0.8 else valid)
        else:
            continue
        key = ("result" if kind in ("fail", "pending") else kind, name)
        if key in done:
            continue
        done.add(key)
        if kind == "artifact":
            ch.specs.append(f"artifact:{name}")
            ch.artifacts.add(name)
        elif kind == "open":
            ch.specs.append(f"open:{name}")
            ch.opened.add(name)
        elif kind in ("fail", "pending"):
            ch.specs.append(f"{kind}:{name}")
            ch.result[name] = kind
        elif kind == "withdraw":
            ch.specs.append(f"withdraw:{name}")
            ch.withdrawn.add(name)
        else:
            date = weighted(rng, EXPIRY_DATES)
            ch.specs.append(f"expire:{name}={date}")
            ch.valid_until[name] = date
    return ch


def make_case(seed, index, folder):
    """Case `index` of `seed` and its changes, written to `folder`: the first attempt whose
    case has a supported top claim, something to change and at most MAX_CANDIDATES
    candidates after the change. -> (case, changes, attempt)"""
    for attempt in range(MAX_ATTEMPTS):
        rng = random.Random(f"assure-impact:{seed}:{index}:{attempt}")
        header = f"impact case: seed {seed} index {index} attempt {attempt}"
        case = gen.generate(rng, header, ImpactGen)
        for e in case.evidence:
            e.cost = weighted(rng, COSTS)
        shutil.rmtree(folder, ignore_errors=True)
        write_case(case, folder)
        before = WhatIf(case, folder, Changes())
        _, tops, _ = before.run()
        # Mostly cases with a supported top claim; some without one, whose evidence a change
        # may still take away (that fails the gate too).
        if not any(before.claim_verdict(before.by[t]) == SUPPORTED for t in tops) and \
                rng.random() < 0.75:
            continue
        changes = pick_changes(rng, case, before, tops)
        if not changes.specs:
            continue
        after = WhatIf(case, folder, changes)
        if sum(1 for e in case.evidence if after.own_reasons(e)) > MAX_CANDIDATES:
            continue
        return case, changes, attempt
    raise RuntimeError(f"seed {seed} index {index}: no usable case in {MAX_ATTEMPTS} attempts")


# ---------------------------------------------------------------------------- running assure
def start_assure(args, env, argv, cwd):
    """Starts assure; retries for a while when the binary cannot be executed (it may be
    relinked under us by a concurrent build)."""
    for attempt in range(30):
        try:
            return subprocess.Popen([args.assure] + argv, cwd=cwd, env=env,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        except OSError:
            if attempt == 29:
                raise
            time.sleep(2)
    raise AssertionError("unreachable")


def fmt_cost(c):
    return str(c) if c is None or c.denominator == 1 else f"{c} = {float(c):g}"


def check(case, changes, ans, rc, out, folder):
    """Compares assure's answer with the oracle's. -> list of problems (empty: agreement)"""
    problems = []
    try:
        doc = json.loads(out)
    except ValueError as ex:
        return [f"assure's output is not JSON ({ex}); exit {rc}"]
    if not isinstance(doc, dict) or doc.get("format") != "assure-impact" or \
            doc.get("version") != 2:
        return ["assure's JSON lacks format=assure-impact or version=2"]
    prefix = case.module + "."

    def short(name):
        if not isinstance(name, str) or not name.startswith(prefix):
            problems.append(f"unexpected name {name!r}")
            return str(name)
        return name[len(prefix):]

    def same(what, engine, oracle):
        if sorted(engine) != sorted(oracle):
            problems.append(f"{what}: assure {sorted(engine)}, oracle {sorted(oracle)}")

    if rc != ans["exit"]:
        problems.append(f"exit code: assure {rc}, oracle {ans['exit']}")
    if doc.get("exit_code") != rc:
        problems.append(f"exit_code field {doc.get('exit_code')} but exit {rc}")
    same("invalidated", [short(x.get("evidence")) for x in doc.get("invalidated", [])],
         ans["invalidated"])
    lost = {short(x.get("claim")): x for x in doc.get("lost", [])}
    same("lost", lost, ans["lost"])
    for n, x in lost.items():
        if n in ans["after"]:
            if bool(x.get("top")) != (n in ans["tops"]):
                problems.append(f"lost {n}: assure top={x.get('top')}, oracle "
                                f"top={n in ans['tops']}")
            if x.get("verdict") != ans["after"][n]:
                problems.append(f"lost {n}: assure verdict {x.get('verdict')}, oracle "
                                f"{ans['after'][n]}")
    same("unrestorable", [short(x.get("claim")) for x in doc.get("unrestorable", [])],
         ans["unrestorable"])
    same("reusable", [short(x) for x in doc.get("reusable", [])], ans["reusable"])

    plan = doc.get("plan") or {}
    items = plan.get("evidence", [])
    chosen = [short(x.get("evidence")) for x in items]
    if not ans["goals"]:
        if plan.get("state") != "none" or items:
            problems.append(f"plan: nothing to restore, but assure's plan is "
                            f"{plan.get('state')} with {chosen}")
        return problems
    if ans["best_set"] is None:
        if plan.get("state") != "infeasible" or items:
            problems.append(f"plan: no set restores every goal together, but assure's plan is "
                            f"{plan.get('state')} with {chosen}")
        return problems
    if plan.get("state") != "found":
        problems.append(f"plan: state {plan.get('state')!r}, expected 'found' "
                        f"(note: {plan.get('note')!r})")
        return problems
    if plan.get("optimal") is not True or plan.get("verified") is not True:
        problems.append(f"plan: optimal={plan.get('optimal')}, verified={plan.get('verified')}"
                        f" (note: {plan.get('note')!r})")
    if len(set(chosen)) != len(chosen):
        problems.append(f"plan: an item is listed twice: {chosen}")
    # Costs are exact decimals, written as strings: compared exactly.
    def exact(v):
        try:
            return Fraction(v) if isinstance(v, str) else None
        except ValueError:
            return None

    total = Fraction(0)
    for n, x in zip(chosen, items):
        if n not in ans["candidates"]:
            problems.append(f"plan: {n} is not a candidate (not invalid for reasons of its "
                            f"own after the change)")
            continue
        total += ans["candidates"][n]
        if exact(x.get("cost")) != ans["candidates"][n]:
            problems.append(f"plan: {n} has cost {x.get('cost')!r} in assure, "
                            f"{fmt_cost(ans['candidates'][n])} declared")
    cost = exact(plan.get("cost"))
    if cost is None:
        problems.append(f"plan: cost {plan.get('cost')!r} is not an exact decimal string")
        return problems
    if cost != total:
        problems.append(f"plan: cost {cost} is not the sum of its items' costs ({total})")
    if cost != ans["best_cost"]:
        problems.append(f"plan: cost {fmt_cost(cost)}, but the brute-force minimum is "
                        f"{fmt_cost(ans['best_cost'])} ({ans['best_set']})")
    ok, orc = restores(case, folder, changes, [n for n in chosen if n in ans["candidates"]],
                       ans["goals"], None)
    ans["oracle_plan"] = orc
    if not ok:
        bad = [g for g in ans["goals"] if not holds(orc, g)]
        problems.append(f"plan: re-verifying {chosen} does not restore {bad} (oracle)")
    return problems


def oracle_text(ans):
    """The oracle's answer, for people, with its reasoning."""
    lines = ["--- oracle"]
    lines.append("top claims: " + ", ".join(f"{t} {ans['before'][t]} -> {ans['after'][t]}"
                                           for t in ans["tops"]))
    lines.append(f"invalidated: {ans['invalidated']}")
    lines.append(f"lost: {ans['lost']} (top: {ans['lost_top']}); exit {ans['exit']}")
    lines.append("candidates: " + (", ".join(f"{n} (cost {fmt_cost(c)})"
                                             for n, c in sorted(ans["candidates"].items()))
                                   or "none"))
    lines.append(f"goals: {ans['goals']}; unrestorable: {ans['unrestorable']}")
    lines.append(f"reusable: {ans['reusable']}")
    if ans["best_set"] is not None:
        lines.append(f"minimum: cost {fmt_cost(ans['best_cost'])}, e.g. {ans['best_set']} "
                     f"({ans['evaluated']} of {2 ** len(ans['candidates'])} subsets tried)")
    lines.append("-- after the change:")
    for t in ans["tops"]:
        lines += ans["oracle_after"].explain(t)
    if "oracle_plan" in ans:
        lines.append("-- with assure's plan re-verified:")
        for g in ans["goals"]:
            lines += ans["oracle_plan"].explain(g)
    elif ans["unrestorable"]:
        lines.append("-- with every candidate re-verified:")
        for t in ans["unrestorable"]:
            lines += ans["oracle_all"].explain(t)
    return "\n".join(lines) + "\n"


def one(args, env, index, tmproot):
    """Runs one case. -> (index, problems, short report, full report, stats)"""
    folder = os.path.join(tmproot, f"case{index}")
    try:
        case, changes, attempt = make_case(args.seed, index, folder)
        argv = ["impact", "case.assure"]
        for spec in changes.specs:
            argv += ["--change", spec]
        argv += ["--format", "json", "--at", RUN_DATE]
        proc = start_assure(args, env, argv, folder)       # runs while the oracle works
        try:
            ans = analyse(case, folder, changes)
        finally:
            try:
                out, err = proc.communicate(timeout=args.timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
                err += f"\n(killed after {args.timeout} s)"
        problems = check(case, changes, ans, proc.returncode, out, folder)
        stats = {"attempts": attempt + 1, "lost": bool(ans["lost_top"]),
                 "goals": bool(ans["goals"]), "unrestorable": bool(ans["unrestorable"]),
                 "candidates": len(ans["candidates"]),
                 "plan_items": len(ans["best_set"] or []),
                 # minimality matters: re-verifying every candidate would cost more
                 "cheaper": ans["best_set"] is not None and
                 ans["best_cost"] < sum(ans["candidates"].values()),
                 # the cheapest plan re-verifies evidence the change did not touch
                 "old": ans["best_set"] is not None and
                 bool(set(ans["best_set"]) - set(ans["invalidated"])),
                 # a goal that re-verifying every candidate does not restore (defeats chains)
                 "subset_only": any(not holds(ans["oracle_all"], g) for g in ans["goals"]),
                 # goals restorable one by one, never together
                 "no_joint": bool(ans["goals"]) and ans["best_set"] is None}
        head = ("=== MISMATCH" if problems else "===") + \
            f" seed {args.seed} index {index} (reproduce: run_impact_oracle.py " \
            f"--assure BIN --seed {args.seed} --index {index} --show)\n"
        short = head + "".join(f"  {p}\n" for p in problems)
        full = short
        if problems or args.show:
            full += "--- case.assure\n" + case_text(case)
            full += "--- changes: " + " ".join(f"--change {s}" for s in changes.specs) + "\n"
            full += oracle_text(ans)
            full += f"--- assure (exit {proc.returncode})\n{out}"
            if not out.endswith("\n"):
                full += "\n"
            if err.strip():
                full += f"--- assure stderr\n{err}"
            full += "===\n" if problems else "--- assure agrees\n"
        return index, problems, short, full, stats
    finally:
        if not (args.keep or args.show):
            shutil.rmtree(folder, ignore_errors=True)


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
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--index", type=int, help="run only this case index")
    ap.add_argument("--keep", metavar="DIR", help="keep every case's folder under DIR")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=60, help="seconds per assure run")
    ap.add_argument("--root", default=DEFAULT_ROOT, help="repository root (for the stdlib)")
    ap.add_argument("--show", action="store_true",
                    help="print the case, the changes, the oracle's analysis and assure's JSON")
    ap.add_argument("--max-report", type=int, default=3,
                    help="mismatches printed in full (the others are listed)")
    args = ap.parse_args()
    args.assure = os.path.abspath(args.assure)
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(os.path.abspath(args.root), "stdlib"))

    count, size = effective_count(args)
    indices = [args.index] if args.index is not None else list(range(count))
    if args.keep:
        tmproot = os.path.abspath(args.keep)
        os.makedirs(tmproot, exist_ok=True)
    else:
        tmproot = tempfile.mkdtemp(prefix="assure-impact-oracle-")
    start = time.monotonic()
    failures = []
    totals = {}
    try:
        # Processes, not threads: the brute force is Python work. Each worker runs assure
        # while its oracle evaluates the same case.
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(one, args, env, i, tmproot) for i in indices]
            for fut in futures:
                index, problems, short, full, stats = fut.result()
                for k, v in stats.items():
                    totals[k] = totals.get(k, 0) + v
                if args.show or (problems and len(failures) < args.max_report):
                    print(full, end="", flush=True)
                elif problems:
                    print(short, end="", flush=True)
                if problems:
                    failures.append(index)
    finally:
        if not args.keep:
            shutil.rmtree(tmproot, ignore_errors=True)
    took = time.monotonic() - start
    n = len(indices)
    print(f"{n} cases compared in {took:.1f} s (seed {args.seed}, {size}); "
          f"{len(failures)} failed")
    print(f"oracle: {totals.get('lost', 0)} lose a top claim, {totals.get('goals', 0)} with a "
          f"plan to find ({totals.get('cheaper', 0)} cheaper than re-verifying every candidate,"
          f" {totals.get('old', 0)} re-verifying evidence the change did not invalidate), "
          f"{totals.get('unrestorable', 0)} with an unrestorable top claim, "
          f"{totals.get('subset_only', 0)} with a goal only a smaller set restores, "
          f"{totals.get('no_joint', 0)} whose goals no one set restores together; "
          f"{totals.get('candidates', 0) / max(n, 1):.1f} candidates and "
          f"{totals.get('attempts', 0) / max(n, 1):.2f} generation attempts per case")
    if failures:
        print("failing indices: " + " ".join(map(str, failures[:50]))
              + (" ..." if len(failures) > 50 else ""))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
