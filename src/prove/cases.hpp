// SPDX-License-Identifier: Apache-2.0
#pragma once

// The cases of one run (docs/semantics.md, "Rules"): the files given to assure may hold
// several unrelated assurance cases, and a rule is a condition on each case that includes it,
// never on the others. A case is a root module — one that no loaded module imports — with
// every module it imports, directly or transitively. Cases may share modules (the standard
// library, a library of one's own); the import graph has no cycle (E0006), so every module
// belongs to at least one case.

#include "dsl/sema/program.hpp"

#include <cstdint>
#include <vector>

namespace assure::prove {

/// One case: its root module and the modules it holds.
struct Case {
    std::uint32_t root = 0;    // module index
    std::vector<bool> modules; // by module index: whether the module belongs to the case
};

/// The cases of `program`, by ascending root module index (the files given first, in their
/// order). Deterministic; one case when a single module imports all the others.
std::vector<Case> cases_of(const sema::Program &program);

/// The claims of `tops` declared in a case that holds `module`, in the order of `tops`: what a
/// finding about an element of the module that is under no top claim fails ("every top claim"
/// of its case, never another case's). O(cases + tops).
std::vector<sema::DeclId> tops_sharing_case(const sema::Program &program,
                                            const std::vector<Case> &cases,
                                            const std::vector<sema::DeclId> &tops,
                                            std::uint32_t module);

} // namespace assure::prove
