// SPDX-License-Identifier: Apache-2.0
// Verdicts, skipped records and the summary as text and as JSON lines (docs/monitor.md,
// "Output"). JSON keys come in a fixed order (ordered_json), so equal runs give equal bytes.
#include "monitor/monitor.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace assure::monitor {

namespace {

using Json = nlohmann::ordered_json;

std::string value_text(const sema::Program &program, std::uint32_t var, const VarValue &v,
                       bool with_unit) {
    const sema::Variable &decl = program.variables[var];
    switch (v.kind) {
    case VarValue::Kind::Bool:
        return v.boolean ? "true" : "false";
    case VarValue::Kind::Enum:
        return decl.values[v.index];
    case VarValue::Kind::Number:
        return with_unit && !decl.unit.empty() ? v.text + " " + decl.unit : v.text;
    case VarValue::Kind::Absent:
        return "-";
    }
    return "-";
}

template <class Json>
Json value_json(const sema::Program &program, std::uint32_t var, const VarValue &v) {
    if (v.kind == VarValue::Kind::Bool) {
        return v.boolean;
    }
    if (v.kind == VarValue::Kind::Absent) {
        return nullptr;
    }
    // Numbers as the record wrote them, in a string: exact (a JSON number would be a double
    // for most readers).
    return value_text(program, var, v, false);
}

/// "visibility = 150 m, light = night" for the variables `vars`.
std::string values_text(const sema::Program &program, const Record &r,
                        const std::vector<std::uint32_t> &vars) {
    std::string out;
    for (std::uint32_t var : vars) {
        out += (out.empty() ? "" : ", ") + program.variables[var].name + " = " +
               value_text(program, var, r.values[var], true);
    }
    return out;
}

template <class Json>
Json values_json(const sema::Program &program, const Record &r,
                 const std::vector<std::uint32_t> &vars) {
    Json out = Json::object();
    for (std::uint32_t var : vars) {
        out[program.variables[var].name] = value_json<Json>(program, var, r.values[var]);
    }
    return out;
}

/// The variables of several conditions, ascending, each once.
std::vector<std::uint32_t> condition_vars(const Monitor &m, const std::vector<std::uint32_t> &cs) {
    std::vector<std::uint32_t> vars;
    for (std::uint32_t k : cs) {
        vars.insert(vars.end(), m.conditions()[k].vars.begin(), m.conditions()[k].vars.end());
    }
    std::sort(vars.begin(), vars.end());
    vars.erase(std::unique(vars.begin(), vars.end()), vars.end());
    return vars;
}

std::string conditions_text(const Monitor &m, const std::vector<std::uint32_t> &cs) {
    std::string out;
    for (std::size_t idx = 0; idx < cs.size(); ++idx) {
        out += (idx == 0               ? ""
                : idx + 1 == cs.size() ? " and "
                                       : ", ") +
               m.conditions()[cs[idx]].text;
    }
    return out;
}

const char *why_name(Nearest::Why w) {
    switch (w) {
    case Nearest::Why::Unsupported:
        return "unsupported";
    case Nearest::Why::AssumptionFails:
        return "assumption_fails";
    case Nearest::Why::AssumptionUnknown:
        return "assumption_undecided";
    case Nearest::Why::OutsideScope:
        return "outside_scope";
    case Nearest::Why::Violated:
        return "violated";
    case Nearest::Why::Undecided:
        return "statement_undecided";
    }
    return "outside_scope";
}

const char *verdict_word(const Verdict &v) {
    if (!v.violations.empty()) {
        return "violation";
    }
    if (!v.undecided.empty()) {
        return "undecided";
    }
    if (v.envelope == Envelope::OutsideOdd) {
        return "outside_odd";
    }
    if (v.envelope == Envelope::Unassured) {
        return "unassured";
    }
    return "nominal";
}

std::string code_id(support::Code code) {
    return std::string(support::info(code).id);
}

std::string where(const Record &r) {
    return "line " + std::to_string(r.line) + (r.id.empty() ? "" : " [" + r.id + "]");
}

} // namespace

