// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/prove: the proof engine behind prove() and reprove() (prove.cpp, update.cpp).

#include "ir/analysis.hpp"
#include "prove/argument_index.hpp"
#include "prove/evidence.hpp"
#include "prove/rules.hpp"
#include "support/assert.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_set>

namespace assure::prove::detail {

using sema::DeclKind;
using solver::Verdict;

/// What a proof of a program found about its argument that no state changes: what each element's
/// judgement reads, and in which order (ProveOptions::incremental, reprove()).
struct Structure {
    const sema::Program *program = nullptr;
    bool require_artifacts = false;
    solver::SolveOptions solve;
    std::vector<std::vector<std::uint32_t>> attackers; // by DeclId: defeater indices
    std::vector<ir::NodeId> order;                     // dependency order: supporters first
    std::vector<std::uint32_t> position;               // by DeclId: its place in `order`
    /// By DeclId, as offsets into dependent_list: the elements whose judgement reads its status
    /// (what it supports, a defeater's target, a defeater resolved by it, a claim whose
    /// requirements it measures).
    std::vector<std::uint32_t> dependent_offset;
    std::vector<DeclId> dependent_list;
    /// By claim, by requirement: the measurements of its metric under the claim, in the order
    /// the requirement considers them.
    std::vector<std::vector<std::vector<Measurement>>> candidates;
    std::vector<std::vector<std::uint32_t>> evidence_of; // by artifact: the evidence resting on
                                                         // it or reading from it (indices)
    std::vector<ir::TermId> scope_term;                  // by claim (Engine::scope_of)
    /// The argument's index for rules and risk (it memoizes what rules ask: only the engine
    /// judging the next state uses it, one proof at a time).
    std::shared_ptr<ArgumentIndex> index;
};

class Engine {
  public:
    Engine(const sema::Program &prog, const lower::Lowered &lowered,
           const support::SourceManager &sources, const ProveOptions &options, ProofResult &out)
        : prog_(prog), lowered_(lowered), sources_(sources), options_(options), out_(out) {}

    void run() {
        auto structure = std::make_shared<Structure>();
        build_ = structure.get();
        st_ = structure;
        build_->program = &prog_;
        build_->require_artifacts = options_.require_artifacts;
        build_->solve = options_.solve;
        index();
        check_artifacts();
        read_artifact_values();
        local_evidence();
        phase("artifacts");
        Reuse *reuse = options_.reuse.get();
        if (reuse != nullptr && !reuse->constraints) {
            reuse->constraints = std::make_shared<lower::ConstraintBuilder>(prog_, sources_);
        }
        out_.constraints = reuse != nullptr
                               ? reuse->constraints
                               : std::make_shared<lower::ConstraintBuilder>(prog_, sources_);
        out_.batch = std::make_shared<solver::Batch>(out_.constraints->model(), options_.solve,
                                                     options_.lanes,
                                                     reuse != nullptr ? reuse->outcomes : nullptr);
        inherit_assumptions();
        build_obligations();
        phase("obligations");
        out_.batch->solve();
        phase("decide");
        propagate();
        for (ir::NodeId n : ir::top_claims(lowered_.graph)) {
            out_.top_claims.push_back(lowered_.decl_of[n.value]);
        }
        phase("propagate");
        if (!prog_.rules.empty() || !prog_.hazards.empty()) {
            rules();
            phase("rules");
        }
        if (options_.incremental) {
            finish_structure();
            out_.structure = st_;
            out_.local_ok = std::move(local_ok_);
        }
        build_ = nullptr;
    }

    /// reprove(): judges again, from `prev`, what the change of state can change (update.cpp);
    /// false when `prev` cannot be started from (nothing is done then).
    bool update(const ProofResult &prev);

  private:
    /// Tells ProveOptions::on_phase that phase `name` is done.
    void phase(const char *name) const {
        if (options_.on_phase) {
            options_.on_phase(name);
        }
    }
    /// The rest of the structure, once the full proof is done (update.cpp).
    void finish_structure();
    /// update(): puts the obligations where a full proof puts them (update.cpp).
    void place_obligations(const ProofResult &prev, std::uint32_t before,
                           const std::vector<std::uint32_t> &redone);

