// SPDX-License-Identifier: Apache-2.0
#include "dsl/grammar/decl_def.hpp"

namespace assure::grammar {
namespace rules {
BOOST_SPIRIT_INSTANTIATE(declaration_type, iterator_type, context_type)
} // namespace rules

rules::declaration_type const &declaration() {
    return rules::declaration;
}

} // namespace assure::grammar
