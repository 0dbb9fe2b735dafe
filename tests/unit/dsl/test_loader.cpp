// SPDX-License-Identifier: Apache-2.0
// Loading imports of the standard library when there is none (E0008).
#include "../testing.hpp"

#include <doctest/doctest.h>

using assure::support::Code;

namespace {

assure::testing::Checked load_with_stdlib(const std::string &stdlib_dir, const std::string &text) {
    assure::testing::Checked r;
    const auto file = r.sources->add("case.assure", text);
    assure::dsl::LoadOptions opts;
    opts.stdlib_dir = stdlib_dir;
    opts.stdlib_searched = {"first place", "second place"};
    (void)assure::dsl::load_buffers({file}, opts, *r.sources, r.diags);
    r.diags.sort_and_dedupe();
    return r;
}

} // namespace

TEST_CASE("load: a std import without a standard library folder is E0008 at the import") {
    const std::string text = "module m\nimport std.risk\nimport std.iec61508 as sil\n";
    for (const std::string dir : {"", "/nonexistent/assure-stdlib"}) {
        auto r = load_with_stdlib(dir, text);
        REQUIRE(r.count(Code::E0008) == 2);
        CHECK(r.count(Code::E0004) == 0);
        const auto *d = r.find(Code::E0008);
        CHECK(r.text_of(d->span) == "std.risk");
        REQUIRE(d->notes.size() == 2);
        CHECK(d->notes[0].message == "first place");
        CHECK(d->notes[1].message == "second place");
        CHECK_FALSE(d->help.empty());
    }
}

TEST_CASE("load: with a standard library folder, a missing std module is still E0004") {
    auto r = load_with_stdlib(std::string(ASSURE_SOURCE_DIR) + "/stdlib",
                              "module m\nimport std.risk\nimport std.no_such_module\n");
    CHECK(r.count(Code::E0008) == 0);
    REQUIRE(r.count(Code::E0004) == 1);
    CHECK(r.text_of(r.find(Code::E0004)->span) == "std.no_such_module");
}

TEST_CASE("load: other imports do not need the standard library") {
    auto r = load_with_stdlib("", "module m\nimport other\n");
    CHECK(r.count(Code::E0008) == 0);
    CHECK(r.count(Code::E0004) == 1);
}
