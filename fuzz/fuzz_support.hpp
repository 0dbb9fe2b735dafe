// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the libFuzzer targets share: a cheap input hash for sampling, a private scratch folder,
// the fixed case of fuzz/fixture, and the command-line entry points called in-process with
// small solver limits. Only the fuzz targets include this.

#include "cli/driver.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace assure::fuzz {

namespace fs = std::filesystem;

/// FNV-1a: the same input always takes the same sampled paths, so a crash reproduces.
inline std::uint64_t input_hash(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (const char c : text) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    return h;
}

/// A folder of its own under $TMPDIR (or /tmp) for the life of the process; removed at exit.
/// The path is never destroyed, so the exit handler cannot outlive it.
inline const fs::path &scratch() {
    static const fs::path *dir = [] {
        const char *tmp = std::getenv("TMPDIR");
        std::string pattern =
            std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/assure-fuzz-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            std::perror("assure fuzz: mkdtemp");
            std::abort();
        }
        return new fs::path(pattern);
    }();
    static const bool cleanup = std::atexit([] {
                                    std::error_code ec;
                                    fs::remove_all(*dir, ec);
                                }) == 0;
    (void)cleanup;
    return *dir;
}

inline void write_file(const fs::path &path, std::string_view text) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
}

inline std::string read_file(const fs::path &path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/// Copies fuzz/fixture (the fixed case and its artifacts) into `dir`; returns the case's path.
inline fs::path install_fixture(const fs::path &dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    for (const auto &entry : fs::directory_iterator(fs::path(ASSURE_SOURCE_DIR) / "fuzz/fixture")) {
        fs::copy_file(entry.path(), dir / entry.path().filename(),
                      fs::copy_options::overwrite_existing, ec);
        if (ec) {
            std::fprintf(stderr, "assure fuzz: cannot copy %s: %s\n", entry.path().c_str(),
                         ec.message().c_str());
            std::abort();
        }
    }
    return dir / "case.assure";
}

/// Options for a proof command on `file`: a fixed date, the source tree's stdlib, and solver
/// limits small enough that no input can make one query run long.
inline cli::ProveOptions prove_options(const fs::path &file) {
    cli::ProveOptions o;
    o.common.files = {file.string()};
    o.common.stdlib_dir = std::string(ASSURE_SOURCE_DIR) + "/stdlib";
    o.common.at = "2026-06-15";
    o.timeout_ms = 2000;
    o.rlimit = 200000;
    return o;
}

/// The exit code a command may give on any input: everything but an internal error.
inline void require_no_internal_error(cli::ExitCode code, const char *what,
                                      const std::string &err) {
    if (code == cli::ExitCode::Internal) {
        std::fprintf(stderr, "assure fuzz: %s reported an internal error:\n%s\n", what,
                     err.c_str());
        std::abort();
    }
}

} // namespace assure::fuzz
