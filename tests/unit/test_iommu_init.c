// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host VT-d bring-up policy (iommu_boot) over a fake DMAR: one and two units, iommu=off
 * and legacy, no DMAR, RMRR identity maps before translation, units that fail or time out.
 * Two units share the one register model: each keeps its own copy of the model's state,
 * swapped in when the driver touches the other unit's registers.
 */
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "iommu/iommu_boot.h"
#include "iommu/vtd_fault.h"
#include "iommu/vtd_regs.h"
#include "kernel/errno.h"
#include "tests/unit/vtd_fake.h"

#define CAP_Q10   0x00d2008c222f0606ULL
#define ECAP_LEG  0x0000000000f00f4aULL
#define ECAP_SM   0x0000480080f00f4aULL
#define BASE0     0xfed90000ULL
#define BASE1     0xfed91000ULL
#define RMRR_BASE 0x000e0000ULL
#define RMRR_LIM  0x000effffULL
#define NMODELS   2

/* ---- two units on one model ---- */

static struct fake_vtd models[NMODELS];
static char model_regs[NMODELS];      /* the "mapped register" tokens map_regs hands out */
static int current_model;
static bool map_fails[NMODELS];

static void select_model(void *regs)
{
    int idx = (int)((char *)regs - model_regs);

    assert_true(idx >= 0 && idx < NMODELS);
    if (idx == current_model)
        return;
    models[current_model] = fake_vtd;
    fake_vtd = models[idx];
    current_model = idx;
}

static uint32_t mux_read32(void *regs, uint32_t off) { select_model(regs); return fake_vtd_env.read32(regs, off); }
static uint64_t mux_read64(void *regs, uint32_t off) { select_model(regs); return fake_vtd_env.read64(regs, off); }
static void mux_write32(void *regs, uint32_t off, uint32_t v) { select_model(regs); fake_vtd_env.write32(regs, off, v); }
static void mux_write64(void *regs, uint32_t off, uint64_t v) { select_model(regs); fake_vtd_env.write64(regs, off, v); }

static struct vtd_env mux_env;

static void *map_regs(uint64_t pa, size_t size)
{
    int idx = pa == BASE0 ? 0 : pa == BASE1 ? 1 : -1;

    assert_true(idx >= 0);
    assert_int_equal(size, VTD_UNIT_REG_BYTES);
    return map_fails[idx] ? NULL : &model_regs[idx];
}

/* Model idx (0 or 1) as the register model's state; later accesses to its registers see it. */
static struct fake_vtd *model(int idx)
{
    select_model(&model_regs[idx]);
    return &fake_vtd;
}

static void models_reset(uint64_t ecap0, uint64_t ecap1)
{
    fake_vtd_reset(CAP_Q10, ecap1);
    models[1] = fake_vtd;
    fake_vtd_reset(CAP_Q10, ecap0);
    current_model = 0;
    memset(map_fails, 0, sizeof(map_fails));
}

/* ---- the rest of the host ---- */

static uint8_t cfg_read8(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off) { return 0xFF; }

#define MAX_DOMAINS 8
static struct iommu_domain *domains[MAX_DOMAINS];
static unsigned ndomains;
static bool domain_fail;
static bool te_seen_at_create;

static struct iommu_domain *domain_create(struct vtd_unit *u)
{
    struct iommu_domain *d;

    if (domain_fail || ndomains == MAX_DOMAINS)
        return NULL;
    te_seen_at_create |= (model((int)((char *)u->regs - model_regs))->regs[VTD_REG_GSTS + 3] & 0x80) != 0;
    d = calloc(1, sizeof(*d));
    assert_non_null(d);
    assert_int_equal(domain_init(d, ndomains + 1, u), 0);
    domains[ndomains++] = d;
    return d;
}

static int vector_to_give = -1;

static int fault_vector(uint32_t *addr, uint32_t *data)
{
    if (vector_to_give >= 0) {
        *addr = 0xfee00000u;
        *data = (uint32_t)vector_to_give;
    }
    return vector_to_give;
}

static const struct iommu_boot_host host = {
    .env = &mux_env, .map_regs = map_regs, .cfg_read8 = cfg_read8, .domain_create = domain_create,
    .fault_vector = fault_vector,
};

