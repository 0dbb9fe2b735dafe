// SPDX-License-Identifier: Apache-2.0
#include "history/render.hpp"

#include "history/diff.hpp"

#include <nlohmann/json.hpp>
#include <sstream>

namespace assure::history {
namespace {

using ordered = nlohmann::ordered_json;

struct Tally {
    std::size_t top = 0, top_supported = 0, claims = 0, supported = 0;
    std::size_t evidence = 0, valid = 0;
};

Tally tally(const Run &r) {
    Tally t;
    for (const auto &c : r.claims) {
        ++t.claims;
        t.supported += c.verdict == "supported" ? 1 : 0;
        if (c.top) {
            ++t.top;
            t.top_supported += c.verdict == "supported" ? 1 : 0;
        }
    }
    for (const auto &e : r.evidence) {
        ++t.evidence;
        t.valid += e.status == "valid" ? 1 : 0;
    }
    return t;
}

const char *change_words(const std::string &kind) {
    if (kind == "claim_lost") {
        return "claim lost";
    }
    if (kind == "claim_regained") {
        return "claim regained";
    }
    if (kind == "claim_changed") {
        return "claim changed";
    }
    if (kind == "claim_added") {
        return "claim added";
    }
    if (kind == "claim_removed") {
        return "claim removed";
    }
    if (kind == "evidence_invalid") {
        return "evidence no longer valid";
    }
    if (kind == "evidence_valid") {
        return "evidence valid again";
    }
    if (kind == "evidence_changed") {
        return "evidence changed";
    }
    if (kind == "artifact_changed") {
        return "artifact changed";
    }
    return "case changed";
}

std::string arrow(const std::string &from, const std::string &to) {
    return (from.empty() ? "(none)" : from) + " -> " + (to.empty() ? "(none)" : to);
}

} // namespace

std::string joined_specs(const Event &v) {
    std::string out;
    for (const auto &s : v.specs) {
        out += (out.empty() ? "" : " ") + s;
    }
    return out;
}

std::string render_history_text(const std::vector<Entry> &stored) {
    std::ostringstream out;
    if (stored.empty()) {
        out << "no runs recorded\n";
        return out.str();
    }
    const std::vector<Entry> entries = expand_deltas(stored);
    const Run *prev = nullptr;
    std::int64_t prev_seq = 0;
    for (const Entry &e : entries) {
        if (e.is_event()) {
            const Event &v = e.event;
            out << "event " << e.seq << "  " << v.recorded_at << "  " << v.source << "  "
                << joined_specs(v) << "\n";
            if (!v.note.empty()) {
                out << "  note: " << v.note << "\n";
            }
            continue;
        }
        const Run &r = e.run;
        const Tally t = tally(r);
        out << "run " << e.seq << "  " << r.recorded_at << "  " << r.command << "  judged at "
            << r.judged_at << "  assure " << r.assure_version << ", z3 " << r.z3_version << "\n";
        out << "  case " << r.case_digest.substr(0, 12) << " (" << r.files.size()
            << (r.files.size() == 1 ? " file" : " files") << "), " << r.artifacts.size()
            << " artifacts; result " << r.result << " (exit " << r.exit_code << ")\n";
        if (!r.git_commit.empty()) {
            out << "  git commit " << r.git_commit << "\n";
        }
        if (r.trigger != 0) {
            out << "  re-judged after event " << r.trigger << "\n";
        }
        if (!r.plan.empty() || !r.plan_cost.empty()) {
            out << "  re-verification plan: cost " << r.plan_cost << " (" << r.plan.size()
                << (r.plan.size() == 1 ? " piece" : " pieces") << " of evidence)\n";
        }
        out << "  top claims supported " << t.top_supported << "/" << t.top << ", claims "
            << t.supported << "/" << t.claims << ", evidence valid " << t.valid << "/" << t.evidence
            << "\n";
        if (prev) {
            const auto changes = diff_runs(*prev, r);
            if (changes.empty()) {
                out << "  no change since run " << prev_seq << "\n";
            } else {
                out << "  since run " << prev_seq << ":\n";
            }
            for (const Change &c : changes) {
                out << "    " << change_words(c.kind);
                if (c.kind == "case_changed") {
                    out << ": " << arrow(c.from.substr(0, 12), c.to.substr(0, 12)) << "\n";
                    continue;
                }
                out << ": " << c.name << " (" << arrow(c.from, c.to) << ")\n";
                for (const auto &why : c.why) {
                    out << "      " << (c.kind == "evidence_valid" ? "was: " : "why: ") << why
                        << "\n";
                }
            }
        }
        prev = &r;
        prev_seq = e.seq;
    }
    return out.str();
}

std::string render_history_json(const std::vector<Entry> &stored) {
    ordered doc;
    doc["format"] = "assure-history";
    doc["version"] = 1;
    doc["runs"] = ordered::array();
    doc["events"] = ordered::array();
    const std::vector<Entry> entries = expand_deltas(stored);
    const Run *prev = nullptr;
    for (const Entry &e : entries) {
        if (e.is_event()) {
            const Event &v = e.event;
            doc["events"].push_back({{"seq", e.seq},
                                     {"hash", e.hash},
                                     {"prev_hash", e.prev_hash},
                                     {"recorded_at", v.recorded_at},
                                     {"source", v.source},
                                     {"case_digest", v.case_digest},
                                     {"specs", v.specs},
                                     {"note", v.note}});
            continue;
        }
        const Run &r = e.run;
        const Tally t = tally(r);
        ordered j;
        j["seq"] = e.seq;
        j["hash"] = e.hash;
        j["prev_hash"] = e.prev_hash;
        j["recorded_at"] = r.recorded_at;
        j["judged_at"] = r.judged_at;
        j["command"] = r.command;
        j["arguments"] = r.arguments;
        j["assure_version"] = r.assure_version;
        j["z3_version"] = r.z3_version;
        j["result"] = r.result;
        j["exit_code"] = r.exit_code;
        j["case_digest"] = r.case_digest;
        j["git_commit"] = r.git_commit;
        j["trigger"] = r.trigger == 0 ? ordered(nullptr) : ordered(r.trigger);
        j["delta_of"] = r.delta_of == 0 ? ordered(nullptr) : ordered(r.delta_of);
        if (!r.plan.empty() || !r.plan_cost.empty()) {
            j["plan"] = {{"cost", r.plan_cost}, {"evidence", r.plan}};
        }
        j["top_claims"] = {{"supported", t.top_supported}, {"total", t.top}};
        j["claims"] = {{"supported", t.supported}, {"total", t.claims}};
        j["evidence"] = {{"valid", t.valid}, {"total", t.evidence}};
        ordered changes = ordered::array();
        if (prev) {
            for (const Change &c : diff_runs(*prev, r)) {
                changes.push_back({{"kind", c.kind},
                                   {"name", c.name},
                                   {"from", c.from},
                                   {"to", c.to},
                                   {"why", c.why}});
            }
        }
        j["changes"] = prev ? changes : ordered(nullptr);
        doc["runs"].push_back(std::move(j));
        prev = &r;
    }
    return doc.dump(2) + "\n";
}

} // namespace assure::history
