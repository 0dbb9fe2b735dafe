// SPDX-License-Identifier: Apache-2.0
// Values read from artifacts by the proof engine (prove/reads.hpp): only from bytes whose SHA-256
// is the verified one, each file once however many artifacts name it, the same outcomes on one
// thread and two.
#include "../testing.hpp"
#include "prove/reads.hpp"
#include "support/sha256.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <string>
#include <vector>

using assure::prove::ArtifactCheck;
using assure::prove::ArtifactState;
using assure::prove::ReadOutcome;

namespace {

void write(const std::string &path, const std::string &text) {
    std::ofstream(path, std::ios::binary) << text;
}

std::string json_of(int k) {
    return "{\"v\": 0." + std::to_string(k) + ", \"w\": " + std::to_string(100 + k) + "}\n";
}

/// A case with `n` JSON files f<k>.json, each named by two artifacts A<k> and B<k>; evidence
/// E<k> reads /v from A<k> and /w from B<k>, and J reads its result from the JUnit report.
std::string case_text(int n) {
    std::string text = "domain D \"d\" { x : int [0, 10] }\nodd O \"o\" = D\n"
                       "artifact R \"report.xml\"\n"
                       "evidence J \"Suite\" { kind: test result: read R junit }\n";
    std::string all = "J";
    for (int k = 0; k < n; ++k) {
        const std::string s = std::to_string(k);
        text += "artifact A" + s + " \"f" + s + ".json\"\nartifact B" + s + " \"f" + s +
                ".json\"\nevidence E" + s + " \"Run " + s +
                "\" { kind: test result: pass metric m = read A" + s +
                " json \"/v\" over O metric n = read B" + s + " json \"/w\" over O }\n";
        all += ", E" + s;
    }
    return text + "claim G \"g\" { scope: O supported_by: " + all + " }\n";
}

/// Each artifact's file in `dir` and its check: verified, with the file's true hash.
void verify_all(const assure::sema::Program &program, const assure::testing::TempDir &dir,
                std::vector<std::string> &disk, std::vector<ArtifactCheck> &checks) {
    disk.clear();
    checks.clear();
    for (const auto &art : program.artifacts) {
        disk.push_back(dir.at(art.path));
        ArtifactCheck c;
        const auto digest = assure::support::sha256_file(disk.back());
        REQUIRE(digest.hex.has_value());
        c.state = ArtifactState::Verified;
        c.actual = *digest.hex;
        checks.push_back(c);
    }
}

/// The reads of `program` by the name of the evidence and the metric ("E3.m", "J.result").
std::string key_of(const assure::sema::Program &program, std::uint32_t read) {
    for (const auto &ev : program.evidence) {
        const std::string name = program.decl(ev.decl).name;
        if (ev.result_read == read) {
            return name + ".result";
        }
        for (const auto &m : ev.metrics) {
            if (m.read == read) {
                return name + "." + m.name;
            }
        }
    }
    return "?";
}

} // namespace

TEST_CASE("prove: reads take each value from its file's verified bytes, on one lane or two") {
    constexpr int kFiles = 40; // more than the threshold for a second thread
    assure::testing::TempDir dir;
    for (int k = 0; k < kFiles; ++k) {
        write(dir.at("f" + std::to_string(k) + ".json"), json_of(k));
    }
    write(dir.at("report.xml"), "<testsuite><testcase name=\"a\"/><testcase name=\"b\">"
                                "<skipped/></testcase></testsuite>\n");
    auto checked = assure::testing::check(case_text(kFiles));
    REQUIRE(checked.diags.error_count() == 0);
    const auto &program = checked.program;
    REQUIRE(program.reads.size() == 2 * kFiles + 1);
    std::vector<std::string> disk;
    std::vector<ArtifactCheck> checks;
    verify_all(program, dir, disk, checks);

    const auto one = assure::prove::read_values(program, disk, checks, 1, {});
    const auto two = assure::prove::read_values(program, disk, checks, 2, {});
    REQUIRE(one.size() == program.reads.size());
    REQUIRE(two.size() == program.reads.size());
    for (std::uint32_t r = 0; r < program.reads.size(); ++r) {
        const std::string key = key_of(program, r);
        CAPTURE(key);
        for (const auto *outcomes : {&one, &two}) {
            const ReadOutcome &o = (*outcomes)[r];
            REQUIRE(o.state == ReadOutcome::State::Read);
            CHECK(o.error.empty());
            const std::uint32_t a = program.decl(program.reads[r].artifact).index;
            CHECK(o.sha256 == checks[a].actual);
            if (key == "J.result") {
                REQUIRE(o.result.has_value());
                CHECK(*o.result == assure::artifacts::Result::Pass);
                CHECK(o.text == "tests 2, failures 0, errors 0, skipped 1");
                continue;
            }
            const int k = std::stoi(key.substr(1, key.find('.') - 1));
            const bool v = key.back() == 'm';
            CHECK(o.text == (v ? "0." + std::to_string(k) : std::to_string(100 + k)));
            CHECK(o.value.value ==
                  assure::testing::dec(
                      (v ? "0." + std::to_string(k) : std::to_string(100 + k)).c_str()));
        }
    }
}

TEST_CASE("prove: reads come only from verified bytes; a bad file fails the reads from it") {
    constexpr int kFiles = 20;
    assure::testing::TempDir dir;
    for (int k = 0; k < kFiles; ++k) {
        write(dir.at("f" + std::to_string(k) + ".json"), json_of(k));
    }
    write(dir.at("report.xml"), "<testsuite><testcase name=\"a\"/></testsuite>\n");
    auto checked = assure::testing::check(case_text(kFiles));
    REQUIRE(checked.diags.error_count() == 0);
    const auto &program = checked.program;
    std::vector<std::string> disk;
    std::vector<ArtifactCheck> checks;
    verify_all(program, dir, disk, checks);
    auto artifact = [&](const std::string &name) {
        for (const auto &d : program.decls) {
            if (d.name == name) {
                return d.index;
            }
        }
        FAIL("no artifact " << name);
        return 0u;
    };
    // f3.json changes after it was hashed: neither A3 nor B3 is read from the new bytes.
    write(dir.at("f3.json"), json_of(30));
    // f5.json: A5 is changed (not verified) and is not read; B5, verified, is.
    checks[artifact("A5")].state = ArtifactState::Changed;
    // f7.json disappears after it was hashed.
    std::filesystem::remove(dir.at("f7.json"));

    for (unsigned lanes : {1u, 2u}) {
        CAPTURE(lanes);
        const auto out = assure::prove::read_values(program, disk, checks, lanes, {});
        for (std::uint32_t r = 0; r < program.reads.size(); ++r) {
            const std::string key = key_of(program, r);
            CAPTURE(key);
            const ReadOutcome &o = out[r];
            if (key == "E3.m" || key == "E3.n") {
                CHECK(o.state == ReadOutcome::State::Failed);
                CHECK(o.error == "changed while it was being read; run assure again");
                CHECK(o.text.empty());
            } else if (key == "E5.m") {
                CHECK(o.state == ReadOutcome::State::NotRead);
            } else if (key == "E7.m" || key == "E7.n") {
                CHECK(o.state == ReadOutcome::State::Failed);
                CHECK(o.error.rfind("cannot be read: ", 0) == 0);
            } else {
                CHECK(o.state == ReadOutcome::State::Read);
                if (key == "E5.n") {
                    CHECK(o.text == "105");
                }
            }
        }
    }
}
