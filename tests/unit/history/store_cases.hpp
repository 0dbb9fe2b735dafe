// SPDX-License-Identifier: Apache-2.0
#pragma once

// A sample run, and the store tests every backend passes: SQLite (test_chain.cpp) and
// PostgreSQL (test_pg_store.cpp) run the same checks on a fresh history at `location`.

#include "history/chain.hpp"
#include "history/render.hpp"
#include "history/store.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

namespace history_test {

namespace history = assure::history;

inline history::Run sample_run(const std::string &verdict, const std::string &evidence_status) {
    history::Run r;
    r.recorded_at = "2026-06-01T10:00:00Z";
    r.judged_at = "2026-06-01";
    r.assure_version = "0.1.0";
    r.z3_version = "4.8.12";
    r.command = "prove";
    r.arguments = {"prove", "case.assure"};
    r.result = verdict;
    r.files = {{"case.assure", std::string(64, 'a')}};
    r.case_digest = history::case_digest(r.files);
    r.artifacts = {{"m.report", "reports/r.json", std::string(64, 'b'), "verified"}};
    r.claims = {{"m.G", true, verdict}, {"m.G_sub", false, verdict}};
    std::vector<std::string> reasons;
    if (evidence_status != "valid") {
        reasons.push_back("evidence_failed: the result is fail");
    }
    r.evidence = {{"m.E", evidence_status, reasons, "", ""}};
    if (verdict != "supported") {
        r.findings = {{"root_cause", "m.G", "m.E", "evidence_failed: the result is fail"}};
    }
    return r;
}

/// Two runs appended, reopened for reading: as appended, and the chain verifies.
inline void check_append_reload_verify(const std::string &location) {
    history::StoreError error;
    {
        auto store = history::open_store(location, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(store, error.message);
        CHECK(store->schema_version() == history::kSchemaVersion);
        history::Entry sealed;
        REQUIRE(store->append(sample_run("supported", "valid"), sealed, error));
        CHECK(sealed.seq == 1);
        REQUIRE(store->append(sample_run("unsupported", "invalid"), sealed, error));
        CHECK(sealed.seq == 2);
    }
    auto store = history::open_store(location, history::OpenMode::Read, error);
    REQUIRE_MESSAGE(store, error.message);
    std::vector<history::Entry> entries;
    std::int64_t count = 0;
    std::string head;
    REQUIRE(store->load(entries, count, head, error));
    REQUIRE(entries.size() == 2);
    CHECK(count == 2);
    CHECK(head == entries[1].hash);
    CHECK(entries[0].run == sample_run("supported", "valid"));
    CHECK(entries[1].run == sample_run("unsupported", "invalid"));
    CHECK_FALSE(history::verify_chain(entries, count, head).has_value());
    const std::string text = history::render_history_text(entries);
    CHECK(text.find("claim lost: m.G (supported -> unsupported)") != std::string::npos);
}

/// A run with every schema v2 field, an event and a delta run: read back as written, the delta
/// expands to the run it stands for, load_after reads the later entries only, and an edited
/// event breaks the chain at its entry.
inline void check_events_and_deltas(const std::string &location) {
    history::StoreError error;
    history::Run first = sample_run("supported", "valid");
    first.git_commit = std::string(40, 'c');
    first.evidence[0].valid_until = "2027-03-31";
    first.evidence[0].date = "2026-10-15";
    first.defeaters = {{"m.D", "m.E", "resolved", false}};
    first.plan_cost = "3/2";
    first.plan = {"m.E", "m.E2"};
    history::Run second = sample_run("unsupported", "invalid");
    second.defeaters = {{"m.D", "m.E", "open", true}};
    second.trigger = 2;
    history::Event ev;
    ev.recorded_at = "2026-11-24T08:00:00Z";
    ev.source = "serve";
    ev.case_digest = first.case_digest;
    ev.specs = {"open:m.D", "fail:m.E"};
    ev.note = "drift alarm: \"recall\" < 0.9\nsee the dashboard";
    {
        auto store = history::open_store(location, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(store, error.message);
        history::Entry sealed;
        REQUIRE(store->append(first, sealed, error));
        REQUIRE(store->append(ev, sealed, error));
        CHECK(sealed.seq == 2);
        CHECK(sealed.is_event());
        REQUIRE(store->append(history::delta_run(first, 1, second), sealed, error));
        CHECK(sealed.run.delta_of == 1);
        CHECK(sealed.run.claims.size() == 2);    // both verdicts changed
        CHECK(sealed.run.artifacts.empty());     // unchanged: not listed
        CHECK(sealed.run.defeaters.size() == 1); // its status changed
    }
    auto store = history::open_store(location, history::OpenMode::Read, error);
    REQUIRE_MESSAGE(store, error.message);
    std::vector<history::Entry> entries;
    std::int64_t count = 0;
    std::string head;
    REQUIRE(store->load(entries, count, head, error));
    REQUIRE(entries.size() == 3);
    CHECK_FALSE(history::verify_chain(entries, count, head).has_value());
    CHECK(entries[0].run == first);
    CHECK(entries[1].event == ev);
    const auto expanded = history::expand_deltas(entries);
    history::Run whole = expanded[2].run;
    CHECK(whole.delta_of == 1);
    whole.delta_of = 0;
    CHECK(whole == second);
    // Later entries only.
    REQUIRE(store->load_after(2, entries, count, head, error));
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].seq == 3);
    CHECK(count == 3);
    // An edited event is found at its entry.
    REQUIRE(store->load(entries, count, head, error));
    entries[1].event.specs[1] = "fail:m.Other";
    const auto broken = history::verify_chain(entries, count, head);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 2);
}

} // namespace history_test
