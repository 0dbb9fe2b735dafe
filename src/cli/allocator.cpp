// SPDX-License-Identifier: Apache-2.0
// The throwing forms of operator new, on mimalloc. mimalloc's own are C, built to abort() when
// memory runs out (they cannot throw, and Debian's build never sees a new handler), which ends
// the process with SIGABRT and no message. These throw std::bad_alloc as the standard says, so
// running out of memory reaches main's handler: E9000 and exit code 4 (docs/diagnostics.md).
// Everything else (delete, the nothrow forms, malloc) stays mimalloc's.
#include <cstddef>
#include <mimalloc.h>
#include <new>

namespace {

void *allocate(std::size_t size, std::size_t alignment) {
    if (size == 0) {
        size = 1;
    }
    while (true) {
        void *p = alignment == 0 ? mi_malloc(size) : mi_malloc_aligned(size, alignment);
        if (p != nullptr) {
            return p;
        }
        const std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) {
            throw std::bad_alloc();
        }
        handler();
    }
}

} // namespace

void *operator new(std::size_t size) {
    return allocate(size, 0);
}

void *operator new[](std::size_t size) {
    return allocate(size, 0);
}

void *operator new(std::size_t size, std::align_val_t alignment) {
    return allocate(size, static_cast<std::size_t>(alignment));
}

void *operator new[](std::size_t size, std::align_val_t alignment) {
    return allocate(size, static_cast<std::size_t>(alignment));
}
