// SPDX-License-Identifier: Apache-2.0
#pragma once

// Event specs (docs/serve.md, "Events"): what happened to the system or its evidence, in the
// change-spec language of `impact --change` extended with what a live system needs. Posted to
// `assure serve` (POST /events) or written to a history by `assure event --db`.

#include "dsl/sema/program.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace assure::live {

struct Spec {
    enum class Kind : std::uint8_t {
        Artifact, // artifact:A[=SHA256]        A's file was regenerated (and has this digest)
        Accept,   // accept:A=SHA256            this digest of A stands for the recorded one
        Fail,     // fail:E                     a monitoring alarm fails E
        Pending,  // pending:E                  E's result becomes pending
        Withdraw, // withdraw:E                 E is withdrawn
        Expire,   // expire:E=YYYY-MM-DD        E's expiry date becomes this
        Attest,   // attest:E[=YYYY-MM-DD]      E re-verified on that date
        Open,     // open:D                     defeater D opened
        Resolve,  // resolve:D                  D resolved
        Clear,    // clear:NAME                 undo earlier events on evidence or defeater NAME
        Release,  // release:COMMIT[=verified|unverified]
        Reload,   // reload                     the case files were re-read
    };
    Kind kind = Kind::Reload;
    std::string name;               // the element named ("" for release and reload)
    std::optional<sema::Date> date; // expire (always), attest (when given)
    std::string sha256;             // artifact (when given), accept
    std::string commit;             // release
    std::optional<bool> verified;   // release (when given)

    /// The canonical text (what the history stores): `kind:name[=value]`.
    [[nodiscard]] std::string text() const;
};

/// Why a spec was refused: the byte range of the spec to point at and a sentence.
struct SpecError {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
    std::string message;
};

/// Parses one spec (at most kMaxSpecBytes), or nullopt with `error`.
std::optional<Spec> parse_spec(std::string_view text, SpecError &error);

inline constexpr std::size_t kMaxSpecBytes = 4096;

/// The name of a kind as written before the colon.
const char *kind_name(Spec::Kind kind);

/// Whether the spec raises a monitoring alarm (fail, pending, withdraw, open) or resolves one
/// (attest, clear, resolve) on its element.
bool raises_alarm(const Spec &s);
bool resolves_alarm(const Spec &s);

} // namespace assure::live
