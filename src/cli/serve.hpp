// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure serve` (docs/serve.md): the case held in memory, judged again after every event and
// when the date passes an evidence date, each event and run appended to the history; an HTTP
// API on loopback by default.

#include "cli/driver.hpp"

#include <iosfwd>
#include <string>

namespace assure::cli {

struct ServeOptions {
    ProveOptions prove;                    // the case files and proof options
    std::string db;                        // --db: the history (a file or a postgresql:// URL)
    std::string listen = "127.0.0.1:8417"; // --listen HOST:PORT (port 0: any free port)
    std::string token_file;                // --token-file: the writers' bearer token
    std::string readers = "open";          // --readers open|token
};

/// Serves until SIGINT or SIGTERM (exit 0). Exit 1: the case has errors; 2: a bad option, a
/// token file or history that cannot be used, another service holds the history (E0805), or
/// the address cannot be listened on (E0822).
ExitCode run_serve(ServeOptions &options, std::ostream &out, std::ostream &err);

} // namespace assure::cli
