// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test-guest checks of the PC platform: the ACPI tables (RSDP found by the BIOS-area scan,
 * RSDT, MADT, MCFG), PCI configuration through ports 0xCF8/0xCFC and through the ECAM
 * window the MCFG names, the local APIC (timer one-shot and periodic, self-IPI, EOI) and
 * the I/O APIC version. Every MMIO access here is a plain MOV, so under Nestor it also
 * exercises the MMIO instruction emulation. Output must be the same on bare QEMU and
 * under Nestor: only facts both give are reported.
 */
#include <stddef.h>

#include "tests/guests/guest_lib.h"
#include "tests/guests/guest_platform.h"

#define LAPIC_BASE      0xFEE00000u
#define IOAPIC_BASE     0xFEC00000u
#define LAPIC_VERSION   0x030
#define LAPIC_EOI       0x0B0
#define LAPIC_SVR       0x0F0
#define LAPIC_ICR_LO    0x300
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_ICR 0x380
#define LAPIC_TIMER_CCR 0x390
#define LAPIC_TIMER_DCR 0x3E0
#define VEC_ONESHOT     0x40
#define VEC_PERIODIC    0x41
#define VEC_SELF_IPI    0x42
#define POLL_LIMIT      2000000u

volatile uint32_t platform_irq_count[3];

static inline uint32_t mmio_read32(uint32_t addr) { return *(volatile uint32_t *)(uintptr_t)addr; }
static inline void mmio_write32(uint32_t addr, uint32_t v) { *(volatile uint32_t *)(uintptr_t)addr = v; }
static inline uint16_t mmio_read16(uint32_t addr) { return *(volatile uint16_t *)(uintptr_t)addr; }
static inline uint8_t mmio_read8(uint32_t addr) { return *(volatile uint8_t *)(uintptr_t)addr; }

/* Interrupt handlers: count, EOI with a MOV to the LAPIC, return. */
__asm__(".text\n"
        "platform_isr_40: pushl %eax; movl $0, %eax; jmp platform_isr_common\n"
        "platform_isr_41: pushl %eax; movl $1, %eax; jmp platform_isr_common\n"
        "platform_isr_42: pushl %eax; movl $2, %eax; jmp platform_isr_common\n"
        "platform_isr_common:\n"
        "    incl platform_irq_count(,%eax,4)\n"
        "    movl $0, 0xFEE000B0\n"
        "    popl %eax\n"
        "    iret\n");
extern char platform_isr_40[], platform_isr_41[], platform_isr_42[];

struct idt_gate { uint16_t off_lo, sel, flags, off_hi; };
static struct idt_gate idt[256] __attribute__((aligned(8)));

