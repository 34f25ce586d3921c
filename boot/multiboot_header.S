/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot1 header (for QEMU -kernel, which refuses ELF64: the address fields,
 * flag bit 16, tell it where to load us) and Multiboot2 header (for GRUB).
 * Multiboot Specification 0.6.96 section 3.1; Multiboot2 specification section 3.1.
 */
#define MB1_MAGIC        0x1BADB002
#define MB1_PAGE_ALIGN   (1 << 0)
#define MB1_MEMORY_INFO  (1 << 1)
#define MB1_AOUT_KLUDGE  (1 << 16)
#define MB1_FLAGS        (MB1_PAGE_ALIGN | MB1_MEMORY_INFO | MB1_AOUT_KLUDGE)

#define MB2_MAGIC        0xE85250D6
#define MB2_ARCH_I386    0
#define MB2_TAG_END      0
#define MB2_TAG_INFO_REQ 1
#define MB2_INFO_CMDLINE 1
#define MB2_INFO_MODULES 3
#define MB2_INFO_MMAP    6
#define MB2_INFO_ACPI_OLD 14
#define MB2_INFO_ACPI_NEW 15

    .section .multiboot, "a"
    .code32
    .align 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)
    .long mb1_header            /* header_addr */
    .long __image_start         /* load_addr */
    .long __load_end            /* load_end_addr */
    .long __image_end           /* bss_end_addr */
    .long _start32              /* entry_addr */

    .align 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    .align 8
mb2_info_request:
    .short MB2_TAG_INFO_REQ
    .short 1                    /* optional: boot even if GRUB lacks one */
    .long mb2_info_request_end - mb2_info_request
    .long MB2_INFO_CMDLINE, MB2_INFO_MODULES, MB2_INFO_MMAP
    .long MB2_INFO_ACPI_OLD, MB2_INFO_ACPI_NEW
mb2_info_request_end:
    .align 8
    .short MB2_TAG_END
    .short 0
    .long 8
mb2_header_end:
