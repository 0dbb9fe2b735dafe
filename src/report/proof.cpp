// SPDX-License-Identifier: Apache-2.0
#include "report/proof.hpp"

#include "prove/cases.hpp"
#include "prove/defeaters.hpp"
#include "prove/rules.hpp"
#include "report/proof_parts.hpp"
#include "solver/session.hpp"
#include "support/sha256.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace assure::report {

using nlohmann::ordered_json;
using prove::Status;
using sema::DeclId;
using sema::DeclKind;

// Shared by proof.cpp, explain.cpp and trace.cpp (proof_parts.hpp).
namespace detail {

const char *answer_name(solver::Verdict v) {
    switch (v) {
    case solver::Verdict::Sat:
        return "sat";
    case solver::Verdict::Unsat:
        return "unsat";
    case solver::Verdict::Unknown:
        return "unknown";
    }
    return "?";
}

/// The instance whose expansion holds `span`, or null.
const support::SourceManager::Expansion *instance_of(const support::SourceManager &sources,
                                                     support::Span span) {
    const auto *ex = span.valid() ? sources.expansion(span.file) : nullptr;
    return ex != nullptr && !ex->instance.empty() ? ex : nullptr;
}

/// {file, line, column}, plus {name, pattern, location} of the instance for an element a
/// pattern instance declared (docs/json.md).
ordered_json location_json(const support::SourceManager &sources, support::Span span) {
    ordered_json j;
    if (!span.valid()) {
        return nullptr;
    }
    const auto lc = sources.line_col(span.file, span.begin);
    j["file"] = sources.display_name(span.file);
    j["line"] = lc.line;
    j["column"] = lc.column;
    if (const auto *ex = instance_of(sources, span)) {
        j["instance"] = {{"name", ex->instance},
                         {"pattern", ex->pattern},
                         {"location", location_json(sources, ex->instance_name)}};
    }
    return j;
}

/// `value`: a number literal as written, or the exact value of a percentage (`"0.972"`), which
/// then also keeps its written form in `written` (`"97.2%"`), so a reader never parses `%`.
/// Where a value was read from: artifact, path, sha256, selector, interval, value, text.
ordered_json read_json(const sema::Program &program, const prove::ProofResult &result,
                       std::uint32_t read) {
    const sema::ReadSpec &spec = program.reads[read];
    const prove::ReadOutcome &r = result.reads[read];
    ordered_json j;
    j["artifact"] = program.qualified_name(spec.artifact);
    j["path"] = result.artifacts[program.decl(spec.artifact).index].path;
    j["sha256"] = r.sha256.empty() ? ordered_json(nullptr) : ordered_json(r.sha256);
    j["selector"] = prove::read_selector_text(spec);
    const std::string bound = prove::read_bound_text(spec);
    j["bound"] = bound.empty() ? ordered_json(nullptr) : ordered_json(bound);
    j["state"] = r.state == prove::ReadOutcome::State::Read     ? "read"
                 : r.state == prove::ReadOutcome::State::Failed ? "failed"
                                                                : "not_read";
    j["value"] = r.state == prove::ReadOutcome::State::Read
                     ? ordered_json(prove::read_value_text(r))
                     : ordered_json(nullptr);
    j["text"] = r.state == prove::ReadOutcome::State::Read ? ordered_json(r.text) : nullptr;
    j["low"] = r.low ? ordered_json(r.low->to_string()) : ordered_json(nullptr);
    j["high"] = r.high ? ordered_json(r.high->to_string()) : ordered_json(nullptr);
    j["error"] = r.error.empty() ? ordered_json(nullptr) : ordered_json(r.error);
    return j;
}

void put_number(ordered_json &j, const std::string &written, const support::Decimal &value) {
    if (!written.empty() && written.back() == '%') {
        j["value"] = value.to_string();
        j["written"] = written;
    } else {
        j["value"] = written;
    }
}

/// The facts about the run that head both result.json and a trace's manifest.
void put_run(ordered_json &j, const char *format, const prove::ProofResult &result,
             const ProofMeta &meta) {
    j["format"] = format;
    j["version"] = 2;
    j["assure"] = meta.assure_version;
    j["z3"] = meta.z3_version;
    j["date"] = prove::format_date(result.date);
    j["date_source"] = meta.date_source;
    j["timeout_ms"] = meta.timeout_ms;
    j["rlimit"] = meta.rlimit;
    j["deciders"] = meta.cells ? ordered_json::array({"cells", "z3"}) : ordered_json::array({"z3"});
}

/// Obligation numbers are shown 1-based.
std::string ob_ref(std::uint32_t ob) {
    return "#" + std::to_string(ob + 1);
}

bool step_holds(const prove::ProofResult &r, std::uint32_t ob) {
    const auto &o = r.obligations[ob];
    const auto v = r.outcome(ob).verdict;
    return o.holds_on_sat ? v == solver::Verdict::Sat : v == solver::Verdict::Unsat;
}

std::string ObSummaries::operator()(std::uint32_t ob) {
    if (repeated_.empty()) {
        repeated_ = prove::repeated_obligations(r_);
    }
    std::string s = "obligation " + ob_ref(ob) + ": " + prove::obligation_answer_words(r_, ob);
    if (repeated_[ob] != 0) {
        s += "; decided once with an identical obligation";
    }
    return s;
}

} // namespace detail

