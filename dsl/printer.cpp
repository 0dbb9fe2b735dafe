// SPDX-License-Identifier: Apache-2.0
#include "dsl/printer.hpp"

#include "support/text.hpp"

namespace assure::dsl {
namespace {

std::string quote(const std::string &s) {
    return support::quote_literal(s);
}

std::string name(const ast::QName &q) {
    std::string s;
    for (const auto &p : q.parts) {
        s += (s.empty() ? "" : ".") + p.name;
    }
    return s;
}

template <typename T, typename F>
std::string join(const std::vector<T> &items, const char *sep, F f) {
    std::string s;
    for (std::size_t idx = 0; idx < items.size(); ++idx) {
        s += (idx == 0 ? "" : sep) + f(items[idx]);
    }
    return s;
}

struct ExprPrinter {
    std::string expr(const ast::Expr &e) const {
        return join(e.terms, " implies ", [&](const ast::OrExpr &o) { return or_expr(o); });
    }
    std::string or_expr(const ast::OrExpr &e) const {
        return join(e.terms, " or ", [&](const ast::AndExpr &a) { return and_expr(a); });
    }
    std::string and_expr(const ast::AndExpr &e) const {
        return join(e.terms, " and ", [&](const ast::NotExpr &n) { return not_expr(n); });
    }
    std::string not_expr(const ast::NotExpr &e) const {
        std::string s;
        for (std::uint32_t idx = 0; idx < e.nots; ++idx) {
            s += "not ";
        }
        return s + comparison(e.operand);
    }
    std::string comparison(const ast::Comparison &c) const {
        std::string s = operand(c.lhs);
        if (!c.tail) {
            return s;
        }
        if (const auto *rel_ptr = boost::get<ast::x3::forward_ast<ast::RelTail>>(&*c.tail)) {
            const ast::RelTail *rel = &rel_ptr->get();
            return s + " " + rel->op + " " + operand(rel->rhs);
        }
        const auto &in = boost::get<ast::x3::forward_ast<ast::InTail>>(*c.tail).get();
        s += in.negated.empty() ? " in " : " not in ";
        if (const auto *iv = boost::get<ast::IntervalSet>(&in.set)) {
            return s + iv->open + operand(iv->lo) + ", " + operand(iv->hi) + iv->close;
        }
        const auto &set = boost::get<ast::EnumSet>(in.set);
        return s + "{" + join(set.items, ", ", [&](const ast::Operand &x) { return operand(x); }) +
               "}";
    }
    std::string operand(const ast::Operand &o) const {
        if (const auto *u = boost::get<ast::Unary>(&o)) {
            return unary(*u);
        }
        return sum(boost::get<ast::x3::forward_ast<ast::Sum>>(o).get());
    }
    std::string sum(const ast::Sum &s) const {
        std::string out = product(s.first);
        for (const auto &t : s.rest) {
            out += std::string(" ") + t.op + " " + product(t.operand);
        }
        return out;
    }
    std::string product(const ast::Product &p) const {
        std::string out = unary(p.first);
        for (const auto &t : p.rest) {
            out += std::string(" ") + t.op + " " + unary(t.operand);
        }
        return out;
    }
    std::string unary(const ast::Unary &u) const {
        return std::string(u.minus, '-') + primary(u.operand);
    }
    std::string filter(const boost::optional<ast::Expr> &f) const {
        return f ? " where " + expr(*f) : std::string();
    }
    std::string primary(const ast::Primary &p) const {
        struct V {
            const ExprPrinter &pr;
            std::string operator()(const ast::NumberLit &n) const { return n.text; }
            std::string operator()(const ast::DateLit &d) const { return d.text; }
            std::string operator()(const ast::BoolLit &b) const { return b.text; }
            std::string operator()(const ast::StringLit &s) const { return quote(s.value); }
            std::string operator()(const ast::x3::forward_ast<ast::Call> &c) const {
                return c.get().function.name + "(" +
                       join(c.get().args, ", ", [&](const ast::Expr &e) { return pr.expr(e); }) +
                       ")";
            }
            std::string operator()(const ast::x3::forward_ast<ast::Quantifier> &q) const {
                const auto &x = q.get();
                return x.quantifier + " " + x.var.name + " in " + x.collection.name +
                       pr.filter(x.filter) + ": " + pr.expr(x.body);
            }
            std::string operator()(const ast::x3::forward_ast<ast::Count> &c) const {
                const auto &x = c.get();
                return "count(" + x.var.name + " in " + x.collection.name + pr.filter(x.filter) +
                       ")";
            }
            std::string operator()(const ast::QName &q) const { return name(q); }
            std::string operator()(const ast::x3::forward_ast<ast::Paren> &p) const {
                return "(" + pr.expr(p.get().inner) + ")";
            }
        };
        return boost::apply_visitor(V{*this}, p);
    }
};

std::string region(const ast::Region &r) {
    return name(r.base) + (r.where ? " where " + ExprPrinter{}.expr(*r.where) : std::string());
}

/// `read ARTIFACT` and the selector's items, `=` spaced and `,` followed by a space.
std::string read_source(const ast::ReadSource &r) {
    struct V {
        std::string operator()(const ast::Ident &x) const { return " " + x.name; }
        std::string operator()(const ast::StringLit &x) const { return " " + quote(x.value); }
        std::string operator()(const ast::NumberLit &x) const { return " " + x.text; }
        std::string operator()(const ast::Punct &x) const {
            return x.text == "," ? std::string(",") : " " + x.text;
        }
    };
    std::string s = "read " + name(r.artifact);
    for (const auto &item : r.items) {
        s += boost::apply_visitor(V{}, item);
    }
    return s;
}

std::string metric_value(const ast::MetricValue &v) {
    struct V {
        std::string operator()(const ast::NumberLit &x) const { return x.text; }
        std::string operator()(const ast::ReadSource &x) const { return read_source(x); }
    };
    return boost::apply_visitor(V{}, v);
}

std::string field(const ast::Field &f) {
    struct V {
        std::string operator()(const ast::Flag &x) const { return x.word; }
        std::string operator()(const ast::RefsField &x) const {
            return x.key + ": " + join(x.refs, ", ", [](const ast::QName &q) { return name(q); });
        }
        std::string operator()(const ast::WordField &x) const {
            return x.key + ": " + x.value.name;
        }
        std::string operator()(const ast::RefField &x) const { return x.key + ": " + name(x.ref); }
        std::string operator()(const ast::TextField &x) const {
            return x.key + ": " + quote(x.value.value);
        }
        std::string operator()(const ast::NumberField &x) const {
            return x.key == "at_least" ? "at_least " + x.value.text : x.key + ": " + x.value.text;
        }
        std::string operator()(const ast::DateField &x) const {
            return x.key + ": " + x.value.text;
        }
        std::string operator()(const ast::x3::forward_ast<ast::MetricField> &boxed) const {
            const auto &x = boxed.get();
            return "metric " + x.name.name + " = " + metric_value(x.value) + " over " +
                   region(x.over);
        }
        std::string operator()(const ast::x3::forward_ast<ast::ScopeField> &boxed) const {
            return "scope: " + region(boxed.get().region);
        }
        std::string operator()(const ast::RequiresField &x) const {
            return "requires: " + join(x.items, ", ", [](const ast::Requirement &r) {
                       return r.metric.name + " " + r.op + " " + r.value.text;
                   });
        }
        std::string operator()(const ast::FormalField &x) const {
            return "formal: " + ExprPrinter{}.expr(x.expr);
        }
        std::string operator()(const ast::CoverField &x) const {
            return x.key + ": " + join(x.vars, ", ", [](const ast::Ident &i) { return i.name; });
        }
        std::string operator()(const ast::RowField &x) const {
            return "row " + x.row.name + ": " + join(x.cells, ", ", [](const ast::Cell &c) {
                       return c.column.name + " = " + c.level.name;
                   });
        }
        std::string operator()(const ast::x3::forward_ast<ast::ResultReadField> &x) const {
            return "result: " + read_source(x.get().source);
        }
        std::string operator()(const ast::DemandField &x) const {
            return "demand " + x.level.name + ": " +
                   join(x.items, ", ", [](const ast::DemandItem &d) {
                       return d.key.name + (d.value ? " = " + d.value->name : std::string());
                   });
        }
    };
    return boost::apply_visitor(V{}, f);
}

std::string body(const ast::Fields &fields) {
    std::string s = " {\n";
    for (const auto &f : fields) {
        s += "  " + field(f) + "\n";
    }
    return s + "}";
}

std::string opt_title(const boost::optional<ast::StringLit> &t) {
    return t ? " " + quote(t->value) : std::string();
}

std::string declaration(const ast::Declaration &d) {
    struct V {
        std::string operator()(const ast::ModuleDecl &x) const { return "module " + name(x.name); }
        std::string operator()(const ast::Import &x) const {
            return "import " + name(x.name) + (x.alias ? " as " + x.alias->name : std::string());
        }
        std::string operator()(const ast::Domain &x) const {
            std::string s = "domain " + x.name.name + opt_title(x.title) + " {\n";
            for (const auto &v : x.vars) {
                s += "  " + v.name.name + " : ";
                if (const auto *n = boost::get<ast::NumType>(&v.type)) {
                    s += n->kind + " [" + n->lo.text + ", " + n->hi.text + "]";
                } else if (boost::get<ast::BoolType>(&v.type) != nullptr) {
                    s += "bool";
                } else {
                    s += "enum { " +
                         join(boost::get<ast::EnumType>(v.type).values, ", ",
                              [](const ast::Ident &i) { return i.name; }) +
                         " }";
                }
                if (v.unit) {
                    s += " unit " + quote(v.unit->value);
                }
                s += "\n";
            }
            return s + "}";
        }
        std::string operator()(const ast::Odd &x) const {
            return "odd " + x.name.name + opt_title(x.title) + " = " + region(x.region);
        }
        std::string operator()(const ast::Artifact &x) const {
            return "artifact " + x.name.name + " " + quote(x.path.value) +
                   (x.sha256 ? " sha256 " + quote(x.sha256->value) : std::string());
        }
        std::string operator()(const ast::Evidence &x) const {
            return "evidence " + x.name.name + " " + quote(x.title.value) + body(x.fields);
        }
        std::string operator()(const ast::Claim &x) const {
            return "claim " + x.name.name + " " + quote(x.title.value) +
                   (x.fields.empty() ? std::string() : body(x.fields));
        }
        std::string operator()(const ast::Strategy &x) const {
            return "strategy " + x.name.name + " " + quote(x.title.value) + " for " +
                   name(x.parent) + (x.fields.empty() ? std::string() : body(x.fields));
        }
        std::string operator()(const ast::Attachment &x) const {
            return x.kind + " " + x.name.name + " " + quote(x.title.value) + " for " +
                   join(x.targets, ", ", [](const ast::QName &q) { return name(q); }) +
                   (x.fields.empty() ? std::string() : body(x.fields));
        }
        std::string operator()(const ast::Defeater &x) const {
            return "defeater " + x.name.name + " " + x.relation.name + " " + name(x.target) + " " +
                   quote(x.title.value) + (x.fields.empty() ? std::string() : body(x.fields));
        }
        std::string operator()(const ast::Hazard &x) const {
            return "hazard " + x.name.name + " " + quote(x.title.value) +
                   (x.fields.empty() ? std::string() : body(x.fields));
        }
        std::string operator()(const ast::Scale &x) const {
            return "scale " + x.name.name + opt_title(x.title) + " { " +
                   join(x.values, " < ", [](const ast::Ident &i) { return i.name; }) + " }";
        }
        std::string operator()(const ast::Matrix &x) const {
            return "matrix " + x.name.name + opt_title(x.title) + body(x.fields);
        }
        std::string operator()(const ast::Rule &x) const {
            return "rule " + x.name.name + " " + quote(x.title.value) + " {\n  " +
                   ExprPrinter{}.expr(x.body) + "\n}";
        }
        std::string operator()(const ast::Pattern &x) const {
            return "pattern " + x.name.name + "(" +
                   join(x.params, ", ",
                        [](const ast::PatternParam &p) {
                            return p.name.name + ": " + p.kind.name;
                        }) +
                   ")" + opt_title(x.title) + " {" + x.body + "}";
        }
        std::string operator()(const ast::Instance &x) const {
            return "instance " + x.name.name + " = " + name(x.pattern) + "(" +
                   join(x.args, ", ",
                        [](const ast::PatternArg &a) {
                            if (const auto *q = boost::get<ast::QName>(&a)) {
                                return name(*q);
                            }
                            if (const auto *n = boost::get<ast::NumberLit>(&a)) {
                                return n->text;
                            }
                            return quote(boost::get<ast::StringLit>(a).value);
                        }) +
                   ")";
        }
    };
    return boost::apply_visitor(V{}, d);
}

} // namespace

std::string print(const ast::Expr &expr) {
    return ExprPrinter{}.expr(expr);
}

std::string print(const ast::File &file) {
    std::string out;
    for (const auto &d : file.decls) {
        out += declaration(d) + "\n";
    }
    return out;
}

} // namespace assure::dsl
