// SPDX-License-Identifier: GPL-2.0-only
/* The kernel's frame allocator: the memory map of boot_info, one frame_pool over it. */
#include "kernel/mm/frame.h"

#include "kernel/errno.h"
#include "kernel/log.h"
#include "kernel/mm/frame_pool.h"
#include "kernel/mm/memmap.h"
#include "kernel/mm/paging.h"

#define BOOT_MAPPED_LIMIT 0x100000000ULL /* boot/entry.S identity-maps 0..4 GiB */
#define MIB(bytes)        ((unsigned long long)((bytes) >> 20))

extern char __image_start[], __image_end[];

static struct memmap memmap;
static struct frame_pool pool;
static bool pool_ready;

static void *direct_map(uint64_t pa) { return phys_to_virt(pa); }

static unsigned collect_reserved(const struct boot_info *bi, struct mem_range *r)
{
    unsigned n = 0;

    /* The image holds the boot page tables and the boot stack (in .bss). */
    r[n++] = (struct mem_range){ virt_to_phys(__image_start), virt_to_phys(__image_end) };
    if (bi->info_end > bi->info_start)
        r[n++] = (struct mem_range){ bi->info_start, bi->info_end };
    for (unsigned i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++)
        r[n++] = (struct mem_range){ bi->modules[i].start, bi->modules[i].end };
    return n;
}

static void log_boot_map(const struct boot_info *bi)
{
    for (unsigned i = 0; i < bi->mmap_count && i < BOOT_MMAP_MAX; i++) {
        const struct boot_mem_range *e = &bi->mmap[i];
        pr_debug("mem: map 0x%016llx-0x%016llx %s\n", (unsigned long long)e->base,
                 (unsigned long long)(e->base + e->length), memmap_type_name(e->type));
    }
}

/* The bitmap lives in the first free range below the boot mapping with room for it. */
static int place_bitmap(uint64_t bytes, uint64_t *pa_out)
{
    uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;

    for (unsigned i = 0; i < memmap.free_count; i++) {
        uint64_t base = memmap.free[i].base;
        uint64_t end = memmap.free[i].end < BOOT_MAPPED_LIMIT ? memmap.free[i].end : BOOT_MAPPED_LIMIT;
        if (base < end && (end - base) / PAGE_SIZE >= pages) {
            *pa_out = base;
            return 0;
        }
    }
    return -ENOMEM;
}

int frames_init(const struct boot_info *bi)
{
    struct mem_range reserved[2 + BOOT_MODULES_MAX];
    unsigned nreserved = collect_reserved(bi, reserved);
    uint64_t bitmap_bytes, bitmap_pa;
    int err;

    log_boot_map(bi);
    err = memmap_build(bi, reserved, nreserved, &memmap);
    if (err)
        return err;
    bitmap_bytes = frame_pool_bitmap_bytes(memmap.free, memmap.free_count);
    if (place_bitmap(bitmap_bytes, &bitmap_pa)) {
        pr_err("mem: no free range below 4 GiB holds the %llu KiB frame bitmap; cannot continue\n",
               (unsigned long long)(bitmap_bytes >> 10));
        return -ENOMEM;
    }
    frame_pool_init(&pool, memmap.free, memmap.free_count, phys_to_virt(bitmap_pa), direct_map);
    frame_pool_claim(&pool, bitmap_pa, (bitmap_bytes + PAGE_SIZE - 1) / PAGE_SIZE);
    pool.alloc_limit = BOOT_MAPPED_LIMIT;
    pool_ready = true;

    for (unsigned i = 0; i < memmap.free_count; i++)
        pr_debug("mem: free %#llx-%#llx (%llu MiB)\n", (unsigned long long)memmap.free[i].base,
                 (unsigned long long)memmap.free[i].end, MIB(memmap.free[i].end - memmap.free[i].base));
    pr_debug("mem: frame bitmap at %#llx, %llu KiB\n", (unsigned long long)bitmap_pa,
             (unsigned long long)(bitmap_bytes >> 10));
    pr_info("mem: %llu MiB usable in %u ranges, %llu MiB free after reservations (image %#llx-%#llx)\n",
            MIB(memmap.usable_bytes), memmap.usable_count, MIB(pool.free_pages * PAGE_SIZE),
            (unsigned long long)virt_to_phys(__image_start), (unsigned long long)virt_to_phys(__image_end));
    return 0;
}

void frames_set_mapped_limit(uint64_t limit)
{
    pool.alloc_limit = limit;
}

uint64_t frames_alloc_contig(size_t npages, size_t align_pages)
{
    if (!pool_ready) {
        pr_err("mem: frame allocation before frames_init\n");
        return 0;
    }
    return frame_pool_alloc(&pool, npages, align_pages);
}

uint64_t frame_alloc(void)
{
    return frames_alloc_contig(1, 1);
}

void frames_free(uint64_t pa, size_t npages)
{
    if (pool_ready)
        frame_pool_free(&pool, pa, npages);
}

void frame_free(uint64_t pa)
{
    frames_free(pa, 1);
}

struct frame_stats frames_stats(void)
{
    return (struct frame_stats){ pool.total_pages, pool.free_pages };
}
