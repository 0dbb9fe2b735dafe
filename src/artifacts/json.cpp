// SPDX-License-Identifier: Apache-2.0
// JSON by JSON Pointer (RFC 6901), through nlohmann_json's SAX parser: it never builds the
// document, keeps its nesting on a heap stack (deep input cannot overflow ours), and gives each
// floating-point number's text as written, which support::Decimal reads exactly.
#include "artifacts/format.hpp"
#include "support/text.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace assure::artifacts::detail {

namespace {

// `long double` numbers: the parser rejects a float whose value overflows its float type before
// handing us the text, and long double's range (beyond 1e4900) is wider than any number
// support::Decimal admits, so only numbers we could not read anyway stop a parse.
using Json = nlohmann::basic_json<std::map, std::vector, std::string, bool, std::int64_t,
                                  std::uint64_t, long double>;

enum class Kind : std::uint8_t { Null, Boolean, Number, String, Object, Array };

/// What is at the pointer.
struct Found {
    Kind kind = Kind::Null;
    std::string text;              // a number's or string's text, "true"/"false"
    std::size_t size = 0;          // an object's keys or an array's elements
    std::vector<std::string> keys; // an object's keys
};

/// The pointer's reference tokens, unescaped, and the pointer text up to each (for messages).
struct Pointer {
    std::vector<std::string> tokens;
    std::vector<std::string> prefixes; // prefixes[level] = the pointer's first `level` tokens

    explicit Pointer(const std::string &text) {
        prefixes.emplace_back();
        std::size_t pos = 0;
        while (pos < text.size()) {
            // selector_error() checked: the text starts with '/', every '~' is ~0 or ~1.
            std::size_t end = text.find('/', pos + 1);
            if (end == std::string::npos) {
                end = text.size();
            }
            std::string token;
            for (std::size_t k = pos + 1; k < end; ++k) {
                if (text[k] == '~' && k + 1 < end) {
                    token += text[k + 1] == '0' ? '~' : '/';
                    ++k;
                } else {
                    token += text[k];
                }
            }
            tokens.push_back(std::move(token));
            prefixes.push_back(text.substr(0, end));
            pos = end;
        }
    }
};

std::string where(const Pointer &ptr, std::size_t level) {
    return level == 0 ? std::string("the document root") : show(ptr.prefixes[level], 80);
}

/// An RFC 6901 array index: "0" or digits without a leading zero. Beyond size_t, the largest
/// size_t (no array is that long).
std::optional<std::size_t> array_index(const std::string &token) {
    if (token.empty() || (token.size() > 1 && token[0] == '0')) {
        return std::nullopt;
    }
    std::size_t value = 0;
    for (const char c : token) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        const auto digit = static_cast<std::size_t>(c - '0');
        if (value > (std::numeric_limits<std::size_t>::max() - digit) / 10) {
            return std::numeric_limits<std::size_t>::max();
        }
        value = value * 10 + digit;
    }
    return value;
}

std::string join_keys(const std::vector<std::string> &keys) {
    if (keys.empty()) {
        return "the object is empty";
    }
    return "the object has keys " +
           support::join_elided(
               keys.size(), [&](std::size_t idx) { return show(keys[idx], 40); }, ", ");
}

/// The SAX handler: follows the pointer down the document. A container on the pointer's path
/// is a Frame; everything off the path is skipped by counting its depth.
class Locator {
  public:
    explicit Locator(const Pointer &ptr) : ptr_(ptr) {}

