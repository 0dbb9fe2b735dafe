// SPDX-License-Identifier: Apache-2.0
// `assure explain`: the proof tree of a claim, as text and as JSON (assure-explain).
#include "prove/cases.hpp"
#include "prove/defeaters.hpp"
#include "prove/rules.hpp"
#include "report/proof.hpp"
#include "report/proof_parts.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace assure::report {

using nlohmann::ordered_json;
using prove::Status;
using sema::DeclId;
using sema::DeclKind;
using namespace detail;

// ---- explain ---------------------------------------------------------------------------------

namespace {

const char *mode_text(const sema::StrategyInfo &s) {
    static const char *const kModes[] = {"all_of", "any_of", "at_least", "deductive"};
    return kModes[static_cast<int>(s.mode)];
}

/// What bears on a claim besides its argument: the hazards it mitigates or whose risk fails it,
/// and the rules decided in its case (a top claim) or naming it (any claim).
struct Bearing {
    std::vector<std::uint32_t> hazards; // hazard indices, declaration order
    std::vector<std::uint32_t> rules;   // rule indices, declaration order
};

Bearing bearing_on(const sema::Program &program, const prove::ProofResult &result, DeclId claim) {
    Bearing b;
    const bool top = std::find(result.top_claims.begin(), result.top_claims.end(), claim) !=
                     result.top_claims.end();
    // The cases the claim belongs to: a rule or hazard of one of them bears on a top claim.
    std::vector<bool> in_case(program.modules.size(), false);
    if (top) {
        const std::uint32_t module = program.decl(claim).module;
        for (const auto &c : prove::cases_of(program)) {
            if (c.modules[module]) {
                for (std::size_t m = 0; m < c.modules.size(); ++m) {
                    in_case[m] = in_case[m] || c.modules[m];
                }
            }
        }
    }
    auto names = [&](const std::vector<DeclId> &list) {
        return std::find(list.begin(), list.end(), claim) != list.end();
    };
    for (std::uint32_t h = 0; h < result.hazards.size(); ++h) {
        const auto &risk = result.hazards[h];
        bool bears = names(risk.mitigations) ||
                     (top && risk.rated && in_case[program.decl(program.hazards[h].decl).module]);
        for (const auto &f : risk.findings) {
            bears = bears || f.claim == claim || names(f.affected);
        }
        if (bears) {
            b.hazards.push_back(h);
        }
    }
    for (std::uint32_t ri = 0; ri < result.rules.size(); ++ri) {
        bool bears = top && in_case[program.decl(program.rules[ri].decl).module];
        for (const auto *list : {&result.rules[ri].violations, &result.rules[ri].undecided}) {
            for (const auto &v : *list) {
                bears =
                    bears || names(v.affected) ||
                    std::any_of(v.bindings.begin(), v.bindings.end(),
                                [&](const prove::RuleBinding &x) { return x.element == claim; });
            }
        }
        if (bears) {
            b.rules.push_back(ri);
        }
    }
    return b;
}

/// Walks the proof tree of a claim once, writing the text report or the JSON elements.
class Explainer {
  public:
    Explainer(const sema::Program &p, const prove::ProofResult &r, const support::SourceManager &s,
              bool json)
        : prog_(p), res_(r), sources_(s), json_(json), accounts_(prove::defeater_accounts(p, r)),
          attackers_(prove::defeaters_by_target(p)) {}

    /// Depth-first, with an explicit stack: an argument a million claims deep is a million
    /// entries here, not a million stack frames.
    void run(DeclId claim) {
        std::vector<std::pair<DeclId, int>> stack{{claim, 0}};
        std::vector<DeclId> parents{DeclId{}};
        while (!stack.empty()) {
            const auto [d, depth] = stack.back();
            stack.pop_back();
            parents.resize(static_cast<std::size_t>(depth) + 1);
            const DeclId parent = depth == 0 ? DeclId{} : parents[static_cast<std::size_t>(depth)];
            node(d, depth, parent);
            parents.push_back(d);
            // Children were queued in the order the tree shows them.
            for (auto k = kids_.rbegin(); k != kids_.rend(); ++k) {
                stack.emplace_back(*k, depth + 1);
            }
            kids_.clear();
        }
    }

    [[nodiscard]] std::string text() const { return out_.str(); }
    ordered_json take_elements() { return std::move(elements_); }

