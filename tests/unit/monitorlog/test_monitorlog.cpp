// SPDX-License-Identifier: Apache-2.0
// The monitor log (docs/monitor-log.md): the writer's chain, reopening, checkpoints and
// signatures; the verifier's finding for every kind of tampering; hostile logs; the queries and
// the `monitor` read source. Every log is written here through the API (and tampered with here),
// never committed with hand-made hashes.
#include "artifacts/reader.hpp"
#include "monitorlog/query.hpp"
#include "monitorlog/verify.hpp"
#include "monitorlog/writer.hpp"
#include "support/sha256.hpp"
#include "support/signing.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace ml = assure::monitorlog;
using assure::support::Code;
using nlohmann::json;

namespace {

struct TempDir {
    std::string path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "assure-ml-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    [[nodiscard]] std::string file(const std::string &name) const { return path + "/" + name; }
};

/// A clock before every time the tests give (the header and entries given no time use it).
ml::Time early() {
    return *ml::parse_time("2026-10-31T00:00:00Z");
}

std::string day_time(int day, int hour = 10) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "2026-11-%02dT%02d:00:00Z", day, hour);
    return buf;
}

/// A closed log of `n` verdicts {"n": k}, one a day from 2026-11-01, checkpoint every `every`.
void make_log(const std::string &path, int n, std::uint64_t every = 4,
              const std::string &key = {}) {
    ml::WriterOptions o;
    o.case_digest = "sha256:case";
    o.checkpoint_every = every;
    o.sign_key_pem = key;
    o.clock = early;
    ml::LogError error;
    auto w = ml::LogWriter::open(path, o, error);
    REQUIRE_MESSAGE(w.has_value(), error.message);
    for (int k = 0; k < n; ++k) {
        REQUIRE_MESSAGE(w->append("{\"n\":" + std::to_string(k) + "}", error, day_time(1 + k)),
                        error.message);
    }
    REQUIRE(w->close(error, day_time(1 + n)));
}

std::vector<std::string> lines_of(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        out.push_back(line);
    }
    return out;
}

void write_lines(const std::string &path, const std::vector<std::string> &lines,
                 bool final_newline = true) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (std::size_t k = 0; k < lines.size(); ++k) {
        out << lines[k];
        if (k + 1 < lines.size() || final_newline) {
            out << '\n';
        }
    }
}

/// What a forger without the key can do: recompute every `seq` and `prev` after a change.
void rechain(std::vector<std::string> &lines) {
    std::string prev(ml::kGenesis);
    for (std::size_t k = 0; k < lines.size(); ++k) {
        json j = json::parse(lines[k]);
        j["seq"] = k;
        j["prev"] = prev;
        lines[k] = j.dump();
        prev = assure::support::sha256_hex(lines[k]);
    }
}

ml::VerifyResult verify(const std::string &path, const std::string &key = {}) {
    ml::VerifyOptions o;
    o.public_key_pem = key;
    return ml::verify_log(path, o);
}

/// The line number of the entry of `kind` with `seq`.
std::size_t line_of_verdict(const std::vector<std::string> &lines, int n) {
    for (std::size_t k = 0; k < lines.size(); ++k) {
        const json j = json::parse(lines[k]);
        if (j["kind"] == "verdict" && j["verdict"]["n"] == n) {
            return k;
        }
    }
    FAIL("no verdict " << n);
    return 0;
}

} // namespace

