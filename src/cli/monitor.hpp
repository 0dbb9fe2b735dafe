// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure monitor` (docs/monitor.md): runtime records checked against the proved case.

#include "cli/driver.hpp"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

namespace assure::monitor {
class Monitor;
struct Record;
struct Verdict;
} // namespace assure::monitor

namespace assure::cli {

/// Called with every judged record, nominal ones included, in input order: the seam for a
/// verdict log (monitor::verdict_json renders the line it would store).
using VerdictSink = std::function<void(const monitor::Monitor &, const monitor::Record &,
                                       const monitor::Verdict &)>;

struct MonitorOptions {
    ProveOptions prove;          // the case's files and the proof's options (--at, --timeout, ...)
    std::string input;           // --input FILE, or "-" for stdin
    std::string mapping;         // --mapping FILE ("" = keys name variables)
    std::string domain;          // --domain NAME ("" = the mapping's, else the default)
    std::string odd;             // --odd NAME ("" = the mapping's, else the domain's only odd)
    std::string format = "text"; // text | json
    std::string fail_on;         // "" | violation | unassured
    bool strict = false;         // a bad record fails the run
    bool all = false;            // print nominal records too
    VerdictSink sink;            // optional
    // The verdict log (docs/monitor-log.md): every judged record's verdict appended to a
    // hash-chained log.
    std::string log;                       // --log FILE
    std::string sign_key;                  // --sign-key KEY: checkpoints signed (packet key)
    std::uint64_t checkpoint_every = 1000; // --checkpoint-every N
    bool log_sync_entry = false;           // --log-sync entry: flushed after every verdict
    bool repair_log = false;               // --repair-log: cut a torn last line (recorded)
    // Telling `assure serve` (docs/monitor.md, "Runtime results feed the argument"): after a
    // record that violates a claim, and at the end, the log's new digest is posted as an event
    // on the artifact the case reads the log as.
    std::string notify;       // --notify URL of an assure serve
    std::string token_file;   // --token-file: its writers' bearer token
    std::string log_artifact; // --log-artifact NAME: the case's artifact for the log
};

/// Runs `assure monitor`: proves the case once, then judges each record of the input, printing
/// one line per record that is not nominal and a summary. Exit: 0 done (and nothing --fail-on
/// names happened), 1 the case has errors or (--strict) a bad record, 2 a bad command line
/// (options, an unreadable input or mapping, no domain to monitor: E0830-E0832), 3 (--fail-on)
/// nothing failed but some record left a statement undecided, 5 (--fail-on) a record violated
/// a claim (unassured: or was outside the ODD or unassured).
ExitCode run_monitor(const MonitorOptions &options, std::ostream &out, std::ostream &err);

} // namespace assure::cli
