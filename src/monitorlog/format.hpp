// SPDX-License-Identifier: Apache-2.0
#pragma once

// The monitor log's format (docs/monitor-log.md): JSON Lines, one entry per line, each entry
// the canonical bytes of a JSON object (nlohmann's dump: sorted keys, no spaces, UTF-8) that
// records its position (`seq`), the SHA-256 of the entry before it (`prev`), the time it was
// written and what it holds: the header (line 1), a verdict, a checkpoint, a change of case or
// the note of a repaired torn tail.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace assure::monitorlog {

/// The header's `format` and `version`.
inline constexpr std::string_view kFormat = "assure-monitor-log";
inline constexpr int kVersion = 1;
/// The `prev` of the header: 64 zeros.
inline constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";
/// The longest entry (line, without its newline) written or read: 1 MiB.
inline constexpr std::size_t kMaxLine = std::size_t{1} << 20;

/// An entry's time: UTC, to the nanosecond.
struct Time {
    std::int64_t seconds = 0; // since 1970-01-01T00:00:00Z
    std::uint32_t nanos = 0;
    friend auto operator<=>(const Time &, const Time &) = default;
    /// Days since 1970-01-01 (floor).
    [[nodiscard]] std::int64_t day() const;
};

/// Parses RFC 3339 UTC time as the log writes it: `YYYY-MM-DDTHH:MM:SSZ`, optionally with a
/// fraction of 1 to 9 digits before the `Z` (`2026-11-23T14:05:00.125Z`). Anything else,
/// another offset than `Z` included, is nullopt.
std::optional<Time> parse_time(std::string_view text);

/// `t` as RFC 3339 UTC with microseconds (`2026-11-23T14:05:00.125000Z`).
std::string format_time(Time t);

/// The time now (the system clock), to the microsecond.
Time now();

/// Days since 1970-01-01 of a civil date, and "YYYY-MM-DD" of a day number.
std::int64_t days_from_civil(int year, unsigned month, unsigned day);
std::string format_day(std::int64_t day);

/// The SHA-256 (hex) an entry's successor records as its `prev`: of the line's bytes without
/// the newline.
std::string entry_hash(std::string_view line);

/// Text from a log or a caller, shown in a message: quoted, ASCII only (other characters and
/// control bytes escaped as JSON does), cut after 40 characters with `...`; never a line break,
/// never invalid UTF-8.
std::string shown(std::string_view text);

} // namespace assure::monitorlog
