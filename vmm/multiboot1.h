/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot Specification 0.6.96 (Multiboot1) formats: the OS image header (3.1) and the
 * boot information block the loader hands to the OS (3.3). Layouts are the bytes the
 * spec defines, identical for 32- and 64-bit compilers (the test guest includes this too).
 */
#ifndef NESTOR_VMM_MULTIBOOT1_H
#define NESTOR_VMM_MULTIBOOT1_H

#include <stdint.h>

/* 3.1.1: the header lies 32-bit aligned within the first 8192 bytes of the image. */
#define MB1_HEADER_MAGIC    0x1BADB002u
#define MB1_HEADER_SEARCH   8192u
#define MB1_BOOTLOADER_MAGIC_EAX 0x2BADB002u /* 3.2: EAX at entry */

/* 3.1.2 header flags. Bits 0-15 are requirements: a loader that lacks one must refuse. */
#define MB1_HF_PAGE_ALIGN   (1u << 0)  /* modules on 4 KiB boundaries */
#define MB1_HF_MEMORY_INFO  (1u << 1)  /* mem_* (and mmap) fields */
#define MB1_HF_VIDEO_MODE   (1u << 2)  /* video mode table */
#define MB1_HF_REQUIRED_MASK 0xFFFFu
#define MB1_HF_AOUT_KLUDGE  (1u << 16) /* the address fields are valid */

struct mb1_header {
    uint32_t magic, flags, checksum;
    /* valid with MB1_HF_AOUT_KLUDGE (3.1.3) */
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
    /* valid with MB1_HF_VIDEO_MODE (3.1.4) */
    uint32_t mode_type, width, height, depth;
} __attribute__((packed));

/* 3.3 boot information flags. */
#define MB1_INFO_MEMORY      (1u << 0)
#define MB1_INFO_BOOTDEV     (1u << 1)
#define MB1_INFO_CMDLINE     (1u << 2)
#define MB1_INFO_MODS        (1u << 3)
#define MB1_INFO_MEM_MAP     (1u << 6)
#define MB1_INFO_LOADER_NAME (1u << 9)

struct mb1_info {
    uint32_t flags;
    uint32_t mem_lower_kb, mem_upper_kb;
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
    uint32_t apm_table;
    uint32_t vbe_control_info, vbe_mode_info;
    uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
    uint64_t framebuffer_addr;
    uint32_t framebuffer_pitch, framebuffer_width, framebuffer_height;
    uint8_t framebuffer_bpp, framebuffer_type;
    uint8_t color_info[6];
} __attribute__((packed));

struct mb1_module {
    uint32_t mod_start, mod_end; /* physical, end exclusive */
    uint32_t string;
    uint32_t reserved;
} __attribute__((packed));

/* mmap entries: size excludes the size field itself (20 for this layout). */
struct mb1_mmap_entry {
    uint32_t size;
    uint64_t base_addr, length;
    uint32_t type; /* 1 = available RAM, other values reserved */
} __attribute__((packed));
#define MB1_MMAP_AVAILABLE 1u
#define MB1_MMAP_RESERVED  2u

_Static_assert(sizeof(struct mb1_info) == 116, "multiboot info is 116 bytes");
_Static_assert(sizeof(struct mb1_mmap_entry) == 24, "mmap entry is 24 bytes");

#endif
