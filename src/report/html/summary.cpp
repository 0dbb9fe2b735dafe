// SPDX-License-Identifier: Apache-2.0
// The page's overview parts: the summary, the top claims with their root causes, the risk,
// rules and defeaters tables, and the search index.
#include "report/html/page.hpp"
#include "report/proof_parts.hpp"
#include "support/sha256.hpp"

#include <array>

namespace assure::report::html::detail {

using prove::Status;
using sema::DeclId;
using sema::DeclKind;

namespace {

/// Counts by status, in Status order (supported, unknown, undeveloped, unsupported).
using Counts = std::array<std::size_t, 4>;

template <typename Table> Counts count_status(const Page &page, const Table &table) {
    Counts c{};
    for (const auto &info : table) {
        ++c[static_cast<std::size_t>(page.res.status(info.decl))];
    }
    return c;
}

void count_row(Page &page, const char *what, std::size_t total,
               const std::vector<std::pair<std::size_t, const char *>> &parts) {
    page.raw("<tr><th>");
    page.raw(what);
    page.raw("</th><td class=\"n\">");
    page.raw(std::to_string(total));
    page.raw("</td><td>");
    bool first = true;
    for (const auto &[n, word] : parts) {
        page.raw(first ? "" : ", ");
        first = false;
        page.raw(std::to_string(n));
        page.raw(" ");
        page.raw(word);
    }
    page.raw("</td></tr>");
}

void counts(Page &page) {
    const sema::Program &prog = page.prog;
    const prove::ProofResult &res = page.res;
    page.raw("<h3>Counts</h3><table class=\"counts\"><tr><th>Elements</th><th>Total</th>"
             "<th>By status</th></tr>");
    const Counts claims = count_status(page, prog.claims);
    Counts tops{};
    for (DeclId c : res.top_claims) {
        ++tops[static_cast<std::size_t>(res.status(c))];
    }
    count_row(page, "Top claims", res.top_claims.size(),
              {{tops[0], "supported"},
               {tops[3], "unsupported"},
               {tops[2], "undeveloped"},
               {tops[1], "unknown"}});
    count_row(page, "Claims", prog.claims.size(),
              {{claims[0], "supported"},
               {claims[3], "unsupported"},
               {claims[2], "undeveloped"},
               {claims[1], "unknown"}});
    const Counts strategies = count_status(page, prog.strategies);
    count_row(page, "Strategies", prog.strategies.size(),
              {{strategies[0], "hold"},
               {strategies[3], "fail"},
               {strategies[2], "undeveloped"},
               {strategies[1], "unknown"}});
    const Counts evidence = count_status(page, prog.evidence);
    count_row(
        page, "Evidence", prog.evidence.size(),
        {{evidence[0], "valid"}, {evidence[3] + evidence[2], "invalid"}, {evidence[1], "unknown"}});
    std::array<std::size_t, 3> activity{};
    for (const prove::Activity a : res.defeaters) {
        ++activity[static_cast<std::size_t>(a)];
    }
    count_row(page, "Defeaters", prog.defeaters.size(),
              {{activity[2], "active"}, {activity[0], "inactive"}, {activity[1], "unknown"}});
    std::size_t rated = 0;
    std::size_t short_of = 0;
    for (const auto &h : res.hazards) {
        rated += h.rated ? 1 : 0;
        short_of += h.findings.empty() ? 0 : 1;
    }
    count_row(page, "Hazards", prog.hazards.size(),
              {{rated, "rated"}, {short_of, "with a risk finding"}});
    std::size_t hold = 0;
    std::size_t violated = 0;
    for (const auto &r : res.rules) {
        hold += r.holds ? 1 : 0;
        violated += r.violations.empty() ? 0 : 1;
    }
    count_row(page, "Rules", prog.rules.size(),
              {{hold, "hold"},
               {violated, "violated"},
               {prog.rules.size() - hold - violated, "undecided"}});
    std::array<std::size_t, 4> states{};
    for (const auto &a : res.artifacts) {
        ++states[static_cast<std::size_t>(a.state)];
    }
    count_row(page, "Artifacts", prog.artifacts.size(),
              {{states[0], "verified"},
               {states[1], "missing"},
               {states[2], "changed"},
               {states[3], "unrecorded"}});
    std::size_t holds = 0;
    std::size_t unknown = 0;
    for (std::uint32_t ob = 0; ob < res.obligations.size(); ++ob) {
        if (res.outcome(ob).verdict == solver::Verdict::Unknown) {
            ++unknown;
        } else {
            holds += report::detail::step_holds(res, ob) ? 1 : 0;
        }
    }
    count_row(page, "Solver obligations", res.obligations.size(),
              {{holds, "hold"},
               {res.obligations.size() - holds - unknown, "fail"},
               {unknown, "unknown"}});
    page.raw("</table>");
}

void case_files(Page &page) {
    const sema::Program &prog = page.prog;
    // The digest of the whole case: SHA-256 of the lines `sha256sum` prints for the files,
    // in the order shown (docs/report.md).
    std::string listing;
    page.raw("<h3>Case files</h3><table class=\"files\"><tr><th>File</th><th>Module</th>"
             "<th>SHA-256</th></tr>");
    for (const auto &m : prog.modules) {
        const std::string hex = support::sha256_hex(page.sources.raw_text(m.file));
        const std::string name = page.sources.display_name(m.file);
        listing += hex + "  " + name + "\n";
        page.raw("<tr><td><code>");
        page.text(name);
        page.raw("</code></td><td><code>");
        page.text(m.name);
        page.raw("</code>");
        if (m.is_stdlib) {
            page.raw(" <span class=\"muted\">(standard library)</span>");
        }
        page.raw("</td><td class=\"hash\">");
        page.raw(hex);
        page.raw("</td></tr>");
    }
    page.raw("</table><p><span class=\"lbl\">Case digest:</span> <span class=\"hash\" "
             "id=\"case-digest\">");
    page.raw(support::sha256_hex(listing));
    page.raw("</span> <span class=\"muted\">(the SHA-256 of the table above as "
             "<code>sha256sum</code> lists it: one line per file, digest, two spaces, "
             "name)</span></p>");
}

void artifacts(Page &page) {
    const sema::Program &prog = page.prog;
    page.raw("<h3>Artifacts</h3>");
    if (prog.artifacts.empty()) {
        page.raw("<p class=\"muted\">The case declares no artifact.</p>");
        return;
    }
    const bool deferred = page.open_deferred(
        prog.artifacts.size(), "the " + std::to_string(prog.artifacts.size()) + " artifacts");
    page.raw("<table class=\"artifacts\"><tr><th>Artifact</th><th>Path</th><th>State</th>"
             "<th>SHA-256 now</th><th>Recorded SHA-256</th><th>Evidence</th></tr>");
    for (std::uint32_t ai = 0; ai < prog.artifacts.size(); ++ai) {
        const auto &a = prog.artifacts[ai];
        const auto &check = page.res.artifacts[ai];
        const bool ok = check.state == prove::ArtifactState::Verified;
        page.raw("<tr id=\"");
        page.raw(anchor(prog.qualified_name(a.decl)));
        page.raw("\"><td><code>");
        page.text(prog.qualified_name(a.decl));
        page.raw("</code></td><td><code>");
        page.text(check.path);
        page.raw("</code></td><td>");
        page.badge(prove::artifact_state_name(check.state), ok ? "s-ok" : "s-bad");
        if (!check.error.empty()) {
            page.raw(" <span class=\"muted\">");
            page.text(check.error);
            page.raw("</span>");
        }
        page.raw("</td><td class=\"hash\">");
        page.text(check.actual.empty() ? "-" : check.actual);
        page.raw("</td><td class=\"hash\">");
        page.text(a.sha256.empty() ? "none" : a.sha256 == check.actual ? "same" : a.sha256);
        page.raw("</td><td>");
        const auto &evs = page.evidence_of[a.decl.value];
        for (std::size_t k = 0; k < evs.size(); ++k) {
            page.raw(k == 0 ? "" : ", ");
            page.link(evs[k]);
        }
        page.raw("</td></tr>");
    }
    page.raw("</table>");
    page.close_deferred(deferred);
}

} // namespace

void summary(Page &page) {
    const prove::ProofResult &res = page.res;
    const ProofMeta &meta = page.meta;
    const int code = report::proof_exit_code(res);
    page.raw("<section id=\"summary\"><h2>Summary</h2><p class=\"verdict\">");
    if (code == 0) {
        page.badge("supported", "s-ok");
        page.raw(" Every top claim is supported.");
    } else if (code == 5) {
        page.badge("not supported", "s-bad");
        page.raw(" Some top claim is unsupported or undeveloped.");
    } else {
        page.badge("unknown", "s-unk");
        page.raw(" No top claim fails, but the support of some is unknown.");
    }
    page.raw(" <span class=\"muted\">(exit code ");
    page.raw(std::to_string(code));
    page.raw(" of <code>assure prove</code>)</span></p><dl class=\"facts\"><dt>Judged at</dt><dd>");
    page.text(prove::format_date(res.date));
    page.raw(" <span class=\"muted\">(");
    page.text(meta.date_source);
    page.raw(")</span></dd><dt>Generated by</dt><dd>assure ");
    page.text(meta.assure_version);
    page.raw(" with Z3 ");
    page.text(meta.z3_version);
    page.raw("</dd><dt>Solver settings</dt><dd>");
    page.raw(std::to_string(meta.timeout_ms));
    page.raw(" ms per query");
    if (meta.rlimit != 0) {
        page.raw(", resource limit ");
        page.raw(std::to_string(meta.rlimit));
    }
    page.raw(meta.cells ? "; box queries decided by cell enumeration, the rest by Z3"
                        : "; every query decided by Z3");
    page.raw("</dd></dl><h3>Verdict per top claim</h3><table class=\"tops\"><tr><th>Claim</th>"
             "<th>Verdict</th><th>Title</th></tr>");
    for (DeclId c : res.top_claims) {
        page.raw("<tr><td>");
        page.link(c);
        page.raw("</td><td>");
        page.status_badge(c);
        page.raw("</td><td>");
        page.text(page.prog.claims[page.prog.decl(c).index].title);
        page.raw("</td></tr>");
    }
    page.raw("</table>");
    counts(page);
    case_files(page);
    artifacts(page);
    page.raw("</section>\n");
}

void top_claims(Page &page) {
    const sema::Program &prog = page.prog;
    const prove::ProofResult &res = page.res;
    page.raw("<section id=\"top-claims\"><h2>Top claims and root causes</h2>");
    for (DeclId c : res.top_claims) {
        page.raw("<div class=\"el b-");
        page.raw(status_class(res.status(c)) + 2);
        page.raw("\"><h3>");
        page.link(c);
        page.raw(" ");
        page.status_badge(c);
        page.raw("</h3><p class=\"title\">");
        page.text(prog.claims[prog.decl(c).index].title);
        page.raw("</p>");
        const std::string relied = prove::relied_assumptions_text(prog, page.sources, res, c);
        if (!relied.empty()) {
            page.raw("<p>Under the assumptions ");
            page.text(relied);
            page.raw("</p>");
        }
        if (res.status(c) == Status::Supported) {
            page.raw("<p>Supported: no root cause.</p></div>");
            continue;
        }
        const auto causes = prove::root_causes(prog, res, c);
        page.raw("<p class=\"lbl\">");
        page.raw(std::to_string(causes.size()));
        page.raw(causes.size() == 1 ? " root cause:" : " root causes:");
        page.raw("</p>");
        const bool deferred =
            page.open_deferred(causes.size(), std::to_string(causes.size()) + " root causes");
        page.raw("<ul class=\"causes\">");
        for (const auto &rc : causes) {
            page.raw("<li>");
            page.raw(sema::kind_name(prog.decl(rc.element).kind));
            page.raw(" ");
            page.link(rc.element);
            page.raw(": <span class=\"reason\">");
            page.text(rc.reason->text);
            page.raw("</span>");
            if (rc.reason->obligation != sema::kNone) {
                page.raw(" <span class=\"muted\">[obligation ");
                page.text(report::detail::ob_ref(rc.reason->obligation));
                page.raw("]</span>");
            }
            page.raw(" ");
            page.location(prog.decl(rc.element).name_span);
            page.raw("</li>");
        }
        page.raw("</ul>");
        page.close_deferred(deferred);
        page.raw("</div>");
    }
    page.raw("</section>\n");
}

void risk(Page &page) {
    const sema::Program &prog = page.prog;
    const prove::ProofResult &res = page.res;
    page.raw("<section id=\"risk\"><h2>Hazards and risk</h2>");
    if (prog.hazards.empty()) {
        page.raw("<p class=\"muted\">The case declares no hazard.</p></section>\n");
        return;
    }
    const bool deferred = page.open_deferred(
        prog.hazards.size(), "the " + std::to_string(prog.hazards.size()) + " hazards");
    page.raw("<table class=\"hazards\"><tr><th>Hazard</th><th>Severity, likelihood</th>"
             "<th>Risk before mitigation</th><th>After mitigation</th><th>Mitigated by</th>"
             "<th>Findings</th></tr>");
    for (std::uint32_t h = 0; h < prog.hazards.size(); ++h) {
        const auto &hz = prog.hazards[h];
        const auto &risk = res.hazards[h];
        auto value = [&](const std::optional<sema::ScaleValue> &v) {
            page.text(v ? prog.scales[v->scale].values[v->value] : std::string("-"));
        };
        page.raw("<tr id=\"");
        page.raw(anchor(prog.qualified_name(hz.decl)));
        page.raw("\"><td><code>");
        page.text(prog.qualified_name(hz.decl));
        page.raw("</code><br><span class=\"title\">");
        page.text(hz.title);
        page.raw("</span></td><td>");
        value(hz.severity);
        page.raw(", ");
        value(hz.likelihood);
        page.raw("</td><td>");
        if (risk.rated && risk.level != sema::kNone) {
            const auto &mx = prog.matrices[prog.decl(hz.matrix).index];
            const auto &levels = prog.scales[mx.levels].values;
            page.text(levels[risk.level]);
            page.raw(" <span class=\"muted\">(");
            page.text(prog.qualified_name(hz.matrix));
            page.raw(")</span></td><td>");
            page.text(risk.residual == sema::kNone ? std::string("-") : levels[risk.residual]);
            if (risk.step > 0 && risk.residual_likelihood != sema::kNone) {
                page.raw(" <span class=\"muted\">(likelihood lowered ");
                page.raw(std::to_string(risk.step));
                page.raw(risk.step == 1 ? " step to " : " steps to ");
                page.text(prog.scales[mx.columns].values[risk.residual_likelihood]);
                page.raw(")</span>");
            }
            if (mx.accept && risk.residual != sema::kNone) {
                page.raw("; accepted up to ");
                page.text(levels[*mx.accept]);
                page.raw(" ");
                const bool accepted = risk.residual <= *mx.accept;
                page.badge(accepted ? "accepted" : "not accepted", accepted ? "s-ok" : "s-bad");
            }
        } else {
            page.raw("not rated</td><td>-");
        }
        page.raw("</td><td>");
        for (std::size_t k = 0; k < risk.mitigations.size(); ++k) {
            page.raw(k == 0 ? "" : "<br>");
            page.link_status(risk.mitigations[k]);
        }
        page.raw("</td><td>");
        if (risk.findings.empty()) {
            page.raw(risk.rated ? "none" : "-");
        }
        for (const auto &f : risk.findings) {
            page.raw("<p class=\"reason\">");
            page.text(f.text);
            page.raw("</p><p class=\"muted\">");
            page.raw(f.status == Status::Unknown ? "leaves unknown: " : "fails: ");
            for (std::size_t k = 0; k < f.affected.size(); ++k) {
                page.raw(k == 0 ? "" : ", ");
                page.link(f.affected[k]);
            }
            page.raw("</p>");
        }
        page.raw("</td></tr>");
    }
    page.raw("</table>");
    page.close_deferred(deferred);
    page.raw("</section>\n");
}

namespace {

void violations(Page &page, const std::vector<prove::RuleViolation> &found, bool undecided) {
    const sema::Program &prog = page.prog;
    page.raw("<ul>");
    for (const auto &v : found) {
        page.raw("<li>");
        if (v.bindings.empty()) {
            page.raw(undecided ? "the rule as a whole" : "the rule as a whole is false");
            if (v.root < prog.modules.size()) {
                page.raw(" in the case of module <code>");
                page.text(prog.modules[v.root].name);
                page.raw("</code>");
            }
        }
        for (std::size_t k = 0; k < v.bindings.size(); ++k) {
            page.raw(k == 0 ? "" : ", ");
            page.text(v.bindings[k].var);
            page.raw(" = ");
            page.link(v.bindings[k].element);
        }
        if (!v.unknown.empty()) {
            page.raw(" <span class=\"muted\">(");
            page.text(v.unknown);
            page.raw(")</span>");
        }
        page.raw(v.affected.empty() ? "; fails no top claim (its case has none)"
                 : undecided        ? "; leaves unknown "
                                    : "; fails ");
        for (std::size_t k = 0; k < v.affected.size(); ++k) {
            page.raw(k == 0 ? "" : ", ");
            page.link(v.affected[k]);
        }
        page.raw("</li>");
    }
    page.raw("</ul>");
}

} // namespace

void rules(Page &page) {
    const sema::Program &prog = page.prog;
    const prove::ProofResult &res = page.res;
    page.raw("<section id=\"rules\"><h2>Rules</h2>");
    if (prog.rules.empty()) {
        page.raw("<p class=\"muted\">The case declares no rule.</p></section>\n");
        return;
    }
    for (std::uint32_t ri = 0; ri < prog.rules.size(); ++ri) {
        const auto &rule = prog.rules[ri];
        const auto &r = res.rules[ri];
        page.raw("<div class=\"el b-");
        page.raw(r.holds ? "ok" : r.violations.empty() ? "unk" : "bad");
        page.raw("\" id=\"");
        page.raw(anchor(prog.qualified_name(rule.decl)));
        page.raw("\"><h3>rule <code>");
        page.text(prog.qualified_name(rule.decl));
        page.raw("</code> ");
        if (r.holds) {
            page.badge("holds", "s-ok");
        } else if (r.violations.empty()) {
            page.badge("undecided", "s-unk");
        } else {
            page.badge("violated", "s-bad");
        }
        page.raw("</h3><p class=\"title\">");
        page.text(rule.title);
        page.raw("</p><p>");
        page.location(prog.decl(rule.decl).name_span);
        page.raw("</p>");
        if (rule.body != sema::kNone) {
            page.raw("<p><span class=\"lbl\">Requires:</span> ");
            page.source(prog.exprs[rule.body].span);
            page.raw("</p>");
        }
        page.raw("<p>");
        page.raw(std::to_string(r.instances));
        page.raw(r.instances == 1 ? " instance" : " instances");
        page.raw(" decided by the solver; ");
        page.raw(std::to_string(r.violations.size()));
        page.raw(r.violations.size() == 1 ? " violation" : " violations");
        if (!r.undecided.empty()) {
            page.raw(", ");
            page.raw(std::to_string(r.undecided.size()));
            page.raw(" undecided");
        }
        page.raw("</p>");
        const std::size_t rows = r.violations.size() + r.undecided.size();
        const bool deferred = page.open_deferred(rows, std::to_string(rows) + " instances", 100);
        if (!r.violations.empty()) {
            page.raw("<p class=\"lbl\">Violations:</p>");
            violations(page, r.violations, false);
        }
        if (!r.undecided.empty()) {
            page.raw("<p class=\"lbl\">Undecided instances:</p>");
            violations(page, r.undecided, true);
        }
        page.close_deferred(deferred);
        page.raw("</div>");
    }
    page.raw("</section>\n");
}

void defeaters(Page &page) {
    const sema::Program &prog = page.prog;
    const prove::ProofResult &res = page.res;
    page.raw("<section id=\"defeaters\"><h2>Defeaters</h2>");
    if (prog.defeaters.empty()) {
        page.raw("<p class=\"muted\">The case declares no defeater.</p></section>\n");
        return;
    }
    const bool deferred = page.open_deferred(
        prog.defeaters.size(), "the " + std::to_string(prog.defeaters.size()) + " defeaters");
    page.raw("<table class=\"defeaters\"><tr><th>Defeater</th><th>Attacks</th><th>Status</th>"
             "<th>Activity and why</th></tr>");
    for (std::uint32_t di = 0; di < prog.defeaters.size(); ++di) {
        const auto &df = prog.defeaters[di];
        const prove::Activity a = res.defeaters[di];
        page.raw("<tr id=\"");
        page.raw(anchor(prog.qualified_name(df.decl)));
        page.raw("\"><td><code>");
        page.text(prog.qualified_name(df.decl));
        page.raw("</code><br><span class=\"title\">");
        page.text(df.title);
        page.raw("</span></td><td>");
        page.raw(prove::defeater_relation_name(df.relation));
        page.raw(" ");
        if (df.target.valid()) {
            page.link_status(df.target);
        }
        page.raw("</td><td>");
        page.raw(prove::defeater_status_name(df.status));
        page.raw("</td><td>");
        page.badge(prove::activity_name(a), a == prove::Activity::Active    ? "s-bad"
                                            : a == prove::Activity::Unknown ? "s-unk"
                                                                            : "s-ok");
        page.raw(" ");
        defeater_why(page, di);
        page.raw("</td></tr>");
    }
    page.raw("</table>");
    page.close_deferred(deferred);
    page.raw("</section>\n");
}

void search_index(Page &page) {
    const sema::Program &prog = page.prog;
    std::string &out = page.out;
    out += "<script type=\"application/json\" id=\"index-data\">[";
    bool first = true;
    for (std::uint32_t d = 0; d < prog.decls.size(); ++d) {
        const sema::Decl &decl = prog.decls[d];
        if (!has_anchor(decl.kind) || decl.kind == DeclKind::Artifact) {
            continue;
        }
        const DeclId id{d};
        std::string title;
        std::string status = "-";
        std::string cls = "s-none";
        switch (decl.kind) {
        case DeclKind::Claim:
            title = prog.claims[decl.index].title;
            break;
        case DeclKind::Strategy:
            title = prog.strategies[decl.index].title;
            break;
        case DeclKind::Evidence:
            title = prog.evidence[decl.index].title;
            break;
        case DeclKind::Assumption:
        case DeclKind::Context:
        case DeclKind::Justification:
            title = prog.attachments[decl.index].title;
            break;
        case DeclKind::Defeater: {
            title = prog.defeaters[decl.index].title;
            const prove::Activity a = page.res.defeaters[decl.index];
            status = prove::activity_name(a);
            cls = a == prove::Activity::Active    ? "s-bad"
                  : a == prove::Activity::Unknown ? "s-unk"
                                                  : "s-ok";
            break;
        }
        case DeclKind::Hazard:
            title = prog.hazards[decl.index].title;
            cls = page.res.hazards[decl.index].findings.empty() ? "s-ok" : "s-bad";
            status = page.res.hazards[decl.index].findings.empty() ? "no finding" : "finding";
            break;
        case DeclKind::Rule: {
            title = prog.rules[decl.index].title;
            const auto &r = page.res.rules[decl.index];
            status = r.holds ? "holds" : r.violations.empty() ? "undecided" : "violated";
            cls = r.holds ? "s-ok" : r.violations.empty() ? "s-unk" : "s-bad";
            break;
        }
        default:
            break;
        }
        if (decl.kind == DeclKind::Claim || decl.kind == DeclKind::Strategy ||
            decl.kind == DeclKind::Evidence) {
            const Status s = page.res.status(id);
            status = prove::element_status_name(decl.kind, s);
            cls = status_class(s);
        }
        const std::string name = prog.qualified_name(id);
        out += first ? "\n[" : ",\n[";
        first = false;
        json_string_to(out, anchor(name));
        out += ',';
        json_string_to(out, name);
        out += ',';
        json_string_to(out, sema::kind_name(decl.kind));
        out += ',';
        json_string_to(out, status);
        out += ',';
        json_string_to(out, title);
        out += ',';
        json_string_to(out, cls);
        out += ']';
    }
    out += "\n]</script>\n";
}

} // namespace assure::report::html::detail
