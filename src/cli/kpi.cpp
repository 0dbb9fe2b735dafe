// SPDX-License-Identifier: Apache-2.0
#include "cli/kpi.hpp"

#include "cli/history.hpp"

#include <ostream>
#include <vector>

namespace assure::cli {

std::optional<history::Kpis> history_kpis(const std::string &db, std::int64_t within_days,
                                          ArgDiags &ad) {
    std::vector<history::Entry> entries;
    std::int64_t head_count = 0;
    std::string head_hash;
    if (!load_history(db, ad, entries, head_count, head_hash)) {
        return std::nullopt;
    }
    history::KpiOptions options;
    options.within_days = within_days;
    history::KpiError error;
    auto kpis = history::compute_kpis(entries, options, error);
    if (!kpis) {
        auto &d = ad.plain(support::Code::E0810,
                           db + ": entry " + std::to_string(error.seq) + ": " + error.message);
        d.help = "assure writes these fields itself: another program changed the history "
                 "(`assure history --verify` names the first edited entry)";
    }
    return kpis;
}

ExitCode run_kpi(const KpiOptions &options, std::ostream &out, std::ostream &err) {
    ArgDiags ad;
    CheckOptions diag_options;
    diag_options.diagnostics_format = options.diagnostics_format;
    const auto kpis = history_kpis(options.db, options.within_days, ad);
    if (!kpis) {
        return ad.emit(diag_options, err, ExitCode::InputErrors);
    }
    out << (options.format == "json" ? history::render_kpi_json(*kpis)
                                     : history::render_kpi_text(*kpis));
    return ExitCode::Ok;
}

} // namespace assure::cli
