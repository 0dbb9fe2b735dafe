// SPDX-License-Identifier: Apache-2.0
#pragma once

// Where a history is kept (docs/history.md). One interface for every backend: SQLite, the
// embedded default, and PostgreSQL, for teams that share one store; nothing here names either.
// A store is a chain of entries (history/chain.hpp) plus a head (the number of entries and the
// last hash), with a schema version table and numbered migrations.

#include "history/chain.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace assure::history {

/// The schema version this build writes and reads (docs/history.md, "Schema v1").
inline constexpr int kSchemaVersion = 2;

enum class OpenMode : std::uint8_t {
    Read,   // an existing history; never written
    Append, // an existing history, or a new one created (and migrated) on the spot
};

/// Why a store could not be opened or used.
struct StoreError {
    enum class Kind : std::uint8_t {
        None,
        NotHistory,  // a database, or a file, that is not an assure history: left untouched
        TooNew,      // an assure history of a newer schema version than this build knows
        Unavailable, // cannot be opened, read or written (missing, permissions, locked, full)
        Busy,        // another service holds the history (claim_service)
    };
    Kind kind = Kind::None;
    std::string message;
};

class Store {
  public:
    virtual ~Store() = default;
    /// Appends `entry` (its `kind` and the matching `run` or `event` set) as the next entry, in
    /// one transaction that is durable once this returns true (an acknowledged entry survives a
    /// crash or kill -9); seals it (history/chain.hpp: seq, prev_hash, hash) after the last
    /// entry as stored at that moment, whoever appended it.
    virtual bool append(Entry &entry, StoreError &error) = 0;
    /// The entries after `after_seq` (0: all) in sequence order, as stored (nothing is
    /// checked), and the head.
    virtual bool load_after(std::int64_t after_seq, std::vector<Entry> &entries,
                            std::int64_t &head_count, std::string &head_hash,
                            StoreError &error) = 0;
    /// Makes this process the history's one service (`assure serve`) until the store is
    /// closed; false with `error` (Kind::Busy) when another process holds it.
    virtual bool claim_service(StoreError &error) = 0;
    /// The schema version the store is at.
    [[nodiscard]] virtual int schema_version() const = 0;

    /// Appends a run (append() with kind "run"); `sealed` is the entry written.
    bool append(const Run &run, Entry &sealed, StoreError &error) {
        sealed = Entry{};
        sealed.kind = "run";
        sealed.run = run;
        return append(sealed, error);
    }
    /// Appends an event (append() with kind "event"); `sealed` is the entry written.
    bool append(const Event &event, Entry &sealed, StoreError &error) {
        sealed = Entry{};
        sealed.kind = "event";
        sealed.event = event;
        return append(sealed, error);
    }
    /// Every entry in sequence order, and the head.
    bool load(std::vector<Entry> &entries, std::int64_t &head_count, std::string &head_hash,
              StoreError &error) {
        return load_after(0, entries, head_count, head_hash, error);
    }
};

/// Whether `location` names a PostgreSQL database (`postgresql://...` or `postgres://...`)
/// rather than a SQLite file.
bool is_postgresql(const std::string &location);

/// `location` as it may be shown to a user or written to a log: a PostgreSQL URL with any
/// password (`user:PASSWORD@`, a `password=` parameter) replaced by `***`; a file path as it is.
std::string display_location(const std::string &location);

/// Opens the history at `location` (a file path: SQLite; a `postgresql://` URL: PostgreSQL, whose
/// tables live in the connection's current schema). With Append, a missing or empty file (an
/// empty schema) becomes a new history at kSchemaVersion, and an older schema is migrated; a
/// database that is not an assure history, or one of a newer version, is refused unmodified.
/// Read never writes and refuses an empty database. The caller decides whether a file path may
/// be used (cli: no symbolic links, no case file). Returns nullptr with `error` set on failure;
/// no message holds a password (display_location).
std::unique_ptr<Store> open_store(const std::string &location, OpenMode mode, StoreError &error);

} // namespace assure::history
