// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/support.h"

#include <string.h>

#include "kernel/acpi/acpi.h"
#include "kernel/acpi/sdt.h"
#include "kernel/errno.h"
#include "tests/unit/acpi_fixtures.h"

/* Physical memory: low 1 MiB (BDA, EBDA, BIOS area) here, tables in fake_phys above it. */
#define LOWMEM_BYTES 0x100000u
static uint8_t lowmem[LOWMEM_BYTES];
static bool lowmem_readable;

static const void *test_read(uint64_t pa, size_t len)
{
    if (pa < LOWMEM_BYTES)
        return lowmem_readable && len <= LOWMEM_BYTES - pa ? lowmem + pa : NULL;
    return fake_phys_read(pa, len);
}

#define XSDT_PA 0x200000u
#define RSDT_PA 0x201000u
#define FACP_PA 0x202000u
#define APIC_PA 0x203000u
#define MCFG_PA 0x204000u
#define DMAR_PA 0x205000u
#define HPET_PA 0x206000u
#define BIOS_RSDP_PA 0xf5250u

static struct boot_info bi;

static void reset_memory(void)
{
    memset(lowmem, 0, sizeof(lowmem));
    lowmem_readable = true;
    fake_phys_reset();
    memset(&bi, 0, sizeof(bi));
    unit_log_reset();
}

static struct fx table_at(uint64_t pa, const char *sig, uint8_t rev)
{
    struct fx f;

    fx_init(&f, fake_phys_at(pa), 0x1000);
    fx_header(&f, sig, rev);
    return f;
}

/* A FADT as QEMU q35 writes it (revision 3, 244 bytes), PM timer at port 0x608. */
static void put_fadt(uint64_t pa, uint8_t rev, size_t len)
{
    struct fx f = table_at(pa, "FACP", rev);
    uint8_t *t = f.buf;

    fx_zeros(&f, len - 36);
    t[46] = 9;                                   /* SCI_INT */
    t[64] = 0x04; t[65] = 0x06;                  /* PM1a_CNT_BLK 0x604 */
    t[76] = 0x08; t[77] = 0x06;                  /* PM_TMR_BLK 0x608 */
    t[89] = 2; t[91] = 4;
    t[108] = 0x32;                               /* CENTURY */
    t[109] = 0x03;                               /* IAPC: legacy devices, 8042 */
    if (len >= 129) {
        t[112] = 0xa5; t[113] = 0x04;            /* flags incl. RESET_REG_SUP */
        t[116] = ACPI_GAS_SYSTEM_IO; t[117] = 8;
        t[120] = 0xf9; t[121] = 0x0c;            /* RESET_REG 0xcf9 */
        t[128] = 0x0f;
    }
    fx_finish(&f);
}

static void put_madt(uint64_t pa)
{
    struct fx f = table_at(pa, "APIC", 3);
    size_t s;

    fx_u32(&f, 0xfee00000);
    fx_u32(&f, 1);
    s = fx_begin8(&f, 0);
    fx_u8(&f, 0);
    fx_u8(&f, 0);
    fx_u32(&f, 1);
    fx_end8(&f, s);
    s = fx_begin8(&f, 1);
    fx_u8(&f, 0);
    fx_u8(&f, 0);
    fx_u32(&f, 0xfec00000);
    fx_u32(&f, 0);
    fx_end8(&f, s);
    fx_finish(&f);
}

static void put_mcfg(uint64_t pa)
{
    struct fx f = table_at(pa, "MCFG", 1);

    fx_zeros(&f, 8);
    fx_u64(&f, 0xb0000000);
    fx_u16(&f, 0);
    fx_u8(&f, 0);
    fx_u8(&f, 0xff);
    fx_u32(&f, 0);
    fx_finish(&f);
}

static void put_dmar(uint64_t pa)
{
    static const uint8_t ioapic[] = { 0, 0 }, edu[] = { 3, 0 };
    struct fx f;
    size_t s;

    fx_init(&f, fake_phys_at(pa), 0x1000);
    fx_dmar_header(&f, 47, DMAR_FLAG_INTR_REMAP);
    s = fx_drhd_begin(&f, 0, 0, 0, 0xfed90000);
    fx_scope(&f, DMAR_SCOPE_IOAPIC, 0, 0xff, 1, ioapic);
    fx_scope(&f, DMAR_SCOPE_PCI_ENDPOINT, 0, 0, 1, edu);
    fx_end16(&f, s);
    fx_finish(&f);
}

