// SPDX-License-Identifier: Apache-2.0
#include "../testing.hpp"
#include "dsl/parser.hpp"
#include "dsl/printer.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>

using assure::support::Code;
using assure::testing::check;

namespace {

assure::dsl::ParseResult parse_text(assure::support::SourceManager &sm,
                                    assure::support::Diagnostics &diags, const std::string &text) {
    const auto id = sm.add("t.assure", text);
    return assure::dsl::parse(id, sm, diags);
}

} // namespace

TEST_CASE("parse: a syntax error points at the offending token and says what was expected") {
    auto r = check("claim G \"g\" {\n  scope = D\n}\n");
    REQUIRE(r.count(Code::E0106) == 1);
    const auto *d = r.find(Code::E0106);
    CHECK(r.text_of(d->span) == "=");
    CHECK(d->message.find("expected `:`") != std::string::npos);
}

TEST_CASE("parse: recovery reports an error in each broken declaration") {
    assure::support::SourceManager sm;
    assure::support::Diagnostics diags;
    auto r = parse_text(sm, diags,
                        "claim A \"a\" { scope = X }\n"
                        "claim B \"b\" { undeveloped }\n"
                        "evidence E \"e\" { result pass }\n"
                        "claim C \"c\" { undeveloped }\n");
    CHECK(diags.error_count() == 2);
    CHECK(r.file.decls.size() == 2); // B and C survive
    CHECK(r.broken_names == std::vector<std::string>{"A", "E"});
}

TEST_CASE("parse: a reference to a declaration that failed to parse is not reported again") {
    auto r = check("evidence E \"e\" { result pass }\nclaim G \"g\" { supported_by: E }\n");
    CHECK(r.count(Code::E0106) == 1);
    CHECK(r.count(Code::E0201) == 0);
}

TEST_CASE("parse: keywords are whole words and reserved") {
    auto ok = check("claim claims \"c\" { undeveloped }\n");
    CHECK(ok.diags.error_count() == 0);
    auto bad = check("claim and \"c\" { undeveloped }\n");
    CHECK(bad.count(Code::E0106) == 1);
}

TEST_CASE("parse: dates are checked against the calendar") {
    auto r = check("evidence E \"e\" { result: pass valid_until: 2027-02-29 }\n"
                   "claim G \"g\" { supported_by: E }\n");
    REQUIRE(r.count(Code::E0107) == 1);
    CHECK(r.text_of(r.find(Code::E0107)->span) == "2027-02-29");
    auto leap = check("evidence E \"e\" { result: pass valid_until: 2028-02-29 }\n"
                      "claim G \"g\" { supported_by: E }\n");
    CHECK(leap.diags.error_count() == 0);
}

TEST_CASE("parse: arithmetic on either side of a comparison and in bounds") {
    auto r = check("domain D { x : real [0, 9]  y : real [0, 9] }\n"
                   "odd R = D where x - y * 2 >= 1 and 1 + x < 5 and x in [y - 1, (y + 1)) "
                   "and -x / 2 != y\n"
                   "claim G \"g\" { scope: R undeveloped }\n");
    CHECK(r.diags.all().empty());
}

TEST_CASE("parse: nan and inf are not numbers") {
    auto r = check("domain D { x : real [0, 9] }\nodd R = D where x < nancy\n"
                   "claim G \"g\" { scope: R undeveloped }\n");
    REQUIRE(r.count(Code::E0201) == 1);
    CHECK(r.text_of(r.find(Code::E0201)->span) == "nancy");
}

namespace {

std::string reprint(const std::string &text, bool &ok) {
    assure::support::SourceManager sm;
    assure::support::Diagnostics diags;
    auto r = parse_text(sm, diags, text);
    ok = r.complete;
    return assure::dsl::print(r.file);
}

} // namespace

TEST_CASE("parse: printing and re-parsing gives the same tree for every shipped file") {
    namespace fs = std::filesystem;
    std::size_t files = 0;
    for (const char *dir : {"examples", "stdlib", "tests/golden"}) {
        const fs::path root = fs::path(ASSURE_SOURCE_DIR) / dir;
        if (!fs::exists(root)) {
            continue;
        }
        std::vector<fs::path> paths;
        for (const auto &entry : fs::recursive_directory_iterator(root)) {
            if (entry.path().extension() == ".assure") {
                paths.push_back(entry.path());
            }
        }
        std::sort(paths.begin(), paths.end());
        for (const auto &path : paths) {
            std::ifstream in(path, std::ios::binary);
            std::stringstream ss;
            ss << in.rdbuf();
            bool ok = false;
            const std::string once = reprint(ss.str(), ok);
            if (!ok) {
                continue; // deliberately broken golden inputs
            }
            ++files;
            bool ok2 = false;
            const std::string twice = reprint(once, ok2);
            INFO(path.string());
            CHECK(ok2);
            CHECK(once == twice);
        }
    }
    CHECK(files > 0);
}
