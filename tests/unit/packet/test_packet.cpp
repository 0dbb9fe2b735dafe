// SPDX-License-Identifier: Apache-2.0
#include "packet/archive.hpp"
#include "packet/manifest.hpp"
#include "packet/replay.hpp"
#include "packet/signing.hpp"
#include "packet/temp_dir.hpp"
#include "support/sha256.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace packet = assure::packet;
using assure::support::Code;

namespace {

packet::Manifest sample_manifest() {
    packet::Manifest m;
    m.assure_version = "0.1.0";
    m.z3_version = "4.8.12";
    m.judged_at = "2026-11-23";
    m.settings.files = {"case/a.assure"};
    m.verdict = {0, 1, 1, 0, 0, 0};
    m.files = {{"result.json", "result", 2, assure::support::sha256_hex("{}")},
               {"case/a.assure", "source", 3, assure::support::sha256_hex("abc")}};
    return m;
}

std::string write_temp(const std::string &dir, const std::string &name, const std::string &data) {
    const std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << data;
    return path;
}

} // namespace

TEST_CASE("packet: member paths must be relative and plain") {
    CHECK(packet::is_safe_member_path("case/a.assure"));
    CHECK(packet::is_safe_member_path("trace/obligations/0001-x.smt2"));
    CHECK_FALSE(packet::is_safe_member_path(""));
    CHECK_FALSE(packet::is_safe_member_path("/etc/passwd"));
    CHECK_FALSE(packet::is_safe_member_path("case/../x"));
    CHECK_FALSE(packet::is_safe_member_path(".."));
    CHECK_FALSE(packet::is_safe_member_path("case/./x"));
    CHECK_FALSE(packet::is_safe_member_path("case//x"));
    CHECK_FALSE(packet::is_safe_member_path("case/x/"));
    CHECK_FALSE(packet::is_safe_member_path("case\\x"));
    CHECK_FALSE(packet::is_safe_member_path(std::string("case/x\ny")));
}

TEST_CASE("packet: a manifest reads back, and any other byte is refused") {
    const packet::Manifest m = sample_manifest();
    const std::string text = packet::render_manifest(m);
    std::string error;
    const auto back = packet::parse_manifest(text, error);
    REQUIRE(back.has_value());
    CHECK(back->files.size() == 2);
    CHECK(back->files[0].path == "case/a.assure"); // sorted
    CHECK(packet::render_manifest(*back) == text);
    // White space, a field, a version: not the canonical form, or not a manifest.
    CHECK_FALSE(packet::parse_manifest(text + "\n", error).has_value());
    std::string spaced = text;
    spaced.insert(spaced.find(':'), " ");
    CHECK_FALSE(packet::parse_manifest(spaced, error).has_value());
    std::string v2 = text;
    v2.replace(v2.find("\"version\": 1"), 12, "\"version\": 2");
    CHECK_FALSE(packet::parse_manifest(v2, error).has_value());
    std::string bad_path = text;
    bad_path.replace(bad_path.find("case/a.assure"), 13, "../../a.assure");
    CHECK_FALSE(packet::parse_manifest(bad_path, error).has_value());
    CHECK_FALSE(packet::parse_manifest("not json", error).has_value());
}

TEST_CASE("packet: the in-toto statement names every file and the manifest") {
    const packet::Manifest m = sample_manifest();
    const std::string text = packet::render_manifest(m);
    const std::string st = packet::render_statement(m, text);
    CHECK(st.find("\"_type\": \"https://in-toto.io/Statement/v1\"") != std::string::npos);
    CHECK(st.find("\"predicateType\": \"https://assure.dev/packet/v1\"") != std::string::npos);
    CHECK(st.find(assure::support::sha256_hex(text)) != std::string::npos);
    CHECK(st.find(assure::support::sha256_hex("abc")) != std::string::npos);
    CHECK(st.find("\"name\": \"manifest.json\"") != std::string::npos);
    CHECK(packet::render_statement(m, text) == st);
}

TEST_CASE("packet: base64 round trip, non-canonical text refused") {
    for (const std::string &s :
         std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff", 2)}) {
        const auto back = packet::unbase64(packet::base64(s));
        REQUIRE(back.has_value());
        CHECK(*back == s);
    }
    CHECK(packet::base64("abc") == "YWJj");
    CHECK_FALSE(packet::unbase64("YWJ").has_value());
    CHECK_FALSE(packet::unbase64("YW=j").has_value());
    CHECK_FALSE(packet::unbase64("YWJk\n").has_value());
}

