// SPDX-License-Identifier: Apache-2.0
// The KPIs of a history (history/kpi.hpp, docs/history.md "KPIs") on hand-built histories. The
// expected values are worked out by hand in the comments.
#include "history/chain.hpp"
#include "history/kpi.hpp"
#include "history/store.hpp"
#include "support/decimal.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>
#include <vector>

namespace history = assure::history;
using assure::support::Decimal;

namespace {

struct Builder {
    std::vector<history::Entry> entries;

    history::Run &run(const std::string &at, const std::string &judged,
                      const std::string &command = "prove", std::int64_t trigger = 0) {
        history::Entry e;
        e.seq = static_cast<std::int64_t>(entries.size()) + 1;
        e.kind = "run";
        e.hash = "h" + std::to_string(e.seq);
        e.run.recorded_at = at;
        e.run.judged_at = judged;
        e.run.command = command;
        e.run.trigger = trigger;
        entries.push_back(std::move(e));
        return entries.back().run;
    }
    /// A run with one top claim `m.G` of `verdict` (and a supported sub-claim).
    history::Run &top(const std::string &at, const std::string &verdict, std::int64_t trigger = 0,
                      const std::string &command = "prove") {
        history::Run &r = run(at, at.substr(0, 10), command, trigger);
        r.claims = {{"m.G", true, verdict}, {"m.sub", false, "supported"}};
        return r;
    }
    void event(const std::string &at, std::vector<std::string> specs) {
        history::Entry e;
        e.seq = static_cast<std::int64_t>(entries.size()) + 1;
        e.kind = "event";
        e.hash = "h" + std::to_string(e.seq);
        e.event.recorded_at = at;
        e.event.source = "event";
        e.event.specs = std::move(specs);
        entries.push_back(std::move(e));
    }
    history::Kpis kpis(std::int64_t within = 30) const {
        history::KpiOptions options;
        options.within_days = within;
        history::KpiError error;
        auto k = history::compute_kpis(entries, options, error);
        REQUIRE_MESSAGE(k.has_value(), error.message);
        return *k;
    }
};

} // namespace

TEST_CASE("kpi: exact quotients, percentages and durations") {
    CHECK(history::exact_quotient(10, 4) == "2.5");
    CHECK(history::exact_quotient(6, 3) == "2");
    CHECK(history::exact_quotient(1, 8) == "0.125");
    CHECK(history::exact_quotient(1, 3) == "1/3");
    CHECK(history::exact_quotient(10, 6) == "5/3"); // lowest terms
    CHECK(history::exact_quotient(-7, 2) == "-3.5");
    CHECK(history::exact_quotient(0, 5) == "0");
    CHECK(history::exact_quotient(244800, 2) == "122400");
    // Decimals: 1.5/2 = 0.75; 0.1/3 = 1/30; 1e3/7 = 1000/7; 0.35/7 = 0.05; 12.25/14 = 0.875;
    // 1.2/9 = 12/90 = 2/15; 4/3 with the sum 1 + 1 + 2.
    CHECK(history::exact_quotient(*Decimal::parse("1.5"), 2) == "0.75");
    CHECK(history::exact_quotient(*Decimal::parse("0.1"), 3) == "1/30");
    CHECK(history::exact_quotient(*Decimal::parse("1e3"), 7) == "1000/7");
    CHECK(history::exact_quotient(*Decimal::parse("0.35"), 7) == "0.05");
    CHECK(history::exact_quotient(*Decimal::parse("12.25"), 14) == "0.875");
    CHECK(history::exact_quotient(*Decimal::parse("1.2"), 9) == "2/15");
    CHECK(history::exact_quotient(*Decimal::parse("4"), 3) == "4/3");
    CHECK(history::exact_quotient(*Decimal::parse("0.004"), 8) == "0.0005");
    // 20 digits / 3: 12345678901234567890 = 3 * 4115226300411522630.
    CHECK(history::exact_quotient(*Decimal::parse("12345678901234567890"), 3) ==
          "4115226300411522630");

    CHECK(history::percent_text({2, 3}) == "66.7");
    CHECK(history::percent_text({1, 8}) == "12.5");
    CHECK(history::percent_text({1, 16}) == "6.3"); // 6.25 rounds half up
    CHECK(history::percent_text({3, 3}) == "100.0");
    CHECK(history::percent_text({0, 7}) == "0.0");
    CHECK(history::percent_text({0, 0}).empty());
    CHECK(history::ratio_text({9, 14}) == "9/14");

    CHECK(history::rounded_text("5201/12") == "433.4"); // 433.416...
    CHECK(history::rounded_text("1/3") == "0.3");
    CHECK(history::rounded_text("2/3") == "0.7");
    CHECK(history::rounded_text("1/40") == "0.0"); // 0.025 -> 0.0 (one decimal, 0.025 < 0.05)
    CHECK(history::rounded_text("1/20") == "0.1"); // 0.05 rounds half up
    CHECK(history::rounded_text("-7/3") == "-2.3");
    CHECK(history::rounded_text("-1/30") == "0.0");
    CHECK(history::rounded_text("1999/20") == "100.0"); // 99.95
    CHECK(history::rounded_text("12.25") == "12.25");   // a decimal stays exact

    CHECK(history::duration_text(90061) == "1 d 1 h 1 min 1 s");
    CHECK(history::duration_text(216000) == "2 d 12 h");
    CHECK(history::duration_text(0) == "0 s");
    CHECK(history::duration_text(-3600) == "-1 h");
}

