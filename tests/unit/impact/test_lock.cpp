// SPDX-License-Identifier: Apache-2.0
// Lockfiles through the C++ API: declaration fingerprints, render_lock / parse_lock, diff().
#include "../testing.hpp"
#include "impact/lock.hpp"
#include "prove/prove.hpp"
#include "support/sha256.hpp"

#include <doctest/doctest.h>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using assure::impact::diff;
using assure::impact::fingerprint;
using assure::impact::Lock;
using assure::impact::LockChange;
using assure::impact::parse_lock;
using assure::impact::render_lock;

namespace {

/// 64 hex digits made of `c`.
std::string hex(char c) {
    return std::string(64, c);
}

/// A lock with a bit of everything, including paths that need care.
Lock sample_lock() {
    Lock lock;
    lock.case_files = {"nav.assure", "my case/perception.assure", "dir\\sub.assure"};
    lock.holds_until = assure::sema::Date{2027, 3, 31};
    lock.files = {{hex('a'), "my case/perception.assure"},
                  {hex('b'), "nav.assure"},
                  {hex('c'), "odd\\name.assure"},
                  {"missing", "line\nbreak.assure"},
                  {hex('d'), "stdlib/risk.assure"}};
    lock.artifacts = {{"ship.fog", hex('1'), "evidence/fog summary.csv"},
                      {"ship.model", "missing", "models\\v2.onnx"}};
    lock.declarations = {{"claim", "ship.G", hex('2')}, {"evidence", "ship.E", hex('3')}};
    lock.evidence = {{"ship.E", "valid", "pass"},
                     {"ship.E_bad", "invalid", "fail"},
                     {"ship.E_q", "unknown", "pending"}};
    lock.claims = {{"ship.G", "supported", "top"},
                   {"ship.H", "undeveloped", ""},
                   {"ship.K", "unknown", ""},
                   {"ship.L", "unsupported", ""}};
    return lock;
}

/// The lines of `text`.
std::vector<std::string> lines_of(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

std::string join(const std::vector<std::string> &lines) {
    std::string out;
    for (const auto &l : lines) {
        out += l + "\n";
    }
    return out;
}

/// The 1-based number of the first line of `text` that starts with `prefix`.
std::size_t line_starting(const std::string &text, const std::string &prefix) {
    const auto lines = lines_of(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].rfind(prefix, 0) == 0) {
            return i + 1;
        }
    }
    FAIL("no line starts with " << prefix);
    return 0;
}

/// `text` with 1-based line `n` replaced by `with`.
std::string replace_line(const std::string &text, std::size_t n, const std::string &with) {
    auto lines = lines_of(text);
    REQUIRE(n >= 1);
    REQUIRE(n <= lines.size());
    lines[n - 1] = with;
    return join(lines);
}

/// `text` with its digest line (if any) replaced by the right one: a lock edited and sealed
/// again, as a forger would, to test what the line-by-line reading rejects.
std::string reseal(const std::string &text) {
    std::string body = text;
    const std::size_t last = body.rfind("\ndigest sha256 ");
    if (last != std::string::npos) {
        body.resize(last + 1);
    }
    if (!body.empty() && body.back() != '\n') {
        body += '\n';
    }
    return body + assure::impact::digest_line(body);
}

/// Parses `text` as it is, which must be rejected, and returns the error.
assure::impact::LockError raw_rejection(const std::string &text) {
    assure::impact::LockError error;
    const auto lock = parse_lock(text, error);
    CHECK_FALSE(lock.has_value());
    CHECK_FALSE(error.message.empty());
    return error;
}

/// Parses `text` sealed again, which must be rejected, and returns the error.
std::string rejection(const std::string &text) {
    std::string error;
    const auto lock = parse_lock(reseal(text), error);
    CHECK_FALSE(lock.has_value());
    CHECK_FALSE(error.empty());
    return error;
}

std::string line_prefix(std::size_t n) {
    return "line " + std::to_string(n) + ": ";
}

bool starts_with(const std::string &s, const std::string &prefix) {
    return s.rfind(prefix, 0) == 0;
}