TEST_CASE("monitorlog: a log is written, closed, verified and continued") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    make_log(path, 7, 3);
    auto lines = lines_of(path);
    // header, 7 verdicts, checkpoints after 3 and 6, the closing checkpoint
    REQUIRE(lines.size() == 11);
    const json header = json::parse(lines[0]);
    CHECK(header["kind"] == "header");
    CHECK(header["format"] == "assure-monitor-log");
    CHECK(header["prev"] == std::string(ml::kGenesis));
    CHECK(json::parse(lines[4])["kind"] == "checkpoint");
    CHECK(json::parse(lines[4])["verdicts"] == 3);
    CHECK(json::parse(lines[10])["closed"] == true);
    // Each entry holds the SHA-256 of the one before it.
    for (std::size_t k = 1; k < lines.size(); ++k) {
        CHECK(json::parse(lines[k])["prev"] == assure::support::sha256_hex(lines[k - 1]));
        CHECK(json::parse(lines[k])["seq"] == k);
    }
    auto v = verify(path);
    CHECK(v.ok());
    CHECK(v.entries == 11);
    CHECK(v.verdicts == 7);
    CHECK(v.checkpoints == 3);
    CHECK(v.closed);
    CHECK(v.uncovered == 0);
    CHECK(v.case_digest == "sha256:case");
    CHECK(v.head == assure::support::sha256_hex(lines.back()));

    // Reopened: verified, continued from its head; a new case digest is recorded first.
    ml::WriterOptions o;
    o.case_digest = "sha256:case2";
    o.checkpoint_every = 3;
    o.clock = early;
    ml::LogError error;
    auto w = ml::LogWriter::open(path, o, error);
    REQUIRE_MESSAGE(w.has_value(), error.message);
    CHECK(w->verdicts() == 7);
    REQUIRE(w->append("{\"n\":7}", error, day_time(20)));
    REQUIRE(w->append("{\"n\":8}", error, day_time(21)));
    // A time before the last entry's is refused.
    CHECK_FALSE(w->append("{\"n\":9}", error, day_time(2)));
    CHECK(error.code == Code::E0857);
    CHECK_FALSE(w->append("[1, 2]", error, day_time(22)));
    CHECK_FALSE(w->append("{\"n\": ", error, day_time(22)));
    CHECK_FALSE(w->append("{}", error, "2026-11-22 10:00"));
    w.reset(); // no close: as a crash would leave it
    v = verify(path);
    CHECK(v.ok());
    CHECK(v.verdicts == 9);
    CHECK_FALSE(v.closed);
    CHECK(v.uncovered == 3); // the case entry and two verdicts
    CHECK(v.case_digest == "sha256:case2");
    lines = lines_of(path);
    CHECK(json::parse(lines[11])["kind"] == "case");
}

TEST_CASE("monitorlog: the writer's clock never goes back and appends are in order") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    ml::WriterOptions o;
    std::int64_t tick = 2000000000;
    o.clock = [&] { return ml::Time{tick -= 10, 0}; }; // a clock running backwards
    o.durability = ml::Durability::Entry;
    ml::LogError error;
    auto w = ml::LogWriter::open(path, o, error);
    REQUIRE(w.has_value());
    REQUIRE(w->append("{\"a\":1}", error));
    REQUIRE(w->append("{\"a\":2}", error));
    REQUIRE(w->close(error));
    CHECK(verify(path).ok());
    CHECK_FALSE(w->append("{\"a\":3}", error)); // closed
    CHECK(error.code == Code::E0857);
}