TEST_CASE("kpi: times are read as UTC and checked") {
    CHECK(history::parse_utc_time("2026-11-23T08:00:00Z") == 1795420800);
    CHECK(history::parse_utc_time("1970-01-01T00:00:00Z") == 0);
    CHECK(history::parse_utc_time("1969-12-31T23:59:59Z") == -1); // timegm's error value, a time
    CHECK_FALSE(history::parse_utc_time("2026-02-30T00:00:00Z").has_value());
    CHECK_FALSE(history::parse_utc_time("2026-11-23T24:00:00Z").has_value());
    CHECK_FALSE(history::parse_utc_time("2026-11-23 08:00:00Z").has_value());
    CHECK_FALSE(history::parse_utc_time("2026-11-23T08:00:00").has_value());
    CHECK_FALSE(history::parse_utc_time("yesterday").has_value());
    CHECK(history::parse_day("1970-01-02") == 1);
    CHECK(history::parse_day("1969-12-31") == -1);
    CHECK(history::parse_day("2024-02-29").has_value());
    CHECK_FALSE(history::parse_day("2023-02-29").has_value());
    CHECK_FALSE(history::parse_day("2023-13-01").has_value());
    CHECK(history::quarter_of(*history::parse_utc_time("2026-03-31T23:59:59Z")) == "2026-Q1");
    CHECK(history::quarter_of(*history::parse_utc_time("2026-04-01T00:00:00Z")) == "2026-Q2");
    CHECK(history::quarter_of(*history::parse_utc_time("2026-12-31T12:00:00Z")) == "2026-Q4");
    CHECK(history::quarter_of(*history::parse_utc_time("0999-05-01T00:00:00Z")) == "0999-Q2");
    CHECK(history::parse_utc_time("0000-01-01T00:00:00Z").has_value());
    CHECK(history::parse_utc_time("9999-12-31T23:59:59Z").has_value());
}

