// SPDX-License-Identifier: Apache-2.0
// The engine's obligations (engine.hpp): the assumptions each claim's support rests on, the
// solver questions of every claim and strategy, and a requirement judged during propagation.
#include "prove/engine.hpp"

namespace assure::prove::detail {

void Engine::inherit_assumptions() {
    std::vector<ir::NodeId> cycle;
    build_->order = ir::dependency_order(lowered_.graph, cycle);
    ASSURE_ASSERT(cycle.empty(), "prove needs an acyclic argument (check_structure)");
    std::vector<std::vector<std::uint32_t>> of_strategy(prog_.strategies.size());
    std::vector<std::uint8_t> strategy_overflow(prog_.strategies.size(), 0);
    std::size_t total = 0;
    constexpr std::size_t kBudget = 8'000'000;
    std::vector<std::uint32_t> acc;
    auto own = [&](DeclId d) {
        for (std::uint32_t a : out_.assumptions_of[d.value]) {
            if (prog_.attachments[a].formal != kNone) {
                acc.push_back(a);
            }
        }
    };
    auto from_claim = [&](DeclId sup, bool &overflow) {
        if (!sup.valid() || prog_.decl(sup).kind != DeclKind::Claim) {
            return;
        }
        const ClaimResult &cr = out_.claims[prog_.decl(sup).index];
        overflow = overflow || cr.relies_overflow;
        acc.insert(acc.end(), cr.relies_on.begin(), cr.relies_on.end());
    };
    auto settle = [&](std::vector<std::uint32_t> &into, bool &overflow) {
        std::sort(acc.begin(), acc.end());
        acc.erase(std::unique(acc.begin(), acc.end()), acc.end());
        total += acc.size();
        if (overflow || total > kBudget) {
            overflow = true;
            acc.clear();
        }
        into.assign(acc.begin(), acc.end());
        acc.clear();
    };
    for (ir::NodeId n : st_->order) {
        const DeclId id = lowered_.decl_of[n.value];
        const sema::Decl &d = prog_.decl(id);
        if (d.kind == DeclKind::Strategy) {
            const auto &s = prog_.strategies[d.index];
            bool overflow = false;
            own(s.decl);
            if (!logical(s)) {
                for (DeclId sup : s.supported_by) {
                    from_claim(sup, overflow);
                }
            }
            settle(of_strategy[d.index], overflow);
            strategy_overflow[d.index] = overflow ? 1 : 0;
        } else if (d.kind == DeclKind::Claim) {
            const auto &c = prog_.claims[d.index];
            ClaimResult &cr = out_.claims[d.index];
            bool overflow = false;
            own(c.decl);
            for (DeclId sup : c.supported_by) {
                from_claim(sup, overflow);
            }
            for (std::uint32_t si : out_.strategies_of[d.index]) {
                acc.insert(acc.end(), of_strategy[si].begin(), of_strategy[si].end());
                overflow = overflow || strategy_overflow[si] != 0;
            }
            settle(cr.relies_on, overflow);
            cr.relies_overflow = overflow;
        }
    }
}

void Engine::build_obligations() {
    if (options_.incremental) {
        build_->candidates.resize(prog_.claims.size());
    }
    for (std::uint32_t ci = 0; ci < prog_.claims.size(); ++ci) {
        const auto &c = prog_.claims[ci];
        // Every claim gets one result per requirement, decided or not (reports index them).
        out_.claims[ci].requirements.resize(c.requirements.size());
        if (c.undeveloped) {
            for (auto &rr : out_.claims[ci].requirements) {
                rr.status = Status::Undeveloped;
            }
            continue;
        }
        Draft d;
        claim_premises(c, d);
        if (!d.query.assertions.empty()) {
            out_.claims[ci].vacuity =
                add_obligation(ObligationKind::NonVacuity, c.decl, kNone, std::move(d));
        }
        if (c.requirements.empty()) {
            continue;
        }
        const std::vector<DeclId> under = evidence_under(c.decl);
        std::vector<std::vector<Measurement>> candidates(c.requirements.size());
        for (std::uint32_t r = 0; r < c.requirements.size(); ++r) {
            for (DeclId e : under) {
                const auto &ev = prog_.evidence[prog_.decl(e).index];
                for (std::uint32_t m = 0; m < ev.metrics.size(); ++m) {
                    if (ev.metrics[m].name == c.requirements[r].metric) {
                        candidates[r].push_back({e, m});
                    }
                }
            }
        }
        split_requirements(ci, candidates);
        if (options_.incremental) {
            build_->candidates[ci] = std::move(candidates);
        }
    }
    out_.claim_obligations = static_cast<std::uint32_t>(out_.obligations.size());
    for (std::uint32_t si = 0; si < prog_.strategies.size(); ++si) {
        const auto &s = prog_.strategies[si];
        if (!s.parent.valid() || prog_.decl(s.parent).kind != DeclKind::Claim) {
            continue;
        }
        const auto &parent = prog_.claims[prog_.decl(s.parent).index];
        std::vector<const sema::ClaimInfo *> subs;
        for (DeclId sup : s.supported_by) {
            if (sup.valid() && prog_.decl(sup).kind == DeclKind::Claim) {
                subs.push_back(&prog_.claims[prog_.decl(sup).index]);
            }
        }
        Draft base;
        const bool parent_scoped = claim_premises(parent, base);
        assumptions(s.decl, base);

        // Each sub-claim counts only where it is established: its scope, narrowed by the
        // assumptions its support rests on (they are discharged here, not passed up).
        const bool untracked = std::any_of(subs.begin(), subs.end(), [&](const auto *sc) {
            return out_.claims[prog_.decl(sc->decl).index].relies_overflow;
        });
        if (untracked && logical(s)) {
            out_.strategies[si].assumptions_untracked = true;
            continue;
        }
        std::vector<std::optional<ir::TermId>> where;
        for (const auto *sc : subs) {
            where.push_back(established(*sc));
        }
        const bool all_limited =
            std::all_of(where.begin(), where.end(), [](const auto &t) { return t.has_value(); });
        if (s.cover != sema::CoverKind::None && parent_scoped && all_limited) {
            Draft d = base;
            for (std::size_t k = 0; k < subs.size(); ++k) {
                const auto *sc = subs[k];
                d.add(negate(*where[k]),
                      {NoteKind::OutsideScope, sc->decl,
                       sc->scope ? sc->scope->span : prog_.decl(sc->decl).name_span});
            }
            out_.strategies[si].cover =
                add_obligation(ObligationKind::Cover, s.decl, kNone, std::move(d));
        }
        if (s.cover == sema::CoverKind::Partition && parent_scoped) {
            std::uint32_t pair = 0;
            for (std::size_t i = 0; i < subs.size(); ++i) {
                for (std::size_t j = i + 1; j < subs.size(); ++j, ++pair) {
                    Draft d = base;
                    // A sub-claim without scope holds everywhere: it overlaps any other.
                    for (const auto *sc : {subs[i], subs[j]}) {
                        auto t = scope_of(*sc);
                        d.add(t ? *t : out_.constraints->model().constant(true),
                              {NoteKind::Scope, sc->decl,
                               sc->scope ? sc->scope->span : prog_.decl(sc->decl).name_span});
                    }
                    out_.strategies[si].overlaps.push_back(
                        add_obligation(ObligationKind::Partition, s.decl, pair, std::move(d)));
                }
            }
        }
        if (s.mode == sema::StrategyMode::Deductive && parent.formal != kNone) {
            auto goal = out_.constraints->expr(parent.formal);
            if (goal) {
                Draft d = base;
                auto &m = out_.constraints->model();
                for (std::size_t k = 0; k < subs.size(); ++k) {
                    const auto *sc = subs[k];
                    if (sc->formal == kNone) {
                        continue;
                    }
                    auto f = out_.constraints->expr(sc->formal);
                    if (!f) {
                        continue;
                    }
                    const auto &t = where[k];
                    const support::Span span = prog_.exprs[sc->formal].span;
                    if (t) {
                        d.add(m.apply(ir::TermOp::Implies, {*t, *f}, span),
                              {NoteKind::FormalWithinScope, sc->decl, span});
                    } else {
                        d.add(*f, {NoteKind::Formal, sc->decl, span});
                    }
                }
                d.add(negate(*goal),
                      {NoteKind::NegatedFormal, parent.decl, prog_.exprs[parent.formal].span});
                out_.strategies[si].deductive =
                    add_obligation(ObligationKind::Deductive, s.decl, kNone, std::move(d));
            }
        }
    }
    out_.step_obligations = static_cast<std::uint32_t>(out_.obligations.size());
}

std::vector<DeclId> Engine::evidence_under(DeclId claim) {
    ++stamp_;
    seen_.resize(prog_.decls.size(), 0);
    std::vector<DeclId> found;
    std::vector<DeclId> stack{claim};
    seen_[claim.value] = stamp_;
    auto push = [&](DeclId d) {
        if (d.valid() && seen_[d.value] != stamp_) {
            seen_[d.value] = stamp_;
            stack.push_back(d);
        }
    };
    while (!stack.empty()) {
        const DeclId d = stack.back();
        stack.pop_back();
        const sema::Decl &decl = prog_.decl(d);
        if (decl.kind == DeclKind::Evidence) {
            found.push_back(d);
            continue;
        }
        if (decl.kind != DeclKind::Claim) {
            continue;
        }
        for (DeclId s : prog_.claims[decl.index].supported_by) {
            push(s);
        }
        for (std::uint32_t s : out_.strategies_of[decl.index]) {
            for (DeclId sup : prog_.strategies[s].supported_by) {
                push(sup);
            }
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

void Engine::requirement(std::uint32_t ci, std::uint32_t ri, ElementResult &r) {
    const auto &c = prog_.claims[ci];
    const auto &req = c.requirements[ri];
    RequirementResult &rr = out_.claims[ci].requirements[ri];
    // Re-sort the measurements by the final status of their evidence.
    std::vector<Measurement> valid;
    bool some_unknown = false;
    // `used` holds the candidates found when the obligations were built.
    const std::vector<Measurement> candidates = std::move(rr.used);
    for (const Measurement &m : candidates) {
        const Status st = out_.status(m.evidence);
        if (st == Status::Supported) {
            valid.push_back(m);
        } else {
            some_unknown = some_unknown || st == Status::Unknown;
            rr.rejected.push_back(m);
        }
    }
    std::sort(rr.rejected.begin(), rr.rejected.end(), [](const auto &a, const auto &b) {
        return a.evidence != b.evidence ? a.evidence < b.evidence : a.metric < b.metric;
    });
    const bool same = valid.size() == candidates.size();
    rr.used = valid;
    const std::string what = "requirement " + req.metric + " " + cmp_op_text(req.op) + " " +
                             req.value_text + " is not met";
    const Status fail_status = some_unknown ? Status::Unknown : Status::Unsupported;
    if (valid.empty()) {
        rr.obligation = kNone;
        rr.status = fail_status;
        std::string detail = what + ": no valid evidence under the claim measures " + req.metric +
                             " with a value that satisfies it";
        // The distinct pieces (rejected is sorted by evidence), named with the middle of a
        // long list left out.
        std::vector<DeclId> would;
        std::vector<DeclId> unread; // invalid evidence whose value was therefore not read
        for (const Measurement &m : rr.rejected) {
            const std::uint32_t ei = prog_.decl(m.evidence).index;
            const std::uint32_t read = prog_.evidence[ei].metrics[m.metric].read;
            std::vector<DeclId> &list =
                read != kNone && out_.reads[read].state != ReadOutcome::State::Read ? unread
                                                                                    : would;
            if ((&list == &unread ||
                 measurement_satisfies(prog_, out_, ei, m.metric, req.op, req.value)) &&
                (list.empty() || list.back() != m.evidence)) {
                list.push_back(m.evidence);
            }
        }
        const std::string not_read = support::join_elided(
            unread.size(), [&](std::size_t k) { return name(unread[k]); }, ", ");
        if (!not_read.empty()) {
            detail += " (" + not_read + " is not valid, so its value was not read)";
        }
        const std::string invalid = support::join_elided(
            would.size(), [&](std::size_t k) { return name(would[k]); }, ", ");
        if (!invalid.empty()) {
            detail += " (" + invalid + " would, but is not valid)";
        }
        // The values of valid evidence that fall short, and where they were read from.
        std::vector<Measurement> short_of;
        for (const Measurement &m : rr.rejected) {
            if (out_.status(m.evidence) == Status::Supported &&
                !measurement_satisfies(prog_, out_, prog_.decl(m.evidence).index, m.metric, req.op,
                                       req.value)) {
                short_of.push_back(m);
            }
        }
        if (!short_of.empty()) {
            detail += "; " + support::join_elided(
                                 short_of.size(),
                                 [&](std::size_t k) { return measured_text(short_of[k]); }, "; ");
        }
        Reason reason{ReasonKind::RequirementNotMet, fail_status, {}, kNone, ri, detail};
        reason.derived = !invalid.empty() || !not_read.empty();
        add(r, std::move(reason));
        return;
    }
    if (!same) {
        rr.obligation = requirement_obligation(ci, ri, valid);
        out_.batch->solve();
    }
    ElementResult local;
    judge(local, rr.obligation, ReasonKind::RequirementNotMet,
          what + " at every point of the scope; a point no satisfying measurement covers");
    for (Reason &reason : local.reasons) {
        if (reason.kind == ReasonKind::RequirementNotMet) {
            reason.status = fail_status;
        }
        reason.index = ri;
        rr.status = worst(rr.status, reason.status);
        add(r, std::move(reason));
    }
}

} // namespace assure::prove::detail
