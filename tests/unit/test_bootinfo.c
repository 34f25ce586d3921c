// SPDX-License-Identifier: GPL-2.0-only
/* Crafted Multiboot1 and Multiboot2 information blocks in fake physical memory. */
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/bootinfo.h"

#define MB1_INFO  0x200000ULL
#define MB1_MMAP  0x201000ULL
#define MB1_MODS  0x202000ULL
#define STRINGS   0x203000ULL
#define MB2_INFO  0x210000ULL

static struct boot_info bi;

static void put32(uint64_t pa, uint32_t v) { memcpy(fake_phys_at(pa), &v, 4); }
static void put64(uint64_t pa, uint64_t v) { memcpy(fake_phys_at(pa), &v, 8); }
static void put_str(uint64_t pa, const char *s) { memcpy(fake_phys_at(pa), s, strlen(s) + 1); }

static int setup(void **state)
{
    fake_phys_reset();
    unit_log_reset();
    return 0;
}

/* ---- Multiboot1 (spec 0.6.96 section 3.3) ---- */

static void mb1_info(uint32_t flags)
{
    put32(MB1_INFO, flags);
}

static void mb1_mem(uint32_t lower, uint32_t upper)
{
    put32(MB1_INFO + 4, lower);
    put32(MB1_INFO + 8, upper);
}

static void mb1_cmdline(uint32_t pa) { put32(MB1_INFO + 16, pa); }

static void mb1_mods(uint32_t count, uint32_t addr)
{
    put32(MB1_INFO + 20, count);
    put32(MB1_INFO + 24, addr);
}

static void mb1_mod(unsigned i, uint32_t start, uint32_t end, uint32_t str)
{
    put32(MB1_MODS + i * 16, start);
    put32(MB1_MODS + i * 16 + 4, end);
    put32(MB1_MODS + i * 16 + 8, str);
}

static void mb1_mmap(uint32_t len, uint32_t addr)
{
    put32(MB1_INFO + 44, len);
    put32(MB1_INFO + 48, addr);
}

/* Writes one entry at *off with the given size field; returns nothing, advances *off. */
static void mb1_mmap_entry(uint32_t *off, uint32_t size, uint64_t base, uint64_t len, uint32_t type)
{
    put32(MB1_MMAP + *off, size);
    put64(MB1_MMAP + *off + 4, base);
    put64(MB1_MMAP + *off + 12, len);
    put32(MB1_MMAP + *off + 20, type);
    *off += size + 4;
}

static void test_mb1_full(void **state)
{
    uint32_t off = 0;

    mb1_info((1u << 0) | (1u << 2) | (1u << 3) | (1u << 6));
    mb1_mem(639, 130048);
    put_str(STRINGS, "nestor loglevel=debug");
    mb1_cmdline(STRINGS);
    put_str(STRINGS + 0x100, "guest.elf mem=64M");
    mb1_mods(2, MB1_MODS);
    mb1_mod(0, 0x400000, 0x420000, STRINGS + 0x100);
    mb1_mod(1, 0x420000, 0x421000, 0);
    mb1_mmap_entry(&off, 20, 0, 0x9fc00, BOOT_MEM_USABLE);
    mb1_mmap_entry(&off, 20, 0x100000, 0x7ee0000, BOOT_MEM_USABLE);
    mb1_mmap_entry(&off, 28, 0xfffc0000, 0x40000, BOOT_MEM_RESERVED); /* bigger entries are allowed */
    mb1_mmap_entry(&off, 20, 0x200000000, 0, BOOT_MEM_USABLE);          /* zero length: dropped */
    mb1_mmap(off, MB1_MMAP);

    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, MB1_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.protocol, 1);
    assert_true(bi.has_basic_mem);
    assert_int_equal(bi.mem_lower_kb, 639);
    assert_int_equal(bi.mem_upper_kb, 130048);
    assert_string_equal(bi.cmdline, "nestor loglevel=debug");
    assert_int_equal(bi.module_count, 2);
    assert_int_equal(bi.modules[0].start, 0x400000);
    assert_int_equal(bi.modules[0].end, 0x420000);
    assert_string_equal(bi.modules[0].cmdline, "guest.elf mem=64M");
    assert_string_equal(bi.modules[1].cmdline, "");
    assert_int_equal(bi.mmap_count, 3);
    assert_int_equal(bi.mmap[1].base, 0x100000);
    assert_int_equal(bi.mmap[1].length, 0x7ee0000);
    assert_int_equal(bi.mmap[2].type, BOOT_MEM_RESERVED);
    assert_false(bi.mmap_truncated);
    assert_int_equal(bi.rsdp_len, 0);
    assert_int_equal(bi.info_start, MB1_INFO);
    assert_int_equal(bi.info_end, STRINGS + strlen("nestor loglevel=debug") + 1);
}

