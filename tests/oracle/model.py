# SPDX-License-Identifier: Apache-2.0
"""The in-memory model of a generated case, shared by the generator (gen.py), which prints
it as assure source, and the oracle (oracle.py), which evaluates it.

Nothing here parses assure text: the generator builds these objects, prints them, and the
oracle reads the same objects. Expressions are small trees of tuples:

    ("bool", True)                    true / false
    ("var", "n")                      a domain variable (int, enum or bool)
    ("int", 3)                        an int literal
    ("enumval", "day")                an enum value
    ("add", a, b) / ("sub", a, b)     arithmetic on ints
    ("cmp", op, a, b)                 op in == != < <= > >=
    ("inset", a, [items], negated)    a in {..} / a not in {..}
    ("inival", a, lo, hi, lo_closed, hi_closed, negated)   a in [lo, hi) ...
    ("pred", "O1")                    an odd (or domain) name used as a predicate
    ("not", e)
    ("and", [e, ...]) / ("or", [e, ...])
    ("implies", a, b)
    ("paren", e)                      redundant parentheses (printing only)
"""
import itertools
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

RUN_DATE = "2026-06-15"

# ----------------------------------------------------------------------------------------
# Declarations


@dataclass
class Var:
    name: str
    kind: str                      # "int", "enum", "bool"
    lo: int = 0
    hi: int = 0
    values: List[str] = field(default_factory=list)

    def domain_values(self):
        if self.kind == "int":
            return list(range(self.lo, self.hi + 1))
        if self.kind == "enum":
            return list(self.values)
        return [False, True]


@dataclass
class Domain:
    name: str
    vars: List[Var]

    def var(self, name):
        for v in self.vars:
            if v.name == name:
                return v
        raise KeyError(name)

    def points(self):
        """Every operating point, as a dict variable -> value."""
        names = [v.name for v in self.vars]
        for combo in itertools.product(*[v.domain_values() for v in self.vars]):
            yield dict(zip(names, combo))


@dataclass
class Region:
    base: str                      # a domain or odd name
    cond: Optional[tuple] = None   # the `where` condition


@dataclass
class Odd:
    name: str
    region: Region


@dataclass
class Artifact:
    name: str
    path: str                      # relative to the case folder
    sha256: Optional[str]          # recorded hash, as printed (may be upper case)
    content: Optional[bytes]       # file content written next to the case; None = missing
    kind: str = ""                 # "ok", "wrong", "nohash", "missing" (for the reasons)


@dataclass
class Metric:
    name: str
    value: str                     # as printed, e.g. "0.95", "-1", "2"
    region: Region


@dataclass
class Evidence:
    name: str
    result: str                    # pass, fail, pending
    valid_until: Optional[str] = None
    date: Optional[str] = None     # `date:`, when it was produced: after the run date = not yet valid
    artifacts: List[str] = field(default_factory=list)
    metrics: List[Metric] = field(default_factory=list)
    kind: Optional[str] = None
    cost: Optional[str] = None     # `cost:` as printed (e.g. "2.5"); None = not written (1)


@dataclass
class Requirement:
    metric: str
    op: str
    value: str


@dataclass
class Claim:
    name: str
    scope: Optional[Region] = None
    requires: List[Requirement] = field(default_factory=list)
    formal: Optional[tuple] = None
    supported_by: List[str] = field(default_factory=list)
    undeveloped: bool = False


@dataclass
class Strategy:
    name: str
    parent: str
    mode: Optional[Tuple] = None   # None (default all_of), ("all_of",), ("any_of",),
                                   # ("at_least", N), ("deductive",)
    split: Optional[Tuple[str, List[str]]] = None   # ("cover"|"partition", [vars])
    supported_by: List[str] = field(default_factory=list)


@dataclass
class Assumption:
    name: str
    targets: List[str]
    formal: Optional[tuple] = None


@dataclass
class Context:
    name: str
    targets: List[str]
    artifacts: List[str] = field(default_factory=list)


@dataclass
class Defeater:
    name: str
    relation: str                  # rebuts, undercuts, undermines, defeats
    target: str
    status: Optional[str] = None   # None = not written (open)
    resolved_by: List[str] = field(default_factory=list)


@dataclass
class Case:
    domain: Optional[Domain] = None
    odds: List[Odd] = field(default_factory=list)
    artifacts: List[Artifact] = field(default_factory=list)
    evidence: List[Evidence] = field(default_factory=list)
    claims: List[Claim] = field(default_factory=list)
    strategies: List[Strategy] = field(default_factory=list)
    assumptions: List[Assumption] = field(default_factory=list)
    contexts: List[Context] = field(default_factory=list)
    defeaters: List[Defeater] = field(default_factory=list)
    order: List[str] = field(default_factory=list)   # declaration order for printing
    module: str = "case"
    header: str = ""                                 # a first comment line, if any

    def by_name(self):
        out = {}
        for coll in (self.odds, self.artifacts, self.evidence, self.claims, self.strategies,
                     self.assumptions, self.contexts, self.defeaters):
            for x in coll:
                out[x.name] = x
        if self.domain:
            out[self.domain.name] = self.domain
        return out


# ----------------------------------------------------------------------------------------
# Printing

PREC = {"implies": 1, "or": 2, "and": 3, "not": 4, "cmp": 5, "inset": 5, "inival": 5,
        "add": 6, "sub": 6}


def prec(e):
    return PREC.get(e[0], 9)


