// SPDX-License-Identifier: Apache-2.0
#include "impact/impact.hpp"

#include "prove/argument_index.hpp"
#include "prove/risk.hpp"
#include "prove/rules.hpp"
#include "solver/optimize.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace assure::impact {

using prove::ReasonKind;
using prove::Status;
using sema::DeclKind;
support::Decimal cost_of(const sema::Program &program, DeclId evidence) {
    const auto &ev = program.evidence[program.decl(evidence).index];
    return ev.cost.value_or(support::Decimal(1));
}

namespace {

/// Whether element `d` fails in `result` for a reason of its own, not only because a defeater
/// attacks it.
bool has_local_reason(const prove::ProofResult &result, DeclId d) {
    const auto &reasons = result.elements[d.value].reasons;
    return std::any_of(reasons.begin(), reasons.end(), [](const prove::Reason &r) {
        return r.kind != ReasonKind::ActiveDefeater && r.kind != ReasonKind::DefeaterUnknown;
    });
}

/// Whether re-verifying evidence `e` leaves it invalid in `result`: --require-artifacts
/// refuses it for listing no artifact, and re-verifying it records no hash.
bool stays_unpinned(const sema::Program &program, const prove::ProofResult &result, DeclId e) {
    const auto &reasons = result.elements[e.value].reasons;
    return program.evidence[program.decl(e).index].artifacts.empty() &&
           std::any_of(reasons.begin(), reasons.end(), [](const prove::Reason &r) {
               return r.kind == ReasonKind::EvidenceUnpinned;
           });
}

/// The measurements of a requirement's result (valid or not) whose value meets it.
std::vector<prove::Measurement> satisfying(const sema::Program &program,
                                           const prove::ProofResult &result,
                                           const sema::Requirement &req,
                                           const prove::RequirementResult &rr) {
    std::vector<prove::Measurement> out;
    for (const auto *list : {&rr.used, &rr.rejected}) {
        for (const auto &m : *list) {
            if (prove::measurement_satisfies(program, result, program.decl(m.evidence).index,
                                             m.metric, req.op, req.value)) {
                out.push_back(m);
            }
        }
    }
    return out;
}

/// `var == value` for each value of a solver model, as terms of `model`; nullopt when a value
/// is only approximate ("~0.333333") and so cannot be pinned exactly.
std::optional<std::vector<ir::TermId>> pin_point(ir::ConstraintModel &model,
                                                 const solver::Assignment &point) {
    std::vector<ir::TermId> pins;
    for (const auto &[var, value] : point.values) {
        if (!value.empty() && value[0] == '~') {
            return std::nullopt;
        }
        const ir::Var &v = model.vars[var];
        const ir::TermId x = model.add(ir::Term{ir::TermOp::Var, var, 0, {}, {}, {}});
        ir::TermId val = 0;
        if (v.sort == ir::VarSort::Enum) {
            const auto pos = std::find(v.values.begin(), v.values.end(), value);
            val = model.add(ir::Term{ir::TermOp::EnumVal,
                                     var,
                                     static_cast<std::uint32_t>(pos - v.values.begin()),
                                     {},
                                     {},
                                     {}});
        } else if (v.sort == ir::VarSort::Bool) {
            val = model.constant(value == "true");
        } else if (value[0] == '-') {
            val = model.apply(
                ir::TermOp::Neg,
                {model.add(ir::Term{ir::TermOp::Number, 0, 0, value.substr(1), {}, {}})});
        } else {
            val = model.add(ir::Term{ir::TermOp::Number, 0, 0, value, {}, {}});
        }
        pins.push_back(model.apply(ir::TermOp::Eq, {x, val}));
    }
    return pins;
}

/// Builds the support circuit of the changed case: a node per element whose support can
/// still change by re-verifying evidence, the constant status of every other one.
class CircuitBuilder {
  public:
    using Refinements =
        std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::vector<DeclId>>>;

    CircuitBuilder(const sema::Program &prog, const prove::ProofResult &after,
                   const prove::Overrides &changes, const std::set<std::uint32_t> &candidates,
                   const Refinements &refinements)
        : prog_(prog), after_(after), changes_(changes), candidates_(candidates),
          refinements_(refinements) {
        find_reached();
    }

    std::uint32_t node(DeclId d) {
        if (auto it = memo_.find(d.value); it != memo_.end()) {
            return probe_ == nullptr ? it->second : scratch();
        }
        if (!walking_) {
            return walk({false, d.value});
        }
        if (probe_ != nullptr && probe_target_ != Item{false, d.value}) {
            probe_->push_back({false, d.value});
            return scratch();
        }
        std::uint32_t n = 0;
        if (!reached_[d.value] || !building_.insert(d.value).second) {
            // Nothing a re-verification changes is under it (or a cycle, which the structure
            // checks reject): it keeps its status after the change.
            n = c_.constant(after_.status(d) == Status::Supported);
        } else {
            const sema::Decl &decl = prog_.decl(d);
            switch (decl.kind) {
            case DeclKind::Evidence:
                n = evidence(d);
                break;
            case DeclKind::Strategy:
                n = strategy(decl.index);
                break;
            case DeclKind::Claim:
                n = claim(decl.index);
                break;
            default:
                n = c_.constant(false);
                break;
            }
            building_.erase(d.value);
        }
        if (probe_ == nullptr) {
            memo_.emplace(d.value, n);
        }
        return n;
    }

