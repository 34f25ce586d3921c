// SPDX-License-Identifier: GPL-2.0-only
/* Multiboot1 kernel loading into guest RAM (see guest_loader.h). */
#include "vmm/guest_loader.h"

#include <stdbool.h>

#include "kernel/errno.h"
#include "kernel/log.h"
#include "lib/kstring.h"
#include "vmm/elf32.h"
#include "vmm/multiboot1.h"

#define PAGE_BYTES        0x1000ULL
#define LOW_RAM_END       0x9FC00ULL  /* conventional memory; the EBDA follows */
#define BIOS_AREA_START   0xE0000ULL  /* reserved: BIOS and the guest's ACPI tables */
#define BIOS_AREA_END     0x100000ULL
#define LOADER_NAME       "Nestor"
#define MAX_SEGMENTS      16

struct segment {
    uint64_t gpa;
    uint64_t file_off, file_len; /* bytes copied from the image */
    uint64_t mem_len;            /* file_len plus zeroed bss */
};

struct kernel_layout {
    struct segment seg[MAX_SEGMENTS];
    unsigned nr_seg;
    uint32_t entry;
    uint64_t start, end;
};

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

static bool range_in(uint64_t base, uint64_t len, uint64_t lo, uint64_t hi)
{
    return base >= lo && base <= hi && len <= hi - base;
}

/* The first valid header in the first 8 KiB, 4-byte aligned; offset or -1. */
static long find_header(const uint8_t *img, size_t len, struct mb1_header *h)
{
    size_t limit = len < MB1_HEADER_SEARCH ? len : MB1_HEADER_SEARCH;

    for (size_t off = 0; off + 12 <= limit; off += 4) {
        memset(h, 0, sizeof(*h));
        memcpy(h, img + off, len - off < sizeof(*h) ? len - off : sizeof(*h));
        if (h->magic == MB1_HEADER_MAGIC && (uint32_t)(h->magic + h->flags + h->checksum) == 0)
            return (long)off;
    }
    return -1;
}

static int add_segment(const struct guest_load_params *p, struct kernel_layout *k, uint64_t gpa,
                       uint64_t file_off, uint64_t file_len, uint64_t mem_len)
{
    if (!mem_len)
        return 0;
    if (k->nr_seg == MAX_SEGMENTS) {
        pr_err("%s: multiboot: more than %u loadable segments\n", p->name, MAX_SEGMENTS);
        return -EINVAL;
    }
    if (file_len > mem_len || file_off > p->image_len || file_len > p->image_len - file_off) {
        pr_err("%s: multiboot: segment at 0x%llx: file bytes 0x%llx+0x%llx outside the image (0x%zx bytes)\n",
               p->name, (unsigned long long)gpa, (unsigned long long)file_off,
               (unsigned long long)file_len, p->image_len);
        return -EINVAL;
    }
    if (!range_in(gpa, mem_len, GUEST_LOAD_MIN, p->ram_bytes < GUEST_LOAD_MAX ? p->ram_bytes : GUEST_LOAD_MAX)) {
        pr_err("%s: multiboot: segment 0x%llx-0x%llx outside guest RAM [0x%llx, 0x%llx)\n", p->name,
               (unsigned long long)gpa, (unsigned long long)(gpa + mem_len),
               (unsigned long long)GUEST_LOAD_MIN, (unsigned long long)p->ram_bytes);
        return -E2BIG;
    }
    k->seg[k->nr_seg++] = (struct segment){ gpa, file_off, file_len, mem_len };
    if (!k->start || gpa < k->start)
        k->start = gpa;
    if (gpa + mem_len > k->end)
        k->end = gpa + mem_len;
    return 0;
}

/* 3.1.3: the address fields place the file bytes from the header's load_addr on. */
static int layout_aout(const struct guest_load_params *p, const struct mb1_header *h, long hdr_off,
                       struct kernel_layout *k)
{
    uint64_t file_off, load_len, mem_len;

