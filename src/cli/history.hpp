// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure history` and the `--record DB` option of prove and impact (docs/history.md).

#include "cli/driver.hpp"
#include "cli/front.hpp"
#include "history/store.hpp"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace assure::prove {
struct ProofResult;
}
namespace assure::impact {
struct Plan;
}
namespace assure::report {
struct ProofMeta;
}
namespace assure::support {
class Protected;
}

namespace assure::cli {

struct HistoryOptions {
    std::string db;
    std::string format = "text"; // text | json
    bool verify = false;
    std::string diagnostics_format = "text";
};

/// Runs `assure history`: lists the runs of `options.db` and what changed between consecutive
/// ones, or with `verify` recomputes the hash chain. Exit: 0; 1 the database is not a history
/// this assure can read (E0801-E0803); 6 --verify found the chain broken (E0804).
ExitCode run_history(const HistoryOptions &options, std::ostream &out, std::ostream &err);

/// Why the history `location` (--record, --db) may not be used ("" when it may). A file path:
/// a symbolic link or anything but a regular file is refused, as is one of `keep` (the case's
/// own files; nullptr: none); a missing file is fine when `may_create`. A `postgresql://` URL
/// names no file here and is always fine (the store refuses what it must when it connects).
std::string history_location_problem(const std::string &location, bool may_create,
                                     const support::Protected *keep);

/// Opens the history `db` read-only and loads its entries as stored (`assure history`, `kpi`,
/// `report --history`). A file path must name an existing regular file that is not a symbolic
/// link; a `postgresql://` URL goes to the store as it is. False with the diagnostic (E0801-E0803)
/// added to `ad` when the history cannot be read.
bool load_history(const std::string &db, ArgDiags &ad, std::vector<history::Entry> &entries,
                  std::int64_t &head_count, std::string &head_hash);

/// The environment variable that fixes the time a run is recorded at ("YYYY-MM-DDTHH:MM:SSZ"),
/// for tests only.
inline constexpr const char *kHistoryNowVariable = "ASSURE_HISTORY_NOW";

/// prove/impact --record: appends one run (the proof `result` of the case `fe` as judged) to the
/// history `options.record`. `command` is "prove" or "impact". Returns nullopt when recorded
/// (or when no --record was given), else reports why not on `err` and returns exit code 2.
/// `plan` (impact only): the re-verification plan, recorded with the run.
std::optional<ExitCode> record_run(const ProveOptions &options, const FrontEnd &fe,
                                   const prove::ProofResult &result, const report::ProofMeta &meta,
                                   const char *command, std::ostream &err,
                                   const impact::Plan *plan = nullptr);

/// The diagnostic code of a history store failure (E0801-E0803, E0805).
support::Code history_code(history::StoreError::Kind kind);

/// Opens the history at `location` for appending, after the checks every history path gets
/// (a file: not a symbolic link, a regular file if it exists; a `postgresql://` URL: none);
/// nullptr with `error` set when refused.
std::unique_ptr<history::Store> open_history_for_writing(const std::string &location,
                                                         history::StoreError &error);

} // namespace assure::cli
