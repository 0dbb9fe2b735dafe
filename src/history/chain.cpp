// SPDX-License-Identifier: Apache-2.0
#include "history/chain.hpp"

#include "support/sha256.hpp"

#include <nlohmann/json.hpp>
#include <unordered_map>

namespace assure::history {
namespace {

using nlohmann::json; // std::map objects: keys always in byte order

json run_json(const Run &r) {
    json j;
    j["recorded_at"] = r.recorded_at;
    j["judged_at"] = r.judged_at;
    j["assure_version"] = r.assure_version;
    j["z3_version"] = r.z3_version;
    j["command"] = r.command;
    j["arguments"] = r.arguments;
    j["result"] = r.result;
    j["exit_code"] = r.exit_code;
    j["case_digest"] = r.case_digest;
    j["files"] = json::array();
    for (const auto &f : r.files) {
        j["files"].push_back({{"path", f.path}, {"sha256", f.sha256}});
    }
    j["artifacts"] = json::array();
    for (const auto &a : r.artifacts) {
        j["artifacts"].push_back(
            {{"name", a.name}, {"path", a.path}, {"sha256", a.sha256}, {"state", a.state}});
    }
    j["claims"] = json::array();
    for (const auto &c : r.claims) {
        j["claims"].push_back({{"name", c.name}, {"top", c.top}, {"verdict", c.verdict}});
    }
    j["evidence"] = json::array();
    for (const auto &e : r.evidence) {
        json ej = {{"name", e.name}, {"status", e.status}, {"reasons", e.reasons}};
        if (!e.valid_until.empty()) {
            ej["valid_until"] = e.valid_until;
        }
        if (!e.date.empty()) {
            ej["date"] = e.date;
        }
        j["evidence"].push_back(std::move(ej));
    }
    j["findings"] = json::array();
    for (const auto &f : r.findings) {
        j["findings"].push_back(
            {{"kind", f.kind}, {"subject", f.subject}, {"element", f.element}, {"text", f.text}});
    }
    // Schema v2 fields, only when set (v1 runs hash as they did).
    if (!r.defeaters.empty()) {
        j["defeaters"] = json::array();
        for (const auto &d : r.defeaters) {
            j["defeaters"].push_back({{"name", d.name},
                                      {"target", d.target},
                                      {"status", d.status},
                                      {"active", d.active}});
        }
    }
    if (!r.git_commit.empty()) {
        j["git_commit"] = r.git_commit;
    }
    if (r.trigger != 0) {
        j["trigger"] = r.trigger;
    }
    if (r.delta_of != 0) {
        j["delta_of"] = r.delta_of;
    }
    if (!r.plan_cost.empty() || !r.plan.empty()) {
        j["plan"] = r.plan;
        j["plan_cost"] = r.plan_cost;
    }
    return j;
}

json event_json(const Event &e) {
    json j;
    j["recorded_at"] = e.recorded_at;
    j["source"] = e.source;
    j["case_digest"] = e.case_digest;
    j["specs"] = e.specs;
    j["note"] = e.note;
    return j;
}

/// Replaces or appends, by name, the records of `changes` in `into`.
template <class Record> void amend(std::vector<Record> &into, const std::vector<Record> &changes) {
    std::unordered_map<std::string, std::size_t> at;
    for (std::size_t k = 0; k < into.size(); ++k) {
        at.emplace(into[k].name, k);
    }
    for (const Record &c : changes) {
        if (const auto it = at.find(c.name); it != at.end()) {
            into[it->second] = c;
        } else {
            at.emplace(c.name, into.size());
            into.push_back(c);
        }
    }
}

/// The records of `after` that are not in `before` as they are.
template <class Record>
std::vector<Record> changed(const std::vector<Record> &before, const std::vector<Record> &after) {
    // Runs of one case version list the same names in the same order: no lookup then.
    bool aligned = before.size() == after.size();
    for (std::size_t k = 0; aligned && k < after.size(); ++k) {
        aligned = before[k].name == after[k].name;
    }
    if (aligned) {
        std::vector<Record> out;
        for (std::size_t k = 0; k < after.size(); ++k) {
            if (!(before[k] == after[k])) {
                out.push_back(after[k]);
            }
        }
        return out;
    }
    std::unordered_map<std::string, const Record *> was;
    for (const Record &r : before) {
        was.emplace(r.name, &r);
    }
    std::vector<Record> out;
    for (const Record &r : after) {
        if (const auto it = was.find(r.name); it == was.end() || !(*it->second == r)) {
            out.push_back(r);
        }
    }
    return out;
}

} // namespace

void copy_header(const Run &from, Run &to) {
    to.recorded_at = from.recorded_at;
    to.judged_at = from.judged_at;
    to.assure_version = from.assure_version;
    to.z3_version = from.z3_version;
    to.command = from.command;
    to.arguments = from.arguments;
    to.result = from.result;
    to.exit_code = from.exit_code;
    to.case_digest = from.case_digest;
    to.files = from.files;
    to.findings = from.findings;
    to.git_commit = from.git_commit;
    to.trigger = from.trigger;
    to.delta_of = from.delta_of;
    to.plan_cost = from.plan_cost;
    to.plan = from.plan;
}

Run delta_run(const Run &before, std::int64_t before_seq, const Run &after) {
    Run d;
    copy_header(after, d);
    d.delta_of = before_seq;
    d.claims = changed(before.claims, after.claims);
    d.evidence = changed(before.evidence, after.evidence);
    d.artifacts = changed(before.artifacts, after.artifacts);
    d.defeaters = changed(before.defeaters, after.defeaters);
    return d;
}

std::vector<Entry> expand_deltas(std::vector<Entry> entries) {
    std::unordered_map<std::int64_t, std::size_t> at; // run seq -> index in entries
    for (std::size_t k = 0; k < entries.size(); ++k) {
        Entry &e = entries[k];
        if (!e.is_run()) {
            continue;
        }
        if (e.run.delta_of != 0) {
            if (const auto base = at.find(e.run.delta_of); base != at.end()) {
                Run full = entries[base->second].run;
                amend(full.claims, e.run.claims);
                amend(full.evidence, e.run.evidence);
                amend(full.artifacts, e.run.artifacts);
                amend(full.defeaters, e.run.defeaters);
                Run &r = e.run;
                copy_header(r, full);
                r = std::move(full);
            }
        }
        at[e.seq] = k;
    }
    return entries;
}

std::string canonical(const Entry &entry) {
    json j;
    j["format"] = "assure-history-entry";
    j["version"] = 1;
    j["seq"] = entry.seq;
    j["kind"] = entry.kind;
    j["prev_hash"] = entry.prev_hash;
    if (entry.is_event()) {
        j["event"] = event_json(entry.event);
    } else {
        j["run"] = run_json(entry.run);
    }
    // Compact, ASCII-only (\u escapes), no trailing newline: one byte string per entry.
    return j.dump(-1, ' ', /*ensure_ascii=*/true);
}

std::string entry_hash(const Entry &entry) {
    return support::sha256_hex(canonical(entry));
}

void seal(Entry &entry, const Entry *last) {
    entry.seq = last ? last->seq + 1 : 1;
    entry.prev_hash = last ? last->hash : kGenesisHash;
    entry.hash = entry_hash(entry);
}

std::optional<Break> verify_chain(const std::vector<Entry> &entries, std::int64_t head_count,
                                  const std::string &head_hash) {
    std::string prev = kGenesisHash;
    std::int64_t expected_seq = 1;
    for (const Entry &e : entries) {
        if (e.seq != expected_seq) {
            return Break{e.seq, "expected entry " + std::to_string(expected_seq) +
                                    " here: an entry was deleted, inserted or renumbered"};
        }
        if (e.prev_hash != prev) {
            return Break{e.seq, "it does not follow the entry before it (previous hash " +
                                    e.prev_hash.substr(0, 12) + "..., expected " +
                                    prev.substr(0, 12) +
                                    "...): an entry before it was deleted, inserted or reordered"};
        }
        const std::string h = entry_hash(e);
        if (h != e.hash) {
            return Break{e.seq, "its content was edited (stored hash " + e.hash.substr(0, 12) +
                                    "..., recomputed " + h.substr(0, 12) + "...)"};
        }
        prev = e.hash;
        ++expected_seq;
    }
    const auto count = static_cast<std::int64_t>(entries.size());
    if (count != head_count || (count > 0 && prev != head_hash)) {
        return Break{count + 1 <= head_count ? count + 1 : head_count,
                     "the history's head names " + std::to_string(head_count) +
                         " entries ending in hash " + head_hash.substr(0, 12) +
                         "..., but the chain has " + std::to_string(count) +
                         ": entries at its end were deleted or added without the head"};
    }
    return std::nullopt;
}

} // namespace assure::history
