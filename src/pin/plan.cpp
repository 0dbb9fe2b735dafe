// SPDX-License-Identifier: Apache-2.0
#include "pin/plan.hpp"

#include "dsl/sema/analyze.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

namespace assure::pin {

namespace {

using support::Code;

/// The artifact's path as the user sees it: below the folder of the declaring file's name.
std::string shown_path(const sema::Program &program, const support::SourceManager &sources,
                       const sema::ArtifactInfo &art) {
    const auto &mod = program.modules[program.decl(art.decl).module];
    return (std::filesystem::path(sources.display_name(mod.file)).parent_path() / art.path)
        .lexically_normal()
        .string();
}

void report_unhashable(const sema::Program &program, const support::SourceManager &sources,
                       const sema::ArtifactInfo &art, const support::FileDigest &digest,
                       support::Diagnostics &diags) {
    const std::string head = "cannot pin artifact `" + program.qualified_name(art.decl) +
                             "`: its file `" + shown_path(program, sources, art) + "` ";
    switch (digest.problem) {
    case support::FsProblem::NotFound: {
        auto &d = diags.error(Code::E0615, art.path_span, head + "does not exist", "no such file");
        d.help = "create the file or correct the path (it is relative to the folder of the file "
                 "declaring the artifact); pin records the hash of a file that exists";
        return;
    }
    case support::FsProblem::NotRegular: {
        auto &d =
            diags.error(Code::E0615, art.path_span, head + digest.error, "not a regular file");
        d.help = "an artifact is pinned by the contents of a regular file (a symbolic link to "
                 "one is followed); pin never reads a folder, FIFO, socket or device";
        return;
    }
    default:
        diags.error(Code::E0615, art.path_span, head + "cannot be read: " + digest.error,
                    "unreadable");
        return;
    }
}

/// An artifact of a case file outside any pattern whose file could be hashed.
struct Candidate {
    std::uint32_t art = 0;
    std::string hex;
    bool current = false;
    std::optional<support::FileIdentity> id;   // of the artifact's file
    std::optional<support::FileIdentity> home; // of the case file declaring it
    bool dropped = false;
};

/// The artifacts one declaration in a pattern body stands for.
struct PatternGroup {
    std::string pattern;
    std::string local; // the name the pattern body gives the artifact
    std::size_t instances = 0;
    std::size_t stale = 0;
    std::uint32_t first_stale = 0;
};

} // namespace

std::string sha256_clause(const std::string &hex) {
    return " sha256 \"" + hex + "\"";
}

Plan plan_pins(const sema::Program &program, const support::SourceManager &sources,
               const PinEnv &env, support::Diagnostics &diags) {
    Plan plan;
    std::map<std::string, support::FileDigest> digests; // each distinct file hashed once
    std::map<std::string, std::optional<support::FileIdentity>> identities;
    const auto identity = [&](const std::string &path) {
        auto it = identities.find(path);
        if (it == identities.end()) {
            it = identities.emplace(path, env.identity(path)).first;
        }
        return it->second;
    };
    std::vector<Candidate> candidates;
    std::vector<PatternGroup> groups;
    std::map<std::pair<std::string, std::string>, std::size_t> group_of;

    for (std::uint32_t a = 0; a < program.artifacts.size(); ++a) {
        const sema::ArtifactInfo &art = program.artifacts[a];
        const sema::Decl &decl = program.decl(art.decl);
        if (program.modules[decl.module].is_stdlib) {
            continue;
        }
        ++plan.artifacts;
        const std::string disk = sema::artifact_disk_path(program, sources, art);
        auto found = digests.find(disk);
        if (found == digests.end()) {
            found = digests.emplace(disk, env.digest(disk)).first;
        }
        const support::FileDigest &digest = found->second;
        const bool current = digest.hex && *digest.hex == art.sha256;
        if (const auto *expansion = sources.expansion(art.path_span.file)) {
            // One declaration in the pattern, an artifact per instance: pin cannot write a hash
            // per instance into the one declaration.
            std::string local = decl.name;
            const std::string prefix = expansion->instance + "_";
            if (!expansion->instance.empty() && local.compare(0, prefix.size(), prefix) == 0) {
                local = local.substr(prefix.size());
            }
            const auto [it, fresh] =
                group_of.try_emplace({expansion->pattern, local}, groups.size());
            if (fresh) {
                groups.push_back(PatternGroup{expansion->pattern, local, 0, 0, 0});
            }
            PatternGroup &g = groups[it->second];
            ++g.instances;
            if (current) {
                ++plan.current;
            } else if (g.stale++ == 0) {
                g.first_stale = a;
            }
            continue;
        }
        if (!digest.hex) {
            report_unhashable(program, sources, art, digest, diags);
            ++plan.refused;
            continue;
        }
        candidates.push_back(Candidate{a, *digest.hex, current, identity(disk),
                                       identity(sources.disk_path(art.path_span.file)), false});
    }
    for (const PatternGroup &g : groups) {
        if (g.stale == 0) {
            continue;
        }
        plan.refused += g.stale;
        const sema::ArtifactInfo &art = program.artifacts[g.first_stale];
        auto &d = diags.error(
            Code::E0616, art.path_span,
            "cannot pin artifact `" + g.local + "` of pattern `" + g.pattern +
                "`: one declaration in the pattern stands for the artifacts of its " +
                std::to_string(g.instances) + (g.instances == 1 ? " instance" : " instances") +
                " (" + std::to_string(g.stale) +
                " not pinned), and pin cannot write a hash "
                "for each instance into it",
            "declared in a pattern body");
        d.help = "declare the artifact outside the pattern and pass it in through an `artifact` "
                 "parameter, so that pin writes each hash where its artifact is declared";
    }

    // Writing a hash into a case file changes that file: an artifact that is one of the files
    // being rewritten would be stale at once. Such artifacts are refused, which may leave their
    // own file unchanged after all, so this runs until nothing more is refused.
    for (bool again = true; again;) {
        again = false;
        std::set<support::FileIdentity> rewritten;
        for (const Candidate &c : candidates) {
            if (!c.dropped && !c.current && c.home) {
                rewritten.insert(*c.home);
            }
        }
        for (Candidate &c : candidates) {
            if (!c.dropped && c.id && rewritten.count(*c.id) != 0) {
                c.dropped = true;
                again = true;
            }
        }
    }

    std::map<support::FileId, FileChange> changes;
    for (const Candidate &c : candidates) {
        const sema::ArtifactInfo &art = program.artifacts[c.art];
        if (c.dropped) {
            ++plan.refused;
            const std::string head = "cannot pin artifact `" + program.qualified_name(art.decl) +
                                     "`: its file `" + shown_path(program, sources, art) + "` ";
            if (c.id == c.home) {
                auto &d = diags.error(Code::E0615, art.path_span,
                                      head + "is the case file declaring it, and writing a hash "
                                             "into that file changes the file's hash",
                                      "the file declaring this artifact");
                d.help = "an artifact cannot record the hash of the file it is declared in; "
                         "declare it in another file";
            } else {
                auto &d = diags.error(Code::E0615, art.path_span,
                                      head + "is a case file that pin rewrites (it pins "
                                             "artifacts declared there), which changes its hash",
                                      "a case file pin rewrites");
                d.help = "run `assure pin` again once the other hashes are written: it then pins "
                         "this file as rewritten";
            }
            continue;
        }
        if (c.current) {
            ++plan.current;
            continue;
        }
        FileChange &fc = changes[art.path_span.file];
        fc.file = art.path_span.file;
        if (art.sha256_span.valid()) {
            // Only the string changes; it was one piece of 64 hex digits, or pieces split over
            // lines, which become one string where the first piece was.
            fc.edits.push_back(
                Edit{art.sha256_span.begin, art.sha256_span.end, "\"" + c.hex + "\""});
            ++fc.replaced;
            ++plan.replaced;
        } else {
            fc.edits.push_back(Edit{art.path_span.end, art.path_span.end, sha256_clause(c.hex)});
            ++fc.added;
            ++plan.added;
        }
        fc.pins.push_back(art.decl);
    }
    for (auto &[file, change] : changes) {
        plan.files.push_back(std::move(change));
    }
    std::stable_sort(plan.files.begin(), plan.files.end(),
                     [&](const FileChange &a, const FileChange &b) {
                         return sources.display_name(a.file) < sources.display_name(b.file);
                     });
    return plan;
}

} // namespace assure::pin
