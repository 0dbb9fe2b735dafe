// SPDX-License-Identifier: Apache-2.0
// The diagram model: what each node says comes from the proof, stubs count what they hide, the
// node limit holds, ids are stable, and the renderers escape what they are given.
#include "../testing.hpp"
#include "diagram/diagram.hpp"
#include "prove/prove.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <memory>
#include <string>

namespace dg = assure::diagram;

namespace {

struct Proved {
    assure::testing::Checked checked;
    assure::lower::Lowered lowered;
    assure::prove::ProofResult result;

    assure::sema::DeclId decl(const std::string &name) const {
        for (std::uint32_t d = 0; d < checked.program.decls.size(); ++d) {
            if (checked.program.decls[d].name == name) {
                return assure::sema::DeclId{d};
            }
        }
        FAIL("no declaration " << name);
        return {};
    }
};

std::unique_ptr<Proved> prove(const std::string &text) {
    auto p = std::make_unique<Proved>();
    p->checked = assure::testing::check(text);
    REQUIRE(p->checked.diags.error_count() == 0);
    p->lowered = assure::lower::lower_graph(p->checked.program);
    assure::prove::ProveOptions options;
    options.date = {2026, 6, 15};
    p->result = assure::prove::prove(p->checked.program, p->lowered, *p->checked.sources, options);
    return p;
}

const dg::Node *find(const dg::Diagram &d, const std::string &id) {
    for (const auto &n : d.nodes) {
        if (n.id == id) {
            return &n;
        }
    }
    return nullptr;
}

std::size_t edges_of(const dg::Diagram &d, dg::EdgeKind kind) {
    return static_cast<std::size_t>(std::count_if(
        d.edges.begin(), d.edges.end(), [&](const dg::Edge &e) { return e.kind == kind; }));
}

const char *kCase = R"(module m
evidence E_ok "Passing trials" { kind: test result: pass }
evidence E_old "Old trials" { kind: test result: pass valid_until: 2026-01-01 }
evidence E_fix "Filters fitted" { kind: review result: pass }
claim G_top "Top" { supported_by: G_a, G_b, G_c }
claim G_a "A holds" { supported_by: E_ok }
claim G_b "B holds" { supported_by: E_old }
claim G_c "C holds" { undeveloped }
strategy S_a "Split A" for G_a { supported_by: G_a1, G_a2 justification: "why" }
claim G_a1 "A1" { supported_by: E_ok }
claim G_a2 "A2" { supported_by: G_a3 }
claim G_a3 "A3" { supported_by: E_ok }
defeater D_open rebuts G_a1 "Open doubt" { status: open }
defeater D_done undermines E_ok "Answered doubt" { status: resolved resolved_by: E_fix }
assumption A_x "Assumed" for G_top
context C_x "Context" for G_top, G_a
)";

} // namespace

