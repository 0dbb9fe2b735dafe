// SPDX-License-Identifier: Apache-2.0
#include "history/chain.hpp"

#include "support/sha256.hpp"

#include <nlohmann/json.hpp>

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
        j["evidence"].push_back({{"name", e.name}, {"status", e.status}, {"reasons", e.reasons}});
    }
    j["findings"] = json::array();
    for (const auto &f : r.findings) {
        j["findings"].push_back(
            {{"kind", f.kind}, {"subject", f.subject}, {"element", f.element}, {"text", f.text}});
    }
    return j;
}

} // namespace

std::string canonical(const Entry &entry) {
    json j;
    j["format"] = "assure-history-entry";
    j["version"] = 1;
    j["seq"] = entry.seq;
    j["kind"] = entry.kind;
    j["prev_hash"] = entry.prev_hash;
    j["run"] = run_json(entry.run);
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