static void test_mb1_unreadable_and_unknown_magic(void **state)
{
    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, 0x1000, fake_phys_read, &bi), -1);
    assert_true(unit_log_contains("multiboot1 info at 0x1000 is not readable"));
    assert_int_equal(bootinfo_parse(0x12345678, MB1_INFO, fake_phys_read, &bi), -1);
    assert_true(unit_log_contains("unknown boot loader magic 0x12345678"));
}

static void test_mb1_no_mmap_no_modules(void **state)
{
    mb1_info((1u << 0) | (1u << 3));
    mb1_mem(640, 2048);
    mb1_mods(0, MB1_MODS);
    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, MB1_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.mmap_count, 0);
    assert_int_equal(bi.module_count, 0);
    assert_true(bi.has_basic_mem);
    assert_string_equal(bi.cmdline, "");
    assert_int_equal(bi.info_start, MB1_INFO);
    assert_int_equal(bi.info_end, MB1_INFO + 88);
}

static void test_mb1_mmap_entry_too_small_or_too_big(void **state)
{
    uint32_t off = 0;

    mb1_info(1u << 6);
    mb1_mmap_entry(&off, 20, 0x100000, 0x100000, BOOT_MEM_USABLE);
    mb1_mmap_entry(&off, 8, 0x200000, 0x100000, BOOT_MEM_USABLE);
    mb1_mmap(off + 40, MB1_MMAP);
    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, MB1_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.mmap_count, 1);
    assert_true(unit_log_contains("memory map entry of size 8, stopping there"));

    off = 0;
    unit_log_reset();
    mb1_mmap_entry(&off, 20, 0x100000, 0x100000, BOOT_MEM_USABLE);
    mb1_mmap_entry(&off, 0xfffffffc, 0x200000, 0x100000, BOOT_MEM_USABLE); /* would wrap off */
    mb1_mmap(48, MB1_MMAP);
    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, MB1_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.mmap_count, 1);
    assert_true(unit_log_contains("memory map entry of size 4294967292"));
}

static void test_mb1_wrapping_entry_and_truncated_map(void **state)
{
    uint32_t off = 0;

    mb1_info(1u << 6);
    mb1_mmap_entry(&off, 20, 0xfffffffffffff000ULL, 0x2000, BOOT_MEM_RESERVED);
    for (int i = 0; i < BOOT_MMAP_MAX + 5; i++)
        mb1_mmap_entry(&off, 20, 0x100000ULL * (i + 1), 0x1000, BOOT_MEM_USABLE);
    mb1_mmap(off, MB1_MMAP);
    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, MB1_INFO, fake_phys_read, &bi), 0);
    assert_true(unit_log_contains("wraps, clipped"));
    assert_int_equal(bi.mmap[0].length, 0x1000);   /* clipped to end at 2^64 */
    assert_int_equal(bi.mmap_count, BOOT_MMAP_MAX);
    assert_true(bi.mmap_truncated);
}

static void test_mb1_map_runs_off_memory(void **state)
{
    uint32_t off = 0;
    uint64_t end = FAKE_PHYS_BASE + FAKE_PHYS_SIZE;

    mb1_info(1u << 6);
    mb1_mmap_entry(&off, 20, 0x100000, 0x100000, BOOT_MEM_USABLE);
    /* The map claims 1 MiB starting 24 bytes before the end of readable memory. */
    memcpy(fake_phys_at(end - 24), fake_phys_at(MB1_MMAP), 24);
    mb1_mmap(0x100000, (uint32_t)(end - 24));
    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, MB1_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.mmap_count, 1);
}

