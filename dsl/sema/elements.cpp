// SPDX-License-Identifier: Apache-2.0
// The argument's elements: artifacts, evidence, claims, strategies, attachments, defeaters and
// the bodies of rules.
#include "dsl/sema/analyzer.hpp"
#include "dsl/sema/fields.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace assure::sema {
using detail::admitted_fields;
using detail::as;
using detail::report_vocabulary;
using detail::vocabulary_index;
using support::Code;

void Analyzer::build_artifacts() {
    for (auto &art : prog_.artifacts) {
        const auto &node = *static_cast<const ast::Artifact *>(ast_of_[art.decl.value]);
        art.path = node.path.value;
        art.path_span = node.path.span;
        if (const std::string_view scheme = support::url_scheme(art.path); !scheme.empty()) {
            // assure hashes and reads local files only; a URL would also be mangled as a path
            // (`https://` normalises to `https:/`).
            auto &d = diags_.error(Code::E0318, node.path.span,
                                   "artifact `" + prog_.decl(art.decl).name + "` names a URL, `" +
                                       support::printable(art.path) +
                                       "`, not a file: assure reads local files only",
                                   "a URL (" + std::string(scheme) + "), not a file path");
            d.help = "download the file into the case's folder, write its path here (e.g. "
                     "\"reports/report.json\") with its sha256, and keep the URL as a comment "
                     "beside it to record where it came from";
        }
        if (node.sha256) {
            art.sha256_span = node.sha256->span;
            std::string hex = node.sha256->value;
            const bool ok = hex.size() == 64 && std::all_of(hex.begin(), hex.end(), [](char c) {
                                return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                            });
            if (!ok) {
                diags_.error(Code::E0306, node.sha256->span,
                             "a SHA-256 is 64 hexadecimal digits; this one has " +
                                 std::to_string(hex.size()) + " characters",
                             "not a SHA-256");
            } else {
                std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) {
                    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                });
                art.sha256 = hex;
            }
        }
    }
}

void Analyzer::build_evidence() {
    const std::vector<std::string_view> results = {"pass", "fail", "pending"};
    const std::vector<std::string_view> &ev_kinds = evidence_kind_words();
    materialize(prog_.evidence, Deferred::Evidence);
    for (auto &ev : prog_.evidence) {
        const Decl &decl = prog_.decl(ev.decl);
        auto &node = *static_cast<ast::Evidence *>(ast_of_[ev.decl.value]);
        ev.title = std::move(node.title.value); // the body is released below
        bool has_result = false;
        for (const ast::Field *f : admitted_fields(node.fields, DeclKind::Evidence, diags_)) {
            if (const auto *rr = as<ast::ResultReadField>(f)) {
                has_result = true;
                ev.result_read = build_read(decl.module, rr->source, /*result=*/true);
            } else if (const auto *w = as<ast::WordField>(f)) {
                if (w->key == "result") {
                    has_result = true;
                    if (auto idx = vocabulary_index(w->value.name, results)) {
                        ev.result = static_cast<EvidenceResult>(*idx);
                    } else {
                        report_vocabulary(diags_, w->value, "result", results);
                    }
                } else if (w->key == "kind") {
                    if (auto idx = vocabulary_index(w->value.name, ev_kinds)) {
                        ev.kind = static_cast<EvidenceKind>(*idx + 1);
                    } else {
                        report_vocabulary(diags_, w->value, "kind", ev_kinds);
                    }
                }
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                const bool arts = rf->key == "artifacts";
                for (const auto &q : rf->refs) {
                    const DeclId id = resolve_ref(
                        decl.module, q,
                        arts ? kinds({DeclKind::Artifact}) : kinds({DeclKind::Evidence}), rf->key);
                    if (id.valid()) {
                        (arts ? ev.artifacts : ev.independent_of).push_back(id);
                    }
                }
            } else if (const auto *m = as<ast::MetricField>(f)) {
                Metric metric;
                metric.name = m->name.name;
                if (const auto *n = boost::get<ast::NumberLit>(&m->value)) {
                    metric.value_text = n->text;
                    metric.value = parse_number(*n).value_or(support::Decimal{});
                } else {
                    metric.read = build_read(decl.module, boost::get<ast::ReadSource>(m->value),
                                             /*result=*/false);
                }
                metric.span = m->span;
                metrics_measured_.insert(metric.name);
                if (auto r = build_region(decl.module, m->over)) {
                    metric.over = *r;
                }
                ev.metrics.push_back(std::move(metric));
            } else if (const auto *d = as<ast::DateField>(f)) {
                (d->key == "date" ? ev.date : ev.valid_until) = parse_date(d->value);
                (d->key == "date" ? ev.date_span : ev.valid_until_span) = d->value.span;
            } else if (const auto *n = as<ast::NumberField>(f)) {
                ev.cost = parse_field_number(*n);
            } else if (const auto *t = as<ast::TextField>(f)) {
                (t->key == "producer"      ? ev.producer
                 : t->key == "team"        ? ev.team
                 : t->key == "department"  ? ev.department
                 : t->key == "approved_by" ? ev.approved_by
                                           : ev.description) = t->value.value;
            }
        }
        if (ev.date && ev.valid_until && *ev.valid_until < *ev.date) {
            auto &d = diags_.error(Code::W0106, ev.valid_until_span,
                                   "evidence `" + decl.name + "` expires before it was produced",
                                   "valid until " + format_date(*ev.valid_until) + ", but dated " +
                                       format_date(*ev.date));
            d.notes.push_back({ev.date_span, "produced on this date"});
            d.help = "the evidence is valid on no day: `prove` finds it not yet valid before its "
                     "`date:` and expired after its `valid_until:`; check both dates";
        }
        // Reading a value from an artifact rests the evidence on it, listed or not.
        auto rest_on = [&](std::uint32_t read) {
            if (read != kNone) {
                const DeclId a = prog_.reads[read].artifact;
                if (std::find(ev.artifacts.begin(), ev.artifacts.end(), a) == ev.artifacts.end()) {
                    ev.artifacts.push_back(a);
                }
            }
        };
        rest_on(ev.result_read);
        for (const Metric &metric : ev.metrics) {
            rest_on(metric.read);
        }
        if (!has_result) {
            auto &d = diags_.error(Code::E0206, decl.name_span,
                                   "evidence `" + decl.name + "` has no `result:` field",
                                   "missing `result:`");
            d.help = "add `result: pass`, `result: fail` or `result: pending`";
        }
        release_body<ast::Evidence>(ev.decl);
    }
}

