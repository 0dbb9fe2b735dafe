// SPDX-License-Identifier: Apache-2.0
// The SQLite store: the schema of history/schema.hpp (docs/history.md), WAL with synchronous=FULL,
// every append one IMMEDIATE transaction.
#include "history/backends.hpp"
#include "history/schema.hpp"

#include <algorithm>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace assure::history {
namespace {

class Db {
  public:
    Db() = default;
    Db(const Db &) = delete;
    Db &operator=(const Db &) = delete;
    ~Db() { sqlite3_close_v2(db_); }
    sqlite3 *get() const { return db_; }
    sqlite3 **out() { return &db_; }
    std::string message() const { return db_ ? sqlite3_errmsg(db_) : "out of memory"; }

  private:
    sqlite3 *db_ = nullptr;
};

class Stmt {
  public:
    Stmt(sqlite3 *db, const char *sql) {
        ok_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) == SQLITE_OK;
    }
    Stmt(const Stmt &) = delete;
    Stmt &operator=(const Stmt &) = delete;
    ~Stmt() { sqlite3_finalize(s_); }
    [[nodiscard]] bool ok() const { return ok_; }
    Stmt &bind(int idx, const std::string &v) {
        ok_ = ok_ && sqlite3_bind_text(s_, idx, v.data(), static_cast<int>(v.size()),
                                       SQLITE_TRANSIENT) == SQLITE_OK;
        return *this;
    }
    Stmt &bind(int idx, std::int64_t v) {
        ok_ = ok_ && sqlite3_bind_int64(s_, idx, v) == SQLITE_OK;
        return *this;
    }
    /// Steps once: true with a row, false when done or on error (ok() tells which).
    bool row() {
        if (!ok_) {
            return false;
        }
        const int rc = sqlite3_step(s_);
        ok_ = rc == SQLITE_ROW || rc == SQLITE_DONE;
        return rc == SQLITE_ROW;
    }
    /// Runs a statement that returns no rows, then resets it for the next bindings.
    bool run() {
        row();
        sqlite3_reset(s_);
        return ok_;
    }
    std::string text(int col) const {
        const auto *p = sqlite3_column_text(s_, col);
        return p ? std::string(reinterpret_cast<const char *>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
                 : std::string();
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(s_, col); }

  private:
    sqlite3_stmt *s_ = nullptr;
    bool ok_ = false;
};

bool exec(sqlite3 *db, const char *sql) {
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
}

StoreError fail(StoreError::Kind kind, std::string message) {
    return StoreError{kind, std::move(message)};
}

class SqliteStore final : public Store {
  public:
    SqliteStore(std::unique_ptr<Db> db, int version, std::string path)
        : db_(std::move(db)), version_(version), path_(std::move(path)) {}
    SqliteStore(const SqliteStore &) = delete;
    SqliteStore &operator=(const SqliteStore &) = delete;
    ~SqliteStore() override {
        if (lock_fd_ >= 0) {
            ::close(lock_fd_);
        }
    }

    bool append(Entry &sealed, StoreError &error) override {
        sqlite3 *db = db_->get();
        if (!exec(db, "BEGIN IMMEDIATE")) {
            error = fail(StoreError::Kind::Unavailable,
                         "cannot start a transaction: " + db_->message());
            return false;
        }
        if (!append_in_transaction(sealed) || !exec(db, "COMMIT")) {
            error = fail(StoreError::Kind::Unavailable,
                         "cannot append the " + sealed.kind + ": " + db_->message());
            exec(db, "ROLLBACK");
            return false;
        }
        return true;
    }

    bool load_after(std::int64_t after_seq, std::vector<Entry> &entries, std::int64_t &head_count,
                    std::string &head_hash, StoreError &error) override {
        sqlite3 *db = db_->get();
        // One read transaction: a consistent snapshot even while another process appends.
        if (!exec(db, "BEGIN")) {
            error = fail(StoreError::Kind::Unavailable, db_->message());
            return false;
        }
        const bool ok = load_in_transaction(after_seq, entries, head_count, head_hash);
        exec(db, "COMMIT");
        if (!ok) {
            error =
                fail(StoreError::Kind::Unavailable, "cannot read the history: " + db_->message());
        }
        return ok;
    }

    bool claim_service(StoreError &error) override {
        // An advisory lock of the whole file, beside SQLite's own (fcntl) locks: held while the
        // store is open, released by the kernel when the process dies, even by kill -9.
        if (lock_fd_ < 0) {
            lock_fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        }
        if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
            error = fail(StoreError::Kind::Busy,
                         path_ + " is held by another assure serve (one service per history)");
            return false;
        }
        return true;
    }

    [[nodiscard]] int schema_version() const override { return version_; }

