/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared helpers of the libFuzzer harnesses: a log sink that formats every line (so the
 * formatting of hostile values is exercised) and drops it, and a reader that hands out
 * the fuzzer's bytes field by field, zeros once they run out.
 */
#ifndef NESTOR_TESTS_FUZZ_SUPPORT_H
#define NESTOR_TESTS_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Sends log output to the silent sink at level debug (called from each harness's first run). */
void fuzz_log_quiet(void);

struct fuzz_input {
    const uint8_t *p;
    size_t left;
};

uint64_t fuzz_take(struct fuzz_input *in, unsigned bytes);   /* little endian, 1-8 bytes */

/* Stops the run with a message: libFuzzer records the input as a crash. */
#define FUZZ_CHECK(cond)                                                                  \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

#endif