std::string verdict_text(const Monitor &m, const Record &record, const Verdict &v) {
    const sema::Program &program = m.program();
    std::vector<std::string> parts;
    for (const Violation &viol : v.violations) {
        const MonitoredClaim &c = m.claims()[viol.claim];
        parts.push_back("violates " + c.name + " (" + values_text(program, record, c.formal_vars) +
                        ")");
    }
    for (std::uint32_t ci : v.undecided) {
        parts.push_back("undecided for " + m.claims()[ci].name +
                        " (a division by zero at this record)");
    }
    const std::string odd = m.odd().valid() ? program.qualified_name(m.odd()) : "";
    if (v.envelope == Envelope::OutsideOdd) {
        parts.push_back("outside the odd " + odd + ": fails " + conditions_text(m, v.odd_failed) +
                        " (" + values_text(program, record, condition_vars(m, v.odd_failed)) + ")");
    } else if (v.envelope == Envelope::Unassured && !v.nearest) {
        parts.push_back("unassured: whether it is inside the odd " + odd +
                        " is undecided (a division by zero)");
    } else if (v.envelope == Envelope::Unassured) {
        const Nearest &n = *v.nearest;
        const MonitoredClaim &c = m.claims()[n.claim];
        std::string why;
        switch (n.why) {
        case Nearest::Why::Unsupported:
            why = "its scope contains the point but it is " +
                  std::string(prove::verdict_name(c.status));
            if (!c.causes.empty()) {
                why += ": " + c.causes.front();
                if (c.causes.size() > 1) {
                    why += " (and " + std::to_string(c.causes.size() - 1) + " more root causes)";
                }
            }
            break;
        case Nearest::Why::AssumptionFails:
        case Nearest::Why::AssumptionUnknown:
            if (n.missed.empty()) {
                why = "its scope contains the point but its support rests on more assumptions "
                      "than the proof could track";
                break;
            }
            why = std::string("its scope contains the point but an assumption its support relies "
                              "on ") +
                  (n.why == Nearest::Why::AssumptionFails ? "is false" : "is undecided") +
                  " here: " + conditions_text(m, n.missed) + " (" +
                  values_text(program, record, condition_vars(m, n.missed)) + ")";
            break;
        case Nearest::Why::Violated:
            why = "its scope contains the point but the record violates it";
            break;
        case Nearest::Why::Undecided:
            why = "its scope contains the point but its statement is undecided here";
            break;
        case Nearest::Why::OutsideScope:
            why = "the point misses " + conditions_text(m, n.missed) + " (" +
                  values_text(program, record, condition_vars(m, n.missed)) + ")";
            if (c.status != prove::Status::Supported) {
                why += ", and the claim is " + std::string(prove::verdict_name(c.status));
            }
            break;
        }
        parts.push_back("unassured: nearest claim " + c.name + ": " + why);
    }
    std::string out = where(record) + ": ";
    for (std::size_t idx = 0; idx < parts.size(); ++idx) {
        out += (idx == 0 ? "" : "; ") + parts[idx];
    }
    if (parts.empty() && v.envelope == Envelope::Assured) {
        std::string by;
        for (std::uint32_t ci : v.assured_by) {
            by += (by.empty() ? "" : ", ") + m.claims()[ci].name;
        }
        out += "assured by " + by;
    } else if (parts.empty()) {
        out += "nominal";
    }
    return out;
}

/// The verdict as a JSON tree: ordered (the printed line) or sorted (the log's entry).
template <class Json> Json verdict_tree(const Monitor &m, const Record &record, const Verdict &v) {
    const sema::Program &program = m.program();
    Json j;
    j["line"] = record.line;
    if (!record.id.empty()) {
        j["id"] = record.id;
    }
    j["domain"] = program.qualified_name(m.domain());
    j["verdict"] = verdict_word(v);
    Json viol = Json::array();
    for (const Violation &x : v.violations) {
        const MonitoredClaim &c = m.claims()[x.claim];
        viol.push_back(
            Json{{"claim", c.name}, {"values", values_json<Json>(program, record, c.formal_vars)}});
    }
    j["violations"] = std::move(viol);
    Json und = Json::array();
    for (std::uint32_t ci : v.undecided) {
        und.push_back(m.claims()[ci].name);
    }
    j["undecided"] = std::move(und);
    if (m.odd().valid()) {
        j["odd"] = program.qualified_name(m.odd());
        j["envelope"] = envelope_name(v.envelope);
        if (v.envelope == Envelope::OutsideOdd) {
            Json failed = Json::array();
            for (std::uint32_t k : v.odd_failed) {
                failed.push_back(Json{{"condition", m.conditions()[k].text},
                                      {"at", m.conditions()[k].location}});
            }
            j["odd_failed"] = std::move(failed);
            j["values"] = values_json<Json>(program, record, condition_vars(m, v.odd_failed));
        }
        if (v.envelope == Envelope::Assured) {
            Json by = Json::array();
            for (std::uint32_t ci : v.assured_by) {
                by.push_back(m.claims()[ci].name);
            }
            j["assured_by"] = std::move(by);
        }
        if (v.nearest) {
            const Nearest &n = *v.nearest;
            const MonitoredClaim &c = m.claims()[n.claim];
            Json near;
            near["claim"] = c.name;
            near["status"] = prove::verdict_name(c.status);
            near["why"] = why_name(n.why);
            Json missed = Json::array();
            for (std::uint32_t k : n.missed) {
                missed.push_back(Json{{"condition", m.conditions()[k].text},
                                      {"at", m.conditions()[k].location}});
            }
            near["missed"] = std::move(missed);
            near["values"] = values_json<Json>(program, record, condition_vars(m, n.missed));
            near["root_causes"] = c.causes;
            j["nearest"] = std::move(near);
        }
    }
    return j;
}

