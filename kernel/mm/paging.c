// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host page tables: identity direct map built from frames, uncached MMIO on request.
 *
 * 0..4 GiB is mapped write-back, page 0 read-only (catches NULL writes; the BIOS data area
 * there is read for the EBDA pointer when looking for the RSDP): RAM, firmware tables and the
 * legacy areas must be readable, and the holes between them are MMIO whose firmware MTRRs
 * are UC, which wins over a WB page attribute (SDM vol. 3A section 11.5.2.2, table 11-7).
 * Above 4 GiB only RAM-like ranges of the boot map are mapped (usable, ACPI reclaim, NVS);
 * MMIO there is mapped by ioremap. With EFER.NXE, page 0 and ioremap mappings are NX; the
 * direct map stays executable (the image lies in it).
 */
#include "kernel/mm/paging.h"

#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/frame.h"
#include "kernel/mm/pagetable.h"

#define BOOT_MAPPED_LIMIT 0x100000000ULL /* boot/entry.S maps 0..4 GiB with 2 MiB pages */
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EXT_EDX_NX     (1u << 20)
#define CPUID_EXT_EDX_PAGE1G (1u << 26)
#define PTE_MMIO (PTE_WRITE | PTE_PCD | PTE_PWT)

static struct pt_space host_pt;
static const struct boot_info *boot;
static bool paging_ready;
static bool nx_enabled;

static uint64_t alloc_table(void *opaque) { return frame_alloc(); }
static void *table_ptr(void *opaque, uint64_t pa) { return phys_to_virt(pa); }

static bool mapped_above_4g(uint32_t type)
{
    return type == BOOT_MEM_USABLE || type == BOOT_MEM_ACPI_RECLAIM || type == BOOT_MEM_ACPI_NVS;
}

/* Maps [base, end) write-back, rounded out to pages; the part below 4 GiB is already mapped. */
static int map_ram(uint64_t base, uint64_t end, uint64_t *top)
{
    base = (base < BOOT_MAPPED_LIMIT ? BOOT_MAPPED_LIMIT : base) & PAGE_MASK;
    if (end > PT_VA_LIMIT) {
        pr_warn("paging: RAM above %#llx is beyond the direct map and not used\n",
                (unsigned long long)PT_VA_LIMIT);
        end = PT_VA_LIMIT;
    }
    end = (end + PAGE_SIZE - 1) & PAGE_MASK;
    if (end <= base)
        return 0;
    if (end > *top)
        *top = end;
    pr_debug("paging: direct map %#llx-%#llx\n", (unsigned long long)base, (unsigned long long)end);
    return pt_map(&host_pt, base, base, end - base, PTE_WRITE);
}

static int map_high_ram(const struct boot_info *bi, uint64_t *top, unsigned *ranges)
{
    for (unsigned i = 0; i < bi->mmap_count && i < BOOT_MMAP_MAX; i++) {
        const struct boot_mem_range *e = &bi->mmap[i];
        uint64_t end = e->base + e->length < e->base ? UINT64_MAX : e->base + e->length;
        if (!mapped_above_4g(e->type) || end <= BOOT_MAPPED_LIMIT)
            continue;
        int err = map_ram(e->base, end, top);
        if (err)
            return err;
        (*ranges)++;
    }
    /* Without a map, the basic information's upper memory (from 1 MiB) may reach past 4 GiB. */
    if (bi->mmap_count == 0 && bi->has_basic_mem)
        return map_ram(0x100000, 0x100000 + (uint64_t)bi->mem_upper_kb * 1024, top);
    return 0;
}