/* A hostile map length: the scan stops after a bounded number of entries, the reservation covers what was read. */
static void test_mb1_hostile_mmap_length(void **state)
{
    uint32_t off = 0;

    mb1_info(1u << 6);
    for (int i = 0; i < 4 * BOOT_MMAP_MAX + 10; i++)
        mb1_mmap_entry(&off, 20, 0x100000ULL * (i + 1), 0, BOOT_MEM_USABLE); /* empty: never stored */
    mb1_mmap(0xfffffff0, MB1_MMAP);
    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, MB1_INFO, fake_phys_read, &bi), 0);
    assert_true(unit_log_contains("has more than 512 entries, stopping there"));
    assert_true(bi.mmap_truncated);
    assert_int_equal(bi.info_start, MB1_INFO);
    assert_int_equal(bi.info_end, MB1_MMAP + 4 * BOOT_MMAP_MAX * 24);
}

static void test_mb1_modules_malformed(void **state)
{
    mb1_info((1u << 3) | (1u << 2));
    mb1_cmdline(0);                                /* unreadable: empty, no reservation at 0 */
    mb1_mods(BOOT_MODULES_MAX + 3, MB1_MODS);
    for (unsigned i = 0; i < BOOT_MODULES_MAX + 3; i++)
        mb1_mod(i, 0x400000 + i * 0x1000, 0x401000 + i * 0x1000, 0);
    mb1_mod(1, 0x500000, 0x400000, 0);            /* end before start */
    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, MB1_INFO, fake_phys_read, &bi), 0);
    assert_string_equal(bi.cmdline, "");
    assert_true(unit_log_contains("has its end before its start"));
    assert_true(unit_log_contains("more than 16 modules"));
    assert_int_equal(bi.module_count, BOOT_MODULES_MAX);
    assert_int_equal(bi.modules[1].start, 0x402000);
    assert_int_equal(bi.info_start, MB1_INFO);
    assert_int_equal(bi.info_end, MB1_MODS + (BOOT_MODULES_MAX + 1) * 16);
}

static void test_mb1_hostile_module_count(void **state)
{
    mb1_info(1u << 3);
    mb1_mods(0xffffffff, (uint32_t)(FAKE_PHYS_BASE + FAKE_PHYS_SIZE - 16));
    assert_int_equal(bootinfo_parse(MB1_BOOTLOADER_MAGIC, MB1_INFO, fake_phys_read, &bi), 0);
    assert_true(unit_log_contains("module list at"));
    assert_int_equal(bi.module_count, 1);
    assert_int_equal(bi.info_end, FAKE_PHYS_BASE + FAKE_PHYS_SIZE);
}

/* ---- Multiboot2 (spec section 3.6) ---- */

static uint32_t mb2_off;

static void mb2_begin(void) { mb2_off = 8; }

static uint64_t mb2_tag(uint32_t type, uint32_t size)
{
    uint64_t pa = MB2_INFO + mb2_off;

    put32(pa, type);
    put32(pa + 4, size);
    mb2_off += (size + 7) & ~7u;
    return pa;
}

static void mb2_end(void)
{
    mb2_tag(0, 8);
    put32(MB2_INFO, mb2_off);
}

static void mb2_mmap_tag(uint32_t entry_size, unsigned n, const struct boot_mem_range *e)
{
    uint64_t t = mb2_tag(6, 16 + n * entry_size);

    put32(t + 8, entry_size);
    for (unsigned i = 0; i < n; i++) {
        put64(t + 16 + i * entry_size, e[i].base);
        put64(t + 24 + i * entry_size, e[i].length);
        put32(t + 32 + i * entry_size, e[i].type);
    }
}

