// SPDX-License-Identifier: Apache-2.0
#include "history/chain.hpp"
#include "history/diff.hpp"
#include "history/render.hpp"
#include "history/store.hpp"
#include "store_cases.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace history = assure::history;
namespace fs = std::filesystem;

namespace {

using history_test::sample_run;

std::vector<history::Entry> chain_of(int n) {
    std::vector<history::Entry> entries;
    for (int k = 0; k < n; ++k) {
        history::Entry e;
        e.run =
            sample_run(k % 2 == 0 ? "supported" : "unsupported", k % 2 == 0 ? "valid" : "invalid");
        e.run.recorded_at = "2026-06-0" + std::to_string(k + 1) + "T10:00:00Z";
        history::seal(e, entries.empty() ? nullptr : &entries.back());
        entries.push_back(std::move(e));
    }
    return entries;
}

struct TempDb {
    fs::path dir;
    TempDb() {
        std::string templ = (fs::temp_directory_path() / "assure-history-XXXXXX").string();
        REQUIRE(mkdtemp(templ.data()) != nullptr);
        dir = templ;
    }
    ~TempDb() { fs::remove_all(dir); }
    [[nodiscard]] std::string path(const char *name) const { return (dir / name).string(); }
};

} // namespace

TEST_CASE("history: an untouched chain verifies") {
    const auto entries = chain_of(4);
    CHECK(entries[0].prev_hash == history::kGenesisHash);
    CHECK(entries[1].prev_hash == entries[0].hash);
    CHECK_FALSE(history::verify_chain(entries, 4, entries.back().hash).has_value());
    CHECK_FALSE(history::verify_chain({}, 0, "").has_value());
}

TEST_CASE("history: an edited verdict is detected at its entry") {
    auto entries = chain_of(4);
    entries[2].run.claims[1].verdict = "supported";
    entries[2].run.claims[1].verdict = "unknown";
    const auto broken = history::verify_chain(entries, 4, entries.back().hash);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 3);
    CHECK(broken->problem.find("edited") != std::string::npos);
}

TEST_CASE("history: an edited evidence reason or timestamp is detected") {
    auto entries = chain_of(3);
    entries[1].run.evidence[0].reasons[0] += ".";
    auto broken = history::verify_chain(entries, 3, entries.back().hash);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 2);
    entries = chain_of(3);
    entries[0].run.recorded_at = "2026-01-01T00:00:00Z";
    broken = history::verify_chain(entries, 3, entries.back().hash);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 1);
}

TEST_CASE("history: a deleted entry is detected at the one after it") {
    auto entries = chain_of(4);
    const std::string head = entries.back().hash;
    entries.erase(entries.begin() + 1);
    const auto broken = history::verify_chain(entries, 4, head);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 3);
}

TEST_CASE("history: deleting entries at the end is detected through the head") {
    auto entries = chain_of(4);
    const std::string head = entries.back().hash;
    entries.pop_back();
    const auto broken = history::verify_chain(entries, 4, head);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 4);
}

TEST_CASE("history: reordered entries are detected at the first one out of place") {
    auto entries = chain_of(4);
    std::swap(entries[1].run, entries[2].run);
    std::swap(entries[1].hash, entries[2].hash);
    std::swap(entries[1].prev_hash, entries[2].prev_hash);
    const auto broken = history::verify_chain(entries, 4, entries.back().hash);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 2);
}

TEST_CASE("history: an inserted, resealed entry is detected at the one after it") {
    auto entries = chain_of(3);
    history::Entry forged;
    forged.run = sample_run("supported", "valid");
    history::seal(forged, &entries[0]);
    entries.insert(entries.begin() + 1, forged);
    for (std::size_t k = 2; k < entries.size(); ++k) {
        entries[k].seq = static_cast<std::int64_t>(k + 1); // renumbered, not resealed
    }
    const auto broken = history::verify_chain(entries, 4, entries.back().hash);
    REQUIRE(broken.has_value());
    CHECK(broken->seq == 3);
}

TEST_CASE("history: the diff names lost and regained claims and evidence, with reasons") {
    const auto good = sample_run("supported", "valid");
    const auto bad = sample_run("unsupported", "invalid");
    auto lost = history::diff_runs(good, bad);
    REQUIRE(lost.size() == 3);
    CHECK(lost[0].kind == "claim_lost");
    CHECK(lost[0].name == "m.G");
    REQUIRE(lost[0].why.size() == 1);
    CHECK(lost[0].why[0] == "m.E: evidence_failed: the result is fail");
    CHECK(lost[1].kind == "claim_lost");
    CHECK(lost[2].kind == "evidence_invalid");
    CHECK(lost[2].why == std::vector<std::string>{"evidence_failed: the result is fail"});
    auto regained = history::diff_runs(bad, good);
    REQUIRE(regained.size() == 3);
    CHECK(regained[0].kind == "claim_regained");
    CHECK(regained[2].kind == "evidence_valid");
    CHECK(history::diff_runs(good, good).empty());
}

TEST_CASE("history: the SQLite store appends, reloads and verifies runs") {
    TempDb tmp;
    history_test::check_append_reload_verify(tmp.path("h.db"));
}

TEST_CASE("history: events and delta runs round-trip through the store and verify") {
    TempDb tmp;
    history_test::check_events_and_deltas(tmp.path("h.db"));
}

TEST_CASE("history: a run with no schema v2 field hashes as schema v1 did") {
    // The canonical form of a v1 run has no key for the v2 fields, so histories recorded
    // before the migration still verify.
    history::Entry e;
    e.run = sample_run("supported", "valid");
    history::seal(e, nullptr);
    const std::string text = history::canonical(e);
    for (const char *key :
         {"git_commit", "trigger", "delta_of", "plan", "defeaters", "valid_until", "\"date\""}) {
        CHECK(text.find(key) == std::string::npos);
    }
}

TEST_CASE("history: a second service on one SQLite history is refused") {
    TempDb tmp;
    const std::string db = tmp.path("h.db");
    history::StoreError error;
    auto one = history::open_store(db, history::OpenMode::Append, error);
    REQUIRE(one);
    REQUIRE(one->claim_service(error));
    auto two = history::open_store(db, history::OpenMode::Append, error);
    REQUIRE(two);
    CHECK_FALSE(two->claim_service(error));
    CHECK(error.kind == history::StoreError::Kind::Busy);
    one.reset();
    CHECK(two->claim_service(error));
}

TEST_CASE("history: a file that is not an assure history is refused and left unmodified") {
    TempDb tmp;
    const std::string path = tmp.path("notes.db");
    { std::ofstream(path) << "these are my notes, not a database\n"; }
    history::StoreError error;
    CHECK_FALSE(history::open_store(path, history::OpenMode::Append, error));
    CHECK(error.kind == history::StoreError::Kind::NotHistory);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == "these are my notes, not a database\n");
    CHECK_FALSE(fs::exists(path + "-wal"));
    CHECK_FALSE(history::open_store(tmp.path("missing.db"), history::OpenMode::Read, error));
    CHECK(error.kind == history::StoreError::Kind::Unavailable);
}
