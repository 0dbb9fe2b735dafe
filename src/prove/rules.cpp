// SPDX-License-Identifier: Apache-2.0
// Evaluation of rules and risk: each rule's instances asked of the solver in one batch, the
// answers sorted into violations and undecided instances, with the top claims they affect.
#include "prove/rules.hpp"

#include "prove/argument_index.hpp"
#include "prove/cases.hpp"
#include "prove/risk.hpp"
#include "prove/rules_internal.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace assure::prove {

using detail::Evaluator;
using detail::Instance;
using detail::Scopes;
using sema::DeclKind;
using sema::Expr;
using sema::ExprId;
using sema::ExprOp;

namespace {

/// The argument elements a violation's bindings stand for in the case of `modules`: a hazard
/// by the claims mitigating it, a defeater by its target, an artifact by the evidence resting
/// on it.
std::vector<DeclId> anchors(const sema::Program &prog, const ArgumentIndex &ev,
                            const std::vector<bool> &modules,
                            const std::vector<RuleBinding> &bindings) {
    std::vector<DeclId> out;
    for (const auto &b : bindings) {
        const sema::Decl &d = prog.decl(b.element);
        switch (d.kind) {
        case DeclKind::Claim:
        case DeclKind::Strategy:
        case DeclKind::Evidence:
            out.push_back(b.element);
            break;
        case DeclKind::Hazard: {
            const auto &m = ev.mitigators(d.index);
            out.insert(out.end(), m.begin(), m.end());
            break;
        }
        case DeclKind::Defeater:
            out.push_back(prog.defeaters[d.index].target);
            break;
        case DeclKind::Artifact:
            for (const auto &e : prog.evidence) {
                if (modules[prog.decl(e.decl).module] &&
                    std::find(e.artifacts.begin(), e.artifacts.end(), b.element) !=
                        e.artifacts.end()) {
                    out.push_back(e.decl);
                }
            }
            break;
        default:
            break;
        }
    }
    return out;
}

} // namespace

bool reads_evidence_state(const sema::Program &program, const sema::RuleInfo &rule) {
    std::vector<ExprId> stack;
    if (rule.body != kNone) {
        stack.push_back(rule.body);
    }
    while (!stack.empty()) {
        const Expr &e = program.exprs[stack.back()];
        stack.pop_back();
        if (e.op == ExprOp::Attribute &&
            (program.text(e) == "result" || program.text(e) == "valid_until" ||
             program.text(e) == "date" || program.text(e) == "pinned_count")) {
            return true;
        }
        for (ExprId k : program.kids(e)) {
            if (k != kNone) {
                stack.push_back(k);
            }
        }
    }
    return false;
}