  private:
    bool head(std::int64_t &count, std::string &hash) {
        Stmt q(db_->get(),
               "SELECT key, value FROM assure_meta WHERE key IN ('head_seq', 'head_hash')");
        count = 0;
        hash.clear();
        while (q.row()) {
            if (q.text(0) == "head_seq") {
                count = std::stoll(q.text(1).empty() ? "0" : q.text(1));
            } else {
                hash = q.text(1);
            }
        }
        return q.ok();
    }

    bool append_in_transaction(Entry &sealed) {
        sqlite3 *db = db_->get();
        std::int64_t count = 0;
        std::string hash;
        if (!head(count, hash)) {
            return false;
        }
        Entry last;
        last.seq = count;
        last.hash = hash;
        seal(sealed, count > 0 ? &last : nullptr);
        const std::int64_t seq = sealed.seq;
        bool ok = Stmt(db, "INSERT INTO entries VALUES(?1, ?2, ?3, ?4)")
                      .bind(1, seq)
                      .bind(2, sealed.kind)
                      .bind(3, sealed.prev_hash)
                      .bind(4, sealed.hash)
                      .run();
        ok = ok &&
             (sealed.is_event() ? insert_event(seq, sealed.event) : insert_run(seq, sealed.run));
        ok = ok && Stmt(db, "UPDATE assure_meta SET value = ?1 WHERE key = 'head_seq'")
                       .bind(1, std::to_string(seq))
                       .run();
        ok = ok && Stmt(db, "UPDATE assure_meta SET value = ?1 WHERE key = 'head_hash'")
                       .bind(1, sealed.hash)
                       .run();
        return ok;
    }

