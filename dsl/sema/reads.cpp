// SPDX-License-Identifier: Apache-2.0
// Values read from artifacts: `metric recall = read fog_report json "/fog/recall" over ...` and
// `result: read suite junit`. The grammar keeps a read source's selector as a list of words,
// strings, numbers and punctuation; here it becomes an artifacts::Selector, with a located
// E0209 for anything that is not one (docs/language.md, "Values read from artifacts").
#include "dsl/sema/analyzer.hpp"

#include <algorithm>
#include <array>

namespace assure::sema {
using support::Code;

namespace {

/// A cursor over a read source's items.
class Items {
  public:
    Items(const ast::ReadSource &src, support::Diagnostics &diags) : src_(src), diags_(diags) {}

    [[nodiscard]] bool done() const { return at_ == src_.items.size(); }
    [[nodiscard]] bool failed() const { return failed_; }

    /// The next item when it is the word `w` (consumed), else false.
    bool word(std::string_view w) {
        if (const auto *id = peek<ast::Ident>(); id != nullptr && id->name == w) {
            ++at_;
            return true;
        }
        return false;
    }
    /// The next item as one of `words`, or E0209 saying what was expected after `after`.
    std::optional<std::string> one_of(std::initializer_list<std::string_view> words,
                                      std::string_view after) {
        if (const auto *id = peek<ast::Ident>(); id != nullptr) {
            if (std::find(words.begin(), words.end(), id->name) != words.end()) {
                ++at_;
                return id->name;
            }
        }
        fail("expected " + list(words) + " after " + std::string(after));
        return std::nullopt;
    }
    /// The next item as a string, or E0209 naming `what`.
    std::optional<std::string> string(std::string_view what, std::string_view after) {
        if (const auto *s = peek<ast::StringLit>(); s != nullptr) {
            ++at_;
            return s->value;
        }
        fail("expected " + std::string(what) + " (a string) after " + std::string(after));
        return std::nullopt;
    }
    const ast::Ident *ident() {
        if (const auto *id = peek<ast::Ident>(); id != nullptr) {
            ++at_;
            return id;
        }
        return nullptr;
    }
    const ast::NumberLit *number() {
        if (const auto *n = peek<ast::NumberLit>(); n != nullptr) {
            ++at_;
            return n;
        }
        return nullptr;
    }
    bool punct(std::string_view p) {
        if (const auto *x = peek<ast::Punct>(); x != nullptr && x->text == p) {
            ++at_;
            return true;
        }
        return false;
    }

    /// Reports E0209 at the next item (or the end of the source): once per source.
    void fail(const std::string &message) {
        report(done() ? support::Span{src_.span.file, src_.span.end, src_.span.end}
                      : span_of(src_.items[at_]),
               message, done() ? "the selector ends here" : "not expected here");
    }
    /// Reports E0209 at the item just consumed.
    void fail_last(const std::string &message) {
        report(at_ == 0 ? src_.span : span_of(src_.items[at_ - 1]), message, "here");
    }

  private:
    void report(support::Span where, const std::string &message, const char *label) {
        if (failed_) {
            return;
        }
        failed_ = true;
        auto &d = diags_.error(Code::E0209, where, message, label);
        d.help =
            "a read source is `read ARTIFACT json \"/json/pointer\"`, `read ARTIFACT csv "
            "\"COLUMN\" row \"KEY\" = \"VALUE\"`, `read ARTIFACT csv min|max|mean|sum "
            "\"COLUMN\" rows ...`, `read ARTIFACT csv count rows ...`, `read ARTIFACT junit "
            "tests|failures|errors|skipped`, `read ARTIFACT mlflow [step N]` or `read ARTIFACT "
            "monitor no violation of CLAIM|rate of CLAIM|violations of CLAIM|episodes "
            "[within N days]` (docs/language.md)";
    }

    template <typename T> const T *peek() const {
        return done() ? nullptr : boost::get<T>(&src_.items[at_]);
    }
    static support::Span span_of(const ast::ReadItem &item) {
        return boost::apply_visitor([](const auto &x) { return x.span; }, item);
    }
    static std::string list(std::initializer_list<std::string_view> words) {
        std::string out;
        std::size_t i = 0;
        for (std::string_view w : words) {
            out += (i == 0                  ? ""
                    : i + 1 == words.size() ? " or "
                                            : ", ") +
                   ("`" + std::string(w)) + "`";
            ++i;
        }
        return out;
    }

