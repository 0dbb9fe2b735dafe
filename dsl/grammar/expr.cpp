// SPDX-License-Identifier: Apache-2.0
#include "dsl/grammar/expr_def.hpp"

namespace assure::grammar {
namespace rules {
BOOST_SPIRIT_INSTANTIATE(expr_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(region_type, iterator_type, context_type)
} // namespace rules

rules::expr_type const &expr() {
    return rules::expr;
}
rules::region_type const &region() {
    return rules::region;
}

} // namespace assure::grammar
