// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure kpi` (docs/history.md, "KPIs") and the history the HTML report draws (`report
// --history`).

#include "cli/driver.hpp"
#include "cli/front.hpp"
#include "history/kpi.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace assure::cli {

struct KpiOptions {
    std::string db;
    std::string format = "text"; // text | json
    std::int64_t within_days = 30;
    std::string diagnostics_format = "text";
};

/// Runs `assure kpi`: computes the KPIs of the history `options.db` and prints them. Exit: 0
/// (also for an empty history: nothing to compute); 1 the database is not a history this assure
/// can read (E0801-E0803), or an entry's time, date or cost is malformed (E0810).
ExitCode run_kpi(const KpiOptions &options, std::ostream &out, std::ostream &err);

/// Loads the history `db` and computes its KPIs (evidence expiring within `within_days`); nullopt
/// with the diagnostic (E0801-E0803, E0810) added to `ad` when it cannot.
std::optional<history::Kpis> history_kpis(const std::string &db, std::int64_t within_days,
                                          ArgDiags &ad);

} // namespace assure::cli
