// SPDX-License-Identifier: Apache-2.0
// The proof engine through its C++ API: strategy modes and three-valued defeater activity.
#include "../testing.hpp"
#include "prove/defeaters.hpp"
#include "prove/prove.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <functional>
#include <string>

using assure::prove::Activity;
using assure::prove::Status;

namespace {

struct Proved {
    assure::testing::Checked checked;
    assure::lower::Lowered lowered;
    assure::prove::ProofResult result;

    Status status(const std::string &name) const {
        for (std::uint32_t d = 0; d < checked.program.decls.size(); ++d) {
            if (checked.program.decls[d].name == name) {
                return result.status(assure::sema::DeclId{d});
            }
        }
        FAIL("no declaration " << name);
        return Status::Unsupported;
    }
};

/// The table index of the declaration `name` of `program`.
std::uint32_t index_of(const assure::sema::Program &program, const std::string &name) {
    for (const auto &d : program.decls) {
        if (d.name == name) {
            return d.index;
        }
    }
    FAIL("no declaration " << name);
    return 0;
}

/// Proves `text` at 2026-06-15. `give_up`: every query goes to Z3 with a resource limit too
/// small to answer, so every obligation is unknown. `adjust` may change the options.
std::unique_ptr<Proved>
prove(const std::string &text, bool give_up = false,
      const std::function<void(assure::prove::ProveOptions &, const assure::sema::Program &)>
          &adjust = {}) {
    auto p = std::make_unique<Proved>();
    p->checked = assure::testing::check(text);
    REQUIRE(p->checked.diags.error_count() == 0);
    p->lowered = assure::lower::lower_graph(p->checked.program);
    assure::prove::ProveOptions options;
    options.date = {2026, 6, 15};
    if (give_up) {
        options.solve.cells = false;
        options.solve.rlimit = 1;
    }
    if (adjust) {
        adjust(options, p->checked.program);
    }
    p->result = assure::prove::prove(p->checked.program, p->lowered, *p->checked.sources, options);
    return p;
}

bool has_reason(const Proved &p, const std::string &name, assure::prove::ReasonKind kind) {
    for (std::uint32_t d = 0; d < p.checked.program.decls.size(); ++d) {
        if (p.checked.program.decls[d].name == name) {
            const auto &reasons = p.result.elements[d].reasons;
            return std::any_of(reasons.begin(), reasons.end(),
                               [&](const assure::prove::Reason &r) { return r.kind == kind; });
        }
    }
    FAIL("no declaration " << name);
    return false;
}

const char *kEvidence = "evidence E_ok \"Passing trials\" { kind: test result: pass }\n"
                        "evidence E_bad \"Failed trials\" { kind: test result: fail }\n";

} // namespace

TEST_CASE("prove: at_least N holds exactly when N supporters hold") {
    const std::string claims = std::string(kEvidence) + "claim A \"a\" { supported_by: E_ok }\n"
                                                        "claim B \"b\" { supported_by: E_ok }\n"
                                                        "claim C \"c\" { supported_by: E_bad }\n"
                                                        "claim D \"d\" { supported_by: E_bad }\n";
    auto two_of_three =
        prove(claims + "claim G \"g\" { }\n"
                       "strategy S \"s\" for G { at_least 2 supported_by: A, B, C }\n");
    CHECK(two_of_three->status("G") == Status::Supported);
    auto two_of_three_failing =
        prove(claims + "claim G \"g\" { }\n"
                       "strategy S \"s\" for G { at_least 2 supported_by: A, C, D }\n");
    CHECK(two_of_three_failing->status("G") == Status::Unsupported);
    CHECK(two_of_three_failing->status("S") == Status::Unsupported);
    auto any = prove(claims + "claim G \"g\" { }\n"
                              "strategy S \"s\" for G { any_of supported_by: C, D, A }\n");
    CHECK(any->status("G") == Status::Supported);
}

