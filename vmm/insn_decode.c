// SPDX-License-Identifier: GPL-2.0-only
/* MOV-family decoder for MMIO emulation (see insn_decode.h). */
#include "vmm/insn_decode.h"

#include <stddef.h>

#include "lib/kstring.h"

/* REX (SDM vol. 2 2.2.1): 0100WRXB, only in 64-bit mode, only right before the opcode. */
#define REX_W 0x8
#define REX_R 0x4
#define REX_X 0x2
#define REX_B 0x1

#define MODRM_MOD(b) ((uint8_t)((b) >> 6))
#define MODRM_REG(b) ((uint8_t)(((b) >> 3) & 7))
#define MODRM_RM(b)  ((uint8_t)((b) & 7))

#define REG_SP 4
#define REG_BP 5

struct cursor {
    const uint8_t *bytes;
    unsigned avail, pos;
    enum insn_status error;
};

static bool take(struct cursor *c, unsigned n, uint64_t *value)
{
    uint64_t v = 0;

    if (c->pos + n > INSN_MAX_BYTES) {
        c->error = INSN_TOO_LONG;
        return false;
    }
    if (c->pos + n > c->avail) {
        c->error = INSN_TRUNCATED;
        return false;
    }
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)c->bytes[c->pos + i] << (8 * i);
    c->pos += n;
    *value = v;
    return true;
}

static int64_t sign_extend(uint64_t v, unsigned bytes)
{
    unsigned shift = 64 - 8 * bytes;

    return bytes >= 8 ? (int64_t)v : (int64_t)(v << shift) >> shift;
}

static uint64_t mask_bytes(uint64_t v, unsigned bytes)
{
    return bytes >= 8 ? v : v & ((1ULL << (8 * bytes)) - 1);
}

const char *insn_status_str(enum insn_status st)
{
    switch (st) {
    case INSN_OK: return "ok";
    case INSN_TRUNCATED: return "instruction bytes unreadable";
    case INSN_TOO_LONG: return "longer than 15 bytes";
    case INSN_UNSUPPORTED_PREFIX: return "unsupported prefix";
    case INSN_UNSUPPORTED_OPCODE: return "unsupported opcode";
    case INSN_NOT_MEMORY: return "no memory operand";
    }
    return "?";
}

/* 16-bit ModRM addressing (SDM vol. 2 table 2-1): rm -> base, index. */
static const uint8_t modrm16_base[8] = { 3, 3, REG_BP, REG_BP, INSN_REG_NONE, INSN_REG_NONE, REG_BP, 3 };
static const uint8_t modrm16_index[8] = { 6, 7, 6, 7, 6, 7, INSN_REG_NONE, INSN_REG_NONE };

static bool decode_modrm16(struct cursor *c, uint8_t modrm, struct insn_mem *m)
{
    uint8_t mod = MODRM_MOD(modrm), rm = MODRM_RM(modrm);
    uint64_t d = 0;

    m->base = modrm16_base[rm];
    m->index = modrm16_index[rm];
    if (mod == 0 && rm == 6) {
        m->base = INSN_REG_NONE;
        if (!take(c, 2, &d))
            return false;
        m->disp = sign_extend(d, 2);
    } else if (mod == 1 || mod == 2) {
        if (!take(c, mod == 1 ? 1 : 2, &d))
            return false;
        m->disp = sign_extend(d, mod == 1 ? 1 : 2);
    }
    return true;
}

/* 32/64-bit ModRM and SIB addressing (SDM vol. 2 tables 2-2, 2-3, 2.2.1.6). */
static bool decode_modrm32(struct cursor *c, uint8_t modrm, uint8_t rex, bool long_mode, struct insn_mem *m)
{
    uint8_t mod = MODRM_MOD(modrm), rm = MODRM_RM(modrm);
    uint64_t v = 0;

    if (rm == 4) {
        uint8_t sib, index, base;

        if (!take(c, 1, &v))
            return false;
        sib = (uint8_t)v;
        index = (uint8_t)(((sib >> 3) & 7) | ((rex & REX_X) ? 8 : 0));
        base = sib & 7;
        m->scale = (uint8_t)(1u << (sib >> 6));
        m->index = index == REG_SP ? INSN_REG_NONE : index;
        if (base == REG_BP && mod == 0) {
            m->base = INSN_REG_NONE;
            mod = 2; /* disp32 follows */
        } else {
            m->base = (uint8_t)(base | ((rex & REX_B) ? 8 : 0));
        }
    } else if (rm == 5 && mod == 0) {
        m->base = long_mode ? INSN_REG_RIP : INSN_REG_NONE;
        mod = 2;
    } else {
        m->base = (uint8_t)(rm | ((rex & REX_B) ? 8 : 0));
    }
    if (mod == 1 || mod == 2) {
        if (!take(c, mod == 1 ? 1 : 4, &v))
            return false;
        m->disp = sign_extend(v, mod == 1 ? 1 : 4);
    }
    return true;
}

