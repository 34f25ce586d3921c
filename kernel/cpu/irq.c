// SPDX-License-Identifier: GPL-2.0-only
/* CPU tables bring-up and the dispatcher every interrupt stub calls. */
#include "kernel/cpu/irq.h"

#include "kernel/cpu/exception_names.h"
#include "kernel/cpu/exceptions.h"
#include "kernel/cpu/gdt.h"
#include "kernel/cpu/idt.h"
#include "kernel/cpu/isr.h"
#include "kernel/cpu/lapic.h"
#include "kernel/cpu/pic.h"
#include "kernel/cpu/vector_table.h"
#include "kernel/log.h"
#include "kernel/time.h"

/* Vectors handed out by irq_alloc_vector(): above the remapped 8259 range, below spurious. */
#define IRQ_VECTOR_FIRST 0x30
#define IRQ_VECTOR_LAST  (LAPIC_SPURIOUS_VECTOR - 1)

#define UNEXPECTED_LOG_INTERVAL_US 1000000
#define UNEXPECTED_LOG_BURST       5

static struct vector_table vectors;
static struct log_ratelimit unexpected_log = {
    .interval = UNEXPECTED_LOG_INTERVAL_US,
    .burst = UNEXPECTED_LOG_BURST,
};
static uint64_t spurious_count;

void cpu_tables_init(void)
{
    gdt_init();
    idt_init();
    pic_remap_and_mask();
    pr_debug("cpu: GDT and TSS (IST stacks for NMI, #DF, #MC), IDT with %d vectors; 8259 PICs at %#x-%#x, masked\n",
             IDT_VECTORS, PIC_VECTOR_BASE, PIC_VECTOR_LAST);
}

int irq_alloc_vector(irq_handler_fn fn, void *ctx)
{
    return vector_table_alloc(&vectors, IRQ_VECTOR_FIRST, IRQ_VECTOR_LAST, fn, ctx);
}

void irq_free_vector(int vector)
{
    if (vector < IRQ_VECTOR_FIRST || !vector_table_free(&vectors, vector))
        pr_warn("irq: freeing vector %#x that was not allocated\n", vector);
}

static void irq_unexpected(unsigned vector)
{
    uint32_t suppressed;

    if (!log_ratelimit_allow(&unexpected_log, time_now_us(), &suppressed))
        return;
    if (suppressed)
        pr_warn("irq: vector %#x has no handler; ignored (%u similar lines suppressed)\n", vector, suppressed);
    else
        pr_warn("irq: vector %#x has no handler; ignored\n", vector);
}

void irq_dispatch(struct irq_frame *frame)
{
    unsigned vector = (unsigned)frame->vector;
    const struct vector_slot *slot;

    if (vector < EXCEPTION_VECTORS)
        exception_report(frame);
    if (vector == LAPIC_SPURIOUS_VECTOR) { /* not in service: no EOI (SDM 11.9) */
        spurious_count++;
        return;
    }
    slot = vector_table_lookup(&vectors, (int)vector);
    if (slot)
        slot->fn(frame, slot->ctx);
    else
        irq_unexpected(vector);
    /*
     * The 8259s are masked and LINT0 too, so even vectors in their range came from
     * the LAPIC (an IPI or a stray MSI) and are in service there.
     */
    lapic_eoi();
}