    bool null() { return scalar(Kind::Null, "null"); }
    bool boolean(bool v) { return scalar(Kind::Boolean, v ? "true" : "false"); }
    bool number_integer(std::int64_t v) { return scalar(Kind::Number, std::to_string(v)); }
    bool number_unsigned(std::uint64_t v) { return scalar(Kind::Number, std::to_string(v)); }
    bool number_float(long double /*v*/, const std::string &raw) {
        return scalar(Kind::Number, raw);
    }
    bool string(std::string &v) { return scalar(Kind::String, v); }
    bool binary(Json::binary_t & /*v*/) { return scalar(Kind::String, ""); }
    bool start_object(std::size_t /*size*/) { return open(false); }
    bool start_array(std::size_t /*size*/) { return open(true); }
    bool key(std::string &k) {
        if (off_depth_ > 0) {
            return true;
        }
        Frame &top = frames_.back();
        top.keys.push_back(k);
        if (top.target) {
            return true;
        }
        top.key_matches = k == ptr_.tokens[top.level];
        if (top.key_matches) {
            ++top.matches;
        }
        return true;
    }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t position, const std::string & /*last_token*/,
                     const nlohmann::detail::exception &ex) {
        // nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1, column
        // 5: syntax error while parsing value - ..."; its tag means nothing to our reader.
        std::string text = ex.what();
        if (text.rfind("[json.exception.", 0) == 0) {
            const std::size_t close = text.find("] ");
            text.erase(0, close == std::string::npos ? 0 : close + 2);
        }
        std::string at = "byte " + std::to_string(position);
        const std::string prefix = "parse error at ";
        const std::size_t colon = text.find(": ");
        if (text.rfind(prefix, 0) == 0 && colon != std::string::npos) {
            at = text.substr(prefix.size(), colon - prefix.size()) + " (" + at + ")";
            text.erase(0, colon + 2);
        }
        malformed_ = "malformed JSON at " + at + ": " + support::printable(text);
        return false;
    }

    /// After the parse: the value at the pointer, or the error.
    Found take(std::string &error) {
        if (!malformed_.empty()) {
            error = malformed_;
        } else if (!duplicate_.empty()) {
            error = duplicate_;
        } else if (!path_error_.empty()) {
            error = path_error_;
        } else if (!found_) {
            error = "the JSON document has no value"; // unreachable after a successful parse
        }
        return found_ ? std::move(*found_) : Found{};
    }

  private:
    struct Frame {
        bool is_array = false;
        bool target = false;   // the container at the pointer itself: only counted
        std::size_t level = 0; // the container is the value at ptr_.prefixes[level]
        std::size_t next_index = 0;
        std::optional<std::size_t> wanted; // an array's index token, when it is one
        bool key_matches = false;          // an object's current key is the token
        std::size_t matches = 0;           // how often the token occurs as a key
        std::vector<std::string> keys;
    };

    /// The level of the value that starts now, or npos when it is off the pointer's path.
    std::size_t enter_value() {
        if (frames_.empty()) {
            return 0;
        }
        Frame &top = frames_.back();
        if (top.is_array) {
            const std::size_t idx = top.next_index++;
            if (top.target || !top.wanted || *top.wanted != idx) {
                return npos;
            }
            return top.level + 1;
        }
        return !top.target && top.key_matches ? top.level + 1 : npos;
    }

    void descend_into_scalar(std::size_t level, Kind kind, const std::string &text) {
        if (path_error_.empty()) {
            path_error_ = "the value at " + where(ptr_, level) + " is " + describe(kind, text) +
                          ", which has no member " + name(ptr_.tokens[level]);
        }
    }

    bool scalar(Kind kind, const std::string &text) {
        if (off_depth_ > 0) {
            return true;
        }
        const std::size_t level = enter_value();
        if (level == npos) {
            return true;
        }
        if (level == ptr_.tokens.size()) {
            found_ = Found{kind, text, 0, {}};
        } else {
            descend_into_scalar(level, kind, text);
        }
        return true;
    }

    bool open(bool is_array) {
        if (off_depth_ > 0) {
            ++off_depth_;
            return true;
        }
        const std::size_t level = enter_value();
        if (level == npos) {
            off_depth_ = 1;
            return true;
        }
        Frame frame;
        frame.is_array = is_array;
        frame.level = level;
        frame.target = level == ptr_.tokens.size();
        if (is_array && !frame.target) {
            const std::string &token = ptr_.tokens[level];
            frame.wanted = array_index(token);
            if (!frame.wanted && path_error_.empty()) {
                path_error_ =
                    "the value at " + where(ptr_, level) + " is an array, and " + name(token) +
                    " is not an array index" +
                    (token == "-" ? " (`-` names the element after the last one)"
                     : !token.empty() && token[0] == '0' ? " (an index has no leading zero)"
                                                         : " (0, 1, 2, ...)");
            }
        }
        frames_.push_back(std::move(frame));
        return true;
    }

    bool close() {
        if (off_depth_ > 0) {
            --off_depth_;
            return true;
        }
        Frame frame = std::move(frames_.back());
        frames_.pop_back();
        if (frame.target) {
            Found f;
            f.kind = frame.is_array ? Kind::Array : Kind::Object;
            f.size = frame.is_array ? frame.next_index : frame.keys.size();
            f.keys = std::move(frame.keys);
            found_ = std::move(f);
            return true;
        }
        const std::string &token = ptr_.tokens[frame.level];
        if (frame.is_array) {
            if (frame.wanted && *frame.wanted >= frame.next_index && path_error_.empty()) {
                path_error_ = "no index " + support::printable(token) + " at " +
                              where(ptr_, frame.level) + " (the array has " +
                              std::to_string(frame.next_index) +
                              (frame.next_index == 1 ? " element)" : " elements)");
            }
        } else if (frame.matches == 0) {
            if (path_error_.empty()) {
                path_error_ = "no key " + name(token) + " at " + where(ptr_, frame.level) + " (" +
                              join_keys(frame.keys) + ")";
            }
        } else if (frame.matches > 1 && duplicate_.empty()) {
            duplicate_ = "the key " + name(token) + " occurs " + std::to_string(frame.matches) +
                         " times at " + where(ptr_, frame.level) + ", so its value is ambiguous";
        }
        return true;
    }

  public:
    static std::string describe(Kind kind, const std::string &text) {
        switch (kind) {
        case Kind::Null:
            return "null";
        case Kind::Boolean:
            return "a boolean (" + text + ")";
        case Kind::Number:
            return "a number (" + support::printable(text) + ")";
        case Kind::String:
            return "a string (" + show(text) + ")";
        case Kind::Object:
            return "an object";
        case Kind::Array:
            return "an array";
        }
        return "";
    }

  private:
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    const Pointer &ptr_;
    std::vector<Frame> frames_;
    std::size_t off_depth_ = 0;
    std::optional<Found> found_;
    std::string path_error_;
    std::string duplicate_;
    std::string malformed_;
};

