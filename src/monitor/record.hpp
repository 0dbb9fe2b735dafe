// SPDX-License-Identifier: Apache-2.0
#pragma once

// Runtime records: JSON Lines read with bounded memory, a mapping file that says where each
// domain variable's value is (renamed keys, JSON pointers into nested records, or aggregates
// over the OpenTelemetry GenAI spans of one episode), and the typed, range-checked values of a
// record (docs/monitor.md, "Records" and "Mapping files").

#include "dsl/sema/program.hpp"
#include "monitor/eval.hpp"
#include "monitor/json_tree.hpp"
#include "support/diagnostics.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace assure::monitor {

/// Reads lines from a file descriptor in blocks: memory stays bounded by the longest line
/// accepted, whatever the stream's length. A line longer than kMaxLine is reported and skipped
/// without being held in memory.
class LineReader {
  public:
    static constexpr std::size_t kMaxLine = 1 << 20; // 1 MiB
    explicit LineReader(int fd) : fd_(fd) {}
    enum class Status : std::uint8_t { Line, TooLong, End, Error };
    /// The next line (without its '\n'; a final line without one counts). `line` stays valid
    /// until the next call. Error: `error` says why (errno's text).
    Status next(std::string_view &line, std::uint64_t &number, std::string &error);

  private:
    bool fill(std::string &error);
    int fd_;
    std::string buf_;
    std::size_t begin_ = 0;
    bool eof_ = false;
    std::uint64_t line_ = 0;
};

/// Where one domain variable's value comes from.
struct FieldSource {
    enum class Kind : std::uint8_t {
        Pointer, // a JSON pointer into the record
        Count,   // spans: how many spans of the episode match `where`
        Exists,  // spans: whether any span matches `where`
        Value,   // spans: an attribute (or a tool call argument) of a matching span
    };
    enum class Pick : std::uint8_t { First, Last, Only };
    Kind kind = Kind::Pointer;
    std::vector<std::string> pointer;                       // Pointer: tokens
    std::vector<std::pair<std::string, std::string>> where; // attribute == string value
    std::string attribute;                                  // Value: the attribute read
    std::optional<std::vector<std::string>> argument; // Value: pointer into the call's arguments
    Pick pick = Pick::Last;
    std::optional<std::string> default_value; // Value: JSON text used when no span matches
};

/// A mapping file (docs/monitor.md, "Mapping files").
struct Mapping {
    std::string domain;          // "" = from --domain or the default
    std::string odd;             // "" = the domain's only odd, if any
    std::vector<std::string> id; // pointer to the record's id (not in spans mode); empty: none
    bool has_id = false;
    bool unknown_fields_error = false;         // top-level keys no field reads are errors
    std::map<std::string, FieldSource> fields; // variable name -> source
    bool spans = false;
    std::string episode_key; // spans: attribute (or "@traceId") grouping spans into episodes
    std::size_t max_spans = 10000;
};

/// Parses a mapping file's text. Nullopt with `error` saying what is wrong.
std::optional<Mapping> parse_mapping(std::string_view text, std::string &error);

/// The default mapping: each variable under its own name, an optional "id" key.
Mapping flat_mapping();

/// One record, ready for the evaluator: the values of the domain's variables by VarId.
struct Record {
    std::uint64_t line = 0; // the input line (spans: the episode's first span)
    std::string id;         // the record's id, if it has one
    std::vector<VarValue> values;
};

/// A record that cannot be judged: skipped, or the run fails with --strict.
struct RecordError {
    std::uint64_t line = 0;
    std::string id;
    support::Code code;
    std::string message;
};

/// Turns input lines into records of one domain under a mapping: parses, finds each variable's
/// value, checks its type and range. Deterministic; bounded memory (one line, or in spans
/// mode one episode of at most Mapping::max_spans spans).
class RecordSource {
  public:
    /// `required`: the variables every record must give (the ones the monitor's formulas read).
    /// Fails (nullopt, `error`) when the mapping names a field that is not a variable of the
    /// domain.
    static std::optional<RecordSource> make(const sema::Program &program, sema::DeclId domain,
                                            Mapping mapping, std::vector<std::uint32_t> required,
                                            std::string &error);

    /// One input line. Appends what it completes to `records` / `errors`, each with a
    /// sequence number `order` gives so the caller can interleave them in input order.
    struct Output {
        std::vector<Record> records;
        std::vector<RecordError> errors;
        /// In completion order: true for the next record, false for the next error.
        std::vector<bool> order;
        void clear() {
            records.clear();
            errors.clear();
            order.clear();
        }
    };
    void line(std::uint64_t number, std::string_view text, Output &out);
    /// A line too long to read.
    void too_long(std::uint64_t number, Output &out);
    /// End of input: completes the open episode (spans mode).
    void finish(Output &out);

  private:
    RecordSource() = default;
    struct Scalar {
        JsonNode::Kind kind = JsonNode::Kind::Null;
        bool boolean = false;
        std::string text;
    };
    struct Span {
        std::vector<std::optional<Scalar>> attrs; // by index into attr_names_
    };

    void flat(std::uint64_t number, std::string_view text, Output &out);
    void spans(std::uint64_t number, std::string_view text, Output &out);
    void add_span(std::uint64_t number, std::uint32_t span_node, Output &out);
    void close_episode(Output &out);
    /// Converts a scalar into variable `var`'s value; false with the error set.
    bool convert(const Scalar &s, std::uint32_t var, VarValue &out, RecordError &err) const;
    [[nodiscard]] std::string type_text(std::uint32_t var) const;
    /// Checks every required variable is present; false with the error set.
    bool complete(const Record &r, RecordError &err) const;
    static Scalar scalar_of(const JsonTree &tree, std::uint32_t node);
    std::optional<Scalar> span_attribute(std::uint32_t span_node, const std::string &name) const;

    const sema::Program *program_ = nullptr;
    sema::DeclId domain_;
    Mapping mapping_;
    std::size_t var_count_ = 0;
    std::vector<std::uint32_t> required_;
    std::vector<std::pair<std::uint32_t, const FieldSource *>> sources_; // var id -> source
    struct SpanField {
        std::uint32_t var = 0;
        const FieldSource *source = nullptr;
        std::vector<std::pair<std::uint32_t, std::string>> where; // attribute index == value
        std::uint32_t attr = UINT32_MAX;                          // Value: attribute index
        std::optional<Scalar> fallback;                           // Value: the default
    };
    std::vector<SpanField> span_fields_;
    std::vector<std::pair<Rational, Rational>> bounds_; // by VarId: lo, hi (numeric variables)
    std::vector<bool> bounded_;
    std::vector<std::string> top_keys_; // flat mode: the top-level keys a field or the id reads
    std::map<std::string, std::uint32_t, std::less<>> by_name_; // variable name -> id
    JsonTree tree_;
    JsonTree args_;
    // spans mode
    std::vector<std::string> attr_names_;
    std::uint32_t key_attr_ = 0;
    std::uint32_t args_attr_ = UINT32_MAX;
    bool open_ = false;
    std::uint64_t episode_line_ = 0;
    std::string episode_key_;
    std::vector<Span> episode_;
    bool episode_overflow_ = false;
    std::optional<RecordError> episode_error_;
};

} // namespace assure::monitor
