// SPDX-License-Identifier: Apache-2.0
// The bounded line reader and mapping files (record.hpp).
#include "monitor/record.hpp"

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <unistd.h>

namespace assure::monitor {

// ---- lines ---------------------------------------------------------------------------------

bool LineReader::fill(std::string &error) {
    char block[65536];
    for (;;) {
        const ssize_t n = ::read(fd_, block, sizeof block);
        if (n > 0) {
            buf_.append(block, static_cast<std::size_t>(n));
            return true;
        }
        if (n == 0) {
            eof_ = true;
            return true;
        }
        if (errno != EINTR) {
            error = std::strerror(errno);
            return false;
        }
    }
}

LineReader::Status LineReader::next(std::string_view &line, std::uint64_t &number,
                                    std::string &error) {
    std::size_t scanned = begin_;
    for (;;) {
        const std::size_t nl = buf_.find('\n', scanned);
        if (nl != std::string::npos && nl - begin_ > kMaxLine) {
            begin_ = nl + 1; // a whole long line arrived in one block: skipped all the same
            number = ++line_;
            return Status::TooLong;
        }
        if (nl != std::string::npos) {
            std::size_t end = nl;
            if (end > begin_ && buf_[end - 1] == '\r') {
                --end;
            }
            line = std::string_view(buf_).substr(begin_, end - begin_);
            begin_ = nl + 1;
            number = ++line_;
            return Status::Line;
        }
        scanned = buf_.size();
        if (buf_.size() - begin_ > kMaxLine) {
            // Too long: drop what we hold and everything up to the next newline.
            buf_.clear();
            begin_ = 0;
            number = ++line_;
            while (!eof_) {
                if (!fill(error)) {
                    return Status::Error;
                }
                const std::size_t skip = buf_.find('\n');
                if (skip != std::string::npos) {
                    buf_.erase(0, skip + 1);
                    return Status::TooLong;
                }
                buf_.clear();
            }
            return Status::TooLong;
        }
        if (eof_) {
            if (begin_ < buf_.size()) {
                line = std::string_view(buf_).substr(begin_);
                begin_ = buf_.size();
                number = ++line_;
                return Status::Line;
            }
            return Status::End;
        }
        if (begin_ > 0) {
            buf_.erase(0, begin_);
            scanned -= begin_;
            begin_ = 0;
        }
        if (!fill(error)) {
            return Status::Error;
        }
    }
}

// ---- mapping files -------------------------------------------------------------------------

namespace {

using nlohmann::json;

bool pointer_field(const json &v, const std::string &where, std::vector<std::string> &out,
                   std::string &error) {
    if (!v.is_string()) {
        error = where + ": a JSON pointer string (\"/a/b\") is expected";
        return false;
    }
    auto tokens = pointer_tokens(v.get<std::string>());
    if (!tokens) {
        error = where + ": `" + v.get<std::string>() +
                "` is not a JSON pointer (RFC 6901: empty, or \"/\" before each token)";
        return false;
    }
    out = std::move(*tokens);
    return true;
}

bool where_field(const json &v, const std::string &where,
                 std::vector<std::pair<std::string, std::string>> &out, std::string &error) {
    if (!v.is_object()) {
        error = where + ": an object of attribute names and values is expected";
        return false;
    }
    for (const auto &[k, val] : v.items()) {
        if (val.is_string()) {
            out.emplace_back(k, val.get<std::string>());
        } else if (val.is_boolean() || val.is_number_integer()) {
            out.emplace_back(k, val.dump());
        } else {
            error = where + "." + k + ": a string, integer or boolean is expected";
            return false;
        }
    }
    return true;
}

bool field_source(const std::string &name, const json &v, bool spans, FieldSource &out,
                  std::string &error) {
    const std::string where = "fields." + name;
    if (v.is_string()) {
        if (spans) {
            error = where + ": in spans mode a field is {\"count\": ...}, {\"exists\": ...} or "
                            "{\"select\": ..., \"attribute\" or \"argument\": ...}";
            return false;
        }
        out.kind = FieldSource::Kind::Pointer;
        return pointer_field(v, where, out.pointer, error);
    }
    if (!v.is_object()) {
        error = where + ": a JSON pointer string or an object is expected";
        return false;
    }
    static const std::set<std::string> known = {"pointer",   "count",    "exists", "select",
                                                "attribute", "argument", "pick",   "default"};
    for (const auto &[k, val] : v.items()) {
        if (known.count(k) == 0) {
            error = where + ": unknown key `" + k + "`";
            return false;
        }
    }
    if (v.contains("pointer")) {
        if (spans || v.size() != 1) {
            error = where + ": `pointer` stands alone, and not in spans mode";
            return false;
        }
        out.kind = FieldSource::Kind::Pointer;
        return pointer_field(v["pointer"], where + ".pointer", out.pointer, error);
    }
    if (!spans) {
        error = where + ": count, exists and select need \"spans\" (docs/monitor.md)";
        return false;
    }
    if (v.contains("count") || v.contains("exists")) {
        const bool count = v.contains("count");
        if (v.size() != 1) {
            error = where + ": `count` and `exists` stand alone";
            return false;
        }
        out.kind = count ? FieldSource::Kind::Count : FieldSource::Kind::Exists;
        return where_field(v[count ? "count" : "exists"], where, out.where, error);
    }
    if (!v.contains("select")) {
        error = where + ": one of pointer, count, exists or select is needed";
        return false;
    }
    out.kind = FieldSource::Kind::Value;
    if (!where_field(v["select"], where + ".select", out.where, error)) {
        return false;
    }
    if (v.contains("attribute") == v.contains("argument")) {
        error = where + ": select needs exactly one of `attribute` and `argument`";
        return false;
    }
    if (v.contains("attribute")) {
        if (!v["attribute"].is_string() || v["attribute"].get<std::string>().empty()) {
            error = where + ".attribute: an attribute name is expected";
            return false;
        }
        out.attribute = v["attribute"].get<std::string>();
    } else {
        std::vector<std::string> tokens;
        if (!pointer_field(v["argument"], where + ".argument", tokens, error)) {
            return false;
        }
        out.argument = std::move(tokens);
        out.attribute = "gen_ai.tool.call.arguments";
    }
    if (v.contains("pick")) {
        const json &p = v["pick"];
        if (p == "first") {
            out.pick = FieldSource::Pick::First;
        } else if (p == "last") {
            out.pick = FieldSource::Pick::Last;
        } else if (p == "only") {
            out.pick = FieldSource::Pick::Only;
        } else {
            error = where + ".pick: \"first\", \"last\" or \"only\" is expected";
            return false;
        }
    }
    if (v.contains("default")) {
        const json &d = v["default"];
        if (!d.is_primitive() || d.is_null()) {
            error = where + ".default: a number, string or boolean is expected";
            return false;
        }
        out.default_value = d.dump();
    }
    return true;
}

} // namespace

Mapping flat_mapping() {
    Mapping m;
    m.id = {"id"};
    m.has_id = true;
    m.unknown_fields_error = true;
    return m;
}

std::optional<Mapping> parse_mapping(std::string_view text, std::string &error) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception &e) {
        error = std::string("not valid JSON: ") + e.what();
        return std::nullopt;
    }
    if (!doc.is_object()) {
        error = "a mapping is a JSON object";
        return std::nullopt;
    }
    static const std::set<std::string> known = {"domain", "odd",   "id",
                                                "fields", "spans", "unknown_fields"};
    for (const auto &[k, v] : doc.items()) {
        if (known.count(k) == 0) {
            error =
                "unknown key `" + k + "` (known: domain, odd, id, fields, spans, unknown_fields)";
            return std::nullopt;
        }
    }
    Mapping m;
    for (const char *key : {"domain", "odd"}) {
        if (doc.contains(key)) {
            if (!doc[key].is_string() || doc[key].get<std::string>().empty()) {
                error = std::string(key) + ": a name is expected";
                return std::nullopt;
            }
            (std::string(key) == "domain" ? m.domain : m.odd) = doc[key].get<std::string>();
        }
    }
    if (doc.contains("unknown_fields")) {
        const json &u = doc["unknown_fields"];
        if (u != "error" && u != "ignore") {
            error = "unknown_fields: \"error\" or \"ignore\" is expected";
            return std::nullopt;
        }
        m.unknown_fields_error = u == "error";
    }
    if (doc.contains("spans")) {
        const json &s = doc["spans"];
        if (!s.is_object() || !s.contains("episode") || !s["episode"].is_string() ||
            s["episode"].get<std::string>().empty()) {
            error = "spans: {\"episode\": ATTRIBUTE} is expected (the attribute, or \"@traceId\", "
                    "that groups spans into episodes)";
            return std::nullopt;
        }
        for (const auto &[k, v] : s.items()) {
            if (k != "episode" && k != "max_spans") {
                error = "spans: unknown key `" + k + "`";
                return std::nullopt;
            }
        }
        m.spans = true;
        m.episode_key = s["episode"].get<std::string>();
        if (s.contains("max_spans")) {
            const json &n = s["max_spans"];
            if (!n.is_number_unsigned() || n.get<std::uint64_t>() == 0 ||
                n.get<std::uint64_t>() > 1000000) {
                error = "spans.max_spans: an integer from 1 to 1000000 is expected";
                return std::nullopt;
            }
            m.max_spans = n.get<std::size_t>();
        }
        if (m.unknown_fields_error) {
            error = "unknown_fields: spans carry many attributes; it applies to flat records only";
            return std::nullopt;
        }
    }
    if (doc.contains("id")) {
        if (m.spans) {
            error = "id: in spans mode an episode's id is its episode key";
            return std::nullopt;
        }
        if (!pointer_field(doc["id"], "id", m.id, error)) {
            return std::nullopt;
        }
        m.has_id = true;
    }
    if (doc.contains("fields")) {
        const json &f = doc["fields"];
        if (!f.is_object()) {
            error = "fields: an object of variable names is expected";
            return std::nullopt;
        }
        for (const auto &[name, v] : f.items()) {
            FieldSource src;
            if (!field_source(name, v, m.spans, src, error)) {
                return std::nullopt;
            }
            m.fields.emplace(name, std::move(src));
        }
    } else if (m.spans) {
        error = "fields: spans mode needs the fields of each variable";
        return std::nullopt;
    }
    return m;
}

} // namespace assure::monitor
