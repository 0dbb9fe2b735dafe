// SPDX-License-Identifier: Apache-2.0
#include "support/markup.hpp"
#include "support/text.hpp"

#include <doctest/doctest.h>
#include <string>

using assure::support::LineBreaks;
using assure::support::markup_escaped;

TEST_CASE("markup: the five special characters become references") {
    CHECK(markup_escaped("<a href=\"x\">Tom & Jerry's</a>") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

TEST_CASE("markup: line breaks and tabs by mode") {
    CHECK(markup_escaped("a\nb\r\tc") == "a\nb\r\tc");
    CHECK(markup_escaped("a\nb\r\tc", LineBreaks::Space) == "a b \tc");
    CHECK(markup_escaped("a\nb\r\tc", LineBreaks::Entities) == "a&#10;b&#13;&#9;c");
}

TEST_CASE("markup: what is not text becomes U+FFFD, and the result is valid UTF-8") {
    const std::string r = "\xEF\xBF\xBD";
    CHECK(markup_escaped(std::string("a\0b", 3)) == "a" + r + "b");
    CHECK(markup_escaped("\x7F") == r);
    CHECK(markup_escaped("\xC2\x85") == r);             // C1 control NEL
    CHECK(markup_escaped("\xC3\x28") == r + "(");       // a lead byte without its continuation
    CHECK(markup_escaped("\xED\xA0\x80") == r + r + r); // a surrogate: each byte replaced
    CHECK(markup_escaped("\xC0\xAF") == r + r);         // overlong
    CHECK(markup_escaped("caf\xC3\xA9 \xF0\x9F\x9A\xA2") == "caf\xC3\xA9 \xF0\x9F\x9A\xA2");
    const std::string hostile = "\xFF<\xC2\x80>\x01&\xF4\x90\x80\x80";
    CHECK(assure::support::find_invalid_utf8(markup_escaped(hostile)) == std::string::npos);
}