    solver::Circuit &circuit() { return c_; }
    /// Choice node -> evidence.
    const std::map<std::uint32_t, DeclId> &choices() const { return choices_; }

  private:
    /// What `walk` builds: an element's node (`active` false) or a defeater's activity.
    using Item = std::pair<bool, std::uint32_t>;

    bool built(Item item) const {
        return item.first ? active_memo_.count(item.second) != 0 : memo_.count(item.second) != 0;
    }

    /// While probing, what a call answers: a node of the scratch circuit (ids of the real one
    /// mean nothing there).
    std::uint32_t scratch() { return c_.constant(false); }

    void build(Item item) {
        if (item.first) {
            active(item.second);
        } else {
            node(DeclId{item.second});
        }
    }

    /// Builds `top` and everything under it in post-order with an explicit stack: an argument
    /// a million claims deep is a million stack entries, not nested calls. Each item is first
    /// probed: its own code runs against a scratch circuit, and the items it asks for that are
    /// not built yet are recorded instead of built. Once they are all built, it runs for real,
    /// and every call it makes finds its answer memoised (an item still open below it on the
    /// stack is a cycle, answered as the recursion answered it: by its status).
    std::uint32_t walk(Item top) {
        walking_ = true;
        struct Frame {
            Item item;
            bool probed = false;
        };
        std::vector<Frame> stack{{top}};
        std::vector<Item> wanted;
        std::set<std::uint32_t> open_actives;
        auto open = [&](Item item) {
            return item.first ? open_actives.count(item.second) != 0
                              : building_.count(item.second) != 0;
        };
        while (!stack.empty()) {
            const Item item = stack.back().item;
            if (built(item)) {
                stack.pop_back();
                continue;
            }
            if (!stack.back().probed) {
                stack.back().probed = true;
                wanted.clear();
                solver::Circuit scratch;
                std::map<std::uint32_t, DeclId> scratch_choices;
                std::swap(c_, scratch);
                std::swap(choices_, scratch_choices);
                probe_ = &wanted;
                probe_target_ = item;
                build(item);
                probe_ = nullptr;
                std::swap(c_, scratch);
                std::swap(choices_, scratch_choices);
                (item.first ? open_actives : building_).insert(item.second);
                for (auto it = wanted.rbegin(); it != wanted.rend(); ++it) {
                    if (!built(*it) && !open(*it)) {
                        stack.push_back({*it});
                    }
                }
                continue;
            }
            stack.pop_back();
            (item.first ? open_actives : building_).erase(item.second);
            build(item);
        }
        walking_ = false;
        return top.first ? active_memo_.at(top.second) : memo_.at(top.second);
    }

    /// Marks every element whose support a re-verification of the candidates can change:
    /// everything that depends on a candidate, through support, requirements, resolvers and
    /// defeaters. Support is not monotone in valid evidence — re-verifying the resolver of a
    /// defeater that defeats another re-activates the other — so nothing reached keeps its
    /// status as a constant, whether it is supported after the change or not.
    void find_reached() {
        std::vector<std::vector<std::uint32_t>> users(prog_.decls.size());
        auto edge = [&](DeclId from, DeclId to) {
            if (from.valid() && to.valid()) {
                users[from.value].push_back(to.value);
            }
        };
        for (std::uint32_t ci = 0; ci < prog_.claims.size(); ++ci) {
            const auto &c = prog_.claims[ci];
            for (DeclId sup : c.supported_by) {
                edge(sup, c.decl);
            }
            for (std::uint32_t si : after_.strategies_of[ci]) {
                edge(prog_.strategies[si].decl, c.decl);
            }
            for (const auto &rr : after_.claims[ci].requirements) {
                for (const auto *list : {&rr.used, &rr.rejected}) {
                    for (const auto &m : *list) {
                        edge(m.evidence, c.decl);
                    }
                }
            }
        }
        for (const auto &st : prog_.strategies) {
            for (DeclId sup : st.supported_by) {
                edge(sup, st.decl);
            }
        }
        for (const auto &df : prog_.defeaters) {
            for (DeclId r : df.resolved_by) {
                edge(r, df.decl);
            }
            edge(df.decl, df.target);
        }
        reached_.assign(prog_.decls.size(), false);
        std::vector<std::uint32_t> stack(candidates_.begin(), candidates_.end());
        while (!stack.empty()) {
            const std::uint32_t d = stack.back();
            stack.pop_back();
            if (reached_[d]) {
                continue;
            }
            reached_[d] = true;
            for (std::uint32_t u : users[d]) {
                stack.push_back(u);
            }
        }
    }

