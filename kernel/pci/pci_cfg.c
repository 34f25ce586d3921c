// SPDX-License-Identifier: GPL-2.0-only
/*
 * Configuration space access. ECAM (PCIe Base Spec 4.0, 7.2.2) maps each bus of a range in
 * a 1 MiB window, on first use; the 0xCF8/0xCFC mechanism (PCI Local Bus Spec 3.0, 3.2.2.3.2)
 * reaches the first 256 bytes of segment 0. Reads that reach no function return all ones,
 * writes that reach none are dropped.
 *
 * The port mechanism is two accesses; callers are serialized (boot CPU only for now).
 */
#include "kernel/pci/pci_cfg.h"

#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/paging.h"
#include "kernel/pci/pci.h"
#include "kernel/pci/pci_regs.h"

#define PCI_PORT_ADDRESS 0xcf8
#define PCI_PORT_DATA    0xcfc
#define PCI_PORT_PROBE   0x80000000u
#define ECAM_BUS_BYTES   (1ull << 20)
#define ALL_ONES         0xffffffffu

enum cfg_mechanism { CFG_NONE, CFG_ECAM, CFG_PORTS };

struct ecam_range {
    uint64_t base;                             /* bus 0 of the segment, even if start_bus > 0 */
    uint16_t seg;
    uint8_t start_bus, end_bus;
    bool map_failed;                           /* logged once */
    volatile uint8_t *bus_window[PCI_MAX_BUSES];
};

static enum cfg_mechanism mechanism;
static unsigned ecam_count;
static struct ecam_range ecam[MCFG_MAX_SEGMENTS];

static bool cfg_args_ok(uint8_t dev, uint8_t fn, uint16_t off, unsigned width)
{
    return dev < PCI_DEVS_PER_BUS && fn < PCI_FNS_PER_DEV && off < PCI_ECAM_SPACE_BYTES && !(off & (width - 1));
}

static volatile uint8_t *ecam_addr(struct pci_bdf a, uint16_t off)
{
    for (unsigned i = 0; i < ecam_count; i++) {
        struct ecam_range *r = &ecam[i];

        if (r->seg != a.seg || a.bus < r->start_bus || a.bus > r->end_bus)
            continue;
        if (!r->bus_window[a.bus] && !r->map_failed) {
            uint64_t pa = r->base + pci_ecam_offset(a.bus, 0, 0, 0);

            r->bus_window[a.bus] = ioremap(pa, ECAM_BUS_BYTES);
            if (!r->bus_window[a.bus]) {
                r->map_failed = true;
                pr_err("pci: segment %u bus %02x: cannot map ECAM at 0x%016llx, reads as absent\n", a.seg, a.bus,
                       (unsigned long long)pa);
            }
        }
        if (!r->bus_window[a.bus])
            return NULL;
        return r->bus_window[a.bus] + (pci_ecam_offset(a.bus, a.dev, a.fn, off) & (ECAM_BUS_BYTES - 1));
    }
    return NULL;
}

static bool port_reachable(struct pci_bdf a, uint16_t off)
{
    return mechanism == CFG_PORTS && a.seg == 0 && off < PCI_CFG_SPACE_BYTES;
}

static uint32_t hw_read32(void *ctx, struct pci_bdf a, uint16_t off)
{
    volatile uint8_t *p;

    if (!cfg_args_ok(a.dev, a.fn, off, 4))
        return ALL_ONES;
    if (port_reachable(a, off)) {
        outl(PCI_PORT_ADDRESS, pci_port_address(a.bus, a.dev, a.fn, off));
        return inl(PCI_PORT_DATA);
    }
    if (mechanism == CFG_ECAM && (p = ecam_addr(a, off)))
        return *(volatile uint32_t *)p;
    return ALL_ONES;
}

static void hw_write32(void *ctx, struct pci_bdf a, uint16_t off, uint32_t v)
{
    volatile uint8_t *p;

    if (!cfg_args_ok(a.dev, a.fn, off, 4))
        return;
    if (port_reachable(a, off)) {
        outl(PCI_PORT_ADDRESS, pci_port_address(a.bus, a.dev, a.fn, off));
        outl(PCI_PORT_DATA, v);
    } else if (mechanism == CFG_ECAM && (p = ecam_addr(a, off))) {
        *(volatile uint32_t *)p = v;
    }
}

static void hw_write16(void *ctx, struct pci_bdf a, uint16_t off, uint16_t v)
{
    volatile uint8_t *p;

    if (!cfg_args_ok(a.dev, a.fn, off, 2))
        return;
    if (port_reachable(a, off)) {
        outl(PCI_PORT_ADDRESS, pci_port_address(a.bus, a.dev, a.fn, off));
        outw(PCI_PORT_DATA + (off & 2), v);
    } else if (mechanism == CFG_ECAM && (p = ecam_addr(a, off))) {
        *(volatile uint16_t *)p = v;
    }
}