    /// The defeaters attacking `d`, as JSON.
    ordered_json defeaters_json(DeclId d) const {
        auto list = ordered_json::array();
        for (std::uint32_t di : attackers_[d.value]) {
            list.push_back(defeater_json(prog_, res_, di, accounts_[di]));
        }
        return list;
    }

  private:
    /// Levels from this one down are not indented further (a line stays bounded however deep
    /// the argument); the first line of each element there starts with `[depth N]` instead.
    static constexpr int kMaxIndent = 32;

    void line(int depth, const std::string &text) {
        if (!json_) {
            out_ << std::string(static_cast<std::size_t>(std::min(depth, kMaxIndent)) * 2, ' ')
                 << text << "\n";
        }
    }

    void reasons(DeclId d, int depth) {
        if (json_) {
            cur_["reasons"] = reasons_json(prog_, res_.elements[d.value]);
            return;
        }
        for (const auto &r : res_.elements[d.value].reasons) {
            std::string text = "x " + r.text;
            if (r.obligation != sema::kNone) {
                text += " (" + summary_(r.obligation) + ")";
            }
            if (r.kind == prove::ReasonKind::RuleViolated ||
                r.kind == prove::ReasonKind::RuleUnknown ||
                r.kind == prove::ReasonKind::RiskDemand ||
                r.kind == prove::ReasonKind::ResidualRisk) {
                text += "   (" + linked_location(sources_, prog_.decl(r.other).name_span) + ")";
            }
            line(depth, text);
        }
    }

    /// A step the solver decided, with the conditions of its unsat core: "no operating point is
    /// at once: ..." (when the step holds by unsatisfiability).
    void step(int depth, const std::string &what, std::uint32_t ob) {
        if (ob == sema::kNone) {
            return;
        }
        const bool holds = step_holds(res_, ob);
        const auto &outcome = res_.outcome(ob);
        std::vector<std::string> conditions;
        if (holds && !res_.obligations[ob].holds_on_sat) {
            for (std::size_t k : outcome.core) {
                if (k < res_.obligations[ob].notes.size()) {
                    conditions.push_back(prove::obligation_condition(prog_, sources_, res_, ob, k));
                }
            }
        }
        if (json_) {
            ordered_json j;
            j["step"] = what;
            j["obligation"] = ob + 1;
            j["kind"] = prove::obligation_kind_name(res_.obligations[ob].kind);
            j["holds"] = outcome.verdict == solver::Verdict::Unknown ? ordered_json(nullptr)
                                                                     : ordered_json(holds);
            j["answer"] = answer_name(outcome.verdict);
            j["in_words"] = prove::obligation_answer_words(res_, ob);
            if (outcome.model && !holds) {
                j["point"] = solver::format_point(res_.constraints->model(), *outcome.model);
            }
            j["no_point_is_at_once"] = conditions;
            cur_["steps"].push_back(std::move(j));
            return;
        }
        if (!holds) {
            return; // a failed step is one of the element's reasons, shown with them
        }
        line(depth, "ok " + what + " (" + summary_(ob) + ")");
        if (!conditions.empty()) {
            line(depth + 2, "no operating point is at once:");
            for (const auto &c : conditions) {
                line(depth + 4, c);
            }
        }
    }

    void defeaters(DeclId d, int depth) {
        if (json_) {
            cur_["defeaters"] = defeaters_json(d);
            return;
        }
        for (std::uint32_t di : attackers_[d.value]) {
            const auto &df = prog_.defeaters[di];
            line(depth, "defeater " + prog_.qualified_name(df.decl) + " " +
                            prove::defeater_relation_name(df.relation) + " it: \"" + df.title +
                            "\"   (" + linked_location(sources_, prog_.decl(df.decl).name_span) +
                            ")");
            line(depth + 2, accounts_[di].text);
        }
    }