using namespace detail;

std::string location(const support::SourceManager &sources, support::Span span) {
    if (!span.valid()) {
        return "?";
    }
    const auto lc = sources.line_col(span.file, span.begin);
    return sources.display_name(span.file) + ":" + std::to_string(lc.line) + ":" +
           std::to_string(lc.column);
}

std::string linked_location(const support::SourceManager &sources, support::Span span) {
    std::string text = location(sources, span);
    if (const auto *ex = instance_of(sources, span)) {
        text += " (in instance " + ex->instance + " of " + ex->pattern + ", " +
                location(sources, ex->instance_name) + ")";
    }
    return text;
}

int proof_exit_code(const prove::ProofResult &result) {
    bool failed = false;
    bool unknown = false;
    for (DeclId c : result.top_claims) {
        const Status s = result.status(c);
        failed = failed || s == Status::Unsupported || s == Status::Undeveloped;
        unknown = unknown || s == Status::Unknown;
    }
    return failed ? 5 : unknown ? 3 : 0;
}

// ---- text ------------------------------------------------------------------------------------

/// "h = m.H (file:line:col), c = m.G (file:line:col)"
std::string detail::bindings_text(const sema::Program &program,
                                  const support::SourceManager &sources,
                                  const prove::RuleViolation &v) {
    std::string text;
    for (const auto &b : v.bindings) {
        text += (text.empty() ? "" : ", ") + b.var + " = " + program.qualified_name(b.element) +
                " (" + linked_location(sources, program.decl(b.element).name_span) + ")";
    }
    return text;
}

