// SPDX-License-Identifier: Apache-2.0
// The live case (src/live): event specs, the state events leave, runs built straight from a
// proof, and the engine judging a case after each event and rebuilding its state on restart.
#include "../testing.hpp"
#include "history/store.hpp"
#include "live/engine.hpp"
#include "live/overlay.hpp"
#include "live/record.hpp"
#include "live/spec.hpp"
#include "prove/prove.hpp"
#include "report/proof.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace live = assure::live;
namespace history = assure::history;
using assure::prove::Status;

namespace {

const char *kCase = R"(module m
domain D "Inputs" { x : real [0, 10] }
odd O "All" = D where x <= 10
artifact rep "rep.json"
evidence E1 "Tests" { kind: test  result: pass  date: 2026-01-10  valid_until: 2026-12-31 }
evidence E2 "Monitoring" { kind: field_monitoring  result: pass }
claim G "Safe" { scope: O  supported_by: C1, C2 }
claim C1 "Part one" { supported_by: E1 }
claim C2 "Part two" { supported_by: E2 }
defeater D1 undermines E1 "Doubt" { status: resolved  resolved_by: E2 }
)";

struct Loaded {
    assure::testing::Checked checked;
    assure::lower::Lowered lowered;
};

std::shared_ptr<live::CaseVersion> load(const std::string &text) {
    auto l = std::make_shared<Loaded>();
    l->checked = assure::testing::check(text);
    REQUIRE(l->checked.diags.error_count() == 0);
    l->lowered = assure::lower::lower_graph(l->checked.program);
    auto v = std::make_shared<live::CaseVersion>();
    v->program = &l->checked.program;
    v->lowered = &l->lowered;
    v->sources = l->checked.sources.get();
    v->files = {{"test.assure", std::string(64, 'a')}};
    v->digest = history::case_digest(v->files);
    v->owner = l;
    return v;
}