TEST_CASE("monitorlog: signed checkpoints verify with the key and only with it") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    std::string error;
    const auto key = assure::support::generate_key(error);
    const auto other = assure::support::generate_key(error);
    REQUIRE(key.has_value());
    REQUIRE(other.has_value());
    make_log(path, 5, 2, key->private_pem);
    auto v = verify(path, key->public_pem);
    CHECK(v.ok());
    CHECK(v.signatures_checked);
    CHECK(v.key == key->fingerprint);
    v = verify(path); // no key: intact, signatures not checked
    CHECK(v.ok());
    CHECK_FALSE(v.signatures_checked);
    v = verify(path, other->public_pem);
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::BadSignature);
    CHECK(v.problem->line == 1);

    // A forger without the key rewrites a verdict and recomputes the whole chain: intact to a
    // verifier without the key, caught by the first checkpoint's signature with it.
    auto lines = lines_of(path);
    const std::size_t at = line_of_verdict(lines, 1);
    json j = json::parse(lines[at]);
    j["verdict"]["n"] = 100;
    lines[at] = j.dump();
    rechain(lines);
    write_lines(path, lines);
    CHECK(verify(path).ok());
    v = verify(path, key->public_pem);
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::BadSignature);
    CHECK(v.problem->line == at + 2); // the checkpoint right after the two verdicts

    // Stripping the signatures (and the header's key) does not help.
    for (auto &line : lines) {
        json e = json::parse(line);
        e.erase("signature");
        e.erase("key");
        line = e.dump();
    }
    rechain(lines);
    write_lines(path, lines);
    v = verify(path, key->public_pem);
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Unsigned);

    // A signed log is continued only with its key.
    const std::string signed_path = dir.file("signed.jsonl");
    make_log(signed_path, 2, 2, key->private_pem);
    ml::WriterOptions o;
    ml::LogError le;
    CHECK_FALSE(ml::LogWriter::open(signed_path, o, le).has_value());
    CHECK(le.code == Code::E0856);
    o.sign_key_pem = other->private_pem;
    CHECK_FALSE(ml::LogWriter::open(signed_path, o, le).has_value());
    CHECK(le.code == Code::E0855); // its own signatures do not verify with another key
    o.sign_key_pem = key->private_pem;
    CHECK(ml::LogWriter::open(signed_path, o, le).has_value());
}

TEST_CASE("monitorlog: the last entry's signature is what protects it") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    std::string error;
    const auto key = assure::support::generate_key(error);
    REQUIRE(key.has_value());
    make_log(path, 3, 10, key->private_pem);
    auto lines = lines_of(path);
    json last = json::parse(lines.back());
    auto sig = *assure::support::unbase64(last["signature"].get<std::string>());
    sig[0] = static_cast<char>(sig[0] ^ 1);
    last["signature"] = assure::support::base64(sig);
    lines.back() = last.dump();
    write_lines(path, lines);
    CHECK(verify(path).ok()); // nothing follows it to chain to it: only the key tells
    const auto v = verify(path, key->public_pem);
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::BadSignature);
    CHECK(v.problem->line == lines.size());
}

