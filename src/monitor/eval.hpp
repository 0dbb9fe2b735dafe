// SPDX-License-Identifier: Apache-2.0
#pragma once

// The compiled evaluator: terms of the constraint IR (the same terms the solver sees) turned
// into a flat postorder program over value slots, evaluated on one operating point with exact
// arithmetic and three-valued logic. A term's value is undefined where it divides by zero
// (the solver leaves x/0 unconstrained), and a formula that depends on an undefined value is
// Unknown, so a True or False answer holds for every value the solver could give x/0.

#include "ir/constraints.hpp"
#include "monitor/rational.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace assure::monitor {

enum class Truth : std::uint8_t { False, True, Unknown };

/// The value of one domain variable in a record.
struct VarValue {
    enum class Kind : std::uint8_t { Absent, Bool, Number, Enum };
    Kind kind = Kind::Absent;
    bool boolean = false;
    std::uint32_t index = 0; // Enum: the value's index in declaration order
    Rational number;
    std::string text; // Number: as the record wrote it (for reports)
};

/// A flat program computing any number of IR terms at once; terms shared between them (the
/// pool is hash-consed) are computed once. Compile with `add`, then `run` per point.
class Program {
  public:
    explicit Program(const ir::ConstraintModel &model) : model_(model) {}

    /// Compiles `term` (and what it depends on) into the program; returns its slot.
    std::uint32_t add(ir::TermId term);

    /// Evaluates every slot over `point` (by VarId; variables a term mentions must be present).
    void run(std::span<const VarValue> point);

    /// The truth of a boolean slot after `run`.
    [[nodiscard]] Truth truth(std::uint32_t slot) const { return slots_[slot].truth; }

    /// The variables `term` mentions, ascending.
    [[nodiscard]] std::vector<ir::VarId> variables(ir::TermId term) const;

    /// The conjuncts of `term`: its kids through nested `And`s, or itself.
    [[nodiscard]] std::vector<ir::TermId> conjuncts(ir::TermId term) const;

    [[nodiscard]] std::size_t size() const { return ops_.size(); }
    [[nodiscard]] const ir::ConstraintModel &model() const { return model_; }

  private:
    struct Slot {
        enum class Kind : std::uint8_t { Undefined, Bool, Number, Enum };
        Kind kind = Kind::Undefined;
        Truth truth = Truth::Unknown;
        std::uint32_t index = 0;
        Rational number;
    };
    struct Op {
        ir::TermOp op;
        std::uint32_t ref = 0;   // Var: VarId; EnumVal: value index; Number: constant index
        std::uint32_t first = 0; // first kid slot in kids_
        std::uint32_t count = 0;
    };

    void eval(const Op &op, Slot &out);

    const ir::ConstraintModel &model_;
    std::vector<Op> ops_; // slot i is computed by ops_[i], after every slot it reads
    std::vector<std::uint32_t> kids_;
    std::vector<Rational> constants_;
    std::vector<Slot> slots_;
    std::span<const VarValue> point_;
    std::unordered_map<ir::TermId, std::uint32_t> slot_of_;
};

} // namespace assure::monitor