/* The root table at pa listing n tables, with 4- or 8-byte entries. */
static void put_root(uint64_t pa, bool xsdt, const uint64_t *tables, unsigned n)
{
    struct fx f;

    fx_init(&f, fake_phys_at(pa), 0x1000);
    fx_header(&f, xsdt ? "XSDT" : "RSDT", 1);
    for (unsigned i = 0; i < n; i++) {
        if (xsdt)
            fx_u64(&f, tables[i]);
        else
            fx_u32(&f, (uint32_t)tables[i]);
    }
    fx_finish(&f);
}

static const uint64_t all_tables[] = { FACP_PA, APIC_PA, HPET_PA, MCFG_PA, DMAR_PA };

/* A q35-like machine: XSDT and RSDT both listing FACP APIC HPET MCFG (DMAR if asked). */
static void build_machine(bool with_dmar)
{
    struct fx f;

    reset_memory();
    put_fadt(FACP_PA, 3, 244);
    put_madt(APIC_PA);
    put_mcfg(MCFG_PA);
    put_dmar(DMAR_PA);
    f = table_at(HPET_PA, "HPET", 1);
    fx_zeros(&f, 20);
    fx_finish(&f);
    put_root(XSDT_PA, true, all_tables, with_dmar ? 5 : 4);
    put_root(RSDT_PA, false, all_tables, with_dmar ? 5 : 4);
}

static void test_checksums_and_headers(void **state)
{
    uint8_t t[64];
    struct fx f;
    size_t len;
    char sig[5];

    fx_init(&f, t, sizeof(t));
    fx_header(&f, "TEST", 1);
    len = fx_finish(&f);
    assert_int_equal(acpi_checksum(t, len), 0);
    assert_int_equal(acpi_table_check(t, len, "TEST"), ACPI_TABLE_OK);
    assert_int_equal(acpi_table_check(t, len, NULL), ACPI_TABLE_OK);
    assert_int_equal(acpi_table_check(t, len, "ABCD"), ACPI_TABLE_BAD_SIG);
    assert_int_equal(acpi_table_check(t, len - 1, "TEST"), ACPI_TABLE_TRUNCATED);
    assert_int_equal(acpi_table_check(NULL, 100, "TEST"), ACPI_TABLE_TRUNCATED);
    t[4] = 10;   /* Length below a header */
    assert_int_equal(acpi_table_check(t, len, "TEST"), ACPI_TABLE_TRUNCATED);
    t[4] = 36;
    t[20] ^= 1;
    assert_int_equal(acpi_table_check(t, len, "TEST"), ACPI_TABLE_BAD_CHECKSUM);
    assert_string_equal(acpi_table_status_str(ACPI_TABLE_OK), "ok");
    assert_string_equal(acpi_table_status_str((enum acpi_table_status)99), "is invalid");
    t[1] = 0x07;
    acpi_sig_string(t, sig);
    assert_string_equal(sig, "T?ST");
}

static void test_rsdp_decode(void **state)
{
    uint8_t r[64];
    struct acpi_rsdp d;

    unit_log_reset();
    fx_rsdp(r, 0, 0x1234, 0);
    assert_int_equal(acpi_rsdp_decode(r, 20, &d), 0);
    assert_int_equal(d.revision, 0);
    assert_int_equal(d.rsdt, 0x1234);
    assert_true(d.xsdt == 0);
    r[12] ^= 1;
    assert_true(acpi_rsdp_decode(r, 20, &d) < 0);
    assert_true(acpi_rsdp_decode(r, 19, &d) < 0);
    assert_true(acpi_rsdp_decode(NULL, 20, &d) < 0);
    r[0] = 'X';
    assert_true(acpi_rsdp_decode(r, 20, &d) < 0);

    fx_rsdp(r, 2, 0x1234, 0x123456789ull);
    assert_int_equal(acpi_rsdp_decode(r, 36, &d), 0);
    assert_int_equal(d.revision, 2);
    assert_true(d.xsdt == 0x123456789ull);
    /* only the v1 part available (a rev 2 RSDP in an old multiboot tag) */
    assert_int_equal(acpi_rsdp_decode(r, 20, &d), 0);
    assert_true(d.xsdt == 0);
    assert_true(unit_log_contains("acpi: RSDP rev 2 has length 0 (20 bytes available); using its RSDT only"));
    r[33] = 1;   /* reserved byte: breaks only the extended checksum */
    assert_int_equal(acpi_rsdp_decode(r, 36, &d), 0);
    assert_true(d.xsdt == 0);
    assert_int_equal(d.rsdt, 0x1234);
    assert_true(unit_log_contains("acpi: RSDP rev 2 has a bad extended checksum; using its RSDT only"));
}

