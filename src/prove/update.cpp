// SPDX-License-Identifier: Apache-2.0
// reprove(): a proof judged again after a change of state, from the proof before it. What each
// element's judgement reads is kept from the full proof (Structure); a change marks the evidence
// and defeaters it touches, and the elements are judged again in dependency order from there,
// as far up as a status changes. The obligations then take the places a full proof gives them.
#include "prove/engine.hpp"

#include <queue>
#include <type_traits>

namespace assure::prove {
namespace detail {
namespace {

/// The keys whose entries differ between two maps (or sets) keyed by table index.
template <class Map> void differing(const Map &a, const Map &b, std::vector<std::uint32_t> &out) {
    auto key = [](const auto &entry) {
        if constexpr (std::is_same_v<std::decay_t<decltype(entry)>, std::uint32_t>) {
            return entry;
        } else {
            return entry.first;
        }
    };
    auto ia = a.begin();
    auto ib = b.begin();
    while (ia != a.end() || ib != b.end()) {
        if (ib == b.end() || (ia != a.end() && key(*ia) < key(*ib))) {
            out.push_back(key(*ia++));
        } else if (ia == a.end() || key(*ib) < key(*ia)) {
            out.push_back(key(*ib++));
        } else {
            if (!(*ia == *ib)) {
                out.push_back(key(*ia));
            }
            ++ia;
            ++ib;
        }
    }
}

bool same_check(const ArtifactCheck &a, const ArtifactCheck &b) {
    return a.state == b.state && a.path == b.path && a.actual == b.actual && a.error == b.error;
}

bool same_limits(const solver::SolveOptions &a, const solver::SolveOptions &b) {
    return a.timeout_ms == b.timeout_ms && a.rlimit == b.rlimit && a.seed == b.seed &&
           a.cells == b.cells;
}

} // namespace

void Engine::finish_structure() {
    Structure &st = *build_;
    const std::size_t n = prog_.decls.size();
    st.position.assign(n, kNone);
    for (std::uint32_t k = 0; k < st.order.size(); ++k) {
        st.position[lowered_.decl_of[st.order[k].value].value] = k;
    }
    // Who reads whose status: exactly what propagate() and requirement() look at.
    std::vector<std::pair<std::uint32_t, DeclId>> edges;
    auto edge = [&](DeclId from, DeclId to) {
        if (from.valid() && to.valid()) {
            edges.emplace_back(from.value, to);
        }
    };
    for (std::uint32_t ci = 0; ci < prog_.claims.size(); ++ci) {
        const auto &c = prog_.claims[ci];
        for (DeclId sup : c.supported_by) {
            edge(sup, c.decl);
        }
        for (std::uint32_t si : out_.strategies_of[ci]) {
            edge(prog_.strategies[si].decl, c.decl);
        }
        if (ci < st.candidates.size()) {
            for (const auto &list : st.candidates[ci]) {
                for (const Measurement &m : list) {
                    edge(m.evidence, c.decl);
                }
            }
        }
    }
    for (const auto &s : prog_.strategies) {
        for (DeclId sup : s.supported_by) {
            edge(sup, s.decl);
        }
    }
    for (const auto &df : prog_.defeaters) {
        edge(df.decl, df.target);
        for (DeclId r : df.resolved_by) {
            edge(r, df.decl);
        }
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    st.dependent_offset.assign(n + 1, 0);
    for (const auto &[from, to] : edges) {
        ++st.dependent_offset[from + 1];
    }
    for (std::size_t d = 0; d < n; ++d) {
        st.dependent_offset[d + 1] += st.dependent_offset[d];
    }
    st.dependent_list.reserve(edges.size());
    for (const auto &e : edges) {
        st.dependent_list.push_back(e.second);
    }
    st.evidence_of.assign(prog_.artifacts.size(), {});
    for (std::uint32_t ei = 0; ei < prog_.evidence.size(); ++ei) {
        const auto &ev = prog_.evidence[ei];
        std::vector<std::uint32_t> arts;
        for (DeclId a : ev.artifacts) {
            arts.push_back(prog_.decl(a).index);
        }
        if (ev.result_read != kNone) {
            arts.push_back(prog_.decl(prog_.reads[ev.result_read].artifact).index);
        }
        for (const sema::Metric &m : ev.metrics) {
            if (m.read != kNone) {
                arts.push_back(prog_.decl(prog_.reads[m.read].artifact).index);
            }
        }
        std::sort(arts.begin(), arts.end());
        arts.erase(std::unique(arts.begin(), arts.end()), arts.end());
        for (std::uint32_t a : arts) {
            st.evidence_of[a].push_back(ei);
        }
    }
    st.scope_term = scope_term_;
}

bool Engine::update(const ProofResult &prev) {
    Reuse *reuse = options_.reuse.get();
    const Structure *st = prev.structure.get();
    if (st == nullptr || st->program != &prog_ || !options_.incremental || reuse == nullptr ||
        !reuse->hashed || !reuse->read || prev.constraints != reuse->constraints || !prev.batch ||
        prev.date != options_.date || st->require_artifacts != options_.require_artifacts ||
        !same_limits(st->solve, options_.solve)) {
        return false;
    }
    st_ = prev.structure;
    local_ok_ = prev.local_ok;
    scope_term_ = st->scope_term;

    // What the change touches: evidence whose what-if changes differ, evidence resting on (or
    // reading from) an artifact whose check differs or whose file an event said changed, and
    // defeaters whose status differs.
    const Overrides &was = prev.overrides;
    const Overrides &now = options_.overrides;
    std::vector<std::uint32_t> evidence;
    differing(was.result, now.result, evidence);
    differing(was.valid_until, now.valid_until, evidence);
    differing(was.withdrawn, now.withdrawn, evidence);
    differing(was.reverified, now.reverified, evidence);
    differing(was.produced, now.produced, evidence);
    const std::vector<std::uint8_t> stale = reuse->stale;
    check_artifacts();
    read_artifact_values();
    for (std::uint32_t a = 0; a < prog_.artifacts.size(); ++a) {
        if ((a < stale.size() && stale[a] != 0) ||
            !same_check(prev.artifacts[a], out_.artifacts[a])) {
            evidence.insert(evidence.end(), st->evidence_of[a].begin(), st->evidence_of[a].end());
        }
    }
    out_.defeater_status.reserve(prog_.defeaters.size());
    std::vector<std::uint32_t> defeaters;
    for (std::uint32_t d = 0; d < prog_.defeaters.size(); ++d) {
        out_.defeater_status.push_back(status_of(d));
        if (out_.defeater_status[d] != prev.defeater_status[d]) {
            defeaters.push_back(d);
        }
    }

    // The previous judgement, with the queries only the previous batch holds carried over into
    // this one (both continue the last full proof's batch).
    out_.elements = prev.elements;
    out_.defeaters = prev.defeaters;
    out_.claims = prev.claims;
    out_.strategies = prev.strategies;
    out_.obligations = prev.obligations;
    out_.top_claims = prev.top_claims;
    out_.strategies_of = prev.strategies_of;
    out_.assumptions_of = prev.assumptions_of;
    out_.constraints = prev.constraints;
    out_.claim_obligations = prev.claim_obligations;
    out_.step_obligations = prev.step_obligations;
    std::shared_ptr<const solver::Batch> root = prev.batch->root();
    if (!root) {
        root = prev.batch;
    }
    out_.batch =
        std::make_shared<solver::Batch>(root, options_.solve, options_.lanes, reuse->outcomes);
    for (Obligation &ob : out_.obligations) {
        if (ob.query >= root->size()) {
            ob.query =
                out_.batch->add_decided(prev.batch->query(ob.query), prev.batch->outcome(ob.query));
        }
    }
    phase("artifacts");

    // Judge again in dependency order, from what the change touches up to where nothing
    // changes. Top claims are always judged again: the rules' reasons are theirs.
    const std::uint32_t before = static_cast<std::uint32_t>(out_.obligations.size());
    using Item = std::pair<std::uint32_t, std::uint32_t>; // position, DeclId
    std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
    std::vector<std::uint8_t> queued(prog_.decls.size(), 0);
    bool placed = true;
    auto push = [&](DeclId d) {
        if (queued[d.value] != 0) {
            return;
        }
        const std::uint32_t pos = st->position[d.value];
        placed = placed && pos != kNone;
        queued[d.value] = 1;
        queue.emplace(pos, d.value);
    };
    for (std::uint32_t ei : evidence) {
        push(prog_.evidence[ei].decl);
    }
    for (std::uint32_t d : defeaters) {
        push(prog_.defeaters[d].decl);
    }
    for (DeclId t : out_.top_claims) {
        push(t);
    }
    auto push_dependents = [&](DeclId d) {
        for (std::uint32_t k = st->dependent_offset[d.value]; k < st->dependent_offset[d.value + 1];
             ++k) {
            push(st->dependent_list[k]);
        }
    };
    std::vector<std::uint32_t> redone; // claims judged again
    std::vector<std::uint32_t> own;    // by requirement: the claim's own obligation for it
    while (placed && !queue.empty()) {
        const auto [pos, value] = queue.top();
        queue.pop();
        const DeclId id{value};
        const sema::Decl &d = prog_.decl(id);
        ElementResult &r = out_.elements[value];
        const Status was_status = r.status;
        switch (d.kind) {
        case DeclKind::Evidence:
            r = ElementResult{};
            local_ok_[value] = judge_one_evidence(prog_, options_, out_, d.index) ? 1 : 0;
            attacked(r, id, sema::DefeaterRelation::Undermines);
            // Its values may have changed too: what measures it looks again.
            push_dependents(id);
            break;
        case DeclKind::Defeater:
            defeater(d.index);
            push_dependents(id); // its target's reason names the state of its resolution
            break;
        case DeclKind::Strategy:
            r = ElementResult{};
            strategy(d.index);
            if (r.status != was_status) {
                push_dependents(id);
            }
            break;
        case DeclKind::Claim: {
            const std::uint32_t ci = d.index;
            r = ElementResult{};
            redone.push_back(ci);
            own.assign(prog_.claims[ci].requirements.size(), kNone);
            if (!prog_.claims[ci].undeveloped && !prog_.claims[ci].requirements.empty()) {
                split_requirements(ci, st->candidates[ci]);
                for (std::uint32_t k = 0; k < own.size(); ++k) {
                    own[k] = out_.claims[ci].requirements[k].obligation;
                    if (own[k] != kNone) {
                        added_.push_back({own[k], false, ci, 1 + k});
                    }
                }
                out_.batch->solve();
            }
            claim(ci);
            for (std::uint32_t k = 0; k < own.size(); ++k) {
                const std::uint32_t ob = out_.claims[ci].requirements[k].obligation;
                if (ob != kNone && ob != own[k]) {
                    added_.push_back({ob, true, pos, k});
                }
            }
            if (r.status != was_status) {
                push_dependents(id);
            }
            break;
        }
        default:
            break;
        }
    }
    if (!placed) {
        return false;
    }
    phase("propagate");
    place_obligations(prev, before, redone);
    phase("obligations");
    out_.rules.clear();
    out_.hazards.clear();
    out_.scope_questions.clear();
    if (!prog_.rules.empty() || !prog_.hazards.empty()) {
        rules();
        phase("rules");
    }
    out_.structure = st_;
    out_.local_ok = std::move(local_ok_);
    return true;
}

/// Puts the obligations where a full proof of the same state would: the requirement
/// obligations of the claims judged again replace theirs (their own among the claims', by
/// claim and requirement; those asked again during propagation among the last, by position in
/// the order), and every index into the list is renumbered.
void Engine::place_obligations(const ProofResult &prev, std::uint32_t before,
                               const std::vector<std::uint32_t> &redone) {
    const Structure &st = *st_;
    const std::uint32_t total = static_cast<std::uint32_t>(out_.obligations.size());
    std::vector<std::uint8_t> drop(before, 0);
    std::vector<std::uint8_t> again(prog_.claims.size(), 0);
    for (std::uint32_t ci : redone) {
        again[ci] = 1;
    }
    auto claim_of = [&](const Obligation &o) { return prog_.decl(o.subject).index; };
    for (std::uint32_t ob = 0; ob < before; ++ob) {
        const Obligation &o = out_.obligations[ob];
        if (o.kind == ObligationKind::Requirement && again[claim_of(o)] != 0 &&
            (ob < prev.claim_obligations || ob >= prev.step_obligations)) {
            drop[ob] = 1;
        }
    }
    std::vector<NewObligation> own;
    std::vector<NewObligation> asked;
    for (const NewObligation &n : added_) {
        (n.propagation ? asked : own).push_back(n);
    }
    auto by_key = [](const NewObligation &a, const NewObligation &b) {
        return a.major != b.major ? a.major < b.major : a.minor < b.minor;
    };
    std::sort(own.begin(), own.end(), by_key);
    std::sort(asked.begin(), asked.end(), by_key);
    std::vector<std::uint32_t> order; // new position -> old index
    order.reserve(total);
    // Merges the kept obligations of [from, to) (in order of `key`) with the new ones.
    auto merge = [&](std::uint32_t from, std::uint32_t to, const std::vector<NewObligation> &fresh,
                     auto key) {
        std::size_t k = 0;
        for (std::uint32_t ob = from; ob < to; ++ob) {
            if (drop[ob] != 0) {
                continue;
            }
            const auto [major, minor] = key(out_.obligations[ob]);
            while (k < fresh.size() && (fresh[k].major < major ||
                                        (fresh[k].major == major && fresh[k].minor < minor))) {
                order.push_back(fresh[k++].ob);
            }
            order.push_back(ob);
        }
        while (k < fresh.size()) {
            order.push_back(fresh[k++].ob);
        }
    };
    merge(0, prev.claim_obligations, own, [&](const Obligation &o) {
        return std::pair<std::uint32_t, std::uint32_t>{
            claim_of(o), o.kind == ObligationKind::NonVacuity ? 0 : 1 + o.index};
    });
    const auto claims_end = static_cast<std::uint32_t>(order.size());
    for (std::uint32_t ob = prev.claim_obligations; ob < prev.step_obligations; ++ob) {
        order.push_back(ob);
    }
    const auto steps_end = static_cast<std::uint32_t>(order.size());
    merge(prev.step_obligations, before, asked, [&](const Obligation &o) {
        return std::pair<std::uint32_t, std::uint32_t>{st.position[o.subject.value], o.index};
    });
    ASSURE_ASSERT(order.size() + std::count(drop.begin(), drop.end(), 1) == total,
                  "every obligation placed once");
    std::vector<std::uint32_t> moved_to(total, kNone);
    bool moved = false;
    for (std::uint32_t k = 0; k < order.size(); ++k) {
        moved_to[order[k]] = k;
        moved = moved || order[k] != k;
    }
    out_.claim_obligations = claims_end;
    out_.step_obligations = steps_end;
    if (!moved && order.size() == total) {
        return;
    }
    auto renumber = [&](std::uint32_t &ob) {
        if (ob != kNone) {
            ob = moved_to[ob];
        }
    };
    // The usual change: each new obligation takes the place of one it replaces, the others stay
    // where they were; only the claims judged again refer to the new ones.
    bool in_place = order.size() == before;
    for (std::uint32_t k = 0; in_place && k < order.size(); ++k) {
        in_place = order[k] == k || order[k] >= before;
    }
    if (in_place) {
        for (std::uint32_t k = 0; k < order.size(); ++k) {
            if (order[k] != k) {
                out_.obligations[k] = std::move(out_.obligations[order[k]]);
            }
        }
        out_.obligations.resize(before);
        for (std::uint32_t ci : redone) {
            for (RequirementResult &rr : out_.claims[ci].requirements) {
                renumber(rr.obligation);
            }
            for (Reason &reason : out_.elements[prog_.claims[ci].decl.value].reasons) {
                renumber(reason.obligation);
            }
        }
        return;
    }
    std::vector<Obligation> placed;
    placed.reserve(order.size());
    for (std::uint32_t ob : order) {
        placed.push_back(std::move(out_.obligations[ob]));
    }
    out_.obligations = std::move(placed);
    for (ClaimResult &c : out_.claims) {
        renumber(c.vacuity);
        for (RequirementResult &rr : c.requirements) {
            renumber(rr.obligation);
        }
    }
    for (StrategyResult &s : out_.strategies) {
        renumber(s.cover);
        renumber(s.deductive);
        for (std::uint32_t &ob : s.overlaps) {
            renumber(ob);
        }
    }
    for (ElementResult &e : out_.elements) {
        for (Reason &reason : e.reasons) {
            renumber(reason.obligation);
        }
    }
}

} // namespace detail

ProofResult reprove(const ProofResult &previous, const sema::Program &program,
                    const lower::Lowered &lowered, const support::SourceManager &sources,
                    const ProveOptions &options) {
    {
        ProofResult out;
        out.date = options.date;
        out.overrides = options.overrides;
        if (detail::Engine(program, lowered, sources, options, out).update(previous)) {
            return out;
        }
    }
    return prove(program, lowered, sources, options);
}

} // namespace assure::prove