    void node(DeclId d, int depth, DeclId parent) {
        const sema::Decl &decl = prog_.decl(d);
        const Status st = res_.status(d);
        const bool again = !shown_.insert(d.value).second;
        if (json_) {
            flush();
            cur_ = ordered_json::object();
            cur_["depth"] = depth;
            cur_["parent"] =
                parent.valid() ? ordered_json(prog_.qualified_name(parent)) : ordered_json(nullptr);
            cur_["kind"] = sema::kind_name(decl.kind);
            cur_["name"] = prog_.qualified_name(d);
            cur_["status"] = prove::element_status_name(decl.kind, st);
            cur_["location"] = location_json(sources_, decl.name_span);
            if (again) {
                cur_["shown_above"] = true;
                return;
            }
        } else {
            std::string head = std::string(sema::kind_name(decl.kind)) + " " +
                               prog_.qualified_name(d) + ": " +
                               prove::element_status_name(decl.kind, st) + "   (" +
                               linked_location(sources_, decl.name_span) + ")";
            if (depth >= kMaxIndent) {
                head = "[depth " + std::to_string(depth) + "] " + head;
            }
            if (again) {
                line(depth, head + ", shown above");
                return;
            }
            line(depth, head);
        }
        switch (decl.kind) {
        case DeclKind::Claim:
            claim(decl.index, depth + 1);
            break;
        case DeclKind::Strategy:
            strategy(decl.index, depth + 1);
            break;
        case DeclKind::Evidence:
            evidence(decl.index, depth + 1);
            break;
        default:
            break;
        }
    }

    void flush() {
        if (json_ && !cur_.is_null()) {
            elements_.push_back(std::move(cur_));
            cur_ = nullptr;
        }
    }

  public:
    void finish() { flush(); }

  private:
    void title(int depth, const std::string &t) {
        if (json_) {
            cur_["title"] = t;
        } else {
            line(depth, "\"" + t + "\"");
        }
    }

    void claim(std::uint32_t ci, int depth) {
        const auto &c = prog_.claims[ci];
        const auto &cr = res_.claims[ci];
        title(depth, c.title);
        if (json_) {
            cur_["scope"] =
                c.scope ? ordered_json(std::string(sources_.text(c.scope->span))) : ordered_json();
            cur_["undeveloped"] = c.undeveloped;
            auto assumptions = ordered_json::array();
            for (std::uint32_t a : res_.assumptions_of[c.decl.value]) {
                assumptions.push_back({{"name", prog_.qualified_name(prog_.attachments[a].decl)},
                                       {"title", prog_.attachments[a].title}});
            }
            cur_["assumptions"] = std::move(assumptions);
            auto relied = ordered_json::array();
            for (std::uint32_t a : cr.relies_on) {
                relied.push_back(prog_.qualified_name(prog_.attachments[a].decl));
            }
            cur_["relies_on"] = std::move(relied);
            cur_["steps"] = ordered_json::array();
        } else {
            if (c.scope) {
                line(depth, "scope: " + std::string(sources_.text(c.scope->span)));
            }
            for (std::uint32_t a : res_.assumptions_of[c.decl.value]) {
                line(depth, "assumption " + prog_.qualified_name(prog_.attachments[a].decl) + ": " +
                                prog_.attachments[a].title);
            }
            const std::string relied =
                prove::relied_assumptions_text(prog_, sources_, res_, c.decl);
            if (!relied.empty()) {
                line(depth, "rests on the assumptions " + relied +
                                " (a logical step above counts the claim only where they hold)");
            }
        }
        reasons(c.decl, depth);
        defeaters(c.decl, depth);
        if (c.undeveloped) {
            return;
        }
        step(depth, "the scope has an operating point", cr.vacuity);
        auto measurements = ordered_json::array();
        for (std::uint32_t r = 0; r < c.requirements.size(); ++r) {
            const auto &req = c.requirements[r];
            const auto &rr = cr.requirements[r];
            if (rr.status != Status::Supported) {
                requirement_measurements(req, rr, depth, measurements);
                continue;
            }
            step(depth,
                 "requirement " + std::string(sources_.text(req.span)) +
                     " met over the whole scope",
                 rr.obligation);
        }
        if (json_) {
            cur_["unmet_requirements"] = std::move(measurements);
        }
        const bool failing = res_.status(c.decl) != Status::Supported;
        std::vector<DeclId> kids = c.supported_by;
        for (std::uint32_t s : res_.strategies_of[ci]) {
            kids.push_back(prog_.strategies[s].decl);
        }
        for (DeclId k : kids) {
            if (!failing || res_.status(k) != Status::Supported) {
                kids_.push_back(k); // shown one level deeper, after this element
            }
        }
    }

