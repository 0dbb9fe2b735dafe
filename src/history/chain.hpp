// SPDX-License-Identifier: Apache-2.0
#pragma once

// The hash chain of a history (docs/history.md, "The chain"): every entry (a run today; events
// later) holds the hash of the entry before it and its own hash over a canonical serialisation
// of its sequence number, kind, previous hash and content. Editing, deleting, inserting or
// reordering entries breaks the chain at the first entry concerned.

#include "history/run.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace assure::history {

/// The previous hash of the first entry: 64 zeros.
inline constexpr const char *kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the chain: a run (`kind` "run", `run` set) or an event (`kind` "event",
/// `event` set).
struct Entry {
    std::int64_t seq = 0; // 1, 2, 3, ... in chain order
    std::string kind = "run";
    std::string prev_hash;
    std::string hash;
    Run run;
    Event event;
    [[nodiscard]] bool is_run() const { return kind == "run"; }
    [[nodiscard]] bool is_event() const { return kind == "event"; }
};

/// The canonical serialisation the hash covers: compact JSON with keys in byte order, arrays in
/// the run's order, "assure-history-entry" version 1 (docs/history.md gives its fields).
std::string canonical(const Entry &entry);

/// SHA-256 (hex) of canonical(entry) (which includes seq, kind and prev_hash, not hash).
std::string entry_hash(const Entry &entry);

/// Sets `entry.seq`, `prev_hash` and `hash` to append it after `last` (nullptr: the first).
void seal(Entry &entry, const Entry *last);

/// The first place the chain is broken, or nullopt when it is whole.
struct Break {
    std::int64_t seq = 0; // the first entry that is not as sealed (or, for a cut tail, the last
                          // entry the head names)
    std::string problem;  // "its content was edited (hash ...)", ...
};

/// Checks `entries` (in stored order, by seq) against each other and against the head the store
/// keeps (the number of entries and the last hash; `head_count` 0 with an empty hash for an
/// empty history).
std::optional<Break> verify_chain(const std::vector<Entry> &entries, std::int64_t head_count,
                                  const std::string &head_hash);

/// The delta run of `after` against `before` (both full runs of one case version, `before`
/// being entry `before_seq`): `after` with `delta_of` set and only the claims, evidence and
/// artifacts whose record differs from `before`'s listed.
Run delta_run(const Run &before, std::int64_t before_seq, const Run &after);

/// Sets every field of `to` but its record lists (claims, evidence, artifacts, defeaters) to
/// `from`'s.
void copy_header(const Run &from, Run &to);

/// `entries` with every delta run expanded into the full run it stands for (in chain order; a
/// delta of a run that is not in `entries` is left as it is). Hashes are unchanged: verify the
/// chain on what the store returned, not on this.
std::vector<Entry> expand_deltas(std::vector<Entry> entries);

} // namespace assure::history
