// SPDX-License-Identifier: Apache-2.0
#include "ir/constraints.hpp"

#include <functional>

namespace assure::ir {

namespace {

/// splitmix64's finaliser: every input bit reaches every output bit.
std::uint64_t scramble(std::uint64_t x) {
    x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31U);
}

std::uint64_t hash_term(const Term &t) {
    std::uint64_t h = scramble(static_cast<std::uint64_t>(t.op) + 1);
    auto mix = [&h](std::uint64_t v) { h = scramble(h ^ (v + 0x9e3779b97f4a7c15ULL)); };
    mix(t.ref);
    mix(t.index);
    if (!t.text.empty()) {
        mix(std::hash<std::string>{}(t.text));
    }
    for (TermId k : t.kids) {
        mix(k);
    }
    return h;
}

bool same_term(const Term &a, const Term &b) {
    return a.op == b.op && a.ref == b.ref && a.index == b.index && a.kids == b.kids &&
           a.text == b.text;
}

} // namespace

std::size_t ConstraintModel::find_slot(const Term &t, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    const std::uint64_t tag = hash >> 32U;
    std::size_t pos = static_cast<std::size_t>(hash) & mask;
    while (slots_[pos] != kEmpty &&
           ((slots_[pos] >> 32U) != tag || !same_term(terms[slots_[pos] & 0xffffffffU], t))) {
        pos = (pos + 1) & mask;
    }
    return pos;
}

void ConstraintModel::grow() {
    slots_.assign(slots_.empty() ? 1024 : slots_.size() * 2, kEmpty);
    for (TermId id = 0; id < terms.size(); ++id) {
        const std::uint64_t hash = hash_term(terms[id]);
        slots_[find_slot(terms[id], hash)] = ((hash >> 32U) << 32U) | id;
    }
}

TermId ConstraintModel::add(Term t) {
    // Keep the load factor at most 1/2: probing stays short.
    if ((terms.size() + 1) * 2 > slots_.size()) {
        grow();
    }
    const std::uint64_t hash = hash_term(t);
    const std::size_t pos = find_slot(t, hash);
    if (slots_[pos] != kEmpty) {
        return static_cast<TermId>(slots_[pos] & 0xffffffffU);
    }
    terms.push_back(std::move(t));
    const auto id = static_cast<TermId>(terms.size() - 1);
    slots_[pos] = ((hash >> 32U) << 32U) | id;
    return id;
}

std::string query_key(const ConstraintModel & /*model*/, const Query &query) {
    std::string out;
    out.reserve(query.assertions.size() * sizeof(TermId));
    for (TermId a : query.assertions) {
        for (unsigned byte = 0; byte < sizeof(TermId); ++byte) {
            out += static_cast<char>((a >> (8U * byte)) & 0xffU);
        }
    }
    return out;
}

} // namespace assure::ir
