// SPDX-License-Identifier: Apache-2.0
// The assure command line. The only code that writes to stdout/stderr or chooses the exit code.
#include "cli/diagram.hpp"
#include "cli/driver.hpp"
#include "cli/event.hpp"
#include "cli/history.hpp"
#include "cli/kpi.hpp"
#include "cli/monitor.hpp"
#include "cli/monitor_log.hpp" // monitor --verify-log
#include "cli/packet.hpp"
#include "cli/serve.hpp"
#include "cli/stdlib_location.hpp"
#include "solver/version.hpp"

#include <CLI/CLI.hpp>
#if defined(ASSURE_WITH_MIMALLOC)
#include <mimalloc.h>
#endif

#include <exception>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr const char *kExitCodes = R"(Exit codes:
  0  check: the case checked clean (warnings allowed); prove: every top claim is supported;
     explain: the claim is supported; impact: nothing is lost (no claim loses support, no evidence anything relies on becomes
     invalid); lock: the lockfile was written (or was up to date); pin: every artifact is
     pinned to its file's current contents (written now, or already); diagram: the diagram
     was written (whatever the verdicts it shows); report, export: the page or packet was
     written and every top claim is supported; verify: every check of the packet passed;
     keygen: the key pair was written; kpi: the KPIs were printed (an empty history: nothing to
     compute); monitor: every record was read, nothing --fail-on names happened; monitor
     --verify-log: the log is intact
  1  the case has errors: syntax, names, types, structure, unreadable files; prove, explain,
     impact, lock, diagram, report: no top claim, so nothing to prove (E0406) (impact: also a
     missing, damaged or cut lockfile; prove, impact: the files of --junit, --sarif,
     --markdown, --gitlab-cq are written all the same, with the errors); pin: nothing was
     written; verify: not an evidence packet, damaged or hostile (E0701-E0704): nothing was
     extracted; monitor --verify-log: not a monitor log, or unreadable (E0850, E0851)
  2  bad command line: an invalid option value, date or --change (explain: no claim of that
     name; diagram: no claim or module of that name, E0617); an output assure refuses to
     write (a symlink, not a regular file, one of the case's own files, or a file or folder in
     the way that assure did not write; report: a file that is not an assure report, unless
     --force) or cannot write (lock, --trace, --junit, --sarif, --markdown, --gitlab-cq:
     whatever the verdict, the other files are written; a missing folder, no
     permission; pin: a case file that is a symlink, read-only or changed meanwhile - the
     files listed as pinned were written); export, verify: a key file that cannot be used
     (E0710); keygen: a key file exists already (E0711); monitor: an unreadable input or
     mapping, no domain to monitor (E0830-E0832); monitor --strict: a bad record exits 1;
     monitor --verify-log: a key file that cannot be used (E0856)
  3  prove, report, export: no top claim fails, but a solver query came back unknown for one (explain:
     the claim's support is unknown; impact: the only losses are to unknown); monitor --fail-on:
     nothing failed, but a record left a statement undecided
  4  internal error in assure, or out of memory (please report it)
  5  prove, report, export: some top claim is unsupported or undeveloped (explain: the claim is unsupported or undeveloped;
     impact: a claim, top or not, loses support or evidence something relies on is
     invalidated - the gate fails until the re-verification plan is carried out; pin: an
     artifact cannot be pinned (a missing file, not a regular file, declared in a pattern);
     pin --check: also some recorded hash is stale or missing); monitor --fail-on: a record
     violated a claim (unassured: or was outside the ODD or unassured)
  6  verify: a check of the packet failed: its signature, a file's hash, the statement, the
     re-run proof or a solver's replay (E0705-E0709, E0712-E0714)
     history --verify: the hash chain of the history is broken (E0804)
     monitor --verify-log: the log is broken: an entry edited, reordered, inserted, deleted,
     truncated or malformed, or a signature missing or wrong (E0852-E0855)
  1/2 history, kpi, report --history: the database is not a history this assure can read
     (E0801-E0803: exit 1; kpi, report --history: also an entry whose time, date or cost is
     malformed, E0810); prove, impact --record: the run could not be recorded (E0801-E0803:
     exit 2)
)";

