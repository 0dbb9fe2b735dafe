// SPDX-License-Identifier: Apache-2.0
// Records from lines: flat records and OpenTelemetry spans grouped per episode, their values
// typed and range-checked (record.hpp).
#include "monitor/record.hpp"

namespace assure::monitor {

using support::Code;

std::optional<RecordSource> RecordSource::make(const sema::Program &program, sema::DeclId domain,
                                               Mapping mapping, std::vector<std::uint32_t> required,
                                               std::string &error) {
    RecordSource rs;
    rs.program_ = &program;
    rs.domain_ = domain;
    rs.mapping_ = std::move(mapping);
    rs.var_count_ = program.variables.size();
    rs.required_ = std::move(required);
    rs.bounds_.resize(rs.var_count_);
    rs.bounded_.assign(rs.var_count_, false);
    const sema::DomainInfo &dom = program.domains[program.decl(domain).index];
    for (std::uint32_t var : dom.vars) {
        const sema::Variable &v = program.variables[var];
        rs.by_name_.emplace(v.name, var);
        if ((v.kind == sema::VarKind::Real || v.kind == sema::VarKind::Int) && !v.lo_text.empty() &&
            !v.hi_text.empty()) {
            rs.bounds_[var] = {Rational(v.lo), Rational(v.hi)};
            rs.bounded_[var] = true;
        }
    }
    for (const auto &[name, src] : rs.mapping_.fields) {
        if (rs.by_name_.count(name) == 0) {
            error = "fields." + name + ": `" + name + "` is not a variable of domain " +
                    program.qualified_name(domain);
            return std::nullopt;
        }
    }
    for (std::uint32_t var : dom.vars) {
        const std::string &name = program.variables[var].name;
        const auto it = rs.mapping_.fields.find(name);
        if (it != rs.mapping_.fields.end()) {
            rs.sources_.emplace_back(var, &it->second);
        } else if (!rs.mapping_.spans) {
            rs.sources_.emplace_back(var, nullptr); // the key of its own name
        }
    }
    if (!rs.mapping_.spans) {
        for (const auto &[var, src] : rs.sources_) {
            const auto &ptr = src != nullptr ? src->pointer : std::vector<std::string>{};
            rs.top_keys_.push_back(src != nullptr ? (ptr.empty() ? std::string() : ptr[0])
                                                  : program.variables[var].name);
        }
        if (rs.mapping_.has_id && !rs.mapping_.id.empty()) {
            rs.top_keys_.push_back(rs.mapping_.id[0]);
        }
        return rs;
    }
    auto attr_index = [&rs](const std::string &name) {
        for (std::uint32_t idx = 0; idx < rs.attr_names_.size(); ++idx) {
            if (rs.attr_names_[idx] == name) {
                return idx;
            }
        }
        rs.attr_names_.push_back(name);
        return static_cast<std::uint32_t>(rs.attr_names_.size() - 1);
    };
    rs.key_attr_ = attr_index(rs.mapping_.episode_key);
    for (const auto &[var, src] : rs.sources_) {
        SpanField f;
        f.var = var;
        f.source = src;
        for (const auto &[attr, value] : src->where) {
            f.where.emplace_back(attr_index(attr), value);
        }
        if (src->kind == FieldSource::Kind::Value) {
            f.attr = attr_index(src->attribute);
            if (src->default_value) {
                JsonTree t;
                std::string why;
                if (t.parse(*src->default_value, why)) {
                    f.fallback = scalar_of(t, t.root_id());
                }
            }
        }
        rs.span_fields_.push_back(std::move(f));
    }
    return rs;
}

RecordSource::Scalar RecordSource::scalar_of(const JsonTree &tree, std::uint32_t node) {
    const JsonNode &n = tree.node(node);
    Scalar s;
    s.kind = n.kind;
    s.boolean = n.boolean;
    if (n.kind == JsonNode::Kind::Number || n.kind == JsonNode::Kind::String) {
        s.text = n.text;
    } else if (n.kind == JsonNode::Kind::Bool) {
        s.text = n.boolean ? "true" : "false";
    }
    return s;
}

std::string RecordSource::type_text(std::uint32_t var) const {
    const sema::Variable &v = program_->variables[var];
    switch (v.kind) {
    case sema::VarKind::Bool:
        return "bool";
    case sema::VarKind::Enum: {
        std::string out = "enum {";
        for (std::size_t idx = 0; idx < v.values.size(); ++idx) {
            out += (idx == 0 ? " " : ", ") + v.values[idx];
        }
        return out + " }";
    }
    case sema::VarKind::Int:
    case sema::VarKind::Real:
        return std::string(v.kind == sema::VarKind::Int ? "int" : "real") +
               (v.lo_text.empty() ? "" : " [" + v.lo_text + ", " + v.hi_text + "]");
    }
    return "";
}

namespace {
/// `text` for a message or an output line: at most `limit` bytes, control bytes escaped (so a
/// record can never break the one-line-per-record output).
std::string shown(const std::string &text, std::size_t limit = 40) {
    std::string out;
    for (unsigned char c : text.substr(0, limit)) {
        if (c < 0x20 || c == 0x7f) {
            static const char *hex = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    return text.size() > limit ? out + "..." : out;
}
} // namespace

bool RecordSource::convert(const Scalar &s, std::uint32_t var, VarValue &out,
                           RecordError &err) const {
    const sema::Variable &v = program_->variables[var];
    auto wrong = [&](const std::string &what) {
        err.code = Code::E0835;
        err.message = "`" + v.name + "` is " + what + ", not a value of " + type_text(var);
        return false;
    };
    switch (v.kind) {
    case sema::VarKind::Bool:
        if (s.kind != JsonNode::Kind::Bool) {
            return wrong(s.kind == JsonNode::Kind::String ? "the string \"" + shown(s.text) + "\""
                                                          : json_kind_phrase(s.kind));
        }
        out.kind = VarValue::Kind::Bool;
        out.boolean = s.boolean;
        return true;
    case sema::VarKind::Enum:
        if (s.kind != JsonNode::Kind::String) {
            return wrong(s.kind == JsonNode::Kind::Number ? "the number " + shown(s.text)
                                                          : json_kind_phrase(s.kind));
        }
        for (std::uint32_t idx = 0; idx < v.values.size(); ++idx) {
            if (v.values[idx] == s.text) {
                out.kind = VarValue::Kind::Enum;
                out.index = idx;
                return true;
            }
        }
        return wrong("\"" + shown(s.text) + "\"");
    case sema::VarKind::Int:
    case sema::VarKind::Real: {
        if (s.kind != JsonNode::Kind::Number) {
            return wrong(s.kind == JsonNode::Kind::String ? "the string \"" + shown(s.text) + "\""
                                                          : json_kind_phrase(s.kind));
        }
        auto r = Rational::parse(s.text);
        if (!r) {
            return wrong("the number " + shown(s.text) + ", too large to hold exactly");
        }
        if (v.kind == sema::VarKind::Int && !r->is_integer()) {
            return wrong(shown(s.text));
        }
        if (bounded_[var] && (*r < bounds_[var].first || *r > bounds_[var].second)) {
            err.code = Code::E0836;
            err.message = "`" + v.name + "` = " + shown(s.text) + " is outside its range [" +
                          v.lo_text + ", " + v.hi_text + "]";
            return false;
        }
        out.kind = VarValue::Kind::Number;
        out.number = std::move(*r);
        out.text = s.text;
        return true;
    }
    }
    return false;
}

bool RecordSource::complete(const Record &r, RecordError &err) const {
    for (std::uint32_t var : required_) {
        if (r.values[var].kind == VarValue::Kind::Absent) {
            err.code = Code::E0837;
            err.message = "no value for `" + program_->variables[var].name +
                          "`, which the monitored statements read";
            return false;
        }
    }
    return true;
}

void RecordSource::line(std::uint64_t number, std::string_view text, Output &out) {
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
        return; // a blank line holds no record
    }
    if (mapping_.spans) {
        spans(number, text, out);
    } else {
        flat(number, text, out);
    }
}

void RecordSource::too_long(std::uint64_t number, Output &out) {
    out.errors.push_back(
        {number,
         {},
         Code::E0833,
         "the line is longer than " + std::to_string(LineReader::kMaxLine) + " bytes"});
    out.order.push_back(false);
}

void RecordSource::flat(std::uint64_t number, std::string_view text, Output &out) {
    RecordError err{number, {}, Code::E0833, {}};
    auto fail = [&]() {
        out.errors.push_back(std::move(err));
        out.order.push_back(false);
    };
    if (!tree_.parse(text, err.message)) {
        return fail();
    }
    if (tree_.root().kind != JsonNode::Kind::Object) {
        err.message =
            std::string("a record is a JSON object, not ") + json_kind_phrase(tree_.root().kind);
        return fail();
    }
    Record r;
    r.line = number;
    if (mapping_.has_id) {
        if (const auto id = tree_.at(0, mapping_.id)) {
            const JsonNode &n = tree_.node(*id);
            if (n.kind == JsonNode::Kind::String || n.kind == JsonNode::Kind::Number) {
                r.id = shown(n.text, 200);
            }
        }
    }
    err.id = r.id;
    if (mapping_.unknown_fields_error) {
        for (std::uint32_t k = tree_.root().first; k != 0; k = tree_.node(k).next) {
            const std::string &key = tree_.node(k).key;
            bool used = false;
            for (const auto &t : top_keys_) {
                used = used || t == key;
            }
            if (!used) {
                err.code = Code::E0834;
                err.message = "`" + shown(key) + "` is not a variable of domain " +
                              program_->qualified_name(domain_);
                return fail();
            }
        }
    }
    r.values.resize(var_count_);
    for (const auto &[var, src] : sources_) {
        std::optional<std::uint32_t> node;
        if (src == nullptr) {
            node = tree_.member(0, program_->variables[var].name);
        } else {
            node = tree_.at(0, src->pointer);
        }
        if (!node || tree_.node(*node).kind == JsonNode::Kind::Null) {
            continue;
        }
        if (!convert(scalar_of(tree_, *node), var, r.values[var], err)) {
            return fail();
        }
    }
    if (!complete(r, err)) {
        return fail();
    }
    out.records.push_back(std::move(r));
    out.order.push_back(true);
}

std::optional<RecordSource::Scalar> RecordSource::span_attribute(std::uint32_t span,
                                                                 const std::string &name) const {
    if (!name.empty() && name[0] == '@') {
        const auto m = tree_.member(span, std::string_view(name).substr(1));
        if (!m) {
            return std::nullopt;
        }
        return scalar_of(tree_, *m);
    }
    const auto attrs = tree_.member(span, "attributes");
    if (!attrs) {
        return std::nullopt;
    }
    const JsonNode &a = tree_.node(*attrs);
    if (a.kind == JsonNode::Kind::Object) {
        const auto m = tree_.member(*attrs, name);
        if (!m) {
            return std::nullopt;
        }
        return scalar_of(tree_, *m);
    }
    if (a.kind != JsonNode::Kind::Array) {
        return std::nullopt;
    }
    // OTLP JSON: [{"key": K, "value": {"stringValue" | "intValue" | "doubleValue" |
    // "boolValue": V}}]; an intValue is a string of digits (64-bit integers in JSON).
    for (std::uint32_t kv = a.first; kv != 0; kv = tree_.node(kv).next) {
        const auto key = tree_.member(kv, "key");
        if (!key || tree_.node(*key).kind != JsonNode::Kind::String ||
            tree_.node(*key).text != name) {
            continue;
        }
        const auto value = tree_.member(kv, "value");
        if (!value) {
            return std::nullopt;
        }
        for (const char *field : {"stringValue", "boolValue", "intValue", "doubleValue"}) {
            if (const auto v = tree_.member(*value, field)) {
                Scalar s = scalar_of(tree_, *v);
                if (std::string_view(field) == "intValue" && s.kind == JsonNode::Kind::String) {
                    s.kind = JsonNode::Kind::Number;
                    if (s.text.empty() ||
                        s.text.find_first_not_of("-0123456789") != std::string::npos) {
                        s.kind = JsonNode::Kind::String;
                    }
                }
                return s;
            }
        }
        Scalar other;
        other.kind = JsonNode::Kind::Object;
        return other;
    }
    return std::nullopt;
}

void RecordSource::spans(std::uint64_t number, std::string_view text, Output &out) {
    RecordError err{number, {}, Code::E0833, {}};
    if (!tree_.parse(text, err.message)) {
        out.errors.push_back(std::move(err));
        out.order.push_back(false);
        return;
    }
    if (tree_.root().kind != JsonNode::Kind::Object) {
        err.message = std::string("a span (or an OTLP export request) is a JSON object, not ") +
                      json_kind_phrase(tree_.root().kind);
        out.errors.push_back(std::move(err));
        out.order.push_back(false);
        return;
    }
    const auto resource_spans = tree_.member(0, "resourceSpans");
    if (!resource_spans) {
        add_span(number, 0, out);
        return;
    }
    // An OTLP/JSON ExportTraceServiceRequest: resourceSpans[].scopeSpans[].spans[].
    for (std::uint32_t rs : tree_.children(*resource_spans)) {
        const auto scope_spans = tree_.member(rs, "scopeSpans");
        if (!scope_spans) {
            continue;
        }
        for (std::uint32_t ss : tree_.children(*scope_spans)) {
            const auto list = tree_.member(ss, "spans");
            if (!list) {
                continue;
            }
            for (std::uint32_t span : tree_.children(*list)) {
                add_span(number, span, out);
            }
        }
    }
}

void RecordSource::add_span(std::uint64_t number, std::uint32_t span_node, Output &out) {
    const auto key = span_attribute(span_node, mapping_.episode_key);
    if (!key || (key->kind != JsonNode::Kind::String && key->kind != JsonNode::Kind::Number)) {
        out.errors.push_back({number,
                              {},
                              Code::E0833,
                              "a span without the episode attribute `" + mapping_.episode_key +
                                  "` (a string or number)"});
        out.order.push_back(false);
        return;
    }
    if (!open_ || key->text != episode_key_) {
        close_episode(out);
        open_ = true;
        episode_line_ = number;
        episode_key_ = key->text;
    }
    if (episode_.size() >= mapping_.max_spans) {
        episode_overflow_ = true;
        return;
    }
    Span s;
    s.attrs.reserve(attr_names_.size());
    for (const auto &name : attr_names_) {
        s.attrs.push_back(span_attribute(span_node, name));
    }
    episode_.push_back(std::move(s));
}

void RecordSource::finish(Output &out) {
    close_episode(out);
}

void RecordSource::close_episode(Output &out) {
    if (!open_) {
        return;
    }
    open_ = false;
    RecordError err{episode_line_, shown(episode_key_, 200), Code::E0833, {}};
    auto fail = [&]() {
        out.errors.push_back(std::move(err));
        out.order.push_back(false);
    };
    const std::vector<Span> spans = std::move(episode_);
    episode_.clear();
    if (episode_overflow_) {
        episode_overflow_ = false;
        err.code = Code::E0839;
        err.message = "the episode has more than " + std::to_string(mapping_.max_spans) +
                      " spans (spans.max_spans)";
        return fail();
    }
    Record r;
    r.line = episode_line_;
    r.id = err.id;
    r.values.resize(var_count_);
    auto matches = [](const Span &s, const SpanField &f) {
        for (const auto &[idx, value] : f.where) {
            const auto &a = s.attrs[idx];
            if (!a || a->text != value) {
                return false;
            }
        }
        return true;
    };
    for (const SpanField &f : span_fields_) {
        const FieldSource &src = *f.source;
        std::vector<const Span *> hits;
        for (const Span &s : spans) {
            if (matches(s, f)) {
                hits.push_back(&s);
            }
        }
        Scalar value;
        if (src.kind == FieldSource::Kind::Count) {
            value.kind = JsonNode::Kind::Number;
            value.text = std::to_string(hits.size());
        } else if (src.kind == FieldSource::Kind::Exists) {
            value.kind = JsonNode::Kind::Bool;
            value.boolean = !hits.empty();
        } else {
            if (hits.empty()) {
                if (!f.fallback) {
                    continue; // absent: an error only if a statement reads it
                }
                value = *f.fallback;
            } else if (src.pick == FieldSource::Pick::Only && hits.size() > 1) {
                err.code = Code::E0838;
                err.message = std::to_string(hits.size()) + " spans match the field of `" +
                              program_->variables[f.var].name + "`, which picks the only one";
                return fail();
            } else {
                const Span &s = src.pick == FieldSource::Pick::First ? *hits.front() : *hits.back();
                const auto &a = s.attrs[f.attr];
                if (!a && !f.fallback) {
                    continue;
                }
                if (!a) {
                    value = *f.fallback; // the span does not carry it: the default
                } else if (src.argument) {
                    if (a->kind != JsonNode::Kind::String) {
                        err.code = Code::E0835;
                        err.message = "the tool call's `gen_ai.tool.call.arguments` is not a "
                                      "JSON string";
                        return fail();
                    }
                    std::string why;
                    if (!args_.parse(a->text, why)) {
                        err.message = "the tool call's arguments are " + why;
                        return fail();
                    }
                    const auto node = args_.at(0, *src.argument);
                    if (node) {
                        value = scalar_of(args_, *node);
                    } else if (f.fallback) {
                        value = *f.fallback;
                    } else {
                        continue;
                    }
                } else {
                    value = *a;
                }
            }
        }
        if (value.kind == JsonNode::Kind::Null) {
            continue;
        }
        if (!convert(value, f.var, r.values[f.var], err)) {
            return fail();
        }
    }
    if (!complete(r, err)) {
        return fail();
    }
    out.records.push_back(std::move(r));
    out.order.push_back(true);
}

} // namespace assure::monitor