TEST_CASE("kpi: supported ratios and pinned-artifact coverage per run") {
    Builder b;
    history::Run &r1 = b.run("2026-06-01T10:00:00Z", "2026-06-01");
    // 3 claims, 2 top: top 1/2 supported, claims 2/3.
    r1.claims = {
        {"m.A", true, "supported"}, {"m.B", true, "unsupported"}, {"m.C", false, "supported"}};
    // 4 artifacts: 2 verified, 1 changed, 1 unrecorded: coverage 2/4 (50.0%).
    r1.artifacts = {{"m.a1", "a1", "x", "verified"},
                    {"m.a2", "a2", "y", "changed"},
                    {"m.a3", "a3", "z", "verified"},
                    {"m.a4", "a4", "", "unrecorded"}};
    history::Run &r2 = b.run("2026-06-02T10:00:00Z", "2026-06-02");
    r2.claims = {{"m.A", true, "supported"}, {"m.B", true, "supported"}, {"m.C", false, "unknown"}};
    r2.artifacts = {{"m.a1", "a1", "", "missing"}};
    const auto k = b.kpis();
    REQUIRE(k.runs.size() == 2);
    CHECK(k.runs[0].top_claims == history::Ratio{1, 2});
    CHECK(k.runs[0].claims == history::Ratio{2, 3});
    CHECK(k.runs[0].artifacts_verified == history::Ratio{2, 4});
    CHECK(k.runs[0].changed == 1);
    CHECK(k.runs[0].unrecorded == 1);
    CHECK(k.runs[0].missing == 0);
    CHECK(history::percent_text(k.runs[0].artifacts_verified) == "50.0");
    CHECK(k.runs[1].top_claims == history::Ratio{2, 2});
    CHECK(k.runs[1].claims == history::Ratio{2, 3}); // m.C unknown is not supported
    CHECK(k.runs[1].artifacts_verified == history::Ratio{0, 1});
    CHECK(k.runs[1].missing == 1);
    CHECK(k.runs[1].judged_at == "2026-06-02");
}

TEST_CASE("kpi: evidence freshness: days to expiry, expiring, expired, age") {
    Builder b;
    history::Run &r = b.run("2026-06-01T10:00:00Z", "2026-06-01");
    r.evidence = {
        // valid until 2026-06-10: 9 days left: expiring (<= 30).
        {"m.A", "valid", {}, "2026-06-10", "2026-01-01"}, // age 2026-01-01 -> 06-01: 151 days
        // valid until 2026-05-31: -1 day: expired.
        {"m.B", "invalid", {"evidence_expired: ..."}, "2026-05-31", "2025-06-01"}, // age 365
        // valid until 2026-07-15: 44 days left: valid (expiring only with --within 44).
        {"m.C", "valid", {}, "2026-07-15", ""},
        // valid on the last day: 0 days left, expiring, not expired.
        {"m.D", "valid", {}, "2026-06-01", ""},
        {"m.E", "valid", {}, "", ""}, // never expires, undated: counts in neither
    };
    const auto k = b.kpis();
    const history::RunKpis &p = k.runs.at(0);
    CHECK(p.with_expiry == 4);
    CHECK(p.min_days_left == -1);
    CHECK(p.expired == 1);
    CHECK(p.expiring == 2); // m.A (9), m.D (0)
    CHECK(p.dated == 2);
    CHECK(p.age_days_sum == 516); // 151 + 365: mean 258
    CHECK(history::exact_quotient(p.age_days_sum, p.dated) == "258");
    CHECK(p.max_age_days == 365);
    REQUIRE(k.expiry.size() == 4);
    CHECK(k.expiry[0].name == "m.A");
    CHECK(k.expiry[0].days_left == 9);
    CHECK(k.expiry[0].state == "expiring");
    CHECK(k.expiry[1].state == "expired");
    CHECK(k.expiry[2].days_left == 44);
    CHECK(k.expiry[2].state == "valid");
    CHECK(k.expiry[3].state == "expiring");
    const auto wide = b.kpis(44);
    CHECK(wide.runs[0].expiring == 3); // m.C at exactly 44 days joins
    CHECK(wide.expiry[2].state == "expiring");
}