    /// Whether defeater `di` is active, as a node.
    std::uint32_t active(std::uint32_t di) {
        if (auto it = active_memo_.find(di); it != active_memo_.end()) {
            return probe_ == nullptr ? it->second : scratch();
        }
        if (!walking_) {
            return walk({true, di});
        }
        if (probe_ != nullptr && probe_target_ != Item{true, di}) {
            probe_->push_back({true, di});
            return scratch();
        }
        std::uint32_t n = 0;
        if ((!reached_[prog_.defeaters[di].decl.value] &&
             after_.defeaters[di] == prove::Activity::Inactive) ||
            status(di) == sema::DefeaterStatus::Withdrawn) {
            n = c_.constant(false);
        } else {
            const auto &df = prog_.defeaters[di];
            std::vector<std::uint32_t> answered;
            if (resolvable(di)) {
                std::vector<std::uint32_t> rs;
                for (DeclId r : df.resolved_by) {
                    rs.push_back(node(r));
                }
                answered.push_back(c_.all(std::move(rs)));
            }
            for (std::uint32_t other : attackers(df.decl)) {
                if (prog_.defeaters[other].relation == sema::DefeaterRelation::Defeats) {
                    answered.push_back(active(other));
                }
            }
            n = c_.negate(c_.any(std::move(answered)));
        }
        if (probe_ == nullptr) {
            active_memo_.emplace(di, n);
        }
        return n;
    }

    /// The defeater's status after the changes.
    sema::DefeaterStatus status(std::uint32_t di) const {
        const auto it = changes_.defeater_status.find(di);
        return it != changes_.defeater_status.end() ? it->second : prog_.defeaters[di].status;
    }

    /// A defeater its resolvers can answer: marked resolved (after the changes), naming some.
    bool resolvable(std::uint32_t di) const {
        return status(di) == sema::DefeaterStatus::Resolved &&
               !prog_.defeaters[di].resolved_by.empty();
    }

    const std::vector<std::uint32_t> &attackers(DeclId target) {
        if (attackers_.empty()) {
            attackers_.resize(prog_.decls.size());
            for (std::uint32_t d = 0; d < prog_.defeaters.size(); ++d) {
                if (prog_.defeaters[d].target.valid()) {
                    attackers_[prog_.defeaters[d].target.value].push_back(d);
                }
            }
        }
        return attackers_[target.value];
    }

    std::vector<std::uint32_t> not_attacked(DeclId target, sema::DefeaterRelation relation) {
        std::vector<std::uint32_t> out;
        for (std::uint32_t d : attackers(target)) {
            if (prog_.defeaters[d].relation == relation) {
                out.push_back(c_.negate(active(d)));
            }
        }
        return out;
    }

    std::uint32_t evidence(DeclId e) {
        std::vector<std::uint32_t> parts;
        if (!has_local_reason(after_, e)) {
            parts.push_back(c_.constant(true));
        } else if (candidates_.count(e.value) != 0) {
            const std::uint32_t ch = c_.choice(cost_of(prog_, e).to_string());
            choices_.emplace(ch, e);
            parts.push_back(ch);
        } else {
            return c_.constant(false);
        }
        for (std::uint32_t n : not_attacked(e, sema::DefeaterRelation::Undermines)) {
            parts.push_back(n);
        }
        return c_.all(std::move(parts));
    }

    std::uint32_t strategy(std::uint32_t si) {
        const auto &s = prog_.strategies[si];
        if (has_local_reason(after_, s.decl)) {
            return c_.constant(false); // an invalid step: no evidence fixes it
        }
        std::vector<std::uint32_t> kids;
        for (DeclId sup : s.supported_by) {
            kids.push_back(node(sup));
        }
        std::uint32_t mode = 0;
        switch (s.mode) {
        case sema::StrategyMode::AllOf:
        case sema::StrategyMode::Deductive:
            mode = c_.all(std::move(kids));
            break;
        case sema::StrategyMode::AnyOf:
            mode = kids.empty() ? c_.constant(true) : c_.any(std::move(kids));
            break;
        case sema::StrategyMode::AtLeast: {
            const auto n = static_cast<std::uint32_t>(
                std::clamp<std::size_t>(s.at_least, 1, std::max<std::size_t>(kids.size(), 1)));
            mode = kids.empty() ? c_.constant(true) : c_.at_least(n, std::move(kids));
            break;
        }
        }
        std::vector<std::uint32_t> parts{mode};
        for (std::uint32_t n : not_attacked(s.decl, sema::DefeaterRelation::Undercuts)) {
            parts.push_back(n);
        }
        return c_.all(std::move(parts));
    }

