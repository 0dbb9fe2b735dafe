// SPDX-License-Identifier: Apache-2.0
// `assure keygen`: an Ed25519 key pair for signing evidence packets (docs/packet.md).
#include "cli/front.hpp"
#include "cli/packet.hpp"
#include "packet/signing.hpp"

#include <openssl/crypto.h>
#include <ostream>

namespace assure::cli {

ExitCode run_keygen(const KeygenOptions &options, std::ostream &out, std::ostream &err) {
    CheckOptions common;
    common.diagnostics_format = options.diagnostics_format;
    ArgDiags ad;
    std::string error;
    auto keys = packet::generate_key(error);
    if (!keys) {
        err << "error[E9000]: internal error: " << error << "\n";
        return ExitCode::Internal;
    }
    bool exists = false;
    const bool written = packet::write_key_pair(options.output, *keys, exists, error);
    OPENSSL_cleanse(keys->private_pem.data(), keys->private_pem.size());
    if (!written) {
        auto &d =
            ad.plain(exists ? support::Code::E0711 : support::Code::E0612, "keygen: " + error);
        if (exists) {
            d.help = "choose another name, or remove the old key pair yourself";
        }
        return ad.emit(common, err, ExitCode::Usage);
    }
    out << "assure keygen: wrote the private key " << options.output
        << " (mode 0600: keep it secret) and the public key " << options.output
        << ".pub\n  fingerprint: " << keys->fingerprint << "\n";
    return ExitCode::Ok;
}

} // namespace assure::cli
