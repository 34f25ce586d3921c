/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * x86 decoder for the instructions a guest uses on emulated MMIO: the MOV family
 * (Intel SDM vol. 2: MOV 88/89/8A/8B, C6 /0, C7 /0, A0-A3 moffs; MOVZX 0F B6/B7;
 * MOVSX 0F BE/BF) with operand-size (66), address-size (67), segment and REX prefixes,
 * ModRM/SIB addressing (SDM vol. 2 2.1.5, tables 2-1 to 2-3) and RIP-relative
 * addressing (2.2.1.6). Anything else is reported with a precise status, never guessed.
 *
 * Register numbers are the encoding's: 0 rAX, 1 rCX, 2 rDX, 3 rBX, 4 rSP, 5 rBP,
 * 6 rSI, 7 rDI, 8-15 r8-r15. Pure: unit-tested on Linux.
 */
#ifndef NESTOR_VMM_INSN_DECODE_H
#define NESTOR_VMM_INSN_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#define INSN_MAX_BYTES 15   /* SDM vol. 2 2.3.11: longer instructions raise #GP */
#define INSN_NR_GPRS   16

/* The code segment's default sizes: 16 (real mode, CS.D=0), 32 (CS.D=1), 64 (CS.L=1, LMA). */
enum insn_mode { INSN_MODE_16, INSN_MODE_32, INSN_MODE_64 };

enum insn_status {
    INSN_OK = 0,
    INSN_TRUNCATED,            /* the bytes given end inside the instruction */
    INSN_TOO_LONG,             /* more than 15 bytes */
    INSN_UNSUPPORTED_PREFIX,   /* LOCK, REP/REPNE */
    INSN_UNSUPPORTED_OPCODE,   /* not a MOV of this family (or C6/C7 with reg != 0) */
    INSN_NOT_MEMORY,           /* ModRM.mod = 3: a register operand, no memory access */
};

const char *insn_status_str(enum insn_status st);

enum insn_seg { INSN_SEG_ES, INSN_SEG_CS, INSN_SEG_SS, INSN_SEG_DS, INSN_SEG_FS, INSN_SEG_GS };

#define INSN_REG_NONE 0xFF
#define INSN_REG_RIP  16

/* The memory operand: seg:[base + index * scale + disp], modulo 2^(8 * addr_bytes). */
struct insn_mem {
    uint8_t seg;          /* enum insn_seg: the override, or the default (SS for rBP/rSP bases) */
    uint8_t base, index;  /* 0-15, INSN_REG_RIP (base only) or INSN_REG_NONE */
    uint8_t scale;        /* 1, 2, 4, 8 */
    uint8_t addr_bytes;   /* 2, 4, 8 */
    int64_t disp;
};

enum insn_dir { INSN_LOAD, INSN_STORE };           /* memory -> register, or -> memory */
enum insn_ext { INSN_EXT_NONE, INSN_EXT_ZERO, INSN_EXT_SIGN };

struct insn {
    uint8_t len;
    uint8_t opcode[2];    /* 0F xx for two-byte opcodes, else opcode[0] only */
    uint8_t opcode_len;
    enum insn_dir dir;
    uint8_t mem_bytes;    /* bytes read or written in memory: 1, 2, 4, 8 */
    uint8_t reg;          /* the register operand (loads: destination; stores: source) */
    uint8_t reg_bytes;    /* its width; > mem_bytes only for MOVZX/MOVSX */
    bool reg_high8;       /* reg 4-7 mean AH, CH, DH, BH (8-bit operand, no REX) */
    bool src_imm;         /* a store of imm instead of reg */
    uint64_t imm;         /* stores: the immediate, extended to mem_bytes */
    enum insn_ext ext;    /* loads: MOVZX, MOVSX */
    struct insn_mem mem;
};

/* Decodes the instruction at bytes[0, avail). On INSN_OK *out describes it. */
enum insn_status insn_decode(const uint8_t *bytes, unsigned avail, enum insn_mode mode, struct insn *out);

/* The memory operand's offset within its segment; rip is the instruction's own address. */
uint64_t insn_mem_offset(const struct insn *in, const uint64_t gpr[INSN_NR_GPRS], uint64_t rip);

/* A store's value, mem_bytes wide. */
uint64_t insn_store_value(const struct insn *in, const uint64_t gpr[INSN_NR_GPRS]);

/*
 * Completes a load: writes value (mem_bytes read from memory) to the destination with the
 * SDM's rules: MOVZX/MOVSX extend to reg_bytes; 8- and 16-bit destinations keep the other
 * register bits; a 32-bit destination clears bits 63:32 (3.4.1.1).
 */
void insn_load_writeback(const struct insn *in, uint64_t gpr[INSN_NR_GPRS], uint64_t value);

#endif
