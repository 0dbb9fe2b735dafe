// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace assure::cli {

/// The standard library folder `import std.*` resolves in, and how it was chosen.
struct StdlibLocation {
    std::string dir; // the folder to use; empty when none was found
    /// Each place considered, in the order tried, as a sentence for a diagnostic note (only
    /// shown when the folder turns out to be missing). Never empty.
    std::vector<std::string> searched;
    std::string source; // how `dir` was chosen ("--stdlib", ...); empty when none was found
};

/// Where an installed assure keeps its standard library, relative to the folder of its
/// executable: `../share/assure/stdlib` with the default GNUInstallDirs layout.
std::string_view installed_stdlib_relative();

/// Finds the standard library (docs/install.md, "How assure finds its standard library"):
///  1. `option` (--stdlib) when non-empty, taken as given;
///  2. else `env` ($ASSURE_STDLIB) when non-null and non-empty, taken as given;
///  3. else `<exe_dir>/<installed_stdlib_relative()>` if it is a folder (an installed assure);
///  4. else `<exe_dir>/stdlib` if it is a folder (a build tree: CMake links it to the
///     clone's `stdlib/`; also a binary unpacked next to a copy of `stdlib/`).
/// An empty `exe_dir` (the executable's path is unknown) skips 3 and 4. Nothing is compiled
/// in, so a moved or installed assure never reads the tree it was built from. Reads only the
/// file system; deterministic for a given file system.
StdlibLocation locate_stdlib(std::string_view option, const char *env,
                             const std::filesystem::path &exe_dir);

/// The standard library this process uses: locate_stdlib(option, $ASSURE_STDLIB,
/// executable_dir()).
StdlibLocation find_stdlib(std::string_view option);

/// The folder holding the running executable (from /proc/self/exe, symbolic links resolved),
/// or an empty path when it cannot be read.
std::filesystem::path executable_dir();

} // namespace assure::cli
