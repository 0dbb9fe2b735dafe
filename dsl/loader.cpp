// SPDX-License-Identifier: Apache-2.0
#include "dsl/loader.hpp"

#include "dsl/expand.hpp"
#include "dsl/parser.hpp"
#include "support/text.hpp"
#include "support/worker.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <system_error>
#include <thread>

namespace assure::dsl {
namespace fs = std::filesystem;
using support::Code;
using support::Span;

namespace {

std::string join_name(const ast::QName &q) {
    std::string s;
    for (const auto &part : q.parts) {
        if (!s.empty()) {
            s += '.';
        }
        s += part.name;
    }
    return s;
}

std::string parent_dir(const std::string &path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string join_path(const std::string &dir, const std::string &rel) {
    return dir.empty() ? rel : dir + "/" + rel;
}

std::string stem_of(const std::string &path) {
    return fs::path(path).stem().string();
}

class Loader {
  public:
    Loader(const LoadOptions &options, support::SourceManager &sources, support::Diagnostics &diags)
        : options_(options), sources_(sources), diags_(diags) {
        std::error_code ec;
        stdlib_found_ = !options_.stdlib_dir.empty() && fs::is_directory(options_.stdlib_dir, ec);
    }

    /// Parses the command-line files, on several threads when there is enough text to make it
    /// worth it, then registers them in command-line order. Each file gets its own diagnostics
    /// collector, merged in file order, so the output does not depend on scheduling.
    void add_roots(const std::vector<support::FileId> &files) {
        std::vector<support::FileId> valid;
        std::size_t bytes = 0;
        for (support::FileId file : files) {
            if (file == support::kNoFile) {
                result_.complete = false;
            } else {
                valid.push_back(file);
                bytes += sources_.text(file).size();
            }
        }
        std::vector<ParseResult> parsed(valid.size());
        std::vector<support::Diagnostics> file_diags(valid.size());
        parse_all(valid, bytes, parsed, file_diags);
        for (std::size_t idx = 0; idx < valid.size(); ++idx) {
            diags_.append(std::move(file_diags[idx]));
            add_root(valid[idx], std::move(parsed[idx]));
        }
    }

    /// Parses `files` into `parsed`, each with its own diagnostics, on several threads when
    /// there are `bytes` enough to make it worth it.
    void parse_all(const std::vector<support::FileId> &files, std::size_t bytes,
                   std::vector<ParseResult> &parsed, std::vector<support::Diagnostics> &diags) {
        std::atomic<std::size_t> next{0};
        auto worker = [&] {
            for (std::size_t idx = next++; idx < files.size(); idx = next++) {
                parsed[idx] = parse(files[idx], sources_, diags[idx]);
            }
        };
        constexpr std::size_t kParallelBytes = 4u << 20;
        const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
        const std::size_t threads =
            bytes < kParallelBytes ? 1 : std::min<std::size_t>({hw, 8, files.size()});
        std::vector<std::unique_ptr<support::Worker>> pool;
        for (std::size_t t = 1; t < threads; ++t) {
            pool.push_back(std::make_unique<support::Worker>(worker));
        }
        worker();
        for (auto &th : pool) {
            th->join();
        }
    }

    void add_root(support::FileId file, ParseResult parsed) {
        // A library file named on the command line is still library code (no warnings about
        // what the user's case does not use).
        std::error_code ec;
        const fs::path dir = fs::weakly_canonical(options_.stdlib_dir, ec);
        const fs::path path = fs::weakly_canonical(sources_.disk_path(file), ec);
        const bool is_stdlib =
            !options_.stdlib_dir.empty() &&
            std::mismatch(dir.begin(), dir.end(), path.begin(), path.end()).first == dir.end();
        const int index = add_module(file, is_stdlib, nullptr, nullptr, std::move(parsed));
        if (index >= 0) {
            by_path_.emplace(path.string(), index);
        }
    }

    LoadedCase finish() {
        // Imports are resolved breadth-first in module order, so module indices are
        // deterministic.
        for (std::size_t idx = 0; idx < result_.modules.size(); ++idx) {
            resolve_imports(idx);
        }
        report_cycles();
        expand_patterns(result_, sources_, diags_);
        return std::move(result_);
    }

  private:
    /// Parses `file` and registers it as a module. `via`/`expected` are the import that led
    /// here (null for command-line files). Returns the module index or -1.
    int add_module(support::FileId file, bool is_stdlib, const ast::Import *via,
                   const std::string *expected, std::optional<ParseResult> pre_parsed = {}) {
        ParseResult parsed = pre_parsed ? std::move(*pre_parsed) : parse(file, sources_, diags_);
        if (!parsed.complete) {
            result_.complete = false;
        }
        for (auto &name : parsed.broken_names) {
            result_.broken_names.push_back(std::move(name));
        }
        for (auto &name : parsed.broken_metrics) {
            result_.broken_metrics.push_back(std::move(name));
        }
        LoadedModule mod;
        mod.file = file;
        mod.is_stdlib = is_stdlib;
        mod.ast = std::move(parsed.file);
        const ast::ModuleDecl *module_decl = nullptr;
        for (std::size_t idx = 0; idx < mod.ast.decls.size(); ++idx) {
            const auto &decl = mod.ast.decls[idx];
            if (const auto *m = boost::get<ast::ModuleDecl>(&decl)) {
                if (idx != 0 || module_decl != nullptr) {
                    diags_.error(Code::E0108, m->span,
                                 "a module declaration must be the first declaration of its file",
                                 "not the first declaration");
                    result_.complete = false;
                    continue;
                }
                module_decl = m;
            }
        }
        mod.name = module_decl != nullptr ? join_name(module_decl->name)
                                          : stem_of(sources_.disk_path(file));
        if (expected != nullptr && mod.name != *expected) {
            auto &d = diags_.error(Code::E0007, via->name.span,
                                   "`" + sources_.display_name(file) + "` declares module `" +
                                       mod.name + "`, not `" + *expected + "`",
                                   "imported here");
            d.help = "make the file's `module` declaration match the import, or fix the import";
            result_.complete = false;
            return -1;
        }
        if (auto it = by_name_.find(mod.name); it != by_name_.end()) {
            const Span here = module_decl != nullptr ? module_decl->name.span : Span{};
            auto &d = diags_.error(Code::E0005, here,
                                   "module `" + mod.name + "` is declared by two files: `" +
                                       sources_.display_name(result_.modules[it->second].file) +
                                       "` and `" + sources_.display_name(file) + "`");
            (void)d;
            result_.complete = false;
            return -1;
        }
        for (const auto &decl : mod.ast.decls) {
            if (const auto *imp = boost::get<ast::Import>(&decl)) {
                mod.imports.push_back(imp);
                mod.import_targets.push_back(-1);
            }
        }
        const int index = static_cast<int>(result_.modules.size());
        by_name_.emplace(mod.name, index);
        result_.modules.push_back(std::move(mod));
        return index;
    }

    void resolve_imports(std::size_t module_idx) {
        prefetch(module_idx);
        for (std::size_t imp_idx = 0; imp_idx < result_.modules[module_idx].imports.size();
             ++imp_idx) {
            const ast::Import *imp = result_.modules[module_idx].imports[imp_idx];
            const int target = find_module(module_idx, *imp);
            result_.modules[module_idx].import_targets[imp_idx] = target;
        }
    }

    struct Candidate {
        std::string disk;
        std::string display;
        bool is_stdlib;
    };

    /// A file parsed ahead of its import (see prefetch), waiting to be registered.
    struct Prefetched {
        support::FileId file;
        ParseResult parsed;
        support::Diagnostics diags;
    };

    /// Loads and parses, in parallel, the files the imports of `module_idx` will resolve to,
    /// so that a main module importing a hundred modules does not parse them one by one.
    /// Registration stays in find_module, in import order, and a file's parse diagnostics are
    /// emitted only when it is registered: the result is the same as without prefetching.
    void prefetch(std::size_t module_idx) {
        std::vector<std::string> paths;
        std::vector<support::FileId> files;
        std::size_t bytes = 0;
        for (const ast::Import *imp : result_.modules[module_idx].imports) {
            if (by_name_.count(join_name(imp->name)) != 0) {
                continue;
            }
            for (const auto &cand : candidates_for(module_idx, *imp)) {
                std::error_code ec;
                if (!fs::is_regular_file(cand.disk, ec)) {
                    continue;
                }
                std::string canonical = fs::weakly_canonical(cand.disk, ec).string();
                if (by_path_.count(canonical) == 0 && prefetched_.count(canonical) == 0 &&
                    std::find(paths.begin(), paths.end(), canonical) == paths.end()) {
                    // A file that cannot be read is left to find_module, which reports it.
                    support::Diagnostics scratch;
                    const support::FileId file = sources_.load(
                        cand.disk, cand.display,
                        cand.is_stdlib ? support::Origin::Stdlib : support::Origin::User, scratch);
                    if (file != support::kNoFile) {
                        paths.push_back(std::move(canonical));
                        files.push_back(file);
                        bytes += sources_.text(file).size();
                    }
                }
                break; // find_module takes the first existing candidate too
            }
        }
        if (files.size() < 2) {
            // Nothing to gain; the files loaded are used by find_module all the same.
            for (std::size_t idx = 0; idx < files.size(); ++idx) {
                support::Diagnostics d;
                ParseResult parsed = parse(files[idx], sources_, d);
                prefetched_.emplace(paths[idx],
                                    Prefetched{files[idx], std::move(parsed), std::move(d)});
            }
            return;
        }
        std::vector<ParseResult> parsed(files.size());
        std::vector<support::Diagnostics> diags(files.size());
        parse_all(files, bytes, parsed, diags);
        for (std::size_t idx = 0; idx < files.size(); ++idx) {
            prefetched_.emplace(
                paths[idx], Prefetched{files[idx], std::move(parsed[idx]), std::move(diags[idx])});
        }
    }

    /// Where the file of `imp` may be, in the order they are tried.
    std::vector<Candidate> candidates_for(std::size_t importer, const ast::Import &imp) {
        std::vector<Candidate> candidates;
        std::vector<std::string> parts;
        for (const auto &p : imp.name.parts) {
            parts.push_back(p.name);
        }
        auto rel_of = [&](std::size_t from) {
            std::string rel;
            for (std::size_t idx = from; idx < parts.size(); ++idx) {
                rel += (rel.empty() ? "" : "/") + parts[idx];
            }
            return rel + ".assure";
        };
        if (is_std_import(imp)) {
            // Without a standard library folder there is nowhere to look (an empty folder
            // must not turn into the working directory).
            if (stdlib_found_) {
                const std::string rel = rel_of(1);
                candidates.push_back({join_path(options_.stdlib_dir, rel), "stdlib/" + rel, true});
            }
        } else {
            const support::FileId from = result_.modules[importer].file;
            const bool from_stdlib = result_.modules[importer].is_stdlib;
            std::vector<std::pair<std::string, std::string>> dirs; // disk, display
            dirs.emplace_back(parent_dir(sources_.disk_path(from)),
                              parent_dir(sources_.display_name(from)));
            for (const auto &inc : options_.include_dirs) {
                dirs.emplace_back(inc, inc);
            }
            for (const auto &[disk, display] : dirs) {
                candidates.push_back(
                    {join_path(disk, rel_of(0)), join_path(display, rel_of(0)), from_stdlib});
                if (parts.size() > 1) {
                    candidates.push_back({join_path(disk, rel_of(parts.size() - 1)),
                                          join_path(display, rel_of(parts.size() - 1)),
                                          from_stdlib});
                }
            }
        }
        return candidates;
    }

    int find_module(std::size_t importer, const ast::Import &imp) {
        const std::string name = join_name(imp.name);
        if (auto it = by_name_.find(name); it != by_name_.end()) {
            return it->second;
        }
        const std::vector<Candidate> candidates = candidates_for(importer, imp);
        for (const auto &cand : candidates) {
            std::error_code ec;
            if (!fs::is_regular_file(cand.disk, ec)) {
                continue;
            }
            const std::string canonical = fs::weakly_canonical(cand.disk, ec).string();
            if (auto it = by_path_.find(canonical); it != by_path_.end()) {
                auto &d =
                    diags_.error(Code::E0007, imp.name.span,
                                 "`" + cand.display + "` declares module `" +
                                     result_.modules[it->second].name + "`, not `" + name + "`",
                                 "imported here");
                d.help = "make the file's `module` declaration match the import";
                result_.complete = false;
                return -1;
            }
            std::optional<ParseResult> pre_parsed;
            support::FileId file = support::kNoFile;
            if (auto pre = prefetched_.find(canonical); pre != prefetched_.end()) {
                file = pre->second.file;
                diags_.append(std::move(pre->second.diags));
                pre_parsed = std::move(pre->second.parsed);
                prefetched_.erase(pre);
            } else {
                file = sources_.load(
                    cand.disk, cand.display,
                    cand.is_stdlib ? support::Origin::Stdlib : support::Origin::User, diags_);
            }
            if (file == support::kNoFile) {
                result_.complete = false;
                return -1;
            }
            const int index = add_module(file, cand.is_stdlib, &imp, &name, std::move(pre_parsed));
            if (index >= 0) {
                by_path_.emplace(canonical, index);
            }
            return index;
        }
        if (is_std_import(imp) && !stdlib_found_) {
            auto &d = diags_.error(Code::E0008, imp.name.span,
                                   "cannot find module `" + name +
                                       "`: no standard library folder was found",
                                   "a module of the standard library");
            for (const auto &place : options_.stdlib_searched) {
                d.notes.push_back({Span{}, place});
            }
            d.help = "install assure with `cmake --install` or its Debian package, or name the "
                     "folder with --stdlib DIR or $ASSURE_STDLIB (docs/install.md)";
            result_.complete = false;
            return -1;
        }
        auto &d = diags_.error(Code::E0004, imp.name.span, "cannot find module `" + name + "`",
                               "no file declares this module");
        for (const auto &cand : candidates) {
            d.notes.push_back({Span{}, "looked for `" + cand.display + "`"});
        }
        result_.complete = false;
        return -1;
    }

    void report_cycles() {
        // Colour-marking DFS over the import graph, iterative so deep import chains cannot
        // overflow the stack; modules and imports are visited in index order.
        const std::size_t n = result_.modules.size();
        std::vector<int> colour(n, 0); // 0 new, 1 on stack, 2 done
        std::set<std::vector<int>> reported;
        for (std::size_t root = 0; root < n; ++root) {
            if (colour[root] != 0) {
                continue;
            }
            std::vector<std::pair<int, std::size_t>> stack{{static_cast<int>(root), 0}};
            colour[root] = 1;
            while (!stack.empty()) {
                auto &[mod, next] = stack.back();
                const auto &targets = result_.modules[mod].import_targets;
                if (next >= targets.size()) {
                    colour[mod] = 2;
                    stack.pop_back();
                    continue;
                }
                const std::size_t imp_idx = next++;
                const int target = targets[imp_idx];
                if (target < 0) {
                    continue;
                }
                if (colour[target] == 0) {
                    colour[target] = 1;
                    stack.emplace_back(target, 0);
                } else if (colour[target] == 1) {
                    std::vector<int> cycle;
                    bool in_cycle = false;
                    for (const auto &frame : stack) {
                        in_cycle = in_cycle || frame.first == target;
                        if (in_cycle) {
                            cycle.push_back(frame.first);
                        }
                    }
                    const int importer = stack.back().first;
                    const std::string path = support::join_elided(
                        cycle.size() + 1,
                        [&](std::size_t idx) {
                            return result_.modules[idx < cycle.size() ? cycle[idx] : target].name;
                        },
                        " -> ");
                    auto &d = diags_.error(Code::E0006,
                                           result_.modules[importer].imports[imp_idx]->name.span,
                                           "import cycle: " + path, "this import closes the cycle");
                    d.help = "move the declarations both modules need into a third module";
                    result_.complete = false;
                }
            }
        }
    }

    static bool is_std_import(const ast::Import &imp) {
        return imp.name.parts.size() >= 2 && imp.name.parts[0].name == "std";
    }

    const LoadOptions &options_;
    bool stdlib_found_ = false; // options_.stdlib_dir names a folder
    support::SourceManager &sources_;
    support::Diagnostics &diags_;
    LoadedCase result_;
    std::map<std::string, int> by_name_;
    std::map<std::string, int> by_path_;
    std::map<std::string, Prefetched> prefetched_; // by canonical path
};

} // namespace

LoadedCase load_case(const std::vector<std::string> &paths, const LoadOptions &options,
                     support::SourceManager &sources, support::Diagnostics &diags) {
    Loader loader(options, sources, diags);
    std::vector<support::FileId> files;
    for (const auto &path : paths) {
        files.push_back(sources.load(path, path, support::Origin::User, diags));
    }
    loader.add_roots(files);
    return loader.finish();
}

LoadedCase load_buffers(const std::vector<support::FileId> &files, const LoadOptions &options,
                        support::SourceManager &sources, support::Diagnostics &diags) {
    Loader loader(options, sources, diags);
    loader.add_roots(files);
    return loader.finish();
}

} // namespace assure::dsl