static void test_rsdp_find(void **state)
{
    struct acpi_rsdp d;

    /* the boot loader's copy wins */
    reset_memory();
    bi.rsdp_len = fx_rsdp(bi.rsdp, 2, RSDT_PA, XSDT_PA);
    fx_rsdp(lowmem + BIOS_RSDP_PA, 0, 0x999000, 0);
    assert_int_equal(acpi_rsdp_find(&bi, test_read, &d), 0);
    assert_true(d.from_loader);
    assert_true(d.xsdt == XSDT_PA);

    /* an invalid copy: the BIOS area is scanned; a bad candidate before it is reported */
    bi.rsdp[8] ^= 1;
    fx_rsdp(lowmem + 0xe0100, 0, 0x888000, 0);
    lowmem[0xe0100 + 8] ^= 1;
    assert_int_equal(acpi_rsdp_find(&bi, test_read, &d), 0);
    assert_false(d.from_loader);
    assert_true(d.pa == BIOS_RSDP_PA);
    assert_int_equal(d.rsdt, 0x999000);
    assert_true(unit_log_contains("acpi: the boot loader's RSDP copy is invalid, searching the BIOS areas"));
    assert_true(unit_log_contains("acpi: RSDP at 0x000e0100 has a bad checksum, ignored"));

    /* the EBDA's first KiB is searched first */
    lowmem[0x40e] = 0xc0;
    lowmem[0x40f] = 0x9f;
    fx_rsdp(lowmem + 0x9fc10, 0, 0x777000, 0);
    assert_int_equal(acpi_rsdp_find(NULL, test_read, &d), 0);
    assert_true(d.pa == 0x9fc10);
    /* an EBDA segment outside 0x80000-0xa0000 is not trusted */
    lowmem[0x40f] = 0x01;
    assert_int_equal(acpi_rsdp_find(NULL, test_read, &d), 0);
    assert_true(d.pa == BIOS_RSDP_PA);

    /* not 16-byte aligned: not found; nothing readable: not found */
    reset_memory();
    fx_rsdp(lowmem + 0xe0008, 0, 0x1000, 0);
    assert_int_equal(acpi_rsdp_find(&bi, test_read, &d), -ENODEV);
    lowmem_readable = false;
    assert_int_equal(acpi_rsdp_find(&bi, test_read, &d), -ENODEV);
}

static void test_init_xsdt_from_loader(void **state)
{
    const void *t;
    size_t len = 0;

    build_machine(true);
    bi.rsdp_len = fx_rsdp(bi.rsdp, 2, RSDT_PA, XSDT_PA);
    assert_int_equal(acpi_init(&bi, test_read), 0);
    assert_true(acpi_info.root_is_xsdt);
    assert_int_equal(acpi_info.ntables, 5);
    assert_true(acpi_info.have_fadt && acpi_info.have_madt && acpi_info.have_mcfg && acpi_info.have_dmar);
    assert_int_equal(acpi_info.dmar.ndrhd, 1);
    assert_int_equal(acpi_info.fadt.pm_timer.address, 0x608);
    assert_true(unit_log_contains("acpi: RSDP rev 2 from multiboot2, XSDT at 0x00200000\n"
                                  "acpi: tables: FACP APIC HPET MCFG DMAR\n"));
    assert_true(unit_log_contains("fadt: revision 3.0 flags 0x4a5 sci irq 9 pm timer io 0x608 (24-bit)\n"));
    assert_true(unit_log_contains("debug: fadt: reset register io 0xcf9 value 0xf\n"));
    assert_true(unit_log_contains("cpus: 1 (apic ids 0)\n"));
    assert_true(unit_log_contains("ioapic: id 0 at 0xfec00000 gsi 0\n"));
    assert_true(unit_log_contains("mcfg: segment 0 buses 00-ff ecam 0x00000000b0000000\n"));
    assert_true(unit_log_contains("dmar: host address width 48, flags 0x1 (intr-remap)\n"
                                  "dmar: drhd0 base 0x00000000fed90000 segment 0 flags 0x0 size 4 KiB\n"
                                  "dmar:   scope ioapic id 0 path ff:00.0\n"
                                  "dmar:   scope endpoint path 00:03.0\n"));

    t = acpi_find_table("DMAR", 0, &len);
    assert_ptr_equal(t, fake_phys_at(DMAR_PA));
    assert_int_equal(len, acpi_table_length(t));
    assert_null(acpi_find_table("DMAR", 1, &len));
    assert_null(acpi_find_table("SSDT", 0, &len));
}

