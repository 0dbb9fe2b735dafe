// SPDX-License-Identifier: Apache-2.0
#pragma once

// Ed25519 signatures of a packet's manifest (docs/packet.md, "Signatures"): the signature file
// and key files. The keys and signatures themselves are support/signing.hpp's (shared with
// monitor logs). Nothing here prints or logs a key.

#include "support/signing.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace assure::packet {

using support::base64;
using support::generate_key;
using support::key_fingerprint;
using support::KeyPair;
using support::read_private_key;
using support::sign_message;
using support::unbase64;

/// support::verify_message, with "the signature does not match manifest.json and the key" as
/// the error when it does not verify.
bool verify_message(std::string_view public_pem, std::string_view message,
                    std::string_view signature, std::string &error);

/// support::read_public_key, telling a user who gave the private key to give verify the
/// public one.
std::optional<std::string> read_public_key(const std::string &path, std::string &error);

/// The file name of a packet's signature, below the top folder.
inline constexpr std::string_view kSignatureFile = "manifest.sig";

/// manifest.sig: a JSON object (format assure-packet-signature, version 1, algorithm ed25519,
/// signed_file manifest.json, key: the fingerprint, signature: base64 of the raw signature).
std::string render_signature(std::string_view fingerprint, std::string_view raw_signature);

/// What a manifest.sig says; nullopt with `error` when it is not one.
struct SignatureFile {
    std::string key;       // fingerprint
    std::string signature; // raw bytes
};
std::optional<SignatureFile> parse_signature(std::string_view text, std::string &error);

/// Writes a new key pair to `path` (mode 0600) and `path`.pub (mode 0644), both created
/// exclusively: an existing file at either path is never overwritten (`exists` is set and
/// nothing is written). On a failure after the first file was written, it is removed again.
bool write_key_pair(const std::string &path, const KeyPair &keys, bool &exists, std::string &error);

} // namespace assure::packet
