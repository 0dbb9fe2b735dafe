// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL store (libpqxx 6): the schema of history/schema.hpp in PostgreSQL's dialect, in
// the connection's current schema (docs/history.md, "PostgreSQL"). Every append is one
// transaction that first locks the head rows of assure_meta (SELECT ... FOR UPDATE): writers in
// other processes queue there, so each seals its entry after the last one committed and the chain
// stays whole. libpqxx reports errors by throwing; every exception is caught in this file and
// becomes a StoreError, whose message never holds a password of the URL.
#include "history/backends.hpp"
#include "history/schema.hpp"
#include "support/sha256.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace assure::history {
namespace {

using Kind = StoreError::Kind;

/// The form of the database, as found by inspect().
struct Found {
    int version = 0;     // 0: the schema has no table yet (an empty database)
    std::string why_not; // not empty: not an assure history, and why
    std::string schema;  // the schema the tables are in (the connection's current schema)
};

/// A 64-bit advisory lock key for `purpose` in `schema`: the first 8 bytes of SHA-256 over
/// "assure-history" NUL purpose NUL schema, as a signed integer (docs/history.md).
std::int64_t lock_key(std::string_view purpose, const std::string &schema) {
    std::string text = "assure-history";
    text += '\0';
    text += purpose;
    text += '\0';
    text += schema;
    const std::string hex = support::sha256_hex(text).substr(0, 16);
    return static_cast<std::int64_t>(std::stoull(hex, nullptr, 16));
}

std::string text_of(const pqxx::field &f) {
    return f.is_null() ? std::string() : std::string(f.c_str(), f.size());
}

std::int64_t integer_of(const pqxx::field &f) {
    return f.is_null() ? 0 : f.as<std::int64_t>();
}

/// A libpq or server message on one line, without the URL's passwords.
std::string clean(std::string message, const std::vector<std::string> &secrets) {
    for (const std::string &secret : secrets) {
        for (std::size_t pos = message.find(secret); pos != std::string::npos;
             pos = message.find(secret, pos + 3)) {
            message.replace(pos, secret.size(), "***");
        }
    }
    std::string out;
    bool space = false;
    for (const char c : message) {
        if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
            space = true;
            continue;
        }
        if (space && !out.empty()) {
            out += ' ';
        }
        space = false;
        out += c;
    }
    return out;
}

bool is_shape_error(const pqxx::sql_error &e) {
    // Class 42 (an undefined table or column, a type mismatch) and class 22 (a value of another
    // type): tables of these names that are not ours. Insufficient privilege (42501) is not.
    const std::string &state = e.sqlstate();
    return state != "42501" && (state.rfind("42", 0) == 0 || state.rfind("22", 0) == 0);
}

/// Finds what the connection's current schema holds. Throws what libpqxx throws, apart from
/// the errors that show tables of our names but another shape (then `why_not` is set).
Found inspect(pqxx::transaction_base &t) {
    Found found;
    const pqxx::row current = t.exec1("SELECT current_schema()");
    if (current[0].is_null()) {
        throw std::runtime_error("there is no schema to keep the history in (the search_path "
                                 "names no schema that exists)");
    }
    found.schema = text_of(current[0]);
    const pqxx::row rel =
        t.exec_params1("SELECT count(*), count(*) FILTER (WHERE c.relname = 'assure_meta')"
                       " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
                       " ON n.oid = c.relnamespace WHERE n.nspname = $1",
                       found.schema);
    if (integer_of(rel[0]) == 0) {
        return found;
    }
    if (integer_of(rel[1]) == 0) {
        found.why_not = "schema " + found.schema + " holds other tables and no assure_meta";
        return found;
    }
    const std::string meta = t.quote_name(found.schema) + ".assure_meta";
    const std::string versions = t.quote_name(found.schema) + ".assure_schema";
    try {
        const pqxx::result format = t.exec("SELECT value FROM " + meta + " WHERE key = 'format'");
        if (format.empty() || text_of(format[0][0]) != schema::kFormat) {
            found.why_not = "it is a database that is not an assure history (no assure_meta "
                            "format row)";
            return found;
        }
        const pqxx::row version = t.exec1("SELECT max(version) FROM " + versions);
        if (version[0].is_null()) {
            found.why_not = "its schema version table is empty";
            return found;
        }
        found.version = static_cast<int>(integer_of(version[0]));
    } catch (const pqxx::sql_error &e) {
        if (!is_shape_error(e)) {
            throw;
        }
        found.why_not = "its assure_meta or assure_schema table has another form";
    }
    return found;
}

