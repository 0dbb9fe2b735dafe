// SPDX-License-Identifier: Apache-2.0
#pragma once

// The argument's structure as rules and risk read it: what supports what (`supported_by:` and
// strategies `for` a claim), which claims mitigate each hazard, what lies anywhere below an
// element, when two pieces of evidence are independent, and which top claims a finding fails.
// Built once per proof from the resolved program.

#include "dsl/sema/program.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace assure::prove {

using sema::DeclId;

class ArgumentIndex {
  public:
    /// The whole program's argument, or with `modules` (flags by module index) only that of
    /// the elements declared in those modules: a link or mitigation with an end elsewhere is
    /// left out (a case's argument, see cases.hpp). `modules` need not outlive the index.
    explicit ArgumentIndex(const sema::Program &prog, const std::vector<bool> *modules = nullptr);

    /// What directly supports `d` / what `d` directly supports, ascending DeclIds.
    [[nodiscard]] const std::vector<DeclId> &supporters(DeclId d) const {
        return supporters_[d.value];
    }
    [[nodiscard]] const std::vector<DeclId> &users(DeclId d) const { return users_[d.value]; }
    /// The claims mitigating a hazard (by hazard index), ascending DeclIds.
    [[nodiscard]] const std::vector<DeclId> &mitigators(std::uint32_t hazard) const {
        return mitigators_[hazard];
    }
    /// Elements below `d` in the argument (what `under(x, d)` holds for), ascending DeclIds.
    const std::vector<DeclId> &below(DeclId d);

    /// Two pieces of evidence are independent when they are different, rest on no common
    /// artifact, and were produced by different producers (both named) or one is declared
    /// `independent_of` the other.
    [[nodiscard]] bool independent(DeclId x, DeclId y) const;

  private:
    void link(DeclId from, DeclId to);

    const sema::Program &prog_;
    std::vector<std::vector<DeclId>> supporters_; // by DeclId
    std::vector<std::vector<DeclId>> users_;      // by DeclId
    std::vector<std::vector<DeclId>> mitigators_; // by hazard index
    std::unordered_map<std::uint32_t, std::vector<DeclId>> below_;
};

/// Calls `visit(set)` for each set of `n` pairwise independent pieces of `pool` (in pool order)
/// until it returns false. Each step of the search spends one unit of `budget`; the search
/// stops when none is left. Returns false when it stopped for the budget.
bool for_each_line_set(const ArgumentIndex &index, const std::vector<DeclId> &pool, std::uint32_t n,
                       std::uint64_t &budget,
                       const std::function<bool(const std::vector<DeclId> &)> &visit);

/// One flag per declaration: whether it is one of `tops`.
std::vector<bool> top_flags(const sema::Program &program, const std::vector<DeclId> &tops);

/// The top claims above (or equal to) any of `anchors`; every top claim when there is none.
/// `seen` is scratch space of one flag per declaration, all false on entry and on return.
std::vector<DeclId> tops_above(const ArgumentIndex &index, std::vector<DeclId> anchors,
                               const std::vector<bool> &is_top,
                               const std::vector<DeclId> &top_claims, std::vector<bool> &seen);

/// Who produced evidence, at a degree of independence: its producer, team or department ("" when
/// not named).
const std::string &party(const sema::EvidenceInfo &e, sema::Independence degree);

/// A review `r` is independent at `degree` of the evidence beside it when it names its party and
/// each other piece names one, a different one: whether piece `e` allows that.
bool review_independent_of(const sema::EvidenceInfo &r, const sema::EvidenceInfo &e,
                           sema::Independence degree);

using sema::days_from_civil;

} // namespace assure::prove
