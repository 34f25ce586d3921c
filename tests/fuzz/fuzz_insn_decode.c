// SPDX-License-Identifier: GPL-2.0-only
/*
 * insn_decode on random bytes in each CPU mode. Input: mode selector byte, then the
 * instruction bytes, copied to a buffer of exactly that size so ASan catches a read past
 * them. Checked: a decoded length within 1..15 and within the bytes given; operand
 * widths and register numbers in range; the helpers run on random registers.
 */
#include <string.h>

#include "tests/fuzz/fuzz_support.h"
#include "vmm/insn_decode.h"

static bool width_ok(unsigned w) { return w == 1 || w == 2 || w == 4 || w == 8; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t gpr_init[INSN_NR_GPRS] = { 0x0123456789abcdefULL, ~0ULL, 0x8000000000000000ULL, 1, 2,
                                                     3, 0xffffffffULL, 0x7fffffffULL, 8, 9, 10, 11, 12, 13, 14, 15 };
    uint64_t gpr[INSN_NR_GPRS];
    enum insn_mode mode;
    struct insn in;
    uint8_t *bytes;
    size_t avail;

    fuzz_log_quiet();
    if (size < 1)
        return 0;
    mode = (enum insn_mode)(data[0] % 3);
    avail = size - 1;
    bytes = malloc(avail ? avail : 1);
    memcpy(bytes, data + 1, avail);
    if (insn_decode(bytes, (unsigned)avail, mode, &in) == INSN_OK) {
        FUZZ_CHECK(in.len >= 1 && in.len <= INSN_MAX_BYTES && in.len <= avail);
        FUZZ_CHECK(width_ok(in.mem_bytes));
        if (!in.src_imm)
            FUZZ_CHECK(width_ok(in.reg_bytes) && in.reg_bytes >= in.mem_bytes && in.reg < INSN_NR_GPRS);
        FUZZ_CHECK(in.mem.base < INSN_NR_GPRS || in.mem.base == INSN_REG_RIP || in.mem.base == INSN_REG_NONE);
        FUZZ_CHECK(in.mem.index < INSN_NR_GPRS || in.mem.index == INSN_REG_NONE);
        FUZZ_CHECK(in.mem.addr_bytes == 2 || in.mem.addr_bytes == 4 || in.mem.addr_bytes == 8);
        FUZZ_CHECK(in.mem.scale == 1 || in.mem.scale == 2 || in.mem.scale == 4 || in.mem.scale == 8);
        FUZZ_CHECK(in.mem.seg <= INSN_SEG_GS);
        FUZZ_CHECK(in.mem.base != INSN_REG_RIP || mode == INSN_MODE_64);
        memcpy(gpr, gpr_init, sizeof(gpr));
        (void)insn_mem_offset(&in, gpr, 0xfffffffffffffff0ULL);
        if (in.dir == INSN_STORE)
            (void)insn_store_value(&in, gpr);
        else
            insn_load_writeback(&in, gpr, 0xfedcba9876543210ULL);
    }
    free(bytes);
    return 0;
}
