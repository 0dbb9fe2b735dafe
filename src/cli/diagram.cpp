// SPDX-License-Identifier: Apache-2.0
#include "cli/diagram.hpp"

#include "cli/front.hpp"
#include "cli/output_file.hpp"
#include "diagram/diagram.hpp"
#include "prove/prove.hpp"
#include "report/proof.hpp"

#include <algorithm>
#include <ostream>

namespace assure::cli {

namespace {

/// The marker of each format, which an earlier diagram assure wrote contains (write_output).
std::string_view marker_of(const std::string &format) {
    if (format == "dot") {
        return diagram::kDotMarker;
    }
    if (format == "mermaid") {
        return diagram::kMermaidMarker;
    }
    return diagram::kSvgMarker;
}

} // namespace

ExitCode run_diagram(const DiagramOptions &options, std::ostream &out, std::ostream &err) {
    const CheckOptions &common = options.prove.common;
    if (!options.claim.empty() && !options.module.empty()) {
        err << "error: assure diagram draws one claim or one module: give CLAIM or --module, "
               "not both\n";
        return ExitCode::Usage;
    }
    StageTimer timer(common.verbose, err);
    report::ProofMeta meta;
    sema::Date date;
    FrontEnd fe;
    if (auto code = prepare(options.prove, meta, date, fe, timer, out, err, nullptr)) {
        return *code;
    }
    const sema::Program &program = *fe.program;

    // What to draw, checked before the proof is run.
    std::optional<sema::DeclId> claim;
    std::optional<std::uint32_t> module;
    if (!options.claim.empty()) {
        std::string error;
        claim = prove::find_decl(program, options.claim, sema::DeclKind::Claim, error);
        if (!claim) {
            emit_diagnostics(fe.diags, *fe.sources, common, err);
            ArgDiags ad;
            auto &d = ad.at(support::Code::E0617, options.claim, 0, options.claim.size(), error,
                            "not a claim of the case");
            d.help = "give the claim's name (qualified when several modules declare it), or "
                     "leave it out to draw every top claim";
            return ad.emit(common, err, ExitCode::Usage);
        }
    } else if (!options.module.empty()) {
        module = diagram::find_module(program, options.module);
        const bool has_claim =
            module && std::any_of(program.claims.begin(), program.claims.end(),
                                  [&](const sema::ClaimInfo &c) {
                                      return program.decl(c.decl).module == *module;
                                  });
        if (!has_claim) {
            emit_diagnostics(fe.diags, *fe.sources, common, err);
            const std::string arg = "--module " + options.module;
            ArgDiags ad;
            auto &d = ad.at(support::Code::E0617, arg, 9, options.module.size(),
                            module ? "module `" + options.module + "` declares no claim to draw"
                                   : "no module named `" + options.module + "` in the case",
                            module ? "no claim" : "not a module of the case");
            d.help = "give a module's full name as its `module` line writes it";
            return ad.emit(common, err, ExitCode::Usage);
        }
    }
    emit_diagnostics(fe.diags, *fe.sources, common, err);

    prove::ProveOptions po = proof_options(options.prove, date);
    po.on_phase = [&timer](const char *phase) { timer.done(phase); };
    RunScoped<prove::ProofResult> result{prove::prove(program, *fe.lowered, *fe.sources, po)};

    diagram::Options dopts;
    dopts.depth = options.depth;
    dopts.max_nodes = options.max_nodes;
    const diagram::Diagram d =
        claim    ? diagram::build_claim(program, *result, *fe.sources, *claim, dopts)
        : module ? diagram::build_module(program, *result, *fe.sources, *module, dopts)
                 : diagram::build_case(program, *result, *fe.sources, dopts);
    diagram::RenderOptions ropts;
    ropts.legend = options.legend;
    std::string text;
    if (options.format == "dot") {
        text = diagram::to_dot(d, ropts);
    } else if (options.format == "mermaid") {
        text = diagram::to_mermaid(d, ropts);
    } else {
        std::string error;
        auto svg = diagram::to_svg(d, ropts, error);
        if (!svg) {
            err << "error[E9000]: internal error: " << error << "\n";
            return ExitCode::Internal;
        }
        text = std::move(*svg);
    }
    timer.done("diagram");
    if (options.output.empty()) {
        out << text;
        return ExitCode::Ok;
    }
    const OutputFile file{options.output, "diagram", marker_of(options.format), options.force};
    if (auto code = write_output(file, text, protected_files(fe), common, err)) {
        return *code;
    }
    std::size_t elements = 0;
    for (const auto &node : d.nodes) {
        elements += node.decl.valid() ? 1 : 0;
    }
    out << "assure diagram: wrote " << options.output << ": " << elements
        << (elements == 1 ? " element" : " elements")
        << (d.capped ? " (the node limit collapsed the rest; see --max-nodes)" : "") << "\n";
    return ExitCode::Ok;
}

} // namespace assure::cli