namespace {

/// The rules section: each rule, whether it holds, and each violation with the top claims it
/// fails (the first kShown per rule; the JSON has them all).
void rules_text(const sema::Program &program, const prove::ProofResult &result,
                const support::SourceManager &sources, std::ostream &out) {
    if (result.rules.empty()) {
        return;
    }
    std::size_t holding = 0;
    for (const auto &r : result.rules) {
        holding += r.holds ? 1 : 0;
    }
    if (result.rules.size() == 1) {
        out << "\nrules: the one rule " << (holding == 1 ? "holds" : "does not hold") << "\n";
    } else {
        out << "\nrules: " << holding << " of " << result.rules.size() << " hold\n";
    }
    constexpr std::size_t kShown = 20;
    // With several cases loaded, a rule is decided in each case that includes it
    // (prove/cases.hpp): a violation naming no element says in which case the rule is false.
    const bool several = prove::cases_of(program).size() > 1;
    auto list = [&](const std::vector<prove::RuleViolation> &found, const char *prefix,
                    const char *more) {
        for (std::size_t i = 0; i < found.size() && i < kShown; ++i) {
            const auto &v = found[i];
            out << "    " << prefix;
            if (v.bindings.empty()) {
                out << (v.unknown.empty() ? "the rule as a whole is false" : "the rule as a whole");
                if (several && v.root < program.modules.size()) {
                    out << " in the case of module " << program.modules[v.root].name;
                }
            } else {
                out << bindings_text(program, sources, v);
            }
            if (!v.unknown.empty()) {
                out << " (" << v.unknown << ")";
            }
            const std::string fails = support::join_elided(
                v.affected.size(),
                [&](std::size_t k) { return program.qualified_name(v.affected[k]); }, ", ");
            if (v.affected.empty()) {
                out << "; fails no top claim (its case has none)\n";
            } else {
                out << "; fails " << fails << (v.unknown.empty() ? "" : " as unknown") << "\n";
            }
        }
        if (found.size() > kShown) {
            out << "    ... and " << found.size() - kShown << " more " << more
                << " (--format json lists them all)\n";
        }
    };
    for (std::uint32_t ri = 0; ri < result.rules.size(); ++ri) {
        const auto &rule = program.rules[ri];
        const auto &r = result.rules[ri];
        const char *state = r.holds                ? "holds     "
                            : r.violations.empty() ? "undecided "
                                                   : "violated  ";
        out << "  " << state << program.qualified_name(rule.decl) << "  " << rule.title << "  ("
            << linked_location(sources, program.decl(rule.decl).name_span) << ")\n";
        list(r.violations, "", "violations");
        list(r.undecided, "undecided: ", "undecided instances");
    }
}

} // namespace

/// The risk section: each hazard rated on a matrix, its level before and after its supported
/// mitigations, and what falls short.
void risk_text(const sema::Program &program, const prove::ProofResult &result,
               const support::SourceManager &sources, std::ostream &out) {
    std::size_t rated = 0;
    std::size_t residual = 0;
    std::size_t demands = 0;
    std::size_t undecided = 0;
    for (const auto &h : result.hazards) {
        rated += h.rated ? 1 : 0;
        for (const auto &f : h.findings) {
            if (f.status == Status::Unknown) {
                ++undecided;
            } else {
                (f.kind == prove::RiskFinding::Kind::ResidualRisk ? residual : demands) += 1;
            }
        }
    }
    if (rated == 0) {
        return;
    }
    out << "\nrisk: " << support::counted(rated, "hazard", "hazards") << " rated, " << residual
        << " with a residual risk above acceptance, "
        << support::counted(demands, "unmet demand", "unmet demands") << " of a risk level";
    if (undecided != 0) {
        out << ", " << undecided << " undecided";
    }
    out << "\n";
    for (std::uint32_t h = 0; h < result.hazards.size(); ++h) {
        const auto &risk = result.hazards[h];
        if (!risk.rated || risk.level == sema::kNone) {
            continue;
        }
        const auto &hz = program.hazards[h];
        const auto &mx = program.matrices[program.decl(hz.matrix).index];
        const auto &levels = program.scales[mx.levels].values;
        const bool certain = std::any_of(risk.findings.begin(), risk.findings.end(),
                                         [](const auto &f) { return f.status != Status::Unknown; });
        out << "  "
            << (risk.findings.empty() ? "ok        "
                : certain             ? "short     "
                                      : "undecided ")
            << program.qualified_name(hz.decl) << "  " << levels[risk.level];
        if (risk.residual != sema::kNone && risk.step > 0) {
            out << " -> " << levels[risk.residual] << " (likelihood lowered " << risk.step
                << (risk.step == 1 ? " step)" : " steps)");
        }
        if (mx.accept) {
            out << ", accept " << levels[*mx.accept];
        }
        out << "  (" << linked_location(sources, program.decl(hz.decl).name_span) << ")\n";
        for (const auto &f : risk.findings) {
            const std::string fails = support::join_elided(
                f.affected.size(),
                [&](std::size_t k) { return program.qualified_name(f.affected[k]); }, ", ");
            out << "    " << f.text
                << (f.status == Status::Unknown ? "; leaves unknown " : "; fails ") << fails
                << "\n";
        }
    }
}

