#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H

// glibc's <malloc.h>, which Swift's Glibc module does not include (mallopt, M_ARENA_MAX).
#include <malloc.h>

/// Caps glibc's malloc arenas; returns 1 on success, 0 on error (see mallopt(3)).
static inline int cmalloc_limit_arenas(int count) {
    return mallopt(M_ARENA_MAX, count);
}

#endif
