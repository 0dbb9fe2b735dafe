// SPDX-License-Identifier: Apache-2.0
#pragma once

// What changed between two runs of one history (docs/history.md, "assure history").

#include "history/run.hpp"

#include <string>
#include <vector>

namespace assure::history {

/// One difference between consecutive runs.
struct Change {
    /// claim_lost (was supported, is not), claim_regained (is supported again), claim_changed
    /// (another verdict change), claim_added, claim_removed, evidence_invalid (was valid, is
    /// not), evidence_valid (is valid again), evidence_changed (another status change),
    /// artifact_changed (its digest or state), case_changed (the case files' digest).
    std::string kind;
    std::string name; // the claim, evidence or artifact ("" for case_changed)
    std::string from, to;
    std::vector<std::string> why; // the reasons: a claim's root causes in the later run (for a
                                  // top claim), the evidence's reasons (the later run's, or for
                                  // evidence valid again the earlier run's)
};

/// The changes from `before` to `after`: case first, then claims, evidence and artifacts, each
/// in the later run's declaration order (removed ones last, in the earlier run's order).
std::vector<Change> diff_runs(const Run &before, const Run &after);

} // namespace assure::history