std::string render_proof_text(const sema::Program &program, const prove::ProofResult &result,
                              const support::SourceManager &sources, const ProofMeta &meta) {
    std::ostringstream out;
    out << "date: " << prove::format_date(result.date) << " (" << meta.date_source << ")\n";
    std::size_t width = 0;
    for (DeclId c : result.top_claims) {
        width = std::max(width, program.qualified_name(c).size());
    }
    out << "\ntop claims:\n";
    std::size_t counts[4] = {0, 0, 0, 0};
    for (DeclId c : result.top_claims) {
        const Status s = result.status(c);
        ++counts[static_cast<int>(s)];
        std::string name = program.qualified_name(c);
        name.resize(width, ' ');
        std::string verdict = prove::verdict_name(s);
        verdict.resize(12, ' ');
        out << "  " << verdict << name << "  " << program.claims[program.decl(c).index].title
            << "\n";
        const std::string relied = prove::relied_assumptions_text(program, sources, result, c);
        if (!relied.empty()) {
            out << "  " << std::string(12 + width, ' ') << "  under the assumptions " << relied
                << "\n";
        }
    }
    for (DeclId c : result.top_claims) {
        if (result.status(c) == Status::Supported) {
            continue;
        }
        out << "\n"
            << program.qualified_name(c) << " is " << prove::verdict_name(result.status(c))
            << "; root causes:\n";
        // A failure under a strategy a million wide can have a million root causes: the text
        // shows the first and last ones, the JSON every one.
        const auto causes = prove::root_causes(program, result, c);
        for (std::size_t k = 0; k < causes.size(); ++k) {
            if (!support::shown_whole(causes.size()) && k == support::kElideKeep) {
                out << "  ... " << causes.size() - 2 * support::kElideKeep
                    << " more root causes (--format json lists them all) ...\n";
                k = causes.size() - support::kElideKeep - 1;
                continue;
            }
            const auto &rc = causes[k];
            const sema::Decl &d = program.decl(rc.element);
            out << "  " << linked_location(sources, d.name_span) << ": " << sema::kind_name(d.kind)
                << " " << program.qualified_name(rc.element) << ": " << rc.reason->text;
            if (rc.reason->obligation != sema::kNone) {
                out << " [obligation " << ob_ref(rc.reason->obligation) << "]";
            }
            out << "\n";
        }
        out << "  (`assure explain <case files> " << program.qualified_name(c)
            << "` shows the failing argument)\n";
    }
    risk_text(program, result, sources, out);
    rules_text(program, result, sources, out);
    std::size_t supported_claims = 0;
    for (const auto &c : program.claims) {
        supported_claims += result.status(c.decl) == Status::Supported ? 1 : 0;
    }
    std::size_t valid_evidence = 0;
    for (const auto &e : program.evidence) {
        valid_evidence += result.status(e.decl) == Status::Supported ? 1 : 0;
    }
    std::size_t unknown_obligations = 0;
    for (std::uint32_t ob = 0; ob < result.obligations.size(); ++ob) {
        unknown_obligations += result.outcome(ob).verdict == solver::Verdict::Unknown ? 1 : 0;
    }
    std::size_t instances = 0;
    for (const auto &r : result.rules) {
        instances += r.instances;
        unknown_obligations += r.undecided.size();
    }
    out << "\nsummary: " << support::counted(result.top_claims.size(), "top claim", "top claims")
        << ": " << counts[0] << " supported, " << counts[3] << " unsupported, " << counts[2]
        << " undeveloped, " << counts[1] << " unknown\n"
        << "         " << supported_claims << " of "
        << support::counted(program.claims.size(), "claim", "claims") << " supported, "
        << valid_evidence << " of " << program.evidence.size() << " evidence valid, "
        << support::counted(result.obligations.size(), "solver obligation", "solver obligations")
        << (program.rules.empty()
                ? std::string()
                : ", " + support::counted(instances, "rule query", "rule queries"))
        << " (" << support::counted(result.batch->solved(), "distinct query", "distinct queries")
        << ", " << unknown_obligations << " unknown)\n";
    return out.str();
}