static void test_init_rsdt_by_scan_without_dmar(void **state)
{
    build_machine(false);
    fx_rsdp(lowmem + BIOS_RSDP_PA, 0, RSDT_PA, 0);
    assert_int_equal(acpi_init(&bi, test_read), 0);
    assert_false(acpi_info.root_is_xsdt);
    assert_false(acpi_info.have_dmar);
    assert_true(unit_log_contains("acpi: RSDP rev 0 at 0x000f5250, RSDT at 0x00201000\n"
                                  "acpi: tables: FACP APIC HPET MCFG\n"));
    assert_true(unit_log_contains("dmar: no DMAR table: VT-d is not available (no DMA remapping, no device isolation)\n"));
}

static void test_xsdt_bad_falls_back_to_rsdt(void **state)
{
    uint8_t *x;

    build_machine(true);
    fx_rsdp(lowmem + BIOS_RSDP_PA, 2, RSDT_PA, XSDT_PA);
    x = fake_phys_at(XSDT_PA);
    x[40] ^= 0x10;
    assert_int_equal(acpi_init(&bi, test_read), 0);
    assert_false(acpi_info.root_is_xsdt);
    assert_true(acpi_info.have_dmar);
    assert_true(unit_log_contains("warning: acpi: XSDT at 0x00200000 has a bad checksum, ignored\n"));
    assert_true(unit_log_contains("acpi: using the RSDT at 0x00201000\n"));
    assert_true(unit_log_contains("acpi: RSDP rev 2 at 0x000f5250, RSDT at 0x00201000\n"));

    /* the XSDT's address holds another table: wrong signature */
    build_machine(true);
    fx_rsdp(lowmem + BIOS_RSDP_PA, 2, RSDT_PA, FACP_PA);
    assert_int_equal(acpi_init(&bi, test_read), 0);
    assert_true(unit_log_contains("acpi: table at 0x00202000 is FACP, not XSDT, ignored"));
}

static void test_bad_tables_are_ignored(void **state)
{
    uint64_t tables[] = { FACP_PA, 0, DMAR_PA, 0x7ffff000u, 0x4fffb0u, APIC_PA, MCFG_PA };
    struct fx f;
    uint8_t *d;

    build_machine(true);
    d = fake_phys_at(DMAR_PA);
    d[60] ^= 0xff;                                   /* DMAR: bad checksum */
    d = fake_phys_at(APIC_PA);
    d[4] = 0x00; d[5] = 0x00; d[6] = 0x00; d[7] = 0x10;   /* MADT: 256 MiB long */
    put_fadt(FACP_PA, 1, 116);
    f = table_at(MCFG_PA, "MCFG", 1);                /* MCFG: header only, checksum fine */
    fx_finish(&f);
    /* a header at the very end of memory whose Length runs past it */
    bi.rsdp_len = fx_rsdp(bi.rsdp, 2, 0, XSDT_PA);
    memcpy(fake_phys_at(0x4fffb0u), "SSDT\x00\x10\x00\x00", 8);
    put_root(XSDT_PA, true, tables, 7);

    assert_int_equal(acpi_init(&bi, test_read), 0);
    assert_true(unit_log_contains("warning: acpi: root table lists a null table address, ignored\n"));
    assert_true(unit_log_contains("warning: acpi: DMAR at 0x00205000 has a bad checksum, ignored\n"));
    assert_true(unit_log_contains("warning: acpi: table at 0x7ffff000 is not readable, ignored\n"));
    assert_true(unit_log_contains("warning: acpi: SSDT at 0x004fffb0 is truncated (4096 bytes not readable), ignored\n"));
    assert_true(unit_log_contains("warning: acpi: APIC at 0x00203000 has length 268435456 (36 to 4194304), ignored\n"));
    assert_true(unit_log_contains("acpi: tables: FACP MCFG\n"));
    assert_true(unit_log_contains("fadt: revision 1.0 flags 0x0 sci irq 9 pm timer io 0x608 (24-bit)\n"));
    assert_true(unit_log_contains("madt: no usable MADT: one CPU assumed, no I/O APIC known\n"));
    assert_true(unit_log_contains("mcfg: table length 36 is shorter than its fixed part, ignored\n"));
    assert_true(unit_log_contains("mcfg: no usable MCFG: PCI configuration through ports 0xcf8/0xcfc only\n"));
    assert_true(unit_log_contains("dmar: DMAR table unusable: VT-d is not available (no DMA remapping, no device isolation)\n"));
    assert_false(acpi_info.have_dmar);
    assert_false(acpi_info.have_madt);
    assert_false(acpi_info.have_mcfg);
    assert_true(acpi_info.have_fadt);
    assert_int_equal(acpi_info.fadt.iapc_boot_flags, 0);  /* reserved in revision 1 */
    assert_int_equal(acpi_info.ntables, 3);
    assert_false(acpi_info.tables[1].checksum_ok);
    assert_null(acpi_find_table("DMAR", 0, &(size_t){ 0 }));
}

