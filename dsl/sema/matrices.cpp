// SPDX-License-Identifier: Apache-2.0
// Risk matrices (cells, acceptance, demands per level) and the hazards rated on them.
#include "dsl/sema/analyzer.hpp"
#include "dsl/sema/fields.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

namespace assure::sema {
using detail::admitted_fields;
using detail::as;
using detail::report_vocabulary;
using detail::vocabulary_index;
using support::Code;

void Analyzer::build_matrices() {
    for (auto &mx : prog_.matrices) {
        const Decl &decl = prog_.decl(mx.decl);
        const auto &node = *static_cast<const ast::Matrix *>(ast_of_[mx.decl.value]);
        mx.title = node.title ? node.title->value : std::string();
        const auto fields = admitted_fields(node.fields, DeclKind::Matrix, diags_);
        const ast::RefField *accept = nullptr;
        for (const ast::Field *f : fields) {
            if (const auto *rf = as<ast::RefField>(f)) {
                if (rf->key == "accept") {
                    accept = rf;
                    continue;
                }
                const DeclId sid =
                    resolve_ref(decl.module, rf->ref, kinds({DeclKind::Scale}), rf->key);
                const std::uint32_t s = sid.valid() ? prog_.decl(sid).index : kNone;
                (rf->key == "rows" ? mx.rows : rf->key == "columns" ? mx.columns : mx.levels) = s;
            }
        }
        bool axes_ok = true;
        for (const auto &[key, value] :
             {std::pair{"rows", mx.rows}, {"columns", mx.columns}, {"levels", mx.levels}}) {
            if (value == kNone) {
                axes_ok = false;
                bool given = false;
                for (const ast::Field *f : fields) {
                    if (const auto *rf = as<ast::RefField>(f); rf && rf->key == key) {
                        given = true;
                    }
                }
                if (!given) {
                    diags_.error(Code::E0206, decl.name_span,
                                 std::string("matrix `") + decl.name + "` has no `" + key +
                                     ":` field",
                                 std::string("missing `") + key + ":`");
                }
            }
        }
        if (!axes_ok) {
            continue;
        }
        const std::size_t n_rows = prog_.scales[mx.rows].values.size();
        const std::size_t n_cols = prog_.scales[mx.columns].values.size();
        mx.cells.assign(n_rows * n_cols, kNone);
        auto one = [](const ast::Ident &id) {
            ast::QName q;
            q.parts.push_back(id);
            q.span = id.span;
            return q;
        };
        for (const ast::Field *f : fields) {
            const auto *row = as<ast::RowField>(f);
            if (row == nullptr) {
                continue;
            }
            const auto r = resolve_scale_value(decl.module, one(row->row), mx.rows, "row");
            for (const auto &cell : row->cells) {
                const auto c =
                    resolve_scale_value(decl.module, one(cell.column), mx.columns, "column");
                const auto l =
                    resolve_scale_value(decl.module, one(cell.level), mx.levels, "level");
                if (!r || !c || !l) {
                    continue;
                }
                std::uint32_t &slot = mx.cells[r->value * n_cols + c->value];
                if (slot != kNone) {
                    diags_.error(Code::E0309, cell.span,
                                 "cell (" + row->row.name + ", " + cell.column.name +
                                     ") of matrix `" + decl.name + "` is given twice",
                                 "repeated cell");
                    continue;
                }
                slot = l->value;
            }
        }
        std::vector<std::string> missing;
        for (std::size_t r = 0; r < n_rows; ++r) {
            for (std::size_t c = 0; c < n_cols; ++c) {
                if (mx.cells[r * n_cols + c] == kNone) {
                    missing.push_back("(" + prog_.scales[mx.rows].values[r] + ", " +
                                      prog_.scales[mx.columns].values[c] + ")");
                }
            }
        }
        if (!missing.empty()) {
            std::string list;
            for (std::size_t idx = 0; idx < missing.size() && idx < 6; ++idx) {
                list += (idx == 0 ? "" : ", ") + missing[idx];
            }
            if (missing.size() > 6) {
                list += ", ...";
            }
            diags_.error(Code::E0309, decl.name_span,
                         "matrix `" + decl.name + "` is missing " + std::to_string(missing.size()) +
                             " cell(s): " + list,
                         "incomplete matrix");
        }
        if (accept != nullptr) {
            if (auto v = resolve_scale_value(decl.module, accept->ref, mx.levels, "accept")) {
                mx.accept = v->value;
            }
        }
        for (const ast::Field *f : fields) {
            if (const auto *dm = as<ast::DemandField>(f)) {
                build_demand(decl.module, *dm, mx);
            }
        }
        release_body<ast::Matrix>(mx.decl);
    }
}

void Analyzer::build_demand(std::uint32_t module, const ast::DemandField &field, MatrixInfo &mx) {
    ast::QName level;
    level.parts.push_back(field.level);
    level.span = field.level.span;
    const auto lv = resolve_scale_value(module, level, mx.levels, "demand level");
    if (!lv) {
        return;
    }
    auto it = std::find_if(mx.demands.begin(), mx.demands.end(),
                           [&](const LevelDemand &d) { return d.level == lv->value; });
    if (it == mx.demands.end()) {
        mx.demands.push_back({});
        it = std::prev(mx.demands.end());
        it->level = lv->value;
        it->span = field.span;
    }
    static const std::vector<std::string_view> keys = {"lines", "kind", "independent_review",
                                                       "max_age"};
    const std::vector<std::string_view> &ev_kinds = evidence_kind_words();
    for (const auto &item : field.items) {
        const std::string &key = item.key.name;
        if (key == "independent_review") {
            it->review = Independence::Person;
            if (!item.value) {
                continue;
            }
            static const std::vector<std::string_view> degrees = {"person", "team", "department"};
            if (auto idx = vocabulary_index(item.value->name, degrees)) {
                it->review = static_cast<Independence>(*idx + 1);
            } else {
                report_vocabulary(diags_, *item.value, "independent_review", degrees);
            }
            continue;
        }
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            auto &d = diags_.error(Code::E0207, item.key.span,
                                   "`" + key + "` is not something a risk level can demand",
                                   "unknown demand");
            const std::string best = support::closest_match(key, keys);
            d.help = best.empty() ? "a level demands `lines = N`, `kind = KIND`, "
                                    "`independent_review [= person|team|department]` or "
                                    "`max_age = DAYS`"
                                  : "did you mean `" + best + "`?";
            continue;
        }
        if (!item.value) {
            diags_.error(Code::E0207, item.span, "`" + key + "` needs a value: `" + key + " = ...`",
                         "value missing");
            continue;
        }
        if (key == "kind") {
            if (auto idx = vocabulary_index(item.value->name, ev_kinds)) {
                const auto k = static_cast<EvidenceKind>(*idx + 1);
                if (std::find(it->kinds.begin(), it->kinds.end(), k) == it->kinds.end()) {
                    it->kinds.push_back(k);
                }
            } else {
                report_vocabulary(diags_, *item.value, "kind", ev_kinds);
            }
            continue;
        }
        char *end = nullptr;
        const std::string &text = item.value->name;
        const unsigned long n = std::strtoul(text.c_str(), &end, 10);
        const bool whole =
            !text.empty() && end == text.c_str() + text.size() &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
            n < 100000 && (key != "lines" || n >= 1);
        if (!whole) {
            diags_.error(Code::E0207, item.value->span,
                         key == "lines"
                             ? "`lines` is a whole number of lines of evidence, 1 or more"
                             : "`max_age` is a whole number of days",
                         "not a whole number");
            continue;
        }
        if (key == "lines") {
            it->lines = std::max(it->lines, static_cast<std::uint32_t>(n));
        } else {
            const auto days = static_cast<std::uint32_t>(n);
            it->max_age = it->max_age ? std::min(*it->max_age, days) : days;
        }
    }
}