// ---- JSON ------------------------------------------------------------------------------------

ordered_json detail::defeater_json(const sema::Program &program, const prove::ProofResult &result,
                                   std::uint32_t di, const prove::DefeaterAccount &account) {
    const auto &d = program.defeaters[di];
    auto resolvers = ordered_json::array();
    for (const auto &r : account.resolved_by) {
        resolvers.push_back(
            {{"name", program.qualified_name(r.element)},
             {"status", prove::element_status_name(program.decl(r.element).kind, r.status)}});
    }
    auto defeated_by = ordered_json::array();
    for (DeclId by : account.defeated_by) {
        defeated_by.push_back(program.qualified_name(by));
    }
    return {{"name", program.qualified_name(d.decl)},
            {"relation", prove::defeater_relation_name(d.relation)},
            {"target", d.target.valid() ? program.qualified_name(d.target) : std::string()},
            {"status", prove::defeater_status_name(account.status)},
            {"activity", prove::activity_name(result.defeaters[di])},
            {"why", prove::defeater_why_name(account.why)},
            {"explanation", account.text},
            {"resolved_by", std::move(resolvers)},
            {"defeated_by", std::move(defeated_by)}};
}

ordered_json detail::rule_json(const sema::Program &program, const prove::ProofResult &result,
                               const support::SourceManager &sources, std::uint32_t ri) {
    const auto &rule = program.rules[ri];
    const auto &r = result.rules[ri];
    ordered_json j;
    j["name"] = program.qualified_name(rule.decl);
    j["title"] = rule.title;
    j["location"] = location_json(sources, program.decl(rule.decl).name_span);
    j["holds"] = r.holds;
    j["instances"] = r.instances;
    auto instances = [&](const std::vector<prove::RuleViolation> &found) {
        auto arr = ordered_json::array();
        for (const auto &v : found) {
            ordered_json jv;
            auto bindings = ordered_json::array();
            for (const auto &b : v.bindings) {
                ordered_json jb;
                jb["var"] = b.var;
                jb["element"] = program.qualified_name(b.element);
                jb["kind"] = sema::kind_name(program.decl(b.element).kind);
                jb["location"] = location_json(sources, program.decl(b.element).name_span);
                bindings.push_back(std::move(jb));
            }
            jv["bindings"] = std::move(bindings);
            auto affected = ordered_json::array();
            for (DeclId t : v.affected) {
                affected.push_back(program.qualified_name(t));
            }
            jv["fails"] = std::move(affected);
            if (!v.unknown.empty()) {
                jv["reason"] = v.unknown;
            }
            arr.push_back(std::move(jv));
        }
        return arr;
    };
    j["violations"] = instances(r.violations);
    j["undecided"] = instances(r.undecided);
    return j;
}

ordered_json detail::hazard_json(const sema::Program &program, const prove::ProofResult &result,
                                 const support::SourceManager &sources, std::uint32_t h) {
    const auto &risk = result.hazards[h];
    const auto &hz = program.hazards[h];
    ordered_json j;
    j["name"] = program.qualified_name(hz.decl);
    j["title"] = hz.title;
    j["location"] = location_json(sources, program.decl(hz.decl).name_span);
    auto value = [&](const std::optional<sema::ScaleValue> &v) {
        return v ? ordered_json(program.scales[v->scale].values[v->value]) : ordered_json(nullptr);
    };
    j["severity"] = value(hz.severity);
    j["likelihood"] = value(hz.likelihood);
    j["matrix"] =
        hz.matrix.valid() ? ordered_json(program.qualified_name(hz.matrix)) : ordered_json(nullptr);
    auto mitigations = ordered_json::array();
    for (DeclId c : risk.mitigations) {
        mitigations.push_back(program.qualified_name(c));
    }
    j["mitigations"] = std::move(mitigations);
    if (risk.rated && risk.level != sema::kNone) {
        const auto &mx = program.matrices[program.decl(hz.matrix).index];
        const auto &levels = program.scales[mx.levels].values;
        j["level"] = levels[risk.level];
        j["likelihood_steps_lowered"] = risk.step;
        j["residual_likelihood"] = program.scales[mx.columns].values[risk.residual_likelihood];
        j["residual_level"] = levels[risk.residual];
        j["accept"] = mx.accept ? ordered_json(levels[*mx.accept]) : ordered_json(nullptr);
    } else {
        j["level"] = nullptr;
    }
    auto findings = ordered_json::array();
    for (const auto &f : risk.findings) {
        ordered_json jf;
        jf["kind"] =
            f.kind == prove::RiskFinding::Kind::DemandUnmet ? "risk_demand_unmet" : "residual_risk";
        jf["status"] = prove::verdict_name(f.status);
        jf["claim"] =
            f.claim.valid() ? ordered_json(program.qualified_name(f.claim)) : ordered_json(nullptr);
        jf["message"] = f.text;
        jf["derived"] = f.derived;
        auto fails = ordered_json::array();
        for (DeclId t : f.affected) {
            fails.push_back(program.qualified_name(t));
        }
        jf["fails"] = std::move(fails);
        findings.push_back(std::move(jf));
    }
    j["findings"] = std::move(findings);
    return j;
}

ordered_json detail::reasons_json(const sema::Program &program, const prove::ElementResult &r) {
    auto list = ordered_json::array();
    for (const auto &reason : r.reasons) {
        ordered_json j;
        j["kind"] = prove::reason_name(reason.kind);
        j["status"] = prove::verdict_name(reason.status);
        j["message"] = reason.text;
        if (reason.other.valid()) {
            j["element"] = program.qualified_name(reason.other);
        }
        if (reason.obligation != sema::kNone) {
            j["obligation"] = reason.obligation + 1;
        }
        list.push_back(std::move(j));
    }
    return list;
}

