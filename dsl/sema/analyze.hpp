// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/loader.hpp"
#include "dsl/sema/program.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <optional>
#include <string>

namespace assure::sema {

/// Binds every name of the loaded case to its declaration, checks fields, kinds and the types
/// of every expression, and warns about unreferenced elements.
/// Consumes `loaded`: the body of each declaration (its fields, an odd's condition) is freed as
/// soon as it is resolved, so a large case never holds its whole syntax tree and its whole
/// program at once; when it returns, every module's declarations and imports are gone (module
/// names and files stay). Print the AST (--dump=ast) before calling this.
/// Reports E01xx (dates), E02xx, E03xx, W01xx to `diags`. Returns the program even when errors
/// were reported (with invalid ids where resolution failed) so the caller can decide what to
/// run next; `diags.has_errors()` tells whether it is usable for reasoning.
Program analyze(dsl::LoadedCase &loaded, const support::SourceManager &sources,
                support::Diagnostics &diags);

/// Warns (W0102) about odd regions, claim scopes and metric regions that are empty for a reason
/// visible without a solver: the top-level conditions on one variable cannot all hold. Reads
/// `program` only, so it may run on another thread while the graph is built.
void check_empty_regions(const Program &program, support::Diagnostics &diags);

/// W0107 for evidence of the user's modules whose `date:` is after `judged_at` (`check --at`, or
/// today): `prove` finds such evidence not yet valid.
void check_evidence_dates(const Program &program, const Date &judged_at,
                          support::Diagnostics &diags);

/// Where the artifact `art` is on disk: its path taken relative to the folder of the file of
/// the module declaring it, lexically normalised (symlinks are not resolved). What `prove`
/// hashes, `lock` records and `pin` pins.
std::string artifact_disk_path(const Program &program, const support::SourceManager &sources,
                               const ArtifactInfo &art);

} // namespace assure::sema
