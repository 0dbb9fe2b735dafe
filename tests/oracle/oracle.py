# SPDX-License-Identifier: Apache-2.0
"""An independent evaluator of docs/semantics.md, over the generator's in-memory model.

It is written from the page alone, in the plainest way: every logical question (cover,
partition, deductive step, metric requirement, vacuity) is decided by enumerating every
point of the (tiny, finite) domain. There is no solver, so there is never an `unknown`.

Verdicts are ranked best first as on the page: supported > unknown > undeveloped >
unsupported; "all of" is the worst, "any of" the best, "at least N" the N-th best.
"""
import hashlib
import os
from fractions import Fraction

from model import RUN_DATE, Claim, Domain, Evidence, Odd

SUPPORTED, UNKNOWN, UNDEVELOPED, UNSUPPORTED = 3, 2, 1, 0
NAMES = {SUPPORTED: "supported", UNKNOWN: "unknown", UNDEVELOPED: "undeveloped",
         UNSUPPORTED: "unsupported"}

# The one reading of the page the oracle has to choose (see README.md, "Ambiguities"):
# when a claim is marked `undeveloped`, rule 1 of "Claims" says "its verdict is
# undeveloped". UNDEVELOPED_WINS = True takes that literally (the other rules are not
# consulted); False combines rule 1 with the others by "all of" (so an undeveloped claim
# that is also rebutted, vacuous or short of a requirement would be unsupported).
UNDEVELOPED_WINS = True


def point_str(p):
    def v(x):
        return ("true" if x else "false") if isinstance(x, bool) else str(x)
    return ", ".join(f"{k} = {v(x)}" for k, x in p.items()) or "(the single point)"