TEST_CASE("kpi: open defeaters and the age of their continuous openness") {
    Builder b;
    // Run 1 (day 1): D open.       E not recorded as open.
    // Event 2 (day 2 00:00): open:m.E.
    // Run 3 (day 2 12:00): D open, E open -> E dates from event 2 (earlier than run 3).
    // Run 4 (day 3): D resolved, E open.
    // Run 5 (day 5): D open again (from run 5), E open since event 2.
    const auto defeater = [](const char *name, const char *status) {
        return history::DefeaterRecord{name, "m.Target", status, std::string(status) == "open"};
    };
    b.run("2026-01-01T00:00:00Z", "2026-01-01").defeaters = {defeater("m.D", "open"),
                                                             defeater("m.E", "resolved")};
    b.event("2026-01-02T00:00:00Z", {"open:m.E"});
    b.run("2026-01-02T12:00:00Z", "2026-01-02").defeaters = {defeater("m.D", "open"),
                                                             defeater("m.E", "open")};
    b.run("2026-01-03T00:00:00Z", "2026-01-03").defeaters = {defeater("m.D", "resolved"),
                                                             defeater("m.E", "open")};
    b.run("2026-01-05T00:00:00Z", "2026-01-05").defeaters = {defeater("m.D", "open"),
                                                             defeater("m.E", "open")};
    const auto k = b.kpis();
    REQUIRE(k.runs.size() == 4);
    CHECK(k.runs[0].open_defeaters == 1);
    CHECK(k.runs[0].oldest_open_seconds == 0);
    CHECK(k.runs[1].open_defeaters == 2);
    // D open since run 1 (day 1 00:00) at run 3 (day 2 12:00): 36 h = 129600 s.
    CHECK(k.runs[1].oldest_open_seconds == 129600);
    CHECK(k.runs[2].open_defeaters == 1);
    // E since event 2 (day 2 00:00) at run 4 (day 3 00:00): 86400.
    CHECK(k.runs[2].oldest_open_seconds == 86400);
    CHECK(k.runs[3].open_defeaters == 2);
    REQUIRE(k.open_defeaters.size() == 2);
    CHECK(k.open_defeaters[0].name == "m.D");
    CHECK(k.open_defeaters[0].since_seq == 5); // its openness broke at run 4
    CHECK(k.open_defeaters[0].age_seconds == 0);
    CHECK(k.open_defeaters[1].name == "m.E");
    CHECK(k.open_defeaters[1].target == "m.Target");
    CHECK(k.open_defeaters[1].since_seq == 2);
    CHECK(k.open_defeaters[1].since == "2026-01-02T00:00:00Z");
    CHECK(k.open_defeaters[1].age_seconds == 3 * 86400); // day 2 -> day 5
}

TEST_CASE("kpi: an open: event cancelled by resolve: before the run does not date the openness") {
    Builder b;
    b.event("2026-01-01T00:00:00Z", {"open:m.D"});
    b.event("2026-01-01T06:00:00Z", {"resolve:m.D"});
    b.run("2026-01-02T00:00:00Z", "2026-01-02").defeaters = {{"m.D", "m.T", "open", true}};
    const auto k = b.kpis();
    REQUIRE(k.open_defeaters.size() == 1);
    CHECK(k.open_defeaters[0].since_seq == 3);
    CHECK(k.open_defeaters[0].age_seconds == 0);
}

TEST_CASE("kpi: time to re-assure a top claim, from the triggering event, open episodes") {
    Builder b;
    b.top("2026-01-01T00:00:00Z", "supported");                  // 1
    b.event("2026-01-02T00:00:00Z", {"fail:m.E"});               // 2
    b.top("2026-01-02T06:00:00Z", "unsupported", /*trigger=*/2); // 3: lost; starts at event 2
    b.top("2026-01-03T00:00:00Z", "unsupported");                // 4: still lost
    // An impact run is a what-if: its verdicts neither end nor begin an episode.
    b.top("2026-01-03T12:00:00Z", "supported", 0, "impact"); // 5
    b.top("2026-01-04T12:00:00Z", "supported");              // 6: regained
    // Closed: 2026-01-02T00:00 -> 2026-01-04T12:00 = 2 d 12 h = 216000 s.
    b.top("2026-01-05T00:00:00Z", "unsupported"); // 7: lost, no trigger: starts at the run
    b.top("2026-01-05T08:00:00Z", "supported");   // 8: regained after 8 h = 28800 s
    b.top("2026-01-05T20:00:00Z", "unsupported", 0, "impact"); // 9: what-if, ignored
    b.top("2026-01-06T00:00:00Z", "unsupported");              // 10: lost, open
    b.event("2026-01-07T00:00:00Z", {"attest:m.E"}); // 11: the last entry: open for 86400 s
    const auto k = b.kpis();
    CHECK(k.impact_runs == 2);
    CHECK(k.runs.size() == 7);
    REQUIRE(k.episodes.size() == 3);
    CHECK(k.episodes[0].claim == "m.G");
    CHECK(k.episodes[0].lost_seq == 3);
    CHECK(k.episodes[0].start_seq == 2);
    CHECK(k.episodes[0].start_at == "2026-01-02T00:00:00Z");
    CHECK(k.episodes[0].regained_seq == 6);
    CHECK(k.episodes[0].seconds == 216000);
    CHECK(k.episodes[1].start_seq == 7);
    CHECK(k.episodes[1].regained_seq == 8);
    CHECK(k.episodes[1].seconds == 28800);
    CHECK(k.episodes[2].open());
    CHECK(k.episodes[2].lost_seq == 10);
    CHECK(k.episodes[2].end_at == "2026-01-07T00:00:00Z");
    CHECK(k.episodes[2].seconds == 86400);
    CHECK(k.closed_episodes == 2);
    CHECK(k.open_episodes == 1);
    CHECK(k.reassure_mean_seconds == "122400"); // (216000 + 28800) / 2
    CHECK(k.reassure_max_seconds == 216000);
}

