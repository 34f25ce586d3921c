// SPDX-License-Identifier: GPL-2.0-only
#include "tests/fuzz/fuzz_support.h"

#include <string.h>

#include "kernel/log.h"

static size_t log_bytes;

static void quiet_sink(const char *s, size_t n)
{
    (void)s;
    log_bytes += n;
}

void fuzz_log_quiet(void)
{
    log_set_sink(quiet_sink);
    log_set_level(LOG_DEBUG);
}

uint64_t fuzz_take(struct fuzz_input *in, unsigned bytes)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < bytes && in->left; i++, in->left--)
        v |= (uint64_t)*in->p++ << (8 * i);
    return v;
}
