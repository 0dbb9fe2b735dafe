// SPDX-License-Identifier: Apache-2.0
#pragma once

// Argument patterns (docs/language.md, "Patterns"): `pattern P(X: kind, ...) "title" { ... }`
// keeps its body as text; each `instance N = P(A, ...)` expands it into declarations of the
// instance's module. In the body, a parameter name stands for its argument (in strings, `{X}`
// does), and each name the body declares becomes `N_name`. The expansion is parsed from a
// buffer laid out at the pattern body's own lines, shown under the pattern's file name, so a
// diagnostic inside it points at the pattern's line and carries a note at the instance.

#include "dsl/loader.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

namespace assure::dsl {

/// Expands every instance of `loaded` (reports E0201/E0202 for an unknown or ambiguous
/// pattern, E0315 for wrong arguments, E0316 for a bad pattern) and records the expansions.
void expand_patterns(LoadedCase &loaded, support::SourceManager &sources,
                     support::Diagnostics &diags);

/// The expansions as declarations, one block per instance, for `--dump=expanded`.
std::string print_expansions(const LoadedCase &loaded, const support::SourceManager &sources);

} // namespace assure::dsl