TEST_CASE("kpi: a top claim never supported has no episode; a mean may be a fraction") {
    Builder b;
    b.top("2026-01-01T00:00:00Z", "unsupported");
    b.top("2026-01-01T00:00:01Z", "supported");
    b.top("2026-01-01T00:00:02Z", "unsupported"); // lost at 2 s
    b.top("2026-01-01T00:00:03Z", "supported");   // 1 s
    b.top("2026-01-01T00:00:04Z", "unsupported"); // lost at 4 s
    b.top("2026-01-01T00:00:06Z", "supported");   // 2 s
    b.top("2026-01-01T00:00:07Z", "unsupported"); // lost at 7 s
    b.top("2026-01-01T00:00:08Z", "supported");   // 1 s
    const auto k = b.kpis();
    REQUIRE(k.episodes.size() == 3);
    CHECK(k.closed_episodes == 3);
    CHECK(k.reassure_mean_seconds == "4/3"); // (1 + 2 + 1) / 3
    CHECK(k.reassure_max_seconds == 2);
}

TEST_CASE("kpi: re-verification cost per change, exact") {
    Builder b;
    b.top("2026-01-01T00:00:00Z", "supported");
    auto &i1 = b.top("2026-01-02T00:00:00Z", "unsupported", 0, "impact");
    i1.plan_cost = "1.5";
    i1.plan = {"m.E1"};
    auto &i2 = b.top("2026-01-03T00:00:00Z", "unsupported", 0, "impact");
    i2.plan_cost = "2";
    i2.plan = {"m.E1", "m.E2"};
    b.top("2026-01-04T00:00:00Z", "supported", 0, "impact"); // nothing to re-verify: no plan
    auto k = b.kpis();
    REQUIRE(k.costs.size() == 3);
    CHECK(k.costs[0].cost == "1.5");
    CHECK(k.costs[1].evidence == 2);
    CHECK(k.costs[2].cost.empty());
    CHECK(k.costed == 2);
    CHECK(k.cost_mean == "1.75"); // (1.5 + 2) / 2
    auto &i4 = b.top("2026-01-05T00:00:00Z", "unsupported", 0, "impact");
    i4.plan_cost = "0.5";
    k = b.kpis();
    CHECK(k.costed == 3);
    CHECK(k.cost_mean == "4/3"); // (1.5 + 2 + 0.5) / 3
    // No impact run changes the state KPIs: the only state run is the first.
    CHECK(k.runs.size() == 1);
    CHECK(k.episodes.empty());
}