TEST_CASE("monitorlog: every kind of tampering names the first bad entry") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    make_log(path, 10, 4);
    const auto clean = lines_of(path);
    REQUIRE(verify(path).ok());

    SUBCASE("a value edited") {
        auto lines = clean;
        const std::size_t at = line_of_verdict(lines, 5);
        json j = json::parse(lines[at]);
        j["verdict"]["n"] = 6;
        lines[at] = j.dump();
        write_lines(path, lines);
        const auto v = verify(path);
        REQUIRE_FALSE(v.ok());
        CHECK(v.problem->kind == ml::ProblemKind::Edited);
        CHECK(v.problem->line == at + 1);
        CHECK(v.problem->seq == at);
        CHECK(ml::problem_code(v.problem->kind) == Code::E0853);
        CHECK(v.verdicts == 5); // the intact prefix stops before it
    }
    SUBCASE("a space added: not canonical") {
        auto lines = clean;
        const std::size_t at = line_of_verdict(lines, 2);
        lines[at].insert(1, " ");
        write_lines(path, lines);
        const auto v = verify(path);
        REQUIRE_FALSE(v.ok());
        CHECK(v.problem->kind == ml::ProblemKind::Edited);
        CHECK(v.problem->line == at + 1);
    }
    SUBCASE("two lines reordered") {
        auto lines = clean;
        const std::size_t at = line_of_verdict(lines, 5);
        std::swap(lines[at], lines[at + 1]);
        write_lines(path, lines);
        const auto v = verify(path);
        REQUIRE_FALSE(v.ok());
        CHECK(v.problem->kind == ml::ProblemKind::Reordered);
        CHECK(v.problem->line == at + 1);
    }
    SUBCASE("a forged entry inserted, chained to the one before it") {
        auto lines = clean;
        const std::size_t at = line_of_verdict(lines, 5);
        json forged = json::parse(lines[at]);
        forged["verdict"]["n"] = 99;
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), forged.dump());
        write_lines(path, lines);
        const auto v = verify(path);
        REQUIRE_FALSE(v.ok());
        CHECK(v.problem->kind == ml::ProblemKind::Inserted);
        CHECK(v.problem->line == at + 1);
    }
    SUBCASE("a forged entry inserted with a wrong prev") {
        auto lines = clean;
        const std::size_t at = line_of_verdict(lines, 5);
        json forged = json::parse(lines[at]);
        forged["verdict"]["n"] = 99;
        forged["prev"] = std::string(64, 'a');
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), forged.dump());
        write_lines(path, lines);
        const auto v = verify(path);
        REQUIRE_FALSE(v.ok());
        CHECK(v.problem->kind == ml::ProblemKind::Inserted);
        CHECK(v.problem->line == at + 1);
    }
    SUBCASE("a line duplicated") {
        auto lines = clean;
        const std::size_t at = line_of_verdict(lines, 3);
        lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at + 1), lines[at]);
        write_lines(path, lines);
        const auto v = verify(path);
        REQUIRE_FALSE(v.ok());
        CHECK(v.problem->kind == ml::ProblemKind::Inserted);
        CHECK(v.problem->line == at + 2);
    }
    SUBCASE("a middle entry deleted") {
        auto lines = clean;
        const std::size_t at = line_of_verdict(lines, 5);
        lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at));
        write_lines(path, lines);
        const auto v = verify(path);
        REQUIRE_FALSE(v.ok());
        CHECK(v.problem->kind == ml::ProblemKind::Deleted);
        CHECK(v.problem->line == at + 1);
        CHECK(v.problem->seq == at);
    }
    SUBCASE("the last entries deleted: intact, but no longer closed") {
        auto lines = clean;
        lines.resize(lines.size() - 2); // the closing checkpoint and the last verdict
        write_lines(path, lines);
        const auto v = verify(path);
        CHECK(v.ok());
        CHECK_FALSE(v.closed);
        CHECK(v.uncovered == 1);
    }
    SUBCASE("deleted back to a periodic checkpoint: intact, not closed") {
        auto lines = clean;
        auto periodic = [](const std::string &line) {
            const json j = json::parse(line);
            return j["kind"] == "checkpoint" && j["closed"] == false;
        };
        while (!periodic(lines.back())) {
            lines.pop_back();
        }
        write_lines(path, lines);
        const auto v = verify(path);
        CHECK(v.ok());
        CHECK_FALSE(v.closed);
        CHECK(v.uncovered == 0);
    }
    SUBCASE("the header deleted") {
        auto lines = clean;
        lines.erase(lines.begin());
        write_lines(path, lines);
        const auto v = verify(path);
        REQUIRE_FALSE(v.ok());
        CHECK(v.problem->kind == ml::ProblemKind::NotALog);
        CHECK(v.problem->line == 1);
    }
    SUBCASE("cut in the middle of a line: refused, or repaired on request") {
        auto lines = clean;
        lines.back().resize(lines.back().size() / 2);
        write_lines(path, lines, /*final_newline=*/false);
        auto v = verify(path);
        REQUIRE_FALSE(v.ok());
        CHECK(v.problem->kind == ml::ProblemKind::Truncated);
        CHECK(v.problem->line == lines.size());
        ml::WriterOptions o;
        ml::LogError error;
        CHECK_FALSE(ml::LogWriter::open(path, o, error).has_value());
        CHECK(error.code == Code::E0854);
        o.repair_torn_tail = true;
        o.clock = early;
        auto w = ml::LogWriter::open(path, o, error);
        REQUIRE_MESSAGE(w.has_value(), error.message);
        REQUIRE(w->append("{\"n\":10}", error, day_time(25)));
        REQUIRE(w->close(error, day_time(25)));
        v = verify(path);
        CHECK(v.ok());
        const auto repaired = lines_of(path);
        const json note = json::parse(repaired[lines.size() - 1]);
        CHECK(note["kind"] == "repair");
        CHECK(note["dropped_bytes"] == lines.back().size());
    }
}