void Analyzer::build_claims() {
    materialize(prog_.claims, Deferred::Claims);
    for (auto &claim : prog_.claims) {
        const Decl &decl = prog_.decl(claim.decl);
        auto &node = *static_cast<ast::Claim *>(ast_of_[claim.decl.value]);
        claim.title = std::move(node.title.value); // the body is released below
        const ast::FormalField *formal = nullptr;
        support::Span undeveloped_span;
        for (const ast::Field *f : admitted_fields(node.fields, DeclKind::Claim, diags_)) {
            if (const auto *s = as<ast::ScopeField>(f)) {
                claim.scope = build_region(decl.module, s->region);
            } else if (const auto *rq = as<ast::RequiresField>(f)) {
                for (const auto &item : rq->items) {
                    Requirement req;
                    req.metric = item.metric.name;
                    req.value_text = item.value.text;
                    req.value = parse_number(item.value).value_or(support::Decimal{});
                    req.span = item.span;
                    const std::string &op = item.op;
                    req.op = op == "=="   ? CmpOp::Eq
                             : op == "!=" ? CmpOp::Ne
                             : op == "<"  ? CmpOp::Lt
                             : op == "<=" ? CmpOp::Le
                             : op == ">"  ? CmpOp::Gt
                                          : CmpOp::Ge;
                    if (metrics_measured_.count(req.metric) == 0 &&
                        broken_metrics_.count(req.metric) == 0) {
                        auto &d = diags_.error(Code::E0208, item.metric.span,
                                               "no evidence measures metric `" + req.metric + "`",
                                               "unknown metric");
                        // Metrics of evidence that failed to parse are candidates too: a
                        // misspelling of one is still a misspelling. Sorted, so ties break
                        // the same way every run.
                        std::set<std::string_view> known(metrics_measured_.begin(),
                                                         metrics_measured_.end());
                        known.insert(broken_metrics_.begin(), broken_metrics_.end());
                        const std::string best = support::closest_match(
                            req.metric, std::vector<std::string_view>(known.begin(), known.end()));
                        d.help = best.empty() ? "evidence measures a metric with `metric NAME = "
                                                "VALUE over REGION`"
                                              : "did you mean `" + best + "`?";
                    }
                    claim.requirements.push_back(std::move(req));
                }
            } else if (const auto *fm = as<ast::FormalField>(f)) {
                formal = fm;
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                const bool mit = rf->key == "mitigates";
                for (const auto &q : rf->refs) {
                    const DeclId id =
                        resolve_ref(decl.module, q,
                                    mit ? kinds({DeclKind::Hazard})
                                        : kinds({DeclKind::Claim, DeclKind::Evidence}),
                                    rf->key);
                    if (id.valid()) {
                        (mit ? claim.mitigates : claim.supported_by).push_back(id);
                        if (!mit) {
                            claim.supported_by_spans.push_back(q.span);
                        }
                    }
                }
            } else if (const auto *n = as<ast::NumberField>(f)) {
                const auto num = parse_field_number(*n);
                const auto v = num ? num->to_integer() : std::nullopt;
                if (v && *v >= 0 && *v < 1000) {
                    claim.lowers_likelihood = static_cast<std::uint32_t>(*v);
                } else if (num) {
                    diags_.error(Code::E0207, n->value.span,
                                 "`lowers_likelihood:` is a whole number of steps on the "
                                 "likelihood scale",
                                 "not a number of steps");
                }
            } else if (const auto *fl = as<ast::Flag>(f)) {
                claim.undeveloped = true;
                undeveloped_span = fl->span;
            } else if (const auto *t = as<ast::TextField>(f)) {
                claim.description = t->value.value;
            }
        }
        if (formal != nullptr) {
            ExprEnv env;
            env.mode = ExprEnv::Mode::Formal;
            env.module = decl.module;
            env.domain = claim.scope ? claim.scope->domain : DeclId{};
            claim.formal = check_bool(formal->expr, env, "a formal statement");
        }
        if (claim.undeveloped && !claim.supported_by.empty()) {
            diags_.error(Code::W0103, undeveloped_span,
                         "claim `" + decl.name + "` is marked undeveloped but lists supporters",
                         "marked undeveloped here");
        }
        release_body<ast::Claim>(claim.decl);
    }
}

