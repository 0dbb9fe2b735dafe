// SPDX-License-Identifier: Apache-2.0
#include "support/signing.hpp"

#include "support/safe_fs.hpp"
#include "support/sha256.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

namespace assure::support {

namespace {

struct PkeyDeleter {
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct PkeyCtxDeleter {
    void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); }
};
struct BioDeleter {
    void operator()(BIO *b) const { BIO_free(b); }
};
struct MdCtxDeleter {
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using Bio = std::unique_ptr<BIO, BioDeleter>;

/// OpenSSL's last error, or `fallback`; the queue is cleared either way.
std::string openssl_error(const char *fallback) {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        return fallback;
    }
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    return std::string(fallback) + " (" + buf + ")";
}

std::string bio_text(BIO *bio) {
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

Bio bio_of(std::string_view text) {
    return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

/// The Ed25519 key in `pem`: a private key when there is one, else a public key.
Pkey load_key(std::string_view pem, bool want_private, std::string &error) {
    if (pem.size() > (1u << 16)) {
        error = "is too large to be a key";
        return nullptr;
    }
    Pkey key;
    if (want_private || pem.find("PRIVATE KEY") != std::string_view::npos) {
        Bio bio = bio_of(pem);
        key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    } else {
        Bio bio = bio_of(pem);
        key.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    }
    ERR_clear_error();
    if (!key) {
        error = want_private ? "does not hold an unencrypted private key in PEM"
                             : "does not hold a public key in PEM";
        return nullptr;
    }
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
        error = "holds a key that is not Ed25519";
        return nullptr;
    }
    return key;
}

std::optional<std::string> fingerprint_of(EVP_PKEY *key, std::string &error) {
    unsigned char *der = nullptr;
    const int len = i2d_PUBKEY(key, &der);
    if (len <= 0) {
        error = openssl_error("cannot encode the public key");
        return std::nullopt;
    }
    std::string fp = "sha256:" + sha256_hex(std::string_view(reinterpret_cast<const char *>(der),
                                                             static_cast<std::size_t>(len)));
    OPENSSL_free(der);
    return fp;
}

/// Reads a key file: a regular file of at most 64 KiB; `mode` gets its permission bits.
std::optional<std::string> read_key_file(const std::string &path, unsigned &mode,
                                         std::string &error) {
    FsError fs_error;
    auto file = RegularFile::open(path, /*follow=*/true, fs_error);
    if (!file) {
        error = fs_error.message;
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(file->fd(), &st) != 0) {
        error = std::string("cannot be read: ") + std::strerror(errno);
        return std::nullopt;
    }
    mode = st.st_mode & 07777;
    if (file->size() > (1u << 16)) {
        error = "is too large to be a key";
        return std::nullopt;
    }
    std::string text(static_cast<std::size_t>(file->size()), '\0');
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n =
            ::pread(file->fd(), text.data() + done, text.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            OPENSSL_cleanse(text.data(), text.size());
            error = "cannot be read";
            return std::nullopt;
        }
        done += static_cast<std::size_t>(n);
    }
    return text;
}

} // namespace

std::optional<KeyPair> generate_key(std::string &error) {
    std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> ctx(
        EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    EVP_PKEY *raw = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
        error = openssl_error("key generation failed");
        return std::nullopt;
    }
    Pkey key(raw);
    Bio priv(BIO_new(BIO_s_mem()));
    Bio pub(BIO_new(BIO_s_mem()));
    if (!priv || !pub ||
        PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1 ||
        PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
        error = openssl_error("the key cannot be encoded");
        return std::nullopt;
    }
    KeyPair pair;
    pair.private_pem = bio_text(priv.get());
    pair.public_pem = bio_text(pub.get());
    auto fp = fingerprint_of(key.get(), error);
    if (!fp) {
        return std::nullopt;
    }
    pair.fingerprint = *fp;
    return pair;
}

std::optional<std::string> key_fingerprint(std::string_view pem, std::string &error) {
    Pkey key = load_key(pem, /*want_private=*/false, error);
    if (!key) {
        return std::nullopt;
    }
    return fingerprint_of(key.get(), error);
}

std::optional<std::string> sign_message(std::string_view private_pem, std::string_view message,
                                        std::string &error) {
    Pkey key = load_key(private_pem, /*want_private=*/true, error);
    if (!key) {
        return std::nullopt;
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    std::string sig(64, '\0');
    std::size_t len = sig.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &len,
                       reinterpret_cast<const unsigned char *>(message.data()),
                       message.size()) != 1) {
        error = openssl_error("signing failed");
        return std::nullopt;
    }
    sig.resize(len);
    return sig;
}

bool verify_message(std::string_view public_pem, std::string_view message,
                    std::string_view signature, std::string &error) {
    Pkey key = load_key(public_pem, /*want_private=*/false, error);
    if (!key) {
        return false;
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
        error = openssl_error("cannot start verifying");
        return false;
    }
    const int r = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()), signature.size(),
        reinterpret_cast<const unsigned char *>(message.data()), message.size());
    ERR_clear_error();
    if (r != 1) {
        error = "the signature does not match the signed bytes and the key";
        return false;
    }
    return true;
}

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> unbase64(std::string_view text) {
    if (text.size() % 4 != 0 || text.size() > (1u << 20)) {
        return std::nullopt;
    }
    for (char c : text) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) {
            return std::nullopt;
        }
    }
    std::string out(text.size() / 4 * 3 + 1, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) {
        return std::nullopt;
    }
    std::size_t len = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts the padding as zero bytes.
    for (std::size_t idx = text.size(); idx > 0 && text[idx - 1] == '='; --idx) {
        --len;
    }
    out.resize(len);
    if (base64(out) != text) {
        return std::nullopt; // not canonical
    }
    return out;
}

std::optional<std::string> read_private_key(const std::string &path, std::string &error) {
    unsigned mode = 0;
    auto text = read_key_file(path, mode, error);
    if (!text) {
        return std::nullopt;
    }
    if ((mode & 077) != 0) {
        OPENSSL_cleanse(text->data(), text->size());
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04o", mode & 07777u);
        error = std::string("may be read or changed by group or others (mode ") + buf +
                "); a signing key must be private: chmod 600 it";
        return std::nullopt;
    }
    if (!load_key(*text, /*want_private=*/true, error)) {
        OPENSSL_cleanse(text->data(), text->size());
        return std::nullopt;
    }
    return text;
}

std::optional<std::string> read_public_key(const std::string &path, std::string &error) {
    unsigned mode = 0;
    auto text = read_key_file(path, mode, error);
    if (!text) {
        return std::nullopt;
    }
    if (text->find("PRIVATE KEY") != std::string::npos) {
        OPENSSL_cleanse(text->data(), text->size());
        error = "holds a private key: give the public key (KEY.pub)";
        return std::nullopt;
    }
    if (!load_key(*text, /*want_private=*/false, error)) {
        return std::nullopt;
    }
    return text;
}

} // namespace assure::support
