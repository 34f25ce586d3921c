// SPDX-License-Identifier: GPL-2.0-only
/* Device assignment, pure parts: config-space virtualisation, BAR sizing, capability
 * filtering, MSI decoding and device programming, DMA map plan, assign= parsing. */
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "kernel/pci/pci_regs.h"
#include "vmm/assign_cfg.h"
#include "vmm/assign_dma.h"
#include "vmm/assign_list.h"
#include "vmm/assign_msi.h"
#include "vmm/assign_regs.h"

/* ---- a fake function: QEMU's edu (1234:11e8) with a PM cap, MSI and MSI-X behind it ---- */

struct fake_fn {
    uint8_t cfg[256];
    unsigned writes;
    uint32_t last_write_off;
};

static uint32_t fake_read32(void *ctx, uint16_t off)
{
    struct fake_fn *f = ctx;
    uint32_t v;

    assert_true(off < 256 && !(off & 3));
    memcpy(&v, &f->cfg[off], 4);
    return v;
}

static void fake_write32(void *ctx, uint16_t off, uint32_t v)
{
    struct fake_fn *f = ctx;

    assert_true(off < 256 && !(off & 3));
    memcpy(&f->cfg[off], &v, 4);
    f->writes++;
    f->last_write_off = off;
}

static void put32(struct fake_fn *f, unsigned off, uint32_t v) { memcpy(&f->cfg[off], &v, 4); }
static uint32_t get32(const struct fake_fn *f, unsigned off)
{
    uint32_t v;
    memcpy(&v, &f->cfg[off], 4);
    return v;
}

/* caps: 0x40 PM (id 1) -> 0x50 MSI (64-bit when msi64) -> 0x70 MSI-X -> end. */
static void fake_edu(struct fake_fn *f, bool msi64, bool with_caps)
{
    memset(f, 0, sizeof(*f));
    put32(f, 0x00, 0x11e81234);
    put32(f, 0x04, with_caps ? (uint32_t)PCI_STATUS_CAP_LIST << 16 | 0x0400 | 0x6 : 0);
    put32(f, 0x08, 0x00ff0010);
    put32(f, 0x0c, 0x00800010);          /* multi-function bit set: must be hidden */
    put32(f, 0x10, 0xfea00000);
    put32(f, 0x2c, 0x11001af4);
    put32(f, 0x30, 0xfeb00001);
    put32(f, 0x34, with_caps ? 0x41 : 0); /* low bits must be ignored */
    put32(f, 0x3c, 0x0000010b);
    put32(f, 0x40, 0x00035001);
    put32(f, 0x50, (uint32_t)(0x01 | (msi64 ? ASSIGN_MSI_CTRL_64BIT : 0) | ASSIGN_MSI_CTRL_PVM | 0x2) << 16 | 0x7000 | 0x05);
    put32(f, 0x70, 0x00000011);
}

static struct assign_cfg_host host_of(struct fake_fn *f)
{
    return (struct assign_cfg_host){ .read32 = fake_read32, .write32 = fake_write32, .ctx = f };
}

static struct pci_bar edu_bars[ASSIGN_BARS] = {
    [0] = { .base = 0xfea00000, .size = 0x100000 },
};

struct events {
    unsigned msi_calls, move_calls;
    struct assign_vmsi last_msi;
    unsigned move_bar;
    uint64_t move_to;
    int move_rc;
};

static void ev_msi(void *ctx, const struct assign_vmsi *m)
{
    struct events *e = ctx;
    e->msi_calls++;
    e->last_msi = *m;
}

static int ev_move(void *ctx, unsigned i, const struct assign_vbar *bar, uint64_t guest_base)
{
    struct events *e = ctx;
    e->move_calls++;
    e->move_bar = i;
    e->move_to = guest_base;
    return e->move_rc;
}

static uint32_t rd(struct assign_cfg *c, uint16_t off, unsigned size)
{
    uint32_t v;
    assert_int_equal(assign_cfg_read(c, off, size, &v), 0);
    return v;
}

static void wr(struct assign_cfg *c, uint16_t off, unsigned size, uint32_t v)
{
    assert_int_equal(assign_cfg_write(c, off, size, v), 0);
}

