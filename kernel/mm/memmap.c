// SPDX-License-Identifier: GPL-2.0-only
/* Boot memory map to free ranges; see memmap.h for the rules. */
#include "kernel/mm/memmap.h"

#include "kernel/errno.h"
#include "kernel/log.h"

/* Every boot map entry, the first MiB and up to this many caller reservations. */
#define MEMMAP_RESERVED_MAX 64
#define MEMMAP_INPUT_MAX    (BOOT_MMAP_MAX + MEMMAP_RESERVED_MAX + 2)

struct range_list {
    struct mem_range r[MEMMAP_INPUT_MAX];
    unsigned n;
};

const char *memmap_type_name(uint32_t type)
{
    switch (type) {
    case BOOT_MEM_USABLE:       return "usable";
    case BOOT_MEM_RESERVED:     return "reserved";
    case BOOT_MEM_ACPI_RECLAIM: return "ACPI reclaimable";
    case BOOT_MEM_ACPI_NVS:     return "ACPI NVS";
    case BOOT_MEM_BAD:          return "bad";
    default:                    return "unknown";
    }
}

static void list_add(struct range_list *l, uint64_t base, uint64_t end)
{
    if (base >= MEMMAP_PHYS_LIMIT || end <= base)
        return;
    if (end > MEMMAP_PHYS_LIMIT)
        end = MEMMAP_PHYS_LIMIT;
    if (l->n < MEMMAP_INPUT_MAX)
        l->r[l->n++] = (struct mem_range){ base, end };
}

/* A boot entry's end, saturated: the parser clips wrapping entries to end at 2^64 (= 0 here). */
static uint64_t entry_end(const struct boot_mem_range *e)
{
    uint64_t end = e->base + e->length;

    return end < e->base ? MEMMAP_PHYS_LIMIT : end;
}

static bool list_covers(const struct range_list *l, uint64_t base, uint64_t end)
{
    for (unsigned i = 0; i < l->n; i++)
        if (l->r[i].base <= base && end <= l->r[i].end)
            return true;
    return false;
}

