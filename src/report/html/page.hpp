// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to src/report/html: the page being written and the pieces of it (summary.cpp,
// sections.cpp, words.cpp, page.cpp).

#include "prove/defeaters.hpp"
#include "report/html/escape.hpp"
#include "report/html/html.hpp"
#include "report/proof_parts.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace assure::report::html::detail {

/// The CSS class of a status's colour: "s-ok", "s-unk", "s-undev", "s-bad".
const char *status_class(prove::Status s);

/// Whether elements of `kind` have a place on the page to link to (a section or a table row).
bool has_anchor(sema::DeclKind kind);

/// The page under construction, with what its parts look up.
struct Page {
    Page(const sema::Program &p, const prove::ProofResult &r, const support::SourceManager &s,
         const ProofMeta &m, const HtmlOptions &o);

    const sema::Program &prog;
    const prove::ProofResult &res;
    const support::SourceManager &sources;
    const ProofMeta &meta;
    const HtmlOptions &options;
    bool lazy = false;
    std::string out;

    /// By DeclId: the claims and strategies that name the element in `supported_by:` (and a
    /// strategy's parent claim for the strategy), declaration order.
    std::vector<std::vector<sema::DeclId>> used_by;
    /// By DeclId: the attachments (assumptions, contexts, justifications) naming it.
    std::vector<std::vector<std::uint32_t>> attachments_of;
    /// By DeclId: the defeaters targeting it (defeater indices).
    std::vector<std::vector<std::uint32_t>> defeaters_of;
    /// By defeater index: why it is active, inactive or unknown.
    std::vector<prove::DefeaterAccount> accounts;
    /// By DeclId: the evidence listing it (artifacts), or the hazards a claim mitigates.
    std::vector<std::vector<sema::DeclId>> evidence_of;

    /// An obligation in words, for its answer line.
    report::detail::ObSummaries ob_summary{res};

    void raw(std::string_view html) { out += html; }
    void text(std::string_view t) { escape_to(out, t); }
    /// `<a href="#anchor">name</a>` for element `d` (a section, or a table row).
    void link(sema::DeclId d);
    /// A link and a badge with its status word.
    void link_status(sema::DeclId d);
    /// `<span class="badge CLASS">word</span>`.
    void badge(const char *word, const char *cls);
    /// The status badge of element `d` (claims, strategies, evidence).
    void status_badge(sema::DeclId d);
    /// Escaped source text of a span, in <code>.
    void source(support::Span span);
    /// "file:line:col" (and the pattern instance) of a span, in a <span class="loc">.
    void location(support::Span span);

    /// Starts a block that, on a lazy page with more than `threshold` rows, waits behind a
    /// "Show LABEL" button as inert data; returns whether it does (pass to close_deferred).
    bool open_deferred(std::size_t rows, const std::string &label, std::size_t threshold = 300);
    void close_deferred(bool deferred);
    /// Turns what was written since `start` into inert data (vdom.hpp): a
    /// `<script type="application/json"` element with `attributes` (` id="..."`).
    void to_data(std::size_t start, std::string_view attributes);

  private:
    std::vector<std::size_t> deferred_starts_;
};

/// The parts of the page, in order.
void summary(Page &page);
/// The History section (history.cpp): only when HtmlOptions::history is set.
void history_section(Page &page);
void diagrams(Page &page);
void top_claims(Page &page);
void risk(Page &page);
void rules(Page &page);
void defeaters(Page &page);
void element_sections(Page &page);
/// The search index: a JSON array of [anchor, name, kind, status, title, class].
void search_index(Page &page);

// ---- words (words.cpp) --------------------------------------------------------------------

/// A region in words: "the operating points of domain D (“title”) where <condition>", as HTML.
void region_words(Page &page, const sema::Region &region);
/// One solver obligation: what it asks, its answer in plain words, the counterexample point of
/// a failed step, and the assertions an unsat answer needed.
void obligation(Page &page, std::uint32_t ob);
/// Why defeater `di` is active, inactive or unknown (docs/semantics.md, "Defeaters"), as HTML.
void defeater_why(Page &page, std::uint32_t di);
/// "strategy", "claim", ... with the mode of a strategy ("all_of", "at_least 2", ...).
std::string mode_text(const sema::StrategyInfo &s);

} // namespace assure::report::html::detail
