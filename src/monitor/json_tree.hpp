// SPDX-License-Identifier: Apache-2.0
#pragma once

// One JSON text as a small tree that keeps every number's text exactly as written (a DOM that
// stores doubles would round 0.1 and 12345678901234567890). Built by nlohmann_json's SAX
// parser; bounded in nesting depth and node count, so hostile input is refused, never a crash.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assure::monitor {

struct JsonNode {
    enum class Kind : std::uint8_t { Null, Bool, Number, String, Array, Object };
    Kind kind = Kind::Null;
    bool boolean = false;
    std::string key;                   // the member name, when the parent is an object
    std::string text;                  // Number: as written; String: the decoded UTF-8
    std::uint32_t first = 0, next = 0; // first child and next sibling (0: none; 0 is the root)
};

/// The nodes of one JSON text; node 0 is the root.
class JsonTree {
  public:
    /// Most nesting levels and nodes a text may have.
    static constexpr std::size_t kMaxDepth = 64;
    static constexpr std::size_t kMaxNodes = 100000;

    /// Parses `text` (one complete JSON value). False with `error` saying why (a syntax error
    /// and its byte offset, too deep, too many values).
    bool parse(std::string_view text, std::string &error);

    [[nodiscard]] const JsonNode &root() const { return nodes_[0]; }
    [[nodiscard]] const JsonNode &node(std::uint32_t id) const { return nodes_[id]; }
    [[nodiscard]] std::uint32_t root_id() const { return 0; }

    /// The member `key` of object node `id`, if any (the last one when repeated).
    [[nodiscard]] std::optional<std::uint32_t> member(std::uint32_t id, std::string_view key) const;
    /// The children of node `id`, in order.
    [[nodiscard]] std::vector<std::uint32_t> children(std::uint32_t id) const;
    /// The node at RFC 6901 pointer tokens from node `id`.
    [[nodiscard]] std::optional<std::uint32_t> at(std::uint32_t id,
                                                  const std::vector<std::string> &tokens) const;

  private:
    friend class JsonTreeBuilder;
    std::vector<JsonNode> nodes_;
};

/// The tokens of an RFC 6901 JSON pointer ("/a/b~1c" -> {"a", "b/c"}); nullopt when it is not
/// one. The empty pointer names the whole document.
std::optional<std::vector<std::string>> pointer_tokens(std::string_view pointer);

/// "a JSON number", "a string", ... for messages.
const char *json_kind_phrase(JsonNode::Kind kind);

} // namespace assure::monitor
