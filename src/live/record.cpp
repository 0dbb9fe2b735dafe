// SPDX-License-Identifier: Apache-2.0
#include "live/record.hpp"

#include "prove/defeaters.hpp"
#include "support/sha256.hpp"

#include <unordered_set>

namespace assure::live {
namespace {

std::string reason_text(const prove::Reason &r) {
    return std::string(prove::reason_name(r.kind)) + ": " + r.text;
}

bool same_reasons(const prove::ElementResult &a, const prove::ElementResult &b) {
    if (a.status != b.status || a.reasons.size() != b.reasons.size()) {
        return false;
    }
    for (std::size_t k = 0; k < a.reasons.size(); ++k) {
        if (a.reasons[k].kind != b.reasons[k].kind || a.reasons[k].text != b.reasons[k].text) {
            return false;
        }
    }
    return true;
}

std::string date_text(const std::optional<sema::Date> &d) {
    return d ? prove::format_date(*d) : std::string();
}

std::string joined_names(const sema::Program &program, const std::vector<sema::DeclId> &ids) {
    std::string out;
    for (const sema::DeclId d : ids) {
        out += (out.empty() ? "" : ", ") + program.qualified_name(d);
    }
    return out;
}

std::string bindings_text(const sema::Program &program, const prove::RuleViolation &v) {
    std::string out;
    for (const auto &b : v.bindings) {
        out += (out.empty() ? "" : ", ") + b.var + " = " + program.qualified_name(b.element);
    }
    return out;
}

} // namespace

std::vector<history::CaseFile> case_files(const support::SourceManager &sources,
                                          std::vector<std::string> *disk_paths) {
    std::vector<history::CaseFile> files;
    for (support::FileId f = 0; f < sources.size(); ++f) {
        if (sources.origin(f) == support::Origin::User && !sources.expansion(f) &&
            !sources.disk_path(f).empty()) {
            files.push_back({sources.display_name(f), support::sha256_hex(sources.raw_text(f))});
            if (disk_paths != nullptr) {
                disk_paths->push_back(sources.disk_path(f));
            }
        }
    }
    return files;
}

history::Run make_run(const sema::Program &program, const prove::ProofResult &result,
                      const report::ProofMeta &meta, std::vector<history::CaseFile> files,
                      const PreviousRun *previous) {
    history::Run run;
    run.files = std::move(files);
    run.case_digest = history::case_digest(run.files);
    run.judged_at = prove::format_date(result.date);
    run.assure_version = meta.assure_version;
    run.z3_version = meta.z3_version;
    run.exit_code = report::proof_exit_code(result);
    run.result = run.exit_code == 0   ? "supported"
                 : run.exit_code == 5 ? "not_supported"
                                      : "unknown";
    // A previous run of this program: same declarations, so records align by index.
    const bool aligned = previous != nullptr &&
                         previous->run.claims.size() == program.claims.size() &&
                         previous->run.evidence.size() == program.evidence.size() &&
                         previous->run.artifacts.size() == program.artifacts.size() &&
                         previous->run.defeaters.size() == program.defeaters.size() &&
                         previous->result.elements.size() == result.elements.size();

    run.artifacts.reserve(program.artifacts.size());
    for (std::uint32_t ai = 0; ai < program.artifacts.size(); ++ai) {
        const prove::ArtifactCheck &c = result.artifacts[ai];
        if (aligned) {
            const prove::ArtifactCheck &was = previous->result.artifacts[ai];
            if (was.state == c.state && was.actual == c.actual && was.path == c.path) {
                run.artifacts.push_back(previous->run.artifacts[ai]);
                continue;
            }
        }
        run.artifacts.push_back({program.qualified_name(program.artifacts[ai].decl), c.path,
                                 c.actual, prove::artifact_state_name(c.state)});
    }

    std::unordered_set<std::uint32_t> top;
    for (const sema::DeclId c : result.top_claims) {
        top.insert(c.value);
    }
    run.claims.reserve(program.claims.size());
    for (std::uint32_t ci = 0; ci < program.claims.size(); ++ci) {
        const sema::DeclId d = program.claims[ci].decl;
        const bool is_top = top.count(d.value) != 0;
        if (aligned && previous->result.status(d) == result.status(d) &&
            previous->run.claims[ci].top == is_top) {
            run.claims.push_back(previous->run.claims[ci]);
            continue;
        }
        run.claims.push_back(
            {program.qualified_name(d), is_top, prove::verdict_name(result.status(d))});
    }

    const prove::Overrides &ov = result.overrides;
    run.evidence.reserve(program.evidence.size());
    for (std::uint32_t ei = 0; ei < program.evidence.size(); ++ei) {
        const sema::EvidenceInfo &ev = program.evidence[ei];
        const auto until = ov.valid_until.find(ei);
        std::string valid_until = until != ov.valid_until.end() ? prove::format_date(until->second)
                                                                : date_text(ev.valid_until);
        std::string dated = date_text(prove::evidence_date(program, ov, ei));
        const prove::ElementResult &r = result.elements[ev.decl.value];
        if (aligned && same_reasons(previous->result.elements[ev.decl.value], r) &&
            previous->run.evidence[ei].valid_until == valid_until &&
            previous->run.evidence[ei].date == dated) {
            run.evidence.push_back(previous->run.evidence[ei]);
            continue;
        }
        history::EvidenceRecord rec{program.qualified_name(ev.decl),
                                    prove::evidence_status_name(r.status),
                                    {},
                                    std::move(valid_until),
                                    std::move(dated)};
        for (const prove::Reason &reason : r.reasons) {
            rec.reasons.push_back(reason_text(reason));
        }
        run.evidence.push_back(std::move(rec));
    }

    const auto accounts = prove::defeater_accounts(program, result);
    run.defeaters.reserve(program.defeaters.size());
    for (std::uint32_t di = 0; di < program.defeaters.size(); ++di) {
        const auto &df = program.defeaters[di];
        const std::string status = prove::defeater_status_name(accounts[di].status);
        const bool active = result.defeaters[di] == prove::Activity::Active;
        if (aligned && previous->run.defeaters[di].status == status &&
            previous->run.defeaters[di].active == active) {
            run.defeaters.push_back(previous->run.defeaters[di]);
            continue;
        }
        run.defeaters.push_back(
            {program.qualified_name(df.decl),
             df.target.valid() ? program.qualified_name(df.target) : std::string(), status,
             active});
    }

    for (const sema::DeclId t : result.top_claims) {
        if (result.status(t) == prove::Status::Supported) {
            continue;
        }
        const std::string name = program.qualified_name(t);
        for (const auto &rc : prove::root_causes(program, result, t)) {
            run.findings.push_back(
                {"root_cause", name, program.qualified_name(rc.element), reason_text(*rc.reason)});
        }
    }
    for (std::uint32_t ri = 0; ri < result.rules.size(); ++ri) {
        const std::string name = program.qualified_name(program.rules[ri].decl);
        for (const auto &v : result.rules[ri].violations) {
            run.findings.push_back({"rule_violation", name, "",
                                    "violated for " + bindings_text(program, v) + "; fails " +
                                        joined_names(program, v.affected)});
        }
        for (const auto &v : result.rules[ri].undecided) {
            run.findings.push_back({"rule_undecided", name, "",
                                    "undecided for " + bindings_text(program, v) + " (" +
                                        v.unknown + "); fails " +
                                        joined_names(program, v.affected)});
        }
    }
    for (std::uint32_t h = 0; h < result.hazards.size(); ++h) {
        const std::string name = program.qualified_name(program.hazards[h].decl);
        for (const auto &f : result.hazards[h].findings) {
            const char *kind = f.kind == prove::RiskFinding::Kind::DemandUnmet ? "risk_demand_unmet"
                                                                               : "residual_risk";
            run.findings.push_back(
                {"risk", name, f.claim.valid() ? program.qualified_name(f.claim) : std::string(),
                 std::string(kind) + " (" + prove::verdict_name(f.status) + "): " + f.text});
        }
    }
    return run;
}

} // namespace assure::live