TEST_CASE("monitorlog: a broken log is refused, never extended") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    make_log(path, 4, 2);
    auto lines = lines_of(path);
    std::swap(lines[2], lines[3]);
    write_lines(path, lines);
    const auto before = lines_of(path);
    ml::WriterOptions o;
    o.repair_torn_tail = true;
    ml::LogError error;
    CHECK_FALSE(ml::LogWriter::open(path, o, error).has_value());
    CHECK(error.code == Code::E0853);
    REQUIRE(error.problem.has_value());
    CHECK(error.problem->kind == ml::ProblemKind::Reordered);
    CHECK(lines_of(path) == before);
}

TEST_CASE("monitorlog: symbolic links are never written through; one writer at a time") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    make_log(path, 2);
    const std::string link = dir.file("link.jsonl");
    REQUIRE(::symlink(path.c_str(), link.c_str()) == 0);
    ml::WriterOptions o;
    ml::LogError error;
    CHECK_FALSE(ml::LogWriter::open(link, o, error).has_value());
    CHECK(error.code == Code::E0850);
    const std::string dangling = dir.file("dangling.jsonl");
    REQUIRE(::symlink(dir.file("nowhere").c_str(), dangling.c_str()) == 0);
    CHECK_FALSE(ml::LogWriter::open(dangling, o, error).has_value());
    CHECK(error.code == Code::E0850);
    CHECK_FALSE(std::filesystem::exists(dir.file("nowhere")));
    CHECK(verify(link).ok()); // reading through a link is fine
    CHECK_FALSE(ml::LogWriter::open(dir.path, o, error).has_value());
    CHECK(error.code == Code::E0850);

    auto first = ml::LogWriter::open(path, o, error);
    REQUIRE(first.has_value());
    CHECK_FALSE(ml::LogWriter::open(path, o, error).has_value());
    CHECK(error.code == Code::E0857);
}

TEST_CASE("monitorlog: hostile logs give coded problems, never a crash") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    make_log(path, 3, 10);
    const auto clean = lines_of(path);
    auto with_line = [&](std::size_t at, const std::string &line) {
        auto lines = clean;
        lines[at] = line;
        write_lines(path, lines);
        return verify(path);
    };
    auto v = with_line(2, std::string(2u << 20, 'x'));
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Malformed);
    CHECK(v.problem->line == 3);
    v = with_line(2, "not json at all");
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Malformed);
    CHECK(ml::problem_code(v.problem->kind) == Code::E0852);
    v = with_line(2, std::string("{\"kind\":\"verdict\",\"prev\":\"") + std::string(64, '0') +
                         "\",\"seq\":\"2\",\"time\":\"2026-11-02T10:00:00Z\",\"verdict\":{}}");
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Malformed);
    v = with_line(2, "{\"kind\":\"party\"}");
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Malformed);
    json extra = json::parse(clean[2]);
    extra["note"] = "hi";
    v = with_line(2, extra.dump());
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Malformed);
    json hostile_key = json::parse(clean[2]);
    hostile_key["a\nb\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
                "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"] = 1;
    v = with_line(2, hostile_key.dump());
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Malformed);
    CHECK(v.problem->message.find('\n') == std::string::npos); // one line, ASCII
    CHECK(std::all_of(v.problem->message.begin(), v.problem->message.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    json not_object = json::parse(clean[2]);
    not_object["verdict"] = "violated";
    v = with_line(2, not_object.dump());
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Malformed);
    v = with_line(2, std::string("\x01\xff\xfe", 3));
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Malformed);
    json newer = json::parse(clean[0]);
    newer["version"] = 2;
    v = with_line(0, newer.dump());
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::NotALog);
    CHECK(ml::problem_code(v.problem->kind) == Code::E0851);

    write_lines(path, {});
    v = verify(path);
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::NotALog);
    CHECK(verify(dir.file("missing")).problem->kind == ml::ProblemKind::Unreadable);
    CHECK(verify(dir.path).problem->kind == ml::ProblemKind::Unreadable);

    // A file that is not a log is never appended to.
    std::ofstream(path, std::ios::trunc) << "id,value\n1,2\n";
    ml::WriterOptions o;
    ml::LogError error;
    CHECK_FALSE(ml::LogWriter::open(path, o, error).has_value());
    CHECK(error.code == Code::E0851);
    // Nor is an entry over 1 MiB written.
    const std::string fresh = dir.file("fresh.jsonl");
    auto w = ml::LogWriter::open(fresh, o, error);
    REQUIRE(w.has_value());
    CHECK_FALSE(w->append("{\"big\":\"" + std::string(2u << 20, 'y') + "\"}", error));
    CHECK(error.code == Code::E0857);
    REQUIRE(w->close(error));
    CHECK(verify(fresh).ok());
}