def expr_str(e):
    t = e[0]
    if t == "bool":
        return "true" if e[1] else "false"
    if t in ("var", "pred", "enumval"):
        return e[1]
    if t == "int":
        return str(e[1])
    if t == "paren":
        return "(" + expr_str(e[1]) + ")"
    if t in ("add", "sub"):
        op = "+" if t == "add" else "-"
        # left-associative: the right operand needs a tighter binding
        return f"{wrap(e[1], 6)} {op} {wrap(e[2], 7)}"
    if t == "cmp":
        return f"{wrap(e[2], 6)} {e[1]} {wrap(e[3], 6)}"
    if t == "inset":
        kw = "not in" if e[3] else "in"
        return f"{wrap(e[1], 6)} {kw} {{{', '.join(expr_str(i) for i in e[2])}}}"
    if t == "inival":
        _, a, lo, hi, loc, hic, neg = e
        kw = "not in" if neg else "in"
        return (f"{wrap(a, 6)} {kw} {'[' if loc else '('}{expr_str(lo)}, {expr_str(hi)}"
                f"{']' if hic else ')'}")
    if t == "not":
        return "not " + wrap(e[1], 4)
    if t == "and":
        return " and ".join(wrap(x, 4) for x in e[1])
    if t == "or":
        return " or ".join(wrap(x, 3) for x in e[1])
    if t == "implies":
        return f"{wrap(e[1], 2)} implies {wrap(e[2], 1)}"
    raise ValueError(e)


def wrap(e, need):
    s = expr_str(e)
    return s if prec(e) >= need else "(" + s + ")"


def region_str(r):
    return r.base if r.cond is None else f"{r.base} where {expr_str(r.cond)}"


def case_text(case):
    """The case as assure source."""
    by = case.by_name()
    strategies_of = {}
    for s in case.strategies:
        strategies_of.setdefault(s.parent, []).append(s)
    out = [f"// {case.header}"] if case.header else []
    for name in case.order:
        x = by[name]
        if isinstance(x, Domain):
            vs = []
            for v in x.vars:
                if v.kind == "int":
                    vs.append(f"  {v.name} : int [{v.lo}, {v.hi}]")
                elif v.kind == "enum":
                    vs.append(f"  {v.name} : enum {{ {', '.join(v.values)} }}")
                else:
                    vs.append(f"  {v.name} : bool")
            out.append(f"domain {x.name} \"Operating conditions\" {{\n" + "\n".join(vs) + "\n}")
        elif isinstance(x, Odd):
            out.append(f"odd {x.name} = {region_str(x.region)}")
        elif isinstance(x, Artifact):
            s = f"artifact {x.name} \"{x.path}\""
            if x.sha256 is not None:
                s += f"\n  sha256 \"{x.sha256}\""
            out.append(s)
        elif isinstance(x, Evidence):
            f = []
            if x.kind:
                f.append(f"kind: {x.kind}")
            f.append(f"result: {x.result}")
            if x.valid_until:
                f.append(f"valid_until: {x.valid_until}")
            if x.date:
                f.append(f"date: {x.date}")
            if x.artifacts:
                f.append("artifacts: " + ", ".join(x.artifacts))
            if x.cost is not None:
                f.append(f"cost: {x.cost}")
            for m in x.metrics:
                f.append(f"metric {m.name} = {m.value} over {region_str(m.region)}")
            out.append(f"evidence {x.name} \"Evidence {x.name}\" {{\n  " + "\n  ".join(f) + "\n}")
        elif isinstance(x, Claim):
            f = []
            if x.scope:
                f.append("scope: " + region_str(x.scope))
            if x.requires:
                f.append("requires: " + ", ".join(f"{r.metric} {r.op} {r.value}"
                                                  for r in x.requires))
            if x.formal is not None:
                f.append("formal: " + expr_str(x.formal))
            if x.supported_by:
                f.append("supported_by: " + ", ".join(x.supported_by))
            if x.undeveloped:
                f.append("undeveloped")
            head = f"claim {x.name} \"Claim {x.name}\""
            out.append(head + (" {\n  " + "\n  ".join(f) + "\n}" if f else ""))
        elif isinstance(x, Strategy):
            f = []
            if x.mode is not None:
                if x.mode[0] == "at_least":
                    f.append(f"at_least {x.mode[1]}")
                else:
                    f.append(x.mode[0])
            if x.split:
                f.append(f"{x.split[0]}: " + ", ".join(x.split[1]))
            f.append("supported_by: " + ", ".join(x.supported_by))
            out.append(f"strategy {x.name} \"Strategy {x.name}\" for {x.parent} {{\n  "
                       + "\n  ".join(f) + "\n}")
        elif isinstance(x, Assumption):
            s = f"assumption {x.name} \"Assumption {x.name}\" for {', '.join(x.targets)}"
            if x.formal is not None:
                s += f" {{ formal: {expr_str(x.formal)} }}"
            out.append(s)
        elif isinstance(x, Context):
            s = f"context {x.name} \"Context {x.name}\" for {', '.join(x.targets)}"
            if x.artifacts:
                s += f" {{ artifacts: {', '.join(x.artifacts)} }}"
            out.append(s)
        elif isinstance(x, Defeater):
            f = []
            if x.status is not None:
                f.append(f"status: {x.status}")
            if x.resolved_by:
                f.append("resolved_by: " + ", ".join(x.resolved_by))
            s = f"defeater {x.name} {x.relation} {x.target} \"Doubt {x.name}\""
            if f:
                s += " {\n  " + "\n  ".join(f) + "\n}"
            out.append(s)
        else:
            raise TypeError(x)
    return "\n".join(out) + "\n"
