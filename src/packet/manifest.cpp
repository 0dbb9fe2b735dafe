// SPDX-License-Identifier: Apache-2.0
#include "packet/manifest.hpp"

#include "packet/archive.hpp"
#include "support/sha256.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace assure::packet {

namespace {

using nlohmann::ordered_json;

std::string dump(const ordered_json &j) {
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

ordered_json settings_json(const ProofSettings &s) {
    ordered_json j;
    j["files"] = s.files;
    j["include"] = s.include_dirs;
    j["stdlib"] = "stdlib";
    j["timeout_ms"] = s.timeout_ms;
    j["rlimit"] = s.rlimit;
    j["z3_only"] = s.z3_only;
    j["strict_artifacts"] = s.strict_artifacts;
    j["require_artifacts"] = s.require_artifacts;
    return j;
}

ordered_json verdict_json(const VerdictCounts &v) {
    ordered_json j;
    j["exit_code"] = v.exit_code;
    j["top_claims"] = v.top_claims;
    j["supported"] = v.supported;
    j["unsupported"] = v.unsupported;
    j["undeveloped"] = v.undeveloped;
    j["unknown"] = v.unknown;
    return j;
}

ordered_json optional_json(const std::optional<std::string> &v) {
    return v ? ordered_json(*v) : ordered_json(nullptr);
}

bool is_sha256(const std::string &s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

/// Field readers that record the first problem.
struct Fields {
    std::string &error;
    bool ok = true;
    void fail(std::string why) {
        if (ok) {
            error = std::move(why);
        }
        ok = false;
    }
    const ordered_json *get(const ordered_json &obj, const char *key, const std::string &where) {
        if (!obj.is_object() || !obj.contains(key)) {
            fail(where + " has no `" + key + "`");
            return nullptr;
        }
        return &obj.at(key);
    }
    std::string str(const ordered_json &obj, const char *key, const std::string &where) {
        const auto *v = get(obj, key, where);
        if (v == nullptr || !v->is_string()) {
            fail(where + ": `" + key + "` is not a string");
            return {};
        }
        return v->get<std::string>();
    }
    std::uint64_t num(const ordered_json &obj, const char *key, const std::string &where) {
        const auto *v = get(obj, key, where);
        if (v == nullptr || !v->is_number_unsigned()) {
            fail(where + ": `" + key + "` is not a whole number");
            return 0;
        }
        return v->get<std::uint64_t>();
    }
    bool flag(const ordered_json &obj, const char *key, const std::string &where) {
        const auto *v = get(obj, key, where);
        if (v == nullptr || !v->is_boolean()) {
            fail(where + ": `" + key + "` is not true or false");
            return false;
        }
        return v->get<bool>();
    }
    std::vector<std::string> paths(const ordered_json &obj, const char *key,
                                   const std::string &where) {
        std::vector<std::string> out;
        const auto *v = get(obj, key, where);
        if (v == nullptr || !v->is_array()) {
            fail(where + ": `" + key + "` is not a list");
            return out;
        }
        for (const auto &p : *v) {
            if (!p.is_string() || !is_safe_member_path(p.get<std::string>())) {
                fail(where + ": `" + key + "` holds something that is not a safe relative path");
                return out;
            }
            out.push_back(p.get<std::string>());
        }
        return out;
    }
};

} // namespace

std::string render_manifest(const Manifest &m) {
    std::vector<ManifestFile> files = m.files;
    std::sort(files.begin(), files.end(),
              [](const ManifestFile &l, const ManifestFile &r) { return l.path < r.path; });
    std::vector<WithheldArtifact> withheld = m.withheld;
    std::sort(withheld.begin(), withheld.end(),
              [](const WithheldArtifact &l, const WithheldArtifact &r) { return l.path < r.path; });
    ordered_json j;
    j["format"] = "assure-packet";
    j["version"] = 1;
    j["generator"] = "assure export";
    j["assure_version"] = m.assure_version;
    j["z3_version"] = m.z3_version;
    j["judged_at"] = m.judged_at;
    j["options"] = settings_json(m.settings);
    j["verdict"] = verdict_json(m.verdict);
    j["artifacts"] = m.artifacts_included ? "included" : "withheld";
    auto list = ordered_json::array();
    for (const auto &f : files) {
        list.push_back(
            {{"path", f.path}, {"role", f.role}, {"size", f.size}, {"sha256", f.sha256}});
    }
    j["files"] = std::move(list);
    auto held = ordered_json::array();
    for (const auto &w : withheld) {
        held.push_back({{"path", w.path},
                        {"size", w.size ? ordered_json(*w.size) : ordered_json(nullptr)},
                        {"sha256", optional_json(w.sha256)}});
    }
    j["withheld_artifacts"] = std::move(held);
    return dump(j);
}

std::optional<Manifest> parse_manifest(std::string_view text, std::string &error) {
    const auto j = ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
        error = "manifest.json is not a JSON object";
        return std::nullopt;
    }
    if (j.value("format", std::string()) != "assure-packet") {
        error = "manifest.json is not an assure packet manifest (no \"format\": \"assure-packet\")";
        return std::nullopt;
    }
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != 1) {
        error = "manifest.json is of a format version this assure does not read (it reads 1)";
        return std::nullopt;
    }
    Fields f{error};
    Manifest m;
    m.assure_version = f.str(j, "assure_version", "manifest.json");
    m.z3_version = f.str(j, "z3_version", "manifest.json");
    m.judged_at = f.str(j, "judged_at", "manifest.json");
    if (const auto *o = f.get(j, "options", "manifest.json")) {
        const std::string where = "manifest.json's options";
        m.settings.files = f.paths(*o, "files", where);
        m.settings.include_dirs = f.paths(*o, "include", where);
        if (f.str(*o, "stdlib", where) != "stdlib" && f.ok) {
            f.fail(where + ": `stdlib` is not \"stdlib\"");
        }
        const std::uint64_t timeout = f.num(*o, "timeout_ms", where);
        const std::uint64_t rlimit = f.num(*o, "rlimit", where);
        if (timeout == 0 || timeout > 3600000 || rlimit > 0xffffffffu) {
            f.fail(where + ": `timeout_ms` or `rlimit` is out of range");
        }
        m.settings.timeout_ms = static_cast<unsigned>(timeout);
        m.settings.rlimit = static_cast<unsigned>(rlimit);
        m.settings.z3_only = f.flag(*o, "z3_only", where);
        m.settings.strict_artifacts = f.flag(*o, "strict_artifacts", where);
        m.settings.require_artifacts = f.flag(*o, "require_artifacts", where);
        if (f.ok && m.settings.files.empty()) {
            f.fail(where + ": `files` is empty");
        }
    }
    if (const auto *v = f.get(j, "verdict", "manifest.json")) {
        const std::string where = "manifest.json's verdict";
        const auto *code = f.get(*v, "exit_code", where);
        if (code != nullptr && code->is_number_integer()) {
            m.verdict.exit_code = code->get<int>();
        } else {
            f.fail(where + ": `exit_code` is not a number");
        }
        m.verdict.top_claims = f.num(*v, "top_claims", where);
        m.verdict.supported = f.num(*v, "supported", where);
        m.verdict.unsupported = f.num(*v, "unsupported", where);
        m.verdict.undeveloped = f.num(*v, "undeveloped", where);
        m.verdict.unknown = f.num(*v, "unknown", where);
    }
    const std::string artifacts = f.str(j, "artifacts", "manifest.json");
    if (f.ok && artifacts != "included" && artifacts != "withheld") {
        f.fail("manifest.json: `artifacts` is neither \"included\" nor \"withheld\"");
    }
    m.artifacts_included = artifacts == "included";
    std::set<std::string> seen;
    if (const auto *files = f.get(j, "files", "manifest.json"); files && files->is_array()) {
        for (const auto &e : *files) {
            ManifestFile mf;
            mf.path = f.str(e, "path", "a file of manifest.json");
            mf.role = f.str(e, "role", "file `" + mf.path + "` of manifest.json");
            mf.size = f.num(e, "size", "file `" + mf.path + "` of manifest.json");
            mf.sha256 = f.str(e, "sha256", "file `" + mf.path + "` of manifest.json");
            if (!f.ok) {
                break;
            }
            if (!is_safe_member_path(mf.path) || !is_sha256(mf.sha256)) {
                f.fail("manifest.json lists `" + mf.path +
                       "` with an unsafe path or a sha256 that is not 64 hex digits");
            } else if (!seen.insert(mf.path).second || mf.path == kManifestFile ||
                       mf.path == kStatementFile || mf.path == "manifest.sig") {
                f.fail("manifest.json lists `" + mf.path + "` twice or lists itself");
            }
            m.files.push_back(std::move(mf));
        }
    } else if (f.ok) {
        f.fail("manifest.json: `files` is not a list");
    }
    if (const auto *held = f.get(j, "withheld_artifacts", "manifest.json");
        held && held->is_array()) {
        for (const auto &e : *held) {
            WithheldArtifact w;
            w.path = f.str(e, "path", "a withheld artifact of manifest.json");
            if (!f.ok) {
                break;
            }
            if (e.contains("size") && e["size"].is_number_unsigned()) {
                w.size = e["size"].get<std::uint64_t>();
            }
            if (e.contains("sha256") && e["sha256"].is_string()) {
                w.sha256 = e["sha256"].get<std::string>();
            }
            m.withheld.push_back(std::move(w));
        }
    } else if (f.ok) {
        f.fail("manifest.json: `withheld_artifacts` is not a list");
    }
    if (!f.ok) {
        return std::nullopt;
    }
    if (render_manifest(m) != text) {
        error = "manifest.json is not in the form assure writes (a byte was added, removed or "
                "changed: white space, order or an unknown field)";
        return std::nullopt;
    }
    return m;
}

