// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_walk and guest_read_linear on random guest page tables. Input: the paging
 * registers, the linear address and access, a read-failure countdown, then the guest
 * memory (aliased every len bytes below 1 TiB so tables point into it; reads above fail).
 * Checked: a translation keeps the page offset and names a known page size; a read
 * never reports more bytes than asked.
 */
#include <string.h>

#include "kernel/errno.h"
#include "tests/fuzz/fuzz_support.h"
#include "vmm/guest_walk.h"

struct fake_mem {
    const uint8_t *p;
    size_t len;
    unsigned fail_after;   /* reads before one fails; 0: never */
    unsigned reads;
};

static int fake_read(void *ctx, uint64_t gpa, void *buf, size_t len)
{
    struct fake_mem *m = ctx;
    uint8_t *out = buf;

    if (m->fail_after && ++m->reads == m->fail_after)
        return -EFAULT;
    if (!m->len || gpa >> 40 || len > 64)
        return -EFAULT;
    for (size_t i = 0; i < len; i++)
        out[i] = m->p[(gpa + i) % m->len];
    return 0;
}

static bool size_ok(uint64_t s)
{
    return s == 4096 || s == (2ULL << 20) || s == (4ULL << 20) || s == (1ULL << 30);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = { data, size };
    struct guest_paging pg;
    struct fake_mem mem;
    struct guest_mem_reader rd = { fake_read, &mem };
    struct guest_walk_result res;
    uint64_t linear;
    unsigned access, want, got = 0;
    uint8_t buf[64];

    fuzz_log_quiet();
    memset(&pg, 0, sizeof(pg));
    pg.cr0 = fuzz_take(&in, 8);
    pg.cr3 = fuzz_take(&in, 8);
    pg.cr4 = fuzz_take(&in, 8);
    pg.efer = fuzz_take(&in, 8);
    pg.rflags_ac = fuzz_take(&in, 1) & 1;
    pg.maxphyaddr = (unsigned)fuzz_take(&in, 1) % 64;
    linear = fuzz_take(&in, 8);
    access = (unsigned)fuzz_take(&in, 1) & 7;
    want = (unsigned)fuzz_take(&in, 1) % (sizeof(buf) + 1);
    mem.fail_after = (unsigned)fuzz_take(&in, 1) % 8;
    mem.p = in.p;
    mem.len = in.left;
    mem.reads = 0;

    (void)guest_paging_mode(&pg);
    if (guest_walk(&pg, &rd, linear, access, &res) == GUEST_WALK_OK) {
        FUZZ_CHECK(size_ok(res.page_bytes));
        FUZZ_CHECK((res.gpa & (res.page_bytes - 1)) == (linear & (res.page_bytes - 1)));
    }
    mem.reads = 0;
    (void)guest_read_linear(&pg, &rd, linear, buf, want, access, &got, &res);
    FUZZ_CHECK(got <= want);
    return 0;
}
