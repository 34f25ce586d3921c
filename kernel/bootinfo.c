// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multiboot Specification 0.6.96 section 3.3 (boot information format) and
 * Multiboot2 Specification section 3.6 (boot information tags).
 */
#include "kernel/bootinfo.h"

#include "kernel/log.h"
#include "lib/kstring.h"

/* Multiboot1 info: flags and field offsets. */
#define MB1_FLAG_MEM     (1u << 0)
#define MB1_FLAG_CMDLINE (1u << 2)
#define MB1_FLAG_MODS    (1u << 3)
#define MB1_FLAG_MMAP    (1u << 6)
#define MB1_INFO_SIZE    88
#define MB1_MOD_SIZE     16
#define MB1_MODS_SCAN_MAX (4 * BOOT_MODULES_MAX) /* bound on entries read from a hostile count */
#define MB1_MMAP_SCAN_MAX (4 * BOOT_MMAP_MAX)    /* bound on entries read from a hostile length */

/* Multiboot2 tag types. */
enum mb2_tag {
    MB2_TAG_END = 0,
    MB2_TAG_CMDLINE = 1,
    MB2_TAG_MODULE = 3,
    MB2_TAG_BASIC_MEMINFO = 4,
    MB2_TAG_MMAP = 6,
    MB2_TAG_ACPI_OLD = 14,
    MB2_TAG_ACPI_NEW = 15,
};
#define MB2_INFO_MAX (1u << 20) /* sanity bound on total_size */

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static void extend(struct boot_info *bi, uint64_t start, uint64_t len)
{
    if (!len)
        return;
    if (start < bi->info_start)
        bi->info_start = start;
    if (start + len > bi->info_end)
        bi->info_end = start + len;
}

/* Copies a NUL-terminated string of at most max-1 bytes living at physical pa. */
static bool copy_phys_string(phys_read_fn read, uint64_t pa, char *dst, size_t max)
{
    size_t n = 0;

    for (; n + 1 < max; n++) {
        const char *c = read(pa + n, 1);
        if (!c)
            break;
        dst[n] = *c;
        if (!*c)
            return true;
    }
    dst[n] = '\0';
    return false;
}

static void add_mem_range(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    if (!len)
        return;
    if (base + len < base) {
        pr_warn("boot: memory map entry %#llx+%#llx wraps, clipped\n", (unsigned long long)base,
                (unsigned long long)len);
        len = 0 - base;
    }
    if (bi->mmap_count == BOOT_MMAP_MAX) {
        bi->mmap_truncated = true;
        return;
    }
    bi->mmap[bi->mmap_count++] = (struct boot_mem_range){ base, len, type };
}

static void add_module(struct boot_info *bi, phys_read_fn read, uint64_t start, uint64_t end, uint64_t str_pa,
                       const char *str_inline, size_t inline_len)
{
    struct boot_module *m;

    if (bi->module_count == BOOT_MODULES_MAX) {
        pr_warn("boot: more than %d modules, ignoring the rest\n", BOOT_MODULES_MAX);
        return;
    }
    if (end < start) {
        pr_warn("boot: module %#llx-%#llx has its end before its start, ignored\n",
                (unsigned long long)start, (unsigned long long)end);
        return;
    }
    m = &bi->modules[bi->module_count++];
    m->start = start;
    m->end = end;
    m->cmdline[0] = '\0';
    if (str_inline) {
        size_t n = strnlen(str_inline, inline_len);
        if (n >= sizeof(m->cmdline))
            n = sizeof(m->cmdline) - 1;
        memcpy(m->cmdline, str_inline, n);
        m->cmdline[n] = '\0';
    } else if (str_pa) {
        copy_phys_string(read, str_pa, m->cmdline, sizeof(m->cmdline));
    }
}

static int parse_mb1(uint64_t info_pa, phys_read_fn read, struct boot_info *bi)
{
    const uint8_t *info = read(info_pa, MB1_INFO_SIZE);
    uint32_t flags;

    if (!info) {
        pr_err("boot: multiboot1 info at %#llx is not readable\n", (unsigned long long)info_pa);
        return -1;
    }
    bi->protocol = 1;
    extend(bi, info_pa, MB1_INFO_SIZE);
    flags = rd32(info);
    if (flags & MB1_FLAG_MEM) {
        bi->has_basic_mem = true;
        bi->mem_lower_kb = rd32(info + 4);
        bi->mem_upper_kb = rd32(info + 8);
    }
    if (flags & MB1_FLAG_CMDLINE) {
        /* An unreadable string (e.g. a NULL pointer) must not pull the reservation down to 0. */
        if (copy_phys_string(read, rd32(info + 16), bi->cmdline, sizeof(bi->cmdline)))
            extend(bi, rd32(info + 16), strlen(bi->cmdline) + 1);
    }
    if (flags & MB1_FLAG_MODS) {
        uint32_t count = rd32(info + 20), addr = rd32(info + 24), i;
        for (i = 0; i < count && i < MB1_MODS_SCAN_MAX; i++) {
            const uint8_t *mod;
            if (bi->module_count == BOOT_MODULES_MAX) {
                pr_warn("boot: more than %d modules, ignoring the rest\n", BOOT_MODULES_MAX);
                break;
            }
            mod = read(addr + (uint64_t)i * MB1_MOD_SIZE, MB1_MOD_SIZE);
            if (!mod) {
                pr_warn("boot: module list at %#x not readable\n", addr);
                break;
            }
            add_module(bi, read, rd32(mod), rd32(mod + 4), rd32(mod + 8), NULL, 0);
        }
        /* Only what was read: a hostile count must not reserve the whole address space. */
        extend(bi, addr, (uint64_t)i * MB1_MOD_SIZE);
    }
    if (flags & MB1_FLAG_MMAP) {
        uint32_t len = rd32(info + 44), addr = rd32(info + 48);
        uint32_t off = 0;
        for (unsigned n = 0; off + 24 <= len; n++) {
            const uint8_t *e = read((uint64_t)addr + off, 24);
            if (!e)
                break;
            if (n == MB1_MMAP_SCAN_MAX) {
                pr_warn("boot: memory map of %u bytes has more than %u entries, stopping there\n", len, n);
                bi->mmap_truncated = true;
                break;
            }
            uint32_t size = rd32(e);
            if (size < 20 || size > len - off - 4) {
                pr_warn("boot: memory map entry of size %u, stopping there\n", size);
                break;
            }
            add_mem_range(bi, rd64(e + 4), rd64(e + 12), rd32(e + 20));
            off += size + 4;
        }
        /* Only what was read: a hostile length must not reserve the whole address space. */
        extend(bi, addr, off);
    }
    return 0;
}

