// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtd_pgtable_walk over random tables, as the vIOMMU walks a guest's: read-only, through
 * the map callback over the fuzzer's bytes. Input: stage, levels, large-page flags, PAW,
 * snoop, the root and four IOVAs, then table memory (4 KiB pages from physical address 0,
 * the last one zero-padded; other addresses are unreadable). Checked: a translation keeps
 * the page offset and names a supported leaf size at a level of the table.
 */
#include <string.h>

#include "iommu/vtd_pgtable.h"
#include "tests/fuzz/fuzz_support.h"

#define FUZZ_PAGES 8

static uint64_t tables[FUZZ_PAGES][512];
static unsigned nr_pages;

static uint64_t *fake_map(void *ctx, uint64_t pa)
{
    if (pa % 4096 || pa / 4096 >= nr_pages)
        return NULL;
    return tables[pa / 4096];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct vtd_pgtable_mem mem = { .map = fake_map };
    struct fuzz_input in = { data, size };
    struct vtd_pgtable_cfg cfg;
    struct vtd_pgtable pt;
    struct vtd_walk w;
    uint64_t root, iova[4];
    size_t n;

    fuzz_log_quiet();
    memset(&cfg, 0, sizeof(cfg));
    cfg.stage = fuzz_take(&in, 1) & 1 ? VTD_STAGE_FIRST : VTD_STAGE_SECOND;
    cfg.levels = 2 + (unsigned)fuzz_take(&in, 1) % 5;
    cfg.large = (unsigned)fuzz_take(&in, 1) & 3;
    cfg.paw = (unsigned)fuzz_take(&in, 1) % 70;
    cfg.snoop = fuzz_take(&in, 1) & 1;
    root = fuzz_take(&in, 2) & 0x7000;
    for (unsigned i = 0; i < 4; i++)
        iova[i] = fuzz_take(&in, 8);
    memset(tables, 0, sizeof(tables));
    n = in.left < sizeof(tables) ? in.left : sizeof(tables);
    memcpy(tables, in.p, n);
    nr_pages = (unsigned)((n + 4095) / 4096);
    if (vtd_pgtable_attach(&pt, &cfg, &mem, root) != 0)
        return 0;
    for (unsigned i = 0; i < 4; i++) {
        if (vtd_pgtable_walk(&pt, iova[i], &w) != VTD_WALK_OK)
            continue;
        FUZZ_CHECK(w.page_size == 4096 || w.page_size == (2ULL << 20) || w.page_size == (1ULL << 30));
        FUZZ_CHECK((w.pa & (w.page_size - 1)) == (iova[i] & (w.page_size - 1)));
        FUZZ_CHECK(w.level >= 1 && w.level <= cfg.levels);
        FUZZ_CHECK(!(w.perms & ~(unsigned)(VTD_PERM_R | VTD_PERM_W | VTD_PERM_X | VTD_PERM_U)));
    }
    (void)vtd_walk_status_name(w.status);
    return 0;
}
