// SPDX-License-Identifier: Apache-2.0
#pragma once

// Report files a command writes beside its normal output (`-o report.html`, `--junit FILE`,
// `--sarif FILE`, ...): one rule for all of them, so that no report ever destroys a file the
// user wrote.

#include "cli/driver.hpp"
#include "cli/front.hpp"
#include "support/safe_fs.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace assure::cli {

/// One report file to write.
struct OutputFile {
    std::string path; // as given on the command line
    std::string what; // for messages: "diagram", "HTML report", "JUnit report", ...
    /// Text every file of this kind that assure writes contains within its first 64 KiB (a
    /// generator comment, `"name": "assure"`, ...): an existing file with it, or an empty one,
    /// is assure's earlier output and is replaced; any other file is someone else's and is
    /// refused (E0611) unless `force`.
    std::string_view marker;
    bool force = false;
    /// The whole of a file of this kind that holds nothing, when that form has no room for the
    /// marker (GitLab's `[]`): an existing file that is exactly this is assure's too.
    std::string_view empty_form = {};
    /// For a binary format with no room for a marker (a gzip-compressed packet): whether the
    /// open existing file (its descriptor, read from offset 0 with pread) is one assure wrote.
    /// When set, it decides instead of `marker`.
    std::function<bool(int fd)> recognise = {};
};

/// Writes `content` to `file.path` through a fresh temporary file renamed into place (an
/// interrupted run leaves the old file whole), never through a symbolic link, never over
/// anything but a regular file, never over one of the case's own files (`keep`, even with
/// force). Returns nullopt when written, else reports why not on `err` and returns the exit
/// code (2: the command line named an output assure refuses to, or cannot, write).
std::optional<ExitCode> write_output(const OutputFile &file, std::string_view content,
                                     const support::Protected &keep, const CheckOptions &options,
                                     std::ostream &err);

/// The case's own files (its inputs and artifacts): what no output may replace.
support::Protected protected_files(const FrontEnd &fe);

} // namespace assure::cli