    bool insert_event(std::int64_t seq, const Event &e) {
        return Stmt(db_->get(), "INSERT INTO events VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
            .bind(1, seq)
            .bind(2, e.recorded_at)
            .bind(3, e.source)
            .bind(4, e.case_digest)
            .bind(5, schema::strings_to_text(e.specs))
            .bind(6, e.note)
            .run();
    }

    /// Inserts `rows` of one run list: parameter 1 is the entry, 2 the row's position, the rest
    /// bound by `bind`.
    template <class Row, class Bind>
    bool insert_rows(const char *sql, std::int64_t seq, const std::vector<Row> &rows, Bind bind) {
        Stmt st(db_->get(), sql);
        bool ok = true;
        for (std::size_t k = 0; ok && k < rows.size(); ++k) {
            bind(st.bind(1, seq).bind(2, static_cast<std::int64_t>(k)), rows[k]);
            ok = st.run();
        }
        return ok;
    }

    bool insert_run(std::int64_t seq, const Run &run) {
        sqlite3 *db = db_->get();
        bool ok = Stmt(db, "INSERT INTO runs VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                           " ?12, ?13, ?14, ?15)")
                      .bind(1, seq)
                      .bind(2, run.recorded_at)
                      .bind(3, run.judged_at)
                      .bind(4, run.assure_version)
                      .bind(5, run.z3_version)
                      .bind(6, run.command)
                      .bind(7, schema::strings_to_text(run.arguments))
                      .bind(8, run.result)
                      .bind(9, std::int64_t{run.exit_code})
                      .bind(10, run.case_digest)
                      .bind(11, run.git_commit)
                      .bind(12, run.trigger)
                      .bind(13, run.delta_of)
                      .bind(14, run.plan_cost)
                      .bind(15, schema::strings_to_text(run.plan))
                      .run();
        using I = std::int64_t;
        ok = ok &&
             insert_rows("INSERT INTO run_files VALUES(?1, ?2, ?3, ?4)", seq, run.files,
                         [](Stmt &st, const CaseFile &f) { st.bind(3, f.path).bind(4, f.sha256); });
        ok = ok &&
             insert_rows("INSERT INTO run_artifacts VALUES(?1, ?2, ?3, ?4, ?5, ?6)", seq,
                         run.artifacts, [](Stmt &st, const ArtifactRecord &a) {
                             st.bind(3, a.name).bind(4, a.path).bind(5, a.sha256).bind(6, a.state);
                         });
        ok = ok && insert_rows("INSERT INTO run_claims VALUES(?1, ?2, ?3, ?4, ?5)", seq, run.claims,
                               [](Stmt &st, const ClaimRecord &c) {
                                   st.bind(3, c.name).bind(4, I{c.top ? 1 : 0}).bind(5, c.verdict);
                               });
        ok = ok && insert_rows("INSERT INTO run_evidence VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", seq,
                               run.evidence, [](Stmt &st, const EvidenceRecord &e) {
                                   st.bind(3, e.name)
                                       .bind(4, e.status)
                                       .bind(5, schema::strings_to_text(e.reasons))
                                       .bind(6, e.valid_until)
                                       .bind(7, e.date);
                               });
        ok = ok && insert_rows("INSERT INTO run_defeaters VALUES(?1, ?2, ?3, ?4, ?5, ?6)", seq,
                               run.defeaters, [](Stmt &st, const DefeaterRecord &d) {
                                   st.bind(3, d.name)
                                       .bind(4, d.target)
                                       .bind(5, d.status)
                                       .bind(6, I{d.active ? 1 : 0});
                               });
        ok = ok && insert_rows(
                       "INSERT INTO run_findings VALUES(?1, ?2, ?3, ?4, ?5, ?6)", seq, run.findings,
                       [](Stmt &st, const Finding &f) {
                           st.bind(3, f.kind).bind(4, f.subject).bind(5, f.element).bind(6, f.text);
                       });
        return ok;
    }

    bool load_in_transaction(std::int64_t after_seq, std::vector<Entry> &entries,
                             std::int64_t &head_count, std::string &head_hash) {
        sqlite3 *db = db_->get();
        entries.clear();
        if (!head(head_count, head_hash)) {
            return false;
        }
        // A history of schema v1 opened for reading only (never migrated then) lacks the v2
        // columns and the events table: the defaults stand in for them.
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
            " WHERE e.seq > ?1 ORDER BY e.seq";
        Stmt q(db, sql.c_str());
        q.bind(1, after_seq);
        while (q.row()) {
            Entry e;
            e.seq = q.integer(0);
            e.kind = q.text(1);
            e.prev_hash = q.text(2);
            e.hash = q.text(3);
            Run &r = e.run;
            r.recorded_at = q.text(4);
            r.judged_at = q.text(5);
            r.assure_version = q.text(6);
            r.z3_version = q.text(7);
            r.command = q.text(8);
            r.arguments = schema::strings_from_text(q.text(9));
            r.result = q.text(10);
            r.exit_code = static_cast<int>(q.integer(11));
            r.case_digest = q.text(12);
            r.git_commit = q.text(13);
            r.trigger = q.integer(14);
            r.delta_of = q.integer(15);
            r.plan_cost = q.text(16);
            r.plan = q.text(17).empty() ? std::vector<std::string>()
                                        : schema::strings_from_text(q.text(17));
            if (e.is_event()) {
                e.run = Run{};
                Event &v = e.event;
                v.recorded_at = q.text(18);
                v.source = q.text(19);
                v.case_digest = q.text(20);
                v.specs = schema::strings_from_text(q.text(21));
                v.note = q.text(22);
            }
            entries.push_back(std::move(e));
        }
        if (!q.ok()) {
            return false;
        }
        // Rows of each table in (seq, ord) order, attached to their entry.
        auto index = [&](std::int64_t seq) -> Run * {
            const auto it =
                std::lower_bound(entries.begin(), entries.end(), seq,
                                 [](const Entry &e, std::int64_t s) { return e.seq < s; });
            return it != entries.end() && it->seq == seq ? &it->run : nullptr;
        };
        Stmt f(db, "SELECT seq, path, sha256 FROM run_files WHERE seq > ?1 ORDER BY seq, ord");
        f.bind(1, after_seq);
        while (f.row()) {
            if (Run *r = index(f.integer(0))) {
                r->files.push_back({f.text(1), f.text(2)});
            }
        }
        Stmt a(db, "SELECT seq, name, path, sha256, state FROM run_artifacts WHERE seq > ?1 ORDER "
                   "BY seq, ord");
        a.bind(1, after_seq);
        while (a.row()) {
            if (Run *r = index(a.integer(0))) {
                r->artifacts.push_back({a.text(1), a.text(2), a.text(3), a.text(4)});
            }
        }
        Stmt c(db,
               "SELECT seq, name, top, verdict FROM run_claims WHERE seq > ?1 ORDER BY seq, ord");
        c.bind(1, after_seq);
        while (c.row()) {
            if (Run *r = index(c.integer(0))) {
                r->claims.push_back({c.text(1), c.integer(2) != 0, c.text(3)});
            }
        }
        Stmt ev(db, v1 ? "SELECT seq, name, status, reasons, '', '' FROM run_evidence"
                         " WHERE seq > ?1 ORDER BY seq, ord"
                       : "SELECT seq, name, status, reasons, valid_until, produced FROM"
                         " run_evidence WHERE seq > ?1 ORDER BY seq, ord");
        ev.bind(1, after_seq);
        while (ev.row()) {
            if (Run *r = index(ev.integer(0))) {
                r->evidence.push_back({ev.text(1), ev.text(2),
                                       schema::strings_from_text(ev.text(3)), ev.text(4),
                                       ev.text(5)});
            }
        }
        bool defeaters_ok = true;
        if (!v1) {
            Stmt df(db, "SELECT seq, name, target, status, active FROM run_defeaters"
                        " WHERE seq > ?1 ORDER BY seq, ord");
            df.bind(1, after_seq);
            while (df.row()) {
                if (Run *r = index(df.integer(0))) {
                    r->defeaters.push_back(
                        {df.text(1), df.text(2), df.text(3), df.integer(4) != 0});
                }
            }
            defeaters_ok = df.ok();
        }
        Stmt fi(db, "SELECT seq, kind, subject, element, text FROM run_findings WHERE seq > ?1 "
                    "ORDER BY seq, ord");
        fi.bind(1, after_seq);
        while (fi.row()) {
            if (Run *r = index(fi.integer(0))) {
                r->findings.push_back({fi.text(1), fi.text(2), fi.text(3), fi.text(4)});
            }
        }
        return f.ok() && a.ok() && c.ok() && ev.ok() && fi.ok() && defeaters_ok;
    }

    std::unique_ptr<Db> db_;
    int version_;
    std::string path_;
    int lock_fd_ = -1;
};

/// The schema version of an opened database: 0 for an empty one (no tables), -1 when it is not
/// an assure history (or not a database at all).
int detect_version(sqlite3 *db, std::string &why) {
    Stmt tables(db, "SELECT count(*) FROM sqlite_master");
    if (!tables.row()) {
        why = "it is not a SQLite database";
        return -1;
    }
    if (tables.integer(0) == 0) {
        return 0;
    }
    Stmt fmt(db, "SELECT value FROM assure_meta WHERE key = 'format'");
    if (!fmt.row() || fmt.text(0) != schema::kFormat) {
        why = "it is a database that is not an assure history (no assure_meta format row)";
        return -1;
    }
    Stmt ver(db, "SELECT max(version) FROM assure_schema");
    if (!ver.row()) {
        why = "it has no schema version table";
        return -1;
    }
    return static_cast<int>(ver.integer(0));
}

bool migrate(sqlite3 *db) {
    if (!exec(db, "BEGIN IMMEDIATE")) {
        return false;
    }
    // Read under the write lock: another process may have created or migrated the history
    // since the caller looked (two first appends at once).
    std::string why;
    const int from = detect_version(db, why);
    bool ok =
        from >= 0 && from <= kSchemaVersion && (from > 0 || exec(db, schema::kSchemaTableSqlite));
    for (const schema::Migration &m : schema::kMigrations) {
        if (ok && m.version > from) {
            ok = exec(db, m.sqlite) && Stmt(db, "INSERT INTO assure_schema VALUES(?1, ?2)")
                                           .bind(1, std::int64_t{m.version})
                                           .bind(2, std::string(m.description))
                                           .run();
        }
    }
    if (!ok || !exec(db, "COMMIT")) {
        exec(db, "ROLLBACK");
        return false;
    }
    return true;
}

} // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string &location, OpenMode mode,
                                         StoreError &error) {
    auto db = std::make_unique<Db>();
    const int flags =
        SQLITE_OPEN_NOMUTEX | (mode == OpenMode::Read ? SQLITE_OPEN_READONLY
                                                      : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(location.c_str(), db->out(), flags, nullptr) != SQLITE_OK) {
        error =
            fail(StoreError::Kind::Unavailable, "cannot open " + location + ": " + db->message());
        return nullptr;
    }
    sqlite3_busy_timeout(db->get(), 10000);
    sqlite3_extended_result_codes(db->get(), 1);
    std::string why;
    const int version = detect_version(db->get(), why);
    if (version < 0) {
        error = fail(StoreError::Kind::NotHistory, location + " is not an assure history: " + why);
        return nullptr;
    }
    if (version > kSchemaVersion) {
        error =
            fail(StoreError::Kind::TooNew,
                 location + " is an assure history of schema version " + std::to_string(version) +
                     "; this assure knows versions up to " + std::to_string(kSchemaVersion));
        return nullptr;
    }
    if (mode == OpenMode::Read) {
        if (version == 0) {
            error = fail(StoreError::Kind::NotHistory,
                         location + " is not an assure history: it is empty");
            return nullptr;
        }
        return std::make_unique<SqliteStore>(std::move(db), version, location);
    }
    // Only now that the file is known to be ours (or empty) is anything written to it: WAL and
    // a full sync on every commit make an acknowledged append survive a crash or kill -9.
    if (!exec(db->get(), "PRAGMA journal_mode=WAL") ||
        !exec(db->get(), "PRAGMA synchronous=FULL") ||
        (version < kSchemaVersion && !migrate(db->get()))) {
        error = fail(StoreError::Kind::Unavailable,
                     "cannot prepare " + location + ": " + db->message());
        return nullptr;
    }
    return std::make_unique<SqliteStore>(std::move(db), kSchemaVersion, location);
}

} // namespace assure::history