void Analyzer::build_strategies() {
    materialize(prog_.strategies, Deferred::Strategies);
    for (auto &st : prog_.strategies) {
        const Decl &decl = prog_.decl(st.decl);
        auto &node = *static_cast<ast::Strategy *>(ast_of_[st.decl.value]);
        st.title = std::move(node.title.value); // the body is released below
        st.parent = resolve_ref(decl.module, node.parent, kinds({DeclKind::Claim}), "for");
        std::vector<std::pair<std::string, support::Span>> modes;
        const ast::CoverField *cover = nullptr;
        bool has_supporters = false;
        support::Span at_least_span;
        bool at_least_reported = false; // a literal already reported (E0110, E0112)
        for (const ast::Field *f : admitted_fields(node.fields, DeclKind::Strategy, diags_)) {
            if (const auto *fl = as<ast::Flag>(f)) {
                if (fl->word == "undeveloped") {
                    diags_.error(Code::E0207, fl->span,
                                 "`undeveloped` is not a field of a strategy", "not allowed here");
                    continue;
                }
                modes.emplace_back(fl->word, fl->span);
                st.mode = fl->word == "all_of"   ? StrategyMode::AllOf
                          : fl->word == "any_of" ? StrategyMode::AnyOf
                                                 : StrategyMode::Deductive;
            } else if (const auto *n = as<ast::NumberField>(f)) {
                if (n->key == "cost") {
                    continue;
                }
                modes.emplace_back("at_least", n->span);
                at_least_span = n->span;
                st.mode = StrategyMode::AtLeast;
                const auto num = parse_field_number(*n);
                at_least_reported = !num;
                const auto v = num ? num->to_integer() : std::nullopt;
                st.at_least = v && *v >= 0 && *v < 1000000000 ? static_cast<std::uint32_t>(*v) : 0;
            } else if (const auto *c = as<ast::CoverField>(f)) {
                cover = c;
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                has_supporters = true;
                for (const auto &q : rf->refs) {
                    const DeclId id =
                        resolve_ref(decl.module, q, kinds({DeclKind::Claim, DeclKind::Evidence}),
                                    "supported_by");
                    if (id.valid()) {
                        st.supported_by.push_back(id);
                        st.supported_by_spans.push_back(q.span);
                    }
                }
            } else if (const auto *t = as<ast::TextField>(f)) {
                (t->key == "justification" ? st.justification : st.description) = t->value.value;
            }
        }
        if (modes.size() > 1) {
            auto &d = diags_.error(Code::E0312, modes[1].second,
                                   "strategy `" + decl.name + "` has more than one mode",
                                   "second mode here");
            d.notes.push_back({modes[0].second, "first mode here"});
        }
        if (cover != nullptr) {
            st.cover = cover->key == "cover" ? CoverKind::Cover : CoverKind::Partition;
            if (st.mode != StrategyMode::AllOf) {
                diags_.error(Code::E0312, cover->span,
                             "`" + cover->key + "` needs every sub-claim (the all_of mode)",
                             "cannot combine with " + modes.front().first);
            }
            // Cover variables belong to the parent claim's domain.
            DeclId domain;
            if (st.parent.valid()) {
                const auto &parent = prog_.claims[prog_.decl(st.parent).index];
                if (parent.scope) {
                    domain = parent.scope->domain;
                }
            }
            for (const auto &v : cover->vars) {
                if (!domain.valid()) {
                    if (st.parent.valid()) {
                        diags_.error(Code::E0311, v.span,
                                     "cannot cover `" + v.name + "`: claim `" +
                                         prog_.decl(st.parent).name + "` has no scope",
                                     "parent has no operating domain");
                    }
                    break;
                }
                const auto &dom = prog_.domains[prog_.decl(domain).index];
                std::uint32_t found = kNone;
                std::vector<std::string_view> names;
                for (std::uint32_t vid : dom.vars) {
                    names.push_back(prog_.variables[vid].name);
                    if (prog_.variables[vid].name == v.name) {
                        found = vid;
                    }
                }
                if (found == kNone) {
                    auto &d = diags_.error(Code::E0311, v.span,
                                           "domain `" + prog_.decl(domain).name +
                                               "` has no variable `" + v.name + "`",
                                           "not a variable of the parent's domain");
                    const std::string best = support::closest_match(v.name, names);
                    if (!best.empty()) {
                        d.help = "did you mean `" + best + "`?";
                    }
                } else {
                    st.cover_vars.push_back(found);
                }
            }
            // The sub-claims' scopes must be regions of the same domain as the parent's.
            for (std::size_t idx = 0; domain.valid() && idx < st.supported_by.size(); ++idx) {
                const Decl &sub = prog_.decl(st.supported_by[idx]);
                if (sub.kind != DeclKind::Claim) {
                    continue;
                }
                const auto &scope = prog_.claims[sub.index].scope;
                if (scope && scope->domain.valid() && scope->domain != domain) {
                    auto &d =
                        diags_.error(Code::E0305, st.supported_by_spans[idx],
                                     "`" + sub.name + "` is scoped over domain `" +
                                         prog_.decl(scope->domain).name + "`, but `" + cover->key +
                                         "` splits the domain `" + prog_.decl(domain).name +
                                         "` of `" + prog_.decl(st.parent).name + "`",
                                     "sub-claim of another domain");
                    d.notes.push_back({scope->span, "its scope"});
                }
            }
        }
        if (!has_supporters) {
            diags_.error(Code::E0404, decl.name_span,
                         "strategy `" + decl.name + "` has no `supported_by:` field",
                         "nothing supports this strategy");
        } else if (st.mode == StrategyMode::AtLeast && !at_least_reported &&
                   (st.at_least < 1 || st.at_least > st.supported_by.size())) {
            diags_.error(Code::E0307, at_least_span,
                         "`at_least` must be between 1 and the number of supporters (" +
                             std::to_string(st.supported_by.size()) + ")",
                         "out of range");
        }
        release_body<ast::Strategy>(st.decl);
    }
}

