// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/sema/program.hpp"
#include "ir/constraints.hpp"
#include "support/source_manager.hpp"

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace assure::lower {

/// The constraint model of a resolved program: one ir::Var per domain variable (same order as
/// sema's variables, so VarId == sema variable id) and terms built on demand for regions and
/// formal statements.
class ConstraintBuilder {
  public:
    /// `sources` provides the exact digits of number literals (sema keeps only their value).
    ConstraintBuilder(const sema::Program &program, const support::SourceManager &sources);

    /// The predicate of `region`: the conditions of its base odds and its own `where`, as one
    /// term over the domain's variables. nullopt when the region (or an odd under it) did not
    /// resolve.
    std::optional<ir::TermId> region(const sema::Region &region);

    /// A boolean sema expression (region condition or formal statement) as a term; nullopt when
    /// it contains something with no meaning over the domain (a rule construct or an error).
    std::optional<ir::TermId> expr(sema::ExprId id);

    [[nodiscard]] ir::ConstraintModel &model() { return model_; }

  private:
    std::optional<ir::TermId> odd(sema::DeclId decl, int depth);
    std::optional<ir::TermId> region_at(const sema::Region &region, int depth);
    std::optional<ir::TermId> expr_at(sema::ExprId id, int depth);

    const sema::Program &prog_;
    const support::SourceManager &sources_;
    ir::ConstraintModel model_;
    std::unordered_map<std::uint64_t, std::optional<ir::TermId>> region_memo_; // base << 32 | where
    std::unordered_map<sema::ExprId, std::optional<ir::TermId>> expr_memo_;
};

} // namespace assure::lower