struct Proved {
    assure::testing::Checked checked;
    assure::lower::Lowered lowered;
    assure::prove::ProofResult result;
    Lock lock;
};

/// Proves `text` (as test.assure) at `date` and makes its lock, relative to the working folder.
std::unique_ptr<Proved> lock_of(const std::string &text, assure::sema::Date date = {2026, 11, 23}) {
    auto p = std::make_unique<Proved>();
    p->checked = assure::testing::check(text);
    REQUIRE(p->checked.diags.error_count() == 0);
    p->lowered = assure::lower::lower_graph(p->checked.program);
    assure::prove::ProveOptions options;
    options.date = date;
    p->result = assure::prove::prove(p->checked.program, p->lowered, *p->checked.sources, options);
    p->lock = assure::impact::make_lock(p->checked.program, *p->checked.sources, p->result,
                                        {"test.assure"}, ".");
    return p;
}

const char *kCase = R"(module m

artifact report "no-such-dir-for-lock-tests/report.csv"

evidence E_fog "Fog campaign" {
  kind: test
  result: pass
  valid_until: 2027-03-31
}

evidence E_sea "Sea trials" {
  kind: test
  result: pass
  valid_until: 2027-01-15
}

evidence E_old "Expired and failed" {
  kind: test
  result: fail
  valid_until: 2026-01-01
}

evidence E_art "Rests on a missing file" {
  kind: test
  artifacts: report
  result: pass
}

claim G "Top" {
  supported_by: E_fog, E_sea
}
)";

} // namespace

TEST_CASE("lock: a string split into adjacent literals keeps its fingerprint") {
    const std::string plain = "claim G \"The ship detects obstacles\" { undeveloped }";
    CHECK(fingerprint("claim G \"The ship detects \"\n  \"obstacles\" { undeveloped }") ==
          fingerprint(plain));
    CHECK(fingerprint("claim G \"The ship \" /* c */ \"detects \" // c\n\"obstacles\" "
                      "{ undeveloped }") == fingerprint(plain));
    CHECK(fingerprint("claim G \"\" \"The ship detects obstacles\" { undeveloped }") ==
          fingerprint(plain));
    // Escapes stay escapes; a different text is a different fingerprint.
    CHECK(fingerprint("claim G \"a\\\"\" \"b\"") == fingerprint("claim G \"a\\\"b\""));
    CHECK(fingerprint("claim G \"The ship detects\" \"obstacles\" { undeveloped }") !=
          fingerprint(plain));
    // Strings separated by anything but blanks and comments are not joined.
    CHECK(fingerprint("f(\"a\", \"b\")") != fingerprint("f(\"ab\")"));
}

TEST_CASE("lock: fingerprint ignores comments and the layout of white space") {
    const std::string plain = "evidence E \"Fog campaign\" { kind: test result: pass }";
    CHECK(fingerprint(plain) == assure::support::sha256_hex(plain));
    CHECK(fingerprint("  a \t\n  b\r\n ") == assure::support::sha256_hex("a b"));
    CHECK(fingerprint("") == assure::support::sha256_hex(""));

    const std::string relaid = "evidence   E\n    \"Fog campaign\"   {   // the FC-3 campaign\n"
                               "\tkind: test /* as run\n in 2026 */\n\n"
                               "        result: pass   // passed\n}";
    CHECK(fingerprint(relaid) == fingerprint(plain));
    CHECK(fingerprint(plain + " // trailing, no newline") == fingerprint(plain));
    CHECK(fingerprint(plain + "\n/* trailing block */") == fingerprint(plain));
    // A comment between two tokens separates them like a space.
    CHECK(fingerprint("a/* c */b") == fingerprint("a b"));
    CHECK(fingerprint("a// c\nb") == fingerprint("a b"));
    // Windows line ends are white space too.
    CHECK(fingerprint("a\r\nb") == fingerprint("a\nb"));
}

