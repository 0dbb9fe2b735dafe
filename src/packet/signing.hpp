// SPDX-License-Identifier: Apache-2.0
#pragma once

// Ed25519 signatures of a packet's manifest (docs/packet.md, "Signatures"), with OpenSSL's
// libcrypto: keys in PEM (PKCS#8 private, SubjectPublicKeyInfo public), as
// `openssl genpkey -algorithm ed25519` writes them, so that an assessor can check a signature
// with `openssl pkeyutl -verify` as well. Nothing here prints or logs a key.

#include <optional>
#include <string>
#include <string_view>

namespace assure::packet {

/// A fresh key pair, both halves in PEM.
struct KeyPair {
    std::string private_pem;
    std::string public_pem;
    std::string fingerprint; // of the public key, see key_fingerprint
};

/// Generates an Ed25519 key pair; nullopt with `error` when libcrypto fails.
std::optional<KeyPair> generate_key(std::string &error);

/// "sha256:" and the lower-case hex SHA-256 of the public key's DER SubjectPublicKeyInfo
/// (`openssl pkey -pubin -in KEY.pub -outform DER | sha256sum`). `pem` may hold the public or
/// the private key. nullopt with `error` when it is not an Ed25519 key in PEM.
std::optional<std::string> key_fingerprint(std::string_view pem, std::string &error);

/// The raw 64-byte Ed25519 signature of `message` by the private key `private_pem`.
std::optional<std::string> sign_message(std::string_view private_pem, std::string_view message,
                                        std::string &error);

/// Whether `signature` is the Ed25519 signature of `message` by the public key `public_pem`
/// (false with `error` saying why not).
bool verify_message(std::string_view public_pem, std::string_view message,
                    std::string_view signature, std::string &error);

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

/// Standard base64 (RFC 4648, padded) and back (nullopt for anything else).
std::string base64(std::string_view bytes);
std::optional<std::string> unbase64(std::string_view text);

/// Reads a private key file for signing: a regular file (symbolic links followed) that neither
/// group nor others may read, write or execute (mode & 077 == 0), holding an Ed25519 private
/// key in PEM. nullopt with `error` (a sentence without the path) otherwise.
std::optional<std::string> read_private_key(const std::string &path, std::string &error);

/// Reads a public key file (at most 64 KiB, a regular file).
std::optional<std::string> read_public_key(const std::string &path, std::string &error);

/// Writes a new key pair to `path` (mode 0600) and `path`.pub (mode 0644), both created
/// exclusively: an existing file at either path is never overwritten (`exists` is set and
/// nothing is written). On a failure after the first file was written, it is removed again.
bool write_key_pair(const std::string &path, const KeyPair &keys, bool &exists, std::string &error);

} // namespace assure::packet
