// SPDX-License-Identifier: GPL-2.0-only
/* 8259A initialisation (Intel 8259A datasheet: ICW1-ICW4, OCW1). */
#include "kernel/cpu/pic.h"

#include "kernel/arch/x86.h"

#define PIC1_CMD  0x20
#define PIC1_DATA 0x21
#define PIC2_CMD  0xA0
#define PIC2_DATA 0xA1

#define ICW1_ICW4_NEEDED 0x01
#define ICW1_INIT        0x10
#define ICW3_SLAVE_ON_IR2 0x04 /* master: a slave on input 2 */
#define ICW3_SLAVE_ID     0x02 /* slave: its cascade identity */
#define ICW4_8086        0x01
#define OCW1_MASK_ALL    0xFF

/* The 8259A needs a short pause between initialisation words; port 0x80 is the usual one. */
static void pic_io_delay(void)
{
    outb(0x80, 0);
}

static void pic_write(uint16_t port, uint8_t v)
{
    outb(port, v);
    pic_io_delay();
}

void pic_remap_and_mask(void)
{
    pic_write(PIC1_DATA, OCW1_MASK_ALL);
    pic_write(PIC2_DATA, OCW1_MASK_ALL);

    pic_write(PIC1_CMD, ICW1_INIT | ICW1_ICW4_NEEDED);
    pic_write(PIC2_CMD, ICW1_INIT | ICW1_ICW4_NEEDED);
    pic_write(PIC1_DATA, PIC_VECTOR_BASE);
    pic_write(PIC2_DATA, PIC_VECTOR_BASE + 8);
    pic_write(PIC1_DATA, ICW3_SLAVE_ON_IR2);
    pic_write(PIC2_DATA, ICW3_SLAVE_ID);
    pic_write(PIC1_DATA, ICW4_8086);
    pic_write(PIC2_DATA, ICW4_8086);

    /* After ICW4 the mask register (OCW1) is writable again; ICW1 cleared it. */
    pic_write(PIC1_DATA, OCW1_MASK_ALL);
    pic_write(PIC2_DATA, OCW1_MASK_ALL);
}
