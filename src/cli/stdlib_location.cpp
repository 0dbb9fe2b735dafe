// SPDX-License-Identifier: Apache-2.0
#include "cli/stdlib_location.hpp"

#include <cstdlib>
#include <system_error>

namespace assure::cli {

namespace fs = std::filesystem;

std::string_view installed_stdlib_relative() {
    return ASSURE_INSTALLED_STDLIB_RELATIVE;
}

StdlibLocation locate_stdlib(std::string_view option, const char *env, const fs::path &exe_dir) {
    StdlibLocation loc;
    // An explicit choice is used as given, even when it is not a folder: falling back to
    // another standard library would silently prove against different definitions.
    if (!option.empty()) {
        loc.dir = std::string(option);
        loc.source = "--stdlib";
        loc.searched.push_back("`" + loc.dir + "` (given by --stdlib) is not a folder");
        return loc;
    }
    if (env != nullptr && *env != '\0') {
        loc.dir = env;
        loc.source = "$ASSURE_STDLIB";
        loc.searched.push_back("`" + loc.dir + "` (given by $ASSURE_STDLIB) is not a folder");
        return loc;
    }
    if (exe_dir.empty()) {
        loc.searched.push_back("--stdlib and $ASSURE_STDLIB are not set, and the folder of the "
                               "assure executable is unknown (/proc/self/exe is unreadable)");
        return loc;
    }
    loc.searched.push_back("--stdlib and $ASSURE_STDLIB are not set");
    const struct {
        fs::path dir;
        const char *what;
    } beside_exe[] = {
        {(exe_dir / fs::path(installed_stdlib_relative())).lexically_normal(),
         "where an installed assure keeps it"},
        {(exe_dir / "stdlib").lexically_normal(), "where a build tree links it"},
    };
    for (const auto &cand : beside_exe) {
        std::error_code ec;
        if (fs::is_directory(cand.dir, ec)) {
            loc.dir = cand.dir.string();
            loc.source = cand.what;
            return loc;
        }
        loc.searched.push_back("looked in `" + cand.dir.string() + "` (" + cand.what +
                               "): no such folder");
    }
    return loc;
}

StdlibLocation find_stdlib(std::string_view option) {
    return locate_stdlib(option, std::getenv("ASSURE_STDLIB"), executable_dir());
}

fs::path executable_dir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec || !exe.is_absolute()) {
        return {};
    }
    return exe.parent_path();
}

} // namespace assure::cli
