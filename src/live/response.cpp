// SPDX-License-Identifier: Apache-2.0
#include "live/response.hpp"

#include "history/diff.hpp"

#include <nlohmann/json.hpp>

namespace assure::live {
namespace {

using ordered = nlohmann::ordered_json;

ordered top_claims(const history::Run &run) {
    ordered out = ordered::array();
    for (const auto &c : run.claims) {
        if (c.top) {
            out.push_back({{"name", c.name}, {"verdict", c.verdict}});
        }
    }
    return out;
}

ordered changes(const history::Run &before, const history::Run &after) {
    ordered out = ordered::array();
    for (const history::Change &c : history::diff_runs(before, after)) {
        out.push_back(
            {{"kind", c.kind}, {"name", c.name}, {"from", c.from}, {"to", c.to}, {"why", c.why}});
    }
    return out;
}

std::size_t count_top(const history::Run &run, bool supported_only) {
    std::size_t n = 0;
    for (const auto &c : run.claims) {
        n += c.top && (!supported_only || c.verdict == "supported") ? 1 : 0;
    }
    return n;
}

} // namespace

std::string posted_json(const Posted &p) {
    ordered j;
    j["format"] = "assure-event";
    j["version"] = 1;
    j["event"] = p.event_seq;
    j["run"] = p.run_seq == 0 ? ordered(nullptr) : ordered(p.run_seq);
    j["specs"] = p.specs;
    const history::Run &run = p.snapshot->run;
    j["case_digest"] = run.case_digest;
    j["judged_at"] = run.judged_at;
    j["result"] = run.result;
    j["exit_code"] = run.exit_code;
    j["top_claims"] = top_claims(run);
    j["changes"] = p.before ? changes(p.before->run, run) : ordered::array();
    return j.dump(2) + "\n";
}

std::string posted_text(const Posted &p) {
    const history::Run &run = p.snapshot->run;
    std::string out = "assure event: recorded event " + std::to_string(p.event_seq);
    for (const auto &s : p.specs) {
        out += " " + s;
    }
    out += "\n";
    out += p.run_seq != 0 ? "re-judged as run " + std::to_string(p.run_seq)
                          : std::string("re-judged (the run could not be recorded)");
    out += " at " + run.judged_at + ": " + run.result + ", top claims supported " +
           std::to_string(count_top(run, true)) + "/" + std::to_string(count_top(run, false)) +
           "\n";
    if (p.before) {
        for (const history::Change &c : history::diff_runs(p.before->run, run)) {
            out += "  " + c.kind + ": " + c.name + " (" + c.from + " -> " + c.to + ")\n";
            for (const auto &why : c.why) {
                out += "    why: " + why + "\n";
            }
        }
    }
    return out;
}

std::string refusal_json(const Refusal &r, const std::vector<std::string> &specs) {
    ordered j;
    j["format"] = "assure-error";
    j["version"] = 1;
    j["status"] = r.status;
    j["code"] = std::string(support::info(r.code).id);
    j["message"] = r.message;
    if (r.spec) {
        j["spec"] = *r.spec;
        j["spec_text"] = *r.spec < specs.size() ? specs[*r.spec] : std::string();
        j["offset"] = r.where.offset;
        j["length"] = r.where.length;
    }
    return j.dump(2) + "\n";
}

std::string status_json(const Snapshot &snap) {
    const history::Run &run = snap.run;
    ordered j;
    j["format"] = "assure-status";
    j["version"] = 1;
    j["case_digest"] = run.case_digest;
    j["git_commit"] = run.git_commit;
    j["judged_at"] = run.judged_at;
    j["result"] = run.result;
    j["exit_code"] = run.exit_code;
    j["run"] = snap.run_seq;
    j["last_entry"] = snap.last_seq;
    j["events_since_start"] = snap.events;
    j["top_claims"] = top_claims(run);
    std::size_t supported = 0;
    for (const auto &c : run.claims) {
        supported += c.verdict == "supported" ? 1 : 0;
    }
    std::size_t valid = 0;
    for (const auto &e : run.evidence) {
        valid += e.status == "valid" ? 1 : 0;
    }
    j["claims"] = {{"supported", supported}, {"total", run.claims.size()}};
    j["evidence"] = {{"valid", valid}, {"total", run.evidence.size()}};
    ordered invalid = ordered::array();
    for (const auto &e : run.evidence) {
        if (e.status != "valid") {
            invalid.push_back({{"name", e.name}, {"status", e.status}, {"reasons", e.reasons}});
        }
    }
    j["evidence_not_valid"] = invalid;
    ordered findings = ordered::array();
    for (const auto &f : run.findings) {
        findings.push_back(
            {{"kind", f.kind}, {"subject", f.subject}, {"element", f.element}, {"text", f.text}});
    }
    j["findings"] = findings;
    return j.dump(2) + "\n";
}

std::string claim_json(const Snapshot &snap, const std::string &name) {
    const sema::Program &prog = *snap.version->program;
    std::string why;
    const auto decl = prove::find_decl(prog, name, sema::DeclKind::Claim, why);
    if (!decl) {
        return {};
    }
    const std::string qualified = prog.qualified_name(*decl);
    ordered j;
    j["format"] = "assure-claim";
    j["version"] = 1;
    j["name"] = qualified;
    for (const auto &c : snap.run.claims) {
        if (c.name == qualified) {
            j["top"] = c.top;
            j["verdict"] = c.verdict;
        }
    }
    j["judged_at"] = snap.run.judged_at;
    ordered causes = ordered::array();
    for (const auto &f : snap.run.findings) {
        if (f.kind == "root_cause" && f.subject == qualified) {
            causes.push_back({{"element", f.element}, {"text", f.text}});
        }
    }
    j["root_causes"] = causes;
    return j.dump(2) + "\n";
}

} // namespace assure::live
