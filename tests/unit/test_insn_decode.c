// SPDX-License-Identifier: GPL-2.0-only
/* MOV-family decoder: encodings, prefixes, addressing forms, write-back rules, refusals. */
#include "tests/unit/support.h"

#include <string.h>

#include "vmm/insn_decode.h"

#define B(...) ((const uint8_t[]){ __VA_ARGS__ }), sizeof((const uint8_t[]){ __VA_ARGS__ })

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };

static struct insn dec(const uint8_t *b, unsigned n, enum insn_mode m)
{
    struct insn in;

    assert_int_equal(insn_decode(b, n, m, &in), INSN_OK);
    return in;
}

static void test_basic_moves_32(void **state)
{
    /* mov %eax,(%ebx) */
    struct insn in = dec(B(0x89, 0x03), INSN_MODE_32);

    assert_int_equal(in.len, 2);
    assert_int_equal(in.dir, INSN_STORE);
    assert_int_equal(in.mem_bytes, 4);
    assert_int_equal(in.reg, RAX);
    assert_int_equal(in.mem.base, RBX);
    assert_int_equal(in.mem.index, INSN_REG_NONE);
    assert_int_equal(in.mem.seg, INSN_SEG_DS);
    assert_int_equal(in.mem.addr_bytes, 4);

    /* mov 0x10(%esi),%ecx */
    in = dec(B(0x8B, 0x4E, 0x10), INSN_MODE_32);
    assert_int_equal(in.len, 3);
    assert_int_equal(in.dir, INSN_LOAD);
    assert_int_equal(in.reg, RCX);
    assert_int_equal(in.mem.base, RSI);
    assert_int_equal(in.mem.disp, 0x10);

    /* mov %dl,-4(%ebp): 8-bit store, SS default */
    in = dec(B(0x88, 0x55, 0xFC), INSN_MODE_32);
    assert_int_equal(in.mem_bytes, 1);
    assert_int_equal(in.reg, RDX);
    assert_false(in.reg_high8);
    assert_int_equal(in.mem.disp, -4);
    assert_int_equal(in.mem.seg, INSN_SEG_SS);

    /* mov 0xfee00030,%bh: high byte register, disp32 absolute */
    in = dec(B(0x8A, 0x3D, 0x30, 0x00, 0xE0, 0xFE), INSN_MODE_32);
    assert_int_equal(in.len, 6);
    assert_true(in.reg_high8);
    assert_int_equal(in.reg, 7);
    assert_int_equal(in.mem.base, INSN_REG_NONE);
    assert_int_equal((uint32_t)in.mem.disp, 0xFEE00030u);

    /* mov 0x100(%eax),%ax with 66 */
    in = dec(B(0x66, 0x8B, 0x80, 0x00, 0x01, 0x00, 0x00), INSN_MODE_32);
    assert_int_equal(in.len, 7);
    assert_int_equal(in.mem_bytes, 2);
    assert_int_equal(in.reg_bytes, 2);
    assert_int_equal(in.mem.disp, 0x100);
}