TEST_CASE("lock: fingerprint keeps string contents and tokens") {
    const std::string base = "claim G \"Obstacles are detected\" { scope: Odd }";
    // Tokens.
    CHECK(fingerprint("claim G \"Obstacles are detected\" { scope: Odd2 }") != fingerprint(base));
    CHECK(fingerprint("claim H \"Obstacles are detected\" { scope: Odd }") != fingerprint(base));
    CHECK(fingerprint("evidence E { result: pass }") != fingerprint("evidence E { result: fail }"));
    CHECK(fingerprint("metric recall = 0.961") != fingerprint("metric recall = 0.962"));
    CHECK(fingerprint("a b") != fingerprint("ab"));
    // White space and comment markers inside a string are content.
    CHECK(fingerprint("claim G \"Obstacles  are detected\" { scope: Odd }") != fingerprint(base));
    CHECK(fingerprint("claim G \"Obstacles\tare detected\" { scope: Odd }") != fingerprint(base));
    CHECK(fingerprint("x \"see http://example.org\" y") != fingerprint("x \"see http:\" y"));
    CHECK(fingerprint("x \"a // b\" y") != fingerprint("x \"a // c\" y"));
    CHECK(fingerprint("x \"a /* b */ c\" y") != fingerprint("x \"a c\" y"));
    CHECK(fingerprint("x \"a /* b */ c\" y") != fingerprint("x \"a /* d */ c\" y"));
    // An escaped quote does not end the string: what follows it is still content.
    CHECK(fingerprint("x \"a \\\" // b\" y") != fingerprint("x \"a \\\" // c\" y"));
    CHECK(fingerprint("x \"a \\\\\" // b\ny") == fingerprint("x \"a \\\\\" y"));
    // ... but a comment after the string is still a comment.
    CHECK(fingerprint("x \"a\" // one\ny") == fingerprint("x \"a\" // two\ny"));
    // White space around a string is layout.
    CHECK(fingerprint("x\n   \"a\"\n   y") == fingerprint("x \"a\" y"));
    // Text that ends inside a string does not crash and still counts.
    CHECK(fingerprint("x \"abc") != fingerprint("x \"abd"));
    CHECK(fingerprint("x \"ab\\") != fingerprint("x \"ab"));
}

