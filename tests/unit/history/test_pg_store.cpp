// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL store against a real server: the URL of a test cluster in ASSURE_TEST_PG_URL
// (tests/support/pg_cluster.sh; the CTest `unit:postgresql` sets it). Without it these cases are
// skipped here, and that CTest fails instead: it never runs without a server.
#include "history/store.hpp"
#include "store_cases.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <doctest/doctest.h>
#include <pqxx/pqxx>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace history = assure::history;

namespace {

std::string pg_url() {
    const char *url = std::getenv("ASSURE_TEST_PG_URL");
    return url != nullptr ? url : "";
}

bool no_server() {
    return pg_url().empty();
}

/// `url` naming database `name` instead of its own.
std::string with_database(const std::string &url, const std::string &name) {
    const std::size_t slash = url.find('/', url.find("://") + 3);
    REQUIRE(slash != std::string::npos);
    const std::size_t query = url.find('?', slash);
    return url.substr(0, slash + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

/// Runs SQL on the database `url` names (test set-up and inspection, beside the store).
pqxx::result sql(const std::string &url, const std::string &statement) {
    pqxx::connection conn(url);
    pqxx::nontransaction n(conn);
    return n.exec(statement);
}

/// A fresh, empty database on the test server, dropped at the end of the test.
struct TempPgDb {
    std::string name;
    std::string url;
    TempPgDb() {
        static int counter = 0;
        name = "assure_unit_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        sql(pg_url(), "CREATE DATABASE " + name);
        url = with_database(pg_url(), name);
    }
    TempPgDb(const TempPgDb &) = delete;
    TempPgDb &operator=(const TempPgDb &) = delete;
    ~TempPgDb() {
        try {
            sql(pg_url(), "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (const std::exception &) {
            // Left for the cluster's removal.
        }
    }
};

/// The tables of the database's public schema, and their rows, as one text.
std::string contents(const std::string &url) {
    std::string out;
    for (const auto &table : sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = "
                                      "'public' ORDER BY tablename")) {
        const std::string name = table[0].c_str();
        out += name + ":";
        for (const auto &row : sql(url, "SELECT t::text FROM " + name + " t ORDER BY t::text")) {
            out += " " + std::string(row[0].c_str());
        }
        out += "\n";
    }
    return out;
}

} // namespace

TEST_SUITE("history: PostgreSQL" * doctest::skip(no_server())) {

    TEST_CASE("history: the PostgreSQL store appends, reloads and verifies runs") {
        TempPgDb db;
        history_test::check_append_reload_verify(db.url);
        // The logical schema: the migrations of schema v2, the head in assure_meta.
        const auto versions =
            sql(db.url, "SELECT version, description FROM assure_schema ORDER BY 1");
        REQUIRE(versions.size() == 2);
        CHECK(versions[0][0].as<int>() == 1);
        CHECK(std::string(versions[0][1].c_str()) == "runs in one hash chain");
        CHECK(versions[1][0].as<int>() == 2);
        const auto meta = sql(db.url, "SELECT value FROM assure_meta WHERE key = 'head_seq'");
        CHECK(std::string(meta[0][0].c_str()) == "2");
    }

    TEST_CASE("history: events and delta runs round-trip through the PostgreSQL store and verify") {
        TempPgDb db;
        history_test::check_events_and_deltas(db.url);
    }

    TEST_CASE("history: a run with many claims is stored and read back whole") {
        TempPgDb db;
        history::Run run = history_test::sample_run("supported", "valid");
        run.claims.clear();
        for (int k = 0; k < 20000; ++k) {
            run.claims.push_back(
                {"m.G" + std::to_string(k), k == 0, k % 3 == 0 ? "unknown" : "supported"});
        }
        run.findings.push_back(
            {"risk", "m.H", "m.G1", "tab\there, back\\slash, quote ', unicode é"});
        history::StoreError error;
        auto store = history::open_store(db.url, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(store, error.message);
        history::Entry sealed;
        REQUIRE(store->append(run, sealed, error));
        std::vector<history::Entry> entries;
        std::int64_t count = 0;
        std::string head;
        REQUIRE(store->load(entries, count, head, error));
        REQUIRE(entries.size() == 1);
        CHECK(entries[0].run == run);
        CHECK_FALSE(history::verify_chain(entries, count, head).has_value());
    }

    TEST_CASE("history: a second service on one PostgreSQL history is refused") {
        TempPgDb db;
        history::StoreError error;
        auto one = history::open_store(db.url, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(one, error.message);
        REQUIRE(one->claim_service(error));
        auto two = history::open_store(db.url, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(two, error.message);
        CHECK_FALSE(two->claim_service(error));
        CHECK(error.kind == history::StoreError::Kind::Busy);
        // The first still appends while it holds the service.
        history::Entry sealed;
        CHECK(one->append(history_test::sample_run("supported", "valid"), sealed, error));
        one.reset(); // closing the store releases the claim
        CHECK(two->claim_service(error));
        // Another database of the same server is another history, with its own claim.
        TempPgDb other;
        auto three = history::open_store(other.url, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(three, error.message);
        CHECK(three->claim_service(error));
    }

    TEST_CASE("history: the PostgreSQL service claim ends when its process is killed") {
        TempPgDb db;
        history::StoreError error;
        REQUIRE(history::open_store(db.url, history::OpenMode::Append, error)); // create it
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            ::close(ready[0]);
            history::StoreError child_error;
            auto held = history::open_store(db.url, history::OpenMode::Append, child_error);
            const char ok = held && held->claim_service(child_error) ? 'y' : 'n';
            (void)!::write(ready[1], &ok, 1);
            ::pause(); // until killed
            ::_exit(0);
        }
        ::close(ready[1]);
        char got = 0;
        REQUIRE(::read(ready[0], &got, 1) == 1);
        ::close(ready[0]);
        CHECK(got == 'y');
        auto store = history::open_store(db.url, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(store, error.message);
        CHECK_FALSE(store->claim_service(error));
        CHECK(error.kind == history::StoreError::Kind::Busy);
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        // The server sees the closed socket and ends the session, and with it the lock.
        bool claimed = false;
        for (int attempt = 0; attempt < 100 && !claimed; ++attempt) {
            claimed = store->claim_service(error);
            if (!claimed) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
        }
        CHECK(claimed);
    }

    TEST_CASE("history: a PostgreSQL database that is not an assure history is refused untouched") {
        TempPgDb db;
        sql(db.url, "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine')");
        const std::string before = contents(db.url);
        history::StoreError error;
        CHECK_FALSE(history::open_store(db.url, history::OpenMode::Append, error));
        CHECK(error.kind == history::StoreError::Kind::NotHistory);
        CHECK_FALSE(history::open_store(db.url, history::OpenMode::Read, error));
        CHECK(error.kind == history::StoreError::Kind::NotHistory);
        CHECK(contents(db.url) == before);
        // A table named assure_meta of another form.
        TempPgDb other;
        sql(other.url, "CREATE TABLE assure_meta(k INTEGER)");
        CHECK_FALSE(history::open_store(other.url, history::OpenMode::Append, error));
        CHECK(error.kind == history::StoreError::Kind::NotHistory);
    }

    TEST_CASE("history: a PostgreSQL history of a newer schema is refused untouched") {
        TempPgDb db;
        history::StoreError error;
        {
            auto store = history::open_store(db.url, history::OpenMode::Append, error);
            REQUIRE_MESSAGE(store, error.message);
            history::Entry sealed;
            REQUIRE(store->append(history_test::sample_run("supported", "valid"), sealed, error));
        }
        sql(db.url, "INSERT INTO assure_schema VALUES (99, 'from the future')");
        const std::string before = contents(db.url);
        CHECK_FALSE(history::open_store(db.url, history::OpenMode::Append, error));
        CHECK(error.kind == history::StoreError::Kind::TooNew);
        CHECK(error.message.find("schema version 99") != std::string::npos);
        CHECK_FALSE(history::open_store(db.url, history::OpenMode::Read, error));
        CHECK(error.kind == history::StoreError::Kind::TooNew);
        CHECK(contents(db.url) == before);
    }

    TEST_CASE("history: reading a PostgreSQL history never writes") {
        TempPgDb db;
        history::StoreError error;
        // An empty database is not a history to read, and stays empty.
        CHECK_FALSE(history::open_store(db.url, history::OpenMode::Read, error));
        CHECK(error.kind == history::StoreError::Kind::NotHistory);
        CHECK(contents(db.url).empty());
        {
            auto store = history::open_store(db.url, history::OpenMode::Append, error);
            REQUIRE_MESSAGE(store, error.message);
            history::Entry sealed;
            REQUIRE(store->append(history_test::sample_run("supported", "valid"), sealed, error));
        }
        const std::string before = contents(db.url);
        auto reader = history::open_store(db.url, history::OpenMode::Read, error);
        REQUIRE_MESSAGE(reader, error.message);
        history::Entry sealed;
        CHECK_FALSE(reader->append(history_test::sample_run("supported", "valid"), sealed, error));
        CHECK(error.kind == history::StoreError::Kind::Unavailable);
        CHECK(contents(db.url) == before);
    }

    TEST_CASE("history: two PostgreSQL stores appending in turn keep one chain") {
        TempPgDb db;
        history::StoreError error;
        auto one = history::open_store(db.url, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(one, error.message);
        auto two = history::open_store(db.url, history::OpenMode::Append, error);
        REQUIRE_MESSAGE(two, error.message);
        history::Entry sealed;
        for (int k = 0; k < 6; ++k) {
            auto &store = k % 2 == 0 ? one : two;
            REQUIRE(store->append(history_test::sample_run("supported", "valid"), sealed, error));
            CHECK(sealed.seq == k + 1);
        }
        std::vector<history::Entry> entries;
        std::int64_t count = 0;
        std::string head;
        REQUIRE(one->load(entries, count, head, error));
        CHECK(entries.size() == 6);
        CHECK_FALSE(history::verify_chain(entries, count, head).has_value());
    }

    TEST_CASE("history: PostgreSQL connection failures are Unavailable and never show a password") {
        const std::string url = pg_url();
        const std::size_t at = url.find('@');
        REQUIRE(at != std::string::npos);
        const std::string host_and_rest = url.substr(at + 1); // 127.0.0.1:PORT/assure?passfile=...
        const std::string host_only = host_and_rest.substr(0, host_and_rest.find('?'));
        history::StoreError error;
        // A wrong password in the URL, and in a parameter.
        for (const std::string &bad :
             {"postgresql://assure:Wr0ngPassw0rd-x7@" + host_only,
              "postgres://assure@" + host_only + "?password=Wr0ngPassw0rd-x7&connect_timeout=5",
              "postgresql://assure:Wr0ng%50assw0rd@" + host_only}) {
            CHECK_FALSE(history::open_store(bad, history::OpenMode::Read, error));
            CHECK(error.kind == history::StoreError::Kind::Unavailable);
            CHECK(error.message.find("Wr0ng") == std::string::npos);
            CHECK(error.message.find("***") != std::string::npos);
            CHECK(error.message.find("password authentication failed") != std::string::npos);
        }
        // A password libpq cannot decode (its message quotes the token).
        CHECK_FALSE(history::open_store("postgresql://assure:Wr0ng%zz@" + host_only,
                                        history::OpenMode::Read, error));
        CHECK(error.kind == history::StoreError::Kind::Unavailable);
        CHECK(error.message.find("Wr0ng") == std::string::npos);
        // No server at this port; no such database.
        CHECK_FALSE(history::open_store("postgresql://assure:Wr0ngPassw0rd@127.0.0.1:1/assure",
                                        history::OpenMode::Append, error));
        CHECK(error.kind == history::StoreError::Kind::Unavailable);
        CHECK(error.message.find("Wr0ng") == std::string::npos);
        CHECK_FALSE(history::open_store(with_database(url, "no_such_database"),
                                        history::OpenMode::Append, error));
        CHECK(error.kind == history::StoreError::Kind::Unavailable);
        CHECK(error.message.find("no_such_database") != std::string::npos);
    }

} // TEST_SUITE

TEST_CASE("history: display_location hides the passwords of a PostgreSQL URL") {
    CHECK(history::display_location("h.db") == "h.db");
    CHECK(history::display_location("user:pw@host.db") == "user:pw@host.db");
    CHECK(history::display_location("postgresql://u:pw@h:5432/db") ==
          "postgresql://u:***@h:5432/db");
    CHECK(history::display_location("postgres://u@h/db?sslmode=require&password=pw&x=1") ==
          "postgres://u@h/db?sslmode=require&password=***&x=1");
    CHECK(history::display_location("postgresql://h/db?pass%77ord=pw") ==
          "postgresql://h/db?pass%77ord=***");
    CHECK(history::display_location("postgresql://u:p?w@h/db") == "postgresql://u:***@h/db");
    CHECK(history::display_location("postgresql://h/db?passfile=/x/pgpass") ==
          "postgresql://h/db?passfile=/x/pgpass");
    CHECK(history::display_location("postgresql:///db") == "postgresql:///db");
}
