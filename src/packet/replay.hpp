// SPDX-License-Identifier: Apache-2.0
#pragma once

// Replaying a trace's SMT-LIB files with stock solvers (docs/packet.md, "Replay"): each file
// is given to a separate solver process (`z3 FILE`, `cvc5 --force-logic=ALL FILE`) with a time
// limit, exactly as an assessor would run it by hand.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace assure::packet {

/// What a solver process said about one file.
enum class Answer : std::uint8_t { Sat, Unsat, Unknown, Timeout, Error };

/// "sat", "unsat", "unknown", "timeout", "error".
const char *answer_name(Answer a);

struct SolverRun {
    Answer answer = Answer::Error;
    std::string detail; // Error: the solver's first line of output, or why it did not run
};

/// A stock solver on the PATH.
struct Solver {
    std::string name;                    // "z3", "cvc5"
    std::string program;                 // its path
    std::vector<std::string> args;       // before the file
    std::vector<std::string> batch_args; // also before a batch script (push/pop needs them)
    std::string per_query_timeout;       // the option giving each (check-sat) a limit, before ms
    bool quoted_echo = false;            // (echo "s") prints "s" with its quotes
};

/// `name` found on $PATH as an executable regular file; empty when it is not there.
std::string find_on_path(const std::string &name);

/// The solvers verify replays with: z3 (required; `program` empty when missing) and cvc5 when
/// installed.
std::vector<Solver> replay_solvers();

/// Runs `solver` on each of `files` (texts is_replayable accepts) and returns
/// the answers in the order of `files`. Fast path: the files are replayed in batches, one
/// solver process per batch (at most `jobs` at a time), each file between an `(echo "...")`
/// marker with a random nonce in a `(push 1)` ... `(pop 1)` scope of its own (without its
/// set-info/set-option/set-logic lines), each query with `timeout_ms` (the solver's per-query
/// limit; the process is killed after the whole batch's time). Every file whose batch answer is
/// not sat or unsat, or is not `expected[i]` (when given: "sat"/"unsat", "" for none), is run
/// alone from a copy in `scratch`, `SOLVER [args] FILE`, exactly as an assessor would, and that
/// answer is the one
/// returned. stdin is /dev/null, stdout and stderr are read, the environment is inherited.
/// One file to replay: a name for messages and for its copy in `scratch` when it runs alone
/// (a plain file name), and its text.
struct ReplayFile {
    std::string name;
    std::string text;
};
std::vector<SolverRun> run_solver(const Solver &solver, const std::vector<ReplayFile> &files,
                                  const std::vector<std::string> &expected, unsigned timeout_ms,
                                  unsigned jobs, const std::string &scratch);

/// Whether an SMT-LIB file is one a trace holds and may be given to a solver: top-level
/// commands set-info, set-logic, declare-*/define-*, assert, exactly one check-sat, then only
/// get-* commands, and set-option for a few harmless options (:produce-models,
/// :produce-unsat-cores, :produce-proofs, :random-seed, :smt.random_seed, :timeout, :rlimit).
/// Anything else (echo, exit, an output channel a solver would write a file to, push, pop,
/// reset, a second check-sat) is refused with `why`, so that a hostile packet can neither make
/// a solver write outside verify's folder nor print an answer of its own.
bool is_replayable(std::string_view smt2, std::string &why);

/// Whether the SMT-LIB text multiplies or divides two terms that are not constants (nonlinear
/// arithmetic, on which a solver may answer unknown). Let-bound names of constant terms count as
/// constants.
bool is_nonlinear(std::string_view smt2);

} // namespace assure::packet