TEST_CASE("lock: render_lock and parse_lock round-trip") {
    const Lock lock = sample_lock();
    const std::string text = render_lock(lock);
    CHECK(starts_with(text, "# assure lockfile"));
    CHECK(assure::impact::looks_like_lock(text));
    CHECK(text.find("\nformat assure-lock 2\n") != std::string::npos);
    CHECK(text.find("\n\ndigest sha256 ") + 80 == text.size() - 1);
    CHECK(text.find("\nholds-until 2027-03-31\n") != std::string::npos);
    CHECK(text.find("\ncase dir\\\\sub.assure\n") != std::string::npos);
    CHECK(text.find("  line\\nbreak.assure\n") != std::string::npos);
    CHECK(text.find("\nship.G  supported  top\n") != std::string::npos);
    CHECK(text.find("\nship.H  undeveloped\n") != std::string::npos);

    std::string error;
    const auto parsed = parse_lock(text, error);
    REQUIRE_MESSAGE(parsed.has_value(), error);
    CHECK(parsed->case_files == lock.case_files);
    REQUIRE(parsed->holds_until.has_value());
    CHECK(*parsed->holds_until == *lock.holds_until);
    REQUIRE(parsed->files.size() == lock.files.size());
    for (std::size_t i = 0; i < lock.files.size(); ++i) {
        CHECK(parsed->files[i].sha256 == lock.files[i].sha256);
        CHECK(parsed->files[i].path == lock.files[i].path);
    }
    REQUIRE(parsed->artifacts.size() == lock.artifacts.size());
    for (std::size_t i = 0; i < lock.artifacts.size(); ++i) {
        CHECK(parsed->artifacts[i].name == lock.artifacts[i].name);
        CHECK(parsed->artifacts[i].sha256 == lock.artifacts[i].sha256);
        CHECK(parsed->artifacts[i].path == lock.artifacts[i].path);
    }
    REQUIRE(parsed->declarations.size() == lock.declarations.size());
    for (std::size_t i = 0; i < lock.declarations.size(); ++i) {
        CHECK(parsed->declarations[i].name == lock.declarations[i].name);
        CHECK(parsed->declarations[i].kind == lock.declarations[i].kind);
        CHECK(parsed->declarations[i].fingerprint == lock.declarations[i].fingerprint);
    }
    REQUIRE(parsed->evidence.size() == lock.evidence.size());
    for (std::size_t i = 0; i < lock.evidence.size(); ++i) {
        CHECK(parsed->evidence[i].name == lock.evidence[i].name);
        CHECK(parsed->evidence[i].status == lock.evidence[i].status);
        CHECK(parsed->evidence[i].detail == lock.evidence[i].detail);
    }
    REQUIRE(parsed->claims.size() == lock.claims.size());
    for (std::size_t i = 0; i < lock.claims.size(); ++i) {
        CHECK(parsed->claims[i].name == lock.claims[i].name);
        CHECK(parsed->claims[i].status == lock.claims[i].status);
        CHECK(parsed->claims[i].detail == lock.claims[i].detail);
    }
    CHECK(render_lock(*parsed) == text);

    // The baseline it gives.
    const auto baseline = assure::impact::baseline_of(*parsed);
    CHECK(baseline.top == std::set<std::string>{"ship.G"});
    CHECK(baseline.claims.at("ship.G") == assure::prove::Status::Supported);
    CHECK(baseline.claims.at("ship.L") == assure::prove::Status::Unsupported);
    // "invalid" stands for both Undeveloped and Unsupported; only "was it valid" matters.
    CHECK(baseline.evidence.at("ship.E_bad") != assure::prove::Status::Supported);
    CHECK(baseline.evidence.at("ship.E_bad") != assure::prove::Status::Unknown);
    CHECK(baseline.evidence.at("ship.E") == assure::prove::Status::Supported);
    CHECK(baseline.evidence.at("ship.E_q") == assure::prove::Status::Unknown);

    // No holds-until date, and Windows line ends.
    Lock never = lock;
    never.holds_until.reset();
    const std::string never_text = render_lock(never);
    CHECK(never_text.find("\nholds-until never\n") != std::string::npos);
    std::string crlf;
    for (char c : never_text) {
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    }
    const auto parsed_never = parse_lock(crlf, error);
    REQUIRE_MESSAGE(parsed_never.has_value(), error);
    CHECK_FALSE(parsed_never->holds_until.has_value());
    CHECK(render_lock(*parsed_never) == never_text);

    // An empty case.
    const std::string empty = render_lock(Lock{});
    const auto parsed_empty = parse_lock(empty, error);
    REQUIRE_MESSAGE(parsed_empty.has_value(), error);
    CHECK(render_lock(*parsed_empty) == empty);
}