/// What a refused database is told: set when `found` may not be used at all.
bool refused(const Found &found, const std::string &shown, StoreError &error) {
    if (!found.why_not.empty()) {
        error = {Kind::NotHistory, shown + " is not an assure history: " + found.why_not};
        return true;
    }
    if (found.version > kSchemaVersion) {
        error = {Kind::TooNew, shown + " is an assure history of schema version " +
                                   std::to_string(found.version) +
                                   "; this assure knows versions up to " +
                                   std::to_string(kSchemaVersion)};
        return true;
    }
    return false;
}

/// A read-only transaction that sees one snapshot for all its statements.
using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

/// The first statement of a writing transaction (libpqxx's pqxx::work leaves the level to the
/// server's default): with READ COMMITTED, an append that waited for the head rows reads them
/// as the other append left them, where a stricter level would fail with a serialization error.
constexpr const char *kReadCommitted = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";

class PgStore final : public Store {
  public:
    PgStore(std::unique_ptr<pqxx::connection> conn, bool read_only, int version, std::string schema,
            std::string shown, std::vector<std::string> secrets)
        : conn_(std::move(conn)), quiet_(std::make_unique<pqxx::quiet_errorhandler>(*conn_)),
          read_only_(read_only), version_(version), schema_(std::move(schema)),
          shown_(std::move(shown)), secrets_(std::move(secrets)) {}
    PgStore(const PgStore &) = delete;
    PgStore &operator=(const PgStore &) = delete;
    ~PgStore() override {
        // Closing the connection would release the claim too, but only once the server has
        // ended the session, a moment later: released here, the next service can claim at once.
        if (claimed_) {
            try {
                pqxx::nontransaction n(*conn_);
                n.exec_params("SELECT pg_advisory_unlock($1)", lock_key("service", schema_));
            } catch (const std::exception &) {
                // The connection is gone, and the claim with it.
            }
        }
    }

    bool append(Entry &sealed, StoreError &error) override {
        try {
            if (read_only_) {
                error = {Kind::Unavailable,
                         "cannot append to " + shown_ + ": the history was opened for reading"};
                return false;
            }
            pqxx::work w(*conn_);
            w.exec(kReadCommitted);
            // Durable when this returns: a server or role set to synchronous_commit = off would
            // acknowledge the commit before it is on disk.
            w.exec("SELECT set_config('synchronous_commit', 'on', true)"
                   " WHERE current_setting('synchronous_commit') = 'off'");
            // The head rows, locked until the commit: a concurrent append waits here, then
            // reads the head this one leaves.
            const pqxx::result head = w.exec("SELECT key, value FROM assure_meta"
                                             " WHERE key IN ('head_hash', 'head_seq')"
                                             " ORDER BY key FOR UPDATE");
            if (head.size() != 2) {
                error = {Kind::Unavailable, "cannot append to " + shown_ +
                                                ": its head rows (assure_meta) are missing"};
                return false;
            }
            Entry last;
            last.hash = text_of(head[0][1]);
            last.seq = std::stoll(text_of(head[1][1]));
            seal(sealed, last.seq > 0 ? &last : nullptr);
            w.exec_params("INSERT INTO entries(seq, kind, prev_hash, hash) VALUES($1, $2, $3, $4)",
                          sealed.seq, sealed.kind, sealed.prev_hash, sealed.hash);
            if (sealed.is_event()) {
                insert_event(w, sealed.seq, sealed.event);
            } else {
                insert_run(w, sealed.seq, sealed.run);
            }
            w.exec_params("UPDATE assure_meta SET value = $1 WHERE key = 'head_seq'",
                          std::to_string(sealed.seq));
            w.exec_params("UPDATE assure_meta SET value = $1 WHERE key = 'head_hash'", sealed.hash);
            w.commit();
            return true;
        } catch (const pqxx::in_doubt_error &e) {
            error = {Kind::Unavailable, "the connection to " + shown_ +
                                            " was lost while committing the " + sealed.kind +
                                            ": it may or may not be recorded (history --verify "
                                            "tells): " +
                                            clean(e.what(), secrets_)};
        } catch (const std::exception &e) {
            error = {Kind::Unavailable, "cannot append the " + sealed.kind + " to " + shown_ +
                                            ": " + clean(e.what(), secrets_)};
        }
        return false;
    }

    bool load_after(std::int64_t after_seq, std::vector<Entry> &entries, std::int64_t &head_count,
                    std::string &head_hash, StoreError &error) override {
        entries.clear();
        try {
            Snapshot t(*conn_);
            load(t, after_seq, entries, head_count, head_hash);
            t.commit();
            return true;
        } catch (const std::exception &e) {
            entries.clear();
            error = {Kind::Unavailable,
                     "cannot read the history " + shown_ + ": " + clean(e.what(), secrets_)};
        }
        return false;
    }

