// SPDX-License-Identifier: Apache-2.0
#pragma once

// Lookups by name in a resolved program, for the tests of the standard library's tables.

#include "dsl/sema/program.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace assure::testing {

/// The declaration of `kind` whose qualified name is `name`, or nullptr.
inline const sema::Decl *find_decl(const sema::Program &prog, sema::DeclKind kind,
                                   std::string_view name) {
    for (std::uint32_t idx = 0; idx < prog.decls.size(); ++idx) {
        const sema::DeclId id{idx};
        if (prog.decl(id).kind == kind && prog.qualified_name(id) == name) {
            return &prog.decl(id);
        }
    }
    return nullptr;
}

inline const sema::ScaleInfo *find_scale(const sema::Program &prog, std::string_view name) {
    const auto *d = find_decl(prog, sema::DeclKind::Scale, name);
    return d == nullptr ? nullptr : &prog.scales[d->index];
}

inline const sema::MatrixInfo *find_matrix(const sema::Program &prog, std::string_view name) {
    const auto *d = find_decl(prog, sema::DeclKind::Matrix, name);
    return d == nullptr ? nullptr : &prog.matrices[d->index];
}

/// The position of `value` in `scale`, or the scale's size if it has no such value.
inline std::size_t index_of(const sema::ScaleInfo &scale, std::string_view value) {
    std::size_t idx = 0;
    while (idx < scale.values.size() && scale.values[idx] != value) {
        ++idx;
    }
    return idx;
}

} // namespace assure::testing
