// SPDX-License-Identifier: GPL-2.0-only
/* Multiboot1 guest loading: ELF32 and a.out-kludge images, the info block, hostile headers. */
#include "tests/unit/support.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "vmm/elf32.h"
#include "vmm/guest_loader.h"
#include "vmm/multiboot1.h"

#define RAM_BYTES (8u << 20)
static uint8_t *ram;

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t len)
{
    if (gpa > RAM_BYTES || len > RAM_BYTES - gpa)
        return -EFAULT;
    memcpy(ram + gpa, buf, len);
    return 0;
}

static int ram_fill(void *ctx, uint64_t gpa, uint8_t v, size_t len)
{
    if (gpa > RAM_BYTES || len > RAM_BYTES - gpa)
        return -EFAULT;
    memset(ram + gpa, v, len);
    return 0;
}

static uint8_t image[16384];

static void put_header(size_t off, uint32_t flags, const uint32_t *addr /* 5 or NULL */)
{
    uint32_t h[8] = { MB1_HEADER_MAGIC, flags, -(MB1_HEADER_MAGIC + flags) };

    if (addr)
        memcpy(&h[3], addr, 5 * 4);
    memcpy(image + off, h, sizeof(h));
}

/* An ELF32 with one text segment (file 0x1000..0x1100 -> 0x200000) and bss to 0x203000. */
static size_t make_elf(uint32_t vaddr, uint32_t paddr, uint32_t entry)
{
    struct elf32_ehdr eh = { .e_type = ET_EXEC, .e_machine = EM_386, .e_version = 1,
                             .e_entry = entry, .e_phoff = sizeof(eh), .e_ehsize = sizeof(eh),
                             .e_phentsize = sizeof(struct elf32_phdr), .e_phnum = 2 };
    struct elf32_phdr ph[2] = {
        { .p_type = 6 /* PT_PHDR: ignored */ },
        { .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = vaddr, .p_paddr = paddr,
          .p_filesz = 0x100, .p_memsz = 0x3000 },
    };

    memset(image, 0, sizeof(image));
    memcpy(eh.e_ident, "\x7f" "ELF", 4);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    memcpy(image, &eh, sizeof(eh));
    memcpy(image + sizeof(eh), ph, sizeof(ph));
    put_header(0x1000, MB1_HF_PAGE_ALIGN | MB1_HF_MEMORY_INFO, NULL);
    memset(image + 0x1020, 0x90, 0xE0);
    return 0x1100;
}

static struct guest_load_params params(size_t len)
{
    struct guest_load_params p = {
        .name = "vm7", .image = image, .image_len = len, .cmdline = "console=ttyS0 quiet",
        .ram_bytes = RAM_BYTES, .mem = { ram_write, ram_fill, NULL },
    };
    return p;
}

static void setup_ram(void)
{
    if (!ram)
        ram = calloc(1, RAM_BYTES);
    memset(ram, 0xEE, RAM_BYTES);
    unit_log_reset();
}

static void test_elf_loads_with_info(void **state)
{
    size_t len;
    struct guest_load_params p;
    struct guest_entry e;
    struct mb1_info info;
    struct mb1_mmap_entry map[4];

    setup_ram();
    len = make_elf(0xC0200000u, 0x200000, 0xC0200020u);
    p = params(len);
    assert_int_equal(guest_load_multiboot1(&p, &e), 0);
    assert_int_equal(e.entry, 0x200020); /* virtual entry moved to its physical segment */
    assert_int_equal(e.image_start, 0x200000);
    assert_int_equal(e.image_end, 0x203000);
    assert_memory_equal(ram + 0x200000, image + 0x1000, 0x100);
    assert_int_equal(ram[0x200100], 0);   /* bss zeroed */
    assert_int_equal(ram[0x202fff], 0);
    assert_int_equal(e.info_gpa, 0x203000);

    memcpy(&info, ram + e.info_gpa, sizeof(info));
    assert_int_equal(info.flags, MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MEM_MAP | MB1_INFO_LOADER_NAME);
    assert_int_equal(info.mem_lower_kb, 639);
    assert_int_equal(info.mem_upper_kb, (RAM_BYTES - 0x100000) / 1024);
    assert_string_equal((char *)ram + info.cmdline, "console=ttyS0 quiet");
    assert_string_equal((char *)ram + info.boot_loader_name, "Nestor");
    assert_int_equal(info.mmap_length, sizeof(map));
    memcpy(map, ram + info.mmap_addr, sizeof(map));
    assert_int_equal(map[0].size, 20);
    assert_int_equal(map[0].type, MB1_MMAP_AVAILABLE);
    assert_int_equal(map[3].base_addr, 0x100000);
    assert_int_equal(map[3].length, RAM_BYTES - 0x100000);
    assert_int_equal(map[3].type, MB1_MMAP_AVAILABLE);
    assert_int_equal(map[2].type, MB1_MMAP_RESERVED);
    assert_true(e.used_end > e.info_gpa && e.used_end <= RAM_BYTES);
}

