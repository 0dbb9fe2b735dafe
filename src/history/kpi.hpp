// SPDX-License-Identifier: Apache-2.0
#pragma once

// The key performance indicators of a history (docs/history.md, "KPIs"): computed from its
// runs and events, as a time series (one point per run that judges the case as it is) and at
// the last such run. Exact throughout: counts and seconds are integers, ratios are kept as
// numerator and denominator, means are exact quotients, costs are support::Decimal. Times are
// the recorded UTC timestamps (read without the local time zone); day counts compare the dates
// a run judged evidence at.
//
// `impact` runs record a what-if (the case as changed by `--change`), not the case as it is:
// they give the re-verification cost per change and are left out of every other KPI.

#include "history/chain.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace assure::support {
class Decimal;
}

namespace assure::history {

/// A count out of a total (the total may be 0).
struct Ratio {
    std::int64_t num = 0;
    std::int64_t den = 0;
    friend bool operator==(const Ratio &, const Ratio &) = default;
};

/// "3/4".
std::string ratio_text(const Ratio &r);
/// The percentage rounded half up to one decimal, without the sign: "75.0", "66.7"; "" when
/// the total is 0.
std::string percent_text(const Ratio &r);

/// num/den (den > 0) exactly: a decimal when it has a finite decimal expansion ("12.5", "-3",
/// "0.125"), else the fraction in lowest terms ("37/3").
std::string exact_quotient(std::int64_t num, std::int64_t den);
/// `sum`/`count` (count > 0) exactly, as exact_quotient does: a decimal when it has a finite
/// decimal expansion, else "numerator/denominator" in lowest terms (both integers).
std::string exact_quotient(const support::Decimal &sum, std::int64_t count);

/// An exact_quotient text rounded half up (away from zero) to one decimal, for reading: "433.4"
/// for "5201/12"; a decimal is returned as it is.
std::string rounded_text(const std::string &exact);

/// Seconds as "1 d 2 h 3 min 4 s" (zero parts left out; "0 s"; "-" before a negative span).
std::string duration_text(std::int64_t seconds);

/// Seconds since 1970-01-01T00:00:00Z of "YYYY-MM-DDTHH:MM:SSZ", or nullopt when it is not such
/// a time (or not a real date or time of day).
std::optional<std::int64_t> parse_utc_time(const std::string &text);
/// Days since 1970-01-01 of "YYYY-MM-DD", or nullopt when it is not a real date of that form.
std::optional<std::int64_t> parse_day(const std::string &text);
/// "YYYY-Qn", the calendar quarter of a Unix time (UTC).
std::string quarter_of(std::int64_t unix_seconds);

struct KpiOptions {
    std::int64_t within_days = 30; // evidence "expiring" within this many days (>= 0)
};

/// The KPIs of one run (a point of the series).
struct RunKpis {
    std::int64_t seq = 0;
    std::string recorded_at;
    std::string judged_at;
    std::string command;
    std::int64_t trigger = 0; // the entry the run re-judged after (0: none)
    Ratio claims;             // supported / all claims
    Ratio top_claims;         // supported / all top claims
    // Evidence freshness, as judged at `judged_at`:
    std::int64_t with_expiry = 0;              // evidence with a valid_until
    std::optional<std::int64_t> min_days_left; // the least valid_until - judged_at (days)
    std::int64_t expiring = 0;     // 0 <= days left <= within_days: not expired, expiring soon
    std::int64_t expired = 0;      // days left < 0
    std::int64_t dated = 0;        // evidence with a date (produced or re-attested)
    std::int64_t age_days_sum = 0; // sum of judged_at - date over the dated evidence
    std::optional<std::int64_t> max_age_days; // the largest of them
    // Pinned-artifact coverage:
    Ratio artifacts_verified; // state `verified` / all artifacts
    std::int64_t missing = 0, changed = 0, unrecorded = 0, other_state = 0;
    // Defeaters:
    std::int64_t open_defeaters = 0;
    std::optional<std::int64_t> oldest_open_seconds; // the longest continuous openness
};

/// A piece of evidence with an expiry date, as judged at the last run.
struct EvidenceExpiry {
    std::string name;
    std::string valid_until;
    std::int64_t days_left = 0; // valid_until - judged_at (negative: expired)
    std::string state;          // expired | expiring | valid
};

/// A defeater open at the last run.
struct OpenDefeater {
    std::string name;
    std::string target;
    std::int64_t since_seq = 0;   // the run, or the `open:` event, its openness dates from
    std::string since;            // that entry's recorded_at
    std::int64_t age_seconds = 0; // from `since` to the last run's recorded_at
};

/// A stretch of time during which a top claim was not supported (time to re-assure).
struct Episode {
    std::string claim;
    std::int64_t lost_seq = 0;     // the run that found it no longer supported
    std::int64_t start_seq = 0;    // that run's trigger entry, or the run itself
    std::string start_at;          // its recorded_at
    std::int64_t regained_seq = 0; // the first later run where it is supported (0: open)
    std::string end_at;            // that run's recorded_at; for an open episode the last entry's
    std::int64_t seconds = 0;      // end_at - start_at
    [[nodiscard]] bool open() const { return regained_seq == 0; }
};

/// An `impact` run and the cost of its re-verification plan.
struct PlanCost {
    std::int64_t seq = 0;
    std::string recorded_at;
    std::string cost; // exact decimal as recorded; "" when the run recorded no plan
    std::size_t evidence = 0;
};

/// A monitoring alarm: raised by a `fail:`, `pending:`, `withdraw:` or `open:` spec.
struct Alarm {
    std::string name;
    std::string spec; // the raising spec
    std::int64_t raised_seq = 0;
    std::string raised_at;
    std::string quarter;           // of raised_at
    std::int64_t resolved_seq = 0; // the event that resolved it (0: still open)
    std::string resolved_at;       // "" while open
    std::int64_t seconds = 0;      // to resolve; for an open alarm, elapsed at the last entry
    [[nodiscard]] bool open() const { return resolved_seq == 0; }
};

/// The alarms raised in one calendar quarter.
struct QuarterAlarms {
    std::string quarter; // "YYYY-Qn"
    std::int64_t raised = 0;
    std::int64_t resolved = 0; // of those raised in the quarter
    std::int64_t resolve_seconds_sum = 0;
    std::optional<std::int64_t> max_resolve_seconds;
};

/// A `release:` spec.
struct Release {
    std::int64_t seq = 0;
    std::string recorded_at;
    std::string commit;
    std::string packet; // verified | unverified | "" (not said)
};

struct Kpis {
    std::int64_t within_days = 30;
    std::size_t entries = 0, events = 0, impact_runs = 0;
    std::string first_at, last_at; // the earliest and latest recorded_at of any entry
    std::string last_hash;         // the hash of the last entry as stored ("" when empty)
    /// One point per run that is not an `impact` run, in chain order.
    std::vector<RunKpis> runs;