static void parse_mb2_mmap(struct boot_info *bi, const uint8_t *tag, uint32_t size)
{
    uint32_t esize;

    if (size < 16)
        return;
    esize = rd32(tag + 8);
    if (esize < 24) {
        pr_warn("boot: multiboot2 memory map entry size %u too small, map ignored\n", esize);
        return;
    }
    if (esize > size - 16) {
        pr_warn("boot: multiboot2 memory map entry size %u larger than its tag (%u bytes), map ignored\n",
                esize, size);
        return;
    }
    /* esize <= size - off keeps off + esize from wrapping. */
    for (uint32_t off = 16; esize <= size - off; off += esize)
        add_mem_range(bi, rd64(tag + off), rd64(tag + off + 8), rd32(tag + off + 16));
}

static int parse_mb2(uint64_t info_pa, phys_read_fn read, struct boot_info *bi)
{
    const uint8_t *hdr = read(info_pa, 8);
    const uint8_t *info;
    uint32_t total;

    if (!hdr) {
        pr_err("boot: multiboot2 info at %#llx is not readable\n", (unsigned long long)info_pa);
        return -1;
    }
    total = rd32(hdr);
    if (total < 16 || total > MB2_INFO_MAX) {
        pr_err("boot: multiboot2 info size %u is not plausible\n", total);
        return -1;
    }
    info = read(info_pa, total);
    if (!info) {
        pr_err("boot: multiboot2 info at %#llx (%u bytes) is not readable\n", (unsigned long long)info_pa, total);
        return -1;
    }
    bi->protocol = 2;
    extend(bi, info_pa, total);
    for (uint32_t off = 8; off + 8 <= total;) {
        uint32_t type = rd32(info + off), size = rd32(info + off + 4);
        const uint8_t *tag = info + off;
        if (size < 8 || size > total - off) {
            pr_warn("boot: multiboot2 tag %u at +%u has bad size %u, stopping\n", type, off, size);
            break;
        }
        if (type == MB2_TAG_END)
            break;
        switch (type) {
        case MB2_TAG_CMDLINE: {
            size_t n = strnlen((const char *)tag + 8, size - 8);
            if (n >= sizeof(bi->cmdline))
                n = sizeof(bi->cmdline) - 1;
            memcpy(bi->cmdline, tag + 8, n);
            bi->cmdline[n] = '\0';
            break;
        }
        case MB2_TAG_MODULE:
            if (size >= 16)
                add_module(bi, read, rd32(tag + 8), rd32(tag + 12), 0, (const char *)tag + 16, size - 16);
            break;
        case MB2_TAG_BASIC_MEMINFO:
            if (size >= 16) {
                bi->has_basic_mem = true;
                bi->mem_lower_kb = rd32(tag + 8);
                bi->mem_upper_kb = rd32(tag + 12);
            }
            break;
        case MB2_TAG_MMAP:
            parse_mb2_mmap(bi, tag, size);
            break;
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW: {
            size_t n = size - 8;
            /* Prefer the ACPI 2.0+ copy when both are present. */
            if (type == MB2_TAG_ACPI_OLD && bi->rsdp_len > 20)
                break;
            if (n > sizeof(bi->rsdp))
                n = sizeof(bi->rsdp);
            memcpy(bi->rsdp, tag + 8, n);
            bi->rsdp_len = n;
            break;
        }
        default:
            break;
        }
        off += (size + 7) & ~7u;
    }
    return 0;
}

int bootinfo_parse(uint32_t magic, uint64_t info_pa, phys_read_fn read, struct boot_info *out)
{
    memset(out, 0, sizeof(*out));
    out->info_start = UINT64_MAX;
    if (magic == MB1_BOOTLOADER_MAGIC)
        return parse_mb1(info_pa, read, out);
    if (magic == MB2_BOOTLOADER_MAGIC)
        return parse_mb2(info_pa, read, out);
    pr_err("boot: unknown boot loader magic %#x (not multiboot1 or multiboot2)\n", magic);
    return -1;
}
