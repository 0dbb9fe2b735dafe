// SPDX-License-Identifier: Apache-2.0
#pragma once

// Writing a monitor log (docs/monitor-log.md): the header, one entry per verdict, a checkpoint
// every N verdicts and at close (signed with the packet key when one is given). A log is only
// ever appended to: a new log is created exclusively; an existing one is verified whole before
// the first append and continued from its head; a log whose chain is broken is refused, never
// extended; a symbolic link is never written through; one writer at a time (an exclusive
// lock on the file). Nothing here prints.

#include "monitorlog/format.hpp"
#include "monitorlog/verify.hpp"
#include "support/diagnostics.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace assure::monitorlog {

/// When appended entries are flushed to disk (fdatasync).
enum class Durability : std::uint8_t {
    Checkpoint, // at each checkpoint and at close: a crash (of the system, or of the process:
                // entries are written in blocks between checkpoints) loses at most the entries
                // since the last checkpoint and may leave a torn last line
    Entry,      // after every entry: a crash loses at most the entry being written
};

struct WriterOptions {
    /// The case the verdicts are of ("sha256:..." of its files, as the monitor computes it):
    /// the header's `case` for a new log; when an existing log's current case differs, a
    /// `case` entry records the change before the next verdict.
    std::string case_digest;
    /// A checkpoint after every this many verdicts (0: only at close).
    std::uint64_t checkpoint_every = 1000;
    /// An Ed25519 private key in PEM (support::read_private_key): every checkpoint is signed
    /// and the header names the key. An existing log is continued only with the key it names
    /// (or with none, when it names none).
    std::string sign_key_pem;
    Durability durability = Durability::Checkpoint;
    /// An existing log whose last line is torn (no newline: a crash in the middle of a write)
    /// is refused (E0854) unless this is set; then the torn bytes are cut off and a `repair`
    /// entry recording their number and SHA-256 is appended first. Any other break is refused.
    bool repair_torn_tail = false;
    /// The time of entries not given one (default: the system clock, never before the last
    /// entry's time: a clock stepped back writes the last time again).
    std::function<Time()> clock;
};

/// Why the writer refused or failed: a diagnostic code and a sentence (without the path).
struct LogError {
    support::Code code = support::Code::E0857;
    std::string message;
    std::optional<Problem> problem; // the verifier's finding, when the log was refused for it
};

class LogWriter {
  public:
    LogWriter(LogWriter &&other) noexcept;
    LogWriter &operator=(LogWriter &&other) noexcept;
    LogWriter(const LogWriter &) = delete;
    LogWriter &operator=(const LogWriter &) = delete;
    /// Writes what was appended and closes the descriptor, without a closing checkpoint (as a
    /// crash could leave the log: call close() to end it cleanly).
    ~LogWriter();

    /// Opens `path` for appending: creates a new log with its header (exclusively, mode 0644;
    /// E0850 when it cannot), or continues an existing one after verifying it whole. Refuses a
    /// symbolic link or anything but a regular file (E0850), a file that is not a monitor log
    /// (E0851) or whose chain is broken (the verifier's code, E0852-E0855), a torn last line
    /// without `repair_torn_tail` (E0854), another key than the log's, a log another writer
    /// holds (E0857).
    static std::optional<LogWriter> open(const std::string &path, const WriterOptions &options,
                                         LogError &error);

    /// Appends one verdict: `verdict_json` is one JSON object (the monitor's verdict of one
    /// record), stored as given (re-serialised canonically). `time`: RFC 3339 UTC, not before
    /// the last entry's (default: the clock). Refuses (E0857) text that is not a JSON object,
    /// an entry over kMaxLine, a time that is not one or goes back; after a failed write the
    /// writer refuses everything (the log may end in a torn line: reopen with repair).
    bool append(std::string_view verdict_json, LogError &error,
                std::optional<std::string_view> time = std::nullopt);
    /// The same for a verdict already parsed (a JSON object; nothing to parse again).
    bool append_object(nlohmann::json verdict, LogError &error,
                       std::optional<std::string_view> time = std::nullopt);

    /// Writes the entries appended so far to the file (they are gathered in blocks of
    /// kBlock bytes between checkpoints); not flushed to disk.
    bool flush(LogError &error);

    /// Writes a checkpoint now (flushed to disk whatever the durability).
    bool checkpoint(LogError &error, std::optional<std::string_view> time = std::nullopt);

    /// Writes the closing checkpoint, flushes and closes. The writer is then spent.
    bool close(LogError &error, std::optional<std::string_view> time = std::nullopt);

    [[nodiscard]] std::uint64_t entries() const { return entries_; }
    [[nodiscard]] std::uint64_t verdicts() const { return verdicts_; }
    /// The SHA-256 of the last entry written.
    [[nodiscard]] const std::string &head() const { return head_; }

  private:
    LogWriter() = default;
    /// Appends `entry` (its kind's members set; prev, seq and time are added here).
    bool write_entry(nlohmann::json &entry, LogError &error, std::optional<std::string_view> time,
                     bool sync);
    bool entry_time(std::optional<std::string_view> time, Time &out, LogError &error);
    bool write_checkpoint(bool closed, LogError &error, std::optional<std::string_view> time);
    bool write_pending(bool to_disk, LogError &error);

    static constexpr std::size_t kBlock = 1 << 16;
    std::string pending_; // entries appended, not written yet

    int fd_ = -1;
    bool failed_ = false;
    std::uint64_t entries_ = 0;
    std::uint64_t verdicts_ = 0;
    std::uint64_t since_checkpoint_ = 0; // verdicts since the last checkpoint
    std::string head_;
    std::optional<Time> last_time_;
    std::string key_pem_;
    std::string key_fp_;
    std::uint64_t checkpoint_every_ = 0;
    Durability durability_ = Durability::Checkpoint;
    std::function<Time()> clock_;
};

} // namespace assure::monitorlog
