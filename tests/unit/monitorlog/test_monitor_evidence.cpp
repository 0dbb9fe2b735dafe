// SPDX-License-Identifier: Apache-2.0
// runtime_monitoring evidence read from a monitor log, through the proof engine: the window
// moves with the date judged at, also when consecutive proofs share their reads (prove::Reuse,
// as `assure serve` does when its clock moves on).
#include "../testing.hpp"
#include "monitorlog/writer.hpp"
#include "prove/prove.hpp"
#include "support/sha256.hpp"

#include <cstdio>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <memory>
#include <string>

namespace ml = assure::monitorlog;

namespace {

struct Dir {
    std::string path;
    Dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "assure-mle-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~Dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

/// One clean episode a day in November 2026, and a violation of `ship.G_fog` on the 20th.
std::string write_log(const std::string &path) {
    ml::WriterOptions o;
    o.checkpoint_every = 10;
    o.clock = [] { return *ml::parse_time("2026-10-31T00:00:00Z"); };
    ml::LogError error;
    auto w = ml::LogWriter::open(path, o, error);
    REQUIRE(w.has_value());
    char time[32];
    for (int day = 1; day <= 30; ++day) {
        std::snprintf(time, sizeof time, "2026-11-%02dT08:00:00Z", day);
        REQUIRE(w->append(R"({"violations":[]})", error, std::string(time)));
        if (day == 20) {
            std::snprintf(time, sizeof time, "2026-11-%02dT09:00:00Z", day);
            REQUIRE(
                w->append(R"({"violations":[{"claim":"ship.G_fog"}]})", error, std::string(time)));
        }
    }
    REQUIRE(w->close(error));
    return assure::support::sha256_file(path).hex.value_or("");
}

} // namespace

TEST_CASE("prove: runtime_monitoring evidence from a monitor log follows the date judged at") {
    Dir dir;
    const std::string sha = write_log(dir.path + "/voyage.jsonl");
    const std::string text = "module ship\n"
                             "artifact log \"voyage.jsonl\" sha256 \"" +
                             sha +
                             "\"\n"
                             "evidence E \"Runtime monitoring\" {\n"
                             "  kind: runtime_monitoring\n"
                             "  result: read log monitor no violation of G_fog within 5 days\n"
                             "}\n"
                             "claim G_fog \"Obstacles are detected in fog\" { supported_by: E }\n";
    auto checked = assure::testing::check_files({{dir.path + "/ship.assure", text}});
    REQUIRE(checked.diags.error_count() == 0);
    const auto lowered = assure::lower::lower_graph(checked.program);
    const assure::sema::DeclId g{static_cast<std::uint32_t>(checked.program.decls.size() - 1)};
    REQUIRE(checked.program.decls[g.value].name == "G_fog");
    auto reuse = std::make_shared<assure::prove::Reuse>();
    auto judge = [&](assure::sema::Date date, bool shared) {
        assure::prove::ProveOptions o;
        o.date = date;
        if (shared) {
            o.reuse = reuse;
        }
        return assure::prove::prove(checked.program, lowered, *checked.sources, o).status(g);
    };
    using assure::prove::Status;
    CHECK(judge({2026, 11, 18}, false) == Status::Supported);
    CHECK(judge({2026, 11, 22}, false) == Status::Unsupported); // the 20th is in the window
    CHECK(judge({2026, 11, 26}, false) == Status::Supported);   // and out of it again
    CHECK(judge({2026, 10, 15}, false) == Status::Unsupported); // nothing monitored: pending
    // The same, sharing reads between proofs: each date reads the log again.
    CHECK(judge({2026, 11, 18}, true) == Status::Supported);
    CHECK(judge({2026, 11, 22}, true) == Status::Unsupported);
    CHECK(judge({2026, 11, 26}, true) == Status::Supported);
}
