// SPDX-License-Identifier: Apache-2.0
#include "live/overlay.hpp"

namespace assure::live {

void Overlay::apply(const Spec &s, sema::Date day) {
    switch (s.kind) {
    case Spec::Kind::Fail:
        evidence_[s.name].result = sema::EvidenceResult::Fail;
        break;
    case Spec::Kind::Pending:
        evidence_[s.name].result = sema::EvidenceResult::Pending;
        break;
    case Spec::Kind::Withdraw:
        evidence_[s.name].withdrawn = true;
        break;
    case Spec::Kind::Expire:
        evidence_[s.name].valid_until = s.date;
        break;
    case Spec::Kind::Attest:
        // Re-verified: passes, produced on that date; earlier events on it no longer apply
        // (the case's own expiry date does, unless an expire: event follows).
        evidence_[s.name] =
            Evidence{sema::EvidenceResult::Pass, false, std::nullopt, s.date.value_or(day)};
        break;
    case Spec::Kind::Clear:
        evidence_.erase(s.name);
        defeaters_.erase(s.name);
        break;
    case Spec::Kind::Open:
        defeaters_[s.name] = sema::DefeaterStatus::Open;
        break;
    case Spec::Kind::Resolve:
        defeaters_[s.name] = sema::DefeaterStatus::Resolved;
        break;
    case Spec::Kind::Accept:
        accepted_[s.name] = s.sha256;
        break;
    case Spec::Kind::Artifact: // the file is read again; what it holds is judged then
    case Spec::Kind::Release:
    case Spec::Kind::Reload:
        break;
    }
}

prove::Overrides Overlay::overrides(const sema::Program &program,
                                    std::vector<std::string> &missing) const {
    prove::Overrides ov;
    auto index_of = [&](const std::string &name,
                        sema::DeclKind kind) -> std::optional<std::uint32_t> {
        std::string why;
        const auto d = prove::find_decl(program, name, kind, why);
        if (!d) {
            missing.push_back(name);
            return std::nullopt;
        }
        return program.decl(*d).index;
    };
    for (const auto &[name, e] : evidence_) {
        const auto ei = index_of(name, sema::DeclKind::Evidence);
        if (!ei) {
            continue;
        }
        if (e.result) {
            ov.result[*ei] = *e.result;
        }
        if (e.withdrawn) {
            ov.withdrawn.insert(*ei);
        }
        if (e.valid_until) {
            ov.valid_until[*ei] = *e.valid_until;
        }
        if (e.produced) {
            ov.produced[*ei] = *e.produced;
        }
    }
    for (const auto &[name, status] : defeaters_) {
        if (const auto di = index_of(name, sema::DeclKind::Defeater)) {
            ov.defeater_status[*di] = status;
        }
    }
    for (const auto &[name, sha] : accepted_) {
        if (const auto ai = index_of(name, sema::DeclKind::Artifact)) {
            ov.accepted_sha256[*ai] = sha;
        }
    }
    return ov;
}

} // namespace assure::live
