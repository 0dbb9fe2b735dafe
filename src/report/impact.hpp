// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reports of `assure impact`: text for people, JSON ("assure-impact", docs/json.md) for tools.

#include "impact/impact.hpp"
#include "impact/lock.hpp"
#include "report/proof.hpp"

#include <string>
#include <vector>

namespace assure::report {

/// 0: no top claim that was supported loses support; 5: some top claim does (whether or not a
/// re-verification plan exists: the release needs that re-verification first); 3: the only
/// losses are to unknown.
int impact_exit_code(const impact::Impact &result);

/// What the analysis was asked: the --change specs, and the lockfile and what changed since.
struct ImpactInput {
    const std::vector<impact::Change> &changes;
    const std::string &since; // the lockfile, or empty
    const std::vector<impact::LockChange> &detected;
};

std::string render_impact_text(const sema::Program &program, const impact::Impact &result,
                               const ImpactInput &input, const support::SourceManager &sources,
                               const ProofMeta &meta);

std::string render_impact_json(const sema::Program &program, const impact::Impact &result,
                               const ImpactInput &input, const support::SourceManager &sources,
                               const ProofMeta &meta);

} // namespace assure::report