/// The value at `pointer` in `bytes`, or an error (then the Found is meaningless).
Found locate(std::string_view bytes, const std::string &pointer, std::string &error, Pointer &ptr) {
    ptr = Pointer(pointer);
    Locator locator(ptr);
    const char *first = bytes.data();
    Json::sax_parse(first, first + bytes.size(), &locator);
    return locator.take(error);
}

std::string describe_found(const Found &found) {
    std::string out = Locator::describe(found.kind, found.text);
    if (found.kind == Kind::Object) {
        out += " (" + join_keys(found.keys) + ")";
    } else if (found.kind == Kind::Array) {
        out += " of " + std::to_string(found.size) + (found.size == 1 ? " element" : " elements");
    }
    return out;
}

} // namespace

Outcome read_json(std::string_view bytes, const Selector &selector) {
    std::string error;
    Pointer ptr("");
    Found found = locate(bytes, selector.pointer, error, ptr);
    if (!error.empty()) {
        return Outcome{std::nullopt, std::move(error)};
    }
    const std::string at = where(ptr, ptr.tokens.size());
    if (found.kind != Kind::Number) {
        return Outcome{std::nullopt,
                       "the value at " + at + " is " + describe_found(found) + ", not a number"};
    }
    auto number = parse_number(found.text, "the number at " + at, false, error);
    if (!number) {
        return Outcome{std::nullopt, std::move(error)};
    }
    return Outcome{Value{std::move(*number), 1, std::move(found.text)}, ""};
}

ResultOutcome read_json_result(std::string_view bytes, const std::string &pointer) {
    std::string error;
    Pointer ptr("");
    Found found = locate(bytes, pointer, error, ptr);
    if (!error.empty()) {
        return ResultOutcome{std::nullopt, "", std::move(error)};
    }
    if (found.kind == Kind::Boolean) {
        return ResultOutcome{found.text == "true" ? Result::Pass : Result::Fail, found.text, ""};
    }
    if (found.kind == Kind::String) {
        if (found.text == "pass") {
            return ResultOutcome{Result::Pass, quote(found.text), ""};
        }
        if (found.text == "fail") {
            return ResultOutcome{Result::Fail, quote(found.text), ""};
        }
        if (found.text == "pending") {
            return ResultOutcome{Result::Pending, quote(found.text), ""};
        }
    }
    return ResultOutcome{std::nullopt, "",
                         "the value at " + where(ptr, ptr.tokens.size()) + " is " +
                             describe_found(found) +
                             ", not a result (true, false, \"pass\", \"fail\" or \"pending\")"};
}

} // namespace assure::artifacts::detail