/// The options `check`, `prove` and `explain` share.
void add_common(CLI::App *cmd, assure::cli::CheckOptions &opts) {
    cmd->add_option("--stdlib", opts.stdlib_dir,
                    "Folder of the standard library (default: $ASSURE_STDLIB, else " +
                        std::string(assure::cli::installed_stdlib_relative()) +
                        " from the assure executable's folder, else the folder's own stdlib, as "
                        "in a build tree)");
    cmd->add_option("-I,--include", opts.include_dirs,
                    "Extra folder searched for imported modules (repeatable)");
    cmd->add_option("--diagnostics", opts.diagnostics_format, "Diagnostics format on stderr")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->add_flag("-v,--verbose", opts.verbose,
                  "Print the standard library folder used and the time and memory of each "
                  "stage on stderr");
}

void add_proof_options(CLI::App *cmd, assure::cli::ProveOptions &opts) {
    cmd->add_option("--at", opts.common.at,
                    "The date evidence expiry is judged at, YYYY-MM-DD (default: today, UTC)");
    cmd->add_option("--timeout", opts.timeout_ms, "Time limit of each solver query in ms")
        ->check(CLI::Range(1u, 3600000u));
    cmd->add_option("--rlimit", opts.rlimit,
                    "Deterministic Z3 resource limit of each query (0 = none)");
    cmd->add_flag("--z3-only", opts.z3_only,
                  "Send every obligation to Z3 (skip the exact cell enumeration of box queries)");
    cmd->add_flag("--strict-artifacts", opts.strict_artifacts,
                  "An artifact outside the folder of the case file declaring it is an error "
                  "(E0613), not a warning (W0105)");
    cmd->add_flag("--require-artifacts", opts.require_artifacts,
                  "Evidence that lists no artifact with a recorded sha256 is invalid "
                  "(evidence_unpinned): every piece of evidence must rest on a pinned file");
}

/// The name of the first option of `app`'s parsed subcommand that was given an empty value
/// (`--trace ''`), or "": an empty path or date is a mistake, never "the default".
std::string empty_option(const CLI::App &app) {
    for (const CLI::App *cmd : app.get_subcommands()) {
        for (const CLI::Option *opt : cmd->get_options()) {
            if (opt->count() == 0) {
                continue;
            }
            for (const std::string &value : opt->results()) {
                if (value.empty()) {
                    return opt->get_name();
                }
            }
        }
    }
    return {};
}

/// The CI outputs of prove and impact (docs/ci.md), written beside the normal output.
void add_ci_options(CLI::App *cmd, assure::cli::ProveOptions &opts) {
    cmd->add_option("--format", opts.format,
                    "Result format on stdout; github: workflow-command annotations at the source "
                    "lines and a summary line")
        ->check(CLI::IsMember({"text", "json", "github"}));
    cmd->add_option("--junit", opts.ci.junit,
                    "Also write a JUnit XML report: a test case per top claim, rule and rated "
                    "hazard (impact: the gate and each loss)");
    cmd->add_option("--sarif", opts.ci.sarif,
                    "Also write a SARIF 2.1.0 report: diagnostics and root causes at their "
                    "source lines");
    cmd->add_option("--markdown", opts.ci.markdown,
                    "Also write a Markdown summary (a job summary or pull-request comment)");
    cmd->add_option("--gitlab-cq", opts.ci.gitlab_cq, "Also write a GitLab Code Quality report");
    cmd->add_option("--record", opts.record,
                    "Also append the run to this history database (SQLite; created when "
                    "missing; docs/history.md)");
    cmd->add_flag("--force", opts.force,
                  "Overwrite the files of --junit, --sarif, --markdown and --gitlab-cq even when "
                  "assure did not write them (never a case file)");
}

void add_trace_option(CLI::App *cmd, assure::cli::ProveOptions &opts) {
    cmd->add_option("--trace", opts.trace_dir,
                    "Also write a replayable trace bundle (manifest, result, SMT-LIB files) here");
}