    /// The measurements of a requirement that is not met: those used and those rejected.
    void requirement_measurements(const sema::Requirement &req, const prove::RequirementResult &rr,
                                  int depth, ordered_json &out) {
        ordered_json j;
        j["requirement"] = std::string(sources_.text(req.span));
        j["status"] = prove::verdict_name(rr.status);
        j["measurements"] = ordered_json::array();
        line(depth, "measurements of " + req.metric + " under the claim:");
        auto show = [&](const prove::Measurement &m, const char *use) {
            const std::uint32_t ei = prog_.decl(m.evidence).index;
            const auto &metric = prog_.evidence[ei].metrics[m.metric];
            const std::string value = prove::measurement_text(prog_, res_, ei, m.metric);
            const std::string over(sources_.text(metric.over.span));
            line(depth + 2, prog_.qualified_name(m.evidence) + ": " + metric.name + " = " + value +
                                " over " + over + " (" + use + ")");
            ordered_json jm = {{"evidence", prog_.qualified_name(m.evidence)},
                               {"metric", metric.name},
                               {"value", value},
                               {"over", over},
                               {"use", use}};
            if (metric.read != sema::kNone) {
                const std::string from = prove::read_provenance(prog_, res_, metric.read);
                line(depth + 4, "read from " + from);
                jm["read_from"] = from;
            }
            j["measurements"].push_back(std::move(jm));
        };
        for (const auto &m : rr.used) {
            show(m, "used");
        }
        for (const auto &m : rr.rejected) {
            show(m, res_.status(m.evidence) == Status::Supported
                        ? "value does not satisfy the requirement"
                        : "evidence not valid");
        }
        if (rr.used.empty() && rr.rejected.empty()) {
            line(depth + 2, "none");
        }
        out.push_back(std::move(j));
    }

    void strategy(std::uint32_t si, int depth) {
        const auto &s = prog_.strategies[si];
        const auto &sr = res_.strategies[si];
        title(depth, s.title);
        std::string mode = mode_text(s);
        if (s.mode == sema::StrategyMode::AtLeast) {
            mode += " " + std::to_string(s.at_least);
        }
        if (json_) {
            cur_["mode"] = mode;
            cur_["justification"] =
                s.justification.empty() ? ordered_json(nullptr) : ordered_json(s.justification);
            cur_["steps"] = ordered_json::array();
        } else {
            line(depth, "mode: " + mode);
            if (!s.justification.empty()) {
                line(depth, "justification: " + s.justification);
            }
        }
        reasons(s.decl, depth);
        defeaters(s.decl, depth);
        step(depth, "the sub-claims' scopes cover the parent's", sr.cover);
        for (auto ob : sr.overlaps) {
            step(depth,
                 "the scopes of " + prove::overlap_pair(prog_, res_.obligations[ob]) +
                     " do not overlap",
                 ob);
        }
        step(depth, "the premises entail the parent's formal statement", sr.deductive);
        const bool failing = res_.status(s.decl) != Status::Supported;
        for (DeclId k : s.supported_by) {
            if (!failing || res_.status(k) != Status::Supported) {
                kids_.push_back(k); // shown one level deeper, after this element
            }
        }
    }

