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
 *
 * The tables are x86-64 format (SDM vol. 3A 4.5), the first-stage format of the one
 * page-table engine (iommu/vtd_pgtable.h).
 */
#include "kernel/mm/paging.h"

#include "kernel/arch/x86.h"
#include "kernel/errno.h"
#include "kernel/log.h"
#include "iommu/vtd_pgtable.h"
#include "kernel/mm/frame.h"

#define BOOT_MAPPED_LIMIT 0x100000000ULL /* boot/entry.S maps 0..4 GiB with 2 MiB pages */
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EXT_EDX_NX     (1u << 20)
#define CPUID_EXT_EDX_PAGE1G (1u << 26)
#define PT_VA_LIMIT (1ULL << 47) /* the lower canonical half: what identity maps can reach */

static struct vtd_pgtable host_pt;
static const struct boot_info *boot;
static bool paging_ready;
static bool nx_enabled;

static int alloc_table(void *ctx, uint64_t *pa)
{
    *pa = frame_alloc();
    return *pa ? 0 : -ENOMEM;
}
static uint64_t *table_ptr(void *ctx, uint64_t pa) { return phys_to_virt(pa); }
static void free_table(void *ctx, uint64_t pa) { frame_free(pa); }

static const struct vtd_pgtable_mem host_table_mem = { NULL, alloc_table, table_ptr, free_table, NULL };

/* Without EFER.NXE the XD bit is reserved: every page is then executable. */
static unsigned perms_nx(unsigned perms) { return nx_enabled ? perms : perms | VTD_PERM_X; }

/* Maps [va, va + len) at va + 0, replacing what is there; *flush when a present entry changed. */
static int host_map(uint64_t va, uint64_t len, unsigned perms, unsigned flags, bool *flush)
{
    struct vtd_pgt_range changed;
    int err = vtd_pgtable_map(&host_pt, va, va, len, perms_nx(perms), flags | VTD_MAP_REPLACE, &changed);

    if (flush)
        *flush = changed.had_present || changed.tables_changed;
    return err;
}

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
    return host_map(base, end - base, VTD_PERM_RW | VTD_PERM_X, 0, NULL);
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

    bool allow_1g = ext.edx & CPUID_EXT_EDX_PAGE1G;
    struct vtd_pgtable_cfg cfg = { .stage = VTD_STAGE_FIRST, .levels = 4, .paw = 52,
                                   .large = VTD_PGT_LARGE_2M | (allow_1g ? VTD_PGT_LARGE_1G : 0) };

    if (vtd_pgtable_init(&host_pt, &cfg, &host_table_mem)) {
        pr_err("paging: no frame for the host PML4\n");
        return -ENOMEM;
    }
    nx_enabled = ext.edx & CPUID_EXT_EDX_NX;
    err = host_map(0, PAGE_SIZE, VTD_PERM_R, 0, NULL);
    if (!err)
        err = host_map(PAGE_SIZE, BOOT_MAPPED_LIMIT - PAGE_SIZE, VTD_PERM_RW | VTD_PERM_X, 0, NULL);
    if (!err)
        err = map_high_ram(bi, &top, &high_ranges);
    if (err) {
        pr_err("paging: building the direct map failed (%d): out of frames for page tables\n", err);
        return err;
    }
    if (nx_enabled)
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE); /* before CR3: NX is reserved without it */
    write_cr3(host_pt.root);
    boot = bi;
    paging_ready = true;
    frames_set_mapped_limit(PT_VA_LIMIT);
    pr_info("paging: host tables at %#llx: direct map 0-%#llx (%u RAM ranges above 4 GiB), "
            "%s pages, NX %s\n", (unsigned long long)host_pt.root, (unsigned long long)top,
            high_ranges, allow_1g ? "1 GiB" : "2 MiB", nx_enabled ? "on" : "off");
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
    bool flush = false;
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
    err = host_map(base, end - base, VTD_PERM_RW, VTD_MAP_UNCACHED, &flush);
    if (flush || err)
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
    struct vtd_walk leaf;

    if (end < pa)
        return NULL;
    if (!paging_ready)
        return end <= BOOT_MAPPED_LIMIT ? phys_to_virt(pa) : NULL;
    for (uint64_t va = pa; va < end; va = (va & ~(leaf.page_size - 1)) + leaf.page_size)
        if (vtd_pgtable_walk(&host_pt, va, &leaf) != VTD_WALK_OK || leaf.pa != va)
            return NULL;
    return phys_to_virt(pa);
}