    /// A claim is supported when its argument is (`support`) and no rule or risk finding on
    /// it stands.
    std::uint32_t claim(std::uint32_t ci) {
        const auto &c = prog_.claims[ci];
        for (const auto &r : after_.elements[c.decl.value].reasons) {
            if ((r.kind == ReasonKind::RuleViolated || r.kind == ReasonKind::RuleUnknown) &&
                !prove::reads_evidence_state(prog_, prog_.rules[r.index])) {
                return c_.constant(false); // no re-verification changes what the rule reads
            }
        }
        std::vector<std::uint32_t> parts{support(ci)};
        risk(c.decl, parts);
        return c_.all(std::move(parts));
    }

    /// Whether a claim's argument supports it: what the proof propagates before it checks
    /// rules and risk (a mitigation counts for residual risk when this holds).
    std::uint32_t support(std::uint32_t ci) {
        if (const auto it = support_memo_.find(ci); it != support_memo_.end()) {
            return probe_ == nullptr ? it->second : scratch();
        }
        const std::uint32_t n = support_new(ci);
        if (probe_ == nullptr) {
            support_memo_.emplace(ci, n);
        }
        return n;
    }

    std::uint32_t support_new(std::uint32_t ci) {
        const auto &c = prog_.claims[ci];
        if (c.undeveloped) {
            return c_.constant(false);
        }
        const auto &cr = after_.claims[ci];
        if (cr.vacuity != sema::kNone) {
            const auto &o = after_.outcome(cr.vacuity);
            if (o.verdict != solver::Verdict::Sat) {
                return c_.constant(false); // vacuous (or unknown): no evidence fixes it
            }
        }
        std::vector<std::uint32_t> parts;
        for (DeclId sup : c.supported_by) {
            parts.push_back(node(sup));
        }
        for (std::uint32_t s : after_.strategies_of[ci]) {
            parts.push_back(node(prog_.strategies[s].decl));
        }
        for (std::uint32_t ri = 0; ri < c.requirements.size(); ++ri) {
            parts.push_back(requirement(ci, ri));
        }
        for (std::uint32_t n : not_attacked(c.decl, sema::DefeaterRelation::Rebuts)) {
            parts.push_back(n);
        }
        return c_.all(std::move(parts));
    }

    /// A mitigation of hazard `h` as its residual risk counts it: its argument's support (as
    /// evaluated, when nothing re-verifiable lies under it).
    std::uint32_t mitigation(std::uint32_t h, DeclId m) {
        if (!reached_[m.value]) {
            const auto &sup = after_.hazards[h].supported;
            return c_.constant(std::find(sup.begin(), sup.end(), m) != sup.end());
        }
        return support(prog_.decl(m).index);
    }

    // ---- risk findings (docs/semantics.md, "Risk") ------------------------------------------

    /// The risk findings that fail claim `d` (a top claim), each as the condition under which
    /// re-verification clears it.
    void risk(DeclId d, std::vector<std::uint32_t> &parts) {
        if (!risk_index_) {
            risk_index_.emplace();
            for (std::uint32_t h = 0; h < after_.hazards.size(); ++h) {
                const auto &findings = after_.hazards[h].findings;
                for (std::uint32_t fi = 0; fi < findings.size(); ++fi) {
                    for (DeclId t : findings[fi].affected) {
                        (*risk_index_)[t.value].emplace_back(h, fi);
                    }
                }
            }
        }
        const auto it = risk_index_->find(d.value);
        if (it == risk_index_->end()) {
            return;
        }
        for (const auto &[h, fi] : it->second) {
            const auto &f = after_.hazards[h].findings[fi];
            parts.push_back(f.kind == prove::RiskFinding::Kind::ResidualRisk ? residual(h)
                                                                             : demand(h, f.claim));
        }
    }

    /// A residual risk clears when a mitigation lowering the likelihood enough is supported.
    std::uint32_t residual(std::uint32_t h) {
        // The step is the largest of the supported mitigations: for each acceptable step s,
        // some mitigation of step s is supported (none needed for s = 0) and none larger is.
        const auto &mitigations = after_.hazards[h].mitigations;
        auto step_of = [&](DeclId m) {
            return prog_.claims[prog_.decl(m).index].lowers_likelihood;
        };
        std::set<std::uint32_t> steps{0};
        for (DeclId m : mitigations) {
            steps.insert(step_of(m));
        }
        std::vector<std::uint32_t> options;
        for (std::uint32_t s : steps) {
            if (!prove::residual_acceptable(prog_, prog_.hazards[h], s)) {
                continue;
            }
            std::vector<std::uint32_t> at_s;
            std::vector<std::uint32_t> parts;
            for (DeclId m : mitigations) {
                if (step_of(m) == s && s > 0) {
                    at_s.push_back(mitigation(h, m));
                } else if (step_of(m) > s) {
                    parts.push_back(c_.negate(mitigation(h, m)));
                }
            }
            if (s > 0) {
                parts.push_back(c_.any(std::move(at_s)));
            }
            options.push_back(c_.all(std::move(parts)));
        }
        return options.empty() ? c_.constant(false) : c_.any(std::move(options));
    }