TEST_CASE("kpi: monitoring alarms per quarter raised, time to resolve, still open; releases") {
    Builder b;
    b.event("2026-03-30T00:00:00Z", {"fail:m.E"});                             // 1, Q1
    b.event("2026-04-02T00:00:00Z", {"attest:m.E=2026-04-01"});                // 2: 3 d = 259200
    b.event("2026-04-10T00:00:00Z", {"pending:m.F", "open:m.D"});              // 3, Q2 (two)
    b.event("2026-04-11T00:00:00Z", {"resolve:m.D", "attest:m.X"});            // 4: D after 86400
    b.event("2026-04-20T00:00:00Z", {"resolve:m.F", "expire:m.F=2026-05-01"}); // 5: no effect on F
    b.event("2026-05-01T00:00:00Z", {"clear:m.F"});                            // 6: F after 21 d
    b.event("2026-08-01T00:00:00Z", {"withdraw:m.E"});                         // 7, Q3: open
    b.event("2026-10-01T00:00:00Z", {"release:abc123=verified", "release:def456", "reload"});
    const auto k = b.kpis();
    CHECK(k.events == 8);
    CHECK(k.runs.empty());
    REQUIRE(k.alarms.size() == 4);
    CHECK(k.alarms[0].spec == "fail:m.E");
    CHECK(k.alarms[0].resolved_seq == 2);
    CHECK(k.alarms[0].seconds == 259200);
    CHECK(k.alarms[1].spec == "pending:m.F");
    CHECK(k.alarms[1].resolved_seq == 6);
    CHECK(k.alarms[1].seconds == 21 * 86400); // 1814400
    CHECK(k.alarms[2].spec == "open:m.D");
    CHECK(k.alarms[2].resolved_seq == 4);
    CHECK(k.alarms[2].seconds == 86400);
    CHECK(k.alarms[3].open());
    CHECK(k.alarms[3].seconds == 61 * 86400); // 2026-08-01 -> 2026-10-01, the last entry
    CHECK(k.alarms_raised == 4);
    CHECK(k.alarms_resolved == 3);
    CHECK(k.alarms_open == 1);
    // (259200 + 1814400 + 86400) / 3 = 720000.
    CHECK(k.resolve_mean_seconds == "720000");
    CHECK(k.resolve_max_seconds == 1814400);
    REQUIRE(k.quarters.size() == 4);
    CHECK(k.quarters[0].quarter == "2026-Q1");
    CHECK(k.quarters[0].raised == 1);
    CHECK(k.quarters[0].resolved == 1); // raised in Q1, resolved in Q2: counted in Q1
    CHECK(k.quarters[0].max_resolve_seconds == 259200);
    CHECK(k.quarters[1].raised == 2);
    CHECK(k.quarters[1].resolved == 2);
    // Q2 mean: (1814400 + 86400) / 2 = 950400.
    CHECK(history::exact_quotient(k.quarters[1].resolve_seconds_sum, k.quarters[1].resolved) ==
          "950400");
    CHECK(k.quarters[2].raised == 1);
    CHECK(k.quarters[2].resolved == 0);
    CHECK_FALSE(k.quarters[2].max_resolve_seconds.has_value());
    CHECK(k.quarters[3].quarter == "2026-Q4");
    CHECK(k.quarters[3].raised == 0);
    REQUIRE(k.releases.size() == 2);
    CHECK(k.releases[0].commit == "abc123");
    CHECK(k.releases[0].packet == "verified");
    CHECK(k.releases[1].packet.empty());
    CHECK(k.releases_verified == history::Ratio{1, 2});
}