    const ast::ReadSource &src_;
    support::Diagnostics &diags_;
    std::size_t at_ = 0;
    bool failed_ = false;
};

/// Why `pointer` is no RFC 6901 JSON Pointer, or "" (the readers' own check).
std::string json_pointer_error(const std::string &pointer) {
    artifacts::Selector sel;
    sel.pointer = pointer;
    return artifacts::selector_error(sel);
}

/// `"K" = "V" {, "K" = "V"}` after `row`/`rows`.
void read_conditions(Items &it, artifacts::Selector &sel) {
    do {
        artifacts::Condition c;
        auto column = it.string("a column name", "`row`/`rows` or `,`");
        if (!column) {
            return;
        }
        c.column = *column;
        if (!it.punct("=")) {
            it.fail("expected `=` after the column name \"" + c.column + "\"");
            return;
        }
        auto value = it.string("the value the column must have", "`=`");
        if (!value) {
            return;
        }
        c.value = *value;
        sel.rows.push_back(std::move(c));
    } while (it.punct(","));
}

/// `monitor ...` after the artifact: what is read, the claim (`claim`, resolved by the caller)
/// and the window (docs/monitor-log.md, "The monitor read source").
bool read_monitor(Items &it, artifacts::Selector &sel, bool result, const ast::Ident *&claim) {
    sel.format = artifacts::Format::Monitor;
    if (result) {
        if (!it.word("no")) {
            it.fail("expected `no violation of CLAIM` after `monitor` (a result read from a "
                    "monitor log)");
            return false;
        }
        if (!it.word("violation")) {
            it.fail("expected `violation of CLAIM` after `no`");
            return false;
        }
        if (!it.word("of")) {
            it.fail("expected `of` and the claim after `violation`");
            return false;
        }
        sel.measure = artifacts::MonitorMeasure::NoViolation;
    } else {
        const auto what =
            it.one_of({"rate", "violations", "episodes"}, "`monitor` (what a metric reads)");
        if (!what) {
            return false;
        }
        sel.measure = *what == "rate"         ? artifacts::MonitorMeasure::Rate
                      : *what == "violations" ? artifacts::MonitorMeasure::Violations
                                              : artifacts::MonitorMeasure::Episodes;
        if (sel.measure != artifacts::MonitorMeasure::Episodes && !it.word("of")) {
            it.fail("expected `of` and a claim after `" + *what + "`");
            return false;
        }
    }
    if (sel.measure != artifacts::MonitorMeasure::Episodes) {
        claim = it.ident();
        if (claim == nullptr) {
            it.fail("expected the claim whose violations are counted after `of`");
            return false;
        }
    }
    if (it.word("within")) {
        const ast::NumberLit *n = it.number();
        const auto v = n != nullptr ? support::Decimal::parse(n->text) : std::nullopt;
        const auto days = v ? v->to_integer() : std::nullopt;
        if (!days || *days < 1 || *days > 36600) {
            const std::string message =
                "expected a number of days (a whole number from 1 to 36600) after `within`";
            if (n != nullptr) {
                it.fail_last(message);
            } else {
                it.fail(message);
            }
            return false;
        }
        if (!it.word("days") && !it.word("day")) {
            it.fail("expected `days` after the number of days");
            return false;
        }
        sel.within_days = static_cast<std::uint32_t>(*days);
    }
    return !it.failed();
}

/// The selector proper (after the artifact), for the format named next.
bool read_selector(Items &it, artifacts::Selector &sel, bool result, const ast::Ident *&claim) {
    const auto format =
        result ? it.one_of({"json", "junit", "monitor"}, "the artifact")
               : it.one_of({"json", "csv", "junit", "mlflow", "monitor"}, "the artifact");
    if (!format) {
        return false;
    }
    if (*format == "json") {
        sel.format = artifacts::Format::Json;
        auto pointer = it.string("a JSON Pointer such as \"/results/fog/recall\"", "`json`");
        if (!pointer) {
            return false;
        }
        if (const std::string why = json_pointer_error(*pointer); !why.empty()) {
            it.fail_last(why);
            return false;
        }
        sel.pointer = *pointer;
    } else if (*format == "csv") {
        sel.format = artifacts::Format::Csv;
        static constexpr std::array<std::pair<std::string_view, artifacts::Aggregate>, 5> aggs = {{
            {"min", artifacts::Aggregate::Min},
            {"max", artifacts::Aggregate::Max},
            {"mean", artifacts::Aggregate::Mean},
            {"sum", artifacts::Aggregate::Sum},
            {"count", artifacts::Aggregate::Count},
        }};
        for (const auto &[w, a] : aggs) {
            if (it.word(w)) {
                sel.aggregate = a;
                break;
            }
        }
        if (sel.aggregate != artifacts::Aggregate::Count) {
            auto column = it.string("the column's header name", "`csv`");
            if (!column) {
                return false;
            }
            sel.column = *column;
        }
        const bool one = sel.aggregate == artifacts::Aggregate::One;
        if (it.word(one ? "row" : "rows")) {
            read_conditions(it, sel);
        } else if (it.word(one ? "rows" : "row")) {
            it.fail_last(
                one ? "a single cell is selected with `row`; `rows` selects the rows of an "
                      "aggregate (min, max, mean, sum, count)"
                    : "an aggregate selects its rows with `rows`, not `row`");
            return false;
        }
    } else if (*format == "junit") {
        sel.format = artifacts::Format::Junit;
        if (!result) {
            const auto count =
                it.one_of({"tests", "failures", "errors", "skipped"}, "`junit` (which count)");
            if (!count) {
                return false;
            }
            sel.count = *count == "tests"      ? artifacts::JunitCount::Tests
                        : *count == "failures" ? artifacts::JunitCount::Failures
                        : *count == "errors"   ? artifacts::JunitCount::Errors
                                               : artifacts::JunitCount::Skipped;
        }
    } else if (*format == "monitor") {
        return read_monitor(it, sel, result, claim);
    } else {
        sel.format = artifacts::Format::Mlflow;
        if (it.word("step")) {
            const ast::NumberLit *n = it.number();
            const auto v = n != nullptr ? support::Decimal::parse(n->text) : std::nullopt;
            const auto step = v ? v->to_integer() : std::nullopt;
            if (!step || *step < 0) {
                const std::string message =
                    "expected a step number (a whole number, 0 or more) after `step`";
                if (n != nullptr) {
                    it.fail_last(message);
                } else {
                    it.fail(message);
                }
                return false;
            }
            sel.step = static_cast<std::uint64_t>(*step);
        }
    }
    return !it.failed();
}

} // namespace

std::uint32_t Analyzer::build_read(std::uint32_t module, const ast::ReadSource &src, bool result) {
    ReadSpec spec;
    spec.span = src.span;
    spec.result = result;
    spec.artifact = resolve_ref(module, src.artifact, kinds({DeclKind::Artifact}), "read");
    Items it(src, diags_);
    const ast::Ident *claim = nullptr;
    if (!read_selector(it, spec.selector, result, claim)) {
        return kNone;
    }
    // An interval around the value, from the same file: the same kind of selector.
    const bool single = spec.selector.format == artifacts::Format::Json ||
                        (spec.selector.format == artifacts::Format::Csv &&
                         spec.selector.aggregate == artifacts::Aggregate::One);
    const bool interval = !result && single && it.word("interval");
    if (interval || (!result && single && it.word("stderr"))) {
        spec.bound = interval ? ReadSpec::Bound::Interval : ReadSpec::Bound::Stderr;
        auto other = [&](const char *what) -> std::optional<artifacts::Selector> {
            artifacts::Selector s = spec.selector;
            auto text = it.string(what, interval ? "`interval`" : "`stderr`");
            if (!text) {
                return std::nullopt;
            }
            if (s.format == artifacts::Format::Json) {
                if (const std::string why = json_pointer_error(*text); !why.empty()) {
                    it.fail_last(why);
                    return std::nullopt;
                }
                s.pointer = *text;
            } else {
                s.column = *text;
            }
            return s;
        };
        const char *what = spec.selector.format == artifacts::Format::Json
                               ? "a JSON Pointer"
                               : "a column of the same row";
        if (interval) {
            // `to` between the ends: adjacent strings would be joined into one.
            auto low = other(what);
            if (low && !it.word("to")) {
                it.fail("expected `to` between the ends of the interval");
                return kNone;
            }
            auto high = low ? other(what) : std::nullopt;
            if (!high) {
                return kNone;
            }
            spec.low = std::move(*low);
            spec.high = std::move(*high);
        } else {
            auto se = other(what);
            if (!se) {
                return kNone;
            }
            spec.low = std::move(*se);
            if (!it.word("z")) {
                it.fail("expected `z` and the multiple of the standard error after `stderr`");
                return kNone;
            }
            const ast::NumberLit *n = it.number();
            const auto z = n != nullptr ? parse_number(*n) : std::nullopt;
            if (!z || z->negative()) {
                it.fail("expected the multiple of the standard error (a number, 0 or more) "
                        "after `z`, such as 1.96 for a 95 % interval");
                return kNone;
            }
            spec.z = *z;
        }
    }
    if (!it.done()) {
        it.fail(
            single && !result
                ? "unexpected text after the selector (an interval is `interval LOW to HIGH` or "
                  "`stderr SE z Z`)"
                : "unexpected text after the selector");
        return kNone;
    }
    if (claim != nullptr) {
        // The claim whose violations a monitor log counts, by its qualified name.
        ast::QName q;
        q.span = claim->span;
        q.parts.push_back(*claim);
        const DeclId id = resolve_ref(module, q, kinds({DeclKind::Claim}), "read ... of");
        if (!id.valid()) {
            return kNone;
        }
        spec.selector.claim = prog_.qualified_name(id);
    }
    if (!spec.artifact.valid()) {
        return kNone;
    }
    prog_.reads.push_back(std::move(spec));
    return static_cast<std::uint32_t>(prog_.reads.size() - 1);
}

} // namespace assure::sema
