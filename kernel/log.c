// SPDX-License-Identifier: GPL-2.0-only
/* Leveled log with a pluggable sink; pure, unit-tested. */
#include "kernel/log.h"

#include <stdarg.h>

#include "lib/fmt.h"
#include "lib/kstring.h"

#define LOG_LINE_MAX 512

static log_sink_fn log_sink;
static enum log_level log_level = LOG_INFO;

static const char *const level_prefix[] = {
    [LOG_ERR] = "error: ",
    [LOG_WARN] = "warning: ",
    [LOG_INFO] = "",
    [LOG_DEBUG] = "debug: ",
};

void log_set_sink(log_sink_fn sink) { log_sink = sink; }
void log_set_level(enum log_level level) { log_level = level; }
enum log_level log_get_level(void) { return log_level; }

bool log_level_parse(const char *s, enum log_level *out)
{
    static const char *const names[] = { "err", "warn", "info", "debug" };

    for (int i = 0; i < 4; i++) {
        if (!strcmp(s, names[i]) || (s[0] == '0' + i && s[1] == '\0')) {
            *out = (enum log_level)i;
            return true;
        }
    }
    return false;
}

static void log_emit(const char *prefix, const char *fmt, va_list ap)
{
    char line[LOG_LINE_MAX];
    size_t plen = strlen(prefix);
    int n;

    if (!log_sink)
        return;
    memcpy(line, prefix, plen);
    n = fmt_vsnprintf(line + plen, sizeof(line) - plen, fmt, ap);
    if (n < 0)
        return;
    size_t len = plen + (size_t)n;
    if (len >= sizeof(line)) {
        len = sizeof(line) - 1;
        line[len - 1] = '\n'; /* truncated: keep the line ending */
    }
    log_sink(line, len);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
    va_list ap;

    if (level > log_level)
        return;
    va_start(ap, fmt);
    log_emit(level_prefix[level], fmt, ap);
    va_end(ap);
}

void log_raw(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_emit("", fmt, ap);
    va_end(ap);
}

bool log_ratelimit_allow(struct log_ratelimit *rl, uint64_t now, uint32_t *suppressed)
{
    if (now - rl->window_start >= rl->interval) {
        rl->window_start = now;
        rl->printed = 0;
    }
    if (rl->printed < rl->burst) {
        rl->printed++;
        *suppressed = rl->suppressed;
        rl->suppressed = 0;
        return true;
    }
    rl->suppressed++;
    return false;
}
