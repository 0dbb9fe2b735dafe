// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace assure::support {

/// Identifies one loaded source buffer in a SourceManager. Dense, in load order.
using FileId = std::uint32_t;
inline constexpr FileId kNoFile = UINT32_MAX;

/// A byte range [begin, end) in one source buffer. Line and column are computed only when a
/// diagnostic is rendered; spans stay valid for the whole run because SourceManager owns the
/// buffers.
struct Span {
    FileId file = kNoFile;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;

    [[nodiscard]] bool valid() const { return file != kNoFile; }
    friend bool operator==(const Span &, const Span &) = default;
};

/// A span covering both `a` and `b` (which must be in the same file).
inline Span join(Span a, Span b) {
    if (!a.valid()) {
        return b;
    }
    if (!b.valid()) {
        return a;
    }
    return Span{a.file, a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end};
}

} // namespace assure::support