static void init_edu(struct assign_cfg *c, struct fake_fn *f, struct events *e, bool msi64)
{
    struct assign_cfg_host h;
    struct assign_cfg_events ev = { .msi_change = ev_msi, .bar_move = ev_move, .ctx = e };

    fake_edu(f, msi64, true);
    memset(e, 0, sizeof(*e));
    h = host_of(f);
    assert_int_equal(assign_cfg_init(c, &h, edu_bars, &ev), 0);
}

static void test_identity_passes_through_rest_hidden(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct events e;

    init_edu(&c, &f, &e, false);
    assert_int_equal(rd(&c, 0x00, 4), 0x11e81234);
    assert_int_equal(rd(&c, 0x00, 2), 0x1234);
    assert_int_equal(rd(&c, 0x02, 2), 0x11e8);
    assert_int_equal(rd(&c, 0x0b, 1), 0x00);
    assert_int_equal(rd(&c, 0x08, 4), 0x00ff0010);
    assert_int_equal(rd(&c, 0x0e, 1), 0x00);   /* header type 0, multi-function hidden */
    assert_int_equal(rd(&c, 0x2c, 4), 0x11001af4);
    assert_int_equal(rd(&c, 0x30, 4), 0);      /* expansion ROM hidden */
    assert_int_equal(rd(&c, 0x3d, 1), 0);      /* no INTx pin */
    assert_int_equal(rd(&c, 0x3c, 1), 0);
    wr(&c, 0x3c, 1, 0x0a);
    assert_int_equal(rd(&c, 0x3c, 4), 0x0a);
    wr(&c, 0x0c, 2, 0x4010);
    assert_int_equal(rd(&c, 0x0c, 4), 0x4010);
    /* extended space: empty list */
    assert_int_equal(rd(&c, 0x100, 4), 0);
    assert_int_equal(rd(&c, 0xffc, 4), 0);
    wr(&c, 0x100, 4, 0x12345678);
    assert_int_equal(c.hidden_caps, 2);        /* PM and MSI-X */
    assert_int_equal(c.msix_cap, 0x70);
    /* writes to read-only identity change nothing */
    wr(&c, 0x00, 4, 0);
    wr(&c, 0x30, 4, 0xffffffff);
    assert_int_equal(rd(&c, 0x00, 4), 0x11e81234);
    assert_int_equal(rd(&c, 0x30, 4), 0);
}

static void test_cap_list_only_msi(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct events e;

    init_edu(&c, &f, &e, false);
    assert_true(rd(&c, 0x06, 2) & PCI_STATUS_CAP_LIST);
    assert_int_equal(rd(&c, 0x34, 1), 0x50);
    assert_int_equal(rd(&c, 0x50, 1), ASSIGN_CAP_ID_MSI);
    assert_int_equal(rd(&c, 0x51, 1), 0);       /* MSI-X and PM are not reachable */
    assert_int_equal(rd(&c, 0x52, 2), 0);       /* MMC 0, 32-bit, no PVM, disabled */
    assert_int_equal(rd(&c, 0x40, 4), 0);       /* PM hidden */
    assert_int_equal(rd(&c, 0x70, 4), 0);       /* MSI-X hidden */
    /* the device's MSI was switched off at init */
    assert_int_equal(get32(&f, 0x50) >> 16 & ASSIGN_MSI_CTRL_ENABLE, 0);
}

static void test_no_caps(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct assign_cfg_host h;

    fake_edu(&f, false, false);
    put32(&f, 0x50, 0);
    h = host_of(&f);
    assert_int_equal(assign_cfg_init(&c, &h, edu_bars, NULL), 0);
    assert_int_equal(rd(&c, 0x34, 1), 0);
    assert_false(rd(&c, 0x06, 2) & PCI_STATUS_CAP_LIST);
    wr(&c, 0x50, 4, 0xffffffff);                /* no MSI: nothing happens */
    assert_int_equal(rd(&c, 0x50, 4), 0);
}

static void test_cap_loop_is_bounded(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct assign_cfg_host h;

    fake_edu(&f, false, true);
    put32(&f, 0x40, 0x00004001);                /* points at itself */
    h = host_of(&f);
    assert_int_equal(assign_cfg_init(&c, &h, edu_bars, NULL), 0);
    assert_int_equal(c.msi.cap, 0);
    assert_int_equal(c.hidden_caps, PCI_CAP_MAX_HOPS);
}

