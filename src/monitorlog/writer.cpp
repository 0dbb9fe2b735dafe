// SPDX-License-Identifier: Apache-2.0
// The monitor log's writer (docs/monitor-log.md, "Writing").
#include "monitorlog/writer.hpp"

#include "support/safe_fs.hpp"
#include "support/sha256.hpp"
#include "support/signing.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace assure::monitorlog {

namespace {

using nlohmann::json;

LogError refuse(support::Code code, std::string message) {
    return LogError{code, std::move(message), std::nullopt};
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

/// Flushes the folder holding `path`, so that a new file's name survives a crash.
void sync_folder(const std::string &path) {
    std::string folder = std::filesystem::path(path).parent_path().string();
    if (folder.empty()) {
        folder = ".";
    }
    const int dfd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

} // namespace

LogWriter::LogWriter(LogWriter &&other) noexcept {
    *this = std::move(other);
}

LogWriter &LogWriter::operator=(LogWriter &&other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        if (fd_ >= 0 && !pending_.empty() && !failed_) {
            write_all(fd_, pending_);
        }
        fd_ = other.fd_;
        other.fd_ = -1;
        pending_ = std::move(other.pending_);
        other.pending_.clear();
        failed_ = other.failed_;
        entries_ = other.entries_;
        verdicts_ = other.verdicts_;
        since_checkpoint_ = other.since_checkpoint_;
        head_ = std::move(other.head_);
        last_time_ = other.last_time_;
        key_pem_ = std::move(other.key_pem_);
        key_fp_ = std::move(other.key_fp_);
        checkpoint_every_ = other.checkpoint_every_;
        durability_ = other.durability_;
        clock_ = std::move(other.clock_);
    }
    return *this;
}

LogWriter::~LogWriter() {
    if (fd_ >= 0) {
        // What was appended is written (not flushed to disk), without a closing checkpoint.
        if (!pending_.empty() && !failed_) {
            write_all(fd_, pending_);
        }
        ::close(fd_);
    }
}

std::optional<LogWriter> LogWriter::open(const std::string &path, const WriterOptions &options,
                                         LogError &error) {
    LogWriter w;
    w.checkpoint_every_ = options.checkpoint_every;
    w.durability_ = options.durability;
    w.clock_ = options.clock;
    w.key_pem_ = options.sign_key_pem;
    if (!w.key_pem_.empty()) {
        std::string why;
        auto fp = support::key_fingerprint(w.key_pem_, why);
        if (!fp) {
            error = refuse(support::Code::E0856, "the signing key " + why);
            return std::nullopt;
        }
        w.key_fp_ = *fp;
    }
    struct stat st {};
    const bool exists = ::lstat(path.c_str(), &st) == 0;
    if (exists && S_ISLNK(st.st_mode)) {
        error = refuse(support::Code::E0850,
                       "is a symbolic link: a monitor log is never written through one");
        return std::nullopt;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        error = refuse(support::Code::E0850, std::string("is not a regular file (") +
                                                 support::file_type_name(st.st_mode) + ")");
        return std::nullopt;
    }
    const int flags = exists ? (O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
                             : (O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC);
    w.fd_ = ::open(path.c_str(), flags, 0644);
    if (w.fd_ < 0) {
        error = refuse(support::Code::E0850,
                       errno == ELOOP
                           ? std::string("is a symbolic link: a monitor log is never "
                                         "written through one")
                           : std::string("cannot be opened for writing: ") + std::strerror(errno));
        return std::nullopt;
    }
    struct stat fst {};
    if (::fstat(w.fd_, &fst) != 0 || !S_ISREG(fst.st_mode)) {
        error = refuse(support::Code::E0850, "is not a regular file");
        return std::nullopt;
    }
    if (::flock(w.fd_, LOCK_EX | LOCK_NB) != 0) {
        error = refuse(support::Code::E0857,
                       errno == EWOULDBLOCK
                           ? std::string("is being written by another writer (it holds the lock)")
                           : std::string("cannot be locked: ") + std::strerror(errno));
        return std::nullopt;
    }
    if (!exists) {
        json header = {{"kind", "header"},
                       {"format", kFormat},
                       {"version", kVersion},
                       {"case", options.case_digest},
                       {"checkpoint_every", options.checkpoint_every}};
        if (!w.key_fp_.empty()) {
            header["key"] = w.key_fp_;
        }
        w.head_ = std::string(kGenesis);
        if (!w.write_entry(header, error, std::nullopt, /*sync=*/true)) {
            ::unlink(path.c_str());
            return std::nullopt;
        }
        sync_folder(path);
        return w;
    }
    // An existing log: verified whole (its signatures too, with our own key) before a byte is
    // added, then continued from its head.
    VerifyOptions vo;
    vo.public_key_pem = w.key_pem_;
    VerifyResult v = verify_fd(w.fd_, vo);
    std::optional<std::pair<std::uint64_t, std::string>> dropped; // bytes, their SHA-256
    if (!v.ok()) {
        const Problem &p = *v.problem;
        if (p.kind == ProblemKind::Truncated && options.repair_torn_tail) {
            const auto size = static_cast<std::uint64_t>(fst.st_size);
            std::string torn(static_cast<std::size_t>(size - v.intact_bytes), '\0');
            const ssize_t n =
                ::pread(w.fd_, torn.data(), torn.size(), static_cast<off_t>(v.intact_bytes));
            if (n != static_cast<ssize_t>(torn.size()) ||
                ::ftruncate(w.fd_, static_cast<off_t>(v.intact_bytes)) != 0 ||
                ::fsync(w.fd_) != 0) {
                error =
                    refuse(support::Code::E0850,
                           std::string("cannot cut its torn last line: ") + std::strerror(errno));
                return std::nullopt;
            }
            dropped.emplace(torn.size(), support::sha256_hex(torn));
        } else if (p.kind == ProblemKind::Truncated) {
            error = LogError{support::Code::E0854,
                             p.message + "; the log is not extended until its torn line is "
                                         "repaired (the writer's repair option cuts it off and "
                                         "records that it did)",
                             p};
            return std::nullopt;
        } else {
            error =
                LogError{problem_code(p.kind),
                         "is refused: " + p.message +
                             (p.kind == ProblemKind::NotALog || p.kind == ProblemKind::Unreadable
                                  ? ""
                                  : "; a broken log is never extended: keep it as it is "
                                    "and start a new log"),
                         p};
            return std::nullopt;
        }
    }
    if (v.key != w.key_fp_) {
        error = refuse(support::Code::E0856,
                       v.key.empty() ? "is not signed; it cannot be continued with a signing key "
                                       "(start a new log to sign it)"
                                     : "is signed by the key " + v.key +
                                           "; it is continued only with that key");
        return std::nullopt;
    }
    w.entries_ = v.entries;
    w.verdicts_ = v.verdicts;
    w.since_checkpoint_ = v.uncovered;
    w.head_ = v.head;
    w.last_time_ = v.last_time;
    if (dropped) {
        json repair = {{"kind", "repair"},
                       {"dropped_bytes", dropped->first},
                       {"dropped_sha256", dropped->second}};
        if (!w.write_entry(repair, error, std::nullopt, /*sync=*/true)) {
            return std::nullopt;
        }
    }
    if (!options.case_digest.empty() && options.case_digest != v.case_digest) {
        json change = {{"kind", "case"}, {"case", options.case_digest}};
        if (!w.write_entry(change, error, std::nullopt, /*sync=*/true)) {
            return std::nullopt;
        }
    }
    return w;
}

bool LogWriter::entry_time(std::optional<std::string_view> time, Time &out, LogError &error) {
    if (time) {
        const auto t = parse_time(*time);
        if (!t) {
            error = refuse(support::Code::E0857,
                           "the time " + shown(*time) +
                               " is not an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SS[.fraction]Z)");
            return false;
        }
        if (last_time_ && *t < *last_time_) {
            error = refuse(support::Code::E0857,
                           "the time " + shown(*time) + " is before the last entry's (" +
                               format_time(*last_time_) + "): a log never goes back in time");
            return false;
        }
        out = *t;
        return true;
    }
    out = clock_ ? clock_() : now();
    if (last_time_ && out < *last_time_) {
        out = *last_time_; // the clock stepped back: the log stays in order
    }
    return true;
}

bool LogWriter::write_entry(nlohmann::json &entry, LogError &error,
                            std::optional<std::string_view> time, bool sync) {
    if (fd_ < 0 || failed_) {
        error = refuse(support::Code::E0857,
                       fd_ < 0 ? "is closed" : "had a failed write: reopen it (with repair)");
        return false;
    }
    Time t;
    if (!entry_time(time, t, error)) {
        return false;
    }
    // A given time keeps its own text when it is canonical enough to round-trip; the writer's
    // clock writes microseconds.
    entry["time"] = time ? std::string(*time) : format_time(t);
    entry["seq"] = entries_;
    entry["prev"] = head_;
    if (entry["kind"] == "checkpoint" && !key_pem_.empty()) {
        entry["key"] = key_fp_;
        std::string why;
        const auto sig = support::sign_message(key_pem_, signed_bytes(entry), why);
        if (!sig) {
            error = refuse(support::Code::E0856, "cannot sign a checkpoint: " + why);
            return false;
        }
        entry["signature"] = support::base64(*sig);
    }
    std::string line;
    try {
        line = entry.dump();
    } catch (const json::exception &) {
        error = refuse(support::Code::E0857, "the verdict holds text that is not UTF-8");
        return false;
    }
    if (line.size() > kMaxLine) {
        error = refuse(support::Code::E0857, "the entry would be " + std::to_string(line.size()) +
                                                 " bytes long, more than the " +
                                                 std::to_string(kMaxLine >> 20) +
                                                 " MiB an entry may have");
        return false;
    }
    const std::string hash = entry_hash(line);
    // Entries are gathered and written in blocks: at each checkpoint (flushed to disk), after
    // every entry with Durability::Entry, when a block is full, and on flush().
    pending_ += line;
    pending_ += '\n';
    const bool to_disk = sync || durability_ == Durability::Entry;
    if ((to_disk || pending_.size() >= kBlock) && !write_pending(to_disk, error)) {
        return false;
    }
    head_ = hash;
    last_time_ = t;
    ++entries_;
    return true;
}

bool LogWriter::write_pending(bool to_disk, LogError &error) {
    if (fd_ < 0 || failed_) {
        error = refuse(support::Code::E0857,
                       fd_ < 0 ? "is closed" : "had a failed write: reopen it (with repair)");
        return false;
    }
    if (!write_all(fd_, pending_) || (to_disk && ::fdatasync(fd_) != 0)) {
        failed_ = true;
        pending_.clear();
        error =
            refuse(support::Code::E0850, std::string("cannot be written: ") + std::strerror(errno));
        return false;
    }
    pending_.clear();
    return true;
}

bool LogWriter::flush(LogError &error) {
    return pending_.empty() || write_pending(/*to_disk=*/false, error);
}

bool LogWriter::append(std::string_view verdict_json, LogError &error,
                       std::optional<std::string_view> time) {
    json verdict = json::parse(verdict_json, nullptr, /*allow_exceptions=*/false);
    if (verdict.is_discarded()) {
        error = refuse(support::Code::E0857, "the verdict is not JSON");
        return false;
    }
    return append_object(std::move(verdict), error, time);
}

bool LogWriter::append_object(nlohmann::json verdict, LogError &error,
                              std::optional<std::string_view> time) {
    if (!verdict.is_object()) {
        error = refuse(support::Code::E0857, "the verdict is not a JSON object");
        return false;
    }
    json entry = {{"kind", "verdict"}, {"verdict", std::move(verdict)}};
    if (!write_entry(entry, error, time, /*sync=*/false)) {
        return false;
    }
    ++verdicts_;
    ++since_checkpoint_;
    if (checkpoint_every_ != 0 && since_checkpoint_ >= checkpoint_every_) {
        return write_checkpoint(/*closed=*/false, error, time);
    }
    return true;
}

bool LogWriter::write_checkpoint(bool closed, LogError &error,
                                 std::optional<std::string_view> time) {
    json entry = {{"kind", "checkpoint"}, {"verdicts", verdicts_}, {"closed", closed}};
    if (!write_entry(entry, error, time, /*sync=*/true)) {
        return false;
    }
    since_checkpoint_ = 0;
    return true;
}

bool LogWriter::checkpoint(LogError &error, std::optional<std::string_view> time) {
    return write_checkpoint(/*closed=*/false, error, time);
}

bool LogWriter::close(LogError &error, std::optional<std::string_view> time) {
    const bool ok = write_checkpoint(/*closed=*/true, error, time);
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    return ok;
}

} // namespace assure::monitorlog
