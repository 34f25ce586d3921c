// SPDX-License-Identifier: GPL-2.0-only
/* Virtual configuration space of an assigned function (layout and policy in assign_cfg.h). */
#include "vmm/assign_cfg.h"

#include "kernel/errno.h"
#include "kernel/pci/pci_regs.h"
#include "lib/kstring.h"
#include "vmm/assign_regs.h"

static uint32_t host_rd(const struct assign_cfg *c, uint16_t off) { return c->host.read32(c->host.ctx, off); }
static void host_wr(const struct assign_cfg *c, uint16_t off, uint32_t v) { c->host.write32(c->host.ctx, off, v); }

uint16_t assign_cfg_host_command(uint16_t host_cmd, uint16_t guest_cmd)
{
    const uint16_t passed = PCI_COMMAND_IO | PCI_COMMAND_MEMORY | ASSIGN_CMD_BUS_MASTER;

    return (uint16_t)((host_cmd & ~passed) | (guest_cmd & passed) | ASSIGN_CMD_INTX_DISABLE);
}

/* Writes the command register; status (RW1C bits, 6.2.3) gets zeros, which change nothing. */
static void host_command_apply(struct assign_cfg *c)
{
    uint16_t host_cmd = (uint16_t)host_rd(c, PCI_CFG_COMMAND);

    host_wr(c, PCI_CFG_COMMAND, assign_cfg_host_command(host_cmd, c->command));
}

static int bars_init(struct assign_cfg *c, const struct pci_bar bars[ASSIGN_BARS])
{
    for (unsigned i = 0; i < ASSIGN_BARS; i++)
        c->bar_upper_of[i] = -1;
    for (unsigned i = 0; i < ASSIGN_BARS; i++) {
        const struct pci_bar *b = &bars[i];
        struct assign_vbar *v = &c->bar[i];

        if (c->bar_upper_of[i] >= 0 || !b->size)
            continue;
        if ((b->size & (b->size - 1)) || (b->base & (b->size - 1)) || (b->io && b->mem64))
            return -EINVAL;
        if (b->mem64 && i + 1 >= ASSIGN_BARS)
            return -EINVAL;
        v->size = b->size;
        v->host_base = v->guest_base = v->mapped_base = b->base;
        v->io = b->io;
        v->mem64 = b->mem64;
        if (b->io)
            v->flags = PCI_BAR_SPACE_IO;
        else
            v->flags = (b->mem64 ? PCI_BAR_MEM_TYPE_64 : PCI_BAR_MEM_TYPE_32) | (b->prefetch ? PCI_BAR_MEM_PREFETCH : 0);
        if (b->mem64)
            c->bar_upper_of[i + 1] = (int8_t)i;
    }
    return 0;
}

/* Finds MSI and MSI-X in the device's list (6.7), bounded by PCI_CAP_MAX_HOPS. */
static void caps_scan(struct assign_cfg *c)
{
    uint8_t off;

    if (!(host_rd(c, PCI_CFG_COMMAND) >> 16 & PCI_STATUS_CAP_LIST))
        return;
    off = (uint8_t)host_rd(c, PCI_CFG_CAP_PTR) & (uint8_t)~PCI_CAP_ALIGN_MASK;
    for (unsigned hops = 0; off >= PCI_CAP_FIRST_VALID && hops < PCI_CAP_MAX_HOPS; hops++) {
        uint32_t hdr = host_rd(c, off);
        uint8_t id = (uint8_t)hdr;

        if (id == ASSIGN_CAP_ID_MSI && !c->msi.cap) {
            c->msi.cap = off;
            c->msi.addr64 = (hdr >> 16) & ASSIGN_MSI_CTRL_64BIT;
        } else if (id == ASSIGN_CAP_ID_MSIX && !c->msix_cap) {
            c->msix_cap = off;
            c->hidden_caps++;
        } else {
            c->hidden_caps++;
        }
        off = (uint8_t)(hdr >> 8) & (uint8_t)~PCI_CAP_ALIGN_MASK;
    }
}

/* The device starts with MSI off (6.8.1.3): the guest turns it on through the virtual capability. */
static void host_msi_disable(struct assign_cfg *c)
{
    uint32_t hdr;

    if (!c->msi.cap)
        return;
    hdr = host_rd(c, c->msi.cap);
    host_wr(c, c->msi.cap, hdr & ~((uint32_t)(ASSIGN_MSI_CTRL_ENABLE | ASSIGN_MSI_CTRL_MME_MASK) << 16));
}

