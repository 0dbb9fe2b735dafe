// SPDX-License-Identifier: Apache-2.0
// Values read from a monitor log (docs/monitor-log.md, "The monitor read source"): the log is
// verified whole first (a broken log gives no value, never a pass), then its verdicts dated in
// the window of days ending on the date judged at are counted.
#include "artifacts/format.hpp"
#include "monitorlog/query.hpp"

#include <numeric>

namespace assure::artifacts::detail {

namespace {

using monitorlog::format_day;

struct Counted {
    monitorlog::Tally tally;
    std::string window; // "from 2026-10-25 to 2026-11-23" / "up to 2026-11-23"
    std::string log;    // "the log verifies: 420 entries, 3 checkpoints"
    std::string error;
};

Counted count(std::string_view bytes, const Selector &selector, const ReadContext &context) {
    Counted out;
    if (!context.day) {
        out.error = "a monitor log is read relative to the date judged at, and none was given";
        return out;
    }
    monitorlog::Window window;
    window.last_day = *context.day;
    if (selector.within_days) {
        window.first_day = *context.day - static_cast<std::int64_t>(*selector.within_days) + 1;
        out.window = "from " + format_day(*window.first_day) + " to " + format_day(*context.day);
    } else {
        out.window = "up to " + format_day(*context.day);
    }
    const std::string_view claim =
        selector.measure == MonitorMeasure::Episodes ? std::string_view() : selector.claim;
    monitorlog::TallyResult r = monitorlog::tally(bytes, claim, window);
    if (!r.log.ok()) {
        const monitorlog::Problem &p = *r.log.problem;
        out.error = std::string("the monitor log does not verify (") +
                    monitorlog::problem_kind_name(p.kind) + "): " + p.message;
        return out;
    }
    out.tally = r.tally;
    out.log = "the log verifies: " + std::to_string(r.log.entries) + " entries, " +
              std::to_string(r.log.checkpoints) +
              (r.log.checkpoints == 1 ? " checkpoint" : " checkpoints");
    if (r.log.uncovered > 0) {
        out.log += ", " + std::to_string(r.log.uncovered) + " after the last";
    }
    if (r.tally.later > 0) {
        out.log += "; " + std::to_string(r.tally.later) + " later verdicts not counted";
    }
    return out;
}

std::string plural(std::uint64_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

Outcome read_monitor(std::string_view bytes, const Selector &selector, const ReadContext &context) {
    if (selector.measure == MonitorMeasure::NoViolation) {
        return Outcome{std::nullopt, "`" + selector.describe() +
                                         "` gives a result, not a number (a metric reads "
                                         "`monitor rate of`, `violations of` or `episodes`)"};
    }
    Counted c = count(bytes, selector, context);
    if (!c.error.empty()) {
        return Outcome{std::nullopt, std::move(c.error)};
    }
    const monitorlog::Tally &t = c.tally;
    Value v;
    const std::string counts = plural(t.violations, "violation", "violations") + " of " +
                               selector.claim + " in " + plural(t.episodes, "episode", "episodes") +
                               " " + c.window;
    switch (selector.measure) {
    case MonitorMeasure::NoViolation:
        break;
    case MonitorMeasure::Rate:
        if (t.episodes == 0) {
            return Outcome{std::nullopt, "no episode is dated " + c.window +
                                             ", so there is no rate (" + c.log + ")"};
        }
        {
            // violations × 1000 / episodes, as the smallest exact fraction (62.5, 50/3).
            const std::uint64_t scaled = t.violations * 1000;
            const std::uint64_t g = std::gcd(scaled, t.episodes);
            v.value = support::Decimal(static_cast<std::int64_t>(scaled / g));
            v.divisor = t.episodes / g;
        }
        v.text = counts + " (per 1000 episodes; " + c.log + ")";
        break;
    case MonitorMeasure::Violations:
        v.value = support::Decimal(static_cast<std::int64_t>(t.violations));
        v.text = counts + " (" + c.log + ")";
        break;
    case MonitorMeasure::Episodes:
        v.value = support::Decimal(static_cast<std::int64_t>(t.episodes));
        v.text = plural(t.episodes, "episode", "episodes") + " " + c.window + " (" + c.log + ")";
        break;
    }
    return Outcome{std::move(v), ""};
}

ResultOutcome read_monitor_result(std::string_view bytes, const Selector &selector,
                                  const ReadContext &context) {
    Counted c = count(bytes, selector, context);
    if (!c.error.empty()) {
        return ResultOutcome{std::nullopt, "", std::move(c.error)};
    }
    const monitorlog::Tally &t = c.tally;
    if (t.episodes == 0) {
        return ResultOutcome{
            Result::Pending,
            "no episode is dated " + c.window + ": nothing was monitored (" + c.log + ")", ""};
    }
    std::string text = plural(t.violations, "violation", "violations") + " of " + selector.claim +
                       " in " + plural(t.episodes, "episode", "episodes") + " " + c.window;
    if (t.first_violation) {
        text += ", the first at line " + std::to_string(t.first_violation->line) + " (" +
                monitorlog::format_time(t.first_violation->time) + ")";
    }
    text += " (" + c.log + ")";
    return ResultOutcome{t.violations == 0 ? Result::Pass : Result::Fail, std::move(text), ""};
}

} // namespace assure::artifacts::detail
