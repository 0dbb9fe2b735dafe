// SPDX-License-Identifier: Apache-2.0
#include "history/backends.hpp"

#include <cctype>
#include <string>
#include <utility>

namespace assure::history {
namespace {

/// `text` with each %XX replaced by its byte, as libpq decodes the parts of a URL.
std::string percent_decoded(const std::string &text) {
    std::string out;
    for (std::size_t k = 0; k < text.size(); ++k) {
        if (text[k] == '%' && k + 2 < text.size() &&
            std::isxdigit(static_cast<unsigned char>(text[k + 1])) != 0 &&
            std::isxdigit(static_cast<unsigned char>(text[k + 2])) != 0) {
            out += static_cast<char>(std::stoi(text.substr(k + 1, 2), nullptr, 16));
            k += 2;
        } else {
            out += text[k];
        }
    }
    return out;
}

/// Where a PostgreSQL URL holds passwords: [begin, end) of each, in order.
std::vector<std::pair<std::size_t, std::size_t>> password_spans(const std::string &url) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    // The user information ends at the first '@' before any '/', as libpq reads it.
    const std::size_t start = url.find("://") + 3;
    const std::size_t at = url.find_first_of("@/", start);
    if (at != std::string::npos && url[at] == '@') {
        const std::size_t colon = url.find(':', start);
        if (colon < at) {
            spans.emplace_back(colon + 1, at);
        }
    }
    // A password given as a parameter (...?password=...&...; libpq decodes the key too).
    const std::size_t query = url.find('?', at == std::string::npos ? start : at);
    for (std::size_t pos = query; pos != std::string::npos; pos = url.find('&', pos + 1)) {
        const std::size_t next = url.find('&', pos + 1);
        const std::size_t equals = url.find('=', pos + 1);
        if (equals < next && percent_decoded(url.substr(pos + 1, equals - pos - 1)) == "password") {
            spans.emplace_back(equals + 1, next == std::string::npos ? url.size() : next);
        }
    }
    return spans;
}

} // namespace

bool is_postgresql(const std::string &location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string display_location(const std::string &location) {
    if (!is_postgresql(location)) {
        return location;
    }
    std::string shown = location;
    const auto spans = password_spans(location);
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        shown.replace(it->first, it->second - it->first, "***");
    }
    return shown;
}

std::vector<std::string> location_secrets(const std::string &location) {
    std::vector<std::string> secrets;
    if (!is_postgresql(location)) {
        return secrets;
    }
    for (const auto &[begin, end] : password_spans(location)) {
        const std::string raw = location.substr(begin, end - begin);
        for (const std::string &s : {raw, percent_decoded(raw)}) {
            if (!s.empty()) {
                secrets.push_back(s);
            }
        }
    }
    return secrets;
}

std::unique_ptr<Store> open_store(const std::string &location, OpenMode mode, StoreError &error) {
    return is_postgresql(location) ? open_postgresql_store(location, mode, error)
                                   : open_sqlite_store(location, mode, error);
}

} // namespace assure::history