TEST_CASE("diagram: nodes carry the computed status, kind and short reasons") {
    const auto p = prove(kCase);
    const dg::Diagram d = dg::build_case(p->checked.program, p->result, *p->checked.sources, {});
    REQUIRE(d.roots.size() == 1);
    CHECK(d.nodes[d.roots[0]].id == "m.G_top");
    CHECK(d.nodes[d.roots[0]].top);

    const dg::Node *top = find(d, "m.G_top");
    REQUIRE(top != nullptr);
    CHECK(top->kind == dg::NodeKind::Goal);
    CHECK(top->status == "unsupported");
    CHECK(top->tone == dg::Tone::Bad);
    CHECK(top->location == "test.assure:5");

    const dg::Node *old = find(d, "m.E_old");
    REQUIRE(old != nullptr);
    CHECK(old->kind == dg::NodeKind::Solution);
    CHECK(old->status == "invalid");
    CHECK(old->detail == "expired");

    const dg::Node *undeveloped = find(d, "m.G_c");
    REQUIRE(undeveloped != nullptr);
    CHECK(undeveloped->undeveloped);
    CHECK(undeveloped->tone == dg::Tone::Undeveloped);
    CHECK(undeveloped->detail.empty()); // the status says it

    const dg::Node *open = find(d, "m.D_open");
    REQUIRE(open != nullptr);
    CHECK(open->kind == dg::NodeKind::Defeater);
    CHECK(open->status == "active");
    CHECK(open->tone == dg::Tone::Bad);
    CHECK(find(d, "m.G_a1")->status == "unsupported");
    CHECK(find(d, "m.G_a1")->detail == "active defeater");

    const dg::Node *done = find(d, "m.D_done");
    REQUIRE(done != nullptr);
    CHECK(done->status == "inactive");
    CHECK(done->tone == dg::Tone::Good);
    CHECK(done->note == "resolved");
    CHECK(find(d, "m.E_fix") != nullptr); // the resolution is drawn

    const dg::Node *s = find(d, "m.S_a");
    REQUIRE(s != nullptr);
    CHECK(s->kind == dg::NodeKind::Strategy);
    CHECK(s->status == "fails");
    CHECK(s->note == "all of");
    const dg::Node *just = find(d, "m.S_a-just");
    REQUIRE(just != nullptr);
    CHECK(just->kind == dg::NodeKind::Justification);
    CHECK(just->title == "why");

    CHECK(find(d, "m.A_x")->kind == dg::NodeKind::Assumption);
    CHECK(find(d, "m.C_x")->kind == dg::NodeKind::Context);
    // Each element once; a shared one gets several edges.
    CHECK(std::count_if(d.nodes.begin(), d.nodes.end(),
                        [](const dg::Node &n) { return n.id == "m.E_ok"; }) == 1);
    CHECK(edges_of(d, dg::EdgeKind::InContextOf) == 4); // A_x, C_x twice, S_a's justification
    CHECK(edges_of(d, dg::EdgeKind::Attacks) == 2);
    CHECK(edges_of(d, dg::EdgeKind::ResolvedBy) == 1);
    CHECK(edges_of(d, dg::EdgeKind::Collapsed) == 0);
    CHECK(!d.capped);
}

TEST_CASE("diagram: depth collapses subtrees into stubs that count what they hide") {
    const auto p = prove(kCase);
    dg::Options options;
    options.depth = 1;
    const dg::Diagram d =
        dg::build_case(p->checked.program, p->result, *p->checked.sources, options);
    CHECK(find(d, "m.G_a") != nullptr);
    CHECK(find(d, "m.S_a") == nullptr);
    CHECK(find(d, "m.E_ok") == nullptr);
    const dg::Node *stub = find(d, "m.G_a-more");
    REQUIRE(stub != nullptr);
    CHECK(stub->kind == dg::NodeKind::Stub);
    // Below G_a: S_a, G_a1, G_a2, G_a3, E_ok, D_open, D_done, E_fix; C_x is drawn already.
    CHECK(stub->hidden == 8);
    CHECK(stub->title == "+ 8 more: 3 claims, 1 strategy, 2 evidence, 2 defeaters");
    const dg::Node *stub_b = find(d, "m.G_b-more");
    REQUIRE(stub_b != nullptr);
    CHECK(stub_b->title == "+ 1 more: 1 evidence");
    CHECK(find(d, "m.G_c-more") == nullptr); // nothing below an undeveloped claim
    CHECK(edges_of(d, dg::EdgeKind::Collapsed) == 2);
}

TEST_CASE("diagram: the node limit holds and the first root is always drawn") {
    const auto p = prove(kCase);
    for (std::uint32_t cap = 1; cap <= 24; ++cap) {
        dg::Options options;
        options.max_nodes = cap;
        const dg::Diagram d =
            dg::build_case(p->checked.program, p->result, *p->checked.sources, options);
        CAPTURE(cap);
        CHECK(d.nodes.size() <= std::max<std::size_t>(cap, 2));
        CHECK(find(d, "m.G_top") != nullptr);
        bool any_stub = false;
        for (const auto &n : d.nodes) {
            any_stub = any_stub || n.kind == dg::NodeKind::Stub;
        }
        // Either everything is drawn (16 nodes) or the limit cut it and stubs say so.
        CHECK(d.capped == any_stub);
        CHECK((d.capped || d.nodes.size() == 16));
    }
}

