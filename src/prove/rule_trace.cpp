// SPDX-License-Identifier: Apache-2.0
// Rules grounded again for a trace (rule_trace.hpp): the facts the proof folds become variables
// of the trace's own model, each recorded with its value and where it comes from.
#include "prove/rule_trace.hpp"

#include "prove/argument_index.hpp"
#include "prove/cases.hpp"
#include "prove/rules_internal.hpp"

#include <algorithm>
#include <cctype>

namespace assure::prove {

namespace detail {

using sema::TypeKind;

namespace {

/// A valid SMT-LIB simple symbol: letters, digits and `_`, not starting with a digit.
std::string symbol(const std::string &s) {
    std::string out;
    for (char c : s) {
        out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
    }
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) != 0) {
        out.insert(0, "x_");
    }
    return out;
}

/// The words of a vocabulary attribute, by code (the language's order, dsl/sema/exprs.cpp).
const std::vector<std::string> &words_of(const std::string &attribute) {
    static const std::vector<std::string> result = {"pass", "fail", "pending"};
    static const std::vector<std::string> status = {"open", "resolved", "withdrawn"};
    static const std::vector<std::string> kind = [] {
        std::vector<std::string> out;
        for (auto w : sema::evidence_kind_words()) {
            out.emplace_back(w);
        }
        return out;
    }();
    return attribute == "result" ? result : attribute == "status" ? status : kind;
}

/// The sort of a fact of type `t`: numbers are reals (as the proof's terms), dates and scale
/// values integers (days, ranks), strings and words integer codes.
ir::VarSort sort_of(sema::Type t) {
    switch (t.kind) {
    case TypeKind::Bool:
        return ir::VarSort::Bool;
    case TypeKind::Int:
    case TypeKind::Real:
        return ir::VarSort::Real;
    default:
        return ir::VarSort::Int;
    }
}

} // namespace

std::string Evaluator::element_symbol(DeclId d) const {
    return prog_.decl(d).name;
}

ir::TermId Evaluator::declared_fact(DeclId x) {
    TracedFact about;
    about.text = "whether " + prog_.decl(x).name + " is declared in the case";
    about.value_text = "true";
    about.spans.push_back(prog_.decl(x).name_span);
    return fact_var("decl|" + std::to_string(x.value), "declared_" + element_symbol(x),
                    ir::VarSort::Bool, true_, about);
}

long Evaluator::string_code(const std::string &s) {
    auto [it, fresh] =
        facts_->codes.try_emplace(s, static_cast<std::uint32_t>(facts_->trace->strings.size()));
    if (fresh) {
        facts_->trace->strings.push_back(s);
    }
    return static_cast<long>(it->second);
}

ir::TermId Evaluator::fact_var(const std::string &key, const std::string &name, ir::VarSort sort,
                               std::optional<ir::TermId> value, TracedFact about) {
    FactTable &t = *facts_;
    if (const auto it = t.by_key.find(key); it != t.by_key.end()) {
        return model_->add(
            ir::Term{ir::TermOp::Var, t.trace->facts[it->second].var, 0, {}, {}, {}});
    }
    std::string unique = symbol(name);
    if (t.by_name.count(unique) != 0) {
        for (unsigned n = 2;; ++n) {
            if (t.by_name.count(unique + "_" + std::to_string(n)) == 0) {
                unique += "_" + std::to_string(n);
                break;
            }
        }
    }
    ir::Var v;
    v.name = unique;
    v.sort = sort;
    const auto id = static_cast<ir::VarId>(model_->vars.size());
    model_->vars.push_back(std::move(v));
    about.name = unique;
    about.var = id;
    about.value = value;
    const auto index = static_cast<std::uint32_t>(t.trace->facts.size());
    t.by_key.emplace(key, index);
    t.by_name.emplace(unique, index);
    t.trace->facts.push_back(std::move(about));
    return model_->add(ir::Term{ir::TermOp::Var, id, 0, {}, {}, {}});
}

