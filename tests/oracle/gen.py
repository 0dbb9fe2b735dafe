# SPDX-License-Identifier: Apache-2.0
"""A seeded generator of small random assurance cases, as model.Case objects.

    case = generate(random.Random(...))
    text = model.case_text(case)

Cases are built bottom-up, so every element only rests on elements built before it: the
argument is acyclic, and a defeater's resolution never depends on what the defeater
attacks (no E0401, E0402, E0405). They respect the structural rules of `assure check`
(docs/language.md): cover/partition only in the all_of mode and under a scoped parent,
at_least N within 1..number of supporters, constants within the variables' bounds, every
required metric measured somewhere, every claim supported or undeveloped.
"""
import hashlib
import random

from model import (Artifact, Assumption, Case, Claim, Context, Defeater, Domain, Evidence,
                   Metric, Odd, Region, Requirement, Strategy, Var)

MAX_DEPTH = 3
MAX_CLAIMS = 12
VALUES = ["0.8", "0.9", "0.95", "1", "2", "-0.5"]
METRICS = ["recall", "latency"]
REL_OPS = [(">=", 35), ("<=", 20), (">", 15), ("<", 10), ("==", 10), ("!=", 10)]

INT_VARS = ["n", "k", "lanes"]
ENUMS = [("light", ["day", "dusk", "night"]), ("surface", ["dry", "wet", "icy"])]
BOOLS = ["fog", "rain"]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.uniform(0, total)
    for x, w in pairs:
        r -= w
        if r <= 0:
            return x
    return pairs[-1][0]


def satisfies(value, op, thr):
    from fractions import Fraction
    a, b = Fraction(value), Fraction(thr)
    return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b,
            ">=": a >= b}[op]


SPELLINGS = {"0.8": ["8e-1", "0.80", "80E-2"], "0.9": ["9e-1", "0.900", "90e-2"],
             "0.95": ["9.5e-1", "95E-2", "0.950"], "1": ["1.0", "1e0", "10e-1"],
             "2": ["2.0", "2E+0", "0.2e1"], "-0.5": ["-5e-1", "-0.50", "-50E-2"]}


