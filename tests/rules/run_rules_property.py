#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Property test of rule evaluation in `assure prove` (docs/semantics.md, "Rules").

For each index i in 0..count-1, generates a random case from (seed, i): 1-40 hazards rated on
std.risk.MilStd882 (some unrated or half rated, some without `matrix:`), evidence with random
kind, producer, approved_by, cost, valid_until, date, artifacts (in dirty cases some without a
recorded sha256) and independent_of, claims that rest
on it and mitigate random subsets of the hazards (some hazards mitigated by none), sometimes
strategies and defeaters, one top claim over them (sometimes two or three, or a claim left
over that becomes a top claim of its own), and 1-3 rules drawn from the FORMS below. The
declarations are written in a random order. It writes the case (with its artifact files) to a
temporary folder and runs

    assure prove case.assure --format json --at 2026-06-15

Every third case is proved beside a distractor instead: another random case (module `rother`,
in other/case.assure, importing std.risk too), given before or after it on the same command
line. A rule ranges over the elements of its own case only (docs/semantics.md, "Rules"), so the
expected answer for the case is the same, none of its rules may name the distractor's elements
nor fail its top claims, and the exit code is the worse of the two cases' (the distractor's as
assure gives it alone).

The expected answer is computed here, from the generated model, by a direct Python reading of
docs/semantics.md (never from assure's output): for each rule, the multiset of violations (the
assignments of the outermost `forall` variables that pass their filters and make the rest
false, by element names; one violation with no elements for a false rule that does not start
with `forall`), and for each violation the top claims it fails. The test requires

  - per rule: `holds`, exactly the expected violations (in any order), each binding's `var`,
    `kind` and declaration `location`, and each violation's `fails`;
  - per top claim: a `rule_violated` reason (and root cause) for exactly the rules with a
    violation that fails it, whose message names the first three of them (or says the rule
    does not hold);
  - verdicts and exit code: a rule only turns the top claims its violations fail into
    `unsupported`; every other claim keeps its verdict of a second run of assure on the same
    case with the rule declarations blanked out (norules.assure), and the exit code follows
    from the top claims' verdicts (5 if one is unsupported or undeveloped, else 0). Most cases
    are "clean": every piece of evidence passes, has not expired and rests on artifacts with
    their true SHA-256, defeaters are withdrawn or resolved, no claim is undeveloped, and a
    hazard on the matrix has an acceptable risk level (one that would not be is rated on the
    scales without `matrix:`), so without rules every claim should be supported and the exit
    code is 0 or 5 according to the rules alone; the summary counts the clean cases where that
    is not so (not a failure: those verdicts are not the rules' doing). The other cases
    ("dirty", about a quarter) also have failed, pending and expired evidence, undeveloped
    claims, open defeaters, alternatives, wrong and unrecorded hashes and evidence dated after
    the run date;
  - on every fifth case, the text report too: "rules: H of M hold" (or "rules: the one rule
    holds" / "does not hold") and one line per rule.

Usage:

  run_rules_property.py --assure BIN [--count N] [--seed S] [--jobs J] [--forms F1,F2]
  run_rules_property.py --assure BIN --seed S --index K --show    # one case and the answers
  run_rules_property.py --list-forms

Exit code 0 when assure agrees on every case, 1 otherwise. A mismatch prints the case, the
expected answer and assure's JSON (the first --max-report in full).

Mutation self-check: fake_rules.py stands in for assure and spoils its JSON in one way each
(drops a violation, adds one, flips `holds`, ...); every mutation must be caught:

  for m in $(tests/rules/fake_rules.py --list); do
    ASSURE_REAL=$PWD/build/relassert/assure ASSURE_FAKE_MUTATION=$m \\
      tests/rules/run_rules_property.py --assure tests/rules/fake_rules.py \\
        --count 100 --max-report 0 | tail -1
  done
"""
import argparse
import collections
import concurrent.futures
import dataclasses
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_ROOT = os.path.dirname(os.path.dirname(HERE))
RUN_DATE = "2026-06-15"
MODULE = "rcase"
DISTRACTOR_MODULE = "rother"   # the module of a distractor case (see one())
DISTRACTOR_SEED = 1000003      # its seed: the case's plus this

SEVERITIES = ["negligible", "marginal", "critical", "catastrophic"]
LIKELIHOODS = ["eliminated", "improbable", "remote", "occasional", "probable", "frequent"]
KINDS = ["test", "analysis", "simulation", "formal_proof", "review", "inspection",
         "field_monitoring", "runtime_monitoring"]
# Producer and approver strings as written in the case (an escaped quote in one of them).
PEOPLE = ['"Alpha team"', '"Beta team"', '"Gamma lab"', '"V\\"V office"', '""']
COSTS = ["0", "1", "2.5", "3", "5", "7", "9.5", "10", "10.0", "1e1", "10.5", "11", "20"]
CLEAN_DATES = ["2026-06-15", "2026-06-16", "2026-12-31", "2027-01-01", "2027-01-02",
               "2027-06-30", "2028-02-29", "2030-01-01"]
EXPIRED_DATES = ["2026-06-14", "2025-12-31"]
RULE_DATES = ["2026-06-15", "2026-12-31", "2027-01-01", "2027-01-02", "2028-01-01"]
NEVER = (9999, 12, 31)           # evidence without valid_until compares after every date
UNDATED = (1, 1, 1)              # evidence without date compares before every other date
# `date:`s: on or before the run date in clean cases (later is not yet valid: dirty only).
PAST_DATES = ["2020-02-29", "2025-12-31", "2026-01-01", "2026-03-01", "2026-06-14",
              "2026-06-15"]
FUTURE_DATES = ["2026-06-16", "2027-01-01"]
FACT_DATES = ["0001-01-01", "2025-12-31", "2026-01-01", "2026-03-01", "2026-06-15",
              "2026-06-16"]
OPS = ["<", "<=", ">", ">=", "==", "!="]
# std.risk.MilStd882: the risk level of (severity, likelihood), and its acceptance level.
LEVELS = ["eliminated", "low", "medium", "serious", "high"]
MATRIX = {
    "catastrophic": "eliminated medium serious high high high",
    "critical": "eliminated medium medium serious high high",
    "marginal": "eliminated medium medium medium serious serious",
    "negligible": "eliminated low low low medium medium",
}
ACCEPT = "medium"


def risk_level(severity, likelihood):
    return MATRIX[severity].split()[LIKELIHOODS.index(likelihood)]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def date(text):
    y, m, d = text.split("-")
    return int(y), int(m), int(d)


def unquote(s):
    """The value of a string literal as written in PEOPLE."""
    return s[1:-1].replace('\\"', '"').replace("\\\\", "\\")


# Operating domain of scope rules: x in [0, 100]. A region [lo, hi) of x, closed at 100 when
# hi is 100 (the domain's bound).
DOMAIN_TEXT = 'domain Sea "Sea" { x : real [0, 100] }'
ODDS = {"Low": (0, 30), "Mid": (30, 70), "High": (70, 100), "Wide": (10, 90)}
CUTS = [0, 10, 30, 50, 70, 90, 100]


def region_text(lo, hi):
    parts = (["x >= %d" % lo] if lo > 0 else []) + (["x < %d" % hi] if hi < 100 else [])
    return "Sea" + (" where " + " and ".join(parts) if parts else "")


def interval(lo, hi):
    return (lo, hi, hi == 100)     # (lo, hi, hi included)


def meets(a, b):
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    closed = b[2] if a[1] > b[1] else a[2] if b[1] > a[1] else a[2] and b[2]
    return lo < hi or (lo == hi and closed)


def inside(a, b):
    return b[0] <= a[0] and (a[1] < b[1] or (a[1] == b[1] and (b[2] or not a[2])))


def compare(op, a, b):
    """A comparison in a rule: false whenever a side is missing (None), `==` and `!=` alike."""
    if a is None or b is None:
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b,
            "!=": a != b}[op]


# ---------------------------------------------------------------------------- the model
@dataclasses.dataclass
class Artifact:
    name: str
    path: str
    content: bytes
    sha: str            # as recorded; None: no sha256 recorded
    write: bool = True  # False: the file is missing


@dataclasses.dataclass
class Evidence:
    name: str
    kind: str = None
    artifacts: list = dataclasses.field(default_factory=list)
    result: str = "pass"
    valid_until: str = None
    date: str = None
    cost: str = None
    producer: str = None       # as written, with quotes
    approved_by: str = None
    independent_of: list = dataclasses.field(default_factory=list)
    regions: list = dataclasses.field(default_factory=list)  # metric regions: (lo, hi)


@dataclasses.dataclass
class Hazard:
    name: str
    severity: str = None
    likelihood: str = None
    matrix: bool = True
    qualified: bool = False


@dataclasses.dataclass
class Claim:
    name: str
    scope: tuple = None         # (lo, hi) of x; None: no scope (every point)
    mitigates: list = dataclasses.field(default_factory=list)
    supported_by: list = dataclasses.field(default_factory=list)
    undeveloped: bool = False


@dataclasses.dataclass
class Strategy:
    name: str
    parent: str
    supported_by: list
    mode: str = ""      # all_of, any_of, at_least N; "" for the default (all_of)


@dataclasses.dataclass
class Defeater:
    name: str
    relation: str
    target: str
    status: str
    resolved_by: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Rule:
    name: str
    form: str
    text: str          # the condition
    vars: list         # names of the outermost forall variables, outermost first
    violations: list   # expected: tuples of element names (one per var)


class Case:
    def __init__(self):
        self.artifacts, self.evidence, self.hazards = [], [], []
        self.claims, self.strategies, self.defeaters, self.rules = [], [], [], []
        self.dirty = False
        self.order = []          # declaration order: names
        self.lines = {}          # name -> (line, column) of its name
        self.by = {}

    def index(self):
        self.by = {}
        for kind, xs in (("artifact", self.artifacts), ("evidence", self.evidence),
                         ("hazard", self.hazards), ("claim", self.claims),
                         ("strategy", self.strategies), ("defeater", self.defeaters),
                         ("rule", self.rules)):
            for x in xs:
                self.by[x.name] = (kind, x)

    def kind(self, name):
        return self.by[name][0]


def decl_text(kind, x):
    """One line of the case for the declaration `x`."""
    if kind == "artifact":
        if x.sha is None:
            return 'artifact %s "%s"' % (x.name, x.path)
        return 'artifact %s "%s" sha256 "%s"' % (x.name, x.path, x.sha)
    if kind == "evidence":
        f = []
        if x.kind:
            f.append("kind: " + x.kind)
        if x.artifacts:
            f.append("artifacts: " + ", ".join(x.artifacts))
        f.append("result: " + x.result)
        if x.valid_until:
            f.append("valid_until: " + x.valid_until)
        if x.date:
            f.append("date: " + x.date)
        if x.cost is not None:
            f.append("cost: " + x.cost)
        if x.producer is not None:
            f.append("producer: " + x.producer)
        if x.approved_by is not None:
            f.append("approved_by: " + x.approved_by)
        if x.independent_of:
            f.append("independent_of: " + ", ".join(x.independent_of))
        for lo, hi in x.regions:
            f.append("metric m = 1 over " + region_text(lo, hi))
        return 'evidence %s "Evidence %s" { %s }' % (x.name, x.name, " ".join(f))
    if kind == "hazard":
        f = []
        if x.severity:
            f.append("severity: " + ("std.risk.Severity." if x.qualified else "") + x.severity)
        if x.likelihood:
            # unqualified `eliminated` is ambiguous (Probability and RiskLevel) without matrix:
            q = x.qualified or (not x.matrix and x.likelihood == "eliminated")
            f.append("likelihood: " + ("std.risk.Probability." if q else "") + x.likelihood)
        if x.matrix and f:
            f.append("matrix: std.risk.MilStd882")
        body = " { %s }" % " ".join(f) if f else ""
        return 'hazard %s "Hazard %s"%s' % (x.name, x.name, body)
    if kind == "claim":
        f = []
        if x.scope:
            f.append("scope: " + region_text(*x.scope))
        if x.mitigates:
            f.append("mitigates: " + ", ".join(x.mitigates))
        if x.supported_by:
            f.append("supported_by: " + ", ".join(x.supported_by))
        if x.undeveloped:
            f.append("undeveloped")
        return 'claim %s "Claim %s" { %s }' % (x.name, x.name, " ".join(f))
    if kind == "strategy":
        mode = x.mode + " " if x.mode else ""      # "": all_of, implicitly
        return 'strategy %s "Strategy %s" for %s { %ssupported_by: %s }' % (
            x.name, x.name, x.parent, mode, ", ".join(x.supported_by))
    if kind == "defeater":
        f = ["status: " + x.status]
        if x.resolved_by:
            f.append("resolved_by: " + ", ".join(x.resolved_by))
        return 'defeater %s %s %s "Doubt %s" { %s }' % (x.name, x.relation, x.target, x.name,
                                                        " ".join(f))
    if kind == "rule":
        return 'rule %s "Rule %s (%s)" { %s }' % (x.name, x.name, x.form, x.text)
    raise AssertionError(kind)


def case_text(case, with_rules=True, module=MODULE):
    lines = ["// rules property case (%s)" % ("dirty" if case.dirty else "clean"),
             "module " + module, "import std.risk", DOMAIN_TEXT] + [
                 "odd %s = %s" % (n, region_text(lo, hi)) for n, (lo, hi) in ODDS.items()] + [""]
    for name in case.order:
        kind, x = case.by[name]
        if kind == "rule" and not with_rules:
            lines.append("")          # keeps the other lines where they are
            continue
        text = decl_text(kind, x)
        case.lines[name] = (len(lines) + 1, len(text.split(" ")[0]) + 2)
        lines.append(text)
    return "\n".join(lines) + "\n"


def write_case(case, folder, module=MODULE):
    os.makedirs(folder, exist_ok=True)
    for a in case.artifacts:
        if a.write:
            p = os.path.join(folder, a.path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(a.content)
    with open(os.path.join(folder, "case.assure"), "w", encoding="utf-8") as f:
        f.write(case_text(case, module=module))
    with open(os.path.join(folder, "norules.assure"), "w", encoding="utf-8") as f:
        f.write(case_text(case, with_rules=False, module=module))


# ---------------------------------------------------------------------------- the facts
class World:
    """The facts rules read, straight from the model (docs/semantics.md, "Rules")."""

    def __init__(self, case):
        self.case = case
        self.sup = collections.defaultdict(set)    # y -> what supports y directly
        self.users = collections.defaultdict(set)  # x -> what x supports directly
        for c in case.claims:
            for s in c.supported_by:
                self.link(s, c.name)
        for s in case.strategies:
            self.link(s.name, s.parent)
            for x in s.supported_by:
                self.link(x, s.name)
        self.below_memo = {}
        # Top claims: claims that nothing relies on (supported_by, resolved_by).
        relied = set()
        for c in case.claims:
            relied |= set(c.supported_by)
        for s in case.strategies:
            relied |= set(s.supported_by)
        for d in case.defeaters:
            relied |= set(d.resolved_by)
        self.tops = [c.name for c in case.claims if c.name not in relied]

    def link(self, x, y):
        self.sup[y].add(x)
        self.users[x].add(y)

    def scope(self, name):
        """The intervals of a claim's scope or evidence's metric regions; [] for none."""
        kind, x = self.case.by[name]
        if kind == "claim":
            return [interval(*(x.scope or (0, 100)))]
        return [interval(lo, hi) for lo, hi in x.regions]

    def overlaps(self, name, odd):
        return any(meets(iv, interval(*ODDS[odd])) for iv in self.scope(name))

    def within(self, name, odd):
        ivs = self.scope(name)
        return bool(ivs) and all(inside(iv, interval(*ODDS[odd])) for iv in ivs)

    def supports(self, x, y):
        return x in self.sup[y]

    def below(self, y):
        if y not in self.below_memo:
            seen, stack = set(), list(self.sup[y])
            while stack:
                x = stack.pop()
                if x not in seen:
                    seen.add(x)
                    stack += list(self.sup[x])
            self.below_memo[y] = seen
        return self.below_memo[y]

    def under(self, x, y):
        return x in self.below(y)

    @staticmethod
    def mitigates(c, h):
        return h.name in c.mitigates

    def independent(self, e, f):
        if e.name == f.name or set(e.artifacts) & set(f.artifacts):
            return False
        if f.name in e.independent_of or e.name in f.independent_of:
            return True
        pe, pf = self.producer(e), self.producer(f)
        return pe != "" and pf != "" and pe != pf

    # attributes: None when the element does not have one (every comparison is then false)
    @staticmethod
    def sev(h):
        return SEVERITIES.index(h.severity) if h.severity else None

    @staticmethod
    def lik(h):
        return LIKELIHOODS.index(h.likelihood) if h.likelihood else None

    @staticmethod
    def cost(e):
        return Fraction(1) if e.cost is None else Fraction(e.cost)

    @staticmethod
    def valid_until(e):
        return NEVER if e.valid_until is None else date(e.valid_until)

    @staticmethod
    def date(e):
        return UNDATED if e.date is None else date(e.date)

    @staticmethod
    def artifact_count(e):
        return len(e.artifacts)

    def pinned_count(self, e):
        return sum(1 for a in e.artifacts if self.case.by[a][1].sha is not None)

    @staticmethod
    def producer(e):
        return "" if e.producer is None else unquote(e.producer)

    @staticmethod
    def approved_by(e):
        return "" if e.approved_by is None else unquote(e.approved_by)

    def fails(self, names):
        """The top claims a violation naming `names` fails."""
        anchors = []
        for n in names:
            kind, x = self.case.by[n]
            if kind in ("claim", "strategy", "evidence"):
                anchors.append(n)
            elif kind == "hazard":
                anchors += [c.name for c in self.case.claims if n in c.mitigates]
            elif kind == "defeater":
                anchors.append(x.target)
            elif kind == "artifact":
                anchors += [e.name for e in self.case.evidence if n in e.artifacts]
        seen, stack, out = set(), anchors, set()
        while stack:
            x = stack.pop()
            if x in seen:
                continue
            seen.add(x)
            if x in self.tops:
                out.add(x)
            stack += list(self.users[x])
        return out or set(self.tops)


# ---------------------------------------------------------------------------- rule forms
# Each form: (name, weight, function(rng, case, world) -> (text, vars, violations)).
FORMS = []


def form(weight):
    def deco(fn):
        FORMS.append((fn.__name__[2:], weight, fn))
        return fn
    return deco


def scale_lit(rng, scale, value):
    """A scale value as a rule may write it. `eliminated` is also a RiskLevel: unqualified, it
    takes its scale from the other side of the comparison, which assure knows only when some
    hazard of the case rates its likelihood (E0202 otherwise), so it is always qualified."""
    if value == "eliminated" or rng.random() < 0.4:
        return rng.choice([scale + ".", "std.risk." + scale + "."]) + value
    return value


@form(12)
def f_hazard_mitigated(rng, case, w):
    op, s = rng.choice(OPS), rng.choice(SEVERITIES)
    body = rng.choice(["exists", "exists_developed", "count"])
    k = rng.randint(1, 3)
    text = "forall h in hazards where h.severity %s %s: " % (op, scale_lit(rng, "Severity", s))
    if body == "exists":
        text += "exists c in claims: mitigates(c, h)"
    elif body == "exists_developed":
        text += "exists c in claims where mitigates(c, h): not c.undeveloped"
    else:
        text += "count(c in claims where mitigates(c, h)) >= %d" % k

    def holds(h):
        ms = [c for c in case.claims if w.mitigates(c, h)]
        if body == "exists":
            return bool(ms)
        if body == "exists_developed":
            return any(not c.undeveloped for c in ms)
        return len(ms) >= k
    viol = [(h.name,) for h in case.hazards
            if compare(op, w.sev(h), SEVERITIES.index(s)) and not holds(h)]
    return text, ["h"], viol


@form(12)
def f_two_lines(rng, case, w):
    s, k = rng.choice(SEVERITIES), rng.randint(1, 3)
    kind = rng.choice([None, None, "test"])
    text = ("forall h in hazards where h.severity >= %s: forall c in claims where "
            "mitigates(c, h): count(e in evidence where under(e, c)%s) >= %d"
            % (scale_lit(rng, "Severity", s), " and e.kind == " + kind if kind else "", k))
    viol = []
    for h in case.hazards:
        if not compare(">=", w.sev(h), SEVERITIES.index(s)):
            continue
        for c in case.claims:
            if w.mitigates(c, h):
                n = sum(1 for e in case.evidence
                        if w.under(e.name, c.name) and (kind is None or e.kind == kind))
                if n < k:
                    viol.append((h.name, c.name))
    return text, ["h", "c"], viol


@form(10)
def f_separation(rng, case, w):
    variant = rng.choice(["plain", "named", "eq"])
    if variant == "plain":
        text = "forall e in evidence: e.approved_by != e.producer"
        viol = [(e.name,) for e in case.evidence if not w.approved_by(e) != w.producer(e)]
    elif variant == "named":
        text = 'forall e in evidence where e.approved_by != "": e.approved_by != e.producer'
        viol = [(e.name,) for e in case.evidence
                if w.approved_by(e) != "" and w.approved_by(e) == w.producer(e)]
    else:
        p = rng.choice(PEOPLE)
        text = "forall e in evidence where e.producer == %s: e.approved_by == %s" % (
            p, rng.choice(PEOPLE))
        q = unquote(text.rsplit("== ", 1)[1])
        viol = [(e.name,) for e in case.evidence
                if w.producer(e) == unquote(p) and w.approved_by(e) != q]
    return text, ["e"], viol


@form(10)
def f_likelihood_or_mitigated(rng, case, w):
    lv = rng.choice(LIKELIHOODS)
    text = ("forall h in hazards: h.likelihood <= %s or (exists c in claims: mitigates(c, h) "
            "and not c.undeveloped)" % scale_lit(rng, "Probability", lv))
    viol = [(h.name,) for h in case.hazards
            if not (compare("<=", w.lik(h), LIKELIHOODS.index(lv)) or
                    any(w.mitigates(c, h) and not c.undeveloped for c in case.claims))]
    return text, ["h"], viol


@form(10)
def f_current_tests(rng, case, w):
    kind, d, cost = rng.choice(KINDS[:4]), rng.choice(RULE_DATES), rng.choice(COSTS)
    op = rng.choice(["<=", "<"])
    text = ("forall e in evidence where e.kind == %s: e.valid_until >= %s and e.cost %s %s"
            % (kind, d, op, cost))
    viol = [(e.name,) for e in case.evidence
            if e.kind == kind and not (compare(">=", w.valid_until(e), date(d)) and
                                       compare(op, w.cost(e), Fraction(cost)))]
    return text, ["e"], viol


@form(6)
def f_count_arithmetic(rng, case, w):
    """A count whose filter is arithmetic: the solver sums ite(filter, 1, 0) per claim."""
    d, k = rng.choice(RULE_DATES), rng.randint(1, 3)
    cost, op = rng.choice(COSTS), rng.choice(OPS)
    text = ("forall c in claims: count(e in evidence where under(e, c) and e.valid_until >= %s "
            "and e.cost %s %s) >= %d" % (d, op, cost, k))
    viol = []
    for c in case.claims:
        n = sum(1 for e in case.evidence
                if w.under(e.name, c.name) and compare(">=", w.valid_until(e), date(d))
                and compare(op, w.cost(e), Fraction(cost)))
        if n < k:
            viol.append((c.name,))
    return text, ["c"], viol


@form(5)
def f_cost_sum(rng, case, w):
    """Exact decimal sums and products of costs (2.5 + 7.5 is 10, not 9.999...)."""
    bound, op = rng.choice(COSTS), rng.choice(OPS)
    factor = rng.choice(["1", "0.1", "3", "2.5"])
    text = ("forall e in evidence where e.kind == test: forall f in evidence where "
            "e != f: e.cost + f.cost * %s %s %s" % (factor, op, bound))
    viol = []
    for e in case.evidence:
        if e.kind != "test":
            continue
        for f in case.evidence:
            if e.name == f.name:
                continue
            if not compare(op, w.cost(e) + w.cost(f) * Fraction(factor), Fraction(bound)):
                viol.append((e.name, f.name))
    return text, ["e", "f"], viol


@form(5)
def f_scope_evidence(rng, case, w):
    """Scopes: a claim reaching into a region rests on evidence measured there."""
    r = rng.choice(sorted(ODDS))
    text = ("forall c in claims where overlaps(c, %s): exists e in evidence where under(e, c): "
            "overlaps(e, %s)" % (r, r))
    viol = [(c.name,) for c in case.claims
            if w.overlaps(c.name, r) and
            not any(w.under(e.name, c.name) and w.overlaps(e.name, r) for e in case.evidence)]
    return text, ["c"], viol


@form(4)
def f_scope_count(rng, case, w):
    """A count over scopes, of claims within a region or evidence measured in it."""
    r, op, k = rng.choice(sorted(ODDS)), rng.choice(OPS), rng.randint(0, 4)
    if rng.random() < 0.5:
        text = "count(c in claims where within(c, %s)) %s %d" % (r, op, k)
        n = sum(1 for c in case.claims if w.within(c.name, r))
    else:
        text = "count(e in evidence where overlaps(e, %s)) %s %d" % (r, op, k)
        n = sum(1 for e in case.evidence if w.overlaps(e.name, r))
    return text, [], [] if compare(op, n, k) else [()]


@form(3)
def f_scope_within(rng, case, w):
    r = rng.choice(sorted(ODDS))
    text = "forall e in evidence where overlaps(e, %s): within(e, %s)" % (r, r)
    viol = [(e.name,) for e in case.evidence if w.overlaps(e.name, r) and not w.within(e.name, r)]
    return text, ["e"], viol


@form(8)
def f_independent_lines(rng, case, w):
    text = ("forall c in claims where (exists h in hazards: mitigates(c, h)): exists e in "
            "evidence where supports(e, c): exists f in evidence where supports(f, c): "
            "e != f and independent(e, f)")
    viol = []
    for c in case.claims:
        if not c.mitigates:
            continue
        evs = [e for e in case.evidence if w.supports(e.name, c.name)]
        if not any(e.name != f.name and w.independent(e, f) for e in evs for f in evs):
            viol.append((c.name,))
    return text, ["c"], viol


@form(6)
def f_pairwise_independent(rng, case, w):
    text = ("forall c in claims: forall e in evidence where supports(e, c): forall f in "
            "evidence where supports(f, c) and e != f: independent(e, f)")
    viol = [(c.name, e.name, f.name) for c in case.claims for e in case.evidence
            if w.supports(e.name, c.name) for f in case.evidence
            if w.supports(f.name, c.name) and e.name != f.name and not w.independent(e, f)]
    return text, ["c", "e", "f"], viol


@form(4)
def f_independence_symmetric(rng, case, w):
    if rng.random() < 0.5:
        text = "forall e in evidence: forall f in evidence where independent(e, f): " \
               "independent(f, e)"
        return text, ["e", "f"], []
    text = "forall e in evidence: not independent(e, e)"
    return text, ["e"], []


@form(8)
def f_reverse_mitigates(rng, case, w):
    s = rng.choice(SEVERITIES)
    kind = rng.choice(KINDS[:3])
    text = ("forall c in claims: forall h in hazards where mitigates(c, h): h.severity <= %s "
            "or count(e in evidence where under(e, c) and e.kind == %s) >= 1"
            % (scale_lit(rng, "Severity", s), kind))
    viol = [(c.name, h.name) for c in case.claims for h in case.hazards
            if w.mitigates(c, h) and not (
                compare("<=", w.sev(h), SEVERITIES.index(s)) or
                any(w.under(e.name, c.name) and e.kind == kind for e in case.evidence))]
    return text, ["c", "h"], viol


@form(6)
def f_whole_case(rng, case, w):
    variant = rng.choice(["count", "exists", "forall_inside"])
    if variant == "count":
        s, k = rng.choice(SEVERITIES), rng.randint(0, 8)
        text = "count(h in hazards where h.severity >= %s) <= %d" % (s, k)
        ok = sum(1 for h in case.hazards
                 if compare(">=", w.sev(h), SEVERITIES.index(s))) <= k
    elif variant == "exists":
        kind = rng.choice(KINDS)
        text = "exists e in evidence: e.kind == %s" % kind
        ok = any(e.kind == kind for e in case.evidence)
    else:
        # starts with `not`: the forall inside is not the outermost chain
        lv = rng.choice(LIKELIHOODS)
        text = "not (forall h in hazards: h.likelihood >= %s)" % scale_lit(rng, "Probability",
                                                                            lv)
        ok = not all(compare(">=", w.lik(h), LIKELIHOODS.index(lv)) for h in case.hazards)
    return text, [], [] if ok else [()]


@form(4)
def f_artifact_pairs(rng, case, w):
    text = "forall a in artifacts: exists b in artifacts: a != b"
    viol = [(a.name,) for a in case.artifacts] if len(case.artifacts) == 1 else []
    return text, ["a"], viol


@form(5)
def f_defeater_status(rng, case, w):
    variant = rng.choice(["not_open", "withdrawn", "set"])
    if variant == "not_open":
        text = "forall d in defeaters: d.status != open"
        viol = [(d.name,) for d in case.defeaters if d.status == "open"]
    elif variant == "withdrawn":
        text = "forall d in defeaters: d.status == withdrawn"
        viol = [(d.name,) for d in case.defeaters if d.status != "withdrawn"]
    else:
        text = "forall d in defeaters: d.status in {open, resolved}"
        viol = [(d.name,) for d in case.defeaters if d.status not in ("open", "resolved")]
    return text, ["d"], viol


@form(5)
def f_strategy_breadth(rng, case, w):
    k = rng.randint(1, 3)
    text = ("forall s in strategies: count(c in claims where supports(c, s)) + "
            "count(e in evidence where supports(e, s)) >= %d" % k)
    viol = [(s.name,) for s in case.strategies if len(w.sup[s.name]) < k]
    return text, ["s"], viol


@form(6)
def f_evidence_state(rng, case, w):
    variant = rng.choice(["current", "not_failed", "kind_set"])
    if variant == "current":
        text = "forall e in evidence: e.result == pass and e.valid_until >= %s" % RUN_DATE
        viol = [(e.name,) for e in case.evidence
                if not (e.result == "pass" and w.valid_until(e) >= date(RUN_DATE))]
    elif variant == "not_failed":
        text = "forall e in evidence where e.result != fail: e.result != pending"
        viol = [(e.name,) for e in case.evidence if e.result == "pending"]
    else:
        kinds = rng.sample(KINDS, rng.randint(1, 3))
        text = "forall e in evidence: e.kind in {%s}" % ", ".join(kinds)
        viol = [(e.name,) for e in case.evidence if e.kind not in kinds]
    return text, ["e"], viol


@form(6)
def f_evidence_facts(rng, case, w):
    """What evidence rests on (artifact_count, pinned_count) and when it was produced (date:
    undated evidence counts as produced on 0001-01-01)."""
    variant = rng.choice(["pinned", "all_pinned", "fresh", "dated", "count", "mixed"])
    d, op, k = rng.choice(FACT_DATES), rng.choice(OPS), rng.randint(0, 2)
    if variant == "pinned":
        text = "forall e in evidence: e.pinned_count %s %d" % (op, k)
        viol = [(e.name,) for e in case.evidence if not compare(op, w.pinned_count(e), k)]
    elif variant == "all_pinned":
        text = "forall e in evidence where e.artifact_count >= 1: e.pinned_count == " \
               "e.artifact_count"
        viol = [(e.name,) for e in case.evidence
                if w.artifact_count(e) >= 1 and w.pinned_count(e) != w.artifact_count(e)]
    elif variant == "fresh":
        text = "forall e in evidence: e.date %s %s" % (op, d)
        viol = [(e.name,) for e in case.evidence if not compare(op, w.date(e), date(d))]
    elif variant == "dated":
        text = "forall e in evidence where e.kind == test: e.date > 0001-01-01"
        viol = [(e.name,) for e in case.evidence if e.kind == "test" and e.date is None]
    elif variant == "count":
        # an arithmetic filter: the solver sums ite(filter, 1, 0) per claim
        text = ("forall c in claims: count(e in evidence where under(e, c) and e.date >= %s and "
                "e.pinned_count >= 1) %s %d" % (d, op, k))
        viol = [(c.name,) for c in case.claims if not compare(op, sum(
            1 for e in case.evidence if w.under(e.name, c.name) and
            compare(">=", w.date(e), date(d)) and w.pinned_count(e) >= 1), k)]
    else:
        text = ("forall e in evidence: e.date %s %s or e.artifact_count + e.pinned_count > %d"
                % (op, d, k))
        viol = [(e.name,) for e in case.evidence if not (
            compare(op, w.date(e), date(d)) or w.artifact_count(e) + w.pinned_count(e) > k)]
    return text, ["c" if variant == "count" else "e"], viol


@form(4)
def f_missing_negated(rng, case, w):
    """`not in` and `not (... in ...)` on attributes an element may lack (kind, ratings)."""
    explicit = rng.random() < 0.5
    if rng.random() < 0.5:
        var, coll, attr = "e", "evidence", "kind"
        values = rng.sample(KINDS, rng.randint(1, 3))
        elems = [(e.name, e.kind) for e in case.evidence]
    else:
        var, coll, attr = "h", "hazards", rng.choice(["severity", "likelihood"])
        values = rng.sample(SEVERITIES if attr == "severity" else LIKELIHOODS, 2)
        elems = [(h.name, getattr(h, attr)) for h in case.hazards]
    values_text = ", ".join(scale_lit(rng, "Severity" if attr == "severity" else "Probability", v)
                            if var == "h" else v for v in values)
    if explicit:
        # `in` is false for a missing attribute, so its explicit negation holds
        text = "forall %s in %s: not (%s.%s in {%s})" % (var, coll, var, attr, values_text)
        viol = [(n,) for n, v in elems if v is not None and v in values]
    else:
        # `not in` is a comparison: false for a missing attribute, like `!=`
        text = "forall %s in %s: %s.%s not in {%s}" % (var, coll, var, attr, values_text)
        viol = [(n,) for n, v in elems if v is None or v in values]
    return text, [var], viol


@form(6)
def f_developed_tests(rng, case, w):
    kinds = rng.sample(KINDS, 2)
    text = ("forall c in claims where not c.undeveloped: exists e in evidence where "
            "under(e, c): e.kind in {%s}" % ", ".join(kinds))
    viol = [(c.name,) for c in case.claims if not c.undeveloped and not any(
        w.under(e.name, c.name) and e.kind in kinds for e in case.evidence)]
    return text, ["c"], viol


@form(5)
def f_arithmetic(rng, case, w):
    variant = rng.choice(["double", "implies", "neg", "div"])
    if variant == "double":
        c = rng.choice(COSTS)
        text = "forall e in evidence where e.kind != test: e.cost * 2 <= %s" % c
        viol = [(e.name,) for e in case.evidence
                if e.kind is not None and e.kind != "test" and not w.cost(e) * 2 <= Fraction(c)]
    elif variant == "neg":
        c = rng.choice(COSTS)
        text = "forall e in evidence: -e.cost >= -%s" % c
        viol = [(e.name,) for e in case.evidence if not -w.cost(e) >= -Fraction(c)]
    elif variant == "div":
        c = rng.choice(COSTS)
        text = "forall e in evidence: e.cost / 2 < %s - 1" % c
        viol = [(e.name,) for e in case.evidence if not w.cost(e) / 2 < Fraction(c) - 1]
    else:
        k = rng.randint(1, 3)
        text = ("forall h in hazards: h.severity == catastrophic implies "
                "count(c in claims where mitigates(c, h)) >= %d" % k)
        viol = [(h.name,) for h in case.hazards if h.severity == "catastrophic" and
                sum(1 for c in case.claims if w.mitigates(c, h)) < k]
    return text, ["e" if variant != "implies" else "h"], viol


@form(5)
def f_under_strategy(rng, case, w):
    kind = rng.choice(KINDS[:4])
    text = "forall s in strategies: exists e in evidence where under(e, s): e.kind != %s" % kind
    viol = [(s.name,) for s in case.strategies if not any(
        w.under(e.name, s.name) and e.kind is not None and e.kind != kind
        for e in case.evidence)]
    return text, ["s"], viol


@form(5)
def f_evidence_used(rng, case, w):
    text = ("forall e in evidence: count(c in claims where supports(e, c)) + "
            "count(s in strategies where supports(e, s)) >= 1")
    viol = [(e.name,) for e in case.evidence if not w.users[e.name]]
    return text, ["e"], viol


@form(5)
def f_tested_hazards(rng, case, w):
    s = rng.choice(SEVERITIES)
    kind = rng.choice(KINDS[:3])
    text = ("forall h in hazards where h.severity >= %s: exists e in evidence: exists c in "
            "claims where mitigates(c, h): under(e, c) and e.kind == %s" % (s, kind))
    viol = [(h.name,) for h in case.hazards
            if compare(">=", w.sev(h), SEVERITIES.index(s)) and not any(
                w.mitigates(c, h) and w.under(e.name, c.name) and e.kind == kind
                for e in case.evidence for c in case.claims)]
    return text, ["h"], viol


@form(3)
def f_filter_only_var(rng, case, w):
    """An outer variable used only in its own filter, or not at all, in the rest."""
    variant = rng.choice(["filter", "unused"])
    if variant == "filter":
        s = rng.choice(SEVERITIES)
        text = ("forall h in hazards where h.severity >= %s: count(c in claims where "
                "c.undeveloped) == 0" % s)
        bad = any(c.undeveloped for c in case.claims)
        viol = [(h.name,) for h in case.hazards
                if bad and compare(">=", w.sev(h), SEVERITIES.index(s))]
        return text, ["h"], viol
    k = rng.randint(1, 4)
    text = "forall a in artifacts: count(e in evidence where e.kind == review) >= %d" % k
    bad = sum(1 for e in case.evidence if e.kind == "review") < k
    return text, ["a"], [(a.name,) for a in case.artifacts] if bad else []


@form(2)
def f_shadowed(rng, case, w):
    lv = rng.choice(LIKELIHOODS)
    text = ("forall h in hazards: forall h in hazards where h.likelihood >= %s: "
            "h.severity != catastrophic" % scale_lit(rng, "Probability", lv))
    inner = [h.name for h in case.hazards
             if compare(">=", w.lik(h), LIKELIHOODS.index(lv)) and
             not compare("!=", w.sev(h), SEVERITIES.index("catastrophic"))]
    return text, ["h", "h"], [(o.name, i) for o in case.hazards for i in inner]


FORM_NAMES = [f[0] for f in FORMS]


# ---------------------------------------------------------------------------- generation
def generate(seed, index, forms):
    rng = random.Random("assure-rules:%d:%d" % (seed, index))
    case = Case()
    dirty = case.dirty = rng.random() < 0.25

    # artifacts
    for i in range(rng.choice([0, 0, 1, 2, 3, 4, 6])):
        content = ("artifact %d of rules case %d/%d\n" % (i, seed, index)).encode()
        sha = hashlib.sha256(content).hexdigest()
        a = Artifact("A%d" % i, "files/a%d.txt" % i, content, sha)
        if dirty and rng.random() < 0.1:
            a.sha = hashlib.sha256(content + b"x").hexdigest()
        elif dirty and rng.random() < 0.05:
            a.write = False
        case.artifacts.append(a)
    anames = [a.name for a in case.artifacts]

    # evidence
    n_ev = rng.randint(1, 20)
    enames = ["E%d" % i for i in range(n_ev)]
    for name in enames:
        e = Evidence(name)
        e.kind = None if rng.random() < 0.15 else rng.choice(KINDS)
        if anames and rng.random() < 0.6:
            e.artifacts = rng.sample(anames, rng.randint(1, min(2, len(anames))))
        if dirty:
            e.result = weighted(rng, [("pass", 70), ("fail", 15), ("pending", 15)])
        if rng.random() < 0.7:
            dates = CLEAN_DATES + (EXPIRED_DATES if dirty else [])
            e.valid_until = rng.choice(dates)
        if rng.random() < 0.75:
            e.cost = rng.choice(COSTS)
        if rng.random() < 0.75:
            e.producer = rng.choice(PEOPLE)
        if rng.random() < 0.7:
            e.approved_by = rng.choice(PEOPLE)
        if n_ev > 1 and rng.random() < 0.2:
            e.independent_of = rng.sample([x for x in enames if x != name],
                                          min(n_ev - 1, rng.randint(1, 2)))
        case.evidence.append(e)

    # claims: leaves (on evidence), middles (on leaves and earlier middles), tops; a claim
    # rests only on claims generated before it, so there is no cycle.
    used = set()
    leaves = []
    for i in range(rng.randint(1, 10)):
        c = Claim("L%d" % i)
        if dirty and rng.random() < 0.15:
            c.undeveloped = True
        else:
            c.supported_by = rng.sample(enames, rng.randint(1, min(3, n_ev)))
            used |= set(c.supported_by)
        leaves.append(c)
    developed = [c for c in leaves if not c.undeveloped]
    if developed and rng.random() < 0.7:            # every piece of evidence used
        for name in enames:
            if name not in used:
                rng.choice(developed).supported_by.append(name)
                used.add(name)
    middles = []
    for i in range(rng.choice([0, 0, 1, 2, 3, 4])):
        below = [c.name for c in leaves + middles]
        c = Claim("M%d" % i, supported_by=rng.sample(below, rng.randint(1, min(3, len(below)))))
        if rng.random() < 0.3:
            c.supported_by.append(rng.choice(enames))
        middles.append(c)
    tops = []
    for i in range(weighted(rng, [(1, 70), (2, 20), (3, 10)])):
        below = [c.name for c in leaves + middles]
        tops.append(Claim("G%d" % i,
                          supported_by=rng.sample(below, rng.randint(1, min(4, len(below))))))
    lower = leaves + middles
    relied = {n for c in lower + tops for n in c.supported_by}
    for c in lower:
        if c.name not in relied and rng.random() < 0.95:
            rng.choice(tops).supported_by.append(c.name)
    case.claims = leaves + middles + tops
    for c in case.claims:                        # no name twice
        c.supported_by = list(dict.fromkeys(c.supported_by))

    # strategies, for middles and tops, over claims generated before their parent
    level = {c.name: i for i, c in enumerate(case.claims)}
    for i in range(rng.choice([0, 0, 0, 1, 2, 3])):
        parent = rng.choice(middles + tops)
        below = [c.name for c in case.claims[:level[parent.name]]] + enames
        sb = rng.sample(below, rng.randint(1, min(3, len(below))))
        mode = rng.choice(["all_of", ""])
        if dirty and rng.random() < 0.4:
            mode = rng.choice(["any_of", "at_least 1"])
        case.strategies.append(Strategy("S%d" % i, parent.name, sb, mode))

    # defeaters: undermine evidence, rebut claims, undercut strategies, defeat defeaters;
    # resolved by evidence that no defeater undermines (or by a claim made for the purpose),
    # so that no defeater depends on itself
    n_def = rng.choice([0, 0, 0, 1, 2, 3])
    resolvers = set(rng.sample(enames, max(1, n_ev // 3)))
    underminable = [x for x in enames if x not in resolvers]
    resolver_claim = None
    for i in range(n_def):
        options = [("rebuts", c.name) for c in case.claims]
        options += [("undermines", x) for x in underminable]
        options += [("undercuts", s.name) for s in case.strategies]
        options += [("defeats", d.name) for d in case.defeaters]
        relation, target = rng.choice(options)
        statuses = [("withdrawn", 50), ("resolved", 50)] + ([("open", 40)] if dirty else [])
        d = Defeater("D%d" % i, relation, target, weighted(rng, statuses))
        if d.status == "resolved" or rng.random() < 0.2:
            if rng.random() < 0.3:
                if resolver_claim is None:
                    resolver_claim = Claim("R_claim", supported_by=[rng.choice(sorted(resolvers))])
                d.resolved_by = [resolver_claim.name]
            else:
                d.resolved_by = [rng.choice(sorted(resolvers))]
        case.defeaters.append(d)
    if resolver_claim is not None:
        case.claims.append(resolver_claim)

    # hazards, and the claims that mitigate them
    for i in range(rng.randint(1, 40)):
        h = Hazard("H%d" % i)
        rating = weighted(rng, [("both", 75), ("none", 15), ("severity", 5), ("likelihood", 5)])
        if rating in ("both", "severity"):
            h.severity = rng.choice(SEVERITIES)
        if rating in ("both", "likelihood"):
            h.likelihood = rng.choice(LIKELIHOODS)
        h.matrix = rng.random() < 0.8
        if not dirty and h.severity and h.likelihood and \
                LEVELS.index(risk_level(h.severity, h.likelihood)) > LEVELS.index(ACCEPT):
            h.matrix = False      # on the matrix, its risk would not be acceptable
        h.qualified = rng.random() < 0.15
        case.hazards.append(h)
        if rng.random() < 0.8:
            for c in rng.sample(case.claims, rng.randint(1, min(2, len(case.claims)))):
                c.mitigates.append(h.name)

    # scopes of claims and metric regions of evidence, from their own random stream
    srng = random.Random("assure-rules-scopes:%d:%d" % (seed, index))
    for c in case.claims:
        if srng.random() < 0.5:
            lo, hi = sorted(srng.sample(CUTS, 2))
            c.scope = (lo, hi)
    for e in case.evidence:
        for _ in range(weighted(srng, [(0, 50), (1, 35), (2, 15)])):
            lo, hi = sorted(srng.sample(CUTS, 2))
            e.regions.append((lo, hi))

    # dates of evidence and artifacts without a recorded sha256, from their own random stream
    frng = random.Random("assure-rules-facts:%d:%d" % (seed, index))
    for a in case.artifacts:
        if dirty and frng.random() < 0.15:
            a.sha = None
    for e in case.evidence:
        if frng.random() < 0.6:
            e.date = frng.choice(PAST_DATES + (FUTURE_DATES if dirty else []))
            if e.valid_until and date(e.valid_until) < date(e.date):
                e.date = None   # valid on no day (W0106): not what these cases are about

    # declaration order: shuffled, rules included
    names = [x.name for xs in (case.artifacts, case.evidence, case.hazards, case.claims,
                               case.strategies, case.defeaters) for x in xs]
    case.index()
    world = World(case)
    table = [(n, wt, fn) for n, wt, fn in FORMS if n in forms]
    for i in range(weighted(rng, [(1, 70), (2, 20), (3, 10)])):
        fname, _, fn = table[weighted(rng, [(k, wt) for k, (_, wt, _) in enumerate(table)])]
        text, vars_, viol = fn(rng, case, world)
        case.rules.append(Rule("R%d" % i, fname, text, vars_, viol))
    names += [r.name for r in case.rules]
    rng.shuffle(names)
    case.order = names
    case.index()
    return case, world


# ---------------------------------------------------------------------------- checking
def q(name):
    return MODULE + "." + name


def violation_text(case, rule, names):
    return ", ".join("%s = %s" % (v, q(n)) for v, n in zip(rule.vars, names))


def expected_answer(case, world):
    """-> {rule name: [(names, fails set)]}, {top: [rule names whose violations fail it]}"""
    per_rule, per_top = {}, {t: [] for t in world.tops}
    for r in case.rules:
        per_rule[r.name] = [(v, world.fails(v)) for v in r.violations]
        for t in world.tops:
            if any(t in f for _, f in per_rule[r.name]):
                per_top[t].append(r.name)
    return per_rule, per_top


def check(case, world, rc, out, base, text_out, notes, other_rc=None):
    """-> list of problems (empty: agreement). `base`: (exit code, JSON or None) of the run
    without rules; `text_out`: the text report or None; `notes` gets what is worth counting.
    `other_rc`: with a distractor case loaded in the same run, its exit code when proved alone
    (then only this case's rules, claims and top claims are read; every reason and binding
    they carry must still be this case's own)."""
    problems = []
    try:
        doc = json.loads(out)
    except ValueError as ex:
        return ["assure's output is not JSON (%s); exit %s" % (ex, rc)]
    per_rule, per_top = expected_answer(case, world)

    # ---- rules
    rules = doc.get("rules")
    if not isinstance(rules, list):
        return ["no `rules` array in assure's JSON"]
    if other_rc is not None:
        # The distractor's rules are its own business; this case's must be exactly as alone.
        rules = [x for x in rules if str(x.get("name", "")).startswith(MODULE + ".")]
    got_rules = {x.get("name"): x for x in rules}
    if sorted(got_rules) != sorted(q(r.name) for r in case.rules) or \
            len(rules) != len(case.rules):
        problems.append("rules: assure %s, expected %s" % (
            [x.get("name") for x in rules], [q(r.name) for r in case.rules]))
    for r in case.rules:
        x = got_rules.get(q(r.name))
        if x is None:
            continue
        want = per_rule[r.name]
        line, col = case.lines[r.name]
        if x.get("location") != {"file": "case.assure", "line": line, "column": col}:
            problems.append("%s: location %s, declared at line %d column %d"
                            % (r.name, x.get("location"), line, col))
        if x.get("title") != "Rule %s (%s)" % (r.name, r.form):
            problems.append("%s: title %r" % (r.name, x.get("title")))
        if x.get("holds") is not (not want):
            problems.append("%s: holds=%s, expected %s" % (r.name, x.get("holds"), not want))
        got = []
        for v in x.get("violations", []):
            names = []
            for i, b in enumerate(v.get("bindings", [])):
                el = b.get("element", "")
                n = el[len(MODULE) + 1:] if el.startswith(MODULE + ".") else el
                names.append(n)
                if n not in case.by:
                    problems.append("%s: binding names unknown element %r" % (r.name, el))
                    continue
                var = r.vars[i] if i < len(r.vars) else None
                if b.get("var") != var:
                    problems.append("%s: violation %s binds %s as var %r, expected %r"
                                    % (r.name, names, el, b.get("var"), var))
                if b.get("kind") != case.kind(n):
                    problems.append("%s: %s has kind %r, expected %r"
                                    % (r.name, el, b.get("kind"), case.kind(n)))
                line, col = case.lines[n]
                if b.get("location") != {"file": "case.assure", "line": line, "column": col}:
                    problems.append("%s: %s location %s, declared at line %d column %d"
                                    % (r.name, el, b.get("location"), line, col))
            got.append((tuple(names), v.get("fails")))
        want_names = collections.Counter(v for v, _ in want)
        got_names = collections.Counter(v for v, _ in got)
        if want_names != got_names:
            missing = sorted((want_names - got_names).elements())
            extra = sorted((got_names - want_names).elements())
            problems.append("%s: violations differ: missing %s, unexpected %s (expected %d, "
                            "assure %d)" % (r.name, missing, extra, len(want), len(got)))
        want_fails = {v: f for v, f in want}
        for names, fails in got:
            if names in want_fails:
                exp = sorted(q(t) for t in want_fails[names])
                if not isinstance(fails, list) or sorted(fails) != exp or \
                        len(set(fails)) != len(fails):
                    problems.append("%s: violation %s fails %s, expected %s"
                                    % (r.name, list(names), fails, exp))

    # ---- top claims: rule_violated reasons, verdicts, exit code
    mine = (lambda n: str(n).startswith(MODULE + ".")) if other_rc is not None else \
        (lambda n: True)
    claims = {c.get("name"): c for c in doc.get("claims", []) if mine(c.get("name"))}
    tops_doc = {t.get("name"): t for t in doc.get("top_claims", []) if mine(t.get("name"))}
    if sorted(tops_doc) != sorted(q(t) for t in world.tops):
        problems.append("top claims: assure %s, expected %s"
                        % (sorted(tops_doc), sorted(q(t) for t in world.tops)))
    brc, bdoc = base
    if bdoc is None:
        problems.append("the run without rules did not give JSON (exit %s)" % brc)
        return problems
    base_verdicts = {c.get("name"): c.get("verdict") for c in bdoc.get("claims", [])}
    if not case.dirty:
        # The generator meant every claim to be supported without rules. Not a failure of
        # the rules (the verdicts are assure's, tested elsewhere), but counted and shown.
        for c in bdoc.get("claims", []):
            if c.get("verdict") != "supported":
                notes.setdefault("unclean", []).append(
                    "%s %s (%s)" % (c.get("name"), c.get("verdict"), ", ".join(
                        sorted({r.get("kind", "?") for r in c.get("reasons", [])}))))
    top_verdicts = []
    for c in case.claims:
        x = claims.get(q(c.name))
        if x is None:
            problems.append("claim %s is missing from assure's JSON" % c.name)
            continue
        is_top = c.name in world.tops
        if x.get("top") is not is_top:
            problems.append("claim %s: top=%s, expected %s" % (c.name, x.get("top"), is_top))
        reasons = [r for r in x.get("reasons", []) if r.get("kind") == "rule_violated"]
        want_rules = per_top.get(c.name, [])
        got_rules = [r.get("element") for r in reasons]
        if sorted(got_rules) != sorted(q(n) for n in want_rules):
            problems.append("claim %s: rule_violated reasons for %s, expected %s"
                            % (c.name, got_rules, [q(n) for n in want_rules]))
        for reason in reasons:
            rname = reason.get("element", "")[len(MODULE) + 1:]
            rule = case.by.get(rname, (None, None))[1]
            if rule is None or rname not in want_rules:
                continue
            mine = [v for v, f in per_rule[rname] if c.name in f]
            msg = "rule %s " % q(rname)
            if not mine[0]:
                msg += "does not hold"
                ok = reason.get("message") == msg
            else:
                # the first three violations, in assure's order (checked as a set above)
                shown = re.findall(r"(?:by |; by )(.*?)(?=; by |$| \(and \d+ more\))",
                                   reason.get("message", "")[len(msg + "is violated "):])
                ok = reason.get("message", "").startswith(msg + "is violated by ") and \
                    len(shown) == min(3, len(mine)) and \
                    all(s in {violation_text(case, rule, v) for v in mine} for s in shown)
                if len(mine) > 3:
                    ok = ok and reason.get("message", "").endswith("(and %d more)"
                                                                   % (len(mine) - 3))
            if not ok:
                problems.append("claim %s: reason message %r does not name %s"
                                % (c.name, reason.get("message"),
                                   [violation_text(case, rule, v) for v in mine]))
        if is_top:
            rc_kinds = [r.get("kind") for r in tops_doc.get(q(c.name), {}).get("root_causes", [])]
            if ("rule_violated" in rc_kinds) != bool(want_rules):
                problems.append("top claim %s: root causes %s, rule violated: %s"
                                % (c.name, rc_kinds, bool(want_rules)))
        # a rule only fails the top claims its violations name; everything else keeps its
        # verdict of the run without rules
        expect = "unsupported" if is_top and want_rules else base_verdicts.get(q(c.name))
        if x.get("verdict") != expect:
            problems.append("claim %s: verdict %s, expected %s%s"
                            % (c.name, x.get("verdict"), expect,
                               " (rules %s)" % want_rules if want_rules else ""))
        if is_top:
            top_verdicts.append(expect)
    want_rc = 5 if {"unsupported", "undeveloped"} & set(top_verdicts) else \
        3 if "unknown" in top_verdicts else 0
    if other_rc is not None:
        # proved together, the worst of the two cases' answers
        want_rc = max(want_rc, other_rc, key=lambda c: {0: 0, 3: 1, 5: 2}.get(c, 3))
    if rc != want_rc:
        problems.append("exit code %s, expected %s" % (rc, want_rc))
    if doc.get("exit_code") != rc:
        problems.append("exit_code field %s but exit %s" % (doc.get("exit_code"), rc))

    # ---- the text report
    if text_out is not None:
        holding = sum(1 for r in case.rules if not per_rule[r.name])
        if len(case.rules) == 1:
            head = "rules: the one rule " + ("holds" if holding == 1 else "does not hold")
        else:
            head = "rules: %d of %d hold" % (holding, len(case.rules))
        if head not in text_out.splitlines():
            problems.append("text report lacks %r" % head)
        for r in case.rules:
            word = "holds     " if not per_rule[r.name] else "violated  "
            line = "  %s%s  Rule %s (%s)  (case.assure:%d:%d)" % (
                word, q(r.name), r.name, r.form, *case.lines[r.name])
            if line not in text_out.splitlines():
                problems.append("text report lacks %r" % line)
    return problems


def expected_text(case, world):
    per_rule, per_top = expected_answer(case, world)
    lines = ["--- expected (%s case; top claims %s)" % ("dirty" if case.dirty else "clean",
                                                     world.tops)]
    for r in case.rules:
        vs = per_rule[r.name]
        lines.append("%s [%s] %s: %s" % (r.name, r.form, "holds" if not vs else
                                         "%d violations" % len(vs), r.text))
        for v, f in vs:
            lines.append("    %s; fails %s" % (violation_text(case, r, v) or "(no elements)",
                                               sorted(f)))
    lines.append("rule_violated reasons: %s" % {t: rs for t, rs in per_top.items()})
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- running
def run(args, env, argv, cwd):
    for attempt in range(30):     # the binary may be relinked under us by a concurrent build
        try:
            proc = subprocess.run([args.assure] + argv, cwd=cwd, env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=args.timeout)
            return proc.returncode, proc.stdout, proc.stderr
        except OSError:
            if attempt == 29:
                raise
            time.sleep(2)
    raise AssertionError("unreachable")


def one(args, env, index, tmproot):
    folder = os.path.join(tmproot, "case%d" % index)
    try:
        case, world = generate(args.seed, index, args.forms)
        write_case(case, folder)
        common = ["--at", RUN_DATE]
        files, other_rc = ["case.assure"], None
        if index % 3 == 2:
            # A distractor: another random case, unrelated but for std.risk, proved in the same
            # run (before or after this one). A rule ranges over its own case only
            # (docs/semantics.md, "Rules"), so neither may change the other's answers.
            other, _ = generate(args.seed + DISTRACTOR_SEED, index, args.forms)
            write_case(other, os.path.join(folder, "other"), module=DISTRACTOR_MODULE)
            files = ["case.assure", "other/case.assure"][::1 if index % 2 else -1]
            other_rc, _, _ = run(args, env, ["prove", "other/case.assure", "--format", "json"]
                                 + common, folder)
        rc, out, err = run(args, env, ["prove"] + files + ["--format", "json"] + common,
                           folder)
        brc, bout, _ = run(args, env, ["prove", "norules.assure", "--format", "json"] + common,
                           folder)
        try:
            base = (brc, json.loads(bout))
        except ValueError:
            base = (brc, None)
        text_out = None
        if index % 5 == 0 or args.show:
            _, text_out, _ = run(args, env, ["prove", "case.assure"] + common, folder)
        notes = {}
        problems = check(case, world, rc, out, base, text_out, notes, other_rc)
        nviol = sum(len(r.violations) for r in case.rules)
        stats = {"dirty": int(case.dirty), "rules": len(case.rules),
                 "violated": sum(1 for r in case.rules if r.violations),
                 "violations": nviol, "exit5": int(rc == 5),
                 "exit0": int(rc == 0), "unclean": int("unclean" in notes),
                 "tops>1": int(len(world.tops) > 1), "distractor": int(other_rc is not None)}
        for r in case.rules:
            stats["form:" + r.form] = 1 + stats.get("form:" + r.form, 0)
        head = ("=== MISMATCH" if problems else "===") + \
            " seed %d index %d, forms %s (reproduce: run_rules_property.py --assure BIN " \
            "--seed %d --index %d --show)\n" % (args.seed, index, ",".join(
                r.form for r in case.rules), args.seed, index)
        if other_rc is not None:
            head += "  (proved as: assure prove %s; the distractor alone exits %s)\n" % (
                " ".join(files), other_rc)
        short = head + "".join("  %s\n" % p for p in problems)
        full = short
        if problems or args.show:
            with open(os.path.join(folder, "case.assure"), encoding="utf-8") as f:
                full += "--- case.assure\n" + f.read()
            full += expected_text(case, world)
            if notes.get("unclean"):
                full += "(clean case, but without rules not every claim is supported: %s)\n" \
                    % "; ".join(notes["unclean"])
            full += "--- assure (exit %s)\n%s" % (rc, out)
            if err.strip():
                full += "--- assure stderr\n" + err
            if text_out is not None and args.show:
                full += "--- assure text report\n" + text_out
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--assure", help="the assure binary")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--ci-count", type=int, metavar="N",
                    help="run N cases instead of --count unless ASSURE_TEST_SIZE=full")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--index", type=int, help="run only this case index")
    ap.add_argument("--show", action="store_true",
                    help="print the case, the expected answer and assure's answers")
    ap.add_argument("--keep", metavar="DIR", help="keep every case's folder under DIR")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--timeout", type=float, default=60, help="seconds per assure run")
    ap.add_argument("--root", default=DEFAULT_ROOT, help="repository root (for the stdlib)")
    ap.add_argument("--forms", default=",".join(FORM_NAMES),
                    help="comma-separated rule forms to draw from (default: all)")
    ap.add_argument("--list-forms", action="store_true")
    ap.add_argument("--max-report", type=int, default=3,
                    help="mismatches printed in full (the others are listed)")
    args = ap.parse_args()
    if args.list_forms:
        for n, wt, fn in FORMS:
            print("%-26s weight %2d  %s" % (n, wt, (fn.__doc__ or "").strip()))
        return 0
    if not args.assure:
        ap.error("--assure is required")
    args.forms = [f for f in args.forms.split(",") if f]
    unknown = [f for f in args.forms if f not in FORM_NAMES]
    if unknown or not args.forms:
        ap.error("unknown forms %s (see --list-forms)" % unknown)
    args.assure = os.path.abspath(args.assure)
    env = dict(os.environ, ASSURE_STDLIB=os.path.join(os.path.abspath(args.root), "stdlib"))

    count, size = effective_count(args)
    indices = [args.index] if args.index is not None else list(range(count))
    if args.keep:
        tmproot = os.path.abspath(args.keep)
        os.makedirs(tmproot, exist_ok=True)
    else:
        tmproot = tempfile.mkdtemp(prefix="assure-rules-property-")
    start = time.monotonic()
    failures, totals = [], collections.Counter()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(one, args, env, i, tmproot) for i in indices]
            for fut in futures:
                index, problems, short, full, stats = fut.result()
                totals.update(stats)
                if args.show or (problems and len(failures) < args.max_report):
                    print(full, end="", flush=True)
                elif problems:
                    print(short, end="", flush=True)
                if problems:
                    failures.append(index)
    finally:
        if not args.keep:
            shutil.rmtree(tmproot, ignore_errors=True)
    n = len(indices)
    forms = ", ".join("%s %d" % (k[5:], v) for k, v in sorted(totals.items())
                      if k.startswith("form:"))
    print("cases: %d clean (%d of them not fully supported without rules), %d dirty, %d with "
          "several top claims, %d beside a distractor case; %d rules (%d violated, %d "
          "violations); exit 0 in %d, 5 in %d\n"
          "forms: %s"
          % (n - totals["dirty"], totals["unclean"], totals["dirty"], totals["tops>1"],
             totals["distractor"],
             totals["rules"], totals["violated"], totals["violations"], totals["exit0"],
             totals["exit5"], forms))
    if failures:
        print("failing indices: " + " ".join(map(str, failures[:50]))
              + (" ..." if len(failures) > 50 else ""))
    print("%d cases compared in %.1f s (seed %d, %s); %d failed"
          % (n, time.monotonic() - start, args.seed, size, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
