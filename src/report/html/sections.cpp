// SPDX-License-Identifier: Apache-2.0
// A section per claim, strategy, piece of evidence and attachment, in declaration order.
#include "report/html/page.hpp"
#include "report/proof_parts.hpp"

namespace assure::report::html::detail {

using prove::Status;
using sema::DeclId;
using sema::DeclKind;

namespace {

/// Links with status badges, comma-separated ("none" when empty).
void link_list(Page &page, const std::vector<DeclId> &ds) {
    if (ds.empty()) {
        page.raw("none");
    }
    for (std::size_t k = 0; k < ds.size(); ++k) {
        page.raw(k == 0 ? "" : ", ");
        page.link_status(ds[k]);
    }
}

void fact(Page &page, const char *term) {
    page.raw("<dt>");
    page.raw(term);
    page.raw("</dt><dd>");
}

void head(Page &page, DeclId d, const std::string &title, bool with_status) {
    const sema::Decl &decl = page.prog.decl(d);
    const std::string name = page.prog.qualified_name(d);
    page.raw("<section class=\"el b-");
    page.raw(with_status ? status_class(page.res.status(d)) + 2 : "none");
    page.raw("\" id=\"");
    page.raw(anchor(name));
    page.raw("\"><h3>");
    page.raw(sema::kind_name(decl.kind));
    page.raw(" <code>");
    page.text(name);
    page.raw("</code> ");
    if (with_status) {
        page.status_badge(d);
    }
    page.raw("</h3><p class=\"title\">");
    page.text(title);
    page.raw("</p><p>");
    page.location(decl.name_span);
    page.raw("</p>");
}

void description(Page &page, const std::string &text) {
    if (!text.empty()) {
        page.raw("<p>");
        page.text(text);
        page.raw("</p>");
    }
}

void reasons(Page &page, DeclId d) {
    const auto &rs = page.res.elements[d.value].reasons;
    if (rs.empty()) {
        return;
    }
    page.raw("<p class=\"lbl\">Why not:</p><ul>");
    for (const auto &r : rs) {
        page.raw("<li class=\"reason\">");
        page.text(r.text);
        if (r.obligation != sema::kNone) {
            page.raw(" <span class=\"muted\">[obligation ");
            page.text(report::detail::ob_ref(r.obligation));
            page.raw("]</span>");
        }
        if (r.other.valid() && has_anchor(page.prog.decl(r.other).kind)) {
            page.raw(" <span class=\"muted\">(see ");
            page.link(r.other);
            page.raw(")</span>");
        }
        if (r.derived) {
            page.raw(" <span class=\"muted\">(a consequence of the failures below it)</span>");
        }
        page.raw("</li>");
    }
    page.raw("</ul>");
}

/// The defeaters attacking `d`, each with its activity and why.
void attacks(Page &page, DeclId d) {
    const auto &ds = page.defeaters_of[d.value];
    if (ds.empty()) {
        return;
    }
    fact(page, "Defeaters");
    page.raw("<ul>");
    for (std::uint32_t di : ds) {
        const auto &df = page.prog.defeaters[di];
        const prove::Activity a = page.res.defeaters[di];
        page.raw("<li>");
        page.link(df.decl);
        page.raw(" ");
        page.raw(prove::defeater_relation_name(df.relation));
        page.raw(" it (&ldquo;");
        page.text(df.title);
        page.raw("&rdquo;): ");
        page.badge(prove::activity_name(a), a == prove::Activity::Active    ? "s-bad"
                                            : a == prove::Activity::Unknown ? "s-unk"
                                                                            : "s-ok");
        page.raw(" ");
        defeater_why(page, di);
        page.raw("</li>");
    }
    page.raw("</ul></dd>");
}

void attachments(Page &page, DeclId d) {
    const auto &as = page.attachments_of[d.value];
    if (as.empty()) {
        return;
    }
    fact(page, "Assumptions, context, justifications");
    page.raw("<ul>");
    for (std::uint32_t a : as) {
        const auto &at = page.prog.attachments[a];
        page.raw("<li>");
        page.raw(sema::kind_name(page.prog.decl(at.decl).kind));
        page.raw(" ");
        page.link(at.decl);
        page.raw(": ");
        page.text(at.title);
        if (at.formal != sema::kNone) {
            page.raw(" &mdash; formal: ");
            page.source(page.prog.exprs[at.formal].span);
        }
        page.raw("</li>");
    }
    page.raw("</ul></dd>");
}

void used_by(Page &page, DeclId d) {
    fact(page, "Supports");
    const auto &us = page.used_by[d.value];
    if (us.empty()) {
        page.raw("nothing");
    } else {
        link_list(page, us);
    }
    page.raw("</dd>");
}

void measurement(Page &page, const prove::Measurement &m, const char *use) {
    const sema::Program &prog = page.prog;
    const std::uint32_t ei = prog.decl(m.evidence).index;
    const auto &metric = prog.evidence[ei].metrics[m.metric];
    page.raw("<li>");
    page.link_status(m.evidence);
    page.raw(": <code>");
    page.text(metric.name);
    page.raw(" = ");
    page.text(prove::measurement_text(prog, page.res, ei, m.metric));
    page.raw("</code> over ");
    region_words(page, metric.over);
    page.raw(" <span class=\"muted\">(");
    page.raw(use);
    page.raw(")</span>");
    if (metric.read != sema::kNone) {
        page.raw("<br><span class=\"muted\">read from</span> ");
        page.text(prove::read_provenance(prog, page.res, metric.read));
    }
    page.raw("</li>");
}

void claim(Page &page, std::uint32_t ci, bool top) {
    const sema::Program &prog = page.prog;
    const prove::ProofResult &res = page.res;
    const auto &c = prog.claims[ci];
    const auto &cr = res.claims[ci];
    head(page, c.decl, c.title, true);
    if (top) {
        page.raw("<p><span class=\"badge s-none\">top claim</span></p>");
    }
    description(page, c.description);
    page.raw("<dl class=\"facts\">");
    fact(page, "Scope");
    if (c.scope) {
        region_words(page, *c.scope);
        page.raw(" <span class=\"muted\">(written ");
        page.source(c.scope->span);
        page.raw(")</span>");
    } else {
        page.raw("none: the claim is not limited to operating points");
    }
    page.raw("</dd>");
    if (c.formal != sema::kNone) {
        fact(page, "Formal statement");
        page.source(prog.exprs[c.formal].span);
        page.raw("</dd>");
    }
    used_by(page, c.decl);
    if (c.undeveloped) {
        fact(page, "Argument");
        page.raw("undeveloped: its argument is not yet written</dd>");
    } else {
        fact(page, "Supported by");
        link_list(page, c.supported_by);
        page.raw("</dd>");
        if (!res.strategies_of[ci].empty()) {
            fact(page, "Strategies");
            std::vector<DeclId> ss;
            for (std::uint32_t s : res.strategies_of[ci]) {
                ss.push_back(prog.strategies[s].decl);
            }
            link_list(page, ss);
            page.raw("</dd>");
        }
    }
    if (!c.mitigates.empty()) {
        fact(page, "Mitigates");
        for (std::size_t k = 0; k < c.mitigates.size(); ++k) {
            page.raw(k == 0 ? "" : ", ");
            page.link(c.mitigates[k]);
        }
        if (c.lowers_likelihood > 0) {
            page.raw(" <span class=\"muted\">(once supported, lowers the likelihood ");
            page.raw(std::to_string(c.lowers_likelihood));
            page.raw(c.lowers_likelihood == 1 ? " step)" : " steps)");
            page.raw("</span>");
        }
        page.raw("</dd>");
    }
    attachments(page, c.decl);
    const std::string relied = prove::relied_assumptions_text(prog, page.sources, res, c.decl);
    if (!relied.empty() || cr.relies_overflow) {
        fact(page, "Rests on the assumptions");
        page.text(relied.empty() ? std::string("too many to track") : relied);
        page.raw(" <span class=\"muted\">(a logical step above counts the claim only where they "
                 "hold)</span></dd>");
    }
    attacks(page, c.decl);
    page.raw("</dl>");
    reasons(page, c.decl);
    if (!c.requirements.empty()) {
        page.raw("<p class=\"lbl\">Requirements:</p>");
        for (std::uint32_t r = 0; r < c.requirements.size(); ++r) {
            const auto &req = c.requirements[r];
            const auto &rr = cr.requirements[r];
            page.raw("<div class=\"req\"><p>");
            page.source(req.span);
            page.raw(" ");
            page.badge(rr.status == Status::Supported ? "met"
                       : rr.status == Status::Unknown ? "unknown"
                                                      : "not met",
                       status_class(rr.status));
            page.raw("</p><ul>");
            for (const auto &m : rr.used) {
                measurement(page, m, "used: meets the requirement");
            }
            for (const auto &m : rr.rejected) {
                measurement(page, m,
                            res.status(m.evidence) == Status::Supported
                                ? "not used: the value does not meet the requirement"
                                : "not used: the evidence is not valid");
            }
            if (rr.used.empty() && rr.rejected.empty()) {
                page.raw("<li>no measurement of <code>");
                page.text(req.metric);
                page.raw("</code> under the claim</li>");
            }
            page.raw("</ul>");
            if (rr.obligation != sema::kNone) {
                obligation(page, rr.obligation);
            }
            page.raw("</div>");
        }
    }
    if (cr.vacuity != sema::kNone) {
        page.raw("<p class=\"lbl\">Scope check:</p>");
        obligation(page, cr.vacuity);
    }
    if (res.status(c.decl) != Status::Supported && !top) {
        // A top claim's root causes are listed in the top-claims part.
        const auto causes = prove::root_causes(prog, res, c.decl);
        if (!causes.empty()) {
            page.raw("<p class=\"lbl\">Root causes:</p><ul>");
            constexpr std::size_t kShown = 50;
            for (std::size_t k = 0; k < causes.size() && k < kShown; ++k) {
                page.raw("<li>");
                page.link(causes[k].element);
                page.raw(": <span class=\"reason\">");
                page.text(causes[k].reason->text);
                page.raw("</span></li>");
            }
            if (causes.size() > kShown) {
                page.raw("<li class=\"muted\">... and ");
                page.raw(std::to_string(causes.size() - kShown));
                page.raw(" more, in the sections of the elements linked above and below</li>");
            }
            page.raw("</ul>");
        }
    }
    page.raw("</section>\n");
}

void strategy(Page &page, std::uint32_t si) {
    const sema::Program &prog = page.prog;
    const prove::ProofResult &res = page.res;
    const auto &s = prog.strategies[si];
    const auto &sr = res.strategies[si];
    head(page, s.decl, s.title, true);
    description(page, s.description);
    page.raw("<dl class=\"facts\">");
    fact(page, "For");
    if (s.parent.valid()) {
        page.link_status(s.parent);
    }
    page.raw("</dd>");
    fact(page, "Mode");
    page.raw("<code>");
    page.text(mode_text(s));
    page.raw("</code> ");
    switch (s.mode) {
    case sema::StrategyMode::AllOf:
        page.raw("(every supporter must hold)");
        break;
    case sema::StrategyMode::AnyOf:
        page.raw("(one supporter holding is enough)");
        break;
    case sema::StrategyMode::AtLeast:
        page.raw("(at least ");
        page.raw(std::to_string(s.at_least));
        page.raw(" supporters must hold)");
        break;
    case sema::StrategyMode::Deductive:
        page.raw("(every supporter must hold, and their formal statements must entail the "
                 "parent's)");
        break;
    }
    page.raw("</dd>");
    if (s.cover != sema::CoverKind::None) {
        fact(page, s.cover == sema::CoverKind::Cover ? "Cover" : "Partition");
        page.raw(s.cover == sema::CoverKind::Cover
                     ? "the sub-claims' scopes must cover the parent's scope"
                     : "the sub-claims' scopes must cover the parent's scope without overlap");
        if (!s.cover_vars.empty()) {
            page.raw(", over ");
            for (std::size_t k = 0; k < s.cover_vars.size(); ++k) {
                page.raw(k == 0 ? "<code>" : ", <code>");
                page.text(prog.variables[s.cover_vars[k]].name);
                page.raw("</code>");
            }
        }
        page.raw("</dd>");
    }
    fact(page, "Supported by");
    link_list(page, s.supported_by);
    page.raw("</dd>");
    if (!s.justification.empty()) {
        fact(page, "Justification");
        page.text(s.justification);
        page.raw("</dd>");
    }
    attachments(page, s.decl);
    attacks(page, s.decl);
    page.raw("</dl>");
    reasons(page, s.decl);
    if (sr.assumptions_untracked) {
        page.raw("<p class=\"reason\">A sub-claim rests on more assumptions than the proof "
                 "tracks: the logical step is undecided.</p>");
    }
    if (sr.cover != sema::kNone || !sr.overlaps.empty() || sr.deductive != sema::kNone) {
        page.raw("<p class=\"lbl\">Solver steps:</p>");
        if (sr.cover != sema::kNone) {
            obligation(page, sr.cover);
        }
        for (std::uint32_t ob : sr.overlaps) {
            obligation(page, ob);
        }
        if (sr.deductive != sema::kNone) {
            obligation(page, sr.deductive);
        }
    }
    page.raw("</section>\n");
}

void evidence(Page &page, std::uint32_t ei) {
    const sema::Program &prog = page.prog;
    const prove::ProofResult &res = page.res;
    const auto &e = prog.evidence[ei];
    head(page, e.decl, e.title, true);
    description(page, e.description);
    page.raw("<dl class=\"facts\">");
    if (e.kind != sema::EvidenceKind::Unspecified) {
        fact(page, "Kind");
        page.text(sema::evidence_kind_words()[static_cast<std::size_t>(e.kind) - 1]);
        page.raw("</dd>");
    }
    fact(page, "Result");
    page.text(prove::evidence_result_text(prog, res, ei));
    if (e.result_read != sema::kNone) {
        page.raw(" <span class=\"muted\">(read from ");
        page.text(prove::read_provenance(prog, res, e.result_read));
        page.raw(")</span>");
    }
    page.raw("</dd>");
    if (e.date) {
        fact(page, "Date");
        page.text(prove::format_date(*e.date));
        page.raw("</dd>");
    }
    fact(page, "Expiry");
    if (!e.valid_until) {
        page.raw("none (no <code>valid_until:</code>)");
    } else {
        page.raw("valid until ");
        page.text(prove::format_date(*e.valid_until));
        const long days = sema::days_from_civil(*e.valid_until) - sema::days_from_civil(res.date);
        page.raw(" <span class=\"muted\">(");
        if (days < 0) {
            page.raw("expired ");
            page.raw(std::to_string(-days));
            page.raw(-days == 1 ? " day" : " days");
            page.raw(" before the date judged at");
        } else {
            page.raw(std::to_string(days));
            page.raw(days == 1 ? " day" : " days");
            page.raw(" left at the date judged at");
        }
        page.raw(")</span>");
    }
    page.raw("</dd>");
    auto person = [&](const char *term, const std::string &v) {
        if (!v.empty()) {
            fact(page, term);
            page.text(v);
            page.raw("</dd>");
        }
    };
    person("Producer", e.producer);
    person("Team", e.team);
    person("Department", e.department);
    person("Approved by", e.approved_by);
    if (!e.independent_of.empty()) {
        fact(page, "Independent of");
        link_list(page, e.independent_of);
        page.raw("</dd>");
    }
    if (e.cost) {
        fact(page, "Cost");
        page.text(e.cost->to_string());
        page.raw("</dd>");
    }
    used_by(page, e.decl);
    attachments(page, e.decl);
    attacks(page, e.decl);
    page.raw("</dl>");
    if (!e.artifacts.empty()) {
        page.raw("<table class=\"artifacts\"><tr><th>Artifact</th><th>Path</th><th>State</th>"
                 "<th>SHA-256</th></tr>");
        for (DeclId a : e.artifacts) {
            const auto &check = res.artifacts[prog.decl(a).index];
            page.raw("<tr><td>");
            page.link(a);
            page.raw("</td><td><code>");
            page.text(check.path);
            page.raw("</code></td><td>");
            page.badge(prove::artifact_state_name(check.state),
                       check.state == prove::ArtifactState::Verified ? "s-ok" : "s-bad");
            page.raw("</td><td class=\"hash\">");
            page.text(check.actual.empty() ? check.error : check.actual);
            page.raw("</td></tr>");
        }
        page.raw("</table>");
    }
    if (!e.metrics.empty()) {
        page.raw("<p class=\"lbl\">Measurements:</p><ul>");
        for (std::uint32_t m = 0; m < e.metrics.size(); ++m) {
            const auto &metric = e.metrics[m];
            page.raw("<li><code>");
            page.text(metric.name);
            page.raw(" = ");
            page.text(prove::measurement_text(prog, res, ei, m));
            page.raw("</code> over ");
            region_words(page, metric.over);
            if (metric.read != sema::kNone) {
                page.raw("<br><span class=\"muted\">read from</span> ");
                page.text(prove::read_provenance(prog, res, metric.read));
            }
            page.raw("</li>");
        }
        page.raw("</ul>");
    }
    reasons(page, e.decl);
    page.raw("</section>\n");
}

void attachment(Page &page, std::uint32_t ai) {
    const sema::Program &prog = page.prog;
    const auto &at = prog.attachments[ai];
    head(page, at.decl, at.title, false);
    description(page, at.description);
    page.raw("<dl class=\"facts\">");
    fact(page, "Attached to");
    for (std::size_t k = 0; k < at.targets.size(); ++k) {
        page.raw(k == 0 ? "" : ", ");
        page.link_status(at.targets[k]);
    }
    page.raw("</dd>");
    if (at.formal != sema::kNone) {
        fact(page, "Formal statement");
        page.source(prog.exprs[at.formal].span);
        page.raw("</dd>");
    }
    if (!at.artifacts.empty()) {
        fact(page, "Artifacts");
        for (std::size_t k = 0; k < at.artifacts.size(); ++k) {
            page.raw(k == 0 ? "" : ", ");
            page.link(at.artifacts[k]);
        }
        page.raw("</dd>");
    }
    page.raw("</dl></section>\n");
}

} // namespace

void element_sections(Page &page) {
    const sema::Program &prog = page.prog;
    std::vector<bool> top(prog.decls.size(), false);
    for (DeclId c : page.res.top_claims) {
        top[c.value] = true;
    }
    page.raw("<section id=\"elements\"><h2>Claims, strategies and evidence</h2>");
    if (page.lazy) {
        page.raw("<p class=\"muted\">This case is large: each element's section is shown when "
                 "you follow a link to it (from a diagram, a table or the search box), and "
                 "only the sections shown are printed.</p><div id=\"shown\"></div>");
    }
    std::string section;
    for (std::uint32_t d = 0; d < prog.decls.size(); ++d) {
        const sema::Decl &decl = prog.decls[d];
        const bool element = decl.kind == DeclKind::Claim || decl.kind == DeclKind::Strategy ||
                             decl.kind == DeclKind::Evidence || decl.kind == DeclKind::Assumption ||
                             decl.kind == DeclKind::Context || decl.kind == DeclKind::Justification;
        if (!element) {
            continue;
        }
        const std::size_t start = page.out.size();
        switch (decl.kind) {
        case DeclKind::Claim:
            claim(page, decl.index, top[d]);
            break;
        case DeclKind::Strategy:
            strategy(page, decl.index);
            break;
        case DeclKind::Evidence:
            evidence(page, decl.index);
            break;
        default:
            attachment(page, decl.index);
            break;
        }
        if (page.lazy) {
            // Inert until navigated to: the browser scans a data block without building a
            // node of it, so a hundred thousand sections load in seconds.
            page.to_data(start, " id=\"t-" + anchor(prog.qualified_name(DeclId{d})) + "\"");
            page.raw("\n");
        }
    }
    page.raw("</section>\n");
}

} // namespace assure::report::html::detail
