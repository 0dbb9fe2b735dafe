// SPDX-License-Identifier: Apache-2.0
// `assure explain`: the proof tree of a claim.
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

class Explainer {
  public:
    Explainer(const sema::Program &p, const prove::ProofResult &r, const support::SourceManager &s)
        : prog_(p), res_(r), sources_(s) {}

    /// Depth-first, with an explicit stack: an argument a million claims deep is a million
    /// entries here, not a million stack frames.
    std::string run(DeclId claim) {
        std::vector<std::pair<DeclId, int>> stack{{claim, 0}};
        while (!stack.empty()) {
            const auto [d, depth] = stack.back();
            stack.pop_back();
            node(d, depth);
            // Children were queued in the order the tree shows them.
            for (auto k = kids_.rbegin(); k != kids_.rend(); ++k) {
                stack.emplace_back(*k, depth + 1);
            }
            kids_.clear();
        }
        return out_.str();
    }

  private:
    /// Levels from this one down are not indented further (a line stays bounded however deep
    /// the argument); the first line of each element there starts with `[depth N]` instead.
    static constexpr int kMaxIndent = 32;

    void line(int depth, const std::string &text) {
        out_ << std::string(static_cast<std::size_t>(std::min(depth, kMaxIndent)) * 2, ' ') << text
             << "\n";
    }

    void reasons(DeclId d, int depth) {
        for (const auto &r : res_.elements[d.value].reasons) {
            std::string text = "x " + r.text;
            if (r.obligation != sema::kNone) {
                text += " (" + ob_summary(res_, r.obligation) + ")";
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

    void proved(int depth, const std::string &what, std::uint32_t ob) {
        if (ob == sema::kNone || !step_holds(res_, ob)) {
            return;
        }
        std::string text = "ok " + what + " (" + ob_summary(res_, ob) + ")";
        line(depth, text);
        for (std::size_t k : res_.outcome(ob).core) {
            if (k < res_.obligations[ob].notes.size()) {
                line(depth + 2, "from " + prove::obligation_note(prog_, sources_, res_, ob, k));
            }
        }
    }

    void node(DeclId d, int depth) {
        const sema::Decl &decl = prog_.decl(d);
        const Status st = res_.status(d);
        std::string head = std::string(sema::kind_name(decl.kind)) + " " + prog_.qualified_name(d) +
                           ": " + element_status(decl.kind, st) + "   (" +
                           linked_location(sources_, decl.name_span) + ")";
        if (depth >= kMaxIndent) {
            head = "[depth " + std::to_string(depth) + "] " + head;
        }
        if (!shown_.insert(d.value).second) {
            line(depth, head + ", shown above");
            return;
        }
        line(depth, head);
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

    void claim(std::uint32_t ci, int depth) {
        const auto &c = prog_.claims[ci];
        const auto &cr = res_.claims[ci];
        line(depth, "\"" + c.title + "\"");
        if (c.scope) {
            line(depth, "scope: " + std::string(sources_.text(c.scope->span)));
        }
        for (std::uint32_t a : res_.assumptions_of[c.decl.value]) {
            line(depth, "assumption " + prog_.qualified_name(prog_.attachments[a].decl) + ": " +
                            prog_.attachments[a].title);
        }
        const std::string relied = prove::relied_assumptions_text(prog_, sources_, res_, c.decl);
        if (!relied.empty()) {
            line(depth, "rests on the assumptions " + relied +
                            " (a logical step above counts the claim only where they hold)");
        }
        reasons(c.decl, depth);
        if (c.undeveloped) {
            return;
        }
        proved(depth, "the scope has an operating point", cr.vacuity);
        for (std::uint32_t r = 0; r < c.requirements.size(); ++r) {
            const auto &req = c.requirements[r];
            const auto &rr = cr.requirements[r];
            if (rr.status != Status::Supported) {
                line(depth, "measurements of " + req.metric + " under the claim:");
                auto show = [&](const prove::Measurement &m, const char *use) {
                    const std::uint32_t ei = prog_.decl(m.evidence).index;
                    const auto &metric = prog_.evidence[ei].metrics[m.metric];
                    line(depth + 2, prog_.qualified_name(m.evidence) + ": " + metric.name + " = " +
                                        prove::measurement_text(prog_, res_, ei, m.metric) +
                                        " over " + std::string(sources_.text(metric.over.span)) +
                                        " (" + use + ")");
                    if (metric.read != sema::kNone) {
                        line(depth + 4,
                             "read from " + prove::read_provenance(prog_, res_, metric.read));
                    }
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
                continue;
            }
            proved(depth,
                   "requirement " + std::string(sources_.text(req.span)) +
                       " met over the whole scope",
                   rr.obligation);
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

    void strategy(std::uint32_t si, int depth) {
        const auto &s = prog_.strategies[si];
        const auto &sr = res_.strategies[si];
        line(depth, "\"" + s.title + "\"");
        static const char *const kModes[] = {"all_of", "any_of", "at_least", "deductive"};
        std::string mode = kModes[static_cast<int>(s.mode)];
        if (s.mode == sema::StrategyMode::AtLeast) {
            mode += " " + std::to_string(s.at_least);
        }
        line(depth, "mode: " + mode);
        if (!s.justification.empty()) {
            line(depth, "justification: " + s.justification);
        }
        reasons(s.decl, depth);
        proved(depth, "the sub-claims' scopes cover the parent's scope", sr.cover);
        for (auto ob : sr.overlaps) {
            proved(depth, "no overlap", ob);
        }
        proved(depth, "the premises entail the parent's formal statement", sr.deductive);
        const bool failing = res_.status(s.decl) != Status::Supported;
        for (DeclId k : s.supported_by) {
            if (!failing || res_.status(k) != Status::Supported) {
                kids_.push_back(k); // shown one level deeper, after this element
            }
        }
    }

    void evidence(std::uint32_t ei, int depth) {
        const auto &e = prog_.evidence[ei];
        line(depth, "\"" + e.title + "\"");
        std::string facts = std::string("result: ") + prove::evidence_result_text(prog_, res_, ei);
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
            line(depth, "result read from " + prove::read_provenance(prog_, res_, e.result_read));
        }
        for (std::uint32_t m = 0; m < e.metrics.size(); ++m) {
            const auto &metric = e.metrics[m];
            line(depth, "measured " + metric.name + " = " +
                            prove::measurement_text(prog_, res_, ei, m) + " over " +
                            std::string(sources_.text(metric.over.span)));
            if (metric.read != sema::kNone) {
                line(depth + 2, "read from " + prove::read_provenance(prog_, res_, metric.read));
            }
        }
        for (std::uint32_t di = 0; di < prog_.defeaters.size(); ++di) {
            const auto &df = prog_.defeaters[di];
            if (df.target == e.decl) {
                line(depth, "defeater " + prog_.qualified_name(df.decl) + " (" +
                                prove::activity_name(res_.defeaters[di]) + "): " + df.title);
            }
        }
        reasons(e.decl, depth);
    }

    const sema::Program &prog_;
    const prove::ProofResult &res_;
    const support::SourceManager &sources_;
    std::ostringstream out_;
    std::set<std::uint32_t> shown_;
    std::vector<DeclId> kids_; // the element just shown's children, for `run` to visit
};

} // namespace

std::string render_explain(const sema::Program &program, const prove::ProofResult &result,
                           const support::SourceManager &sources, DeclId claim) {
    return Explainer(program, result, sources).run(claim);
}

} // namespace assure::report