    /// An unmet demand of the hazard's risk level clears when enough of the evidence under the
    /// mitigating claim `m` is valid: N pairwise independent pieces (each such set of N, up to
    /// kMaxLineSets of them; beyond, the lines are left to the re-proof), a piece of each kind,
    /// a review independent of every other valid piece, and no valid piece too old that
    /// is not re-verified (a re-verified piece is produced anew).
    std::uint32_t demand(std::uint32_t h, DeclId m) {
        const auto &hz = prog_.hazards[h];
        const auto &mx = prog_.matrices[prog_.decl(hz.matrix).index];
        const auto dm = std::find_if(mx.demands.begin(), mx.demands.end(), [&](const auto &x) {
            return x.level == after_.hazards[h].level;
        });
        if (dm == mx.demands.end()) {
            return c_.constant(true);
        }
        if (!index_) {
            index_.emplace(prog_);
        }
        std::vector<DeclId> pool;
        for (DeclId e : index_->below(m)) {
            if (prog_.decl(e).kind == DeclKind::Evidence) {
                pool.push_back(e);
            }
        }
        auto info = [&](DeclId e) -> const sema::EvidenceInfo & {
            return prog_.evidence[prog_.decl(e).index];
        };
        std::vector<std::uint32_t> parts;
        if (dm->lines == 1) {
            std::vector<std::uint32_t> kids;
            for (DeclId e : pool) {
                kids.push_back(node(e));
            }
            parts.push_back(kids.empty() ? c_.constant(false) : c_.any(std::move(kids)));
        } else if (dm->lines > 1) {
            std::vector<std::vector<DeclId>> sets;
            std::uint64_t unlimited = ~std::uint64_t{0};
            bool complete = true;
            prove::for_each_line_set(*index_, pool, dm->lines, unlimited, [&](const auto &set) {
                complete = sets.size() < kMaxLineSets;
                if (complete) {
                    sets.push_back(set);
                }
                return complete;
            });
            if (complete) {
                std::vector<std::uint32_t> kids;
                for (const auto &set : sets) {
                    std::vector<std::uint32_t> all;
                    for (DeclId e : set) {
                        all.push_back(node(e));
                    }
                    kids.push_back(c_.all(std::move(all)));
                }
                parts.push_back(kids.empty() ? c_.constant(false) : c_.any(std::move(kids)));
            }
        }
        for (sema::EvidenceKind k : dm->kinds) {
            std::vector<std::uint32_t> kids;
            for (DeclId e : pool) {
                if (info(e).kind == k) {
                    kids.push_back(node(e));
                }
            }
            parts.push_back(kids.empty() ? c_.constant(false) : c_.any(std::move(kids)));
        }
        if (dm->review != sema::Independence::None) {
            std::vector<std::uint32_t> kids;
            for (DeclId r : pool) {
                if (info(r).kind != sema::EvidenceKind::Review ||
                    prove::party(info(r), dm->review).empty()) {
                    continue;
                }
                std::vector<std::uint32_t> all{node(r)};
                for (DeclId e : pool) {
                    if (e != r && !prove::review_independent_of(info(r), info(e), dm->review)) {
                        all.push_back(c_.negate(node(e)));
                    }
                }
                kids.push_back(c_.all(std::move(all)));
            }
            parts.push_back(kids.empty() ? c_.constant(false) : c_.any(std::move(kids)));
        }
        if (dm->max_age) {
            const long today = prove::days_from_civil(after_.date);
            for (DeclId e : pool) {
                const auto &d = info(e).date;
                const bool stale =
                    !d || today - prove::days_from_civil(*d) > static_cast<long>(*dm->max_age);
                if (stale && candidates_.count(e.value) == 0) {
                    parts.push_back(c_.negate(node(e))); // valid and too old: fails the demand
                }
            }
        }
        return c_.all(std::move(parts));
    }

    static constexpr std::size_t kMaxLineSets = 4096;

    /// A requirement needs at least one satisfying measurement of valid evidence, and, for
    /// each point found uncovered so far, one whose region contains that point.
    std::uint32_t requirement(std::uint32_t ci, std::uint32_t ri) {
        const auto &rr = after_.claims[ci].requirements[ri];
        if (rr.status == Status::Supported) {
            return c_.constant(true);
        }
        std::vector<std::uint32_t> any;
        for (const auto &m : satisfying(prog_, after_, prog_.claims[ci].requirements[ri], rr)) {
            any.push_back(node(m.evidence));
        }
        std::vector<std::uint32_t> parts{c_.any(std::move(any))};
        if (auto it = refinements_.find({ci, ri}); it != refinements_.end()) {
            for (const auto &covering : it->second) {
                std::vector<std::uint32_t> alt;
                for (DeclId e : covering) {
                    alt.push_back(node(e));
                }
                parts.push_back(c_.any(std::move(alt)));
            }
        }
        return c_.all(std::move(parts));
    }

