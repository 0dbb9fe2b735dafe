// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to dsl/sema: the checks every declaration's fields go through (which fields a kind
// of declaration admits, which may repeat) and of the vocabulary words some fields take.

#include "dsl/ast.hpp"
#include "dsl/sema/program.hpp"
#include "support/diagnostics.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace assure::sema::detail {

/// The fields of a declaration of `kind` that may be used, in source order: reports E0207 for
/// a field the kind does not admit and E0205 for a repeated one that may not repeat, and leaves
/// both out. The pointers point into `fields`.
std::vector<const ast::Field *> admitted_fields(const ast::Fields &fields, DeclKind kind,
                                                support::Diagnostics &diags);

/// Every field name some kind of declaration admits (sorted, each once): what the grammar in
/// docs/language.md must list.
std::vector<std::string> all_field_names();

/// The field `f` as a `T` (the boxed metric and scope fields unboxed); nullptr when it is
/// another kind of field.
template <typename T> const T *as(const ast::Field *f) {
    if constexpr (std::is_same_v<T, ast::MetricField> || std::is_same_v<T, ast::ScopeField> ||
                  std::is_same_v<T, ast::ResultReadField>) {
        const auto *boxed = boost::get<ast::x3::forward_ast<T>>(f);
        return boxed != nullptr ? &boxed->get() : nullptr;
    } else {
        return boost::get<T>(f);
    }
}

/// The position of `word` in `words`; nullopt when it is not one of them.
std::optional<std::size_t> vocabulary_index(const std::string &word,
                                            const std::vector<std::string_view> &words);

/// Reports E0207 at `value`, which is not one of the `words` field `field` takes, with the
/// closest of them as a suggestion.
void report_vocabulary(support::Diagnostics &diags, const ast::Ident &value,
                       const std::string &field, const std::vector<std::string_view> &words);

} // namespace assure::sema::detail