int paging_init(const struct boot_info *bi)
{
    struct cpuid_regs ext = cpuid(CPUID_EXT_FEATURES, 0);
    uint64_t top = BOOT_MAPPED_LIMIT;
    unsigned high_ranges = 0;
    int err;

    host_pt = (struct pt_space){ .allow_1g = ext.edx & CPUID_EXT_EDX_PAGE1G,
                                 .alloc_table = alloc_table, .phys_to_ptr = table_ptr };
    host_pt.root_pa = frame_alloc();
    if (!host_pt.root_pa) {
        pr_err("paging: no frame for the host PML4\n");
        return -ENOMEM;
    }
    nx_enabled = ext.edx & CPUID_EXT_EDX_NX;
    err = pt_map(&host_pt, 0, 0, PAGE_SIZE, nx_enabled ? PTE_NX : 0);
    if (!err)
        err = pt_map(&host_pt, PAGE_SIZE, PAGE_SIZE, BOOT_MAPPED_LIMIT - PAGE_SIZE, PTE_WRITE);
    if (!err)
        err = map_high_ram(bi, &top, &high_ranges);
    if (err) {
        pr_err("paging: building the direct map failed (%d): out of frames for page tables\n", err);
        return err;
    }
    if (nx_enabled)
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE); /* before CR3: NX is reserved without it */
    write_cr3(host_pt.root_pa);
    boot = bi;
    paging_ready = true;
    frames_set_mapped_limit(PT_VA_LIMIT);
    pr_info("paging: host tables at %#llx: direct map 0-%#llx (%u RAM ranges above 4 GiB), "
            "%s pages, NX %s\n", (unsigned long long)host_pt.root_pa, (unsigned long long)top,
            high_ranges, host_pt.allow_1g ? "1 GiB" : "2 MiB", nx_enabled ? "on" : "off");
    return 0;
}

static bool overlaps_usable_ram(uint64_t base, uint64_t end)
{
    for (unsigned i = 0; boot && i < boot->mmap_count && i < BOOT_MMAP_MAX; i++) {
        const struct boot_mem_range *e = &boot->mmap[i];
        uint64_t e_end = e->base + e->length < e->base ? UINT64_MAX : e->base + e->length;
        if (e->type == BOOT_MEM_USABLE && e->base < end && base < e_end)
            return true;
    }
    return false;
}

void *ioremap(uint64_t pa, size_t len)
{
    uint64_t base = pa & PAGE_MASK, end;
    int err;

    if (len == 0 || pa + len < pa || pa + len > PT_VA_LIMIT - PAGE_SIZE) {
        pr_err("ioremap: %#llx+%#zx is not a mappable range\n", (unsigned long long)pa, len);
        return NULL;
    }
    end = (pa + len + PAGE_SIZE - 1) & PAGE_MASK;
    if (!paging_ready) {
        if (end <= BOOT_MAPPED_LIMIT)
            return phys_to_virt(pa); /* boot tables: identity, write-back until paging_init */
        pr_err("ioremap: %#llx+%#zx before paging_init is beyond the boot mapping\n",
               (unsigned long long)pa, len);
        return NULL;
    }
    if (overlaps_usable_ram(base, end)) {
        pr_err("ioremap: %#llx-%#llx overlaps usable RAM; refused\n", (unsigned long long)base,
               (unsigned long long)end);
        return NULL;
    }
    host_pt.changed_present = false;
    err = pt_map(&host_pt, base, base, end - base, PTE_MMIO | (nx_enabled ? PTE_NX : 0));
    if (host_pt.changed_present || err)
        write_cr3(read_cr3());
    if (err) {
        pr_err("ioremap: mapping %#llx-%#llx failed (%d)\n", (unsigned long long)base,
               (unsigned long long)end, err);
        return NULL;
    }
    return phys_to_virt(pa);
}

const void *phys_read(uint64_t pa, size_t len)
{
    uint64_t end = pa + (len ? len : 1);
    struct pt_leaf leaf;

    if (end < pa)
        return NULL;
    if (!paging_ready)
        return end <= BOOT_MAPPED_LIMIT ? phys_to_virt(pa) : NULL;
    for (uint64_t va = pa; va < end; va = (va & ~(leaf.page_size - 1)) + leaf.page_size)
        if (!pt_lookup(&host_pt, va, &leaf) || leaf.pa != va)
            return NULL;
    return phys_to_virt(pa);
}
