// SPDX-License-Identifier: GPL-2.0-only
/* Kernel command-line parsing. */
#include "kernel/cmdline.h"

#include "kernel/log.h"
#include "lib/kstring.h"

static char cmdline_buf[CMDLINE_MAX];

void cmdline_set(const char *s)
{
    strlcpy(cmdline_buf, s ? s : "", sizeof(cmdline_buf));
}

const char *cmdline_get_all(void) { return cmdline_buf; }

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Scans word by word; returns the start of the last value of key, or NULL. */
static const char *find_last(const char *key, size_t *vlen, bool *has_value)
{
    size_t klen = strlen(key);
    const char *found = NULL;
    const char *p = cmdline_buf;

    while (*p) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        const char *word = p;
        bool quoted = false;
        while (*p && (quoted || !is_space(*p))) {
            if (*p == '"')
                quoted = !quoted;
            p++;
        }
        size_t wlen = (size_t)(p - word);
        if (wlen >= klen && !strncmp(word, key, klen) && (wlen == klen || word[klen] == '=')) {
            if (wlen == klen) {
                found = word + klen;
                *vlen = 0;
                *has_value = false;
            } else {
                found = word + klen + 1;
                *vlen = wlen - klen - 1;
                *has_value = true;
            }
        }
    }
    return found;
}

bool cmdline_get(const char *key, char *buf, size_t size)
{
    size_t vlen = 0;
    bool has_value = false;
    const char *v = find_last(key, &vlen, &has_value);
    size_t o = 0;

    if (!v)
        return false;
    if (size == 0)
        return true;
    for (size_t i = 0; i < vlen && o + 1 < size; i++)
        if (v[i] != '"')
            buf[o++] = v[i];
    buf[o] = '\0';
    return true;
}

bool cmdline_has(const char *key)
{
    size_t vlen;
    bool has_value;

    return find_last(key, &vlen, &has_value) != NULL;
}

bool cmdline_parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = (unsigned)(*s - 'A' + 10);
        else
            return false;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

uint64_t cmdline_get_u64(const char *key, uint64_t def)
{
    char buf[32];
    uint64_t v;

    if (!cmdline_get(key, buf, sizeof(buf)))
        return def;
    if (!cmdline_parse_u64(buf, &v)) {
        pr_warn("cmdline: %s=%s is not a number, using %llu\n", key, buf, (unsigned long long)def);
        return def;
    }
    return v;
}
