// SPDX-License-Identifier: Apache-2.0
#include "history/backends.hpp"

namespace assure::history {

bool is_postgresql(const std::string &location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::unique_ptr<Store> open_store(const std::string &location, OpenMode mode, StoreError &error) {
    return is_postgresql(location) ? open_postgresql_store(location, mode, error)
                                   : open_sqlite_store(location, mode, error);
}

} // namespace assure::history