std::optional<Evaluator::Operand> Evaluator::traced_leaf(ExprId id) {
    const Expr &e = prog_.exprs[id];
    switch (e.op) {
    case ExprOp::Number:
    case ExprOp::Date:
    case ExprOp::ScaleValue:
        if (const auto c = constant(eval(id))) {
            return Operand{*c, true_};
        }
        return std::nullopt;
    case ExprOp::String:
        return Operand{integer_term(string_code(prog_.text(e))), true_};
    case ExprOp::EnumValue:
        return Operand{integer_term(static_cast<long>(e.ref)), true_};
    case ExprOp::Bool:
        return Operand{e.ref == 1 ? true_ : false_, true_};
    case ExprOp::Attribute:
        break;
    default:
        return std::nullopt;
    }
    const Val x = eval(prog_.kid(e, 0));
    if (x.k != Val::K::Elem || x.ref == kNone) {
        return std::nullopt;
    }
    const DeclId d{x.ref};
    const sema::Decl &decl = prog_.decl(d);
    const std::string &attr = prog_.text(e);
    const Val v = attribute(x, attr);
    const std::string elem = element_symbol(d);
    const std::string key = "attr|" + attr + "|" + std::to_string(x.ref);
    TracedFact about;
    about.text = decl.name + "." + attr;
    about.spans.push_back(decl.name_span);
    if (decl.kind == DeclKind::Evidence) {
        const auto &ev = prog_.evidence[decl.index];
        const bool fresh = ov_.reverified.count(decl.index) != 0;
        if (fresh && (attr == "result" || attr == "date" || attr == "valid_until" ||
                      attr == "pinned_count")) {
            about.origin = "re-verified (a what-if change): produced again on the date judged at";
        } else if (attr == "date" && ov_.produced.count(decl.index) != 0) {
            about.origin = "re-attested by an event on " + format_date(ov_.produced.at(decl.index));
        } else if (attr == "result" && ov_.result.count(decl.index) != 0) {
            about.origin = "set by a what-if change";
        } else if (attr == "valid_until" && ov_.valid_until.count(decl.index) != 0) {
            about.origin = "set by a what-if change";
        } else if (attr == "result" && ev.result_read != kNone) {
            const auto &spec = prog_.reads[ev.result_read];
            about.spans.push_back(spec.span);
            about.origin = "read from artifact " + prog_.qualified_name(spec.artifact);
        } else if (attr == "date" && ev.date) {
            about.spans.back() = ev.date_span;
        } else if (attr == "date") {
            about.origin = "no date: of unknown age, before every date";
        } else if (attr == "valid_until" && ev.valid_until) {
            about.spans.back() = ev.valid_until_span;
        } else if (attr == "valid_until") {
            about.origin = "no valid_until: never expires, after every date";
        } else if (attr == "cost" && !ev.cost) {
            about.origin = "no cost: 1";
        }
    } else if (decl.kind == DeclKind::Hazard && (attr == "severity" || attr == "likelihood")) {
        const auto &hz = prog_.hazards[decl.index];
        const auto &span = attr == "severity" ? hz.severity_span : hz.likelihood_span;
        if (span.file != support::kNoFile) {
            about.spans.back() = span;
        }
    } else if (decl.kind == DeclKind::Hazard && attr == "risk") {
        about.origin = "the cell of its matrix for its severity and likelihood";
    }
    const ir::VarSort sort = sort_of(e.type);
    if (v.k == Val::K::Missing) {
        TracedFact has = about;
        has.text = "whether " + decl.name + " has " + attr;
        has.value_text = "false";
        has.origin = "it declares none (every comparison with it is false)";
        const ir::TermId present =
            fact_var("has|" + key, "has_" + attr + "_" + elem, ir::VarSort::Bool, false_, has);
        about.value_text = "none";
        return Operand{fact_var(key, attr + "_" + elem, sort, std::nullopt, about), present};
    }
    ir::TermId value = true_;
    switch (v.k) {
    case Val::K::Num:
        value = number_term(v.n);
        about.value_text = v.n.to_string();
        break;
    case Val::K::Date:
        value = integer_term(days_from_civil(v.d));
        about.value_text = format_date(v.d) + " (day " + std::to_string(days_from_civil(v.d)) + ")";
        break;
    case Val::K::Scale: {
        value = integer_term(static_cast<long>(v.ref));
        const auto &values = prog_.scales[v.scale].values;
        about.value_text = (v.ref < values.size() ? values[v.ref] : std::string("?")) + " (rank " +
                           std::to_string(v.ref) + ")";
        break;
    }
    case Val::K::Str: {
        const long code = string_code(*v.s);
        value = integer_term(code);
        about.value_text = "\"" + *v.s + "\" (code " + std::to_string(code) + ")";
        break;
    }
    case Val::K::Enum: {
        value = integer_term(static_cast<long>(v.ref));
        const auto &words = words_of(attr);
        about.value_text = (v.ref < words.size() ? words[v.ref] : std::string("?")) + " (code " +
                           std::to_string(v.ref) + ")";
        break;
    }
    case Val::K::Bool:
        value = v.b ? true_ : false_;
        about.value_text = v.b ? "true" : "false";
        break;
    default:
        return std::nullopt;
    }
    return Operand{fact_var(key, attr + "_" + elem, sort, value, about), true_};
}