    bool claim_service(StoreError &error) override {
        if (claimed_) {
            return true; // held already (a session lock is counted: take it once)
        }
        try {
            // A session lock: held until this connection closes, which the server sees even
            // when the process is killed (kill -9 closes its socket).
            pqxx::nontransaction n(*conn_);
            const pqxx::row got =
                n.exec_params1("SELECT pg_try_advisory_lock($1)", lock_key("service", schema_));
            if (got[0].as<bool>()) {
                claimed_ = true;
                return true;
            }
            error = {Kind::Busy,
                     shown_ + " is held by another assure serve (one service per history)"};
        } catch (const std::exception &e) {
            error = {Kind::Unavailable,
                     "cannot lock the history " + shown_ + ": " + clean(e.what(), secrets_)};
        }
        return false;
    }

    [[nodiscard]] int schema_version() const override { return version_; }

  private:
    static void insert_event(pqxx::work &w, std::int64_t seq, const Event &e) {
        w.exec_params("INSERT INTO events(seq, recorded_at, source, case_digest, specs, note)"
                      " VALUES($1, $2, $3, $4, $5, $6)",
                      seq, e.recorded_at, e.source, e.case_digest, schema::strings_to_text(e.specs),
                      e.note);
    }

    /// Inserts the rows of one of a run's lists in one statement: `rows` (a JSON array of
    /// arrays, one per row, its columns after seq and ord) expanded by json_array_elements, ord
    /// being each row's position (WITH ORDINALITY counts from 1).
    static void insert_rows(pqxx::work &w, std::int64_t seq, const char *table, const char *columns,
                            const char *values, const nlohmann::json &rows) {
        if (rows.empty()) {
            return;
        }
        w.exec_params(std::string("INSERT INTO ") + table + "(seq, ord, " + columns +
                          ") SELECT $1::bigint, r.ord - 1, " + values +
                          " FROM json_array_elements($2::json) WITH ORDINALITY AS r(v, ord)",
                      seq, rows.dump());
    }

    static void insert_run(pqxx::work &w, std::int64_t seq, const Run &run) {
        w.exec_params("INSERT INTO runs(seq, recorded_at, judged_at, assure_version, z3_version,"
                      " command, arguments, result, exit_code, case_digest, git_commit,"
                      " trigger_seq, delta_of, plan_cost, plan)"
                      " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                      seq, run.recorded_at, run.judged_at, run.assure_version, run.z3_version,
                      run.command, schema::strings_to_text(run.arguments), run.result,
                      std::int64_t{run.exit_code}, run.case_digest, run.git_commit, run.trigger,
                      run.delta_of, run.plan_cost, schema::strings_to_text(run.plan));
        using nlohmann::json;
        json files = json::array();
        for (const auto &f : run.files) {
            files.push_back({f.path, f.sha256});
        }
        insert_rows(w, seq, "run_files", "path, sha256", "r.v->>0, r.v->>1", files);
        json artifacts = json::array();
        for (const auto &a : run.artifacts) {
            artifacts.push_back({a.name, a.path, a.sha256, a.state});
        }
        insert_rows(w, seq, "run_artifacts", "name, path, sha256, state",
                    "r.v->>0, r.v->>1, r.v->>2, r.v->>3", artifacts);
        json claims = json::array();
        for (const auto &c : run.claims) {
            claims.push_back({c.name, c.top ? 1 : 0, c.verdict});
        }
        insert_rows(w, seq, "run_claims", "name, top, verdict",
                    "r.v->>0, (r.v->>1)::bigint, r.v->>2", claims);
        json evidence = json::array();
        for (const auto &e : run.evidence) {
            evidence.push_back(
                {e.name, e.status, schema::strings_to_text(e.reasons), e.valid_until, e.date});
        }
        insert_rows(w, seq, "run_evidence", "name, status, reasons, valid_until, produced",
                    "r.v->>0, r.v->>1, r.v->>2, r.v->>3, r.v->>4", evidence);
        json defeaters = json::array();
        for (const auto &d : run.defeaters) {
            defeaters.push_back({d.name, d.target, d.status, d.active ? 1 : 0});
        }
        insert_rows(w, seq, "run_defeaters", "name, target, status, active",
                    "r.v->>0, r.v->>1, r.v->>2, (r.v->>3)::bigint", defeaters);
        json findings = json::array();
        for (const auto &f : run.findings) {
            findings.push_back({f.kind, f.subject, f.element, f.text});
        }
        insert_rows(w, seq, "run_findings", "kind, subject, element, text",
                    "r.v->>0, r.v->>1, r.v->>2, r.v->>3", findings);
    }

