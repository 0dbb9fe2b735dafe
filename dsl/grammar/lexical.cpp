// SPDX-License-Identifier: Apache-2.0
#include "dsl/grammar/lexical_def.hpp"

#include <mutex>
#include <set>

namespace assure::grammar {
namespace rules {
BOOST_SPIRIT_INSTANTIATE(ident_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(any_ident_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(qname_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(string_lit_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(number_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(signed_number_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(date_type, iterator_type, context_type)
} // namespace rules

rules::ident_type const &ident() {
    return rules::ident;
}
rules::any_ident_type const &any_ident() {
    return rules::any_ident;
}
rules::qname_type const &qname() {
    return rules::qname;
}
rules::string_lit_type const &string_lit() {
    return rules::string_lit;
}
rules::number_type const &number() {
    return rules::number;
}
rules::signed_number_type const &signed_number() {
    return rules::signed_number;
}
rules::date_type const &date() {
    return rules::date;
}

const char *keyword_name(const char *word) {
    // Rule objects are built during static initialisation of several TUs; a function-local
    // set is initialised on first use, and std::set never moves its elements.
    static std::set<std::string> names;
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    return names.insert("`" + std::string(word) + "`").first->c_str();
}

} // namespace assure::grammar