/// Splits explain's and diagram's arguments: the claim is the one argument that is not an
/// .assure file, wherever it stands; the rest are the case's files. False (with the message on
/// stderr) when there are two claims.
bool split_claim(const std::vector<std::string> &args, const char *one_claim,
                 std::vector<std::string> &files, std::string &claim) {
    for (const auto &arg : args) {
        const bool file = arg.size() > 7 && arg.compare(arg.size() - 7, 7, ".assure") == 0;
        if (file) {
            files.push_back(arg);
        } else if (claim.empty()) {
            claim = arg;
        } else {
            std::cerr << "error: " << one_claim << "; got `" << claim << "` and `" << arg
                      << "` (case files end in .assure)\n";
            return false;
        }
    }
    return true;
}

// ---- monitor --verify-log (src/cli/monitor_log.cpp) ----------------------------------------
// `assure monitor` itself is src/cli/monitor.cpp's; until the two are folded into one
// subcommand, a command line `assure monitor ... --verify-log FILE ...` is parsed here, before
// the main parser, and nothing else is.
std::optional<int> verify_log_command(int argc, char **argv) {
    using assure::cli::ExitCode;
    bool present = false;
    for (int k = 2; argc >= 2 && std::string_view(argv[1]) == "monitor" && k < argc; ++k) {
        const std::string_view arg(argv[k]);
        present = present || arg == "--verify-log" || arg.rfind("--verify-log=", 0) == 0;
    }
    if (!present) {
        return std::nullopt;
    }
    CLI::App app{"Check a monitor log: its hash chain, checkpoints and signatures "
                 "(docs/monitor-log.md)",
                 "assure monitor"};
    app.footer(kExitCodes);
    assure::cli::VerifyLogOptions opts;
    app.add_option("--verify-log", opts.log, "The monitor log to verify")->required();
    app.add_option("--key", opts.key,
                   "The public key (KEY.pub) every checkpoint must be signed with");
    app.add_option("--format", opts.format, "Output format")
        ->check(CLI::IsMember({"text", "json"}));
    app.add_option("--diagnostics", opts.diagnostics_format, "Diagnostics format on stderr")
        ->check(CLI::IsMember({"text", "json"}));
    try {
        app.parse(argc - 1, argv + 1);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        app.exit(e, std::cout, std::cerr);
        std::cerr << "run `assure monitor --verify-log FILE --help` for usage\n";
        return static_cast<int>(ExitCode::Usage);
    }
    return static_cast<int>(assure::cli::run_verify_log(opts, std::cout, std::cerr));
}
// ---- end monitor --verify-log ------------------------------------------------------------

