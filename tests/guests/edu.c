// SPDX-License-Identifier: GPL-2.0-only
/* edu checks (see edu.h). Register layout: QEMU docs/specs/edu.rst, hw/misc/edu.c. */
#include "tests/guests/edu.h"

#include <stddef.h>
#include <stdint.h>

#include "tests/guests/guest_lib.h"

#define PCI_CF8_ENABLE   0x80000000u
#define PCI_CONFIG_ADDR  0xCF8
#define PCI_CONFIG_DATA  0xCFC
#define PCI_ID           0x00
#define PCI_COMMAND      0x04
#define PCI_COMMAND_MEM  (1u << 1)
#define PCI_COMMAND_BM   (1u << 2)
#define PCI_STATUS_CAPS  (1u << 20)   /* in the dword at 0x04 */
#define PCI_HEADER       0x0c
#define PCI_HEADER_MULTI (1u << 23)
#define PCI_BAR0         0x10
#define PCI_CAP_PTR      0x34
#define PCI_CAP_ID_MSI   0x05
#define MSI_CTRL_ENABLE  (1u << 16)   /* in the capability's first dword */
#define MSI_CTRL_64BIT   (1u << 23)
#define Q35_HOST_BRIDGE  0x29c08086u

#define EDU_ID           0x11e81234u
#define EDU_REG_IDENT    0x00
#define EDU_IDENT        0x010000edu  /* major 1, minor 0 */
#define EDU_REG_LIVE     0x04
#define EDU_REG_FACT     0x08
#define EDU_REG_STATUS   0x20
#define EDU_STATUS_BUSY  0x01
#define EDU_REG_IRQ_STATUS 0x24
#define EDU_REG_IRQ_RAISE 0x60
#define EDU_REG_IRQ_ACK  0x64
#define EDU_REG_DMA_SRC  0x80
#define EDU_REG_DMA_DST  0x88
#define EDU_REG_DMA_COUNT 0x90
#define EDU_REG_DMA_CMD  0x98
#define EDU_DMA_START    0x1
#define EDU_DMA_TO_RAM   0x2
#define EDU_DMA_BUF      0x40000u     /* the device's buffer, 4 KiB */
#define EDU_DMA_BYTES    512u
#define EDU_OUTSIDE_GPA  0x0ff00000u  /* below the 28-bit DMA mask, above the guest's RAM */
#define EDU_IRQ_RAISED   0x12345678u

#define LAPIC_BASE       0xFEE00000u
#define LAPIC_ID         0x020
#define LAPIC_EOI        0x0B0
#define LAPIC_SVR        0x0F0
#define LAPIC_SVR_ENABLE (1u << 8)
#define MSI_ADDR_BASE    0xFEE00000u
#define EDU_VECTOR       0x41

#define PIC1_DATA        0x21         /* 8259A interrupt mask registers */
#define PIC2_DATA        0xA1
#define POLL_LIMIT       50000000u    /* edu DMA completes after 100 ms of virtual time */
#define IRQ_WAIT_LIMIT   20000000u
#define IDT_ENTRIES      256
#define CODE_SEL         0x08

static volatile uint8_t *edu_bar;
static volatile uint32_t edu_irqs, edu_irq_status;
static uint8_t dma_out[EDU_DMA_BYTES] __attribute__((aligned(64)));
static uint8_t dma_in[EDU_DMA_BYTES] __attribute__((aligned(64)));

static uint32_t cf8(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
    return PCI_CF8_ENABLE | (uint32_t)bus << 16 | (uint32_t)dev << 11 | (uint32_t)fn << 8 | (off & 0xFCu);
}

static uint32_t pci_read(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off)
{
    outl(PCI_CONFIG_ADDR, cf8(bus, dev, fn, off));
    return inl(PCI_CONFIG_DATA);
}

static void pci_write(uint8_t bus, uint8_t dev, uint8_t fn, uint8_t off, uint32_t v)
{
    outl(PCI_CONFIG_ADDR, cf8(bus, dev, fn, off));
    outl(PCI_CONFIG_DATA, v);
}

static uint32_t rd32(volatile uint8_t *base, uint32_t off) { return *(volatile uint32_t *)(base + off); }
static void wr32(volatile uint8_t *base, uint32_t off, uint32_t v) { *(volatile uint32_t *)(base + off) = v; }

struct edu_fn {
    uint8_t bus, dev, fn;
};

/* Bus 0, every device and, for multi-function devices, every function. */
static bool find_edu(struct edu_fn *out)
{
    for (uint8_t dev = 0; dev < 32; dev++) {
        uint8_t fns = (pci_read(0, dev, 0, PCI_HEADER) & PCI_HEADER_MULTI) ? 8 : 1;

        for (uint8_t fn = 0; fn < fns; fn++)
            if (pci_read(0, dev, fn, PCI_ID) == EDU_ID) {
                *out = (struct edu_fn){ 0, dev, fn };
                return true;
            }
    }
    return false;
}

