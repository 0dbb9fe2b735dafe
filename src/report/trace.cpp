// SPDX-License-Identifier: Apache-2.0
// `--trace DIR`: the bundle a regulator replays with a stock solver.
#include "prove/cases.hpp"
#include "prove/rules.hpp"
#include "report/proof.hpp"
#include "report/proof_parts.hpp"
#include "solver/session.hpp"
#include "support/safe_fs.hpp"
#include "support/sha256.hpp"
#include "support/text.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace assure::report {

using nlohmann::ordered_json;
using prove::Status;
using sema::DeclId;
using sema::DeclKind;
using namespace detail;

// ---- traces ----------------------------------------------------------------------------------

std::string obligation_file(const sema::Program &program, const prove::ProofResult &result,
                            std::uint32_t idx) {
    const auto &o = result.obligations[idx];
    char num[16];
    std::snprintf(num, sizeof num, "%04u", idx + 1);
    std::string name = program.decl(o.subject).name;
    return std::string("obligations/") + num + "-" + prove::obligation_kind_name(o.kind) + "-" +
           name + ".smt2";
}

std::string obligation_smt2(const sema::Program &program, prove::ProofResult &result,
                            const support::SourceManager &sources, std::uint32_t idx) {
    const auto &o = result.obligations[idx];
    const auto &outcome = result.outcome(idx);
    std::string text = "; assure obligation " + ob_ref(idx) + " (" +
                       prove::obligation_kind_name(o.kind) + ") of " +
                       program.qualified_name(o.subject) + "\n";
    std::set<std::string> lines;
    for (const auto &note : o.notes) {
        lines.insert(prove::line_of(sources, note.span));
    }
    text += "; source lines:";
    for (const auto &l : lines) {
        text += " " + l;
    }
    text += "\n; answer assure got: " + std::string(answer_name(outcome.verdict)) +
            (outcome.decided_by == solver::Decider::Cells ? " (decided by cell enumeration)"
                                                          : " (decided by Z3)");
    if (outcome.verdict == solver::Verdict::Unknown) {
        text += " (" + outcome.unknown_reason + ")";
    } else {
        text += std::string(" -- the step ") + (step_holds(result, idx) ? "holds" : "fails");
    }
    text +=
        "\n; what sat means, and where each assertion after the variables' bounds comes from:\n";
    return text + result.batch->smt2(prove::described_query(program, sources, result, idx));
}

namespace {

/// The files an earlier trace's manifest says assure wrote: its `files`, or, for a trace
/// written before that list existed, result.json and the obligation and rule files it lists.
std::vector<std::string> listed_files(const nlohmann::json &manifest) {
    std::vector<std::string> out;
    auto add = [&](const nlohmann::json &v) {
        if (v.is_string()) {
            out.push_back(v.get<std::string>());
        }
    };
    if (const auto it = manifest.find("files"); it != manifest.end() && it->is_array()) {
        for (const auto &f : *it) {
            add(f);
        }
        return out;
    }
    out.emplace_back("result.json");
    for (const char *key : {"obligations", "rules"}) {
        if (const auto it = manifest.find(key); it != manifest.end() && it->is_array()) {
            for (const auto &entry : *it) {
                if (entry.is_object() && entry.contains("file")) {
                    add(entry["file"]);
                }
            }
        }
    }
    return out;
}

} // namespace