TEST_CASE("prove: a defeater whose resolution is unknown is of unknown activity") {
    // R's non-vacuity query is unknown (the solver gives up), so whether D is resolved is
    // unknown, and so is G: never supported, never refuted.
    const std::string base = std::string(kEvidence) +
                             "domain Sea { visibility : real [0, 20000] }\n"
                             "claim R \"resolution\" { scope: Sea where visibility > 10 "
                             "supported_by: E_ok }\n"
                             "claim G \"g\" { supported_by: E_ok }\n"
                             "defeater D rebuts G \"doubt\" { status: resolved resolved_by: R }\n";
    auto unknown = prove(base, true);
    CHECK(unknown->status("R") == Status::Unknown);
    CHECK(unknown->result.defeaters[0] == Activity::Unknown);
    CHECK(unknown->status("G") == Status::Unknown);

    // Kleene: an active defeater that defeats D decides it whatever its resolution is.
    auto defeated =
        prove(base + "defeater D2 defeats D \"the doubt is void\" { status: open }\n", true);
    CHECK(defeated->result.defeaters[0] == Activity::Inactive);
    CHECK(defeated->status("G") == Status::Supported);

    // Decided: with answers, R holds, D is resolved and G is supported.
    auto decided = prove(base);
    CHECK(decided->status("R") == Status::Supported);
    CHECK(decided->result.defeaters[0] == Activity::Inactive);
    CHECK(decided->status("G") == Status::Supported);
}

TEST_CASE("prove: an undermined piece of evidence fails the claims resting on it only") {
    auto p = prove(std::string(kEvidence) +
                   "claim G \"g\" { supported_by: E_ok }\n"
                   "claim H \"h\" { supported_by: E_bad }\n"
                   "defeater D undermines E_ok \"the rig was miscalibrated\" { status: open }\n");
    CHECK(p->result.defeaters[0] == Activity::Active);
    CHECK(p->status("E_ok") == Status::Unsupported);
    CHECK(p->status("G") == Status::Unsupported);
    CHECK(p->status("H") == Status::Unsupported);
    const auto causes =
        assure::prove::root_causes(p->checked.program, p->result, p->result.top_claims.front());
    REQUIRE(causes.size() == 1);
    CHECK(causes[0].reason->kind == assure::prove::ReasonKind::ActiveDefeater);
}

TEST_CASE("prove: --require-artifacts refuses evidence that rests on no pinned artifact") {
    using assure::prove::ReasonKind;
    const std::string text = "artifact A \"reports/missing.json\"\n"
                             "evidence E_none \"Review\" { kind: review result: pass }\n"
                             "evidence E_raw \"Log\" { kind: test artifacts: A result: pass }\n"
                             "claim G \"g\" { supported_by: E_none }\n"
                             "claim H \"h\" { supported_by: E_raw }\n";
    const auto require = [](assure::prove::ProveOptions &o, const assure::sema::Program &) {
        o.require_artifacts = true;
    };
    auto plain = prove(text);
    CHECK(plain->status("E_none") == Status::Supported);
    CHECK_FALSE(has_reason(*plain, "E_none", ReasonKind::EvidenceUnpinned));

    auto required = prove(text, false, require);
    CHECK(required->status("E_none") == Status::Unsupported);
    CHECK(required->status("G") == Status::Unsupported);
    CHECK(has_reason(*required, "E_none", ReasonKind::EvidenceUnpinned));
    // Its artifact has no sha256 and its file cannot be read: both are said.
    CHECK(required->status("E_raw") == Status::Unsupported);
    CHECK(has_reason(*required, "E_raw", ReasonKind::ArtifactMissing));
    CHECK(has_reason(*required, "E_raw", ReasonKind::EvidenceUnpinned));

    // Re-verification records its artifacts' hashes; it gives evidence listing none nothing.
    auto reverified = prove(text, false, [](auto &o, const assure::sema::Program &program) {
        o.require_artifacts = true;
        o.overrides.reverified = {index_of(program, "E_none"), index_of(program, "E_raw")};
    });
    CHECK(reverified->status("E_none") == Status::Unsupported);
    CHECK(has_reason(*reverified, "E_none", ReasonKind::EvidenceUnpinned));
    CHECK(reverified->status("E_raw") == Status::Supported);
}