static void test_bridge_refused(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct assign_cfg_host h;
    struct pci_bar odd[ASSIGN_BARS] = { [0] = { .base = 0xfea00000, .size = 0x3000 } };
    struct pci_bar misaligned[ASSIGN_BARS] = { [0] = { .base = 0xfea01000, .size = 0x10000 } };
    struct pci_bar last64[ASSIGN_BARS] = { [5] = { .base = 0xfea00000, .size = 0x1000, .mem64 = true } };
    struct pci_bar io64[ASSIGN_BARS] = { [0] = { .base = 0xc000, .size = 0x100, .io = true, .mem64 = true } };

    fake_edu(&f, false, true);
    put32(&f, 0x0c, 0x00010000);
    h = host_of(&f);
    assert_int_equal(assign_cfg_init(&c, &h, edu_bars, NULL), -EINVAL);
    fake_edu(&f, false, true);
    assert_int_equal(assign_cfg_init(&c, &h, odd, NULL), -EINVAL);
    assert_int_equal(assign_cfg_init(&c, &h, misaligned, NULL), -EINVAL);
    assert_int_equal(assign_cfg_init(&c, &h, last64, NULL), -EINVAL);
    assert_int_equal(assign_cfg_init(&c, &h, io64, NULL), -EINVAL);
}

static void test_command_filtered(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct events e;

    init_edu(&c, &f, &e, false);
    /* init: decoding and bus mastering off in the guest view; INTx disabled on the device */
    assert_int_equal(rd(&c, 0x04, 2), 0);
    assert_int_equal(get32(&f, 0x04) & 0xffff, 0x0400);   /* decoding off until the guest turns it on */
    wr(&c, 0x04, 2, 0xffff);
    assert_int_equal(rd(&c, 0x04, 2), ASSIGN_CMD_GUEST_BITS);
    assert_int_equal(get32(&f, 0x04) & 0xffff, 0x0407);
    wr(&c, 0x04, 2, 0x0002);                    /* guest clears INTx disable: the device keeps it */
    assert_int_equal(rd(&c, 0x04, 2), 0x0002);
    assert_int_equal(get32(&f, 0x04) & 0xffff, 0x0402);
    assert_int_equal(get32(&f, 0x04) >> 16, 0);  /* status written as zeros (RW1C untouched) */
    /* a byte write to the status half changes nothing */
    put32(&f, 0x04, get32(&f, 0x04) | (uint32_t)PCI_STATUS_CAP_LIST << 16);
    wr(&c, 0x06, 1, 0xff);
    assert_int_equal(rd(&c, 0x04, 2), 0x0002);
    /* a byte write to the high command byte keeps the low byte */
    wr(&c, 0x05, 1, 0x04);
    assert_int_equal(rd(&c, 0x04, 2), 0x0402);
    assert_int_equal(assign_cfg_host_command(0x0107, 0x0000), 0x0500);
}

static void test_bar_sizing(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct events e;

    init_edu(&c, &f, &e, false);
    assert_int_equal(rd(&c, 0x10, 4), 0xfea00000);
    wr(&c, 0x10, 4, 0xffffffff);
    assert_int_equal(rd(&c, 0x10, 4), 0xfff00000);   /* 1 MiB, 32-bit, not prefetchable */
    assert_int_equal(get32(&f, 0x10), 0xfea00000);   /* the device never sees sizing */
    wr(&c, 0x10, 4, 0xfea00000);
    assert_int_equal(rd(&c, 0x10, 4), 0xfea00000);
    assert_int_equal(e.move_calls, 0);
    /* unimplemented BARs read 0 even after all ones */
    wr(&c, 0x14, 4, 0xffffffff);
    assert_int_equal(rd(&c, 0x14, 4), 0);
    wr(&c, 0x24, 4, 0xffffffff);
    assert_int_equal(rd(&c, 0x24, 4), 0);
}

