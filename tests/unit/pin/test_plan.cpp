// SPDX-License-Identifier: Apache-2.0
#include "../testing.hpp"
#include "pin/plan.hpp"

#include <map>
#include <string>

namespace {

using assure::pin::Plan;
using assure::support::Code;
using assure::support::FileDigest;
using assure::support::FileIdentity;
using assure::support::FsProblem;

const std::string kHexA(64, 'a');
const std::string kHexB = std::string(32, '0') + std::string(32, 'b');

/// A file system of named digests: a path not listed does not exist.
struct FakeFs {
    std::map<std::string, FileDigest> files;
    std::map<std::string, FileIdentity> ids;
    std::vector<std::string> hashed;

    void file(const std::string &path, const std::string &hex) { files[path].hex = hex; }
    void special(const std::string &path, const std::string &message) {
        files[path] = FileDigest{std::nullopt, message, FsProblem::NotRegular};
    }
    assure::pin::PinEnv env() {
        assure::pin::PinEnv e;
        e.digest = [this](const std::string &path) {
            hashed.push_back(path);
            const auto it = files.find(path);
            return it != files.end()
                       ? it->second
                       : FileDigest{std::nullopt, "No such file or directory", FsProblem::NotFound};
        };
        e.identity = [this](const std::string &path) -> std::optional<FileIdentity> {
            const auto it = ids.find(path);
            if (it != ids.end()) {
                return it->second;
            }
            return FileIdentity{1, std::hash<std::string>{}(path)};
        };
        return e;
    }
};

struct Pinned {
    assure::testing::Checked checked;
    assure::support::Diagnostics diags;
    Plan plan;
    /// The text of file `file` with the plan's edits applied.
    std::string edited(assure::support::FileId file) const {
        for (const auto &fc : plan.files) {
            if (fc.file == file) {
                return assure::pin::apply_edits(checked.sources->raw_text(file), fc.edits);
            }
        }
        return std::string(checked.sources->raw_text(file));
    }
};

Pinned pin_files(const std::vector<std::pair<std::string, std::string>> &files, FakeFs &fs) {
    Pinned p;
    p.checked = assure::testing::check_files(files);
    REQUIRE(!p.checked.diags.has_errors());
    p.plan = assure::pin::plan_pins(p.checked.program, *p.checked.sources, fs.env(), p.diags);
    p.diags.sort_and_dedupe();
    return p;
}

Pinned pin_text(const std::string &text, FakeFs &fs) {
    return pin_files({{"c.assure", text}}, fs);
}

/// The recorded hash of every artifact of `text`, checked again.
std::vector<std::string> hashes_of(const std::string &text) {
    auto again = assure::testing::check_files({{"c.assure", text}});
    REQUIRE(!again.diags.has_errors());
    std::vector<std::string> out;
    for (const auto &art : again.program.artifacts) {
        out.push_back(art.sha256);
    }
    return out;
}

} // namespace

TEST_CASE("pin: a hash is added right after the path string, before a trailing comment") {
    FakeFs fs;
    fs.file("r/a.json", kHexA);
    const std::string text = "module m\nartifact a \"r/a.json\" // the report\n"
                             "claim G \"g\" { undeveloped }\n";
    auto p = pin_text(text, fs);
    CHECK(p.diags.all().empty());
    CHECK(p.plan.artifacts == 1);
    CHECK(p.plan.added == 1);
    REQUIRE(p.plan.files.size() == 1);
    CHECK(p.edited(p.plan.files[0].file) == "module m\nartifact a \"r/a.json\" sha256 \"" + kHexA +
                                                "\" // the report\n"
                                                "claim G \"g\" { undeveloped }\n");
    CHECK(hashes_of(p.edited(0)) == std::vector<std::string>{kHexA});
}

TEST_CASE("pin: declarations over several lines, in pieces, and several on one line") {
    FakeFs fs;
    fs.file("r/a.json", kHexA);
    fs.file("r/b.csv", kHexB);
    const std::string text = "module m\r\nartifact a\r\n    \"r/\" // folder\r\n    \"a.json\"\r\n"
                             "artifact b \"r/b.csv\" artifact c \"r/a.json\" /* c */\r\n"
                             "claim G \"g\" { undeveloped }\r\n";
    auto p = pin_text(text, fs);
    CHECK(p.plan.added == 3);
    const std::string sa = " sha256 \"" + kHexA + "\"";
    const std::string sb = " sha256 \"" + kHexB + "\"";
    CHECK(p.edited(0) == "module m\r\nartifact a\r\n    \"r/\" // folder\r\n    \"a.json\"" + sa +
                             "\r\nartifact b \"r/b.csv\"" + sb + " artifact c \"r/a.json\"" + sa +
                             " /* c */\r\nclaim G \"g\" { undeveloped }\r\n");
    CHECK(hashes_of(p.edited(0)) == std::vector<std::string>{kHexA, kHexB, kHexA});
    // Each distinct file is hashed once.
    CHECK(fs.hashed.size() == 2);
}