TEST_CASE("lock: parse_lock rejects malformed input at the right line") {
    const std::string good = render_lock(sample_lock());
    std::string error;
    REQUIRE(parse_lock(good, error).has_value());

    // Not a lockfile at all.
    CHECK(starts_with(rejection(""), line_prefix(1)));
    CHECK(starts_with(rejection("hello\n"), line_prefix(1)));
    CHECK_FALSE(assure::impact::looks_like_lock("hello\n"));
    CHECK(starts_with(rejection("\n# assure lockfile\nformat assure-lock 1\n"), line_prefix(1)));
    // No format line.
    CHECK(starts_with(rejection("# assure lockfile\ncase a.assure\n"), line_prefix(1)));

    const std::size_t format = line_starting(good, "format ");
    CHECK(format == 5);
    CHECK(starts_with(rejection(replace_line(good, format, "format assure-lock 3")),
                      line_prefix(format)));
    CHECK(starts_with(rejection(replace_line(good, format, "format assure-lock")),
                      line_prefix(format)));
    const std::size_t holds = line_starting(good, "holds-until ");
    CHECK(starts_with(rejection(replace_line(good, holds, "holds-until 2027-3-31")),
                      line_prefix(holds)));
    CHECK(
        starts_with(rejection(replace_line(good, holds, "holds-until soon")), line_prefix(holds)));
    const std::size_t case_line = line_starting(good, "case ");
    CHECK(starts_with(rejection(replace_line(good, case_line, "frobnicate yes")),
                      line_prefix(case_line)));
    CHECK(starts_with(rejection(replace_line(good, case_line, "case")), line_prefix(case_line)));

    const std::size_t files = line_starting(good, "[files]");
    CHECK(starts_with(rejection(replace_line(good, files, "[filez]")), line_prefix(files)));
    // [files]: SHA256  PATH.
    const std::size_t file = files + 1;
    CHECK(starts_with(rejection(replace_line(good, file, hex('a'))), line_prefix(file)));
    CHECK(starts_with(rejection(replace_line(good, file, hex('A') + "  x.assure")),
                      line_prefix(file)));
    CHECK(starts_with(rejection(replace_line(good, file, "abc  x.assure")), line_prefix(file)));

    // [artifacts]: NAME  SHA256  PATH; a line cut short or with a damaged hash.
    const std::size_t artifact = line_starting(good, "ship.fog  ");
    const std::string whole = lines_of(good)[artifact - 1];
    CHECK(starts_with(rejection(replace_line(good, artifact, whole.substr(0, 30))),
                      line_prefix(artifact)));
    CHECK(starts_with(rejection(replace_line(good, artifact, "ship.fog  " + hex('1'))),
                      line_prefix(artifact)));
    CHECK(starts_with(
        rejection(replace_line(good, artifact, "ship.fog  " + hex('1').substr(1) + "  x")),
        line_prefix(artifact)));
    CHECK(starts_with(rejection(replace_line(good, artifact, "ship.fog  " + hex('g') + "  x")),
                      line_prefix(artifact)));

    // [declarations]: NAME  KIND  FINGERPRINT.
    const std::size_t decl = line_starting(good, "ship.G  claim  ");
    CHECK(starts_with(rejection(replace_line(good, decl, "ship.G  claim")), line_prefix(decl)));
    CHECK(starts_with(rejection(replace_line(good, decl, "ship.G  claim  " + hex('2') + "  x")),
                      line_prefix(decl)));
    CHECK(
        starts_with(rejection(replace_line(good, decl, "ship.G  claim  123")), line_prefix(decl)));

    // [evidence]: NAME  STATUS  RESULT.
    const std::size_t ev = line_starting(good, "ship.E  valid");
    CHECK(starts_with(rejection(replace_line(good, ev, "ship.E  great  pass")), line_prefix(ev)));
    CHECK(starts_with(rejection(replace_line(good, ev, "ship.E  valid")), line_prefix(ev)));

    // [claims]: NAME  VERDICT [top].
    const std::size_t claim = line_starting(good, "ship.G  supported");
    CHECK(starts_with(rejection(replace_line(good, claim, "ship.G  supported  bottom")),
                      line_prefix(claim)));
    CHECK(starts_with(rejection(replace_line(good, claim, "ship.G  fine")), line_prefix(claim)));
    CHECK(starts_with(rejection(replace_line(good, claim, "ship.G")), line_prefix(claim)));

    // Cut short at the end of a line: a missing section is an error, not an empty one (else a
    // lock without its [claims] would pass any gate), reported at the last line.
    for (const char *header :
         {"[files]", "[artifacts]", "[declarations]", "[evidence]", "[claims]"}) {
        const std::size_t at = line_starting(good, header);
        auto lines = lines_of(good);
        lines.resize(at - 1);
        const std::string error_text = rejection(join(lines));
        CHECK(starts_with(error_text, line_prefix(at - 1)));
        CHECK(error_text.find(header) != std::string::npos);
    }

    // A line of a section before any section header.
    CHECK(starts_with(rejection(replace_line(good, holds, hex('a') + "  x.assure")),
                      line_prefix(holds)));
}