static bool decode_modrm(struct cursor *c, uint8_t rex, enum insn_mode mode, struct insn *in)
{
    uint64_t v;
    uint8_t modrm;

    if (!take(c, 1, &v))
        return false;
    modrm = (uint8_t)v;
    if (MODRM_MOD(modrm) == 3) {
        c->error = INSN_NOT_MEMORY;
        return false;
    }
    in->reg = (uint8_t)(MODRM_REG(modrm) | ((rex & REX_R) ? 8 : 0));
    if (in->mem.addr_bytes == 2)
        return decode_modrm16(c, modrm, &in->mem);
    return decode_modrm32(c, modrm, rex, mode == INSN_MODE_64, &in->mem);
}

static void set_default_seg(struct insn_mem *m, int seg_override)
{
    if (seg_override >= 0)
        m->seg = (uint8_t)seg_override;
    else
        m->seg = (m->base == REG_SP || m->base == REG_BP) ? INSN_SEG_SS : INSN_SEG_DS;
}

static int segment_prefix(uint8_t b)
{
    switch (b) {
    case 0x26: return INSN_SEG_ES;
    case 0x2E: return INSN_SEG_CS;
    case 0x36: return INSN_SEG_SS;
    case 0x3E: return INSN_SEG_DS;
    case 0x64: return INSN_SEG_FS;
    case 0x65: return INSN_SEG_GS;
    }
    return -1;
}

/* The operand of an 8-bit register form: AH-BH without REX, SPL-DIL or r8b-r15b with it. */
static void set_reg8(struct insn *in, bool has_rex)
{
    in->reg_bytes = 1;
    in->reg_high8 = !has_rex && in->reg >= 4 && in->reg < 8;
}

static enum insn_status decode_opcode(struct cursor *c, uint8_t op, uint8_t rex, bool has_rex,
                                      enum insn_mode mode, unsigned osz, struct insn *in)
{
    uint64_t v;

    in->opcode[0] = op;
    in->opcode_len = 1;
    switch (op) {
    case 0x88: case 0x89: case 0x8A: case 0x8B:
        if (!decode_modrm(c, rex, mode, in))
            return c->error;
        in->dir = (op & 2) ? INSN_LOAD : INSN_STORE;
        in->mem_bytes = (uint8_t)((op & 1) ? osz : 1);
        in->reg_bytes = in->mem_bytes;
        if (!(op & 1))
            set_reg8(in, has_rex);
        return INSN_OK;
    case 0xC6: case 0xC7: {
        unsigned imm_bytes;

        if (!decode_modrm(c, rex, mode, in))
            return c->error;
        if ((in->reg & 7) != 0)
            return INSN_UNSUPPORTED_OPCODE; /* C6 F8/C7 F8 are XABORT/XBEGIN, others undefined */
        in->reg = INSN_REG_NONE;
        in->dir = INSN_STORE;
        in->src_imm = true;
        in->mem_bytes = (uint8_t)(op == 0xC6 ? 1 : osz);
        imm_bytes = in->mem_bytes > 4 ? 4 : in->mem_bytes;
        if (!take(c, imm_bytes, &v))
            return c->error;
        in->imm = mask_bytes((uint64_t)sign_extend(v, imm_bytes), in->mem_bytes);
        return INSN_OK;
    }
    case 0xA0: case 0xA1: case 0xA2: case 0xA3:
        if (!take(c, in->mem.addr_bytes, &v))
            return c->error;
        in->mem.base = INSN_REG_NONE;
        in->mem.disp = (int64_t)v;
        in->reg = 0;
        in->dir = (op & 2) ? INSN_STORE : INSN_LOAD;
        in->mem_bytes = (uint8_t)((op & 1) ? osz : 1);
        in->reg_bytes = in->mem_bytes;
        return INSN_OK;
    case 0x0F:
        if (!take(c, 1, &v))
            return c->error;
        in->opcode[1] = (uint8_t)v;
        in->opcode_len = 2;
        switch (in->opcode[1]) {
        case 0xB6: case 0xB7: case 0xBE: case 0xBF:
            if (!decode_modrm(c, rex, mode, in))
                return c->error;
            in->dir = INSN_LOAD;
            in->mem_bytes = (in->opcode[1] & 1) ? 2 : 1;
            in->reg_bytes = (uint8_t)osz;
            in->ext = (in->opcode[1] & 8) ? INSN_EXT_SIGN : INSN_EXT_ZERO;
            return INSN_OK;
        }
        return INSN_UNSUPPORTED_OPCODE;
    }
    return INSN_UNSUPPORTED_OPCODE;
}