ir::TermId Evaluator::traced_atom(ExprId id) {
    const Expr &e = prog_.exprs[id];
    if (e.op == ExprOp::Bool) {
        return e.ref == 1 ? true_ : false_;
    }
    if (e.op == ExprOp::Attribute) {
        if (const auto leaf = traced_leaf(id)) {
            return junction(true, {leaf->present, leaf->term});
        }
        return fact(id);
    }
    if (e.op != ExprOp::Call) {
        return fact(id);
    }
    const std::string &fn = prog_.text(e);
    const Val a = eval(prog_.kid(e, 0));
    if (a.k != Val::K::Elem || a.ref == kNone) {
        return fact(id);
    }
    const DeclId x{a.ref};
    if (fn == "overlaps" || fn == "within") {
        const bool within = fn == "within";
        const ExprId region = prog_.kid(e, 1);
        const DeclId r{prog_.exprs[region].ref};
        if (scopes_ == nullptr || !r.valid()) {
            return fact(id);
        }
        // The proof asked most questions already: its answer, else ask now (and append it).
        const auto &asked = *facts_->asked;
        auto find = [&]() -> std::optional<std::size_t> {
            for (std::size_t si = 0; si < asked.size(); ++si) {
                if (asked[si].element == x && asked[si].region == r && asked[si].within == within) {
                    return si;
                }
            }
            return std::nullopt;
        };
        auto at = find();
        std::optional<bool> answer;
        if (!at) {
            std::string why;
            answer = scopes_->decide(x, region, within, why);
            at = find();
        } else {
            const auto &o = facts_->batch->outcome(asked[*at].query);
            if (o.verdict != solver::Verdict::Unknown) {
                answer = (o.verdict == solver::Verdict::Sat) != within;
            }
        }
        TracedFact about;
        about.text = fn + "(" + prog_.decl(x).name + ", " + prog_.decl(r).name + ")";
        about.spans = {prog_.decl(x).name_span, prog_.decl(r).name_span};
        about.value_text = answer ? (*answer ? "true" : "false") : "unknown";
        about.origin = at ? "the answer to rules/scope-" + std::to_string(*at + 1) + ".smt2"
                          : "no scope to compare: false";
        if (!at && !answer) {
            answer = false;
        }
        return fact_var(
            "scope|" + fn + "|" + std::to_string(x.value) + "|" + std::to_string(r.value),
            fn + "_" + element_symbol(x) + "_" + element_symbol(r), ir::VarSort::Bool,
            answer ? std::optional<ir::TermId>(*answer ? true_ : false_) : std::nullopt, about);
    }
    const Val b = eval(prog_.kid(e, 1));
    if (b.k != Val::K::Elem || b.ref == kNone) {
        return fact(id);
    }
    const DeclId y{b.ref};
    const bool holds = call(e);
    TracedFact about;
    about.text = fn + "(" + prog_.decl(x).name + ", " + prog_.decl(y).name + ")";
    about.spans = {prog_.decl(x).name_span, prog_.decl(y).name_span};
    about.value_text = holds ? "true" : "false";
    if (fn == "under") {
        about.origin = prog_.decl(x).name + (holds ? " is" : " is not") + " below " +
                       prog_.decl(y).name + " in the argument";
    } else if (fn == "supports") {
        about.origin = prog_.decl(y).name + (holds ? " lists " : " does not list ") +
                       prog_.decl(x).name + " among what supports it";
    } else if (fn == "mitigates") {
        about.origin = prog_.decl(x).name + (holds ? " lists " : " does not list ") +
                       prog_.decl(y).name + " under mitigates:";
    } else if (fn == "independent") {
        about.origin = "as the argument's producers, teams and independent_of: say";
    }
    return fact_var("rel|" + fn + "|" + std::to_string(x.value) + "|" + std::to_string(y.value),
                    fn + "_" + element_symbol(x) + "_" + element_symbol(y), ir::VarSort::Bool,
                    holds ? true_ : false_, about);
}

