// SPDX-License-Identifier: Apache-2.0
#pragma once

// Satisfiability queries over the constraint IR. z3++.h never appears in this header: the Z3
// objects live in the implementation.

#include "ir/constraints.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace assure::solver {

enum class Verdict { Sat, Unsat, Unknown };

struct SolveOptions {
    unsigned timeout_ms = 10000; // wall-clock bound per query (always set)
    unsigned rlimit = 0;         // Z3 resource limit per query, 0 = none (deterministic limits)
    unsigned seed = 0;           // pinned, so answers and models do not vary between runs
    /// Decide box queries by cell enumeration (solver/cells.hpp) before asking Z3.
    bool cells = true;
};

/// A model restricted to the variables a query mentions, in ir::VarId order. Values are
/// readable: decimals for numbers (exact when finite, else rounded to 6 places with a `~`),
/// `true`/`false`, enum value names.
struct Assignment {
    std::vector<std::pair<ir::VarId, std::string>> values;
};

/// Which procedure answered a query.
enum class Decider { Z3, Cells };
/// "z3", "cells".
const char *decider_name(Decider d);

struct Outcome {
    Verdict verdict = Verdict::Unknown;
    Decider decided_by = Decider::Z3;
    std::string unknown_reason;      // non-empty iff Unknown: "timeout", "canceled", ...
    std::optional<Assignment> model; // iff Sat
    std::vector<std::size_t> core;   // iff Unsat: indices of assertions an unsat core needs
};

/// One Z3 context for a sequence of queries over one constraint model. Not thread-safe: use one
/// session per thread. Never throws: a Z3 error becomes an Unknown outcome with its reason.
class Session {
  public:
    Session(const ir::ConstraintModel &model, SolveOptions options);
    ~Session();
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    /// Are the query's assertions, with the bounds of every variable they mention,
    /// satisfiable?
    Outcome check(const ir::Query &query);

    /// Where a span is ("perception.assure:12"), for the comments of an SMT-LIB script.
    using Locate = std::function<std::string(const support::Span &)>;

    /// The same query as a standalone SMT-LIB 2 script for replay with a stock solver: the
    /// declarations, then every assertion `:named` -- first the bounds of each variable it
    /// mentions (`bounds_<variable>`, those with bounds), then the query's assertions in order
    /// (`names[i]`, else `a<i+1>`; made valid SMT-LIB symbols, and unique with a `_2` suffix) --
    /// then `(check-sat)` (and `(get-model)` with `show_model`). It opens with `purpose` and one
    /// comment line per assertion, `; [name] note`, in the order of the assertions, with the
    /// source line of each variable's declaration from `locate` when given. Deterministic.
    /// Creates terms in this session's context: call it after the session's last check, or
    /// answers to later checks may differ from a run without it.
    std::string smt2(const ir::Query &query, const Locate &locate = {});

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// What format_point says of a model that mentions no variable.
inline constexpr const char *kEveryPoint = "every operating point";

/// "visibility = 150 m, light = night, sea_state = 3": an assignment in declaration order with
/// the variables' units; kEveryPoint when it assigns no variable (never empty).
std::string format_point(const ir::ConstraintModel &model, const Assignment &point);

} // namespace assure::solver