static void test_mb2_full(void **state)
{
    static const struct boot_mem_range map[] = {
        { 0, 0x9fc00, BOOT_MEM_USABLE },
        { 0x100000, 0x7ee0000, BOOT_MEM_USABLE },
        { 0x7fe0000, 0x20000, BOOT_MEM_ACPI_RECLAIM },
    };
    uint64_t t;

    mb2_begin();
    t = mb2_tag(1, 8 + 22);
    put_str(t + 8, "nestor loglevel=debug");
    t = mb2_tag(3, 16 + 10);
    put32(t + 8, 0x400000);
    put32(t + 12, 0x480000);
    put_str(t + 16, "guest.elf");
    t = mb2_tag(4, 16);
    put32(t + 8, 639);
    put32(t + 12, 130048);
    mb2_mmap_tag(24, 3, map);
    t = mb2_tag(15, 8 + 36);                      /* ACPI 2.0 RSDP */
    memcpy(fake_phys_at(t + 8), "RSD PTR ", 8);
    *(uint8_t *)fake_phys_at(t + 8 + 15) = 2;
    t = mb2_tag(14, 8 + 20);                      /* ACPI 1.0 copy after it: ignored */
    memcpy(fake_phys_at(t + 8), "RSD PTR ", 8);
    mb2_tag(21, 12);                              /* unknown: skipped */
    mb2_end();

    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.protocol, 2);
    assert_string_equal(bi.cmdline, "nestor loglevel=debug");
    assert_int_equal(bi.module_count, 1);
    assert_int_equal(bi.modules[0].start, 0x400000);
    assert_int_equal(bi.modules[0].end, 0x480000);
    assert_string_equal(bi.modules[0].cmdline, "guest.elf");
    assert_true(bi.has_basic_mem);
    assert_int_equal(bi.mem_upper_kb, 130048);
    assert_int_equal(bi.mmap_count, 3);
    assert_int_equal(bi.mmap[2].type, BOOT_MEM_ACPI_RECLAIM);
    assert_int_equal(bi.mmap[2].base, 0x7fe0000);
    assert_int_equal(bi.rsdp_len, 36);
    assert_int_equal(bi.rsdp[15], 2);
    assert_int_equal(bi.info_start, MB2_INFO);
    assert_int_equal(bi.info_end, MB2_INFO + mb2_off);
}

static void test_mb2_acpi_old_then_new(void **state)
{
    uint64_t t;

    mb2_begin();
    t = mb2_tag(14, 8 + 20);
    *(uint8_t *)fake_phys_at(t + 8 + 15) = 0;
    t = mb2_tag(15, 8 + 100);                     /* longer than the copy: clipped to 64 */
    *(uint8_t *)fake_phys_at(t + 8 + 15) = 2;
    mb2_end();
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.rsdp_len, 64);
    assert_int_equal(bi.rsdp[15], 2);
}

static void test_mb2_bad_total_size(void **state)
{
    put32(MB2_INFO, 8);
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), -1);
    assert_true(unit_log_contains("multiboot2 info size 8 is not plausible"));
    put32(MB2_INFO, 2u << 20);
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), -1);
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, 0x1000, fake_phys_read, &bi), -1);
    assert_true(unit_log_contains("multiboot2 info at 0x1000 is not readable"));
}

static void test_mb2_total_size_past_readable_memory(void **state)
{
    uint64_t at = FAKE_PHYS_BASE + FAKE_PHYS_SIZE - 64;

    put32(at, 4096);
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, at, fake_phys_read, &bi), -1);
    assert_true(unit_log_contains("(4096 bytes) is not readable"));
}

static void test_mb2_bad_tag_sizes(void **state)
{
    uint64_t t;

    mb2_begin();
    t = mb2_tag(4, 16);
    put32(t + 8, 1);
    put32(t + 12, 2);
    mb2_tag(1, 4);                                /* smaller than a tag header */
    mb2_end();
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), 0);
    assert_true(unit_log_contains("multiboot2 tag 1 at +24 has bad size 4"));
    assert_true(bi.has_basic_mem);

    unit_log_reset();
    mb2_begin();
    mb2_tag(1, 9);
    mb2_tag(6, 4000);                              /* runs past total_size */
    put32(MB2_INFO, mb2_off - 4000 + 8 + 16);
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), 0);
    assert_true(unit_log_contains("has bad size 4000"));
    assert_int_equal(bi.mmap_count, 0);
}

static void test_mb2_small_tags_and_entries(void **state)
{
    static const struct boot_mem_range map[] = { { 0x100000, 0x100000, BOOT_MEM_USABLE } };

    mb2_begin();
    mb2_tag(3, 12);                               /* module tag without addresses: ignored */
    mb2_tag(4, 12);                               /* basic meminfo too short: ignored */
    mb2_tag(6, 12);                               /* mmap tag without entry size: ignored */
    mb2_mmap_tag(16, 1, map);                     /* entry size too small: map ignored */
    mb2_tag(14, 8);                               /* empty RSDP copy */
    mb2_end();
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.module_count, 0);
    assert_false(bi.has_basic_mem);
    assert_int_equal(bi.mmap_count, 0);
    assert_true(unit_log_contains("memory map entry size 16 too small"));
    assert_int_equal(bi.rsdp_len, 0);
}