enum insn_status insn_decode(const uint8_t *bytes, unsigned avail, enum insn_mode mode, struct insn *out)
{
    struct cursor c = { bytes, avail, 0, INSN_OK };
    bool opsize = false, addrsize = false, has_rex = false;
    int seg = -1;
    uint8_t rex = 0, op;
    unsigned osz;
    enum insn_status st;
    uint64_t v;

    memset(out, 0, sizeof(*out));
    for (;;) {
        if (!take(&c, 1, &v))
            return c.error;
        op = (uint8_t)v;
        if (mode == INSN_MODE_64 && (op & 0xF0) == 0x40) {
            rex = op;
            has_rex = true;
            continue;
        }
        if (op == 0x66 || op == 0x67 || segment_prefix(op) >= 0) {
            if (op == 0x66)
                opsize = true;
            else if (op == 0x67)
                addrsize = true;
            else
                seg = segment_prefix(op);
            rex = 0; /* a REX not directly before the opcode is ignored (2.2.1) */
            has_rex = false;
            continue;
        }
        if (op == 0xF0 || op == 0xF2 || op == 0xF3)
            return INSN_UNSUPPORTED_PREFIX;
        break;
    }

    if (mode == INSN_MODE_16)
        osz = opsize ? 4 : 2;
    else
        osz = (rex & REX_W) ? 8 : opsize ? 2 : 4;
    if (mode == INSN_MODE_64)
        out->mem.addr_bytes = addrsize ? 4 : 8;
    else if (mode == INSN_MODE_32)
        out->mem.addr_bytes = addrsize ? 2 : 4;
    else
        out->mem.addr_bytes = addrsize ? 4 : 2;
    out->mem.base = out->mem.index = INSN_REG_NONE;
    out->mem.scale = 1;

    st = decode_opcode(&c, op, rex, has_rex, mode, osz, out);
    if (st != INSN_OK)
        return st;
    set_default_seg(&out->mem, seg);
    out->len = (uint8_t)c.pos;
    return INSN_OK;
}

uint64_t insn_mem_offset(const struct insn *in, const uint64_t gpr[INSN_NR_GPRS], uint64_t rip)
{
    const struct insn_mem *m = &in->mem;
    uint64_t a = (uint64_t)m->disp;

    if (m->base == INSN_REG_RIP)
        a += rip + in->len;
    else if (m->base < INSN_NR_GPRS)
        a += gpr[m->base];
    if (m->index < INSN_NR_GPRS)
        a += gpr[m->index] * m->scale;
    return mask_bytes(a, m->addr_bytes);
}

uint64_t insn_store_value(const struct insn *in, const uint64_t gpr[INSN_NR_GPRS])
{
    if (in->src_imm)
        return in->imm;
    if (in->reg_high8)
        return (gpr[in->reg - 4] >> 8) & 0xFF;
    return mask_bytes(gpr[in->reg], in->mem_bytes);
}

void insn_load_writeback(const struct insn *in, uint64_t gpr[INSN_NR_GPRS], uint64_t value)
{
    uint64_t v = mask_bytes(value, in->mem_bytes);
    uint64_t *r;

    if (in->ext == INSN_EXT_SIGN)
        v = mask_bytes((uint64_t)sign_extend(v, in->mem_bytes), in->reg_bytes);
    if (in->reg_high8) {
        r = &gpr[in->reg - 4];
        *r = (*r & ~0xFF00ULL) | v << 8;
        return;
    }
    r = &gpr[in->reg];
    switch (in->reg_bytes) {
    case 1: *r = (*r & ~0xFFULL) | v; break;
    case 2: *r = (*r & ~0xFFFFULL) | v; break;
    default: *r = v; break; /* 4: bits 63:32 cleared; 8: all */
    }
}