    void load(Snapshot &t, std::int64_t after_seq, std::vector<Entry> &entries,
              std::int64_t &head_count, std::string &head_hash) const {
        head_count = 0;
        head_hash.clear();
        for (const auto &row : t.exec("SELECT key, value FROM assure_meta"
                                      " WHERE key IN ('head_seq', 'head_hash')")) {
            if (text_of(row[0]) == "head_seq") {
                const std::string seq = text_of(row[1]);
                head_count = std::stoll(seq.empty() ? "0" : seq);
            } else {
                head_hash = text_of(row[1]);
            }
        }
        // A history of schema v1 opened for reading only (never migrated then) lacks the v2
        // columns and tables: the defaults stand in for them.
        const bool v1 = version_ < 2;
        const std::string sql =
            std::string("SELECT e.seq, e.kind, e.prev_hash, e.hash, r.recorded_at, r.judged_at,"
                        " r.assure_version, r.z3_version, r.command, r.arguments, r.result,"
                        " r.exit_code, r.case_digest, ") +
            (v1 ? "'', 0, 0, '', '[]', NULL, NULL, NULL, NULL, NULL FROM entries e"
                  " LEFT JOIN runs r ON r.seq = e.seq"
                : "r.git_commit, r.trigger_seq, r.delta_of, r.plan_cost, r.plan, v.recorded_at,"
                  " v.source, v.case_digest, v.specs, v.note FROM entries e"
                  " LEFT JOIN runs r ON r.seq = e.seq LEFT JOIN events v ON v.seq = e.seq") +
            " WHERE e.seq > $1 ORDER BY e.seq";
        for (const auto &q : t.exec_params(sql, after_seq)) {
            Entry e;
            e.seq = integer_of(q[0]);
            e.kind = text_of(q[1]);
            e.prev_hash = text_of(q[2]);
            e.hash = text_of(q[3]);
            if (e.is_event()) {
                Event &v = e.event;
                v.recorded_at = text_of(q[18]);
                v.source = text_of(q[19]);
                v.case_digest = text_of(q[20]);
                v.specs = schema::strings_from_text(text_of(q[21]));
                v.note = text_of(q[22]);
            } else {
                Run &r = e.run;
                r.recorded_at = text_of(q[4]);
                r.judged_at = text_of(q[5]);
                r.assure_version = text_of(q[6]);
                r.z3_version = text_of(q[7]);
                r.command = text_of(q[8]);
                r.arguments = schema::strings_from_text(text_of(q[9]));
                r.result = text_of(q[10]);
                r.exit_code = static_cast<int>(integer_of(q[11]));
                r.case_digest = text_of(q[12]);
                r.git_commit = text_of(q[13]);
                r.trigger = integer_of(q[14]);
                r.delta_of = integer_of(q[15]);
                r.plan_cost = text_of(q[16]);
                const std::string plan = text_of(q[17]);
                r.plan =
                    plan.empty() ? std::vector<std::string>() : schema::strings_from_text(plan);
            }
            entries.push_back(std::move(e));
        }
        // Rows of each list in (seq, ord) order, attached to their entry's run.
        auto run_of = [&](const pqxx::field &seq_field) -> Run * {
            const std::int64_t seq = integer_of(seq_field);
            const auto it =
                std::lower_bound(entries.begin(), entries.end(), seq,
                                 [](const Entry &e, std::int64_t s) { return e.seq < s; });
            return it != entries.end() && it->seq == seq ? &it->run : nullptr;
        };
        auto rows = [&](const std::string &columns, const char *table) {
            return t.exec_params("SELECT seq, " + columns + " FROM " + table +
                                     " WHERE seq > $1 ORDER BY seq, ord",
                                 after_seq);
        };
        for (const auto &q : rows("path, sha256", "run_files")) {
            if (Run *r = run_of(q[0])) {
                r->files.push_back({text_of(q[1]), text_of(q[2])});
            }
        }
        for (const auto &q : rows("name, path, sha256, state", "run_artifacts")) {
            if (Run *r = run_of(q[0])) {
                r->artifacts.push_back(
                    {text_of(q[1]), text_of(q[2]), text_of(q[3]), text_of(q[4])});
            }
        }
        for (const auto &q : rows("name, top, verdict", "run_claims")) {
            if (Run *r = run_of(q[0])) {
                r->claims.push_back({text_of(q[1]), integer_of(q[2]) != 0, text_of(q[3])});
            }
        }
        for (const auto &q : rows(v1 ? "name, status, reasons, '', ''"
                                     : "name, status, reasons, valid_until, produced",
                                  "run_evidence")) {
            if (Run *r = run_of(q[0])) {
                r->evidence.push_back({text_of(q[1]), text_of(q[2]),
                                       schema::strings_from_text(text_of(q[3])), text_of(q[4]),
                                       text_of(q[5])});
            }
        }
        if (!v1) {
            for (const auto &q : rows("name, target, status, active", "run_defeaters")) {
                if (Run *r = run_of(q[0])) {
                    r->defeaters.push_back(
                        {text_of(q[1]), text_of(q[2]), text_of(q[3]), integer_of(q[4]) != 0});
                }
            }
        }
        for (const auto &q : rows("kind, subject, element, text", "run_findings")) {
            if (Run *r = run_of(q[0])) {
                r->findings.push_back({text_of(q[1]), text_of(q[2]), text_of(q[3]), text_of(q[4])});
            }
        }
    }

