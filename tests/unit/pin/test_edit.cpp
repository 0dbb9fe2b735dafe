// SPDX-License-Identifier: Apache-2.0
#include "pin/edit.hpp"

#include <doctest/doctest.h>
#include <string>

using assure::pin::apply_edits;
using assure::pin::Edit;
using assure::pin::render_diff;

TEST_CASE("pin: edits apply in any order and leave every other byte alone") {
    const std::string text = "abc\r\ndef\r\n";
    CHECK(apply_edits(text, {}) == text);
    CHECK(apply_edits(text, {Edit{5, 6, "D"}, Edit{3, 3, "!"}}) == "abc!\r\nDef\r\n");
    CHECK(apply_edits(text, {Edit{0, 0, ">"}, Edit{10, 10, "<"}}) == ">abc\r\ndef\r\n<");
    // Two insertions at one offset keep the order given.
    CHECK(apply_edits("ab", {Edit{1, 1, "x"}, Edit{1, 1, "y"}}) == "axyb");
    CHECK(apply_edits("abcdef", {Edit{1, 3, ""}, Edit{4, 6, "Z"}}) == "adZ");
}

TEST_CASE("pin: the diff shows each changed line once, as diff -U0 does") {
    const std::string text = "one\ntwo \"p\"\nthree\nfour \"q\"\n";
    const std::string diff =
        render_diff("dir/case.assure", text, {Edit{26, 26, " X"}, Edit{11, 11, " Y"}});
    CHECK(diff == "--- a/dir/case.assure\n+++ b/dir/case.assure\n"
                  "@@ -2,1 +2,1 @@\n-two \"p\"\n+two \"p\" Y\n"
                  "@@ -4,1 +4,1 @@\n-four \"q\"\n+four \"q\" X\n");
    CHECK(render_diff("x", text, {}).empty());
}

TEST_CASE("pin: edits on lines next to each other make one hunk; two on a line, one line") {
    const std::string text = "a \"1\" b \"2\"\nc \"3\"\nd\n";
    const std::string diff =
        render_diff("c.assure", text, {Edit{5, 5, "+"}, Edit{11, 11, "+"}, Edit{17, 17, "+"}});
    CHECK(diff == "--- a/c.assure\n+++ b/c.assure\n"
                  "@@ -1,2 +1,2 @@\n-a \"1\" b \"2\"\n-c \"3\"\n+a \"1\"+ b \"2\"+\n+c \"3\"+\n");
}

TEST_CASE("pin: CRLF, lone CR and a BOM are kept; the diff counts lines as the source manager") {
    // Line 1 starts with a BOM and ends with CRLF; line 2 ends with a lone CR; line 3 has no
    // line ending at all.
    const std::string text = "\xEF\xBB\xBFm\r\nx \"a\"\ry \"b\"";
    const std::string out = apply_edits(text, {Edit{11, 11, " S"}, Edit{17, 17, " T"}});
    CHECK(out == "\xEF\xBB\xBFm\r\nx \"a\" S\ry \"b\" T");
    const std::string diff = render_diff("/abs/c.assure", text, {Edit{11, 11, " S"}});
    CHECK(diff ==
          "--- a/abs/c.assure\n+++ b/abs/c.assure\n@@ -2,1 +2,1 @@\n-x \"a\"\n+x \"a\" S\n");
    CHECK(render_diff("c", text, {Edit{17, 17, " T"}}) ==
          "--- a/c\n+++ b/c\n@@ -3,1 +3,1 @@\n-y \"b\"\n+y \"b\" T\n");
    CHECK(render_diff("c", text, {Edit{4, 4, "Q"}}) ==
          "--- a/c\n+++ b/c\n@@ -1,1 +1,1 @@\n-\xEF\xBB\xBFm\n+\xEF\xBB\xBFmQ\n");
}

TEST_CASE("pin: a replacement that joins lines shifts the line numbers of the hunks after it") {
    // A string split over two lines becomes one: the second hunk's new line number is one less.
    const std::string text = "s \"ab\"\n  \"cd\"\nx\nt \"q\"\n";
    const std::string diff = render_diff("c", text, {Edit{2, 13, "\"new\""}, Edit{21, 21, "!"}});
    CHECK(diff == "--- a/c\n+++ b/c\n"
                  "@@ -1,2 +1,1 @@\n-s \"ab\"\n-  \"cd\"\n+s \"new\"\n"
                  "@@ -4,1 +3,1 @@\n-t \"q\"\n+t \"q\"!\n");
}
