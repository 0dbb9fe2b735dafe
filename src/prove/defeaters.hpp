// SPDX-License-Identifier: Apache-2.0
#pragma once

// Why each defeater is active, inactive or unknown (docs/semantics.md, "Defeaters"), as
// reports show it: which resolution answered it and which defeater defeated it.

#include "prove/prove.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace assure::prove {

/// The decisive fact behind a defeater's activity.
enum class DefeaterWhy : std::uint8_t {
    Withdrawn,         // inactive: its status is `withdrawn`
    Resolved,          // inactive: marked resolved, and every element of `resolved_by:` holds
    Defeated,          // inactive: an active defeater defeats it
    Open,              // active: open (or marked resolved naming no resolver), nothing defeats it
    ResolutionFails,   // active: marked resolved, but a resolver does not hold
    ResolutionUnknown, // unknown: whether its resolvers hold is unknown
    DefeatUnknown,     // unknown: whether a defeater defeating it is active is unknown
};
/// "withdrawn", "resolved", "defeated", "open", "resolution_fails", "resolution_unknown",
/// "defeat_unknown".
const char *defeater_why_name(DefeaterWhy w);

struct ResolverState {
    DeclId element;
    Status status; // of the element (evidence: valid = Supported)
};

/// One defeater's answer.
struct DefeaterAccount {
    Activity activity = Activity::Active;
    DefeaterWhy why = DefeaterWhy::Open;
    sema::DefeaterStatus status = sema::DefeaterStatus::Open; // as judged
    std::vector<ResolverState> resolved_by; // every element of `resolved_by:`, as written
    /// The defeaters that `defeats` it and are active (Defeated) or of unknown activity
    /// (DefeatUnknown); declaration order. Empty otherwise.
    std::vector<DeclId> defeated_by;
    /// In words: "inactive: resolved by E_real_fog (valid)", "active: open and not defeated".
    std::string text;
};

/// The accounts of every defeater of the case, by defeater index. O(defeaters + resolvers).
std::vector<DefeaterAccount> defeater_accounts(const sema::Program &program,
                                               const ProofResult &result);

/// By DeclId: the defeaters (indices, declaration order) whose target is that element.
std::vector<std::vector<std::uint32_t>> defeaters_by_target(const sema::Program &program);

/// "rebuts", "undercuts", "undermines", "defeats".
const char *defeater_relation_name(sema::DefeaterRelation r);

/// A defeater's `status:` as written: "open", "resolved", "withdrawn".
const char *defeater_status_name(sema::DefeaterStatus s);

} // namespace assure::prove