/* An entry size near 2^32 must not wrap the entry offset back into (or past) the tag. */
static void test_mb2_mmap_entry_size_wraps(void **state)
{
    static const struct boot_mem_range map[] = { { 0x100000, 0x100000, BOOT_MEM_USABLE } };
    uint64_t t;

    mb2_begin();
    mb2_mmap_tag(24, 1, map);
    t = MB2_INFO + 8;
    put32(t + 8, 0xfffffff8);
    mb2_end();
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.mmap_count, 0);
    assert_true(unit_log_contains("memory map entry size 4294967288 larger than its tag (40 bytes)"));
}

static void test_mb2_larger_entries_no_end_tag_long_cmdline(void **state)
{
    static const struct boot_mem_range map[] = {
        { 0x100000, 0x100000, BOOT_MEM_USABLE },
        { 0x300000, 0x100000, BOOT_MEM_ACPI_NVS },
    };
    uint64_t t;

    mb2_begin();
    mb2_mmap_tag(32, 2, map);                     /* future, larger entries */
    t = mb2_tag(1, 8 + 2000);
    memset(fake_phys_at(t + 8), 'a', 2000);       /* not terminated inside the tag */
    put32(MB2_INFO, mb2_off);                     /* no end tag */
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.mmap_count, 2);
    assert_int_equal(bi.mmap[1].type, BOOT_MEM_ACPI_NVS);
    assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

static void test_mb2_modules_limits(void **state)
{
    uint64_t t;

    mb2_begin();
    for (unsigned i = 0; i < BOOT_MODULES_MAX + 1; i++) {
        t = mb2_tag(3, 16 + 300);
        put32(t + 8, 0x400000);
        put32(t + 12, 0x401000);
        memset(fake_phys_at(t + 16), 'm', 300); /* longer than BOOT_STRING_MAX, unterminated */
    }
    t = mb2_tag(3, 17);
    mb2_end();
    assert_int_equal(bootinfo_parse(MB2_BOOTLOADER_MAGIC, MB2_INFO, fake_phys_read, &bi), 0);
    assert_int_equal(bi.module_count, BOOT_MODULES_MAX);
    assert_int_equal(strlen(bi.modules[0].cmdline), BOOT_STRING_MAX - 1);
    assert_true(unit_log_contains("more than 16 modules"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_mb1_full, setup),
        cmocka_unit_test_setup(test_mb1_unreadable_and_unknown_magic, setup),
        cmocka_unit_test_setup(test_mb1_no_mmap_no_modules, setup),
        cmocka_unit_test_setup(test_mb1_mmap_entry_too_small_or_too_big, setup),
        cmocka_unit_test_setup(test_mb1_wrapping_entry_and_truncated_map, setup),
        cmocka_unit_test_setup(test_mb1_map_runs_off_memory, setup),
        cmocka_unit_test_setup(test_mb1_hostile_mmap_length, setup),
        cmocka_unit_test_setup(test_mb1_modules_malformed, setup),
        cmocka_unit_test_setup(test_mb1_hostile_module_count, setup),
        cmocka_unit_test_setup(test_mb2_full, setup),
        cmocka_unit_test_setup(test_mb2_acpi_old_then_new, setup),
        cmocka_unit_test_setup(test_mb2_bad_total_size, setup),
        cmocka_unit_test_setup(test_mb2_total_size_past_readable_memory, setup),
        cmocka_unit_test_setup(test_mb2_bad_tag_sizes, setup),
        cmocka_unit_test_setup(test_mb2_small_tags_and_entries, setup),
        cmocka_unit_test_setup(test_mb2_mmap_entry_size_wraps, setup),
        cmocka_unit_test_setup(test_mb2_larger_entries_no_end_tag_long_cmdline, setup),
        cmocka_unit_test_setup(test_mb2_modules_limits, setup),
    };
    return UNIT_RUN(tests);
}