class Gen:
    # The mix of cases, as class attributes so that a subclass can shift it (the impact test,
    # run_impact_oracle.py, wants more alternatives). Changing these values changes the cases.
    BADNESS = [0.2, 1.0, 1.0]          # one is drawn per case; see bad()
    STRATEGY_KINDS = [("all_of", 20), ("any_of", 15), ("at_least", 15), ("deductive", 15)]
    # under a metric requirement: alternatives may hide invalid evidence
    STRATEGY_KINDS_REQUIRED = [("all_of", 15), ("any_of", 30), ("at_least", 25),
                               ("deductive", 10)]
    SPLIT_KINDS = [("cover", 18), ("partition", 18)]     # only when the case has a domain

    def __init__(self, rng):
        self.rng = rng
        self.case = Case()
        self.counters = {}
        self.created = []          # declaration names in creation order
        self.pool_claims = []      # completed claims (may be supporters / resolvers)
        self.pool_evidence = []
        self.badness = rng.choice(self.BADNESS)

    # ------------------------------------------------------------------ helpers
    def new_name(self, prefix):
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]}"

    def chance(self, p):
        return self.rng.random() < p

    def spell(self, value):
        """The number, sometimes spelt another way (an exponent, trailing zeros)."""
        return self.rng.choice(SPELLINGS[value]) if self.chance(0.15) else value

    def bad(self, p):
        """A chance of something that makes part of the argument fail, scaled per case: in
        "healthy" cases few things fail, so that the logical steps decide the verdicts."""
        return self.rng.random() < p * self.badness

    # ------------------------------------------------------------------ domain
    def make_domain(self):
        rng = self.rng
        kinds = rng.choice([["int", "enum"], ["int", "bool"], ["enum", "bool"],
                            ["int", "enum", "bool"], ["int", "int", "enum"],
                            ["int", "int"], ["enum", "bool", "bool"], ["int", "enum", "bool"]])
        ints, enums, bools = list(INT_VARS), list(ENUMS), list(BOOLS)
        rng.shuffle(ints)
        rng.shuffle(enums)
        rng.shuffle(bools)
        vs = []
        for k in kinds:
            if k == "int":
                lo = rng.choice([0, 0, 0, 1, -2])
                vs.append(Var(ints.pop(), "int", lo=lo, hi=lo + rng.randint(1, 4)))
            elif k == "enum":
                name, values = enums.pop()
                vs.append(Var(name, "enum", values=values[:rng.choice([2, 3, 3])]))
            else:
                vs.append(Var(bools.pop(), "bool"))
        rng.shuffle(vs)
        self.case.domain = Domain("Env", vs)
        self.created.append("Env")

    # ------------------------------------------------------------------ expressions
    def maybe_paren(self, e):
        return ("paren", e) if self.chance(0.08) else e

    def atom(self, var=None, allow_pred=True):
        rng, dom = self.rng, self.case.domain
        if dom is None:
            return ("bool", self.chance(0.7))
        if allow_pred and self.case.odds and self.chance(0.06):
            return ("pred", rng.choice(self.case.odds).name)
        if self.chance(0.02):
            return ("bool", self.chance(0.5))
        v = var or rng.choice(dom.vars)
        x = ("var", v.name)
        if v.kind == "int":
            vals = v.domain_values()
            r = rng.random()
            if r < 0.4:
                op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
                c = ("int", rng.choice(vals))
                return ("cmp", op, c, x) if self.chance(0.15) else ("cmp", op, x, c)
            if r < 0.6:
                a, b = sorted(rng.sample(vals, 2) if len(vals) > 1 else [vals[0]] * 2)
                return ("inival", x, ("int", a), ("int", b), self.chance(0.6), self.chance(0.6),
                        self.chance(0.15))
            if r < 0.75:
                items = rng.sample(vals, rng.randint(1, min(3, len(vals))))
                return ("inset", x, [("int", i) for i in items], self.chance(0.2))
            others = [w for w in dom.vars if w.kind == "int" and w.name != v.name]
            if others:
                w = rng.choice(others)
                kind = rng.choice(["add", "sub"])
                lo = v.lo + w.lo if kind == "add" else v.lo - w.hi
                hi = v.hi + w.hi if kind == "add" else v.hi - w.lo
                # keep the constant inside the left variable's own bounds as well
                lo, hi = max(lo, v.lo), min(hi, v.hi)
                if lo <= hi:
                    return ("cmp", rng.choice(["<=", ">=", "==", "<", ">"]),
                            (kind, x, ("var", w.name)), ("int", rng.randint(lo, hi)))
            return ("cmp", rng.choice(["<=", ">="]), x, ("int", rng.choice(vals)))
        if v.kind == "enum":
            r = rng.random()
            if r < 0.5:
                op = rng.choice(["==", "!="])
                c = ("enumval", rng.choice(v.values))
                return ("cmp", op, c, x) if self.chance(0.1) else ("cmp", op, x, c)
            items = rng.sample(v.values, rng.randint(1, len(v.values)))
            return ("inset", x, [("enumval", i) for i in items], self.chance(0.25))
        r = rng.random()
        if r < 0.5:
            return x
        if r < 0.8:
            return ("not", x)
        return ("cmp", rng.choice(["==", "!="]), x, ("bool", self.chance(0.5)))

    def cond(self, depth=2, allow_implies=True, allow_pred=True):
        rng = self.rng
        if depth <= 0 or self.chance(0.5):
            return self.maybe_paren(self.atom(allow_pred=allow_pred))
        r = rng.random()
        if r < 0.45:
            return ("and", [self.cond(depth - 1, allow_implies, allow_pred)
                            for _ in range(rng.randint(2, 3))])
        if r < 0.8:
            return ("or", [self.cond(depth - 1, allow_implies, allow_pred)
                           for _ in range(rng.randint(2, 3))])
        if r < 0.92 or not allow_implies:
            return ("not", self.cond(depth - 1, allow_implies, allow_pred))
        return ("implies", self.cond(depth - 1, allow_implies, allow_pred),
                self.cond(depth - 1, allow_implies, allow_pred))

    def base_name(self):
        """A region base: the domain, an existing odd, or a new odd."""
        if self.case.odds and self.chance(0.12):
            return self.rng.choice(self.case.odds).name
        if self.chance(0.1):
            return self.new_odd().name
        return self.case.domain.name

    def new_odd(self):
        base = self.rng.choice(self.case.odds).name if self.case.odds and self.chance(0.3) \
            else self.case.domain.name
        o = Odd(self.new_name("O"), Region(base, self.cond(1) if self.chance(0.9) else None))
        self.case.odds.append(o)
        self.created.append(o.name)
        return o

    def region(self, p_cond=0.85):
        base = self.base_name()
        return Region(base, self.cond(self.rng.choice([0, 1, 1, 2]))
                      if self.chance(p_cond) else None)

    # ------------------------------------------------------------------ artifacts
    def new_artifact(self):
        rng = self.rng
        if self.case.artifacts and self.chance(0.2):
            return rng.choice(self.case.artifacts).name
        name = self.new_name("art")
        content = f"report {name} {rng.getrandbits(64):x}\n".encode()
        digest = hashlib.sha256(content).hexdigest()
        kind = rng.choice(["wrong", "nohash", "missing"]) if self.bad(0.3) else "ok"
        sha = digest
        if kind == "wrong":
            sha = hashlib.sha256(content + b"changed").hexdigest()
        elif kind == "nohash":
            sha = None
        if sha and self.chance(0.3):
            sha = sha.upper()
        path = rng.choice(["", "reports/"]) + f"{name}.txt"
        a = Artifact(name, path, sha, None if kind == "missing" else content, kind)
        self.case.artifacts.append(a)
        self.created.append(name)
        return name

    # ------------------------------------------------------------------ evidence
    def new_evidence(self, wishes, invalid=False):
        rng = self.rng
        e = Evidence(self.new_name("E"), rng.choice(["fail", "pending"])
                     if invalid or self.bad(0.1) else "pass")
        if self.chance(0.3):
            e.kind = rng.choice(["test", "analysis", "review", "simulation"])
        if self.bad(0.1):
            e.valid_until = rng.choice(["2026-06-14", "2025-12-31"])
        elif self.chance(0.15):
            e.valid_until = rng.choice(["2026-06-15", "2026-06-16", "2027-01-01", "2030-01-01"])
        if self.bad(0.05):
            e.date = rng.choice(["2026-06-16", "2027-01-01"])  # after the run date: not yet valid
        elif self.chance(0.1):
            e.date = rng.choice(["2026-06-15", "2026-01-01"])
        if self.chance(0.2):
            e.artifacts = list(dict.fromkeys(self.new_artifact()
                                             for _ in range(rng.randint(1, 2))))
        for (m, op, thr, region) in wishes:
            if not self.chance(0.8):
                continue
            good = [v for v in VALUES if satisfies(v, op, thr)]
            bad = [v for v in VALUES if not satisfies(v, op, thr)]
            vals = good if (good and not self.bad(0.2)) or not bad else bad
            r = rng.random()
            if r < 0.55 and region is not None:
                reg = region
                v = rng.choice(self.case.domain.vars)
                if self.chance(0.3):
                    # two measurements over the two halves of the region: the requirement
                    # is met pointwise by their union, by neither alone
                    vals_v = v.domain_values()
                    cut = rng.randint(1, len(vals_v) - 1)
                    for g in (vals_v[:cut], vals_v[cut:]):
                        gc = self.group_cond(v, g)
                        e.metrics.append(Metric(m, self.spell(rng.choice(vals)), Region(
                            reg.base, gc if reg.cond is None else ("and", [reg.cond, gc]))))
                    continue
            elif r < 0.75:
                reg = Region(self.case.domain.name)
            else:
                reg = self.region()
            e.metrics.append(Metric(m, self.spell(rng.choice(vals)), reg))
        if self.case.domain and self.chance(0.08):
            e.metrics.append(Metric(rng.choice(METRICS), rng.choice(VALUES), self.region()))
        if self.bad(0.08):
            self.new_defeater("undermines", e.name)
        self.case.evidence.append(e)
        self.created.append(e.name)
        self.pool_evidence.append(e)
        return e.name

    def pick_evidence(self, wishes):
        if self.pool_evidence and self.chance(0.25):
            return self.rng.choice(self.pool_evidence).name
        return self.new_evidence(wishes)

    # ------------------------------------------------------------------ defeaters
    def resolver(self):
        rng = self.rng
        r = rng.random()
        if r < 0.35 and self.pool_claims:
            return rng.choice(self.pool_claims).name
        if r < 0.6 and self.pool_evidence:
            return rng.choice(self.pool_evidence).name
        return self.new_evidence([])

    def new_defeater(self, relation, target, level=0):
        rng = self.rng
        d = Defeater(self.new_name("D"), relation, target)
        d.status = weighted(rng, [(None, 15), ("open", 20), ("resolved", 45), ("withdrawn", 20)])
        if (d.status == "resolved" and self.chance(0.9)) or self.chance(0.12):
            d.resolved_by = list(dict.fromkeys(self.resolver()
                                               for _ in range(rng.randint(1, 2))))
        if level < 2 and self.chance(0.2):
            self.new_defeater("defeats", d.name, level + 1)
        self.case.defeaters.append(d)
        self.created.append(d.name)
        return d

    # ------------------------------------------------------------------ claims
    def new_assumption(self, targets, p_formal=0.85):
        a = Assumption(self.new_name("A"), targets,
                       self.cond(1, allow_pred=True) if self.chance(p_formal) else None)
        self.case.assumptions.append(a)
        self.created.append(a.name)

    def group_cond(self, v, group):
        """A condition true exactly for the values in `group` of variable v."""
        x = ("var", v.name)
        rng = self.rng
        if v.kind == "int":
            lo, hi = min(group), max(group)
            if hi - lo + 1 == len(group):          # contiguous
                opts = [("inival", x, ("int", lo), ("int", hi), True, True, False)]
                if lo == v.lo:
                    opts.append(("cmp", "<=", x, ("int", hi)))
                    if hi < v.hi:
                        opts.append(("cmp", "<", x, ("int", hi + 1)))
                if hi == v.hi:
                    opts.append(("cmp", ">=", x, ("int", lo)))
                if lo == hi:
                    opts.append(("cmp", "==", x, ("int", lo)))
                return rng.choice(opts)
            return ("inset", x, [("int", i) for i in sorted(group)], False)
        if v.kind == "enum":
            if len(group) == 1 and self.chance(0.5):
                return ("cmp", "==", x, ("enumval", group[0]))
            rest = [u for u in v.values if u not in group]
            if rest and self.chance(0.3):
                return ("inset", x, [("enumval", u) for u in rest], True)
            return ("inset", x, [("enumval", u) for u in group], False)
        if len(group) == 2:
            return ("or", [x, ("not", x)])
        return x if group[0] else ("not", x)

    def split_scopes(self, parent):
        """Sub-scopes along one variable, sometimes with a gap, an overlap or a restriction."""
        rng, dom = self.rng, self.case.domain
        v = rng.choice(dom.vars)
        vals = v.domain_values()
        k = rng.randint(2, min(3, len(vals)))
        if v.kind == "int":
            cuts = sorted(rng.sample(range(1, len(vals)), k - 1))
            groups = [vals[a:b] for a, b in zip([0] + cuts, cuts + [len(vals)])]
        else:
            shuffled = list(vals)
            rng.shuffle(shuffled)
            groups = [[] for _ in range(k)]
            for i, u in enumerate(shuffled):
                groups[i % k if i < k else rng.randrange(k)].append(u)
        odd_values = []                      # the values left uncovered or covered twice
        if self.chance(0.3) and any(len(g) > 1 for g in groups):       # a gap
            g = rng.choice([g for g in groups if len(g) > 1])
            gone = rng.choice(g)
            g.remove(gone)
            odd_values.append(gone)
        if self.chance(0.3):                                            # an overlap
            i, j = rng.sample(range(k), 2)
            extra = rng.choice(groups[j])
            if extra not in groups[i]:
                groups[i].append(extra)
                odd_values.append(extra)
        scopes = []
        for g in groups:
            c = self.group_cond(v, g)
            others = [w for w in dom.vars if w.name != v.name]
            if others and self.chance(0.2):                             # a restriction
                c = ("and", [c, self.atom(var=rng.choice(others), allow_pred=False)])
            if parent.scope.cond is not None and self.chance(0.3):
                c = ("and", [parent.scope.cond, c]) if self.chance(0.5) else \
                    ("and", [c, parent.scope.cond])
            base = parent.scope.base if self.chance(0.3) else dom.name
            scopes.append(Region(base, c))
        if self.chance(0.08):
            scopes[rng.randrange(len(scopes))] = None                   # unscoped sub-claim
        split_vars = [v.name]
        others = [w.name for w in dom.vars if w.name != v.name]
        if others and self.chance(0.15):
            split_vars.append(rng.choice(others))
        elif others and self.chance(0.1):
            split_vars = [rng.choice(others)]        # the list is for readers only
        return scopes, split_vars, v, odd_values

    def exclude_cond(self, v, values):
        """A condition false exactly for the given values of variable v."""
        x = ("var", v.name)
        if v.kind == "bool":
            if len(set(values)) == 2:
                return ("bool", False)
            return ("not", x) if values[0] else x
        lit = "int" if v.kind == "int" else "enumval"
        if len(values) == 1 and self.chance(0.5):
            return ("cmp", "!=", x, (lit, values[0]))
        return ("inset", x, [(lit, u) for u in dict.fromkeys(values)], True)

    def deductive_formals(self, parent, n):
        """Formal statements for n premises, often ones from which the parent follows."""
        rng = self.rng
        if parent.formal is None:
            return [self.cond(1) if self.chance(0.7) else None for _ in range(n)]
        r = rng.random()
        if r < 0.35:
            F = parent.formal
            parts = F[1] if F[0] == "and" else [F]
            out = [None] * n
            for i, p in enumerate(parts):
                j = i % n
                out[j] = p if out[j] is None else ("and", [out[j], p])
            return [o if o is not None else self.cond(1) for o in out]
        if r < 0.55:
            A = self.cond(1)
            out = [A, ("implies", A, parent.formal)] + [self.cond(1) for _ in range(n - 2)]
            return out[:n] if n >= 2 else [("and", [A, parent.formal])]
        if r < 0.7:
            return [("and", [parent.formal, self.cond(1)])] + \
                [self.cond(1) for _ in range(n - 1)]
        return [self.cond(1) if self.chance(0.85) else None for _ in range(n)]

    def supporters(self, depth, wishes, n, allow_claims=True):
        out = []
        for _ in range(n):
            r = self.rng.random()
            if allow_claims and r < 0.45 and len(self.case.claims) + 1 < MAX_CLAIMS:
                out.append(self.build_claim(depth + 1, wishes=wishes))
            elif allow_claims and r < 0.6 and self.pool_claims:
                out.append(self.rng.choice(self.pool_claims).name)
            else:
                out.append(self.pick_evidence(wishes))
        return list(dict.fromkeys(out))

    def new_strategy(self, c, depth, wishes):
        rng, dom = self.rng, self.case.domain
        kinds = list(self.STRATEGY_KINDS_REQUIRED if wishes else self.STRATEGY_KINDS)
        if dom:
            kinds += self.SPLIT_KINDS
        kind = weighted(rng, kinds)
        s = Strategy(self.new_name("S"), c.name)
        if kind in ("cover", "partition"):
            if c.scope is None:
                c.scope = self.region(p_cond=0.6)
            scopes, split_vars, var, odd_values = self.split_scopes(c)
            subs = []
            for sc in scopes:
                if len(self.case.claims) + 1 < MAX_CLAIMS + 3:
                    subs.append(self.build_claim(depth + 1, scope=sc, wishes=wishes,
                                                 fixed_scope=True))
            if self.chance(0.08):
                subs.append(self.pick_evidence(wishes))
            s.supported_by = list(dict.fromkeys(subs)) or [self.pick_evidence(wishes)]
            s.split = (kind, split_vars)
            s.mode = ("all_of",) if self.chance(0.2) else None
            if odd_values and self.chance(0.4):
                # an assumption that excludes the gap / overlap, attached to the step,
                # the parent or both: it narrows the parent's scope in the check
                targets = rng.choice([[s.name], [c.name], [c.name, s.name]])
                a = Assumption(self.new_name("A"), targets, self.exclude_cond(var, odd_values))
                self.case.assumptions.append(a)
                self.created.append(a.name)
        elif kind == "deductive":
            if c.formal is None and self.chance(0.9):
                c.formal = self.cond(1)
            n = rng.randint(1, 3)
            formals = self.deductive_formals(c, n)
            subs = []
            for f in formals:
                if self.chance(0.1):
                    subs.append(self.pick_evidence(wishes))
                else:
                    sc = None if (dom is None or self.chance(0.5)) else self.region()
                    subs.append(self.build_claim(depth + 1, scope=sc, wishes=wishes,
                                                 fixed_scope=True, formal=f))
            s.supported_by = list(dict.fromkeys(subs))
            s.mode = ("deductive",)
            premises = [f for f in formals if f is not None]
            if c.formal is not None and premises and self.chance(0.3):
                # an assumption that bridges a premise to the parent's statement
                targets = rng.choice([[s.name], [c.name], [c.name, s.name]])
                a = Assumption(self.new_name("A"), targets,
                               ("implies", rng.choice(premises), c.formal))
                self.case.assumptions.append(a)
                self.created.append(a.name)
        else:
            s.supported_by = self.supporters(depth, wishes, rng.randint(1, 3))
            if wishes and kind != "all_of" and self.chance(0.35):
                # a failed alternative that measures the required metric: an alternative
                # may fail, but its measurements must not count
                s.supported_by.insert(rng.randrange(len(s.supported_by) + 1),
                                      self.new_evidence(wishes, invalid=True))
            if kind == "all_of":
                s.mode = ("all_of",) if self.chance(0.3) else None
            elif kind == "any_of":
                s.mode = ("any_of",)
            else:
                s.mode = ("at_least", rng.randint(1, len(s.supported_by)))
        sub_claims = [n for n in s.supported_by if n.startswith("G")]
        if kind in ("cover", "partition", "deductive") and sub_claims and self.chance(0.25):
            # a sub-claim argued under an assumption of its own: the step counts it only
            # where the assumption holds ("Assumptions below")
            a = Assumption(self.new_name("A"), [rng.choice(sub_claims)], self.cond(1))
            self.case.assumptions.append(a)
            self.created.append(a.name)
        if self.bad(0.12):
            self.new_defeater("undercuts", s.name)
        self.case.strategies.append(s)
        self.created.append(s.name)
        if self.chance(0.12 if kind not in ("cover", "partition", "deductive") else 0.25):
            targets = [s.name] if self.chance(0.6) else [c.name, s.name]
            self.new_assumption(targets)
        return s

    def build_claim(self, depth, scope=None, fixed_scope=False, wishes=(), formal=None):
        rng, dom = self.rng, self.case.domain
        c = Claim(self.new_name("G"))
        self.case.claims.append(c)        # reserve the slot; the pool gets it when complete
        if fixed_scope:
            c.scope = scope
        elif dom and self.chance(0.65):
            c.scope = self.region()
        c.formal = formal
        if formal is None and self.chance(0.15):
            c.formal = self.cond(1)
        if dom and self.chance(0.18):
            c.requires = [Requirement(rng.choice(METRICS), weighted(rng, REL_OPS),
                                      self.spell(rng.choice(VALUES)))]
        a_formal = None
        if self.chance(0.2 if c.requires else 0.12):
            a_formal = self.cond(1) if self.chance(0.85) else False
        wishes = list(wishes)
        for r in c.requires:
            region = c.scope
            if a_formal and self.chance(0.5):
                # measured only where the claim's assumption holds: enough, pointwise
                base = c.scope.base if c.scope else dom.name
                cond = a_formal if c.scope is None or c.scope.cond is None else \
                    ("and", [c.scope.cond, a_formal])
                region = Region(base, cond)
            wishes.append((r.metric, r.op, r.value, region))
        leafy = depth >= MAX_DEPTH or len(self.case.claims) >= MAX_CLAIMS
        r = rng.random()
        if r < (0.1 if leafy else 0.05) * self.badness:
            c.undeveloped = True
        elif leafy or r < 0.4:
            c.supported_by = self.supporters(depth, wishes, rng.randint(1, 2),
                                             allow_claims=not leafy)
        elif r < 0.6:
            c.supported_by = self.supporters(depth, wishes, rng.randint(1, 3))
        else:
            for _ in range(2 if self.chance(0.15) else 1):
                self.new_strategy(c, depth, wishes)
            if self.chance(0.2):
                c.supported_by = self.supporters(depth, wishes, 1)
        if self.bad(0.08):
            self.new_defeater("rebuts", c.name)
        if a_formal is not None:
            targets = [c.name]
            if self.pool_claims and self.chance(0.15):     # shared with another claim
                other = self.rng.choice(self.pool_claims).name
                targets = [c.name, other] if self.chance(0.5) else [other, c.name]
            a = Assumption(self.new_name("A"), targets, a_formal or None)
            self.case.assumptions.append(a)
            self.created.append(a.name)
        if self.chance(0.04):
            ctx = Context(self.new_name("C"), [c.name],
                          [self.new_artifact()] if self.chance(0.7) else [])
            self.case.contexts.append(ctx)
            self.created.append(ctx.name)
        self.created.append(c.name)
        self.pool_claims.append(c)
        return c.name

    # ------------------------------------------------------------------ the case
    def finish(self):
        rng = self.rng
        measured = {m.name for e in self.case.evidence for m in e.metrics}
        for c in self.case.claims:
            kept = []
            for r in c.requires:
                if r.metric not in measured:          # E0208: measure it somewhere
                    if not self.case.evidence:
                        continue                      # nothing to measure it: drop it
                    e = rng.choice(self.case.evidence)
                    e.metrics.append(Metric(r.metric, rng.choice(VALUES), self.region()))
                    measured.add(r.metric)
                kept.append(r)
            c.requires = kept
        names = list(dict.fromkeys(self.created))
        r = rng.random()
        if r < 0.5:
            rng.shuffle(names)
        elif r < 0.75:
            names.reverse()
        if "Env" in names:
            names.remove("Env")
            names.insert(0 if self.chance(0.7) else rng.randrange(len(names) + 1), "Env")
        self.case.order = names


def generate(rng, header="", gen_class=Gen):
    g = gen_class(rng)
    g.case.header = header
    if g.chance(0.93):
        g.make_domain()
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        g.build_claim(0)
    g.finish()
    return g.case


def case_rng(seed, index):
    return random.Random(f"assure-oracle:{seed}:{index}")


def generate_case(seed, index):
    """Case `index` of `seed`; its first line names them, to reproduce it."""
    return generate(case_rng(seed, index), f"oracle case: seed {seed} index {index}")