TEST_CASE("packet: Ed25519 signatures verify with their key only") {
    std::string error;
    const auto a = packet::generate_key(error);
    const auto b = packet::generate_key(error);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(a->fingerprint.rfind("sha256:", 0) == 0);
    CHECK(a->fingerprint != b->fingerprint);
    CHECK(packet::key_fingerprint(a->public_pem, error) == a->fingerprint);
    CHECK(packet::key_fingerprint(a->private_pem, error) == a->fingerprint);
    const auto sig = packet::sign_message(a->private_pem, "manifest", error);
    REQUIRE(sig.has_value());
    CHECK(sig->size() == 64);
    CHECK(packet::verify_message(a->public_pem, "manifest", *sig, error));
    CHECK_FALSE(packet::verify_message(a->public_pem, "manifesT", *sig, error));
    CHECK_FALSE(packet::verify_message(b->public_pem, "manifest", *sig, error));
    std::string flipped = *sig;
    flipped[10] = static_cast<char>(flipped[10] ^ 1);
    CHECK_FALSE(packet::verify_message(a->public_pem, "manifest", flipped, error));
    // The signature file reads back.
    const std::string file = packet::render_signature(a->fingerprint, *sig);
    const auto parsed = packet::parse_signature(file, error);
    REQUIRE(parsed.has_value());
    CHECK(parsed->key == a->fingerprint);
    CHECK(parsed->signature == *sig);
    CHECK_FALSE(packet::parse_signature("{}", error).has_value());
}

TEST_CASE("packet: key files: never overwritten, private keys must be private") {
    std::string error;
    auto dir = packet::TempDir::create("unit", error);
    REQUIRE(dir.has_value());
    const auto keys = packet::generate_key(error);
    REQUIRE(keys.has_value());
    const std::string path = dir->path() + "/k";
    bool exists = false;
    REQUIRE(packet::write_key_pair(path, *keys, exists, error));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK_FALSE(packet::write_key_pair(path, *keys, exists, error));
    CHECK(exists);
    CHECK(packet::read_private_key(path, error).has_value());
    ::chmod(path.c_str(), 0640);
    CHECK_FALSE(packet::read_private_key(path, error).has_value());
    CHECK(error.find("group or others") != std::string::npos);
    CHECK(packet::read_public_key(path + ".pub", error).has_value());
    CHECK_FALSE(packet::read_public_key(path, error).has_value()); // a private key
}

TEST_CASE("packet: archives are reproducible and read back with their hashes") {
    std::string error;
    auto dir = packet::TempDir::create("unit", error);
    REQUIRE(dir.has_value());
    const std::vector<packet::ArchiveFile> files = {
        {"result.json", "{}"},
        {"case/a.assure", "abc"},
        {"trace/" + std::string(200, 'n') + ".smt2", "(check-sat)\n"}};
    const auto one = packet::write_archive(files, 86400, error);
    const auto two = packet::write_archive({files[2], files[0], files[1]}, 86400, error);
    REQUIRE(one.has_value());
    REQUIRE(two.has_value());
    CHECK(*one == *two);
    CHECK(packet::write_archive({files[0], files[0]}, 0, error) == std::nullopt);
    const std::string path = write_temp(dir->path(), "p.tar.gz", *one);
    packet::Problem problem;
    const auto scan = packet::scan_packet(path, packet::Limits{}, {"result.json"}, problem);
    REQUIRE(scan.has_value());
    REQUIRE(scan->members.size() == 3);
    CHECK(scan->members[0].path == "case/a.assure");
    CHECK(scan->members[0].sha256 == assure::support::sha256_hex("abc"));
    REQUIRE(scan->kept_file("result.json") != nullptr);
    CHECK(*scan->kept_file("result.json") == "{}");
    const std::string dest = dir->path() + "/x";
    REQUIRE(::mkdir(dest.c_str(), 0700) == 0);
    std::map<std::string, std::string> held;
    REQUIRE(packet::extract_packet(
        path, *scan, dest, packet::Limits{}, [](const std::string &) { return true; }, held,
        problem));
    CHECK(held.empty());
    std::ifstream in(dest + "/case/a.assure");
    std::string text;
    std::getline(in, text);
    CHECK(text == "abc");
    // What the caller declines stays in memory, checked the same way, and is no file.
    const std::string dest2 = dir->path() + "/y";
    REQUIRE(::mkdir(dest2.c_str(), 0700) == 0);
    std::map<std::string, std::string> held2;
    REQUIRE(packet::extract_packet(
        path, *scan, dest2, packet::Limits{},
        [](const std::string &rel) { return rel.rfind("case/", 0) == 0; }, held2, problem));
    CHECK(held2.count("result.json") == 1);
    CHECK(held2["result.json"] == "{}");
    CHECK_FALSE(std::filesystem::exists(dest2 + "/result.json"));
    CHECK(std::filesystem::exists(dest2 + "/case/a.assure"));

    // Limits hold on what is decompressed.
    packet::Limits small;
    small.member_bytes = 2;
    CHECK_FALSE(packet::scan_packet(path, small, {}, problem).has_value());
    CHECK(problem.code == Code::E0703);
    // Not gzip, cut short.
    const std::string junk = write_temp(dir->path(), "junk", "not a packet at all");
    CHECK_FALSE(packet::scan_packet(junk, packet::Limits{}, {}, problem).has_value());
    CHECK(problem.code == Code::E0701);
    const std::string cut = write_temp(dir->path(), "cut", one->substr(0, one->size() / 2));
    CHECK_FALSE(packet::scan_packet(cut, packet::Limits{}, {}, problem).has_value());
    CHECK(problem.code == Code::E0701);
}