TEST_CASE("monitorlog: times are RFC 3339 UTC") {
    CHECK(ml::parse_time("2026-11-23T14:05:00Z").has_value());
    CHECK(ml::parse_time("2026-11-23T14:05:00.125Z")->nanos == 125000000);
    CHECK(ml::parse_time("2024-02-29T00:00:00Z").has_value());
    CHECK_FALSE(ml::parse_time("2026-02-29T00:00:00Z").has_value());
    CHECK_FALSE(ml::parse_time("2026-11-23T14:05:00+01:00").has_value());
    CHECK_FALSE(ml::parse_time("2026-11-23 14:05:00Z").has_value());
    CHECK_FALSE(ml::parse_time("2026-11-23T14:05:00.Z").has_value());
    CHECK_FALSE(ml::parse_time("2026-11-23T24:05:00Z").has_value());
    const auto t = ml::parse_time("2026-11-23T14:05:00.5Z");
    CHECK(ml::format_time(*t) == "2026-11-23T14:05:00.500000Z");
    CHECK(ml::format_day(t->day()) == "2026-11-23");
    CHECK(ml::parse_time(ml::format_time(*t)) == t);
}

namespace {

/// A log of verdicts with violations of `m.G_refund` on the given days of November 2026 and
/// clean episodes on every day from the 1st to the 30th.
void make_episodes(const std::string &path, const std::vector<int> &violation_days) {
    ml::WriterOptions o;
    o.checkpoint_every = 8;
    o.clock = early;
    ml::LogError error;
    auto w = ml::LogWriter::open(path, o, error);
    REQUIRE(w.has_value());
    for (int day = 1; day <= 30; ++day) {
        REQUIRE(w->append("{\"record\":1,\"violations\":[]}", error, day_time(day, 8)));
        for (int v : violation_days) {
            if (v == day) {
                REQUIRE(w->append(
                    R"({"record":2,"violations":[{"claim":"m.G_refund","values":{"x":1}}]})", error,
                    day_time(day, 9)));
            }
        }
    }
    REQUIRE(w->close(error, day_time(30, 23)));
}

std::int64_t day_number(int day) {
    return ml::days_from_civil(2026, 11, static_cast<unsigned>(day));
}

} // namespace

TEST_CASE("monitorlog: counting episodes and violations in a window") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    make_episodes(path, {3, 20});
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ml::Window w;
    w.last_day = day_number(25);
    w.first_day = day_number(16); // ten days
    auto r = ml::tally(bytes, "m.G_refund", w);
    REQUIRE(r.log.ok());
    CHECK(r.tally.episodes == 11);
    CHECK(r.tally.violations == 1);
    CHECK(r.tally.later == 5);
    CHECK(r.tally.first_violation->time.day() == day_number(20));
    w.first_day.reset();
    r = ml::tally(bytes, "m.G_refund", w);
    CHECK(r.tally.episodes == 27);
    CHECK(r.tally.violations == 2);
    r = ml::tally(bytes, "m.G_other", w);
    CHECK(r.tally.violations == 0);
    CHECK(ml::violates(json::parse(R"({"violations":["G_refund"]})"), "m.G_refund"));
    CHECK_FALSE(ml::violates(json::parse(R"({"violations":["x.G_refund"]})"), "m.G_refund"));
    CHECK_FALSE(
        ml::violates(json::parse(R"({"violations":{"claim":"m.G_refund"}})"), "m.G_refund"));
}