    if (h->load_addr > h->header_addr || h->header_addr - h->load_addr > (uint64_t)hdr_off) {
        pr_err("%s: multiboot: load_addr 0x%x / header_addr 0x%x inconsistent with the header at file offset 0x%lx\n",
               p->name, h->load_addr, h->header_addr, hdr_off);
        return -EINVAL;
    }
    file_off = (uint64_t)hdr_off - (h->header_addr - h->load_addr);
    if (h->load_end_addr) {
        if (h->load_end_addr <= h->load_addr) {
            pr_err("%s: multiboot: load_end_addr 0x%x not above load_addr 0x%x\n", p->name,
                   h->load_end_addr, h->load_addr);
            return -EINVAL;
        }
        load_len = h->load_end_addr - h->load_addr;
    } else {
        load_len = p->image_len - file_off;
    }
    mem_len = load_len;
    if (h->bss_end_addr) {
        if (h->bss_end_addr < h->load_addr + load_len) {
            pr_err("%s: multiboot: bss_end_addr 0x%x below the end of the loaded image 0x%llx\n",
                   p->name, h->bss_end_addr, (unsigned long long)(h->load_addr + load_len));
            return -EINVAL;
        }
        mem_len = h->bss_end_addr - h->load_addr;
    }
    k->entry = h->entry_addr;
    return add_segment(p, k, h->load_addr, file_off, load_len, mem_len);
}

static int layout_elf32(const struct guest_load_params *p, struct kernel_layout *k)
{
    const uint8_t *img = p->image;
    struct elf32_ehdr eh;
    bool entry_found = false;
    int err;

    if (p->image_len < sizeof(eh) || img[0] != ELF_MAGIC0 || img[1] != 'E' || img[2] != 'L' || img[3] != 'F') {
        pr_err("%s: multiboot: no address fields (flag 16) and not an ELF file\n", p->name);
        return -EINVAL;
    }
    memcpy(&eh, img, sizeof(eh));
    if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
        eh.e_type != ET_EXEC || eh.e_machine != EM_386) {
        pr_err("%s: multiboot: ELF class %u data %u type %u machine %u: need a little-endian ELF32 i386 executable\n",
               p->name, eh.e_ident[EI_CLASS], eh.e_ident[EI_DATA], eh.e_type, eh.e_machine);
        return -EINVAL;
    }
    if (eh.e_phentsize < sizeof(struct elf32_phdr) || !eh.e_phnum ||
        eh.e_phoff > p->image_len || (uint64_t)eh.e_phnum * eh.e_phentsize > p->image_len - eh.e_phoff) {
        pr_err("%s: multiboot: ELF program headers (offset 0x%x, %u x %u bytes) outside the file\n",
               p->name, eh.e_phoff, eh.e_phnum, eh.e_phentsize);
        return -EINVAL;
    }
    k->entry = eh.e_entry;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        struct elf32_phdr ph;

        memcpy(&ph, img + eh.e_phoff + (size_t)i * eh.e_phentsize, sizeof(ph));
        if (ph.p_type != PT_LOAD)
            continue;
        if ((err = add_segment(p, k, ph.p_paddr, ph.p_offset, ph.p_filesz, ph.p_memsz)))
            return err;
        /* Like GRUB: an entry given as a virtual address moves with its segment. */
        if (!entry_found && eh.e_entry >= ph.p_vaddr && eh.e_entry - ph.p_vaddr < ph.p_memsz) {
            k->entry = eh.e_entry - ph.p_vaddr + ph.p_paddr;
            entry_found = true;
        }
    }
    if (!k->nr_seg) {
        pr_err("%s: multiboot: ELF file has no loadable segment\n", p->name);
        return -EINVAL;
    }
    return 0;
}

static bool entry_in_image(const struct kernel_layout *k)
{
    for (unsigned i = 0; i < k->nr_seg; i++)
        if (k->entry >= k->seg[i].gpa && k->entry - k->seg[i].gpa < k->seg[i].mem_len)
            return true;
    return false;
}

