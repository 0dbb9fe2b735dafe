// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace assure::solver {

/// The version of the linked Z3 library, e.g. "4.8.12". Recorded in `assure --version` and, with
/// the proof engine, in every trace manifest.
std::string z3_version();

/// Runs a trivial satisfiability query through the solver stack; false means the linked Z3 is
/// unusable. Used by `assure --version` as a smoke test of the installation.
bool self_test();

} // namespace assure::solver
