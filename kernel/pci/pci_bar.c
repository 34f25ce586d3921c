// SPDX-License-Identifier: GPL-2.0-only
/* BAR decoding and sizing (PCI Local Bus Spec 3.0, 6.2.5.1). Pure. */
#include "kernel/log.h"
#include "kernel/pci/pci_internal.h"
#include "kernel/pci/pci_regs.h"
#include "lib/kstring.h"

#define ALL_ONES 0xffffffffu

/* Bits that read back as one after writing all ones are the address bits; the lowest is the size. */
static uint64_t lowest_set_bit(uint64_t mask)
{
    return mask & (~mask + 1);
}

static unsigned decode_io(const struct pci_bar_probe *p, struct pci_bar *out)
{
    uint32_t mask = p->lo_sized & PCI_BAR_IO_ADDR_MASK;

    if (mask) {
        out->io = true;
        out->base = p->lo & PCI_BAR_IO_ADDR_MASK;
        out->size = lowest_set_bit(mask);
    }
    return 1;
}

static unsigned decode_mem(const struct pci_bar_probe *p, bool have_hi, struct pci_bar *out, const char **problem)
{
    uint64_t mask = p->lo_sized & PCI_BAR_MEM_ADDR_MASK;
    uint64_t base = p->lo & PCI_BAR_MEM_ADDR_MASK;
    unsigned slots = 1;

    switch (p->lo & PCI_BAR_MEM_TYPE_MASK) {
    case PCI_BAR_MEM_TYPE_32:
    case PCI_BAR_MEM_TYPE_1M:
        break;
    case PCI_BAR_MEM_TYPE_64:
        if (!have_hi) {
            *problem = "64-bit BAR in the last slot";
            return 1;
        }
        mask |= (uint64_t)p->hi_sized << 32;
        base |= (uint64_t)p->hi << 32;
        out->mem64 = true;
        slots = 2;
        break;
    default:
        *problem = "reserved memory type";
        return 1;
    }
    if (!mask) {
        out->mem64 = false;
        return slots;
    }
    out->base = base;
    out->size = lowest_set_bit(mask);
    out->prefetch = (p->lo & PCI_BAR_MEM_PREFETCH) != 0;
    return slots;
}

static unsigned bar_decode(const struct pci_bar_probe *p, bool have_hi, struct pci_bar *out, const char **problem)
{
    memset(out, 0, sizeof(*out));
    *problem = NULL;
    /* All ones before sizing: the function is gone; zero or all ones after: no decoder. */
    if (p->lo == ALL_ONES || p->lo_sized == 0 || p->lo_sized == ALL_ONES)
        return 1;
    if (p->lo & PCI_BAR_SPACE_IO)
        return decode_io(p, out);
    return decode_mem(p, have_hi, out, problem);
}

unsigned pci_bar_decode(const struct pci_bar_probe *p, bool have_hi, struct pci_bar *out)
{
    const char *problem;

    return bar_decode(p, have_hi, out, &problem);
}

/* Writes all ones to the dword at off, returns what reads back, restores the original. */
static uint32_t size_dword(const struct pci_cfg_access *acc, struct pci_bdf a, uint16_t off, uint32_t orig)
{
    uint32_t sized;

    acc->write32(acc->ctx, a, off, ALL_ONES);
    sized = pci_acc_read32(acc, a, off);
    acc->write32(acc->ctx, a, off, orig);
    return sized;
}

/*
 * Host bridges keep decode on while their BARs are sized: turning it off on some chipsets
 * cuts off RAM or config space (Linux: quirk_mmio_always_on for class 0600).
 */
bool pci_quirk_keep_decode(uint8_t class_code, uint8_t subclass)
{
    return class_code == PCI_CLASS_BRIDGE && subclass == PCI_SUBCLASS_HOST_BRIDGE;
}

void pci_bars_probe(const struct pci_cfg_access *acc, struct pci_bdf a, unsigned nbars, bool keep_decode,
                    struct pci_bar bar[6])
{
    uint16_t cmd = pci_acc_read16(acc, a, PCI_CFG_COMMAND);
    uint16_t decode = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
    bool toggled = !keep_decode && cmd != 0xffff && (cmd & decode);

    memset(bar, 0, 6 * sizeof(*bar));
    if (nbars > 6)
        nbars = 6;
    if (toggled)
        acc->write16(acc->ctx, a, PCI_CFG_COMMAND, cmd & ~decode);

    for (unsigned i = 0; i < nbars;) {
        uint16_t off = PCI_CFG_BAR0 + 4 * i;
        struct pci_bar_probe p = { .lo = pci_acc_read32(acc, a, off) };
        bool have_hi = false;
        const char *problem;

        if (p.lo == ALL_ONES) {
            i++;
            continue;
        }
        p.lo_sized = size_dword(acc, a, off, p.lo);
        if (!(p.lo & PCI_BAR_SPACE_IO) && (p.lo & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64 && i + 1 < nbars) {
            p.hi = pci_acc_read32(acc, a, off + 4);
            p.hi_sized = size_dword(acc, a, off + 4, p.hi);
            have_hi = true;
        }
        i += bar_decode(&p, have_hi, &bar[i], &problem);
        if (problem)
            pr_warn("pci: " PCI_BDF_FMT " bar%u: firmware bug: %s (0x%08x), ignored\n", a.seg, a.bus, a.dev, a.fn,
                    (unsigned)(off - PCI_CFG_BAR0) / 4, problem, p.lo);
    }

    if (toggled)
        acc->write16(acc->ctx, a, PCI_CFG_COMMAND, cmd);
}