static int check_overlaps(const struct guest_load_params *p, const struct kernel_layout *k)
{
    for (unsigned i = 0; i < k->nr_seg; i++)
        for (unsigned j = i + 1; j < k->nr_seg; j++) {
            const struct segment *a = &k->seg[i], *b = &k->seg[j];

            if (a->gpa < b->gpa + b->mem_len && b->gpa < a->gpa + a->mem_len) {
                pr_err("%s: multiboot: segments at 0x%llx and 0x%llx overlap\n", p->name,
                       (unsigned long long)a->gpa, (unsigned long long)b->gpa);
                return -EINVAL;
            }
        }
    return 0;
}

static int layout_kernel(const struct guest_load_params *p, struct kernel_layout *k)
{
    struct mb1_header h;
    long hdr_off = find_header(p->image, p->image_len, &h);
    int err;

    memset(k, 0, sizeof(*k));
    if (hdr_off < 0) {
        pr_err("%s: multiboot: no header (magic 0x%08x with a valid checksum) in the first %u bytes\n",
               p->name, MB1_HEADER_MAGIC, MB1_HEADER_SEARCH);
        return -EINVAL;
    }
    if (h.flags & MB1_HF_REQUIRED_MASK & ~(MB1_HF_PAGE_ALIGN | MB1_HF_MEMORY_INFO | MB1_HF_VIDEO_MODE)) {
        pr_err("%s: multiboot: header requires features 0x%x this loader lacks\n", p->name,
               h.flags & MB1_HF_REQUIRED_MASK & ~(MB1_HF_PAGE_ALIGN | MB1_HF_MEMORY_INFO | MB1_HF_VIDEO_MODE));
        return -EINVAL;
    }
    if (h.flags & MB1_HF_VIDEO_MODE)
        pr_warn("%s: multiboot: kernel asks for a video mode; there is no display (text only)\n", p->name);
    if (h.flags & MB1_HF_AOUT_KLUDGE) {
        if ((size_t)hdr_off + 32 > p->image_len) {
            pr_err("%s: multiboot: header address fields cut off by the end of the file\n", p->name);
            return -EINVAL;
        }
        err = layout_aout(p, &h, hdr_off, k);
    } else {
        err = layout_elf32(p, k);
    }
    if (err || (err = check_overlaps(p, k)))
        return err;
    if (!entry_in_image(k)) {
        pr_err("%s: multiboot: entry point 0x%x is not inside a loaded segment\n", p->name, k->entry);
        return -EINVAL;
    }
    return 0;
}

/* The info area: the mb1_info, the memory map, module records, then the strings. */
struct info_builder {
    uint8_t buf[PAGE_BYTES * 2];
    size_t len;
    uint64_t gpa;
};

static uint32_t info_add(struct info_builder *b, const void *data, size_t len, size_t align)
{
    size_t off = (b->len + align - 1) & ~(align - 1);

    if (off + len > sizeof(b->buf))
        return 0;
    memcpy(b->buf + off, data, len);
    b->len = off + len;
    return (uint32_t)(b->gpa + off);
}

static uint32_t info_add_string(struct info_builder *b, const char *s)
{
    size_t n = s ? strnlen(s, GUEST_CMDLINE_MAX - 1) : 0;
    uint32_t gpa = info_add(b, s ? s : "", n, 1);

    return gpa && info_add(b, "", 1, 1) ? gpa : 0;
}

static uint32_t info_add_mmap(struct info_builder *b, uint64_t ram_bytes, uint32_t *len)
{
    const struct mb1_mmap_entry map[] = {
        { 20, 0, LOW_RAM_END, MB1_MMAP_AVAILABLE },
        { 20, LOW_RAM_END, 0xA0000 - LOW_RAM_END, MB1_MMAP_RESERVED },
        { 20, BIOS_AREA_START, BIOS_AREA_END - BIOS_AREA_START, MB1_MMAP_RESERVED },
        { 20, BIOS_AREA_END, ram_bytes - BIOS_AREA_END, MB1_MMAP_AVAILABLE },
    };

    *len = sizeof(map);
    return info_add(b, map, sizeof(map), 8);
}