static const struct iommu_boot_host host_no_irq = {
    .env = &mux_env, .map_regs = map_regs, .cfg_read8 = cfg_read8, .domain_create = domain_create,
};

static struct iommu_units units;
static struct dmar_info dmar;
static struct boot_info bi;

/* One unit covering every device, or two: BASE0 for 00:02.0 only, BASE1 for the rest. */
static void dmar_setup(unsigned nunits)
{
    memset(&dmar, 0, sizeof(dmar));
    dmar.host_addr_width = 48;
    dmar.ndrhd = nunits;
    dmar.drhd[0].base = BASE0;
    dmar.drhd[0].include_pci_all = nunits == 1;
    if (nunits == 2) {
        dmar.scopes[dmar.nscopes] = (struct dmar_scope){ .type = DMAR_SCOPE_PCI_ENDPOINT, .path_len = 1,
                                                         .path = { { 2, 0 } } };
        dmar.drhd[0].scopes = (struct dmar_scope_list){ (uint16_t)dmar.nscopes++, 1 };
        dmar.drhd[1].base = BASE1;
        dmar.drhd[1].include_pci_all = true;
    }
}

/* An RMRR [base, limit] for the endpoint 00:dev.fn (path_len 0: a scope that does not resolve). */
static void dmar_add_rmrr(uint64_t base, uint64_t limit, uint8_t type, uint8_t path_len, uint8_t dev, uint8_t fn)
{
    struct dmar_rmrr *r = &dmar.rmrr[dmar.nrmrr++];

    dmar.scopes[dmar.nscopes] = (struct dmar_scope){ .type = type, .path_len = path_len, .path = { { dev, fn } } };
    *r = (struct dmar_rmrr){ .base = base, .limit = limit, .scopes = { (uint16_t)dmar.nscopes++, 1 } };
}

static int setup(void **state)
{
    mux_env = fake_vtd_env;
    mux_env.read32 = mux_read32;
    mux_env.read64 = mux_read64;
    mux_env.write32 = mux_write32;
    mux_env.write64 = mux_write64;
    models_reset(ECAP_SM, ECAP_SM);
    memset(&units, 0, sizeof(units));
    memset(&bi, 0, sizeof(bi));
    bi.protocol = 2;
    bi.mmap[0] = (struct boot_mem_range){ 0x100000, 0x7f00000, BOOT_MEM_USABLE };
    bi.mmap_count = 1;
    ndomains = 0;
    domain_fail = false;
    te_seen_at_create = false;
    vector_to_give = -1;
    dmar_setup(1);
    unit_log_reset();
    return 0;
}

static int teardown(void **state)
{
    for (unsigned i = 0; i < ndomains; i++) {
        domain_destroy(domains[i]);
        free(domains[i]);
    }
    ndomains = 0;
    return 0;
}

static bool translating(int idx) { return (model(idx)->regs[VTD_REG_GSTS + 3] & 0x80) != 0; }

/* ---- command line ---- */

static void test_mode_parse(void **state)
{
    assert_int_equal(iommu_mode_parse(NULL), IOMMU_MODE_DEFAULT);
    assert_int_equal(iommu_mode_parse("off"), IOMMU_MODE_OFF);
    assert_int_equal(iommu_mode_parse("legacy"), IOMMU_MODE_LEGACY);
    assert_false(unit_log_contains("unknown"));
    assert_int_equal(iommu_mode_parse("scalable"), IOMMU_MODE_DEFAULT);
    assert_true(unit_log_contains("iommu: iommu=scalable unknown (off, legacy); ignored\n"));
}

static void test_off(void **state)
{
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_OFF, &bi, &host), 0);
    assert_true(unit_log_contains("iommu: disabled by iommu=off: device DMA is not isolated\n"));
    assert_int_equal(units.n, 0);
    assert_int_equal(model(0)->ngcmd, 0);
    assert_null(iommu_units_for_device(&units, 0, 0, 3, 0));
}

static void test_no_dmar(void **state)
{
    const char *line = "iommu: no ACPI DMAR table: no VT-d unit to program, device DMA is not isolated\n";

    assert_int_equal(iommu_boot(&units, NULL, IOMMU_MODE_DEFAULT, &bi, &host), 0);
    assert_true(unit_log_contains(line));
    dmar.ndrhd = 0;
    unit_log_reset();
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), 0);
    assert_true(unit_log_contains(line));
    assert_int_equal(units.n, 0);
    assert_int_equal(iommu_units_poll_faults(&units), 0);
}

