// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to dsl/sema: the analyzer whose members are defined in resolve.cpp, domains.cpp,
// matrices.cpp, elements.cpp, exprs.cpp, checks.cpp and instances.cpp.

#include "dsl/ast.hpp"
#include "dsl/loader.hpp"
#include "dsl/sema/program.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <array>
#include <bitset>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace assure::sema {

using KindSet = std::bitset<kDeclKindCount>;
KindSet kinds(std::initializer_list<DeclKind> list);

/// How names inside an expression are bound.
struct ExprEnv {
    enum class Mode { Region, Formal, Rule };
    Mode mode = Mode::Region;
    std::uint32_t module = 0;
    DeclId domain; // Region: the region's domain; Formal: preferred domain
    struct BoundVar {
        std::string name;
        DeclKind kind;
        std::uint32_t slot;
        bool known = true; // false when its collection was unknown (already reported)
    };
    std::vector<BoundVar> bound;    // Rule: quantifier variables in scope, innermost last
    std::uint32_t *slots = nullptr; // Rule: counter of quantifier slots
    std::vector<std::string> *slot_names = nullptr; // Rule: each slot's variable name
};

class Analyzer {
  public:
    Analyzer(dsl::LoadedCase &loaded, const support::SourceManager &sources,
             support::Diagnostics &diags);
    Program run();

    // ---- resolve.cpp ----
    void declare_all();
    /// Builds everything after the domains and scales, in dependency order: odds, matrices,
    /// artifacts, evidence, claims, strategies, attachments, defeaters, hazards, rules.
    void build_rest();
    /// Resolves `q` to a declaration of one of `allowed` kinds visible from `module`; reports
    /// E0201/E0202/E0204 with `role` ("supported_by", ...) in the message.
    DeclId resolve_ref(std::uint32_t module, const ast::QName &q, KindSet allowed,
                       const std::string &role);
    struct Lookup {
        DeclId found;
        std::vector<DeclId> ambiguous;
        bool bad_prefix = false;
    };
    Lookup lookup(std::uint32_t module, const ast::QName &q) const;
    void report_unknown(std::uint32_t module, const ast::QName &q, KindSet allowed,
                        const std::string &what);
    std::vector<std::uint32_t> visible_modules(std::uint32_t module) const;
    bool is_broken(const std::string &name) const { return broken_.count(name) != 0; }
    void mark_used(DeclId id);
    std::optional<Date> parse_date(const ast::DateLit &d);
    std::optional<support::Decimal> parse_number(const ast::NumberLit &n);
    /// A value read from an artifact (dsl/sema/reads.cpp): its index in Program::reads, or
    /// kNone after reporting E0209 (or an unresolved artifact). `result`: a `result:` source.
    std::uint32_t build_read(std::uint32_t module, const ast::ReadSource &src, bool result);
    /// The value of `cost:`, `lowers_likelihood:` or `at_least`: an amount or a count, where a
    /// percentage means nothing (E0112). Nullopt after reporting.
    std::optional<support::Decimal> parse_field_number(const ast::NumberField &f);

    // ---- domains.cpp ----
    void build_domains_and_scales();
    std::optional<Region> build_region(std::uint32_t module, const ast::Region &r);
    DeclId region_domain(DeclId base); // domain of a domain/odd; resolves odds on demand
    /// The position of `name` in `values`, the values of enum variable `ref` (or of vocabulary
    /// `ref`, with `vocab`), which do not change once the domains are built: looked up in an
    /// index built on first use, so that a set of N members of a large enum costs O(N).
    std::optional<std::uint32_t> value_index(bool vocab, std::uint32_t ref,
                                             const std::vector<std::string> &values,
                                             const std::string &name);
    /// The domain variables called `name`, ascending (an index built on first use, once the
    /// domains are built: looking a name up does not scan every variable).
    const std::vector<std::uint32_t> &variables_named(const std::string &name);
    std::optional<ScaleValue> resolve_scale_value(std::uint32_t module, const ast::QName &q,
                                                  std::uint32_t scale, const char *role);

    // ---- matrices.cpp ----
    /// Resolves each matrix's axes, cells, `accept:` and demands (before the hazards).
    void build_matrices();
    void build_demand(std::uint32_t module, const ast::DemandField &field, MatrixInfo &mx);
    /// Resolves each hazard's matrix and rating, then the scales common to all rated hazards
    /// (severity_scale_, likelihood_scale_, risk_scale_).
    void build_hazards();

