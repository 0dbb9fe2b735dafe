// SPDX-License-Identifier: Apache-2.0
#include "support/diagnostics.hpp"
#include "support/render.hpp"
#include "support/source_manager.hpp"
#include "support/text.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <sstream>

using namespace assure::support;

TEST_CASE("support: edit distance counts transpositions as one edit") {
    CHECK(edit_distance("recall", "recall", 3) == 0);
    CHECK(edit_distance("recal", "recall", 3) == 1);
    CHECK(edit_distance("reclal", "recall", 3) == 1);
    CHECK(edit_distance("abc", "xyzuvw", 2) == 3); // capped at cap + 1
}

TEST_CASE("support: closest match is deterministic and bounded") {
    CHECK(closest_match("visiblity", {"visibility", "light", "sea_state"}) == "visibility");
    CHECK(closest_match("zzz", {"visibility", "light"}).empty());
    CHECK(closest_match("ab", {"ac", "ad"}) == "ac"); // tie -> lexicographically smallest
}

TEST_CASE("support: UTF-8 validation finds the first bad byte") {
    CHECK(find_invalid_utf8("plain ascii") == std::string_view::npos);
    CHECK(find_invalid_utf8("caf\xc3\xa9") == std::string_view::npos);
    CHECK(find_invalid_utf8("caf\xe9!") == 3);
    CHECK(find_invalid_utf8("\xc0\xaf") == 0);           // overlong
    CHECK(find_invalid_utf8("\xed\xa0\x80") == 0);       // surrogate
    CHECK(find_invalid_utf8("ok\xf4\x90\x80\x80") == 2); // above U+10FFFF
}

TEST_CASE("support: rendering shows file:line:column, the line and a caret under the span") {
    SourceManager sm;
    const FileId f = sm.add("case.assure", "claim G1 \"x\" {\n  supported_by: E_fgo\n}\n");
    Diagnostic d{
        Code::E0201, Severity::Error, Span{f, 31, 36}, "unknown name `E_fgo`", "not declared", "",
        {}};
    const std::string out = render_text(d, sm);
    CHECK(out.find("error[E0201]: unknown name `E_fgo`") == 0);
    CHECK(out.find("--> case.assure:2:17") != std::string::npos);
    CHECK(out.find("2 |   supported_by: E_fgo\n") != std::string::npos);
    CHECK(out.find("  |                 ^^^^^ not declared") != std::string::npos);
}

TEST_CASE("support: a byte-order mark is not counted as a column") {
    SourceManager sm;
    const FileId f = sm.add("bom.assure", "\xEF\xBB\xBF"
                                          "claim G\n");
    CHECK(sm.line_col(f, 9).column == 7);
    CHECK(sm.line_text(f, 1) == "claim G");
    Diagnostic d{Code::E0403, Severity::Error, Span{f, 9, 10}, "m", "here", "", {}};
    CHECK(render_text(d, sm).find("1 | claim G\n  |       ^ here") != std::string::npos);
}

TEST_CASE("support: diagnostics sort by position and drop duplicates") {
    Diagnostics diags;
    diags.error(Code::E0201, Span{0, 20, 21}, "b");
    diags.error(Code::E0201, Span{0, 5, 6}, "a");
    diags.error(Code::E0201, Span{0, 20, 21}, "b");
    diags.sort_and_dedupe();
    REQUIRE(diags.all().size() == 2);
    CHECK(diags.all()[0].message == "a");
    CHECK(diags.error_count() == 2);
}

TEST_CASE("support: every diagnostic code is documented in docs/diagnostics.md") {
    std::ifstream in(std::string(ASSURE_SOURCE_DIR) + "/docs/diagnostics.md");
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string doc = ss.str();
    for (const auto &ci : all_codes()) {
        INFO(ci.id);
        CHECK(doc.find(std::string(ci.id)) != std::string::npos);
    }
}

TEST_CASE("support: long lists keep their first and last elements") {
    auto item = [](std::size_t idx) { return std::to_string(idx); };
    CHECK(join_elided(0, item, ", ") == "");
    CHECK(join_elided(3, item, " -> ") == "0 -> 1 -> 2");
    CHECK(join_elided(5, item, ",", 2) == "0,1,2,3,4"); // 2 * keep + 1: nothing to leave out
    CHECK(join_elided(6, item, ",", 2) == "0,1,... 2 more ...,4,5");
    std::size_t asked = 0;
    const std::string s = join_elided(
        1'000'000,
        [&](std::size_t idx) {
            ++asked;
            return std::to_string(idx);
        },
        " ");
    CHECK(asked == 2 * kElideKeep); // only the items shown are built
    CHECK(s.find("... 999980 more ...") != std::string::npos);
}

TEST_CASE("support: url_scheme tells URLs from paths") {
    // Any scheme of two characters or more followed by `//` is a URL.
    CHECK(url_scheme("https://example.org/report.json") == "https");
    CHECK(url_scheme("s3://bucket/key.csv") == "s3");
    CHECK(url_scheme("gs://bucket/key.csv") == "gs");
    CHECK(url_scheme("file:///tmp/r.json") == "file");
    CHECK(url_scheme("dvc+ssh://store/m.json") == "dvc+ssh");
    CHECK(url_scheme("my.scheme-2://x") == "my.scheme-2");
    CHECK(url_scheme("HTTPS://EXAMPLE.ORG/R.JSON") == "HTTPS");
    // The usual schemes are URLs with a colon alone too.
    CHECK(url_scheme("http:example.org/r.json") == "http");
    CHECK(url_scheme("File:r.json") == "File");
    CHECK(url_scheme("s3:bucket/key") == "s3");
    // Paths: no scheme, a colon after a slash, an unknown word before a colon, a drive letter.
    CHECK(url_scheme("reports/r.json").empty());
    CHECK(url_scheme("reports/run:42.json").empty());
    CHECK(url_scheme("run:42.json").empty());
    CHECK(url_scheme("C:/reports/r.json").empty());
    CHECK(url_scheme("C://reports/r.json").empty());
    CHECK(url_scheme("./https://x").empty());
    CHECK(url_scheme("2x://y").empty());
    CHECK(url_scheme("https").empty());
    CHECK(url_scheme("https:") == "https");
    CHECK(url_scheme(":x").empty());
    CHECK(url_scheme("").empty());
}