ir::TermId Evaluator::traced_compare(const Expr &e, ExprId id) {
    const ExprId l = prog_.kid(e, 0);
    const ExprId r = prog_.kid(e, 1);
    const Val a = eval(l);
    const Val b = eval(r);
    if (a.k == Val::K::Elem || b.k == Val::K::Elem) {
        return fact(id); // the identity of the elements bound: the instance's, not a fact
    }
    if (a.k != Val::K::Missing && b.k != Val::K::Missing &&
        (a.k != b.k ||
         (a.k == Val::K::Scale && a.scale != b.scale && a.scale != kNone && b.scale != kNone))) {
        return fact(id); // values that never compare
    }
    const TypeKind tk = prog_.exprs[l].type.kind;
    const bool ordered = e.op != ExprOp::Eq && e.op != ExprOp::Ne;
    if (ordered && (tk == TypeKind::String || tk == TypeKind::Enum || tk == TypeKind::Bool ||
                    tk == TypeKind::Element)) {
        return fact(id); // no order: false
    }
    guards_.clear();
    const auto ta = numeric(l);
    const auto tb = numeric(r);
    if (!ta || !tb) {
        guards_.clear();
        return fact(id);
    }
    return guarded_compare(e.op, *ta, *tb);
}

ir::TermId Evaluator::traced_interval(const Expr &e, ExprId id) {
    const TypeKind tk = prog_.exprs[prog_.kid(e, 0)].type.kind;
    if (tk != TypeKind::Int && tk != TypeKind::Real && tk != TypeKind::Date) {
        return fact(id); // scale values are not interval bounds
    }
    guards_.clear();
    const auto tx = numeric(prog_.kid(e, 0));
    const auto tlo = numeric(prog_.kid(e, 1));
    const auto thi = numeric(prog_.kid(e, 2));
    if (!tx || !tlo || !thi) {
        guards_.clear();
        return fact(id);
    }
    // A missing value or a quotient by zero makes the test false, `in` and `not in` alike.
    return guarded_interval(e, *tx, *tlo, *thi);
}

ir::TermId Evaluator::traced_member(const Expr &e, ExprId id) {
    const Expr &x = prog_.exprs[prog_.kid(e, 0)];
    if (x.type.kind == TypeKind::Element) {
        return fact(id);
    }
    const Val vx = eval(prog_.kid(e, 0));
    guards_.clear();
    const auto tx = numeric(prog_.kid(e, 0));
    if (!tx) {
        guards_.clear();
        return fact(id);
    }
    return guarded_membership(e, *tx, [&](std::uint32_t k) {
        const Val vk = eval(prog_.kid(e, k));
        // Values of different kinds, or of different scales, are never equal.
        return vx.k == Val::K::Missing || vk.k == Val::K::Missing ||
               (vk.k == vx.k && (vk.k != Val::K::Scale || vk.scale == vx.scale ||
                                 vk.scale == kNone || vx.scale == kNone));
    });
}

} // namespace detail

std::vector<RuleTrace> trace_rules(const sema::Program &program, ProofResult &result) {
    std::vector<RuleTrace> out(program.rules.size());
    if (program.rules.empty()) {
        return out;
    }
    const std::vector<Case> cases = cases_of(program);
    const bool one_case = cases.size() == 1;
    detail::Scopes scopes(program, *result.constraints, *result.batch, result.scope_questions);
    std::vector<detail::FactTable> tables(program.rules.size());
    for (std::size_t ri = 0; ri < tables.size(); ++ri) {
        tables[ri].trace = &out[ri];
        tables[ri].asked = &result.scope_questions;
        tables[ri].batch = result.batch.get();
    }
    for (const Case &c : cases) {
        auto in_case = [&](DeclId d) { return c.modules[program.decl(d).module]; };
        if (std::none_of(program.rules.begin(), program.rules.end(),
                         [&](const sema::RuleInfo &r) { return in_case(r.decl); })) {
            continue;
        }
        ArgumentIndex idx(program, one_case ? nullptr : &c.modules);
        detail::Evaluator ev(program, idx, result.overrides, &scopes, result.date,
                             one_case ? nullptr : &c.modules, &result.reads);
        for (std::uint32_t ri = 0; ri < program.rules.size(); ++ri) {
            if (!in_case(program.rules[ri].decl) || !out[ri].complete) {
                continue;
            }
            ev.trace_into(&tables[ri]);
            for (auto &inst : ev.instances(program.rules[ri], out[ri].model)) {
                TracedInstance t;
                t.chain = std::move(inst.chain);
                t.root = c.root;
                if (!inst.too_large) {
                    t.violated = inst.formula;
                }
                out[ri].instances.push_back(std::move(t));
            }
            ev.trace_into(nullptr);
        }
    }
    return out;
}

} // namespace assure::prove
