// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "prove/prove.hpp"

#include <string>
#include <vector>

namespace assure::prove {

/// The largest artifact values are read from: a larger one makes each read from it fail
/// ("too large") rather than fill memory.
inline constexpr std::uint64_t kMaxReadBytes = 256ull << 20;

/// Every value of `program.reads`, read from the artifacts whose check is Verified (`disk`:
/// each artifact's path on disk, by artifact index). Each file is read once (however many
/// artifacts name it) and hashed again; values are selected from bytes whose SHA-256 is the
/// verified one, or not at all. Files are read on up to two threads when `lanes` > 1, each
/// dropped once its values are read (memory: one file per thread); the outcomes do not depend
/// on the threads. Rethrows what a thread threw (out of memory).
/// With `only` (by artifact index), only the reads of the artifacts it marks are made; the
/// others are left NotRead. `context` carries the date judged at (monitor logs are read
/// relative to it).
std::vector<ReadOutcome> read_values(const sema::Program &program,
                                     const std::vector<std::string> &disk,
                                     const std::vector<ArtifactCheck> &checks, unsigned lanes,
                                     const artifacts::ReadContext &context,
                                     const std::vector<std::uint8_t> *only = nullptr);

} // namespace assure::prove
