// SPDX-License-Identifier: Apache-2.0
#pragma once

// Weighted minimisation over a boolean circuit: which choices, at the least total cost, make
// every required node true? Solved with Z3's optimiser (MaxSMT). `assure impact` uses it for
// the minimum re-verification set: choices are pieces of evidence to re-verify, nodes are the
// support of claims, strategies and defeaters.

#include "solver/session.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace assure::solver {

/// Nodes are added bottom-up: a node's kids must exist before it. `all`, `any` and `negate`
/// fold constants and return the kid itself for a gate of one kid, so the id they return may
/// be an existing node.
class Circuit {
  public:
    enum class Gate : std::uint8_t { Const, Choice, And, Or, AtLeast, Not };
    struct Node {
        Gate gate;
        bool value = false;  // Const
        std::uint32_t k = 0; // AtLeast
        std::string cost;    // Choice: exact decimal, > 0
        std::vector<std::uint32_t> kids;
    };

    std::uint32_t constant(bool value);
    std::uint32_t choice(std::string cost);
    std::uint32_t all(std::vector<std::uint32_t> kids);
    std::uint32_t any(std::vector<std::uint32_t> kids);
    std::uint32_t at_least(std::uint32_t k, std::vector<std::uint32_t> kids);
    std::uint32_t negate(std::uint32_t kid);
    /// `node` must be true in every plan.
    void require(std::uint32_t node) { required_.push_back(node); }

    [[nodiscard]] const std::vector<Node> &nodes() const { return nodes_; }
    [[nodiscard]] const std::vector<std::uint32_t> &required() const { return required_; }

  private:
    std::uint32_t add(Node n);
    std::uint32_t fold(Gate gate, std::vector<std::uint32_t> kids);
    std::vector<Node> nodes_;
    std::vector<std::uint32_t> required_;
};

struct Plan {
    /// Sat: `chosen` satisfies every required node. Unsat: no set of choices does. Unknown: the
    /// solver gave up before finding any plan (`unknown_reason`).
    Verdict verdict = Verdict::Unknown;
    /// With Sat: whether the total cost was proved minimal (false when the time limit cut the
    /// search short and `chosen` is the best plan found by then).
    bool optimal = false;
    std::vector<std::uint32_t> chosen; // choice node ids, ascending
    std::string unknown_reason;
};

/// The cheapest set of choices making every required node true. `options.timeout_ms` bounds
/// the whole search; the seed is pinned, so the same circuit gives the same plan. Never throws.
Plan minimize(const Circuit &circuit, const SolveOptions &options);

} // namespace assure::solver