static void test_sib_forms(void **state)
{
    uint64_t g[16] = { 0 };
    /* mov %eax,0x8(%ebx,%ecx,4) */
    struct insn in = dec(B(0x89, 0x44, 0x8B, 0x08), INSN_MODE_32);

    assert_int_equal(in.len, 4);
    assert_int_equal(in.mem.base, RBX);
    assert_int_equal(in.mem.index, RCX);
    assert_int_equal(in.mem.scale, 4);
    g[RBX] = 0x1000, g[RCX] = 3;
    assert_int_equal(insn_mem_offset(&in, g, 0), 0x1000 + 12 + 8);

    /* mov (,%esi,8),%eax with disp32, no base */
    in = dec(B(0x8B, 0x04, 0xF5, 0x00, 0x00, 0xC0, 0xFE), INSN_MODE_32);
    assert_int_equal(in.len, 7);
    assert_int_equal(in.mem.base, INSN_REG_NONE);
    assert_int_equal(in.mem.index, RSI);
    assert_int_equal(in.mem.scale, 8);

    /* mov (%esp),%eax: SIB index 100 = none, SS default */
    in = dec(B(0x8B, 0x04, 0x24), INSN_MODE_32);
    assert_int_equal(in.mem.base, RSP);
    assert_int_equal(in.mem.index, INSN_REG_NONE);
    assert_int_equal(in.mem.seg, INSN_SEG_SS);

    /* mov 0x12345678(%ebp,%eax,2),%eax: mod 10 with SIB base ebp */
    in = dec(B(0x8B, 0x84, 0x45, 0x78, 0x56, 0x34, 0x12), INSN_MODE_32);
    assert_int_equal(in.mem.base, RBP);
    assert_int_equal(in.mem.disp, 0x12345678);
    assert_int_equal(in.mem.scale, 2);

    /* 64-bit: mov %r9,(%r12,%r13,1) : REX.WRXB */
    in = dec(B(0x4F, 0x89, 0x0C, 0x2C), INSN_MODE_64);
    assert_int_equal(in.reg, R9);
    assert_int_equal(in.mem.base, R12);
    assert_int_equal(in.mem.index, R13);
    assert_int_equal(in.mem_bytes, 8);
    /* REX.X makes index 100 a real register (r12) */
    in = dec(B(0x42, 0x8B, 0x04, 0x20), INSN_MODE_64);
    assert_int_equal(in.mem.index, R12);
    assert_int_equal(in.mem.base, RAX);
    /* wrap of a 32-bit address */
    in = dec(B(0x8B, 0x40, 0x10), INSN_MODE_32);
    g[RAX] = 0xFFFFFFF8u;
    assert_int_equal(insn_mem_offset(&in, g, 0), 8);
}

static void test_rip_relative_and_64(void **state)
{
    uint64_t g[16] = { 0 };
    /* mov 0x100(%rip),%eax */
    struct insn in = dec(B(0x8B, 0x05, 0x00, 0x01, 0x00, 0x00), INSN_MODE_64);

    assert_int_equal(in.mem.base, INSN_REG_RIP);
    assert_int_equal(in.len, 6);
    assert_int_equal(insn_mem_offset(&in, g, 0x401000), 0x401000 + 6 + 0x100);
    /* in 32-bit mode the same bytes are an absolute disp32 */
    in = dec(B(0x8B, 0x05, 0x00, 0x01, 0x00, 0x00), INSN_MODE_32);
    assert_int_equal(in.mem.base, INSN_REG_NONE);
    assert_int_equal(insn_mem_offset(&in, g, 0x401000), 0x100);
    /* 67 in 64-bit mode: 32-bit addresses */
    in = dec(B(0x67, 0x8B, 0x00), INSN_MODE_64);
    assert_int_equal(in.mem.addr_bytes, 4);
    /* mov %rax,(%rdi) with REX.W; a 40 REX makes byte registers SIL/DIL */
    in = dec(B(0x48, 0x89, 0x07), INSN_MODE_64);
    assert_int_equal(in.mem_bytes, 8);
    in = dec(B(0x40, 0x88, 0x37), INSN_MODE_64);
    assert_int_equal(in.reg, RSI);
    assert_false(in.reg_high8);
    in = dec(B(0x88, 0x37), INSN_MODE_64);
    assert_true(in.reg_high8); /* DH */
    /* REX then 66: the REX is ignored (not directly before the opcode) */
    in = dec(B(0x48, 0x66, 0x89, 0x07), INSN_MODE_64);
    assert_int_equal(in.mem_bytes, 2);
    /* REX.W wins over 66 */
    in = dec(B(0x66, 0x48, 0x89, 0x07), INSN_MODE_64);
    assert_int_equal(in.mem_bytes, 8);
    /* 0x40-0x4F in 32-bit mode are INC/DEC: unsupported */
    assert_int_equal(insn_decode(B(0x48, 0x89, 0x07), INSN_MODE_32, &in), INSN_UNSUPPORTED_OPCODE);
}

