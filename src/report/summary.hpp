// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <cstddef>
#include <string>

namespace assure::report {

/// Counts shown when a case checks clean.
struct CheckSummary {
    std::size_t modules = 0;
    std::size_t stdlib_modules = 0;
    std::size_t claims = 0;
    std::size_t top_claims = 0;
    std::size_t undeveloped = 0;
    std::size_t strategies = 0;
    std::size_t evidence = 0;
    std::size_t defeaters = 0;
    std::size_t hazards = 0;
    std::size_t rules = 0;
    std::size_t warnings = 0;
};

/// The text summary `assure check` prints on stdout for a clean case. Deterministic.
std::string render_summary(const CheckSummary &s);

/// `assure check --format json`: {"format": "assure-check", "version": 2, "ok", "errors",
/// "warnings", "diagnostics" (as in the assure-diagnostics document), "summary" (the counts, or
/// null when the case has errors)}. Printed whether or not the case checked clean.
std::string render_check_json(const CheckSummary *summary, const support::Diagnostics &diags,
                              const support::SourceManager &sources);

} // namespace assure::report