    void evidence(std::uint32_t ei, int depth) {
        const auto &e = prog_.evidence[ei];
        title(depth, e.title);
        const char *result = prove::evidence_result_text(prog_, res_, ei);
        if (json_) {
            cur_["result"] = result;
            cur_["date"] = e.date ? ordered_json(prove::format_date(*e.date)) : ordered_json();
            cur_["valid_until"] =
                e.valid_until ? ordered_json(prove::format_date(*e.valid_until)) : ordered_json();
            auto artifacts = ordered_json::array();
            for (DeclId a : e.artifacts) {
                const auto &check = res_.artifacts[prog_.decl(a).index];
                artifacts.push_back(
                    {{"name", prog_.qualified_name(a)},
                     {"path", check.path},
                     {"state", prove::artifact_state_name(check.state)},
                     {"sha256",
                      check.actual.empty() ? ordered_json() : ordered_json(check.actual)}});
            }
            cur_["artifacts"] = std::move(artifacts);
            auto reads = ordered_json::array();
            if (e.result_read != sema::kNone) {
                reads.push_back({{"for", "result"},
                                 {"from", prove::read_provenance(prog_, res_, e.result_read)}});
            }
            auto measured = ordered_json::array();
            for (std::uint32_t m = 0; m < e.metrics.size(); ++m) {
                const auto &metric = e.metrics[m];
                measured.push_back({{"metric", metric.name},
                                    {"value", prove::measurement_text(prog_, res_, ei, m)},
                                    {"over", std::string(sources_.text(metric.over.span))}});
                if (metric.read != sema::kNone) {
                    reads.push_back({{"for", "metric " + metric.name},
                                     {"from", prove::read_provenance(prog_, res_, metric.read)}});
                }
            }
            cur_["measurements"] = std::move(measured);
            cur_["reads"] = std::move(reads);
        } else {
            std::string facts = std::string("result: ") + result;
            if (e.date) {
                facts += "; dated " + prove::format_date(*e.date);
            }
            facts += e.valid_until ? "; valid until " + prove::format_date(*e.valid_until)
                                   : "; no expiry date";
            line(depth, facts);
            for (DeclId a : e.artifacts) {
                const auto &check = res_.artifacts[prog_.decl(a).index];
                line(depth, "artifact " + prog_.qualified_name(a) + " " + check.path + ": " +
                                prove::artifact_state_name(check.state) +
                                (check.actual.empty() ? "" : ", sha256 " + check.actual));
            }
            if (e.result_read != sema::kNone) {
                line(depth,
                     "result read from " + prove::read_provenance(prog_, res_, e.result_read));
            }
            for (std::uint32_t m = 0; m < e.metrics.size(); ++m) {
                const auto &metric = e.metrics[m];
                line(depth, "measured " + metric.name + " = " +
                                prove::measurement_text(prog_, res_, ei, m) + " over " +
                                std::string(sources_.text(metric.over.span)));
                if (metric.read != sema::kNone) {
                    line(depth + 2,
                         "read from " + prove::read_provenance(prog_, res_, metric.read));
                }
            }
        }
        defeaters(e.decl, depth);
        reasons(e.decl, depth);
    }

    const sema::Program &prog_;
    const prove::ProofResult &res_;
    ObSummaries summary_{res_};
    const support::SourceManager &sources_;
    bool json_;
    std::vector<prove::DefeaterAccount> accounts_;
    std::vector<std::vector<std::uint32_t>> attackers_;
    std::ostringstream out_;
    ordered_json elements_ = ordered_json::array();
    ordered_json cur_;
    std::set<std::uint32_t> shown_;
    std::vector<DeclId> kids_; // the element just shown's children, for `run` to visit
};

/// The text of the hazards and rules that bear on `claim`.
void bearing_text(const sema::Program &program, const prove::ProofResult &result,
                  const support::SourceManager &sources, DeclId claim, const Bearing &b,
                  std::ostream &out) {
    const std::string name = program.qualified_name(claim);
    if (b.hazards.empty() && b.rules.empty()) {
        out << "\nno hazard is rated against " << name << " and no rule bears on it\n";
        return;
    }
    out << "\nbearing on " << name << ":\n";
    for (std::uint32_t h : b.hazards) {
        const auto &risk = result.hazards[h];
        const auto &hz = program.hazards[h];
        out << "  hazard " << program.qualified_name(hz.decl) << " \"" << hz.title << "\"   ("
            << linked_location(sources, program.decl(hz.decl).name_span) << ")\n";
        if (std::find(risk.mitigations.begin(), risk.mitigations.end(), claim) !=
            risk.mitigations.end()) {
            out << "    " << name << " mitigates it ("
                << (std::find(risk.supported.begin(), risk.supported.end(), claim) !=
                            risk.supported.end()
                        ? "and counts: it is supported"
                        : "but does not count: it is not supported")
                << ")\n";
        }
        if (risk.rated && risk.level != sema::kNone) {
            const auto &mx = program.matrices[program.decl(hz.matrix).index];
            const auto &levels = program.scales[mx.levels].values;
            out << "    risk " << levels[risk.level];
            if (risk.residual != sema::kNone) {
                out << " before mitigation, " << levels[risk.residual]
                    << " after (likelihood lowered " << support::counted(risk.step, "step", "steps")
                    << " by "
                    << support::counted(risk.supported.size(), "supported mitigation",
                                        "supported mitigations")
                    << ")";
            }
            if (mx.accept) {
                out << "; accepted up to " << levels[*mx.accept];
            }
            out << "\n";
        } else {
            out << "    not rated on a risk matrix\n";
        }
        if (risk.findings.empty() && risk.rated) {
            out << "    ok: every demand of its risk level is met and its residual risk is "
                   "accepted\n";
        }
        for (const auto &f : risk.findings) {
            out << "    " << (f.status == Status::Unknown ? "? " : "x ") << f.text << "\n";
        }
    }
    for (std::uint32_t ri : b.rules) {
        const auto &rule = program.rules[ri];
        const auto &r = result.rules[ri];
        std::size_t against = 0;
        std::size_t open = 0;
        for (const auto &v : r.violations) {
            against += std::find(v.affected.begin(), v.affected.end(), claim) != v.affected.end();
        }
        for (const auto &v : r.undecided) {
            open += std::find(v.affected.begin(), v.affected.end(), claim) != v.affected.end();
        }
        out << "  rule " << program.qualified_name(rule.decl) << " \"" << rule.title << "\"   ("
            << linked_location(sources, program.decl(rule.decl).name_span) << ")\n";
        if (r.holds) {
            if (r.instances == 0) {
                out << "    holds (decided from the case's facts alone)\n";
            } else {
                out << "    holds (" << support::counted(r.instances, "instance", "instances")
                    << " decided by the solver)\n";
            }
        } else {
            out << "    " << (r.violations.empty() ? "undecided" : "violated") << ": "
                << support::counted(r.violations.size(), "violation", "violations") << ", "
                << support::counted(r.undecided.size(), "undecided instance",
                                    "undecided instances");
            if (against != 0) {
                out << "; " << support::counted(against, "violation fails", "violations fail")
                    << " " << name;
            }
            if (open != 0) {
                out << ", " << support::counted(open, "leaves", "leave") << " it unknown";
            }
            out << "\n";
            constexpr std::size_t kShown = 10;
            std::size_t shown = 0;
            for (const auto *list : {&r.violations, &r.undecided}) {
                for (const auto &v : *list) {
                    const bool mine = std::find(v.affected.begin(), v.affected.end(), claim) !=
                                          v.affected.end() ||
                                      std::any_of(v.bindings.begin(), v.bindings.end(),
                                                  [&](const prove::RuleBinding &x) {
                                                      return x.element == claim;
                                                  });
                    if (!mine || shown++ >= kShown) {
                        continue;
                    }
                    out << "    " << (list == &r.violations ? "x " : "? ")
                        << (v.bindings.empty() ? std::string("the rule as a whole")
                                               : bindings_text(program, sources, v))
                        << (v.unknown.empty() ? "" : " (" + v.unknown + ")");
                    if (!v.affected.empty()) {
                        out << (v.unknown.empty() ? "; fails " : "; leaves unknown ")
                            << support::join_elided(
                                   v.affected.size(),
                                   [&](std::size_t k) {
                                       return program.qualified_name(v.affected[k]);
                                   },
                                   ", ");
                    }
                    out << "\n";
                }
            }
            if (shown > kShown) {
                out << "    ... and " << shown - kShown
                    << " more (explain --format json lists them all)\n";
            }
        }
    }
}

} // namespace