    std::unique_ptr<pqxx::connection> conn_;
    std::unique_ptr<pqxx::quiet_errorhandler> quiet_; // declared after conn_: destroyed first
    bool read_only_;
    bool claimed_ = false;
    int version_;
    std::string schema_;
    std::string shown_;
    std::vector<std::string> secrets_;
};

/// Creates the schema or brings it to kSchemaVersion, in one transaction under a lock that
/// makes concurrent first appends take turns; what the database holds is looked at again once
/// the lock is held. Returns false with `error` set when the database turned out to be refused.
bool migrate(pqxx::connection &conn, const std::string &schema_name, const std::string &shown,
             StoreError &error) {
    pqxx::work w(conn);
    w.exec(kReadCommitted);
    w.exec_params("SELECT pg_advisory_xact_lock($1)", lock_key("migration", schema_name));
    const Found found = inspect(w);
    if (refused(found, shown, error)) {
        w.abort();
        return false;
    }
    if (found.version == 0) {
        w.exec(schema::kSchemaTablePostgresql);
    }
    for (const schema::Migration &m : schema::kMigrations) {
        if (m.version > found.version) {
            w.exec(m.postgresql);
            w.exec_params("INSERT INTO assure_schema(version, description) VALUES($1, $2)",
                          m.version, std::string(m.description));
        }
    }
    w.commit();
    return true;
}

} // namespace

std::unique_ptr<Store> open_postgresql_store(const std::string &url, OpenMode mode,
                                             StoreError &error) {
    const std::string shown = display_location(url);
    std::vector<std::string> secrets = location_secrets(url);
    std::unique_ptr<pqxx::connection> conn;
    try {
        conn = std::make_unique<pqxx::connection>(url);
    } catch (const std::exception &e) {
        error = {Kind::Unavailable, "cannot connect to " + shown + ": " + clean(e.what(), secrets)};
        return nullptr;
    }
    // libpqxx 6 would silently reconnect after a lost connection, losing the session's service
    // lock with it; a lost connection must stay lost (the calls then fail).
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
    conn->inhibit_reactivation(true);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    pqxx::quiet_errorhandler quiet(*conn); // no notice reaches stderr while opening
    try {
        if (mode == OpenMode::Read) {
            // Belt and braces: every transaction of this session is read-only.
            pqxx::nontransaction(*conn).exec("SET default_transaction_read_only = on");
        }
        Found found;
        {
            Snapshot t(*conn);
            found = inspect(t);
            // A statement that failed on tables of another form has aborted the transaction.
            if (found.why_not.empty()) {
                t.commit();
            } else {
                t.abort();
            }
        }
        if (refused(found, shown, error)) {
            return nullptr;
        }
        if (mode == OpenMode::Read) {
            if (found.version == 0) {
                error = {Kind::NotHistory, shown +
                                               " is not an assure history: it is empty (schema " +
                                               found.schema + " has no table)"};
                return nullptr;
            }
            return std::make_unique<PgStore>(std::move(conn), true, found.version, found.schema,
                                             shown, std::move(secrets));
        }
        if (found.version < kSchemaVersion && !migrate(*conn, found.schema, shown, error)) {
            return nullptr;
        }
        return std::make_unique<PgStore>(std::move(conn), false, kSchemaVersion, found.schema,
                                         shown, std::move(secrets));
    } catch (const std::exception &e) {
        error = {Kind::Unavailable, "cannot use " + shown + ": " + clean(e.what(), secrets)};
    }
    return nullptr;
}

} // namespace assure::history