/* ---- units ---- */

static void test_one_unit(void **state)
{
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host_no_irq), 0);
    assert_int_equal(units.n, 1);
    assert_int_equal(units.unit[0].mode, VTD_MODE_SCALABLE);
    assert_int_equal(units.unit[0].haw, 48);
    assert_true(translating(0));
    assert_true(unit_log_contains("vtd0: base 0xfed90000 ver 1.0 mode scalable"));
    assert_true(unit_log_contains("iommu: no interrupt vector for fault events; faults are polled\n"));
    assert_true(unit_log_contains("iommu: 1 unit(s) translating; devices without a domain are blocked\n"));
    assert_ptr_equal(iommu_units_for_device(&units, 0, 0, 3, 0), &units.unit[0]);
    assert_null(iommu_units_for_device(&units, 1, 0, 3, 0));
    assert_int_equal(ndomains, 0);
}

static void test_legacy(void **state)
{
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_LEGACY, &bi, &host), 0);
    assert_int_equal(units.n, 1);
    assert_int_equal(units.unit[0].mode, VTD_MODE_LEGACY);
    assert_true(unit_log_contains("vtd0: legacy mode: iommu=legacy"));
    assert_true(translating(0));
}

static void test_two_units(void **state)
{
    dmar_setup(2);
    models_reset(ECAP_SM, ECAP_LEG);
    vector_to_give = 0x41;
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), 0);
    assert_int_equal(units.n, 2);
    assert_int_equal(units.unit[0].mode, VTD_MODE_SCALABLE);
    assert_int_equal(units.unit[1].mode, VTD_MODE_LEGACY);
    assert_true(translating(0));
    assert_true(translating(1));
    assert_true(unit_log_contains("vtd1: base 0xfed91000"));
    assert_true(unit_log_contains("iommu: 2 unit(s) translating"));
    /* explicit scope first, then INCLUDE_PCI_ALL (VT-d 8.3) */
    assert_ptr_equal(iommu_units_for_device(&units, 0, 0, 2, 0), &units.unit[0]);
    assert_ptr_equal(iommu_units_for_device(&units, 0, 0, 3, 0), &units.unit[1]);
    /* the fault event interrupt is programmed on both and unmasked */
    for (int i = 0; i < 2; i++) {
        model(i);
        assert_int_equal(units.unit[i].fault_vector, 0x41);
        assert_int_equal(fake_vtd_reg32(VTD_REG_FEDATA), 0x41);
        assert_int_equal(fake_vtd_reg32(VTD_REG_FEADDR), 0xfee00000u);
        assert_false(fake_vtd_reg32(VTD_REG_FECTL) & VTD_FECTL_IM);
    }
}

static void test_unit_timeout_others_continue(void **state)
{
    dmar_setup(2);
    model(0)->gcmd_ignore = VTD_GCMD_SRTP;   /* the root table pointer is never latched */
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), -ETIMEDOUT);
    assert_true(unit_log_contains("vtd0: set root table pointer timed out (GSTS"));
    assert_true(unit_log_contains("vtd0: bring-up failed (error -110); unit left with translation off\n"));
    assert_false(translating(0));
    /* the second DRHD takes the first slot and translates, still named after its DRHD */
    assert_int_equal(units.n, 1);
    assert_int_equal(units.unit[0].base, BASE1);
    assert_string_equal(units.unit[0].name, "vtd1");
    assert_true(translating(1));
    assert_true(unit_log_contains("iommu: 1 unit(s) translating"));
    /* 00:02.0 belongs to the failed unit: no unit translates it */
    assert_null(iommu_units_for_device(&units, 0, 0, 2, 0));
    assert_ptr_equal(iommu_units_for_device(&units, 0, 0, 3, 0), &units.unit[0]);
}