TEST_CASE("lock: a lock cut short or edited anywhere is refused by its digest") {
    using assure::support::Code;
    const std::string good = render_lock(sample_lock());
    std::string error;
    REQUIRE_MESSAGE(parse_lock(good, error).has_value(), error);
    // Cut at every byte, line boundaries included: never accepted. Past the first line the
    // digest is what refuses it.
    const std::size_t first_line = good.find('\n') + 1;
    for (std::size_t cut = 0; cut + 1 < good.size(); ++cut) {
        const auto e = raw_rejection(good.substr(0, cut));
        if (cut > first_line) {
            CHECK_MESSAGE(e.code == Code::E0602, "cut at byte " << cut << ": " << e.message);
        }
    }
    // Only the final line break may go.
    CHECK(parse_lock(good.substr(0, good.size() - 1), error).has_value());
    // Any one byte changed, comments included: refused (E0602), or not even a lock (E0601).
    for (std::size_t at = 0; at < good.size(); ++at) {
        std::string edited = good;
        edited[at] = edited[at] == 'x' ? 'y' : 'x';
        const auto e = raw_rejection(edited);
        CHECK_MESSAGE((e.code == Code::E0602 || e.code == Code::E0601 || e.code == Code::E0603),
                      "byte " << at << ": " << e.message);
    }
    // A line added after the digest, or the digest line repeated.
    const auto lines = lines_of(good);
    CHECK(raw_rejection(good + "ship.X  supported  top\n").code == Code::E0602);
    CHECK(raw_rejection(good + lines.back() + "\n").code == Code::E0602);
    // The line pointed at is the last one, where the digest should be.
    auto cut = lines;
    cut.resize(cut.size() - 3);
    const auto e = raw_rejection(join(cut));
    CHECK(e.code == Code::E0602);
    CHECK(e.line == cut.size());
    CHECK(e.message.find("regenerate it with `assure lock`") != std::string::npos);
    // A damaged digest line.
    const auto damaged = raw_rejection(good.substr(0, good.size() - 5) + "\n");
    CHECK(damaged.code == Code::E0602);
    CHECK(damaged.line == lines.size());
}

TEST_CASE("lock: a version 1 lock (no digest) is refused with a way out") {
    using assure::support::Code;
    const std::string good = render_lock(sample_lock());
    auto lines = lines_of(good);
    const std::size_t format = line_starting(good, "format ");
    lines[format - 1] = "format assure-lock 1";
    lines.resize(lines.size() - 2); // no blank line, no digest: as version 1 wrote it
    const auto e = raw_rejection(join(lines));
    CHECK(e.code == Code::E0603);
    CHECK(e.line == format);
    CHECK(e.message.find("regenerate it with `assure lock`") != std::string::npos);
    // A lock of a later version is not read either.
    lines[format - 1] = "format assure-lock 3";
    CHECK(raw_rejection(join(lines)).code == Code::E0603);
}

