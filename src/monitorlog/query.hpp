// SPDX-License-Identifier: Apache-2.0
#pragma once

// Queries over a monitor log's verdicts (docs/monitor-log.md, "Queries"): how many episodes
// (verdict entries) a window of days holds and how many of them violate a claim. Only a log
// that verifies is counted: a broken log gives its problem and no counts.
//
// What counts as a violation is a contract with the monitor that writes the verdicts: a
// verdict violates claim C when its `violations` member is an array holding an object whose
// `claim` is C's name (or the string C's name itself). C's name is its qualified name
// (`agent.G_refund`); a name without a dot in the log matches a claim of that name in any
// module. Every verdict entry is one episode (one record the monitor judged).

#include "monitorlog/verify.hpp"

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace assure::monitorlog {

/// Whole UTC days, both ends included, as day numbers (days since 1970-01-01). No first day:
/// from the start of the log.
struct Window {
    std::optional<std::int64_t> first_day;
    std::int64_t last_day = 0;
};

/// Whether `verdict` (a verdict entry's object) records a violation of the claim `claim`
/// (qualified name).
bool violates(const nlohmann::json &verdict, std::string_view claim);

/// Where an entry is.
struct EntryRef {
    std::uint64_t seq = 0;
    std::uint64_t line = 0;
    Time time;
};

struct Tally {
    std::uint64_t episodes = 0;   // verdicts dated in the window
    std::uint64_t violations = 0; // of those, the ones violating the claim
    std::uint64_t later = 0;      // verdicts dated after the window's last day (not counted)
    std::optional<EntryRef> first_violation, last_violation;
};

struct TallyResult {
    VerifyResult log; // the log's verification: counts only when log.ok()
    Tally tally;
};

/// Verifies the log in `bytes` and counts the verdicts of `window`, and those violating
/// `claim` (none when `claim` is empty).
TallyResult tally(std::string_view bytes, std::string_view claim, const Window &window,
                  const VerifyOptions &options = {});

} // namespace assure::monitorlog
