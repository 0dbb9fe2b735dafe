// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/report: the parts of a trace (trace.cpp writes the bundle).

#include "dsl/sema/program.hpp"
#include "prove/prove.hpp"
#include "support/source_manager.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace assure::report::detail {

/// The rule files of a trace (docs/json.md, "Traces"): per rule `rules/<rule>.smt2` (every
/// instance, sat when some instance is violated), per violation and undecided instance
/// (the first 100 of each) `rules/<rule>-<n>.smt2`, per scope question `rules/scope-<n>.smt2`.
/// Appends one manifest entry per file to `entries` and (path, text) to `texts`. Grounds the
/// rules for the trace first (prove::trace_rules), which may ask scope questions of
/// `result.batch`: call it before printing any other SMT-LIB file of the batch.
void rule_trace_files(const sema::Program &program, prove::ProofResult &result,
                      const support::SourceManager &sources, nlohmann::ordered_json &entries,
                      std::vector<std::pair<std::string, std::string>> &texts);

/// validity.json (docs/json.md, "validity.json"): the parts of the verdict that are not SMT --
/// each evidence's validity with its result, dates, artifacts and values read; each artifact's
/// recorded and actual SHA-256; each defeater's activity; each hazard's risk lookup and
/// demands -- each with the source line it came from. Deterministic.
std::string render_validity_json(const sema::Program &program, const prove::ProofResult &result,
                                 const support::SourceManager &sources);

} // namespace assure::report::detail