static void test_bar_sizing_64_and_io(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct assign_cfg_host h;
    struct events e = { 0 };
    struct assign_cfg_events ev = { .msi_change = ev_msi, .bar_move = ev_move, .ctx = &e };
    struct pci_bar bars[ASSIGN_BARS] = {
        [0] = { .base = 0xc000, .size = 0x40, .io = true },
        [2] = { .base = 0x800000000ULL, .size = 0x4000, .mem64 = true, .prefetch = true },
        [4] = { .base = 0xfe000000, .size = 0x1000 },
    };

    fake_edu(&f, true, true);
    h = host_of(&f);
    assert_int_equal(assign_cfg_init(&c, &h, bars, &ev), 0);
    assert_int_equal(rd(&c, 0x10, 4), 0xc001);
    wr(&c, 0x10, 4, 0xffffffff);
    assert_int_equal(rd(&c, 0x10, 4), 0xffffffc1);
    wr(&c, 0x10, 4, 0xc000);
    assert_int_equal(rd(&c, 0x18, 4), 0x0000000c);
    assert_int_equal(rd(&c, 0x1c, 4), 0x8);
    wr(&c, 0x18, 4, 0xffffffff);
    wr(&c, 0x1c, 4, 0xffffffff);
    assert_int_equal(rd(&c, 0x18, 4), 0xffffc00c);
    assert_int_equal(rd(&c, 0x1c, 4), 0xffffffff);
    wr(&c, 0x18, 4, 0x0000000c);
    wr(&c, 0x1c, 4, 0x8);
    assert_int_equal(rd(&c, 0x18, 4), 0x0000000c);
    assert_int_equal(e.move_calls, 0);
    /* sub-dword BAR write (byte 1 of BAR4) merges with the rest */
    wr(&c, 0x21, 1, 0x30);
    assert_int_equal(rd(&c, 0x20, 4), 0xfe003000);

    /* moves while decoding is on ask the owner; a refusal leaves mapped_base */
    e.move_rc = -1;
    wr(&c, 0x04, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
    assert_int_equal(e.move_calls, 1);          /* BAR4 differs from where it is mapped */
    assert_int_equal(e.move_bar, 4);
    assert_int_equal(c.bar[4].mapped_base, 0xfe000000);
    e.move_rc = 0;
    wr(&c, 0x10, 4, 0xd000);
    assert_int_equal(e.move_calls, 2);
    assert_int_equal(e.move_bar, 0);
    assert_int_equal(e.move_to, 0xd000);
    assert_int_equal(c.bar[0].mapped_base, 0xd000);
    wr(&c, 0x18, 4, 0x10000000);                 /* low half of a 64-bit BAR: no move yet */
    assert_int_equal(e.move_calls, 2);
    wr(&c, 0x1c, 4, 0x9);
    assert_int_equal(e.move_calls, 3);
    assert_int_equal(e.move_to, 0x910000000ULL);
    assert_int_equal(c.bar[2].mapped_base, 0x910000000ULL);
}

static void test_msi_virtual_32(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct events e;
    unsigned writes_before;

    init_edu(&c, &f, &e, false);
    writes_before = f.writes;
    wr(&c, 0x54, 4, 0xfee00003);               /* low two bits are reserved */
    wr(&c, 0x58, 2, 0x0041);
    assert_int_equal(rd(&c, 0x54, 4), 0xfee00000);
    assert_int_equal(rd(&c, 0x58, 4), 0x41);
    assert_int_equal(f.writes, writes_before);  /* never reaches the device */
    assert_int_equal(e.msi_calls, 2);
    wr(&c, 0x52, 2, ASSIGN_MSI_CTRL_ENABLE | ASSIGN_MSI_CTRL_MME_MASK);
    assert_int_equal(e.msi_calls, 3);
    assert_true(e.last_msi.enabled);
    assert_int_equal(e.last_msi.addr, 0xfee00000);
    assert_int_equal(e.last_msi.data, 0x41);
    assert_int_equal(rd(&c, 0x52, 2), ASSIGN_MSI_CTRL_ENABLE);  /* MME stays 0 */
    wr(&c, 0x52, 2, ASSIGN_MSI_CTRL_ENABLE);  /* unchanged: no event */
    assert_int_equal(e.msi_calls, 3);
    wr(&c, 0x50, 4, 0);
    assert_false(e.last_msi.enabled);
    assert_int_equal(rd(&c, 0x5c, 4), 0);       /* beyond the 32-bit capability */
}

static void test_msi_virtual_64(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct events e;

    init_edu(&c, &f, &e, true);
    assert_int_equal(rd(&c, 0x52, 2), ASSIGN_MSI_CTRL_64BIT);
    wr(&c, 0x54, 4, 0xfee01000);
    wr(&c, 0x58, 4, 0x1);
    wr(&c, 0x5c, 4, 0xabcd0051);
    assert_int_equal(rd(&c, 0x58, 4), 1);
    assert_int_equal(rd(&c, 0x5c, 4), 0x51);
    assert_int_equal(rd(&c, 0x5c, 2), 0x51);
    assert_int_equal(c.msi.addr, 0x1fee01000ULL);
    assert_int_equal(rd(&c, 0x60, 4), 0);       /* mask register not offered */
}

static void test_bad_access(void **state)
{
    struct assign_cfg c;
    struct fake_fn f;
    struct events e;
    uint32_t v;

    init_edu(&c, &f, &e, false);
    assert_int_equal(assign_cfg_read(&c, 0x01, 2, &v), -EINVAL);
    assert_int_equal(v, 0xffffffff);
    assert_int_equal(assign_cfg_read(&c, 0x02, 4, &v), -EINVAL);
    assert_int_equal(assign_cfg_read(&c, 0x00, 3, &v), -EINVAL);
    assert_int_equal(assign_cfg_read(&c, 0x1000, 4, &v), -EINVAL);
    assert_int_equal(assign_cfg_write(&c, 0x11, 4, 0), -EINVAL);
    assert_int_equal(assign_cfg_write(&c, 0x10, 8, 0), -EINVAL);
    assert_int_equal(rd(&c, 0x10, 4), 0xfea00000);
}

/* ---- MSI decoding and device programming ---- */

static void test_msi_decode(void **state)
{
    struct msi_route r;

    assert_int_equal(msi_decode(0xfee01000, 0x0041, &r), MSI_OK);
    assert_int_equal(r.vector, 0x41);
    assert_int_equal(r.dest, 1);
    assert_false(r.dest_logical);
    assert_int_equal(msi_decode(0xfee0f00c, 0x0130, &r), MSI_OK);   /* lowest priority, logical */
    assert_int_equal(r.dest, 0x0f);
    assert_true(r.dest_logical);
    assert_int_equal(msi_decode(0xfed00000, 0x41, &r), MSI_BAD_ADDRESS);
    assert_int_equal(msi_decode(0x1fee00000ULL, 0x41, &r), MSI_BAD_ADDRESS);
    assert_int_equal(msi_decode(0xfee00010, 0x41, &r), MSI_REMAPPABLE);
    assert_int_equal(msi_decode(0xfee00000, 0x0441, &r), MSI_BAD_DELIVERY);  /* NMI */
    assert_int_equal(msi_decode(0xfee00000, 0x8041, &r), MSI_LEVEL);
    assert_int_equal(msi_decode(0xfee00000, 0x000f, &r), MSI_BAD_VECTOR);
    for (int s = MSI_OK; s <= MSI_BAD_VECTOR; s++)
        assert_true(strlen(msi_decode_status_name((enum msi_decode_status)s)) > 0);
    assert_string_equal(msi_decode_status_name((enum msi_decode_status)99), "unknown");
}

static void test_msi_host_program(void **state)
{
    struct fake_fn f;
    struct assign_cfg_host h;

    fake_edu(&f, false, true);
    h = host_of(&f);
    msi_host_program(&h, 0x50, false, true, 0xfee00000, 0x4031);
    assert_int_equal(get32(&f, 0x54), 0xfee00000);
    assert_int_equal(get32(&f, 0x58), 0x4031 & 0xffff);
    assert_int_equal(get32(&f, 0x50) >> 16 & (ASSIGN_MSI_CTRL_ENABLE | ASSIGN_MSI_CTRL_MME_MASK),
                     ASSIGN_MSI_CTRL_ENABLE);
    assert_int_equal(get32(&f, 0x50) & 0xffff, 0x7005);   /* id and next untouched */
    assert_int_equal(f.last_write_off, 0x50);             /* enable comes last */
    msi_host_program(&h, 0x50, false, false, 0, 0);
    assert_int_equal(get32(&f, 0x50) >> 16 & ASSIGN_MSI_CTRL_ENABLE, 0);

    fake_edu(&f, true, true);
    msi_host_program(&h, 0x50, true, true, 0xfee00000, 0x31);
    assert_int_equal(get32(&f, 0x58), 0);
    assert_int_equal(get32(&f, 0x5c), 0x31);
}

/* ---- DMA map plan against a fake domain ---- */

#define FAKE_MAPS 1100
struct fake_domain {
    struct { uint64_t iova, hpa, size; } m[FAKE_MAPS];
    unsigned n;
    int fail_at;      /* map call index that fails, or -1 */
    int extra;        /* an extra mapping outside RAM at this iova, or 0 */
};

static int fd_map(void *ctx, uint64_t iova, uint64_t hpa, uint64_t size)
{
    struct fake_domain *d = ctx;

    if ((int)d->n == d->fail_at)
        return -ENOMEM;
    assert_true(d->n < FAKE_MAPS);
    d->m[d->n].iova = iova;
    d->m[d->n].hpa = hpa;
    d->m[d->n].size = size;
    d->n++;
    return 0;
}

static int fd_lookup(void *ctx, uint64_t iova, uint64_t *hpa)
{
    struct fake_domain *d = ctx;

    for (unsigned i = 0; i < d->n; i++)
        if (iova >= d->m[i].iova && iova - d->m[i].iova < d->m[i].size) {
            *hpa = d->m[i].hpa + (iova - d->m[i].iova);
            return 0;
        }
    return -ENOENT;
}

struct ram_env {
    unsigned n2m_ok;   /* 2 MiB chunks the allocator hands out before refusing */
};

static uint64_t ra_2m(void *ctx)
{
    struct ram_env *e = ctx;
    void *p;

    if (!e->n2m_ok)
        return 0;
    e->n2m_ok--;
    p = aligned_alloc(GUEST_RAM_SLOT_BYTES, GUEST_RAM_SLOT_BYTES);
    memset(p, 0, GUEST_RAM_SLOT_BYTES);
    return (uint64_t)(uintptr_t)p;
}

static uint64_t ra_4k(void *ctx)
{
    void *p = aligned_alloc(4096, 4096);
    memset(p, 0, 4096);
    return (uint64_t)(uintptr_t)p;
}

static void ra_free(void *ctx, uint64_t hpa) { free((void *)(uintptr_t)hpa); }

static void make_ram(struct guest_ram *ram, struct guest_ram_slot *slots, struct ram_env *env, uint64_t bytes)
{
    struct guest_ram_alloc a = { .alloc_2m = ra_2m, .alloc_4k = ra_4k, .free_2m = ra_free, .free_4k = ra_free, .ctx = env };

    assert_int_equal(guest_ram_init(ram, bytes, slots, &a), 0);
}

static void test_dma_maps_exactly_ram(void **state)
{
    struct guest_ram ram;
    struct guest_ram_slot slots[3];
    struct ram_env env = { .n2m_ok = 2 };    /* two chunks, then a slot of 4 KiB frames */
    struct fake_domain d = { .fail_at = -1 };
    struct assign_dma_ops ops = { .map = fd_map, .lookup = fd_lookup, .ctx = &d };
    unsigned runs;
    uint64_t bad = 0, total = 0;

    make_ram(&ram, slots, &env, 3 * GUEST_RAM_SLOT_BYTES);
    assert_int_equal(assign_dma_map_ram(&ram, &ops, &runs), 0);
    assert_int_equal(runs, d.n);
    for (unsigned i = 0; i < d.n; i++) {
        total += d.m[i].size;
        for (uint64_t off = 0; off < d.m[i].size; off += 4096)
            assert_true(guest_ram_gpa_to_hpa(&ram, d.m[i].iova + off) == d.m[i].hpa + off);
    }
    assert_int_equal(total, ram.size_bytes);
    assert_true(assign_dma_invariant_holds(&ram, &ops, 1ULL << 32, &bad));

    /* an extra mapping beyond RAM is caught */
    d.m[d.n].iova = 8 * GUEST_RAM_SLOT_BYTES;
    d.m[d.n].hpa = 0x1000;
    d.m[d.n].size = 4096;
    d.n++;
    assert_false(assign_dma_invariant_holds(&ram, &ops, 1ULL << 32, &bad));
    assert_int_equal(bad, 8 * GUEST_RAM_SLOT_BYTES);
    d.m[d.n - 1].iova = 9 * GUEST_RAM_SLOT_BYTES - 4096;
    assert_false(assign_dma_invariant_holds(&ram, &ops, 1ULL << 32, &bad));
    assert_int_equal(bad, 9 * GUEST_RAM_SLOT_BYTES - 4096);
    d.n--;
    /* a RAM page pointing elsewhere is caught */
    d.m[0].hpa += 4096;
    assert_false(assign_dma_invariant_holds(&ram, &ops, 1ULL << 32, &bad));
    assert_int_equal(bad, 0);
    d.m[0].hpa -= 4096;
    /* a RAM page not mapped is caught */
    d.n = 0;
    assert_false(assign_dma_invariant_holds(&ram, &ops, 1ULL << 32, &bad));
    guest_ram_destroy(&ram);
}

static void test_dma_map_error_propagates(void **state)
{
    struct guest_ram ram;
    struct guest_ram_slot slots[2];
    struct ram_env env = { .n2m_ok = 0 };    /* all 4 KiB frames: many runs */
    struct fake_domain d = { .fail_at = 1 };
    struct assign_dma_ops ops = { .map = fd_map, .lookup = fd_lookup, .ctx = &d };
    unsigned runs;

    make_ram(&ram, slots, &env, 2 * GUEST_RAM_SLOT_BYTES);
    assert_int_equal(assign_dma_map_ram(&ram, &ops, &runs), -ENOMEM);
    assert_int_equal(runs, 2);
    guest_ram_destroy(&ram);
}

/* ---- assign= ---- */

static void test_list_parse(void **state)
{
    struct assign_bdf b[3];

    unit_log_reset();
    assert_int_equal(assign_list_parse("00:01.0", b, 3), 1);
    assert_int_equal(b[0].bus, 0);
    assert_int_equal(b[0].dev, 1);
    assert_int_equal(b[0].fn, 0);
    assert_int_equal(assign_list_parse("0001:02:1f.7,,03:00.1", b, 3), 2);
    assert_int_equal(b[0].seg, 1);
    assert_int_equal(b[0].bus, 2);
    assert_int_equal(b[0].dev, 0x1f);
    assert_int_equal(b[0].fn, 7);
    assert_int_equal(b[1].bus, 3);
    assert_int_equal(assign_list_parse("zz:01.0,00:01.0,00:01.0,0000:00:01.0", b, 3), 1);
    assert_true(unit_log_contains("assign: \"zz:01.0\" is not a PCI address"));
    assert_true(unit_log_contains("listed twice"));
    assert_int_equal(assign_list_parse("00:01.0,00:02.0,00:03.0", b, 2), 2);
    assert_true(unit_log_contains("more than 2 devices; 0000:00:03.0 ignored"));
    assert_int_equal(assign_list_parse("00000000000000000000000:01.0,00:04.0", b, 3), 1);
    assert_true(unit_log_contains("is not a PCI address"));
    assert_int_equal(b[0].dev, 4);
    assert_int_equal(assign_list_parse("", b, 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_passes_through_rest_hidden),
        cmocka_unit_test(test_cap_list_only_msi),
        cmocka_unit_test(test_no_caps),
        cmocka_unit_test(test_cap_loop_is_bounded),
        cmocka_unit_test(test_bridge_refused),
        cmocka_unit_test(test_command_filtered),
        cmocka_unit_test(test_bar_sizing),
        cmocka_unit_test(test_bar_sizing_64_and_io),
        cmocka_unit_test(test_msi_virtual_32),
        cmocka_unit_test(test_msi_virtual_64),
        cmocka_unit_test(test_bad_access),
        cmocka_unit_test(test_msi_decode),
        cmocka_unit_test(test_msi_host_program),
        cmocka_unit_test(test_dma_maps_exactly_ram),
        cmocka_unit_test(test_dma_map_error_propagates),
        cmocka_unit_test(test_list_parse),
    };
    return UNIT_RUN(tests);
}