static void test_unit_unmapped_or_absent(void **state)
{
    dmar_setup(2);
    map_fails[0] = true;
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), -ENOMEM);
    assert_true(unit_log_contains("vtd0: cannot map registers at 0xfed90000\n"));
    assert_int_equal(units.n, 1);

    /* a unit that does not answer is skipped; with none left nothing else happens */
    setup(state);
    model(0);
    fake_vtd_set_reg32(VTD_REG_VER, 0xFFFFFFFFu);
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), -ENODEV);
    assert_true(unit_log_contains("no unit answers"));
    assert_int_equal(units.n, 0);
    assert_false(unit_log_contains("translating"));
}

static void test_translate_fails(void **state)
{
    model(0)->gcmd_ignore = VTD_GCMD_TE;
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), -ETIMEDOUT);
    assert_true(unit_log_contains("vtd0: enabling translation failed (error -110)\n"));
    assert_false(translating(0));
}

/* ---- RMRRs ---- */

static void test_rmrr_identity_map(void **state)
{
    uint64_t hpa;
    unsigned perms;

    dmar_add_rmrr(RMRR_BASE, RMRR_LIM, DMAR_SCOPE_PCI_ENDPOINT, 1, 3, 0);
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), 0);
    assert_true(unit_log_contains("iommu: RMRR 0xe0000-0xeffff identity-mapped for 0000:00:03.0 (dom1)\n"));
    assert_int_equal(ndomains, 1);
    /* mapped while translation was still off, then translation on (VT-d 8.4) */
    assert_false(te_seen_at_create);
    assert_true(translating(0));
    assert_ptr_equal(domain_of_device(&units.unit[0], domain_sid(0, 3 << 3)), domains[0]);
    assert_int_equal(domain_lookup(domains[0], RMRR_BASE + 0x5000, &hpa, &perms), 0);
    assert_int_equal(hpa, RMRR_BASE + 0x5000);
    assert_int_equal(perms, VTD_PERM_RW);
    assert_int_not_equal(domain_lookup(domains[0], RMRR_LIM + 1, &hpa, NULL), 0);
}

static void test_rmrr_two_ranges_one_device(void **state)
{
    dmar_add_rmrr(RMRR_BASE, RMRR_LIM, DMAR_SCOPE_PCI_ENDPOINT, 1, 3, 0);
    dmar_add_rmrr(0xf0000, 0xf0fff, DMAR_SCOPE_PCI_ENDPOINT, 1, 3, 0);
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), 0);
    /* the second range goes into the device's existing domain */
    assert_int_equal(ndomains, 1);
    assert_true(unit_log_contains("iommu: RMRR 0xf0000-0xf0fff identity-mapped for 0000:00:03.0 (dom1)\n"));
    assert_int_equal(domain_lookup(domains[0], 0xf0000, NULL, NULL), 0);
}

static void test_rmrr_refused(void **state)
{
    dmar_add_rmrr(0x200000, 0x2fffff, DMAR_SCOPE_PCI_ENDPOINT, 1, 3, 0);       /* usable RAM */
    dmar_add_rmrr(0xe0800, 0xeffff, DMAR_SCOPE_PCI_ENDPOINT, 1, 3, 0);         /* unaligned */
    dmar_add_rmrr(RMRR_BASE, RMRR_LIM, DMAR_SCOPE_PCI_SUBHIERARCHY, 1, 3, 0);  /* not an endpoint */
    dmar_add_rmrr(RMRR_BASE, RMRR_LIM, DMAR_SCOPE_PCI_ENDPOINT, 0, 3, 0);      /* empty path */
    dmar.rmrr[3].scopes.count = 2;                                             /* runs past nscopes */
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), 0);
    assert_true(unit_log_contains("iommu: RMRR 0 0x200000-0x2fffff overlaps usable RAM 0x200000-0x2fffff that Nestor "
                                  "hands out: refused, its devices stay blocked\n"));
    assert_true(unit_log_contains("iommu: RMRR 1 0xe0800-0xeffff malformed"));
    assert_true(unit_log_contains("iommu: RMRR 3: device scope does not resolve; skipped\n"));
    assert_false(unit_log_contains("identity-mapped"));
    assert_int_equal(ndomains, 0);
    assert_true(translating(0));
}

static void test_rmrr_without_memory_map(void **state)
{
    dmar_add_rmrr(RMRR_BASE, RMRR_LIM, DMAR_SCOPE_PCI_ENDPOINT, 1, 3, 0);
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, NULL, &host), 0);
    assert_true(unit_log_contains("iommu: no memory map to check RMRRs against; all 1 RMRR(s) refused\n"));
    bi.mmap_count = 0;
    unit_log_reset();
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), 0);
    assert_true(unit_log_contains("all 1 RMRR(s) refused"));
    assert_int_equal(ndomains, 0);
    assert_true(translating(0));
}

