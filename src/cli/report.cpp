// SPDX-License-Identifier: Apache-2.0
// `assure report`: the HTML page of a proved case.
#include "cli/driver.hpp"
#include "cli/front.hpp"
#include "cli/kpi.hpp"
#include "cli/output_file.hpp"
#include "prove/prove.hpp"
#include "report/html/html.hpp"
#include "report/proof.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace assure::cli {

ExitCode run_report(const ReportOptions &options, std::ostream &out, std::ostream &err) {
    const ProveOptions &cli = options.prove;
    const CheckOptions &common = cli.common;
    StageTimer timer(common.verbose, err);
    // The history first: a page asked to show it is not written without it.
    std::optional<history::Kpis> kpis;
    if (!options.history.empty()) {
        ArgDiags ad;
        kpis = history_kpis(options.history, options.within_days, ad);
        if (!kpis) {
            return ad.emit(common, err, ExitCode::InputErrors);
        }
        timer.done("history");
    }
    report::ProofMeta meta;
    sema::Date date;
    FrontEnd fe;
    if (auto code = prepare(cli, meta, date, fe, timer, out, err, nullptr)) {
        return *code;
    }
    emit_diagnostics(fe.diags, *fe.sources, common, err);
    prove::ProveOptions po = proof_options(cli, date);
    po.on_phase = [&timer](const char *phase) { timer.done(phase); };
    RunScoped<prove::ProofResult> result_owner{
        prove::prove(*fe.program, *fe.lowered, *fe.sources, po)};
    const prove::ProofResult &result = *result_owner;
    meta.exit_code = report::proof_exit_code(result);

    report::html::HtmlOptions html_options;
    html_options.sections = options.sections == "inline" ? report::html::Sections::Inline
                            : options.sections == "lazy" ? report::html::Sections::Lazy
                                                         : report::html::Sections::Auto;
    html_options.history = kpis ? &*kpis : nullptr;
    const std::string page =
        report::html::render_html(*fe.program, result, *fe.sources, meta, html_options);
    timer.done("html");
    const OutputFile file{cli.output, "HTML report", report::html::kMarker, cli.force};
    if (auto refused = write_output(file, page, protected_files(fe), common, err)) {
        return *refused;
    }
    timer.done("write");
    std::size_t counts[4] = {0, 0, 0, 0};
    for (sema::DeclId c : result.top_claims) {
        ++counts[static_cast<int>(result.status(c))];
    }
    out << "assure report: wrote " << cli.output << " (" << page.size()
        << " bytes): " << result.top_claims.size()
        << (result.top_claims.size() == 1 ? " top claim: " : " top claims: ") << counts[0]
        << " supported, " << counts[3] << " unsupported, " << counts[2] << " undeveloped, "
        << counts[1] << " unknown\n";
    return static_cast<ExitCode>(meta.exit_code);
}

} // namespace assure::cli
