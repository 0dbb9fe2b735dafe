#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Generates a synthetic assurance case of a given size for benchmarking `assure check`.

  gen_case.py --elements N [--modules M] [--branching B] [--seed S] [--flaw KIND]
              [--with-artifacts K] [--supported] [--shared-artifact N] [--hazards N]
              [--rules] [--reads N [--reads-typed]] --out DIR

The output folder gets:

  main.assure      module bench.main: the top claim G_top, argued by a `cover: distance`
                   strategy over the roots of the modules (one distance zone per module)
  common.assure    module bench.common: the domain Ocean and the shared odds
  m0001.assure ... module bench.m0001, ...: one subtree each, rooted at claim G_m0001

`--modules 0` puts everything into main.assure (a single file, no imports but std.risk).

The case is deterministic given the options (same seed, same bytes) and checks clean: no
errors, no warnings. Every module imports bench.common and std.risk only; main imports
bench.common, std.risk and every module, and refers only to the modules' root claims.

Subtrees are trees of claims and strategies (all_of, any_of, at_least N, and `cover:`
strategies whose sub-claims' scopes are bands tiling the parent's band of a real variable,
or subsets of `light`, or the two values of `fog`). Leaf claims `require` metrics that their
evidence measures (with passing values) over a region containing the claim's scope. Evidence
rests on artifacts; some evidence is undermined by resolved defeaters; hazards (rated on
std.risk.MilStd882) are mitigated by claims; assumptions, contexts and justifications are
sprinkled around; a few leaves are `undeveloped`. `--supported` leaves out the undeveloped
leaves and rates no hazard above the matrix's `accept: medium`, so that with
`--with-artifacts` the top claim is supported (the impact benchmark needs a supported baseline).

`--flaw KIND` injects exactly one error (in the middle module, or main with --modules 0):
  cycle              a leaf claim also rests on its parent claim          (E0401)
  unknown-name       a leaf claim rests on evidence that does not exist   (E0201)
  unsupported-claim  a leaf claim rests on a claim with no support        (E0403)

`--with-artifacts K` writes K small files under DIR/files/ and points every artifact at one
of them with its true SHA-256 (the case keeps the same shape otherwise). Without it the artifact
files do not exist, so `assure prove` finds every piece of evidence invalid and builds no
metric-requirement obligations; with it the evidence is valid and prove does the full work.

`--hazards N` declares exactly N hazards (about N/M in each of the M modules) instead of about
one per 300 declarations all mitigated by their module's root claim: rated on
std.risk.MilStd882 at random, each mitigated by a claim drawn at random from its module's tree
(any depth; about 5 % by a second one too), after the tree is generated. The ratings and the
choice of claims use a random stream of their own.

`--rules` appends RULES, a handful of representative rules (the forms of docs/language.md,
"Rules": hazards mitigated, two lines of evidence, separation of duties, independence, current
tests), to main.assure, one declaration a line (a benchmark can blank out the lines starting
with `rule ` to get the same case without rules). So that the case mostly complies, it also
gives every piece of evidence an `approved_by:` other than its producer, except about one in
a thousand (chosen by a hash of its name, not a random draw: the case keeps its shape).

`--reads N` (with `--with-artifacts K`) makes the artifact files real reports and reads exactly
N values from them instead of typing them: metric values from JSON reports
(`read A json "/results/m0001/E12/recall"`) and CSV tables (`read A csv "value" row "module" =
"m0001", "evidence" = "E12", "metric" = "recall"`), and evidence results from JUnit XML reports
(`result: read A junit`). A value is read from its evidence's first artifact; the format of a
file is fixed by its number (k % 4: 0, 1 JSON, 2 CSV, 3 JUnit), so evidence resting first on a
JUnit report can read its result and the others their metrics. The N values read are the
candidates with the smallest CRC-32 of "module/evidence/metric" (no random draw: the case keeps
its shape, and the values read are the very values the case would otherwise type; every JUnit
report passes). Each file holds exactly the values read from it (JSON `{"results": {}}`, a CSV
header, or a JUnit report of a few passing test cases when none). `--reads-typed` writes the
same case with the same files but types those N values (and `result: pass`): the baseline that
reading is measured against.

