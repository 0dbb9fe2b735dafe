// SPDX-License-Identifier: Apache-2.0
#include "packet/signing.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

namespace assure::packet {

namespace {

bool write_new_file(const std::string &path, std::string_view content, unsigned mode, bool &exists,
                    std::string &error) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          static_cast<mode_t>(mode));
    if (fd < 0) {
        exists = errno == EEXIST;
        error = "`" + path + "` cannot be created: " + std::strerror(errno);
        return false;
    }
    // The umask may only have narrowed the mode; set it exactly (0600 for a private key).
    bool ok = ::fchmod(fd, static_cast<mode_t>(mode)) == 0;
    std::string_view rest = content;
    while (ok && !rest.empty()) {
        const ssize_t n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        if (ok) {
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
    }
    ok = ok && ::fsync(fd) == 0;
    if (!ok) {
        error = "`" + path + "` cannot be written: " + std::strerror(errno);
    }
    ::close(fd);
    if (!ok) {
        ::unlink(path.c_str());
    }
    return ok;
}

} // namespace

bool verify_message(std::string_view public_pem, std::string_view message,
                    std::string_view signature, std::string &error) {
    if (support::verify_message(public_pem, message, signature, error)) {
        return true;
    }
    if (error == "the signature does not match the signed bytes and the key") {
        error = "the signature does not match manifest.json and the key";
    }
    return false;
}

std::optional<std::string> read_public_key(const std::string &path, std::string &error) {
    auto key = support::read_public_key(path, error);
    if (!key && error == "holds a private key: give the public key (KEY.pub)") {
        error = "holds a private key: give verify the public key (KEY.pub)";
    }
    return key;
}

std::string render_signature(std::string_view fingerprint, std::string_view raw_signature) {
    nlohmann::ordered_json j;
    j["format"] = "assure-packet-signature";
    j["version"] = 1;
    j["algorithm"] = "ed25519";
    j["signed_file"] = "manifest.json";
    j["key"] = std::string(fingerprint);
    j["signature"] = base64(raw_signature);
    return j.dump(2) + "\n";
}

std::optional<SignatureFile> parse_signature(std::string_view text, std::string &error) {
    const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || j.value("format", std::string()) != "assure-packet-signature") {
        error = "manifest.sig is not an assure packet signature";
        return std::nullopt;
    }
    if (!j.contains("version") || !j["version"].is_number_integer() || j["version"] != 1 ||
        j.value("algorithm", std::string()) != "ed25519" ||
        j.value("signed_file", std::string()) != "manifest.json") {
        error = "manifest.sig is of a version or algorithm this assure does not check (it "
                "checks version 1, ed25519 over manifest.json)";
        return std::nullopt;
    }
    const std::string key = j.value("key", std::string());
    const auto sig = unbase64(j.value("signature", std::string()));
    if (key.rfind("sha256:", 0) != 0 || !sig || sig->size() != 64) {
        error = "manifest.sig has no key fingerprint or no 64-byte base64 signature";
        return std::nullopt;
    }
    return SignatureFile{key, *sig};
}

bool write_key_pair(const std::string &path, const KeyPair &keys, bool &exists,
                    std::string &error) {
    const std::string pub = path + ".pub";
    exists = false;
    for (const std::string &p : {path, pub}) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) == 0) {
            exists = true;
            error = "`" + p + "` already exists; keygen never overwrites a key";
            return false;
        }
    }
    if (!write_new_file(path, keys.private_pem, 0600, exists, error)) {
        return false;
    }
    if (!write_new_file(pub, keys.public_pem, 0644, exists, error)) {
        ::unlink(path.c_str());
        return false;
    }
    return true;
}

} // namespace assure::packet
