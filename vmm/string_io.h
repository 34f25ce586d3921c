/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * String port I/O: INS and OUTS, with or without REP (Intel SDM vol. 2 "INS/INSB/INSW/INSD",
 * "OUTS/OUTSB/OUTSW/OUTSD", "REP/REPE/REPZ/REPNE/REPNZ"; AMD APM vol. 3).
 *
 * OUTS reads the element at DS:rSI (a segment override applies), INS writes it at ES:rDI
 * (no override). rSI/rDI move by the element size, backwards when RFLAGS.DF is set; REP
 * repeats rCX times. The counter and the index registers are used at the address size
 * (16, 32 or 64 bits): a 16-bit update keeps bits 63:16, a 32-bit update clears bits 63:32.
 * Memory is guest-linear, translated through the guest's page tables (guest_walk) with the
 * access type, element by element, so a buffer may cross pages.
 *
 * Per exit at most STRING_IO_MAX_ITERATIONS elements move; a REP that has more left keeps
 * RIP on the instruction with rCX/rSI/rDI updated, so the guest executes it again (as the
 * processor does when it takes an interrupt between iterations). A fault leaves the
 * registers as they were after the last completed element, RIP on the instruction.
 *
 * Segment limits are not checked (flat segments), and linear addresses wrap at 4 GiB only
 * outside IA-32e mode (not in compatibility mode). Pure: unit-tested on Linux.
 */
#ifndef NESTOR_VMM_STRING_IO_H
#define NESTOR_VMM_STRING_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/guest_walk.h"
#include "vmm/vcpu.h"

#define STRING_IO_MAX_ITERATIONS 4096u

/* Segment numbers in the SDM's encoding (VM-exit instruction information, SVM EXITINFO1). */
enum string_io_seg { STRING_IO_ES, STRING_IO_CS, STRING_IO_SS, STRING_IO_DS, STRING_IO_FS, STRING_IO_GS };

/* The decoded access. */
struct string_io_access {
    uint16_t port;
    uint8_t size;            /* element: 1, 2 or 4 bytes */
    bool in, rep;
    uint8_t addr_size;       /* 2, 4 or 8 bytes */
    uint64_t seg_base;       /* OUTS: DS or the override; INS: ES. 0 for ES/DS/SS/CS in 64-bit code */
    uint64_t next_rip;       /* RIP after the instruction */
};

/*
 * The environment. Port callbacks: in returns the value (unclaimed ports float high);
 * out returns false when the device stopped the VM. Memory: 0, or negative when the
 * guest-physical range is not guest RAM.
 */
struct string_io_env {
    struct guest_paging paging;
    bool user;                                     /* CPL 3 */
    uint32_t (*port_in)(void *ctx, uint16_t port, unsigned size);
    bool (*port_out)(void *ctx, uint16_t port, unsigned size, uint32_t value);
    int (*mem_read)(void *ctx, uint64_t gpa, void *buf, size_t len);
    int (*mem_write)(void *ctx, uint64_t gpa, const void *buf, size_t len);
    void *ctx;
};

enum string_io_status {
    STRING_IO_DONE,          /* r updated (RIP past the instruction or, when work is left, on it) */
    STRING_IO_FAULT,         /* r updated up to the fault; inject vector (and error code, CR2) */
    STRING_IO_STOP,          /* the VM must stop; reason filled in */
};

struct string_io_result {
    enum string_io_status status;
    uint8_t vector;          /* FAULT: X86 #PF (14) or #GP (13) */
    uint32_t error;          /* FAULT: the error code */
    uint64_t cr2;            /* FAULT #PF: the linear address */
    uint32_t done;           /* elements moved */
    char reason[96];         /* STOP: one line */
};

#define STRING_IO_EXC_GP 13
#define STRING_IO_EXC_PF 14

/*
 * Parses the legacy prefixes (and REX) before the INS/OUTS opcode in bytes[0..n): the
 * address size for the code's default (2, 4 or 8 bytes; long_mode: 64-bit code) and the
 * segment override (DS when none). False when no INS/OUTS opcode (6C-6F) follows.
 */
bool string_io_decode_prefixes(const uint8_t *bytes, unsigned n, unsigned default_addr_size, bool long_mode,
                               unsigned *addr_size, enum string_io_seg *seg);

/* Performs the access on r (its RCX, RSI/RDI and RIP) and fills *res. */
void string_io_run(const struct string_io_env *env, const struct string_io_access *a, struct vcpu_regs *r,
                   struct string_io_result *res);

/*
 * The VCPU_EXIT_IO handler for INS/OUTS (vcpu_string_io.c): false when the VM must stop
 * (the reason recorded with vm_stop).
 */
bool vcpu_handle_string_io(struct vcpu *v, const struct vcpu_exit *exit);

#endif