static void test_immediates(void **state)
{
    uint64_t g[16] = { 0 };
    /* movl $0x12345678,0x300(%eax) */
    struct insn in = dec(B(0xC7, 0x80, 0x00, 0x03, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12), INSN_MODE_32);

    assert_int_equal(in.len, 10);
    assert_true(in.src_imm);
    assert_int_equal(in.imm, 0x12345678);
    assert_int_equal(insn_store_value(&in, g), 0x12345678);
    /* movb $0xAB,(%ebx) */
    in = dec(B(0xC6, 0x03, 0xAB), INSN_MODE_32);
    assert_int_equal(in.mem_bytes, 1);
    assert_int_equal(in.imm, 0xAB);
    /* movw $0xBEEF,(%ebx) */
    in = dec(B(0x66, 0xC7, 0x03, 0xEF, 0xBE), INSN_MODE_32);
    assert_int_equal(in.mem_bytes, 2);
    assert_int_equal(in.imm, 0xBEEF);
    /* movq $-1,(%rax): imm32 sign-extended */
    in = dec(B(0x48, 0xC7, 0x00, 0xFF, 0xFF, 0xFF, 0xFF), INSN_MODE_64);
    assert_int_equal(in.mem_bytes, 8);
    assert_int_equal(in.imm, UINT64_MAX);
    /* C7 /1 is not MOV */
    assert_int_equal(insn_decode(B(0xC7, 0x08, 0, 0, 0, 0), INSN_MODE_32, &in), INSN_UNSUPPORTED_OPCODE);
    /* 16-bit mode: C7 with 16-bit immediate */
    in = dec(B(0xC7, 0x06, 0x34, 0x12, 0xCD, 0xAB), INSN_MODE_16);
    assert_int_equal(in.len, 6);
    assert_int_equal(in.mem.base, INSN_REG_NONE);
    assert_int_equal(in.mem.disp, 0x1234);
    assert_int_equal(in.imm, 0xABCD);
}

static void test_moffs(void **state)
{
    uint64_t g[16] = { 0 };
    /* mov 0xfee000b0,%eax (A1) */
    struct insn in = dec(B(0xA1, 0xB0, 0x00, 0xE0, 0xFE), INSN_MODE_32);

    assert_int_equal(in.len, 5);
    assert_int_equal(in.dir, INSN_LOAD);
    assert_int_equal(in.reg, RAX);
    assert_int_equal(insn_mem_offset(&in, g, 0), 0xFEE000B0u);
    /* A2: mov %al,moffs; 64-bit moffs is 8 bytes */
    in = dec(B(0xA2, 1, 2, 3, 4, 5, 6, 7, 8), INSN_MODE_64);
    assert_int_equal(in.len, 9);
    assert_int_equal(in.dir, INSN_STORE);
    assert_int_equal(in.mem_bytes, 1);
    assert_int_equal(in.mem.disp, 0x0807060504030201LL);
    /* A3 with 67 in 64-bit mode: 4-byte offset */
    in = dec(B(0x67, 0xA3, 1, 2, 3, 4), INSN_MODE_64);
    assert_int_equal(in.len, 6);
    /* 16-bit: A0 has a 2-byte offset; with ES override */
    in = dec(B(0x26, 0xA0, 0x34, 0x12), INSN_MODE_16);
    assert_int_equal(in.len, 4);
    assert_int_equal(in.mem.seg, INSN_SEG_ES);
    assert_int_equal(in.mem_bytes, 1);
}

