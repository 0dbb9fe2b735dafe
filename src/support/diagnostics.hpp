// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "support/span.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace assure::support {

/// Stable diagnostic codes, one per entry of diagnostic_codes.def.
enum class Code {
#define ASSURE_DIAG(code, name, severity, summary) code,
#include "support/diagnostic_codes.def"
#undef ASSURE_DIAG
};

enum class Severity { Error, Warning };

/// Registry data of one code.
struct CodeInfo {
    Code code;
    std::string_view id;   // "E0201"
    std::string_view name; // "unknown_name"
    Severity severity;
    std::string_view summary; // one line, for --explain and docs
};

/// Every registered code, in registry order.
const std::vector<CodeInfo> &all_codes();
const CodeInfo &info(Code code);

/// A secondary location or remark attached to a diagnostic.
struct Note {
    Span span; // may be invalid: a note without a location
    std::string message;
};

/// One reported problem. `label` is the text printed after the caret; `help` a suggestion.
struct Diagnostic {
    Code code;
    Severity severity;
    Span span;
    std::string message;
    std::string label;
    std::string help;
    std::vector<Note> notes;
};

/// Collects diagnostics from every stage. Stages report and go on; the driver decides when to
/// stop. Rendering sorts by (file, begin, end, code), so the order in which passes run never
/// shows.
class Diagnostics {
  public:
    Diagnostic &report(Code code, Span span, std::string message, std::string label = {});
    Diagnostic &error(Code code, Span span, std::string message, std::string label = {}) {
        return report(code, span, std::move(message), std::move(label));
    }

    [[nodiscard]] std::size_t error_count() const { return errors_; }
    [[nodiscard]] std::size_t warning_count() const { return warnings_; }
    [[nodiscard]] bool has_errors() const { return errors_ > 0; }
    [[nodiscard]] const std::vector<Diagnostic> &all() const { return diags_; }

    /// Moves every diagnostic of `other` to the end of this collector.
    void append(Diagnostics &&other);

    /// Sorts by (file, begin, end, code, message) and drops exact duplicates.
    void sort_and_dedupe();

    /// Drops every diagnostic for which `pred` holds: a pass that reported the cause of some
    /// errors once removes their follow-ons (see sema's instance argument check).
    template <typename Pred> void drop_if(Pred pred) {
        diags_.erase(std::remove_if(diags_.begin(), diags_.end(), pred), diags_.end());
        recount();
    }

  private:
    void recount();

    std::vector<Diagnostic> diags_;
    std::size_t errors_ = 0;
    std::size_t warnings_ = 0;
};

} // namespace assure::support