TEST_CASE("artifacts: the monitor read source, relative to the date judged at") {
    namespace art = assure::artifacts;
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    make_episodes(path, {3, 20});
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    art::Selector sel;
    sel.format = art::Format::Monitor;
    sel.measure = art::MonitorMeasure::NoViolation;
    sel.claim = "m.G_refund";
    sel.within_days = 10;
    CHECK(sel.describe() == "monitor no violation of m.G_refund within 10 days");
    art::ReadContext at;
    at.day = day_number(18);
    auto r = art::read_result(bytes, sel, at);
    REQUIRE(r.result.has_value());
    CHECK(*r.result == art::Result::Pass);
    at.day = day_number(22);
    r = art::read_result(bytes, sel, at);
    REQUIRE(r.result.has_value());
    CHECK(*r.result == art::Result::Fail);
    CHECK(r.text.find("1 violation of m.G_refund in 11 episodes from 2026-11-13 to 2026-11-22") !=
          std::string::npos);
    at.day = day_number(1) - 20; // before the log: nothing monitored
    r = art::read_result(bytes, sel, at);
    REQUIRE(r.result.has_value());
    CHECK(*r.result == art::Result::Pending);
    CHECK_FALSE(art::read_result(bytes, sel).result.has_value()); // no date

    sel.measure = art::MonitorMeasure::Rate;
    sel.within_days.reset();
    at.day = day_number(30);
    auto n = art::read_number(bytes, sel, at);
    REQUIRE(n.value.has_value());
    CHECK(n.value->value == assure::support::Decimal(125)); // 2 × 1000 / 32, reduced
    CHECK(n.value->divisor == 2);
    sel.measure = art::MonitorMeasure::Episodes;
    n = art::read_number(bytes, sel, at);
    REQUIRE(n.value.has_value());
    CHECK(n.value->value == assure::support::Decimal(32));

    // A broken log is a failed read, never a pass.
    std::string broken = bytes;
    const std::size_t at_violation = broken.find("\"record\":2");
    REQUIRE(at_violation != std::string::npos);
    broken.replace(at_violation, 10, "\"record\":3");
    sel.measure = art::MonitorMeasure::NoViolation;
    r = art::read_result(broken, sel, at);
    CHECK_FALSE(r.result.has_value());
    CHECK(r.error.find("does not verify (edited)") != std::string::npos);
}

TEST_CASE("monitorlog: the intact prefix ends before the bad entry") {
    TempDir dir;
    const std::string path = dir.file("log.jsonl");
    make_log(path, 2, 10);
    ml::WriterOptions o;
    o.case_digest = "sha256:v2";
    o.clock = early;
    ml::LogError error;
    auto w = ml::LogWriter::open(path, o, error);
    REQUIRE(w.has_value());
    REQUIRE(w->append("{\"n\":2}", error, day_time(10)));
    REQUIRE(w->close(error, day_time(10)));
    w.reset();
    CHECK(verify(path).case_digest == "sha256:v2");
    auto lines = lines_of(path);
    std::size_t at = 0;
    while (json::parse(lines[at])["kind"] != "case") {
        ++at;
    }
    json c = json::parse(lines[at]);
    c["case"] = "sha256:forged";
    lines[at] = c.dump();
    write_lines(path, lines);
    const auto v = verify(path);
    REQUIRE_FALSE(v.ok());
    CHECK(v.problem->kind == ml::ProblemKind::Edited);
    CHECK(v.problem->line == at + 1);
    CHECK(v.entries == at);
    CHECK(v.case_digest == "sha256:case"); // the forged digest is not reported as the case
    CHECK(v.head == assure::support::sha256_hex(lines[at - 1]));
}