int run(int argc, char **argv) {
    using assure::cli::ExitCode;
    if (const auto code = verify_log_command(argc, argv)) { // monitor --verify-log
        return *code;
    }
    CLI::App app{"assure: check assurance cases written in the assure language"};
    app.footer(kExitCodes);
    app.require_subcommand(0, 1);
    bool version = false;
    app.add_flag("--version", version, "Print the versions of assure and Z3");

    assure::cli::CheckOptions check;
    CLI::App *check_cmd = app.add_subcommand(
        "check", "Report every syntax, name, type and structure error of a case, or a summary");
    check_cmd
        ->add_option("files", check.files, "The case's .assure files (imports are found from them)")
        ->required();
    add_common(check_cmd, check);
    check_cmd->add_option("--format", check.summary_format, "Summary format on stdout")
        ->check(CLI::IsMember({"text", "json"}));
    check_cmd->add_option("--at", check.at,
                          "The date evidence `date:`s are compared with (W0107), YYYY-MM-DD "
                          "(default: today, UTC)");
    check_cmd->add_flag("--require-artifacts", check.require_artifacts,
                        "Warn (W0109) about evidence that lists no artifact with a recorded "
                        "sha256, which prove --require-artifacts finds invalid");
    check_cmd->add_option("--dump", check.dump, "Print an intermediate form instead of the summary")
        ->check(CLI::IsMember({"ast", "expanded", "graph"}));

    assure::cli::ProveOptions prove;
    CLI::App *prove_cmd = app.add_subcommand(
        "prove", "Decide which claims are supported; report each top claim's verdict and the "
                 "root causes of every failure");
    prove_cmd->add_option("files", prove.common.files, "The case's .assure files")->required();
    add_common(prove_cmd, prove.common);
    add_proof_options(prove_cmd, prove);
    add_trace_option(prove_cmd, prove);
    add_ci_options(prove_cmd, prove);
    prove_cmd->add_option("--dump", prove.dump, "Print an intermediate form instead of the result")
        ->check(CLI::IsMember({"graph", "smt2"}));

    assure::cli::ProveOptions explain;
    std::vector<std::string> explain_args;
    CLI::App *explain_cmd = app.add_subcommand(
        "explain", "Show why a claim is supported (its proof tree) or why not (its failing part)");
    explain_cmd
        ->add_option("args", explain_args, "The case's .assure files and the claim to explain")
        ->required()
        ->expected(2, -1);
    add_common(explain_cmd, explain.common);
    add_proof_options(explain_cmd, explain);
    add_trace_option(explain_cmd, explain);
    explain_cmd->add_option("--format", explain.format, "Proof tree format on stdout")
        ->check(CLI::IsMember({"text", "json"}));

    assure::cli::ProveOptions impact;
    CLI::App *impact_cmd = app.add_subcommand(
        "impact", "What a change does to the case: the claims that lose support and the cheapest "
                  "evidence to re-verify to restore them");
    impact_cmd->add_option("files", impact.common.files, "The case's .assure files")->required();
    add_common(impact_cmd, impact.common);
    add_proof_options(impact_cmd, impact);
    impact_cmd
        ->add_option("--change", impact.changes,
                     "A hypothetical change (repeatable): artifact:NAME (its contents changed), "
                     "fail:NAME, pending:NAME, withdraw:NAME, expire:NAME=YYYY-MM-DD (evidence), "
                     "open:NAME (a defeater is opened), odd:NAME=REGION, scope:NAME=REGION (a "
                     "region becomes REGION), severity:NAME=VALUE, likelihood:NAME=VALUE (a "
                     "hazard is re-rated)")
        ->allow_extra_args(false); // one SPEC per --change: the case files may follow
    impact_cmd->add_option("--since", impact.since,
                           "Compare with the state recorded by `assure lock` in this lockfile");
    add_ci_options(impact_cmd, impact);

    assure::cli::ProveOptions lock;
    CLI::App *lock_cmd = app.add_subcommand(
        "lock", "Record the case's state (hashes of its files and artifacts, its evidence and "
                "verdicts) in a lockfile, for `assure impact --since`");
    lock_cmd->add_option("files", lock.common.files, "The case's .assure files")->required();
    add_common(lock_cmd, lock.common);
    add_proof_options(lock_cmd, lock);
    lock_cmd->add_option("-o,--output", lock.output,
                         "The lockfile to write (default: assure.lock in the first file's folder)");
    lock_cmd->add_flag("--force", lock.force,
                       "Overwrite the file even if it is not this case's lockfile");

    assure::cli::ReportOptions report;
    CLI::App *report_cmd = app.add_subcommand(
        "report", "Write the case and its proof as one self-contained HTML page for reviewers: "
                  "verdicts, diagrams, solver steps, evidence, digests (docs/report.md)");
    report_cmd->add_option("files", report.prove.common.files, "The case's .assure files")
        ->required();
    add_common(report_cmd, report.prove.common);
    add_proof_options(report_cmd, report.prove);
    report_cmd->add_option("-o,--output", report.prove.output, "The HTML file to write")
        ->required();
    report_cmd->add_flag("--force", report.prove.force,
                         "Overwrite the file even if it is not a report assure wrote");
    report_cmd
        ->add_option("--sections", report.sections,
                     "Element sections in the page (auto: inline up to 2000 elements, else lazy: "
                     "rendered when navigated to)")
        ->check(CLI::IsMember({"auto", "inline", "lazy"}));
    report_cmd->add_option("--history", report.history,
                           "Add a History section: the KPIs of this history database as charts "
                           "(docs/history.md, \"KPIs\")");
    report_cmd
        ->add_option("--within", report.within_days,
                     "With --history: evidence expiring within this many days counts as "
                     "expiring (default 30)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{36500}));

    assure::cli::DiagramOptions diagram;
    std::vector<std::string> diagram_args;
    CLI::App *diagram_cmd = app.add_subcommand(
        "diagram", "Draw the argument as a GSN diagram coloured by the computed verdicts (SVG, "
                   "DOT or Mermaid; docs/diagram.md)");
    diagram_cmd
        ->add_option("args", diagram_args,
                     "The case's .assure files and, optionally, the claim to draw (default: every "
                     "top claim)")
        ->required()
        ->expected(1, -1);
    add_common(diagram_cmd, diagram.prove.common);
    add_proof_options(diagram_cmd, diagram.prove);
    diagram_cmd->add_option("--module", diagram.module,
                            "Draw the argument of this module (its claims that nothing in it "
                            "supports)");
    diagram_cmd->add_option("--format", diagram.format, "Output format (default svg)")
        ->check(CLI::IsMember({"svg", "dot", "mermaid"}));
    diagram_cmd
        ->add_option("--depth", diagram.depth,
                     "Supporting levels drawn below each root; deeper subtrees collapse into a "
                     "counted stub (default 0: no limit)")
        ->check(CLI::Range(0u, 100000u));
    diagram_cmd
        ->add_option("--max-nodes", diagram.max_nodes,
                     "Most nodes in the diagram; the rest collapses into counted stubs "
                     "(default 400)")
        ->check(CLI::Range(8u, 5000u));
    diagram_cmd->add_flag("!--no-legend", diagram.legend, "Leave out the legend");
    diagram_cmd->add_option("-o,--output", diagram.output,
                            "Write the diagram to this file (default: stdout)");
    diagram_cmd->add_flag("--force", diagram.force,
                          "Overwrite the file even if it is not a diagram assure wrote");

    assure::cli::MonitorOptions monitor;
    CLI::App *monitor_cmd = app.add_subcommand(
        "monitor", "Check runtime records (JSON Lines) against the proved case: violations of "
                   "claims' formal statements and the assurance envelope (docs/monitor.md); "
                   "`assure monitor --verify-log FILE [--key PUB]` checks a verdict log");
    monitor_cmd->add_option("files", monitor.prove.common.files, "The case's .assure files")
        ->required()
        ->expected(1, -1);
    add_common(monitor_cmd, monitor.prove.common);
    add_proof_options(monitor_cmd, monitor.prove);
    monitor_cmd
        ->add_option("--input", monitor.input, "The records: a JSON Lines file, or - for stdin")
        ->required();
    monitor_cmd->add_option("--mapping", monitor.mapping,
                            "A mapping file: where each variable's value is in a record, or how "
                            "OpenTelemetry spans make an episode (docs/monitor.md)");
    monitor_cmd->add_option("--domain", monitor.domain,
                            "The domain the records are points of (default: the mapping's, else "
                            "the one domain the claims' formal statements are over)");
    monitor_cmd->add_option("--odd", monitor.odd,
                            "The odd operating points are judged against (default: the "
                            "mapping's, else the domain's only odd)");
    monitor_cmd->add_option("--format", monitor.format, "Output format (default text)")
        ->check(CLI::IsMember({"text", "json"}));
    monitor_cmd
        ->add_option("--fail-on", monitor.fail_on,
                     "Exit 5 when a record violates a claim (violation), or also when one is "
                     "outside the ODD or unassured (unassured)")
        ->check(CLI::IsMember({"violation", "unassured"}));
    monitor_cmd->add_flag("--all", monitor.all,
                          "Print a line for every record, nominal ones too (default: only "
                          "records that are not nominal)");
    monitor_cmd->add_option("--log", monitor.log,
                            "Append every record's verdict to this hash-chained log "
                            "(docs/monitor-log.md; created, or continued after it verifies)");
    monitor_cmd->add_option("--sign-key", monitor.sign_key,
                            "Sign the log's checkpoints with this Ed25519 key (assure keygen)");
    monitor_cmd->add_option("--checkpoint-every", monitor.checkpoint_every,
                            "A checkpoint after every N verdicts (default 1000; 0: at the end)");
    monitor_cmd->add_flag("--log-sync-entry", monitor.log_sync_entry,
                          "Flush the log to disk after every verdict (default: at checkpoints)");
    monitor_cmd->add_flag("--repair-log", monitor.repair_log,
                          "Continue a log whose last line a crash cut, recording the cut");
    monitor_cmd->add_option("--notify", monitor.notify,
                            "After a violation and at the end, post the log's new digest to "
                            "this assure serve (http://HOST:PORT) as --log-artifact's");
    monitor_cmd->add_option("--token-file", monitor.token_file,
                            "The bearer token file of the service's writers (mode 600)");
    monitor_cmd->add_option("--log-artifact", monitor.log_artifact,
                            "The artifact the case reads the log as (a monitor read source)");
    monitor_cmd->add_flag("--strict", monitor.strict,
                          "A record that cannot be judged (broken JSON, unknown field, wrong "
                          "type, out of range, missing variable) stops the run with exit 1");

    assure::cli::PinOptions pin;
    CLI::App *pin_cmd = app.add_subcommand(
        "pin", "Write the current SHA-256 of every artifact into the case's files, changing no "
               "other byte, and print the changes as a diff");
    pin_cmd->add_option("files", pin.common.files, "The case's .assure files")->required();
    add_common(pin_cmd, pin.common);
    pin_cmd->add_flag("--check", pin.check,
                      "Write nothing: print what pin would change and exit 5 if any recorded "
                      "hash is stale or missing (for CI)");

    assure::cli::ExportOptions export_opts;
    CLI::App *export_cmd = app.add_subcommand(
        "export", "Write the evidence packet of a case: its sources, artifacts, proof, trace, "
                  "report and a manifest of SHA-256s, optionally signed (docs/packet.md)");
    export_cmd->add_option("files", export_opts.prove.common.files, "The case's .assure files")
        ->required();
    add_common(export_cmd, export_opts.prove.common);
    add_proof_options(export_cmd, export_opts.prove);
    export_cmd->add_option("-o,--output", export_opts.prove.output, "The packet to write (.tar.gz)")
        ->required();
    export_cmd->add_flag("--no-artifacts", export_opts.no_artifacts,
                         "Leave the artifacts out: the manifest records only their SHA-256s "
                         "(for confidential evidence)");
    export_cmd->add_option("--sign", export_opts.sign_key,
                           "Sign the manifest with this Ed25519 private key (assure keygen)");
    export_cmd->add_flag("--force", export_opts.prove.force,
                         "Overwrite the file even if it is not a packet assure wrote");

    assure::cli::VerifyOptions verify;
    CLI::App *verify_cmd = app.add_subcommand(
        "verify", "Check an evidence packet: its signature, every file's SHA-256, the proof "
                  "re-run from its own copies, and its SMT-LIB files replayed with z3 and cvc5");
    verify_cmd->add_option("packet", verify.packet, "The packet (.tar.gz)")->required();
    verify_cmd->add_option("--key", verify.key,
                           "Check the signature with this public key (KEY.pub)");
    verify_cmd->add_flag("--no-replay", verify.no_replay,
                         "Do not run z3 and cvc5 on the trace's SMT-LIB files");
    verify_cmd
        ->add_option("--replay-timeout", verify.replay_timeout_ms,
                     "Time limit of each solver run in ms (default 60000)")
        ->check(CLI::Range(100u, 3600000u));
    verify_cmd
        ->add_option("--diagnostics", verify.diagnostics_format, "Diagnostics format on stderr")
        ->check(CLI::IsMember({"text", "json"}));

    assure::cli::HistoryOptions history;
    CLI::App *history_cmd = app.add_subcommand(
        "history", "List the runs recorded with --record and what changed between them, or "
                   "check the history's hash chain (--verify)");
    history_cmd->add_option("--db", history.db, "The history database")->required();
    history_cmd->add_option("--format", history.format, "Output format on stdout")
        ->check(CLI::IsMember({"text", "json"}));
    history_cmd->add_flag("--verify", history.verify,
                          "Recompute the hash chain and name the first edited, deleted, inserted "
                          "or reordered entry (exit 6)");
    history_cmd
        ->add_option("--diagnostics", history.diagnostics_format, "Diagnostics format on stderr")
        ->check(CLI::IsMember({"text", "json"}));

    assure::cli::KpiOptions kpi;
    CLI::App *kpi_cmd = app.add_subcommand(
        "kpi", "Compute the KPIs of a history over time: supported ratios, evidence freshness, "
               "artifact coverage, open defeaters, time to re-assure, re-verification cost, "
               "alarms per quarter, verified releases (docs/history.md)");
    kpi_cmd->add_option("--db", kpi.db, "The history database")->required();
    kpi_cmd->add_option("--format", kpi.format, "Output format on stdout")
        ->check(CLI::IsMember({"text", "json"}));
    kpi_cmd
        ->add_option("--within", kpi.within_days,
                     "Evidence expiring within this many days counts as expiring (default 30)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{36500}));
    kpi_cmd->add_option("--diagnostics", kpi.diagnostics_format, "Diagnostics format on stderr")
        ->check(CLI::IsMember({"text", "json"}));

    assure::cli::EventOptions event;
    CLI::App *event_cmd = app.add_subcommand(
        "event", "Post an event (fail:E, open:D, artifact:A[=SHA256], attest:E, release:COMMIT, "
                 "...) to assure serve, or with --db apply it to a history directly");
    event_cmd
        ->add_option("args", event.args,
                     "Event specs, and with --db the case's .assure files (docs/serve.md)")
        ->required();
    event_cmd->add_option("--server", event.server, "The service, http://HOST:PORT");
    event_cmd->add_option("--token-file", event.token_file,
                          "A file holding the service's bearer token (mode 600)");
    event_cmd->add_option("--db", event.db,
                          "Write the event to this history directly (a file, or a "
                          "postgresql:// URL) and re-judge the case given");
    event_cmd->add_option("--note", event.note, "Free text recorded with the event");
    event_cmd->add_option("--case-version", event.case_version,
                          "The case digest the event is for: refused when the case is another");
    event_cmd->add_option("--format", event.format, "Output format on stdout")
        ->check(CLI::IsMember({"text", "json"}));
    add_common(event_cmd, event.prove.common);
    add_proof_options(event_cmd, event.prove);
    event_cmd->get_option("--at")->description(
        "Only today's date (UTC): a live case is judged at the date it runs (E0608 otherwise)");

    assure::cli::ServeOptions serve;
    CLI::App *serve_cmd = app.add_subcommand(
        "serve", "Hold the case in memory, judge it again after every event (POST /events) and "
                 "when an evidence date passes, record each in the history, and answer GET "
                 "/status, /claims/NAME, /history, /kpi, /impact, /report and /metrics");
    serve_cmd->add_option("files", serve.prove.common.files, "The case's .assure files")
        ->required();
    serve_cmd->add_option("--db", serve.db, "The history (a file, or a postgresql:// URL)")
        ->required();
    serve_cmd->add_option("--listen", serve.listen,
                          "HOST:PORT to listen on (default 127.0.0.1:8417; port 0: any free "
                          "port, printed on stdout)");
    serve_cmd->add_option("--token-file", serve.token_file,
                          "A file (mode 600) holding the bearer token writers must send; without "
                          "it the service accepts no event");
    serve_cmd->add_option("--readers", serve.readers, "Whether GET requests need the token")
        ->check(CLI::IsMember({"open", "token"}));
    add_common(serve_cmd, serve.prove.common);
    add_proof_options(serve_cmd, serve.prove);
    serve_cmd->get_option("--at")->description(
        "Only today's date (UTC): the service judges the case at the date it runs (E0608 "
        "otherwise)");

    assure::cli::KeygenOptions keygen;
    CLI::App *keygen_cmd = app.add_subcommand(
        "keygen", "Make an Ed25519 key pair for signing packets: KEY (private, mode 0600) and "
                  "KEY.pub");
    keygen_cmd->add_option("-o,--output", keygen.output, "The private key file to create")
        ->required();

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp &e) {
        return app.exit(e);
    } catch (const CLI::ParseError &e) {
        app.exit(e, std::cout, std::cerr);
        std::cerr << "run `assure --help` for usage\n";
        return static_cast<int>(ExitCode::Usage);
    }
    if (const std::string name = empty_option(app); !name.empty()) {
        std::cerr << "error[E0608]: " << name
                  << " was given an empty value; give a path (or date), or leave the option out\n";
        return static_cast<int>(ExitCode::Usage);
    }
    if (version) {
        std::cout << "assure " << ASSURE_VERSION << " (Z3 " << assure::solver::z3_version();
#if defined(ASSURE_WITH_MIMALLOC)
        const int mi = mi_version();
        std::cout << ", mimalloc " << mi / 100 << "." << (mi / 10) % 10 << "." << mi % 10;
#endif
        std::cout << ")\n";
        return assure::solver::self_test() ? 0 : static_cast<int>(ExitCode::Internal);
    }
    prove.command_line.assign(argv + 1, argv + argc);
    impact.command_line.assign(argv + 1, argv + argc);
    if (kpi_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_kpi(kpi, std::cout, std::cerr));
    }
    if (serve_cmd->parsed()) {
        serve.prove.command_line.assign(argv + 1, argv + argc);
        return static_cast<int>(assure::cli::run_serve(serve, std::cout, std::cerr));
    }
    if (event_cmd->parsed()) {
        event.prove.command_line.assign(argv + 1, argv + argc);
        return static_cast<int>(assure::cli::run_event(event, std::cout, std::cerr));
    }
    if (history_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_history(history, std::cout, std::cerr));
    }
    if (prove_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_prove(prove, std::cout, std::cerr));
    }
    if (explain_cmd->parsed()) {
        if (!split_claim(explain_args, "explain takes one claim", explain.common.files,
                         explain.claim)) {
            return static_cast<int>(ExitCode::Usage);
        }
        if (explain.claim.empty() || explain.common.files.empty()) {
            std::cerr << "error: usage: assure explain CASE.assure... CLAIM\n";
            return static_cast<int>(ExitCode::Usage);
        }
        return static_cast<int>(assure::cli::run_prove(explain, std::cout, std::cerr));
    }
    if (diagram_cmd->parsed()) {
        if (!split_claim(diagram_args, "diagram draws one claim", diagram.prove.common.files,
                         diagram.claim)) {
            return static_cast<int>(ExitCode::Usage);
        }
        if (diagram.prove.common.files.empty()) {
            std::cerr << "error: usage: assure diagram CASE.assure... [CLAIM]\n";
            return static_cast<int>(ExitCode::Usage);
        }
        return static_cast<int>(assure::cli::run_diagram(diagram, std::cout, std::cerr));
    }
    if (monitor_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_monitor(monitor, std::cout, std::cerr));
    }
    if (impact_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_impact(impact, std::cout, std::cerr));
    }
    if (lock_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_lock(lock, std::cout, std::cerr));
    }
    if (report_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_report(report, std::cout, std::cerr));
    }
    if (export_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_export(export_opts, std::cout, std::cerr));
    }
    if (verify_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_verify(verify, std::cout, std::cerr));
    }
    if (keygen_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_keygen(keygen, std::cout, std::cerr));
    }
    if (pin_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_pin(pin, std::cout, std::cerr));
    }
    if (check_cmd->parsed()) {
        return static_cast<int>(assure::cli::run_check(check, std::cout, std::cerr));
    }
    std::cerr << app.help();
    return static_cast<int>(ExitCode::Usage);
}

} // namespace

int main(int argc, char **argv) {
    std::ios::sync_with_stdio(false);
    try {
        return run(argc, argv);
    } catch (const std::bad_alloc &) {
        std::cerr << "error[E9000]: internal error: out of memory\n";
    } catch (const std::exception &e) {
        std::cerr << "error[E9000]: internal error: " << e.what() << "\n";
    } catch (...) {
        std::cerr << "error[E9000]: internal error: unknown exception\n";
    }
    return static_cast<int>(assure::cli::ExitCode::Internal);
}
