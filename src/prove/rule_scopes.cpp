// SPDX-License-Identifier: Apache-2.0
// The scope queries of rules (`overlaps`, `within`), asked of the proof's batch and memoised.
#include "prove/rules_internal.hpp"

namespace assure::prove::detail {

std::optional<bool> Scopes::decide(DeclId x, ExprId region, bool within, std::string &why) {
    const std::uint64_t key = (std::uint64_t{x.value} << 33U) |
                              (std::uint64_t{prog_.exprs[region].ref} << 1U) | (within ? 1U : 0U);
    auto [it, fresh] = memo_.try_emplace(key);
    if (fresh) {
        it->second.answer = ask(x, region, within, it->second.why);
    }
    why = it->second.why;
    return it->second.answer;
}

std::optional<bool> Scopes::ask(DeclId x, ExprId region, bool within, std::string &why) {
    auto &model = constraints_.model();
    const sema::Decl &d = prog_.decl(x);
    std::optional<ir::TermId> scope;
    if (d.kind == DeclKind::Claim) {
        const auto &c = prog_.claims[d.index];
        scope = c.scope ? constraints_.region(*c.scope) : model.constant(true);
    } else if (d.kind == DeclKind::Evidence) {
        std::vector<ir::TermId> parts;
        for (const auto &m : prog_.evidence[d.index].metrics) {
            if (const auto t = constraints_.region(m.over)) {
                parts.push_back(*t);
            }
        }
        if (!parts.empty()) {
            scope = parts.size() == 1 ? parts[0] : model.apply(ir::TermOp::Or, parts);
        }
    }
    const auto r = constraints_.expr(region);
    if (!scope || !r) {
        return false; // no scope (or an unresolved region, reported by check)
    }
    const ir::TermId other = within ? model.apply(ir::TermOp::Not, {*r}) : *r;
    const std::uint32_t q = batch_.add(ir::Query{{}, {*scope, other}, {}});
    batch_.solve();
    asked_.push_back({x, DeclId{prog_.exprs[region].ref}, within, q});
    const solver::Outcome &o = batch_.outcome(q);
    if (o.verdict == solver::Verdict::Unknown) {
        why = "the solver gave up (" + o.unknown_reason + ") on whether the scope of " +
              prog_.qualified_name(x) + (within ? " lies within " : " overlaps ") +
              prog_.qualified_name(DeclId{prog_.exprs[region].ref});
        return std::nullopt;
    }
    return (o.verdict == solver::Verdict::Sat) != within;
}

} // namespace assure::prove::detail