static void test_movzx_movsx_writeback(void **state)
{
    uint64_t g[16] = { 0 };
    struct insn in = dec(B(0x0F, 0xB6, 0x03), INSN_MODE_32); /* movzbl (%ebx),%eax */

    assert_int_equal(in.ext, INSN_EXT_ZERO);
    assert_int_equal(in.mem_bytes, 1);
    assert_int_equal(in.reg_bytes, 4);
    g[RAX] = 0xFFFFFFFFFFFFFFFFULL;
    insn_load_writeback(&in, g, 0x80);
    assert_int_equal(g[RAX], 0x80);

    in = dec(B(0x0F, 0xBE, 0x03), INSN_MODE_32); /* movsbl */
    insn_load_writeback(&in, g, 0x80);
    assert_int_equal(g[RAX], 0xFFFFFF80u);

    in = dec(B(0x48, 0x0F, 0xBF, 0x03), INSN_MODE_64); /* movswq */
    insn_load_writeback(&in, g, 0x8000);
    assert_int_equal(g[RAX], 0xFFFFFFFFFFFF8000ULL);

    in = dec(B(0x66, 0x0F, 0xB7, 0x03), INSN_MODE_32); /* movzww: 16-bit destination keeps the rest */
    g[RAX] = 0x1111111122223333ULL;
    insn_load_writeback(&in, g, 0xABCD);
    assert_int_equal(g[RAX], 0x111111112222ABCDULL);

    in = dec(B(0x66, 0x0F, 0xBE, 0x03), INSN_MODE_32); /* movsbw */
    insn_load_writeback(&in, g, 0xFE);
    assert_int_equal(g[RAX], 0x111111112222FFFEULL);

    /* 8-bit load into AH keeps everything else */
    in = dec(B(0x8A, 0x23), INSN_MODE_32);
    g[RAX] = 0x1122334455667788ULL;
    insn_load_writeback(&in, g, 0xAA);
    assert_int_equal(g[RAX], 0x112233445566AA88ULL);
    /* 8-bit load into AL */
    in = dec(B(0x8A, 0x03), INSN_MODE_32);
    insn_load_writeback(&in, g, 0x55);
    assert_int_equal(g[RAX], 0x112233445566AA55ULL);
    /* 32-bit load clears bits 63:32 */
    in = dec(B(0x8B, 0x03), INSN_MODE_64);
    insn_load_writeback(&in, g, 0xDEADBEEF);
    assert_int_equal(g[RAX], 0xDEADBEEFULL);
    /* 64-bit load */
    in = dec(B(0x4C, 0x8B, 0x03), INSN_MODE_64);
    insn_load_writeback(&in, g, 0x0123456789ABCDEFULL);
    assert_int_equal(g[R8], 0x0123456789ABCDEFULL);

    /* store values: BH, a 16-bit register, a 64-bit one */
    g[RBX] = 0xAB12;
    in = dec(B(0x88, 0x38), INSN_MODE_32); /* mov %bh,(%eax) */
    assert_int_equal(insn_store_value(&in, g), 0xAB);
    in = dec(B(0x66, 0x89, 0x18), INSN_MODE_32);
    g[RBX] = 0x12345678;
    assert_int_equal(insn_store_value(&in, g), 0x5678);
    in = dec(B(0x48, 0x89, 0x18), INSN_MODE_64);
    g[RBX] = 0x1234567890ULL;
    assert_int_equal(insn_store_value(&in, g), 0x1234567890ULL);
}

static void test_16bit_addressing(void **state)
{
    uint64_t g[16] = { 0 };
    /* mov (%bx,%si),%ax */
    struct insn in = dec(B(0x8B, 0x00), INSN_MODE_16);

    assert_int_equal(in.mem.base, RBX);
    assert_int_equal(in.mem.index, RSI);
    assert_int_equal(in.mem.addr_bytes, 2);
    assert_int_equal(in.reg_bytes, 2);
    g[RBX] = 0xFFF0, g[RSI] = 0x20;
    assert_int_equal(insn_mem_offset(&in, g, 0), 0x10); /* wraps at 64 KiB */
    /* mov 0x10(%bp,%di),%al: SS default, disp8 */
    in = dec(B(0x8A, 0x43, 0x10), INSN_MODE_16);
    assert_int_equal(in.mem.base, RBP);
    assert_int_equal(in.mem.seg, INSN_SEG_SS);
    assert_int_equal(in.mem.disp, 0x10);
    /* mov 0x1234(%di),%eax with 66: disp16 */
    in = dec(B(0x66, 0x8B, 0x85, 0x34, 0x12), INSN_MODE_16);
    assert_int_equal(in.len, 5);
    assert_int_equal(in.reg_bytes, 4);
    assert_int_equal(in.mem.base, INSN_REG_NONE);
    assert_int_equal(in.mem.index, RDI);
    /* 67 in 16-bit mode gives 32-bit addressing with SIB */
    in = dec(B(0x67, 0x8B, 0x04, 0x24), INSN_MODE_16);
    assert_int_equal(in.mem.addr_bytes, 4);
    assert_int_equal(in.mem.base, RSP);
    /* 67 in 32-bit mode gives 16-bit addressing */
    in = dec(B(0x67, 0x8B, 0x07), INSN_MODE_32);
    assert_int_equal(in.mem.addr_bytes, 2);
    assert_int_equal(in.mem.base, RBX);
    /* segment overrides */
    in = dec(B(0x64, 0x8B, 0x03), INSN_MODE_32);
    assert_int_equal(in.mem.seg, INSN_SEG_FS);
    in = dec(B(0x65, 0x2E, 0x8B, 0x03), INSN_MODE_32);
    assert_int_equal(in.mem.seg, INSN_SEG_CS);
    in = dec(B(0x36, 0x8B, 0x03), INSN_MODE_32);
    assert_int_equal(in.mem.seg, INSN_SEG_SS);
    in = dec(B(0x3E, 0x8B, 0x45, 0x00), INSN_MODE_32);
    assert_int_equal(in.mem.seg, INSN_SEG_DS);
}

