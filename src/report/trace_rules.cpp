// SPDX-License-Identifier: Apache-2.0
// The rule files of a trace: one per rule (every instance, "is some instance violated?"), one
// per violation or undecided instance, and one per scope question, each carrying as named
// assertions the facts its answer rests on.
#include "prove/cases.hpp"
#include "prove/rule_trace.hpp"
#include "report/proof_parts.hpp"
#include "report/trace_parts.hpp"
#include "solver/session.hpp"

#include <map>
#include <set>

namespace assure::report::detail {

using nlohmann::ordered_json;
using sema::DeclId;

namespace {

/// The violations and undecided instances written one file each, per rule.
constexpr std::size_t kRuleFiles = 100;

std::string quoted(const std::string &s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '\n') {
            out += "\\n";
        } else if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

/// The variables a term mentions, in id order.
std::set<ir::VarId> vars_of(const ir::ConstraintModel &model, ir::TermId root) {
    std::set<ir::VarId> out;
    std::vector<ir::TermId> stack{root};
    std::set<ir::TermId> seen;
    while (!stack.empty()) {
        const ir::TermId t = stack.back();
        stack.pop_back();
        if (!seen.insert(t).second) {
            continue;
        }
        const ir::Term &term = model.terms[t];
        if (term.op == ir::TermOp::Var) {
            out.insert(term.ref);
        }
        stack.insert(stack.end(), term.kids.begin(), term.kids.end());
    }
    return out;
}

struct RuleFiles {
    const sema::Program &program;
    prove::ProofResult &result;
    const support::SourceManager &sources;
    std::vector<prove::Case> cases;

    solver::Session::Locate locate() const {
        return [this](const support::Span &s) { return prove::line_of(sources, s); };
    }

    std::string case_text(std::uint32_t root) const {
        std::string text;
        for (const auto &c : cases) {
            if (c.root != root || cases.size() < 2) {
                continue;
            }
            text = " in the case of module " + program.modules[root].name + " (over modules ";
            std::string list;
            for (std::uint32_t m = 0; m < c.modules.size(); ++m) {
                if (c.modules[m]) {
                    list += (list.empty() ? "" : ", ") + program.modules[m].name;
                }
            }
            text += list + ")";
        }
        return text;
    }

    std::string chain_text(const sema::RuleInfo &rule, const std::vector<DeclId> &chain) const {
        if (chain.empty()) {
            return "the case as a whole (the rule: " +
                   prove::line_of(sources, program.decl(rule.decl).name_span) + ")";
        }
        prove::RuleViolation v;
        std::vector<std::string> names;
        for (sema::ExprId at = rule.body;
             at != sema::kNone && program.exprs[at].op == sema::ExprOp::Forall;
             at = program.kid(program.exprs[at], 1)) {
            const std::uint32_t slot = program.exprs[at].ref;
            names.push_back(slot < rule.slot_names.size() ? rule.slot_names[slot] : "");
        }
        for (std::size_t i = 0; i < chain.size(); ++i) {
            v.bindings.push_back({i < names.size() ? names[i] : std::string(), chain[i]});
        }
        return bindings_text(program, sources, v);
    }

    /// The fact's assertion and its header line.
    void add_fact(const prove::RuleTrace &trace, const prove::TracedFact &f, ir::Query &q,
                  ir::ConstraintModel &model) const {
        std::string where;
        for (const auto &s : f.spans) {
            if (s.file != support::kNoFile) {
                where += (where.empty() ? "" : ", ") + prove::line_of(sources, s);
            }
        }
        std::string note = f.text + " = " + f.value_text;
        if (!where.empty()) {
            note += " (" + where + ")";
        }
        if (!f.origin.empty()) {
            note += "; " + f.origin;
        }
        if (!f.value) {
            q.purpose += "\n; [" + f.name + "] not asserted: " + note;
            return;
        }
        const ir::TermId var = model.add(ir::Term{ir::TermOp::Var, f.var, 0, {}, {}, {}});
        q.assertions.push_back(model.apply(ir::TermOp::Eq, {var, *f.value}));
        q.notes.push_back(std::move(note));
        q.names.push_back("fact_" + f.name);
        (void)trace;
    }

    void add_codes(const prove::RuleTrace &trace, const std::set<ir::VarId> *used,
                   ir::Query &q) const {
        bool any = used == nullptr;
        if (used != nullptr) {
            for (const auto &f : trace.facts) {
                if (used->count(f.var) != 0 && f.value_text.find("(code ") != std::string::npos) {
                    any = true;
                }
            }
        }
        if (!any || trace.strings.empty()) {
            return;
        }
        q.purpose += "\n; strings are integer codes, equal exactly when the strings are:";
        for (std::size_t c = 0; c < trace.strings.size(); ++c) {
            q.purpose += "\n;   " + std::to_string(c) + " = " + quoted(trace.strings[c]);
        }
    }