struct TempDir {
    std::string path;
    TempDir() {
        char tmpl[] = "/tmp/assure-live-test-XXXXXX";
        path = ::mkdtemp(tmpl);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

live::EngineOptions options_at(std::int64_t *now, std::shared_ptr<live::CaseVersion> v) {
    live::EngineOptions o;
    o.meta.assure_version = "test";
    o.meta.z3_version = "test";
    o.load = [v](std::string &) { return v; };
    o.now = [now] { return *now; };
    return o;
}

constexpr std::int64_t kJune15 = 1781510400; // 2026-06-15T08:00:00Z

} // namespace

TEST_CASE("live: event specs parse to their canonical form, and bad ones are located") {
    live::SpecError e;
    auto s = live::parse_spec("fail:m.E1", e);
    REQUIRE(s);
    CHECK(s->kind == live::Spec::Kind::Fail);
    CHECK(s->text() == "fail:m.E1");
    s = live::parse_spec("attest:E1=2026-06-01", e);
    REQUIRE(s);
    CHECK(s->text() == "attest:E1=2026-06-01");
    s = live::parse_spec("release:0a1b2c3d=verified", e);
    REQUIRE(s);
    CHECK(s->commit == "0a1b2c3d");
    CHECK(s->verified == std::optional<bool>(true));
    s = live::parse_spec("artifact:rep=" + std::string(64, 'f'), e);
    REQUIRE(s);
    CHECK(s->sha256 == std::string(64, 'f'));
    CHECK(live::parse_spec("reload", e));
    for (const char *bad :
         {"fail", "fail:", "nope:E", "fail:E=1", "expire:E", "expire:E=2026-02-30",
          "artifact:rep=XYZ", "release:-rf", "reload:x", "fail:E x", "attest:E="}) {
        CHECK_MESSAGE(!live::parse_spec(bad, e), bad);
        CHECK(!e.message.empty());
    }
    CHECK(!live::parse_spec("fail:E\xff", e));
    CHECK(!live::parse_spec(std::string(5000, 'a'), e));
    CHECK(live::raises_alarm(*live::parse_spec("open:D", e)));
    CHECK(live::resolves_alarm(*live::parse_spec("resolve:D", e)));
}

TEST_CASE("live: the overlay follows events in order; attest and clear undo earlier ones") {
    auto v = load(kCase);
    const auto &prog = *v->program;
    live::Overlay o;
    live::SpecError e;
    const assure::sema::Date day{2026, 6, 1};
    o.apply(*live::parse_spec("fail:m.E1", e), day);
    o.apply(*live::parse_spec("open:m.D1", e), day);
    std::vector<std::string> missing;
    auto ov = o.overrides(prog, missing);
    CHECK(ov.result.size() == 1);
    CHECK(ov.defeater_status.size() == 1);
    o.apply(*live::parse_spec("attest:m.E1", e), day);
    o.apply(*live::parse_spec("clear:m.D1", e), day);
    ov = o.overrides(prog, missing);
    REQUIRE(ov.result.size() == 1);
    CHECK(ov.result.begin()->second == assure::sema::EvidenceResult::Pass);
    CHECK(ov.produced.begin()->second == day);
    CHECK(ov.defeater_status.empty());
    o.apply(*live::parse_spec("fail:m.Gone", e), day);
    ov = o.overrides(prog, missing);
    CHECK(missing == std::vector<std::string>{"m.Gone"});
}

TEST_CASE("live: a run built from a proof says what prove's JSON says, and reuse changes nothing") {
    auto v = load(kCase);
    const auto &prog = *v->program;
    for (int variant = 0; variant < 3; ++variant) {
        assure::prove::ProveOptions po;
        po.date = {2026, 6, 15};
        if (variant == 1) {
            po.overrides.result[0] = assure::sema::EvidenceResult::Fail;
            po.overrides.defeater_status[0] = assure::sema::DefeaterStatus::Open;
        }
        if (variant == 2) {
            po.date = {2027, 1, 15}; // E1 expired
            po.overrides.produced[0] = {2027, 1, 1};
        }
        const auto result = assure::prove::prove(prog, *v->lowered, *v->sources, po);
        assure::report::ProofMeta meta;
        meta.assure_version = "t";
        meta.z3_version = "z";
        const history::Run direct = live::make_run(prog, result, meta, v->files);
        history::Run via_json;
        via_json.files = v->files;
        via_json.case_digest = history::case_digest(v->files);
        std::string error;
        meta.exit_code = assure::report::proof_exit_code(result);
        REQUIRE(history::fill_from_proof_json(
            via_json, assure::report::render_proof_json(prog, result, *v->sources, meta), error));
        // JSON gives the written expiry; the run the one judged with, and the produced date.
        for (std::size_t k = 0; k < via_json.evidence.size(); ++k) {
            via_json.evidence[k].valid_until = direct.evidence[k].valid_until;
            via_json.evidence[k].date = direct.evidence[k].date;
        }
        CHECK(direct == via_json);
        // Built again with the first variant's run as the previous one: the same records.
        const auto base =
            assure::prove::prove(prog, *v->lowered, *v->sources, assure::prove::ProveOptions{});
        const history::Run base_run = live::make_run(prog, base, meta, v->files);
        const live::PreviousRun previous{base, base_run};
        CHECK(live::make_run(prog, result, meta, v->files, &previous) == direct);
    }
}

TEST_CASE("live: the engine judges after each event, refuses bad ones, and rebuilds on restart") {
    TempDir tmp;
    const std::string db = tmp.path + "/h.db";
    auto v = load(kCase);
    std::int64_t now = kJune15;
    history::StoreError se;
    {
        auto store = history::open_store(db, history::OpenMode::Append, se);
        REQUIRE(store);
        live::Engine engine(options_at(&now, v), *store);
        std::string error;
        REQUIRE(engine.start(error));
        CHECK(engine.snapshot()->run.result == "supported");
        live::Refusal refusal;
        auto posted = engine.post({"fail:E1"}, "", "alarm", "serve", refusal);
        REQUIRE(posted);
        CHECK(posted->specs == std::vector<std::string>{"fail:m.E1"});
        CHECK(posted->snapshot->run.result == "not_supported");
        CHECK(posted->run_seq == posted->event_seq + 1);
        // Refused: nothing recorded.
        std::vector<history::Entry> entries;
        std::int64_t head = 0;
        std::string hash;
        REQUIRE(store->load(entries, head, hash, se));
        const auto count = entries.size();
        CHECK(!engine.post({"fail:E_nope"}, "", "", "serve", refusal));
        CHECK(refusal.code == assure::support::Code::E0816);
        CHECK(!engine.post({"open:E1"}, "", "", "serve", refusal)); // not a defeater
        CHECK(!engine.post({"fail:E1", "bogus:x"}, "", "", "serve", refusal));
        CHECK(refusal.spec == std::optional<std::size_t>(1));
        CHECK(!engine.post({"fail:E1"}, std::string(64, 'b'), "", "serve", refusal));
        CHECK(refusal.status == 409);
        CHECK(!engine.post({}, "", "", "serve", refusal));
        REQUIRE(store->load(entries, head, hash, se));
        CHECK(entries.size() == count);
        // The clock: E1 expires after 2026-12-31 (the failed E1 is attested first).
        REQUIRE(engine.post({"attest:E1"}, "", "", "serve", refusal));
        CHECK(engine.snapshot()->run.result == "supported");
        now += 86400; // the next day: nothing lapses, nothing recorded
        CHECK(!engine.tick(error));
        now = kJune15 + 230 * 86400; // 2027-01-31
        CHECK(engine.tick(error));
        CHECK(engine.snapshot()->run.result == "not_supported");
        REQUIRE(store->load(entries, head, hash, se));
        CHECK(entries[entries.size() - 2].event.source == "clock");
        CHECK(!history::verify_chain(entries, head, hash).has_value());
    }
    // Restart: the state (E1 attested, then expired) is rebuilt from the history.
    auto store = history::open_store(db, history::OpenMode::Append, se);
    REQUIRE(store);
    live::Engine again(options_at(&now, v), *store);
    std::string error;
    REQUIRE(again.start(error));
    CHECK(again.snapshot()->run.result == "not_supported");
    now = kJune15;
    live::Engine earlier(options_at(&now, v), *store);
    REQUIRE(earlier.start(error));
    CHECK(earlier.snapshot()->run.result == "supported"); // attested, and not yet expired
}
