/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test-guest support: port I/O, CPUID, COM1 output, TAP reporting ("ok N - name" /
 * "not ok N - name") and the end through isa-debug-exit. Output must be identical on bare
 * QEMU and under Nestor: print only what both platforms agree on (never vendor names,
 * signatures, addresses or sizes that differ).
 */
#ifndef NESTOR_TESTS_GUESTS_GUEST_LIB_H
#define NESTOR_TESTS_GUESTS_GUEST_LIB_H

#include <stdbool.h>
#include <stdint.h>

#define COM1 0x3F8
#define DEBUG_EXIT_PORT 0xF4
#define DEBUG_EXIT_PASS 0x10 /* QEMU status 33 */
#define DEBUG_EXIT_FAIL 0x11 /* QEMU status 35 */

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port)); }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }

struct cpuid_out { uint32_t eax, ebx, ecx, edx; };
static inline struct cpuid_out cpuid(uint32_t leaf, uint32_t sub)
{
    struct cpuid_out r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(sub));
    return r;
}

/* Fault probes (boot.S): the vector the instruction raised, or -1. */
int probe_vmmcall(void);
int probe_rdmsr(uint32_t msr, uint64_t *value);
int probe_wrmsr(uint32_t msr, uint32_t lo, uint32_t hi);
extern volatile uint32_t fault_error;

void puts_serial(const char *s);
void put_uint(uint32_t v);
/* Reports one check; returns cond. */
bool check(bool cond, const char *name);
/* Prints the plan and ends the run: 0x10 if every check passed, else 0x11. */
__attribute__((noreturn)) void finish(void);

#endif
