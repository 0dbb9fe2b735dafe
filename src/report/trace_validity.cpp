// SPDX-License-Identifier: Apache-2.0
// validity.json: the parts of a verdict that are not SMT, as records a reader can check against
// the case (docs/json.md, "validity.json").
#include "prove/defeaters.hpp"
#include "report/proof_parts.hpp"
#include "report/trace_parts.hpp"

namespace assure::report::detail {

using nlohmann::ordered_json;
using sema::DeclId;

namespace {

/// {"at": "file:line", "location": {...}} of a span; both null when there is none.
void put_at(ordered_json &j, const support::SourceManager &sources, support::Span span) {
    if (!span.valid()) {
        j["at"] = nullptr;
        j["location"] = nullptr;
        return;
    }
    j["at"] = prove::line_of(sources, span);
    j["location"] = location_json(sources, span);
}

ordered_json date_or_null(const std::optional<sema::Date> &d) {
    return d ? ordered_json(prove::format_date(*d)) : ordered_json(nullptr);
}

} // namespace

std::string render_validity_json(const sema::Program &program, const prove::ProofResult &result,
                                 const support::SourceManager &sources) {
    ordered_json root;
    root["format"] = "assure-validity";
    root["version"] = 1;
    root["date"] = prove::format_date(result.date);

    auto evidence = ordered_json::array();
    for (std::uint32_t ei = 0; ei < program.evidence.size(); ++ei) {
        const auto &e = program.evidence[ei];
        const bool fresh = result.overrides.reverified.count(ei) != 0;
        ordered_json j;
        j["name"] = program.qualified_name(e.decl);
        put_at(j, sources, program.decl(e.decl).name_span);
        ordered_json res;
        res["written"] = e.result_read != sema::kNone ? ordered_json(nullptr)
                                                      : ordered_json(prove::result_name(e.result));
        res["judged"] = prove::evidence_result_text(program, result, ei);
        res["source"] = fresh                                    ? "re-verified"
                        : result.overrides.result.count(ei) != 0 ? "what-if"
                        : e.result_read != sema::kNone           ? "read"
                                                                 : "written";
        j["result"] = std::move(res);
        ordered_json date;
        date["value"] = date_or_null(e.date);
        put_at(date, sources, e.date_span);
        date["after_date_judged"] = e.date ? ordered_json(result.date < *e.date) : nullptr;
        j["date"] = std::move(date);
        ordered_json until;
        const auto over = result.overrides.valid_until.find(ei);
        const std::optional<sema::Date> valid_until = over != result.overrides.valid_until.end()
                                                          ? std::optional<sema::Date>(over->second)
                                                          : e.valid_until;
        until["value"] = date_or_null(valid_until);
        until["source"] = over != result.overrides.valid_until.end() ? "what-if" : "written";
        put_at(until, sources, e.valid_until_span);
        until["expired"] =
            valid_until && !fresh ? ordered_json(*valid_until < result.date) : ordered_json(false);
        j["valid_until"] = std::move(until);
        j["withdrawn"] = result.overrides.withdrawn.count(ei) != 0;
        j["reverified"] = fresh;
        auto arts = ordered_json::array();
        for (DeclId a : e.artifacts) {
            const auto &c = result.artifacts[program.decl(a).index];
            arts.push_back({{"name", program.qualified_name(a)},
                            {"state", prove::artifact_state_name(c.state)}});
        }
        j["artifacts"] = std::move(arts);
        auto reads = ordered_json::array();
        auto add_read = [&](const std::string &what, std::uint32_t read) {
            ordered_json rj;
            rj["for"] = what;
            put_at(rj, sources, program.reads[read].span);
            rj.update(read_json(program, result, read));
            reads.push_back(std::move(rj));
        };
        if (e.result_read != sema::kNone) {
            add_read("result", e.result_read);
        }
        for (const auto &metric : e.metrics) {
            if (metric.read != sema::kNone) {
                add_read("metric " + metric.name, metric.read);
            }
        }
        j["reads"] = std::move(reads);
        j["validity"] = prove::evidence_status_name(result.status(e.decl));
        j["reasons"] = reasons_json(program, result.elements[e.decl.value]);
        evidence.push_back(std::move(j));
    }
    root["evidence"] = std::move(evidence);

    auto artifacts = ordered_json::array();
    for (std::uint32_t ai = 0; ai < program.artifacts.size(); ++ai) {
        const auto &a = program.artifacts[ai];
        const auto &c = result.artifacts[ai];
        ordered_json j;
        j["name"] = program.qualified_name(a.decl);
        put_at(j, sources, program.decl(a.decl).name_span);
        j["path"] = c.path;
        j["recorded_sha256"] = a.sha256.empty() ? ordered_json(nullptr) : ordered_json(a.sha256);
        j["actual_sha256"] = c.actual.empty() ? ordered_json(nullptr) : ordered_json(c.actual);
        j["state"] = prove::artifact_state_name(c.state);
        j["changed_by_what_if"] = result.overrides.artifact_changed.count(ai) != 0;
        j["error"] = c.error.empty() ? ordered_json(nullptr) : ordered_json(c.error);
        artifacts.push_back(std::move(j));
    }
    root["artifacts"] = std::move(artifacts);

    auto defeaters = ordered_json::array();
    const auto accounts = prove::defeater_accounts(program, result);
    for (std::uint32_t di = 0; di < program.defeaters.size(); ++di) {
        ordered_json j = defeater_json(program, result, di, accounts[di]);
        put_at(j, sources, program.decl(program.defeaters[di].decl).name_span);
        defeaters.push_back(std::move(j));
    }
    root["defeaters"] = std::move(defeaters);

    auto hazards = ordered_json::array();
    for (std::uint32_t h = 0; h < program.hazards.size() && h < result.hazards.size(); ++h) {
        const auto &hz = program.hazards[h];
        const auto &risk = result.hazards[h];
        ordered_json j = hazard_json(program, result, sources, h);
        put_at(j, sources, program.decl(hz.decl).name_span);
        // The matrix lookup: severity (row) x likelihood (column) -> level, then the residual.
        ordered_json lookup = nullptr;
        auto demands = ordered_json::array();
        if (risk.rated && risk.level != sema::kNone) {
            const auto &mx = program.matrices[program.decl(hz.matrix).index];
            const auto &levels = program.scales[mx.levels].values;
            const auto &columns = program.scales[mx.columns].values;
            lookup = ordered_json::object();
            lookup["matrix"] = program.qualified_name(hz.matrix);
            put_at(lookup, sources, program.decl(hz.matrix).name_span);
            lookup["severity"] = program.scales[hz.severity->scale].values[hz.severity->value];
            lookup["severity_at"] = prove::line_of(sources, hz.severity_span);
            lookup["likelihood"] = columns[hz.likelihood->value];
            lookup["likelihood_at"] = prove::line_of(sources, hz.likelihood_span);
            lookup["level"] = levels[risk.level];
            lookup["steps_lowered"] = risk.step;
            lookup["residual_likelihood"] = columns[risk.residual_likelihood];
            lookup["residual_level"] = levels[risk.residual];
            lookup["accept"] = mx.accept ? ordered_json(levels[*mx.accept]) : ordered_json(nullptr);
            lookup["residual_acceptable"] =
                mx.accept ? ordered_json(risk.residual <= *mx.accept) : ordered_json(nullptr);
            for (const auto &d : mx.demands) {
                if (d.level != risk.level) {
                    continue;
                }
                ordered_json dj;
                dj["level"] = levels[d.level];
                put_at(dj, sources, d.span);
                dj["lines"] = d.lines;
                auto kinds = ordered_json::array();
                for (auto k : d.kinds) {
                    kinds.push_back(
                        std::string(sema::evidence_kind_words()[static_cast<std::size_t>(k) - 1]));
                }
                dj["kinds"] = std::move(kinds);
                dj["review"] = d.review == sema::Independence::None
                                   ? ordered_json(nullptr)
                                   : ordered_json(sema::independence_word(d.review));
                dj["max_age"] = d.max_age ? ordered_json(*d.max_age) : ordered_json(nullptr);
                auto verdicts = ordered_json::array();
                for (DeclId c : risk.mitigations) {
                    ordered_json vj;
                    vj["claim"] = program.qualified_name(c);
                    vj["verdict"] = "met";
                    vj["message"] = nullptr;
                    for (const auto &f : risk.findings) {
                        if (f.kind == prove::RiskFinding::Kind::DemandUnmet && f.claim == c) {
                            vj["verdict"] =
                                f.status == prove::Status::Unknown ? "unknown" : "unmet";
                            vj["message"] = f.text;
                        }
                    }
                    verdicts.push_back(std::move(vj));
                }
                dj["claims"] = std::move(verdicts);
                demands.push_back(std::move(dj));
            }
        }
        j["lookup"] = std::move(lookup);
        j["demands"] = std::move(demands);
        hazards.push_back(std::move(j));
    }
    root["hazards"] = std::move(hazards);
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace assure::report::detail