static void sort_unique(uint64_t *v, unsigned *n)
{
    unsigned out = 0;

    for (unsigned i = 1; i < *n; i++) {
        uint64_t x = v[i];
        unsigned j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    for (unsigned i = 0; i < *n; i++)
        if (out == 0 || v[out - 1] != v[i])
            v[out++] = v[i];
    *n = out;
}

/*
 * Writes the union of plus minus the union of minus into out (sorted, disjoint, adjacent
 * pieces merged, then shrunk inward to whole pages). Returns the count; sets *truncated when
 * more than MEMMAP_RANGES_MAX ranges result (the highest are dropped).
 */
static unsigned subtract(const struct range_list *plus, const struct range_list *minus,
                         struct mem_range *out, bool *truncated)
{
    static uint64_t points[2 * 2 * MEMMAP_INPUT_MAX];
    struct mem_range cur = { 0, 0 };
    unsigned np = 0, n = 0;

    for (unsigned i = 0; i < plus->n; i++) {
        points[np++] = plus->r[i].base;
        points[np++] = plus->r[i].end;
    }
    for (unsigned i = 0; i < minus->n; i++) {
        points[np++] = minus->r[i].base;
        points[np++] = minus->r[i].end;
    }
    sort_unique(points, &np);

    for (unsigned i = 0; i + 1 <= np; i++) {
        bool last = i + 1 == np;
        bool keep = !last && list_covers(plus, points[i], points[i + 1]) &&
                    !list_covers(minus, points[i], points[i + 1]);
        if (keep && cur.end == points[i] && cur.end > cur.base) {
            cur.end = points[i + 1];
            continue;
        }
        if (cur.end > cur.base) {
            uint64_t base = (cur.base + MEMMAP_PAGE_SIZE - 1) & ~(MEMMAP_PAGE_SIZE - 1);
            uint64_t end = cur.end & ~(MEMMAP_PAGE_SIZE - 1);
            if (end > base) {
                if (n < MEMMAP_RANGES_MAX)
                    out[n++] = (struct mem_range){ base, end };
                else
                    *truncated = true;
            }
        }
        cur = keep ? (struct mem_range){ points[i], points[i + 1] } : (struct mem_range){ 0, 0 };
    }
    return n;
}

static uint64_t total_bytes(const struct mem_range *r, unsigned n)
{
    uint64_t sum = 0;

    for (unsigned i = 0; i < n; i++)
        sum += r[i].end - r[i].base;
    return sum;
}

/* Multiboot 0.6.96 section 3.3: mem_lower from 0, mem_upper from 1 MiB, both in KiB. */
static void add_basic_meminfo(struct range_list *plus, const struct boot_info *bi)
{
    list_add(plus, 0, (uint64_t)bi->mem_lower_kb * 1024);
    list_add(plus, 0x100000, 0x100000 + (uint64_t)bi->mem_upper_kb * 1024);
}

int memmap_build(const struct boot_info *bi, const struct mem_range *reserved, unsigned nreserved,
                 struct memmap *out)
{
    static struct range_list plus, minus;

    plus.n = minus.n = 0;
    out->usable_count = out->free_count = 0;
    out->usable_bytes = out->free_bytes = 0;
    out->from_basic_meminfo = false;
    out->truncated = false;

    if (bi->mmap_truncated)
        pr_warn("mem: boot memory map has more than %d entries; the rest is not used\n", BOOT_MMAP_MAX);
    for (unsigned i = 0; i < bi->mmap_count && i < BOOT_MMAP_MAX; i++) {
        const struct boot_mem_range *e = &bi->mmap[i];
        list_add(e->type == BOOT_MEM_USABLE ? &plus : &minus, e->base, entry_end(e));
    }
    if (plus.n == 0) {
        if (!bi->has_basic_mem) {
            pr_err("mem: the boot loader gave no memory map with usable RAM and no basic memory "
                   "information; cannot continue\n");
            return -ENOENT;
        }
        pr_warn("mem: no usable RAM in the boot memory map; using basic memory information "
                "(lower %u KiB, upper %u KiB)\n", bi->mem_lower_kb, bi->mem_upper_kb);
        add_basic_meminfo(&plus, bi);
        out->from_basic_meminfo = true;
    }
    list_add(&minus, 0, MEMMAP_LOW_RESERVED);
    out->usable_count = subtract(&plus, &minus, out->usable, &out->truncated);
    out->usable_bytes = total_bytes(out->usable, out->usable_count);

    if (nreserved > MEMMAP_RESERVED_MAX) {
        pr_err("mem: %u reserved ranges, more than the %d supported; nothing is treated as free\n",
               nreserved, MEMMAP_RESERVED_MAX);
        /* Safety first: without the full reservation list nothing above the first MiB is free. */
        list_add(&minus, MEMMAP_LOW_RESERVED, MEMMAP_PHYS_LIMIT);
        nreserved = 0;
    }
    for (unsigned i = 0; i < nreserved; i++)
        list_add(&minus, reserved[i].base, reserved[i].end);
    out->free_count = subtract(&plus, &minus, out->free, &out->truncated);
    out->free_bytes = total_bytes(out->free, out->free_count);

    if (out->truncated)
        pr_warn("mem: more than %d free ranges; the highest are not used\n", MEMMAP_RANGES_MAX);
    if (out->free_count == 0) {
        pr_err("mem: no free RAM above 1 MiB after reserving the image, modules and boot "
               "information; cannot continue\n");
        return -ENOMEM;
    }
    return 0;
}

bool mem_ranges_contain(const struct mem_range *ranges, unsigned n, uint64_t base, uint64_t end)
{
    unsigned lo = 0, hi = n;

    if (end <= base)
        return false;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (ranges[mid].end <= base)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ranges[lo].base <= base && end <= ranges[lo].end;
}
