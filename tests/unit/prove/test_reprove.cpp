// SPDX-License-Identifier: Apache-2.0
// prove::reprove against prove: along random walks of state changes (what-if changes of
// evidence, defeaters and artifacts, files marked changed), each proof judged again from the one
// before must equal a full proof of the same state, field by field, obligation numbering and
// reason texts included. Cases: the shipped examples, and the random cases of the prove oracle
// that tests/oracle/run_reprove.py writes to $ASSURE_REPROVE_CASES.
#include "../testing.hpp"
#include "prove/prove.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdlib.h>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace prove = assure::prove;
namespace sema = assure::sema;

namespace {

struct Case {
    std::unique_ptr<assure::support::SourceManager> sources =
        std::make_unique<assure::support::SourceManager>();
    assure::support::Diagnostics diags;
    sema::Program program;
    assure::lower::Lowered lowered;
};

std::unique_ptr<Case> load(const std::vector<std::string> &paths) {
    auto c = std::make_unique<Case>();
    assure::dsl::LoadOptions opts;
    opts.stdlib_dir = std::string(ASSURE_SOURCE_DIR) + "/stdlib";
    auto loaded = assure::dsl::load_case(paths, opts, *c->sources, c->diags);
    c->program = sema::analyze(loaded, *c->sources, c->diags);
    if (c->diags.error_count() != 0) {
        return nullptr;
    }
    c->lowered = assure::lower::lower_graph(c->program);
    assure::ir::check_structure(c->lowered.graph, c->diags);
    return c->diags.error_count() == 0 ? std::move(c) : nullptr;
}

std::string reason_text(const prove::Reason &r) {
    std::ostringstream s;
    s << int(r.kind) << '/' << int(r.status) << '/' << r.other.value << '/' << r.obligation << '/'
      << r.index << '/' << r.derived << '/' << r.text;
    return s.str();
}

std::string measurements(const std::vector<prove::Measurement> &ms) {
    std::string s;
    for (const auto &m : ms) {
        s += std::to_string(m.evidence.value) + "." + std::to_string(m.metric) + " ";
    }
    return s;
}

std::string query_text(const prove::ProofResult &r, std::uint32_t q) {
    if (q == sema::kNone) {
        return "none";
    }
    std::string s;
    for (auto t : r.batch->query(q).assertions) {
        s += std::to_string(t) + " ";
    }
    return s + "-> " + std::to_string(int(r.batch->outcome(q).verdict));
}

std::string violations(const prove::ProofResult &r, const std::vector<prove::RuleViolation> &vs) {
    std::string s;
    for (const auto &v : vs) {
        for (const auto &b : v.bindings) {
            s += b.var + "=" + std::to_string(b.element.value) + ",";
        }
        for (auto a : v.affected) {
            s += "a" + std::to_string(a.value) + ",";
        }
        s += v.unknown + "|" + std::to_string(v.root) + "|" + query_text(r, v.query) + ";";
    }
    return s;
}

/// Every field of a proof, as lines (a mismatch names the first line that differs).
std::vector<std::string> describe(const sema::Program &prog, const prove::ProofResult &r) {
    std::vector<std::string> out;
    auto line = [&](std::string s) { out.push_back(std::move(s)); };
    for (std::uint32_t d = 0; d < r.elements.size(); ++d) {
        std::string s = "element " + prog.qualified_name(sema::DeclId{d}) + " " +
                        std::to_string(int(r.elements[d].status));
        for (const auto &reason : r.elements[d].reasons) {
            s += " [" + reason_text(reason) + "]";
        }
        line(s);
    }
    for (std::uint32_t d = 0; d < r.defeaters.size(); ++d) {
        line("defeater " + std::to_string(d) + " " + std::to_string(int(r.defeaters[d])) + " " +
             std::to_string(int(r.defeater_status[d])));
    }
    for (std::uint32_t a = 0; a < r.artifacts.size(); ++a) {
        const auto &c = r.artifacts[a];
        line("artifact " + std::to_string(a) + " " + std::to_string(int(c.state)) + " " + c.path +
             " " + c.actual + " " + c.error);
    }
    for (std::uint32_t k = 0; k < r.reads.size(); ++k) {
        line("read " + std::to_string(k) + " " + std::to_string(int(r.reads[k].state)) + " " +
             prove::read_value_text(r.reads[k]) + " " + r.reads[k].text + " " + r.reads[k].error);
    }
    for (std::uint32_t ci = 0; ci < r.claims.size(); ++ci) {
        const auto &c = r.claims[ci];
        std::string s = "claim " + std::to_string(ci) + " v" + std::to_string(c.vacuity) +
                        " relies " + std::to_string(c.relies_on.size()) +
                        (c.relies_overflow ? " overflow" : "");
        for (const auto &rr : c.requirements) {
            s += " {" + std::to_string(int(rr.status)) + " ob" + std::to_string(rr.obligation) +
                 " used " + measurements(rr.used) + "rejected " + measurements(rr.rejected) + "}";
        }
        line(s);
    }
    for (std::uint32_t si = 0; si < r.strategies.size(); ++si) {
        const auto &s = r.strategies[si];
        std::string t = "strategy " + std::to_string(si) + " " + std::to_string(s.cover) + " " +
                        std::to_string(s.deductive) + " " + std::to_string(s.assumptions_untracked);
        for (auto ob : s.overlaps) {
            t += " " + std::to_string(ob);
        }
        line(t);
    }
    for (std::uint32_t ob = 0; ob < r.obligations.size(); ++ob) {
        const auto &o = r.obligations[ob];
        std::string s = "obligation " + std::to_string(ob) + " " + std::to_string(int(o.kind)) +
                        " " + std::to_string(o.subject.value) + " " + std::to_string(o.index) +
                        " " + std::to_string(o.holds_on_sat) + " " + query_text(r, o.query);
        for (const auto &n : o.notes) {
            s += " n" + std::to_string(int(n.kind)) + "." + std::to_string(n.decl.value) + "." +
                 std::to_string(n.metric);
        }
        line(s);
    }
    line("segments " + std::to_string(r.claim_obligations) + " " +
         std::to_string(r.step_obligations));
    std::string tops = "top";
    for (auto t : r.top_claims) {
        tops += " " + std::to_string(t.value);
    }
    line(tops);
    for (std::uint32_t ri = 0; ri < r.rules.size(); ++ri) {
        const auto &rr = r.rules[ri];
        line("rule " + std::to_string(ri) + " " + std::to_string(rr.holds) + " " +
             std::to_string(rr.instances) + " " + violations(r, rr.violations) + " / " +
             violations(r, rr.undecided));
    }
    for (const auto &q : r.scope_questions) {
        line("scope " + std::to_string(q.element.value) + " " + std::to_string(q.region.value) +
             " " + std::to_string(q.within) + " " + query_text(r, q.query));
    }
    for (std::uint32_t h = 0; h < r.hazards.size(); ++h) {
        const auto &hz = r.hazards[h];
        std::string s = "hazard " + std::to_string(h) + " " + std::to_string(hz.rated) + " " +
                        std::to_string(hz.level) + " " + std::to_string(hz.step) + " " +
                        std::to_string(hz.residual_likelihood) + " " + std::to_string(hz.residual) +
                        " m" + std::to_string(hz.mitigations.size()) + " s";
        for (auto c : hz.supported) {
            s += std::to_string(c.value) + ",";
        }
        for (const auto &f : hz.findings) {
            s += " {" + std::to_string(int(f.kind)) + " " + std::to_string(int(f.status)) + " " +
                 std::to_string(f.claim.value) + " " + f.text + " " + std::to_string(f.derived) +
                 "}";
        }
        line(s);
    }
    return out;
}

/// One random change of state: a what-if change of evidence, a defeater or an artifact, or an
/// artifact's file marked changed.
/// Files the walk edited: their original contents, by path.
using Edited = std::map<std::string, std::string>;

std::string read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::string &path, const std::string &text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

/// Rewrites artifact `a`'s file (only ever a copy the test made): back to what it was, or with
/// its first digit changed (a value read from it changes) or a line added (only its digest
/// does); then marks it changed, as an `artifact:` event does.
void edit_artifact(std::uint32_t a, std::mt19937 &rng, prove::Reuse &reuse, Edited &edited) {
    const std::string &path = reuse.disk[a];
    if (!fs::is_regular_file(path)) {
        return;
    }
    if (const auto it = edited.find(path); it != edited.end()) {
        write_file(path, it->second);
        edited.erase(it);
    } else {
        std::string text = read_file(path);
        edited[path] = text;
        const auto digit = text.find_first_of("123456789");
        if (digit != std::string::npos && rng() % 2 == 0) {
            text[digit] = text[digit] == '1' ? '2' : static_cast<char>(text[digit] - 1);
        } else {
            text += "\n";
        }
        write_file(path, text);
    }
    reuse.stale.assign(reuse.disk.size(), 0);
    reuse.stale[a] = 1;
}

void mutate(const sema::Program &prog, std::mt19937 &rng, const sema::Date &date,
            prove::Overrides &ov, prove::Reuse &reuse, Edited *edited) {
    auto pick = [&](std::size_t n) {
        return static_cast<std::uint32_t>(
            std::uniform_int_distribution<std::size_t>(0, n - 1)(rng));
    };
    auto shifted = [&](int days) {
        sema::Date d = date;
        d.day = static_cast<decltype(d.day)>(std::clamp(int(d.day) + days, 1, 28));
        return d;
    };
    for (int attempt = 0; attempt < 20; ++attempt) {
        switch (pick(edited != nullptr ? 10 : 9)) {
        case 0:
            if (!prog.evidence.empty()) {
                const auto e = pick(prog.evidence.size());
                const auto v = pick(4);
                if (v == 3) {
                    ov.result.erase(e);
                } else {
                    ov.result[e] = static_cast<sema::EvidenceResult>(v);
                }
                return;
            }
            break;
        case 1:
            if (!prog.evidence.empty()) {
                const auto e = pick(prog.evidence.size());
                if (!ov.withdrawn.erase(e)) {
                    ov.withdrawn.insert(e);
                }
                return;
            }
            break;
        case 2:
            if (!prog.evidence.empty()) {
                const auto e = pick(prog.evidence.size());
                const auto v = pick(3);
                if (v == 2) {
                    ov.valid_until.erase(e);
                } else {
                    ov.valid_until[e] = shifted(v == 0 ? -1 : 1);
                }
                return;
            }
            break;
        case 3:
            if (!prog.evidence.empty()) {
                const auto e = pick(prog.evidence.size());
                if (!ov.reverified.erase(e)) {
                    ov.reverified.insert(e);
                }
                return;
            }
            break;
        case 4:
            if (!prog.evidence.empty()) {
                const auto e = pick(prog.evidence.size());
                const auto v = pick(3);
                if (v == 2) {
                    ov.produced.erase(e);
                } else {
                    ov.produced[e] = shifted(v == 0 ? -10 : 1);
                }
                return;
            }
            break;
        case 5:
            if (!prog.defeaters.empty()) {
                const auto d = pick(prog.defeaters.size());
                const auto v = pick(4);
                if (v == 3) {
                    ov.defeater_status.erase(d);
                } else {
                    ov.defeater_status[d] = static_cast<sema::DefeaterStatus>(v);
                }
                return;
            }
            break;
        case 6:
            if (!prog.artifacts.empty()) {
                const auto a = pick(prog.artifacts.size());
                if (!ov.artifact_changed.erase(a)) {
                    ov.artifact_changed.insert(a);
                }
                return;
            }
            break;
        case 7:
            if (!prog.artifacts.empty()) {
                const auto a = pick(prog.artifacts.size());
                const auto v = pick(3);
                if (v == 2) {
                    ov.accepted_sha256.erase(a);
                } else if (v == 1 && !reuse.digests.empty() &&
                           reuse.digests[reuse.first_of[a]].hex) {
                    ov.accepted_sha256[a] = *reuse.digests[reuse.first_of[a]].hex;
                } else {
                    ov.accepted_sha256[a] = std::string(64, 'a');
                }
                return;
            }
            break;
        case 8:
            if (!prog.artifacts.empty()) {
                reuse.stale.assign(prog.artifacts.size(), 0);
                reuse.stale[pick(prog.artifacts.size())] = 1;
                return;
            }
            break;
        case 9:
            if (!prog.artifacts.empty()) {
                edit_artifact(pick(prog.artifacts.size()), rng, reuse, *edited);
                return;
            }
            break;
        }
    }
}

/// `steps` random changes of `c`'s state from a full proof at `date`; each reprove() must equal
/// prove() of the same state. Returns the number of mismatches (each reported).
struct Walked {
    int mismatches = 0;
    int incremental = 0; // steps reprove judged from the proof before (not a full proof)
    int changed = 0;     // steps where some element's status changed
};

/// `files`: the case is a copy whose artifact files the walk may edit (restored at the end).
Walked walk(const Case &c, const std::string &label, sema::Date date, unsigned seed, int steps,
            bool files = false) {
    Edited edited;
    std::mt19937 rng(seed);
    auto reuse = std::make_shared<prove::Reuse>();
    prove::ProveOptions options;
    options.date = date;
    options.incremental = true;
    options.reuse = reuse;
    options.lanes = 1;
    prove::ProofResult prev = prove::prove(c.program, c.lowered, *c.sources, options);
    Walked w;
    for (int step = 0; step < steps; ++step) {
        mutate(c.program, rng, date, options.overrides, *reuse, files ? &edited : nullptr);
        prove::ProofResult next = prove::reprove(prev, c.program, c.lowered, *c.sources, options);
        prove::ProveOptions full_options = options;
        prove::ProofResult full = prove::prove(c.program, c.lowered, *c.sources, full_options);
        w.incremental += next.batch->root() != nullptr ? 1 : 0;
        for (std::size_t d = 0; d < prev.elements.size(); ++d) {
            if (prev.elements[d].status != full.elements[d].status) {
                ++w.changed;
                break;
            }
        }
        const auto a = describe(c.program, next);
        const auto b = describe(c.program, full);
        if (a != b) {
            ++w.mismatches;
            std::size_t k = 0;
            while (k < a.size() && k < b.size() && a[k] == b[k]) {
                ++k;
            }
            MESSAGE(label << " seed " << seed << " step " << step
                          << ": reprove differs from prove\n"
                          << "  reprove: " << (k < a.size() ? a[k] : "(end)") << "\n"
                          << "  prove:   " << (k < b.size() ? b[k] : "(end)"));
            prev = std::move(full);
        } else {
            prev = std::move(next);
        }
    }
    for (const auto &[path, text] : edited) {
        write_file(path, text);
    }
    return w;
}

std::vector<std::string> assure_files(const fs::path &dir) {
    std::vector<std::string> files;
    for (const auto &e : fs::directory_iterator(dir)) {
        if (e.path().extension() == ".assure") {
            files.push_back(e.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

TEST_CASE("reprove equals prove along random changes of the shipped examples") {
    // Copies, whose artifact files the walks edit.
    const fs::path examples = fs::path(ASSURE_SOURCE_DIR) / "examples";
    char tmpl[] = "/tmp/assure-reprove-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    const fs::path tmp = tmpl;
    for (const char *name : {"autonomous-ship", "agent-actions", "identity-verification"}) {
        fs::copy(examples / name, tmp / name, fs::copy_options::recursive);
        auto c = load(assure_files(tmp / name));
        REQUIRE_MESSAGE(c != nullptr, name);
        Walked all;
        for (unsigned seed = 1; seed <= 4; ++seed) {
            const Walked w = walk(*c, name, {2026, 11, 23}, seed, 30, /*files=*/true);
            all.mismatches += w.mismatches;
            all.incremental += w.incremental;
            all.changed += w.changed;
        }
        INFO(std::string(name) << ": " << all.incremental << " of 120 steps incremental, "
                               << all.changed << " changed a status");
        CHECK(all.mismatches == 0);
        CHECK(all.incremental == 120);
        CHECK(all.changed >= 20);
    }
    fs::remove_all(tmp);
}

TEST_CASE("reprove equals prove along random changes of random cases") {
    const char *dir = std::getenv("ASSURE_REPROVE_CASES");
    if (dir == nullptr) {
        MESSAGE("ASSURE_REPROVE_CASES is not set: run through tests/oracle/run_reprove.py");
        return;
    }
    std::vector<fs::path> folders;
    for (const auto &e : fs::directory_iterator(dir)) {
        if (e.is_directory()) {
            folders.push_back(e.path());
        }
    }
    std::sort(folders.begin(), folders.end());
    REQUIRE(!folders.empty());
    int loaded = 0;
    Walked all;
    for (const auto &f : folders) {
        auto c = load({(f / "case.assure").string()});
        if (c == nullptr) {
            continue;
        }
        ++loaded;
        const Walked w = walk(*c, f.filename().string(), {2026, 6, 15}, 7, 12, /*files=*/true);
        all.mismatches += w.mismatches;
        all.incremental += w.incremental;
        all.changed += w.changed;
    }
    MESSAGE(loaded << " random cases walked, " << all.incremental << " steps incremental, "
                   << all.changed << " changed a status");
    CHECK(loaded * 10 >= static_cast<int>(folders.size()) * 9);
    CHECK(all.incremental == loaded * 12);
    CHECK(all.changed * 5 >= loaded * 12);
    CHECK(all.mismatches == 0);
}
