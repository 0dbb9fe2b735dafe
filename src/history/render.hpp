// SPDX-License-Identifier: Apache-2.0
#pragma once

// `assure history` output: the runs in chain order and, between consecutive runs, what changed
// (text for people; JSON "assure-history", version 1, for tools; docs/history.md).

#include "history/chain.hpp"

#include <string>
#include <vector>

namespace assure::history {

std::string render_history_text(const std::vector<Entry> &entries);
std::string render_history_json(const std::vector<Entry> &entries);

} // namespace assure::history
