// SPDX-License-Identifier: Apache-2.0
// The assure command line. The only code that writes to stdout/stderr or chooses the exit code.
#include "cli/driver.hpp"
#include "solver/version.hpp"

#include <CLI/CLI.hpp>
#if defined(ASSURE_WITH_MIMALLOC)
#include <mimalloc.h>
#endif

#include <exception>
#include <iostream>
#include <new>

namespace {

constexpr const char *kExitCodes = R"(Exit codes:
  0  the case checked clean (warnings allowed)
  1  the case has errors: syntax, names, types, structure, unreadable files
  2  bad command line
  3  a solver query came back unknown (proof commands)
  4  internal error in assure (please report it)
)";

int run(int argc, char **argv) {
    using assure::cli::ExitCode;
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
    check_cmd->add_option(
        "--stdlib", check.stdlib_dir,
        "Folder of the standard library (default: $ASSURE_STDLIB or the built-in one)");
    check_cmd->add_option("-I,--include", check.include_dirs,
                          "Extra folder searched for imported modules (repeatable)");
    check_cmd->add_option("--diagnostics", check.diagnostics_format, "Diagnostics format on stderr")
        ->check(CLI::IsMember({"text", "json"}));
    check_cmd->add_option("--format", check.summary_format, "Summary format on stdout")
        ->check(CLI::IsMember({"text", "json"}));
    check_cmd->add_option("--dump", check.dump, "Print an intermediate form instead of the summary")
        ->check(CLI::IsMember({"ast", "graph"}));
    check_cmd->add_flag("-v,--verbose", check.verbose,
                        "Print the time and memory of each stage on stderr");

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
    if (version) {
        std::cout << "assure " << ASSURE_VERSION << " (Z3 " << assure::solver::z3_version();
#if defined(ASSURE_WITH_MIMALLOC)
        const int mi = mi_version();
        std::cout << ", mimalloc " << mi / 100 << "." << (mi / 10) % 10 << "." << mi % 10;
#endif
        std::cout << ")\n";
        return assure::solver::self_test() ? 0 : static_cast<int>(ExitCode::Internal);
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