static void test_dmar_header_unusable(void **state)
{
    struct fx f;

    build_machine(true);
    f = table_at(DMAR_PA, "DMAR", 1);   /* valid checksum, but no room for HAW/flags */
    fx_finish(&f);
    bi.rsdp_len = fx_rsdp(bi.rsdp, 2, RSDT_PA, XSDT_PA);
    assert_int_equal(acpi_init(&bi, test_read), 0);
    assert_false(acpi_info.have_dmar);
    assert_true(unit_log_contains("dmar: table length 36 is shorter than its header (48), ignored"));
    assert_true(unit_log_contains("dmar: DMAR table unusable: VT-d is not available"));
}

static void test_root_problems(void **state)
{
    uint64_t many[ACPI_MAX_TABLES + 2];
    uint8_t *x;

    /* no RSDP at all */
    reset_memory();
    assert_int_equal(acpi_init(&bi, test_read), -ENODEV);
    assert_false(acpi_info.have_rsdp);
    assert_true(unit_log_contains("acpi: no RSDP found: no ACPI tables"));
    assert_true(unit_log_contains("dmar: no DMAR table: VT-d is not available"));
    assert_null(acpi_find_table("APIC", 0, &(size_t){ 0 }));

    /* an RSDP whose RSDT is not there */
    reset_memory();
    fx_rsdp(lowmem + BIOS_RSDP_PA, 0, 0x300000, 0);
    assert_int_equal(acpi_init(&bi, test_read), -ENODEV);
    assert_true(unit_log_contains("acpi: table at 0x00300000 is ????, not RSDT, ignored"));
    assert_true(unit_log_contains("acpi: RSDP rev 0 has no usable root table: no ACPI tables"));

    /* a rev 2 RSDP with no RSDT and a broken XSDT */
    build_machine(true);
    x = fake_phys_at(XSDT_PA);
    x[4] = 20;
    bi.rsdp_len = fx_rsdp(bi.rsdp, 2, 0, XSDT_PA);
    assert_int_equal(acpi_init(&bi, test_read), -ENODEV);
    assert_true(unit_log_contains("acpi: XSDT at 0x00200000 has length 20 (36 to 4194304), ignored"));

    /* more tables than the index holds; an XSDT with a partial entry */
    build_machine(true);
    for (unsigned i = 0; i < ACPI_MAX_TABLES + 2; i++)
        many[i] = HPET_PA;
    put_root(XSDT_PA, true, many, ACPI_MAX_TABLES + 2);
    x = fake_phys_at(XSDT_PA);
    x[4] = (uint8_t)(x[4] + 4);
    fx_fix_checksum(x);
    bi.rsdp_len = fx_rsdp(bi.rsdp, 2, 0, XSDT_PA);
    assert_int_equal(acpi_init(&bi, test_read), 0);
    assert_int_equal(acpi_info.ntables, ACPI_MAX_TABLES);
    assert_true(unit_log_contains("acpi: more than 64 tables, table at 0x00206000 ignored"));
    assert_true(unit_log_contains("acpi: XSDT length 568 is not a whole number of entries, the partial one ignored"));
    assert_non_null(acpi_find_table("HPET", 63, &(size_t){ 0 }));
    assert_null(acpi_find_table("HPET", 64, &(size_t){ 0 }));
}