TEST_CASE("diagram: one claim's diagram and a module's") {
    const auto p = prove(kCase);
    const dg::Diagram d =
        dg::build_claim(p->checked.program, p->result, *p->checked.sources, p->decl("G_a2"), {});
    CHECK(d.title == "m.G_a2");
    REQUIRE(d.nodes.size() == 5); // G_a2, G_a3, E_ok, D_done undermining it, E_fix
    CHECK(d.nodes[0].id == "m.G_a2");
    const auto module = dg::find_module(p->checked.program, "m");
    REQUIRE(module.has_value());
    CHECK(!dg::find_module(p->checked.program, "nosuch").has_value());
    const dg::Diagram md =
        dg::build_module(p->checked.program, p->result, *p->checked.sources, *module, {});
    REQUIRE(md.roots.size() == 1);
    CHECK(md.nodes[md.roots[0]].id == "m.G_top");
}

TEST_CASE("diagram: anchor ids are safe and injective") {
    CHECK(dg::anchor_id("ship.perception.G_fog") == "ship.perception.G_fog");
    CHECK(dg::anchor_id("a b") == "a-20b");
    CHECK(dg::anchor_id("a-b") == "a-2db");
    CHECK(dg::anchor_id("a\"<") == "a-22-3c");
    CHECK(dg::anchor_id("a-20b") != dg::anchor_id("a b"));
}

TEST_CASE("diagram: renderers escape titles and prefix ids") {
    const auto p = prove(R"(module m
evidence E "Trials \"quoted\" & <tagged> \\N #1 `x`" { kind: test result: pass }
claim G "G" { supported_by: E }
)");
    const dg::Diagram d = dg::build_case(p->checked.program, p->result, *p->checked.sources, {});
    dg::RenderOptions ro;
    ro.id_prefix = "d1-";
    ro.link_prefix = "el-";
    const std::string dot = dg::to_dot(d, ro);
    CHECK(dot.rfind(std::string(dg::kDotMarker), 0) == 0);
    CHECK(dot.find("&amp;<BR/>&lt;tagged&gt; \\N #1 `x`") != std::string::npos);
    CHECK(dot.find("&quot;quoted&quot;") != std::string::npos);
    CHECK(dot.find("id=\"d1-m.G\"") != std::string::npos);
    CHECK(dot.find("URL=\"#el-m.G\"") != std::string::npos);
    const std::string mermaid = dg::to_mermaid(d, ro);
    CHECK(mermaid.rfind(std::string(dg::kMermaidMarker), 0) == 0);
    CHECK(mermaid.find("#34;quoted#34; #38; #60;tagged#62; #92;N<br/>#35;1 #96;x#96;") !=
          std::string::npos);
    CHECK(mermaid.find("click d1_n0 href \"#el-m.G\"") != std::string::npos);

    std::string error;
    ro.inline_svg = true;
    auto svg = dg::to_svg(d, ro, error);
    REQUIRE(svg.has_value());
    // Graphviz writes `-` in attributes as the character reference `&#45;`.
    for (auto at = svg->find("&#45;"); at != std::string::npos; at = svg->find("&#45;", at)) {
        svg->replace(at, 5, "-");
    }
    CHECK(error.empty());
    CHECK(svg->rfind(std::string(dg::kSvgMarker), 0) == 0); // no prolog inline
    CHECK(svg->find("<!DOCTYPE") == std::string::npos);
    CHECK(svg->find("id=\"d1-m.G\"") != std::string::npos);
    CHECK(svg->find("id=\"d1-m.E\"") != std::string::npos);
    CHECK(svg->find("xlink:href=\"#el-m.G\"") != std::string::npos);
    CHECK(svg->find("graphviz version") == std::string::npos);
    ro.inline_svg = false;
    const auto standalone = dg::to_svg(d, ro, error);
    REQUIRE(standalone.has_value());
    CHECK(standalone->rfind("<?xml", 0) == 0);
    CHECK(*dg::to_svg(d, ro, error) == *standalone); // deterministic
}