`--elements` counts declarations (claims, strategies, evidence, artifacts, defeaters,
hazards, attachments, odds, domains, rules); the result is close to it, not exact. A summary
goes to stderr.
"""
import argparse
import hashlib
import os
import random
import re
import sys
import zlib

DOMAIN = "Ocean"
# name -> (lo, hi, unit); all bounds are integers so that band cut points can be integers.
REALS = {
    "distance": (0, 1000000, "m"),
    "speed": (0, 50000, "mm/s"),
    "wind": (0, 60000, "mm/s"),
}
LIGHT = ("day", "dusk", "night")
SPLIT_VARS = ("speed", "wind")        # distance is split between modules (zones)

# metric -> (requirement, value generator)
METRICS = {
    "recall": (">= 0.95", lambda r: "%.3f" % r.uniform(0.951, 0.999)),
    "precision": (">= 0.9", lambda r: "%.3f" % r.uniform(0.901, 0.99)),
    "latency_ms": ("<= 120", lambda r: str(r.randint(40, 119))),
    "mtbf_h": (">= 10000", lambda r: str(r.randint(10000, 90000))),
}
METRIC_NAMES = sorted(METRICS)
KINDS = ("test", "analysis", "simulation", "formal_proof", "review", "inspection",
         "field_monitoring", "runtime_monitoring")
SEVERITIES = ("negligible", "marginal", "critical", "catastrophic")
LIKELIHOODS = ("eliminated", "improbable", "remote", "occasional", "probable", "frequent")
# std.risk.MilStd882 accepts residual risk up to `medium`: the highest likelihood at which each
# severity's cell is still medium or lower (stdlib/risk.assure, Table III).
ACCEPTABLE_UP_TO = {"catastrophic": "improbable", "critical": "remote", "marginal": "occasional",
                    "negligible": "frequent"}


def rating(rng, args):
    """A hazard's severity and likelihood on std.risk.MilStd882, drawn at random. With
    --supported the likelihood is lowered to the highest one the matrix accepts for that
    severity: no claim of the case lowers a likelihood, so a hazard rated above `accept` would
    leave residual risk and make its mitigating claims' top claims unsupported at baseline.
    The draw is the same either way, so the case keeps its shape."""
    severity, likelihood = rng.choice(SEVERITIES), rng.choice(LIKELIHOODS)
    cap = ACCEPTABLE_UP_TO[severity]
    if args.supported and LIKELIHOODS.index(likelihood) > LIKELIHOODS.index(cap):
        likelihood = cap
    return severity, likelihood
TOPICS = ("obstacle detection", "collision avoidance", "route planning", "station keeping",
          "emergency stop", "sensor fusion", "localisation", "communication link",
          "power management", "remote supervision", "mooring", "traffic separation")
FLAWS = ("cycle", "unknown-name", "unsupported-claim")

# --rules: appended to main.assure, one a line. R_critical_mitigated and R_likely_mitigated use
# the forms of the language reference (an `exists` whose body relates the variable); the others
# relate it in a filter (`where mitigates(c, h)`, `where supports(e, c)`).
RULES = [
    ('R_critical_mitigated', 'Critical and catastrophic hazards are mitigated',
     'forall h in hazards where h.severity >= critical: exists c in claims: mitigates(c, h)'),
    ('R_two_lines', 'Catastrophic hazards are argued with two lines of evidence',
     'forall h in hazards where h.severity >= catastrophic: forall c in claims where '
     'mitigates(c, h): count(e in evidence where under(e, c)) >= 2'),
    ('R_separation', 'Evidence is approved by someone other than its producer',
     'forall e in evidence: e.approved_by != e.producer'),
    ('R_likely_mitigated', 'Hazards more likely than remote are mitigated by developed claims',
     'forall h in hazards: h.likelihood <= remote or (exists c in claims: mitigates(c, h) and '
     'not c.undeveloped)'),
    ('R_current_tests', 'Tests are current and within budget',
     'forall e in evidence where e.kind == test: e.valid_until >= 2027-03-01 and e.cost <= 48'),
    ('R_independent', 'Claims on catastrophic hazards rest on two independent pieces of evidence',
     'forall h in hazards where h.severity >= catastrophic: forall c in claims where '
     'mitigates(c, h): exists e in evidence where supports(e, c): exists f in evidence where '
     'supports(f, c): e != f and independent(e, f)'),
]


class Scope:
    """A region: a base odd narrowed by bands of real variables, a subset of `light` and
    maybe a value of `fog`. Only the narrowings are written after `where`."""

    __slots__ = ("base", "bands", "light", "fog")

    def __init__(self, base, bands=None, light=None, fog=None):
        self.base = base
        self.bands = bands or {}      # var -> (lo, hi, hi_closed); absent = full range
        self.light = light            # tuple of values, None = all
        self.fog = fog                # None, True, False

    def copy(self):
        return Scope(self.base, dict(self.bands), self.light, self.fog)

    def band(self, var):
        lo, hi, _ = REALS[var]
        return self.bands.get(var, (lo, hi, True))

    def render(self):
        conds = []
        for var in SPLIT_VARS:
            if var in self.bands:
                lo, hi, closed = self.bands[var]
                conds.append("%s in [%d, %d%s" % (var, lo, hi, "]" if closed else ")"))
        if self.light is not None:
            conds.append("light in {%s}" % ", ".join(self.light))
        if self.fog is True:
            conds.append("fog")
        elif self.fog is False:
            conds.append("not fog")
        return self.base + (" where " + " and ".join(conds) if conds else "")


class Namer:
    def __init__(self):
        self.counts = {}

    def __call__(self, prefix):
        n = self.counts.get(prefix, 0) + 1
        self.counts[prefix] = n
        return "%s%d" % (prefix, n)


class Stats:
    def __init__(self):
        self.kinds = {}

    def add(self, kind, n=1):
        self.kinds[kind] = self.kinds.get(kind, 0) + n

    def total(self):
        return sum(self.kinds.values())


class ModuleGen:
    """Generates the body of one module: a zone of the distance range with its subtree."""

    def __init__(self, rng, namer, stats, args, tag, zone, budget, flaw, hazards=0):
        self.rng = rng
        self.new = namer
        self.stats = stats
        self.args = args
        self.tag = tag                      # e.g. m0001
        self.zone = zone                    # (lo, hi, hi_closed) of distance
        self.budget = budget
        self.flaw = flaw                    # pending flaw kind or None
        self.out = []
        self.artifacts = []                 # artifacts declared so far (for reuse)
        self.evidence = []                  # evidence declared so far (for independent_of)
        self.hazards = []
        self.n_hazards = hazards             # --hazards: this module's share
        self.claim_slots = []               # indices in `out` of the claims' texts

    def emit(self, kind, text):
        self.stats.add(kind)
        self.out.append(text)

    def placeholder(self):
        self.out.append(None)
        return len(self.out) - 1

    # ---- pieces -----------------------------------------------------------------------
    def file_of(self, artifact):
        """--with-artifacts: the number of the file that artifact `artifact` of this module
        names."""
        return zlib.crc32(("%s/%s" % (self.tag, artifact)).encode()) % self.args.with_artifacts

    def read_slot(self, evidence, metric, value, region, artifact):
        """--reads: a placeholder line for a value that may be read from `artifact` (metric
        None: the evidence's result), resolved by finish_reads once the case is generated."""
        READS.append(Read(self.tag, evidence, metric, value, region, artifact,
                          self.file_of(artifact)))
        return "@@R%d@@" % (len(READS) - 1)

    def artifact(self):
        r = self.rng
        if self.artifacts and r.random() < 0.35:
            return r.choice(self.artifacts[-8:])
        name = self.new("a_")
        ext = r.choice(("json", "csv", "pdf", "txt"))
        line = 'artifact %s "%s/%s.%s"' % (name, self.tag, name, ext)
        if r.random() < 0.3:
            line += ' sha256 "%064x"' % r.getrandbits(256)
        if self.args.with_artifacts:
            # The same random draws as without the option, so the case has the same shape.
            k = self.file_of(name)
            line = 'artifact %s "%s" sha256 "%s"' % (name, artifact_path(k),
                                                     artifact_sha(self.args, k))
        self.emit("artifact", line)
        self.artifacts.append(name)
        return name

    def evidence_decl(self, title, metrics, kind=None, independent=None):
        """metrics: list of (name, value, region string)."""
        r = self.rng
        name = self.new("E")
        arts = [self.artifact()]
        if r.random() < 0.15:
            a2 = self.artifact()
            if a2 not in arts:
                arts.append(a2)
        # About --shared-artifact N of all evidence also rests on the model's weights (by a
        # hash of the name: no random draw, so the case keeps its shape).
        if self.args.shared_artifact and zlib.crc32(("%s/%s" % (self.tag, name)).encode()) % \
                max(1, round(0.34 * self.args.elements / self.args.shared_artifact)) == 0:
            arts.append("model_weights")
        # --reads: evidence resting first on a JUnit report may read its result from it, the
        # other evidence its metric values from its JSON or CSV report.
        junit = self.args.reads and file_format(self.file_of(arts[0])) == "junit"
        lines = ['evidence %s "%s" {' % (name, title),
                 "  kind: %s" % (kind or r.choice(KINDS)),
                 "  artifacts: %s" % ", ".join(arts),
                 self.read_slot(name, None, "pass", None, arts[0]) if junit
                 else "  result: pass"]
        for m, v, region in metrics:
            if self.args.reads and not junit:
                lines.append(self.read_slot(name, m, v, region, arts[0]))
            else:
                lines.append("  metric %s = %s over %s" % (m, v, region))
        if r.random() < 0.4:
            lines.append("  valid_until: 20%02d-%02d-%02d"
                         % (r.randint(27, 35), r.randint(1, 12), r.randint(1, 28)))
        if r.random() < 0.4:
            lines.append("  cost: %d" % r.randint(1, 50))
        if r.random() < 0.25:
            lines.append('  producer: "Team %d"' % r.randint(1, 20))
        if self.args.rules:
            # no random draw: the case keeps its shape; about 1 in 1000 has no approver
            h = zlib.crc32(("approval/%s/%s" % (self.tag, name)).encode())
            if h % 1000:
                lines.append('  approved_by: "Review board %d"' % (h % 7 + 1))
        if independent:
            lines.append("  independent_of: %s" % independent)
        lines.append("}")
        self.emit("evidence", "\n".join(lines))
        self.evidence.append(name)
        return name

    def resolver(self, what):
        return self.evidence_decl("Review answering the doubt about %s" % what, [],
                                  kind=self.rng.choice(("review", "inspection", "analysis")))

    def defeater(self, relation, target, what):
        r = self.rng
        name = self.new("D")
        res = self.resolver(target)
        self.emit("defeater",
                  'defeater %s %s %s "%s" {\n  status: resolved\n  resolved_by: %s\n}'
                  % (name, relation, target, what, res))
        if r.random() < 0.25:
            d2 = self.new("D")
            self.emit("defeater",
                      'defeater %s defeats %s "The answer to %s may be incomplete" {\n'
                      "  status: withdrawn\n  resolved_by: %s\n}" % (d2, name, name, res))

    def attachments(self, target, scope_target, p):
        """Maybe attaches an assumption, context or justification to `target`."""
        r = self.rng
        x = r.random()
        if x < p:
            name = self.new("A")
            if scope_target and r.random() < 0.5:
                self.emit("assumption",
                          'assumption %s "The sea state stays within limits" for %s {\n'
                          "  formal: sea_state <= 5\n}" % (name, target))
            else:
                self.emit("assumption",
                          'assumption %s "Operators follow the procedures" for %s'
                          % (name, target))
        elif x < 1.5 * p:
            name = self.new("C")
            self.emit("context", 'context %s "Operating procedures for %s" for %s {\n'
                      "  artifacts: %s\n}" % (name, target, target, self.artifact()))

    # ---- the tree ---------------------------------------------------------------------
    def claim(self, name, scope, budget, depth, parent, ancestors):
        """Emits claim `name` with its argument, using about `budget` declarations."""
        r = self.rng
        b = self.args.branching
        if depth > 0 and r.random() < 0.25:
            b = max(2, b + r.choice((-1, 1)))
        remaining = budget - 2
        if remaining >= 2 * 3 and depth < 60:
            b = min(b, max(2, remaining // 4))
            self.internal(name, scope, remaining, depth, parent, ancestors, b)
        else:
            self.leaf(name, scope, budget, depth, parent, ancestors)

    def mitigations(self, depth, root=False):
        if root:
            hs, self.hazards = self.hazards, []
            return hs
        if self.hazards and depth <= 3 and self.rng.random() < 0.5:
            return [self.hazards.pop()]
        return []

    def claim_text(self, name, title, scope, fields):
        lines = ['claim %s "%s" {' % (name, title), "  scope: %s" % scope.render()]
        lines += ["  " + f for f in fields]
        lines.append("}")
        return "\n".join(lines)

    def internal(self, name, scope, remaining, depth, parent, ancestors, b):
        r = self.rng
        slot = self.placeholder()
        self.stats.add("claim")
        title = "%s is adequate (%s, level %d)" % (r.choice(TOPICS).capitalize(), name, depth)

        # Pick a mode; a cover needs something left to split.
        mode = r.choices(("cover", "all_of", "any_of", "at_least"), (40, 25, 15, 20))[0]
        children_scopes = None
        cover_var = None
        if mode == "cover":
            options = [v for v in SPLIT_VARS if scope.band(v)[1] - scope.band(v)[0] >= b]
            if scope.light is None or len(scope.light) >= 2:
                options.append("light")
            if scope.fog is None:
                options.append("fog")
            if options:
                cover_var = r.choice(options)
                children_scopes = self.split(scope, cover_var, b)
            else:
                mode = "all_of"
        if children_scopes is None:
            children_scopes = [scope.copy() for _ in range(b)]
        n = len(children_scopes)
        kids = [self.new("G") for _ in range(n)]
        sname = self.new("S")
        lines = ['strategy %s "Argue %s over %s" for %s {'
                 % (sname, name, cover_var if cover_var else "its parts", name)]
        if mode == "cover":
            lines.append("  cover: %s" % cover_var)
        elif mode == "any_of":
            lines.append("  any_of")
        elif mode == "at_least":
            lines.append("  at_least %d" % r.randint(1, n))
        else:
            lines.append("  all_of")
        lines.append("  supported_by: %s" % ", ".join(kids))
        if r.random() < 0.8:
            lines.append('  justification: "The parts together establish %s"' % name)
        lines.append("}")
        self.emit("strategy", "\n".join(lines))

        extra = 0
        if r.random() < 0.1:
            self.emit("justification",
                      'justification %s "The decomposition follows the hazard analysis" for %s'
                      % (self.new("J"), sname))
            extra += 1
        if r.random() < 0.03:
            self.defeater("undercuts", sname, "The parts may interact")
            extra += 2
        if r.random() < 0.02:
            self.defeater("rebuts", name, "A field report contradicts the claim")
            extra += 2
        self.attachments(name, True, 0.05)

        fields = []
        mit = self.mitigations(depth, root=(depth == 0))
        if mit:
            fields.append("mitigates: %s" % ", ".join(mit))
        if depth == 0:
            fields.append("supported_by: %s" % self.root_evidence())
            extra += 1
        if r.random() < 0.05:
            fields.append('description: "Developed in review round %d"' % r.randint(1, 9))
        self.out[slot] = self.claim_text(name, title, scope, fields)
        self.claim_slots.append(slot)

        # Share the budget among the sub-claims, in random proportions.
        left = max(remaining - extra, n * 3)
        weights = [r.random() + 0.5 for _ in range(n)]
        tot = sum(weights)
        sub_anc = ancestors + [scope]
        for kid, sc, w in zip(kids, children_scopes, weights):
            self.claim(kid, sc, max(3, int(round(left * w / tot))), depth + 1, name, sub_anc)

    def root_evidence(self):
        """The module's root also rests on fleet monitoring over the module's trial zone."""
        return self.evidence_decl("Fleet monitoring of zone %s" % self.tag,
                                  [("incident_rate", "0", "Trials_" + self.tag)],
                                  kind="field_monitoring")

    def split(self, scope, var, b):
        r = self.rng
        out = []
        if var in SPLIT_VARS:
            lo, hi, closed = scope.band(var)
            cuts = sorted(r.sample(range(lo + 1, hi), b - 1))
            edges = [lo] + cuts + [hi]
            for i in range(b):
                s = scope.copy()
                last = i == b - 1
                s.bands[var] = (edges[i], edges[i + 1], closed if last else False)
                out.append(s)
        elif var == "light":
            vals = list(scope.light if scope.light is not None else LIGHT)
            r.shuffle(vals)
            k = min(b, len(vals))
            groups = [vals[i::k] for i in range(k)]
            for g in groups:
                s = scope.copy()
                s.light = tuple(v for v in LIGHT if v in g)
                out.append(s)
        else:  # fog
            for v in (True, False):
                s = scope.copy()
                s.fog = v
                out.append(s)
        return out

    def leaf(self, name, scope, budget, depth, parent, ancestors):
        r = self.rng
        title = "%s is adequate (%s)" % (r.choice(TOPICS).capitalize(), name)
        fields = []
        mit = self.mitigations(depth, root=(depth == 0))
        if mit:
            fields.append("mitigates: %s" % ", ".join(mit))
        if self.flaw is None and not self.args.supported and depth > 0 and r.random() < 0.03:
            fields.append("undeveloped")
            self.emit("claim", self.claim_text(name, title, scope, fields))
            self.claim_slots.append(len(self.out) - 1)
            return
        slot = self.placeholder()
        self.stats.add("claim")
        reqs = r.sample(METRIC_NAMES, r.choice((1, 1, 2)))
        fields.insert(0, "requires: %s" % ", ".join("%s %s" % (m, METRICS[m][0]) for m in reqs))

        def region():
            x = r.random()
            if x < 0.45 or not ancestors:
                return scope.render()
            if x < 0.75:
                return r.choice(ancestors[-3:]).render()
            if x < 0.9:
                return "Zone_" + self.tag
            return "Trials_" + self.tag

        # Spend the budget: a claim, then about 1.65 declarations per evidence (with its
        # artifacts) and 0.3 for defeaters and attachments.
        n_ev = min(3, max(1, int((budget - 1.3) / 1.65 + r.random())))
        evs = []
        for i in range(n_ev):
            ms = reqs if i == 0 else r.sample(reqs, 1)
            metrics = [(m, METRICS[m][1](r), region()) for m in ms]
            evs.append(self.evidence_decl("Campaign for %s, part %d" % (name, i + 1), metrics,
                                          independent=evs[0] if evs and r.random() < 0.5 else None))
        supp = list(evs)
        if depth == 0:
            supp.append(self.root_evidence())
        if r.random() < 0.12:
            self.defeater("undermines", evs[0], "The campaign for %s may be biased" % name)
        self.attachments(name, True, 0.08)
        if self.flaw == "cycle":
            supp.append(parent or name)
        elif self.flaw == "unknown-name":
            supp.append("E_no_such_evidence")
        elif self.flaw == "unsupported-claim":
            g = "G_flaw_unsupported"
            supp.append(g)
            self.out.append(self.claim_text(g, "A sub-claim nobody argued for", scope, []))
        self.flaw = None
        fields.append("supported_by: %s" % ", ".join(supp))
        self.out[slot] = self.claim_text(name, title, scope, fields)
        self.claim_slots.append(slot)

    def generate(self):
        r = self.rng
        lo, hi, closed = self.zone
        zone_cond = "distance in [%d, %d%s" % (lo, hi, "]" if closed else ")")
        self.emit("odd", 'odd Zone_%s "Distance zone of %s" = Operating where %s'
                  % (self.tag, self.tag, zone_cond))
        self.emit("odd", 'odd Trials_%s "Trial conditions of zone %s" = Trials_area where %s'
                  % (self.tag, self.tag, zone_cond))
        if self.args.hazards:
            return self.generate_spread()
        nh = max(1, self.budget // 300)
        for i in range(nh):
            h = "H_%s_%d" % (self.tag, i + 1)
            self.emit("hazard", 'hazard %s "Hazard %d of zone %s" {\n  severity: %s\n'
                      "  likelihood: %s\n  matrix: std.risk.MilStd882\n}"
                      % ((h, i + 1, self.tag) + rating(r, self.args)))
            self.hazards.append(h)
        root = "G_" + self.tag
        self.claim(root, Scope("Zone_" + self.tag), self.budget - 2 - nh, 0, None, [])
        assert not self.hazards
        return root

    def generate_spread(self):
        """--hazards: the tree first, without hazards; then this module's hazards, each
        mitigated by random claims of the tree (their texts get a `mitigates:` line)."""
        hr = random.Random("%s/hazards/%s" % (self.args.seed, self.tag))
        nh = self.n_hazards
        root = "G_" + self.tag
        self.claim(root, Scope("Zone_" + self.tag), self.budget - 2 - nh, 0, None, [])
        mitigated_by = {}                   # index in `out` -> hazards
        for i in range(nh):
            h = "H_%s_%d" % (self.tag, i + 1)
            self.emit("hazard", 'hazard %s "Hazard %d of zone %s" {\n  severity: %s\n'
                      "  likelihood: %s\n  matrix: std.risk.MilStd882\n}"
                      % ((h, i + 1, self.tag) + rating(hr, self.args)))
            slots = [hr.choice(self.claim_slots)]
            if hr.random() < 0.05:
                slots.append(hr.choice(self.claim_slots))
            for slot in set(slots):
                mitigated_by.setdefault(slot, []).append(h)
        for slot, hs in mitigated_by.items():
            head, scope_line, rest = self.out[slot].split("\n", 2)
            self.out[slot] = "\n".join([head, scope_line, "  mitigates: " + ", ".join(hs), rest])
        return root


def artifact_path(k):
    if READ_FILES:
        return "files/f%05d.%s" % (k, {"json": "json", "csv": "csv", "junit": "xml"}[file_format(k)])
    return "files/f%05d.txt" % k


def artifact_content(seed, k):
    if k in CONTENTS:
        return CONTENTS[k]
    return ("Stand-in artifact %d of a generated case (seed %d)\n" % (k, seed)).encode() * 4


_SHA = {}


def artifact_sha(args, k):
    """File k's SHA-256; with --reads, before finish_reads wrote the files' contents, a
    placeholder that finish_reads replaces."""
    if args.reads and not CONTENTS:
        return "@@S%d@@" % k
    if k not in _SHA:
        _SHA[k] = hashlib.sha256(artifact_content(args.seed, k)).hexdigest()
    return _SHA[k]


# --reads: every value that may be read (a metric value, or an evidence's result when `metric` is
# None), in generation order; and, once chosen, each file's contents by number.
class Read:
    __slots__ = ("tag", "evidence", "metric", "value", "region", "artifact", "file")

    def __init__(self, tag, evidence, metric, value, region, artifact, file):
        self.tag, self.evidence, self.metric, self.value = tag, evidence, metric, value
        self.region, self.artifact, self.file = region, artifact, file

    def key(self):
        return "%s/%s/%s" % (self.tag, self.evidence, self.metric or "result")


READS = []
CONTENTS = {}
READ_FILES = False      # --reads: the files are reports, named by their format


def file_format(k):
    return ("json", "json", "csv", "junit")[k % 4]


def finish_reads(args):
    """Chooses the --reads values read, writes each file's contents into CONTENTS and returns
    (the indices in READS read, a count per format)."""
    if len(READS) < args.reads:
        sys.exit("gen_case: --reads %d, but the case has only %d values that can be read (more "
                 "--elements)" % (args.reads, len(READS)))
    order = sorted(range(len(READS)), key=lambda i: (zlib.crc32(READS[i].key().encode()),
                                                     READS[i].key()))
    chosen = set(order[:args.reads])
    per_file = {}
    counts = {}
    for i in sorted(chosen):
        rd = READS[i]
        per_file.setdefault(rd.file, []).append(rd)
        fmt = file_format(rd.file)
        counts[fmt] = counts.get(fmt, 0) + 1
    for k in range(args.with_artifacts):
        fmt = file_format(k)
        reads = sorted(per_file.get(k, []), key=lambda rd: (rd.tag, rd.evidence, rd.metric))
        if fmt == "json":
            # {"config": ..., "results": {module: {evidence: {metric: value}}}}, values as typed
            tree = {}
            for rd in reads:
                tree.setdefault(rd.tag, {}).setdefault(rd.evidence, []).append(rd)
            mods = []
            for tag in sorted(tree):
                evs = ['      "%s": {%s}' % (ev, ", ".join('"%s": %s' % (rd.metric, rd.value)
                                                          for rd in tree[tag][ev]))
                       for ev in sorted(tree[tag])]
                mods.append('    "%s": {\n%s\n    }' % (tag, ",\n".join(evs)))
            text = ('{\n  "config": {"generator": "bench/gen_case.py", "seed": %d, "file": %d},\n'
                    '  "results": {%s}\n}\n'
                    % (args.seed, k, "\n" + ",\n".join(mods) + "\n  " if mods else ""))
        elif fmt == "csv":
            text = "module,evidence,metric,value\n" + "".join(
                "%s,%s,%s,%s\n" % (rd.tag, rd.evidence, rd.metric, rd.value) for rd in reads)
        else:
            # A passing report (its result is read as pass): 1 to 5 test cases, one skipped in
            # every third report.
            n = 1 + k % 5
            cases = []
            for c in range(n):
                body = "><skipped/></testcase>" if k % 3 == 0 and c == n - 1 and n > 1 else "/>"
                cases.append('    <testcase classname="bench.f%05d" name="test_%d" '
                             'time="0.%03d"%s' % (k, c + 1, (k * 7 + c) % 1000, body))
            text = ('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
                    '  <testsuite name="bench file %d" tests="%d">\n%s\n  </testsuite>\n'
                    '</testsuites>\n' % (k, n, "\n".join(cases)))
        CONTENTS[k] = text.encode()
    return chosen, counts


def render_reads(args, text, chosen):
    """Replaces the --reads placeholders of `text`: each file's true SHA-256, and each value
    read (or typed, when not chosen or with --reads-typed)."""
    def line(m):
        if m.group(1) == "S":
            return artifact_sha(args, int(m.group(2)))
        i = int(m.group(2))
        rd = READS[i]
        read = i in chosen and not args.reads_typed
        if rd.metric is None:
            return "  result: read %s junit" % rd.artifact if read else "  result: pass"
        if not read:
            return "  metric %s = %s over %s" % (rd.metric, rd.value, rd.region)
        if file_format(rd.file) == "json":
            selector = 'json "/results/%s/%s/%s"' % (rd.tag, rd.evidence, rd.metric)
        else:
            selector = 'csv "value" row "module" = "%s", "evidence" = "%s", "metric" = "%s"' % (
                rd.tag, rd.evidence, rd.metric)
        return "  metric %s = read %s %s over %s" % (rd.metric, rd.artifact, selector, rd.region)
    return re.sub(r"@@([RS])(\d+)@@", line, text)


def module_tag(i, m):
    return "m%0*d" % (max(4, len(str(m))), i)


def common_text(stats, args):
    stats.add("domain")
    stats.add("odd", 2)
    lines = ['domain %s "Open-sea operating conditions" {' % DOMAIN]
    for v, (lo, hi, unit) in REALS.items():
        lines.append('  %-9s : real [%d, %d] unit "%s"' % (v, lo, hi, unit))
    lines += ["  sea_state : int [0, 9]",
              "  light     : enum { %s }" % ", ".join(LIGHT),
              "  fog       : bool",
              "}",
              'odd Operating "Autonomous operation allowed" = %s where sea_state <= 5' % DOMAIN,
              'odd Trials_area "Conditions covered by sea trials" = %s where sea_state <= 7'
              % DOMAIN]
    if args.shared_artifact:
        stats.add("artifact")
        k = args.with_artifacts - 1
        lines.append('artifact model_weights "%s" sha256 "%s"'
                     % (artifact_path(k), artifact_sha(args, k)) if args.with_artifacts
                     else 'artifact model_weights "model/weights.bin"')
    return "\n".join(lines) + "\n"


def main_text(stats, roots, args):
    stats.add("artifact", 2)
    stats.add("evidence")
    stats.add("hazard")
    stats.add("claim")
    stats.add("strategy")
    stats.add("justification")
    stats.add("context")
    stats.add("rule")
    rules = []
    if args.rules:
        stats.add("rule", len(RULES))
        rules = ['rule %s "%s" { %s }' % r for r in RULES]
    return "\n".join([
        ('artifact fleet_log "%s" sha256 "%s"' % (artifact_path(0), artifact_sha(args, 0))
         if args.with_artifacts else 'artifact fleet_log "logs/fleet.csv"'),
        'artifact conops "docs/conops.pdf"',
        'evidence E_fleet "Fleet-wide monitoring" {',
        "  kind: field_monitoring",
        "  artifacts: fleet_log",
        "  result: pass",
        "  metric incident_rate = 0 over Trials_area",
        "}",
        'hazard H_top "Loss of control of the vessel" {',
        "  severity: catastrophic",
        "  likelihood: improbable",
        "  matrix: std.risk.MilStd882",
        "}",
        'claim G_top "The fleet operates acceptably safely in the operating domain" {',
        "  scope: Operating",
        "  mitigates: H_top",
        "  supported_by: E_fleet",
        "}",
        'strategy S_top "Argue over distance zones" for G_top {',
        "  cover: distance",
        "  supported_by: %s" % ", ".join(roots),
        '  justification: "The zones tile the distance range"',
        "}",
        'justification J_top "Each zone has its own operating team" for S_top',
        'context C_top "Concept of operations" for G_top, S_top { artifacts: conops }',
        'rule R_pass "All evidence has passed" { forall e in evidence: e.result == pass }',
    ] + rules) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--elements", type=int, required=True, help="about how many declarations")
    ap.add_argument("--modules", type=int, default=1,
                    help="number of module files besides main and common (0: one file)")
    ap.add_argument("--branching", type=int, default=4, help="sub-claims per strategy")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flaw", choices=FLAWS, help="inject exactly one error of this kind")
    ap.add_argument("--with-artifacts", type=int, default=0, metavar="K",
                    help="write K artifact files under files/ and point every artifact at one "
                         "of them with its true SHA-256, so that evidence is valid for prove")
    ap.add_argument("--supported", action="store_true",
                    help="no undeveloped leaves and every hazard rated at a risk level "
                         "std.risk.MilStd882 accepts: with --with-artifacts, the top claim is "
                         "supported (for `assure impact` benchmarks)")
    ap.add_argument("--shared-artifact", type=int, default=0, metavar="N",
                    help="declare artifact model_weights in bench.common and let about N pieces "
                         "of evidence, spread over the case, rest on it too (for `assure impact "
                         "--change artifact:model_weights` benchmarks)")
    ap.add_argument("--hazards", type=int, default=0, metavar="N",
                    help="exactly N hazards, spread over the modules and mitigated by random "
                         "claims of their trees (default: about one per 300 declarations, "
                         "all mitigated by the module's root claim)")
    ap.add_argument("--rules", action="store_true",
                    help="append RULES to main.assure (and give evidence approvers)")
    ap.add_argument("--reads", type=int, default=0, metavar="N",
                    help="with --with-artifacts: make the artifact files JSON, CSV and JUnit "
                         "reports and read exactly N values from them (metric values, and "
                         "results from JUnit) instead of typing them")
    ap.add_argument("--reads-typed", action="store_true",
                    help="with --reads N: the same case and files, but the N values typed "
                         "(the baseline for reading)")
    ap.add_argument("--out", required=True, help="output folder (created if needed)")
    args = ap.parse_args()
    if args.modules < 0 or args.branching < 2 or args.elements < 1 or args.hazards < 0:
        ap.error("need --modules >= 0, --branching >= 2, --elements >= 1, --hazards >= 0")
    if args.reads < 0 or (args.reads and not args.with_artifacts):
        ap.error("--reads N needs N >= 0 and --with-artifacts K (the files values are read from)")
    if args.reads_typed and not args.reads:
        ap.error("--reads-typed needs --reads N")

    global READ_FILES
    READ_FILES = args.reads > 0
    rng = random.Random(args.seed)
    stats = Stats()
    single = args.modules == 0
    m = max(1, args.modules)
    overhead = 3 + 10                                 # common + main
    # 0.94: measured ratio of the budget to what the tree actually emits.
    per_module = max(8, int((args.elements - overhead) / m * 0.94))
    # Zones: cut the distance range into m bands.
    dlo, dhi, _ = REALS["distance"]
    cuts = sorted(rng.sample(range(dlo + 1, dhi), m - 1)) if m > 1 else []
    edges = [dlo] + cuts + [dhi]
    flaw_module = (m + 1) // 2

    os.makedirs(args.out, exist_ok=True)
    for old in os.listdir(args.out):   # files of an earlier run with more modules
        if old == "main.assure" or old == "common.assure" or (
                old.startswith("m") and old.endswith(".assure") and old[1:-7].isdigit()):
            os.remove(os.path.join(args.out, old))
    namer = Namer()
    roots = []
    bodies = []
    total_bytes = 0
    for i in range(1, m + 1):
        tag = module_tag(i, m)
        gen = ModuleGen(random.Random("%d/%d" % (args.seed, i)),
                        namer if single else Namer(), stats, args, tag,
                        (edges[i - 1], edges[i], i == m), per_module,
                        args.flaw if i == flaw_module else None,
                        args.hazards // m + (1 if i <= args.hazards % m else 0))
        roots.append(gen.generate())
        bodies.append((tag, "\n".join(gen.out) + "\n"))

    # The artifact files, once every value that may be read from them is known (--reads).
    chosen, read_counts = finish_reads(args) if args.reads else (set(), {})
    if args.with_artifacts:
        os.makedirs(os.path.join(args.out, "files"), exist_ok=True)
        for k in range(args.with_artifacts):
            with open(os.path.join(args.out, artifact_path(k)), "wb") as f:
                f.write(artifact_content(args.seed, k))
    if args.reads:
        bodies = [(tag, render_reads(args, body, chosen)) for tag, body in bodies]
    if not single:
        for tag, body in bodies:
            text = ("// Generated by bench/gen_case.py (seed %d)\nmodule bench.%s\n"
                    "import std.risk\nimport bench.common\n\n%s" % (args.seed, tag, body))
            with open(os.path.join(args.out, tag + ".assure"), "w") as f:
                f.write(text)
            total_bytes += len(text.encode())

    header = "// Generated by bench/gen_case.py: %s\n" % " ".join(
        "%s=%s" % kv for kv in sorted(vars(args).items())
        if kv[0] != "out" and not (kv[0] in ("hazards", "rules", "reads", "reads_typed")
                                   and not kv[1]))
    common = common_text(stats, args)
    top = main_text(stats, roots, args)
    if single:
        text = header + "module bench.main\nimport std.risk\n\n" + common + "\n" + top + "\n" \
            + "\n".join(body for _, body in bodies)
    else:
        ctext = "// Generated by bench/gen_case.py\nmodule bench.common\n\n" + common
        with open(os.path.join(args.out, "common.assure"), "w") as f:
            f.write(ctext)
        total_bytes += len(ctext.encode())
        text = header + "module bench.main\nimport std.risk\nimport bench.common\n" + "".join(
            "import bench.%s\n" % module_tag(i, m) for i in range(1, m + 1)) + "\n" + top
    with open(os.path.join(args.out, "main.assure"), "w") as f:
        f.write(text)
    total_bytes += len(text.encode())

    kinds = ", ".join("%s %d" % kv for kv in sorted(stats.kinds.items()))
    reads = ""
    if args.reads:
        reads = "; %d values %s (%s) from %d of %d files" % (
            args.reads, "typed that are read otherwise" if args.reads_typed else "read",
            ", ".join("%s %d" % kv for kv in sorted(read_counts.items())),
            len({READS[i].file for i in chosen}), args.with_artifacts)
    print("gen_case: %d declarations (%s); %d files, %d bytes in %s%s"
          % (stats.total(), kinds, 1 if single else m + 2, total_bytes, args.out, reads),
          file=sys.stderr)


if __name__ == "__main__":
    main()
