// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest ACPI tables: read back with Nestor's own host parsers (checksums, MADT, MCFG,
 * FADT), and disassembled with `iasl -d` (acpica-tools) when it is installed.
 */
#include "tests/unit/support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/acpi/fadt.h"
#include "kernel/acpi/madt.h"
#include "kernel/acpi/mcfg.h"
#include "kernel/acpi/sdt.h"
#include "kernel/errno.h"
#include "vmm/guest_acpi.h"

static uint8_t image[4096];
static struct guest_acpi_layout lay;

static const struct guest_acpi_config cfg = {
    .nr_cpus = 2, .lapic_base = 0xFEE00000, .ioapic_base = 0xFEC00000, .ioapic_id = 0, .ioapic_gsi_base = 0,
    .have_ecam = true, .ecam_base = 0xB0000000, .ecam_start_bus = 0, .ecam_end_bus = 255,
};

static const uint8_t *at(uint64_t gpa)
{
    return image + (gpa - GUEST_ACPI_BASE);
}

static int setup(void **state)
{
    memset(image, 0xEE, sizeof(image));
    assert_int_equal(guest_acpi_build(&cfg, GUEST_ACPI_BASE, image, sizeof(image), &lay), 0);
    return 0;
}

static void test_rsdp_and_roots(void **state)
{
    const uint8_t *r = at(lay.rsdp);

    assert_int_equal(lay.rsdp, GUEST_ACPI_BASE);
    assert_true(lay.bytes < GUEST_ACPI_AREA_END - GUEST_ACPI_BASE);
    assert_memory_equal(r, "RSD PTR ", 8);
    assert_int_equal(acpi_checksum(r, 20), 0);
    assert_int_equal(acpi_checksum(r, 36), 0);
    assert_int_equal(r[15], 2);
    assert_int_equal(acpi_get_le32(r + 16), lay.rsdt);
    assert_int_equal(acpi_get_le32(r + 20), 36);
    assert_int_equal(acpi_get_le64(r + 24), lay.xsdt);
    assert_int_equal(acpi_table_check(at(lay.rsdt), 4096, "RSDT"), ACPI_TABLE_OK);
    assert_int_equal(acpi_table_check(at(lay.xsdt), 4096, "XSDT"), ACPI_TABLE_OK);
    assert_int_equal(acpi_table_length(at(lay.rsdt)), 36 + 3 * 4);
    assert_int_equal(acpi_table_length(at(lay.xsdt)), 36 + 3 * 8);
    assert_int_equal(acpi_get_le32(at(lay.rsdt) + 36), lay.fadt);
    assert_int_equal(acpi_get_le32(at(lay.rsdt) + 40), lay.madt);
    assert_int_equal(acpi_get_le32(at(lay.rsdt) + 44), lay.mcfg);
    assert_int_equal(acpi_get_le64(at(lay.xsdt) + 52), lay.mcfg);
    for (uint64_t *t = &lay.rsdp; t <= &lay.mcfg; t++)
        assert_int_equal(*t & 15, 0); /* 16-byte aligned, the RSDP scan needs it */
}

static void test_tables_parse(void **state)
{
    struct madt_info *m = calloc(1, sizeof(*m));
    struct mcfg_info mc;
    struct fadt_info f;

    assert_int_equal(madt_parse(at(lay.madt), acpi_table_length(at(lay.madt)), m), 0);
    assert_int_equal(m->lapic_base, 0xFEE00000);
    assert_false(m->pcat_compat);
    assert_int_equal(m->ncpus, 2);
    assert_int_equal(m->cpus[1].apic_id, 1);
    assert_true(m->cpus[1].enabled);
    assert_int_equal(m->nioapics, 1);
    assert_int_equal(m->ioapics[0].address, 0xFEC00000);
    assert_int_equal(m->noverrides, 1);
    assert_int_equal(m->overrides[0].source, 0);
    assert_int_equal(m->overrides[0].gsi, 2);
    assert_int_equal(m->skipped, 0);
    free(m);
    assert_int_equal(mcfg_parse(at(lay.mcfg), acpi_table_length(at(lay.mcfg)), &mc), 0);
    assert_int_equal(mc.count, 1);
    assert_int_equal(mc.seg[0].base, 0xB0000000);
    assert_int_equal(mc.seg[0].end_bus, 255);
    assert_int_equal(fadt_parse(at(lay.fadt), acpi_table_length(at(lay.fadt)), &f), 0);
    assert_int_equal(f.revision, 6);
    assert_int_equal(f.minor_revision, 5);
    assert_true(f.flags & FADT_FLAG_HW_REDUCED);
    assert_int_equal(f.dsdt, lay.dsdt);
    assert_int_equal(acpi_table_check(at(lay.dsdt), 4096, "DSDT"), ACPI_TABLE_OK);
    assert_int_equal(acpi_table_length(at(lay.fadt)), 276);
}