    const sema::Program &prog_;
    const prove::ProofResult &after_;
    const prove::Overrides &changes_;
    const std::set<std::uint32_t> &candidates_;
    const Refinements &refinements_;
    std::optional<prove::ArgumentIndex> index_;                     // built for the first demand
    std::unordered_map<std::uint32_t, std::uint32_t> support_memo_; // by claim index
    /// By top claim: the risk findings failing it (hazard index, finding index).
    std::optional<
        std::unordered_map<std::uint32_t, std::vector<std::pair<std::uint32_t, std::uint32_t>>>>
        risk_index_;
    solver::Circuit c_;
    std::unordered_map<std::uint32_t, std::uint32_t> memo_;
    std::unordered_map<std::uint32_t, std::uint32_t> active_memo_;
    std::map<std::uint32_t, DeclId> choices_;
    std::vector<std::vector<std::uint32_t>> attackers_;
    std::vector<bool> reached_;          // by DeclId, see find_reached
    std::set<std::uint32_t> building_;   // nodes being built (cycle guard)
    bool walking_ = false;               // inside `walk`
    std::vector<Item> *probe_ = nullptr; // probing `probe_target_`: what it asks for goes here
    Item probe_target_{};
};

/// The optimiser's search for the cheapest set of candidates whose re-verification supports
/// every goal, refined until a re-proof confirms it (requirement coverage is checked
/// pointwise: an uncovered point found by the re-proof becomes a constraint of the next round).
struct PlanSearch {
    const sema::Program &program;
    const lower::Lowered &lowered;
    const support::SourceManager &sources;
    const prove::ProofResult &after;
    const prove::Overrides &changes;
    const std::set<std::uint32_t> &candidates;
    const prove::ProveOptions &base;
    const solver::SolveOptions &solve;
    const std::function<void(const char *)> &phase;

    Plan run(const std::vector<DeclId> &goals) const;
};

} // namespace

Baseline baseline_of(const sema::Program &program, const prove::ProofResult &result) {
    Baseline b;
    for (const auto &c : program.claims) {
        b.claims.emplace(program.qualified_name(c.decl), result.status(c.decl));
    }
    for (const auto &e : program.evidence) {
        b.evidence.emplace(program.qualified_name(e.decl), result.status(e.decl));
    }
    for (DeclId d : result.top_claims) {
        b.top.insert(program.qualified_name(d));
    }
    return b;
}

Impact analyse(const Case &c, const prove::ProveOptions &options,
               const prove::Overrides &overrides) {
    prove::ProveOptions base = options;
    base.overrides = {};
    base.on_phase = {};
    if (!base.reuse) {
        base.reuse = std::make_shared<prove::Reuse>();
    }
    const Baseline before =
        baseline_of(c.program, prove::prove(c.program, c.lowered, c.sources, base));
    return analyse(before, c, base, overrides);
}

