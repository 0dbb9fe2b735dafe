// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace assure::support {

/// Number of UTF-8 code points in `s` (continuation bytes are not counted). `s` need not be
/// valid UTF-8; every non-continuation byte counts as one.
std::size_t count_code_points(std::string_view s);

/// Offset of the first byte that breaks UTF-8 validity (overlong forms, surrogates and code
/// points above U+10FFFF included), or npos when `s` is valid.
std::size_t find_invalid_utf8(std::string_view s);

/// Damerau-Levenshtein (optimal string alignment) distance, capped: returns `cap + 1` as soon
/// as the distance is known to exceed `cap`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap);

/// The candidate closest to `name` within a length-dependent distance, or "" when none is close
/// enough. Ties go to the lexicographically smallest candidate, so the answer is deterministic.
std::string closest_match(std::string_view name, const std::vector<std::string_view> &candidates);

/// `s` with characters that would garble a terminal (control bytes, invalid UTF-8) replaced by
/// `\xNN` escapes.
std::string printable(std::string_view s);

} // namespace assure::support
