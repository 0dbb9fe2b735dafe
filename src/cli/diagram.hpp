// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure diagram` (docs/diagram.md): the argument as a GSN diagram coloured by the verdicts the
// proof computed, as SVG, DOT or Mermaid.

#include "cli/driver.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>

namespace assure::cli {

struct DiagramOptions {
    ProveOptions prove;         // the case's files and the proof's options (--at, --timeout, ...)
    std::string claim;          // draw this claim's argument ("" = every top claim)
    std::string module;         // draw this module's argument ("" = not a module)
    std::string format = "svg"; // svg | dot | mermaid
    std::uint32_t depth = 0;    // supporting levels below each root (0 = no limit)
    std::uint32_t max_nodes = 400;
    bool legend = true;
    std::string output; // -o FILE ("" = stdout)
    bool force = false; // overwrite a file that is not a diagram assure wrote
};

/// Runs `assure diagram`: proves the case like `prove`, then draws the chosen argument. Exit: 0
/// when the diagram was written (whatever the verdicts), 1 the case has errors, 2 a bad command
/// line (no such claim or module, E0617; an output refused, E0609-E0612), 4 an internal error.
ExitCode run_diagram(const DiagramOptions &options, std::ostream &out, std::ostream &err);

} // namespace assure::cli
