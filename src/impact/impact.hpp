// SPDX-License-Identifier: Apache-2.0
#pragma once

// Change impact (`assure impact`): what a change to artifacts, evidence or defeaters does to
// the case's support, and the cheapest set of evidence whose re-verification restores every
// top claim that was supported before. See docs/impact.md.

#include "dsl/sema/program.hpp"
#include "lower/lower.hpp"
#include "prove/prove.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace assure::impact {

using sema::DeclId;

/// One hypothetical change, as given with `--change`.
struct Change {
    enum class Kind : std::uint8_t {
        ArtifactChanged,   // artifact:NAME
        EvidenceFails,     // fail:NAME
        EvidencePending,   // pending:NAME
        EvidenceWithdrawn, // withdraw:NAME
        EvidenceExpires,   // expire:NAME=YYYY-MM-DD
        DefeaterOpened,    // open:NAME
    };
    Kind kind;
    std::string target;
    sema::Date date; // EvidenceExpires
    std::string spec;
};

/// Parses one `--change` argument, or returns nullopt with `error`.
std::optional<Change> parse_change(const std::string &spec, std::string &error);

/// Adds the changes to `overrides`, resolving their names in `program`; false with `error` when
/// a name does not denote an element of the right kind.
bool apply_changes(const sema::Program &program, const std::vector<Change> &changes,
                   prove::Overrides &overrides, std::string &error);

/// The minimum re-verification set.
struct Plan {
    enum class State : std::uint8_t {
        None,       // nothing to restore
        Found,      // `evidence` restores every restorable top claim (re-proved)
        Infeasible, // no re-verification restores them (should not happen: see `unrestorable`)
        Unknown,    // the optimiser or a re-proof gave up
    };
    State state = State::None;
    std::vector<DeclId> evidence; // declaration order
    double cost = 0;
    bool optimal = false;  // the total cost was proved minimal
    bool verified = false; // re-proving with exactly these passing again restores the claims
    std::string note;      // why not optimal / not verified / unknown
    unsigned rounds = 0;   // optimiser calls (requirement coverage is refined between them)
};

struct Impact {
    prove::ProofResult before;        // the case as it is
    prove::ProofResult after;         // with the changes
    prove::ProofResult restored;      // with the changes and every candidate re-verified
    std::vector<DeclId> invalidated;  // evidence valid before, not after
    std::vector<DeclId> lost;         // claims supported before, not after
    std::vector<DeclId> lost_top;     // the top claims among them
    std::vector<DeclId> unrestorable; // lost top claims that no re-verification restores
    std::vector<DeclId> candidates;   // evidence re-verification could make valid again
    std::vector<DeclId> reusable;     // evidence under the lost top claims still valid after
    Plan plan;
};

/// Decides the case before and after `changes` and computes the plan. `options` is used for
/// every proof (date, solver limits); its overrides are replaced.
Impact analyse(const sema::Program &program, const lower::Lowered &lowered,
               const support::SourceManager &sources, const prove::ProveOptions &options,
               const prove::Overrides &changes);

/// The cost of re-verifying a piece of evidence: its `cost`, or 1.
double cost_of(const sema::Program &program, DeclId evidence);

/// The chain from `claim` down to the first root cause of its failure in `result`
/// ("G_safe <- S_env <- G_fog <- E_fog"), claim first.
std::vector<DeclId> failure_chain(const sema::Program &program, const prove::ProofResult &result,
                                  DeclId claim);

} // namespace assure::impact
