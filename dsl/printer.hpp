// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/ast.hpp"

#include <string>

namespace assure::dsl {

/// Prints a parsed file back as canonical assure source: one declaration per line group, fields
/// one per line, expressions with the minimal parentheses the AST records. Comments are not
/// kept. `parse(print(f))` gives back the same tree (the round-trip tests check this).
std::string print(const ast::File &file);

/// Prints one expression as source text.
std::string print(const ast::Expr &expr);

} // namespace assure::dsl