    // ---- rules -----------------------------------------------------------------------------

    /// Evaluates the rules; each violated rule fails the top claims its violations affect, with
    /// one reason per rule naming (up to three of) its violations. Top claims support nothing,
    /// so nothing above them needs propagating again.
    void rules() {
        ArgumentIndex *index = st_->index.get();
        if (index == nullptr && build_ != nullptr && options_.incremental) {
            build_->index = std::make_shared<ArgumentIndex>(prog_);
            index = build_->index.get();
        }
        evaluate_rules_and_risk(prog_, options_.overrides, options_.date, out_, index);
        for (std::uint32_t h = 0; h < out_.hazards.size(); ++h) {
            for (const auto &f : out_.hazards[h].findings) {
                for (DeclId t : f.affected) {
                    add(out_.elements[t.value],
                        {f.kind == RiskFinding::Kind::DemandUnmet ? ReasonKind::RiskDemand
                                                                  : ReasonKind::ResidualRisk,
                         f.status, prog_.hazards[h].decl, kNone, kNone, f.text, f.derived});
                }
            }
        }
        for (std::uint32_t ri = 0; ri < out_.rules.size(); ++ri) {
            rule_reasons(ri, out_.rules[ri].violations, false);
            rule_reasons(ri, out_.rules[ri].undecided, true);
        }
    }

    /// One reason per top claim naming (up to three of) the violations, or the undecided
    /// instances, of rule `ri` that affect it.
    void rule_reasons(std::uint32_t ri, const std::vector<RuleViolation> &found, bool undecided) {
        std::map<std::uint32_t, std::vector<const RuleViolation *>> by_top;
        for (const auto &v : found) {
            for (DeclId t : v.affected) {
                by_top[t.value].push_back(&v);
            }
        }
        const DeclId rule = prog_.rules[ri].decl;
        for (const auto &[top, list] : by_top) {
            std::string text = "rule " + name(rule);
            if (undecided) {
                text += list.front()->bindings.empty() ? " is undecided: " + list.front()->unknown
                                                       : " is undecided for ";
            } else {
                text += list.front()->bindings.empty() ? " does not hold" : " is violated by ";
            }
            if (!list.front()->bindings.empty()) {
                constexpr std::size_t kShown = 3;
                for (std::size_t i = 0; i < list.size() && i < kShown; ++i) {
                    text += (i == 0      ? ""
                             : undecided ? "; for "
                                         : "; by ") +
                            violation_text(*list[i]);
                    if (undecided) {
                        text += " (" + list[i]->unknown + ")";
                    }
                }
                if (list.size() > kShown) {
                    text += " (and " + std::to_string(list.size() - kShown) + " more)";
                }
            }
            add(out_.elements[top],
                {undecided ? ReasonKind::RuleUnknown : ReasonKind::RuleViolated,
                 undecided ? Status::Unknown : Status::Unsupported, rule, kNone, ri, text});
        }
    }

    std::string violation_text(const RuleViolation &v) const {
        std::string text;
        for (const auto &b : v.bindings) {
            text += (text.empty() ? "" : ", ") + b.var + " = " + name(b.element);
        }
        return text;
    }

    // ---- indexes ---------------------------------------------------------------------------

