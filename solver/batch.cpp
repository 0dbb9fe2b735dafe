// SPDX-License-Identifier: Apache-2.0
#include "solver/batch.hpp"

#include "support/assert.hpp"
#include "support/worker.hpp"

#include <memory>
#include <thread>

namespace assure::solver {

Batch::Batch(const ir::ConstraintModel &model, SolveOptions options, unsigned lanes,
             std::shared_ptr<OutcomeCache> cache)
    : model_(model), options_(options), cache_(std::move(cache)) {
    lanes_.resize(lanes == 0 ? 1 : lanes);
}

Batch::Batch(std::shared_ptr<const Batch> root, SolveOptions options, unsigned lanes,
             std::shared_ptr<OutcomeCache> cache)
    : model_(root->model_), root_(std::move(root)),
      base_(static_cast<std::uint32_t>(root_->size())), options_(options),
      cache_(std::move(cache)) {
    ASSURE_ASSERT(!root_->root_, "a batch continues a batch of its own");
    lanes_.resize(lanes == 0 ? 1 : lanes);
}

Batch::~Batch() = default;

std::uint32_t Batch::add(ir::Query query) {
    const auto idx = static_cast<std::uint32_t>(size());
    std::string key = ir::query_key(model_, query);
    if (root_) {
        if (const auto it = root_->first_.find(key); it != root_->first_.end()) {
            same_as_.push_back(it->second);
            key_.push_back(nullptr);
            queries_.push_back(std::move(query));
            outcomes_.emplace_back();
            return idx;
        }
    }
    auto [it, fresh] = first_.emplace(std::move(key), idx);
    same_as_.push_back(fresh ? idx : it->second);
    key_.push_back(fresh ? &it->first : nullptr);
    queries_.push_back(std::move(query));
    outcomes_.emplace_back();
    return idx;
}

std::uint32_t Batch::add_decided(ir::Query query, const Outcome &outcome) {
    ASSURE_ASSERT(next_unsolved_ == queries_.size(), "add_decided with queries unsolved");
    const std::uint32_t idx = add(std::move(query));
    outcomes_.back() = outcome;
    next_unsolved_ = static_cast<std::uint32_t>(queries_.size());
    return idx;
}

void Batch::solve() {
    // Distinct unsolved queries, dealt to the lanes in a fixed order.
    std::vector<std::vector<std::uint32_t>> work(lanes_.size());
    for (std::uint32_t idx = next_unsolved_; idx < queries_.size(); ++idx) {
        if (same_as_[idx] != base_ + idx) {
            continue;
        }
        if (cache_) {
            if (const auto hit = cache_->find(*key_[idx]); hit != cache_->end()) {
                outcomes_[idx] = hit->second;
                continue;
            }
        }
        work[round_robin_++ % lanes_.size()].push_back(idx);
    }
    next_unsolved_ = static_cast<std::uint32_t>(queries_.size());
    auto run_lane = [&](std::size_t lane) {
        if (work[lane].empty()) {
            return;
        }
        if (!lanes_[lane]) {
            lanes_[lane] = std::make_unique<Session>(model_, options_);
        }
        for (std::uint32_t idx : work[lane]) {
            outcomes_[idx] = lanes_[lane]->check(queries_[idx]);
        }
    };
    std::size_t total = 0;
    for (const auto &w : work) {
        total += w.size();
    }
    solved_ += total;
    // A thread costs more than a handful of small queries.
    if (lanes_.size() == 1 || total < 8) {
        for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
            run_lane(lane);
        }
        remember(work);
        return;
    }
    std::vector<std::unique_ptr<support::Worker>> threads;
    for (std::size_t lane = 1; lane < lanes_.size(); ++lane) {
        threads.push_back(std::make_unique<support::Worker>([&run_lane, lane] { run_lane(lane); }));
    }
    run_lane(0);
    for (auto &t : threads) {
        t->join();
    }
    remember(work);
}

void Batch::remember(const std::vector<std::vector<std::uint32_t>> &work) {
    if (!cache_) {
        return;
    }
    for (const auto &lane : work) {
        for (std::uint32_t idx : lane) {
            cache_->emplace(*key_[idx], outcomes_[idx]);
        }
    }
}

std::string Batch::smt2(const ir::Query &query, const Session::Locate &locate) {
    if (!lanes_[0]) {
        lanes_[0] = std::make_unique<Session>(model_, options_);
    }
    return lanes_[0]->smt2(query, locate);
}

} // namespace assure::solver
