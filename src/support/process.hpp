// SPDX-License-Identifier: Apache-2.0
#pragma once

// Running another program (a solver for `verify`, git for a run's commit): no shell, stdin
// from /dev/null, stdout and stderr captured together, a time limit.

#include <cstddef>
#include <string>
#include <vector>

namespace assure::support {

/// What a process printed (stdout and stderr, up to a limit), its wait status, or that it
/// timed out (then it was killed) or could not be started.
struct Output {
    std::string text;
    bool timed_out = false;
    int status = 0;
    std::string spawn_error;
};

/// Runs `program` (a path) with `args`, for at most `timeout_ms`; keeps at most `max_output`
/// bytes of what it prints (reading the rest, so it never blocks).
Output run_process(const std::string &program, const std::vector<std::string> &args,
                   unsigned timeout_ms, std::size_t max_output);

/// `name` found on $PATH as an executable regular file; empty when it is not there.
std::string find_on_path(const std::string &name);

} // namespace assure::support