    void index() {
        out_.elements.resize(prog_.decls.size());
        out_.defeaters.assign(prog_.defeaters.size(), Activity::Active);
        out_.defeater_status.reserve(prog_.defeaters.size());
        for (std::uint32_t d = 0; d < prog_.defeaters.size(); ++d) {
            out_.defeater_status.push_back(status_of(d));
        }
        out_.claims.resize(prog_.claims.size());
        out_.strategies.resize(prog_.strategies.size());
        out_.strategies_of.resize(prog_.claims.size());
        out_.assumptions_of.resize(prog_.decls.size());
        build_->attackers.resize(prog_.decls.size());
        for (std::uint32_t s = 0; s < prog_.strategies.size(); ++s) {
            const DeclId parent = prog_.strategies[s].parent;
            if (parent.valid() && prog_.decl(parent).kind == DeclKind::Claim) {
                out_.strategies_of[prog_.decl(parent).index].push_back(s);
            }
        }
        for (std::uint32_t d = 0; d < prog_.defeaters.size(); ++d) {
            const DeclId target = prog_.defeaters[d].target;
            if (target.valid()) {
                build_->attackers[target.value].push_back(d);
            }
        }
        for (std::uint32_t a = 0; a < prog_.attachments.size(); ++a) {
            const auto &at = prog_.attachments[a];
            if (at.kind != sema::AttachmentKind::Assumption) {
                continue;
            }
            for (DeclId t : at.targets) {
                if (t.valid()) {
                    out_.assumptions_of[t.value].push_back(a);
                }
            }
        }
    }

    // ---- evidence: result, expiry, artifacts, values read (evidence.cpp) -------------------

    void check_artifacts() { prove::check_artifacts(prog_, sources_, options_, out_, disk_); }
    void read_artifact_values() { prove::read_artifact_values(prog_, options_, out_, disk_); }
    void local_evidence() { judge_evidence(prog_, options_, out_, local_ok_); }

    static void add(ElementResult &r, Reason reason) { add_reason(r, std::move(reason)); }

    // ---- obligations -----------------------------------------------------------------------

    std::string name(DeclId id) const { return prog_.qualified_name(id); }

    /// "E measured recall = 0.94 [0.93, 0.95]", and for a value read, the file and selector it
    /// was read from (explain adds the SHA-256 and the text read).
    std::string measured_text(const Measurement &m) const {
        const std::uint32_t ei = prog_.decl(m.evidence).index;
        const sema::Metric &metric = prog_.evidence[ei].metrics[m.metric];
        std::string text = name(m.evidence) + " measured " + metric.name + " = " +
                           measurement_text(prog_, out_, ei, m.metric);
        if (metric.read != sema::kNone) {
            const sema::ReadSpec &spec = prog_.reads[metric.read];
            text += ", read from " + out_.artifacts[prog_.decl(spec.artifact).index].path + " " +
                    read_selector_text(spec);
            if (const std::string bound = read_bound_text(spec); !bound.empty()) {
                text += " " + bound;
            }
        }
        return text;
    }
    std::string where(support::Span span) const { return line_of(sources_, span); }

    /// A query under construction, with one note per assertion.
    struct Draft {
        ir::Query query;
        std::vector<Note> notes;
        void add(ir::TermId term, Note note) {
            query.assertions.push_back(term);
            notes.push_back(note);
        }
    };

    /// The formal statements of the assumptions attached to `target`.
    void assumptions(DeclId target, Draft &d) {
        for (std::uint32_t a : out_.assumptions_of[target.value]) {
            const auto &at = prog_.attachments[a];
            if (at.formal == kNone) {
                continue;
            }
            if (auto t = out_.constraints->expr(at.formal)) {
                d.add(*t, {NoteKind::Assumption, at.decl, prog_.exprs[at.formal].span});
            }
        }
    }

    /// The claim's scope as a term, lowered once per claim (it is asked for by the claim's
    /// own obligations and by those of the strategies above and below it).
    std::optional<ir::TermId> scope_of(const sema::ClaimInfo &c) {
        if (!c.scope) {
            return std::nullopt;
        }
        const std::uint32_t ci = prog_.decl(c.decl).index;
        if (scope_term_.empty()) {
            scope_term_.assign(prog_.claims.size(), kUnlowered);
        }
        if (scope_term_[ci] == kUnlowered) {
            const auto t = out_.constraints->region(*c.scope);
            scope_term_[ci] = t ? *t : kNoTerm;
        }
        if (scope_term_[ci] == kNoTerm) {
            return std::nullopt;
        }
        return scope_term_[ci];
    }

    ir::TermId negate(ir::TermId t) {
        auto &m = out_.constraints->model();
        return m.apply(ir::TermOp::Not, {t}, m.terms[t].span);
    }