    // ---- elements.cpp ----
    // Each resolves the declarations of its kind (references, fields, vocabulary words).
    void build_artifacts();
    void build_evidence();
    void build_claims();
    void build_strategies();
    void build_attachments();
    void build_defeaters();
    /// Checks each rule's body (after the hazards: rules read their scales).
    void build_rules();

    // ---- exprs.cpp ----
    ExprId check_bool(const ast::Expr &e, ExprEnv &env, const char *what);
    std::string type_name(Type t) const;

    // ---- checks.cpp ----
    void check_unreferenced();

    // ---- instances.cpp ----
    /// Reports E0315 for each name given to an element parameter of a pattern instance that
    /// names a declaration of another kind, and drops the errors the expansion's uses of that
    /// name caused (run after build_rest).
    void check_instance_arguments();

    dsl::LoadedCase &loaded_;
    const support::SourceManager &sources_;
    support::Diagnostics &diags_;
    Program prog_;
    std::vector<void *> ast_of_; // DeclId -> ast node of that declaration

    /// Tables created only when their pass starts (see declare_all).
    enum class Deferred { Evidence, Claims, Strategies, Attachments, Defeaters, Hazards, Count };
    std::array<std::vector<DeclId>, static_cast<std::size_t>(Deferred::Count)> deferred_;
    std::uint32_t defer(Deferred table, DeclId id) {
        auto &ids = deferred_[static_cast<std::size_t>(table)];
        ids.push_back(id);
        return static_cast<std::uint32_t>(ids.size() - 1);
    }
    template <typename Info> void materialize(std::vector<Info> &infos, Deferred table) {
        auto &ids = deferred_[static_cast<std::size_t>(table)];
        infos.resize(ids.size());
        for (std::size_t idx = 0; idx < ids.size(); ++idx) {
            infos[idx].decl = ids[idx];
        }
        std::vector<DeclId>().swap(ids);
    }
    /// Frees the body of a resolved declaration (see analyze()).
    template <typename Node> void release_body(DeclId id) {
        auto *node = static_cast<Node *>(ast_of_[id.value]);
        ast::Fields().swap(node->fields);
    }
    std::vector<bool> used_; // DeclId -> referenced by something
    std::unordered_set<std::string> broken_;
    // Metrics named in declarations that failed to parse: no E0208 for requirements on them.
    std::unordered_set<std::string> broken_metrics_;
    std::vector<int> odd_state_; // odd index -> 0 new, 1 resolving, 2 done
    std::map<std::pair<bool, std::uint32_t>, std::unordered_map<std::string_view, std::uint32_t>>
        value_index_; // see value_index
    std::unordered_map<std::string_view, std::vector<std::uint32_t>> variables_named_;
    std::vector<std::uint32_t> no_variables_;
    std::vector<int> odd_depth_;         // odd index -> levels of odds it is defined through
    int odd_level_ = 0;                  // deepest level under the odd being resolved
    int odds_open_ = 0;                  // odds being resolved, each inside the previous
    int odd_too_deep_ = 0;               // 1: the limit was met with odds open, 2: and was reported
    std::size_t suggestions_left_ = 200; // suggestion search is O(names); cap it
    std::set<std::string> metrics_measured_;
    /// The scale every rated hazard's severity / likelihood is on, or kNone when hazards use
    /// several (or none): the type of `h.severity` / `h.likelihood` in rules.
    std::uint32_t severity_scale_ = kNone;
    std::uint32_t likelihood_scale_ = kNone;
    std::uint32_t risk_scale_ = kNone; // the levels scale of every rated hazard's matrix

    /// Appends a node with `count` children from `kids` and an optional literal text.
    ExprId add_expr(Expr e, const ExprId *kids, std::size_t count, std::string text) {
        e.first_kid = static_cast<std::uint32_t>(prog_.expr_kids.size());
        e.kid_count = static_cast<std::uint32_t>(count);
        prog_.expr_kids.insert(prog_.expr_kids.end(), kids, kids + count);
        if (!text.empty()) {
            e.text = static_cast<std::uint32_t>(prog_.texts.size());
            prog_.texts.push_back(std::move(text));
        }
        prog_.exprs.push_back(e);
        return static_cast<ExprId>(prog_.exprs.size() - 1);
    }
};

std::string qname_text(const ast::QName &q);

} // namespace assure::sema