/* A 256-entry IDT: the 32 exception gates boot.S installed, plus the test vectors. */
static void idt_extend(void)
{
    struct __attribute__((packed)) { uint16_t limit; uint32_t base; } p;
    const struct idt_gate *old;
    uint16_t cs;

    __asm__ volatile("sidt %0" : "=m"(p));
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    old = (const struct idt_gate *)(uintptr_t)p.base;
    for (unsigned i = 0; i < 32 && i * 8 < (unsigned)p.limit + 1; i++)
        idt[i] = old[i];
    const struct { unsigned vec; char *isr; } v[] = {
        { VEC_ONESHOT, platform_isr_40 }, { VEC_PERIODIC, platform_isr_41 }, { VEC_SELF_IPI, platform_isr_42 },
    };
    for (unsigned i = 0; i < 3; i++) {
        uint32_t a = (uint32_t)(uintptr_t)v[i].isr;

        idt[v[i].vec] = (struct idt_gate){ (uint16_t)a, cs, 0x8E00, (uint16_t)(a >> 16) };
    }
    p.limit = sizeof(idt) - 1;
    p.base = (uint32_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" ::"m"(p));
}

/* ---- ACPI ---- */

static uint8_t sum(const uint8_t *p, uint32_t len)
{
    uint8_t s = 0;

    while (len--)
        s += *p++;
    return s;
}

static bool sig_is(const uint8_t *p, const char *sig)
{
    return p[0] == sig[0] && p[1] == sig[1] && p[2] == sig[2] && p[3] == sig[3];
}

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static const uint8_t *find_rsdp(void)
{
    for (uint32_t a = 0xE0000; a < 0x100000; a += 16) {
        const uint8_t *p = (const uint8_t *)(uintptr_t)a;

        if (sig_is(p, "RSD ") && sig_is(p + 4, "PTR ") && sum(p, 20) == 0 && (p[15] < 2 || sum(p, 36) == 0))
            return p;
    }
    return NULL;
}

static const uint8_t *rsdt_find(const uint8_t *rsdt, const char *sig)
{
    uint32_t len = le32(rsdt + 4);

    for (uint32_t off = 36; off + 4 <= len; off += 4) {
        const uint8_t *t = (const uint8_t *)(uintptr_t)le32(rsdt + off);

        if (sig_is(t, sig) && le32(t + 4) >= 36 && sum(t, le32(t + 4)) == 0)
            return t;
    }
    return NULL;
}

static bool madt_has(const uint8_t *madt, uint8_t type, uint32_t addr)
{
    uint32_t len = le32(madt + 4);

    for (uint32_t off = 44; off + 2 <= len && madt[off + 1] >= 2; off += madt[off + 1]) {
        if (madt[off] == type && (type != 1 || le32(madt + off + 4) == addr))
            return true;
    }
    return false;
}

/* Returns the ECAM base of segment 0 from the MCFG, or 0. */
static uint32_t check_acpi(void)
{
    const uint8_t *rsdp = find_rsdp(), *rsdt = NULL, *madt = NULL, *mcfg = NULL;

    if (!check(rsdp != NULL, "acpi: RSDP found in the BIOS area with valid checksums"))
        return 0;
    rsdt = (const uint8_t *)(uintptr_t)le32(rsdp + 16);
    if (!check(sig_is(rsdt, "RSDT") && sum(rsdt, le32(rsdt + 4)) == 0, "acpi: RSDT valid"))
        return 0;
    madt = rsdt_find(rsdt, "APIC");
    mcfg = rsdt_find(rsdt, "MCFG");
    check(rsdt_find(rsdt, "FACP") && madt && mcfg, "acpi: RSDT lists FACP, APIC and MCFG with valid checksums");
    check(madt && le32(madt + 36) == LAPIC_BASE && madt_has(madt, 0, 0) && madt_has(madt, 1, IOAPIC_BASE),
          "acpi: MADT has the local APIC, a processor and the I/O APIC at 0xFEC00000");
    /* MCFG: header, 8 reserved bytes, then base (8 bytes), segment (2), start and end bus */
    if (!check(mcfg && le32(mcfg + 4) >= 60 && le32(mcfg + 48) == 0 && mcfg[52] == 0 && mcfg[53] == 0 &&
                   mcfg[54] == 0 && le32(mcfg + 44) != 0,
               "acpi: MCFG gives an ECAM window below 4 GiB for segment 0 from bus 0"))
        return 0;
    return le32(mcfg + 44);
}

/* ---- PCI ---- */

static uint32_t cf8_read32(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t reg)
{
    outl(0xCF8, 0x80000000u | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 | (reg & 0xFC));
    return inl(0xCFC);
}

static uint32_t ecam_addr(uint32_t ecam, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t reg)
{
    return ecam + ((uint32_t)bus << 20 | (uint32_t)dev << 15 | (uint32_t)fn << 12 | reg);
}

static void check_pci(uint32_t ecam)
{
    bool agree = true, found_bridge;

    found_bridge = cf8_read32(0, 0, 0, 0) == 0x29C08086u && (cf8_read32(0, 0, 0, 8) >> 16) == 0x0600;
    check(found_bridge, "pci: 00:00.0 is the q35 host bridge 8086:29c0 (ports 0xCF8/0xCFC)");
    check(cf8_read32(0x42, 0, 0, 0) == 0xFFFFFFFFu, "pci: an absent function reads all ones (ports)");
    if (!ecam) {
        check(false, "pci: ECAM reads the host bridge identity");
        return;
    }
    check(mmio_read32(ecam_addr(ecam, 0, 0, 0, 0)) == 0x29C08086u && mmio_read16(ecam_addr(ecam, 0, 0, 0, 2)) == 0x29C0 &&
              mmio_read8(ecam_addr(ecam, 0, 0, 0, 0xB)) == 0x06,
          "pci: ECAM reads the host bridge identity (32-, 16- and 8-bit loads)");
    check(mmio_read32(ecam_addr(ecam, 0x42, 0, 0, 0)) == 0xFFFFFFFFu, "pci: an absent function reads all ones (ECAM)");
    for (uint8_t dev = 0; dev < 32; dev++)
        for (uint8_t fn = 0; fn < 8; fn++) {
            uint32_t id = cf8_read32(0, dev, fn, 0);

            if (id != mmio_read32(ecam_addr(ecam, 0, dev, fn, 0)))
                agree = false;
            if (fn == 0 && (id == 0xFFFFFFFFu || !(cf8_read32(0, dev, 0, 0xC) & 0x00800000u)))
                break; /* absent, or not multi-function */
        }
    check(agree, "pci: bus 0 enumeration through ports and ECAM agrees");
}

/* ---- local APIC and I/O APIC ---- */

static bool wait_count(unsigned which, uint32_t n)
{
    for (uint32_t i = 0; i < POLL_LIMIT; i++) {
        if (platform_irq_count[which] >= n)
            return true;
        (void)mmio_read32(LAPIC_BASE + LAPIC_TIMER_CCR); /* an exit under Nestor: time moves on */
    }
    return false;
}

/*
 * Waits without touching any device: under Nestor this loop causes no exit, so the interrupt
 * can only come from the host timer Nestor arms for the emulated LAPIC timer.
 */
#define SPIN_LIMIT 400000000u

static bool spin_count(unsigned which, uint32_t n)
{
    for (uint32_t i = 0; i < SPIN_LIMIT; i++) {
        if (*(volatile uint32_t *)&platform_irq_count[which] >= n)
            return true;
        __asm__ volatile("pause");
    }
    return false;
}

static void check_lapic(void)
{
    uint32_t ccr1, ccr2;
    bool zero = false;

    idt_extend();
    mmio_write32(LAPIC_BASE + LAPIC_SVR, 0x1FF);
    check((mmio_read32(LAPIC_BASE + LAPIC_VERSION) & 0xF0) == 0x10, "lapic: version register reports an integrated APIC");
    mmio_write32(LAPIC_BASE + LAPIC_TIMER_DCR, 0x3);              /* divide by 16 */
    mmio_write32(LAPIC_BASE + LAPIC_LVT_TIMER, VEC_ONESHOT);      /* one-shot */
    __asm__ volatile("sti");
    mmio_write32(LAPIC_BASE + LAPIC_TIMER_ICR, 50000);
    ccr1 = mmio_read32(LAPIC_BASE + LAPIC_TIMER_CCR);
    ccr2 = mmio_read32(LAPIC_BASE + LAPIC_TIMER_CCR);
    check(ccr1 <= 50000 && ccr2 <= ccr1, "lapic: timer current count runs down");
    for (uint32_t i = 0; i < POLL_LIMIT && !zero; i++)
        zero = mmio_read32(LAPIC_BASE + LAPIC_TIMER_CCR) == 0;
    check(zero && wait_count(0, 1), "lapic: one-shot timer interrupt received");
    check(platform_irq_count[0] == 1, "lapic: one-shot timer fired once");

    mmio_write32(LAPIC_BASE + LAPIC_LVT_TIMER, 0x20000 | VEC_PERIODIC); /* periodic */
    mmio_write32(LAPIC_BASE + LAPIC_TIMER_ICR, 20000);
    check(wait_count(1, 3), "lapic: periodic timer interrupts keep coming");
    check(spin_count(1, 6), "lapic: timer interrupts reach a guest that spins without exits");
    mmio_write32(LAPIC_BASE + LAPIC_LVT_TIMER, 0x10000 | VEC_PERIODIC); /* masked */
    mmio_write32(LAPIC_BASE + LAPIC_TIMER_ICR, 0);

    mmio_write32(LAPIC_BASE + LAPIC_ICR_LO, 0x00044000 | VEC_SELF_IPI); /* fixed, to self */
    check(wait_count(2, 1) && platform_irq_count[2] == 1, "lapic: self-IPI delivered");
    __asm__ volatile("cli");
}

static void check_ioapic(void)
{
    mmio_write32(IOAPIC_BASE, 1);
    check(((mmio_read32(IOAPIC_BASE + 0x10) >> 16) & 0xFF) == 23, "ioapic: version register reports 24 entries");
}

void check_platform(void)
{
    uint32_t ecam = check_acpi();

    check_pci(ecam);
    check_lapic();
    check_ioapic();
}

/*
 * An instruction Nestor's MMIO emulation does not handle (XCHG with the LAPIC TPR): under
 * Nestor the VM stops here with "unsupported instruction 87 05 80 00 e0 fe ..."; on bare
 * QEMU it runs and the test goes on.
 */
void platform_unsupported_mmio(void)
{
    uint32_t v = 0;

    puts_serial("# platform: xchg with the local APIC TPR\n");
    __asm__ volatile("xchgl %0, 0xFEE00080" : "+r"(v) : : "memory");
    check(true, "platform: xchg on MMIO completed");
}
