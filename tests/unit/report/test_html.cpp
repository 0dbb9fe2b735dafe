// SPDX-License-Identifier: Apache-2.0
// The HTML report through its C++ API: escaping of hostile text, inert section data, anchors,
// determinism and the page's own guarantees (CSP hash, no markup from the case).
#include "../testing.hpp"
#include "prove/prove.hpp"
#include "report/html/escape.hpp"
#include "report/html/html.hpp"
#include "report/html/vdom.hpp"
#include "support/sha256.hpp"

#include <doctest/doctest.h>
#include <memory>
#include <string>

namespace html = assure::report::html;
namespace detail = assure::report::html::detail;

namespace {

std::size_t count(const std::string &text, const std::string &what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
        ++n;
    }
    return n;
}

struct Proved {
    assure::testing::Checked checked;
    assure::lower::Lowered lowered;
    assure::prove::ProofResult result;
};

std::unique_ptr<Proved> prove(const std::string &text) {
    auto p = std::make_unique<Proved>();
    p->checked = assure::testing::check(text);
    REQUIRE(p->checked.diags.error_count() == 0);
    p->lowered = assure::lower::lower_graph(p->checked.program);
    assure::prove::ProveOptions options;
    options.date = {2026, 6, 15};
    p->result = assure::prove::prove(p->checked.program, p->lowered, *p->checked.sources, options);
    return p;
}

std::string page_of(const Proved &p, html::Sections sections) {
    assure::report::ProofMeta meta;
    meta.assure_version = "0.0-test";
    meta.z3_version = "4.8";
    meta.date_source = "--at";
    html::HtmlOptions options;
    options.sections = sections;
    return html::render_html(p.checked.program, p.result, *p.checked.sources, meta, options);
}

// A case whose every user-written text tries to break out of its place on the page.
const char *kHostile = R"(
module m
domain D "Domain </title><script>alert(1)</script>" { x: real [0, 10] }
evidence E_x "Trials <script>alert('e')</script> & \"quotes\"" {
  kind: test
  result: pass
  valid_until: 2026-01-01
  description: "</script><img src=x onerror=alert(2)>"
}
claim G_top "Top <b onmouseover=\"alert(3)\">claim</b> 'single'" {
  scope: D where x < 5
  supported_by: E_x
}
)";

} // namespace

TEST_CASE("report html: text is escaped for text and attributes") {
    CHECK(detail::escape("<script>alert(\"x\") & 'y'</script>") ==
          "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;");
    // Invalid UTF-8, NUL, other controls and C1 controls become U+FFFD; valid text stays.
    CHECK(detail::escape(std::string("a\0b", 3)) == "a\xEF\xBF\xBD"
                                                    "b");
    CHECK(detail::escape("\xC3\x28") == "\xEF\xBF\xBD(");
    CHECK(detail::escape("\xC2\x85") == "\xEF\xBF\xBD"); // a C1 control: one character
    CHECK(detail::escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK(detail::escape("caf\xC3\xA9 \xE2\x89\xA5 \xF0\x9F\x9A\xA2\ttab\n") ==
          "caf\xC3\xA9 \xE2\x89\xA5 \xF0\x9F\x9A\xA2\ttab\n");
}

TEST_CASE("report html: JSON strings cannot close their script element") {
    std::string out;
    detail::json_string_to(out, "</script><!-- \"x\" \\ \n & >");
    CHECK(out == "\"\\u003c/script\\u003e\\u003c!-- \\\"x\\\" \\\\ \\n \\u0026 \\u003e\"");
    CHECK(out.find('<') == std::string::npos);
}

TEST_CASE("report html: anchors are injective and need no escaping") {
    CHECK(detail::anchor("ship.perception.G_fog") == "d-ship.perception.G_fog");
    CHECK(detail::anchor("m.a b") == "d-m.a-20b");
    CHECK(detail::anchor("m.a-20b") == "d-m.a-2d20b");
    CHECK(detail::anchor("m.<x>\"") == "d-m.-3cx-3e-22");
}

TEST_CASE("report html: the page's markup becomes inert data and back") {
    std::string out;
    detail::html_to_json(out, "<p class=\"a b\">x &amp; &lt;y&gt; &ldquo;q&rdquo;<a "
                              "href=\"#d-z\">z</a><br></p><section class=\"el\" id=\"d-m.G\">"
                              "<h3>t</h3></section>\n");
    CHECK(out ==
          "[[\"p.a.b\",\"x \\u0026 \\u003cy\\u003e \xE2\x80\x9Cq\xE2\x80\x9D\","
          "[\"a\\u003ed-z\",\"z\"],[\"br\"]],[\"section.el#d-m.G\",[\"h3\",\"t\"]],\"\\n\"]");
}

TEST_CASE("report html: hostile titles and descriptions stay text, inline and lazy") {
    auto p = prove(kHostile);
    for (const auto sections : {html::Sections::Inline, html::Sections::Lazy}) {
        const std::string page = page_of(*p, sections);
        // The page's own script and data blocks are the only script elements.
        const std::size_t scripts = count(page, "<script");
        CHECK(scripts == count(page, "<script type=\"application/json\"") + 1);
        CHECK(page.find("<script>alert") == std::string::npos);
        CHECK(page.find("<img") == std::string::npos);
        CHECK(page.find("<b onmouseover") == std::string::npos);
        CHECK(page.find("</title><script>") == std::string::npos);
        if (sections == html::Sections::Inline) {
            CHECK(page.find("Trials &lt;script&gt;alert(&#39;e&#39;)&lt;/script&gt; &amp; "
                            "&quot;quotes&quot;") != std::string::npos);
            CHECK(page.find("Top &lt;b onmouseover=&quot;alert(3)&quot;&gt;claim&lt;/b&gt; "
                            "&#39;single&#39;") != std::string::npos);
        } else {
            CHECK(page.find("Trials \\u003cscript\\u003ealert('e')\\u003c/script\\u003e") !=
                  std::string::npos);
        }
        // Expired evidence fails the top claim, and the page says why.
        CHECK(page.find("expired") != std::string::npos);
        CHECK(page.find("not supported") != std::string::npos);
    }
}

TEST_CASE("report html: the page is deterministic and its CSP names its own script") {
    auto p = prove(kHostile);
    const std::string first = page_of(*p, html::Sections::Auto);
    CHECK(first == page_of(*p, html::Sections::Auto));
    CHECK(first.find(std::string(html::kMarker)) < 100);
    const std::size_t open = first.rfind("<script>");
    const std::size_t close = first.find("</script>", open);
    REQUIRE(open != std::string::npos);
    const std::string script = first.substr(open + 8, close - open - 8);
    const std::string hash = assure::support::sha256_base64(script);
    CHECK(first.find("script-src 'sha256-" + hash + "'") != std::string::npos);
    CHECK(first.find("default-src 'none'") != std::string::npos);
    // Nothing on the page points outside it.
    CHECK(first.find("http://") == std::string::npos);
    CHECK(first.find("https://") == std::string::npos);
    CHECK(first.find("src=\"") == std::string::npos);
}

TEST_CASE("report html: the CSP hash is the base64 of the SHA-256 (RFC 4648)") {
    // Known answers: SHA-256 of "abc" and of "" (FIPS 180-2), in padded standard base64.
    CHECK(assure::support::sha256_base64("abc") == "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    CHECK(assure::support::sha256_base64("") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}