    // At the last run of `runs` (empty when there is none):
    std::vector<EvidenceExpiry> expiry; // declaration order
    std::vector<OpenDefeater> open_defeaters;

    /// Every episode of every top claim, in the order they began (the claims of one run in
    /// its order).
    std::vector<Episode> episodes;
    std::vector<PlanCost> costs; // every impact run, in chain order
    /// Every calendar quarter from the first entry's to the last entry's, in order.
    std::vector<QuarterAlarms> quarters;
    std::vector<Alarm> alarms; // in the order raised
    std::vector<Release> releases;

    // Summaries, exact (docs/history.md):
    std::int64_t closed_episodes = 0, open_episodes = 0;
    std::string reassure_mean_seconds; // over closed episodes (exact_quotient; "" when none)
    std::optional<std::int64_t> reassure_max_seconds;
    std::int64_t costed = 0; // impact runs with a plan cost
    std::string cost_mean;   // over them (exact_quotient; "" when none)
    std::int64_t alarms_raised = 0, alarms_resolved = 0, alarms_open = 0;
    std::string resolve_mean_seconds; // over resolved alarms ("" when none)
    std::optional<std::int64_t> resolve_max_seconds;
    Ratio releases_verified; // releases whose spec says `=verified` / all releases
};

/// Why a history's KPIs cannot be computed: an entry with a time or date that is not one.
struct KpiError {
    std::int64_t seq = 0;
    std::string message;
};

/// The KPIs of `entries` (in chain order as the store returned them; delta runs are expanded
/// here with expand_deltas). Nullopt with `error` set when an entry's recorded_at, a run's
/// judged_at, or an evidence's valid_until or date is malformed (or a cost not a decimal).
/// Deterministic; nothing depends on the clock or the local time zone.
std::optional<Kpis> compute_kpis(const std::vector<Entry> &entries, const KpiOptions &options,
                                 KpiError &error);

/// `assure kpi` output: a board a person reads at a glance, then the series as a table.
std::string render_kpi_text(const Kpis &kpis);
/// `assure kpi --format json`: {"format": "assure-kpi", "version": 1, ...} (docs/history.md).
std::string render_kpi_json(const Kpis &kpis);

} // namespace assure::history
