// SPDX-License-Identifier: Apache-2.0
// The fields each kind of declaration admits, and the checks of fields and vocabulary words.
#include "dsl/sema/fields.hpp"

#include "support/text.hpp"

#include <algorithm>
#include <map>

namespace assure::sema::detail {
using support::Code;

namespace {

/// Key and span of a field, for duplicate and allowed-field checks.
struct FieldKey {
    std::string_view key; // points into the AST
    support::Span span;
};

FieldKey field_key(const ast::Field &f) {
    struct Visitor {
        FieldKey operator()(const ast::Flag &x) const { return {x.word, x.span}; }
        FieldKey operator()(const ast::RefsField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::WordField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::RefField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::TextField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::NumberField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::DateField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::x3::forward_ast<ast::MetricField> &x) const {
            return {"metric", x.get().span};
        }
        FieldKey operator()(const ast::x3::forward_ast<ast::ScopeField> &x) const {
            return {"scope", x.get().span};
        }
        FieldKey operator()(const ast::RequiresField &x) const { return {"requires", x.span}; }
        FieldKey operator()(const ast::FormalField &x) const { return {"formal", x.span}; }
        // (string literals: the views stay valid)
        FieldKey operator()(const ast::CoverField &x) const { return {x.key, x.span}; }
        FieldKey operator()(const ast::RowField &x) const { return {"row", x.span}; }
        FieldKey operator()(const ast::DemandField &x) const { return {"demand", x.span}; }
        FieldKey operator()(const ast::x3::forward_ast<ast::ResultReadField> &x) const {
            return {"result", x.get().span};
        }
    };
    return boost::apply_visitor(Visitor{}, f);
}

/// The span of just the key word of a field (the first token).
support::Span key_span(const FieldKey &k) {
    return support::Span{k.span.file, k.span.begin,
                         k.span.begin + static_cast<std::uint32_t>(k.key.size())};
}

struct FieldRules {
    std::vector<std::string> allowed;
    std::vector<std::string> repeatable;
};

const std::map<DeclKind, FieldRules> &field_rules() {
    static const std::map<DeclKind, FieldRules> rules = {
        {DeclKind::Evidence,
         {{"kind", "artifacts", "result", "metric", "valid_until", "date", "cost", "producer",
           "team", "department", "approved_by", "independent_of", "description"},
          {"metric"}}},
        {DeclKind::Claim,
         {{"scope", "requires", "formal", "mitigates", "lowers_likelihood", "supported_by",
           "undeveloped", "description"},
          {}}},
        {DeclKind::Strategy,
         {{"all_of", "any_of", "at_least", "deductive", "cover", "partition", "supported_by",
           "justification", "description"},
          {}}},
        {DeclKind::Assumption, {{"formal", "description"}, {}}},
        {DeclKind::Context, {{"artifacts", "description"}, {}}},
        {DeclKind::Justification, {{"description"}, {}}},
        {DeclKind::Defeater, {{"status", "resolved_by", "description"}, {}}},
        {DeclKind::Hazard, {{"severity", "likelihood", "matrix", "description"}, {}}},
        {DeclKind::Matrix,
         {{"rows", "columns", "levels", "accept", "row", "demand"}, {"row", "demand"}}},
    };
    return rules;
}

const FieldRules &rules_for(DeclKind kind) {
    return field_rules().at(kind);
}

} // namespace

std::vector<std::string> all_field_names() {
    std::vector<std::string> out;
    for (const auto &[kind, rules] : field_rules()) {
        out.insert(out.end(), rules.allowed.begin(), rules.allowed.end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

/// Checks allowed and repeated fields of one declaration; returns the fields that may be used.
std::vector<const ast::Field *> admitted_fields(const ast::Fields &fields, DeclKind kind,
                                                support::Diagnostics &diags) {
    const FieldRules &rules = rules_for(kind);
    // A declaration has a handful of fields: a linear scan beats a map here.
    std::vector<FieldKey> seen;
    std::vector<const ast::Field *> out;
    out.reserve(fields.size());
    for (const auto &f : fields) {
        const FieldKey k = field_key(f);
        if (std::find(rules.allowed.begin(), rules.allowed.end(), k.key) == rules.allowed.end()) {
            std::string list;
            for (const auto &a : rules.allowed) {
                list += (list.empty() ? "" : ", ") + a;
            }
            auto &d =
                diags.error(Code::E0207, key_span(k),
                            "`" + std::string(k.key) + "` is not a field of " + kind_phrase(kind),
                            "not allowed here");
            d.help = std::string("the fields of ") + kind_phrase(kind) + " are: " + list;
            continue;
        }
        const bool repeatable = std::find(rules.repeatable.begin(), rules.repeatable.end(),
                                          k.key) != rules.repeatable.end();
        if (!repeatable) {
            auto it = std::find_if(seen.begin(), seen.end(),
                                   [&](const FieldKey &s) { return s.key == k.key; });
            if (it != seen.end()) {
                auto &d = diags.error(Code::E0205, key_span(k),
                                      "field `" + std::string(k.key) + "` is given twice",
                                      "given again here");
                d.notes.push_back({it->span, "first given here"});
                continue;
            }
            seen.push_back(k);
        }
        out.push_back(&f);
    }
    return out;
}

std::optional<std::size_t> vocabulary_index(const std::string &word,
                                            const std::vector<std::string_view> &words) {
    for (std::size_t idx = 0; idx < words.size(); ++idx) {
        if (words[idx] == word) {
            return idx;
        }
    }
    return std::nullopt;
}

void report_vocabulary(support::Diagnostics &diags, const ast::Ident &value,
                       const std::string &field, const std::vector<std::string_view> &words) {
    std::string list;
    for (auto w : words) {
        list += std::string(list.empty() ? "" : ", ") + std::string(w);
    }
    auto &d = diags.error(Code::E0207, value.span,
                          "`" + value.name + "` is not a valid `" + field + "`", "unknown value");
    const std::string best = support::closest_match(value.name, words);
    d.help = best.empty() ? "expected one of: " + list
                          : "did you mean `" + best + "`? (expected one of: " + list + ")";
}

} // namespace assure::sema::detail
