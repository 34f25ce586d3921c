/* SPDX-License-Identifier: GPL-2.0-only */
/* ELF32 file and program headers (System V ABI, gABI 4.1 "ELF Header" and "Program Header"). */
#ifndef NESTOR_VMM_ELF32_H
#define NESTOR_VMM_ELF32_H

#include <stdint.h>

#define ELF_MAGIC0 0x7F
#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define PT_LOAD 1

struct elf32_ehdr {
    uint8_t e_ident[16];
    uint16_t e_type, e_machine;
    uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} __attribute__((packed));

struct elf32_phdr {
    uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} __attribute__((packed));

#endif
