// SPDX-License-Identifier: GPL-2.0-only
/*
 * An assigned function's virtual configuration space under random guest accesses.
 * Input: the host function's 256-byte configuration space (capability list included),
 * six BARs as pci_init would decode them, then accesses of 4 bytes each
 * (op+size, offset, value). Checked: the host sees only dword-aligned accesses inside
 * its 256 bytes; MSI-change events carry a sane state; BAR moves stay size-aligned.
 */
#include <string.h>

#include "kernel/errno.h"
#include "tests/fuzz/fuzz_support.h"
#include "vmm/assign_cfg.h"

static uint8_t host_space[256];
static bool move_fails;

static uint32_t host_read32(void *ctx, uint16_t off)
{
    uint32_t v;

    FUZZ_CHECK(off % 4 == 0 && off < sizeof(host_space));
    memcpy(&v, host_space + off, 4);
    return v;
}

static void host_write32(void *ctx, uint16_t off, uint32_t value)
{
    FUZZ_CHECK(off % 4 == 0 && off < sizeof(host_space));
    memcpy(host_space + off, &value, 4);
}

static void msi_change(void *ctx, const struct assign_vmsi *msi)
{
    FUZZ_CHECK(msi->cap != 0);
}

static int bar_move(void *ctx, unsigned i, const struct assign_vbar *bar, uint64_t guest_base)
{
    FUZZ_CHECK(i < ASSIGN_BARS && bar->size != 0);
    FUZZ_CHECK((guest_base & (bar->size - 1)) == 0);
    return move_fails ? -ENOMEM : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned sizes[] = { 1, 2, 4, 3, 0, 8, 4, 4 };
    const struct assign_cfg_host host = { host_read32, host_write32, NULL };
    const struct assign_cfg_events ev = { msi_change, bar_move, NULL };
    struct fuzz_input in = { data, size };
    struct pci_bar bars[ASSIGN_BARS];
    struct assign_cfg c;
    uint32_t value;

    fuzz_log_quiet();
    memset(host_space, 0, sizeof(host_space));
    for (unsigned i = 0; i < sizeof(host_space); i++)
        host_space[i] = (uint8_t)fuzz_take(&in, 1);
    for (unsigned i = 0; i < ASSIGN_BARS; i++) {
        uint8_t f = (uint8_t)fuzz_take(&in, 1);

        bars[i].base = fuzz_take(&in, 8);
        bars[i].size = f & 0x80 ? 0 : 1ULL << (f & 0x3f);
        bars[i].io = f & 0x40 ? true : false;
        bars[i].mem64 = (f >> 6) == 2;
        bars[i].prefetch = false;
    }
    move_fails = fuzz_take(&in, 1) & 1;
    if (assign_cfg_init(&c, &host, bars, &ev) != 0)
        return 0;
    while (in.left) {
        uint8_t op = (uint8_t)fuzz_take(&in, 1);
        uint16_t off = (uint16_t)fuzz_take(&in, 2) % 0x1010;
        uint32_t v = (uint32_t)fuzz_take(&in, 4);
        unsigned sz = sizes[op & 7];

        if (op & 0x80) {
            (void)assign_cfg_write(&c, off, sz, v);
        } else {
            value = 0x12345678;
            if (assign_cfg_read(&c, off, sz, &value) != 0)
                FUZZ_CHECK(value == 0xffffffffu);
        }
    }
    (void)assign_cfg_host_command((uint16_t)size, c.command);
    return 0;
}
