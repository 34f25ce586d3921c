// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/log.h"

static char log_capture[1 << 16];
static size_t log_capture_len;

static void capture_sink(const char *s, size_t n)
{
    if (log_capture_len + n >= sizeof(log_capture))
        n = sizeof(log_capture) - 1 - log_capture_len;
    memcpy(log_capture + log_capture_len, s, n);
    log_capture_len += n;
    log_capture[log_capture_len] = '\0';
}

void unit_log_reset(void)
{
    log_capture_len = 0;
    log_capture[0] = '\0';
    log_set_sink(capture_sink);
    log_set_level(LOG_DEBUG);
}

const char *unit_log_text(void) { return log_capture; }
bool unit_log_contains(const char *needle) { return strstr(log_capture, needle) != NULL; }

uint8_t fake_phys[FAKE_PHYS_SIZE];

void fake_phys_reset(void) { memset(fake_phys, 0, sizeof(fake_phys)); }

void *fake_phys_at(uint64_t pa)
{
    assert_true(pa >= FAKE_PHYS_BASE && pa < FAKE_PHYS_BASE + FAKE_PHYS_SIZE);
    return fake_phys + (pa - FAKE_PHYS_BASE);
}

const void *fake_phys_read(uint64_t pa, size_t len)
{
    if (pa < FAKE_PHYS_BASE || len > FAKE_PHYS_SIZE || pa - FAKE_PHYS_BASE > FAKE_PHYS_SIZE - len)
        return NULL;
    return fake_phys + (pa - FAKE_PHYS_BASE);
}

void unit_setup_output(void)
{
    cmocka_set_message_output(CM_OUTPUT_TAP);
    unit_log_reset();
}
