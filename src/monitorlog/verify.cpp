// SPDX-License-Identifier: Apache-2.0
// The monitor log's verifier (docs/monitor-log.md, "What verify detects").
#include "monitorlog/verify.hpp"

#include "monitorlog/lines.hpp"
#include "support/safe_fs.hpp"
#include "support/signing.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <nlohmann/json.hpp>

namespace assure::monitorlog {

namespace {

using nlohmann::json;

/// After a break, at most this many further lines are read to tell what happened.
constexpr std::size_t kLookahead = 1'000'000;
/// Hashes of the last entries kept, to recognise a duplicated line.
constexpr std::size_t kRecentHashes = 4096;

std::string entry_name(std::uint64_t line, std::uint64_t seq) {
    return "line " + std::to_string(line) + " (entry " + std::to_string(seq) + ")";
}

bool is_hex64(const std::string &s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

/// What the look-ahead keeps of a line after a break.
struct Peek {
    std::uint64_t line = 0;
    std::optional<std::uint64_t> seq;
    std::string hash;
    std::string prev;
};

/// The members an entry of each kind has besides kind, prev, seq and time; optional ones last.
struct Shape {
    std::string_view kind;
    std::vector<std::string_view> required;
    std::vector<std::string_view> optional;
};
const std::array<Shape, 5> &shapes() {
    static const std::array<Shape, 5> s = {{
        {"header", {"case", "checkpoint_every", "format", "version"}, {"key"}},
        {"verdict", {"verdict"}, {}},
        {"checkpoint", {"closed", "verdicts"}, {"key", "signature"}},
        {"case", {"case"}, {}},
        {"repair", {"dropped_bytes", "dropped_sha256"}, {}},
    }};
    return s;
}

class Verifier {
  public:
    Verifier(const VerifyOptions &options, const VerdictVisitor &visit)
        : options_(options), visit_(visit) {}

    VerifyResult run(LineSource &src) {
        if (!options_.public_key_pem.empty()) {
            std::string error;
            auto fp = support::key_fingerprint(options_.public_key_pem, error);
            if (!fp) {
                fail(ProblemKind::BadSignature, 0, std::nullopt, "the public key given " + error);
                return std::move(out_);
            }
            given_fp_ = *fp;
            out_.signatures_checked = true;
        }
        Line ln;
        while (!out_.problem) {
            const LineSource::Got got = src.next(ln);
            if (got == LineSource::Got::End) {
                break;
            }
            const std::uint64_t index = out_.entries; // expected seq
            const std::uint64_t number = index + 1;
            if (got == LineSource::Got::Error) {
                fail(ProblemKind::Unreadable, number, std::nullopt,
                     "line " + std::to_string(number) + " cannot be read: " + src.error());
                break;
            }
            if (got == LineSource::Got::TooLong) {
                fail(index == 0 ? ProblemKind::NotALog : ProblemKind::Malformed, number, index,
                     "line " + std::to_string(number) + " is longer than " +
                         std::to_string(kMaxLine >> 20) + " MiB, more than any entry");
                break;
            }
            if (!ln.complete) {
                fail(ProblemKind::Truncated, number, index,
                     "line " + std::to_string(number) +
                         " has no newline at its end: the last write was cut short (a crash) "
                         "or the file was cut in the middle of an entry");
                break;
            }
            if (!entry(ln.text, index, number, src)) {
                break;
            }
            out_.intact_bytes = ln.end;
        }
        if (!out_.problem && out_.entries == 0) {
            fail(ProblemKind::NotALog, 0, std::nullopt, "the file is empty: no header");
        }
        if (out_.problem) {
            out_.signatures_checked = false;
        }
        return std::move(out_);
    }

  private:
    void fail(ProblemKind kind, std::uint64_t line, std::optional<std::uint64_t> seq,
              std::string message) {
        out_.problem = Problem{kind, line, seq, std::move(message)};
    }

    /// Checks one complete line; false (with the problem set) when it is bad.
    bool entry(std::string_view text, std::uint64_t index, std::uint64_t number, LineSource &src) {
        const std::string where = "line " + std::to_string(number);
        const ProblemKind bad_form = index == 0 ? ProblemKind::NotALog : ProblemKind::Malformed;
        json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (!j.is_object()) {
            fail(bad_form, number, index,
                 where + (j.is_discarded() ? " is not JSON" : " is not a JSON object") +
                     (index == 0 ? ": not an assure monitor log" : ""));
            return false;
        }
        // Members and their types first: everything below may rely on them.
        if (!shape(j, where, index, number)) {
            return false;
        }
        const std::string kind = j["kind"].get<std::string>();
        std::string canonical;
        try {
            canonical = j.dump();
        } catch (const json::exception &) {
            canonical.clear();
        }
        if (canonical != text) {
            fail(ProblemKind::Edited, number, index,
                 where + " is not in the canonical form the log writes (keys sorted, no spaces, "
                         "numbers and strings as nlohmann_json writes them): its bytes were "
                         "changed after it was written");
            return false;
        }
        const std::uint64_t seq = j["seq"].get<std::uint64_t>();
        const std::string prev = j["prev"].get<std::string>();
        const std::string expected_prev = index == 0 ? std::string(kGenesis) : out_.head;
        const std::string hash = entry_hash(text);
        if (index == 0) {
            if (kind != "header") {
                fail(ProblemKind::NotALog, number, 0,
                     "line 1 is a `" + kind + "` entry, not the log's header");
                return false;
            }
            if (seq != 0 || prev != kGenesis) {
                fail(ProblemKind::Edited, number, 0,
                     "line 1 (the header) does not start the chain (seq 0, prev of zeros): "
                     "entries before it were deleted, or it was changed");
                return false;
            }
        } else if (seq != index || prev != expected_prev) {
            chain_break(index, number, seq, hash, src);
            return false;
        }
        const Time time = *parse_time(j["time"].get<std::string>());
        if (out_.last_time && time < *out_.last_time) {
            fail(ProblemKind::Malformed, number, seq,
                 entry_name(number, seq) + " is dated " + j["time"].get<std::string>() +
                     ", before the entry above it: the writer never goes back in time");
            return false;
        }
        before_ = out_; // what the result was without this entry
        if (!meaning(j, kind, number, seq)) {
            return false;
        }
        if (!out_.first_time) {
            out_.first_time = time;
        }
        out_.last_time = time;
        out_.head = hash;
        recent_.push_back(hash);
        if (recent_.size() > kRecentHashes) {
            recent_.pop_front();
        }
        ++out_.entries;
        if (kind == "checkpoint") {
            ++out_.checkpoints;
            out_.uncovered = 0;
            out_.closed = j["closed"].get<bool>();
        } else {
            ++out_.uncovered;
            out_.closed = false;
        }
        if (kind == "verdict") {
            ++out_.verdicts;
            if (visit_) {
                visit_(VerdictEntry{seq, number, time, &j["verdict"]});
            }
        }
        return true;
    }

    /// The members of an entry of its kind, with their types.
    bool shape(const json &j, const std::string &where, std::uint64_t index, std::uint64_t number) {
        const ProblemKind bad = index == 0 ? ProblemKind::NotALog : ProblemKind::Malformed;
        auto wrong = [&](const std::string &what) {
            fail(bad, number, index, where + " " + what);
            return false;
        };
        const auto kind_it = j.find("kind");
        if (kind_it == j.end() || !kind_it->is_string()) {
            return wrong("has no `kind` (a string)");
        }
        const std::string kind = kind_it->get<std::string>();
        const auto shape_it = std::find_if(shapes().begin(), shapes().end(),
                                           [&](const Shape &s) { return s.kind == kind; });
        if (shape_it == shapes().end()) {
            return wrong("is of kind " + shown(kind) +
                         ", not one of header, verdict, checkpoint, case, repair");
        }
        auto allowed = [&](std::string_view key) {
            for (std::string_view common : {"kind", "prev", "seq", "time"}) {
                if (key == common) {
                    return true;
                }
            }
            const auto in = [&](const std::vector<std::string_view> &keys) {
                return std::find(keys.begin(), keys.end(), key) != keys.end();
            };
            return in(shape_it->required) || in(shape_it->optional);
        };
        for (const auto &item : j.items()) {
            const std::string &key = item.key();
            if (!allowed(key)) {
                return wrong("has a member " + shown(key) + " that a " + kind +
                             " entry does not have");
            }
        }
        for (std::string_view need : {"prev", "seq", "time"}) {
            if (!j.contains(need)) {
                return wrong("has no `" + std::string(need) + "`");
            }
        }
        for (std::string_view need : shape_it->required) {
            if (!j.contains(need)) {
                return wrong("(a " + kind + " entry) has no `" + std::string(need) + "`");
            }
        }
        if (!j["seq"].is_number_unsigned()) {
            return wrong("has a `seq` that is not a whole number");
        }
        if (!j["prev"].is_string() || !is_hex64(j["prev"].get<std::string>())) {
            return wrong("has a `prev` that is not a SHA-256 (64 lower-case hex digits)");
        }
        if (!j["time"].is_string() || !parse_time(j["time"].get<std::string>())) {
            return wrong("has a `time` that is not an RFC 3339 UTC time "
                         "(YYYY-MM-DDTHH:MM:SS[.fraction]Z)");
        }
        if (kind == "header") {
            if (!j["format"].is_string() || j["format"] != kFormat) {
                return wrong("is the header of something else than an assure monitor log");
            }
            if (!j["version"].is_number_unsigned() || j["version"] != kVersion) {
                return wrong("is the header of a monitor log of version " +
                             shown(j["version"].dump(-1, ' ', true)) +
                             "; this assure reads version " + std::to_string(kVersion));
            }
            if (!j["case"].is_string() || !j["checkpoint_every"].is_number_unsigned() ||
                (j.contains("key") && !j["key"].is_string())) {
                return wrong("is a header whose `case`, `checkpoint_every` or `key` has the wrong "
                             "type");
            }
        } else if (kind == "verdict") {
            if (!j["verdict"].is_object()) {
                return wrong("is a verdict entry whose `verdict` is not a JSON object");
            }
        } else if (kind == "checkpoint") {
            if (!j["closed"].is_boolean() || !j["verdicts"].is_number_unsigned() ||
                (j.contains("key") && !j["key"].is_string()) ||
                (j.contains("signature") && !j["signature"].is_string())) {
                return wrong("is a checkpoint whose `closed`, `verdicts`, `key` or `signature` "
                             "has the wrong type");
            }
            if (j.contains("signature") != j.contains("key")) {
                return wrong("is a checkpoint with a `signature` but no `key`, or the reverse");
            }
        } else if (kind == "case") {
            if (!j["case"].is_string()) {
                return wrong("is a case entry whose `case` is not a string");
            }
        } else if (!j["dropped_bytes"].is_number_unsigned() || !j["dropped_sha256"].is_string()) {
            return wrong("is a repair entry whose `dropped_bytes` or `dropped_sha256` has the "
                         "wrong type");
        }
        return true;
    }

    /// What an entry of an intact chain says: the header's key, checkpoints' counts and
    /// signatures.
    bool meaning(const json &j, const std::string &kind, std::uint64_t number, std::uint64_t seq) {
        if (kind == "header") {
            out_.case_digest = j["case"].get<std::string>();
            out_.checkpoint_every = j["checkpoint_every"].get<std::uint64_t>();
            out_.key = j.value("key", std::string());
            if (!given_fp_.empty() && out_.key.empty()) {
                fail(ProblemKind::Unsigned, number, 0,
                     "the log is not signed: its header names no key, and a key was given");
                return false;
            }
            if (!given_fp_.empty() && out_.key != given_fp_) {
                fail(ProblemKind::BadSignature, number, 0,
                     "the log is signed by the key " + out_.key + ", not by the key given (" +
                         given_fp_ + ")");
                return false;
            }
            return true;
        }
        if (kind == "case") {
            out_.case_digest = j["case"].get<std::string>();
            return true;
        }
        if (kind != "checkpoint") {
            return true;
        }
        const std::uint64_t counted = j["verdicts"].get<std::uint64_t>();
        if (counted != out_.verdicts) {
            fail(ProblemKind::Malformed, number, seq,
                 entry_name(number, seq) + " is a checkpoint counting " + std::to_string(counted) +
                     " verdicts, but " + std::to_string(out_.verdicts) + " come before it");
            return false;
        }
        if (!j.contains("signature")) {
            if (!out_.key.empty() || !given_fp_.empty()) {
                fail(ProblemKind::Unsigned, number, seq,
                     entry_name(number, seq) + " is a checkpoint without a signature, in a log " +
                         (out_.key.empty() ? "checked with a key" : "signed by " + out_.key));
                return false;
            }
            return true;
        }
        const std::string key = j["key"].get<std::string>();
        const auto signature = support::unbase64(j["signature"].get<std::string>());
        if (key != out_.key || !signature || signature->size() != 64) {
            fail(ProblemKind::BadSignature, number, seq,
                 entry_name(number, seq) + " is a checkpoint " +
                     (key != out_.key ? "signed by " + key + ", not by the header's key " +
                                            (out_.key.empty() ? "(none)" : out_.key)
                                      : "whose signature is not 64 bytes in base64"));
            return false;
        }
        if (!given_fp_.empty()) {
            std::string error;
            if (!support::verify_message(options_.public_key_pem, signed_bytes(j), *signature,
                                         error)) {
                fail(ProblemKind::BadSignature, number, seq,
                     entry_name(number, seq) + " is a checkpoint whose signature does not " +
                         "verify with the key given: it, or an entry before it, was forged");
                return false;
            }
        }
        return true;
    }

    /// The chain breaks at line `number`: say what happened, looking ahead when it helps.
    void chain_break(std::uint64_t index, std::uint64_t number, std::uint64_t seq,
                     const std::string &hash, LineSource &src) {
        std::vector<Peek> ahead; // the lines after this one
        auto look = [&](std::size_t want) {
            Line ln;
            while (ahead.size() < want && ahead.size() < kLookahead) {
                const LineSource::Got got = src.next(ln);
                if (got == LineSource::Got::End || got == LineSource::Got::Error) {
                    return;
                }
                Peek p;
                p.line = number + 1 + ahead.size();
                if (got == LineSource::Got::Line && ln.complete) {
                    const json j = json::parse(ln.text, nullptr, false);
                    if (j.is_object() && j.contains("seq") && j["seq"].is_number_unsigned()) {
                        p.seq = j["seq"].get<std::uint64_t>();
                    }
                    // Only the next line's links are ever compared; further lines keep their
                    // position alone, so the look-ahead stays small.
                    if (ahead.empty() && j.is_object() && j.contains("prev") &&
                        j["prev"].is_string()) {
                        p.prev = j["prev"].get<std::string>();
                    }
                    if (ahead.empty()) {
                        p.hash = entry_hash(ln.text);
                    }
                }
                ahead.push_back(std::move(p));
            }
        };
        const std::string head = out_.head;
        if (seq == index) {
            look(1);
            if (!ahead.empty() && ahead[0].seq == index && ahead[0].prev == head) {
                fail(ProblemKind::Inserted, number, seq,
                     entry_name(number, seq) +
                         " was inserted: it does not chain to the entry above it, and the "
                         "entry below it (line " +
                         std::to_string(number + 1) + ") does");
                return;
            }
            drop_last();
            fail(ProblemKind::Edited, number - 1, index - 1,
                 entry_name(number - 1, index - 1) +
                     " was changed after it was written: its SHA-256 is not the one line " +
                     std::to_string(number) + " chains to (or that line's `prev` was changed)");
            return;
        }
        if (seq > index) {
            look(kLookahead);
            const auto found = std::find_if(ahead.begin(), ahead.end(),
                                            [&](const Peek &p) { return p.seq == index; });
            if (found != ahead.end()) {
                fail(ProblemKind::Reordered, number, index,
                     "line " + std::to_string(number) + " holds entry " + std::to_string(seq) +
                         " where entry " + std::to_string(index) + " belongs (it is at line " +
                         std::to_string(found->line) + "): entries were reordered");
                return;
            }
            fail(ProblemKind::Deleted, number, index,
                 (seq == index + 1 ? "entry " + std::to_string(index) + " is"
                                   : "entries " + std::to_string(index) + " to " +
                                         std::to_string(seq - 1) + " are") +
                     " missing before line " + std::to_string(number) + " (entry " +
                     std::to_string(seq) + "): deleted");
            return;
        }
        // seq < index: an entry that the chain already holds (at line seq + 1).
        const std::uint64_t earlier = seq + 1;
        const std::uint64_t back = index - seq; // how far back it is
        if (back <= recent_.size() && recent_[recent_.size() - back] == hash) {
            fail(ProblemKind::Inserted, number, seq,
                 "line " + std::to_string(number) + " repeats " + entry_name(earlier, seq) +
                     " byte for byte: a duplicated line was inserted");
            return;
        }
        look(1);
        if (!ahead.empty() && ahead[0].prev == hash) {
            // The chain goes on from this line: the earlier lines from `earlier` are the forgery.
            if (earlier + 1 == number) {
                drop_last();
            }
            fail(ProblemKind::Inserted, earlier, seq,
                 (earlier + 1 == number ? entry_name(earlier, seq) + " was"
                                        : "lines " + std::to_string(earlier) + " to " +
                                              std::to_string(number - 1) + " were") +
                     " inserted: the chain goes on from line " + std::to_string(number) +
                     ", which also holds entry " + std::to_string(seq));
            return;
        }
        fail(ProblemKind::Inserted, number, seq,
             "line " + std::to_string(number) + " holds entry " + std::to_string(seq) +
                 ", which line " + std::to_string(earlier) +
                 " already holds: an entry was inserted or duplicated");
    }

    /// The entry just accepted turns out to be the bad one: the result is as before it.
    void drop_last() {
        const std::optional<Problem> problem = out_.problem;
        const bool checked = out_.signatures_checked;
        out_ = before_;
        out_.problem = problem;
        out_.signatures_checked = checked;
        if (!recent_.empty()) {
            recent_.pop_back();
        }
    }

    const VerifyOptions &options_;
    const VerdictVisitor &visit_;
    VerifyResult before_;
    std::string given_fp_;
    VerifyResult out_;
    std::deque<std::string> recent_;
};

} // namespace

const char *problem_kind_name(ProblemKind kind) {
    switch (kind) {
    case ProblemKind::Unreadable:
        return "unreadable";
    case ProblemKind::NotALog:
        return "not a monitor log";
    case ProblemKind::Malformed:
        return "malformed";
    case ProblemKind::Edited:
        return "edited";
    case ProblemKind::Reordered:
        return "reordered";
    case ProblemKind::Inserted:
        return "inserted";
    case ProblemKind::Deleted:
        return "deleted";
    case ProblemKind::Truncated:
        return "truncated";
    case ProblemKind::BadSignature:
        return "bad signature";
    case ProblemKind::Unsigned:
        return "unsigned";
    }
    return "malformed";
}

support::Code problem_code(ProblemKind kind) {
    switch (kind) {
    case ProblemKind::Unreadable:
        return support::Code::E0850;
    case ProblemKind::NotALog:
        return support::Code::E0851;
    case ProblemKind::Malformed:
        return support::Code::E0852;
    case ProblemKind::Edited:
    case ProblemKind::Reordered:
    case ProblemKind::Inserted:
    case ProblemKind::Deleted:
        return support::Code::E0853;
    case ProblemKind::Truncated:
        return support::Code::E0854;
    case ProblemKind::BadSignature:
    case ProblemKind::Unsigned:
        return support::Code::E0855;
    }
    return support::Code::E0852;
}

std::string signed_bytes(const nlohmann::json &checkpoint) {
    json copy = checkpoint;
    copy.erase("signature");
    return copy.dump();
}

VerifyResult verify_bytes(std::string_view bytes, const VerifyOptions &options,
                          const VerdictVisitor &visit) {
    BytesLines src(bytes);
    return Verifier(options, visit).run(src);
}

VerifyResult verify_fd(int fd, const VerifyOptions &options, const VerdictVisitor &visit) {
    FdLines src(fd);
    return Verifier(options, visit).run(src);
}

VerifyResult verify_log(const std::string &path, const VerifyOptions &options,
                        const VerdictVisitor &visit) {
    support::FsError error;
    auto file = support::RegularFile::open(path, /*follow=*/true, error);
    if (!file) {
        VerifyResult out;
        out.problem = Problem{ProblemKind::Unreadable, 0, std::nullopt, error.message};
        return out;
    }
    return verify_fd(file->fd(), options, visit);
}

} // namespace assure::monitorlog
