// SPDX-License-Identifier: Apache-2.0
#include "diagram/diagram.hpp"
#include "prove/defeaters.hpp"
#include "support/assert.hpp"

#include <algorithm>
#include <array>
#include <deque>

namespace assure::diagram {

using sema::DeclId;
using sema::DeclKind;

const char *node_kind_name(NodeKind k) {
    switch (k) {
    case NodeKind::Goal:
        return "goal";
    case NodeKind::Strategy:
        return "strategy";
    case NodeKind::Solution:
        return "solution";
    case NodeKind::Context:
        return "context";
    case NodeKind::Assumption:
        return "assumption";
    case NodeKind::Justification:
        return "justification";
    case NodeKind::Defeater:
        return "defeater";
    case NodeKind::Stub:
        return "stub";
    }
    return "?";
}

const char *tone_name(Tone t) {
    switch (t) {
    case Tone::Good:
        return "good";
    case Tone::Bad:
        return "bad";
    case Tone::Unknown:
        return "unknown";
    case Tone::Undeveloped:
        return "undeveloped";
    case Tone::Neutral:
        return "neutral";
    }
    return "?";
}

std::string anchor_id(std::string_view id) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(id.size());
    for (const char ch : id) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '.') {
            out += ch;
        } else {
            out += '-';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::optional<std::uint32_t> find_module(const sema::Program &program, std::string_view name) {
    for (std::uint32_t m = 0; m < program.modules.size(); ++m) {
        if (program.modules[m].name == name) {
            return m;
        }
    }
    return std::nullopt;
}

namespace {

constexpr std::uint32_t kNoNode = UINT32_MAX;
/// Elements visited in all to count what the stubs stand for; past it a stub says "more" without
/// a number (a count must never be a guess).
constexpr std::uint64_t kCountBudget = 20'000'000;

Tone tone_of(prove::Status s) {
    switch (s) {
    case prove::Status::Supported:
        return Tone::Good;
    case prove::Status::Unknown:
        return Tone::Unknown;
    case prove::Status::Undeveloped:
        return Tone::Undeveloped;
    case prove::Status::Unsupported:
        return Tone::Bad;
    }
    return Tone::Unknown;
}

/// A reason's stable name in words: "evidence_expired" -> "expired", "artifact_changed" ->
/// "artifact changed".
std::string reason_words(prove::ReasonKind k) {
    std::string name = prove::reason_name(k);
    if (name.rfind("evidence_", 0) == 0) {
        name.erase(0, 9);
    }
    std::replace(name.begin(), name.end(), '_', ' ');
    return name;
}

/// The distinct short reasons of an element that is not supported, in order ("" if none).
std::string reasons_text(const prove::ElementResult &r) {
    if (r.status == prove::Status::Supported) {
        return {};
    }
    std::vector<std::string> words;
    for (const prove::Reason &reason : r.reasons) {
        if (reason.kind == prove::ReasonKind::Undeveloped) {
            continue; // the status says it
        }
        std::string w = reason_words(reason.kind);
        if (std::find(words.begin(), words.end(), w) == words.end()) {
            words.push_back(std::move(w));
        }
    }
    std::string text;
    for (std::size_t k = 0; k < words.size() && k < 3; ++k) {
        text += (k == 0 ? "" : ", ") + words[k];
    }
    if (words.size() > 3) {
        text += ", ...";
    }
    return text;
}

const char *relation_word(sema::DefeaterRelation r) {
    switch (r) {
    case sema::DefeaterRelation::Rebuts:
        return "rebut";
    case sema::DefeaterRelation::Undercuts:
        return "undercut";
    case sema::DefeaterRelation::Undermines:
        return "undermine";
    case sema::DefeaterRelation::Defeats:
        return "defeat";
    }
    return "?";
}

/// The kinds a stub counts, in the order its text lists them.
constexpr std::array<std::pair<DeclKind, std::array<const char *, 2>>, 7> kCounted{{
    {DeclKind::Claim, {"claim", "claims"}},
    {DeclKind::Strategy, {"strategy", "strategies"}},
    {DeclKind::Evidence, {"evidence", "evidence"}},
    {DeclKind::Defeater, {"defeater", "defeaters"}},
    {DeclKind::Assumption, {"assumption", "assumptions"}},
    {DeclKind::Context, {"context", "contexts"}},
    {DeclKind::Justification, {"justification", "justifications"}},
}};

class Builder {
  public:
    Builder(const sema::Program &program, const prove::ProofResult &result,
            const support::SourceManager &sources, const Options &options)
        : prog_(program), result_(result), sources_(sources), options_(options),
          node_of_(program.decls.size(), kNoNode), attachments_of_(program.decls.size()),
          defeaters_of_(program.decls.size()) {
        for (std::uint32_t a = 0; a < prog_.attachments.size(); ++a) {
            for (DeclId t : prog_.attachments[a].targets) {
                if (t.valid()) {
                    attachments_of_[t.value].push_back(a);
                }
            }
        }
        for (std::uint32_t d = 0; d < prog_.defeaters.size(); ++d) {
            if (prog_.defeaters[d].target.valid()) {
                defeaters_of_[prog_.defeaters[d].target.value].push_back(d);
            }
        }
    }

    Diagram run(std::string title, const std::vector<DeclId> &roots) {
        out_.title = std::move(title);
        std::uint32_t left_out = 0;
        for (DeclId root : roots) {
            if (node_of_[root.value] != kNoNode) {
                continue;
            }
            // The first root is always drawn, whatever the cap.
            if (!out_.roots.empty() && !can_add()) {
                ++left_out;
                continue;
            }
            const std::uint32_t n = add_decl(root, static_cast<std::uint32_t>(out_.roots.size()));
            out_.nodes[n].top = true;
            out_.roots.push_back(n);
            queue_.push_back({n, 0});
        }
        while (!queue_.empty()) {
            const auto [n, level] = queue_.front();
            queue_.pop_front();
            expand(n, level);
        }
        make_stubs();
        if (left_out > 0) {
            Node stub;
            stub.kind = NodeKind::Stub;
            stub.id = "more-tops";
            stub.hidden = left_out;
            stub.title = "+ " + std::to_string(left_out) + " more top " +
                         (left_out == 1 ? "claim" : "claims") + " (draw one by name)";
            out_.nodes.push_back(std::move(stub));
            out_.capped = true;
        }
        return std::move(out_);
    }

  private:
    struct Pending {
        std::uint32_t node;
        std::uint32_t level;
    };

    /// Whether one more element node fits under the cap, leaving room for a stub for every
    /// node that may still need one and for the stub of top claims left out.
    bool can_add() {
        if (capped_) {
            return false;
        }
        const std::size_t reserve = queue_.size() + stubs_needed_ + 3;
        if (out_.nodes.size() + reserve > options_.max_nodes) {
            // Once anything is refused for the cap nothing more is drawn, so no element a stub
            // counts is drawn elsewhere.
            capped_ = true;
            out_.capped = true;
            return false;
        }
        return true;
    }

    std::uint32_t add_node(Node node) {
        out_.nodes.push_back(std::move(node));
        hidden_.emplace_back();
        return static_cast<std::uint32_t>(out_.nodes.size() - 1);
    }

    void add_edge(std::uint32_t from, std::uint32_t to, EdgeKind kind, std::string label = {}) {
        out_.edges.push_back({from, to, kind, std::move(label)});
    }

    std::string location(DeclId d) const {
        std::string where = prove::line_of(sources_, prog_.decl(d).name_span);
        const auto slash = where.rfind('/');
        return slash == std::string::npos ? where : where.substr(slash + 1);
    }

    std::uint32_t add_decl(DeclId d, std::uint32_t group) {
        const sema::Decl &decl = prog_.decl(d);
        Node node;
        node.decl = d;
        node.id = anchor_id(prog_.qualified_name(d));
        node.name = decl.name;
        node.location = location(d);
        node.group = group;
        switch (decl.kind) {
        case DeclKind::Claim: {
            const auto &c = prog_.claims[decl.index];
            const prove::ElementResult &r = result_.elements[d.value];
            node.kind = NodeKind::Goal;
            node.title = c.title;
            node.status = prove::verdict_name(r.status);
            node.tone = tone_of(r.status);
            node.detail = reasons_text(r);
            node.undeveloped = c.undeveloped;
            break;
        }
        case DeclKind::Strategy: {
            const auto &s = prog_.strategies[decl.index];
            const prove::ElementResult &r = result_.elements[d.value];
            node.kind = NodeKind::Strategy;
            node.title = s.title;
            node.status = prove::strategy_status_name(r.status);
            node.tone = tone_of(r.status);
            node.detail = reasons_text(r);
            node.note = strategy_note(s);
            break;
        }
        case DeclKind::Evidence: {
            const auto &e = prog_.evidence[decl.index];
            const prove::ElementResult &r = result_.elements[d.value];
            node.kind = NodeKind::Solution;
            node.title = e.title;
            node.status = prove::evidence_status_name(r.status);
            node.tone = tone_of(r.status);
            node.detail = reasons_text(r);
            break;
        }
        case DeclKind::Defeater: {
            const auto &df = prog_.defeaters[decl.index];
            const prove::Activity a = result_.defeaters[decl.index];
            node.kind = NodeKind::Defeater;
            node.title = df.title;
            node.status = prove::activity_name(a);
            node.tone = a == prove::Activity::Active     ? Tone::Bad
                        : a == prove::Activity::Inactive ? Tone::Good
                                                         : Tone::Unknown;
            node.note = prove::defeater_status_name(df.status);
            break;
        }
        case DeclKind::Assumption:
        case DeclKind::Context:
        case DeclKind::Justification: {
            const auto &at = prog_.attachments[decl.index];
            node.kind = decl.kind == DeclKind::Assumption ? NodeKind::Assumption
                        : decl.kind == DeclKind::Context  ? NodeKind::Context
                                                          : NodeKind::Justification;
            node.title = at.title;
            break;
        }
        default:
            ASSURE_ASSERT(false, "diagram: an element of a kind an argument does not draw");
        }
        const std::uint32_t n = add_node(std::move(node));
        node_of_[d.value] = n;
        return n;
    }

    std::string strategy_note(const sema::StrategyInfo &s) const {
        std::string note;
        switch (s.mode) {
        case sema::StrategyMode::AllOf:
            note = "all of";
            break;
        case sema::StrategyMode::AnyOf:
            note = "any of";
            break;
        case sema::StrategyMode::AtLeast:
            note = "at least " + std::to_string(s.at_least);
            break;
        case sema::StrategyMode::Deductive:
            note = "deductive";
            break;
        }
        if (s.cover != sema::CoverKind::None) {
            note += s.cover == sema::CoverKind::Cover ? "; cover: " : "; partition: ";
            for (std::size_t k = 0; k < s.cover_vars.size(); ++k) {
                note += (k == 0 ? "" : ", ") + prog_.variables[s.cover_vars[k]].name;
            }
        }
        return note;
    }

    /// What an element rests on, in the order the argument names it: a claim's supporters and
    /// strategies (not, as prove::legs adds, the evidence of its failed requirements: that is
    /// below it already), a strategy's supporters, a defeater's resolution.
    std::vector<DeclId> children(DeclId d) const {
        const sema::Decl &decl = prog_.decl(d);
        std::vector<DeclId> next;
        switch (decl.kind) {
        case DeclKind::Claim: {
            next = prog_.claims[decl.index].supported_by;
            for (std::uint32_t s : result_.strategies_of[decl.index]) {
                next.push_back(prog_.strategies[s].decl);
            }
            break;
        }
        case DeclKind::Strategy:
            next = prog_.strategies[decl.index].supported_by;
            break;
        case DeclKind::Defeater:
            next = prog_.defeaters[decl.index].resolved_by;
            break;
        default:
            break;
        }
        std::erase_if(next, [](DeclId x) { return !x.valid(); });
        return next;
    }

    /// What is drawn beside an element at its level: its contexts, assumptions and
    /// justifications, and the defeaters attacking it.
    std::vector<DeclId> satellites(DeclId d) const {
        std::vector<DeclId> next;
        for (std::uint32_t a : attachments_of_[d.value]) {
            next.push_back(prog_.attachments[a].decl);
        }
        for (std::uint32_t df : defeaters_of_[d.value]) {
            next.push_back(prog_.defeaters[df].decl);
        }
        return next;
    }

    void expand(std::uint32_t n, std::uint32_t level) {
        const DeclId d = out_.nodes[n].decl;
        const std::uint32_t group = out_.nodes[n].group;
        // A strategy's justification text is part of it: drawn whenever the strategy is.
        if (prog_.decl(d).kind == DeclKind::Strategy) {
            const auto &s = prog_.strategies[prog_.decl(d).index];
            if (!s.justification.empty()) {
                Node j;
                j.kind = NodeKind::Justification;
                j.id = out_.nodes[n].id + "-just";
                j.title = s.justification;
                j.group = group;
                j.location = out_.nodes[n].location;
                const std::uint32_t jn = add_node(std::move(j));
                add_edge(n, jn, EdgeKind::InContextOf);
            }
        }
        std::vector<DeclId> hidden; // hidden_ grows as nodes are added: filled at the end
        for (DeclId x : satellites(d)) {
            const bool attack = prog_.decl(x).kind == DeclKind::Defeater;
            std::uint32_t xn = node_of_[x.value];
            if (xn == kNoNode) {
                if (!can_add()) {
                    hidden.push_back(x);
                    continue;
                }
                xn = add_decl(x, group);
                if (attack) {
                    queue_.push_back({xn, level}); // its resolution and its own defeaters
                }
            }
            if (attack) {
                add_edge(xn, n, EdgeKind::Attacks,
                         relation_word(prog_.defeaters[prog_.decl(x).index].relation));
            } else {
                add_edge(n, xn, EdgeKind::InContextOf);
            }
        }
        const bool defeater = prog_.decl(d).kind == DeclKind::Defeater;
        for (DeclId x : children(d)) {
            std::uint32_t xn = node_of_[x.value];
            if (xn == kNoNode) {
                if ((options_.depth != 0 && level + 1 > options_.depth) || !can_add()) {
                    hidden.push_back(x);
                    continue;
                }
                xn = add_decl(x, group);
                queue_.push_back({xn, level + 1});
            }
            if (defeater) {
                add_edge(n, xn, EdgeKind::ResolvedBy, "resolved by");
            } else {
                add_edge(n, xn, EdgeKind::SupportedBy);
            }
        }
        if (!hidden.empty()) {
            ++stubs_needed_;
            hidden_[n] = std::move(hidden);
        }
    }

    /// One stub per node with hidden neighbours: the distinct elements reachable from them that
    /// are not drawn, counted by kind.
    void make_stubs() {
        std::vector<std::uint32_t> stamp(prog_.decls.size(), 0);
        std::uint32_t current = 0;
        const std::size_t element_nodes = out_.nodes.size();
        for (std::uint32_t n = 0; n < element_nodes; ++n) {
            if (hidden_[n].empty()) {
                continue;
            }
            ++current;
            std::array<std::uint64_t, kCounted.size()> counts{};
            std::uint64_t total = 0;
            bool complete = true;
            std::vector<DeclId> stack;
            for (DeclId x : hidden_[n]) {
                if (stamp[x.value] != current) {
                    stamp[x.value] = current;
                    stack.push_back(x);
                }
            }
            while (!stack.empty()) {
                if (budget_ == 0) {
                    complete = false;
                    break;
                }
                --budget_;
                const DeclId d = stack.back();
                stack.pop_back();
                ++total;
                for (std::size_t k = 0; k < kCounted.size(); ++k) {
                    if (kCounted[k].first == prog_.decl(d).kind) {
                        ++counts[k];
                    }
                }
                auto visit = [&](DeclId x) {
                    if (stamp[x.value] != current && node_of_[x.value] == kNoNode) {
                        stamp[x.value] = current;
                        stack.push_back(x);
                    }
                };
                for (DeclId x : children(d)) {
                    visit(x);
                }
                for (DeclId x : satellites(d)) {
                    visit(x);
                }
            }
            Node stub;
            stub.kind = NodeKind::Stub;
            stub.id = out_.nodes[n].id + "-more";
            stub.group = out_.nodes[n].group;
            if (complete) {
                stub.hidden = static_cast<std::uint32_t>(total);
                stub.title = "+ " + std::to_string(total) + " more:";
                bool first = true;
                for (std::size_t k = 0; k < kCounted.size(); ++k) {
                    if (counts[k] > 0) {
                        stub.title += std::string(first ? " " : ", ") + std::to_string(counts[k]) +
                                      " " + kCounted[k].second[counts[k] == 1 ? 0 : 1];
                        first = false;
                    }
                }
            } else {
                stub.title = "+ more below (too many to count)";
            }
            const std::uint32_t sn = add_node(std::move(stub));
            add_edge(n, sn, EdgeKind::Collapsed);
        }
    }

    const sema::Program &prog_;
    const prove::ProofResult &result_;
    const support::SourceManager &sources_;
    const Options &options_;
    Diagram out_;
    std::vector<std::uint32_t> node_of_;                     // by DeclId
    std::vector<std::vector<std::uint32_t>> attachments_of_; // by DeclId
    std::vector<std::vector<std::uint32_t>> defeaters_of_;   // by DeclId
    std::vector<std::vector<DeclId>> hidden_;                // by node
    std::deque<Pending> queue_;
    std::size_t stubs_needed_ = 0;
    bool capped_ = false;
    std::uint64_t budget_ = kCountBudget;
};

} // namespace

Diagram build_claim(const sema::Program &program, const prove::ProofResult &result,
                    const support::SourceManager &sources, DeclId claim, const Options &options) {
    ASSURE_ASSERT(program.decl(claim).kind == DeclKind::Claim, "diagram: not a claim");
    return Builder(program, result, sources, options).run(program.qualified_name(claim), {claim});
}

Diagram build_module(const sema::Program &program, const prove::ProofResult &result,
                     const support::SourceManager &sources, std::uint32_t module,
                     const Options &options) {
    // Claims of the module that nothing of the module rests on.
    std::vector<bool> used(program.decls.size(), false);
    auto mark = [&](const std::vector<DeclId> &ds) {
        for (DeclId d : ds) {
            if (d.valid()) {
                used[d.value] = true;
            }
        }
    };
    for (const auto &c : program.claims) {
        if (program.decl(c.decl).module == module) {
            mark(c.supported_by);
        }
    }
    for (const auto &s : program.strategies) {
        if (program.decl(s.decl).module == module) {
            mark(s.supported_by);
        }
    }
    for (const auto &df : program.defeaters) {
        if (program.decl(df.decl).module == module) {
            mark(df.resolved_by);
        }
    }
    std::vector<DeclId> roots;
    for (const auto &c : program.claims) {
        if (program.decl(c.decl).module == module && !used[c.decl.value]) {
            roots.push_back(c.decl);
        }
    }
    return Builder(program, result, sources, options)
        .run("module " + program.modules[module].name, roots);
}

Diagram build_case(const sema::Program &program, const prove::ProofResult &result,
                   const support::SourceManager &sources, const Options &options) {
    return Builder(program, result, sources, options).run("top claims", result.top_claims);
}

} // namespace assure::diagram
