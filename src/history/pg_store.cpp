// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL store (libpqxx): not built yet.
#include "history/backends.hpp"

namespace assure::history {

std::unique_ptr<Store> open_postgresql_store(const std::string &url, OpenMode, StoreError &error) {
    error = StoreError{StoreError::Kind::Unavailable,
                       "cannot open " + url + ": this assure has no PostgreSQL store yet"};
    return nullptr;
}

} // namespace assure::history