TEST_CASE("prove: rules read re-verified evidence as produced on the date judged at") {
    // As written, E is dated 2026-01-10 and its one artifact has no sha256; re-verified, it is
    // produced again on 2026-06-15 (the date judged at) with its artifact's hash recorded.
    const std::string text =
        "artifact A \"reports/missing.json\"\n"
        "evidence E \"Trials\" { kind: test artifacts: A result: pass date: 2026-01-10 }\n"
        "evidence F \"Review\" { kind: review result: pass }\n"
        "claim G \"g\" { supported_by: E, F }\n"
        "rule R_early \"Produced before February\" {\n"
        "  forall e in evidence where e.kind == test: e.date <= 2026-01-31\n"
        "}\n"
        "rule R_pinned \"Tests rest on pinned files\" {\n"
        "  forall e in evidence where e.kind == test: e.pinned_count == e.artifact_count\n"
        "}\n"
        "rule R_undated \"Undated evidence is older than everything\" {\n"
        "  forall e in evidence where e.kind == review: e.date < 0001-01-02\n"
        "}\n";
    auto as_written = prove(text);
    REQUIRE(as_written->result.rules.size() == 3);
    CHECK(as_written->result.rules[0].holds);
    CHECK_FALSE(as_written->result.rules[1].holds);
    CHECK(as_written->result.rules[2].holds);
    auto again = prove(text, false, [](auto &o, const assure::sema::Program &program) {
        o.overrides.reverified = {index_of(program, "E")};
    });
    REQUIRE(again->result.rules.size() == 3);
    CHECK_FALSE(again->result.rules[0].holds);
    CHECK(again->result.rules[1].holds);
    CHECK(again->result.rules[2].holds);
}

TEST_CASE("prove: every defeater's account names the fact its activity rests on") {
    auto p = prove(std::string(kEvidence) +
                   "evidence E_pending \"Pending\" { kind: test result: pending }\n"
                   "evidence E_field \"Field data\" { kind: test result: pass }\n"
                   "claim G \"Top\" { supported_by: E_ok, E_bad }\n"
                   "defeater D_withdrawn undermines E_ok \"w\" { status: withdrawn }\n"
                   "defeater D_resolved undermines E_ok \"r\" {\n"
                   "  status: resolved\n  resolved_by: E_field\n}\n"
                   "defeater D_fails undermines E_ok \"f\" {\n"
                   "  status: resolved\n  resolved_by: E_field, E_pending\n}\n"
                   "defeater D_open rebuts G \"o\" { status: open }\n"
                   "defeater D_answer defeats D_open \"a\" { status: open }\n"
                   "defeater D_marked rebuts G \"m\" { status: resolved }\n");
    const auto &program = p->checked.program;
    const auto accounts = assure::prove::defeater_accounts(program, p->result);
    REQUIRE(accounts.size() == program.defeaters.size());
    auto of = [&](const std::string &name) { return accounts[index_of(program, name)]; };
    using assure::prove::DefeaterWhy;
    CHECK(of("D_withdrawn").why == DefeaterWhy::Withdrawn);
    CHECK(of("D_withdrawn").activity == Activity::Inactive);
    CHECK(of("D_resolved").why == DefeaterWhy::Resolved);
    CHECK(of("D_resolved").text.find("inactive: resolved by ") == 0);
    CHECK(of("D_resolved").text.find("E_field (valid)") != std::string::npos);
    CHECK(of("D_fails").why == DefeaterWhy::ResolutionFails);
    CHECK(of("D_fails").activity == Activity::Active);
    CHECK(of("D_fails").text.find("active: marked resolved, but ") == 0);
    CHECK(of("D_fails").text.find("E_pending (invalid) does not hold") != std::string::npos);
    CHECK(of("D_open").why == DefeaterWhy::Defeated);
    REQUIRE(of("D_open").defeated_by.size() == 1);
    CHECK(program.decl(of("D_open").defeated_by[0]).name == "D_answer");
    CHECK(of("D_answer").why == DefeaterWhy::Open);
    CHECK(of("D_marked").why == DefeaterWhy::Open);
    CHECK(of("D_marked").text.find("names no `resolved_by:`") != std::string::npos);
}

TEST_CASE("prove: a defeater whose resolution is unknown has an unknown account") {
    auto p =
        prove("domain D \"d\" { x : real [0, 10] }\n"
              "evidence E_ok \"Passing\" { kind: test result: pass }\n"
              "claim G_res \"Resolver\" { scope: D supported_by: E_ok }\n"
              "claim G \"Top\" { supported_by: E_ok }\n"
              "defeater D_doubt rebuts G \"d\" {\n  status: resolved\n  resolved_by: G_res\n}\n",
              /*give_up=*/true);
    const auto &program = p->checked.program;
    const auto accounts = assure::prove::defeater_accounts(program, p->result);
    const auto &a = accounts[index_of(program, "D_doubt")];
    CHECK(a.activity == Activity::Unknown);
    CHECK(a.why == assure::prove::DefeaterWhy::ResolutionUnknown);
    CHECK(a.text.find("G_res holds is unknown") != std::string::npos);
}
