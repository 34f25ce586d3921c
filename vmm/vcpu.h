/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Virtual CPUs and the back-end interface. The core (vcpu_run.c, exit handlers) is
 * vendor-neutral: a back end (SVM now, VMX later) runs the guest until the next exit and
 * describes it in a struct vcpu_exit; guest state is read and written through
 * get/set_regs, get/set_sregs and get/set_msr; events are injected with inject_event.
 * The back end is chosen once at boot from CPUID (vcpu_backend_probe).
 */
#ifndef NESTOR_VMM_VCPU_H
#define NESTOR_VMM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/npt.h"

struct vm;
struct vcpu;

/* Generic exit reasons; per-VM counters are kept by these. */
enum vcpu_exit_reason {
    VCPU_EXIT_CPUID,
    VCPU_EXIT_IO,
    VCPU_EXIT_MSR_READ,
    VCPU_EXIT_MSR_WRITE,
    VCPU_EXIT_HLT,
    VCPU_EXIT_NPF,          /* nested page fault: MMIO or a GPA outside the VM */
    VCPU_EXIT_SHUTDOWN,     /* triple fault */
    VCPU_EXIT_INTR,         /* a host interrupt arrived */
    VCPU_EXIT_NMI,
    VCPU_EXIT_IRQ_WINDOW,   /* the guest can take an interrupt now */
    VCPU_EXIT_EXCEPTION,    /* an intercepted guest exception, to reflect */
    VCPU_EXIT_UD_INSN,      /* an instruction the guest must see as undefined (SVM, MONITOR...) */
    VCPU_EXIT_GP_INSN,      /* an instruction answered with #GP (RDPMC) */
    VCPU_EXIT_SKIP_INSN,    /* an instruction completed as a no-op (INVD, WBINVD) */
    VCPU_EXIT_ENTRY_FAILED, /* the processor refused the guest state */
    VCPU_EXIT_UNKNOWN,
    VCPU_EXIT_NR
};

const char *vcpu_exit_reason_name(enum vcpu_exit_reason r);

struct vcpu_exit {
    enum vcpu_exit_reason reason;
    uint64_t hw_code;         /* the back end's exit code, for logs */
    const char *hw_name;      /* and its name */
    uint8_t insn_len;         /* length of the exiting instruction when the CPU reports it (VMX), else 0 */
    union {
        struct {
            uint16_t port;
            uint8_t size;     /* 1, 2 or 4 */
            bool in, string, rep;
            uint64_t next_rip;
        } io;
        struct {
            uint64_t gpa;
            bool write, fetch, present, in_guest_walk;
        } npf;
        struct {
            uint8_t vector;
            bool has_error;
            uint32_t error;
        } exception;
        struct {
            uint8_t opcode_len; /* bytes of the opcode without prefixes */
            uint8_t opcode[3];  /* the opcode the exit stands for */
        } insn;
    };
};

struct vcpu_regs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, rflags;
};

/* A segment register in descriptor terms (Intel SDM vol. 3 3.4.5). */
struct vcpu_segment {
    uint64_t base;
    uint32_t limit;     /* in bytes (granularity applied) */
    uint16_t selector;
    uint8_t type;       /* 4 bits */
    bool s, present, avl, l, db, g, unusable;
    uint8_t dpl;
};

struct vcpu_dtable {
    uint64_t base;
    uint16_t limit;
};

struct vcpu_sregs {
    struct vcpu_segment cs, ds, es, fs, gs, ss, tr, ldt;
    struct vcpu_dtable gdt, idt;
    uint64_t cr0, cr2, cr3, cr4, efer;
};

#define X86_CR0_PE (1ULL << 0)
#define X86_CR0_ET (1ULL << 4)
#define X86_CR0_PG (1ULL << 31)
#define X86_RFLAGS_FIXED (1ULL << 1)
#define X86_RFLAGS_IF (1ULL << 9)

enum vcpu_event_type { VCPU_EVENT_EXT_INT, VCPU_EVENT_NMI, VCPU_EVENT_EXCEPTION, VCPU_EVENT_SOFT_INT };

