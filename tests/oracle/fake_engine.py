#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A stand-in for `assure prove`, to test the differential test itself (mutation testing).

    fake_engine.py prove case.assure --format json --at DATE

It does not parse the file: it reads the `// oracle case: seed S index I` first line,
regenerates that case and evaluates it with the oracle, changed by one deliberate bug named
in the environment variable ASSURE_FAKE_MUTATION (none: the oracle itself). A good
differential test fails for every mutation:

    for m in $(tests/oracle/fake_engine.py --list); do
      ASSURE_FAKE_MUTATION=$m tests/oracle/run_oracle.py --assure tests/oracle/fake_engine.py \\
          --count 300 --seed 1 --max-report 0 | tail -3
    done
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen  # noqa: E402
import oracle as O  # noqa: E402
from model import Claim, Evidence  # noqa: E402


class Mutant(O.Oracle):
    def __init__(self, case, folder, at, mutation):
        super().__init__(case, folder, at)
        self.mutation = mutation

    def evidence_status(self, e):
        m = self.mutation
        if m == "expiry-exclusive" and e.valid_until == self.at:
            e2 = Evidence(**{**e.__dict__, "valid_until": "0000-00-00"})
            return super().evidence_status(e2)
        if m == "future-date-valid" and e.date is not None:
            e2 = Evidence(**{**e.__dict__, "date": None})
            return super().evidence_status(e2)
        if m == "sha-case-sensitive":
            for an in e.artifacts:
                a = self.by[an]
                if a.sha256 and a.sha256 != a.sha256.lower():
                    return O.UNSUPPORTED
        if m == "nohash-ok":
            for an in e.artifacts:
                a = self.by[an]
                if a.sha256 is None and a.content is not None:
                    a.sha256 = __import__("hashlib").sha256(a.content).hexdigest()
        return super().evidence_status(e)

    def active(self, d):
        m = self.mutation
        if m == "withdrawn-active" and d.status == "withdrawn":
            d.status = "open"
        if m == "resolution-any" and d.status == "resolved" and d.resolved_by and \
                any(self.element_status(r) == O.SUPPORTED for r in d.resolved_by):
            return False
        if m == "ignore-defeats":
            saved = self.attackers.get(d.name, [])
            self.attackers[d.name] = []
            try:
                return super().active(d)
            finally:
                self.attackers[d.name] = saved
        if m == "resolved-without-resolvers" and d.status == "resolved" and not d.resolved_by:
            return False
        if m == "open-resolution-counts" and d.status in (None, "open") and d.resolved_by and \
                all(self.element_status(r) == O.SUPPORTED for r in d.resolved_by):
            return False
        return super().active(d)

    def combine(self, mode, statuses):
        m = self.mutation
        if m == "any-of-as-all-of" and mode and mode[0] == "any_of":
            return min(statuses)
        if m == "at-least-off-by-one" and mode and mode[0] == "at_least" and \
                mode[1] < len(statuses):
            return sorted(statuses, reverse=True)[mode[1]]
        if m == "undeveloped-below-unsupported":
            remap = {O.UNDEVELOPED: -1}
            back = {-1: O.UNDEVELOPED}
            r = super().combine(mode, [remap.get(s, s) for s in statuses])
            return back.get(r, r)
        return super().combine(mode, statuses)

    def strategy_validity(self, s, parent):
        m = self.mutation
        if m == "cover-listed-vars-only" and s.split:
            listed = s.split[1]
            real_sub_in = self.sub_in

            def projected(n, p):
                return any(real_sub_in(n, q) for q in self.points
                           if all(q[v] == p[v] for v in listed))
            self.sub_in = projected
            try:
                return super().strategy_validity(s, parent)
            finally:
                del self.sub_in
        if m == "deductive-ignores-assumptions" and s.mode and s.mode[0] == "deductive":
            saved = (self.attached.pop(s.name, None), self.attached.pop(parent.name, None))
            try:
                return super().strategy_validity(s, parent)
            finally:
                for k, v in zip((s.name, parent.name), saved):
                    if v is not None:
                        self.attached[k] = v
        if m == "partition-no-overlap-check" and s.split and s.split[0] == "partition":
            s2 = type(s)(**{**s.__dict__, "split": ("cover", s.split[1])})
            return super().strategy_validity(s2, parent)
        if m == "cover-ignores-strategy-assumptions" and s.split:
            saved = self.attached.pop(s.name, None)
            try:
                return super().strategy_validity(s, parent)
            finally:
                if saved is not None:
                    self.attached[s.name] = saved
        if m == "deductive-ignores-subscopes" and s.mode and s.mode[0] == "deductive":
            saved = {}
            for n in s.supported_by:
                x = self.by[n]
                if isinstance(x, Claim):
                    saved[n] = x.scope
                    x.scope = None
            try:
                return super().strategy_validity(s, parent)
            finally:
                for n, sc in saved.items():
                    self.by[n].scope = sc
        return super().strategy_validity(s, parent)

    def ev(self, e, p):
        if self.mutation == "intervals-closed" and e[0] == "inival":
            e = e[:4] + (True, True, e[6])
        return super().ev(e, p)

    def in_named_region(self, name, p):
        if self.mutation == "odd-base-ignored":
            return True
        return super().in_named_region(name, p)

    def claim_verdict(self, c):
        if self.mutation == "strategies-any-of" and len(self.strategies_of.get(c.name, [])) > 1:
            saved = self.strategies_of[c.name]
            best = max(saved, key=self.strategy_status)
            self.strategies_of[c.name] = [best]
            try:
                return super().claim_verdict(c)
            finally:
                self.strategies_of[c.name] = saved
        return super().claim_verdict(c)

    def claim_points(self, c):
        if self.mutation == "vacuity-ignores-assumptions":
            return [p for p in self.points if self.in_scope(c, p)]
        return super().claim_points(c)

    def requirement_problem(self, c, r):
        if self.mutation == "metric-uses-invalid-evidence":
            saved = self.evidence_status
            self.evidence_status = lambda e: O.SUPPORTED
            try:
                return super().requirement_problem(c, r)
            finally:
                self.evidence_status = saved
        if self.mutation == "metric-ignores-assumptions":
            saved = self.claim_points
            self.claim_points = lambda cl: [p for p in self.points if self.in_scope(cl, p)]
            try:
                return super().requirement_problem(c, r)
            finally:
                del self.claim_points
        if self.mutation == "metric-single-measurement":
            # wrong: one satisfying measurement must cover the whole scope
            prob = super().requirement_problem(c, r)
            if prob:
                return prob
            pts = self.claim_points(c)
            for e in self.evidence_under(c):
                if self.evidence_status(e) == O.SUPPORTED:
                    for mm in e.metrics:
                        if mm.name == r.metric and all(self.in_region(mm.region, p)
                                                       for p in pts):
                            return None
            return "no single measurement" if pts else None
        if self.mutation == "metric-direct-only":
            saved = self.evidence_under
            self.evidence_under = lambda cl: [self.by[n] for n in cl.supported_by
                                              if isinstance(self.by[n], Evidence)]
            try:
                return super().requirement_problem(c, r)
            finally:
                self.evidence_under = saved
        return super().requirement_problem(c, r)

    def top_claims(self):
        if self.mutation == "tops-ignore-resolved-by":
            used = set()
            for x in self.case.claims + self.case.strategies:
                used.update(x.supported_by)
            return [c.name for c in self.case.claims if c.name not in used]
        return super().top_claims()


