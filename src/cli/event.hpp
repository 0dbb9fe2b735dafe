// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure event` (docs/serve.md, "assure event"): posts an event to `assure serve`, or with
// --db applies it to a history directly (the case re-judged and the run recorded).

#include "cli/driver.hpp"

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace assure::cli {

struct EventOptions {
    ProveOptions prove;            // the case files (with --db) and proof options
    std::vector<std::string> args; // SPEC... and (with --db) CASE...: split by run_event
    std::string db;                // --db: the history, written directly
    std::string server;            // --server URL of an assure serve
    std::string token_file;        // --token-file: the bearer token for --server
    std::string note;              // --note: free text recorded with the event
    std::string case_version;      // --case-version: the case digest the event is for
    std::string format = "text";   // text | json
};

/// Exit: as prove on the case after the event (0, 3, 5); 1 the case has errors (or a reload
/// found errors: E0819); 2 a bad command line, an event refused (E0815-E0818) or a history or
/// service that cannot be used (E0801-E0805, E0820-E0823).
ExitCode run_event(EventOptions &options, std::ostream &out, std::ostream &err);

/// Whether `--at` (given to `event` or `serve`, which judge at today's date) may stand: not
/// given, or naming today's date (UTC, as now_unix gives it). Otherwise false with `error`: the
/// option would be silently ignored.
bool at_is_today(const std::string &at, const char *command, std::string &error);

/// What `assure serve` answered to an event posted by post_specs.
struct Posting {
    bool reached = false;       // an answer with JSON came back
    int status = 0;             // its HTTP status
    nlohmann::json answer;      // its JSON (the service's event answer, or its error)
    std::string code = "E0820"; // when not 200: the error's code
    std::string message;        // when not 200 or not reached: why
};

/// Posts `specs` as one event to the service at `server` (http://HOST:PORT) with the bearer
/// `token` ("" for none) and `note`.
Posting post_specs(const std::string &server, const std::string &token,
                   const std::vector<std::string> &specs, const std::string &note,
                   const std::string &case_version = "");

/// Reads a bearer token file: its first line, which must be 16 to 4096 printable ASCII
/// characters; refuses a file others can read or write (mode & 077), a symlink, or anything
/// but a regular file. Returns "" with `error` set on failure.
std::string read_token_file(const std::string &path, std::string &error);

struct ArgDiags; // front.hpp
/// The token of `--token-file path` into `token` (nothing when `path` is empty); false with
/// E0823 in `ad` when the file cannot be used.
bool token_option(const std::string &path, std::string &token, ArgDiags &ad);

} // namespace assure::cli