static int load_segments(const struct guest_load_params *p, const struct kernel_layout *k)
{
    for (unsigned i = 0; i < k->nr_seg; i++) {
        const struct segment *s = &k->seg[i];

        if (p->mem.write(p->mem.ctx, s->gpa, (const uint8_t *)p->image + s->file_off, s->file_len) ||
            p->mem.fill(p->mem.ctx, s->gpa + s->file_len, 0, s->mem_len - s->file_len))
            return -EFAULT;
    }
    return 0;
}

int guest_load_multiboot1(const struct guest_load_params *p, struct guest_entry *out)
{
    static struct info_builder b; /* 8 KiB: kept off the stack; callers are serialised */
    struct kernel_layout k;
    struct mb1_info info;
    struct mb1_module mods[GUEST_MODULES_MAX];
    uint32_t mmap_len;
    uint64_t next, limit = p->ram_bytes < GUEST_LOAD_MAX ? p->ram_bytes : GUEST_LOAD_MAX;
    int err;

    if (p->ram_bytes <= BIOS_AREA_END || p->nr_modules > GUEST_MODULES_MAX) {
        pr_err("%s: multiboot: %llu bytes of RAM / %u modules not supported\n", p->name,
               (unsigned long long)p->ram_bytes, p->nr_modules);
        return -EINVAL;
    }
    if ((err = layout_kernel(p, &k)))
        return err;

    next = align_up(k.end, PAGE_BYTES);
    memset(mods, 0, sizeof(mods));
    for (unsigned i = 0; i < p->nr_modules; i++) {
        if (!range_in(next, p->modules[i].len, 0, limit)) {
            pr_err("%s: multiboot: module %u (%zu bytes) does not fit in guest RAM\n", p->name, i,
                   p->modules[i].len);
            return -E2BIG;
        }
        mods[i].mod_start = (uint32_t)next;
        mods[i].mod_end = (uint32_t)(next + p->modules[i].len);
        next = align_up(next + p->modules[i].len, PAGE_BYTES);
    }
    if (!range_in(next, sizeof(b.buf), 0, limit)) {
        pr_err("%s: multiboot: no room for the boot information after the image (RAM ends at 0x%llx)\n",
               p->name, (unsigned long long)p->ram_bytes);
        return -E2BIG;
    }

    memset(&b, 0, sizeof(b));
    memset(&info, 0, sizeof(info));
    b.gpa = next;
    b.len = sizeof(info);
    info.flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MEM_MAP | MB1_INFO_LOADER_NAME;
    info.mem_lower_kb = (uint32_t)(LOW_RAM_END / 1024);
    info.mem_upper_kb = (uint32_t)((limit - BIOS_AREA_END) / 1024);
    info.mmap_addr = info_add_mmap(&b, limit, &mmap_len);
    info.mmap_length = mmap_len;
    info.cmdline = info_add_string(&b, p->cmdline);
    info.boot_loader_name = info_add_string(&b, LOADER_NAME);
    if (p->nr_modules) {
        info.flags |= MB1_INFO_MODS;
        info.mods_count = p->nr_modules;
        for (unsigned i = 0; i < p->nr_modules; i++)
            mods[i].string = info_add_string(&b, p->modules[i].cmdline);
        info.mods_addr = info_add(&b, mods, sizeof(mods[0]) * p->nr_modules, 16);
    }
    if (!info.mmap_addr || !info.cmdline || !info.boot_loader_name || (p->nr_modules && !info.mods_addr)) {
        pr_err("%s: multiboot: boot information exceeds %zu bytes\n", p->name, sizeof(b.buf));
        return -E2BIG;
    }
    memcpy(b.buf, &info, sizeof(info));

    if ((err = load_segments(p, &k)))
        return err;
    for (unsigned i = 0; i < p->nr_modules; i++)
        if (p->mem.write(p->mem.ctx, mods[i].mod_start, p->modules[i].data, p->modules[i].len))
            return -EFAULT;
    if (p->mem.write(p->mem.ctx, b.gpa, b.buf, b.len))
        return -EFAULT;

    out->entry = k.entry;
    out->info_gpa = (uint32_t)b.gpa;
    out->image_start = k.start;
    out->image_end = k.end;
    out->used_end = b.gpa + b.len;
    return 0;
}