std::string render_statement(const Manifest &m, std::string_view manifest_text) {
    std::vector<std::pair<std::string, std::string>> subjects;
    for (const auto &f : m.files) {
        subjects.emplace_back(f.path, f.sha256);
    }
    const std::string manifest_digest = support::sha256_hex(manifest_text);
    subjects.emplace_back(std::string(kManifestFile), manifest_digest);
    std::sort(subjects.begin(), subjects.end());
    ordered_json j;
    j["_type"] = std::string(kStatementType);
    auto subject = ordered_json::array();
    for (const auto &[name, digest] : subjects) {
        subject.push_back({{"name", name}, {"digest", {{"sha256", digest}}}});
    }
    j["subject"] = std::move(subject);
    j["predicateType"] = std::string(kPredicateType);
    ordered_json p;
    p["manifest"] = {{"name", std::string(kManifestFile)},
                     {"digest", {{"sha256", manifest_digest}}}};
    p["assure_version"] = m.assure_version;
    p["z3_version"] = m.z3_version;
    p["judged_at"] = m.judged_at;
    p["options"] = settings_json(m.settings);
    p["verdict"] = verdict_json(m.verdict);
    p["artifacts"] = m.artifacts_included ? "included" : "withheld";
    auto held = ordered_json::array();
    std::vector<WithheldArtifact> withheld = m.withheld;
    std::sort(withheld.begin(), withheld.end(),
              [](const WithheldArtifact &l, const WithheldArtifact &r) { return l.path < r.path; });
    for (const auto &w : withheld) {
        ordered_json d = ordered_json::object();
        if (w.sha256) {
            d["sha256"] = *w.sha256;
        }
        held.push_back({{"name", w.path}, {"digest", std::move(d)}});
    }
    p["withheld_artifacts"] = std::move(held);
    j["predicate"] = std::move(p);
    return dump(j);
}

} // namespace assure::packet
