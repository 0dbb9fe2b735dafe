// SPDX-License-Identifier: Apache-2.0
// Safe file-system access: only regular files are read or hashed (without blocking on a FIFO
// or a device), writes never follow a symlink or replace what assure did not write.
#include "../testing.hpp"
#include "support/safe_fs.hpp"
#include "support/sha256.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using assure::support::BundleFile;
using assure::support::FsError;
using assure::support::FsProblem;
using assure::support::OutputDir;
using assure::support::Protected;

namespace {
using assure::testing::TempDir;

void put(const std::string &path, const std::string &text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
}

std::string get(const std::string &path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("safe_fs: only regular files are read or hashed, and nothing blocks") {
    TempDir tmp;
    put(tmp.at("a.txt"), "abc");
    REQUIRE(::mkfifo(tmp.at("fifo").c_str(), 0600) == 0);
    fs::create_symlink(tmp.at("a.txt"), tmp.at("link"));

    FsError e;
    auto text = assure::support::read_regular_file(tmp.at("a.txt"), 100, true, e);
    REQUIRE(text.has_value());
    CHECK(*text == "abc");
    // Followed when asked to, refused otherwise.
    CHECK(assure::support::read_regular_file(tmp.at("link"), 100, true, e).has_value());
    CHECK_FALSE(assure::support::read_regular_file(tmp.at("link"), 100, false, e).has_value());
    CHECK(e.problem == FsProblem::NotRegular);
    CHECK(e.message == "is a symbolic link");
    // Too large.
    CHECK_FALSE(assure::support::read_regular_file(tmp.at("a.txt"), 2, true, e).has_value());
    CHECK(e.problem == FsProblem::TooLarge);
    // A FIFO with no writer, a device that never ends, a folder: refused at once.
    CHECK_FALSE(assure::support::read_regular_file(tmp.at("fifo"), 100, true, e).has_value());
    CHECK(e.message == "is not a regular file (FIFO)");
    CHECK_FALSE(assure::support::read_regular_file("/dev/zero", 100, true, e).has_value());
    CHECK(e.message == "is not a regular file (character device)");
    CHECK_FALSE(assure::support::read_regular_file(tmp.path.string(), 100, true, e).has_value());
    CHECK(e.message == "is a directory");

    // Hashing: the same rule. /dev/null is not the empty file.
    CHECK(assure::support::sha256_file(tmp.at("a.txt")).hex == assure::support::sha256_hex("abc"));
    for (const char *dev : {"/dev/null", "/dev/zero", "/dev/urandom"}) {
        const auto d = assure::support::sha256_file(dev);
        CHECK_FALSE(d.hex.has_value());
        CHECK(d.error == "is not a regular file (character device)");
    }
    const auto fifo = assure::support::sha256_file(tmp.at("fifo"));
    CHECK_FALSE(fifo.hex.has_value());
    CHECK(fifo.error == "is not a regular file (FIFO)");
    CHECK(assure::support::sha256_file(tmp.at("link")).hex == assure::support::sha256_hex("abc"));
    CHECK(assure::support::sha256_file(tmp.at("nope")).error == "No such file or directory");
}

TEST_CASE("safe_fs: is_within resolves symlinks") {
    TempDir tmp;
    fs::create_directories(tmp.at("case/reports"));
    put(tmp.at("case/reports/r.csv"), "x");
    put(tmp.at("outside.csv"), "y");
    fs::create_symlink(tmp.at("outside.csv"), tmp.at("case/reports/sneaky.csv"));
    CHECK(assure::support::is_within(tmp.at("case/reports/r.csv"), tmp.at("case")));
    CHECK(assure::support::is_within(tmp.at("case/./reports/../reports/r.csv"), tmp.at("case")));
    CHECK_FALSE(assure::support::is_within(tmp.at("case/../outside.csv"), tmp.at("case")));
    CHECK_FALSE(assure::support::is_within(tmp.at("case/reports/sneaky.csv"), tmp.at("case")));
    CHECK_FALSE(assure::support::is_within(tmp.at("case2/x"), tmp.at("case")));
    CHECK(assure::support::is_within(tmp.at("case/missing/x"), tmp.at("case")));
}

TEST_CASE("safe_fs: writes replace regular files only, through a fresh temporary file") {
    TempDir tmp;
    FsError e;
    auto dir = OutputDir::open(tmp.path.string(), false, true, e);
    REQUIRE(dir.has_value());
    const Protected none;

    REQUIRE(dir->write("out.txt", "one", none, e));
    CHECK(get(tmp.at("out.txt")) == "one");
    REQUIRE(dir->write("out.txt", "two", none, e));
    CHECK(get(tmp.at("out.txt")) == "two");
    // Files named like a temporary file of ours are someone else's: untouched.
    put(tmp.at("out.txt.tmp"), "mine");
    REQUIRE(dir->write("out.txt", "three", none, e));
    CHECK(get(tmp.at("out.txt.tmp")) == "mine");
    // Nothing else is left behind.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto &entry : fs::directory_iterator(tmp.path)) {
        ++entries;
    }
    CHECK(entries == 2);

    // A symlink target, even to a file that does not exist yet, is refused and not followed.
    fs::create_symlink(tmp.at("victim"), tmp.at("link.txt"));
    CHECK_FALSE(dir->write("link.txt", "x", none, e));
    CHECK(e.problem == FsProblem::NotRegular);
    CHECK_FALSE(fs::exists(tmp.at("victim")));
    CHECK(fs::is_symlink(tmp.at("link.txt")));
    // A folder or a FIFO in the way.
    fs::create_directory(tmp.at("sub.txt"));
    CHECK_FALSE(dir->write("sub.txt", "x", none, e));
    CHECK(e.problem == FsProblem::NotRegular);
    REQUIRE(::mkfifo(tmp.at("fifo").c_str(), 0600) == 0);
    CHECK_FALSE(dir->write("fifo", "x", none, e));
    CHECK(e.message == "is not a regular file (FIFO)");
    // A sub-folder that is a symlink is not written through.
    fs::create_directory(tmp.at("elsewhere"));
    fs::create_directory_symlink(tmp.at("elsewhere"), tmp.at("obligations"));
    CHECK_FALSE(dir->write("obligations/a.smt2", "x", none, e));
    CHECK(e.problem == FsProblem::NotRegular);
    CHECK(fs::is_empty(tmp.at("elsewhere")));

    // A protected file, under any name (here a hard link), is neither written nor deleted.
    put(tmp.at("case.assure"), "claim");
    fs::create_hard_link(tmp.at("case.assure"), tmp.at("alias.lock"));
    Protected keep;
    keep.add(tmp.at("case.assure"));
    CHECK_FALSE(dir->write("alias.lock", "x", keep, e));
    CHECK(e.problem == FsProblem::Protected);
    CHECK_FALSE(dir->remove("alias.lock", keep, e));
    CHECK(get(tmp.at("case.assure")) == "claim");
    // remove() deletes regular files only.
    CHECK_FALSE(dir->remove("link.txt", none, e));
    CHECK(fs::is_symlink(tmp.at("link.txt")));
    CHECK_FALSE(dir->remove("sub.txt", none, e));
    CHECK(fs::is_directory(tmp.at("sub.txt")));
    CHECK(dir->remove("out.txt", none, e));
    CHECK_FALSE(fs::exists(tmp.at("out.txt")));
    CHECK(dir->remove("never-there", none, e));

    // An output folder given as a symlink is refused when not following.
    CHECK_FALSE(OutputDir::open(tmp.at("obligations"), true, false, e).has_value());
    CHECK(e.problem == FsProblem::NotRegular);
    CHECK_FALSE(assure::support::is_safe_relative("../x"));
    CHECK_FALSE(assure::support::is_safe_relative("/x"));
    CHECK_FALSE(assure::support::is_safe_relative("a/b/c"));
    CHECK_FALSE(assure::support::is_safe_relative("a//b"));
    CHECK(assure::support::is_safe_relative("a/b"));
}

TEST_CASE("safe_fs: a bundle replaces the files it listed and nothing else") {
    TempDir tmp;
    FsError e;
    auto dir = OutputDir::open(tmp.at("trace"), true, false, e);
    REQUIRE(dir.has_value());
    const Protected none;
    std::vector<std::string> manifests;
    auto manifest = [&](const std::vector<std::string> &listed) {
        std::string m;
        for (const auto &l : listed) {
            m += l + "\n";
        }
        manifests.push_back(m);
        return m;
    };
    auto text = [](std::string s) { return [s] { return s; }; };
    const std::vector<BundleFile> first = {{"result.json", text("r1")},
                                           {"obligations/a.smt2", text("a")},
                                           {"rules/x.smt2", text("x")}};
    REQUIRE(assure::support::write_bundle(*dir, "manifest.json", {}, first, manifest, none, e));
    CHECK(get(tmp.at("trace/manifest.json")) == "result.json\nobligations/a.smt2\nrules/x.smt2\n");
    // The user's own files next to and inside the bundle's folders.
    put(tmp.at("trace/notes.txt"), "mine");
    put(tmp.at("trace/obligations/mine.smt2"), "mine");

    const std::vector<std::string> listed = {"result.json", "obligations/a.smt2", "rules/x.smt2",
                                             "../escape.txt", "/etc/passwd"};
    put(tmp.at("escape.txt"), "outside");
    const std::vector<BundleFile> second = {{"result.json", text("r2")},
                                            {"obligations/b.smt2", text("b")}};
    manifests.clear();
    REQUIRE(
        assure::support::write_bundle(*dir, "manifest.json", listed, second, manifest, none, e));
    CHECK(get(tmp.at("trace/result.json")) == "r2");
    CHECK(get(tmp.at("trace/obligations/b.smt2")) == "b");
    CHECK_FALSE(fs::exists(tmp.at("trace/obligations/a.smt2")));
    CHECK_FALSE(fs::exists(tmp.at("trace/rules"))); // left empty: removed
    CHECK(get(tmp.at("trace/notes.txt")) == "mine");
    CHECK(get(tmp.at("trace/obligations/mine.smt2")) == "mine");
    CHECK(get(tmp.at("escape.txt")) == "outside");
    // While it ran, the manifest listed the old and the new files; at the end the new only.
    REQUIRE(manifests.size() == 2);
    CHECK(manifests[0].find("obligations/a.smt2") != std::string::npos);
    CHECK(manifests[0].find("obligations/b.smt2") != std::string::npos);
    CHECK(get(tmp.at("trace/manifest.json")) == "result.json\nobligations/b.smt2\n");

    // A file to write that the manifest does not list is someone else's: nothing is written.
    const std::vector<BundleFile> third = {{"result.json", text("r3")},
                                           {"obligations/mine.smt2", text("ours?")}};
    CHECK_FALSE(assure::support::write_bundle(*dir, "manifest.json", {"result.json"}, third,
                                              manifest, none, e));
    CHECK(e.problem == FsProblem::InTheWay);
    CHECK(get(tmp.at("trace/obligations/mine.smt2")) == "mine");
    CHECK(get(tmp.at("trace/result.json")) == "r2");
    // A listed file that became a symlink: refused before anything is written.
    fs::remove(tmp.at("trace/result.json"));
    fs::create_symlink(tmp.at("escape.txt"), tmp.at("trace/result.json"));
    CHECK_FALSE(assure::support::write_bundle(*dir, "manifest.json", {"result.json"},
                                              {{"result.json", text("r4")}}, manifest, none, e));
    CHECK(e.problem == FsProblem::NotRegular);
    CHECK(get(tmp.at("escape.txt")) == "outside");
    CHECK(get(tmp.at("trace/manifest.json")) == "result.json\nobligations/b.smt2\n");
}

TEST_CASE("safe_fs: replace rewrites a regular file in place of what was read, keeping its mode") {
    TempDir tmp;
    put(tmp.at("case.assure"), "old");
    REQUIRE(::chmod(tmp.at("case.assure").c_str(), 0640) == 0);
    FsError error;
    auto dir = OutputDir::open(tmp.path.string(), /*create=*/false, /*follow=*/true, error);
    REQUIRE(dir.has_value());

    // What is there must still be what was read.
    CHECK_FALSE(dir->replace("case.assure", "older", "new", error));
    CHECK(error.problem == FsProblem::InTheWay);
    CHECK_FALSE(dir->replace("case.assure", "ol", "new", error));
    CHECK(error.problem == FsProblem::InTheWay);
    CHECK(get(tmp.at("case.assure")) == "old");

    REQUIRE(dir->replace("case.assure", "old", "new\r\n", error));
    CHECK(get(tmp.at("case.assure")) == "new\r\n");
    struct stat st {};
    REQUIRE(::stat(tmp.at("case.assure").c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0640);
    // No temporary file is left behind.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto &e : fs::directory_iterator(tmp.path)) {
        ++entries;
    }
    CHECK(entries == 1);

    // A symlink is never written through, nor a folder, a missing or a read-only file.
    fs::create_symlink("case.assure", tmp.at("link.assure"));
    CHECK_FALSE(dir->replace("link.assure", "new\r\n", "x", error));
    CHECK(error.problem == FsProblem::NotRegular);
    CHECK(get(tmp.at("case.assure")) == "new\r\n");
    fs::create_directory(tmp.at("folder"));
    CHECK_FALSE(dir->replace("folder", "", "x", error));
    CHECK(error.problem == FsProblem::NotRegular);
    CHECK_FALSE(dir->replace("missing", "", "x", error));
    CHECK(error.problem == FsProblem::NotFound);
    REQUIRE(::chmod(tmp.at("case.assure").c_str(), 0444) == 0);
    CHECK_FALSE(dir->replace("case.assure", "new\r\n", "x", error));
    CHECK(error.problem == FsProblem::Io);
    CHECK(error.message == "is read-only");
    CHECK(get(tmp.at("case.assure")) == "new\r\n");
}