std::string render_explain(const sema::Program &program, const prove::ProofResult &result,
                           const support::SourceManager &sources, const ProofMeta &meta,
                           DeclId claim) {
    Explainer explainer(program, result, sources, /*json=*/false);
    explainer.run(claim);
    std::ostringstream out;
    out << "judged at " << prove::format_date(result.date) << " (" << meta.date_source << ")\n\n"
        << explainer.text();
    bearing_text(program, result, sources, claim, bearing_on(program, result, claim), out);
    return out.str();
}

std::string render_explain_json(const sema::Program &program, const prove::ProofResult &result,
                                const support::SourceManager &sources, const ProofMeta &meta,
                                DeclId claim) {
    ordered_json root;
    put_run(root, "assure-explain", result, meta);
    root["claim"] = program.qualified_name(claim);
    root["verdict"] = prove::verdict_name(result.status(claim));
    root["top"] = std::find(result.top_claims.begin(), result.top_claims.end(), claim) !=
                  result.top_claims.end();
    Explainer explainer(program, result, sources, /*json=*/true);
    explainer.run(claim);
    explainer.finish();
    root["elements"] = explainer.take_elements();
    const Bearing b = bearing_on(program, result, claim);
    auto hazards = ordered_json::array();
    for (std::uint32_t h : b.hazards) {
        hazards.push_back(hazard_json(program, result, sources, h));
    }
    root["hazards"] = std::move(hazards);
    auto rules = ordered_json::array();
    for (std::uint32_t ri : b.rules) {
        rules.push_back(rule_json(program, result, sources, ri));
    }
    root["rules"] = std::move(rules);
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace assure::report