    static std::string header_notes() {
        return "\n; each fact the answer rests on is a constant whose value is asserted as "
               "fact_<name>; dates are days since 1970-01-01, scale values their rank (lowest "
               "0), words and strings integer codes, costs and counts exact rationals";
    }
};

} // namespace

void rule_trace_files(const sema::Program &program, prove::ProofResult &result,
                      const support::SourceManager &sources, ordered_json &entries,
                      std::vector<std::pair<std::string, std::string>> &texts) {
    // Grounded first: it may ask scope questions, and SMT-LIB is printed after the last solve.
    std::vector<prove::RuleTrace> traces = prove::trace_rules(program, result);
    RuleFiles rf{program, result, sources, prove::cases_of(program)};
    for (std::size_t ri = 0; ri < result.rules.size(); ++ri) {
        const auto &rule = program.rules[ri];
        const auto &answer = result.rules[ri];
        prove::RuleTrace &trace = traces[ri];
        const std::string rule_name = program.qualified_name(rule.decl);
        const std::string rule_at = prove::line_of(sources, program.decl(rule.decl).name_span);
        solver::Session session(trace.model, solver::SolveOptions{});
        std::map<std::pair<std::uint32_t, std::vector<DeclId>>, std::size_t> traced;
        for (std::size_t ti = 0; ti < trace.instances.size(); ++ti) {
            traced.emplace(std::make_pair(trace.instances[ti].root, trace.instances[ti].chain), ti);
        }
        std::set<std::size_t> violated, undecided;
        for (const auto *found : {&answer.violations, &answer.undecided}) {
            for (const auto &v : *found) {
                std::vector<DeclId> chain;
                for (const auto &b : v.bindings) {
                    chain.push_back(b.element);
                }
                if (const auto it = traced.find({v.root, chain}); it != traced.end()) {
                    (found == &answer.violations ? violated : undecided).insert(it->second);
                }
            }
        }
        // The rule as a whole: every instance, each `violated_<n>` exactly when it is violated.
        {
            ir::Query q;
            q.purpose = "assure rule " + rule_name + " \"" + rule.title + "\" (" + rule_at +
                        "): is some instance violated? sat means yes (violated_<n> true for "
                        "each violated instance n); unsat means the rule holds for all " +
                        std::to_string(trace.instances.size()) + " instances" +
                        (trace.complete ? std::string()
                                        : " written (the rest were left out: over the trace's "
                                          "budget of terms)") +
                        RuleFiles::header_notes();
            rf.add_codes(trace, nullptr, q);
            for (const auto &f : trace.facts) {
                rf.add_fact(trace, f, q, trace.model);
            }
            std::vector<ir::TermId> any;
            bool expect_sat = false;
            bool expect_unknown = false;
            for (std::size_t ti = 0; ti < trace.instances.size(); ++ti) {
                const auto &inst = trace.instances[ti];
                if (!inst.violated) {
                    expect_unknown = true;
                    q.purpose += "\n; instance " + std::to_string(ti + 1) + " (" +
                                 rf.chain_text(rule, inst.chain) +
                                 ") is too large to write out: left open";
                    continue;
                }
                ir::Var v;
                v.name = "violated_" + std::to_string(ti + 1);
                v.sort = ir::VarSort::Bool;
                const auto id = static_cast<ir::VarId>(trace.model.vars.size());
                trace.model.vars.push_back(std::move(v));
                const ir::TermId var =
                    trace.model.add(ir::Term{ir::TermOp::Var, id, 0, {}, {}, {}});
                q.assertions.push_back(trace.model.apply(ir::TermOp::Eq, {var, *inst.violated}));
                q.names.push_back("instance_" + std::to_string(ti + 1));
                q.notes.push_back("violated_" + std::to_string(ti + 1) +
                                  " iff the rule is violated for " +
                                  rf.chain_text(rule, inst.chain) + rf.case_text(inst.root) +
                                  (violated.count(ti) != 0    ? " (assure: violated)"
                                   : undecided.count(ti) != 0 ? " (assure: undecided)"
                                                              : " (assure: holds)"));
                any.push_back(var);
                expect_sat = expect_sat || violated.count(ti) != 0;
                expect_unknown = expect_unknown || undecided.count(ti) != 0;
            }
            q.assertions.push_back(any.empty()       ? trace.model.constant(false)
                                   : any.size() == 1 ? any[0]
                                                     : trace.model.apply(ir::TermOp::Or, any));
            q.names.push_back("some_instance_violated");
            q.notes.push_back("some instance is violated (" + rule_at + ")");
            q.show_model = expect_sat;
            const char *expected = expect_sat ? "sat" : expect_unknown ? "unknown" : "unsat";
            const std::string file = "rules/" + rule_name + ".smt2";
            entries.push_back({{"file", file},
                               {"expected", expected},
                               {"decided_by", "instances"},
                               {"kind", "rule"},
                               {"rule", rule_name},
                               {"instances", trace.instances.size()},
                               {"complete", trace.complete},
                               {"facts", trace.facts.size()},
                               {"violated", violated.size()},
                               {"undecided", undecided.size()}});
            texts.emplace_back(file,
                               session.smt2(q, rf.locate()) + "; expected: " + expected + "\n");
        }
        // One file per violation and undecided instance (the first kRuleFiles of each).
        std::size_t number = 0;
        for (const auto *found : {&answer.violations, &answer.undecided}) {
            for (std::size_t vi = 0; vi < found->size() && vi < kRuleFiles; ++vi) {
                const auto &v = (*found)[vi];
                ++number;
                std::vector<DeclId> chain;
                for (const auto &b : v.bindings) {
                    chain.push_back(b.element);
                }
                const auto it = traced.find({v.root, chain});
                const bool written = it != traced.end() && trace.instances[it->second].violated;
                if (!written && v.query == sema::kNone) {
                    continue; // too large to ask about or to write out
                }
                const std::string file =
                    "rules/" + rule_name + "-" + std::to_string(number) + ".smt2";
                const solver::Verdict verdict = v.query == sema::kNone
                                                    ? solver::Verdict::Unknown
                                                    : result.batch->outcome(v.query).verdict;
                const std::string purpose =
                    "assure rule instance: rule " + rule_name + " \"" + rule.title + "\" (" +
                    linked_location(sources, program.decl(rule.decl).name_span) + ") for " +
                    (v.bindings.empty() ? std::string("the case as a whole")
                                        : bindings_text(program, sources, v)) +
                    rf.case_text(v.root) + ": sat means the rule is violated there";
                std::string text;
                if (written) {
                    const ir::TermId formula = *trace.instances[it->second].violated;
                    const std::set<ir::VarId> used = vars_of(trace.model, formula);
                    ir::Query q;
                    q.purpose = purpose + RuleFiles::header_notes();
                    rf.add_codes(trace, &used, q);
                    for (const auto &f : trace.facts) {
                        if (used.count(f.var) != 0) {
                            rf.add_fact(trace, f, q, trace.model);
                        }
                    }
                    q.assertions.push_back(formula);
                    q.names.push_back("violated");
                    q.notes.push_back("the negated body of the rule for these elements, with the "
                                      "filters of their quantifiers (" +
                                      rule_at + ")");
                    q.show_model = verdict == solver::Verdict::Sat;
                    text = session.smt2(q, rf.locate());
                } else {
                    // Not traced (over the trace's budget): the proof's own ground formula.
                    ir::Query q = result.batch->query(v.query);
                    q.purpose = purpose +
                                "\n; the facts were folded to true or false (the rule's trace "
                                "was over its budget of terms)";
                    q.notes = {"the negated body of the rule for these elements (" + rule_at + ")"};
                    q.names = {"violated"};
                    text = result.batch->smt2(q, rf.locate());
                }
                entries.push_back(
                    {{"file", file},
                     {"expected", answer_name(verdict)},
                     {"decided_by",
                      v.query == sema::kNone
                          ? "z3"
                          : solver::decider_name(result.batch->outcome(v.query).decided_by)},
                     {"kind", "instance"},
                     {"rule", rule_name},
                     {"facts_asserted", written}});
                texts.emplace_back(file, text + "; expected: " + answer_name(verdict) + "\n");
            }
        }
    }
    // The scope questions the rules asked (overlaps / within), whose answers the files above
    // assert as facts.
    for (std::size_t si = 0; si < result.scope_questions.size(); ++si) {
        const auto &sq = result.scope_questions[si];
        const std::string file = "rules/scope-" + std::to_string(si + 1) + ".smt2";
        ir::Query q = result.batch->query(sq.query);
        const std::string x = program.qualified_name(sq.element);
        const std::string r = program.qualified_name(sq.region);
        q.purpose = "assure scope question of a rule: " +
                    (sq.within ? "is the scope of " + x + " within " + r +
                                     "? sat means no: a point of the scope outside the region"
                               : "does the scope of " + x + " overlap " + r +
                                     "? sat means yes: a point in both");
        q.notes = {"the scope of " + x + " (" +
                       prove::line_of(sources, program.decl(sq.element).name_span) + ")",
                   std::string(sq.within ? "outside " : "inside ") + r + " (" +
                       prove::line_of(sources, program.decl(sq.region).name_span) + ")"};
        q.names = {"scope_" + program.decl(sq.element).name,
                   std::string(sq.within ? "outside_" : "inside_") + program.decl(sq.region).name};
        const solver::Outcome &o = result.batch->outcome(sq.query);
        entries.push_back({{"file", file},
                           {"expected", answer_name(o.verdict)},
                           {"decided_by", solver::decider_name(o.decided_by)},
                           {"kind", "scope"}});
        texts.emplace_back(file, result.batch->smt2(q, rf.locate()) +
                                     "; expected: " + answer_name(o.verdict) + "\n");
    }
}

} // namespace assure::report::detail
