// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/acpi_fixtures.h"

#include <assert.h>
#include <string.h>

static uint8_t *fx_take(struct fx *f, size_t n)
{
    assert(f->len + n <= f->cap);
    f->len += n;
    return f->buf + f->len - n;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;

    while (n--)
        s = (uint8_t)(s + *p++);
    return s;
}

void fx_init(struct fx *f, void *buf, size_t cap)
{
    memset(buf, 0, cap);
    f->buf = buf;
    f->cap = cap;
    f->len = 0;
}

void fx_u8(struct fx *f, uint8_t v) { put_le(fx_take(f, 1), v, 1); }
void fx_u16(struct fx *f, uint16_t v) { put_le(fx_take(f, 2), v, 2); }
void fx_u32(struct fx *f, uint32_t v) { put_le(fx_take(f, 4), v, 4); }
void fx_u64(struct fx *f, uint64_t v) { put_le(fx_take(f, 8), v, 8); }
void fx_bytes(struct fx *f, const void *p, size_t n)
{
    if (n)
        memcpy(fx_take(f, n), p, n);
}
void fx_zeros(struct fx *f, size_t n) { memset(fx_take(f, n), 0, n); }

void fx_header(struct fx *f, const char *sig, uint8_t revision)
{
    fx_bytes(f, sig, 4);
    fx_u32(f, 0);          /* Length, set by fx_finish */
    fx_u8(f, revision);
    fx_u8(f, 0);           /* Checksum */
    fx_bytes(f, "NESTOR", 6);
    fx_bytes(f, "UNITTEST", 8);
    fx_u32(f, 1);
    fx_u32(f, 0x4e455354);
    fx_u32(f, 1);
}

void fx_fix_checksum(void *table)
{
    uint8_t *t = table;
    uint32_t len = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;

    t[9] = 0;
    t[9] = (uint8_t)-sum8(t, len);
}

size_t fx_finish(struct fx *f)
{
    put_le(f->buf + 4, f->len, 4);
    fx_fix_checksum(f->buf);
    return f->len;
}

size_t fx_begin16(struct fx *f, uint16_t type)
{
    size_t at = f->len;

    fx_u16(f, type);
    fx_u16(f, 0);
    return at;
}

void fx_end16(struct fx *f, size_t at) { put_le(f->buf + at + 2, f->len - at, 2); }

size_t fx_begin8(struct fx *f, uint8_t type)
{
    size_t at = f->len;

    fx_u8(f, type);
    fx_u8(f, 0);
    return at;
}

void fx_end8(struct fx *f, size_t at) { f->buf[at + 1] = (uint8_t)(f->len - at); }

void fx_dmar_header(struct fx *f, uint8_t haw_minus_1, uint8_t flags)
{
    fx_header(f, "DMAR", 1);
    fx_u8(f, haw_minus_1);
    fx_u8(f, flags);
    fx_zeros(f, 10);
}

size_t fx_drhd_begin(struct fx *f, uint8_t flags, uint8_t size, uint16_t seg, uint64_t base)
{
    size_t at = fx_begin16(f, 0);

    fx_u8(f, flags);
    fx_u8(f, size);
    fx_u16(f, seg);
    fx_u64(f, base);
    return at;
}

size_t fx_rmrr_begin(struct fx *f, uint16_t seg, uint64_t base, uint64_t limit)
{
    size_t at = fx_begin16(f, 1);

    fx_u16(f, 0);
    fx_u16(f, seg);
    fx_u64(f, base);
    fx_u64(f, limit);
    return at;
}

size_t fx_atsr_begin(struct fx *f, uint16_t type, uint8_t flags, uint16_t seg)
{
    size_t at = fx_begin16(f, type);

    fx_u8(f, flags);
    fx_u8(f, 0);
    fx_u16(f, seg);
    return at;
}

void fx_scope(struct fx *f, uint8_t type, uint8_t enum_id, uint8_t start_bus, unsigned npath, const uint8_t *path)
{
    size_t at = fx_begin8(f, type);

    fx_u8(f, 0);
    fx_u8(f, 0);
    fx_u8(f, enum_id);
    fx_u8(f, start_bus);
    fx_bytes(f, path, 2 * npath);
    fx_end8(f, at);
}

size_t fx_rsdp(void *buf, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
    uint8_t *r = buf;
    size_t len = rev >= 2 ? 36 : 20;

    memset(r, 0, len);
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "NESTOR", 6);
    r[15] = rev;
    put_le(r + 16, rsdt, 4);
    r[8] = (uint8_t)-sum8(r, 20);
    if (rev >= 2) {
        put_le(r + 20, len, 4);
        put_le(r + 24, xsdt, 8);
        r[32] = (uint8_t)-sum8(r, len);
    }
    return len;
}