TEST_CASE("kpi: delta runs are expanded before anything is computed") {
    Builder b;
    history::Run full1 = b.top("2026-01-01T00:00:00Z", "supported");
    full1.evidence = {{"m.E", "valid", {}, "2026-03-01", "2025-12-01"},
                      {"m.F", "valid", {}, "2026-01-20", ""}};
    full1.artifacts = {{"m.a", "a", "x", "verified"}, {"m.b", "b", "y", "verified"}};
    b.entries[0].run = full1;
    // Run 2 as the service records it: only what changed (G lost, F expired), delta of run 1.
    history::Run full2 = full1;
    full2.recorded_at = "2026-01-21T00:00:00Z";
    full2.judged_at = "2026-01-21";
    full2.claims[0].verdict = "unsupported";
    full2.evidence[1].status = "invalid";
    history::Entry e2;
    e2.seq = 2;
    e2.kind = "run";
    e2.run = history::delta_run(full1, 1, full2);
    REQUIRE(e2.run.claims.size() == 1);   // only m.G listed
    REQUIRE(e2.run.artifacts.empty());    // nothing changed
    REQUIRE(e2.run.evidence.size() == 1); // only m.F
    b.entries.push_back(e2);
    const auto k = b.kpis();
    REQUIRE(k.runs.size() == 2);
    CHECK(k.runs[1].claims == history::Ratio{1, 2}); // m.sub comes from run 1
    CHECK(k.runs[1].top_claims == history::Ratio{0, 1});
    CHECK(k.runs[1].artifacts_verified == history::Ratio{2, 2});
    // Judged at 2026-01-21: E has 39 days left, F expired yesterday (-1).
    CHECK(k.runs[1].with_expiry == 2);
    CHECK(k.runs[1].min_days_left == -1);
    CHECK(k.runs[1].expired == 1);
    CHECK(k.runs[1].expiring == 0);
    CHECK(k.runs[1].age_days_sum == 51); // 2025-12-01 -> 2026-01-21
    REQUIRE(k.episodes.size() == 1);
    CHECK(k.episodes[0].lost_seq == 2);
    CHECK(k.episodes[0].seconds == 0); // the last entry is the run that lost it
}

TEST_CASE("kpi: a malformed time or date is refused with its entry") {
    Builder b;
    b.top("2026-01-01T00:00:00Z", "supported");
    b.top("2026-01-02T00:00:00Z", "supported").evidence = {{"m.E", "valid", {}, "2026-02-30", ""}};
    history::KpiError error;
    CHECK_FALSE(history::compute_kpis(b.entries, {}, error).has_value());
    CHECK(error.seq == 2);
    CHECK(error.message.find("valid_until") != std::string::npos);
    b.entries[1].run.evidence.clear();
    b.event("soon", {"fail:m.E"});
    CHECK_FALSE(history::compute_kpis(b.entries, {}, error).has_value());
    CHECK(error.seq == 3);
    CHECK(error.message.find("recorded_at") != std::string::npos);
    b.entries.pop_back();
    b.top("2026-01-03T00:00:00Z", "supported", 0, "impact").plan_cost = "a lot";
    CHECK_FALSE(history::compute_kpis(b.entries, {}, error).has_value());
    CHECK(error.message.find("plan_cost") != std::string::npos);
}

TEST_CASE("kpi: rendering: empty history, text board, JSON document") {
    Builder empty;
    const auto none = empty.kpis();
    CHECK(history::render_kpi_text(none).find("nothing to compute") != std::string::npos);
    const auto nj = nlohmann::json::parse(history::render_kpi_json(none));
    CHECK(nj["format"] == "assure-kpi");
    CHECK(nj["entries"] == 0);
    CHECK(nj["summary"]["last_run"].is_null());

    Builder b;
    b.top("2026-01-01T00:00:00Z", "supported");
    b.event("2026-01-02T00:00:00Z", {"fail:m.E", "release:v1=verified"});
    b.top("2026-01-02T06:00:00Z", "unsupported", 2);
    b.top("2026-01-03T00:00:00Z", "supported");
    const auto k = b.kpis();
    const std::string text = history::render_kpi_text(k);
    CHECK(text == history::render_kpi_text(b.kpis())); // deterministic
    CHECK(text.find("top claims supported  1/1") != std::string::npos);
    CHECK(text.find("1 closed, 0 open; mean 1 d (86400 s)") != std::string::npos);
    CHECK(text.find("1 raised, 0 resolved, 1 open") != std::string::npos);
    CHECK(text.find("releases: 1, 1/1 with a verified") != std::string::npos);
    const auto j = nlohmann::json::parse(history::render_kpi_json(k));
    CHECK(j["version"] == 1);
    CHECK(j["series"].size() == 3);
    CHECK(j["series"][1]["trigger"] == 2);
    CHECK(j["series"][1]["top_claims"]["ratio"] == "0/1");
    CHECK(j["series"][1]["top_claims"]["percent"] == "0.0");
    CHECK(j["summary"]["time_to_reassure"]["mean_seconds"] == "86400");
    CHECK(j["summary"]["time_to_reassure"]["episodes"][0]["start_seq"] == 2);
    CHECK(j["summary"]["alarms"]["list"][0]["open"] == true);
    CHECK(j["summary"]["releases"]["percent"] == "100.0");
    CHECK(j["summary"]["reverification_cost"]["mean"].is_null());
}

