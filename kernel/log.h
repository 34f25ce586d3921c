/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Leveled log. Pure (no hardware): output goes to a sink function, the UART in
 * the kernel, a capture buffer in unit tests. One call is one line or more;
 * the caller writes the trailing newline.
 */
#ifndef NESTOR_KERNEL_LOG_H
#define NESTOR_KERNEL_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

typedef void (*log_sink_fn)(const char *s, size_t n);

void log_set_sink(log_sink_fn sink);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parses "err", "warn", "info", "debug" or a digit 0-3; returns false on anything else. */
bool log_level_parse(const char *s, enum log_level *out);
void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes without level filtering or prefix (panic and the boot summary). */
void log_raw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define pr_err(...)   log_printf(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  log_printf(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  log_printf(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

/*
 * Rate limit for events a guest or a device can cause: at most burst lines
 * per interval ticks (any monotonic clock); the suppressed count is reported
 * on the next allowed line by the caller through *suppressed.
 */
struct log_ratelimit {
    uint64_t interval;
    uint32_t burst;
    uint64_t window_start;
    uint32_t printed;
    uint32_t suppressed;
};

bool log_ratelimit_allow(struct log_ratelimit *rl, uint64_t now, uint32_t *suppressed);

#endif
