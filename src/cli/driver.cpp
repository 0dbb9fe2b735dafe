// SPDX-License-Identifier: Apache-2.0
#include "cli/driver.hpp"

#include "cli/ci_outputs.hpp"
#include "cli/front.hpp"
#include "cli/history.hpp"
#include "cli/output_file.hpp"
#include "cli/stdlib_location.hpp"
#include "dsl/expand.hpp"
#include "dsl/loader.hpp"
#include "dsl/printer.hpp"
#include "dsl/sema/analyze.hpp"
#include "impact/lock.hpp"
#include "ir/analysis.hpp"
#include "lower/lower.hpp"
#include "prove/cases.hpp"
#include "prove/prove.hpp"
#include "report/diagnostics_json.hpp"
#include "report/impact.hpp"
#include "report/proof.hpp"
#include "report/summary.hpp"
#include "solver/version.hpp"
#include "support/render.hpp"
#include "support/safe_fs.hpp"
#include "support/worker.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <thread>
#include <unordered_map>

// mimalloc's, when the executable links it (a weak reference: null in the test binaries).
extern "C" void mi_collect(bool force) __attribute__((weak));

namespace assure::cli {
namespace {

/// The syntax trees were parsed on several threads and freed by this one while resolving:
/// mimalloc keeps such memory with the (finished) parser threads' heaps, where later
/// allocations of this thread do not reuse it. Collecting returns it, so that the proof
/// engine's allocations do not add to it at the peak.
void release_free_memory() {
    if (mi_collect != nullptr) {
        mi_collect(true);
    }
}

} // namespace

void emit_diagnostics(support::Diagnostics &diags, const support::SourceManager &sources,
                      const CheckOptions &options, std::ostream &err, bool of_case) {
    diags.sort_and_dedupe();
    // "Never referenced" mostly repeats what an error already says (an element cut off by a
    // broken reference or a cycle): it is reported only when the case has no errors at all.
    if (diags.has_errors()) {
        diags.drop_if([](const support::Diagnostic &d) { return d.code == support::Code::W0101; });
    }
    if (options.diagnostics_format == "json") {
        err << report::render_diagnostics_json(diags, sources);
        return;
    }
    for (const auto &d : diags.all()) {
        err << support::render_text(d, sources) << "\n";
    }
    if (diags.has_errors() && of_case) {
        err << "error: the case has " << diags.error_count()
            << (diags.error_count() == 1 ? " error" : " errors");
        if (diags.warning_count() > 0) {
            err << " and " << diags.warning_count()
                << (diags.warning_count() == 1 ? " warning" : " warnings");
        }
        err << "\n";
    }
}

/// The code and exit code of a file-system refusal or failure.
std::pair<support::Code, ExitCode> fs_code(const support::FsError &e) {
    switch (e.problem) {
    case support::FsProblem::NotRegular:
        return {support::Code::E0609, ExitCode::Usage};
    case support::FsProblem::Protected:
        return {support::Code::E0610, ExitCode::Usage};
    case support::FsProblem::InTheWay:
        return {support::Code::E0611, ExitCode::Usage};
    default: // an output that cannot be written is the command line's problem too, not the case's
        return {support::Code::E0612, ExitCode::Usage};
    }
}

/// Reports a refused or failed write and returns its exit code.
ExitCode report_write(ArgDiags &ad, const support::FsError &e, const std::string &what,
                      const CheckOptions &options, std::ostream &err) {
    const auto [code, exit] = fs_code(e);
    auto &d = ad.plain(code, what + " not written: `" + e.path + "` " + e.message);
    if (code == support::Code::E0610) {
        d.help = "assure never overwrites or deletes the case's own files, even with --force";
    }
    return ad.emit(options, err, exit);
}

/// Runs the front end. Returns false when it stopped early (no module loaded, or the AST was
/// dumped); the caller then only reports the diagnostics.
bool run_front(const CheckOptions &options, FrontEnd &fe, StageTimer &timer, std::ostream &out) {
    support::SourceManager &sources = *fe.sources;
    dsl::LoadOptions load_options;
    StdlibLocation stdlib = find_stdlib(options.stdlib_dir);
    timer.note(stdlib.dir.empty() ? "stdlib: none found"
                                  : "stdlib: " + stdlib.dir + " (" + stdlib.source + ")");
    load_options.stdlib_dir = std::move(stdlib.dir);
    load_options.stdlib_searched = std::move(stdlib.searched);
    load_options.include_dirs = options.include_dirs;
    fe.loaded.reset(dsl::load_case(options.files, load_options, sources, fe.diags));
    dsl::LoadedCase &loaded = *fe.loaded;
    timer.done("parse");

    if (options.dump == "expanded") {
        out << dsl::print_expansions(loaded, sources);
        return false;
    }
    if (options.dump == "ast") {
        for (const auto &mod : loaded.modules) {
            if (mod.is_stdlib) {
                continue;
            }
            out << "// module " << mod.name << " (" << sources.display_name(mod.file) << ")\n"
                << dsl::print(mod.ast);
        }
        return false;
    }
    if (loaded.modules.empty()) {
        return false;
    }
    const std::size_t errors_before_sema = fe.diags.error_count();
    fe.program.reset(sema::analyze(loaded, sources, fe.diags));
    const sema::Program &program = *fe.program;
    release_free_memory();
    timer.done("resolve");

    // Structure checks need every reference resolved: a missing edge would show up as a
    // spurious "unsupported claim". Type errors do not change the graph, so they do not stop it.
    bool names_ok = errors_before_sema == 0;
    for (const auto &d : fe.diags.all()) {
        const auto id = support::info(d.code).id;
        // A pattern argument of the wrong kind (E0315) leaves the references to it unresolved.
        if (d.severity == support::Severity::Error &&
            (id.substr(0, 3) == "E02" || id.substr(0, 3) == "E00" || id.substr(0, 3) == "E01" ||
             d.code == support::Code::E0315)) {
            names_ok = false;
        }
    }
    // The empty-region check only reads the program: run it on the second core meanwhile.
    support::Diagnostics region_diags;
    support::Worker regions([&] { sema::check_empty_regions(program, region_diags); });
    fe.lowered.reset(lower::lower_graph(program));
    timer.done("lower");
    if (names_ok) {
        ir::check_structure(fe.lowered->graph, fe.diags);
    }
    regions.join();
    fe.diags.append(std::move(region_diags));
    timer.done("structure");
    return true;
}

namespace {
std::optional<sema::Date> option_date(const std::string &option, const std::string &value,
                                      ArgDiags &ad);
void check_artifact_locations(const sema::Program &program, const support::SourceManager &sources,
                              bool strict, support::Diagnostics &diags);
void check_rule_cases(const sema::Program &program, const lower::Lowered &lowered,
                      support::Diagnostics &diags);
void check_pinned_evidence(const sema::Program &program, support::Diagnostics &diags);
} // namespace

namespace {

/// Today's date in UTC.
sema::Date today_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return sema::Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

} // namespace

ExitCode run_check(const CheckOptions &options, std::ostream &out, std::ostream &err) {
    StageTimer timer(options.verbose, err);
    sema::Date judged_at = today_utc();
    if (!options.at.empty()) {
        ArgDiags ad;
        const auto parsed = option_date("--at", options.at, ad);
        if (!parsed) {
            return ad.emit(options, err, ExitCode::Usage);
        }
        judged_at = *parsed;
    }
    FrontEnd fe;
    if (!run_front(options, fe, timer, out)) {
        emit_diagnostics(fe.diags, *fe.sources, options, err);
        if (options.dump.empty() && options.summary_format == "json") {
            out << report::render_check_json(nullptr, fe.diags, *fe.sources);
        }
        return fe.diags.has_errors() || (options.dump != "ast" && options.dump != "expanded")
                   ? ExitCode::InputErrors
                   : ExitCode::Ok;
    }
    const sema::Program &program = *fe.program;
    const lower::Lowered &lowered = *fe.lowered;
    if (options.dump == "graph") {
        lowered.graph.dump(out);
    }

    if (!fe.diags.has_errors() && options.dump.empty()) {
        // W0105 needs no proof: check says it too, so an author sees it before CI does.
        check_artifact_locations(program, *fe.sources, /*strict=*/false, fe.diags);
        sema::check_evidence_dates(program, judged_at, fe.diags);
        check_rule_cases(program, lowered, fe.diags);
        if (options.require_artifacts) {
            check_pinned_evidence(program, fe.diags);
        }
    }
    const bool ok = !fe.diags.has_errors();
    report::CheckSummary summary;
    if (ok && options.dump.empty()) {
        summary.modules = program.modules.size();
        for (const auto &m : program.modules) {
            summary.stdlib_modules += m.is_stdlib ? 1 : 0;
        }
        summary.claims = program.claims.size();
        summary.top_claims = ir::top_claims(lowered.graph).size();
        for (const auto &c : program.claims) {
            summary.undeveloped += c.undeveloped ? 1 : 0;
        }
        summary.strategies = program.strategies.size();
        summary.evidence = program.evidence.size();
        summary.defeaters = program.defeaters.size();
        summary.hazards = program.hazards.size();
        summary.rules = program.rules.size();
    }
    emit_diagnostics(fe.diags, *fe.sources, options, err);
    summary.warnings = fe.diags.warning_count();
    if (options.dump.empty() && options.summary_format == "json") {
        out << report::render_check_json(ok ? &summary : nullptr, fe.diags, *fe.sources);
    } else if (ok && options.dump.empty()) {
        out << report::render_summary(summary);
    }
    timer.done("report");
    return ok ? ExitCode::Ok : ExitCode::InputErrors;
}

namespace {

/// W0105 (E0613 when `strict`) for every artifact of the user's modules that resolves, symlinks
/// followed, outside the folder of the file declaring it.
void check_artifact_locations(const sema::Program &program, const support::SourceManager &sources,
                              bool strict, support::Diagnostics &diags) {
    // Each distinct (file, folder) is resolved once: a large case names the same few files
    // tens of thousands of times, and resolving a path is a system call per component.
    std::unordered_map<std::string, bool> within;
    for (const auto &art : program.artifacts) {
        const auto &mod = program.modules[program.decl(art.decl).module];
        if (mod.is_stdlib || sources.disk_path(mod.file).empty()) {
            continue;
        }
        std::string folder = std::filesystem::path(sources.disk_path(mod.file)).parent_path();
        if (folder.empty()) {
            folder = ".";
        }
        const std::string disk = sema::artifact_disk_path(program, sources, art);
        const auto [known, fresh] = within.try_emplace(disk + '\n' + folder, false);
        if (fresh) {
            known->second = support::is_within(disk, folder);
        }
        if (known->second) {
            continue;
        }
        // Where it leads, relative to the working folder when below it (outputs stay the same
        // from one checkout to another), else absolute.
        std::string resolved = support::resolve_path(disk);
        const std::string cwd = support::resolve_path(".");
        if (resolved.size() > cwd.size() + 1 && resolved.compare(0, cwd.size(), cwd) == 0 &&
            resolved[cwd.size()] == '/') {
            resolved = resolved.substr(cwd.size() + 1);
        }
        auto &d = diags.report(strict ? support::Code::E0613 : support::Code::W0105, art.path_span,
                               "artifact `" + program.qualified_name(art.decl) +
                                   "` is outside the folder of " + sources.display_name(mod.file) +
                                   ": it resolves to " + resolved,
                               "outside the case's folder");
        d.help = strict ? "move the file into the case's folder (or below it)"
                        : "move the file into the case's folder; --strict-artifacts makes this "
                          "an error";
    }
}

/// W0108 for every rule that only cases without a top claim hold (prove/cases.hpp): with several
/// cases loaded, a file of rules that nothing imports and that imports none of the others is a
/// case of its own, and its rules range over it alone, failing nothing. (A single case without
/// a top claim is E0406 for prove, and libraries checked on their own, with no top claim
/// anywhere, are fine.)
void check_rule_cases(const sema::Program &program, const lower::Lowered &lowered,
                      support::Diagnostics &diags) {
    if (program.rules.empty()) {
        return;
    }
    const std::vector<prove::Case> cases = prove::cases_of(program);
    if (cases.size() < 2) {
        return;
    }
    std::vector<bool> has_top(program.modules.size(), false); // by module
    for (ir::NodeId n : ir::top_claims(lowered.graph)) {
        has_top[program.decl(lowered.decl_of[n.value]).module] = true;
    }
    std::vector<bool> case_has_top;
    for (const auto &c : cases) {
        bool any = false;
        for (std::size_t m = 0; m < c.modules.size() && !any; ++m) {
            any = c.modules[m] && has_top[m];
        }
        case_has_top.push_back(any);
    }
    if (std::none_of(case_has_top.begin(), case_has_top.end(), [](bool b) { return b; })) {
        return; // libraries checked together (`assure check stdlib/*.assure`): no case to miss
    }
    for (const auto &rule : program.rules) {
        const std::uint32_t home = program.decl(rule.decl).module;
        bool reaches = false;
        for (std::size_t ci = 0; ci < cases.size() && !reaches; ++ci) {
            reaches = cases[ci].modules[home] && case_has_top[ci];
        }
        if (reaches) {
            continue;
        }
        auto &d = diags.report(support::Code::W0108, program.decl(rule.decl).name_span,
                               "rule `" + program.qualified_name(rule.decl) +
                                   "` ranges over a case with no top claim, so it can fail nothing",
                               "decided over module `" + program.modules[home].name +
                                   "` and what it imports only");
        d.help = "a rule ranges over its own case only (a file that no other imports, with the "
                 "modules it imports): import module `" +
                 program.modules[home].name + "` from the case it is meant for";
    }
}

/// check --require-artifacts: W0109 for every piece of evidence of the user's modules that lists
/// no artifact with a recorded sha256, which prove --require-artifacts finds invalid.
void check_pinned_evidence(const sema::Program &program, support::Diagnostics &diags) {
    for (const auto &ev : program.evidence) {
        const sema::Decl &decl = program.decl(ev.decl);
        if (program.modules[decl.module].is_stdlib ||
            std::any_of(ev.artifacts.begin(), ev.artifacts.end(), [&](sema::DeclId a) {
                return !program.artifacts[program.decl(a).index].sha256.empty();
            })) {
            continue;
        }
        auto &d =
            diags.report(support::Code::W0109, decl.name_span,
                         "evidence `" + program.qualified_name(ev.decl) +
                             "` rests on no pinned artifact, so prove --require-artifacts "
                             "finds it invalid",
                         ev.artifacts.empty() ? "lists no artifact"
                                              : "none of its artifacts has a recorded sha256");
        d.help = ev.artifacts.empty()
                     ? "list the file the result comes from as an artifact of the evidence, in "
                       "the case's folder, with its sha256 recorded"
                     : "record the sha256 of its artifacts (`prove` shows each file's SHA-256 "
                       "now)";
    }
}

/// Parses a date given on the command line as `option`: a real day in 1900..9999, or E0608.
std::optional<sema::Date> option_date(const std::string &option, const std::string &value,
                                      ArgDiags &ad) {
    const auto parsed = prove::parse_date(value, prove::kMinOptionYear);
    if (!parsed) {
        const std::string arg = option + " " + value;
        ad.at(support::Code::E0608, arg, option.size() + 1, value.size(),
              option + " " + value +
                  " is not a date: write YYYY-MM-DD, a day that exists between 1900-01-01 and "
                  "9999-12-31",
              "not a day");
    }
    return parsed;
}

} // namespace

std::optional<ExitCode> prepare(const ProveOptions &options, report::ProofMeta &meta,
                                sema::Date &date, FrontEnd &fe, StageTimer &timer,
                                std::ostream &out, std::ostream &err, const char *json_format) {
    meta.assure_version = ASSURE_VERSION;
    meta.z3_version = solver::z3_version();
    meta.timeout_ms = options.timeout_ms;
    meta.rlimit = options.rlimit;
    meta.cells = !options.z3_only;
    date = today_utc();
    meta.date_source = "today, UTC; set another with --at";
    if (!options.common.at.empty()) {
        ArgDiags ad;
        const auto parsed = option_date("--at", options.common.at, ad);
        if (!parsed) {
            return ad.emit(options.common, err, ExitCode::Usage);
        }
        date = *parsed;
        meta.date_source = "--at";
    }
    // The case has errors: the diagnostics, and for a JSON consumer a document that says so.
    auto input_errors = [&] {
        emit_diagnostics(fe.diags, *fe.sources, options.common, err);
        if (json_format != nullptr && options.format == "json") {
            out << report::render_input_errors_json(json_format, meta.assure_version,
                                                    meta.z3_version, fe.diags, *fe.sources);
        }
        if (json_format != nullptr) {
            if (auto code = emit_ci_input_errors(options, json_format + 7, fe.diags, *fe.sources,
                                                 protected_files(fe), meta, out, err)) {
                return *code; // "assure-prove" -> "prove"
            }
        }
        return ExitCode::InputErrors;
    };
    if (!run_front(options.common, fe, timer, out) || fe.diags.has_errors()) {
        if (!fe.diags.has_errors()) {
            emit_diagnostics(fe.diags, *fe.sources, options.common, err);
            err << "error: nothing was proved\n";
            return ExitCode::InputErrors;
        }
        return input_errors();
    }
    check_artifact_locations(*fe.program, *fe.sources, options.strict_artifacts, fe.diags);
    check_rule_cases(*fe.program, *fe.lowered, fe.diags);
    if (fe.diags.has_errors()) {
        return input_errors();
    }
    if (ir::top_claims(fe.lowered->graph).empty()) {
        // Nothing proves vacuously: an empty proof must not pass a gate.
        const std::size_t claims = fe.program->claims.size();
        fe.diags.error(support::Code::E0406, support::Span{0, 0, 0},
                       "the case has no top claim, so there is nothing to prove (" +
                           std::to_string(claims) + (claims == 1 ? " claim" : " claims") + " in " +
                           std::to_string(fe.program->modules.size()) +
                           (fe.program->modules.size() == 1 ? " module" : " modules") + ")",
                       "a case needs a claim that nothing else supports");
        return input_errors();
    }
    return std::nullopt;
}

prove::ProveOptions proof_options(const ProveOptions &options, sema::Date date) {
    prove::ProveOptions po;
    po.date = date;
    po.solve.timeout_ms = options.timeout_ms;
    po.solve.rlimit = options.rlimit;
    po.solve.cells = !options.z3_only;
    po.require_artifacts = options.require_artifacts;
    return po;
}

namespace {

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

/// The folder a lockfile is in ("." for a bare name).
std::string folder_of(const std::string &path) {
    const std::string dir = std::filesystem::path(path).parent_path().string();
    return dir.empty() ? "." : dir;
}

} // namespace

namespace {

/// Reports a refused --change: at the spec, with a note at the change it conflicts with.
ExitCode report_change(ArgDiags &ad, const ProveOptions &options, const impact::ChangeError &e,
                       std::ostream &err) {
    const std::string prefix = "--change ";
    auto &d = ad.at(e.code, prefix + options.changes[e.change], prefix.size() + e.offset, e.length,
                    e.message, e.label);
    if (e.other) {
        const std::string other = prefix + options.changes[*e.other];
        const support::FileId f = ad.sources.add("<command line>", other);
        d.notes.push_back({support::Span{f, static_cast<std::uint32_t>(prefix.size()),
                                         static_cast<std::uint32_t>(other.size())},
                           "the other change of it"});
    }
    return ad.emit(options.common, err, ExitCode::Usage);
}

/// Reads and checks the lockfile `path`: E0604 when it cannot be read, E0601-E0603 at the line
/// of the problem.
std::optional<impact::Lock> read_lock(const std::string &path, ArgDiags &ad) {
    support::FsError fs_error;
    auto text =
        support::read_regular_file(path, impact::Lock::kMaxBytes, /*follow=*/true, fs_error);
    if (!text) {
        ad.plain(support::Code::E0604,
                 "cannot read the lockfile `" + path + "`: " + fs_error.message);
        return std::nullopt;
    }
    impact::LockError error;
    auto lock = impact::parse_lock(*text, error);
    if (!lock) {
        const support::FileId f = ad.sources.add(path, std::move(*text));
        const std::uint32_t start =
            ad.sources.line_start(f, static_cast<std::uint32_t>(error.line));
        const std::uint32_t len = static_cast<std::uint32_t>(
            ad.sources.line_text(f, static_cast<std::uint32_t>(error.line)).size());
        auto &d = ad.diags.error(error.code, support::Span{f, start, start + len}, error.message);
        if (error.code != support::Code::E0601) {
            d.help = "a lockfile is only read whole and as `assure lock` wrote it";
        }
    }
    return lock;
}

} // namespace

ExitCode run_impact(const ProveOptions &options, std::ostream &out, std::ostream &err) {
    ArgDiags ad;
    std::vector<impact::Change> changes;
    for (std::size_t ci = 0; ci < options.changes.size(); ++ci) {
        impact::ChangeError error;
        auto c = impact::parse_change(options.changes[ci], error);
        if (!c) {
            error.change = ci;
            return report_change(ad, options, error, err);
        }
        changes.push_back(std::move(*c));
    }
    if (changes.empty() && options.since.empty()) {
        err << "error: impact needs --since LOCKFILE or at least one --change SPEC (see assure "
               "impact --help)\n";
        return ExitCode::Usage;
    }
    std::optional<impact::Lock> lock;
    if (!options.since.empty()) {
        lock = read_lock(options.since, ad);
        if (!lock) {
            const ExitCode code = ad.emit(options.common, err, ExitCode::InputErrors);
            if (options.format == "json") {
                out << report::render_input_errors_json("assure-impact", ASSURE_VERSION,
                                                        solver::z3_version(), ad.diags, ad.sources);
            }
            support::Protected keep; // nothing was loaded: the files named are the case's
            for (const auto &f : options.common.files) {
                keep.add(f);
            }
            keep.add(options.since);
            return emit_ci_input_errors(options, "impact", ad.diags, ad.sources, keep, {}, out, err)
                .value_or(code);
        }
    }
    StageTimer timer(options.common.verbose, err);
    report::ProofMeta meta;
    sema::Date date;
    FrontEnd fe;
    if (auto code = prepare(options, meta, date, fe, timer, out, err, "assure-impact")) {
        return *code;
    }
    emit_diagnostics(fe.diags, *fe.sources, options.common, err);
    const prove::ProveOptions po = proof_options(options, date);

    // The case the changes lead to: the one loaded, or, when the text of some declarations
    // changes, the case loaded again with those edits.
    const FrontEnd *changed = &fe;
    FrontEnd edited;
    if (std::any_of(changes.begin(), changes.end(), impact::is_text_change)) {
        impact::ChangeError error;
        const auto overlay = impact::edit_sources(*fe.program, *fe.sources, changes, error);
        if (!overlay) {
            return report_change(ad, options, error, err);
        }
        for (const auto &[path, text] : *overlay) {
            edited.sources->overlay(path, text);
        }
        if (!run_front(options.common, edited, timer, out) || edited.diags.has_errors()) {
            emit_diagnostics(edited.diags, *edited.sources, options.common, err);
            err << "error: the case as changed by the --change options above has errors (the "
                   "lines and columns are those of the changed text)\n";
            return ExitCode::Usage;
        }
        // A text change rewrites one field (its new text was checked to be one region or one
        // name); this makes sure, whatever the text, that it added or removed no declaration.
        if (!impact::same_declarations(*fe.program, *edited.program)) {
            ad.plain(support::Code::E0605, "the --change options above add or remove "
                                           "declarations of the case; a change rewrites one field");
            return ad.emit(options.common, err, ExitCode::Usage);
        }
        changed = &edited;
    }
    const sema::Program &program = *changed->program;
    prove::Overrides overrides;
    impact::ChangeError change_error;
    if (!impact::apply_changes(program, changes, overrides, change_error)) {
        return report_change(ad, options, change_error, err);
    }
    const impact::Case target{program, *changed->lowered, *changed->sources};
    // Before: as locked, or the case as written (not as edited). Proofs of one program share
    // their constraint model, decided queries and artifact digests.
    prove::ProveOptions first = po;
    first.reuse = std::make_shared<prove::Reuse>();
    prove::ProveOptions then = po;
    then.reuse = changed == &fe ? first.reuse : std::make_shared<prove::Reuse>();
    const impact::Baseline before =
        lock ? impact::baseline_of(*lock)
             : impact::baseline_of(*fe.program,
                                   prove::prove(*fe.program, *fe.lowered, *fe.sources, first));
    timer.done("before");
    then.on_phase = [&timer](const char *phase) { timer.done(phase); };
    RunScoped<impact::Impact> result{impact::analyse(before, target, then, overrides)};
    std::vector<impact::LockChange> detected;
    if (lock) {
        const impact::Lock now = impact::make_lock(program, *changed->sources, result->after,
                                                   options.common.files, folder_of(options.since));
        detected = impact::diff(*lock, now, date);
    }
    timer.done("impact");
    const report::ImpactInput input{changes, options.since, detected};
    if (options.format == "json") {
        out << report::render_impact_json(program, *result, input, *changed->sources, meta);
    } else if (options.format != "github") {
        out << report::render_impact_text(program, *result, input, *changed->sources, meta);
    }
    if (auto code = emit_ci_impact(options, fe, *changed, *result, before, input, meta, out, err)) {
        return *code;
    }
    if (auto code =
            record_run(options, *changed, result->after, meta, "impact", err, &result->plan)) {
        return *code;
    }
    timer.done("report");
    return static_cast<ExitCode>(report::impact_exit_code(*result));
}

ExitCode run_lock(const ProveOptions &options, std::ostream &out, std::ostream &err) {
    namespace fs = std::filesystem;
    const std::string path =
        !options.output.empty()
            ? options.output
            : (fs::path(options.common.files.front()).parent_path() / "assure.lock").string();
    StageTimer timer(options.common.verbose, err);
    report::ProofMeta meta;
    sema::Date date;
    FrontEnd fe;
    if (auto code = prepare(options, meta, date, fe, timer, out, err, nullptr)) {
        return *code;
    }
    emit_diagnostics(fe.diags, *fe.sources, options.common, err);
    const sema::Program &program = *fe.program;
    RunScoped<prove::ProofResult> result{
        prove::prove(program, *fe.lowered, *fe.sources, proof_options(options, date))};
    const impact::Lock lock =
        impact::make_lock(program, *fe.sources, *result, options.common.files, folder_of(path));
    const std::string text = impact::render_lock(lock);
    timer.done("lock");

    // Overwrite only this case's own lockfile, unless told to; never a case file or artifact,
    // a symlink or anything but a regular file.
    ArgDiags ad;
    const support::Protected keep = protected_files(fe);
    const fs::path target(path);
    const std::string name = target.filename().string();
    if (name.empty() || name == "." || name == "..") {
        ad.plain(support::Code::E0608, "`" + path + "` is not a file name for the lockfile");
        return ad.emit(options.common, err, ExitCode::Usage);
    }
    support::FsError fs_error;
    const auto dir = support::OutputDir::open(folder_of(path), /*create=*/false,
                                              /*follow=*/true, fs_error);
    if (!dir) {
        return report_write(ad, fs_error, "lockfile", options.common, err);
    }
    if (dir->exists(name)) {
        if (const auto id = support::identity_of(path); id && keep.contains(*id)) {
            return report_write(
                ad, {support::FsProblem::Protected, path, "is one of the case's own files"},
                "lockfile", options.common, err);
        }
        const auto old = dir->read(name, impact::Lock::kMaxBytes, fs_error);
        if (!old && fs_error.problem != support::FsProblem::TooLarge) {
            return report_write(ad, fs_error, "lockfile", options.common, err);
        }
        if (old && *old == text) {
            out << "assure lock: " << path << " is up to date\n";
            return ExitCode::Ok;
        }
        if (!options.force) {
            std::string why;
            std::string error;
            if (!old || !impact::looks_like_lock(*old)) {
                why = "it is not an assure lockfile";
            } else if (const auto theirs = impact::parse_lock(*old, error); !theirs) {
                why = "it is not a lockfile this assure can read (" + error + ")";
            } else if (sorted(theirs->case_files) != sorted(lock.case_files)) {
                why = "it locks another case (its case files differ)";
            }
            if (!why.empty()) {
                auto &d = ad.plain(support::Code::E0611, "not overwriting " + path + ": " + why);
                d.help = "pass --force to replace it, or -o to write elsewhere";
                return ad.emit(options.common, err, ExitCode::Usage);
            }
        }
    }
    // A fresh temporary file next to it, renamed into place: an interrupted run leaves the old
    // lockfile whole, and no file of anyone else's is touched.
    if (!dir->write(name, text, keep, fs_error)) {
        return report_write(ad, fs_error, "lockfile", options.common, err);
    }
    std::size_t top = 0;
    std::size_t supported = 0;
    for (sema::DeclId d : result->top_claims) {
        ++top;
        supported += result->status(d) == prove::Status::Supported ? 1 : 0;
    }
    out << "assure lock: wrote " << path << ": " << lock.files.size() << " input files, "
        << lock.artifacts.size() << " artifacts, " << lock.evidence.size() << " evidence, "
        << lock.claims.size() << " claims (" << supported << " of " << top
        << " top claims supported)\n";
    return ExitCode::Ok;
}

ExitCode run_prove(const ProveOptions &options, std::ostream &out, std::ostream &err) {
    const CheckOptions &common = options.common;
    StageTimer timer(common.verbose, err);
    report::ProofMeta meta;
    sema::Date date;
    FrontEnd fe;
    if (auto code = prepare(options, meta, date, fe, timer, out, err, "assure-prove")) {
        return *code;
    }
    const sema::Program &program = *fe.program;
    std::optional<sema::DeclId> claim;
    if (!options.claim.empty()) {
        std::string error;
        claim = prove::find_decl(program, options.claim, sema::DeclKind::Claim, error);
        if (!claim) {
            emit_diagnostics(fe.diags, *fe.sources, common, err);
            err << "error: " << error << "\n";
            return ExitCode::Usage;
        }
    }
    emit_diagnostics(fe.diags, *fe.sources, common, err);

    prove::ProveOptions po = proof_options(options, date);
    po.on_phase = [&timer](const char *phase) { timer.done(phase); };
    RunScoped<prove::ProofResult> result_owner{prove::prove(program, *fe.lowered, *fe.sources, po)};
    prove::ProofResult &result = *result_owner;

    const int code = report::proof_exit_code(result);
    meta.exit_code = code;
    if (options.dump == "graph") {
        fe.lowered->graph.dump(out);
    } else if (options.dump == "smt2") {
        for (std::uint32_t ob = 0; ob < result.obligations.size(); ++ob) {
            out << report::obligation_smt2(program, result, *fe.sources, ob) << "\n";
        }
    } else if (claim) {
        out << (options.format == "json"
                    ? report::render_explain_json(program, result, *fe.sources, meta, *claim)
                    : report::render_explain(program, result, *fe.sources, meta, *claim));
    } else if (options.format == "json") {
        out << report::render_proof_json(program, result, *fe.sources, meta);
    } else if (options.format != "github") {
        out << report::render_proof_text(program, result, *fe.sources, meta);
    }
    if (!options.trace_dir.empty()) {
        support::FsError error;
        if (!report::write_trace(options.trace_dir, program, result, *fe.sources, meta,
                                 protected_files(fe), error)) {
            ArgDiags ad;
            return report_write(ad, error, "trace", common, err);
        }
    }
    if (auto failed = emit_ci_prove(options, fe, result, meta, out, err); failed && !claim) {
        return *failed;
    }
    if (auto failed = claim ? std::nullopt : record_run(options, fe, result, meta, "prove", err)) {
        return *failed;
    }
    timer.done("report");
    if (claim) {
        const prove::Status s = result.status(*claim);
        return s == prove::Status::Supported ? ExitCode::Ok
               : s == prove::Status::Unknown ? ExitCode::Unknown
                                             : ExitCode::NotSupported;
    }
    return static_cast<ExitCode>(code);
}

} // namespace assure::cli
