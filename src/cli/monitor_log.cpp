// SPDX-License-Identifier: Apache-2.0
// `assure monitor --verify-log` (docs/monitor-log.md).
#include "cli/monitor_log.hpp"

#include "cli/front.hpp"
#include "monitorlog/verify.hpp"
#include "support/signing.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

namespace assure::cli {

namespace {

std::string plural(std::uint64_t n, const char *one, const char *many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

} // namespace

ExitCode run_verify_log(const VerifyLogOptions &options, std::ostream &out, std::ostream &err) {
    CheckOptions common;
    common.diagnostics_format = options.diagnostics_format;
    ArgDiags ad;
    monitorlog::VerifyOptions vo;
    if (!options.key.empty()) {
        std::string error;
        auto key = support::read_public_key(options.key, error);
        if (!key) {
            ad.plain(support::Code::E0856,
                     "monitor --verify-log: the key `" + options.key + "` " + error);
            return ad.emit(common, err, ExitCode::Usage);
        }
        vo.public_key_pem = std::move(*key);
    }
    const monitorlog::VerifyResult v = monitorlog::verify_log(options.log, vo);
    const bool json_out = options.format == "json";
    nlohmann::ordered_json doc;
    doc["format"] = "assure-monitor-log-verify";
    doc["version"] = 1;
    doc["intact"] = v.ok();
    if (v.problem) {
        const monitorlog::Problem &p = *v.problem;
        const support::Code code = monitorlog::problem_code(p.kind);
        const bool unreadable = p.kind == monitorlog::ProblemKind::Unreadable ||
                                p.kind == monitorlog::ProblemKind::NotALog;
        auto &d =
            ad.plain(code, options.log + (unreadable && p.line == 0 ? " " : ": ") + p.message);
        if (!unreadable) {
            d.help = (v.entries == 0 ? std::string("it is the first entry")
                      : v.entries == 1
                          ? std::string("the entry before it is intact")
                          : "the " + std::to_string(v.entries) + " entries before it are intact") +
                     "; nothing from it on can be trusted";
        }
        if (json_out) {
            doc["entries"] = v.entries;
            nlohmann::ordered_json bad;
            bad["line"] = p.line;
            if (p.seq) {
                bad["seq"] = *p.seq;
            } else {
                bad["seq"] = nullptr;
            }
            bad["kind"] = monitorlog::problem_kind_name(p.kind);
            bad["code"] = std::string(support::info(code).id);
            bad["message"] = p.message;
            doc["first_bad_entry"] = std::move(bad);
            out << doc.dump(2) << "\n";
        }
        return ad.emit(common, err, unreadable ? ExitCode::InputErrors : ExitCode::CheckFailed);
    }
    if (!v.closed) {
        auto &d = ad.plain(
            support::Code::W0114,
            options.log + ": " +
                (v.uncovered > 0
                     ? plural(v.uncovered, "entry", "entries") + " after the last checkpoint"
                     : std::string("its last checkpoint does not close it")) +
                ": the log is open, its writer stopped without closing it, or its last entries "
                "were deleted");
        d.help = "entries deleted from the end of a log are detectable only against a record of "
                 "its head kept elsewhere (an artifact's sha256, a signed checkpoint's count)";
    }
    if (!v.key.empty() && !v.signatures_checked) {
        auto &d = ad.plain(support::Code::W0115, options.log + ": the log is signed by " + v.key +
                                                     ", but its signatures were not checked");
        d.help = "give the public key: --key KEY.pub";
    }
    if (json_out) {
        doc["entries"] = v.entries;
        doc["verdicts"] = v.verdicts;
        doc["checkpoints"] = v.checkpoints;
        doc["closed"] = v.closed;
        doc["after_last_checkpoint"] = v.uncovered;
        doc["key"] =
            v.key.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v.key);
        doc["signatures_checked"] = v.signatures_checked;
        doc["case"] = v.case_digest;
        doc["head"] = v.head;
        out << doc.dump(2) << "\n";
    } else {
        out << "assure monitor: " << options.log << ": the chain of "
            << plural(v.entries, "entry", "entries") << " is intact ("
            << plural(v.verdicts, "verdict", "verdicts") << ", "
            << plural(v.checkpoints, "checkpoint", "checkpoints") << ", "
            << (v.closed ? "closed" : "open") << "; head " << v.head.substr(0, 16) << ")\n";
        if (v.signatures_checked) {
            out << "  every checkpoint is signed by " << v.key << "\n";
        }
    }
    return ad.emit(common, err, ExitCode::Ok);
}

} // namespace assure::cli
