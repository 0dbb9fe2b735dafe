// SPDX-License-Identifier: Apache-2.0
#include "report/impact.hpp"

#include "support/text.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

namespace assure::report {

using impact::Impact;
using impact::Plan;
using nlohmann::ordered_json;
using prove::Status;
using sema::DeclId;

namespace {

std::string cost_text(const support::Decimal &v) {
    return v.to_string();
}

/// "G_safe <- S_env <- G_fog <- E_fog", the middle of a long chain left out.
std::string chain_text(const sema::Program &program, const impact::FailureChains::Ends &chain) {
    std::string s;
    for (DeclId d : chain.head) {
        s += (s.empty() ? "" : " <- ") + program.qualified_name(d);
    }
    if (chain.omitted != 0) {
        s += " <- ... " + std::to_string(chain.omitted) + " more ...";
    }
    for (DeclId d : chain.tail) {
        s += " <- " + program.qualified_name(d);
    }
    return s;
}

/// "reason; reason" of an element's local reasons in `result`.
std::string reasons_text(const prove::ProofResult &result, DeclId d) {
    std::string s;
    for (const auto &r : result.elements[d.value].reasons) {
        s += (s.empty() ? "" : "; ") + r.text;
    }
    return s;
}

const char *plan_state(const Plan &p) {
    switch (p.state) {
    case Plan::State::None:
        return "none";
    case Plan::State::Found:
        return "found";
    case Plan::State::Infeasible:
        return "infeasible";
    case Plan::State::Unknown:
        return "unknown";
    }
    return "?";
}

} // namespace

int impact_exit_code(const Impact &result) {
    // The gate contract (docs/impact.md): anything lost fails it; losses only to unknown
    // leave it undecided.
    bool definite = false;
    for (DeclId c : result.lost) {
        definite = definite || result.after.status(c) != Status::Unknown;
    }
    for (DeclId e : result.invalidated_relied) {
        definite = definite || result.after.status(e) != Status::Unknown;
    }
    if (definite) {
        return 5;
    }
    return result.lost.empty() && result.invalidated_relied.empty() ? 0 : 3;
}

std::string render_impact_text(const sema::Program &program, const Impact &result,
                               const ImpactInput &input, const support::SourceManager &sources,
                               const ProofMeta &meta) {
    std::string out = "assure impact: ";
    if (!input.since.empty()) {
        out += std::to_string(input.detected.size()) + " change" +
               (input.detected.size() == 1 ? "" : "s") + " since " + input.since;
        out += input.changes.empty() ? "" : ", and ";
    }
    if (!input.changes.empty() || input.since.empty()) {
        out += std::to_string(input.changes.size()) + " hypothetical change" +
               (input.changes.size() == 1 ? "" : "s");
    }
    out += ", date used " + prove::format_date(result.after.date) + " (" + meta.date_source + ")\n";
    for (const auto &c : input.detected) {
        out += "  " + impact::describe(c) + "\n";
    }
    for (const auto &c : input.changes) {
        out += "  " + c.spec + "\n";
        if (!c.was.empty()) {
            out += "    was: " + c.was + "\n";
        }
    }
    auto at = [&](DeclId d) { return linked_location(sources, program.decl(d).name_span); };

    out += "\ndirectly invalidated evidence (" + std::to_string(result.invalidated.size()) + ", " +
           std::to_string(result.invalidated_relied.size()) + " of them relied on)\n";
    for (DeclId e : result.invalidated) {
        const bool relied = std::binary_search(result.invalidated_relied.begin(),
                                               result.invalidated_relied.end(), e);
        out += "  " + at(e) + ": " + program.qualified_name(e) + ": " +
               reasons_text(result.after, e) + (relied ? "" : " (nothing relies on it)") + "\n";
    }

    out += "\nclaims that lose support (" + std::to_string(result.lost.size()) + ", " +
           std::to_string(result.lost_top.size()) +
           (result.lost_top.size() == 1 ? " of them a top claim)\n" : " of them top claims)\n");
    impact::FailureChains chains(program, result.after);
    for (DeclId c : result.lost_top) {
        out += "  top " + program.qualified_name(c) + " is now " +
               prove::verdict_name(result.after.status(c)) + ": " +
               chain_text(program, chains.ends(c)) + "\n";
    }
    constexpr std::size_t kShown = 60; // the JSON lists every one
    std::size_t shown = 0;
    const std::set<DeclId> lost_top(result.lost_top.begin(), result.lost_top.end());
    for (DeclId c : result.lost) {
        if (lost_top.count(c) == 0 && shown++ < kShown) {
            out += "      " + program.qualified_name(c) + " is now " +
                   prove::verdict_name(result.after.status(c)) + "\n";
        }
    }
    if (shown > kShown) {
        out += "      ... and " + std::to_string(shown - kShown) +
               " more (--format json lists them all)\n";
    }

    const Plan &p = result.plan;
    if (!result.lost.empty() || !result.invalidated_relied.empty()) {
        out += "\nminimum re-verification set: ";
        switch (p.state) {
        case Plan::State::Found:
            out += std::string(p.optimal ? "proved minimal" : "NOT proved minimal") +
                   ", total cost " + cost_text(p.cost) + ", " + std::to_string(p.evidence.size()) +
                   " item" + (p.evidence.size() == 1 ? "" : "s") + "\n";
            for (DeclId e : p.evidence) {
                out += "  " + at(e) + ": " + program.qualified_name(e) + "  (cost " +
                       cost_text(impact::cost_of(program, e)) + ")\n";
            }
            out += "  re-proved: with exactly these passing again, every restorable lost claim "
                   "is supported and every restorable relied-on piece of evidence valid\n";
            if (!p.note.empty()) {
                out += "  note: " + p.note + "\n";
            }
            break;
        case Plan::State::None:
        case Plan::State::Infeasible:
        case Plan::State::Unknown:
            out += (p.state == Plan::State::None ? std::string("nothing to re-verify")
                                                 : std::string(plan_state(p))) +
                   (p.note.empty() ? "" : " (" + p.note + ")") + "\n";
            break;
        }
        out += "\ncannot be restored by re-verification (" +
               std::to_string(result.unrestorable.size()) + ")\n";
        // Top claims and evidence with their root causes; the claims below them by name (their
        // causes are among those shown; the JSON has each one's).
        std::vector<DeclId> below;
        for (DeclId c : result.unrestorable) {
            if (program.decl(c).kind == sema::DeclKind::Claim && lost_top.count(c) == 0) {
                below.push_back(c);
                continue;
            }
            out += "  " + program.qualified_name(c) + ":\n";
            const auto causes = prove::root_causes(program, result.restored, c);
            for (std::size_t k = 0; k < causes.size(); ++k) {
                if (!support::shown_whole(causes.size()) && k == support::kElideKeep) {
                    out += "    ... " + std::to_string(causes.size() - 2 * support::kElideKeep) +
                           " more root causes ...\n";
                    k = causes.size() - support::kElideKeep - 1;
                    continue;
                }
                const auto &rc = causes[k];
                out += "    " + at(rc.element) + ": " + program.qualified_name(rc.element) + ": " +
                       rc.reason->text + "\n";
            }
        }
        if (!below.empty()) {
            out += "  and " + std::to_string(below.size()) +
                   (below.size() == 1 ? " claim" : " claims") + " below them:";
            for (std::size_t k = 0; k < below.size() && k < kShown; ++k) {
                out += (k == 0 ? " " : ", ") + program.qualified_name(below[k]);
            }
            out += below.size() > kShown ? ", ... (--format json lists them all)\n" : "\n";
        }
        if (!result.undecided.empty()) {
            out += "\nwhether these can be restored is undecided (" +
                   std::to_string(result.undecided.size()) + "; the note above says why)\n";
            for (DeclId c : result.undecided) {
                out += "  " + program.qualified_name(c) + "\n";
            }
        }
        out += "\nevidence under the lost claims still valid, reusable as is (" +
               std::to_string(result.reusable.size()) + ")\n";
        // A retrained model can leave tens of thousands reusable: the text names the first
        // ones, the JSON all.
        std::string line = " ";
        for (std::size_t k = 0; k < result.reusable.size() && k < kShown; ++k) {
            const DeclId e = result.reusable[k];
            const std::string name = " " + program.qualified_name(e);
            if (line.size() + name.size() > 100) {
                out += line + "\n";
                line = " ";
            }
            line += name;
        }
        if (line.size() > 1) {
            out += line + "\n";
        }
        if (result.reusable.size() > kShown) {
            out += "  ... and " + std::to_string(result.reusable.size() - kShown) +
                   " more (--format json lists them all)\n";
        }
    }
    const std::size_t tops = result.after.top_claims.size();
    out += "\nsummary: " + std::to_string(result.lost_top.size()) + " of " +
           support::counted(tops, "top claim", "top claims") +
           (result.lost_top.size() == 1 ? " loses" : " lose") + " support, " +
           support::counted(result.lost.size(), "claim", "claims") + " in all, " +
           std::to_string(result.invalidated_relied.size()) + " relied-on " +
           (result.invalidated_relied.size() == 1 ? "piece" : "pieces") +
           " of evidence invalidated";
    if (p.state == Plan::State::Found) {
        out += "; re-verifying " + support::counted(p.evidence.size(), "piece", "pieces") +
               " of evidence (cost " + cost_text(p.cost) + ") restores " +
               std::to_string(result.restorable.size()) + " of them";
    }
    if (!result.unrestorable.empty()) {
        out += "; " + std::to_string(result.unrestorable.size()) + " cannot be restored";
    }
    out += "\n";
    return out;
}

std::string render_impact_json(const sema::Program &program, const Impact &result,
                               const ImpactInput &input, const support::SourceManager &sources,
                               const ProofMeta &meta) {
    ordered_json root;
    root["format"] = "assure-impact";
    root["version"] = 2;
    root["assure"] = meta.assure_version;
    root["z3"] = meta.z3_version;
    root["date"] = prove::format_date(result.after.date);
    root["exit_code"] = impact_exit_code(result);
    auto names = [&](const std::vector<DeclId> &ds) {
        auto a = ordered_json::array();
        for (DeclId d : ds) {
            a.push_back(program.qualified_name(d));
        }
        return a;
    };
    auto cs = ordered_json::array();
    for (const auto &c : input.changes) {
        cs.push_back(c.spec);
    }
    root["changes"] = std::move(cs);
    auto was = ordered_json::object();
    for (const auto &c : input.changes) {
        if (!c.was.empty()) {
            was[c.spec] = c.was;
        }
    }
    root["replaced_text"] = std::move(was);
    if (!input.since.empty()) {
        ordered_json since;
        since["lockfile"] = input.since;
        auto items = ordered_json::array();
        for (const auto &c : input.detected) {
            static const char *kWhat[] = {"file", "artifact", "declaration", "expiry"};
            static const char *kHow[] = {"added", "removed", "changed"};
            ordered_json item{{"what", kWhat[static_cast<int>(c.what)]},
                              {"how", kHow[static_cast<int>(c.how)]},
                              {"name", c.name}};
            if (!c.kind.empty()) {
                item["kind"] = c.kind;
            }
            if (c.what == impact::LockChange::What::File ||
                c.what == impact::LockChange::What::Artifact) {
                item["sha256_then"] =
                    c.before.empty() ? ordered_json(nullptr) : ordered_json(c.before);
                item["sha256_now"] =
                    c.after.empty() ? ordered_json(nullptr) : ordered_json(c.after);
            }
            item["text"] = impact::describe(c);
            items.push_back(std::move(item));
        }
        since["changes"] = std::move(items);
        root["since"] = std::move(since);
    }
    auto inv = ordered_json::array();
    for (DeclId e : result.invalidated) {
        inv.push_back({{"evidence", program.qualified_name(e)},
                       {"reasons", reasons_text(result.after, e)},
                       {"at", location(sources, program.decl(e).name_span)}});
    }
    root["invalidated"] = std::move(inv);
    root["invalidated_relied"] = names(result.invalidated_relied);
    auto lost = ordered_json::array();
    impact::FailureChains chains(program, result.after);
    const std::set<DeclId> lost_top(result.lost_top.begin(), result.lost_top.end());
    for (DeclId c : result.lost) {
        const auto chain = chains.ends(c);
        auto shown = names(chain.head);
        for (DeclId d : chain.tail) {
            shown.push_back(program.qualified_name(d));
        }
        lost.push_back({{"claim", program.qualified_name(c)},
                        {"top", lost_top.count(c) != 0},
                        {"verdict", prove::verdict_name(result.after.status(c))},
                        {"chain", std::move(shown)},
                        {"chain_omitted", chain.omitted}});
    }
    root["lost"] = std::move(lost);
    const Plan &p = result.plan;
    ordered_json plan;
    plan["state"] = plan_state(p);
    auto items = ordered_json::array();
    for (DeclId e : p.evidence) {
        items.push_back({{"evidence", program.qualified_name(e)},
                         {"cost", impact::cost_of(program, e).to_string()}});
    }
    plan["evidence"] = std::move(items);
    plan["cost"] = p.cost.to_string();
    plan["optimal"] = p.optimal;
    plan["verified"] = p.verified;
    plan["note"] = p.note;
    root["plan"] = std::move(plan);
    auto unr = ordered_json::array();
    {
        // Top claims and evidence get every root cause (a walk below each); the claims below
        // them the causes where their failure chain ends, so that a long chain of lost claims
        // costs linear time, not a walk per claim.
        impact::FailureChains restored_chains(program, result.restored);
        auto cause = [&](DeclId element, const prove::Reason &r) {
            return ordered_json{{"element", program.qualified_name(element)},
                                {"kind", prove::reason_name(r.kind)},
                                {"text", r.text}};
        };
        for (DeclId c : result.unrestorable) {
            auto causes = ordered_json::array();
            if (program.decl(c).kind == sema::DeclKind::Claim && lost_top.count(c) == 0) {
                const auto ends = restored_chains.ends(c);
                const DeclId last = ends.tail.empty() ? ends.head.back() : ends.tail.back();
                for (const auto &r : result.restored.elements[last.value].reasons) {
                    if (!r.derived) {
                        causes.push_back(cause(last, r));
                    }
                }
            } else {
                for (const auto &rc : prove::root_causes(program, result.restored, c)) {
                    causes.push_back(cause(rc.element, *rc.reason));
                }
            }
            unr.push_back({{"claim", program.qualified_name(c)},
                           {"kind", sema::kind_name(program.decl(c).kind)},
                           {"root_causes", std::move(causes)}});
        }
    }
    root["restorable"] = names(result.restorable);
    root["unrestorable"] = std::move(unr);
    root["undecided"] = names(result.undecided);
    root["reusable"] = names(result.reusable);
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace assure::report