TEST_CASE("pin: a current hash in upper case is left alone; a stale one has its string replaced") {
    FakeFs fs;
    fs.file("a", kHexA);
    fs.file("b", kHexB);
    std::string upper_a = kHexA;
    for (char &ch : upper_a) {
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    const std::string text = "\xEF\xBB\xBFmodule m\nartifact a \"a\" sha256 \"" + upper_a +
                             "\"\nartifact b \"b\"\n  sha256 \"" + upper_a +
                             "\" // stale\nclaim G \"g\" { undeveloped }\n";
    auto p = pin_text(text, fs);
    CHECK(p.plan.current == 1);
    CHECK(p.plan.replaced == 1);
    CHECK(p.plan.added == 0);
    CHECK(p.edited(0) == "\xEF\xBB\xBFmodule m\nartifact a \"a\" sha256 \"" + upper_a +
                             "\"\nartifact b \"b\"\n  sha256 \"" + kHexB +
                             "\" // stale\nclaim G \"g\" { undeveloped }\n");
}

TEST_CASE("pin: a stale hash written in pieces becomes one string") {
    FakeFs fs;
    fs.file("b", kHexB);
    const std::string text = "module m\nartifact b \"b\" sha256 \"" + kHexA.substr(0, 32) +
                             "\"\n    \"" + kHexA.substr(32) +
                             "\"\nclaim G \"g\" { undeveloped }\n";
    auto p = pin_text(text, fs);
    CHECK(p.plan.replaced == 1);
    CHECK(p.edited(0) ==
          "module m\nartifact b \"b\" sha256 \"" + kHexB + "\"\nclaim G \"g\" { undeveloped }\n");
}

TEST_CASE("pin: escapes in the path are read as the path, and the hash follows the string") {
    FakeFs fs;
    fs.file("r/\"q\"\\x.json", kHexA);
    const std::string text =
        "module m\nartifact q \"r/\\\"q\\\"\\\\x.json\"\nclaim G \"g\" { undeveloped }\n";
    auto p = pin_text(text, fs);
    CHECK(p.diags.all().empty());
    CHECK(p.edited(0) == "module m\nartifact q \"r/\\\"q\\\"\\\\x.json\" sha256 \"" + kHexA +
                             "\"\nclaim G \"g\" { undeveloped }\n");
}

TEST_CASE("pin: an artifact path is relative to the folder of the file declaring it") {
    FakeFs fs;
    fs.file("sub/r/a.json", kHexA);
    auto p =
        pin_files({{"top.assure", "module top\nimport sub.lib\nclaim G \"g\" { undeveloped }\n"},
                   {"sub/lib.assure", "module sub.lib\nartifact a \"r/../r/a.json\"\n"}},
                  fs);
    CHECK(p.diags.all().empty());
    REQUIRE(p.plan.files.size() == 1);
    CHECK(p.checked.sources->display_name(p.plan.files[0].file) == "sub/lib.assure");
}

TEST_CASE("pin: a missing file, a folder, a FIFO are reported and not guessed") {
    FakeFs fs;
    fs.file("ok", kHexA);
    fs.special("dir", "is a directory");
    fs.special("fifo", "is not a regular file (FIFO)");
    const std::string text = "module m\nartifact a \"ok\"\nartifact b \"missing\" sha256 \"" +
                             kHexB +
                             "\"\nartifact c \"dir\"\nartifact d \"fifo\"\n"
                             "claim G \"g\" { undeveloped }\n";
    auto p = pin_text(text, fs);
    CHECK(p.plan.added == 1);
    CHECK(p.plan.refused == 3);
    REQUIRE(p.diags.all().size() == 3);
    for (const auto &d : p.diags.all()) {
        CHECK(d.code == Code::E0615);
    }
    CHECK(p.checked.text_of(p.diags.all()[0].span) == "\"missing\"");
    CHECK(p.diags.all()[0].label == "no such file");
    CHECK(p.checked.text_of(p.diags.all()[1].span) == "\"dir\"");
    CHECK(p.diags.all()[2].message.find("FIFO") != std::string::npos);
    // Only the artifact that could be hashed is written.
    REQUIRE(p.plan.files.size() == 1);
    CHECK(p.plan.files[0].edits.size() == 1);
}

TEST_CASE("pin: an artifact declared in a pattern is refused once, unless every instance is "
          "current") {
    const std::string pattern = "module m\npattern P(Parent: claim, F: text) {\n"
                                "    artifact rep \"{F}\"\n"
                                "    evidence E \"e\" { result: pass artifacts: rep }\n"
                                "    strategy S \"s\" for Parent { supported_by: E }\n}\n"
                                "claim G \"g\" { }\n"
                                "instance one = P(G, \"a\")\ninstance two = P(G, \"b\")\n";
    FakeFs fs;
    fs.file("a", kHexA);
    fs.file("b", kHexB);
    auto p = pin_text(pattern, fs);
    CHECK(p.plan.files.empty());
    CHECK(p.plan.refused == 2);
    REQUIRE(p.diags.all().size() == 1);
    CHECK(p.diags.all()[0].code == Code::E0616);
    CHECK(p.diags.all()[0].message.find("`rep` of pattern `m.P`") != std::string::npos);

    // The hash written into the pattern by hand, right for both instances: nothing to do.
    FakeFs same;
    same.file("a", kHexA);
    same.file("b", kHexA);
    std::string pinned = pattern;
    pinned.replace(pinned.find("\"{F}\""), 5, "\"{F}\" sha256 \"" + kHexA + "\"");
    auto q = pin_text(pinned, same);
    CHECK(q.diags.all().empty());
    CHECK(q.plan.current == 2);
    CHECK(q.plan.files.empty());
}

TEST_CASE("pin: an artifact that is a case file pin rewrites is refused") {
    FakeFs fs;
    fs.file("c.assure", kHexA);
    fs.file("r", kHexB);
    // The case file pins itself: any hash written changes it.
    auto self = pin_text("module m\nartifact me \"c.assure\"\nclaim G \"g\" { undeveloped }\n", fs);
    CHECK(self.plan.files.empty());
    REQUIRE(self.diags.all().size() == 1);
    CHECK(self.diags.all()[0].code == Code::E0615);
    CHECK(self.diags.all()[0].label == "the file declaring this artifact");

    // One file pins the other, which is rewritten by the same run: that hash would be stale.
    FakeFs two;
    two.file("lib.assure", kHexA);
    two.file("r", kHexB);
    auto p =
        pin_files({{"top.assure", "module top\nimport lib\nartifact l \"lib.assure\" sha256 \"" +
                                      kHexA + "\"\nclaim G \"g\" { undeveloped }\n"},
                   {"lib.assure", "module lib\nartifact r \"r\"\n"}},
                  two);
    CHECK(p.plan.added == 1); // lib's artifact
    CHECK(p.plan.refused == 1);
    REQUIRE(p.plan.files.size() == 1);
    CHECK(p.checked.sources->display_name(p.plan.files[0].file) == "lib.assure");
    REQUIRE(p.diags.all().size() == 1);
    CHECK(p.diags.all()[0].label == "a case file pin rewrites");
}

TEST_CASE("pin: the standard library's artifacts are not the user's to pin") {
    FakeFs fs;
    fs.file("r", kHexA);
    auto checked = assure::testing::check_files(
        {{"top.assure", "module top\nimport lib\nclaim G \"g\" { undeveloped }\n"},
         {"lib.assure", "module lib\nartifact r \"r\"\n"}});
    REQUIRE(!checked.diags.has_errors());
    assure::support::Diagnostics diags;
    const auto before = assure::pin::plan_pins(checked.program, *checked.sources, fs.env(), diags);
    CHECK(before.artifacts == 1);
    CHECK(before.added == 1);
    for (auto &mod : checked.program.modules) {
        mod.is_stdlib = mod.is_stdlib || mod.name == "lib"; // as if found in the library folder
    }
    fs.hashed.clear();
    const auto after = assure::pin::plan_pins(checked.program, *checked.sources, fs.env(), diags);
    CHECK(after.artifacts == 0);
    CHECK(after.files.empty());
    CHECK(fs.hashed.empty());
}