void Analyzer::build_attachments() {
    materialize(prog_.attachments, Deferred::Attachments);
    for (auto &att : prog_.attachments) {
        const DeclKind k = prog_.decl(att.decl).kind;
        att.kind = k == DeclKind::Assumption ? AttachmentKind::Assumption
                   : k == DeclKind::Context  ? AttachmentKind::Context
                                             : AttachmentKind::Justification;
        const Decl &decl = prog_.decl(att.decl);
        auto &node = *static_cast<ast::Attachment *>(ast_of_[att.decl.value]);
        att.title = std::move(node.title.value); // the body is released below
        for (const auto &q : node.targets) {
            const DeclId id =
                resolve_ref(decl.module, q, kinds({DeclKind::Claim, DeclKind::Strategy}), "for");
            if (id.valid()) {
                att.targets.push_back(id);
            }
        }
        for (const ast::Field *f : admitted_fields(node.fields, decl.kind, diags_)) {
            if (const auto *fm = as<ast::FormalField>(f)) {
                ExprEnv env;
                env.mode = ExprEnv::Mode::Formal;
                env.module = decl.module;
                for (DeclId t : att.targets) {
                    if (prog_.decl(t).kind == DeclKind::Claim) {
                        const auto &c = prog_.claims[prog_.decl(t).index];
                        if (c.scope) {
                            env.domain = c.scope->domain;
                            break;
                        }
                    }
                }
                att.formal = check_bool(fm->expr, env, "a formal statement");
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                for (const auto &q : rf->refs) {
                    const DeclId id =
                        resolve_ref(decl.module, q, kinds({DeclKind::Artifact}), rf->key);
                    if (id.valid()) {
                        att.artifacts.push_back(id);
                    }
                }
            } else if (const auto *t = as<ast::TextField>(f)) {
                att.description = t->value.value;
            }
        }
        release_body<ast::Attachment>(att.decl);
    }
}

