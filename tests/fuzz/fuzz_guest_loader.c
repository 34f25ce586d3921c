// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_load_multiboot1 on random kernel images into a bounded guest RAM. Input: RAM
 * size selector, module count, command-line length, then the image (the modules are
 * slices of it). Guest RAM is not allocated: every write and fill is checked against
 * [0, ram_bytes) and its source bytes are read (ASan catches a read past the image).
 * A loader that writes outside guest RAM, or reports an entry outside it, is a bug.
 */
#include <string.h>

#include "kernel/errno.h"
#include "tests/fuzz/fuzz_support.h"
#include "vmm/guest_loader.h"

struct fake_ram {
    uint64_t bytes;
    uint64_t sum;
};

static void check_range(const struct fake_ram *r, uint64_t gpa, size_t len)
{
    FUZZ_CHECK(gpa <= r->bytes && len <= r->bytes - gpa);
}

static int fake_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
    struct fake_ram *r = ctx;
    const uint8_t *b = buf;

    check_range(r, gpa, len);
    for (size_t i = 0; i < len; i++)
        r->sum += b[i];
    return 0;
}

static int fake_fill(void *ctx, uint64_t gpa, uint8_t value, size_t len)
{
    check_range(ctx, gpa, len);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t ram_sizes[] = { 0, 0x100000, 0x101000, 0x200000, 16ULL << 20, 256ULL << 20,
                                          4ULL << 30, 8ULL << 30 };
    struct fuzz_input in = { data, size };
    struct guest_module_image mods[GUEST_MODULES_MAX + 1];
    struct fake_ram ram = { 0, 0 };
    struct guest_load_params p;
    struct guest_entry e;
    char cmdline[GUEST_CMDLINE_MAX + 64], modline[32] = "mod arg";
    unsigned nr_mods, cmd_len;
    uint8_t *image;
    size_t image_len;

    fuzz_log_quiet();
    ram.bytes = ram_sizes[fuzz_take(&in, 1) % 8];
    nr_mods = (unsigned)fuzz_take(&in, 1) % (GUEST_MODULES_MAX + 2);
    cmd_len = (unsigned)fuzz_take(&in, 2) % sizeof(cmdline);
    memset(cmdline, 'c', cmd_len);
    cmdline[cmd_len] = '\0';
    image_len = in.left;
    image = malloc(image_len ? image_len : 1);
    memcpy(image, in.p, image_len);
    for (unsigned i = 0; i < nr_mods; i++)
        mods[i] = (struct guest_module_image){ image + image_len * i / (nr_mods + 1),
                                               image_len / (nr_mods + 1), i & 1 ? modline : NULL };

    memset(&p, 0, sizeof(p));
    p.name = "fuzz";
    p.image = image;
    p.image_len = image_len;
    p.cmdline = cmd_len ? cmdline : NULL;
    p.modules = mods;
    p.nr_modules = nr_mods;
    p.ram_bytes = ram.bytes;
    p.mem = (struct guest_mem_ops){ fake_write, fake_fill, &ram };
    if (guest_load_multiboot1(&p, &e) == 0) {
        FUZZ_CHECK(e.image_start >= GUEST_LOAD_MIN && e.image_start <= e.image_end);
        FUZZ_CHECK(e.image_end <= ram.bytes && e.used_end <= ram.bytes);
        FUZZ_CHECK(e.info_gpa < ram.bytes);
    }
    free(image);
    return 0;
}