static bool wait_clear(uint32_t off, uint32_t bits)
{
    for (uint32_t i = 0; i < POLL_LIMIT; i++)
        if (!(rd32(edu_bar, off) & bits))
            return true;
    return false;
}

static bool dma(uint32_t src, uint32_t dst, uint32_t count, uint32_t cmd)
{
    wr32(edu_bar, EDU_REG_DMA_SRC, src);
    wr32(edu_bar, EDU_REG_DMA_DST, dst);
    wr32(edu_bar, EDU_REG_DMA_COUNT, count);
    wr32(edu_bar, EDU_REG_DMA_CMD, cmd | EDU_DMA_START);
    return wait_clear(EDU_REG_DMA_CMD, EDU_DMA_START);
}

static bool check_dma(void)
{
    bool same = true;

    for (unsigned i = 0; i < EDU_DMA_BYTES; i++) {
        dma_out[i] = (uint8_t)(i * 7 + 3);
        dma_in[i] = 0;
    }
    if (!dma((uint32_t)(uintptr_t)dma_out, EDU_DMA_BUF, EDU_DMA_BYTES, 0) ||
        !dma(EDU_DMA_BUF, (uint32_t)(uintptr_t)dma_in, EDU_DMA_BYTES, EDU_DMA_TO_RAM))
        return false;
    for (unsigned i = 0; i < EDU_DMA_BYTES; i++)
        same &= dma_in[i] == dma_out[i];
    return same;
}

/* ---- MSI: a private IDT with the old entries and one gate for EDU_VECTOR ---- */

struct __attribute__((packed)) idt_ptr {
    uint16_t limit;
    uint32_t base;
};

static uint64_t idt[IDT_ENTRIES] __attribute__((aligned(8)));

void edu_isr(void);
void edu_irq_handler(void);
__asm__(".text\n"
        ".globl edu_isr\n"
        "edu_isr:\n"
        "    pushl %eax\n"
        "    pushl %ecx\n"
        "    pushl %edx\n"
        "    cld\n"
        "    call edu_irq_handler\n"
        "    popl %edx\n"
        "    popl %ecx\n"
        "    popl %eax\n"
        "    iret\n");

void edu_irq_handler(void)
{
    volatile uint8_t *lapic = (volatile uint8_t *)LAPIC_BASE;
    uint32_t status = rd32(edu_bar, EDU_REG_IRQ_STATUS);

    edu_irq_status = status;
    wr32(edu_bar, EDU_REG_IRQ_ACK, status);
    edu_irqs++;
    wr32(lapic, LAPIC_EOI, 0);
}

static uint64_t interrupt_gate(void (*fn)(void))
{
    uint32_t a = (uint32_t)(uintptr_t)fn;

    /* offset 15:0, selector, present 32-bit interrupt gate DPL 0, offset 31:16 */
    return (a & 0xFFFFu) | (uint64_t)CODE_SEL << 16 | (uint64_t)0x8E00 << 32 | (uint64_t)(a >> 16) << 48;
}

static uint8_t find_msi_cap(const struct edu_fn *e)
{
    uint8_t off;

    if (!(pci_read(e->bus, e->dev, e->fn, PCI_COMMAND) & PCI_STATUS_CAPS))
        return 0;
    off = (uint8_t)pci_read(e->bus, e->dev, e->fn, PCI_CAP_PTR) & 0xFC;
    for (int hops = 0; off >= 0x40 && hops < 48; hops++) {
        uint32_t hdr = pci_read(e->bus, e->dev, e->fn, off);

        if ((hdr & 0xFF) == PCI_CAP_ID_MSI)
            return off;
        off = (uint8_t)(hdr >> 8) & 0xFC;
    }
    return 0;
}

