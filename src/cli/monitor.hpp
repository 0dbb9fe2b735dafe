// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure monitor` (docs/monitor.md): runtime records checked against the proved case.

#include "cli/driver.hpp"

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
};

/// Runs `assure monitor`: proves the case once, then judges each record of the input, printing
/// one line per record that is not nominal and a summary. Exit: 0 done (and nothing --fail-on
/// names happened), 1 the case has errors or (--strict) a bad record, 2 a bad command line
/// (options, an unreadable input or mapping, no domain to monitor: E0830-E0832), 3 (--fail-on)
/// nothing failed but some record left a statement undecided, 5 (--fail-on) a record violated
/// a claim (unassured: or was outside the ODD or unassured).
ExitCode run_monitor(const MonitorOptions &options, std::ostream &out, std::ostream &err);

} // namespace assure::cli