static void test_rmrr_device_without_unit_or_memory(void **state)
{
    dmar_setup(2);
    map_fails[1] = true;           /* only 00:02.0 has a unit */
    dmar_add_rmrr(RMRR_BASE, RMRR_LIM, DMAR_SCOPE_PCI_ENDPOINT, 1, 3, 0);
    dmar_add_rmrr(RMRR_BASE, RMRR_LIM, DMAR_SCOPE_PCI_ENDPOINT, 1, 2, 0);
    domain_fail = true;
    iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host);
    assert_true(unit_log_contains("iommu: RMRR 0xe0000-0xeffff: 0000:00:03.0 has no unit; skipped\n"));
    assert_true(unit_log_contains("iommu: RMRR: no memory for a domain\n"));
    assert_true(translating(0));
}

static void test_rmrr_map_fails(void **state)
{
    /* above the domain's 48-bit IOVA width: the identity map is refused */
    dmar_add_rmrr(1ULL << 48, (1ULL << 48) + 0xfff, DMAR_SCOPE_PCI_ENDPOINT, 1, 3, 0);
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), 0);
    assert_true(unit_log_contains("iommu: RMRR 0x1000000000000-0x1000000000fff for 0000:00:03.0 failed (error"));
    assert_null(domain_of_device(&units.unit[0], domain_sid(0, 3 << 3)));
    assert_true(translating(0));
}

/* ---- faults ---- */

static unsigned observed, handled;
static uint16_t observed_sid;

static void observer(void *ctx, struct vtd_unit *u, const struct vtd_fault_record *rec)
{
    observed++;
    observed_sid = rec->sid;
}

static void domain_handler(void *ctx, struct iommu_domain *d, const struct vtd_fault_record *rec) { handled++; }

static void test_fault_dispatch(void **state)
{
    observed = handled = 0;
    dmar_add_rmrr(RMRR_BASE, RMRR_LIM, DMAR_SCOPE_PCI_ENDPOINT, 1, 3, 0);
    assert_int_equal(iommu_boot(&units, &dmar, IOMMU_MODE_DEFAULT, &bi, &host), 0);
    domain_set_fault_handler(domains[0], domain_handler, NULL);
    units.observer = observer;

    /* the RMRR device: observer, then its domain */
    model(0);
    fake_vtd_inject_fault(0, domain_sid(0, 3 << 3), 0x100000, VTD_FR_WRITE_DENIED, true);
    assert_int_equal(iommu_units_poll_faults(&units), 1);
    assert_int_equal(observed, 1);
    assert_int_equal(observed_sid, 0x18);
    assert_int_equal(handled, 1);

    /* a device without a domain: the observer only */
    fake_vtd_inject_fault(0, domain_sid(0, 4 << 3), 0x100000, VTD_FR_CTX_ENTRY_NOT_PRESENT, true);
    assert_int_equal(iommu_units_poll_faults(&units), 1);
    assert_int_equal(observed, 2);
    assert_int_equal(handled, 1);

    /* without an observer, domains still hear about their faults */
    units.observer = NULL;
    fake_vtd_inject_fault(0, domain_sid(0, 3 << 3), 0x200000, VTD_FR_WRITE_DENIED, true);
    assert_int_equal(iommu_units_poll_faults(&units), 1);
    assert_int_equal(observed, 2);
    assert_int_equal(handled, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
        T(test_mode_parse),
        T(test_off),
        T(test_no_dmar),
        T(test_one_unit),
        T(test_legacy),
        T(test_two_units),
        T(test_unit_timeout_others_continue),
        T(test_unit_unmapped_or_absent),
        T(test_translate_fails),
        T(test_rmrr_identity_map),
        T(test_rmrr_two_ranges_one_device),
        T(test_rmrr_refused),
        T(test_rmrr_without_memory_map),
        T(test_rmrr_device_without_unit_or_memory),
        T(test_rmrr_map_fails),
        T(test_fault_dispatch),
#undef T
    };
    return UNIT_RUN(tests);
}