Impact analyse(const Baseline &before, const Case &changed, const prove::ProveOptions &options,
               const prove::Overrides &changes) {
    const sema::Program &program = changed.program;
    const lower::Lowered &lowered = changed.lowered;
    const support::SourceManager &sources = changed.sources;
    Impact out;
    prove::ProveOptions base = options;
    base.overrides = {};
    base.on_phase = {};
    const std::function<void(const char *)> phase = [&](const char *name) {
        if (options.on_phase) {
            options.on_phase(name);
        }
    };
    if (!base.reuse) { // the proofs below differ in their overrides only
        base.reuse = std::make_shared<prove::Reuse>();
    }
    prove::ProveOptions with_changes = base;
    with_changes.overrides = changes;
    out.after = prove::prove(program, lowered, sources, with_changes);
    phase("after");

    auto was_supported = [&](const std::unordered_map<std::string, Status> &table, DeclId d) {
        const auto it = table.find(program.qualified_name(d));
        return it != table.end() && it->second == Status::Supported;
    };
    for (const auto &ev : program.evidence) {
        if (out.after.status(ev.decl) != Status::Supported &&
            was_supported(before.evidence, ev.decl)) {
            out.invalidated.push_back(ev.decl);
        }
    }
    std::set<std::uint32_t> top;
    for (DeclId d : out.after.top_claims) {
        top.insert(d.value);
    }
    for (const auto &c : program.claims) {
        if (out.after.status(c.decl) != Status::Supported && was_supported(before.claims, c.decl)) {
            out.lost.push_back(c.decl);
            if (top.count(c.decl.value) != 0) {
                out.lost_top.push_back(c.decl);
            }
        }
    }
    // Evidence something relies on: losing it fails the gate whatever the verdict above it.
    {
        std::vector<bool> used(program.decls.size(), false);
        auto use = [&](const std::vector<DeclId> &list) {
            for (DeclId d : list) {
                if (d.valid()) {
                    used[d.value] = true;
                }
            }
        };
        for (const auto &c : program.claims) {
            use(c.supported_by);
        }
        for (const auto &st : program.strategies) {
            use(st.supported_by);
        }
        for (const auto &df : program.defeaters) {
            use(df.resolved_by);
        }
        for (DeclId e : out.invalidated) {
            if (used[e.value]) {
                out.invalidated_relied.push_back(e);
            }
        }
    }
    // What to restore: every lost claim, top or not, and every relied-on piece of evidence
    // that is no longer valid (declaration order).
    std::vector<DeclId> wanted = out.lost;
    wanted.insert(wanted.end(), out.invalidated_relied.begin(), out.invalidated_relied.end());
    std::sort(wanted.begin(), wanted.end());
    if (wanted.empty()) {
        return out;
    }

    // Candidates: evidence invalid after the change for reasons re-verification removes.
    std::set<std::uint32_t> candidates;
    prove::Overrides all = changes;
    for (std::uint32_t ei = 0; ei < program.evidence.size(); ++ei) {
        const DeclId e = program.evidence[ei].decl;
        if (has_local_reason(out.after, e) && !stays_unpinned(program, out.after, e)) {
            candidates.insert(e.value);
            out.candidates.push_back(e);
            all.reverified.insert(ei);
        }
    }
    // Evidence under what is lost that is still valid.
    {
        std::set<std::uint32_t> seen;
        std::vector<DeclId> stack = out.lost;
        while (!stack.empty()) {
            const DeclId d = stack.back();
            stack.pop_back();
            if (!seen.insert(d.value).second) {
                continue;
            }
            const sema::Decl &decl = program.decl(d);
            if (decl.kind == DeclKind::Evidence) {
                if (out.after.status(d) == Status::Supported) {
                    out.reusable.push_back(d);
                }
            } else if (decl.kind == DeclKind::Claim) {
                for (DeclId s : program.claims[decl.index].supported_by) {
                    stack.push_back(s);
                }
                for (std::uint32_t s : out.after.strategies_of[decl.index]) {
                    stack.push_back(program.strategies[s].decl);
                }
            } else if (decl.kind == DeclKind::Strategy) {
                for (DeclId s : program.strategies[decl.index].supported_by) {
                    stack.push_back(s);
                }
            }
        }
        std::sort(out.reusable.begin(), out.reusable.end());
    }

    PlanSearch search{program,    lowered, sources,       out.after, changes,
                      candidates, base,    options.solve, phase};
    // Usually one set restores everything lost: then each is restorable, and the set is the
    // plan.
    Plan joint = search.run(wanted);
    if (joint.state == Plan::State::Found) {
        out.restorable = wanted;
        out.plan = std::move(joint);
        return out;
    }
    // Otherwise decide each on its own. Re-verifying every candidate restores most restorable
    // ones. Support is monotone in valid evidence unless a defeater defeats another (answering
    // the defeating one by re-verifying its resolver re-activates the other) or a rule reads
    // what re-verification changes; then one the full set leaves unsupported gets a search of
    // its own, up to a budget of searches (each is an optimisation and a proof of the case).
    prove::ProveOptions restoring = base;
    restoring.overrides = all;
    out.restored = prove::prove(program, lowered, sources, restoring);
    phase("restored");
    const bool monotone =
        program.rules.empty() &&
        std::none_of(program.defeaters.begin(), program.defeaters.end(),
                     [](const auto &df) { return df.relation == sema::DefeaterRelation::Defeats; });
    constexpr std::size_t kAloneSearches = 32;
    std::size_t searches = 0;
    std::string undecided;
    std::size_t undecided_count = 0;
    for (DeclId g : wanted) {
        if (out.restored.status(g) == Status::Supported) {
            out.restorable.push_back(g);
            continue;
        }
        if (!monotone && searches < kAloneSearches) {
            ++searches;
            const Plan alone = search.run({g});
            if (alone.state == Plan::State::Found) {
                out.restorable.push_back(g);
                continue;
            }
            if (alone.state == Plan::State::Unknown) {
                ++undecided_count;
                undecided +=
                    (undecided.empty() ? "" : "; ") + program.qualified_name(g) + ": " + alone.note;
                out.undecided.push_back(g);
                continue;
            }
        } else if (!monotone) {
            ++undecided_count;
            undecided += (undecided.empty() ? "" : "; ") + program.qualified_name(g) +
                         ": not searched on its own (budget of " + std::to_string(kAloneSearches) +
                         " searches)";
            out.undecided.push_back(g);
            continue;
        }
        out.unrestorable.push_back(g);
    }
    if (out.restorable.empty()) {
        out.plan.note = "nothing lost can be restored by re-verifying evidence";
    } else if (out.restorable.size() == wanted.size()) {
        out.plan = std::move(joint); // restorable one by one, but the joint search failed
    } else {
        out.plan = search.run(out.restorable);
    }
    if (out.plan.state == Plan::State::Infeasible) {
        out.plan.note = "each restorable claim can be restored on its own, but no one set of "
                        "re-verified evidence restores them all together (a defeater answered "
                        "for one re-activates another's)";
    }
    if (!undecided.empty()) {
        out.plan.note += (out.plan.note.empty() ? "" : "; ") + std::string("whether ") +
                         std::to_string(undecided_count) + (undecided_count == 1 ? " is" : " are") +
                         " restorable is undecided: " + undecided;
    }
    return out;
}