    std::uint32_t add_obligation(ObligationKind kind, DeclId subject, std::uint32_t index,
                                 Draft draft) {
        Obligation ob{kind, subject, index, kNone, {}, kind == ObligationKind::NonVacuity};
        ob.notes = std::move(draft.notes);
        ob.query = out_.batch->add(std::move(draft.query));
        out_.obligations.push_back(std::move(ob));
        return static_cast<std::uint32_t>(out_.obligations.size() - 1);
    }

    // ---- assumptions below ---------------------------------------------------------------

    /// Whether a strategy's step is checked by the solver: sub-claims' assumptions are
    /// discharged there (each counts only where its assumptions hold), not passed up.
    static bool logical(const sema::StrategyInfo &s) {
        return s.cover != sema::CoverKind::None || s.mode == sema::StrategyMode::Deductive;
    }

    /// Fills ClaimResult::relies_on, supporters before what they support (docs/semantics.md,
    /// "Assumptions below"). Lists are shared work: a budget on their total length keeps a
    /// hostile case (a long chain with an assumption at every level) from growing them
    /// quadratically; past it, the steps that need them are unknown.
    void inherit_assumptions();

    /// The operating points where sub-claim `c` is established: its scope (every point when it
    /// has none) where the assumptions its support rests on hold; nullopt for every point.
    std::optional<ir::TermId> established(const sema::ClaimInfo &c) {
        std::vector<ir::TermId> parts;
        if (auto s = scope_of(c)) {
            parts.push_back(*s);
        }
        for (std::uint32_t a : out_.claims[prog_.decl(c.decl).index].relies_on) {
            if (auto t = out_.constraints->expr(prog_.attachments[a].formal)) {
                parts.push_back(*t);
            }
        }
        if (parts.empty()) {
            return std::nullopt;
        }
        if (parts.size() == 1) {
            return parts.front();
        }
        auto &m = out_.constraints->model();
        const support::Span span = c.scope ? c.scope->span : prog_.decl(c.decl).name_span;
        return m.apply(ir::TermOp::And, std::move(parts), span);
    }

    /// Scope and assumptions of claim `c` as the first assertions of a query; false when the
    /// claim has no scope.
    bool claim_premises(const sema::ClaimInfo &c, Draft &d) {
        bool has_scope = false;
        if (auto s = scope_of(c)) {
            d.add(*s, {NoteKind::Scope, c.decl, c.scope->span});
            has_scope = true;
        }
        assumptions(c.decl, d);
        return has_scope;
    }

    void build_obligations();

    /// The requirements of claim `ci` as its own obligations ask them: each measurement of the
    /// metric under it (`candidates`, by requirement) that satisfies the requirement and whose
    /// evidence is fine before defeaters is used, the others rejected; a requirement some
    /// measurement is used for gets an obligation.
    void split_requirements(std::uint32_t ci,
                            const std::vector<std::vector<Measurement>> &candidates) {
        const auto &c = prog_.claims[ci];
        auto &reqs = out_.claims[ci].requirements;
        for (std::uint32_t r = 0; r < c.requirements.size(); ++r) {
            const auto &req = c.requirements[r];
            reqs[r] = RequirementResult{};
            for (const Measurement &m : candidates[r]) {
                if (measurement_satisfies(prog_, out_, prog_.decl(m.evidence).index, m.metric,
                                          req.op, req.value) &&
                    local_ok_[m.evidence.value] != 0) {
                    reqs[r].used.push_back(m);
                } else {
                    reqs[r].rejected.push_back(m);
                }
            }
            if (!reqs[r].used.empty()) {
                reqs[r].obligation = requirement_obligation(ci, r, reqs[r].used);
            }
        }
    }

    std::uint32_t requirement_obligation(std::uint32_t ci, std::uint32_t r,
                                         const std::vector<Measurement> &used) {
        const auto &c = prog_.claims[ci];
        Draft d;
        claim_premises(c, d);
        for (const Measurement &ms : used) {
            const auto &metric = prog_.evidence[prog_.decl(ms.evidence).index].metrics[ms.metric];
            auto region = out_.constraints->region(metric.over);
            if (!region) {
                continue;
            }
            d.add(negate(*region),
                  {NoteKind::OutsideMeasurement, ms.evidence, metric.span, ms.metric});
        }
        return add_obligation(ObligationKind::Requirement, c.decl, r, std::move(d));
    }