int assign_cfg_init(struct assign_cfg *c, const struct assign_cfg_host *host, const struct pci_bar bars[ASSIGN_BARS],
                    const struct assign_cfg_events *ev)
{
    uint32_t r0c;

    memset(c, 0, sizeof(*c));
    c->host = *host;
    if (ev)
        c->ev = *ev;
    r0c = host_rd(c, ASSIGN_CFG_CACHE_LINE);
    c->header_type = (uint8_t)(r0c >> 16) & PCI_HEADER_TYPE_MASK;
    if (c->header_type != PCI_HEADER_NORMAL)
        return -EINVAL;
    if (bars_init(c, bars) < 0)
        return -EINVAL;
    c->id = host_rd(c, PCI_CFG_VENDOR_ID);
    c->class_rev = host_rd(c, PCI_CFG_CLASS_REV);
    c->subsystem = host_rd(c, ASSIGN_CFG_SUBSYSTEM);
    caps_scan(c);
    host_msi_disable(c);
    host_command_apply(c);
    return 0;
}

/* ---- reads: one virtual dword per offset ---- */

static uint32_t bar_read(const struct assign_cfg *c, unsigned i)
{
    const struct assign_vbar *v;

    if (c->bar_upper_of[i] >= 0)
        return (uint32_t)(c->bar[c->bar_upper_of[i]].guest_base >> 32);
    v = &c->bar[i];
    if (!v->size)
        return 0;
    return (uint32_t)v->guest_base | v->flags;
}

static uint32_t msi_read(const struct assign_cfg *c, unsigned rel)
{
    const struct assign_vmsi *m = &c->msi;
    uint32_t ctrl = (m->addr64 ? ASSIGN_MSI_CTRL_64BIT : 0) | (m->enabled ? ASSIGN_MSI_CTRL_ENABLE : 0);

    switch (rel) {
    case 0:
        return ASSIGN_CAP_ID_MSI | ctrl << 16;    /* next 0: the list ends here */
    case ASSIGN_MSI_ADDR_LO:
        return (uint32_t)m->addr;
    case ASSIGN_MSI_ADDR_HI:                      /* == ASSIGN_MSI_DATA_32 */
        return m->addr64 ? (uint32_t)(m->addr >> 32) : m->data;
    case ASSIGN_MSI_DATA_64:
        return m->addr64 ? m->data : 0;
    }
    return 0;
}

static bool in_msi(const struct assign_cfg *c, uint16_t off)
{
    return c->msi.cap && off >= c->msi.cap && off < c->msi.cap + (c->msi.addr64 ? 0x10u : 0x0cu);
}

static uint32_t dword_read(struct assign_cfg *c, uint16_t off)
{
    uint32_t status;

    if (off >= PCI_CFG_SPACE_BYTES)
        return 0;                                 /* no extended capabilities */
    if (in_msi(c, off))
        return msi_read(c, off - c->msi.cap);
    if (off >= PCI_CFG_BAR0 && off < PCI_CFG_BAR0 + 4 * ASSIGN_BARS)
        return bar_read(c, (off - PCI_CFG_BAR0) / 4);
    switch (off) {
    case PCI_CFG_VENDOR_ID:
        return c->id;
    case PCI_CFG_COMMAND:
        status = (host_rd(c, PCI_CFG_COMMAND) >> 16) & ~PCI_STATUS_CAP_LIST;
        if (c->msi.cap)
            status |= PCI_STATUS_CAP_LIST;
        return c->command | status << 16;
    case PCI_CFG_CLASS_REV:
        return c->class_rev;
    case ASSIGN_CFG_CACHE_LINE:
        return c->cache_line | (uint32_t)c->latency << 8 | (uint32_t)c->header_type << 16;
    case ASSIGN_CFG_SUBSYSTEM:
        return c->subsystem;
    case PCI_CFG_CAP_PTR:
        return c->msi.cap;
    case ASSIGN_CFG_INTERRUPT:
        return c->int_line;                       /* pin 0: no INTx */
    }
    return 0;                                     /* ROM, CIS, hidden capabilities */
}

static bool access_ok(uint16_t off, unsigned size)
{
    return (size == 1 || size == 2 || size == 4) && !(off & (size - 1)) && off < PCI_ECAM_SPACE_BYTES;
}

int assign_cfg_read(struct assign_cfg *c, uint16_t off, unsigned size, uint32_t *value)
{
    unsigned shift = (off & 3) * 8;

    if (!access_ok(off, size)) {
        *value = 0xffffffffu;
        return -EINVAL;
    }
    *value = dword_read(c, off & ~3u) >> shift;
    if (size < 4)
        *value &= (1u << (size * 8)) - 1;
    return 0;
}