MUTATIONS = ["expiry-exclusive", "future-date-valid", "sha-case-sensitive", "nohash-ok", "ignore-defeats",
             "resolved-without-resolvers", "open-resolution-counts", "any-of-as-all-of",
             "at-least-off-by-one", "undeveloped-below-unsupported",
             "partition-no-overlap-check", "cover-ignores-strategy-assumptions",
             "deductive-ignores-subscopes", "vacuity-ignores-assumptions",
             "metric-uses-invalid-evidence", "metric-direct-only", "tops-ignore-resolved-by",
             "intervals-closed", "odd-base-ignored", "strategies-any-of", "withdrawn-active",
             "resolution-any", "cover-listed-vars-only", "deductive-ignores-assumptions",
             "metric-ignores-assumptions", "metric-single-measurement"]


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(MUTATIONS))
        return 0
    if len(argv) < 3 or argv[1] != "prove":
        print("usage: fake_engine.py prove FILE --format json --at DATE", file=sys.stderr)
        return 2
    path = argv[2]
    at = argv[argv.index("--at") + 1] if "--at" in argv else O.RUN_DATE
    with open(path, encoding="utf-8") as f:
        first = f.readline()
    mt = re.match(r"// oracle case: seed (-?\d+) index (\d+)", first)
    if not mt:
        print("fake_engine: not a generated case", file=sys.stderr)
        return 4
    case = gen.generate_case(int(mt.group(1)), int(mt.group(2)))
    mutation = os.environ.get("ASSURE_FAKE_MUTATION", "")
    orc = Mutant(case, os.path.dirname(os.path.abspath(path)), at, mutation)
    verdicts, tops, code = orc.run()
    doc = {"format": "assure-prove", "version": 2, "at": at,
           "claims": [{"name": f"{case.module}.{n}", "verdict": v, "top": n in tops}
                      for n, v in verdicts.items()]}
    print(json.dumps(doc, indent=1))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