    /// Evidence anywhere under claim `claim`: in its supported_by, its strategies', and below.
    std::vector<DeclId> evidence_under(DeclId claim);

    // ---- propagation -----------------------------------------------------------------------

    /// The status an obligation gives its step, and the reason when it is not fine.
    void judge(ElementResult &r, std::uint32_t ob, ReasonKind failure, const std::string &what) {
        if (ob == kNone) {
            return;
        }
        const Obligation &o = out_.obligations[ob];
        const solver::Outcome &outcome = out_.outcome(ob);
        switch (outcome.verdict) {
        case Verdict::Sat:
            if (!o.holds_on_sat) {
                add(r,
                    {failure,
                     Status::Unsupported,
                     {},
                     ob,
                     o.index,
                     what + (outcome.model ? ": " + solver::format_point(out_.constraints->model(),
                                                                         *outcome.model)
                                           : "")});
            }
            break;
        case Verdict::Unsat:
            if (o.holds_on_sat) {
                add(r, {failure, Status::Unsupported, {}, ob, o.index, what});
            }
            break;
        case Verdict::Unknown:
            add(r, {ReasonKind::SolverUnknown,
                    Status::Unknown,
                    {},
                    ob,
                    o.index,
                    "the solver gave up (" + outcome.unknown_reason + ") on whether " +
                        question_of(o.kind)});
            break;
        }
    }

    /// What an obligation of `kind` asks, as the end of "whether ...".
    static const char *question_of(ObligationKind kind) {
        switch (kind) {
        case ObligationKind::NonVacuity:
            return "its scope has an operating point";
        case ObligationKind::Cover:
            return "the sub-claims' scopes cover the parent's";
        case ObligationKind::Partition:
            return "two sub-claims' scopes overlap";
        case ObligationKind::Deductive:
            return "the premises entail the parent's formal statement";
        case ObligationKind::Requirement:
            return "the requirement is met over the whole scope";
        }
        return "?";
    }

    void attacked(ElementResult &r, DeclId target, sema::DefeaterRelation relation) {
        for (std::uint32_t d : st_->attackers[target.value]) {
            const auto &df = prog_.defeaters[d];
            if (df.relation != relation) {
                continue;
            }
            const Activity a = out_.defeaters[d];
            if (a == Activity::Active) {
                add(r, {ReasonKind::ActiveDefeater, Status::Unsupported, df.decl, kNone, kNone,
                        "defeater " + name(df.decl) + " is active (" + why_active(df) +
                            "): " + df.title});
            } else if (a == Activity::Unknown) {
                add(r, {ReasonKind::DefeaterUnknown, Status::Unknown, df.decl, kNone, kNone,
                        "whether defeater " + name(df.decl) + " is active is unknown"});
            }
        }
    }

    /// Why an active defeater is active, in words.
    std::string why_active(const sema::DefeaterInfo &df) const {
        if (status_of(prog_.decl(df.decl).index) == sema::DefeaterStatus::Open) {
            return prog_.defeaters[prog_.decl(df.decl).index].status == sema::DefeaterStatus::Open
                       ? "status: open"
                       : "opened by a hypothetical change";
        }
        if (df.resolved_by.empty()) {
            return "marked resolved, but nothing is named in resolved_by";
        }
        std::vector<DeclId> failing;
        for (DeclId r : df.resolved_by) {
            if (out_.status(r) != Status::Supported) {
                failing.push_back(r);
            }
        }
        return "its resolution does not hold: " +
               support::join_elided(
                   failing.size(),
                   [&](std::size_t k) {
                       const DeclId r = failing[k];
                       return name(r) + " is " +
                              (prog_.decl(r).kind == DeclKind::Evidence
                                   ? evidence_status_name(out_.status(r))
                                   : verdict_name(out_.status(r)));
                   },
                   ", ");
    }