static void test_bad_config_and_space(void **state)
{
    struct guest_acpi_config c = cfg;
    uint8_t small[200];

    c.nr_cpus = 0;
    assert_int_equal(guest_acpi_build(&c, GUEST_ACPI_BASE, image, sizeof(image), &lay), -EINVAL);
    c.nr_cpus = GUEST_ACPI_MAX_CPUS + 1;
    assert_int_equal(guest_acpi_build(&c, GUEST_ACPI_BASE, image, sizeof(image), &lay), -EINVAL);
    c = cfg;
    assert_int_equal(guest_acpi_build(&c, GUEST_ACPI_BASE + 8, image, sizeof(image), &lay), -EINVAL);
    assert_int_equal(guest_acpi_build(&c, 0xFFFFF800ULL, image, sizeof(image), &lay), -EINVAL);
    c.ecam_start_bus = 9, c.ecam_end_bus = 8;
    assert_int_equal(guest_acpi_build(&c, GUEST_ACPI_BASE, image, sizeof(image), &lay), -EINVAL);
    for (size_t cap = 0; cap < sizeof(small); cap += 7)
        assert_int_equal(guest_acpi_build(&cfg, GUEST_ACPI_BASE, small, cap, &lay), -ENOSPC);
    /* no ECAM: no MCFG, two tables listed */
    c = cfg;
    c.have_ecam = false;
    c.nr_cpus = GUEST_ACPI_MAX_CPUS;
    assert_int_equal(guest_acpi_build(&c, GUEST_ACPI_BASE, image, sizeof(image), &lay), 0);
    assert_int_equal(lay.mcfg, 0);
    assert_int_equal(acpi_table_length(at(lay.rsdt)), 36 + 2 * 4);
}

/* Writes each table to a file and runs `iasl -d` on it: exit 0 and no "Error" in its output. */
static void test_iasl_disassembles(void **state)
{
    static const struct { const char *name; size_t off; } tables[] = {
        { "facp", offsetof(struct guest_acpi_layout, fadt) }, { "dsdt", offsetof(struct guest_acpi_layout, dsdt) },
        { "apic", offsetof(struct guest_acpi_layout, madt) }, { "mcfg", offsetof(struct guest_acpi_layout, mcfg) },
        { "rsdt", offsetof(struct guest_acpi_layout, rsdt) }, { "xsdt", offsetof(struct guest_acpi_layout, xsdt) },
    };
    char dir[] = "/tmp/nestor-acpi-XXXXXX", cmd[512], path[256], out[8192];

    if (system("command -v iasl >/dev/null 2>&1") != 0) {
        printf("# SKIP iasl not installed (Debian package acpica-tools): tables not disassembled\n");
        return;
    }
    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        uint64_t gpa = *(const uint64_t *)((const uint8_t *)&lay + tables[i].off);
        FILE *f;
        size_t n;
        int rc;

        snprintf(path, sizeof(path), "%s/%s.dat", dir, tables[i].name);
        f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(at(gpa), 1, acpi_table_length(at(gpa)), f);
        fclose(f);
        snprintf(cmd, sizeof(cmd), "cd %s && iasl -d %s.dat > %s.log 2>&1", dir, tables[i].name, tables[i].name);
        rc = system(cmd);
        snprintf(path, sizeof(path), "%s/%s.log", dir, tables[i].name);
        f = fopen(path, "r");
        assert_non_null(f);
        n = fread(out, 1, sizeof(out) - 1, f);
        out[n] = '\0';
        fclose(f);
        if (rc != 0 || strstr(out, "Error") || strstr(out, "error"))
            printf("# iasl -d %s.dat:\n%s\n", tables[i].name, out);
        assert_int_equal(rc, 0);
        assert_null(strstr(out, "Error"));
        assert_null(strstr(out, "Invalid"));
        snprintf(path, sizeof(path), "%s/%s.dsl", dir, tables[i].name);
        assert_int_equal(access(path, R_OK), 0);
    }
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_rsdp_and_roots, setup),
        cmocka_unit_test_setup(test_tables_parse, setup),
        cmocka_unit_test(test_bad_config_and_space),
        cmocka_unit_test_setup(test_iasl_disassembles, setup),
    };

    return UNIT_RUN(tests);
}