static bool check_msi(const struct edu_fn *e, uint8_t cap)
{
    volatile uint8_t *lapic = (volatile uint8_t *)LAPIC_BASE;
    struct idt_ptr old, mine = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };
    uint32_t hdr, apic_id;
    const uint8_t *src;

    if (!cap)
        return false;
    __asm__ volatile("sidt %0" : "=m"(old));
    src = (const uint8_t *)(uintptr_t)old.base;
    for (unsigned i = 0; i <= old.limit && i < sizeof(idt); i++)
        ((uint8_t *)idt)[i] = src[i];
    idt[EDU_VECTOR] = interrupt_gate(edu_isr);
    __asm__ volatile("lidt %0" ::"m"(mine));

    wr32(lapic, LAPIC_SVR, rd32(lapic, LAPIC_SVR) | LAPIC_SVR_ENABLE | 0xFF);
    apic_id = rd32(lapic, LAPIC_ID) >> 24;
    hdr = pci_read(e->bus, e->dev, e->fn, cap);
    pci_write(e->bus, e->dev, e->fn, cap + 4, MSI_ADDR_BASE | apic_id << 12);
    if (hdr & MSI_CTRL_64BIT) {
        pci_write(e->bus, e->dev, e->fn, cap + 8, 0);
        pci_write(e->bus, e->dev, e->fn, cap + 12, EDU_VECTOR);
    } else {
        pci_write(e->bus, e->dev, e->fn, cap + 8, EDU_VECTOR);
    }
    pci_write(e->bus, e->dev, e->fn, cap, hdr | MSI_CTRL_ENABLE);

    /* Firmware may leave the 8259 timer unmasked on vectors our IDT does not handle. */
    outb(PIC1_DATA, 0xFF);
    outb(PIC2_DATA, 0xFF);
    edu_irqs = 0;
    __asm__ volatile("sti");
    wr32(edu_bar, EDU_REG_IRQ_RAISE, EDU_IRQ_RAISED);
    for (uint32_t i = 0; i < IRQ_WAIT_LIMIT && !edu_irqs; i++)
        __asm__ volatile("pause");
    __asm__ volatile("cli");

    pci_write(e->bus, e->dev, e->fn, cap, hdr & ~MSI_CTRL_ENABLE);
    __asm__ volatile("lidt %0" ::"m"(old));
    return edu_irqs == 1 && edu_irq_status == EDU_IRQ_RAISED && !rd32(edu_bar, EDU_REG_IRQ_STATUS);
}

/* ---- the checks ---- */

static const char *const edu_checks[] = {
    "edu: found on PCI bus 0 through 0xCF8",
    "edu: identity register reads 0x010000ed",
    "edu: liveness register inverts",
    "edu: factorial of 5 is 120",
    "edu: DMA into the device and back keeps the data",
    "edu: MSI delivered with the programmed vector",
};

/* "ok N - name # SKIP why" (TAP). */
static void skip(const char *name, const char *why)
{
    char line[96];
    size_t n = 0;

    for (const char *p = name; *p && n < sizeof(line) - 1; p++)
        line[n++] = *p;
    for (const char *p = " # SKIP "; *p && n < sizeof(line) - 1; p++)
        line[n++] = *p;
    for (const char *p = why; *p && n < sizeof(line) - 1; p++)
        line[n++] = *p;
    line[n] = '\0';
    check(true, line);
}

void check_edu(bool dma_outside)
{
    struct edu_fn e;
    uint32_t bar;
    unsigned n = 0;

    check(pci_read(0, 0, 0, PCI_ID) == Q35_HOST_BRIDGE, "pci: host bridge 8086:29c0 at 00:00.0 through 0xCF8");
    if (!find_edu(&e)) {
        for (unsigned i = 0; i < sizeof(edu_checks) / sizeof(edu_checks[0]); i++)
            skip(edu_checks[i], "edu absent");
        return;
    }
    check(true, edu_checks[n++]);
    bar = pci_read(e.bus, e.dev, e.fn, PCI_BAR0) & ~0xFu;
    edu_bar = (volatile uint8_t *)(uintptr_t)bar;
    pci_write(e.bus, e.dev, e.fn, PCI_COMMAND,
              (pci_read(e.bus, e.dev, e.fn, PCI_COMMAND) & 0xFFFFu) | PCI_COMMAND_MEM | PCI_COMMAND_BM);
    check(rd32(edu_bar, EDU_REG_IDENT) == EDU_IDENT, edu_checks[n++]);
    wr32(edu_bar, EDU_REG_LIVE, 0x5a5aa5a5u);
    check(rd32(edu_bar, EDU_REG_LIVE) == ~0x5a5aa5a5u, edu_checks[n++]);
    wr32(edu_bar, EDU_REG_FACT, 5);
    check(wait_clear(EDU_REG_STATUS, EDU_STATUS_BUSY) && rd32(edu_bar, EDU_REG_FACT) == 120, edu_checks[n++]);
    check(check_dma(), edu_checks[n++]);
    check(check_msi(&e, find_msi_cap(&e)), edu_checks[n++]);
    if (dma_outside) {
        puts_serial("# edu: DMA from the device to 0x0ff00000, outside the guest's RAM\n");
        check(dma(EDU_DMA_BUF, EDU_OUTSIDE_GPA, EDU_DMA_BYTES, EDU_DMA_TO_RAM),
              "edu: DMA outside the guest's RAM completes on the device side");
    }
}
