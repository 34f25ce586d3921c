/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared helpers for the host unit tests: captured log output, fake physical memory. */
#ifndef NESTOR_TESTS_UNIT_SUPPORT_H
#define NESTOR_TESTS_UNIT_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Log lines produced since the last unit_log_reset(). */
void unit_log_reset(void);
const char *unit_log_text(void);
bool unit_log_contains(const char *needle);

/* A fake physical memory of FAKE_PHYS_SIZE bytes starting at FAKE_PHYS_BASE. */
#define FAKE_PHYS_BASE 0x100000ULL
#define FAKE_PHYS_SIZE (4u << 20)
extern uint8_t fake_phys[FAKE_PHYS_SIZE];
void fake_phys_reset(void);
void *fake_phys_at(uint64_t pa);
const void *fake_phys_read(uint64_t pa, size_t len);

/* Runs a cmocka group with TAP output (one "ok N - name" line per test). */
#define UNIT_RUN(tests) (unit_setup_output(), cmocka_run_group_tests(tests, NULL, NULL))
void unit_setup_output(void);

#endif
