// SPDX-License-Identifier: Apache-2.0
#pragma once

// Declarations and their fields. `declaration` is the top rule the driver calls once per
// declaration; it alone carries the error handler.

#include "dsl/grammar/config.hpp"

namespace assure::grammar {
namespace rules {
struct declaration_class;
using declaration_type = x3::rule<declaration_class, ast::Declaration>;
BOOST_SPIRIT_DECLARE(declaration_type)
} // namespace rules

rules::declaration_type const &declaration();

} // namespace assure::grammar