namespace {

/// The names of a rule's outermost `forall` variables, outermost first.
std::vector<std::string> chain_names(const sema::Program &program, const sema::RuleInfo &rule) {
    std::vector<std::string> out;
    for (ExprId at = rule.body; at != kNone && program.exprs[at].op == ExprOp::Forall;
         at = program.kid(program.exprs[at], 1)) {
        const std::uint32_t slot = program.exprs[at].ref;
        out.push_back(slot < rule.slot_names.size() ? rule.slot_names[slot] : std::string());
    }
    return out;
}

/// Grounds every rule in each case that includes it (cases.hpp), over that case's elements,
/// asks the solver about each instance and sorts the answers into violations (sat) and
/// undecided instances (unknown, or too large). A violation fails top claims of its own case
/// only. One case at a time, each with its own argument index (the whole program's `index`
/// when there is one case), so memory stays that of one index however many cases there are.
std::vector<RuleResult> evaluate_rules(const sema::Program &program, ArgumentIndex &index,
                                       const Overrides &overrides, Scopes &scopes,
                                       const std::vector<DeclId> &top_claims,
                                       const sema::Date &date, ir::ConstraintModel &model,
                                       solver::Batch &batch,
                                       const std::vector<ReadOutcome> &reads) {
    const std::vector<Case> cases = cases_of(program);
    const bool one_case = cases.size() == 1; // then the case is the whole program
    const std::vector<bool> is_top = top_flags(program, top_claims);
    std::vector<bool> seen(program.decls.size(), false);
    std::vector<std::vector<std::string>> names(program.rules.size());
    for (std::uint32_t ri = 0; ri < program.rules.size(); ++ri) {
        names[ri] = chain_names(program, program.rules[ri]);
    }
    std::vector<RuleResult> out(program.rules.size());
    struct Asked {
        std::uint32_t rule;
        Instance instance;
        std::uint32_t query;
    };
    for (const Case &c : cases) {
        auto in_case = [&](DeclId d) { return c.modules[program.decl(d).module]; };
        if (std::none_of(program.rules.begin(), program.rules.end(),
                         [&](const sema::RuleInfo &r) { return in_case(r.decl); })) {
            continue;
        }
        std::optional<ArgumentIndex> own;
        ArgumentIndex &idx = one_case ? index : own.emplace(program, &c.modules);
        std::vector<DeclId> tops; // the top claims declared in the case
        std::copy_if(top_claims.begin(), top_claims.end(), std::back_inserter(tops), in_case);
        Evaluator ev(program, idx, overrides, &scopes, date, one_case ? nullptr : &c.modules,
                     &reads);
        std::vector<Asked> asked;
        for (std::uint32_t ri = 0; ri < program.rules.size(); ++ri) {
            if (!in_case(program.rules[ri].decl)) {
                continue;
            }
            for (auto &inst : ev.instances(program.rules[ri], model)) {
                const std::uint32_t q = inst.too_large || !inst.unknown.empty()
                                            ? kNone
                                            : batch.add(ir::Query{{}, {inst.formula}, {}});
                asked.push_back({ri, std::move(inst), q});
            }
        }
        batch.solve();
        for (auto &a : asked) {
            RuleResult &r = out[a.rule];
            RuleViolation v;
            v.query = a.query;
            v.root = c.root;
            if (!a.instance.unknown.empty()) {
                v.unknown = a.instance.unknown;
            } else if (a.query == kNone) {
                v.unknown = "the instance is too large for the solver (over " +
                            std::to_string(Evaluator::max_terms()) + " terms)";
            } else {
                ++r.instances;
                const solver::Outcome &o = batch.outcome(a.query);
                if (o.verdict == solver::Verdict::Unsat) {
                    continue;
                }
                if (o.verdict == solver::Verdict::Unknown) {
                    v.unknown = "the solver gave up (" + o.unknown_reason + ")";
                }
            }
            for (std::size_t i = 0; i < a.instance.chain.size(); ++i) {
                v.bindings.push_back({i < names[a.rule].size() ? names[a.rule][i] : std::string(),
                                      a.instance.chain[i]});
            }
            v.affected =
                tops_above(idx, anchors(program, idx, c.modules, v.bindings), is_top, tops, seen);
            (v.unknown.empty() ? r.violations : r.undecided).push_back(std::move(v));
        }
    }
    for (auto &r : out) {
        r.holds = r.violations.empty() && r.undecided.empty();
    }
    return out;
}

} // namespace

void evaluate_rules_and_risk(const sema::Program &program, const Overrides &overrides,
                             const sema::Date &date, ProofResult &result, ArgumentIndex *kept) {
    if (program.rules.empty() && program.hazards.empty()) {
        return;
    }
    std::optional<ArgumentIndex> own;
    ArgumentIndex &index = kept != nullptr ? *kept : own.emplace(program);
    result.hazards = evaluate_risk(program, index, overrides, result, date);
    Scopes scopes(program, *result.constraints, *result.batch, result.scope_questions);
    result.rules = evaluate_rules(program, index, overrides, scopes, result.top_claims, date,
                                  result.constraints->model(), *result.batch, result.reads);
}

} // namespace assure::prove