std::string verdict_json(const Monitor &m, const Record &record, const Verdict &v) {
    return verdict_tree<Json>(m, record, v).dump(-1, ' ', false, Json::error_handler_t::replace);
}

nlohmann::json verdict_object(const Monitor &m, const Record &record, const Verdict &v) {
    return verdict_tree<nlohmann::json>(m, record, v);
}

std::string error_text(const RecordError &e) {
    return "line " + std::to_string(e.line) + (e.id.empty() ? "" : " [" + e.id + "]") +
           ": skipped: error[" + code_id(e.code) + "]: " + e.message;
}

std::string error_json(const RecordError &e) {
    Json j;
    j["line"] = e.line;
    if (!e.id.empty()) {
        j["id"] = e.id;
    }
    j["verdict"] = "skipped";
    j["code"] = code_id(e.code);
    j["error"] = e.message;
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void Summary::add(const Verdict &v, std::size_t claims) {
    ++records;
    violations_by_claim.resize(claims, 0);
    nominal += v.nominal() ? 1 : 0;
    with_violations += v.violations.empty() ? 0 : 1;
    undecided += v.undecided.empty() ? 0 : 1;
    for (const Violation &x : v.violations) {
        ++violations_by_claim[x.claim];
    }
    outside_odd += v.envelope == Envelope::OutsideOdd ? 1 : 0;
    unassured += v.envelope == Envelope::Unassured ? 1 : 0;
    assured += v.envelope == Envelope::Assured ? 1 : 0;
}

void Summary::add(const RecordError &e) {
    ++skipped;
    ++skipped_by_code[e.code];
}

std::string summary_text(const Monitor &m, const Summary &s) {
    const sema::Program &program = m.program();
    auto n = [](std::uint64_t v) { return std::to_string(v); };
    const std::uint64_t total = s.records + s.skipped;
    std::string out = "summary: " + n(total) + (total == 1 ? " record of " : " records of ") +
                      program.qualified_name(m.domain()) + ": " + n(s.nominal) + " nominal, " +
                      n(s.with_violations) + " with violations, " + n(s.undecided) +
                      " undecided, " + n(s.skipped) + " skipped\n";
    if (m.formal_count() > 0) {
        out += "  violations by claim:\n";
        std::size_t width = 0;
        for (const auto &c : m.claims()) {
            width = c.has_formal ? std::max(width, c.name.size()) : width;
        }
        for (std::size_t ci = 0; ci < m.claims().size(); ++ci) {
            const auto &c = m.claims()[ci];
            if (c.has_formal) {
                const std::uint64_t count =
                    ci < s.violations_by_claim.size() ? s.violations_by_claim[ci] : 0;
                out +=
                    "    " + c.name + std::string(width - c.name.size() + 2, ' ') + n(count) + "\n";
            }
        }
    }
    if (m.odd().valid()) {
        out += "  envelope (odd " + program.qualified_name(m.odd()) + "): " + n(s.assured) +
               " assured, " + n(s.unassured) + " unassured, " + n(s.outside_odd) +
               " outside the odd\n";
    }
    if (!s.skipped_by_code.empty()) {
        out += "  skipped:";
        for (const auto &[code, count] : s.skipped_by_code) {
            out += std::string(" ") + code_id(code) + " " + n(count);
        }
        out += "\n";
    }
    return out;
}

std::string summary_json(const Monitor &m, const Summary &s) {
    const sema::Program &program = m.program();
    Json j;
    j["summary"] = true;
    j["domain"] = program.qualified_name(m.domain());
    j["records"] = s.records + s.skipped;
    j["nominal"] = s.nominal;
    j["with_violations"] = s.with_violations;
    j["undecided"] = s.undecided;
    j["skipped"] = s.skipped;
    Json by = Json::object();
    for (std::size_t ci = 0; ci < m.claims().size(); ++ci) {
        if (m.claims()[ci].has_formal) {
            by[m.claims()[ci].name] =
                ci < s.violations_by_claim.size() ? s.violations_by_claim[ci] : 0;
        }
    }
    j["violations_by_claim"] = std::move(by);
    if (m.odd().valid()) {
        j["odd"] = program.qualified_name(m.odd());
        j["envelope"] = Json{
            {"assured", s.assured}, {"unassured", s.unassured}, {"outside_odd", s.outside_odd}};
    }
    Json skipped = Json::object();
    for (const auto &[code, count] : s.skipped_by_code) {
        skipped[code_id(code)] = count;
    }
    j["skipped_by_code"] = std::move(skipped);
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace assure::monitor
