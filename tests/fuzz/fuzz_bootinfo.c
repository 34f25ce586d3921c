// SPDX-License-Identifier: GPL-2.0-only
/*
 * bootinfo_parse on random Multiboot1 and Multiboot2 information blocks. Input: a
 * selector byte (bit 0: MB2, bit 1: a wrong magic), the info block's offset (2 bytes),
 * then physical memory from address 0 (reads beyond it fail; pointers in the block
 * reach it). Checked: counts within their arrays, strings terminated.
 */
#include <string.h>

#include "kernel/bootinfo.h"
#include "tests/fuzz/fuzz_support.h"

static const uint8_t *phys;
static size_t phys_len;

static const void *fake_read(uint64_t pa, size_t len)
{
    if (pa > phys_len || len > phys_len - pa)
        return NULL;
    return phys + pa;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct boot_info bi;
    struct fuzz_input in = { data, size };
    uint8_t sel = (uint8_t)fuzz_take(&in, 1);
    uint64_t info_pa = fuzz_take(&in, 2);
    uint32_t magic = sel & 1 ? MB2_BOOTLOADER_MAGIC : MB1_BOOTLOADER_MAGIC;
    uint8_t *mem;

    fuzz_log_quiet();
    if (sel & 2)
        magic ^= 1u << (sel >> 3);
    mem = malloc(in.left ? in.left : 1);
    memcpy(mem, in.p, in.left);
    phys = mem;
    phys_len = in.left;
    if (bootinfo_parse(magic, info_pa, fake_read, &bi) == 0) {
        FUZZ_CHECK(bi.mmap_count <= BOOT_MMAP_MAX && bi.module_count <= BOOT_MODULES_MAX);
        FUZZ_CHECK(bi.rsdp_len <= sizeof(bi.rsdp));
        FUZZ_CHECK(memchr(bi.cmdline, '\0', sizeof(bi.cmdline)) != NULL);
        for (unsigned i = 0; i < bi.module_count; i++)
            FUZZ_CHECK(memchr(bi.modules[i].cmdline, '\0', BOOT_STRING_MAX) != NULL);
    }
    free(mem);
    return 0;
}