const struct pci_cfg_access pci_cfg_hw = { .read32 = hw_read32, .write32 = hw_write32, .write16 = hw_write16 };

static struct pci_bdf bdf(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn)
{
    return (struct pci_bdf){ .seg = seg, .bus = bus, .dev = dev, .fn = fn };
}

uint32_t pci_cfg_read32(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return hw_read32(NULL, bdf(seg, bus, dev, fn), off);
}

uint16_t pci_cfg_read16(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    if (off & 1)
        return 0xffff;
    return pci_acc_read16(&pci_cfg_hw, bdf(seg, bus, dev, fn), off);
}

uint8_t pci_cfg_read8(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return pci_acc_read8(&pci_cfg_hw, bdf(seg, bus, dev, fn), off);
}

void pci_cfg_write32(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v)
{
    hw_write32(NULL, bdf(seg, bus, dev, fn), off, v);
}

void pci_cfg_write16(uint16_t seg, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint16_t v)
{
    hw_write16(NULL, bdf(seg, bus, dev, fn), off, v);
}

/* Type 1 mechanism present: CONFIG_ADDRESS keeps what is written to it (as Linux checks). */
static bool ports_present(void)
{
    uint32_t saved = inl(PCI_PORT_ADDRESS);
    bool ok;

    outl(PCI_PORT_ADDRESS, PCI_PORT_PROBE);
    ok = inl(PCI_PORT_ADDRESS) == PCI_PORT_PROBE;
    outl(PCI_PORT_ADDRESS, saved);
    return ok;
}

static bool ecam_overlaps(const struct mcfg_segment *s)
{
    for (unsigned i = 0; i < ecam_count; i++)
        if (ecam[i].seg == s->segment && s->start_bus <= ecam[i].end_bus && s->end_bus >= ecam[i].start_bus)
            return true;
    return false;
}

static void ecam_add_ranges(const struct mcfg_info *mcfg)
{
    for (unsigned i = 0; i < mcfg->count && i < MCFG_MAX_SEGMENTS; i++) {
        const struct mcfg_segment *s = &mcfg->seg[i];

        if (!mcfg_segment_usable(s)) {
            pr_warn("pci: segment %u ECAM range %02x-%02x at 0x%016llx is malformed, ignored\n", s->segment,
                    s->start_bus, s->end_bus, (unsigned long long)s->base);
            continue;
        }
        if (ecam_overlaps(s)) {
            pr_warn("pci: segment %u ECAM range %02x-%02x overlaps an earlier one, ignored\n", s->segment,
                    s->start_bus, s->end_bus);
            continue;
        }
        ecam[ecam_count++] = (struct ecam_range){ .base = s->base, .seg = s->segment, .start_bus = s->start_bus,
                                                  .end_bus = s->end_bus };
    }
}

int pci_cfg_setup(const struct mcfg_info *mcfg, bool force_ports)
{
    mechanism = CFG_NONE;
    ecam_count = 0;
    if (mcfg && !force_ports)
        ecam_add_ranges(mcfg);
    if (ecam_count) {
        mechanism = CFG_ECAM;
        return 0;
    }
    if (!mcfg || !mcfg->count)
        pr_info("pci: no MCFG, segment 0 through port I/O\n");
    else if (force_ports)
        pr_info("pci: ECAM disabled by pci=noecam, segment 0 through port I/O\n");
    else
        pr_warn("pci: no usable ECAM range in MCFG, segment 0 through port I/O\n");
    for (unsigned i = 0; mcfg && i < mcfg->count && i < MCFG_MAX_SEGMENTS; i++)
        if (mcfg->seg[i].segment != 0)
            pr_warn("pci: segment %u not reachable through port I/O, not enumerated\n", mcfg->seg[i].segment);
    if (!ports_present()) {
        pr_err("pci: no configuration mechanism (no ECAM, ports 0xcf8/0xcfc absent), PCI not enumerated\n");
        return -ENODEV;
    }
    mechanism = CFG_PORTS;
    return 0;
}

const char *pci_cfg_mechanism(void)
{
    return mechanism == CFG_ECAM ? "ECAM" : mechanism == CFG_PORTS ? "port I/O" : "none";
}

bool pci_cfg_range(unsigned i, uint16_t *seg, uint8_t *start_bus, uint8_t *end_bus)
{
    if (mechanism == CFG_ECAM && i < ecam_count) {
        *seg = ecam[i].seg;
        *start_bus = ecam[i].start_bus;
        *end_bus = ecam[i].end_bus;
        return true;
    }
    if (mechanism == CFG_PORTS && i == 0) {
        *seg = 0;
        *start_bus = 0;
        *end_bus = PCI_MAX_BUSES - 1;
        return true;
    }
    return false;
}
