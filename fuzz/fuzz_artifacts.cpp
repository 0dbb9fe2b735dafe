// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as an artifact (src/artifacts/reader.hpp), read in every
// format with a few selectors: JSON Pointers into the shapes of the pipeline fixtures, CSV cells
// and aggregates, every JUnit count, the last and a chosen MLflow step, a monitor log's counts
// (its hash chain verified first), and each format's result. Every read must give a value or a
// one-line error (never both, never neither), and the same bytes must give the same outcome twice.
#include "artifacts/reader.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace assure::artifacts;

[[noreturn]] void fail(const char *what, const Selector &s, const std::string &detail) {
    std::fprintf(stderr, "artifact reader property failed: %s\nselector: %s\n%s\n", what,
                 s.describe().c_str(), detail.c_str());
    std::abort();
}

std::vector<Selector> selectors() {
    std::vector<Selector> out;
    for (const char *ptr :
         {"", "/results/hellaswag/acc,none", "/eval/recall/fog", "/a/0", "/0", "/r", "/a~1b/~0"}) {
        Selector s;
        s.format = Format::Json;
        s.pointer = ptr;
        out.push_back(s);
    }
    for (Aggregate a : {Aggregate::One, Aggregate::Min, Aggregate::Max, Aggregate::Mean,
                        Aggregate::Sum, Aggregate::Count}) {
        Selector s;
        s.format = Format::Csv;
        s.aggregate = a;
        s.column = "recall";
        s.rows = {{"condition", "fog"}};
        out.push_back(s);
        s.rows.clear();
        s.column = "v";
        out.push_back(s);
    }
    for (JunitCount c :
         {JunitCount::Tests, JunitCount::Failures, JunitCount::Errors, JunitCount::Skipped}) {
        Selector s;
        s.format = Format::Junit;
        s.count = c;
        out.push_back(s);
    }
    Selector m;
    m.format = Format::Mlflow;
    out.push_back(m);
    m.step = 2;
    out.push_back(m);
    for (MonitorMeasure measure : {MonitorMeasure::NoViolation, MonitorMeasure::Rate,
                                   MonitorMeasure::Violations, MonitorMeasure::Episodes}) {
        Selector s;
        s.format = Format::Monitor;
        s.measure = measure;
        s.claim = "ship.G_fog";
        out.push_back(s);
        s.within_days = 30;
        out.push_back(s);
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static const std::vector<Selector> all = selectors();
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    ReadContext at;
    at.day = 20780; // 2026-11-23: monitor logs are read relative to a date
    for (const Selector &s : all) {
        const Outcome out = read_number(bytes, s, at);
        if (out.value.has_value() == !out.error.empty()) {
            fail("read_number gave a value and an error, or neither", s, out.error);
        }
        if (out.error.find('\n') != std::string::npos) {
            fail("the error is more than one line", s, out.error);
        }
        if (out.value && out.value->divisor == 0) {
            fail("a zero divisor", s, out.value->text);
        }
        const Outcome again = read_number(bytes, s, at);
        if (again.error != out.error || (out.value && (again.value->value != out.value->value ||
                                                       again.value->text != out.value->text))) {
            fail("two reads of the same bytes differ", s, out.error + " / " + again.error);
        }
        const ResultOutcome r = read_result(bytes, s, at);
        if (r.result.has_value() == !r.error.empty() || r.error.find('\n') != std::string::npos) {
            fail("read_result gave a result and an error, or neither", s, r.error);
        }
    }
    return 0;
}
