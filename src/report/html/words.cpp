// SPDX-License-Identifier: Apache-2.0
// The page's sentences: regions, solver obligations and defeaters in words.
#include "report/html/page.hpp"
#include "report/proof_parts.hpp"
#include "solver/session.hpp"

namespace assure::report::html::detail {

using prove::Status;
using sema::DeclId;

void region_words(Page &page, const sema::Region &region) {
    const sema::Program &prog = page.prog;
    if (!region.base.valid()) {
        page.source(region.span);
        return;
    }
    const sema::Decl &base = prog.decl(region.base);
    if (base.kind == sema::DeclKind::Domain) {
        page.raw("every operating point of the domain ");
        page.link(region.base);
        const std::string &title = prog.domains[base.index].title;
        if (!title.empty()) {
            page.raw(" (&ldquo;");
            page.text(title);
            page.raw("&rdquo;)");
        }
    } else {
        page.raw("the operating points of the region ");
        page.link(region.base);
        const std::string &title = prog.odds[base.index].title;
        if (!title.empty()) {
            page.raw(" (&ldquo;");
            page.text(title);
            page.raw("&rdquo;)");
        }
    }
    if (region.where != sema::kNone) {
        page.raw(" where ");
        page.source(prog.exprs[region.where].span);
    }
}

std::string mode_text(const sema::StrategyInfo &s) {
    switch (s.mode) {
    case sema::StrategyMode::AllOf:
        return "all_of";
    case sema::StrategyMode::AnyOf:
        return "any_of";
    case sema::StrategyMode::AtLeast:
        return "at_least " + std::to_string(s.at_least);
    case sema::StrategyMode::Deductive:
        return "deductive";
    }
    return "?";
}

namespace {

/// What the step's answer means, in words a reader without SMT knows.
std::string answer_words(const prove::ObligationKind kind, bool holds) {
    switch (kind) {
    case prove::ObligationKind::NonVacuity:
        return holds ? "the scope has at least one operating point: the claim is not vacuous"
                     : "no operating point satisfies the scope (with its assumptions): the "
                       "claim is vacuous";
    case prove::ObligationKind::Cover:
        return holds ? "the sub-claims' scopes cover the parent's scope: no point of it is left "
                       "uncovered"
                     : "a point of the parent's scope lies in no sub-claim's scope";
    case prove::ObligationKind::Partition:
        return holds ? "the two sub-claims' scopes do not overlap inside the parent's scope"
                     : "the two sub-claims' scopes overlap inside the parent's scope";
    case prove::ObligationKind::Deductive:
        return holds ? "the premises entail the parent's formal statement: no counterexample "
                       "exists"
                     : "a counterexample exists: the premises hold there but the parent's "
                       "formal statement does not";
    case prove::ObligationKind::Requirement:
        return holds ? "valid measurements meeting the requirement cover the whole scope"
                     : "a point of the scope is covered by no valid measurement that meets "
                       "the requirement";
    }
    return "?";
}

} // namespace

void obligation(Page &page, std::uint32_t ob) {
    const prove::ProofResult &res = page.res;
    const prove::Obligation &o = res.obligations[ob];
    const solver::Outcome &outcome = res.outcome(ob);
    const bool unknown = outcome.verdict == solver::Verdict::Unknown;
    const bool holds = !unknown && report::detail::step_holds(res, ob);
    page.raw("<div class=\"ob\" id=\"ob-");
    page.raw(std::to_string(ob + 1));
    page.raw("\"><p><b>Obligation ");
    page.text(report::detail::ob_ref(ob));
    page.raw("</b> <span class=\"muted\">(");
    page.text(prove::obligation_kind_name(o.kind));
    page.raw(")</span> ");
    if (unknown) {
        page.badge("undecided", "s-unk");
    } else if (holds) {
        page.badge("holds", "s-ok");
    } else {
        page.badge("fails", "s-bad");
    }
    page.raw("</p><p><span class=\"lbl\">Asks:</span> ");
    page.text(prove::obligation_purpose(page.prog, res, ob));
    page.raw("</p><p><span class=\"lbl\">Answer:</span> ");
    if (unknown) {
        page.raw("the solver could not decide it (");
        page.text(outcome.unknown_reason);
        page.raw("), so the step is unknown");
    } else {
        page.text(answer_words(o.kind, holds));
    }
    page.raw(" <span class=\"muted\">(");
    page.text(report::detail::ob_summary(res, ob));
    page.raw(", decided by ");
    page.text(solver::decider_name(outcome.decided_by));
    page.raw(")</span></p>");
    if (outcome.model && !holds) {
        page.raw("<p><span class=\"lbl\">");
        page.raw(o.kind == prove::ObligationKind::NonVacuity ? "Example point:"
                                                             : "Counterexample point:");
        page.raw("</span> <code>");
        page.text(solver::format_point(res.constraints->model(), *outcome.model));
        page.raw("</code></p>");
    }
    if (!outcome.core.empty()) {
        page.raw("<p class=\"lbl\">The answer follows from:</p><ul>");
        for (std::size_t k : outcome.core) {
            if (k < o.notes.size()) {
                page.raw("<li>");
                page.text(prove::obligation_note(page.prog, page.sources, res, ob, k));
                page.raw("</li>");
            }
        }
        page.raw("</ul>");
    }
    if (!o.notes.empty()) {
        page.raw("<details><summary>All ");
        page.raw(std::to_string(o.notes.size()));
        page.raw(o.notes.size() == 1 ? " assertion" : " assertions");
        page.raw(" of the query</summary><ol>");
        for (std::size_t k = 0; k < o.notes.size(); ++k) {
            page.raw("<li>");
            page.text(prove::obligation_note(page.prog, page.sources, res, ob, k));
            page.raw("</li>");
        }
        page.raw("</ol></details>");
    }
    page.raw("</div>");
}

void defeater_why(Page &page, std::uint32_t di) {
    const sema::Program &prog = page.prog;
    const prove::ProofResult &res = page.res;
    const sema::DefeaterInfo &df = prog.defeaters[di];
    const prove::Activity activity = res.defeaters[di];
    if (df.status == sema::DefeaterStatus::Withdrawn) {
        page.raw("inactive: it is withdrawn");
        return;
    }
    // The defeaters that defeat it, by activity.
    std::vector<std::uint32_t> active_defeating;
    std::vector<std::uint32_t> unknown_defeating;
    for (std::uint32_t other : page.defeaters_of[df.decl.value]) {
        if (prog.defeaters[other].relation != sema::DefeaterRelation::Defeats) {
            continue;
        }
        if (res.defeaters[other] == prove::Activity::Active) {
            active_defeating.push_back(other);
        } else if (res.defeaters[other] == prove::Activity::Unknown) {
            unknown_defeating.push_back(other);
        }
    }
    auto list = [&](const std::vector<std::uint32_t> &ds) {
        for (std::size_t k = 0; k < ds.size(); ++k) {
            page.raw(k == 0 ? "" : ", ");
            page.link(prog.defeaters[ds[k]].decl);
        }
    };
    auto resolvers = [&](bool only_failing) {
        bool first = true;
        for (DeclId r : df.resolved_by) {
            if (only_failing && res.status(r) == Status::Supported) {
                continue;
            }
            page.raw(first ? "" : ", ");
            first = false;
            page.link_status(r);
        }
    };
    const bool resolved = df.status == sema::DefeaterStatus::Resolved;
    switch (activity) {
    case prove::Activity::Inactive:
        if (!active_defeating.empty()) {
            page.raw("inactive: defeated by the active ");
            list(active_defeating);
        } else {
            page.raw("inactive: resolved, and every element of its resolution holds: ");
            resolvers(false);
        }
        return;
    case prove::Activity::Unknown:
        page.raw("unknown: ");
        if (resolved && !df.resolved_by.empty()) {
            page.raw("whether its resolution holds is unknown (");
            resolvers(true);
            page.raw(")");
        }
        if (!unknown_defeating.empty()) {
            page.raw(resolved && !df.resolved_by.empty() ? "; " : "");
            page.raw("whether a defeater that defeats it is active is unknown (");
            list(unknown_defeating);
            page.raw(")");
        }
        return;
    case prove::Activity::Active:
        page.raw("active: ");
        if (!resolved) {
            page.raw("it is open");
        } else if (df.resolved_by.empty()) {
            page.raw("it is marked resolved but names nothing in <code>resolved_by:</code>");
        } else {
            page.raw("it is marked resolved, but its resolution does not hold (");
            resolvers(true);
            page.raw(")");
        }
        page.raw(", and no active defeater defeats it");
        return;
    }
}

} // namespace assure::report::html::detail