    void propagate() {
        for (ir::NodeId n : st_->order) {
            const DeclId id = lowered_.decl_of[n.value];
            const sema::Decl &d = prog_.decl(id);
            switch (d.kind) {
            case DeclKind::Evidence:
                attacked(out_.elements[id.value], id, sema::DefeaterRelation::Undermines);
                break;
            case DeclKind::Defeater:
                defeater(d.index);
                break;
            case DeclKind::Strategy:
                strategy(d.index);
                break;
            case DeclKind::Claim:
                claim(d.index);
                break;
            default:
                break;
            }
        }
    }

    sema::DefeaterStatus status_of(std::uint32_t di) const {
        const auto it = options_.overrides.defeater_status.find(di);
        return it != options_.overrides.defeater_status.end() ? it->second
                                                              : prog_.defeaters[di].status;
    }

    void defeater(std::uint32_t di) {
        const auto &df = prog_.defeaters[di];
        const sema::DefeaterStatus status = status_of(di);
        if (status == sema::DefeaterStatus::Withdrawn) {
            out_.defeaters[di] = Activity::Inactive;
            return;
        }
        // Kleene logic over yes / unknown / no.
        Activity resolved = Activity::Inactive; // "no"
        if (status == sema::DefeaterStatus::Resolved && !df.resolved_by.empty()) {
            Status all = Status::Supported;
            for (DeclId r : df.resolved_by) {
                all = worst(all, out_.status(r));
            }
            resolved = all == Status::Supported ? Activity::Active
                       : all == Status::Unknown ? Activity::Unknown
                                                : Activity::Inactive;
        }
        Activity defeated = Activity::Inactive;
        for (std::uint32_t other : st_->attackers[df.decl.value]) {
            if (prog_.defeaters[other].relation == sema::DefeaterRelation::Defeats) {
                defeated = std::max(defeated, out_.defeaters[other]);
            }
        }
        const Activity answered = std::max(resolved, defeated);
        out_.defeaters[di] = answered == Activity::Active    ? Activity::Inactive
                             : answered == Activity::Unknown ? Activity::Unknown
                                                             : Activity::Active;
    }

    void strategy(std::uint32_t si) {
        const auto &s = prog_.strategies[si];
        ElementResult &r = out_.elements[s.decl.value];
        attacked(r, s.decl, sema::DefeaterRelation::Undercuts);
        const StrategyResult &sr = out_.strategies[si];
        if (sr.assumptions_untracked) {
            add(r, {ReasonKind::SolverUnknown,
                    Status::Unknown,
                    {},
                    kNone,
                    kNone,
                    "the assumptions its sub-claims rest on are too many to track (a resource "
                    "limit of the proof): the step is undecided"});
        }
        const bool assumed =
            std::any_of(s.supported_by.begin(), s.supported_by.end(), [&](DeclId d) {
                return d.valid() && prog_.decl(d).kind == DeclKind::Claim &&
                       !out_.claims[prog_.decl(d).index].relies_on.empty();
            });
        judge(r, sr.cover, ReasonKind::CoverGap,
              assumed ? "the sub-claims' scopes, where the assumptions they rest on hold, leave an "
                        "operating point of the parent's scope uncovered"
                      : "the sub-claims' scopes leave an operating point of the parent's scope "
                        "uncovered");
        for (std::uint32_t ob : sr.overlaps) {
            judge(r, ob, ReasonKind::PartitionOverlap,
                  "two sub-claims' scopes overlap (" + overlap_pair(prog_, out_.obligations[ob]) +
                      ")");
        }
        if (s.mode == sema::StrategyMode::Deductive) {
            const auto &parent = prog_.claims[prog_.decl(s.parent).index];
            if (parent.formal == kNone) {
                add(r, {ReasonKind::NoFormal, Status::Unsupported, s.parent, kNone, kNone,
                        "a deductive step needs the formal statement of " + name(s.parent) +
                            ", which has none"});
            }
            judge(r, sr.deductive, ReasonKind::DeductiveCountermodel,
                  "the premises do not entail " + name(s.parent) + "'s formal statement" +
                      (assumed ? " (a sub-claim's formal statement counts only where the "
                                 "assumptions it rests on hold)"
                               : ""));
        }
        std::vector<Status> kids;
        for (DeclId sup : s.supported_by) {
            kids.push_back(out_.status(sup));
        }
        std::sort(kids.begin(), kids.end());
        Status mode = Status::Supported;
        if (!kids.empty()) {
            switch (s.mode) {
            case sema::StrategyMode::AllOf:
            case sema::StrategyMode::Deductive:
                mode = kids.back();
                break;
            case sema::StrategyMode::AnyOf:
                mode = kids.front();
                break;
            case sema::StrategyMode::AtLeast: {
                const std::size_t n = std::clamp<std::size_t>(s.at_least, 1, kids.size());
                mode = kids[n - 1];
                break;
            }
            }
        }
        r.status = worst(r.status, mode);
    }