TEST_CASE("kpi: a history written through the store, with events and a delta run") {
    std::string dir = (std::filesystem::temp_directory_path() / "assure-kpi-XXXXXX").string();
    REQUIRE(mkdtemp(dir.data()) != nullptr);
    const std::string path = dir + "/h.db";
    {
        history::StoreError error;
        auto store = history::open_store(path, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(store != nullptr, error.message);
        Builder b;
        history::Run r1 = b.top("2026-05-01T00:00:00Z", "supported");
        r1.evidence = {{"m.E", "valid", {}, "2026-06-01", "2026-04-01"}};
        history::Entry sealed;
        REQUIRE(store->append(r1, sealed, error));
        history::Event ev;
        ev.recorded_at = "2026-05-02T00:00:00Z";
        ev.source = "event";
        ev.specs = {"fail:m.E", "release:abc=verified"};
        REQUIRE(store->append(ev, sealed, error)); // entry 2
        history::Run r3 = r1;
        r3.recorded_at = "2026-05-02T00:00:05Z";
        r3.judged_at = "2026-05-02";
        r3.command = "serve";
        r3.claims[0].verdict = "unsupported";
        r3.evidence[0].status = "invalid";
        REQUIRE(store->append(history::delta_run(r1, 1, r3), sealed, error)); // entry 3
        ev.recorded_at = "2026-05-03T12:00:00Z";
        ev.specs = {"attest:m.E"};
        REQUIRE(store->append(ev, sealed, error)); // entry 4
        history::Run r5 = r1;
        r5.recorded_at = "2026-05-03T12:00:03Z";
        r5.judged_at = "2026-05-03";
        r5.command = "serve";
        r5.trigger = 4;
        REQUIRE(store->append(history::delta_run(r3, 3, r5), sealed, error)); // entry 5
    }
    history::StoreError error;
    auto store = history::open_store(path, history::OpenMode::Read, error);
    REQUIRE(store != nullptr);
    std::vector<history::Entry> entries;
    std::int64_t head_count = 0;
    std::string head_hash;
    REQUIRE(store->load(entries, head_count, head_hash, error));
    REQUIRE(entries.size() == 5);
    CHECK(entries[2].run.delta_of == 1);
    history::KpiError kerr;
    const auto k = history::compute_kpis(entries, {}, kerr);
    REQUIRE(k.has_value());
    CHECK(k->last_hash == head_hash);
    REQUIRE(k->runs.size() == 3);
    CHECK(k->runs[1].claims == history::Ratio{1, 2}); // m.sub from run 1 through the delta
    CHECK(k->runs[2].top_claims == history::Ratio{1, 1});
    // Judged at 2026-05-03, m.E (valid until 2026-06-01) has 29 days left: expiring; its date
    // 2026-04-01 makes it 32 days old.
    CHECK(k->runs[2].min_days_left == 29);
    CHECK(k->runs[2].expiring == 1);
    CHECK(k->runs[2].max_age_days == 32);
    // Lost at run 3 (no trigger recorded: from the run, 2026-05-02T00:00:05Z), regained at run 5
    // (2026-05-03T12:00:03Z): 1 d 11 h 59 min 58 s = 129598 s.
    REQUIRE(k->episodes.size() == 1);
    CHECK(k->episodes[0].start_seq == 3);
    CHECK(k->episodes[0].seconds == 129598);
    // fail:m.E raised at 2026-05-02T00:00:00Z, attest:m.E at 2026-05-03T12:00:00Z: 129600 s.
    REQUIRE(k->alarms.size() == 1);
    CHECK(k->alarms[0].seconds == 129600);
    CHECK(k->quarters.size() == 1);
    CHECK(k->quarters[0].quarter == "2026-Q2");
    CHECK(k->releases_verified == history::Ratio{1, 1});
    std::filesystem::remove_all(dir);
}