void Analyzer::build_hazards() {
    materialize(prog_.hazards, Deferred::Hazards);
    for (auto &hz : prog_.hazards) {
        const Decl &decl = prog_.decl(hz.decl);
        auto &node = *static_cast<ast::Hazard *>(ast_of_[hz.decl.value]);
        hz.title = std::move(node.title.value); // the body is released below
        const auto fields = admitted_fields(node.fields, DeclKind::Hazard, diags_);
        for (const ast::Field *f : fields) {
            if (const auto *rf = as<ast::RefField>(f); rf && rf->key == "matrix") {
                hz.matrix = resolve_ref(decl.module, rf->ref, kinds({DeclKind::Matrix}), "matrix");
            }
        }
        const MatrixInfo *mx =
            hz.matrix.valid() ? &prog_.matrices[prog_.decl(hz.matrix).index] : nullptr;
        for (const ast::Field *f : fields) {
            if (const auto *rf = as<ast::RefField>(f)) {
                if (rf->key == "severity") {
                    hz.severity_span = rf->ref.span;
                    hz.severity = resolve_scale_value(decl.module, rf->ref, mx ? mx->rows : kNone,
                                                      "severity");
                } else if (rf->key == "likelihood") {
                    hz.likelihood_span = rf->ref.span;
                    hz.likelihood = resolve_scale_value(decl.module, rf->ref,
                                                        mx ? mx->columns : kNone, "likelihood");
                }
            } else if (const auto *t = as<ast::TextField>(f)) {
                hz.description = t->value.value;
            }
        }
        release_body<ast::Hazard>(hz.decl);
    }

    auto common_scale = [&](auto member) {
        std::set<std::uint32_t> scales;
        for (const auto &hz : prog_.hazards) {
            if (const auto &v = hz.*member) {
                scales.insert(v->scale);
            }
        }
        return scales.size() == 1 ? *scales.begin() : kNone;
    };
    severity_scale_ = common_scale(&HazardInfo::severity);
    likelihood_scale_ = common_scale(&HazardInfo::likelihood);
    {
        std::set<std::uint32_t> levels;
        for (const auto &hz : prog_.hazards) {
            if (hz.matrix.valid()) {
                levels.insert(prog_.matrices[prog_.decl(hz.matrix).index].levels);
            }
        }
        risk_scale_ = levels.size() == 1 ? *levels.begin() : kNone;
    }
}

} // namespace assure::sema