void Analyzer::build_defeaters() {
    const std::vector<std::string_view> statuses = {"open", "resolved", "withdrawn"};
    materialize(prog_.defeaters, Deferred::Defeaters);
    for (auto &def : prog_.defeaters) {
        const Decl &decl = prog_.decl(def.decl);
        auto &node = *static_cast<ast::Defeater *>(ast_of_[def.decl.value]);
        def.title = std::move(node.title.value); // the body is released below
        const std::string &rel = node.relation.name;
        def.relation = rel == "rebuts"       ? DefeaterRelation::Rebuts
                       : rel == "undercuts"  ? DefeaterRelation::Undercuts
                       : rel == "undermines" ? DefeaterRelation::Undermines
                                             : DefeaterRelation::Defeats;
        const DeclKind target_kind =
            def.relation == DefeaterRelation::Rebuts       ? DeclKind::Claim
            : def.relation == DefeaterRelation::Undercuts  ? DeclKind::Strategy
            : def.relation == DefeaterRelation::Undermines ? DeclKind::Evidence
                                                           : DeclKind::Defeater;
        def.target = resolve_ref(decl.module, node.target, kinds({target_kind}), rel);
        support::Span resolved_span;
        for (const ast::Field *f : admitted_fields(node.fields, DeclKind::Defeater, diags_)) {
            if (const auto *w = as<ast::WordField>(f)) {
                if (auto idx = vocabulary_index(w->value.name, statuses)) {
                    def.status = static_cast<DefeaterStatus>(*idx);
                    resolved_span = w->span;
                } else {
                    report_vocabulary(diags_, w->value, "status", statuses);
                }
            } else if (const auto *rf = as<ast::RefsField>(f)) {
                for (const auto &q : rf->refs) {
                    const DeclId id =
                        resolve_ref(decl.module, q, kinds({DeclKind::Evidence, DeclKind::Claim}),
                                    "resolved_by");
                    if (id.valid()) {
                        def.resolved_by.push_back(id);
                    }
                }
            } else if (const auto *t = as<ast::TextField>(f)) {
                def.description = t->value.value;
            }
        }
        if (def.status == DefeaterStatus::Resolved && def.resolved_by.empty()) {
            auto &d = diags_.error(Code::W0104, resolved_span,
                                   "defeater `" + decl.name +
                                       "` is marked resolved but names nothing that resolves it",
                                   "no `resolved_by:`");
            d.help = "add `resolved_by:` with the evidence or claim that answers it; until then "
                     "the proof engine treats it as open";
        }
        release_body<ast::Defeater>(def.decl);
    }
}

void Analyzer::build_rules() {
    for (auto &rule : prog_.rules) {
        const Decl &decl = prog_.decl(rule.decl);
        const auto &node = *static_cast<const ast::Rule *>(ast_of_[rule.decl.value]);
        rule.title = node.title.value;
        ExprEnv env;
        env.mode = ExprEnv::Mode::Rule;
        env.module = decl.module;
        env.slots = &rule.bound_slots;
        env.slot_names = &rule.slot_names;
        rule.body = check_bool(node.body, env, "a rule");
    }
}

} // namespace assure::sema
