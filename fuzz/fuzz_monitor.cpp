// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as runtime records for `assure monitor` (src/monitor), judged
// against the fixed case tests/cli/monitor/harbour.assure, proved once: each line goes through a
// flat source (keys name variables) and through a spans source (OpenTelemetry mapping). Every
// line must give exactly one record or one error in flat mode, every verdict and error must
// render as one line, and judging must never crash or throw.
#include "dsl/loader.hpp"
#include "dsl/sema/analyze.hpp"
#include "lower/lower.hpp"
#include "monitor/monitor.hpp"
#include "prove/prove.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

namespace {

using namespace assure;

[[noreturn]] void fail(const char *what, const std::string &detail) {
    std::fprintf(stderr, "monitor property failed: %s\n%s\n", what, detail.c_str());
    std::abort();
}

struct Fixture {
    support::SourceManager sources;
    support::Diagnostics diags;
    sema::Program program;
    lower::Lowered lowered;
    prove::ProofResult result;
    std::unique_ptr<monitor::Monitor> mon;
    std::optional<monitor::RecordSource> flat, spans;

    Fixture() {
        const std::string path =
            std::string(ASSURE_SOURCE_DIR) + "/tests/cli/monitor/harbour.assure";
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        const support::FileId id = sources.add(path, text.str());
        dsl::LoadOptions opts;
        auto loaded = dsl::load_buffers({id}, opts, sources, diags);
        program = sema::analyze(loaded, sources, diags);
        if (diags.error_count() != 0) {
            fail("the fixture case has errors", path);
        }
        lowered = lower::lower_graph(program);
        prove::ProveOptions po;
        po.date = {2026, 11, 23};
        result = prove::prove(program, lowered, sources, po);
        std::string error;
        const auto setup = monitor::choose_setup(program, "", "", error);
        if (!setup) {
            fail("no setup", error);
        }
        mon = std::make_unique<monitor::Monitor>(program, sources, result, *setup);
        flat = monitor::RecordSource::make(program, setup->domain, monitor::flat_mapping(),
                                           mon->required(), error);
        const auto mapping = monitor::parse_mapping(
            R"({"spans": {"episode": "conv", "max_spans": 64}, "fields": {
                "visibility": {"select": {"gen_ai.operation.name": "invoke_agent"}, "attribute": "vis", "pick": "only"},
                "speed": {"select": {"gen_ai.tool.name": "drive"}, "argument": "/speed", "default": 0},
                "light": {"select": {"@name": "light"}, "attribute": "value", "pick": "first", "default": "day"},
                "area": {"select": {"@name": "area"}, "attribute": "value", "default": "open_sea"}}})",
            error);
        if (!mapping) {
            fail("bad mapping", error);
        }
        spans =
            monitor::RecordSource::make(program, setup->domain, *mapping, mon->required(), error);
        if (!flat || !spans) {
            fail("no record source", error);
        }
    }
};

void drain(Fixture &f, monitor::RecordSource::Output &out) {
    std::size_t r = 0;
    std::size_t e = 0;
    for (bool is_record : out.order) {
        std::string line;
        if (is_record) {
            const monitor::Record &rec = out.records[r++];
            const monitor::Verdict v = f.mon->judge(rec);
            line = monitor::verdict_json(*f.mon, rec, v) + monitor::verdict_text(*f.mon, rec, v);
        } else {
            const monitor::RecordError &err = out.errors[e++];
            line = monitor::error_json(err) + monitor::error_text(err);
        }
        if (line.find('\n') != std::string::npos) {
            fail("an output line with a newline in it", line);
        }
    }
    if (r != out.records.size() || e != out.errors.size()) {
        fail("order does not match the records and errors", "");
    }
    out.clear();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static Fixture f;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    monitor::RecordSource::Output out;
    std::uint64_t number = 0;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        const std::string_view line = text.substr(begin, end - begin);
        ++number;
        f.flat->line(number, line, out);
        const bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
        if (out.order.size() != (blank ? 0u : 1u)) {
            fail("a flat line gave other than one record or error", std::string(line));
        }
        drain(f, out);
        f.spans->line(number, line, out);
        drain(f, out);
        begin = end + 1;
    }
    f.spans->finish(out);
    drain(f, out);
    return 0;
}