std::string render_proof_json(const sema::Program &program, const prove::ProofResult &result,
                              const support::SourceManager &sources, const ProofMeta &meta) {
    ordered_json root;
    put_run(root, "assure-prove", result, meta);
    const int code = proof_exit_code(result);
    root["result"] = code == 0 ? "supported" : code == 5 ? "not_supported" : "unknown";
    root["exit_code"] = code;
    auto tops = ordered_json::array();
    for (DeclId c : result.top_claims) {
        ordered_json j;
        j["name"] = program.qualified_name(c);
        j["verdict"] = prove::verdict_name(result.status(c));
        auto causes = ordered_json::array();
        if (result.status(c) != Status::Supported) {
            for (const auto &rc : prove::root_causes(program, result, c)) {
                ordered_json k;
                k["element"] = program.qualified_name(rc.element);
                k["kind"] = prove::reason_name(rc.reason->kind);
                k["message"] = rc.reason->text;
                k["location"] = location_json(sources, program.decl(rc.element).name_span);
                causes.push_back(std::move(k));
            }
        }
        j["root_causes"] = std::move(causes);
        tops.push_back(std::move(j));
    }
    root["top_claims"] = std::move(tops);

    std::set<std::uint32_t> top_set;
    for (DeclId c : result.top_claims) {
        top_set.insert(c.value);
    }
    auto claims = ordered_json::array();
    for (std::uint32_t ci = 0; ci < program.claims.size(); ++ci) {
        const auto &c = program.claims[ci];
        ordered_json j;
        j["name"] = program.qualified_name(c.decl);
        j["title"] = c.title;
        j["location"] = location_json(sources, program.decl(c.decl).name_span);
        j["top"] = top_set.count(c.decl.value) != 0;
        j["verdict"] = prove::verdict_name(result.status(c.decl));
        j["reasons"] = reasons_json(program, result.elements[c.decl.value]);
        const auto &cr = result.claims[ci];
        j["vacuity_obligation"] =
            cr.vacuity == sema::kNone ? ordered_json(nullptr) : ordered_json(cr.vacuity + 1);
        auto relied = ordered_json::array();
        for (std::uint32_t a : cr.relies_on) {
            relied.push_back(program.qualified_name(program.attachments[a].decl));
        }
        j["relies_on"] = std::move(relied);
        auto reqs = ordered_json::array();
        for (std::uint32_t r = 0; r < c.requirements.size(); ++r) {
            const auto &req = c.requirements[r];
            const auto &rr = cr.requirements[r];
            ordered_json k;
            k["metric"] = req.metric;
            k["op"] = prove::cmp_op_text(req.op);
            put_number(k, req.value_text, req.value);
            k["status"] = prove::verdict_name(rr.status);
            k["obligation"] = rr.obligation == sema::kNone ? ordered_json(nullptr)
                                                           : ordered_json(rr.obligation + 1);
            auto used = ordered_json::array();
            for (const auto &m : rr.used) {
                const std::uint32_t ei = program.decl(m.evidence).index;
                const auto &metric = program.evidence[ei].metrics[m.metric];
                ordered_json mj;
                mj["evidence"] = program.qualified_name(m.evidence);
                if (metric.read == sema::kNone) {
                    put_number(mj, metric.value_text, metric.value);
                } else {
                    mj["value"] = prove::read_value_text(result.reads[metric.read]);
                    mj["read"] = read_json(program, result, metric.read);
                }
                mj["location"] = location_json(sources, metric.span);
                used.push_back(std::move(mj));
            }
            k["measurements"] = std::move(used);
            reqs.push_back(std::move(k));
        }
        j["requirements"] = std::move(reqs);
        claims.push_back(std::move(j));
    }
    root["claims"] = std::move(claims);

    auto strategies = ordered_json::array();
    for (std::uint32_t si = 0; si < program.strategies.size(); ++si) {
        const auto &s = program.strategies[si];
        const auto &sr = result.strategies[si];
        ordered_json j;
        j["name"] = program.qualified_name(s.decl);
        j["for"] = s.parent.valid() ? ordered_json(program.qualified_name(s.parent))
                                    : ordered_json(nullptr);
        j["status"] = prove::strategy_status_name(result.status(s.decl));
        j["reasons"] = reasons_json(program, result.elements[s.decl.value]);
        auto obs = ordered_json::array();
        if (sr.cover != sema::kNone) {
            obs.push_back(sr.cover + 1);
        }
        for (auto ob : sr.overlaps) {
            obs.push_back(ob + 1);
        }
        if (sr.deductive != sema::kNone) {
            obs.push_back(sr.deductive + 1);
        }
        j["obligations"] = std::move(obs);
        strategies.push_back(std::move(j));
    }
    root["strategies"] = std::move(strategies);

    auto evidence = ordered_json::array();
    for (std::uint32_t ei = 0; ei < program.evidence.size(); ++ei) {
        const auto &e = program.evidence[ei];
        ordered_json j;
        j["name"] = program.qualified_name(e.decl);
        j["status"] = prove::evidence_status_name(result.status(e.decl));
        j["result"] = prove::evidence_result_text(program, result, ei);
        j["valid_until"] = e.valid_until ? ordered_json(prove::format_date(*e.valid_until))
                                         : ordered_json(nullptr);
        auto arts = ordered_json::array();
        for (DeclId a : e.artifacts) {
            arts.push_back(program.qualified_name(a));
        }
        j["artifacts"] = std::move(arts);
        // The values read from artifacts: the result's, then each metric's, in source order.
        auto reads = ordered_json::array();
        if (e.result_read != sema::kNone) {
            ordered_json rj;
            rj["for"] = "result";
            rj.update(read_json(program, result, e.result_read));
            reads.push_back(std::move(rj));
        }
        for (const auto &metric : e.metrics) {
            if (metric.read != sema::kNone) {
                ordered_json rj;
                rj["for"] = "metric " + metric.name;
                rj.update(read_json(program, result, metric.read));
                reads.push_back(std::move(rj));
            }
        }
        j["reads"] = std::move(reads);
        j["reasons"] = reasons_json(program, result.elements[e.decl.value]);
        evidence.push_back(std::move(j));
    }
    root["evidence"] = std::move(evidence);

    auto defeaters = ordered_json::array();
    const auto accounts = prove::defeater_accounts(program, result);
    for (std::uint32_t di = 0; di < program.defeaters.size(); ++di) {
        defeaters.push_back(defeater_json(program, result, di, accounts[di]));
    }
    root["defeaters"] = std::move(defeaters);

    auto artifacts = ordered_json::array();
    for (std::uint32_t ai = 0; ai < program.artifacts.size(); ++ai) {
        const auto &a = program.artifacts[ai];
        const auto &c = result.artifacts[ai];
        artifacts.push_back(
            {{"name", program.qualified_name(a.decl)},
             {"path", c.path},
             {"recorded_sha256", a.sha256.empty() ? ordered_json(nullptr) : ordered_json(a.sha256)},
             {"sha256", c.actual.empty() ? ordered_json(nullptr) : ordered_json(c.actual)},
             {"state", prove::artifact_state_name(c.state)}});
    }
    root["artifacts"] = std::move(artifacts);

    auto obligations = ordered_json::array();
    for (std::uint32_t ob = 0; ob < result.obligations.size(); ++ob) {
        const auto &o = result.obligations[ob];
        const auto &outcome = result.outcome(ob);
        ordered_json j;
        j["id"] = ob + 1;
        j["kind"] = prove::obligation_kind_name(o.kind);
        j["subject"] = program.qualified_name(o.subject);
        j["purpose"] = prove::obligation_purpose(program, result, ob);
        j["answer"] = answer_name(outcome.verdict);
        j["decided_by"] = solver::decider_name(outcome.decided_by);
        j["holds"] = outcome.verdict == solver::Verdict::Unknown
                         ? ordered_json(nullptr)
                         : ordered_json(step_holds(result, ob));
        if (outcome.verdict == solver::Verdict::Unknown) {
            j["unknown_reason"] = outcome.unknown_reason;
        }
        if (outcome.model && !step_holds(result, ob)) {
            j["point"] = solver::format_point(result.constraints->model(), *outcome.model);
        }
        auto core = ordered_json::array();
        for (std::size_t k : outcome.core) {
            if (k < o.notes.size()) {
                core.push_back(prove::obligation_note(program, sources, result, ob, k));
            }
        }
        j["unsat_core"] = std::move(core);
        auto lines = ordered_json::array();
        for (const auto &note : o.notes) {
            lines.push_back(prove::line_of(sources, note.span));
        }
        j["source_lines"] = std::move(lines);
        j["file"] = obligation_file(program, result, ob);
        obligations.push_back(std::move(j));
    }
    root["obligations"] = std::move(obligations);
    auto rules = ordered_json::array();
    for (std::uint32_t ri = 0; ri < result.rules.size(); ++ri) {
        rules.push_back(rule_json(program, result, sources, ri));
    }
    root["rules"] = std::move(rules);
    auto hazards = ordered_json::array();
    for (std::uint32_t h = 0; h < result.hazards.size(); ++h) {
        hazards.push_back(hazard_json(program, result, sources, h));
    }
    root["hazards"] = std::move(hazards);
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace assure::report
