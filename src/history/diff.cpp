// SPDX-License-Identifier: Apache-2.0
#include "history/diff.hpp"

#include <map>

namespace assure::history {
namespace {

/// Calls `pair(was, now)` for each record of `after` with its namesake in `before` (nullptr
/// when none), in `after`'s order, then `removed(was)` for each record only `before` has. Runs
/// of one case version list the same names in the same order: that is checked in one pass and
/// then costs no lookup (a million-claim run is diffed after every event).
template <class T, class Pair, class Removed>
void pair_up(const std::vector<T> &before, const std::vector<T> &after, Pair pair,
             Removed removed) {
    bool aligned = before.size() == after.size();
    for (std::size_t k = 0; aligned && k < after.size(); ++k) {
        aligned = before[k].name == after[k].name;
    }
    if (aligned) {
        for (std::size_t k = 0; k < after.size(); ++k) {
            pair(&before[k], after[k]);
        }
        return;
    }
    std::map<std::string, const T *> old;
    for (const auto &item : before) {
        old.emplace(item.name, &item);
    }
    std::map<std::string, const T *> now;
    for (const auto &item : after) {
        now.emplace(item.name, &item);
        const auto it = old.find(item.name);
        pair(it == old.end() ? nullptr : it->second, item);
    }
    for (const auto &item : before) {
        if (now.count(item.name) == 0) {
            removed(item);
        }
    }
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
    pair_up(
        before.claims, after.claims,
        [&](const ClaimRecord *old, const ClaimRecord &c) {
            if (old == nullptr) {
                out.push_back({"claim_added", c.name, "", c.verdict, causes_of(after, c.name)});
                return;
            }
            const std::string &was = old->verdict;
            if (was == c.verdict) {
                return;
            }
            const char *kind = was == "supported"         ? "claim_lost"
                               : c.verdict == "supported" ? "claim_regained"
                                                          : "claim_changed";
            out.push_back({kind, c.name, was, c.verdict, causes_of(after, c.name)});
        },
        [&](const ClaimRecord &c) {
            out.push_back({"claim_removed", c.name, c.verdict, "", {}});
        });
    pair_up(
        before.evidence, after.evidence,
        [&](const EvidenceRecord *old, const EvidenceRecord &e) {
            const std::string was = old == nullptr ? "" : old->status;
            if (old != nullptr && was == e.status && old->reasons == e.reasons) {
                return;
            }
            if (was == "valid" && e.status != "valid") {
                out.push_back({"evidence_invalid", e.name, was, e.status, e.reasons});
            } else if (was != "valid" && e.status == "valid" && old != nullptr) {
                out.push_back({"evidence_valid", e.name, was, e.status, old->reasons});
            } else {
                out.push_back({"evidence_changed", e.name, was, e.status, e.reasons});
            }
        },
        [&](const EvidenceRecord &e) {
            out.push_back({"evidence_changed", e.name, e.status, "", {}});
        });
    pair_up(
        before.artifacts, after.artifacts,
        [&](const ArtifactRecord *old, const ArtifactRecord &a) {
            if (old == nullptr || old->sha256 != a.sha256 || old->state != a.state) {
                const std::string from =
                    old == nullptr ? std::string() : old->state + " " + old->sha256;
                out.push_back({"artifact_changed", a.name, from, a.state + " " + a.sha256, {}});
            }
        },
        [](const ArtifactRecord &) {});
    return out;
}

} // namespace assure::history