    void claim(std::uint32_t ci) {
        const auto &c = prog_.claims[ci];
        ElementResult &r = out_.elements[c.decl.value];
        if (c.undeveloped) {
            add(r, {ReasonKind::Undeveloped,
                    Status::Undeveloped,
                    {},
                    kNone,
                    kNone,
                    "marked undeveloped"});
            return;
        }
        attacked(r, c.decl, sema::DefeaterRelation::Rebuts);
        ClaimResult &cr = out_.claims[ci];
        judge(r, cr.vacuity, ReasonKind::Vacuous, vacuity_text(cr.vacuity));
        for (std::uint32_t ri = 0; ri < c.requirements.size(); ++ri) {
            requirement(ci, ri, r);
        }
        Status legs = Status::Supported;
        for (DeclId sup : c.supported_by) {
            legs = worst(legs, out_.status(sup));
        }
        for (std::uint32_t s : out_.strategies_of[ci]) {
            legs = worst(legs, out_.status(prog_.strategies[s].decl));
        }
        r.status = worst(r.status, legs);
    }

    /// "its scope contains no operating point ...", naming the assertions that contradict each
    /// other (the unsat core of the non-vacuity query).
    std::string vacuity_text(std::uint32_t ob) const {
        std::string text = "its scope contains no operating point (with its assumptions)";
        if (ob == kNone || out_.outcome(ob).verdict != Verdict::Unsat) {
            return text;
        }
        const auto &core = out_.outcome(ob).core;
        if (core.size() == 1) {
            return text + ": " + obligation_note(prog_, sources_, out_, ob, core[0]) +
                   " is empty within the variables' bounds";
        }
        std::string parts;
        for (std::size_t k = 0; k < core.size(); ++k) {
            parts += (k == 0                 ? ""
                      : k + 1 == core.size() ? " and "
                                             : ", ") +
                     obligation_note(prog_, sources_, out_, ob, core[k]);
        }
        return parts.empty() ? text : text + ": " + parts + " contradict each other";
    }

    void requirement(std::uint32_t ci, std::uint32_t ri, ElementResult &r);

    const sema::Program &prog_;
    const lower::Lowered &lowered_;
    const support::SourceManager &sources_;
    const ProveOptions &options_;
    ProofResult &out_;
    std::shared_ptr<const Structure> st_; // the structure judged by
    Structure *build_ = nullptr;          // st_, while a full proof builds it
    std::vector<std::string> disk_;       // by artifact: its path on disk
    std::vector<std::uint8_t> local_ok_;  // by DeclId: evidence fine before defeaters
    std::vector<std::uint32_t> seen_;
    std::uint32_t stamp_ = 0;
    static constexpr ir::TermId kUnlowered = 0xffffffffU;
    static constexpr ir::TermId kNoTerm = 0xfffffffeU;
    std::vector<ir::TermId> scope_term_; // by claim index
    /// reprove(): the obligations added since the previous proof's, by where a full proof puts
    /// them: a claim's own (claim index, 1 + requirement) or a requirement asked again during
    /// propagation (claim's position in the order, requirement).
    struct NewObligation {
        std::uint32_t ob;
        bool propagation;
        std::uint32_t major, minor;
    };
    std::vector<NewObligation> added_;
};

} // namespace assure::prove::detail
