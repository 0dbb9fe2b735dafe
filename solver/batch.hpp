// SPDX-License-Identifier: Apache-2.0
#pragma once

// A list of solver obligations over one constraint model, solved in parallel lanes with a cache
// of identical queries.

#include "ir/constraints.hpp"
#include "solver/session.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace assure::solver {

/// Queries are added, then solved by `solve()`, which may be called again after more are added.
/// Each distinct query (by ir::query_key) is solved once; later identical ones reuse its
/// outcome. Distinct queries go to `lanes` sessions (one Z3 context and one thread each) by a
/// fixed round-robin over their order of addition, so every session sees the same sequence of
/// queries on every run and answers (models, cores) are deterministic whatever the timing.
/// Outcomes of queries already decided over one constraint model, by ir::query_key: batches
/// over the same (growing) model share one, so a case proved again after a small change
/// decides only the queries that changed.
using OutcomeCache = std::unordered_map<std::string, Outcome>;

class Batch {
  public:
    /// `cache`, when given, must belong to `model`.
    Batch(const ir::ConstraintModel &model, SolveOptions options, unsigned lanes,
          std::shared_ptr<OutcomeCache> cache = nullptr);
    /// A batch continuing `root`, a batch over the same model that nothing adds to any more
    /// (prove::reprove): root's queries keep their indices and outcomes, new ones follow them,
    /// and a new query identical to one of root's takes its outcome.
    Batch(std::shared_ptr<const Batch> root, SolveOptions options, unsigned lanes,
          std::shared_ptr<OutcomeCache> cache = nullptr);
    ~Batch();
    Batch(const Batch &) = delete;
    Batch &operator=(const Batch &) = delete;

    /// Adds a query; returns its index.
    std::uint32_t add(ir::Query query);
    /// Adds a query decided already (by another batch continuing the same root) with its
    /// outcome; returns its index. Only while every query added before is solved.
    std::uint32_t add_decided(ir::Query query, const Outcome &outcome);
    /// Solves every query not solved yet.
    void solve();

    [[nodiscard]] std::size_t size() const { return base_ + queries_.size(); }
    [[nodiscard]] const ir::Query &query(std::uint32_t idx) const {
        return idx < base_ ? root_->query(idx) : queries_[idx - base_];
    }
    [[nodiscard]] const Outcome &outcome(std::uint32_t idx) const {
        const std::uint32_t first = same_as(idx);
        return first < base_ ? root_->outcome(first) : outcomes_[first - base_];
    }
    /// The index of the first identical query (itself when it was solved on its own).
    [[nodiscard]] std::uint32_t same_as(std::uint32_t idx) const {
        return idx < base_ ? root_->same_as(idx) : same_as_[idx - base_];
    }
    /// Distinct queries sent to the solver so far (root's included).
    [[nodiscard]] std::size_t solved() const { return (root_ ? root_->solved() : 0) + solved_; }
    /// The batch this one continues (null for a batch of its own).
    [[nodiscard]] const std::shared_ptr<const Batch> &root() const { return root_; }

    /// A query over this batch's model as a replayable SMT-LIB 2 script (see Session::smt2).
    /// Call after the last solve().
    std::string smt2(const ir::Query &query, const Session::Locate &locate = {});

  private:
    /// Adds the outcomes of the queries just solved to the cache.
    void remember(const std::vector<std::vector<std::uint32_t>> &work);

    const ir::ConstraintModel &model_;
    std::shared_ptr<const Batch> root_;
    std::uint32_t base_ = 0; // root_'s size: the index of this batch's first own query
    SolveOptions options_;
    std::vector<std::unique_ptr<Session>> lanes_;
    // Own queries (index - base_); same_as_ holds indices of the whole batch.
    std::vector<ir::Query> queries_;
    std::vector<Outcome> outcomes_;
    std::vector<std::uint32_t> same_as_;
    std::unordered_map<std::string, std::uint32_t> first_;
    std::vector<const std::string *> key_; // by query: its key in first_ (null for repeats)
    std::shared_ptr<OutcomeCache> cache_;
    std::uint32_t next_unsolved_ = 0;
    std::size_t solved_ = 0;
    std::size_t round_robin_ = 0;
};

} // namespace assure::solver
