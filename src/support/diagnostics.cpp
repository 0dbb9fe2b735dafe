// SPDX-License-Identifier: Apache-2.0
#include "support/diagnostics.hpp"

#include "support/assert.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <tuple>

namespace assure::support {

const std::vector<CodeInfo> &all_codes() {
    static const std::vector<CodeInfo> codes = {
#define ASSURE_DIAG(code, name, severity, summary)                                                 \
    CodeInfo{Code::code, #code, #name, Severity::severity, summary},
#include "support/diagnostic_codes.def"
#undef ASSURE_DIAG
    };
    return codes;
}

const CodeInfo &info(Code code) {
    const auto &codes = all_codes();
    const auto idx = static_cast<std::size_t>(code);
    ASSURE_ASSERT(idx < codes.size(), "diagnostic code out of range");
    return codes[idx];
}

Diagnostic &Diagnostics::report(Code code, Span span, std::string message, std::string label) {
    const Severity sev = info(code).severity;
    if (sev == Severity::Error) {
        ++errors_;
    } else {
        ++warnings_;
    }
    diags_.push_back(Diagnostic{code, sev, span, std::move(message), std::move(label), {}, {}});
    return diags_.back();
}

void Diagnostics::append(Diagnostics &&other) {
    for (auto &d : other.diags_) {
        diags_.push_back(std::move(d));
    }
    errors_ += other.errors_;
    warnings_ += other.warnings_;
    other.diags_.clear();
    other.errors_ = 0;
    other.warnings_ = 0;
}

void Diagnostics::sort_and_dedupe() {
    auto key = [](const Diagnostic &d) {
        return std::tie(d.span.file, d.span.begin, d.span.end, d.code, d.message, d.label, d.help);
    };
    std::stable_sort(diags_.begin(), diags_.end(),
                     [&](const Diagnostic &a, const Diagnostic &b) { return key(a) < key(b); });
    auto same = [&](const Diagnostic &a, const Diagnostic &b) {
        if (key(a) != key(b) || a.notes.size() != b.notes.size()) {
            return false;
        }
        for (std::size_t idx = 0; idx < a.notes.size(); ++idx) {
            if (a.notes[idx].span != b.notes[idx].span ||
                a.notes[idx].message != b.notes[idx].message) {
                return false;
            }
        }
        return true;
    };
    diags_.erase(std::unique(diags_.begin(), diags_.end(), same), diags_.end());
    recount();
}

void Diagnostics::recount() {
    errors_ = 0;
    warnings_ = 0;
    for (const auto &d : diags_) {
        (d.severity == Severity::Error ? errors_ : warnings_) += 1;
    }
}

[[noreturn]] void assertion_failed(std::string_view cond, std::string_view what,
                                   std::string_view file, int line) {
    std::fprintf(stderr, "internal error: assertion `%.*s` failed: %.*s (%.*s:%d)\n",
                 static_cast<int>(cond.size()), cond.data(), static_cast<int>(what.size()),
                 what.data(), static_cast<int>(file.size()), file.data(), line);
    std::abort();
}

} // namespace assure::support
