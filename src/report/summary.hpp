// SPDX-License-Identifier: Apache-2.0
#pragma once

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

/// The same counts as a JSON object (schema "assure.check/1").
std::string render_summary_json(const CheckSummary &s);

} // namespace assure::report