static void test_aout_kludge_with_modules(void **state)
{
    /* header at file offset 0x40, loaded so that file offset 0 lands at 0x100000 */
    const uint32_t addr[5] = { 0x100040, 0x100000, 0x100000 + 0x2000, 0x100000 + 0x5000, 0x100080 };
    const char modbytes[] = "module payload";
    const struct guest_module_image mods[2] = {
        { modbytes, sizeof(modbytes), "initrd arg=1" },
        { modbytes, 3, NULL },
    };
    struct guest_load_params p;
    struct guest_entry e;
    struct mb1_info info;
    struct mb1_module m[2];

    setup_ram();
    memset(image, 0xCC, sizeof(image));
    put_header(0x40, MB1_HF_AOUT_KLUDGE | MB1_HF_PAGE_ALIGN, addr);
    p = params(0x3000);
    p.modules = mods;
    p.nr_modules = 2;
    p.cmdline = NULL;
    assert_int_equal(guest_load_multiboot1(&p, &e), 0);
    assert_int_equal(e.entry, 0x100080);
    assert_memory_equal(ram + 0x100000, image, 0x2000);
    assert_int_equal(ram[0x102000], 0); /* bss, not the file's 0xCC */
    assert_int_equal(ram[0x104fff], 0);

    memcpy(&info, ram + e.info_gpa, sizeof(info));
    assert_true(info.flags & MB1_INFO_MODS);
    assert_int_equal(info.mods_count, 2);
    memcpy(m, ram + info.mods_addr, sizeof(m));
    assert_int_equal(m[0].mod_start, 0x105000);
    assert_int_equal(m[0].mod_end, 0x105000 + sizeof(modbytes));
    assert_int_equal(m[1].mod_start, 0x106000);
    assert_memory_equal(ram + m[0].mod_start, modbytes, sizeof(modbytes));
    assert_string_equal((char *)ram + m[0].string, "initrd arg=1");
    assert_string_equal((char *)ram + m[1].string, "");
    assert_string_equal((char *)ram + info.cmdline, "");
}

static void expect_refused(size_t len, int err, const char *log)
{
    struct guest_load_params p = params(len);
    struct guest_entry e;

    unit_log_reset();
    assert_int_equal(guest_load_multiboot1(&p, &e), err);
    if (!unit_log_contains(log))
        fail_msg("log lacks \"%s\": %s", log, unit_log_text());
    assert_true(unit_log_contains("vm7: multiboot: "));
}

