// SPDX-License-Identifier: Apache-2.0
// Where assure looks for its standard library (docs/install.md): --stdlib, $ASSURE_STDLIB,
// then relative to the executable (installed layout, then a build tree's link).
#include "../testing.hpp"
#include "cli/stdlib_location.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using assure::cli::installed_stdlib_relative;
using assure::cli::locate_stdlib;

namespace {
using assure::testing::TempDir;

bool mentions(const std::vector<std::string> &searched, const std::string &text) {
    for (const auto &s : searched) {
        if (s.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST_CASE("stdlib: the installed place is relative to the executable's folder") {
    const fs::path rel(installed_stdlib_relative());
    CHECK(rel.is_relative());
    CHECK(rel.filename() == "stdlib");
    CHECK(rel.parent_path().filename() == "assure");
}

TEST_CASE("stdlib: --stdlib, then $ASSURE_STDLIB, are used as given") {
    TempDir tmp;
    const fs::path exe_dir = tmp.path / "bin";
    fs::create_directories(exe_dir / installed_stdlib_relative());
    auto loc = locate_stdlib("opt", "env", exe_dir);
    CHECK(loc.dir == "opt");
    CHECK(loc.source == "--stdlib");
    loc = locate_stdlib("", "env", exe_dir);
    CHECK(loc.dir == "env");
    CHECK(loc.source == "$ASSURE_STDLIB");
    // Not folders: still chosen (no silent fallback), and the note says where it came from.
    REQUIRE(loc.searched.size() == 1);
    CHECK(loc.searched[0].find("`env` (given by $ASSURE_STDLIB)") != std::string::npos);
    // An empty environment variable counts as unset.
    loc = locate_stdlib("", "", exe_dir);
    CHECK(loc.dir == (exe_dir / installed_stdlib_relative()).lexically_normal().string());
}

TEST_CASE("stdlib: beside the executable, the installed layout before a build tree's link") {
    TempDir tmp;
    const fs::path exe_dir = tmp.path / "prefix" / "bin";
    const fs::path installed = (exe_dir / installed_stdlib_relative()).lexically_normal();
    fs::create_directories(exe_dir / "stdlib");
    auto loc = locate_stdlib("", nullptr, exe_dir);
    CHECK(loc.dir == (exe_dir / "stdlib").string());
    fs::create_directories(installed);
    loc = locate_stdlib("", nullptr, exe_dir);
    CHECK(loc.dir == installed.string());
    CHECK(loc.dir.find("..") == std::string::npos);
}

TEST_CASE("stdlib: none found names every place searched") {
    TempDir tmp;
    const fs::path exe_dir = tmp.path / "bin";
    fs::create_directories(exe_dir);
    // A file where the folder should be is not a standard library.
    std::FILE *f = std::fopen((exe_dir / "stdlib").c_str(), "w");
    REQUIRE(f != nullptr);
    std::fclose(f);
    auto loc = locate_stdlib("", nullptr, exe_dir);
    CHECK(loc.dir.empty());
    REQUIRE(loc.searched.size() == 3);
    CHECK(mentions(loc.searched, "$ASSURE_STDLIB"));
    CHECK(
        mentions(loc.searched,
                 "`" + (exe_dir / installed_stdlib_relative()).lexically_normal().string() + "`"));
    CHECK(mentions(loc.searched, "`" + (exe_dir / "stdlib").string() + "`"));

    loc = locate_stdlib("", nullptr, fs::path());
    CHECK(loc.dir.empty());
    REQUIRE(loc.searched.size() == 1);
    CHECK(mentions(loc.searched, "/proc/self/exe"));
}

TEST_CASE("stdlib: the executable's folder is absolute") {
    const fs::path dir = assure::cli::executable_dir();
    REQUIRE_FALSE(dir.empty());
    CHECK(dir.is_absolute());
    CHECK(fs::is_directory(dir));
}
