// SPDX-License-Identifier: Apache-2.0
#include "monitor/json_tree.hpp"

#include <nlohmann/json.hpp>
#include <string>

namespace assure::monitor {

/// nlohmann_json SAX events to JsonTree nodes. Returning false stops the parse.
class JsonTreeBuilder : public nlohmann::json_sax<nlohmann::json> {
  public:
    explicit JsonTreeBuilder(JsonTree &tree) : tree_(tree) {}

    bool null() override { return leaf(JsonNode::Kind::Null); }
    bool boolean(bool val) override {
        if (!leaf(JsonNode::Kind::Bool)) {
            return false;
        }
        tree_.nodes_.back().boolean = val;
        return true;
    }
    bool number_integer(number_integer_t val) override { return number(std::to_string(val)); }
    bool number_unsigned(number_unsigned_t val) override { return number(std::to_string(val)); }
    bool number_float(number_float_t, const string_t &s) override { return number(s); }
    bool string(string_t &val) override {
        if (!leaf(JsonNode::Kind::String)) {
            return false;
        }
        tree_.nodes_.back().text = std::move(val);
        return true;
    }
    bool binary(binary_t &) override { return fail("binary values are not JSON"); }
    bool start_object(std::size_t) override { return open(JsonNode::Kind::Object); }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(JsonNode::Kind::Array); }
    bool end_array() override { return close(); }
    bool key(string_t &val) override {
        key_ = std::move(val);
        return true;
    }
    bool parse_error(std::size_t position, const std::string &,
                     const nlohmann::detail::exception &ex) override {
        // nlohmann's message names the byte and what it expected; keep it short and one line.
        std::string what = ex.what();
        if (const auto p = what.find("syntax error while parsing value - ");
            p != std::string::npos) {
            what = what.substr(p + 35);
        } else if (const auto q = what.find("] "); q != std::string::npos) {
            what = what.substr(q + 2);
        }
        if (what.size() > 200) {
            what = what.substr(0, 200) + "...";
        }
        error_ = "not valid JSON at byte " + std::to_string(position) + ": " + what;
        return false;
    }

    std::string error_;

  private:
    bool fail(std::string why) {
        error_ = std::move(why);
        return false;
    }
    bool number(const std::string &text) {
        if (!leaf(JsonNode::Kind::Number)) {
            return false;
        }
        tree_.nodes_.back().text = text;
        return true;
    }
    /// Appends a node under the open container (or as the root).
    bool append(JsonNode::Kind kind) {
        if (tree_.nodes_.size() >= JsonTree::kMaxNodes) {
            return fail("more than " + std::to_string(JsonTree::kMaxNodes) + " JSON values");
        }
        const auto id = static_cast<std::uint32_t>(tree_.nodes_.size());
        JsonNode n;
        n.kind = kind;
        if (!open_.empty()) {
            JsonNode &parent = tree_.nodes_[open_.back()];
            if (parent.kind == JsonNode::Kind::Object) {
                n.key = std::move(key_);
                key_.clear();
            }
            if (last_.back() == 0) {
                parent.first = id;
            } else {
                tree_.nodes_[last_.back()].next = id;
            }
            last_.back() = id;
        }
        tree_.nodes_.push_back(std::move(n));
        return true;
    }
    bool leaf(JsonNode::Kind kind) { return append(kind); }
    bool open(JsonNode::Kind kind) {
        if (open_.size() >= JsonTree::kMaxDepth) {
            return fail("nested deeper than " + std::to_string(JsonTree::kMaxDepth) + " levels");
        }
        if (!append(kind)) {
            return false;
        }
        open_.push_back(static_cast<std::uint32_t>(tree_.nodes_.size() - 1));
        last_.push_back(0);
        return true;
    }
    bool close() {
        open_.pop_back();
        last_.pop_back();
        return true;
    }

    JsonTree &tree_;
    std::vector<std::uint32_t> open_, last_;
    std::string key_;
};

bool JsonTree::parse(std::string_view text, std::string &error) {
    nodes_.clear();
    JsonTreeBuilder builder(*this);
    const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder,
                                              nlohmann::json::input_format_t::json, true);
    if (!ok || nodes_.empty()) {
        error = builder.error_.empty() ? "not valid JSON" : builder.error_;
        return false;
    }
    return true;
}

std::optional<std::uint32_t> JsonTree::member(std::uint32_t id, std::string_view key) const {
    const JsonNode &n = nodes_[id];
    if (n.kind != JsonNode::Kind::Object) {
        return std::nullopt;
    }
    std::optional<std::uint32_t> found;
    for (std::uint32_t k = n.first; k != 0; k = nodes_[k].next) {
        if (nodes_[k].key == key) {
            found = k;
        }
    }
    return found;
}

std::vector<std::uint32_t> JsonTree::children(std::uint32_t id) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t k = nodes_[id].first; k != 0; k = nodes_[k].next) {
        out.push_back(k);
    }
    return out;
}

std::optional<std::uint32_t> JsonTree::at(std::uint32_t id,
                                          const std::vector<std::string> &tokens) const {
    for (const std::string &tok : tokens) {
        const JsonNode &n = nodes_[id];
        if (n.kind == JsonNode::Kind::Object) {
            const auto m = member(id, tok);
            if (!m) {
                return std::nullopt;
            }
            id = *m;
        } else if (n.kind == JsonNode::Kind::Array) {
            // RFC 6901: an index is "0" or digits without a leading zero.
            if (tok.empty() || tok.size() > 9 || (tok.size() > 1 && tok[0] == '0') ||
                tok.find_first_not_of("0123456789") != std::string::npos) {
                return std::nullopt;
            }
            std::uint32_t want = static_cast<std::uint32_t>(std::stoul(tok));
            std::uint32_t k = n.first;
            for (; k != 0 && want > 0; k = nodes_[k].next) {
                --want;
            }
            if (k == 0) {
                return std::nullopt;
            }
            id = k;
        } else {
            return std::nullopt;
        }
    }
    return id;
}

std::optional<std::vector<std::string>> pointer_tokens(std::string_view pointer) {
    // nlohmann's json_pointer validates the syntax and unescapes ~0 and ~1; its tokens are
    // taken off the end one by one (back, pop_back), so they come out reversed.
    try {
        nlohmann::json::json_pointer p{std::string(pointer)};
        std::vector<std::string> rev;
        while (!p.empty()) {
            rev.push_back(p.back());
            p.pop_back();
        }
        return std::vector<std::string>(rev.rbegin(), rev.rend());
    } catch (const nlohmann::json::exception &) {
        return std::nullopt;
    }
}

const char *json_kind_phrase(JsonNode::Kind kind) {
    switch (kind) {
    case JsonNode::Kind::Null:
        return "null";
    case JsonNode::Kind::Bool:
        return "a boolean";
    case JsonNode::Kind::Number:
        return "a number";
    case JsonNode::Kind::String:
        return "a string";
    case JsonNode::Kind::Array:
        return "an array";
    case JsonNode::Kind::Object:
        return "an object";
    }
    return "a value";
}

} // namespace assure::monitor