bool write_trace(const std::string &dir, const sema::Program &program, prove::ProofResult &result,
                 const support::SourceManager &sources, const ProofMeta &meta,
                 const support::Protected &keep, support::FsError &error) {
    // The folders above the trace folder are the user's path: created when missing, as before.
    if (const auto parent = std::filesystem::path(dir).parent_path(); !parent.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(parent, ec); // a failure shows in the open below
    }
    auto out = support::OutputDir::open(dir, /*create=*/true, /*follow=*/false, error);
    if (!out) {
        return false;
    }
    // An existing folder must hold an earlier trace: then the files its manifest lists are the
    // ones assure may replace or delete, and nothing else.
    std::vector<std::string> previous;
    if (!out->empty()) {
        support::FsError read_error;
        const auto text = out->read("manifest.json", kMaxManifestBytes, read_error);
        bool ours = false;
        if (text) {
            const auto j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
            if (j.is_object() && j.value("format", std::string()) == "assure-trace") {
                ours = true;
                previous = listed_files(j);
            }
        }
        if (!ours) {
            error = {support::FsProblem::InTheWay, dir,
                     read_error.problem == support::FsProblem::NotRegular ||
                             read_error.problem == support::FsProblem::TooLarge
                         ? "is not empty and its manifest.json " + read_error.message +
                               "; choose an empty or new folder (nothing was written)"
                         : "is not empty and does not hold an assure trace; choose an empty or "
                           "new folder (nothing was written)"};
            return false;
        }
    }

    ordered_json manifest;
    put_run(manifest, "assure-trace", result, meta);
    auto inputs = ordered_json::array();
    for (support::FileId f = 0; f < sources.size(); ++f) {
        if (sources.expansion(f) != nullptr) {
            continue; // a pattern's expansion: its text is the pattern's, in an input file
        }
        inputs.push_back({{"path", sources.display_name(f)},
                          {"sha256", support::sha256_hex(sources.raw_text(f))}});
    }
    manifest["inputs"] = std::move(inputs);
    auto artifacts = ordered_json::array();
    for (std::uint32_t ai = 0; ai < program.artifacts.size(); ++ai) {
        const auto &c = result.artifacts[ai];
        artifacts.push_back(
            {{"name", program.qualified_name(program.artifacts[ai].decl)},
             {"path", c.path},
             {"sha256", c.actual.empty() ? ordered_json(nullptr) : ordered_json(c.actual)},
             {"state", prove::artifact_state_name(c.state)}});
    }
    manifest["artifacts"] = std::move(artifacts);
    auto files = ordered_json::array();
    for (std::uint32_t ob = 0; ob < result.obligations.size(); ++ob) {
        files.push_back({{"file", obligation_file(program, result, ob)},
                         {"expected", answer_name(result.outcome(ob).verdict)},
                         {"decided_by", solver::decider_name(result.outcome(ob).decided_by)}});
    }
    manifest["obligations"] = std::move(files);
    // The solver query of each rule violation and undecided instance (the first kRuleFiles of
    // each, per rule): the ground formula the solver answered.
    constexpr std::size_t kRuleFiles = 100;
    // With several cases loaded (prove/cases.hpp), each instance says in which one it was
    // grounded: its quantifiers ranged over that case's modules only.
    const std::vector<prove::Case> cases = prove::cases_of(program);
    auto case_text = [&](std::uint32_t root) {
        std::string text;
        for (const auto &c : cases) {
            if (c.root != root || cases.size() < 2) {
                continue;
            }
            text = " in the case of module " + program.modules[root].name + " (over modules ";
            std::string list;
            for (std::uint32_t m = 0; m < c.modules.size(); ++m) {
                if (c.modules[m]) {
                    list += (list.empty() ? "" : ", ") + program.modules[m].name;
                }
            }
            text += list + ")";
        }
        return text;
    };
    auto rule_files = ordered_json::array();
    std::vector<std::pair<std::string, std::string>> rule_texts;
    for (std::size_t ri = 0; ri < result.rules.size(); ++ri) {
        const auto &rule = program.rules[ri];
        std::size_t number = 0;
        for (const auto *found : {&result.rules[ri].violations, &result.rules[ri].undecided}) {
            for (std::size_t vi = 0; vi < found->size() && vi < kRuleFiles; ++vi) {
                const auto &v = (*found)[vi];
                ++number;
                if (v.query == sema::kNone) {
                    continue; // too large to ask about
                }
                const std::string file = "rules/" + program.qualified_name(rule.decl) + "-" +
                                         std::to_string(number) + ".smt2";
                ir::Query q = result.batch->query(v.query);
                q.purpose = "assure rule instance: rule " + program.qualified_name(rule.decl) +
                            " \"" + rule.title + "\" (" +
                            linked_location(sources, program.decl(rule.decl).name_span) + ") for " +
                            (v.bindings.empty() ? std::string("the case as a whole")
                                                : bindings_text(program, sources, v)) +
                            case_text(v.root) + ": sat means the rule is violated there";
                q.notes = {"the negated body of the rule for these elements (with the filters of "
                           "their quantifiers); dates are days since 1970-01-01, scale values "
                           "their rank (lowest 0), relations and other non-numeric facts are "
                           "folded to true or false"};
                const solver::Verdict verdict = result.batch->outcome(v.query).verdict;
                rule_files.push_back(
                    {{"file", file},
                     {"expected", answer_name(verdict)},
                     {"decided_by",
                      solver::decider_name(result.batch->outcome(v.query).decided_by)}});
                rule_texts.emplace_back(file, result.batch->smt2(q) +
                                                  "; expected: " + answer_name(verdict) + "\n");
            }
        }
    }
    // The scope questions the rules asked (overlaps / within), whose answers the instances
    // above read as facts.
    for (std::size_t si = 0; si < result.scope_questions.size(); ++si) {
        const auto &sq = result.scope_questions[si];
        const std::string file = "rules/scope-" + std::to_string(si + 1) + ".smt2";
        ir::Query q = result.batch->query(sq.query);
        const std::string x = program.qualified_name(sq.element);
        const std::string r = program.qualified_name(sq.region);
        q.purpose = "assure scope question of a rule: " +
                    (sq.within ? "is the scope of " + x + " within " + r +
                                     "? sat means no: a point of the scope outside the region"
                               : "does the scope of " + x + " overlap " + r +
                                     "? sat means yes: a point in both");
        q.notes = {"the scope of " + x + " (" +
                       location(sources, program.decl(sq.element).name_span) + ")",
                   std::string(sq.within ? "outside " : "inside ") + r + " (" +
                       location(sources, program.decl(sq.region).name_span) + ")"};
        const solver::Outcome &o = result.batch->outcome(sq.query);
        rule_files.push_back({{"file", file},
                              {"expected", answer_name(o.verdict)},
                              {"decided_by", solver::decider_name(o.decided_by)}});
        rule_texts.emplace_back(file, result.batch->smt2(q) +
                                          "; expected: " + answer_name(o.verdict) + "\n");
    }
    manifest["rules"] = std::move(rule_files);
    manifest["replay"] =
        "z3 FILE prints the expected answer for every obligation and rule file, whether "
        "assure decided it by cell enumeration or with Z3 (unknown answers may "
        "differ: the solver gave up)";
    std::vector<support::BundleFile> bundle;
    bundle.push_back(
        {"result.json", [&] { return render_proof_json(program, result, sources, meta); }});
    for (std::uint32_t ob = 0; ob < result.obligations.size(); ++ob) {
        bundle.push_back({obligation_file(program, result, ob),
                          [&, ob] { return obligation_smt2(program, result, sources, ob); }});
    }
    for (auto &[file, text] : rule_texts) {
        bundle.push_back({file, [&text = text] { return std::move(text); }});
    }
    auto render_manifest = [&manifest](const std::vector<std::string> &listed) {
        ordered_json m = manifest;
        m["files"] = listed;
        return m.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    };
    return support::write_bundle(*out, "manifest.json", previous, bundle, render_manifest, keep,
                                 error);
}

} // namespace assure::report