class Oracle:
    def __init__(self, case, case_dir, at=RUN_DATE):
        self.case = case
        self.dir = case_dir
        self.at = at
        self.by = case.by_name()
        self.domain = case.domain
        # With no domain there is exactly one operating point, with no variables.
        self.points = list(self.domain.points()) if self.domain else [{}]
        self.strategies_of = {}
        for s in case.strategies:
            self.strategies_of.setdefault(s.parent, []).append(s)
        self.attached = {}            # target name -> [assumption formal]
        self.attached_by_name = {}    # target name -> {assumption name: formal}
        for a in case.assumptions:
            if a.formal is not None:
                for t in a.targets:
                    self.attached.setdefault(t, []).append(a.formal)
                    self.attached_by_name.setdefault(t, {})[a.name] = a.formal
        self.attackers = {}           # target name -> [defeater]
        for d in case.defeaters:
            self.attackers.setdefault(d.target, []).append(d)
        self.memo = {}
        self.reasons = {}             # element name -> [str]

    # ------------------------------------------------------------------ expressions
    def ev(self, e, p):
        t = e[0]
        if t == "bool":
            return e[1]
        if t == "var":
            return p[e[1]]
        if t == "int":
            return e[1]
        if t == "enumval":
            return e[1]
        if t == "paren":
            return self.ev(e[1], p)
        if t == "add":
            return self.ev(e[1], p) + self.ev(e[2], p)
        if t == "sub":
            return self.ev(e[1], p) - self.ev(e[2], p)
        if t == "cmp":
            a, b = self.ev(e[2], p), self.ev(e[3], p)
            return {"==": a == b, "!=": a != b}[e[1]] if e[1] in ("==", "!=") else \
                {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[e[1]]
        if t == "inset":
            a = self.ev(e[1], p)
            r = any(a == self.ev(i, p) for i in e[2])
            return r != e[3]
        if t == "inival":
            _, a, lo, hi, loc, hic, neg = e
            x, l, h = self.ev(a, p), self.ev(lo, p), self.ev(hi, p)
            r = (l <= x if loc else l < x) and (x <= h if hic else x < h)
            return r != neg
        if t == "pred":
            return self.in_named_region(e[1], p)
        if t == "not":
            return not self.ev(e[1], p)
        if t == "and":
            return all(self.ev(x, p) for x in e[1])
        if t == "or":
            return any(self.ev(x, p) for x in e[1])
        if t == "implies":
            return (not self.ev(e[1], p)) or self.ev(e[2], p)
        raise ValueError(e)

    def in_named_region(self, name, p):
        x = self.by[name]
        if isinstance(x, Domain):
            return True
        assert isinstance(x, Odd)
        return self.in_region(x.region, p)

    def in_region(self, r, p):
        if not self.in_named_region(r.base, p):
            return False
        return r.cond is None or self.ev(r.cond, p)

    def in_scope(self, claim, p):
        """A claim without `scope:` is about every point."""
        return claim.scope is None or self.in_region(claim.scope, p)

    def holds_all(self, formals, p):
        return all(self.ev(f, p) for f in formals)

    # ------------------------------------------------------------------ evidence
    def artifact_problem(self, a):
        path = os.path.join(self.dir, a.path)
        if not os.path.isfile(path):
            return f"artifact {a.name} ({a.path}) is missing"
        try:
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            return f"artifact {a.name} ({a.path}) is not readable"
        if a.sha256 is None:
            return f"artifact {a.name} has no recorded sha256 (current {digest})"
        if a.sha256.lower() != digest:
            return f"artifact {a.name}: sha256 {digest} differs from the recorded {a.sha256}"
        return None

    def evidence_status(self, e):
        key = ("E", e.name)
        if key in self.memo:
            return self.memo[key]
        why = []
        if e.result != "pass":
            why.append(f"result is {e.result}")
        if e.valid_until is not None and self.at > e.valid_until:
            why.append(f"expired on {e.valid_until} (run date {self.at})")
        if e.date is not None and self.at < e.date:
            why.append(f"not yet valid: dated {e.date} (run date {self.at})")
        for an in e.artifacts:
            prob = self.artifact_problem(self.by[an])
            if prob:
                why.append(prob)
        for d in self.attackers.get(e.name, []):
            if d.relation == "undermines" and self.active(d):
                why.append(f"undermined by active defeater {d.name}")
        st = UNSUPPORTED if why else SUPPORTED
        self.reasons[e.name] = why or ["valid"]
        self.memo[key] = st
        return st

    # ------------------------------------------------------------------ defeaters
    def active(self, d):
        key = ("D", d.name)
        if key in self.memo:
            return self.memo[key]
        why = []
        if d.status == "withdrawn":
            act = False
            why.append("withdrawn")
        else:
            resolved = False
            if d.status == "resolved":
                if not d.resolved_by:
                    why.append("marked resolved but names nothing in resolved_by")
                else:
                    bad = [r for r in d.resolved_by if self.element_status(r) != SUPPORTED]
                    if bad:
                        why.append("marked resolved but its resolution does not hold: "
                                   + ", ".join(f"{r} is {self.status_word(r)}" for r in bad))
                    else:
                        resolved = True
                        why.append("resolved by " + ", ".join(d.resolved_by))
            else:
                why.append(f"status {d.status or 'open (default)'}")
            defeated_by = [x.name for x in self.attackers.get(d.name, [])
                           if x.relation == "defeats" and self.active(x)]
            if defeated_by:
                why.append("defeated by active " + ", ".join(defeated_by))
            act = not resolved and not defeated_by
        self.reasons[d.name] = why
        self.memo[key] = act
        return act

    # ------------------------------------------------------------------ generic
    def element_status(self, name):
        x = self.by[name]
        if isinstance(x, Evidence):
            return self.evidence_status(x)
        if isinstance(x, Claim):
            return self.claim_verdict(x)
        raise TypeError(name)

    def status_word(self, name):
        x = self.by[name]
        st = self.element_status(name)
        if isinstance(x, Evidence):
            return "valid" if st == SUPPORTED else "invalid"
        return NAMES[st]

    # ------------------------------------------------------------------ strategies
    def combine(self, mode, statuses):
        if not statuses:
            return SUPPORTED
        kind = "all_of" if mode is None else mode[0]
        if kind in ("all_of", "deductive"):
            return min(statuses)
        if kind == "any_of":
            return max(statuses)
        if kind == "at_least":
            return sorted(statuses, reverse=True)[mode[1] - 1]
        raise ValueError(mode)

    def narrowed_parent_points(self, s, parent):
        formals = self.attached.get(parent.name, []) + self.attached.get(s.name, [])
        return [p for p in self.points
                if self.in_scope(parent, p) and self.holds_all(formals, p)]

    @staticmethod
    def logical(s):
        return bool(s.split) or (s.mode is not None and s.mode[0] == "deductive")

    def relies(self, name):
        """"Assumptions below": the formal assumptions claim `name`'s support rests on, by
        assumption name: its own, its strategies', and those of the claims below it through
        legs that check nothing (its supported_by, strategies that are neither a cover, a
        partition nor deductive). A logical step discharges its sub-claims' assumptions."""
        key = ("R", name)
        if key in self.memo:
            return self.memo[key]
        out = dict(self.attached_by_name.get(name, {}))
        c = self.by[name]
        below = [n for n in c.supported_by if isinstance(self.by[n], Claim)]
        for s in self.strategies_of.get(name, []):
            out.update(self.attached_by_name.get(s.name, {}))
            if not self.logical(s):
                below += [n for n in s.supported_by if isinstance(self.by[n], Claim)]
        for n in below:
            out.update(self.relies(n))
        self.memo[key] = out
        return out

    def established(self, claim, p):
        """A sub-claim of a logical step counts where its scope and the assumptions its
        support rests on hold."""
        return self.in_scope(claim, p) and self.holds_all(self.relies(claim.name).values(), p)

    def sub_in(self, name, p):
        """Whether supporter `name` covers point p: evidence covers nothing."""
        x = self.by[name]
        if isinstance(x, Evidence):
            return False
        return self.established(x, p)

    def sub_scope_in(self, name, p):
        x = self.by[name]
        if isinstance(x, Evidence):
            return False
        return self.in_scope(x, p)

    def strategy_validity(self, s, parent):
        """None when valid, else the reason."""
        undercut = [d.name for d in self.attackers.get(s.name, [])
                    if d.relation == "undercuts" and self.active(d)]
        if undercut:
            return "undercut by active defeater " + ", ".join(undercut)
        if s.split:
            pts = self.narrowed_parent_points(s, parent)
            for p in pts:
                if not any(self.sub_in(n, p) for n in s.supported_by):
                    return f"{s.split[0]} fails: uncovered point {point_str(p)}"
            if s.split[0] == "partition":
                claims = [n for n in s.supported_by if isinstance(self.by[n], Claim)]
                for i in range(len(claims)):
                    for j in range(i + 1, len(claims)):
                        for p in pts:
                            if self.sub_scope_in(claims[i], p) and self.sub_scope_in(claims[j], p):
                                return (f"partition fails: {claims[i]} and {claims[j]} "
                                        f"overlap at {point_str(p)}")
        if s.mode is not None and s.mode[0] == "deductive":
            if parent.formal is None:
                return "deductive step fails: the parent has no formal statement"
            premises = []
            for n in s.supported_by:
                x = self.by[n]
                if isinstance(x, Claim) and x.formal is not None:
                    premises.append(x)
            for p in self.narrowed_parent_points(s, parent):
                if all((not self.established(c, p)) or self.ev(c.formal, p) for c in premises) \
                        and not self.ev(parent.formal, p):
                    return f"deductive step fails: countermodel {point_str(p)}"
        return None

    def strategy_status(self, s):
        key = ("S", s.name)
        if key in self.memo:
            return self.memo[key]
        parent = self.by[s.parent]
        why = []
        invalid = self.strategy_validity(s, parent)
        sts = [self.element_status(n) for n in s.supported_by]
        comb = self.combine(s.mode, sts)
        mode = "all_of" if s.mode is None else " ".join(str(m) for m in s.mode)
        why.append(f"mode {mode} over " + ", ".join(
            f"{n}={self.status_word(n)}" for n in s.supported_by) + f" -> {NAMES[comb]}")
        st = comb
        if invalid:
            why.append("invalid: " + invalid)
            st = UNSUPPORTED
        else:
            why.append("valid step")
        self.reasons[s.name] = why
        self.memo[key] = st
        return st

    # ------------------------------------------------------------------ claims
    def evidence_under(self, c):
        """Evidence in the claim's supported_by, its strategies' supported_by, and below."""
        seen, out, stack = set(), [], [c.name]
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            x = self.by[n]
            if isinstance(x, Evidence):
                out.append(x)
                continue
            kids = list(x.supported_by)
            for s in self.strategies_of.get(n, []):
                kids += s.supported_by
            stack += kids
        return sorted(out, key=lambda e: e.name)

    def claim_points(self, c):
        formals = self.attached.get(c.name, [])
        return [p for p in self.points if self.in_scope(c, p) and self.holds_all(formals, p)]

    def requirement_problem(self, c, r):
        thr = Fraction(r.value)
        ops = {"==": lambda a: a == thr, "!=": lambda a: a != thr, "<": lambda a: a < thr,
               "<=": lambda a: a <= thr, ">": lambda a: a > thr, ">=": lambda a: a >= thr}
        good = []
        for e in self.evidence_under(c):
            if self.evidence_status(e) != SUPPORTED:
                continue
            for m in e.metrics:
                if m.name == r.metric and ops[r.op](Fraction(m.value)):
                    good.append(m)
        for p in self.claim_points(c):
            if not any(self.in_region(m.region, p) for m in good):
                return (f"requires {r.metric} {r.op} {r.value}: point {point_str(p)} is not "
                        f"covered by a satisfying measurement of valid evidence under the "
                        f"claim ({len(good)} satisfying)")
        return None

    def claim_verdict(self, c):
        key = ("C", c.name)
        if key in self.memo:
            return self.memo[key]
        parts, why = [], []
        if c.undeveloped:
            parts.append(UNDEVELOPED)
            why.append("marked undeveloped")
        if c.undeveloped and UNDEVELOPED_WINS:
            self.reasons[c.name] = why
            self.memo[key] = UNDEVELOPED
            return UNDEVELOPED
        for d in self.attackers.get(c.name, []):
            if d.relation == "rebuts" and self.active(d):
                parts.append(UNSUPPORTED)
                why.append(f"rebutted by active defeater {d.name}")
        if not self.claim_points(c):
            parts.append(UNSUPPORTED)
            why.append("vacuous: no point of the scope satisfies the attached assumptions")
        for r in c.requires:
            prob = self.requirement_problem(c, r)
            if prob:
                parts.append(UNSUPPORTED)
                why.append(prob)
        for n in c.supported_by:
            st = self.element_status(n)
            parts.append(st)
            if st != SUPPORTED:
                why.append(f"supporter {n} is {self.status_word(n)}")
        for s in self.strategies_of.get(c.name, []):
            st = self.strategy_status(s)
            parts.append(st)
            if st != SUPPORTED:
                why.append(f"strategy {s.name} is {NAMES[st]}: " + "; ".join(self.reasons[s.name]))
        v = min(parts) if parts else SUPPORTED
        self.reasons[c.name] = why or ["every condition holds"]
        self.memo[key] = v
        return v

    # ------------------------------------------------------------------ the case
    def top_claims(self):
        used = set()
        for x in self.case.claims + self.case.strategies:
            used.update(x.supported_by)
        for d in self.case.defeaters:
            used.update(d.resolved_by)
        return [c.name for c in self.case.claims if c.name not in used]

    def run(self):
        """-> ({claim name: verdict word}, [top claim names], expected exit code)"""
        verdicts = {c.name: NAMES[self.claim_verdict(c)] for c in self.case.claims}
        tops = self.top_claims()
        tv = [verdicts[t] for t in tops]
        if any(v in ("unsupported", "undeveloped") for v in tv):
            code = 5
        elif any(v == "unknown" for v in tv):
            code = 3
        else:
            code = 0
        return verdicts, tops, code

    def explain(self, name, depth=0, seen=None):
        """The oracle's reasoning for one element, with the elements it rests on."""
        seen = set() if seen is None else seen
        x = self.by[name]
        pad = "  " * depth
        if isinstance(x, Claim):
            head = f"{pad}claim {name}: {NAMES[self.claim_verdict(x)]}"
        elif isinstance(x, Evidence):
            head = f"{pad}evidence {name}: {self.status_word(name)}"
        else:
            head = f"{pad}{name}"
        lines = [head]
        if name in seen:
            return lines
        seen.add(name)
        for r in self.reasons.get(name, []):
            lines.append(f"{pad}  - {r}")
        kids = []
        if isinstance(x, Claim):
            kids = list(x.supported_by)
            for s in self.strategies_of.get(name, []):
                lines.append(f"{pad}  strategy {s.name}: {NAMES[self.strategy_status(s)]}")
                for r in self.reasons.get(s.name, []):
                    lines.append(f"{pad}    - {r}")
                kids += s.supported_by
        for d in self.case.defeaters:
            if d.target == name or (isinstance(x, Claim) and d.target in
                                    [s.name for s in self.strategies_of.get(name, [])]):
                lines.append(f"{pad}  defeater {d.name} {d.relation} {d.target}: "
                             f"{'active' if self.active(d) else 'inactive'} ("
                             + "; ".join(self.reasons.get(d.name, [])) + ")")
        for k in dict.fromkeys(kids):
            if depth < 6:
                lines += self.explain(k, depth + 1, seen)
        return lines