TEST_CASE("lock: diff reports files, artifacts and declarations in a stable order") {
    Lock then;
    then.holds_until = assure::sema::Date{2027, 1, 15};
    then.files = {{hex('1'), "a.assure"}, {hex('2'), "b.assure"}, {hex('3'), "c.assure"}};
    then.artifacts = {{"m.gone", hex('4'), "gone.csv"},
                      {"m.model", hex('5'), "model.onnx"},
                      {"m.same", hex('6'), "same.csv"}};
    then.declarations = {{"claim", "m.G", hex('7')},
                         {"evidence", "m.E", hex('8')},
                         {"evidence", "m.E_gone", hex('9')},
                         {"odd", "m.Odd", hex('a')}};
    Lock now;
    // Given out of order: diff sorts by key.
    now.files = {{hex('e'), "d.assure"}, {hex('2'), "b.assure"}, {hex('f'), "a.assure"}};
    now.artifacts = {{"m.same", hex('6'), "moved/same.csv"},
                     {"m.model", "missing", "model.onnx"},
                     {"m.added", hex('b'), "added.csv"}};
    now.declarations = {{"claim", "m.G", hex('7')},
                        {"evidence", "m.E", hex('c')},
                        {"claim", "m.Odd", hex('a')},
                        {"evidence", "m.E_new", hex('d')}};

    using What = LockChange::What;
    using How = LockChange::How;
    const auto changes = diff(then, now, {2027, 1, 15});
    struct Expected {
        What what;
        How how;
        std::string name;
    };
    const std::vector<Expected> expected = {
        {What::File, How::Changed, "a.assure"},
        {What::File, How::Removed, "c.assure"},
        {What::File, How::Added, "d.assure"},
        {What::Artifact, How::Added, "m.added"},
        {What::Artifact, How::Removed, "m.gone"},
        {What::Artifact, How::Changed, "m.model"},
        {What::Declaration, How::Changed, "m.E"},
        {What::Declaration, How::Removed, "m.E_gone"},
        {What::Declaration, How::Added, "m.E_new"},
        {What::Declaration, How::Changed, "m.Odd"}, // same text, another kind
    };
    REQUIRE(changes.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("change " << i << ": " << assure::impact::describe(changes[i]));
        CHECK(changes[i].what == expected[i].what);
        CHECK(changes[i].how == expected[i].how);
        CHECK(changes[i].name == expected[i].name);
    }
    // Hashes then and now.
    CHECK(changes[0].before == hex('1'));
    CHECK(changes[0].after == hex('f'));
    CHECK(changes[1].before == hex('3'));
    CHECK(changes[1].after.empty());
    CHECK(changes[2].before.empty());
    CHECK(changes[2].after == hex('e'));
    CHECK(changes[5].before == hex('5'));
    CHECK(changes[5].after == "missing");
    CHECK(changes[6].kind == "evidence");
    CHECK(changes[9].kind == "claim");

    // What describe() says.
    CHECK(assure::impact::describe(changes[0]) == "file a.assure changed");
    CHECK(assure::impact::describe(changes[1]) == "file c.assure removed");
    CHECK(assure::impact::describe(changes[3]) == "artifact m.added added");
    const std::string model = assure::impact::describe(changes[5]);
    CHECK(model.find("artifact m.model: contents changed") == 0);
    CHECK(model.find(hex('5').substr(0, 12)) != std::string::npos);
    CHECK(model.find("missing") != std::string::npos);
    CHECK(assure::impact::describe(changes[8]) == "evidence m.E_new: declaration added");

    // The same inputs give the same list.
    const auto again = diff(then, now, {2027, 1, 15});
    REQUIRE(again.size() == changes.size());
    for (std::size_t i = 0; i < again.size(); ++i) {
        CHECK(assure::impact::describe(again[i]) == assure::impact::describe(changes[i]));
    }
    // Nothing differs from itself.
    CHECK(diff(then, then, {2027, 1, 15}).empty());
    CHECK(diff(now, now, {2030, 1, 1}).empty()); // no holds-until: no expiry
}

TEST_CASE("lock: diff adds the expiry entry only after holds_until") {
    Lock lock;
    lock.holds_until = assure::sema::Date{2027, 3, 31};
    CHECK(diff(lock, lock, {2026, 11, 23}).empty());
    CHECK(diff(lock, lock, {2027, 3, 31}).empty()); // the last day it holds
    for (const assure::sema::Date date :
         {assure::sema::Date{2027, 4, 1}, assure::sema::Date{2028, 1, 1}}) {
        const auto changes = diff(lock, lock, date);
        REQUIRE(changes.size() == 1);
        CHECK(changes[0].what == LockChange::What::Expiry);
        CHECK(changes[0].name == "2027-03-31");
        CHECK(assure::impact::describe(changes[0]).find("the date is past 2027-03-31") == 0);
    }
    // After the other changes.
    Lock now = lock;
    now.files = {{hex('1'), "a.assure"}};
    const auto changes = diff(lock, now, {2027, 4, 1});
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].what == LockChange::What::File);
    CHECK(changes[1].what == LockChange::What::Expiry);
    // The date "now" records does not matter, only the lock's.
    Lock later = lock;
    later.holds_until = assure::sema::Date{2030, 1, 1};
    CHECK(diff(later, lock, {2029, 1, 1}).empty());
    CHECK(diff(lock, later, {2029, 1, 1}).size() == 1);
}