Plan PlanSearch::run(const std::vector<DeclId> &goals) const {
    Plan plan;
    CircuitBuilder::Refinements refinements;
    constexpr unsigned kMaxRounds = 32;
    for (unsigned round = 1; round <= kMaxRounds; ++round) {
        plan.rounds = round;
        CircuitBuilder builder(program, after, changes, candidates, refinements);
        for (DeclId g : goals) {
            builder.circuit().require(builder.node(g));
        }
        const solver::Plan p = solver::minimize(builder.circuit(), solve);
        phase("optimise");
        if (p.verdict != solver::Verdict::Sat) {
            plan.state = p.verdict == solver::Verdict::Unsat ? Plan::State::Infeasible
                                                             : Plan::State::Unknown;
            plan.note = p.verdict == solver::Verdict::Unsat
                            ? "no set of re-verified evidence restores these claims"
                            : "the optimiser gave up: " + p.unknown_reason;
            return plan;
        }
        std::vector<DeclId> chosen;
        for (std::uint32_t ch : p.chosen) {
            chosen.push_back(builder.choices().at(ch));
        }
        std::sort(chosen.begin(), chosen.end());
        // Re-prove with exactly these passing again.
        prove::Overrides with = changes;
        for (DeclId e : chosen) {
            with.reverified.insert(program.decl(e).index);
        }
        prove::ProveOptions check = base;
        check.overrides = with;
        prove::ProofResult proof = prove::prove(program, lowered, sources, check);
        phase("re-prove");
        const bool restored = std::all_of(goals.begin(), goals.end(), [&](DeclId g) {
            return proof.status(g) == Status::Supported;
        });
        plan.evidence = chosen;
        plan.cost = {};
        for (DeclId e : chosen) {
            plan.cost += cost_of(program, e);
        }
        if (restored) {
            plan.state = Plan::State::Found;
            plan.verified = true;
            plan.optimal = p.optimal;
            if (!p.optimal) {
                plan.note = "the optimiser's time limit was reached: the best plan found, "
                            "not proved minimal (" +
                            p.unknown_reason + ")";
            }
            return plan;
        }
        // A requirement is not met at some point of its scope: that point needs a measurement
        // whose region contains it. Add that as a constraint and optimise again.
        bool refined = false;
        for (std::uint32_t ci = 0; ci < program.claims.size(); ++ci) {
            const auto &cr = proof.claims[ci];
            for (std::uint32_t ri = 0; ri < cr.requirements.size(); ++ri) {
                const auto &rr = cr.requirements[ri];
                if (rr.status == Status::Supported || rr.obligation == sema::kNone) {
                    continue;
                }
                const auto &o = proof.outcome(rr.obligation);
                if (o.verdict != solver::Verdict::Sat || !o.model) {
                    continue;
                }
                // Which satisfying measurements (valid now or not) contain the point?
                auto &model = proof.constraints->model();
                const auto pins = pin_point(model, *o.model);
                if (!pins) {
                    continue;
                }
                std::vector<DeclId> covering;
                solver::Session session(model, solve);
                for (const auto &m :
                     satisfying(program, proof, program.claims[ci].requirements[ri], rr)) {
                    const auto &metric =
                        program.evidence[program.decl(m.evidence).index].metrics[m.metric];
                    const auto region = proof.constraints->region(metric.over);
                    if (!region) {
                        continue;
                    }
                    ir::Query q;
                    q.assertions = *pins;
                    q.assertions.push_back(*region);
                    if (session.check(q).verdict == solver::Verdict::Sat) {
                        covering.push_back(m.evidence);
                    }
                }
                refinements[{ci, ri}].push_back(covering);
                refined = true;
            }
        }
        if (!refined) {
            plan.state = Plan::State::Unknown;
            plan.note = "the re-proof with the plan did not restore every claim, and no "
                        "uncovered requirement point explains why";
            return plan;
        }
    }
    plan.state = Plan::State::Unknown;
    plan.note = "requirement coverage needed more than 32 rounds of refinement";
    return plan;
}

} // namespace assure::impact