struct vcpu_event {
    enum vcpu_event_type type;
    uint8_t vector;
    bool has_error;
    uint32_t error;
};

/* Exception vectors (SDM vol. 3 table 6-1). */
#define X86_EXC_DB 1
#define X86_EXC_UD 6
#define X86_EXC_GP 13
#define X86_EXC_AC 17

struct vcpu_ops {
    const char *name;
    /* Per-CPU enabling (EFER.SVME, host save area...). 0 or an error, logged. */
    int (*cpu_init)(void);
    int (*vcpu_create)(struct vcpu *v);
    void (*vcpu_destroy)(struct vcpu *v);
    /* Runs the guest until the next exit. 0, or an error (the VM must stop). */
    int (*vcpu_run)(struct vcpu *v, struct vcpu_exit *exit);
    void (*get_regs)(struct vcpu *v, struct vcpu_regs *r);
    void (*set_regs)(struct vcpu *v, const struct vcpu_regs *r);
    void (*get_sregs)(struct vcpu *v, struct vcpu_sregs *s);
    void (*set_sregs)(struct vcpu *v, const struct vcpu_sregs *s);
    /* MSRs whose guest value the back end holds: 0, -ENOENT (not held), -EINVAL (#GP). */
    int (*get_msr)(struct vcpu *v, uint32_t msr, uint64_t *value);
    int (*set_msr)(struct vcpu *v, uint32_t msr, uint64_t value);
    /* Delivered at the next entry; -EBUSY if an event is already pending. */
    int (*inject_event)(struct vcpu *v, const struct vcpu_event *ev);
    /* Whether an external interrupt could be delivered now (IF set, no shadow, none pending). */
    bool (*irq_window_open)(struct vcpu *v);
    /* Ask for a VCPU_EXIT_IRQ_WINDOW exit as soon as the window opens. */
    void (*request_irq_window)(struct vcpu *v);
    /* The nested tables changed: flush this vCPU's guest translations before the next entry. */
    void (*flush_guest_tlb)(struct vcpu *v);
    /* The format of the VM's nested table (npt.h) and whether 2 MiB leaves may be used; NULL: AMD, 2 MiB. */
    enum npt_format (*nested_format)(bool *allow_2m);
};

/* A source of external interrupts for a vCPU (the emulated LAPIC, later). */
struct vcpu_irq_source {
    int (*pending_vector)(void *ctx); /* highest-priority pending vector, or -1 */
    void (*ack)(void *ctx, int vector); /* it was injected */
    void *ctx;
    /*
     * When the source next raises an interrupt by itself (its timer), in ns of
     * time_now_us() * 1000, or 0 for never. The run loop arms a host timer for it, so a
     * guest that spins without exits still gets its timer interrupt. May be NULL.
     */
    uint64_t (*next_event_ns)(void *ctx);
};

struct vcpu {
    struct vm *vm;
    unsigned index;
    const struct vcpu_ops *ops;
    void *arch;                        /* back-end state */
    struct vcpu_irq_source irq;
    uint64_t exits;
};

/* The back end for this CPU (SVM with nested paging), or NULL with the reason logged. */
const struct vcpu_ops *vcpu_backend_probe(void);

/* Runs v until its VM stops (vm->running cleared). */
void vcpu_run_loop(struct vcpu *v);

/* The exit handlers (vcpu_exit.c) and guest-instruction helpers (vcpu_insn.c). */
/* Returns false when the VM must stop (the reason recorded with vm_stop). */
bool vcpu_handle_exit(struct vcpu *v, const struct vcpu_exit *exit);
/* Moves RIP past the instruction the exit reported (prefixes counted when readable). */
void vcpu_skip_insn(struct vcpu *v, const struct vcpu_exit *exit);
void vcpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error, uint32_t error);
/* Reads guest-linear bytes at CS:RIP. 0, or -ENOTSUP when the guest pages (no walker yet). */
int vcpu_read_insn_bytes(struct vcpu *v, uint8_t *buf, unsigned len);

#endif
