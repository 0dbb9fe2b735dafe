// SPDX-License-Identifier: Apache-2.0
#pragma once

// The git commit a case is at, for a run's `git_commit` (docs/history.md).

#include <string>
#include <vector>

namespace assure::history {

/// The commit (full hex) of HEAD in the repository holding `files[0]` (the case's first file),
/// with "+dirty" appended when one of `files` differs from it or is not tracked; "" when git
/// is not installed, the file is in no repository, or git fails (within 10 s).
std::string git_commit(const std::vector<std::string> &files);

} // namespace assure::history
