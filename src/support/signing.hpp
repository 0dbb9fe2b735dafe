// SPDX-License-Identifier: Apache-2.0
#pragma once

// Ed25519 keys and signatures with OpenSSL's libcrypto, shared by evidence packets
// (docs/packet.md, "Signatures") and monitor logs (docs/monitor-log.md, "Signatures"): keys in
// PEM (PKCS#8 private, SubjectPublicKeyInfo public), as `openssl genpkey -algorithm ed25519`
// writes them, so that an assessor can check a signature with `openssl pkeyutl -verify` as
// well. Nothing here prints or logs a key.

#include <optional>
#include <string>
#include <string_view>

namespace assure::support {

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
/// (false with `error` saying why not: "the signature does not match the signed bytes and the
/// key" when it simply does not verify).
bool verify_message(std::string_view public_pem, std::string_view message,
                    std::string_view signature, std::string &error);

/// Standard base64 (RFC 4648, padded) and back (nullopt for anything else).
std::string base64(std::string_view bytes);
std::optional<std::string> unbase64(std::string_view text);

/// Reads a private key file for signing: a regular file (symbolic links followed) that neither
/// group nor others may read, write or execute (mode & 077 == 0), holding an Ed25519 private
/// key in PEM. nullopt with `error` (a sentence without the path) otherwise.
std::optional<std::string> read_private_key(const std::string &path, std::string &error);

/// Reads a public key file (at most 64 KiB, a regular file, an Ed25519 public key in PEM; a
/// private key is refused: "holds a private key: give the public key (KEY.pub)").
std::optional<std::string> read_public_key(const std::string &path, std::string &error);

} // namespace assure::support
