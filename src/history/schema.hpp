// SPDX-License-Identifier: Apache-2.0
#pragma once

// The history schema (docs/history.md) once per SQL dialect, for the stores that create and
// migrate it (sqlite_store.cpp, pg_store.cpp). Each migration holds its SQLite and its PostgreSQL
// text side by side, statement for statement, so that the two stay one logical schema: the same
// tables, columns, column order and defaults; PostgreSQL says BIGINT where SQLite says INTEGER.
// Private to src/history (store.hpp names no SQL).

#include <array>
#include <string>
#include <vector>

namespace assure::history::schema {

/// The value of the `format` row of `assure_meta`: what makes a database an assure history.
inline constexpr const char *kFormat = "assure-history";

/// The table of the migrations applied, created before the first.
inline constexpr const char *kSchemaTableSqlite =
    "CREATE TABLE assure_schema(version INTEGER PRIMARY KEY, description TEXT NOT NULL)";
inline constexpr const char *kSchemaTablePostgresql =
    "CREATE TABLE assure_schema(version BIGINT PRIMARY KEY, description TEXT NOT NULL)";

/// Migration N takes a history from schema version N-1 to N; its row in `assure_schema` is
/// (version, description).
struct Migration {
    int version;
    const char *description;
    const char *sqlite;
    const char *postgresql;
};

inline constexpr std::array kMigrations = {
    Migration{
        1,
        "runs in one hash chain",
        // SQLite
        "CREATE TABLE assure_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE entries(seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
        " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
        "CREATE TABLE runs(seq INTEGER PRIMARY KEY REFERENCES entries(seq),"
        " recorded_at TEXT NOT NULL, judged_at TEXT NOT NULL, assure_version TEXT NOT NULL,"
        " z3_version TEXT NOT NULL, command TEXT NOT NULL, arguments TEXT NOT NULL,"
        " result TEXT NOT NULL, exit_code INTEGER NOT NULL, case_digest TEXT NOT NULL);"
        "CREATE TABLE run_files(seq INTEGER NOT NULL REFERENCES runs(seq),"
        " ord INTEGER NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY(seq, ord));"
        "CREATE TABLE run_artifacts(seq INTEGER NOT NULL REFERENCES runs(seq),"
        " ord INTEGER NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,"
        " state TEXT NOT NULL, PRIMARY KEY(seq, ord));"
        "CREATE TABLE run_claims(seq INTEGER NOT NULL REFERENCES runs(seq),"
        " ord INTEGER NOT NULL, name TEXT NOT NULL, top INTEGER NOT NULL, verdict TEXT NOT NULL,"
        " PRIMARY KEY(seq, ord));"
        "CREATE TABLE run_evidence(seq INTEGER NOT NULL REFERENCES runs(seq),"
        " ord INTEGER NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, reasons TEXT NOT NULL,"
        " PRIMARY KEY(seq, ord));"
        "CREATE TABLE run_findings(seq INTEGER NOT NULL REFERENCES runs(seq),"
        " ord INTEGER NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, element TEXT NOT NULL,"
        " text TEXT NOT NULL, PRIMARY KEY(seq, ord));"
        "INSERT INTO assure_meta VALUES('format', 'assure-history'), ('head_seq', '0'),"
        " ('head_hash', '');",
        // PostgreSQL
        "CREATE TABLE assure_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE entries(seq BIGINT PRIMARY KEY, kind TEXT NOT NULL,"
        " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
        "CREATE TABLE runs(seq BIGINT PRIMARY KEY REFERENCES entries(seq),"
        " recorded_at TEXT NOT NULL, judged_at TEXT NOT NULL, assure_version TEXT NOT NULL,"
        " z3_version TEXT NOT NULL, command TEXT NOT NULL, arguments TEXT NOT NULL,"
        " result TEXT NOT NULL, exit_code BIGINT NOT NULL, case_digest TEXT NOT NULL);"
        "CREATE TABLE run_files(seq BIGINT NOT NULL REFERENCES runs(seq),"
        " ord BIGINT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY(seq, ord));"
        "CREATE TABLE run_artifacts(seq BIGINT NOT NULL REFERENCES runs(seq),"
        " ord BIGINT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,"
        " state TEXT NOT NULL, PRIMARY KEY(seq, ord));"
        "CREATE TABLE run_claims(seq BIGINT NOT NULL REFERENCES runs(seq),"
        " ord BIGINT NOT NULL, name TEXT NOT NULL, top BIGINT NOT NULL, verdict TEXT NOT NULL,"
        " PRIMARY KEY(seq, ord));"
        "CREATE TABLE run_evidence(seq BIGINT NOT NULL REFERENCES runs(seq),"
        " ord BIGINT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, reasons TEXT NOT NULL,"
        " PRIMARY KEY(seq, ord));"
        "CREATE TABLE run_findings(seq BIGINT NOT NULL REFERENCES runs(seq),"
        " ord BIGINT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, element TEXT NOT NULL,"
        " text TEXT NOT NULL, PRIMARY KEY(seq, ord));"
        "INSERT INTO assure_meta VALUES('format', 'assure-history'), ('head_seq', '0'),"
        " ('head_hash', '');",
    },
    Migration{
        2,
        "events; runs gain git_commit, trigger_seq, delta_of, plan_cost, plan, defeaters and"
        " evidence dates",
        // SQLite
        "ALTER TABLE runs ADD COLUMN git_commit TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE runs ADD COLUMN trigger_seq INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE runs ADD COLUMN delta_of INTEGER NOT NULL DEFAULT 0;"
        "ALTER TABLE runs ADD COLUMN plan_cost TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE runs ADD COLUMN plan TEXT NOT NULL DEFAULT '[]';"
        "ALTER TABLE run_evidence ADD COLUMN valid_until TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE run_evidence ADD COLUMN produced TEXT NOT NULL DEFAULT '';"
        "CREATE TABLE run_defeaters(seq INTEGER NOT NULL REFERENCES runs(seq),"
        " ord INTEGER NOT NULL, name TEXT NOT NULL, target TEXT NOT NULL, status TEXT NOT NULL,"
        " active INTEGER NOT NULL, PRIMARY KEY(seq, ord));"
        "CREATE TABLE events(seq INTEGER PRIMARY KEY REFERENCES entries(seq),"
        " recorded_at TEXT NOT NULL, source TEXT NOT NULL, case_digest TEXT NOT NULL,"
        " specs TEXT NOT NULL, note TEXT NOT NULL);",
        // PostgreSQL
        "ALTER TABLE runs ADD COLUMN git_commit TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE runs ADD COLUMN trigger_seq BIGINT NOT NULL DEFAULT 0;"
        "ALTER TABLE runs ADD COLUMN delta_of BIGINT NOT NULL DEFAULT 0;"
        "ALTER TABLE runs ADD COLUMN plan_cost TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE runs ADD COLUMN plan TEXT NOT NULL DEFAULT '[]';"
        "ALTER TABLE run_evidence ADD COLUMN valid_until TEXT NOT NULL DEFAULT '';"
        "ALTER TABLE run_evidence ADD COLUMN produced TEXT NOT NULL DEFAULT '';"
        "CREATE TABLE run_defeaters(seq BIGINT NOT NULL REFERENCES runs(seq),"
        " ord BIGINT NOT NULL, name TEXT NOT NULL, target TEXT NOT NULL, status TEXT NOT NULL,"
        " active BIGINT NOT NULL, PRIMARY KEY(seq, ord));"
        "CREATE TABLE events(seq BIGINT PRIMARY KEY REFERENCES entries(seq),"
        " recorded_at TEXT NOT NULL, source TEXT NOT NULL, case_digest TEXT NOT NULL,"
        " specs TEXT NOT NULL, note TEXT NOT NULL);",
    },
};

/// A list of strings as one column (`arguments`, `reasons`, `plan`, `specs`): a JSON array.
std::string strings_to_text(const std::vector<std::string> &strings);

/// The list a column holds. Text that is not a JSON array of strings (an edit made with another
/// tool) is kept visible, not dropped, so the entry's hash no longer matches: an element that is
/// not a string becomes its JSON text, and text that is not an array becomes a list of itself.
std::vector<std::string> strings_from_text(const std::string &text);

} // namespace assure::history::schema