static void test_bad_images_refused(void **state)
{
    const uint32_t below_1m[5] = { 0x10040, 0x10000, 0x12000, 0, 0x10080 };
    const uint32_t past_ram[5] = { 0x7FF040, 0x7FF000, 0, 0x900000, 0x7FF080 };
    const uint32_t hdr_before_load[5] = { 0x100040, 0x100100, 0, 0, 0x100100 };
    const uint32_t bss_below_end[5] = { 0x100040, 0x100000, 0x102000, 0x101000, 0x100080 };
    const uint32_t entry_outside[5] = { 0x100040, 0x100000, 0x102000, 0, 0x300000 };
    const uint32_t past_file[5] = { 0x100040, 0x100000, 0x110000, 0, 0x100080 };
    struct elf32_ehdr eh;

    setup_ram();
    memset(image, 0, sizeof(image));
    expect_refused(sizeof(image), -EINVAL, "no header");

    memset(image, 0, sizeof(image));
    put_header(0x2000, MB1_HF_AOUT_KLUDGE, below_1m); /* beyond the first 8 KiB */
    expect_refused(sizeof(image), -EINVAL, "no header");

    memset(image, 0, sizeof(image));
    put_header(0x40, MB1_HF_AOUT_KLUDGE, below_1m);
    image[0x48] ^= 1; /* checksum broken */
    expect_refused(sizeof(image), -EINVAL, "no header");

    put_header(0x40, MB1_HF_AOUT_KLUDGE | (1u << 5), below_1m);
    expect_refused(sizeof(image), -EINVAL, "requires features 0x20");
    put_header(0x40, MB1_HF_AOUT_KLUDGE, below_1m);
    expect_refused(sizeof(image), -E2BIG, "outside guest RAM");
    put_header(0x40, MB1_HF_AOUT_KLUDGE, past_ram);
    expect_refused(sizeof(image), -E2BIG, "outside guest RAM");
    put_header(0x40, MB1_HF_AOUT_KLUDGE, hdr_before_load);
    expect_refused(sizeof(image), -EINVAL, "inconsistent");
    put_header(0x40, MB1_HF_AOUT_KLUDGE, bss_below_end);
    expect_refused(sizeof(image), -EINVAL, "bss_end_addr");
    put_header(0x40, MB1_HF_AOUT_KLUDGE, entry_outside);
    expect_refused(sizeof(image), -EINVAL, "entry point 0x300000");
    put_header(0x40, MB1_HF_AOUT_KLUDGE, past_file);
    expect_refused(sizeof(image), -EINVAL, "outside the image");
    put_header(0x40, MB1_HF_AOUT_KLUDGE, past_file);
    expect_refused(0x50, -EINVAL, "cut off");

    /* ELF: wrong class, program headers past the end, segment bytes past the end */
    make_elf(0x200000, 0x200000, 0x200000);
    image[EI_CLASS] = ELFCLASS64;
    expect_refused(0x1100, -EINVAL, "ELF32 i386");
    make_elf(0x200000, 0x200000, 0x200000);
    memcpy(&eh, image, sizeof(eh));
    eh.e_phnum = 0xFFFF;
    memcpy(image, &eh, sizeof(eh));
    expect_refused(0x1100, -EINVAL, "program headers");
    make_elf(0x200000, 0x200000, 0x200000);
    expect_refused(0x1080, -EINVAL, "outside the image");
    make_elf(0x200000, 0x200000, 0x400000);
    expect_refused(0x1100, -EINVAL, "entry point");
    make_elf(0x200000, 0x7FF000, 0x7FF000);
    expect_refused(0x1100, -E2BIG, "outside guest RAM");
    make_elf(0x200000, 0x200000, 0x200000);
    memset(image, 0, 4);
    expect_refused(0x1100, -EINVAL, "not an ELF file");
}

static void test_no_room_for_info(void **state)
{
    /* the image ends right at the end of RAM: nowhere to put the boot information */
    const uint32_t addr[5] = { 0x7FD040, 0x7FD000, 0x7FF000, 0x800000, 0x7FD080 };
    struct guest_load_params p;
    struct guest_entry e;

    setup_ram();
    memset(image, 0, sizeof(image));
    put_header(0x40, MB1_HF_AOUT_KLUDGE, addr);
    p = params(0x2000);
    assert_int_equal(guest_load_multiboot1(&p, &e), -E2BIG);
    assert_true(unit_log_contains("no room for the boot information"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elf_loads_with_info),
        cmocka_unit_test(test_aout_kludge_with_modules),
        cmocka_unit_test(test_bad_images_refused),
        cmocka_unit_test(test_no_room_for_info),
    };
    int rc = UNIT_RUN(tests);

    free(ram);
    return rc;
}
