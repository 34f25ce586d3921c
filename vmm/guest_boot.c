// SPDX-License-Identifier: GPL-2.0-only
/* Multiboot1 entry state for a VM's first vCPU (see guest_boot.h). */
#include "vmm/guest_boot.h"

#include "kernel/log.h"
#include "lib/kstring.h"
#include "vmm/guest_loader.h"
#include "vmm/multiboot1.h"

/* Descriptor types (SDM vol. 3 table 3-1). */
#define SEG_TYPE_CODE_RX_ACCESSED 0xB
#define SEG_TYPE_DATA_RW_ACCESSED 0x3
#define SEG_TYPE_TSS32_BUSY       0xB
#define SEG_TYPE_LDT              0x2
#define FLAT_LIMIT                0xFFFFFFFFu
/* Selectors as QEMU's multiboot loader uses them (code 0x10, data 0x18); any flat ones do. */
#define MB_CODE_SELECTOR          0x10
#define MB_DATA_SELECTOR          0x18

static int mem_write(void *ctx, uint64_t gpa, const void *buf, size_t len) { return vm_write_gpa(ctx, gpa, buf, len); }

static int mem_fill(void *ctx, uint64_t gpa, uint8_t value, size_t len)
{
    struct vm *vm = ctx;

    return guest_ram_fill(&vm->ram, gpa, value, len);
}

static struct vcpu_segment flat_segment(uint16_t selector, uint8_t type)
{
    return (struct vcpu_segment){ .base = 0, .limit = FLAT_LIMIT, .selector = selector, .type = type,
                                  .s = true, .present = true, .db = true, .g = true };
}

static void set_multiboot_entry_state(struct vcpu *v, const struct guest_entry *e)
{
    struct vcpu_sregs s;
    struct vcpu_regs r;
    struct vcpu_segment data = flat_segment(MB_DATA_SELECTOR, SEG_TYPE_DATA_RW_ACCESSED);

    memset(&s, 0, sizeof(s));
    s.cs = flat_segment(MB_CODE_SELECTOR, SEG_TYPE_CODE_RX_ACCESSED);
    s.ds = s.es = s.fs = s.gs = s.ss = data;
    /* The spec leaves GDTR/IDTR undefined; a valid-looking TR keeps VMRUN's checks happy. */
    s.tr = (struct vcpu_segment){ .limit = 0xFFFF, .type = SEG_TYPE_TSS32_BUSY, .present = true };
    s.ldt = (struct vcpu_segment){ .limit = 0xFFFF, .type = SEG_TYPE_LDT, .present = true };
    s.gdt = (struct vcpu_dtable){ 0, 0xFFFF };
    s.idt = (struct vcpu_dtable){ 0, 0xFFFF };
    s.cr0 = X86_CR0_PE | X86_CR0_ET;
    v->ops->set_sregs(v, &s);

    memset(&r, 0, sizeof(r));
    r.rax = MB1_BOOTLOADER_MAGIC_EAX;
    r.rbx = e->info_gpa;
    r.rip = e->entry;
    r.rflags = X86_RFLAGS_FIXED;
    v->ops->set_regs(v, &r);
}

int guest_boot_multiboot1(struct vm *vm, const void *image, size_t image_len, const char *cmdline)
{
    struct guest_load_params p = {
        .name = vm->name, .image = image, .image_len = image_len, .cmdline = cmdline,
        .ram_bytes = vm->ram.size_bytes, .mem = { mem_write, mem_fill, vm },
    };
    struct guest_entry e;
    int err = guest_load_multiboot1(&p, &e);

    if (err)
        return err;
    pr_info("%s: multiboot kernel at 0x%llx-0x%llx, entry 0x%x, boot information at 0x%x\n", vm->name,
            (unsigned long long)e.image_start, (unsigned long long)e.image_end, e.entry, e.info_gpa);
    set_multiboot_entry_state(vm->vcpus[0], &e);
    return 0;
}
