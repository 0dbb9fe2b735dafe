// SPDX-License-Identifier: Apache-2.0
#pragma once

// Expressions and regions.

#include "dsl/grammar/config.hpp"

namespace assure::grammar {
namespace rules {
struct expr_class;
struct region_class;
using expr_type = x3::rule<expr_class, ast::Expr>;
using region_type = x3::rule<region_class, ast::Region>;
BOOST_SPIRIT_DECLARE(expr_type, region_type)
} // namespace rules

rules::expr_type const &expr();
rules::region_type const &region();

} // namespace assure::grammar