TEST_CASE("lock: make_lock of a proved case") {
    const auto p = lock_of(kCase);
    const Lock &lock = p->lock;
    CHECK(lock.case_files == std::vector<std::string>{"test.assure"});
    REQUIRE(lock.files.size() == 1);
    CHECK(lock.files[0].path == "test.assure");
    CHECK(lock.files[0].sha256 == assure::support::sha256_hex(kCase));
    // The earliest valid_until of the evidence that is valid (E_old's is earlier, but it failed).
    REQUIRE(lock.holds_until.has_value());
    CHECK(*lock.holds_until == assure::sema::Date{2027, 1, 15});
    REQUIRE(lock.artifacts.size() == 1);
    CHECK(lock.artifacts[0].name == "m.report");
    CHECK(lock.artifacts[0].sha256 == "missing");
    CHECK(lock.artifacts[0].path == "no-such-dir-for-lock-tests/report.csv");

    std::vector<std::string> names;
    for (const auto &d : lock.declarations) {
        names.push_back(d.kind + " " + d.name);
    }
    CHECK(names == std::vector<std::string>{"evidence m.E_art", "evidence m.E_fog",
                                            "evidence m.E_old", "evidence m.E_sea", "claim m.G",
                                            "artifact m.report"});
    std::vector<std::string> evidence;
    for (const auto &e : lock.evidence) {
        evidence.push_back(e.name + " " + e.status + " " + e.detail);
    }
    CHECK(evidence == std::vector<std::string>{"m.E_art invalid pass", "m.E_fog valid pass",
                                               "m.E_old invalid fail", "m.E_sea valid pass"});
    REQUIRE(lock.claims.size() == 1);
    CHECK(lock.claims[0].name == "m.G");
    CHECK(lock.claims[0].status == "supported");
    CHECK(lock.claims[0].detail == "top");

    // Its text parses back to the same text; a second lock of the same case is the same bytes.
    std::string error;
    const std::string text = render_lock(lock);
    const auto parsed = parse_lock(text, error);
    REQUIRE_MESSAGE(parsed.has_value(), error);
    CHECK(render_lock(*parsed) == text);
    CHECK(render_lock(lock_of(kCase)->lock) == text);
    CHECK(diff(*parsed, lock, {2026, 11, 23}).empty());
}

TEST_CASE("lock: a layout edit changes the file's hash, not the declaration's fingerprint") {
    const std::string original = kCase;
    const auto then = lock_of(original);

    // Re-indent E_fog and comment it.
    std::string relaid = original;
    const std::string fog = "evidence E_fog \"Fog campaign\" {\n  kind: test\n  result: pass\n";
    const auto at = relaid.find(fog);
    REQUIRE(at != std::string::npos);
    relaid.replace(at, fog.size(),
                   "// Re-run in 2026.\nevidence   E_fog \"Fog campaign\"\n{\n"
                   "        kind: test      // in the chamber\n"
                   "        /* the verdict */ result:\tpass\n");
    const auto layout = lock_of(relaid);
    auto changes = diff(then->lock, layout->lock, {2026, 11, 23});
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].what == LockChange::What::File);
    CHECK(changes[0].how == LockChange::How::Changed);
    CHECK(changes[0].name == "test.assure");

    // Edit a token of it: the declaration changes too.
    std::string edited = original;
    const auto pass = edited.find("result: pass", at);
    REQUIRE(pass != std::string::npos);
    edited.replace(pass, 12, "result: fail");
    const auto token = lock_of(edited);
    changes = diff(then->lock, token->lock, {2026, 11, 23});
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].what == LockChange::What::File);
    CHECK(changes[1].what == LockChange::What::Declaration);
    CHECK(changes[1].how == LockChange::How::Changed);
    CHECK(changes[1].name == "m.E_fog");
    CHECK(changes[1].kind == "evidence");

    // Edit its title (a string): changed as well.
    std::string retitled = original;
    retitled.replace(retitled.find("\"Fog campaign\""), 14, "\"Fog  campaign\"");
    changes = diff(then->lock, lock_of(retitled)->lock, {2026, 11, 23});
    REQUIRE(changes.size() == 2);
    CHECK(changes[1].name == "m.E_fog");
}