TEST_CASE("packet: nonlinear arithmetic is told from linear") {
    CHECK_FALSE(packet::is_nonlinear("(assert (< (* 2 x) 3))"));
    CHECK_FALSE(packet::is_nonlinear("(assert (let ((?a (to_real 200))) (< (* ?a x) 3)))"));
    CHECK_FALSE(packet::is_nonlinear("(assert (< (* (- 2) x) (/ 1 3)))"));
    CHECK(packet::is_nonlinear("(assert (< (* x y) 3))"));
    CHECK(packet::is_nonlinear("(assert (< (/ 1 x) 3))"));
    CHECK(packet::is_nonlinear("(assert (let ((?a (+ x 1))) (< (* ?a x) 3)))"));
    CHECK_FALSE(packet::is_nonlinear("; (* x y) in a comment\n(assert (< x 3))"));
}

TEST_CASE("packet: temporary folders are removed with what they hold") {
    std::string error;
    std::string path;
    {
        auto dir = packet::TempDir::create("unit", error);
        REQUIRE(dir.has_value());
        path = dir->path();
        std::filesystem::create_directories(path + "/a/b");
        write_temp(path + "/a/b", "f", "x");
        std::filesystem::create_symlink("/", path + "/a/root");
        CHECK(std::filesystem::is_directory(path));
    }
    CHECK_FALSE(std::filesystem::exists(path));
    CHECK(std::filesystem::exists("/tmp"));
}

TEST_CASE("packet: only what a trace file holds is given to a solver") {
    std::string why;
    CHECK(packet::is_replayable("; header\n(set-info :status unknown)\n(declare-fun x () Real)\n"
                                "(assert (> x 1.0))\n(check-sat)\n",
                                why));
    CHECK(packet::is_replayable("(set-option :produce-unsat-cores true)\n(assert (! true :named "
                                "a1))\n(check-sat)\n(get-unsat-core)\n",
                                why));
    CHECK_FALSE(packet::is_replayable("(echo \"unsat\")\n(check-sat)\n", why));
    CHECK(why.find("echo") != std::string::npos);
    CHECK_FALSE(packet::is_replayable(
        "(set-option :regular-output-channel \"/tmp/x\")\n(check-sat)\n", why));
    CHECK_FALSE(packet::is_replayable("(check-sat)\n(exit)\n", why));
    CHECK_FALSE(packet::is_replayable("(check-sat)\n(check-sat)\n", why));
    CHECK_FALSE(packet::is_replayable("(assert true)\n", why));
    CHECK_FALSE(packet::is_replayable("(get-info :name)\n(check-sat)\n", why));
    CHECK_FALSE(packet::is_replayable("(assert (> x 1)\n(check-sat)\n", why));
    CHECK_FALSE(packet::is_replayable("sat\n(check-sat)\n", why));
}

TEST_CASE("packet: solvers answer each file of a batch, and a broken file alone") {
    const auto solvers = packet::replay_solvers();
    if (solvers.empty() || solvers[0].program.empty()) {
        MESSAGE("z3 is not installed: skipped");
        return;
    }
    std::string error;
    auto dir = packet::TempDir::create("unit", error);
    REQUIRE(dir.has_value());
    std::vector<packet::ReplayFile> files;
    for (int idx = 0; idx < 7; ++idx) {
        files.push_back({"f" + std::to_string(idx) + ".smt2",
                         idx % 2 == 0 ? "(declare-fun x () Int)\n(assert (> x 1))\n(check-sat)"
                                      : "; c\n(declare-fun x () Int)\n(assert (and (> x 1) (< "
                                        "x 1)))\n(check-sat)\n; trailing comment"});
    }
    files.push_back({"bad.smt2", "(assert (> y 1))\n(check-sat)\n"});
    for (const auto &solver : solvers) {
        const auto runs = packet::run_solver(solver, files, {}, 10000, 2, dir->path());
        REQUIRE(runs.size() == files.size());
        for (std::size_t idx = 0; idx + 1 < files.size(); ++idx) {
            CHECK(runs[idx].answer == (idx % 2 == 0 ? packet::Answer::Sat : packet::Answer::Unsat));
        }
        CHECK(runs.back().answer == packet::Answer::Error);
        // An answer other than the one recorded is settled by the file run alone: the answers
        // are the solver's, whatever was expected.
        const std::vector<std::string> wrong(files.size(), "unsat");
        const auto again = packet::run_solver(solver, files, wrong, 10000, 2, dir->path());
        for (std::size_t idx = 0; idx + 1 < files.size(); ++idx) {
            CHECK(again[idx].answer ==
                  (idx % 2 == 0 ? packet::Answer::Sat : packet::Answer::Unsat));
        }
    }
    // The scripts are gone.
    std::size_t left = 0;
    for (const auto &e : std::filesystem::directory_iterator(dir->path())) {
        left += e.path().filename().string().find("batch") != std::string::npos ? 1 : 0;
    }
    CHECK(left == 0);
}
