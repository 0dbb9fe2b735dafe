// SPDX-License-Identifier: Apache-2.0
#pragma once

// The Prometheus text exposition (format 0.0.4) of the live case: verdicts, evidence, events
// (docs/serve.md, "GET /metrics").

#include "history/kpi.hpp"
#include "live/engine.hpp"

#include <string>

namespace assure::serve {

/// The metrics of `snap`; `entries` is the number of history entries; `kpis` the history's KPIs
/// (docs/history.md), when they could be computed.
std::string render_metrics(const live::Snapshot &snap, std::int64_t entries,
                           const history::Kpis *kpis);

} // namespace assure::serve