static unsigned log_count(const char *needle)
{
    unsigned n = 0;

    for (const char *p = unit_log_text(); (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* A root table of thousands of null entries: a bounded number is read, each logged once. */
static void test_root_with_thousands_of_entries(void **state)
{
    struct fx f;

    build_machine(true);
    fx_init(&f, fake_phys_at(0x300000), 0x10000);
    fx_header(&f, "XSDT", 1);
    fx_u64(&f, APIC_PA);
    fx_zeros(&f, 4000 * 8);
    fx_finish(&f);
    bi.rsdp_len = fx_rsdp(bi.rsdp, 2, 0, 0x300000);
    assert_int_equal(acpi_init(&bi, test_read), 0);
    assert_true(unit_log_contains("acpi: XSDT lists 4001 tables, only the first 256 are read"));
    assert_int_equal(log_count("root table lists a null table address"), 255);
    assert_int_equal(acpi_info.ntables, 1);
    assert_true(acpi_info.have_madt);
}

static void test_fadt_fields(void **state)
{
    struct fadt_info fi;
    struct fx f;
    uint8_t *t;
    size_t len;

    reset_memory();
    put_fadt(FACP_PA, 6, 276);
    t = fake_phys_at(FACP_PA);
    t[131] = 0x34;                                      /* minor version 4 */
    t[140] = 0x00; t[141] = 0x10; t[142] = 0x20;        /* X_DSDT 0x201000 */
    t[172] = ACPI_GAS_SYSTEM_IO; t[173] = 16; t[176] = 0x04; t[177] = 0x06;
    t[208] = ACPI_GAS_SYSTEM_MEMORY; t[209] = 32; t[212] = 0x00; t[213] = 0x80; t[214] = 0xd0; t[215] = 0xfe;
    t[113] |= 0x01;                                     /* TMR_VAL_EXT */
    fx_fix_checksum(t);
    assert_int_equal(fadt_parse(t, 276, &fi), 0);
    assert_int_equal(fi.revision, 6);
    assert_int_equal(fi.minor_revision, 4);
    assert_true(fi.dsdt == 0x201000);
    assert_true(fi.pm1a_cnt.address == 0x604);
    assert_int_equal(fi.pm1a_cnt.bit_width, 16);
    assert_int_equal(fi.pm_timer.space_id, ACPI_GAS_SYSTEM_MEMORY);
    assert_true(fi.pm_timer.address == 0xfed08000);
    assert_true(fi.have_reset_reg);
    assert_true(fi.reset_reg.address == 0xcf9);
    assert_int_equal(fi.reset_value, 0x0f);
    assert_int_equal(fi.century, 0x32);
    assert_int_equal(fi.iapc_boot_flags, FADT_IAPC_LEGACY_DEVICES | FADT_IAPC_8042);
    assert_true(fi.flags & FADT_FLAG_TMR_VAL_EXT);

    /* the summary line for a memory-mapped 32-bit timer */
    put_root(XSDT_PA, true, (uint64_t[]){ FACP_PA }, 1);
    bi.rsdp_len = fx_rsdp(bi.rsdp, 2, 0, XSDT_PA);
    assert_int_equal(acpi_init(&bi, test_read), 0);
    assert_true(unit_log_contains("fadt: revision 6.4 flags 0x5a5 sci irq 9 pm timer mem 0xfed08000 (32-bit)\n"));

    /* too short for an ACPI 1.0 FADT; bad checksum */
    fx_init(&f, fake_phys_at(FACP_PA), 0x200);
    fx_header(&f, "FACP", 1);
    fx_zeros(&f, 40);
    len = fx_finish(&f);
    unit_log_reset();
    assert_true(fadt_parse(f.buf, len, &fi) < 0);
    assert_true(unit_log_contains("fadt: table length 76 is shorter than an ACPI 1.0 FADT (116), ignored"));
    f.buf[50] = 1;
    assert_true(fadt_parse(f.buf, len, &fi) < 0);
    assert_true(unit_log_contains("fadt: table has a bad checksum, ignored"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checksums_and_headers),
        cmocka_unit_test(test_rsdp_decode),
        cmocka_unit_test(test_rsdp_find),
        cmocka_unit_test(test_init_xsdt_from_loader),
        cmocka_unit_test(test_init_rsdt_by_scan_without_dmar),
        cmocka_unit_test(test_xsdt_bad_falls_back_to_rsdt),
        cmocka_unit_test(test_bad_tables_are_ignored),
        cmocka_unit_test(test_dmar_header_unusable),
        cmocka_unit_test(test_root_problems),
        cmocka_unit_test(test_root_with_thousands_of_entries),
        cmocka_unit_test(test_fadt_fields),
    };
    return UNIT_RUN(tests);
}