/* ---- writes: merged into the virtual dword, then applied ---- */

static void bar_move_check(struct assign_cfg *c, unsigned i)
{
    struct assign_vbar *v = &c->bar[i];
    uint16_t decode = v->io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;

    if (!v->size || v->guest_base == v->mapped_base || !(c->command & decode) || !c->ev.bar_move)
        return;
    if (c->ev.bar_move(c->ev.ctx, i, v, v->guest_base) == 0)
        v->mapped_base = v->guest_base;
}

static void bar_write(struct assign_cfg *c, unsigned i, uint32_t value)
{
    struct assign_vbar *v;
    uint64_t mask;

    if (c->bar_upper_of[i] >= 0) {
        i = (unsigned)c->bar_upper_of[i];
        v = &c->bar[i];
        v->guest_base = ((uint64_t)value << 32 | (uint32_t)v->guest_base) & ~(v->size - 1);
        bar_move_check(c, i);
        return;
    }
    v = &c->bar[i];
    if (!v->size)
        return;
    mask = ~(v->size - 1) & (v->io ? PCI_BAR_IO_ADDR_MASK : PCI_BAR_MEM_ADDR_MASK);
    v->guest_base = (v->guest_base & ~0xffffffffULL) | (value & mask);
    if (!v->mem64)
        v->guest_base &= 0xffffffffULL;
    /* A 64-bit BAR moves when its high half is written (drivers write low, then high). */
    if (!v->mem64)
        bar_move_check(c, i);
}

static void msi_write(struct assign_cfg *c, unsigned rel, uint32_t value)
{
    struct assign_vmsi *m = &c->msi;
    struct assign_vmsi before = *m;

    switch (rel) {
    case 0:
        m->enabled = (value >> 16) & ASSIGN_MSI_CTRL_ENABLE;  /* MME stays 0: one vector */
        break;
    case ASSIGN_MSI_ADDR_LO:
        m->addr = (m->addr & ~0xffffffffULL) | (value & ~3u);
        break;
    case ASSIGN_MSI_ADDR_HI:
        if (m->addr64)
            m->addr = (uint64_t)value << 32 | (uint32_t)m->addr;
        else
            m->data = (uint16_t)value;
        break;
    case ASSIGN_MSI_DATA_64:
        if (m->addr64)
            m->data = (uint16_t)value;
        break;
    }
    if (c->ev.msi_change && (m->enabled != before.enabled || m->addr != before.addr || m->data != before.data))
        c->ev.msi_change(c->ev.ctx, m);
}

static void dword_write(struct assign_cfg *c, uint16_t off, uint32_t value, uint32_t bytes)
{
    if (off >= PCI_CFG_SPACE_BYTES)
        return;
    if (in_msi(c, off)) {
        msi_write(c, off - c->msi.cap, value);
        return;
    }
    if (off >= PCI_CFG_BAR0 && off < PCI_CFG_BAR0 + 4 * ASSIGN_BARS) {
        bar_write(c, (off - PCI_CFG_BAR0) / 4, value);
        return;
    }
    switch (off) {
    case PCI_CFG_COMMAND:
        if (!(bytes & 0x3))
            return;                               /* status only: nothing of it is writable here */
        c->command = (uint16_t)value & ASSIGN_CMD_GUEST_BITS;
        host_command_apply(c);
        for (unsigned i = 0; i < ASSIGN_BARS; i++)
            bar_move_check(c, i);
        return;
    case ASSIGN_CFG_CACHE_LINE:
        c->cache_line = (uint8_t)value;
        c->latency = (uint8_t)(value >> 8);
        return;
    case ASSIGN_CFG_INTERRUPT:
        c->int_line = (uint8_t)value;
        return;
    }
}

int assign_cfg_write(struct assign_cfg *c, uint16_t off, unsigned size, uint32_t value)
{
    unsigned shift = (off & 3) * 8;
    uint32_t bytes, mask, old;
    uint16_t base = off & ~3u;

    if (!access_ok(off, size))
        return -EINVAL;
    bytes = ((1u << size) - 1) << (off & 3);
    mask = size == 4 ? 0xffffffffu : ((1u << (size * 8)) - 1) << shift;
    /* Bytes not written keep their virtual value (the status half of 0x04 is masked out: RW1C). */
    old = base == PCI_CFG_COMMAND ? c->command : dword_read(c, base);
    dword_write(c, base, (old & ~mask) | ((value << shift) & mask), bytes);
    return 0;
}
