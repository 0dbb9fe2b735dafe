// SPDX-License-Identifier: Apache-2.0
#include "report/html/page.hpp"

#include "report/html/assets.hpp"
#include "report/html/html.hpp"
#include "report/html/vdom.hpp"
#include "report/proof.hpp"
#include "report/proof_parts.hpp"
#include "support/sha256.hpp"

namespace assure::report::html {

namespace detail {

using prove::Status;
using sema::DeclId;
using sema::DeclKind;

const char *status_class(Status s) {
    switch (s) {
    case Status::Supported:
        return "s-ok";
    case Status::Unknown:
        return "s-unk";
    case Status::Undeveloped:
        return "s-undev";
    case Status::Unsupported:
        return "s-bad";
    }
    return "";
}

Page::Page(const sema::Program &p, const prove::ProofResult &r, const support::SourceManager &s,
           const ProofMeta &m, const HtmlOptions &o)
    : prog(p), res(r), sources(s), meta(m), options(o) {
    const std::size_t elements = p.claims.size() + p.strategies.size() + p.evidence.size();
    lazy =
        o.sections == Sections::Lazy || (o.sections == Sections::Auto && elements > o.lazy_above);
    used_by.resize(p.decls.size());
    attachments_of.resize(p.decls.size());
    evidence_of.resize(p.decls.size());
    // Declaration order throughout: a claim before the strategies for it.
    for (std::uint32_t d = 0; d < p.decls.size(); ++d) {
        const sema::Decl &decl = p.decls[d];
        const std::vector<DeclId> *supporters = nullptr;
        if (decl.kind == DeclKind::Claim) {
            supporters = &p.claims[decl.index].supported_by;
            for (DeclId h : p.claims[decl.index].mitigates) {
                if (h.valid()) {
                    evidence_of[h.value].push_back(DeclId{d});
                }
            }
        } else if (decl.kind == DeclKind::Strategy) {
            supporters = &p.strategies[decl.index].supported_by;
            const DeclId parent = p.strategies[decl.index].parent;
            if (parent.valid()) {
                used_by[d].push_back(parent);
            }
        } else if (decl.kind == DeclKind::Evidence) {
            for (DeclId a : p.evidence[decl.index].artifacts) {
                if (a.valid()) {
                    evidence_of[a.value].push_back(DeclId{d});
                }
            }
        }
        if (supporters != nullptr) {
            for (DeclId k : *supporters) {
                if (k.valid()) {
                    used_by[k.value].push_back(DeclId{d});
                }
            }
        }
    }
    for (std::uint32_t a = 0; a < p.attachments.size(); ++a) {
        for (DeclId t : p.attachments[a].targets) {
            if (t.valid()) {
                attachments_of[t.value].push_back(a);
            }
        }
    }
    defeaters_of = prove::defeaters_by_target(p);
    accounts = prove::defeater_accounts(p, r);
}

bool has_anchor(DeclKind kind) {
    switch (kind) {
    case DeclKind::Claim:
    case DeclKind::Strategy:
    case DeclKind::Evidence:
    case DeclKind::Assumption:
    case DeclKind::Context:
    case DeclKind::Justification:
    case DeclKind::Defeater:
    case DeclKind::Hazard:
    case DeclKind::Rule:
    case DeclKind::Artifact:
        return true;
    default:
        return false;
    }
}

void Page::link(DeclId d) {
    const std::string name = prog.qualified_name(d);
    if (!has_anchor(prog.decl(d).kind)) {
        out += "<code>";
        escape_to(out, name);
        out += "</code>";
        return;
    }
    out += "<a href=\"#";
    out += anchor(name);
    out += "\">";
    escape_to(out, name);
    out += "</a>";
}

void Page::badge(const char *word, const char *cls) {
    out += "<span class=\"badge ";
    out += cls;
    out += "\">";
    out += word;
    out += "</span>";
}

void Page::status_badge(DeclId d) {
    const Status s = res.status(d);
    badge(prove::element_status_name(prog.decl(d).kind, s), status_class(s));
}

void Page::link_status(DeclId d) {
    link(d);
    const DeclKind k = prog.decl(d).kind;
    if (k == DeclKind::Claim || k == DeclKind::Strategy || k == DeclKind::Evidence) {
        out += ' ';
        status_badge(d);
    }
}

void Page::source(support::Span span) {
    out += "<code>";
    if (span.valid()) {
        escape_to(out, sources.text(span));
    }
    out += "</code>";
}

void Page::location(support::Span span) {
    out += "<span class=\"loc\">";
    escape_to(out, report::linked_location(sources, span));
    out += "</span>";
}

bool Page::open_deferred(std::size_t rows, const std::string &label, std::size_t threshold) {
    if (!lazy || rows <= threshold) {
        return false;
    }
    out += "<div class=\"deferred\"><button type=\"button\" class=\"show\">Show ";
    escape_to(out, label);
    out += "</button>";
    deferred_starts_.push_back(out.size());
    return true;
}

void Page::close_deferred(bool deferred) {
    if (deferred) {
        to_data(deferred_starts_.back(), "");
        deferred_starts_.pop_back();
        out += "</div>";
    }
}

void Page::to_data(std::size_t start, std::string_view attributes) {
    const std::string html = out.substr(start);
    out.resize(start);
    out += "<script type=\"application/json\"";
    out += attributes;
    out += '>';
    html_to_json(out, html);
    out += "</script>";
}

} // namespace detail

std::string content_security_policy() {
    // The page's own script is the only one allowed to run (by its hash), and nothing may be
    // fetched: the policy makes a report opened from an e-mail unable to reach the network
    // even if something in it were not escaped.
    return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-" +
           support::sha256_base64(detail::kScript) + "'";
}

std::string render_html(const sema::Program &program, const prove::ProofResult &result,
                        const support::SourceManager &sources, const ProofMeta &meta,
                        const HtmlOptions &options) {
    detail::Page page(program, result, sources, meta, options);
    std::string &out = page.out;
    out.reserve(1 << 16);
    out += "<!DOCTYPE html>\n";
    out += kMarker;
    out += " ";
    detail::escape_to(out, meta.assure_version);
    out += ": an assurance case, its proof and its evidence. Self-contained: it loads nothing. "
           "-->\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"";
    out += content_security_policy();
    out += "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"assure ";
    detail::escape_to(out, meta.assure_version);
    out += "\">\n<title>Assurance case report: ";
    for (std::size_t k = 0; k < result.top_claims.size() && k < 3; ++k) {
        out += k == 0 ? "" : ", ";
        detail::escape_to(out, program.qualified_name(result.top_claims[k]));
    }
    if (result.top_claims.size() > 3) {
        out += ", ...";
    }
    out += "</title>\n<style>";
    out += detail::kStyle;
    if (options.history != nullptr) {
        out += detail::kHistoryStyle;
    }
    out += "</style>\n</head>\n<body>\n<header><h1>Assurance case report</h1>"
           "<nav><a href=\"#summary\">Summary</a>";
    if (options.history != nullptr) {
        out += "<a href=\"#history\">History</a>";
    }
    out += "<a href=\"#diagrams\">Diagrams</a>"
           "<a href=\"#top-claims\">Top claims</a><a href=\"#risk\">Risk</a>"
           "<a href=\"#rules\">Rules</a><a href=\"#defeaters\">Defeaters</a>"
           "<a href=\"#elements\">Elements</a></nav>"
           "<div class=\"find\"><input id=\"search\" type=\"search\" "
           "placeholder=\"Find a claim, strategy, evidence...\" aria-label=\"Find an element\" "
           "autocomplete=\"off\"><ul id=\"search-results\" hidden></ul></div></header>\n<main>\n";
    detail::summary(page);
    detail::history_section(page);
    detail::diagrams(page);
    detail::top_claims(page);
    detail::risk(page);
    detail::rules(page);
    detail::defeaters(page);
    detail::element_sections(page);
    out += "</main>\n";
    detail::search_index(page);
    out += "<script>";
    out += detail::kScript;
    out += "</script>\n</body>\n</html>\n";
    return std::move(page.out);
}

} // namespace assure::report::html
