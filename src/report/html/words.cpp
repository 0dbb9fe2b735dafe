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
        page.text(prove::obligation_answer_words(res, ob));
    }
    page.raw(" <span class=\"muted\">(");
    page.text(page.ob_summary(ob));
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
        // An unsat core: the conditions no operating point meets at once.
        page.raw("<p class=\"lbl\">No operating point is at once:</p><ul>");
        for (std::size_t k : outcome.core) {
            if (k < o.notes.size()) {
                page.raw("<li>");
                page.text(prove::obligation_condition(page.prog, page.sources, res, ob, k));
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
    // prove's account decides what to say (the same as explain and the JSON); the page says it
    // with links.
    const prove::DefeaterAccount &a = page.accounts[di];
    auto list = [&](const std::vector<DeclId> &ds) {
        for (std::size_t k = 0; k < ds.size(); ++k) {
            page.raw(k == 0 ? "" : k + 1 == ds.size() ? " and " : ", ");
            page.link(ds[k]);
        }
    };
    auto resolvers = [&](bool only_failing) {
        bool first = true;
        for (const auto &r : a.resolved_by) {
            if (only_failing && r.status == Status::Supported) {
                continue;
            }
            page.raw(first ? "" : ", ");
            first = false;
            page.link_status(r.element);
        }
    };
    switch (a.why) {
    case prove::DefeaterWhy::Withdrawn:
        page.raw("inactive: it is withdrawn");
        return;
    case prove::DefeaterWhy::Resolved:
        page.raw("inactive: resolved, and every element of its resolution holds: ");
        resolvers(false);
        return;
    case prove::DefeaterWhy::Defeated:
        page.raw("inactive: defeated by the active ");
        list(a.defeated_by);
        return;
    case prove::DefeaterWhy::ResolutionUnknown:
        page.raw("unknown: whether its resolution holds is unknown (");
        resolvers(true);
        page.raw(")");
        return;
    case prove::DefeaterWhy::DefeatUnknown:
        page.raw("unknown: whether a defeater that defeats it is active is unknown (");
        list(a.defeated_by);
        page.raw(")");
        return;
    case prove::DefeaterWhy::ResolutionFails:
        page.raw("active: it is marked resolved, but its resolution does not hold (");
        resolvers(true);
        page.raw("), and no active defeater defeats it");
        return;
    case prove::DefeaterWhy::Open:
        page.raw(a.status == sema::DefeaterStatus::Resolved
                     ? "active: it is marked resolved but names nothing in "
                       "<code>resolved_by:</code>, and no active defeater defeats it"
                     : "active: it is open, and no active defeater defeats it");
        return;
    }
}

} // namespace assure::report::html::detail
