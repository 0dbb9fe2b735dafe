// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "dsl/ast.hpp"
#include "support/diagnostics.hpp"
#include "support/source_manager.hpp"

#include <string>
#include <vector>

namespace assure::dsl {

struct LoadOptions {
    /// Folder that `import std.a.b` resolves in (`<stdlib>/a/b.assure`); empty when there is
    /// none. When it is not a folder, every `std.*` import is E0008.
    std::string stdlib_dir;
    /// The places searched for the standard library, one sentence each: E0008's notes.
    std::vector<std::string> stdlib_searched;
    /// Extra folders searched for non-std imports after the importing file's own folder.
    std::vector<std::string> include_dirs;
};

/// One module of the case: a parsed file and its resolved imports.
struct LoadedModule {
    std::string name;
    support::FileId file = support::kNoFile;
    bool is_stdlib = false;
    ast::File ast;
    /// Parallel to the file's import declarations, in source order: the imported module's
    /// index in LoadedCase::modules, or -1 when the import could not be resolved.
    std::vector<const ast::Import *> imports;
    std::vector<int> import_targets;
};

/// A name given for an element parameter (`claim`, `hazard`, ...) of an instance. Its kind
/// can only be checked once names are resolved (sema), so the expander passes it on.
struct ElementArgument {
    std::size_t position = 0; // 1-based
    std::string parameter;    // the parameter's name
    std::string kind;         // the parameter's kind: "claim", "hazard", ...
    support::Span parameter_span;
    ast::QName name; // the argument, as written at the instance
};

/// One pattern instance, expanded: its declarations were parsed from `file` (the pattern's
/// body with the arguments substituted) and appended to its module's declarations.
struct Expansion {
    std::size_t module = 0;     // the instance's module
    std::string instance;       // its name
    std::string pattern;        // `module.Pattern`
    std::string call;           // `Pattern(A, B)` as written, for --dump=expanded
    support::Span use;          // the instance declaration
    support::Span pattern_name; // the pattern's name in its declaration
    support::FileId file = support::kNoFile;
    std::size_t first = 0, count = 0;      // range of the module's declarations
    std::vector<ElementArgument> elements; // the arguments of element parameters
};

struct LoadedCase {
    std::vector<LoadedModule> modules; // command-line files first, then imports as found
    std::vector<Expansion> expansions; // in module order, then source order
    bool complete = true;              // false if any load or syntax error was reported
    std::vector<std::string> broken_names;
    std::vector<std::string> broken_metrics; // see ParseResult::broken_metrics
};

/// Loads the files named on the command line and, transitively, every module they import.
/// `import std.x.y` is found as `<stdlib>/x/y.assure`; `import a.b.c` as `<dir>/a/b/c.assure`
/// or `<dir>/c.assure` for dir = the importing file's folder, then each include dir. The file
/// found must declare the imported module name; a `std.*` import when `stdlib_dir` is not a
/// folder is E0008. Reports E00xx load errors, E0108, import cycles (E0006) and every syntax
/// error. Paths are shown as the user gave them (library files as `stdlib/...`), so output
/// does not depend on where assure is installed (E0008's notes excepted: they say where it
/// looked).
LoadedCase load_case(const std::vector<std::string> &paths, const LoadOptions &options,
                     support::SourceManager &sources, support::Diagnostics &diags);

/// Parses in-memory sources (tests, fuzzing); imports resolve only among them and the stdlib.
LoadedCase load_buffers(const std::vector<support::FileId> &files, const LoadOptions &options,
                        support::SourceManager &sources, support::Diagnostics &diags);

} // namespace assure::dsl