static void test_refusals(void **state)
{
    struct insn in;
    uint8_t many[16];

    assert_int_equal(insn_decode(B(0xF0, 0x89, 0x03), INSN_MODE_32, &in), INSN_UNSUPPORTED_PREFIX);
    assert_int_equal(insn_decode(B(0xF3, 0xA5), INSN_MODE_32, &in), INSN_UNSUPPORTED_PREFIX); /* rep movs */
    assert_int_equal(insn_decode(B(0xF2, 0x89, 0x03), INSN_MODE_32, &in), INSN_UNSUPPORTED_PREFIX);
    assert_int_equal(insn_decode(B(0x01, 0x03), INSN_MODE_32, &in), INSN_UNSUPPORTED_OPCODE); /* add */
    assert_int_equal(insn_decode(B(0x87, 0x03), INSN_MODE_32, &in), INSN_UNSUPPORTED_OPCODE); /* xchg */
    assert_int_equal(insn_decode(B(0x0F, 0x01, 0xC8), INSN_MODE_32, &in), INSN_UNSUPPORTED_OPCODE);
    assert_int_equal(insn_decode(B(0xC4, 0xE2, 0x79), INSN_MODE_64, &in), INSN_UNSUPPORTED_OPCODE); /* VEX */
    assert_int_equal(insn_decode(B(0x89, 0xC3), INSN_MODE_32, &in), INSN_NOT_MEMORY);
    assert_int_equal(insn_decode(B(0x0F, 0xB6, 0xC3), INSN_MODE_32, &in), INSN_NOT_MEMORY);
    assert_int_equal(insn_decode(B(0x89), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0x0F), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0x66), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0x89, 0x04), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0x89, 0x80, 0x00), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0x89, 0x40), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0x89, 0x06, 0x00), INSN_MODE_16, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0x89, 0x46), INSN_MODE_16, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0xC7, 0x00, 1, 2), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0xC6), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0xA1, 1, 2), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(B(0x0F, 0xB6), INSN_MODE_32, &in), INSN_TRUNCATED);
    assert_int_equal(insn_decode(NULL, 0, INSN_MODE_32, &in), INSN_TRUNCATED);
    memset(many, 0x66, sizeof(many));
    assert_int_equal(insn_decode(many, sizeof(many), INSN_MODE_32, &in), INSN_TOO_LONG);
    /* 14 prefixes + opcode + modrm = 16 bytes: too long */
    memset(many, 0x3E, 14);
    many[14] = 0x89, many[15] = 0x03;
    assert_int_equal(insn_decode(many, 16, INSN_MODE_32, &in), INSN_TOO_LONG);
    /* 13 prefixes + 2 = 15: fine */
    assert_int_equal(insn_decode(many + 1, 15, INSN_MODE_32, &in), INSN_OK);
    assert_int_equal(in.len, 15);
    assert_string_equal(insn_status_str(INSN_OK), "ok");
    assert_string_equal(insn_status_str(INSN_UNSUPPORTED_OPCODE), "unsupported opcode");
    for (int s = INSN_OK; s <= INSN_NOT_MEMORY; s++)
        assert_non_null(insn_status_str(s));
    assert_string_equal(insn_status_str((enum insn_status)99), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_moves_32),
        cmocka_unit_test(test_sib_forms),
        cmocka_unit_test(test_rip_relative_and_64),
        cmocka_unit_test(test_immediates),
        cmocka_unit_test(test_moffs),
        cmocka_unit_test(test_movzx_movsx_writeback),
        cmocka_unit_test(test_16bit_addressing),
        cmocka_unit_test(test_refusals),
    };

    return UNIT_RUN(tests);
}
