// SPDX-License-Identifier: Apache-2.0
#include "history/diff.hpp"

#include <map>

namespace assure::history {
namespace {

template <class T> std::map<std::string, const T *> by_name(const std::vector<T> &items) {
    std::map<std::string, const T *> out;
    for (const auto &item : items) {
        out.emplace(item.name, &item);
    }
    return out;
}

std::vector<std::string> causes_of(const Run &run, const std::string &claim) {
    std::vector<std::string> out;
    for (const auto &f : run.findings) {
        if (f.kind == "root_cause" && f.subject == claim) {
            out.push_back(f.element.empty() ? f.text : f.element + ": " + f.text);
        }
    }
    return out;
}

} // namespace

std::vector<Change> diff_runs(const Run &before, const Run &after) {
    std::vector<Change> out;
    if (before.case_digest != after.case_digest) {
        out.push_back({"case_changed", "", before.case_digest, after.case_digest, {}});
    }
    const auto old_claims = by_name(before.claims);
    const auto new_claims = by_name(after.claims);
    for (const auto &c : after.claims) {
        const auto it = old_claims.find(c.name);
        if (it == old_claims.end()) {
            out.push_back({"claim_added", c.name, "", c.verdict, causes_of(after, c.name)});
            continue;
        }
        const std::string &was = it->second->verdict;
        if (was == c.verdict) {
            continue;
        }
        const char *kind = was == "supported"         ? "claim_lost"
                           : c.verdict == "supported" ? "claim_regained"
                                                      : "claim_changed";
        out.push_back({kind, c.name, was, c.verdict, causes_of(after, c.name)});
    }
    for (const auto &c : before.claims) {
        if (new_claims.count(c.name) == 0) {
            out.push_back({"claim_removed", c.name, c.verdict, "", {}});
        }
    }
    const auto old_ev = by_name(before.evidence);
    const auto new_ev = by_name(after.evidence);
    for (const auto &e : after.evidence) {
        const auto it = old_ev.find(e.name);
        const std::string was = it == old_ev.end() ? "" : it->second->status;
        if (it != old_ev.end() && was == e.status && it->second->reasons == e.reasons) {
            continue;
        }
        if (was == "valid" && e.status != "valid") {
            out.push_back({"evidence_invalid", e.name, was, e.status, e.reasons});
        } else if (was != "valid" && e.status == "valid" && it != old_ev.end()) {
            out.push_back({"evidence_valid", e.name, was, e.status, it->second->reasons});
        } else {
            out.push_back({"evidence_changed", e.name, was, e.status, e.reasons});
        }
    }
    for (const auto &e : before.evidence) {
        if (new_ev.count(e.name) == 0) {
            out.push_back({"evidence_changed", e.name, e.status, "", {}});
        }
    }
    const auto old_art = by_name(before.artifacts);
    for (const auto &a : after.artifacts) {
        const auto it = old_art.find(a.name);
        if (it == old_art.end() || it->second->sha256 != a.sha256 || it->second->state != a.state) {
            const std::string from =
                it == old_art.end() ? std::string() : it->second->state + " " + it->second->sha256;
            out.push_back({"artifact_changed", a.name, from, a.state + " " + a.sha256, {}});
        }
    }
    return out;
}

} // namespace assure::history
